"""Sentences and clauses: where a plan's numbers are read, and the words each number owns.

The ``sentences`` component yields the sentences of the logical lines worth reading
(a line with a hint of a number expression, a table row whose unit column makes its
bare numbers values); the ``scopes`` component gives each number its own words, the
words on its other side, and its clause to the end.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import partial
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np  # (the extraction's outputs are pandas frames: NumPy is loaded anyway)

from parstats import rules
from parstats.extraction.doc import Number, PlanDoc, Sentence
from parstats.extraction.guard import MAX_SENTENCE_CHARS
from parstats.extraction.numbers import HINT
from parstats.extraction.pipeline import component
from parstats.extraction.strings import WINDOW, lower

if TYPE_CHECKING:  # pragma: no cover
    from parstats.extraction.tables import Tables
    from parstats.extraction.view import ParseView

__all__ = [
    "BOUNDARY",
    "may_have_boundary",
    "lines_to_read",
    "split_sentences",
    "pieces",
    "split_point",
    "scopes_of",
    "sentences",
    "scopes",
]

# Clause boundaries inside a sentence ("; ", ": ", "trong đó"); the words every boundary
# holds are derived from the pattern.
_BOUNDARY_SOURCE = r";|:\s|\btrong (?:số )?đó\b,?"


# Compiled with the "\b" before "trong" written as a lookbehind after its "t" (the same
# matches): every branch then starts with a literal character, which the engine scans
# for quickly, about twice as fast as behind a leading lookahead (:func:`rules.lead`).
BOUNDARY = re.compile(_BOUNDARY_SOURCE.replace(r"\btrong", r"t(?<!\wt)rong"))


# Whether a text holds what every BOUNDARY match needs (else none is sought).
may_have_boundary = rules.any_in(rules.anchors_of([_BOUNDARY_SOURCE]))


# A sentence's end: ". ", "! ", "? " before more text, or the line's end. (Each branch
# starts with a literal character, not a class, so the engine scans for the four
# quickly instead of trying the pattern at every position: half the work.)
_SENTENCE_END = re.compile(r"\.[^\S\n]+(?=\S)|![^\S\n]+(?=\S)|\?[^\S\n]+(?=\S)|\n")


def _number_starts(text: str) -> list[int] | None:
    r"""Return where the runs of ASCII digits of ``text`` start, or ``None``.

    ``None`` when the text may hold a decimal digit that is not ASCII (``\d`` matches
    those too; Unicode has none in U+0080..U+065F nor in U+1C5A..U+A61F, where
    Vietnamese letters and punctuation are) or a character outside the Basic
    Multilingual Plane: the caller then scans the text with the regex engine.
    """
    codes = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")
    if len(codes) != len(text) or (
        len(codes) and (codes.max() >= 0xA620 or ((codes >= 0x660) & (codes < 0x1C5A)).any())
    ):
        return None
    digits = (codes - 48) < 10  # (unsigned: below "0" wraps round to a large number)
    found = (np.flatnonzero(digits[1:] > digits[:-1]) + 1).tolist()
    if len(digits) and digits[0]:
        found.insert(0, 0)
    return found


def _hint_search(vtext: str) -> Callable[[int], re.Match[str] | None]:
    r"""Return ``search(pos)``, the same as ``HINT.search(vtext, pos)`` for increasing ``pos``.

    A hint starts at the first digit of a number (``\d(?<!\d\d)``): it is sought at
    those only, found with NumPy, instead of at every character. The regex engine
    tries a character class at each position of a text ten times slower than this
    (the scan was most of the work of the component).
    """
    starts = _number_starts(vtext)
    if starts is None:
        return partial(HINT.search, vtext)
    match = HINT.match
    n = len(starts)
    k = 0

    def search(pos: int) -> re.Match[str] | None:
        nonlocal k
        k = bisect_left(starts, pos, k)
        while k < n:
            m = match(vtext, starts[k])
            if m is not None:
                return m
            k += 1
        return None

    return search


def lines_to_read(vtext: str, view: ParseView, tables: Tables) -> Iterator[tuple[int, int]]:
    """Yield the spans of the logical lines worth reading closely, in order.

    A line with a hint of a number expression (:data:`HINT`), and a table row whose
    unit column makes its bare numbers values.
    """
    rows: list[int] = []
    if tables.any:
        rows = sorted({vtext.rfind("\n", 0, view.to_view(p)) + 1 for p in tables.unit_rows()})
    search = _hint_search(vtext)
    if not rows:
        # Most plans: the lines with a hint only.
        m = search(0)
        while m is not None:
            line_start = vtext.rfind("\n", 0, m.start()) + 1
            line_end = vtext.find("\n", m.end())
            if line_end < 0:
                line_end = len(vtext)
            yield line_start, line_end
            m = search(line_end)
        return
    k = 0
    m = search(0)
    while m is not None or k < len(rows):
        hint_start = vtext.rfind("\n", 0, m.start()) + 1 if m is not None else len(vtext) + 1
        if k < len(rows) and rows[k] < hint_start:
            line_start = rows[k]
            line_end = vtext.find("\n", line_start)
        else:
            line_start = hint_start
            line_end = vtext.find("\n", m.end())  # type: ignore[union-attr]
        if line_end < 0:
            line_end = len(vtext)
        yield line_start, line_end
        while k < len(rows) and rows[k] <= line_end:
            k += 1
        # The next line with a hint. Going on hint by hint would find the same one: a
        # hint that runs over the line's end ("95\n%") goes on with spaces and a unit
        # word only, where no hint (which starts with a digit) can begin.
        if m is not None and m.start() <= line_end:
            m = search(line_end)


def split_sentences(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Split ``text[lo:hi]`` (one logical line) into sentence spans."""
    spans: list[tuple[int, int]] = []
    pos = lo
    for m in _SENTENCE_END.finditer(text, lo, hi):
        if m.group(0) != "\n":
            nxt = text[m.end()]
            if nxt.islower() or nxt in ",;:)":
                continue  # "... năm 2021. theo" is not a sentence end
        end = m.end() if m.group(0) != "\n" else m.start()
        if end > pos:
            spans.append((pos, end))
        pos = m.end()
    if pos < hi:
        spans.append((pos, hi))
    return spans


def split_point(sentence: str, left: Number, right: Number) -> int:
    """Where the words of ``left`` end and those of ``right`` begin (between the two numbers)."""
    a, b = left.cand.end, right.cand.start
    between = sentence[a:b]
    last = None
    for m in BOUNDARY.finditer(between):
        last = m
    if last is not None:
        return a + last.start()
    paren = between.rfind("(")
    if paren >= 0 and ")" not in between[paren:]:
        # "95% X (hiện nay đạt 89,7%)": the parenthesis holds the second number's words.
        return a + paren
    if right.backward and not left.backward:
        comma = between.find(",")
        if comma >= 0:
            return a + comma
    return b if not right.backward else a


def scopes_of(
    sentence: str, readings: list[Number], splits: list[int], i: int, bounded: bool = True
) -> tuple[str, str, str]:
    """Return the own (primary), other-side and extended words of number ``i``.

    ``splits[k]`` is the :func:`split_point` of numbers ``k`` and ``k + 1``;
    ``bounded=False`` says the sentence has no clause boundary (:func:`may_have_boundary`).
    """
    r = readings[i]
    c = r.cand
    lo = max(0, c.start - WINDOW)
    hi = min(len(sentence), c.end + WINDOW)
    back_start = lo
    fwd_end = hi
    if bounded:
        for m in BOUNDARY.finditer(sentence, lo, c.start):
            back_start = m.end()
        m = BOUNDARY.search(sentence, c.end, hi)
        if m:
            fwd_end = m.start()
    clause_end = fwd_end
    if i > 0:
        split = splits[i - 1]
        back_start = max(back_start, split if split < c.start else readings[i - 1].cand.end)
    if i + 1 < len(readings):
        split = splits[i]
        fwd_end = min(fwd_end, max(split, c.end) if split > c.end else readings[i + 1].cand.start)
    backward_words = sentence[back_start : c.start]
    forward_words = sentence[c.end : fwd_end]
    extended = sentence[c.end : clause_end]
    if r.backward:
        return backward_words, forward_words, extended
    return forward_words, backward_words, extended


@component("sentences", requires=("view", "tables"), assigns=("sentences",))
def sentences(doc: PlanDoc) -> None:
    """Find the sentences worth reading (layer ``sentences``), in order."""
    view, tables = doc.view, doc.tables
    vtext = view.text
    out = doc.sentences
    for line_start, line_end in lines_to_read(vtext, view, tables):
        for lo, hi in split_sentences(vtext, line_start, line_end):
            for a, b in pieces(vtext, lo, hi):  # a long sentence is read in pieces
                text = vtext[a:b]
                # A table row: each number reads its own cell and the row's label only.
                in_table = tables.any and tables.is_row(view.to_source(a))
                out.append(Sentence(a, text, lower(text), in_table))


# Where a long sentence may be cut: after a ";" or "," and a space, else at a space that
# neither follows a digit nor precedes a "%" (a number keeps its unit).
_CUT = re.compile(r"[;,]\s+|(?<!\d)\s+(?!%)")


def pieces(
    text: str, a: int, b: int, limit: int = MAX_SENTENCE_CHARS
) -> Iterator[tuple[int, int]]:
    """Yield the sentence ``text[a:b]``, cut in pieces of at most ``limit`` characters.

    Real plans' sentences are far shorter; an OCR dump or a table without line breaks
    is not, and reading it whole would make every number's work grow with it.
    """
    while b - a > limit:
        window = text[a + limit // 2 : a + limit]
        cut = None
        for m in _CUT.finditer(window):
            cut = m
        end = a + limit // 2 + cut.end() if cut is not None else a + limit
        yield a, end
        a = end
    yield a, b


@component(
    "scopes", requires=("numbers", "number.cell", "number.backward"), assigns=("number.scopes",)
)
def scopes(doc: PlanDoc) -> None:
    """Give every number its own words, the words on its other side and its clause."""
    for sentence in doc.sentences:
        numbers = sentence.numbers
        if not numbers:
            continue
        low = sentence.low
        splits = [split_point(low, left, right) for left, right in pairwise(numbers)]
        bounded = may_have_boundary(low)
        for i, number in enumerate(numbers):
            if number.cell is not None:
                number.scopes = (lower(number.cell.label), "", "")
            else:
                number.scopes = scopes_of(low, numbers, splits, i, bounded)
