"""Tables in a plan: what a number's cell, column and row say of it.

A table row is a source line that starts with ``|``, or one whose cells are
separated by tabs (:func:`parstats.extraction.view.table_rows`). A number in a row takes its
column's year, tier and kind from the header and its words from the row's label
cell; where a unit column ("Đơn vị tính") gives the row's unit, a bare number in a
value column is a value in that unit. The header words are the rows of
``units.csv`` (unit columns and cells) and ``deadline_cues.csv`` (year columns).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass

from parstats import rules
from parstats.extraction.cues import COMPARATORS, DEADLINES, UNITS
from parstats.extraction.doc import PlanDoc
from parstats.extraction.level import TIER, level_named, may_name_tier
from parstats.extraction.pipeline import component
from parstats.extraction.stacked import StackedTable, read_blocks
from parstats.extraction.strings import number_value
from parstats.extraction.view import table_rows

__all__ = ["Column", "Cell", "Tables", "tables", "cells"]

# A table's header cell that names a year: "Năm 2026", "Đến năm 2030", "2030",
# "Giai đoạn 2026-2030".
_HEADER_YEAR = re.compile(
    rf"(?:(?P<label>{DEADLINES.alternation('column')})(?:\s+(?:đạt được|đạt|thực hiện))?\s+)?"
    r"(?:(?:đến|tới|trong)\s+)?(?:hết\s+)?(?:năm\s+|giai đoạn\s+(?:19|20)\d{2}\s*[-–]\s*)?"
    r"((?:19|20)\d{2})"
)


# A column of results, not of targets: "Kết quả năm 2025", "Thực hiện 2025", "Ước đạt 2025".
def _past_column(label: str | None) -> bool:
    """Whether a column's header label says it holds results ("Kết quả năm 2025")."""
    return label is not None and DEADLINES.value_of(label, "column") == "past"


_LETTER = re.compile(r"[^\W\d_]")


# A grid table's rule line: "+-----+------+", "+=====+".
_GRID_RULE = re.compile(r"\s*\+[-=:+]{3,}\s*")


# The header of a table's unit column, and the units its cells give to bare numbers.
_UNIT_HEADER = re.compile(UNITS.alternation("unit_header") + r"\.?")


# Such a header as a cell of a row, in any case (a quick test before reading rows).
_UNIT_HEADER_CELL = re.compile(
    r"[|\t\n][ \t*_]*"
    + rules.caseless(t for r in UNITS.regexes("unit_header") for t in rules.expansions(r) or ())
    + r"\.?[ \t*_]*(?:[|\t\n]|$)"
)


# Two bars on one line: a ``|`` table's header of a unit column and a value column has
# them (a tab table has tabs). Led by a literal, which the engine scans for quickly.
_TWO_BARS = re.compile(r"\|[^\n|]*\|")


_CELL_UNITS = UNITS.mapping("unit_cell")


def _unit_of(cell: str) -> str | None:
    """Return the unit a unit column's cell gives ("%" -> ``percent``), or ``None``."""
    return _CELL_UNITS.get(" ".join(cell.split()).lower().strip("* _"))


# A cell holding one bare value: "25", "≥ 84", "82,4", "50 - 60".
_BARE_CELL = re.compile(
    rf"{COMPARATORS.alternation('cell')}?\s*(?P<n1>\d{{1,3}}(?:\.\d{{3}}){{2,}}(?:,\d+)?"
    r"|\d{1,3}(?:[.,]\d+)?)"
    rf"(?:\s*{COMPARATORS.alternation('cell_range')}\s*(?P<n2>\d{{1,3}}(?:[.,]\d+)?))?"
)


def _column_of(cell: str) -> Column:
    """Return what one header cell says of its column (year, results, tier, unit column)."""
    words = cell.strip(" \t*_").lower()
    m = _HEADER_YEAR.fullmatch(words)
    if m is not None:
        return Column(year=int(m.group(2)), past=_past_column(m.group("label")))
    if _UNIT_HEADER.fullmatch(words):
        return Column(unit=True)
    if may_name_tier(words) and TIER.search(words):
        return Column(tier=level_named(words, False))
    return Column()


# A header's unit in brackets at its end: "Lượng (Tấn)", "Giá trị xuất khẩu (Nghìn USD)".
_HEADER_MEASURE = re.compile(r"\((?P<unit>[^()]{1,24})\)\s*$")


def _stacked_column(parts: tuple[str, ...]) -> Column:
    """Return what a stacked table's column header says: the lower part's words first.

    "GIAI ĐOẠN 2026 - 2030" over "Năm 2026" is a column of 2026; "Kế hoạch 2026" over
    "Lượng (Tấn)" a column of 2026 whose values are in tonnes.
    """
    year, past, tier, unit = None, False, None, False
    measure = label = None
    for part in reversed(parts):
        column = _column_of(part)
        if year is None and column.year is not None:
            year, past = column.year, column.past
        tier = tier or column.tier
        unit = unit or column.unit
        m = _HEADER_MEASURE.search(part)
        if measure is None and m is not None:
            label = m.group("unit").strip(" *_")
            measure = _unit_of(label)
            if measure is None:
                label = None
    return Column(year, past, tier, unit, measure, label)


class _StackedCell:
    """A value cell of a stacked table: its span and what its row and column say."""

    __slots__ = ("start", "end", "cell")

    def __init__(self, start: int, end: int, cell: Cell) -> None:
        self.start, self.end, self.cell = start, end, cell


def _stacked_cells(table: StackedTable) -> list[_StackedCell]:
    """Return the cells of a stacked table that hold a value in a unit, in order.

    A cell of a year's or a tier's column, in a row whose unit column gives a unit
    or under a header that names one.
    """
    columns = [_stacked_column(parts) for parts in table.header]
    unit_at = next((k for k, col in enumerate(columns) if col.unit), None)
    out = []
    for row in table.rows:
        texts = [t.text.strip(" \t*_") for t in row]
        row_unit = row_label = None
        if unit_at is not None:
            row_label = texts[unit_at] or None
            row_unit = _unit_of(row_label) if row_label else None
        label, labels = "", []
        for words in texts:
            labels.append(label)
            if len(_LETTER.findall(words)) >= 4 and len(words) > len(label):
                label = words
        for k, token in enumerate(row):
            column = columns[k]
            if token.empty or not column.holds_values:
                continue
            unit = row_unit or column.measure
            if unit is None:
                continue
            printed = row_label if row_unit else column.measure_label
            how = "unit.table_unit_column" if row_unit else "unit.table_measure"
            row_id = UNITS.id_of(" ".join((printed or "").lower().split()), "unit_cell")
            cell = Cell(
                column.year, labels[k], column.past, column.tier, unit, True, texts[k], printed,
                f"{how}>{row_id}" if row_id else how,
            )
            # Where its words start: a bold cell's marks are not in the parse view.
            lead = len(token.text) - len(token.text.lstrip(" \t*_"))
            out.append(_StackedCell(token.start + lead, token.end, cell))
    return out


class _Line:
    """A source line looked at by :class:`Tables`, and what its cells say (read once)."""

    __slots__ = ("start", "end", "line", "kind", "cells", "first", "seps", "header", "unit",
                 "labels")

    def __init__(self, start: int, end: int, line: str, kind: str | None) -> None:
        self.start, self.end, self.line, self.kind = start, end, line, kind
        self.cells: list[str] | None = None
        self.first = 0
        self.seps: list[int] = []
        self.header: list[Column] = []
        self.unit: str | None = None
        self.labels: list[str] = [""]


@dataclass(frozen=True)
class Column:
    """What a table's header says of one column."""

    year: int | None = None  # "Năm 2026", "2030"
    past: bool = False  # "Kết quả năm 2025": results, not targets
    tier: str | None = None  # "Các sở, ban, ngành", "UBND cấp xã"
    unit: bool = False  # "Đơn vị tính"
    measure: str | None = None  # the unit its header names: "Lượng (Tấn)" -> count
    measure_label: str | None = None  # that unit as printed ("Tấn")

    @property
    def holds_values(self) -> bool:
        """A column of values (a year's, a tier's), not of labels, units or agencies."""
        return self.year is not None or self.tier is not None


@dataclass(frozen=True)
class Cell:
    """Where a number sits in a table row."""

    year: int | None  # the year its column's header names
    label: str  # the row's label: its longest cell of words before the number's cell
    past: bool = False  # its column reports results ("Kết quả năm 2025"): a baseline
    tier: str | None = None  # the tier its column's header names
    unit: str | None = None  # the unit the row's unit cell gives ("%" -> percent)
    holds_values: bool = False  # its column is a year's or a tier's
    content: str = ""  # the number's own cell, as written
    unit_label: str | None = None  # the unit as printed ("Ha", "Tấn", "Nghìn USD")
    unit_rule: str | None = None  # the rule that gave a stacked table's cell its unit


class Tables:
    """The table rows of a plan's NFC text, read from the source (the view has no pipes).

    A row is a source line that starts with ``|``, or one whose cells are separated
    by tabs (two or more); its table's header is the first line of the block of
    such lines. A number in a row takes its column's year, tier and kind from the
    header ("| Chỉ tiêu | Kết quả năm 2025 | Năm 2026 |", "| Các sở, ban, ngành |
    UBND cấp xã |") and its words from the row's label cell, not from the other
    cells (another year's value, the lead agency). Where a unit column ("Đơn vị
    tính") gives the row's unit, a bare number in a value column is a value in
    that unit.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.any = "|" in text or "\t" in text
        self._headers: dict[int, list[Column]] = {}
        # The lines looked at, by start (sorted): a line is read once however many numbers
        # it holds, so a table row of thousands of cells costs no more than its length.
        self._line_starts: list[int] = []
        self._lines: dict[int, _Line] = {}
        self._tops: dict[int, int] = {}  # a row's start -> its table's first row's start
        self._tab_starts: frozenset[int] = frozenset()
        self._stacked: list[_StackedCell] | None = None
        self._stacked_starts: list[int] = []
        if "\t" in text:
            # The tab-separated rows, as the parse view reads them (clean.table_rows).
            lines = text.split("\n")
            rows = table_rows(lines)
            starts, pos = [], 0
            for i, line in enumerate(lines):
                if i in rows:
                    starts.append(pos)
                pos += len(line) + 1
            self._tab_starts = frozenset(starts)

    def _line(self, pos: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, (end if end >= 0 else len(self.text))

    def _kind(self, start: int, line: str) -> str | None:
        """Return ``"pipe"`` or ``"tab"`` for a table row starting at ``start``, else ``None``."""
        if line.lstrip().startswith("|"):
            return "pipe"
        if start in self._tab_starts:
            return "tab"
        return None

    @staticmethod
    def _cells(line: str, kind: str) -> tuple[list[str], int]:
        """Return a row's cells and the offset in ``line`` where the first one starts."""
        if kind == "pipe":
            first = line.find("|") + 1
            return line[first:].split("|"), first
        first = len(line) - len(line.lstrip(" "))
        return line[first:].split("\t"), first

    def _line_at(self, pos: int) -> _Line:
        """Return the (cached) line that holds source position ``pos``."""
        starts = self._line_starts
        k = bisect_right(starts, pos) - 1
        if k >= 0:
            found = self._lines[starts[k]]
            if pos <= found.end:
                return found
        start, end = self._line(pos)
        line = self.text[start:end]
        found = _Line(start, end, line, self._kind(start, line))
        insort(starts, start)
        self._lines[start] = found
        return found

    def is_row(self, pos: int) -> bool:
        """Whether source position ``pos`` lies on a table row (or a stacked table's cell)."""
        if not self.any:
            return False
        return self._line_at(pos).kind is not None or self._stacked_at(pos) is not None

    def stacked(self) -> list[_StackedCell]:
        """Return the value cells of the tables written one cell per line (read once)."""
        if self._stacked is None:
            self._stacked = [c for t in read_blocks(self.text) for c in _stacked_cells(t)]
            self._stacked_starts = [c.start for c in self._stacked]
        return self._stacked

    def _stacked_at(self, pos: int) -> Cell | None:
        """Return the stacked table's value cell that holds source position ``pos``, if any."""
        cells = self.stacked()
        if not cells:
            return None
        k = bisect_right(self._stacked_starts, pos) - 1
        if k >= 0 and pos < cells[k].end:
            return cells[k].cell
        return None

    def _header(self, row_start: int, kind: str) -> list[Column]:
        """Return what each column's header says, for a row (empty for the header itself)."""
        top = row_start
        walked = []
        while top > 0 and top not in self._tops:
            walked.append(top)
            above = top  # the start of the line below ``prev``
            prev = self.text.rfind("\n", 0, top - 1) + 1
            # A grid table's rules ("+----+----+") lie between its rows: look past them.
            while (
                prev > 0 and kind == "pipe" and _GRID_RULE.fullmatch(self.text[prev : above - 1])
            ):
                above, prev = prev, self.text.rfind("\n", 0, prev - 1) + 1
            if self._kind(prev, self.text[prev : above - 1]) != kind:
                break
            top = prev
        top = self._tops.get(top, top)
        for row in walked:
            self._tops[row] = top  # each row is walked once: no quadratic cost in long tables
        return self._columns(top, kind) if top != row_start else []

    def _columns(self, top: int, kind: str) -> list[Column]:
        """Return what each cell of the header row at ``top`` says of its column."""
        found = self._headers.get(top)
        if found is None:
            _, end = self._line(top)
            found = [_column_of(cell) for cell in self._cells(self.text[top:end], kind)[0]]
            self._headers[top] = found
        return found

    def cell(self, pos: int) -> Cell | None:
        """Return what the table says of the number at source position ``pos``, if in a row."""
        if not self.any:
            return None
        row = self._line_at(pos)
        kind = row.kind
        if kind is None:
            return self._stacked_at(pos)
        if row.cells is None:
            self._read_row(row)
        at = pos - row.start
        index = bisect_left(row.seps, at) if at >= row.first else -1
        header = row.header
        column = header[index] if 0 <= index < len(header) else Column()
        label = row.labels[min(max(index, 0), len(row.labels) - 1)]
        cells = row.cells
        content = cells[index] if 0 <= index < len(cells) else ""
        return Cell(
            column.year, label, column.past, column.tier, row.unit, column.holds_values, content
        )

    def _read_row(self, row: _Line) -> None:
        """Read once what every cell of a table row says: header, unit, labels."""
        kind, line = row.kind, row.line
        cells, first = self._cells(line, kind)
        sep = "|" if kind == "pipe" else "\t"
        row.cells, row.first = cells, first
        row.seps = [k for k in range(first, len(line)) if line[k] == sep] if sep in line else []
        header = row.header = self._header(row.start, kind)
        unit = None
        for k, col in enumerate(header):
            if col.unit and k < len(cells):
                unit = _unit_of(cells[k])
        row.unit = unit
        columns = [c.strip(" \t*_") for c in cells]
        if kind == "pipe" and len(cells) > 1:
            # A grid table's row runs over several lines between its rules: its cells'
            # words are the lines' cells put together.
            for other in self._grid_lines(row.start, row.end):
                more = self._cells(other, kind)[0]
                for k in range(min(len(columns), len(more))):
                    extra = more[k].strip(" \t*_")
                    if extra:
                        columns[k] = f"{columns[k]} {extra}".strip()
        # labels[i]: the row's label for a number in cell i, its longest cell of words before
        # (the first of the longest, as max() gives it).
        labels = [""]
        best = ""
        for words in columns:
            if len(_LETTER.findall(words)) >= 4 and len(words) > len(best):
                best = words
            labels.append(best)
        row.labels = labels

    def _grid_lines(self, start: int, end: int) -> list[str]:
        """Return the other lines of a grid table's row, if the row runs over several.

        A grid table ("+----+----+" rules between rows) may write one row over several
        ``|`` lines; they are the run of ``|`` lines between two rules.
        """
        text = self.text
        first = start
        while first > 0:
            prev = text.rfind("\n", 0, first - 1) + 1
            if not text[prev : first - 1].lstrip().startswith("|"):
                break
            first = prev
        last = end
        while last < len(text):
            nxt = text.find("\n", last + 1)
            nxt = len(text) if nxt < 0 else nxt
            if not text[last + 1 : nxt].lstrip().startswith("|"):
                break
            last = nxt
        above = text[text.rfind("\n", 0, max(first - 1, 0)) + 1 : max(first - 1, 0)]
        below_end = text.find("\n", last + 1)
        below = text[last + 1 : below_end if below_end >= 0 else len(text)]
        if first == start and last == end:
            return []  # a row of one line
        if not (_GRID_RULE.fullmatch(above) and _GRID_RULE.fullmatch(below)):
            return []
        return [line for line in text[first:last].split("\n") if line != text[start:end]]

    def bare_value(self, pos: int) -> tuple[float, float | None, str] | None:
        """Return value, upper value and unit of a bare number at ``pos`` that fills its cell.

        Only in a value column of a row whose unit column gives the unit.
        """
        cell = self.cell(pos)
        if cell is None or cell.unit is None or not cell.holds_values:
            return None
        content = cell.content.strip(" \t*_").lower()
        m = _BARE_CELL.fullmatch(content)
        if m is None or content.startswith("top"):
            return None
        lo = number_value(m.group("n1"))
        hi = number_value(m.group("n2")) if m.group("n2") else None
        if lo is None or (hi is not None and hi <= lo):
            return None
        return lo, hi, cell.unit

    def unit_rows(self) -> list[int]:
        """Return the source offsets of the rows whose unit column gives a unit.

        And of every value cell of a table written one cell per line (:meth:`stacked`).
        """
        out = [c.start for c in self.stacked()] if "\n|" in self.text else []
        if "\t" not in self.text and _TWO_BARS.search(self.text) is None:
            return out  # no row of two cells: no unit column (the bars of stacked tables)
        if _UNIT_HEADER_CELL.search(self.text) is None and not _UNIT_HEADER_CELL.match(
            "\n" + self.text[:200]
        ):
            return out  # no table has a unit column (most plans have no table at all)
        pos = 0
        top_kind: str | None = None
        unit_at: int | None = None  # the unit column of the current table, if it has one
        for line in self.text.split("\n"):
            kind = self._kind(pos, line) if ("|" in line or "\t" in line) else None
            if kind is None:
                top_kind = None
            elif kind != top_kind:
                # A table's first row: its header.
                top_kind = kind
                columns = self._columns(pos, kind)
                unit_at = next((k for k, col in enumerate(columns) if col.unit), None)
                if unit_at is not None and not any(col.holds_values for col in columns):
                    unit_at = None
            elif unit_at is not None:
                cells = self._cells(line, kind)[0]
                if unit_at < len(cells) and _unit_of(cells[unit_at]) is not None:
                    out.append(pos + len(line) - len(line.lstrip(" |\t")))
            pos += len(line) + 1
        return out


@component("tables", requires=("text",), assigns=("tables",))
def tables(doc: PlanDoc) -> None:
    """Find the plan's table rows (read from the source: the parse view has no pipes)."""
    doc.tables = Tables(doc.text)


@component(
    "cells", requires=("numbers", "tables", "view"), assigns=("number.cell", "number.rules")
)
def cells(doc: PlanDoc) -> None:
    """Give every number of a table row what its cell, column and row say."""
    view, tabs = doc.view, doc.tables
    for sentence in doc.sentences:
        if sentence.in_table:
            for number in sentence.numbers:
                number.cell = cell = tabs.cell(
                    view.to_source(sentence.offset + number.cand.start)
                )
                if cell is not None and cell.unit_rule and number.cand.word is None:
                    number.rules["unit"] = cell.unit_rule
