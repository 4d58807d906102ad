"""Map a target's words to an indicator of the catalogue (*chuẩn hóa chỉ tiêu*).

Plans phrase the same measure many ways: "hồ sơ ... xử lý hoàn toàn trực tuyến",
"giải quyết bằng hình thức trực tuyến toàn trình". :data:`RULES` is a readable
table of keyword rules over the Vietnamese wording, checked in order; the first
rule whose patterns all match names the indicator. The table is
``parstats/lang/vi/indicator_rules.csv``: one row per rule, with a real example.
Rank targets may name several indices at once ("PAR INDEX, PAPI, ICT INDEX nằm
trong nhóm 20"): every index named gives its own indicator.

Patterns are matched against lower-cased NFC text with diacritics.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from parstats import rules

__all__ = [
    "Rule",
    "RULES",
    "RANK_RULES",
    "match_indicator",
    "match_indicator_rule",
    "match_rank_indicators",
]


@dataclass(frozen=True)
class Rule:
    """One keyword rule.

    Attributes
    ----------
    code
        Indicator code of ``parstats/data/indicators.csv``.
    pattern
        Regular expression that must match the target's own words.
    context
        Optional expression that must match somewhere in the whole sentence.
    direction
        Only for targets of this direction (``"decrease"`` for cuts), if set.
    unless
        Optional expression that must not match the target's own words.
    id
        The id of its row in ``parstats/lang/vi/indicator_rules.csv``.
    """

    code: str
    pattern: str
    context: str | None = None
    direction: str | None = None
    unless: str | None = None
    id: str = ""


# The rules are the rows of ``parstats/lang/vi/indicator_rules.csv``, in table order.
_TABLE = rules.table("indicator_rules")


def _context(row: rules.Row) -> str | None:
    text = row.extra.get("context", "")
    return rules.phrase_regex(text, gap=".*") if text else None


# Rank targets: every index the sentence names before the number.
RANK_RULES: tuple[Rule, ...] = tuple(
    Rule(r.value, r.regex, id=r.id) for r in _TABLE.select("rank")
)

# Shares, counts and cuts, most specific first. Cuts (the value is the size of the cut)
# apply to ``decrease`` targets only.
RULES: tuple[Rule, ...] = tuple(
    Rule(r.value, r.regex, _context(r), r.extra.get("direction") or None, id=r.id)
    for r in _TABLE.select("share")
)
# The share of the dissatisfied ("tỷ lệ ... không hài lòng ... dưới 3%") has no code.
_DISSATISFIED = re.compile(_TABLE.alternation("none"))


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.DOTALL)


@cache
def _anchors(pattern: str) -> tuple[str, ...] | None:
    """Literal words one of which any match of ``pattern`` contains (``None``: no such words).

    A cheap ``in`` test on these words skips most rules without running their regex.
    """
    return rules.anchors_of([pattern], re.DOTALL)


@dataclass(frozen=True)
class _Compiled:
    """A rule ready to run: compiled patterns and its anchor words."""

    rule: Rule
    pattern: re.Pattern[str]
    context: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    anchors: tuple[str, ...] | None


def _compile(rule: Rule) -> _Compiled:
    return _Compiled(
        rule=rule,
        pattern=_compiled(rule.pattern),
        context=_compiled(rule.context) if rule.context else None,
        unless=_compiled(rule.unless) if rule.unless else None,
        anchors=_anchors(rule.pattern),
    )


_RULES = tuple(_compile(rule) for rule in RULES)
# The rules that apply to each direction, so that the loop below need not ask.
_RULES_FOR = {
    direction: tuple(c for c in _RULES if c.rule.direction in (None, direction))
    for direction in ("attain", "increase", "decrease")
}


def _candidates_function(rules: tuple[_Compiled, ...]) -> Callable[[str], Iterator[int]]:
    """Return a generator of the places of the rules worth trying on some words, in order.

    The rules whose anchor words the words hold (and those without anchors), in table
    order. Generated as straight-line code: each anchor word is tested once, at the
    first rule that needs it, and no later than the caller asks for that rule (the
    first rule that matches usually comes before most anchor words are needed).
    """
    lines = ["def candidates(words):"]
    tested: dict[str, str] = {}
    for k, c in enumerate(rules):
        if c.anchors is None:
            lines.append(f"    yield {k}")
            continue
        for anchor in c.anchors:
            if anchor not in tested:
                tested[anchor] = f"a{len(tested)}"
                lines.append(f"    {tested[anchor]} = {anchor!r} in words")
        lines.append(f"    if {' or '.join(tested[a] for a in c.anchors)}:")
        lines.append(f"        yield {k}")
    if len(lines) == 1:
        lines.append("    yield from ()")
    namespace: dict = {"__builtins__": {}}
    exec("\n".join(lines), namespace)  # noqa: S102 - literals made by repr()
    return namespace["candidates"]


# Per direction: the generator of the rules worth trying (:func:`_candidates_function`).
_CANDIDATES_FOR = {
    direction: _candidates_function(rules) for direction, rules in _RULES_FOR.items()
}


def match_indicator(words: str, *, sentence: str = "", direction: str = "attain") -> str | None:
    """Return the indicator code the words of a target name, or ``None``.

    Parameters
    ----------
    words
        The target's own words (its clause), any case.
    sentence
        The whole sentence, for rules with a ``context`` condition.
    direction
        The target's direction; cut rules apply only to ``decrease``.
    """
    rule = match_indicator_rule(words, sentence=sentence, direction=direction)
    return rule.code if rule is not None else None


def match_indicator_rule(
    words: str, *, sentence: str = "", direction: str = "attain"
) -> Rule | None:
    """Return the rule that names the indicator of a target's words (:func:`match_indicator`)."""
    words = words.lower()
    if "hài lòng" in words and _DISSATISFIED.search(words):
        return None
    sentence_low: str | None = None
    rules = _RULES_FOR.get(direction)
    if rules is None:
        rules = tuple(c for c in _RULES if c.rule.direction in (None, direction))
        tried: Iterable[_Compiled] = (
            c for c in rules if c.anchors is None or any(a in words for a in c.anchors)
        )
    else:
        tried = map(rules.__getitem__, _CANDIDATES_FOR[direction](words))
    for c in tried:
        if not c.pattern.search(words):
            continue
        if c.unless is not None and c.unless.search(words):
            continue
        if c.context is not None:
            sentence_low = sentence.lower() if sentence_low is None else sentence_low
            if not c.context.search(sentence_low):
                continue
        return c.rule
    return None


def match_rank_indicators(words: str, *, unit: str = "rank") -> tuple[str, ...]:
    """Return the rank indicators named in ``words``, in catalogue order.

    ``unit="rank_places"`` maps a PCI move to ``pci_rank_change``.
    """
    words = words.lower()
    codes = [r.code for r in RANK_RULES if _compiled(r.pattern).search(words)]
    if unit == "rank_places":
        return ("pci_rank_change",) if "pci_rank" in codes else ()
    return tuple(codes)
