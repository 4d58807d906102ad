"""Numbers that are not targets: each one dropped into the ``rejected`` layer with its reason.

Two components. ``unsaid``: a count or a move in a ranking that no commitment word
governs, and a survey's settings ("độ tin cậy 95%", "10% số mẫu"). ``past``: what a
results section reports, past results ("đã đạt 92%"), reported rankings ("xếp thứ
58/63") and the Government's targets quoted ("Theo Nghị quyết số 76/NQ-CP, ..."),
where only baselines stay. The words are the rows of ``not_targets.csv`` and
``section_roles.csv``.
"""

from __future__ import annotations

import re

from parstats import rules
from parstats.extraction.cues import NOT_TARGETS
from parstats.extraction.doc import Candidate, Number, PlanDoc
from parstats.extraction.numbers import is_amount
from parstats.extraction.pipeline import component
from parstats.extraction.sections import goals_rule, in_report, norm_rule, report_rule

__all__ = [
    "COMMITMENT",
    "is_past",
    "past_rule",
    "statement_reason",
    "unsaid",
    "statements",
    "past",
    "activities",
]

# Led by a lookahead of its phrases' first characters: most positions fail at once.
COMMITMENT = rules.lead(NOT_TARGETS.alternation("commitment"))


_PAST = rules.lead(NOT_TARGETS.alternation("past"))


_may_be_past = rules.any_in(NOT_TARGETS.anchors("past"))


# A place reported with its denominator: "xếp thứ 58/63", "đứng thứ 55/63".
_RESULT_RANK = rules.lead(rf"{NOT_TARGETS.alternation('result_rank')}\s+thứ\s+\d{{1,2}}/\d{{2}}\b")


# A sentence that quotes a central document's targets: "Theo Nghị quyết số 76/NQ-CP, ...".
_CITED_TARGETS = re.compile(
    r"[\s\-+•]*(?:[a-zđ]\)\s*|\(?\d{1,2}[.)]\s*)?theo\s+"
    + NOT_TARGETS.alternation("cited_document")
    + r"\s+(?:số\s+)?\S+/"
    + NOT_TARGETS.alternation("cited_symbol")
    + r"\b"
)


# The settings of a survey or an index's formula: "độ tin cậy 95%, sai số cho phép ±3%",
# "bằng 10% số mẫu", "trọng số 20%".
_SURVEY_BEFORE = re.compile(
    NOT_TARGETS.alternation("survey_before") + r"\s*(?:là\s+|bằng\s+|khoảng\s+)?$"
)


_SURVEY_AFTER = re.compile(rf"\s*{NOT_TARGETS.alternation('survey_after')}\b")


def is_past(sentence: str, cand: Candidate) -> bool:
    """Whether a number reports a past result: "đã" or "đạt được" earlier in its clause.

    The clause runs from the last ``;`` before the number ("đã xếp thứ 17/63, tăng 6
    bậc" is past throughout); a "đã" after the number ("... giấy tờ đã được cấp") is
    a relative clause and says nothing of the number.
    """
    return past_rule(sentence, cand) is not None


def past_rule(sentence: str, cand: Candidate) -> str | None:
    """Return the id of the past-result word that makes a number past (:func:`is_past`)."""
    start = sentence.rfind(";", 0, cand.start) + 1
    stop = sentence.find(";", cand.end)
    stop = min(cand.end + 20, stop if stop >= 0 else len(sentence))
    m = _PAST.search(sentence, start, cand.start)
    if m is None:
        # "Năm 2024, tỉnh đạt được nhiều kết quả: ...; 97,6% hồ sơ ...": a list whose
        # lead-in reports results is past in every item.
        colon = sentence.rfind(": ", 0, start)
        if colon < 0:
            return None
        lead = sentence.rfind(";", 0, colon) + 1
        m = _PAST.search(sentence, lead, colon)
        if m is None:
            return None
        if (
            COMMITMENT.search(sentence, lead, colon) is None
            and COMMITMENT.search(sentence, start, stop) is None
        ):
            return NOT_TARGETS.id_at(sentence, m.start(), "past") or "not_target.past"
        return None
    # "Các TTHC đã công bố, phấn đấu 100% ...": a commitment word makes it a target again.
    if COMMITMENT.search(sentence, start, stop) is None:
        return NOT_TARGETS.id_at(sentence, m.start(), "past") or "not_target.past"
    return None


def _unsaid_reason(number: Number, sentence: str) -> str | None:
    """Return why a number is not a target by its own words, or ``None``."""
    c = number.cand
    if (
        c.unit == "count"
        and c.word is not None  # a bare table cell: its unit column made it a value
        and not is_amount(c)  # an amount's section decides (the ``activities`` filter)
        and number.kind != "equivalent"
        and number.comparator is None
        and number.direction is None
    ):
        return "filter.count_without_commitment"
    if c.unit == "rank_places" and number.direction is None:
        return "filter.rank_move_without_direction"
    if c.unit == "percent":
        # A survey's setting ("độ tin cậy 95%", "10% số mẫu"), not a level.
        m = _SURVEY_BEFORE.search(sentence, max(0, c.start - 30), c.start)
        if m is not None:
            return NOT_TARGETS.id_at(sentence, m.start(), "survey_before") or "not_target.survey"
        m = _SURVEY_AFTER.match(sentence, c.end)
        if m is not None:
            cue = m.group(0).lstrip()
            return NOT_TARGETS.id_at(cue, 0, "survey_after") or "not_target.survey"
    return None


@component(
    "unsaid",
    requires=("number.kind", "number.comparator", "number.direction", "number.pair"),
    assigns=("rejected",),
)
def unsaid(doc: PlanDoc) -> None:
    """Drop counts and rank moves that no commitment word governs, and survey settings."""
    for sentence in doc.sentences:
        numbers = sentence.numbers
        if not numbers:
            continue
        kept = []
        for number in numbers:
            reason = _unsaid_reason(number, sentence.low)
            if reason is None:
                kept.append(number)
            else:
                doc.reject(number, reason)
        sentence.numbers = kept


# What makes a number a statement of this document but not a commitment of it. Each is
# looked for where its rows of ``not_targets.csv`` say: at the logical line's start (a
# footnote), right before or after the number, or in its clause before it.
_FOOTNOTE = re.compile(r"\W{0,3}" + NOT_TARGETS.alternation("footnote"))
_STATISTIC = re.compile(
    NOT_TARGETS.alternation("statistic") + r"\s+(?:khoảng\s+|gần\s+|hơn\s+|tới\s+)?$"
)
_PAST_AFTER = re.compile(r"[^.;]{0,60}?" + NOT_TARGETS.alternation("past_after"))
_CITED_BEFORE = rules.lead(NOT_TARGETS.alternation("cited_before"))
_NORM_AFTER = re.compile(r"\s*(?:của\s+)?" + NOT_TARGETS.alternation("norm_after"))
_NORM_BEFORE = re.compile(
    NOT_TARGETS.alternation("norm_before")
    + r"\s*(?:khoảng\s+)?$"
)
_CONDITION = rules.lead(NOT_TARGETS.alternation("condition"))
_OPTION = rules.lead(NOT_TARGETS.alternation("option"))
_may_cite = rules.any_in(NOT_TARGETS.anchors("cited_before"))
_may_condition = rules.any_in(NOT_TARGETS.anchors("condition"))
_may_option = rules.any_in(NOT_TARGETS.anchors("option"))
_may_past_after = rules.any_in(NOT_TARGETS.anchors("past_after"))

# "TP. Hồ Chí Minh (87,73%), Sơn La (87,26%)": a body or place named, its rate in brackets.
_BRACKETED_RATE = re.compile(r"[A-ZĐÀ-Ỹ][\w.]*\s*\(\s*\d[\d.,]*\s*%\s*\)")


def statement_reason(sentence: str, low: str, line: str, number: Number) -> str | None:
    """Return why a number is a statement of the document but no commitment of it, or ``None``.

    ``sentence`` is the sentence as written, ``low`` lower-cased, ``line`` its logical
    line (lower-cased). In order: a footnote's or endnote's line; a body's rate in a
    list of bodies with their rates in brackets; another body's target quoted; another
    plan's option; a rule's rate or condition (a legal text's norm); a share reported
    ("chiếm 45%"); a result reported ("... so với cùng kỳ").
    """
    c = number.cand
    if line[:1] in "[^" or line[1:2] in "[^":
        m = _FOOTNOTE.match(line)
        if m is not None:
            at = line.find(m.group(0).lstrip(" \t*_-#"))
            return NOT_TARGETS.id_at(line, max(at, 0), "footnote") or "not_target.footnote"
    if c.unit == "percent" and "(" in sentence[max(0, c.start - 3) : c.start]:
        if len(_BRACKETED_RATE.findall(sentence)) >= 2 and _BRACKETED_RATE.search(
            sentence, max(0, c.start - 60), c.end + 3
        ):
            return "not_target.rates_by_body"
    clause_start = low.rfind(";", 0, c.start) + 1
    before = low[clause_start : c.start]
    if _may_cite(low[: c.start]):
        m = None
        for m in _CITED_BEFORE.finditer(low, 0, c.start):  # noqa: B007 - the last one
            pass
        if m is not None and "phấn đấu" not in low[m.end() : c.start]:
            return NOT_TARGETS.id_at(low, m.start(), "cited_before") or "not_target.cited"
    if _may_option(before):
        m = _OPTION.search(before)
        if m is not None:
            return NOT_TARGETS.id_at(before, m.start(), "option") or "not_target.option"
    if c.unit == "percent":
        m = _NORM_AFTER.match(low, c.end)
        if m is not None:
            cue = m.group(0).strip()
            cue = cue[4:].lstrip() if cue.startswith("của ") else cue
            return NOT_TARGETS.id_at(cue, 0, "norm_after") or "not_target.norm"
        m = _NORM_BEFORE.search(low, max(0, c.start - 24), c.start)
        if m is not None:
            return NOT_TARGETS.id_at(low, m.start(), "norm_before") or "not_target.norm"
    if _may_condition(before):
        m = _CONDITION.search(before)
        if m is not None and COMMITMENT.search(low) is None:
            return NOT_TARGETS.id_at(before, m.start(), "condition") or "not_target.norm"
    if number.comparator is None and number.direction is None:
        m = _STATISTIC.search(low, max(0, c.start - 30), c.start)
        if m is not None and COMMITMENT.search(low) is None:
            return NOT_TARGETS.id_at(low, m.start(), "statistic") or "not_target.statistic"
    if _may_past_after(low[c.end :]):
        stop = low.find(";", c.end)
        m = _PAST_AFTER.match(low, c.end, stop if stop >= 0 else len(low))
        if m is not None and COMMITMENT.search(low) is None:
            cue = m.group(0)
            at = m.start() + len(cue) - len(cue.lstrip())
            for row in NOT_TARGETS.select("past_after"):
                found = re.search(row.regex, cue)
                if found is not None:
                    return row.id
            return "not_target.past"
    return None


def _repeated(doc: PlanDoc) -> set[int]:
    """Return the ids of the sentences that repeat, verbatim, one stated three times or more.

    A clause repeated under many items ("... sau khi thực hiện phương án cắt giảm 30%
    ...") is one statement: its first occurrence stands for all.
    """
    seen: dict[str, list[int]] = {}
    for sentence in doc.sentences:
        if sentence.numbers and not sentence.in_table and len(sentence.low) <= _MAX_REPEATED:
            seen.setdefault(" ".join(sentence.low.split()), []).append(id(sentence))
    return {k for ids in seen.values() if len(ids) >= _MIN_REPEATS for k in ids[1:]}


_MIN_REPEATS = 3
_MAX_REPEATED = 1000  # a longer "sentence" is a piece of an unbroken text, not a clause


@component(
    "statements",
    requires=("number.kind", "number.comparator", "number.direction", "view"),
    assigns=("rejected",),
)
def statements(doc: PlanDoc) -> None:
    """Drop the statements that are not this document's commitments (:func:`statement_reason`).

    And the repeats of a clause stated verbatim three times or more (one statement).
    """
    vtext = doc.view.text
    repeats = _repeated(doc) if len(doc.sentences) > 2 else set()
    for sentence in doc.sentences:
        numbers = sentence.numbers
        if not numbers:
            continue
        if id(sentence) in repeats:
            for number in numbers:
                doc.reject(number, "filter.repeated_clause")
            sentence.numbers = []
            continue
        start = vtext.rfind("\n", 0, sentence.offset) + 1
        line = vtext[start : start + 12].lower()
        kept = []
        for number in numbers:
            reason = statement_reason(sentence.text, sentence.low, line, number)
            if reason is None:
                kept.append(number)
            else:
                doc.reject(number, reason)
        sentence.numbers = kept


def _cited_rule(text: str) -> str | None:
    """Return the id of the central body's symbol in a quoted document's number."""
    m = _CITED_SYMBOL.search(text)
    return NOT_TARGETS.id_at(text, m.start() + 1, "cited_symbol") if m is not None else None


_CITED_SYMBOL = re.compile(r"/" + NOT_TARGETS.alternation("cited_symbol") + r"\b")


def _keep_baselines(doc: PlanDoc, numbers: list[Number], reason: str) -> list[Number]:
    kept = []
    for number in numbers:
        if number.kind == "baseline":
            kept.append(number)
        else:
            doc.reject(number, reason)
    return kept


@component(
    "past",
    requires=("sentence.node", "number.kind", "outline"),
    assigns=("rejected", "number.index"),
)
def past(doc: PlanDoc) -> None:
    """Drop what reports the past (only baselines stay) and a rule's thresholds."""
    outline = doc.outline
    norms = doc.extra.setdefault("norms", {})
    for sentence in doc.sentences:
        numbers = sentence.numbers
        if not numbers:
            continue
        low = sentence.low
        if in_report(outline, sentence.node, doc.reports):
            # A section that reports results ("Kết quả đạt được"): only baselines stay.
            numbers = _keep_baselines(doc, numbers, report_rule(outline, sentence.node))
        norm = norm_rule(outline, sentence.node, norms) if numbers else None
        if norm is not None:
            # Criteria that define who qualifies, a grant's conditions: a rule's thresholds.
            for number in numbers:
                doc.reject(number, norm)
            numbers = []
        if _may_be_past(low):
            kept = []
            for number in numbers:
                reason = None if number.kind == "baseline" else past_rule(low, number.cand)
                if reason is None:
                    kept.append(number)
                else:
                    doc.reject(number, reason)
            numbers = kept
        if "/" in low and (m := _RESULT_RANK.search(low)) and not COMMITMENT.search(low):
            # "Chỉ số CCHC năm 2022 đạt 81,46%, xếp thứ 58/63": a ranking result reported
            # with no commitment word is the past.
            cue = m.group(0)[: m.group(0).rindex("thứ")].rstrip()
            reason = NOT_TARGETS.id_of(cue, "result_rank") or "not_target.result_rank"
            numbers = _keep_baselines(doc, numbers, reason)
        elif "theo " in low and (m := _CITED_TARGETS.match(low)):
            # "Theo Nghị quyết số 76/NQ-CP, đến năm 2030, ...": the Government's targets,
            # quoted, are not the plan's own.
            reason = _cited_rule(m.group(0)) or "not_target.cited"
            numbers = _keep_baselines(doc, numbers, reason)
        sentence.numbers = numbers
        for i, number in enumerate(numbers):
            number.index = i


@component(
    "activities",
    requires=("sentence.node", "outline", "number.kind"),
    assigns=("rejected", "number.rules", "number.index"),
)
def activities(doc: PlanDoc) -> None:
    """Drop the amounts of things ("36 phóng sự", "20 mô hình") that no goals heading governs.

    A count of things is a target where the plan states its goals ("Mục tiêu cụ thể",
    "Chỉ tiêu ..."); elsewhere it counts the plan's own activities and outputs (a
    communication plan's articles, a monitoring plan's samples).
    """
    outline = doc.outline
    cache = doc.extra.setdefault("goals", {})
    for sentence in doc.sentences:
        numbers = sentence.numbers
        if not numbers or not any(is_amount(n.cand) for n in numbers):
            continue
        goals = goals_rule(outline, sentence.node, cache)
        kept = []
        for number in numbers:
            if not is_amount(number.cand) or number.kind == "equivalent":
                kept.append(number)
            elif goals is None:
                doc.reject(number, "filter.amount_outside_goals")
            else:
                number.rules["kind"] = f"kind.goals>{goals}"
                kept.append(number)
        sentence.numbers = kept
        for i, number in enumerate(kept):
            number.index = i
