"""Import a published index table that parstats does not ship (``parstats indices import``).

The publishers put their tables out in two shapes, and both are read:

- **wide**: one row per province, a column per measure, as the PAPI and PCI
  portals and the Ministry of Home Affairs print them (``Tỉnh/Thành phố``,
  ``Điểm``, ``Xếp hạng``, ``Tính minh bạch``, ``Transparency``, ...). The score
  and rank columns are found by their headers, every other measure column by the
  measure catalogue (:mod:`parstats.measures`); a column that is neither is
  listed as not imported;
- **long**: one row per figure, with ``province``, ``year``, ``measure`` and
  ``value`` columns and optionally ``index``, ``source``, ``snippet`` and
  ``source_kind``; every other column is kept in the snippet. A row's own source
  is kept (``--source`` fills only empty ones).

The steps, each a function:

1. :func:`read_cells` — the sheet as a grid of text cells (CSV or ``.xlsx``);
   an Excel formula without a saved value is refused, never read as empty;
2. :func:`find_header` — the header row, which need not be the first;
3. :func:`parse_rows` — every row checked: province resolvable, no duplicate,
   ranks within 1..63, values within the measure's scale, a source given;
   every row below the header is imported, listed as empty, or refused;
4. :func:`import_table` — the rows written to a *new* file in
   ``data/raw/indices/`` (existing files are never modified), the figures that
   now disagree with earlier ones reported with how precedence settles them, and
   the whole processed package rebuilt.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parstats.errors import EncodingError, InputError, ParstatsError, UnknownProvinceError
from parstats.indices import RAW_COLUMNS, RAW_KIND_COLUMN, RawRow, read_raw_file
from parstats.precedence import DECLARABLE_KINDS, source_kind
from parstats.scales import LAST_PRE2025_YEAR, N_RANKED, scale_for
from parstats.vocab import INDEX_NAMES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.measures import Measure

HEADER_SEARCH_ROWS = 30
MAX_LISTED = 20

_PROVINCE_HEADERS = {
    "tinh thanh pho",
    "tinh tp",
    "tinh thanh",
    "tinh",
    "ten tinh",
    "ten tinh thanh pho",
    "thanh pho",
    "dia phuong",
    "ten dia phuong",
    "don vi",
    "ten don vi",
    "province",
    "provinces",
    "province city",
    "city province",
    "locality",
    "provinces cities",
}
_RANK_PREFIXES = ("xep hang", "thu hang", "hang", "rank", "ranking", "vi thu")
_SCORE_PREFIXES = (
    "diem",
    "tong diem",
    "chi so",
    "ket qua",
    "gia tri",
    "score",
    "index",
    "value",
    "total",
    "par index",
    "sipas",
    "pci",
    "papi",
)
# Columns of a long table (one figure a row), by their exact folded header.
_LONG = {
    "index": {"index", "chi so", "bo chi so"},
    "year": {"year", "nam", "survey year", "nam khao sat"},
    "measure": {"measure", "tieu chi", "chi tieu", "thuoc do", "noi dung"},
    "value": {"value", "gia tri", "diem"},
    "source": {"source", "nguon", "nguon du lieu"},
    "snippet": {"snippet", "trich dan", "trich doan"},
    "source_kind": {"source kind", "source_kind", "loai nguon"},
}
_AGGREGATE_WORDS = (
    "trung binh",
    "average",
    "ca nuoc",
    "toan quoc",
    "national",
    "trung vi",
    "median",
)
_FORMULA_START = ("=", "+", "-", "@")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Cells:
    """A sheet read as text cells.

    Attributes
    ----------
    path
        The file read.
    sheet
        The Excel sheet name, ``None`` for CSV.
    rows
        Rows of cell texts (``""`` for an empty cell); ``rows[0]`` is line/row 1.
    sha256
        Hash of the file's bytes, recorded with every imported figure.
    formulas
        ``(row, column)`` (0-based) of Excel formula cells with no saved value, and
        their formula: such a cell reads as empty and must not be taken for one.
    """

    path: Path
    sheet: str | None
    rows: tuple[tuple[str, ...], ...]
    sha256: str
    formulas: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class MeasureColumn:
    """A column of a wide table that holds one measure (its canonical id and written name)."""

    col: int
    label: str
    measure_id: str
    written: str
    kind: str


@dataclass(frozen=True)
class Header:
    """Where the table starts and which columns hold what (0-based columns, 1-based row).

    ``shape`` is ``"wide"`` (a column per measure: ``score_col``, ``rank_col``,
    ``measures``) or ``"long"`` (``measure_col`` and ``value_col``). ``skipped`` are
    labelled columns that are not imported; ``extra`` (long tables) are columns kept
    in the snippet.
    """

    row: int
    province_col: int
    score_col: int | None
    rank_col: int | None
    labels: tuple[str, ...]
    shape: str = "wide"
    measures: tuple[MeasureColumn, ...] = ()
    year_col: int | None = None
    measure_col: int | None = None
    value_col: int | None = None
    index_col: int | None = None
    source_col: int | None = None
    snippet_col: int | None = None
    kind_col: int | None = None
    extra: tuple[int, ...] = ()
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportConflict:
    """A figure of the import that disagrees with another figure of the same measure.

    Attributes
    ----------
    index, province, year, measure_id
        The key.
    new, existing
        The values (as published) of the import and of the other sources.
    outcome
        ``replaced`` (the import is now preferred), ``kept`` (the existing figure
        stays preferred) or ``unresolved`` (equal precedence; none preferred).
    reason
        The precedence note.
    """

    index: str
    province: str
    year: int
    measure_id: str
    new: str
    existing: str
    outcome: str
    reason: str


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote.

    Attributes
    ----------
    raw_file
        The new file in ``data/raw/indices``.
    n_provinces
        Provinces with at least one figure imported (aggregates not counted).
    n_aggregates
        Aggregate rows imported (e.g. the national average), kept without a province code.
    n_figures
        Figures written.
    header_row
        The header's row number in the input.
    blank_rows
        Input row numbers below the header that were entirely empty in the
        columns read (not data; listed, not dropped silently).
    processed
        ``data/processed/indices.parquet`` after the rebuild, or ``None`` if not rebuilt.
    shape
        ``wide`` or ``long``.
    years
        The survey years imported.
    source_kind
        The kind (precedence) of the import's sources, or of ``--source``.
    skipped_columns
        Header labels of columns not imported (not a known measure).
    agreeing
        Figures equal to a figure already in the data (they add a source).
    conflicts
        Figures that disagree with existing ones, and how precedence settled each.
    """

    raw_file: Path
    n_provinces: int
    n_aggregates: int
    n_figures: int
    header_row: int
    blank_rows: tuple[int, ...]
    processed: Path | None
    shape: str = "wide"
    years: tuple[int, ...] = ()
    source_kind: str = "press"
    skipped_columns: tuple[str, ...] = ()
    agreeing: int = 0
    conflicts: tuple[ImportConflict, ...] = field(default=())

    def summary(self) -> list[str]:
        """Return the lines ``parstats indices import`` prints."""
        span = _span(self.years)
        lines = [
            f"imported {self.n_figures} figures ({self.n_provinces} provinces, "
            f"{self.n_aggregates} aggregates; {span}; {self.shape} table, header on row "
            f"{self.header_row}; sources: {self.source_kind}) into {self.raw_file}"
        ]
        if self.blank_rows:
            shown = ", ".join(map(str, self.blank_rows[:MAX_LISTED]))
            more = len(self.blank_rows) - MAX_LISTED
            lines.append(f"  empty rows not imported: {shown}" + (f" (+{more})" if more > 0
                                                                   else ""))
        if self.skipped_columns:
            lines.append("  columns not imported (not a known measure of the index): "
                         + ", ".join(repr(c) for c in self.skipped_columns))
        if self.agreeing:
            lines.append(f"  {self.agreeing} figures agree with figures already in the data "
                         "(their sources are added)")
        if not self.conflicts:
            lines.append("  no figure conflicts with the data")
            return lines
        counts = {o: sum(c.outcome == o for c in self.conflicts)
                  for o in ("replaced", "kept", "unresolved")}
        lines.append(
            f"  {len(self.conflicts)} figures conflict with existing ones: {counts['replaced']} "
            f"replace them (higher precedence), {counts['kept']} kept the existing ones, "
            f"{counts['unresolved']} unresolved (equal precedence: no value preferred); "
            "see `parstats indices conflicts`"
        )
        for c in self.conflicts[:MAX_LISTED]:
            lines.append(
                f"    {c.outcome}: {c.index} {c.year} {c.province} {c.measure_id}: new "
                f"{c.new} vs existing {c.existing}"
            )
        if len(self.conflicts) > MAX_LISTED:
            lines.append(f"    ... and {len(self.conflicts) - MAX_LISTED} more")
        return lines


def _span(years: tuple[int, ...]) -> str:
    if not years:
        return "no year"
    return f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"


# --------------------------------------------------------------------------- reading


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    return " ".join(str(value).split())


def _number_text(value: float) -> str:
    """Return a spreadsheet number's text as stored, without binary noise, never rounded.

    A spreadsheet holds 15 significant digits: ``86.98`` stays ``86.98``,
    ``4.958939`` stays ``4.958939``, ``96.16999999999999`` (the double nearest a
    computed 96.17) becomes ``96.17``; a whole number loses its ``.0``.
    """
    from parstats.precedence import significant

    if value != value or value in (float("inf"), float("-inf")):
        return repr(value)
    text = repr(float(value))
    if "e" in text or "E" in text:
        from decimal import Decimal

        text = format(Decimal(repr(float(value))), "f")
    text = significant(text)
    return text[:-2] if text.endswith(".0") else text


def read_cells(path: str | Path, sheet: str | None = None) -> Cells:
    """Read a CSV or ``.xlsx`` file as a grid of text cells.

    Parameters
    ----------
    path
        ``.csv`` (UTF-8, or Windows-1258; ``,``, ``;`` or tab separated) or
        ``.xlsx``/``.xlsm``.
    sheet
        Excel sheet name; the first sheet by default.

    Raises
    ------
    InputError
        For an unsupported file type, a missing sheet or an empty file.
    EncodingError
        For a CSV that is neither UTF-8 nor Windows-1258.
    """
    from parstats.io import sha256_bytes

    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", path=path)
    data = path.read_bytes()
    suffix = path.suffix.lower()
    formulas: tuple[tuple[int, int, str], ...] = ()
    if suffix in (".xlsx", ".xlsm"):
        rows, sheet_name, formulas = _read_excel(path, data, sheet)
    elif suffix in (".csv", ".tsv", ".txt"):
        if sheet is not None:
            raise InputError("--sheet applies to Excel files only", path=path, value=sheet)
        rows, sheet_name = _read_csv(path, data), None
    elif suffix == ".xls":
        raise InputError("old Excel .xls is not read; save the sheet as .xlsx or .csv", path=path)
    else:
        raise InputError(f"expected a .csv or .xlsx file, got {suffix or 'no suffix'!r}", path=path)
    if not any(any(c for c in r) for r in rows):
        raise InputError("the file has no cells with content", path=path)
    return Cells(path=path, sheet=sheet_name, rows=rows, sha256=sha256_bytes(data),
                 formulas=formulas)


def _read_excel(
    path: Path, data: bytes, sheet: str | None
) -> tuple[tuple[tuple[str, ...], ...], str, tuple[tuple[int, int, str], ...]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a corrupt file
        raise InputError(f"not a readable .xlsx workbook ({exc})", path=path) from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise InputError(
                f"no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}", path=path, value=sheet
            )
        title = ws.title
        try:
            raw = [tuple(row) for row in ws.iter_rows(values_only=True)]
        except Exception as exc:  # a damaged sheet part
            raise InputError(f"not a readable .xlsx sheet ({exc})", path=path) from None
        rows = tuple(tuple(_cell_text(v) for v in row) for row in raw)
    finally:
        book.close()
    empty = {(i, j) for i, row in enumerate(raw) for j, v in enumerate(row) if v is None}
    formulas: tuple[tuple[int, int, str], ...] = ()
    if empty:
        formulas = _formulas_without_values(data, title, empty)
    return rows, title, formulas


def _formulas_without_values(
    data: bytes, title: str, empty: set[tuple[int, int]]
) -> tuple[tuple[int, int, str], ...]:
    """Return the formula cells that read as empty (saved without computing them)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # pragma: no cover - it opened a moment ago
        return ()
    try:
        out = []
        for i, row in enumerate(book[title].iter_rows(values_only=True)):
            for j, v in enumerate(row):
                if (i, j) in empty and isinstance(v, str) and v.startswith("="):
                    out.append((i, j, v))
        return tuple(out)
    finally:
        book.close()


def _read_csv(path: Path, data: bytes) -> tuple[tuple[str, ...], ...]:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes almost any byte string
        raise EncodingError("expected UTF-8 or Windows-1258 text", path=path)
    if "\x00" in text:
        raise InputError("binary file (NUL byte); expected a CSV table", path=path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return tuple(tuple(_cell_text(c) for c in row) for row in reader)
    except csv.Error as exc:
        raise InputError(f"not a readable CSV table ({exc})", path=path,
                         line=reader.line_num) from None


# --------------------------------------------------------------------------- header


def _header_key(text: str) -> str:
    from parstats.vn import fold, nfc

    return " ".join(re.findall(r"[a-z0-9]+", fold(nfc(text)).lower()))


def _classify(label: str) -> str | None:
    key = _header_key(label)
    if not key:
        return None
    if key in _PROVINCE_HEADERS:
        return "province"
    words = key.split()
    for prefix in _RANK_PREFIXES:
        p = prefix.split()
        if words[: len(p)] == p:
            return "rank"
    for prefix in _SCORE_PREFIXES:
        p = prefix.split()
        if words[: len(p)] == p:
            return "score"
    return None


def _measure_column(index: str, label: str, year: int | None, col: int) -> MeasureColumn | None:
    """Return the canonical measure a wide table's column header names, if known."""
    from parstats.measures import measures, name_key, resolve

    text = label.strip()
    if not text:
        return None
    try:
        found = resolve(index, text, year)
    except InputError:
        return None
    if not found.is_measure or found.kind in ("score", "rank"):
        return None
    # Write the published form the catalogue knows (kind prefix + the column's label),
    # else the canonical id.
    written = found.id
    short = name_key(re.sub(r"^[^:]*:\s*", "", text))
    for m in measures(index):
        if m is not found:
            continue
        for n in m.names:
            prefix, _, rest = n.name.partition(": ")
            if rest and name_key(rest) == short:
                written = f"{prefix}: {text}" if ":" not in text else text
                break
            if name_key(n.name) == name_key(text):
                written = text
                break
    return MeasureColumn(col, text, found.id, written, found.kind)


def _long_header(i: int, row: tuple[str, ...], cells: Cells) -> Header | None:
    keys = [_header_key(label) for label in row]
    roles: dict[str, list[int]] = {}
    for j, key in enumerate(keys):
        if key in _PROVINCE_HEADERS:
            roles.setdefault("province", []).append(j)
            continue
        for role, names in _LONG.items():
            if key in names:
                roles.setdefault(role, []).append(j)
                break
    if not {"province", "measure", "value"} <= set(roles):
        return None
    for role, cols in roles.items():
        if len(cols) > 1:
            names = ", ".join(repr(row[c]) for c in cols)
            raise InputError(f"several {role} columns in the header ({names}); keep one",
                             path=cells.path, line=i + 1)
    used = {c[0] for c in roles.values()}
    extra = tuple(j for j, label in enumerate(row) if label.strip() and j not in used)
    one = {role: cols[0] for role, cols in roles.items()}
    return Header(
        row=i + 1,
        province_col=one["province"],
        score_col=None,
        rank_col=None,
        labels=row,
        shape="long",
        year_col=one.get("year"),
        measure_col=one["measure"],
        value_col=one["value"],
        index_col=one.get("index"),
        source_col=one.get("source"),
        snippet_col=one.get("snippet"),
        kind_col=one.get("source_kind"),
        extra=extra,
    )


def find_header(cells: Cells, index: str | None = None, year: int | None = None) -> Header:
    """Find the header row: the first naming a province column and figures beside it.

    A long table's header names ``province``, ``measure`` and ``value`` columns;
    a wide table's a province column and a score, rank or measure column
    (measures are recognised for ``index`` through the catalogue).

    Raises
    ------
    InputError
        If no such row is within the first :data:`HEADER_SEARCH_ROWS` rows, or a
        row names two columns for one thing.
    """
    for i, row in enumerate(cells.rows[:HEADER_SEARCH_ROWS]):
        long = _long_header(i, row, cells)
        if long is not None:
            return long
        found: dict[str, list[int]] = {}
        measures: list[MeasureColumn] = []
        skipped: list[str] = []
        for j, label in enumerate(row):
            kind = _classify(label)
            if kind:
                found.setdefault(kind, []).append(j)
                continue
            column = _measure_column(index, label, year, j) if index else None
            if column is not None:
                measures.append(column)
            elif label.strip():
                skipped.append(label.strip())
        if "province" not in found or not ({"score", "rank"} & set(found) or measures):
            continue
        for kind, cols in found.items():
            if len(cols) > 1:
                names = ", ".join(repr(row[c]) for c in cols)
                raise InputError(
                    f"several {kind} columns in the header ({names}); keep one",
                    path=cells.path,
                    line=i + 1,
                )
        ids = [m.measure_id for m in measures]
        for mid in dict.fromkeys(ids):
            if ids.count(mid) > 1:
                names = ", ".join(repr(m.label) for m in measures if m.measure_id == mid)
                raise InputError(
                    f"several columns for the measure {mid} ({names}); keep one",
                    path=cells.path,
                    line=i + 1,
                )
        return Header(
            row=i + 1,
            province_col=found["province"][0],
            score_col=found.get("score", [None])[0],
            rank_col=found.get("rank", [None])[0],
            labels=row,
            measures=tuple(measures),
            skipped=tuple(skipped),
        )
    raise InputError(
        f"no header row in the first {HEADER_SEARCH_ROWS} rows: expected a province column "
        "('Tỉnh/Thành phố', 'Province') and a score or rank column ('Điểm', 'Score', "
        "'Xếp hạng', 'Rank') or measure columns ('Tính minh bạch', 'Transparency', ...), or "
        "a long table with province, year, measure and value columns",
        path=cells.path,
    )


# --------------------------------------------------------------------------- rows


def _cell(row: tuple[str, ...], col: int | None) -> str:
    if col is None or col >= len(row):
        return ""
    return row[col].strip()


def parse_score(text: str) -> float:
    """Parse a score cell: ``"86,98"``, ``"86.98"``, ``"86,98%"`` -> 86.98.

    Raises
    ------
    ValueError
        If the cell is not a number.
    """
    from parstats.vn import parse_number

    t = text.strip().rstrip("%").strip()
    if re.fullmatch(r"[+-]?\d+([.,]\d+)?", t):
        return float(t.replace(",", "."))
    value = parse_number(t)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def published_number(text: str) -> str:
    """Return a number cell's text as published, with ``.`` as the decimal point.

    The digits are kept (``"86,980"`` -> ``"86.980"``); only a cell with
    thousands separators is read as a number and written in its shortest form.

    Raises
    ------
    ValueError
        If the cell is not a number.
    """
    t = text.strip().rstrip("%").strip()
    if re.fullmatch(r"[+-]?\d+([.,]\d+)?", t):
        return t.replace(",", ".")
    return _number_text(parse_score(t))


def parse_rank(text: str) -> int:
    """Parse a rank cell: ``"12"``, ``"12.0"`` or ``"12/63"`` -> 12.

    Raises
    ------
    ValueError
        If the cell is not a whole number (or ``n/63``).
    """
    t = text.strip()
    m = re.fullmatch(r"(\d+)\s*/\s*(\d+)", t)
    if m:
        if int(m.group(2)) != N_RANKED:
            raise ValueError(f"rank out of {m.group(2)}, expected out of {N_RANKED}")
        return int(m.group(1))
    m = re.fullmatch(r"[+-]?\d+(\.0+)?", t)
    if not m:
        raise ValueError(f"not a whole number: {text!r}")
    return int(float(t))


def _is_aggregate(name: str) -> bool:
    key = _header_key(name)
    return any(word in key for word in _AGGREGATE_WORDS)


@dataclass(frozen=True)
class ParsedTable:
    """The checked figures of one imported table, and what was skipped.

    ``lines`` are the input row numbers each figure was read from (same order as
    ``rows``); every row below the header is in ``lines`` or ``blank_rows``.
    """

    rows: tuple[RawRow, ...]
    blank_rows: tuple[int, ...]
    n_provinces: int
    n_aggregates: int
    lines: tuple[int, ...] = ()


@dataclass
class _Context:
    cells: Cells
    header: Header
    index: str
    year: int | None
    source: str | None
    kind: str | None
    file_name: str
    where: str
    out: list[RawRow] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    seen: dict[tuple, int] = field(default_factory=dict)
    provinces: set[str] = field(default_factory=set)
    aggregates: set[str] = field(default_factory=set)

    def fail(self, message: str, line: int, value: object = None, error: type = InputError) -> Any:
        raise error(message, path=self.cells.path, line=line, value=value)


def _check_formula(ctx: _Context, i: int, cols: list[int | None], what: str) -> None:
    for r, c, formula in ctx.cells.formulas:
        if r == i and c in cols:
            label = ctx.header.labels[c] if c < len(ctx.header.labels) else f"column {c + 1}"
            ctx.fail(
                f"the {what} in column {label!r} is a formula without a saved value ({formula}); "
                "open and save the file in Excel, or paste the values",
                i + 1,
                formula,
            )


def _check_plain(ctx: _Context, text: str, what: str, line: int) -> None:
    bad = _CONTROL.search(text)
    if bad:
        ctx.fail(f"the {what} holds a control character ({bad.group()!r}); expected plain text",
                 line, text)


def _province(ctx: _Context, name: str, line: int) -> tuple[str, str | None]:
    from parstats.indices import is_aggregate_label
    from parstats.provinces import resolve

    if is_aggregate_label(name):
        ctx.aggregates.add(name)
        return name, None
    if _is_aggregate(name):
        ctx.aggregates.add(f"({name})")
        return f"({name})", None
    try:
        p = resolve(name)
    except UnknownProvinceError as exc:
        ctx.fail(exc.reason, line, name, UnknownProvinceError)
    ctx.provinces.add(p.code)
    return p.name_vi, p.code


def _value(ctx: _Context, measure: Measure, year: int, published: str, text: str, line: int,
           column: str) -> str:
    """Check one cell of ``measure`` and return its value text as written to the raw file."""
    scale = scale_for(ctx.index, year, measure.id)
    if not scale.numeric:
        return " ".join(text.split())
    if measure.kind in ("rank", "dimension rank"):
        try:
            place = parse_rank(text)
        except ValueError as exc:
            ctx.fail(f"rank must be a whole number in 1..{N_RANKED} ({exc})", line, text)
        if not 1 <= place <= N_RANKED:
            ctx.fail(f"rank {place} is outside 1..{N_RANKED} ({N_RANKED} provinces ranked in "
                     f"{year})", line, text)
        return str(place)
    try:
        number = published_number(text)
    except ValueError:
        ctx.fail(f"{measure.kind} must be a number (e.g. 86.98 or 86,98), column {column!r}",
                 line, text)
    value = float(number)
    if not scale.contains(value):
        ctx.fail(f"{measure.kind} {value:g} is outside the {ctx.index} {year} scale "
                 f"{scale.label}", line, text)
    return number


def _add(ctx: _Context, province: str, code: str | None, year: int, published: str,
         measure: Measure, value: str, source: str, snippet: str, kind: str, line: int,
         cell: str) -> None:
    key = (code or province, year, measure.id)
    if key in ctx.seen:
        what = "province-year" if measure.kind in ("score", "rank") else (
            f"province-year-measure ({measure.id})")
        ctx.fail(f"duplicate {what}: {province} {year} already on row {ctx.seen[key]}", line,
                 cell)
    ctx.seen[key] = line
    ctx.out.append(
        RawRow(
            index=ctx.index,
            province=province,
            province_code=code,
            year=year,
            measure=published,
            value_text=value,
            source=source,
            snippet=snippet,
            file=ctx.file_name,
            line=0,  # set when written
            measure_id=measure.id,
            published=value,
            source_kind=kind,
        )
    )
    ctx.lines.append(line)


def _wide_row(ctx: _Context, i: int, row: tuple[str, ...]) -> bool:
    """Read one row of a wide table; return False when it is empty."""
    from parstats.measures import resolve

    h = ctx.header
    lineno = i + 1
    columns: list[tuple[int, str, str]] = []  # (col, written measure, kind)
    if h.score_col is not None:
        columns.append((h.score_col, "score", "score"))
    if h.rank_col is not None:
        columns.append((h.rank_col, "rank", "rank"))
    columns += [(m.col, m.written, m.kind) for m in h.measures]
    _check_formula(ctx, i, [h.province_col, *(c for c, _, _ in columns)], "cell")
    name = _cell(row, h.province_col)
    texts = [(c, w, k, _cell(row, c)) for c, w, k in columns]
    if not name and not any(t for *_, t in texts):
        return False
    if not name:
        ctx.fail("no province in this row, but a figure", lineno,
                 next(t for *_, t in texts if t))
    if not any(t for *_, t in texts):
        ctx.fail(f"{name!r} has no figure in any column read", lineno, name)
    _check_plain(ctx, name, "province", lineno)
    province, code = _province(ctx, name, lineno)
    year = ctx.year
    assert year is not None and ctx.source is not None  # checked by parse_rows
    parts = [f"{h.labels[h.province_col]}={name!r}"] + [
        f"{h.labels[c]}={t!r}" for c, _, _, t in texts if t
    ]
    snippet = (f"{ctx.where} row {lineno}: " + " | ".join(parts)
               + f" (file sha256 {ctx.cells.sha256})")
    for c, written, _kind, text in texts:
        if not text:
            continue
        _check_plain(ctx, text, "cell", lineno)
        measure = resolve(ctx.index, written, year)
        if code is None and measure.kind in ("rank", "dimension rank"):
            ctx.fail(f"aggregate row {name!r} has a rank; aggregates are not ranked", lineno,
                     text)
        value = _value(ctx, measure, year, written, text, lineno, h.labels[c])
        _add(ctx, province, code, year, written, measure, value, ctx.source, snippet,
             ctx.kind or source_kind(ctx.source), lineno, name)
    return True


def _long_row(ctx: _Context, i: int, row: tuple[str, ...]) -> bool:
    """Read one row of a long table; return False when it is empty."""
    from parstats.measures import canonical
    from parstats.vn import nfc

    h = ctx.header
    lineno = i + 1
    cols = [h.province_col, h.year_col, h.measure_col, h.value_col, h.index_col, h.source_col,
            h.snippet_col, h.kind_col]
    _check_formula(ctx, i, cols, "cell")
    name = _cell(row, h.province_col)
    measure_text = nfc(_cell(row, h.measure_col))
    text = _cell(row, h.value_col)
    if not (name or measure_text or text):
        return False
    for what, value in (("province", name), ("measure", measure_text), ("value", text)):
        if not value:
            ctx.fail(f"no {what} in this row", lineno, None)
        _check_plain(ctx, value, what, lineno)
    index = _cell(row, h.index_col)
    if index and index != ctx.index:
        ctx.fail(f"index {index!r} in a table imported as --index {ctx.index}", lineno, index)
    year_text = _cell(row, h.year_col)
    if h.year_col is None:
        year = ctx.year
        if year is None:
            ctx.fail("no year: the table has no year column and no --year was given", lineno)
    elif not re.fullmatch(r"\d{4}(\.0+)?", year_text):
        ctx.fail("year must be a four-digit survey year", lineno, year_text)
    else:
        year = int(float(year_text))
        if not 1990 <= year <= LAST_PRE2025_YEAR:
            ctx.fail(f"year must be a survey year in 1990..{LAST_PRE2025_YEAR} (the 63 "
                     "pre-2025 provinces)", lineno, year_text)
        if ctx.year is not None and year != ctx.year:
            ctx.fail(f"year {year} in a table imported as --year {ctx.year}", lineno, year_text)
    assert year is not None
    try:
        measure = canonical(ctx.index, measure_text, year)
    except InputError as exc:
        ctx.fail(exc.reason, lineno, measure_text)
    province, code = _province(ctx, name, lineno)
    if code is None and measure.kind in ("rank", "dimension rank"):
        ctx.fail(f"aggregate row {name!r} has a rank; aggregates are not ranked", lineno, text)
    value = _value(ctx, measure, year, measure_text, text, lineno, h.labels[h.value_col])
    source = _cell(row, h.source_col) or ctx.source
    if not source:
        ctx.fail("no source in this row and no --source given", lineno)
    _check_plain(ctx, source, "source", lineno)
    kind = _cell(row, h.kind_col) or ctx.kind or source_kind(source)
    if kind not in DECLARABLE_KINDS:
        ctx.fail(f"source kind must be one of {', '.join(DECLARABLE_KINDS)}", lineno, kind)
    snippet = _cell(row, h.snippet_col) or f"{ctx.where} row {lineno}"
    extra = [f"{h.labels[j]}: {_cell(row, j)}" for j in h.extra if _cell(row, j)]
    if extra:
        snippet += " [" + "; ".join(extra) + "]"
    _check_plain(ctx, snippet, "snippet", lineno)
    _add(ctx, province, code, year, measure_text, measure, value, source, snippet, kind, lineno,
         name)
    return True


def parse_rows(
    cells: Cells,
    header: Header,
    *,
    index: str,
    year: int | None,
    source: str | None,
    file_name: str,
    kind: str | None = None,
) -> ParsedTable:
    """Check every row below the header and return the figures as raw rows.

    Parameters
    ----------
    cells, header
        From :func:`read_cells` and :func:`find_header`.
    index, year, source
        What the table is and where it was published (``year`` and ``source``
        may come from the rows of a long table instead).
    file_name
        Name of the raw file the rows will be written to (for ``raw_refs``).
    kind
        The sources' kind (:mod:`parstats.precedence`); from each source's address
        when ``None``.

    Raises
    ------
    InputError
        Naming the input file, row and value: an unknown province or measure, a
        figure twice, a non-numeric value, a rank outside 1..63, a value outside
        the measure's scale, a missing province, a formula without a saved value,
        a control character, or no rows.
    """
    if header.shape == "wide" and year is None:
        raise InputError("--year is required: the table is one row per province "
                         "(a wide table) and has no year column", path=cells.path)
    if header.shape == "wide" and not source:
        raise InputError(
            "a source is required (--source): the report's title, publisher and address"
        )
    where = f"{cells.path.name}" + (f" [{cells.sheet}]" if cells.sheet else "")
    ctx = _Context(cells, header, index, year, source,
                   kind or (source_kind(source) if source else None), file_name, where)
    blank: list[int] = []
    reader = _long_row if header.shape == "long" else _wide_row
    for i in range(header.row, len(cells.rows)):
        if not reader(ctx, i, cells.rows[i]):
            blank.append(i + 1)
    if not ctx.out:
        raise InputError(f"no data rows below the header on row {header.row}", path=cells.path)
    return ParsedTable(tuple(ctx.out), tuple(blank), len(ctx.provinces), len(ctx.aggregates),
                       tuple(ctx.lines))


# --------------------------------------------------------------------------- writing


def _check_arguments(index: str, year: int | None, source: str | None, kind: str | None) -> None:
    if index not in INDEX_NAMES:
        raise InputError(f"--index must be one of {', '.join(INDEX_NAMES)}", value=index)
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= LAST_PRE2025_YEAR
    ):
        raise InputError(
            f"--year must be a survey year in 1990..{LAST_PRE2025_YEAR} (the 63 pre-2025 "
            "provinces)",
            value=year,
        )
    if kind is not None and kind not in DECLARABLE_KINDS:
        raise InputError(f"--source-kind must be one of {', '.join(DECLARABLE_KINDS)}",
                         value=kind)
    if source is None:
        return
    if not source.strip():
        raise InputError(
            "a source is required (--source): the report's title, publisher and address"
        )
    bad = _CONTROL.search(source)
    if bad:
        raise InputError(
            f"--source holds a control character ({bad.group()!r}); give the title, publisher "
            "and address as plain text",
            value=source,
        )
    if source.strip().startswith(_FORMULA_START):
        raise InputError(
            "--source must not start with =, +, - or @ (a spreadsheet would read it as a "
            "formula); start with the publisher or the title",
            value=source,
        )


def raw_file_name(index: str, years: int | tuple[int, ...], sha256: str) -> str:
    """Name of the raw file an import writes: ``import_par_2024_<12 hex>.csv``."""
    if isinstance(years, int):
        years = (years,)
    return f"import_{index.lower()}_{_span(tuple(sorted(set(years))))}_{sha256[:12]}.csv"


def _csv_text(rows: tuple[RawRow, ...]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow((*RAW_COLUMNS, RAW_KIND_COLUMN))
    for r in rows:
        writer.writerow([r.index, r.province, r.year, r.measure, r.value_text, r.source,
                         r.snippet, r.source_kind])
    return buf.getvalue()


def _root_of(directory: Path) -> Path:
    """Return the project root of a ``data/raw/indices`` folder."""
    return directory.resolve().parents[2]


def _check_build_inputs(root: Path) -> None:
    """Refuse an import whose rebuild would fail for another reason (the plans)."""
    from parstats.build import MANIFEST, check_plans, read_manifest

    plans = root / "data" / "raw" / "plans"
    try:
        check_plans(plans, read_manifest(plans / MANIFEST))
    except InputError as exc:
        raise InputError(
            f"nothing imported: data/processed could not be rebuilt afterwards ({exc}); fix "
            "that first, or import with --no-rebuild (rebuild=False) and run `parstats build` "
            "later"
        ) from None


def _agrees(a: Any, b: Any) -> bool:
    """Whether two rows of the indices table hold the same figure."""
    from parstats.precedence import agree, decimals

    ta, tb = str(a["value_text"]).split("\n")[0], str(b["value_text"]).split("\n")[0]
    try:
        return agree(float(ta), decimals(ta), float(tb), decimals(tb))
    except ValueError:
        return " ".join(ta.split()).casefold() == " ".join(tb.split()).casefold()


def _conflicts_of(frame: pd.DataFrame, new_file: str) -> tuple[int, tuple[ImportConflict, ...]]:
    """Figures of the new file that agree with, or disagree with, figures already there."""
    from parstats.indices import SEP

    touched = frame["raw_refs"].map(
        lambda cell: any(r.rsplit(":", 1)[0] == new_file for r in cell.split(SEP))
    )
    key = ["index", "province", "year", "measure_id"]
    agreeing = int(
        (touched & (frame["origin"] == "published") & (frame["n_sources"] > 1)).sum()
    )
    out = []
    conflicted = frame.loc[frame["conflict"]]
    for k, group in conflicted.groupby(key, sort=True):
        mine = touched.loc[group.index]
        if not mine.any() or mine.all():
            continue
        new = group.loc[mine]
        old = group.loc[~mine]
        chosen = group.loc[group["preferred"]]
        if len(chosen):  # only the values that disagree with the one used
            used = chosen.iloc[0]
            if new["preferred"].any():
                old = old.loc[[not _agrees(used, r) for _, r in old.iterrows()]]
            else:
                new = new.loc[[not _agrees(used, r) for _, r in new.iterrows()]]
                old = chosen
            if old.empty or new.empty:
                continue
        if new["preferred"].any():
            outcome = "replaced"
        elif old["preferred"].any():
            outcome = "kept"
        else:
            outcome = "unresolved"
        out.append(
            ImportConflict(
                index=k[0],
                province=k[1],
                year=int(k[2]),
                measure_id=k[3],
                new=" | ".join(f"{t.split(SEP)[0]} ({s})" for t, s in
                               zip(new["value_text"], new["source_kind"], strict=True)),
                existing=" | ".join(f"{t.split(SEP)[0]} ({s})" for t, s in
                                    zip(old["value_text"], old["source_kind"], strict=True)),
                outcome=outcome,
                reason=str(group["note"].dropna().iloc[0]) if group["note"].notna().any()
                else "",
            )
        )
    return agreeing, tuple(out)


def import_table(
    path: str | Path,
    *,
    index: str,
    year: int | None = None,
    source: str | None = None,
    source_kind: str | None = None,
    sheet: str | None = None,
    directory: Path | None = None,
    rebuild: bool = True,
) -> ImportResult:
    """Import a published index table into ``data/raw/indices`` and rebuild the package.

    Parameters
    ----------
    path
        CSV or ``.xlsx``: a wide table (a province column and score, rank or
        measure columns) or a long one (province, year, measure, value columns).
    index
        The index (``PAR``, ``SIPAS``, ``PAPI``, ``PCI``, ``PGI``).
    year
        Survey year; required for a wide table, checked against a long table's years.
    source
        Where the table was published; required unless every row of a long table
        names its source.
    source_kind
        ``official_dataset``, ``official_report`` or ``press`` (the precedence of
        :mod:`parstats.precedence`); by default from each source's address.
    sheet
        Excel sheet name; the first sheet by default.
    directory
        Raw index folder; ``data/raw/indices`` by default.
    rebuild
        Rebuild the whole of ``data/processed`` afterwards (:func:`parstats.build.build`),
        so every table and ``datapackage.json`` agree.

    Returns
    -------
    ImportResult

    Raises
    ------
    InputError
        On any bad argument or row (nothing is written then), if the same file
        was imported before, or if the rebuild fails after the file was written
        (the message says so and what to run).
    """
    from parstats.indices import assemble, read_raw
    from parstats.io import write_text
    from parstats.paths import project_root, raw_indices_dir

    _check_arguments(index, year, source, source_kind)
    source = source.strip() if source else None
    explicit = directory
    directory = raw_indices_dir() if directory is None else Path(directory)
    cells = read_cells(path, sheet)
    header = find_header(cells, index, year)
    if header.shape == "wide":
        if year is None:
            raise InputError("--year is required: the table is one row per province "
                             "(a wide table) and has no year column", path=cells.path)
        if source is None:
            raise InputError(
                "a source is required (--source): the report's title, publisher and address"
            )
    probe = parse_rows(cells, header, index=index, year=year, source=source,
                       file_name="", kind=source_kind)
    years = tuple(sorted({r.year for r in probe.rows}))
    name = raw_file_name(index, years, cells.sha256)
    target = directory / name
    if target.exists():
        raise InputError(
            f"this file was already imported as {target.name}; if data/processed does not "
            "show it yet, run `parstats build`",
            path=cells.path,
        )
    root = project_root() if explicit is None else _root_of(directory)
    if rebuild:
        _check_build_inputs(root)
    # Line numbers in the file to be written: header is line 1.
    rows = tuple(
        RawRow(**{**r.__dict__, "file": name, "line": k})
        for k, r in enumerate(probe.rows, start=2)
    )
    # The whole table must still build; files in name order, as build_frame reads them.
    frame = assemble(sorted([*read_raw(directory), *rows], key=lambda r: r.file))
    agreeing, found = _conflicts_of(frame, name)
    write_text(target, _csv_text(rows))
    if [r.__dict__ for r in read_raw_file(target)] != [r.__dict__ for r in rows]:
        target.unlink()
        raise InputError("the written file does not read back identically; removed", path=target)
    # The table just checked is the table of the files now on disk: the rebuild uses it.
    from parstats.indices import _file_keys, _remember, _table_key

    _remember(_table_key(_file_keys(directory)), frame)
    processed = None
    if rebuild:
        from parstats.build import build
        from parstats.indices import processed_path

        try:
            build(root=root)
        except (ParstatsError, OSError) as exc:
            raise InputError(
                f"imported {len(rows)} figures into {target}, but the rebuild of "
                f"data/processed failed: {exc}; data/processed is stale until you fix that and "
                "run `parstats build`"
            ) from None
        processed = processed_path()
    kinds = sorted({r.source_kind for r in rows})
    return ImportResult(
        raw_file=target,
        n_provinces=probe.n_provinces,
        n_aggregates=probe.n_aggregates,
        n_figures=len(rows),
        header_row=header.row,
        blank_rows=probe.blank_rows,
        processed=processed,
        shape=header.shape,
        years=years,
        source_kind=", ".join(kinds),
        skipped_columns=header.skipped,
        agreeing=agreeing,
        conflicts=found,
    )
