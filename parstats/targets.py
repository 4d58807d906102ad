"""Extract numeric targets (*chỉ tiêu*) from a plan's text.

:func:`extract_targets` reads the text the way ``docs/TARGETS.md`` tells an
annotator to: it finds every number that fixes a level the plan commits to (a
share, a rank, a move in a ranking, a count that restates a cut), and records
what the words around it say — comparator, direction, deadline, tier of
government, reform area, kind and indicator.

Every rule here is a general rule of Vietnamese plan-writing; nothing depends on
a particular document. The work is done on a cleaned parse view
(:mod:`parstats.clean`); spans are mapped back to the NFC text.
"""

from __future__ import annotations

import re
import warnings
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from parstats import rules
from parstats.clean import ParseView, parse_view, table_rows
from parstats.errors import InputError, ParstatsWarning
from parstats.outline import Outline, build_outline
from parstats.standardise import match_indicator, match_rank_indicators
from parstats.vn import nfc, parse_number

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.metadata import DocumentMeta

__all__ = ["Target", "extract_targets", "targets_frame", "TARGET_COLUMNS"]

TARGET_COLUMNS: tuple[str, ...] = (
    "doc",
    "target_no",
    "start",
    "end",
    "quote",
    "sentence",
    "value",
    "value_high",
    "unit",
    "comparator",
    "direction",
    "year",
    "level",
    "area",
    "kind",
    "indicator",
    "heading",
)


@dataclass(frozen=True)
class Target:
    """One target: a number the plan commits to, and what the text says about it.

    Attributes
    ----------
    value, value_high
        The number (``.`` decimal) and, for a range, its upper end.
    unit
        ``percent``, ``count``, ``rank`` or ``rank_places``.
    comparator
        ``ge``, ``gt``, ``eq``, ``le``, ``lt`` or ``range``.
    direction
        ``increase``, ``decrease`` or ``attain``.
    year
        Deadline year (for a baseline: the year it describes), or ``None``.
    level
        Tier of government (``vocab.LEVELS``).
    area
        Reform area of the heading the target sits under (``vocab.AREAS``).
    kind
        ``target``, ``baseline`` or ``equivalent``.
    indicator
        Indicator code of the catalogue, or ``None`` when no rule names one.
    start, end
        Span of the number expression in the NFC text (``text[start:end]``).
    sentence
        The sentence, whitespace collapsed.
    quote
        A short excerpt starting at the number, whitespace collapsed.
    heading
        The heading path, ``" > "`` joined.
    """

    value: float
    value_high: float | None
    unit: str
    comparator: str
    direction: str
    year: int | None
    level: str
    area: str
    kind: str
    indicator: str | None
    start: int
    end: int
    sentence: str
    quote: str
    heading: str


# ---------------------------------------------------------------------------
# The rule tables (parstats/lang/vi/*.csv): the words of every pattern below.
_LEVELS = rules.table("levels")
_COMPARATORS = rules.table("comparators")
_DIRECTIONS = rules.table("directions")
_UNITS = rules.table("units")
_DEADLINES = rules.table("deadline_cues")
_KINDS = rules.table("kind_cues")
_NOT_TARGETS = rules.table("not_targets")
_SECTIONS = rules.table("section_roles")

# Number expressions.
_NUM = r"\d{1,3}(?:[.,]\d+)?"
_UNIT_WORDS = _UNITS.alternation("after", ("percent", "rank_places"))
_PERCENT_WORDS = _UNITS.alternation("after", "percent")
_PLACE_WORDS = _UNITS.alternation("after", "rank_places")
# A number expression led by its digits; the lookbehind after the first digit keeps
# the engine's fast digit scan and refuses "19/6/2015", "9001:2015" and year ranges.
_NUMBER_FIRST = re.compile(
    r"(?P<n1>\d(?<![\d.,/:\-–]\d)(?:\d|[.,](?=\d))*)"
    rf"(?:\s*%?\s*{_COMPARATORS.alternation('range')}\s*(?P<n2>\d(?:\d|[.,](?=\d))*)\s*"
    rf"(?P<u2>{_UNIT_WORDS})"
    rf"|\s*(?P<u1>{_PERCENT_WORDS})"
    rf"|\s+(?P<u3>{_PLACE_WORDS})\b"
    rf"|\s+(?P<noun>{_UNITS.alternation('after', 'count')})\b)"
)
# A rank led by its word: "nhóm 20", "thứ hạng 20".
_RANK_FIRST = re.compile(
    rf"(?P<rword>{_UNITS.alternation('rank_word')})\s+(?:từ\s+)?"
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
_RANK_LAST = _last_words(_UNITS, "rank_word")
_RANK_HINT = re.compile(rf"(?:{'|'.join(map(re.escape, _RANK_LAST))})\s+(?:từ\s+)?\d")
_may_rank = rules.any_in(_RANK_LAST)
# A cheap scan for lines worth reading: a digit that may start a target expression.
# Only the first digit of a run is tried: a hint at a later digit ("95%" at the "5")
# is one at the first too, and the engine rejects the others at the lookbehind.
_HINT = re.compile(
    r"\d(?<!\d\d)(?:"
    + "".join(
        f"(?<=[{w[0]}{w[0].upper()}]{re.escape(w[1:])} \\d)|" for w in (*_RANK_LAST, "từ")
    )
    + rf"[\d.,]*\s*{_UNITS.alternation('after')})"
)
_RANK_CONTEXT = re.compile(rf"^.{{0,30}}?{_UNITS.alternation('rank_after')}")
_RANK_BEFORE = re.compile(_UNITS.alternation("rank_before"))

# Words right before a number.
_COMPARATOR_BEFORE = re.compile(
    rf"(?P<w>{_COMPARATORS.alternation('before')})"
    rf"(?:\s+{_COMPARATORS.alternation('filler')})*\s*$",
)
_AFTER_COMPARATOR = re.compile(r"\s*(?:%\s*)?(?:" + _COMPARATORS.grouped("after") + ")")


def _comparator_after(after: str) -> str | None:
    """Return the comparator the words right after a number give ("trở lên": ``ge``)."""
    m = _AFTER_COMPARATOR.match(after)
    return m.lastgroup if m is not None else None


# "X đạt N%": the subject comes before the number.
_BACKWARD = re.compile(
    rf"{_KINDS.alternation('subject_verb')}(?:\s+{_COMPARATORS.alternation('backward')})*\s*$",
)
_may_have_subject_verb = rules.any_in(_KINDS.anchors("subject_verb"))
_DECREASE = re.compile(rf"\b{_DIRECTIONS.alternation('verb', 'decrease')}\b")
_INCREASE = re.compile(rf"\b{_DIRECTIONS.alternation('verb', 'increase')}\b")
_may_direct = rules.any_in(_DIRECTIONS.anchors("verb"))
_may_be_baseline = rules.any_in(_KINDS.anchors("baseline"))
_BASELINE = re.compile(
    _KINDS.alternation("baseline")
    + r"(?:\s+(?:tỷ lệ|chỉ số|mức|con số|kết quả)(?:\s+này)?)?"
    r"\s*(?:(?:đã|mới|chỉ)\s+)?(?:là|đạt|ở mức|khoảng)?\s*$",
)
# "(năm 2024 đạt 84,6%)" after a target: the level of an earlier year, a baseline for
# that year (if the year is before the target's).
_PAST_YEAR_VALUE = re.compile(
    r"\(\s*(?:năm|trong năm)\s+((?:19|20)\d{2})\s*,?\s*(?:(?:đã|chỉ|mới|ước)\s+)?"
    r"(?:đạt|là|ở mức|thực hiện)?\s*(?:khoảng\s+)?$"
)
# Words that open a plan's bullet without being its subject: "Phấn đấu đạt 95% X" is
# read forward, like "95% X".
_NO_SUBJECT = re.compile(rf"^[\s\-+•]*{_KINDS.alternation('opener')}?\s*$")
# A results report, not a plan: past figures are not targets.
_REPORT_HEADING = re.compile("^" + _SECTIONS.alternation("role", "report"))
# A plan's background ("Bối cảnh", "Thực trạng", "Sự cần thiết", "Kết quả ...") reports
# the past too, unless the heading also sets the plan ("Bối cảnh và mục tiêu").
# "Kết quả đo lường sự hài lòng năm 2021" reports ("Kết quả cụ thể" may plan); a budget
# section's shares ("ngân sách tỉnh ... chiếm 75%") are not reform targets.
_BACKGROUND_HEADING = re.compile("^" + _SECTIONS.alternation("role", "background"))
_SECTION_KINDS = frozenset({"roman", "article", "annex", "num1", "num2", "num3", "num4"})
_PLAN_HEADING_WORDS = re.compile(_SECTIONS.alternation("plan_words"))
# A list item with its own verb does not share the qualifier of the one before it.
_OWN_VERB = re.compile(rf"\b{_KINDS.alternation('own_verb')}\b|.{{60}}")
_COMMITMENT = re.compile(_NOT_TARGETS.alternation("commitment"))
_PAST = re.compile(_NOT_TARGETS.alternation("past"))
_may_be_past = rules.any_in(_NOT_TARGETS.anchors("past"))
# A place reported with its denominator: "xếp thứ 58/63", "đứng thứ 55/63".
_RESULT_RANK = re.compile(rf"{_NOT_TARGETS.alternation('result_rank')}\s+thứ\s+\d{{1,2}}/\d{{2}}\b")
# A sentence that quotes a central document's targets: "Theo Nghị quyết số 76/NQ-CP, ...".
_CITED_TARGETS = re.compile(
    r"[\s\-+•]*(?:[a-zđ]\)\s*|\(?\d{1,2}[.)]\s*)?theo\s+"
    + _NOT_TARGETS.alternation("cited_document")
    + r"\s+(?:số\s+)?\S+/"
    + _NOT_TARGETS.alternation("cited_symbol")
    + r"\b"
)
# An item's closing deadline: "..., hoàn thành trong năm 2024.", "trước ngày 15/12/2025".
_CLOSING_DEADLINE = re.compile(
    _DEADLINES.alternation("closing")
    + r"\s+(?:năm|quý \w+/?\s*(?:năm)?)?\s*((?:19|20)\d{2})\b[^;\d]{0,20}$|"
    + _DEADLINES.alternation("closing_date")
    + r" \d{1,2}/\d{1,2}/((?:19|20)\d{2})\b[^;\d]{0,20}$"
)
_may_close = rules.any_in(
    rules.anchors_of(_DEADLINES.regexes("closing") + _DEADLINES.regexes("closing_date"))
)
# A clause led by its year: "Năm 2021, Chỉ số CCHC của tỉnh đạt 89,05%".
# (Led by its literal "năm", which the engine finds quickly; what stands before it is
# checked by :func:`_leads_clause`.)
_PAST_LEAD = re.compile(r"năm\s+((?:19|20)\d{2})\s*,")


def _leads_clause(sentence: str, at: int) -> bool:
    """Whether position ``at`` opens the sentence, a clause or a list item."""
    return sentence[:at].rstrip()[-1:] in ("", ";", ":", "(", "-", "+", "•")
# The settings of a survey or an index's formula: "độ tin cậy 95%, sai số cho phép ±3%",
# "bằng 10% số mẫu", "trọng số 20%".
_SURVEY_BEFORE = re.compile(
    _NOT_TARGETS.alternation("survey_before") + r"\s*(?:là\s+|bằng\s+|khoảng\s+)?$"
)
_SURVEY_AFTER = re.compile(rf"\s*{_NOT_TARGETS.alternation('survey_after')}\b")
# The words that may stand between a tier and its number: "cấp tỉnh đạt tối thiểu 90%".
_LEAD_QUALIFIER = re.compile(rf"\s*(?:đạt|là|:)?\s*{_COMPARATORS.alternation('lead')}?\s*$")
_WORD = re.compile(r"\w")
_LEAD_PREPOSITION = re.compile(r"^\s*(?:và\s+)?(?:(?:riêng|đối với|tại|ở)\s+)?")
_ONE_LEVEL = rf"(?:các\s+)?(?:ubnd\s+)?cấp {_LEVELS.alternation('after_cap')}\b"
# "đạt 100% ở cấp tỉnh và cấp huyện, 90% ở cấp xã": the tiers follow their number.
_TRAIL_TIER = re.compile(
    rf"\s*(?:đối với|tại|ở)\s+(?P<t>{_ONE_LEVEL}(?:\s*(?:,|và)\s*{_ONE_LEVEL})*)"
)
# The words between two items of one list that differ only in their tier.
_TIER_ONLY_GAP = re.compile(rf"\s*(?:(?:đối với|tại|ở)\s+)?{_ONE_LEVEL}\s*(?:,|và)\s*")
# A list of numbers closed by the tiers they go to ("70%, 60% và 50% ở cấp tỉnh,
# cấp huyện và cấp xã") is read one tier to each number, as with "lần lượt".
_LIST_TIERS_AFTER = re.compile(r"\s*%?\s*(?:đối với|tại|ở)\s+(?:các\s+)?(?:ubnd\s+)?cấp ")
# "lần lượt đạt a% và b% tại cấp tỉnh, cấp xã": one tier to each number, in order.
_RESPECTIVELY = re.compile(_KINDS.alternation("respectively"))
_may_be_respective = rules.any_in(_KINDS.anchors("respectively"))
_LIST_GAP = re.compile(r"^[\s,]*(?:và|,)?\s*$")
# A leading "Đối với cấp xã, ..." names the tier of the whole sentence.
_FOR_TIER = re.compile(
    r"(?:^|[;:]\s*|[-+•]\s+)(?:riêng\s+)?(?:đối với|riêng|tại|ở)\s+([^,;:]{3,40}),"
)
_EQUIVALENT = re.compile(_KINDS.alternation("equivalent") + r"(?:\s+(?:với|khoảng|là))?\s*$")
_may_be_equivalent = rules.any_in(_KINDS.anchors("equivalent"))

# Clause boundaries inside a sentence.
# The leading lookaheads below hold the first characters of every branch: they let
# the engine reject most positions at once instead of trying each branch there.
_BOUNDARY_SOURCE = r";|:\s|\btrong (?:số )?đó\b,?"
_BOUNDARY = rules.lead(_BOUNDARY_SOURCE)
# Whether a text holds what every _BOUNDARY match needs (else none is sought).
_may_have_boundary = rules.any_in(rules.anchors_of([_BOUNDARY_SOURCE]))


_SENTENCE_END = re.compile(r"[.!?][^\S\n]+(?=\S)|\n")

# Deadline cues.
_YEAR = r"((?:19|20)\d{2})"
_YEAR_AFTER = re.compile(
    rf"[^;.\d]{{0,40}}?\b{_DEADLINES.alternation('after')}\s+năm\s+{_YEAR}\b"
)
_YEAR_BEFORE_SOURCE = (
    # Not the end of a period: "từ năm 2020 đến năm 2025".
    r"(?<!từ năm \d{4} )(?<!từ năm \d{4})"
    rf"\b{_DEADLINES.alternation('before')}\s+năm\s+{_YEAR}\b"
    rf"|(?:^|[;:]\s*|,\s*|[-+]\s*)năm\s+{_YEAR}\s*,"
    rf"|{_DEADLINES.alternation('period')}\s+(?:19|20)\d{{2}}\s*[-–]\s*{_YEAR}\b"
)
_YEAR_BEFORE = rules.lead(_YEAR_BEFORE_SOURCE)
_may_have_year_before = rules.any_in(rules.anchors_of([_YEAR_BEFORE_SOURCE]))

# Tiers of government: the words that name each (levels.csv), one named group per level.
def _group(level: str) -> str:
    return level.replace("+", "_")


def _tier_pattern(values: tuple[str, ...] | None = None) -> re.Pattern[str]:
    # The lookahead lets the engine skip quickly to word starts that can begin a mention.
    return rules.lead(r"\b(?:" + _LEVELS.grouped("name", _group, values) + ")")


_TIER = _tier_pattern()
# One tier per mention: "cấp huyện và cấp xã" is two.
_SINGLE_TIER = _tier_pattern(("province", "district", "commune"))
# Whether a text holds one of the words every _TIER mention has (else it names no tier).
_may_name_tier = rules.any_in(_LEVELS.anchors("name"))
_TIER_SETS = {
    _group(level): (
        {"province", "district", "commune"} if level == "all" else set(level.split("+"))
    )
    for level in dict.fromkeys(r.value for r in _LEVELS.select("name"))
}
_TIER_GAP_OK = re.compile(r"^[^.;:()\d]{0,40}$")
_TIER_GAP_LINK = re.compile(r",|\bvà\b|\bhoặc\b")
_TIER_GAP_BREAK = re.compile(r"\b(?:với|giữa|đến|của|thuộc|cho|tại)\b")

_WINDOW = 300  # characters of context looked at on either side of a number


class _Candidate(NamedTuple):
    """A number expression found in a sentence (positions relative to the sentence).

    (Named tuples, not dataclasses: thousands are made per plan, and a tuple is
    several times cheaper to create than a frozen dataclass.)
    """

    start: int
    end: int
    value: float
    value_high: float | None
    unit: str
    rank_word: str | None


class _Reading(NamedTuple):
    """What the words around one candidate say, before inheritance."""

    cand: _Candidate
    comparator: str | None
    direction: str | None
    kind: str
    backward: bool
    year: int | None = None  # the year a baseline describes, where its words say it


@lru_cache(maxsize=4096)
def _number(text: str) -> float | None:
    try:
        return parse_number(text)
    except ValueError:
        return None


def _candidates(sentence: str) -> list[_Candidate]:
    """Find the number expressions of one (lower-case) sentence that may be targets."""
    out: list[_Candidate] = []
    for m in _NUMBER_FIRST.finditer(sentence):
        lo = _number(m.group("n1"))
        if lo is None:
            continue
        if m.group("u2") is not None:
            hi = _number(m.group("n2"))
            if hi is None:
                continue
            percent = _UNITS.value_of(m.group("u2"), "after") == "percent"
            unit = "percent" if percent else "rank_places"
            if unit == "rank_places" and (lo > 99 or hi > 99):
                continue
            if lo < hi:
                out.append(_Candidate(m.start(), m.end(), lo, hi, unit, None))
            else:
                out.append(_Candidate(m.start("n2"), m.end(), hi, None, unit, None))
        elif m.group("u1") is not None:
            out.append(_Candidate(m.start(), m.end(), lo, None, "percent", None))
        elif m.group("u3") is not None:
            if lo <= 99:
                out.append(_Candidate(m.start(), m.end(), lo, None, "rank_places", None))
        elif lo > 0 and len(m.group("n1")) <= 9:
            out.append(_Candidate(m.start(), m.end(), lo, None, "count", None))
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
            before = sentence[max(0, m.start() - _WINDOW) : m.start()]
            if _RANK_CONTEXT.search(after) or _RANK_BEFORE.search(before):
                out.append(
                    _Candidate(
                        m.start(), m.end(), float(m.group("rank")), None, "rank", m.group("rword")
                    )
                )
            else:
                counts_taken.discard(k - 1)
        if counts_taken:
            out = [c for k, c in enumerate(out) if k not in counts_taken]
        out.sort(key=lambda c: c.start)
    return out


def _read(sentence: str, cand: _Candidate, prev_end: int) -> _Reading:
    """Read comparator, direction, kind and orientation from the words around a number."""
    pre = sentence[max(prev_end, cand.start - 60) : cand.start]
    tail = pre[-40:]  # the words that qualify a number stand right before it
    after = sentence[cand.end : cand.end + 20]
    comparator = None
    if cand.value_high is not None:
        comparator = "range"
    elif cand.unit == "rank":
        # "nhóm 20" is within the top 20; "thứ hạng 20 trở lên" too.
        if _comparator_after(after) == "ge":
            comparator = "le"
        else:
            comparator = _UNITS.value_of(cand.rank_word or "", "rank_word") or "eq"
    else:
        comparator = _comparator_after(after)
        if comparator is None:
            m = _COMPARATOR_BEFORE.search(tail)
            if m is not None:
                comparator = _COMPARATORS.value_of(m.group("w"), "before") or None
    # The number's clause: the words after the last break (one of ",;:()").
    cut = max(pre.rfind(","), pre.rfind(";"), pre.rfind(":"), pre.rfind("("), pre.rfind(")"))
    clause = pre[cut + 1 :]
    direction = None
    if _may_direct(clause):
        last_dec = [d.end() for d in _DECREASE.finditer(clause)]
        last_inc = [d.end() for d in _INCREASE.finditer(clause)]
        if last_dec or last_inc:
            later_dec = max(last_dec, default=-1) > max(last_inc, default=-1)
            direction = "decrease" if later_dec else "increase"
    kind = "target"
    year = None
    if _may_be_baseline(tail) and _BASELINE.search(tail):
        kind = "baseline"
    elif _may_be_equivalent(tail) and _EQUIVALENT.search(tail):
        kind = "equivalent"
    elif "(" in tail and "năm" in tail:
        m = _PAST_YEAR_VALUE.search(tail)
        if m is not None:
            kind, year = "baseline", int(m.group(1))
    backward = False
    if _may_have_subject_verb(tail):
        m = _BACKWARD.search(clause)
        # "Phấn đấu đạt 95% X": nothing before the verb is its subject; X follows.
        backward = m is not None and not _NO_SUBJECT.match(clause[: m.start()])
        if m is None:
            backward = bool(_BACKWARD.search(tail))
    return _Reading(cand, comparator, direction, kind, backward, year)


def _tiers(scope: str, backward: bool) -> str | None:
    """Return the level named in ``scope``: the mention nearest the number and its coordinates."""
    if not _may_name_tier(scope):
        return None
    mentions = [(m.start(), m.end(), m.lastgroup) for m in _TIER.finditer(scope)]
    if not mentions:
        return None
    if backward:
        mentions.reverse()
    chosen = [mentions[0]]
    for mention in mentions[1:]:
        last = chosen[-1]
        gap = scope[last[1] : mention[0]] if not backward else scope[mention[1] : last[0]]
        if (
            _TIER_GAP_OK.match(gap)
            and _TIER_GAP_LINK.search(gap)
            and not _TIER_GAP_BREAK.search(gap)
        ):
            chosen.append(mention)
        else:
            break
    tiers: set[str] = set()
    for _, _, group in chosen:
        tiers |= _TIER_SETS[group or "all"]
    if len(tiers) >= 3:
        return "all"
    order = [t for t in ("province", "district", "commune") if t in tiers]
    return "+".join(order)


def _level(
    sentence: str, cand: _Candidate, primary: str, secondary: str, backward: bool
) -> str | None:
    """Return the tier of one number, or ``None`` where its sentence names none.

    In order: a tier that alone leads the number ("cấp tỉnh trên 90%"); the tiers in
    the number's own words; for a number that ends its clause, the tiers before it;
    a leading "Đối với cấp xã, ..." of the sentence; the bodies an item is addressed
    to ("c) Các sở, ban, ngành và UBND cấp huyện: giảm 1,5% ...").
    """
    pre = sentence[max(0, cand.start - 60) : cand.start]
    if _may_name_tier(pre):
        lead = _lead_words(pre)
        if lead and _TIER.fullmatch(lead) is not None:
            return _tiers(lead, True) or "all"
    m = _TRAIL_TIER.match(sentence, cand.end)
    if m is not None:
        # "đạt 100% đối với cấp tỉnh, 90% đối với cấp huyện": the tier follows its number.
        return _tiers(m.group("t"), False) or "all"
    level = _tiers(primary, backward)
    if level is None and not backward and not _WORD.search(primary):
        level = _tiers(secondary, True)
    if level is None and ("đối với" in sentence or "riêng" in sentence or "tại" in sentence):
        found = None
        for m in _FOR_TIER.finditer(sentence, 0, cand.start):
            found = m
        if found is not None:
            level = _tiers(found.group(1), False)
    if level is None and ": " in sentence:
        colon = sentence.find(": ")
        if colon < cand.start:
            m = _ADDRESSEES.match(sentence, 0, colon)
            if m is not None and (len(m.group("t")) > 90 or _NOT_ADDRESSEES.search(m.group("t"))):
                m = None  # "Sở Nội vụ chủ trì, phối hợp ... thực hiện mục tiêu sau: ..."
            if m is not None and m.group("t").startswith(("sở ", "các sở ")):
                level = "province"  # "a) Sở Y tế, Sở Giáo dục và Đào tạo: giảm 2% ..."
            elif m is not None and _may_name_tier(m.group("t")):
                level = _tiers(m.group("t"), False)
    return level


# An item addressed to bodies: "c) Các sở, ban, ngành và UBND các huyện: ..." (the whole
# lead-in before the colon, after the item's marker).
_ADDRESSEES = re.compile(
    r"[\s\-+•]*(?:[a-zđ]\)|\d{1,2}[.)])?\s*(?:đối với\s+)?(?P<t>[^:;]{3,120})$"
)
# A lead-in that says what a body does, not whom the item is for.
_NOT_ADDRESSEES = re.compile(
    r"\b(?:chủ trì|phối hợp|thực hiện|trách nhiệm|tham mưu|triển khai|mục tiêu|chỉ tiêu"
    r"|phấn đấu|tỷ lệ|chỉ số)\b"
)
# A heading that names the bodies its items are for: "a) Đối với các sở, ban, ngành".
_HEADING_TIER = re.compile(r"(?:riêng\s+)?(?:đối với|riêng)\s+(?P<t>.{3,100})")


def _heading_level(outline: Outline, node: int, cache: dict[int, str | None]) -> str | None:
    """Return the tier the nearest heading over ``node`` is addressed to, if any."""
    if node in cache:
        return cache[node]
    found = None
    if node > 0:
        title = outline.node(node).title.lower()
        m = _HEADING_TIER.fullmatch(title)
        if m is not None and _may_name_tier(m.group("t")):
            found = _tiers(m.group("t"), False)
        if found is None:
            found = _heading_level(outline, outline.parents[node], cache)
    cache[node] = found
    return found


def _ends_with_tier(text: str) -> bool:
    """Whether ``text`` ends with a tier mention ("... ở cấp tỉnh")."""
    if not _may_name_tier(text):
        return False
    last = None
    for last in _TIER.finditer(text):  # noqa: B007 - the last mention is wanted
        pass
    return last is not None and not text[last.end() :].strip()


def _lead_words(pre: str) -> str:
    """Return the words of a number's clause before it, without its qualifiers.

    The clause starts after the last ``,``, ``;``, ``:`` or "và": for "cấp tỉnh trên 90%,
    cấp huyện từ 80% trở lên" the 80% has the lead words "cấp huyện".
    """
    cut = max(pre.rfind(","), pre.rfind(";"), pre.rfind(":"))
    word = pre.rfind(" và ")
    if word > cut and not _ends_with_tier(pre[cut + 1 : word]):
        # "cấp tỉnh và cấp xã đạt 98%" coordinates two tiers: the "và" joins them and
        # does not start the number's clause.
        cut = word + 3
    lead = pre[cut + 1 :]
    lead = lead[: _LEAD_QUALIFIER.search(lead).start()]
    return lead[_LEAD_PREPOSITION.match(lead).end() :].strip()


def _respective_levels(sentence: str, readings: list[_Reading]) -> dict[int, str]:
    """Give each number of a list its own tier, in order.

    "lần lượt a% và b% ... cấp tỉnh, cấp xã" (a list after "lần lượt"), or a list
    closed by its tiers ("70%, 60% và 50% ở cấp tỉnh, cấp huyện và cấp xã"). The
    tiers are counted as written; where a coordinated mention ("cấp huyện và cấp
    xã") makes the count fall short, each tier is counted on its own.
    """
    out: dict[int, str] = {}
    starts = [m.end() for m in _RESPECTIVELY.finditer(sentence)]
    firsts = {
        next((i for i, r in enumerate(readings) if r.cand.start > cue), None) for cue in starts
    }
    i = 0
    while i < len(readings):
        members = [i]
        while members[-1] + 1 < len(readings):
            k = members[-1] + 1
            gap = sentence[readings[members[-1]].cand.end : readings[k].cand.start]
            if not _LIST_GAP.match(gap):
                break
            members.append(k)
        i = members[-1] + 1
        if len(members) < 2:
            continue
        after = readings[members[-1]].cand.end
        if members[0] not in firsts and not _LIST_TIERS_AFTER.match(sentence, after):
            continue
        stop = _BOUNDARY.search(sentence, after)
        scope = sentence[after : stop.start() if stop else len(sentence)]
        tiers = [m.lastgroup or "all" for m in _TIER.finditer(scope)]
        if len(tiers) != len(members):
            tiers = [m.lastgroup or "all" for m in _SINGLE_TIER.finditer(scope)]
        if len(tiers) == len(members):
            for k, group_name in zip(members, tiers, strict=True):
                order = _TIER_SETS[group_name]
                out[k] = (
                    "all"
                    if len(order) >= 3
                    else "+".join(t for t in ("province", "district", "commune") if t in order)
                )
    return out


def _year_before(text: str) -> int | None:
    if not _may_have_year_before(text):
        return None
    year = None
    for m in _YEAR_BEFORE.finditer(text):
        year = int(next(g for g in m.groups() if g))
    return year


def _issued_year(meta: DocumentMeta | None) -> int | None:
    if meta is None or not meta.issued:
        return None
    issued = str(meta.issued)
    return int(issued[:4]) if issued[:4].isdigit() and issued[:4].isascii() else None


def _default_year(meta: DocumentMeta | None) -> int | None:
    if meta is not None and meta.period_end is not None:
        return int(meta.period_end)
    return _issued_year(meta)


def _sentences(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
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


def _split_point(sentence: str, left: _Reading, right: _Reading) -> int:
    """Where the words of ``left`` end and those of ``right`` begin (between the two numbers)."""
    a, b = left.cand.end, right.cand.start
    between = sentence[a:b]
    last = None
    for m in _BOUNDARY.finditer(between):
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


def _scopes(
    sentence: str, readings: list[_Reading], splits: list[int], i: int, bounded: bool = True
) -> tuple[str, str, str]:
    """Return the own (primary), other-side and extended words of reading ``i``.

    ``splits[k]`` is the :func:`_split_point` of readings ``k`` and ``k + 1``;
    ``bounded=False`` says the sentence has no clause boundary (:func:`_may_have_boundary`).
    """
    r = readings[i]
    c = r.cand
    lo = max(0, c.start - _WINDOW)
    hi = min(len(sentence), c.end + _WINDOW)
    back_start = lo
    fwd_end = hi
    if bounded:
        for m in _BOUNDARY.finditer(sentence, lo, c.start):
            back_start = m.end()
        m = _BOUNDARY.search(sentence, c.end, hi)
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


def _indicator_of(
    sentence: str,
    reading: _Reading,
    scopes: tuple[str, str, str],
    direction: str | None,
    previous: Target | None,
    between_prev: str = "",
) -> str | None:
    """Name the indicator of a share or count from its words.

    The target's own words come first, then the words on its other side. Then,
    for "X đạt N" (subject before the number) an elided subject is the previous
    target's ("... tại cấp huyện đạt 100% và cấp xã đạt 90%"); for "N X ..." a
    predicate shared with the numbers that follow ("100% TTHC cấp tỉnh và 70% TTHC
    cấp xã được chuẩn hóa") is read to the end of the clause.
    """
    primary, secondary, extended = scopes
    inherited = previous.indicator if previous is not None else None
    direction = direction or "attain"
    c = reading.cand
    if "hài lòng" in sentence[: c.start] and "hài lòng" not in primary:
        # "Mức độ hài lòng ... 90%; riêng lĩnh vực đất đai ... 85%": the narrowing clause
        # keeps the head noun it elides.
        for words in (primary, secondary):
            code = match_indicator("hài lòng " + words, sentence=sentence, direction=direction)
            if code in _SECTOR_SATISFACTION:
                return code
    for words in (primary, secondary):
        code = match_indicator(words, sentence=sentence, direction=direction)
        if code is not None:
            return code
    if inherited is not None and (
        _OWN_SUBJECT.search(primary)
        or _OWN_SUBJECT.search(secondary)
        or (not reading.backward and ";" in between_prev and _FORWARD_SUBJECT.match(primary))
    ):
        # "... đúng hạn đạt 98%; tỷ lệ hồ sơ trễ hạn không quá 1%": a subject of its own
        # that no rule names is not the previous target's.
        inherited = None
    if reading.backward and inherited is not None:
        return inherited
    code = match_indicator(extended, sentence=sentence, direction=direction)
    if code is not None:
        return code
    colon = sentence.rfind(": ", 0, c.start)
    if colon > 0:
        # "Tỷ lệ X: cấp tỉnh đạt 90%, cấp huyện 80%": the lead-in names every item.
        lead = sentence[sentence.rfind(";", 0, colon) + 1 : colon]
        code = match_indicator(lead, sentence=sentence, direction=direction)
        if code is not None:
            return code
    return inherited


# A target's own subject: a head word and what it counts ("tỷ lệ hồ sơ trễ hạn"), not
# a bare "đạt tỷ lệ 100%".
_OWN_SUBJECT = re.compile(r"\b(?:tỷ lệ|số lượng|mức độ|chỉ số)\s+(?!(?:đạt|là)\b)[^\W\d]")

# "...; không quá 2% số hồ sơ bị yêu cầu bổ sung": a number in a clause of its own,
# followed by the noun it counts, has a subject of its own ("kiểm tra 30% UBND cấp xã
# và 40% cơ quan cấp tỉnh" is one list that shares its verb).
_FORWARD_SUBJECT = re.compile(
    r"\s*(?:số\s+)?(?:hồ sơ|thủ tục|tthc|văn bản|cơ quan|đơn vị|cán bộ|công chức|viên chức"
    r"|người dân|doanh nghiệp|dịch vụ)\b"
)

_SECTOR_SATISFACTION = frozenset(
    {
        "satisfaction_procedures_land_construction_investment",
        "satisfaction_health_education_services",
    }
)


# The bodies a province ranks itself ("đơn vị", "sở", "huyện" right after the rank, or
# "trong khối ..."), where national rankings name provinces ("tỉnh, thành phố").
_INTERNAL_RANK = re.compile(
    rf"\s*(?:cơ quan,? )?{_NOT_TARGETS.alternation('internal_body')}(?![^;.]{{0,40}}cả nước)"
    r"|[^;.]{0,40}\b(?:trong|của) khối\b"
)


# "mỗi chỉ số tăng 3 bậc", "đều tăng 3 bậc": one move for each index named.
_EACH_INDEX = re.compile(_KINDS.alternation("each_index"))


def _rank_codes(words: str, unit: str) -> tuple[str, ...]:
    """Return the rank indicators ``words`` name; a move in a ranking other than PCI has none.

    ``(None,)`` means an index is named but the catalogue has no code for a move in it.
    """
    codes = match_rank_indicators(words, unit="rank")
    if unit == "rank" or not codes:
        return codes
    # The index nearest before the number is the one that moves.
    return ("pci_rank_change",) if codes == ("pci_rank",) or _last_index_is_pci(words) else (None,)


def _last_index_is_pci(words: str) -> bool:
    last = None
    for m in re.finditer(
        r"\bpci\b|năng lực cạnh tranh|\bpapi\b|par[\s-]*index|chỉ số cchc"
        r"|ict[\s-]*index|\bsipas\b",
        words,
    ):
        last = m.group(0)
    return last in ("pci", "năng lực cạnh tranh")


def _lower(text: str) -> str:
    """Lower-case ``text`` keeping every character's position (rules are written lower case)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def _collapse(text: str) -> str:
    """Return ``text`` with every run of whitespace one space and no space at either end."""
    # Every whitespace character but the ASCII space is unprintable: a printable text
    # without a double space or an end space is already collapsed (most sentences are).
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


# A table's header cell that names a year: "Năm 2026", "Đến năm 2030", "2030",
# "Giai đoạn 2026-2030".
_HEADER_YEAR = re.compile(
    rf"(?:(?P<label>{_DEADLINES.alternation('column')})(?:\s+(?:đạt được|đạt|thực hiện))?\s+)?"
    r"(?:(?:đến|tới|trong)\s+)?(?:hết\s+)?(?:năm\s+|giai đoạn\s+(?:19|20)\d{2}\s*[-–]\s*)?"
    r"((?:19|20)\d{2})"
)
# A column of results, not of targets: "Kết quả năm 2025", "Thực hiện 2025", "Ước đạt 2025".
def _past_column(label: str | None) -> bool:
    """Whether a column's header label says it holds results ("Kết quả năm 2025")."""
    return label is not None and _DEADLINES.value_of(label, "column") == "past"

_LETTER = re.compile(r"[^\W\d_]")


# A grid table's rule line: "+-----+------+", "+=====+".
_GRID_RULE = re.compile(r"\s*\+[-=:+]{3,}\s*")
# The header of a table's unit column, and the units its cells give to bare numbers.
_UNIT_HEADER = re.compile(_UNITS.alternation("unit_header") + r"\.?")
# Such a header as a cell of a row, in any case (a quick test before reading rows).
_UNIT_HEADER_CELL = re.compile(
    r"[|\t\n][ \t*_]*"
    + rules.caseless(t for r in _UNITS.regexes("unit_header") for t in rules.expansions(r) or ())
    + r"\.?[ \t*_]*(?:[|\t\n]|$)"
)
_CELL_UNITS = _UNITS.mapping("unit_cell")


def _unit_of(cell: str) -> str | None:
    """Return the unit a unit column's cell gives ("%" -> ``percent``), or ``None``."""
    return _CELL_UNITS.get(" ".join(cell.split()).lower().strip("* _"))


# A cell holding one bare value: "25", "≥ 84", "82,4", "50 - 60".
_BARE_CELL = re.compile(
    rf"{_COMPARATORS.alternation('cell')}?\s*(?P<n1>\d{{1,3}}(?:[.,]\d+)?)"
    rf"(?:\s*{_COMPARATORS.alternation('cell_range')}\s*(?P<n2>\d{{1,3}}(?:[.,]\d+)?))?"
)
# A number in a sentence that no unit follows (a candidate only in a table cell).
_BARE_NUMBER = re.compile(r"(?<![\d.,/:])\d{1,3}(?:[.,]\d+)?(?![\d.,/:%])")


@dataclass(frozen=True)
class _Column:
    """What a table's header says of one column."""

    year: int | None = None  # "Năm 2026", "2030"
    past: bool = False  # "Kết quả năm 2025": results, not targets
    tier: str | None = None  # "Các sở, ban, ngành", "UBND cấp xã"
    unit: bool = False  # "Đơn vị tính"

    @property
    def holds_values(self) -> bool:
        """A column of values (a year's, a tier's), not of labels, units or agencies."""
        return self.year is not None or self.tier is not None


@dataclass(frozen=True)
class _Cell:
    """Where a number sits in a table row."""

    year: int | None  # the year its column's header names
    label: str  # the row's label: its longest cell of words before the number's cell
    past: bool = False  # its column reports results ("Kết quả năm 2025"): a baseline
    tier: str | None = None  # the tier its column's header names
    unit: str | None = None  # the unit the row's unit cell gives ("%" -> percent)
    holds_values: bool = False  # its column is a year's or a tier's
    content: str = ""  # the number's own cell, as written


class _Tables:
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
        self._headers: dict[int, list[_Column]] = {}
        self._tops: dict[int, int] = {}  # a row's start -> its table's first row's start
        self._tab_starts: frozenset[int] = frozenset()
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

    def is_row(self, pos: int) -> bool:
        """Whether source position ``pos`` lies on a table row."""
        if not self.any:
            return False
        start, end = self._line(pos)
        return self._kind(start, self.text[start:end]) is not None

    def _header(self, row_start: int, kind: str) -> list[_Column]:
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

    def _columns(self, top: int, kind: str) -> list[_Column]:
        """Return what each cell of the header row at ``top`` says of its column."""
        found = self._headers.get(top)
        if found is None:
            _, end = self._line(top)
            found = []
            for cell in self._cells(self.text[top:end], kind)[0]:
                words = cell.strip(" \t*_").lower()
                m = _HEADER_YEAR.fullmatch(words)
                if m is not None:
                    past = _past_column(m.group("label"))
                    found.append(_Column(year=int(m.group(2)), past=past))
                elif _UNIT_HEADER.fullmatch(words):
                    found.append(_Column(unit=True))
                elif _may_name_tier(words) and _TIER.search(words):
                    found.append(_Column(tier=_tiers(words, False)))
                else:
                    found.append(_Column())
            self._headers[top] = found
        return found

    def cell(self, pos: int) -> _Cell | None:
        """Return what the table says of the number at source position ``pos``, if in a row."""
        if not self.any:
            return None
        start, end = self._line(pos)
        line = self.text[start:end]
        kind = self._kind(start, line)
        if kind is None:
            return None
        cells, first = self._cells(line, kind)
        at = pos - start
        sep = "|" if kind == "pipe" else "\t"
        index = line.count(sep, first, at) if at >= first else -1
        header = self._header(start, kind)
        column = header[index] if 0 <= index < len(header) else _Column()
        unit = None
        for k, col in enumerate(header):
            if col.unit and k < len(cells):
                unit = _unit_of(cells[k])
        columns = [c.strip(" \t*_") for c in cells[: max(index, 0)]]
        if kind == "pipe" and index > 0:
            # A grid table's row runs over several lines between its rules: its cells'
            # words are the lines' cells put together.
            for other in self._grid_lines(start, end):
                more = self._cells(other, kind)[0]
                for k in range(min(len(columns), len(more))):
                    extra = more[k].strip(" \t*_")
                    if extra:
                        columns[k] = f"{columns[k]} {extra}".strip()
        words = [w for w in columns if len(_LETTER.findall(w)) >= 4]
        label = max(words, key=len, default="")
        content = cells[index] if 0 <= index < len(cells) else ""
        return _Cell(
            column.year, label, column.past, column.tier, unit, column.holds_values, content
        )

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
        lo = _number(m.group("n1"))
        hi = _number(m.group("n2")) if m.group("n2") else None
        if lo is None or (hi is not None and hi <= lo):
            return None
        return lo, hi, cell.unit

    def unit_rows(self) -> list[int]:
        """Return the source offsets of the rows whose unit column gives a unit."""
        out: list[int] = []
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


def _with_bare_cells(
    cands: list[_Candidate], sentence: str, offset: int, view: ParseView, tables: _Tables
) -> list[_Candidate]:
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
    extra = []
    for m in _BARE_NUMBER.finditer(sentence):
        if any(c.start < m.end() and m.start() < c.end for c in cands):
            continue
        found = tables.bare_value(view.to_source(offset + m.start()))
        if found is not None:
            lo, hi, unit = found
            if hi is not None:
                continue  # a range cell ("50 - 60") is read as one by the sentence's rules
            extra.append(_Candidate(m.start(), m.end(), lo, None, unit, None))
    if not extra:
        return cands
    return sorted(cands + extra, key=lambda c: c.start)


# The words after one equivalent and before the next of a list: "47 biên chế công chức và".
_EQUIVALENT_GAP = re.compile(r"[^\d;.()]{0,40}?(?:,|\bvà\b)\s*")


def _respective_equivalents(sentence: str, readings: list[_Reading]) -> dict[int, int]:
    """Pair a list of equivalents with the targets before it, in order.

    "giảm 2% biên chế công chức và 3% số người làm việc (tương ứng 47 biên chế công
    chức và 412 người làm việc)": 47 restates the 2%, 412 the 3%. The counts that
    follow an equivalent in its list become equivalents too. Returns the start of
    each equivalent's target by its own start (empty when there is no such list).
    """
    out: dict[int, int] = {}
    if len(readings) < 3 or not _may_be_equivalent(sentence):
        return out
    i = 0
    while i < len(readings):
        if readings[i].kind != "equivalent":
            i += 1
            continue
        group = [i]
        while group[-1] + 1 < len(readings):
            nxt = readings[group[-1] + 1]
            gap = sentence[readings[group[-1]].cand.end : nxt.cand.start]
            if (
                nxt.cand.unit != "count"
                or nxt.kind != "target"
                or not _EQUIVALENT_GAP.fullmatch(gap)
            ):
                break
            group.append(group[-1] + 1)
        clause = sentence.rfind(";", 0, readings[i].cand.start)
        targets = [
            k for k in range(i) if readings[k].kind == "target" and readings[k].cand.start > clause
        ]
        if len(group) > 1 and len(targets) >= len(group):
            for g, t in zip(group, targets[-len(group) :], strict=True):
                readings[g] = readings[g]._replace(kind="equivalent")
                out[readings[g].cand.start] = readings[t].cand.start
        i = group[-1] + 1
    return out


def _resolve_sentence(
    sentence: str,
    offset: int,
    view: ParseView,
    outline: Outline,
    meta: DocumentMeta | None,
    headings: dict[int, str],
    reports: dict[int, bool],
    tables: _Tables | None = None,
    heading_tiers: dict[int, str | None] | None = None,
) -> list[Target]:
    """Extract the targets of one sentence (``offset`` is its start in the view).

    ``headings`` caches heading paths and ``reports`` report sections by node across
    the sentences of a document.
    """
    original = sentence
    sentence = _lower(sentence)
    if heading_tiers is None:
        heading_tiers = {}
    cands = _candidates(sentence)
    # A table row: each number reads its own cell and the row's label, nothing else.
    in_table = tables is not None and tables.any and tables.is_row(view.to_source(offset))
    if in_table:
        cands = _with_bare_cells(cands, sentence, offset, view, tables)  # type: ignore[arg-type]
    if not cands:
        return []
    readings: list[_Reading] = []
    prev_end = 0
    for cand in cands:
        readings.append(_read(sentence, cand, prev_end))
        prev_end = cand.end
    equivalent_of = _respective_equivalents(sentence, readings)
    # Drop counts and rank moves that no commitment word governs.
    kept: list[_Reading] = []
    for r in readings:
        if (
            r.cand.unit == "count"
            and r.kind != "equivalent"
            and r.comparator is None
            and r.direction is None
        ):
            continue
        if r.cand.unit == "rank_places" and r.direction is None:
            continue
        if r.cand.unit == "percent" and (
            _SURVEY_BEFORE.search(sentence, max(0, r.cand.start - 30), r.cand.start)
            or _SURVEY_AFTER.match(sentence, r.cand.end)
        ):
            continue  # a survey's setting ("độ tin cậy 95%", "10% số mẫu"), not a level
        kept.append(r)
    readings = kept
    if not readings:
        return []
    node = outline.node_at(offset)
    node_info = outline.node(node)
    heading = headings.get(node)
    if heading is None:
        heading = headings[node] = outline.heading(node)
    if _in_report(outline, node, reports):
        # A section that reports results ("Kết quả đạt được"): only baselines stay.
        readings = [r for r in readings if r.kind == "baseline"]
    if _may_be_past(sentence):
        readings = [r for r in readings if r.kind == "baseline" or not _is_past(sentence, r.cand)]
    if ("/" in sentence and _RESULT_RANK.search(sentence) and not _COMMITMENT.search(sentence)) or (
        "theo " in sentence and _CITED_TARGETS.match(sentence)
    ):
        # "Chỉ số CCHC năm 2022 đạt 81,46%, xếp thứ 58/63": a ranking result reported
        # with no commitment word is the past. "Theo Nghị quyết số 76/NQ-CP, đến năm
        # 2030, ...": the Government's targets, quoted, are not the plan's own.
        readings = [r for r in readings if r.kind == "baseline"]
    if not readings:
        return []
    sentence_text = _collapse(original)
    out: list[Target] = []
    parent: Target | None = None
    previous: Target | None = None
    governing: _Reading | None = None
    by_start: dict[int, Target] = {}  # the (first) target of each number, by its start
    splits = [_split_point(sentence, left, right) for left, right in pairwise(readings)]
    bounded = _may_have_boundary(sentence)

    def between_next(i: int) -> str:
        if i + 1 >= len(readings):
            return ""
        return sentence[readings[i].cand.end : readings[i + 1].cand.start]

    respective = (
        _respective_levels(sentence, readings)
        if len(readings) > 1 and (_may_be_respective(sentence) or "cấp " in sentence)
        else {}
    )
    for i, r in enumerate(readings):
        c = r.cand
        cell = tables.cell(view.to_source(offset + c.start)) if in_table else None  # type: ignore[union-attr]
        if cell is not None and cell.past and r.kind == "target":
            # A cell under "Kết quả năm 2025": the level reached that year.
            r = r._replace(kind="baseline", year=cell.year)
        elif r.year is not None:
            # "(năm 2024 đạt 84,6%)" is a baseline only if 2024 comes before the deadline.
            deadline = parent.year if parent is not None else _default_year(meta)
            if deadline is not None and r.year >= deadline:
                r = r._replace(kind="target")  # a later year's level: its year is the deadline
        if cell is not None:
            primary, secondary, extended = _lower(cell.label), "", ""
        else:
            primary, secondary, extended = _scopes(sentence, readings, splits, i, bounded)
        comparator, direction = r.comparator, r.direction
        # "giảm tối thiểu a%; b% và c%": the verb governs the numbers that follow it.
        between_prev = sentence[readings[i - 1].cand.end : c.start] if i > 0 else ""
        if (
            comparator is None
            and direction is None
            and governing is not None
            and r.kind == "target"
            and not r.backward
            and len(between_prev) <= 80
            and (governing.direction is not None or governing.cand.unit == c.unit)
            and cell is None
        ):
            comparator, direction = governing.comparator, governing.direction
        if r.kind == "target" and (
            r.direction is not None
            or (
                # "tối thiểu 30% A; 30% B và 20% C" (every item takes it); a "trên 30% A,
                # 80% B" item stays bare, as the seed gold reads it.
                r.comparator in ("ge", "le")
                and c.unit != "rank"
                and not _OWN_VERB.search(between_next(i))
            )
            # "trên 98% ở cấp tỉnh, 97% ở cấp huyện": items that differ only in their tier.
            or (r.comparator in ("gt", "lt") and _TIER_ONLY_GAP.fullmatch(between_next(i)))
        ):
            governing = r
        start, end = view.span_to_source(offset + c.start, offset + c.end)
        quote = _collapse(original[c.start : c.end + 60])
        if r.kind == "equivalent" and c.start in equivalent_of:
            r = r._replace(kind="equivalent")
            parent = by_start.get(equivalent_of[c.start], parent)
        if r.kind in ("equivalent", "baseline") and parent is not None:
            if r.kind == "equivalent":
                comparator, direction = parent.comparator, parent.direction
                year = parent.year
            else:
                comparator, direction = "eq", "attain"
                year = r.year or _issued_year(meta) or parent.year
            unit = c.unit if c.unit != "rank_places" else parent.unit
            out.append(
                replace(
                    parent,
                    value=c.value,
                    value_high=c.value_high,
                    unit=unit,
                    comparator=comparator or "eq",
                    direction=direction or "attain",
                    year=year,
                    kind=r.kind,
                    start=start,
                    end=end,
                    quote=quote,
                )
            )
            continue
        # A baseline with no target before it in the sentence ("hiện nay đạt 30%") still
        # states the current level, not a commitment.
        kind = "baseline" if r.kind == "baseline" else "target"
        if kind == "baseline":
            comparator, direction = "eq", "attain"
        # Deadline: the year of its own "(năm 2025 đạt ...)", a cue right after the number,
        # then the nearest before it in the sentence, then the heading's, then the plan's
        # own period. A baseline describes the year stated, else the year of issue.
        year = r.year
        if year is None and kind == "baseline":
            year = _issued_year(meta)
        if year is None and "năm" in sentence[c.end : c.end + 60]:
            m = _YEAR_AFTER.match(sentence, c.end, min(len(sentence), c.end + 60))
            if m:
                year = int(m.group(1))
        if year is None:
            year = _year_before(sentence[max(0, c.start - _WINDOW) : c.start])
            if kind == "target" and cell is None and year is not None:
                lead = None
                for lead in _PAST_LEAD.finditer(sentence, 0, c.start):  # noqa: B007 - the last
                    pass
                if (
                    lead is not None
                    and _leads_clause(sentence, lead.start())
                    and int(lead.group(1)) == year  # no later cue sets another year
                    and year < (_issued_year(meta) or 0)
                ):
                    # "Năm 2021, Chỉ số CCHC của tỉnh đạt 89,05%" in a plan issued in 2022:
                    # a year before the plan was written is a past result, not a deadline.
                    continue
        if year is None and _may_close(sentence):
            # "(5) ... đạt ≥ 98 % ở cấp tỉnh, ≥ 95 % ở cấp huyện, hoàn thành trong năm
            # 2024.": an item's closing deadline sets every number before it.
            m = _CLOSING_DEADLINE.search(sentence, c.end)
            if m is not None:
                year = int(m.group(1) or m.group(2))
        if year is None:
            year = node_info.year if node_info.year is not None else _default_year(meta)
        if cell is not None:
            # The column's year ("| Năm 2030 |") is the deadline; the label names the tier.
            if cell.year is not None and kind == "target":
                year = cell.year
            level = cell.tier or _tiers(primary, False) or "all"
        else:
            level = (
                respective.get(i)
                or _level(sentence, c, primary, secondary, r.backward)
                or (
                    None
                    if "của tỉnh" in sentence  # the province's own figure: all tiers
                    else heading_tiers[node]
                    if node in heading_tiers
                    else _heading_level(outline, node, heading_tiers)
                )
                or "all"
            )
        if c.unit == "rank" and cell is None and _INTERNAL_RANK.match(sentence, c.end):
            # "nhóm 3 đơn vị dẫn đầu khối các huyện của tỉnh": a place in the province's
            # own ranking of its bodies, not in a national index.
            codes = (None,)
        elif c.unit == "rank_places" and _EACH_INDEX.search(
            sentence, max(0, c.start - 40), c.start
        ):
            # "PAPI và PCI mỗi chỉ số tăng 3-5 bậc": a move in each index named before it
            # (only PCI's has a code).
            named = match_rank_indicators(secondary if not r.backward else primary, unit="rank")
            codes = tuple("pci_rank_change" if code == "pci_rank" else None for code in named)
            codes = codes or (None,)
        elif c.unit in ("rank", "rank_places"):
            # The indices named in the number's own clause, else anywhere before it.
            codes = ()
            for scope in (
                primary if r.backward else secondary,
                sentence[max(0, c.start - _WINDOW) : c.start],
                sentence,
            ):
                codes = _rank_codes(scope, c.unit)
                if codes:
                    break
            codes = codes or (
                (previous.indicator,) if previous and previous.unit == c.unit else (None,)
            )
        else:
            codes = (
                _indicator_of(
                    sentence, r, (primary, secondary, extended), direction, previous, between_prev
                ),
            )
        for code in codes:
            target = Target(
                value=c.value,
                value_high=c.value_high,
                unit=c.unit,
                comparator=comparator or "eq",
                direction=direction or "attain",
                year=year,
                level=level,
                area=node_info.area,
                kind=kind,
                indicator=code,
                start=start,
                end=end,
                sentence=sentence_text,
                quote=quote,
                heading=heading,
            )
            out.append(target)
        parent = previous = out[-1]
        by_start.setdefault(c.start, parent)
    return out


def _in_report(outline: Outline, node: int, cache: dict[int, bool]) -> bool:
    """Whether ``node`` sits under a heading that reports results ("Kết quả đạt được")."""
    found = cache.get(node)
    if found is None:
        if node <= 0:
            found = False
        else:
            # The node's own title, else its parent's answer (cached for its siblings).
            info = outline.node(node)
            title = info.title.lower()
            found = (
                _REPORT_HEADING.match(title) is not None
                or (
                    # Only a section's own heading: "- Kinh phí chi thường xuyên giảm 10%"
                    # is an item, not a budget section.
                    info.kind in _SECTION_KINDS
                    and _BACKGROUND_HEADING.match(title) is not None
                    and _PLAN_HEADING_WORDS.search(title) is None
                    and "%" not in outline.text[info.start : info.start + 200].split("\n", 1)[0]
                )
                or _in_report(outline, outline.parents[node], cache)
            )
        cache[node] = found
    return found


def _is_past(sentence: str, cand: _Candidate) -> bool:
    """Whether a number reports a past result: "đã" or "đạt được" earlier in its clause.

    The clause runs from the last ``;`` before the number ("đã xếp thứ 17/63, tăng 6
    bậc" is past throughout); a "đã" after the number ("... giấy tờ đã được cấp") is
    a relative clause and says nothing of the number.
    """
    start = sentence.rfind(";", 0, cand.start) + 1
    stop = sentence.find(";", cand.end)
    stop = min(cand.end + 20, stop if stop >= 0 else len(sentence))
    if _PAST.search(sentence, start, cand.start) is None:
        # "Năm 2024, tỉnh đạt được nhiều kết quả: ...; 97,6% hồ sơ ...": a list whose
        # lead-in reports results is past in every item.
        colon = sentence.rfind(": ", 0, start)
        if colon < 0:
            return False
        lead = sentence.rfind(";", 0, colon) + 1
        if _PAST.search(sentence, lead, colon) is None:
            return False
        return (
            _COMMITMENT.search(sentence, lead, colon) is None
            and _COMMITMENT.search(sentence, start, stop) is None
        )
    # "Các TTHC đã công bố, phấn đấu 100% ...": a commitment word makes it a target again.
    return _COMMITMENT.search(sentence, start, stop) is None


def _metadata_or_none(text: str) -> DocumentMeta | None:
    """Read the plan's metadata; on failure, warn and go on without default years."""
    from parstats.metadata import extract_metadata

    try:
        return extract_metadata(text)
    except Exception as exc:  # noqa: BLE001 - targets must not depend on metadata succeeding
        warnings.warn(
            f"metadata could not be read ({type(exc).__name__}: {exc}); targets get no "
            "default deadline",
            ParstatsWarning,
            stacklevel=3,
        )
        return None


def extract_targets(text: str, *, meta: DocumentMeta | None = None) -> list[Target]:
    """Extract the targets of a plan.

    Parameters
    ----------
    text
        The plan's text (normalised to NFC here if it is not already).
    meta
        The plan's metadata; its ``period_end`` is the default deadline and the
        year of ``issued`` dates "hiện nay" baselines. When ``None``, it is read
        from the text with :func:`parstats.metadata.extract_metadata`.

    Returns
    -------
    list of Target
        In document order; one number that sets several indicators gives one
        target per indicator, on the same span.
    """
    text = nfc(text)
    if meta is None:
        meta = _metadata_or_none(text)
    view = parse_view(text)
    outline = build_outline(view.text)
    vtext = view.text
    out: list[Target] = []
    headings: dict[int, str] = {}
    reports: dict[int, bool] = {}
    tables = _Tables(text)
    heading_tiers: dict[int, str | None] = {}
    for line_start, line_end in _lines_to_read(vtext, view, tables):
        for a, b in _sentences(vtext, line_start, line_end):
            out.extend(
                _resolve_sentence(
                    vtext[a:b], a, view, outline, meta, headings, reports, tables, heading_tiers
                )
            )
    return out


def _lines_to_read(vtext: str, view: ParseView, tables: _Tables) -> Iterator[tuple[int, int]]:
    """Yield the spans of the logical lines worth reading closely, in order.

    A line with a hint of a number expression (:data:`_HINT`), and a table row whose
    unit column makes its bare numbers values.
    """
    rows: list[int] = []
    if tables.any:
        rows = sorted({vtext.rfind("\n", 0, view.to_view(p)) + 1 for p in tables.unit_rows()})
    if not rows:
        # Most plans: the lines with a hint only.
        m = _HINT.search(vtext)
        while m is not None:
            line_start = vtext.rfind("\n", 0, m.start()) + 1
            line_end = vtext.find("\n", m.end())
            if line_end < 0:
                line_end = len(vtext)
            yield line_start, line_end
            m = _HINT.search(vtext, line_end)
        return
    k = 0
    m = _HINT.search(vtext)
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
            m = _HINT.search(vtext, line_end)


# The columns that are fields of :class:`Target`.
_TARGET_FIELDS = tuple(c for c in TARGET_COLUMNS if c not in ("doc", "target_no"))


def targets_frame(doc: str, targets: Sequence[Target]) -> pd.DataFrame:
    """Return targets as a table with the columns of ``ARCHITECTURE.md`` (``TARGET_COLUMNS``).

    Parameters
    ----------
    doc
        The document's file stem.
    targets
        Targets of that document, in document order.
    """
    import pandas as pd

    # Built column by column: a table of tens of thousands of targets is made far
    # faster from lists than from one dict per row.
    n = len(targets)
    columns: dict[str, list[object]] = {
        "doc": [doc] * n,
        "target_no": list(range(1, n + 1)),
    }
    for name in _TARGET_FIELDS:
        columns[name] = [getattr(t, name) for t in targets]
    frame = pd.DataFrame(columns, columns=list(TARGET_COLUMNS))
    dtypes = {
        "doc": "string",
        "target_no": "Int64",
        "start": "Int64",
        "end": "Int64",
        "quote": "string",
        "sentence": "string",
        "value": "Float64",
        "value_high": "Float64",
        "unit": "string",
        "comparator": "string",
        "direction": "string",
        "year": "Int64",
        "level": "string",
        "area": "string",
        "kind": "string",
        "indicator": "string",
        "heading": "string",
    }
    return frame.astype(dtypes)
