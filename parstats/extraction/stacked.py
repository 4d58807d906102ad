"""Tables written one cell per line (*bảng dạng cột dọc*): rows rebuilt from the bars.

Web pages converted to text often write a table one cell per line, each cell
between two lines that hold only ``|``::

    |
    Diện tích
    |
    Ha
    |
    26.120
    |
    27.000
    |
    |
    Sản lượng
    ...

Two bars in a row are either an empty cell or the end of a row followed by the
start of the next: the text alone does not tell them apart. The body of a table,
however, has rows of one width ``W``: every row is ``W`` cells and one empty
token (where one row ends and the next starts). :func:`read_blocks` finds, in each
block of such lines, the first token from which rows of one width (the narrowest
that fits) run to the end of the block (the body), and reads the tokens before it
as the header rows; a header of two rows ("GIAI ĐOẠN 2026 - 2030" over "Năm 2026 ... Năm 2030";
"Kế hoạch 2026" over "Lượng (Tấn)", "Giá trị (Nghìn USD)") is spread over the
body's columns, the cells of the upper row that the lower one subdivides
dividing it evenly. A row that numbers the columns ("1 | 2 | 3 ...") is skipped.

The result is a list of :class:`StackedTable`: each cell's text and source span,
row by row, and each column's header words (the upper row's and the lower row's
words joined), which :mod:`parstats.extraction.tables` reads like the header of
a ``|`` table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Token", "StackedTable", "read_blocks", "MAX_WIDTH"]

MAX_WIDTH = 40
"""The widest table body looked for (cells per row)."""

_MIN_BARS = 8  # a block with fewer bar lines is a page's header layout, not a table
_MAX_HEADER_TOKENS = 80  # the body starts within this many tokens of the block's start
_BAR = re.compile(r"[ \t]*\|[ \t]*")
_BAR_LINE = re.compile(r"^[ \t]*\|[ \t]*$", re.MULTILINE)  # a line that _BAR fullmatches
# The end of a bar-only line: its bar, led by a literal the engine scans for quickly.
_BAR_END = re.compile(r"\|[ \t]*$", re.MULTILINE)
# A blank line (nothing but whitespace, what ``str.strip`` removes), from the line break
# before it: a literal, which the engine scans for quickly.
_BLANK_AFTER_BREAK = re.compile(r"\n[^\S\n]*$", re.MULTILINE)
_MARKS = " \t*_"
_INTEGER = re.compile(r"\d{1,3}")


def _next_bar_line(text: str, pos: int) -> int:
    """Return where the first bar-only line starting at or after ``pos`` starts (-1: none).

    What ``_BAR_LINE.search(text, pos)`` finds (``pos`` a line's start), found from the
    bars: a bar with nothing but spaces after it, then nothing but spaces before it.
    """
    m = _BAR_END.search(text, pos)
    while m is not None:
        bar = m.start()
        start = text.rfind("\n", 0, bar) + 1
        if start >= pos and not text[start:bar].strip(" \t"):
            return start
        m = _BAR_END.search(text, m.end())
    return -1


@dataclass(frozen=True)
class Token:
    """One cell: its words (lines joined, emphasis kept) and its span in the source."""

    text: str
    start: int
    end: int

    @property
    def empty(self) -> bool:
        """Whether the cell holds no words."""
        return not self.text.strip(_MARKS)


@dataclass(frozen=True)
class StackedTable:
    """A table written one cell per line, rebuilt.

    Attributes
    ----------
    header
        The words of each column's header, one tuple per column of the body: the upper
        header row's cell over it, then the lower row's (one part where the header has
        one row).
    rows
        The body's rows, each a tuple of ``width`` cells.
    """

    header: tuple[tuple[str, ...], ...]
    rows: tuple[tuple[Token, ...], ...]

    @property
    def width(self) -> int:
        """The number of columns."""
        return len(self.header)


def _blocks(text: str) -> list[list[Token]]:
    """Return the tokens of every block of lines that holds bar-only lines.

    A block runs from a bar-only line over the following non-blank lines; a blank
    line ends it. Its tokens are the cells between consecutive bar lines.
    """
    out: list[list[Token]] = []
    pos = 0
    size = len(text)
    while pos <= size:
        # Outside a block only a bar-only line matters: go to the next.
        pos = _next_bar_line(text, pos)
        if pos < 0:
            break
        # The block's lines, split at once: up to the first blank line (or the end).
        # (The bar line is not blank: a blank line after it follows a line break, which
        # ends the block.)
        blank = _BLANK_AFTER_BREAK.search(text, pos)
        stop = blank.start() if blank is not None else size
        tokens: list[Token] = []
        bars = 0
        cell_start = last_start = -1
        last = ""  # the cell's last line so far (its end is the cell's), from last_start
        words: list[str] = []
        for line in text[pos:stop].split("\n"):
            # What _BAR.fullmatch(line) asks, without the regex.
            if "|" in line and line.strip(" \t") == "|":
                if bars:
                    tokens.append(
                        Token(" ".join(words), cell_start, last_start + len(last.rstrip()))
                        if words
                        else Token("", pos, pos)
                    )
                bars += 1
                words = []
            else:
                if not words:
                    cell_start = pos + len(line) - len(line.lstrip())
                words.append(line.strip())
                last_start, last = pos, line
            pos += len(line) + 1
        if bars >= _MIN_BARS:
            out.append(tokens)
        if blank is None:
            break
        pos = blank.end() + 1  # the line after the blank one
    return out


def _fits(tokens: list[Token], start: int, width: int) -> bool:
    """Whether rows of ``width`` cells and one empty token run from ``start`` to the end."""
    n = len(tokens)
    rows = (n - start + 1) // (width + 1)
    if rows < 2:
        return False
    for k in range(start + width, n, width + 1):
        if not tokens[k].empty:
            return False
    # The block ends where a row ends: after its last cell (no end token) or its end token.
    return (n - start) % (width + 1) in (0, width)


def _body(tokens: list[Token]) -> tuple[int, int] | None:
    """Return where the body starts and its width.

    The narrowest width for which rows run from some start to the end of the block,
    and the first such start: a header of few wide cells over a body of narrow rows
    can also be cut in a few wide "rows", never in narrower ones.
    """
    limit = min(len(tokens), _MAX_HEADER_TOKENS)
    empty = [t.empty for t in tokens]  # read once, not at every width and start tried
    starts = [k for k in range(limit) if k == 0 or empty[k - 1]]
    n = len(tokens)
    for width in range(2, MAX_WIDTH + 1):
        for start in starts:
            # What _fits(tokens, start, width) says, from the flags read once.
            if (
                (n - start + 1) // (width + 1) >= 2
                and (n - start) % (width + 1) in (0, width)
                and all(empty[start + width :: width + 1])
            ):
                return start, width
    return None


def _header_rows(tokens: list[Token]) -> list[list[str]]:
    """Split the tokens before the body into header rows at empty tokens.

    A row that only numbers the columns ("1 | 2 | 3 | ...") says nothing and is left out.
    """
    rows: list[list[str]] = [[]]
    for token in tokens:
        if token.empty:
            if rows[-1]:
                rows.append([])
        else:
            rows[-1].append(_plain(token.text))
    return [row for row in rows if row and not _numbers_columns(row)]


_EMPHASIS = re.compile(r"[*_]+")


def _plain(text: str) -> str:
    """Return a cell's words without emphasis marks ("Lượng** **(Tấn)" -> "Lượng (Tấn)")."""
    return " ".join(_EMPHASIS.sub(" ", text).split())


def _numbers_columns(row: list[str] | tuple[str, ...]) -> bool:
    """Whether a row numbers the columns: 1, 2, 3 ... (its empty cells aside)."""
    values = [v for v in (cell.strip(_MARKS + "()") for cell in row) if v]
    if len(values) < 3 or not all(_INTEGER.fullmatch(v) for v in values):
        return False
    numbers = [int(v) for v in values]
    return all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))


def _spread(rows: list[list[str]], width: int) -> tuple[tuple[str, ...], ...]:
    """Return each body column's header words from header rows of fewer cells.

    One row of ``width`` cells is the header. Two rows: the lower one subdivides the
    last ``s`` cells of the upper one, each into ``len(lower) / s`` columns (``s`` is
    what makes the widths add up); the words of a subdivided cell lead those of its
    columns. Anything else: columns without header words.
    """
    if not rows:
        return ((),) * width
    upper = rows[0]
    if len(upper) == width:
        if len(rows) > 1 and len(rows[1]) == width:
            return tuple((a, b) for a, b in zip(upper, rows[1], strict=True))
        return tuple((a,) for a in upper)
    if len(rows) > 1:
        lower = rows[1]
        split = len(upper) + len(lower) - width
        if 1 <= split <= len(upper) and len(lower) % split == 0:
            each = len(lower) // split
            kept = upper[: len(upper) - split]
            spread = [(upper[len(kept) + k // each], cell) for k, cell in enumerate(lower)]
            return tuple([(a,) for a in kept] + spread)
    return ((),) * width


def _enough_bars(text: str) -> bool:
    """Whether ``text`` holds the bar-only lines of one block at least (most tables have none)."""
    pos, found = 0, 0
    while (pos := _next_bar_line(text, pos)) >= 0:
        found += 1
        if found >= _MIN_BARS:
            return True
        pos += 1
    return False


def read_blocks(text: str) -> list[StackedTable]:
    """Return the tables of ``text`` written one cell per line.

    Parameters
    ----------
    text
        The NFC text.

    Returns
    -------
    list of StackedTable
        In document order; a block whose rows have no common width is not a table.
    """
    if "\n|" not in text or not _enough_bars(text):
        return []
    out = []
    for tokens in _blocks(text):
        found = _body(tokens)
        if found is None:
            continue
        start, width = found
        rows = tuple(
            row
            for row in (
                tuple(tokens[k : k + width])
                for k in range(start, len(tokens) - width + 1, width + 1)
            )
            if not _numbers_columns([t.text for t in row])
        )
        out.append(StackedTable(_spread(_header_rows(tokens[:start]), width), rows))
    return out
