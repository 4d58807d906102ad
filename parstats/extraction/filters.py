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
from parstats.extraction.pipeline import component
from parstats.extraction.sections import in_report, report_rule

__all__ = ["COMMITMENT", "is_past", "past_rule", "unsaid", "past"]

COMMITMENT = re.compile(NOT_TARGETS.alternation("commitment"))


_PAST = re.compile(NOT_TARGETS.alternation("past"))


_may_be_past = rules.any_in(NOT_TARGETS.anchors("past"))


# A place reported with its denominator: "xếp thứ 58/63", "đứng thứ 55/63".
_RESULT_RANK = re.compile(rf"{NOT_TARGETS.alternation('result_rank')}\s+thứ\s+\d{{1,2}}/\d{{2}}\b")


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
    if c.unit == "count" and number.kind != "equivalent" and number.comparator is None and (
        number.direction is None
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
    """Drop what reports the past; only baselines stay."""
    outline = doc.outline
    for sentence in doc.sentences:
        numbers = sentence.numbers
        if not numbers:
            continue
        low = sentence.low
        if in_report(outline, sentence.node, doc.reports):
            # A section that reports results ("Kết quả đạt được"): only baselines stay.
            numbers = _keep_baselines(doc, numbers, report_rule(outline, sentence.node))
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
