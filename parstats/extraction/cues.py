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
from parstats.extraction.doc import Number, PlanDoc
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


def read(sentence: str, number: Number, prev_end: int) -> None:
    """Read comparator, direction, kind and orientation from the words around a number."""
    cand = number.cand
    pre = sentence[max(prev_end, cand.start - 60) : cand.start]
    tail = pre[-40:]  # the words that qualify a number stand right before it
    after = sentence[cand.end : cand.end + 20]
    comparator = None
    if cand.value_high is not None:
        comparator = "range"
    elif cand.unit == "rank":
        # "nhóm 20" is within the top 20; "thứ hạng 20 trở lên" too.
        if comparator_after(after) == "ge":
            comparator = "le"
        else:
            comparator = UNITS.value_of(cand.rank_word or "", "rank_word") or "eq"
    else:
        comparator = comparator_after(after)
        if comparator is None:
            m = _COMPARATOR_BEFORE.search(tail)
            if m is not None:
                comparator = COMPARATORS.value_of(m.group("w"), "before") or None
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
    elif may_be_equivalent(tail) and _EQUIVALENT.search(tail):
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
