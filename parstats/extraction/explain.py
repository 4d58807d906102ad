"""Why the extractor read a passage as it did: every number, its fields and the rule behind each.

:func:`explain` turns an extracted :class:`~parstats.extraction.doc.PlanDoc` into
:class:`Explanation` records, one per number of a passage: a target with each field
and the rule that gave it (a row of ``parstats/lang/vi/*.csv``, with its phrase and
its ``docs/TARGETS.md`` rule, or one of the extractor's resolvers, described in
:data:`CODE_RULES`), or a number dropped with the rule that dropped it, or digits
that are no number expression at all. ``parstats explain`` prints them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parstats import rules
from parstats.extraction.assemble import RULE_FIELDS
from parstats.extraction.doc import Number, PlanDoc, Sentence

__all__ = ["CODE_RULES", "FieldRule", "Explanation", "explain", "describe_rule"]

# The rules that are code, not rows of a table: what each means.
CODE_RULES: dict[str, str] = {
    "unit.table_unit_column": "a bare cell value; its row's unit column gives the unit",
    "unit.parent": "a move restated in other units takes its target's unit",
    "unit.rank": "a rank led by its word",
    "comparator.default": "no comparator word: eq",
    "comparator.range": "a range: two numbers joined by a range word",
    "direction.default": "no cutting or raising verb in its clause: attain",
    "kind.default": "a number the plan commits to: target",
    "kind.baseline": "the current state: eq, attain",
    "kind.past_year_value": '"(năm 2024 đạt ...)" after a target: the level of an earlier year',
    "kind.later_year_value": "a year's level for a year not before the deadline: a target",
    "kind.table_results_column": 'a cell under "Kết quả/Thực hiện năm N": a baseline of year N',
    "kind.equivalent_list": "a list of equivalents paired, in order, with the targets before it",
    "kind.no_target_before": "an equivalent with no target before it in its sentence: a target",
    "list.governing": "a qualifier or verb before a list governs the items after it",
    "list.parent": "an equivalent keeps its target's comparator and direction",
    "deadline.own_year": "the number's own year",
    "deadline.baseline_issued": "a baseline describes the year the plan was issued",
    "deadline.cue_after": "a deadline cue right after the number",
    "deadline.cue_before": "the nearest deadline cue before the number in its sentence",
    "deadline.year_lead": '"Năm 2022, ..." leads the clause',
    "deadline.period": "a period's last year",
    "deadline.closing": "an item's closing deadline",
    "deadline.heading": "the year the heading over it sets",
    "deadline.plan_period": "the last year of the plan's period",
    "deadline.plan_issued": "the plan's year of issue",
    "deadline.parent": "an equivalent (or baseline) takes its target's year",
    "deadline.table_column": 'the year of its table column ("| Năm 2030 |")',
    "deadline.none": "no deadline is named and the plan's period is unknown",
    "deadline.reported_past": '"Năm 2021, ..." before the plan was issued: a past result',
    "level.lead_tier": 'a tier alone leads the number ("cấp tỉnh trên 90%")',
    "level.trailing_tier": 'the tier follows its number ("đạt 100% đối với cấp tỉnh")',
    "level.own_words": "the tiers named in the number's own words",
    "level.words_before": "the tiers before a number that ends its clause",
    "level.for_tier": 'a leading "Đối với cấp xã, ..." names the tier of the sentence',
    "level.addressees": 'the bodies an item is addressed to ("c) Các sở, ban, ngành: ...")',
    "level.respective": 'one tier to each number of a list ("lần lượt", or closed by its tiers)',
    "level.table_column": "the tier its table column names",
    "level.table_row": "the tier its table row's label names",
    "level.heading": "the tier the heading over it addresses",
    "level.default": "no tier named: all",
    "level.name": "a tier's name",
    "area.default": "no heading over it names a reform area: overall",
    "area.heading": "the reform area its heading names",
    "indicator.own_words": "a keyword rule over the number's own words",
    "indicator.other_side": "a keyword rule over the words on its other side",
    "indicator.elided_head": 'a narrowing clause keeps the head noun it elides ("hài lòng")',
    "indicator.shared_predicate": "a predicate shared with the numbers that follow",
    "indicator.lead_in": 'the lead-in of a list names every item ("Tỷ lệ X: ...")',
    "indicator.previous": "an elided subject: the previous target's indicator",
    "indicator.none": "no rule names an indicator",
    "indicator.internal_rank": "a place in the province's own ranking of its bodies: no index",
    "indicator.each_index": '"mỗi chỉ số": one move for each index named',
    "indicator.rank_clause": "the indices named in the rank's own clause",
    "indicator.rank_before": "the indices named before the rank in its sentence",
    "indicator.rank_sentence": "the indices named anywhere in its sentence",
    "filter.count_without_commitment": "a count that no comparator or verb makes a commitment",
    "filter.rank_move_without_direction": "a move in a ranking with no verb that raises it",
    "not_target.survey": "a survey's setting, not a level",
    "not_target.past": "a past result",
    "not_target.result_rank": "a reported place in a ranking, with no commitment word",
    "not_target.cited": "the Government's targets quoted",
    "section.report": "a section that reports results: only baselines stay",
    "section.background": "a plan's background section reports the past",
}


@dataclass(frozen=True)
class FieldRule:
    """One field of a target, its value and the rule behind it.

    Attributes
    ----------
    field, value
        The field and its value.
    rule
        The rule id, ``how>row`` where a row was read through a resolver.
    says
        What the rule means: the phrase and ``docs/TARGETS.md`` rule of each table row,
        or the description of each resolver.
    """

    field: str
    value: object
    rule: str
    says: str


@dataclass(frozen=True)
class Explanation:
    """One number of a passage and what the extractor made of it.

    Attributes
    ----------
    start, end
        Its span in the NFC text.
    text
        The number expression as written.
    sentence
        Its sentence, whitespace collapsed.
    status
        ``target`` (one or more rows), ``dropped`` (with ``reason``), or ``no unit``
        (digits that are no number expression).
    reason
        The rule that dropped it, with what it says.
    targets
        For a target: the fields of each of its rows (one per indicator).
    """

    start: int
    end: int
    text: str
    sentence: str
    status: str
    reason: str = ""
    targets: tuple[tuple[FieldRule, ...], ...] = field(default_factory=tuple)


def _rows_by_id() -> dict[str, rules.Row]:
    return {row.id: row for table in rules.all_tables() for row in table.rows}


def describe_rule(rule: str) -> str:
    """Return what a rule id (or ``how>row`` chain) says, part by part."""
    rows = _rows_by_id()
    parts = []
    for part in rule.split(">"):
        row = rows.get(part)
        if row is not None:
            parts.append(f'"{row.phrase}" ({row.spec})')
        else:
            parts.append(CODE_RULES.get(part, part))
    return "; ".join(parts)


_FIELDS = ("value", "value_high", *RULE_FIELDS)


def _fields(target_rules: str, target) -> tuple[FieldRule, ...]:
    found = dict(part.split("=", 1) for part in target_rules.split(";") if "=" in part)
    out = []
    for name in _FIELDS:
        value = getattr(target, name)
        if name in ("value", "value_high"):
            if value is not None:
                out.append(FieldRule(name, value, "", ""))
            continue
        rule = found.get(name, "")
        out.append(FieldRule(name, value, rule, describe_rule(rule) if rule else ""))
    return tuple(out)


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def _sentence_span(doc: PlanDoc, sentence: Sentence) -> tuple[int, int]:
    return doc.view.span_to_source(sentence.offset, sentence.offset + len(sentence.text))


def _number_explanation(doc: PlanDoc, number: Number) -> Explanation:
    sentence = number.sentence
    c = number.cand
    start, end = doc.view.span_to_source(sentence.offset + c.start, sentence.offset + c.end)
    text = doc.text[start:end]
    collapsed = " ".join(sentence.text.split())
    if number.rejected is not None:
        return Explanation(
            start, end, text, collapsed, "dropped",
            reason=f"{number.rejected}: {describe_rule(number.rejected)}",
        )
    return Explanation(
        start, end, text, collapsed, "target",
        targets=tuple(_fields(t.rules, t) for t in number.targets),
    )


def explain(doc: PlanDoc, at: int | None = None) -> list[Explanation]:
    """Explain every number of a passage of an extracted plan.

    Parameters
    ----------
    doc
        The plan, run through the pipeline (:func:`parstats.extraction.extract_document`).
    at
        A character offset in the NFC text: only the sentence there is explained.
        ``None``: every sentence read that holds a number.

    Returns
    -------
    list of Explanation
        In document order: targets, dropped numbers (each with its reason), and
        digits of the passage that are no number expression.
    """
    numbers: dict[int, list[Number]] = {}
    unique = {id(n): n for n in [*doc.rejected, *(n for s in doc.sentences for n in s.numbers)]}
    for number in unique.values():
        numbers.setdefault(id(number.sentence), []).append(number)
    out: list[Explanation] = []
    for sentence in doc.sentences:
        lo, hi = _sentence_span(doc, sentence)
        if at is not None and not lo <= at < max(hi, lo + 1):
            continue
        found = sorted(numbers.get(id(sentence), []), key=lambda n: n.cand.start)
        items = [_number_explanation(doc, n) for n in found]
        covered = [(e.start, e.end) for e in items]
        if at is not None or items:
            for m in _DIGITS.finditer(sentence.text):
                a, b = doc.view.span_to_source(
                    sentence.offset + m.start(), sentence.offset + m.end()
                )
                if not any(s <= a < e for s, e in covered):
                    items.append(
                        Explanation(
                            a, b, doc.text[a:b], " ".join(sentence.text.split()), "no unit",
                            reason="no unit word follows it and no rank word leads it "
                            "(units.csv): a date, a document number, a code or a count "
                            "with no noun of units.csv",
                        )
                    )
        out.extend(sorted(items, key=lambda e: e.start))
    return out
