"""What the words around a number say: comparator, direction, kind and orientation.

The ``cues`` component reads, for every number, the words the rule tables of
``parstats/lang/vi`` name (comparators.csv, directions.csv, kind_cues.csv): the
comparator right before or after it, the direction of the verb in its clause,
whether it states the current state ("hiện nay") or restates a target ("tương
ứng"), whether its subject comes before it ("X đạt N%"), and the year of a
"(năm 2024 đạt ...)" aside. The rule tables are loaded here for every component.
"""

from __future__ import annotations

import re

from parstats import rules
from parstats.extraction.doc import Candidate, Number, PlanDoc
from parstats.extraction.pipeline import component

__all__ = [
    "LEVELS",
    "COMPARATORS",
    "DIRECTIONS",
    "UNITS",
    "DEADLINES",
    "KINDS",
    "NOT_TARGETS",
    "SECTIONS",
    "comparator_after",
    "may_be_equivalent",
    "read",
    "cues",
]

# ---------------------------------------------------------------------------
# The rule tables (parstats/lang/vi/*.csv): the words of every pattern of the package.
# ---------------------------------------------------------------------------
# The rule tables (parstats/lang/vi/*.csv): the words of every pattern below.
LEVELS = rules.table("levels")
COMPARATORS = rules.table("comparators")
DIRECTIONS = rules.table("directions")
UNITS = rules.table("units")
DEADLINES = rules.table("deadline_cues")
KINDS = rules.table("kind_cues")
NOT_TARGETS = rules.table("not_targets")
SECTIONS = rules.table("section_roles")

# Words right before a number.
_COMPARATOR_BEFORE = re.compile(
    rf"(?P<w>{COMPARATORS.alternation('before')})"
    rf"(?:\s+{COMPARATORS.alternation('filler')})*\s*$",
)


_AFTER_COMPARATOR = re.compile(r"\s*(?:%\s*)?(?:" + COMPARATORS.grouped("after") + ")")


def comparator_after(after: str) -> str | None:
    """Return the comparator the words right after a number give ("trở lên": ``ge``)."""
    m = _AFTER_COMPARATOR.match(after)
    return m.lastgroup if m is not None else None


# "X đạt N%": the subject comes before the number.
_BACKWARD = re.compile(
    rf"{KINDS.alternation('subject_verb')}(?:\s+{COMPARATORS.alternation('backward')})*\s*$",
)


_may_have_subject_verb = rules.any_in(KINDS.anchors("subject_verb"))


_DECREASE = re.compile(rf"\b{DIRECTIONS.alternation('verb', 'decrease')}\b")


_INCREASE = re.compile(rf"\b{DIRECTIONS.alternation('verb', 'increase')}\b")


_may_direct = rules.any_in(DIRECTIONS.anchors("verb"))


_may_be_baseline = rules.any_in(KINDS.anchors("baseline"))


_BASELINE = re.compile(
    KINDS.alternation("baseline")
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
_NO_SUBJECT = re.compile(rf"^[\s\-+•]*{KINDS.alternation('opener')}?\s*$")


_EQUIVALENT = re.compile(KINDS.alternation("equivalent") + r"(?:\s+(?:với|khoảng|là))?\s*$")


may_be_equivalent = rules.any_in(KINDS.anchors("equivalent"))


_RANGE_WORD = re.compile(COMPARATORS.alternation("range"))


def _unit_rule(cand: Candidate) -> str:
    """Return the id of the rule that gave a number its unit."""
    if cand.rank_word is not None:
        return UNITS.id_of(cand.rank_word, "rank_word") or "unit.rank"
    if cand.word is None:
        return "unit.table_unit_column"  # a bare cell: its row's unit column
    return UNITS.id_of(cand.word, "after") or f"unit.{cand.unit}"


def read(sentence: str, number: Number, prev_end: int) -> None:
    """Read comparator, direction, kind and orientation from the words around a number.

    The id of the rule behind each goes to ``number.rules``.
    """
    cand = number.cand
    found = number.rules
    found["unit"] = _unit_rule(cand)
    pre = sentence[max(prev_end, cand.start - 60) : cand.start]
    tail = pre[-40:]  # the words that qualify a number stand right before it
    after = sentence[cand.end : cand.end + 20]
    comparator = None
    rule = "comparator.default"
    if cand.value_high is not None:
        comparator = "range"
        m = _RANGE_WORD.search(sentence, cand.start, cand.end)
        rule = (COMPARATORS.id_of(m.group(0), "range") if m else None) or "comparator.range"
    elif cand.unit == "rank":
        # "nhóm 20" is within the top 20; "thứ hạng 20 trở lên" too.
        m = _AFTER_COMPARATOR.match(after)
        if m is not None and m.lastgroup == "ge":
            comparator = "le"
            rule = COMPARATORS.id_of(m.group(m.lastgroup), "after") or rule
        else:
            comparator = UNITS.value_of(cand.rank_word or "", "rank_word") or "eq"
            rule = found["unit"]
    else:
        m = _AFTER_COMPARATOR.match(after)
        if m is not None:
            comparator = m.lastgroup
            rule = COMPARATORS.id_of(m.group(m.lastgroup), "after") or rule
        else:
            m = _COMPARATOR_BEFORE.search(tail)
            if m is not None:
                comparator = COMPARATORS.value_of(m.group("w"), "before") or None
                rule = COMPARATORS.id_of(m.group("w"), "before") or rule
    found["comparator"] = rule
    # The number's clause: the words after the last break (one of ",;:()").
    cut = max(pre.rfind(","), pre.rfind(";"), pre.rfind(":"), pre.rfind("("), pre.rfind(")"))
    clause = pre[cut + 1 :]
    direction = None
    rule = "direction.default"
    if _may_direct(clause):
        last_dec = None
        for last_dec in _DECREASE.finditer(clause):  # noqa: B007 - the last one is wanted
            pass
        last_inc = None
        for last_inc in _INCREASE.finditer(clause):  # noqa: B007 - the last one is wanted
            pass
        if last_dec is not None or last_inc is not None:
            dec_end = last_dec.end() if last_dec is not None else -1
            inc_end = last_inc.end() if last_inc is not None else -1
            verb = last_dec if dec_end > inc_end else last_inc
            direction = "decrease" if dec_end > inc_end else "increase"
            rule = DIRECTIONS.id_of(verb.group(0), "verb") or rule
    found["direction"] = rule
    kind = "target"
    year = None
    rule = "kind.default"
    if _may_be_baseline(tail) and (m := _BASELINE.search(tail)) is not None:
        kind = "baseline"
        rule = KINDS.id_at(tail, m.start(), "baseline") or "kind.baseline"
    elif may_be_equivalent(tail) and (m := _EQUIVALENT.search(tail)) is not None:
        kind = "equivalent"
        rule = KINDS.id_at(tail, m.start(), "equivalent") or "kind.equivalent"
    elif "(" in tail and "năm" in tail:
        m = _PAST_YEAR_VALUE.search(tail)
        if m is not None:
            kind, year = "baseline", int(m.group(1))
            rule = "kind.past_year_value"
    found["kind"] = rule
    backward = False
    if _may_have_subject_verb(tail):
        m = _BACKWARD.search(clause)
        # "Phấn đấu đạt 95% X": nothing before the verb is its subject; X follows.
        backward = m is not None and not _NO_SUBJECT.match(clause[: m.start()])
        if m is None:
            backward = bool(_BACKWARD.search(tail))
    number.comparator = comparator
    number.direction = direction
    number.kind = kind
    number.backward = backward
    number.own_year = year


@component(
    "cues",
    requires=("numbers",),
    assigns=("number.comparator", "number.direction", "number.kind", "number.backward",
             "number.own_year"),
)
def cues(doc: PlanDoc) -> None:
    """Read what the words around every number say (:func:`read`)."""
    for sentence in doc.sentences:
        prev_end = 0
        low = sentence.low
        for number in sentence.numbers:
            read(low, number, prev_end)
            prev_end = number.cand.end
