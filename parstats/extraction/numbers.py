"""Number expressions: the spans of a sentence that may be targets.

A number with its unit ("80%", "3 bậc", "15 đơn vị", "25% - 35%"), a rank led by
its word ("nhóm 20", "thứ hạng 20"), and in a table row whose unit column gives a
unit, a bare value cell ("| 60 |"). The unit words are those of
``parstats/lang/vi/units.csv``; the line scan (:data:`HINT`) is built from the same
rows.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from parstats import rules
from parstats.errors import InputError
from parstats.extraction.cues import COMPARATORS, UNITS
from parstats.extraction.doc import Candidate, Number, PlanDoc
from parstats.extraction.guard import check
from parstats.extraction.pipeline import component
from parstats.extraction.strings import WINDOW, number_value

if TYPE_CHECKING:  # pragma: no cover
    from parstats.extraction.tables import Tables
    from parstats.extraction.view import ParseView

__all__ = [
    "HINT",
    "RANK_CONTEXT",
    "RANK_BEFORE",
    "candidates",
    "is_amount",
    "with_bare_cells",
    "numbers",
]

_UNIT_WORDS = UNITS.alternation("after", ("percent", "rank_places"))
_PERCENT_WORDS = UNITS.alternation("after", "percent")
_PLACE_WORDS = UNITS.alternation("after", "rank_places")
# A number expression led by its digits; the lookbehind after the first digit keeps
# the engine's fast digit scan and refuses "19/6/2015", "9001:2015" and year ranges.
_NUMBER_FIRST = re.compile(
    r"(?P<n1>\d(?<![\d.,/:\-–]\d)(?:\d|[.,](?=\d))*)"
    rf"(?:\s*%?\s*{COMPARATORS.alternation('range')}\s*(?P<n2>\d(?:\d|[.,](?=\d))*)\s*"
    rf"(?P<u2>{_UNIT_WORDS})"
    rf"|\s*(?P<u1>{_PERCENT_WORDS})"
    rf"|\s+(?P<u3>{_PLACE_WORDS})\b"
    rf"|\s+(?P<noun>{UNITS.alternation('after', 'count')})\b"
    rf"|\s+(?P<amount>{UNITS.alternation('amount')})\b)"
)


# A rank led by its word: "nhóm 20", "thứ hạng 20".
_RANK_FIRST = re.compile(
    rf"(?P<rword>{UNITS.alternation('rank_word')})\s+(?:từ\s+)?"
    r"(?P<rank>\d{1,2})(?:/\d{2}(?![\d/]))?(?![\d/.,:%])"
)


def _last_words(table: rules.Table, where: str) -> tuple[str, ...]:
    """Return the last word of every text the rows of ``where`` match, in row order."""
    out: dict[str, None] = {}
    for row in table.select(where):
        texts = rules.expansions(row.regex)
        if texts is None:
            raise InputError(
                "a rank word must be plain words (the hint scan is built from its last word)",
                path=row.path,
                line=row.line,
                value=row.phrase,
            )
        for text in texts:
            out[text.split()[-1]] = None
    return tuple(out)


# The last words of the rank words: "thứ hạng 20" ends with "hạng", "xếp thứ 6" with "thứ".
_RANK_LAST = _last_words(UNITS, "rank_word")


_RANK_HINT = re.compile(rf"(?:{'|'.join(map(re.escape, _RANK_LAST))})\s+(?:từ\s+)?\d")


_may_rank = rules.any_in(_RANK_LAST)


def _unit_lead() -> str:
    """Return a lookahead of the characters a unit word of :data:`HINT` starts with ("" if unknown).

    Caseless (a superset for the case-sensitive words): a digit followed by no unit
    word ("2025", "Điều 3") fails at one character test, not at every word's.
    """
    after = rules.first_chars(UNITS.alternation("after"))
    amount = rules.first_chars(UNITS.alternation("amount"), re.IGNORECASE)
    if after is None or amount is None:
        return ""
    chars = "".join(sorted(set(after) | set(amount)))
    return f"(?=(?i:[{re.escape(chars)}]))"


def _by_first_letter(pattern: str) -> str:
    r"""Return ``pattern`` (plain words) as alternatives grouped by their first letter.

    ``(?:tấn|ha|triệu usd)`` -> ``(?:t(?:ấn|riệu\ usd)|h(?:a))``: the engine tries one
    letter per group instead of every word (caseless words are not skipped at their
    first letter otherwise). Words of one first letter keep their order, and words of
    different first letters never match at one place: the same matches. ``pattern``
    as it is where its words cannot be listed.
    """
    texts = rules.expansions(pattern)
    if texts is None or any(not t or t[0].lower() != t[0] for t in texts):
        return pattern
    groups: dict[str, list[str]] = {}
    for text in texts:
        groups.setdefault(text[0], []).append(re.escape(text[1:]))
    return "(?:" + "|".join(
        f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in groups.items()
    ) + ")"


# A cheap scan for lines worth reading: a digit that may start a target expression.
# Only the first digit of a run is tried: a hint at a later digit ("95%" at the "5")
# is one at the first too, and the engine rejects the others at the lookbehind.
HINT = re.compile(
    r"\d(?<!\d\d)(?:"
    + "".join(
        f"(?<=[{w[0]}{w[0].upper()}]{re.escape(w[1:])} \\d)|" for w in (*_RANK_LAST, "từ")
    )
    + rf"[\d.,]*\s*{_unit_lead()}"
    + rf"(?:{UNITS.alternation('after')}|(?i:{_by_first_letter(UNITS.alternation('amount'))})\b))"
)


RANK_CONTEXT = re.compile(rf"^.{{0,30}}?{UNITS.alternation('rank_after')}")


RANK_BEFORE = rules.lead(UNITS.alternation("rank_before"))


def candidates(sentence: str) -> list[Candidate]:
    """Find the number expressions of one (lower-case) sentence that may be targets."""
    out: list[Candidate] = []
    for m in _NUMBER_FIRST.finditer(sentence):
        lo = number_value(m.group("n1"))
        if lo is None:
            continue
        if m.group("u2") is not None:
            hi = number_value(m.group("n2"))
            if hi is None:
                continue
            percent = UNITS.value_of(m.group("u2"), "after") == "percent"
            unit = "percent" if percent else "rank_places"
            if unit == "rank_places" and (lo > 99 or hi > 99):
                continue
            if lo < hi:
                out.append(Candidate(m.start(), m.end(), lo, hi, unit, None, m.group("u2")))
            else:
                out.append(Candidate(m.start("n2"), m.end(), hi, None, unit, None, m.group("u2")))
        elif m.group("u1") is not None:
            out.append(Candidate(m.start(), m.end(), lo, None, "percent", None, m.group("u1")))
        elif m.group("u3") is not None:
            if lo <= 99:
                out.append(
                    Candidate(m.start(), m.end(), lo, None, "rank_places", None, m.group("u3"))
                )
        elif lo > 0 and len(m.group("n1")) <= 9:
            word = m.group("noun") or m.group("amount")
            out.append(Candidate(m.start(), m.end(), lo, None, "count", None, word))
    if _may_rank(sentence) and _RANK_HINT.search(sentence):
        starts = [c.start for c in out]
        counts_taken: set[int] = set()
        for m in _RANK_FIRST.finditer(sentence):
            k = bisect_left(starts, m.end())
            if k > 0 and out[k - 1].end > m.start():
                if out[k - 1].unit != "count" or out[k - 1].start != m.start("rank"):
                    continue  # overlaps a number expression already found
                # "nhóm 3 đơn vị dẫn đầu": a rank among units, not a count of units.
                counts_taken.add(k - 1)
            after = sentence[m.end() : m.end() + 40]
            before = sentence[max(0, m.start() - WINDOW) : m.start()]
            if RANK_CONTEXT.search(after) or RANK_BEFORE.search(before):
                out.append(
                    Candidate(
                        m.start(), m.end(), float(m.group("rank")), None, "rank", m.group("rword")
                    )
                )
            else:
                counts_taken.discard(k - 1)
        if counts_taken:
            out = [c for k, c in enumerate(out) if k not in counts_taken]
        out.sort(key=lambda c: c.start)
    return out


def is_amount(cand: Candidate) -> bool:
    """Whether a count is an amount of a thing ("18.000 tấn"): ``units.csv`` amount rows.

    Such a count is a target only in a plan's goals (the ``activities`` filter).
    """
    return cand.word is not None and UNITS.id_of(cand.word, "amount") is not None


# A number in a sentence that no unit follows (a candidate only in a table cell).
_BARE_NUMBER = re.compile(
    r"(?<![\d.,/:])\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?(?![\d.,/:%])"  # "1.250.000"
    r"|(?<![\d.,/:])\d{1,3}(?:[.,]\d+)?(?![\d.,/:%])"
)


def with_bare_cells(
    cands: list[Candidate], sentence: str, offset: int, view: ParseView, tables: Tables
) -> list[Candidate]:
    """Add the bare numbers of a table row's value cells where its unit column gives a unit.

    A number expression that runs over a cell's edge ("| Thứ hạng | 42 |" read as
    "thứ hạng 42") is not one.
    """
    text = tables.text
    kept = []
    for c in cands:
        a, b = view.span_to_source(offset + c.start, offset + c.end)
        if "|" not in text[a:b] and "\t" not in text[a:b]:
            kept.append(c)
    cands = kept
    starts = [c.start for c in cands]  # sorted, and the spans do not overlap
    extra = []
    for m in _BARE_NUMBER.finditer(sentence):
        k = bisect_left(starts, m.end())
        if k > 0 and cands[k - 1].end > m.start():
            continue  # inside a number expression
        found = tables.bare_value(view.to_source(offset + m.start()))
        if found is not None:
            lo, hi, unit = found
            if hi is not None:
                continue  # a range cell ("50 - 60") is read as one by the sentence's rules
            extra.append(Candidate(m.start(), m.end(), lo, None, unit, None))
    if not extra:
        return cands
    return sorted(cands + extra, key=lambda c: c.start)


@component("numbers", requires=("sentences", "tables", "view"), assigns=("numbers",))
def numbers(doc: PlanDoc) -> None:
    """Find every sentence's number expressions (layer ``numbers``)."""
    view, tables = doc.view, doc.tables
    found = 0
    limit = doc.clock.max_numbers if doc.clock is not None else None
    for sentence in doc.sentences:
        cands = candidates(sentence.low)
        if sentence.in_table:
            cands = with_bare_cells(cands, sentence.low, sentence.offset, view, tables)
        sentence.numbers = [Number(sentence, c) for c in cands]
        found += len(cands)
        if limit is not None and found > limit:
            check(doc.clock, found, f" at character {view.to_source(sentence.offset):,}")
