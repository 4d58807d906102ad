"""What a target measures (``indicator``): an ordered chain of resolvers, first answer wins.

A rank in the province's own ranking of its bodies names no index; a move in
"mỗi chỉ số" gives one row per index named; a rank or a move names the indices
of its clause, else those before it, else the previous target's; a share, count
or cut is named by the keyword rules of ``parstats/lang/vi/indicator_rules.csv``
(:mod:`parstats.extraction.indicator_rules`) over its own words, its other side, an elided
subject, a shared predicate, a list's lead-in, else the previous target's.
"""

from __future__ import annotations

import re

from parstats.extraction.cues import KINDS, NOT_TARGETS
from parstats.extraction.doc import Number, PlanDoc
from parstats.extraction.indicator_rules import (
    RANK_RULES,
    match_indicator_rule,
    match_rank_indicators,
)
from parstats.extraction.numbers import is_amount
from parstats.extraction.pipeline import component
from parstats.extraction.strings import WINDOW

__all__ = ["indicator_of", "rank_codes", "named_indices", "resolve", "indicator"]

def indicator_of(
    sentence: str,
    number: Number,
    scopes: tuple[str, str, str],
    direction: str | None,
    inherited: tuple[str | None, str] | None,
    between_prev: str = "",
) -> tuple[str | None, str]:
    """Name the indicator of a share or count from its words; return it and its rule.

    The target's own words come first, then the words on its other side. Then,
    for "X đạt N" (subject before the number) an elided subject is the previous
    target's ("... tại cấp huyện đạt 100% và cấp xã đạt 90%"); for "N X ..." a
    predicate shared with the numbers that follow ("100% TTHC cấp tỉnh và 70% TTHC
    cấp xã được chuẩn hóa") is read to the end of the clause. ``inherited`` is the
    previous target's indicator and rule, if any.
    """
    primary, secondary, extended = scopes
    direction = direction or "attain"
    c = number.cand
    if "hài lòng" in sentence[: c.start] and "hài lòng" not in primary:
        # "Mức độ hài lòng ... 90%; riêng lĩnh vực đất đai ... 85%": the narrowing clause
        # keeps the head noun it elides.
        for words in (primary, secondary):
            rule = match_indicator_rule(
                "hài lòng " + words, sentence=sentence, direction=direction
            )
            if rule is not None and rule.code in _SECTOR_SATISFACTION:
                return rule.code, "indicator.elided_head>" + rule.id
    for words, how in ((primary, "indicator.own_words>"), (secondary, "indicator.other_side>")):
        rule = match_indicator_rule(words, sentence=sentence, direction=direction)
        if rule is not None:
            return rule.code, how + rule.id
    if inherited is not None and (
        _OWN_SUBJECT.search(primary)
        or _OWN_SUBJECT.search(secondary)
        or (not number.backward and ";" in between_prev and _FORWARD_SUBJECT.match(primary))
    ):
        # "... đúng hạn đạt 98%; tỷ lệ hồ sơ trễ hạn không quá 1%": a subject of its own
        # that no rule names is not the previous target's.
        inherited = None
    if number.backward and inherited is not None:
        return inherited[0], "indicator.previous>" + inherited[1]
    # The clause to its end is often the number's own words (no number follows): those
    # named no indicator above, and the rules read nothing else.
    rule = (
        None
        if extended == primary or extended == secondary
        else match_indicator_rule(extended, sentence=sentence, direction=direction)
    )
    if rule is not None:
        return rule.code, "indicator.shared_predicate>" + rule.id
    colon = sentence.rfind(": ", 0, c.start)
    if colon > 0:
        # "Tỷ lệ X: cấp tỉnh đạt 90%, cấp huyện 80%": the lead-in names every item.
        lead = sentence[sentence.rfind(";", 0, colon) + 1 : colon]
        rule = match_indicator_rule(lead, sentence=sentence, direction=direction)
        if rule is not None:
            return rule.code, "indicator.lead_in>" + rule.id
    if inherited is not None:
        return inherited[0], "indicator.previous>" + inherited[1]
    return None, "indicator.none"


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
    rf"\s*(?:cơ quan,? )?{NOT_TARGETS.alternation('internal_body')}(?![^;.]{{0,40}}cả nước)"
    r"|[^;.]{0,40}\b(?:trong|của) khối\b"
)


# "mỗi chỉ số tăng 3 bậc", "đều tăng 3 bậc": one move for each index named.
_EACH_INDEX = re.compile(KINDS.alternation("each_index"))


def rank_codes(words: str, unit: str) -> tuple[str | None, ...]:
    """Return the rank indicators ``words`` name; a move in a ranking other than PCI has none.

    ``(None,)`` means an index is named but the catalogue has no code for a move in it.
    """
    return _codes(named_indices(words, unit), unit)


def _codes(indices: tuple[str, ...], unit: str) -> tuple[str | None, ...]:
    """Return the indicator of a rank (``unit="rank"``) or a move in each index's ranking."""
    if unit == "rank":
        return indices
    return tuple("pci_rank_change" if index == "pci_rank" else None for index in indices)


_RANKED = tuple((rule.code, re.compile(rule.pattern)) for rule in RANK_RULES)
_ORDER = {code: k for k, (code, _) in enumerate(_RANKED)}
# What may stand between indices named together: "Chỉ số PCI và Chỉ số PAPI",
# "PAR INDEX, PAPI", "... cấp tỉnh (PAPI) và ...".
_TOGETHER = re.compile(r"(?:[\s,()]|\bvà\b|\bcùng\b|\bchỉ số\b|\bcấp tỉnh\b)*")
_LINK = re.compile(r",|\bvà\b|\bcùng\b")


def named_indices(words: str, unit: str) -> tuple[str, ...]:
    """Return the indices (their rank codes, in catalogue order) whose rank or move ``words`` give.

    A rank: every index named ("PAR INDEX, PAPI, ICT INDEX nằm trong nhóm 20"). A move:
    the index named nearest before the number, with those named together with it
    ("Chỉ số PCI và Chỉ số PAPI tăng 3 bậc": both move); an index named apart from it
    does not move ("Chỉ số PCI thuộc nhóm khá, Chỉ số PAPI tăng 3 bậc": PAPI).
    """
    words = words.lower()
    if unit == "rank":
        return match_rank_indicators(words, unit="rank")
    mentions = sorted(
        (m.start(), m.end(), code) for code, pattern in _RANKED for m in pattern.finditer(words)
    )
    if not mentions:
        return ()
    # One index named twice in a row ("năng lực cạnh tranh cấp tỉnh (PCI)") is one mention.
    runs: list[list] = []
    for start, end, code in mentions:
        if runs and runs[-1][2] == code:
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([start, end, code])
    chosen = {runs[-1][2]}
    for before, after in zip(reversed(runs[:-1]), reversed(runs[1:]), strict=True):
        gap = words[before[1] : after[0]]
        if not (_TOGETHER.fullmatch(gap) and _LINK.search(gap)):
            break
        chosen.add(before[2])
    return tuple(sorted(chosen, key=_ORDER.__getitem__))


def resolve(
    number: Number, previous: Number | None
) -> tuple[tuple[str | None, ...], tuple[str, ...]]:
    """Return the indicator codes of one number (one per index named) and the rule of each.

    ``previous`` is the target before it in its sentence, whose indicator an
    elided subject shares.
    """
    sentence = number.sentence.low
    c = number.cand
    primary, secondary, _ = number.scopes
    if c.unit == "rank" and number.cell is None and _INTERNAL_RANK.match(sentence, c.end):
        # "nhóm 3 đơn vị dẫn đầu khối các huyện của tỉnh": a place in the province's
        # own ranking of its bodies, not in a national index.
        return (None,), ("indicator.internal_rank",)
    if c.unit == "rank_places" and _EACH_INDEX.search(sentence, max(0, c.start - 40), c.start):
        # "PAPI và PCI mỗi chỉ số tăng 3-5 bậc": a move in each index named before it
        # (only PCI's has a code).
        named = match_rank_indicators(secondary if not number.backward else primary, unit="rank")
        if not named:
            return (None,), ("indicator.each_index",)
        return _codes(named, c.unit), _index_rules("indicator.each_index", named)
    if c.unit in ("rank", "rank_places"):
        # The indices named in the number's own clause, else anywhere before it.
        for scope, rule in (
            (primary if number.backward else secondary, "indicator.rank_clause"),
            (sentence[max(0, c.start - WINDOW) : c.start], "indicator.rank_before"),
            (sentence, "indicator.rank_sentence"),
        ):
            named = named_indices(scope, c.unit)
            if named:
                return _codes(named, c.unit), _index_rules(rule, named)
        if previous is not None and previous.cand.unit == c.unit:
            return (previous.codes[-1],), ("indicator.previous>" + previous.code_rules[-1],)
        return (None,), ("indicator.none",)
    if c.unit == "count" and is_amount(c):
        # "20 mô hình", "18.000 tấn": an amount of things; the catalogue's shares do not
        # measure it.
        return (None,), ("indicator.amount",)
    inherited = (
        (previous.codes[-1], previous.code_rules[-1])
        if previous is not None and previous.codes[-1] is not None
        else None
    )
    between_prev = sentence[previous_end(number) : c.start] if number.index > 0 else ""
    code, rule = indicator_of(
        sentence, number, number.scopes, number.target_direction, inherited, between_prev
    )
    return (code,), (rule,)


def _index_rules(rule: str, indices: tuple[str, ...]) -> tuple[str, ...]:
    """Return the rule of each index's row: how it was read, then the index's row."""
    return tuple(f"{rule}>indicator.rank.{index}" for index in indices)


def previous_end(number: Number) -> int:
    """Return where the number before this one in its sentence ends."""
    return number.sentence.numbers[number.index - 1].cand.end


@component(
    "indicator",
    requires=("number.scopes", "number.target_direction", "number.cell", "number.parent"),
    assigns=("number.codes",),
)
def indicator(doc: PlanDoc) -> None:
    """Name what every target measures (:func:`resolve`)."""
    for sentence in doc.sentences:
        previous: Number | None = None
        for number in sentence.numbers:
            if number.rejected is not None or number.attached:
                continue
            number.codes, number.code_rules = resolve(number, previous)
            previous = number
