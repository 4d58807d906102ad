"""The tier of government a target applies to (``level``): an ordered chain of resolvers.

The words that name each tier are the rows of ``parstats/lang/vi/levels.csv``; the
resolvers of :data:`LEVEL_CHAIN` are tried in order and the first answer wins (see
:func:`resolve`). A table cell takes its column's tier or its row label's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from parstats import rules
from parstats.extraction.cues import COMPARATORS, KINDS, LEVELS
from parstats.extraction.doc import Number, PlanDoc
from parstats.extraction.pipeline import component
from parstats.extraction.sentences import BOUNDARY
from parstats.extraction.strings import lower

if TYPE_CHECKING:  # pragma: no cover
    from parstats.extraction.outline import Outline

__all__ = [
    "TIER",
    "SINGLE_TIER",
    "TIER_ONLY_GAP",
    "TIER_SETS",
    "may_name_tier",
    "level_named",
    "heading_level",
    "respective_levels",
    "LEVEL_CHAIN",
    "level",
]

# The words that may stand between a tier and its number: "cấp tỉnh đạt tối thiểu 90%".
_LEAD_QUALIFIER = re.compile(rf"\s*(?:đạt|là|:)?\s*{COMPARATORS.alternation('lead')}?\s*$")

# Every character a _LEAD_QUALIFIER match can hold: none starts before the last other
# character, so its search starts after it (the same match, without trying each position).
_QUALIFIER_WORDS = rules.expansions(rf"(?:đạt|là|:)?{COMPARATORS.alternation('lead')}?")
_QUALIFIER_CHARS = (
    "".join(sorted(set("".join(_QUALIFIER_WORDS))))
    + "".join(chr(c) for c in range(0x3001) if chr(c).isspace())  # what \s matches
    if _QUALIFIER_WORDS is not None
    else None
)


_WORD = re.compile(r"\w")


_LEAD_PREPOSITION = re.compile(r"^\s*(?:và\s+)?(?:(?:riêng|đối với|tại|ở)\s+)?")


_ONE_LEVEL = rf"(?:các\s+)?(?:ubnd\s+)?cấp {LEVELS.alternation('after_cap')}\b"


# "đạt 100% ở cấp tỉnh và cấp huyện, 90% ở cấp xã": the tiers follow their number.
# A tier may also trail with no "cấp": "đạt 90% ở phường, xã" (levels.csv, where=trailing).
_TRAILING = (
    f"(?:{_ONE_LEVEL}|{LEVELS.alternation('trailing')})"
    if LEVELS.select("trailing")
    else _ONE_LEVEL
)
_TRAIL_TIER = re.compile(
    rf"\s*(?:đối với|tại|ở)\s+(?P<t>{_TRAILING}(?:\s*(?:,|và)\s*{_TRAILING})*)"
)


# The words between two items of one list that differ only in their tier.
TIER_ONLY_GAP = re.compile(rf"\s*(?:(?:đối với|tại|ở)\s+)?{_ONE_LEVEL}\s*(?:,|và)\s*")


# A list of numbers closed by the tiers they go to ("70%, 60% và 50% ở cấp tỉnh,
# cấp huyện và cấp xã") is read one tier to each number, as with "lần lượt".
_LIST_TIERS_AFTER = re.compile(r"\s*%?\s*(?:đối với|tại|ở)\s+(?:các\s+)?(?:ubnd\s+)?cấp ")


# "lần lượt đạt a% và b% tại cấp tỉnh, cấp xã": one tier to each number, in order.
RESPECTIVELY = re.compile(KINDS.alternation("respectively"))


may_be_respective = rules.any_in(KINDS.anchors("respectively"))


_LIST_GAP = re.compile(r"^[\s,]*(?:và|,)?\s*$")


# A leading "Đối với cấp xã, ..." names the tier of the whole sentence.
_FOR_TIER = rules.lead(
    r"(?:^|[;:]\s*|[-+•]\s+)(?:riêng\s+)?(?:đối với|riêng|tại|ở)\s+([^,;:]{3,40}),"
)

# The same after the text's start: led by one class (``[-+•]\s+`` as ``[-+•](?=\s)\s*``,
# the same matches, as no word that follows starts with a space), which the engine finds
# in its fast scan; ``_FOR_TIER`` is tried at the start only.
_FOR_TIER_AFTER = re.compile(
    r"[;:\-+•](?:(?<=[;:])|(?=\s))\s*(?:riêng\s+)?(?:đối với|riêng|tại|ở)\s+([^,;:]{3,40}),"
)


# Tiers of government: the words that name each (levels.csv), one named group per level.
def _group(level: str) -> str:
    return level.replace("+", "_")


def _tier_source(values: tuple[str, ...] | None = None) -> str:
    return r"\b(?:" + LEVELS.grouped("name", _group, values) + ")"


# The lookahead lets the engine skip quickly to word starts that can begin a mention.
TIER = rules.lead(_tier_source())


# One tier per mention: "cấp huyện và cấp xã" is two.
SINGLE_TIER = rules.lead(_tier_source(("province", "district", "commune")))


# The first words of the mentions: the engine finds them in its fast scan, which TIER's
# named groups and optional first words deny it; TIER runs only where they stand.
_TIER_STARTS = rules.word_starts(_tier_source())
_SINGLE_TIER_STARTS = rules.word_starts(_tier_source(("province", "district", "commune")))


def _tiers(text: str) -> Iterator[re.Match[str]]:
    """Return the TIER mentions of ``text``, as ``TIER.finditer(text)``."""
    return rules.finditer(TIER, _TIER_STARTS, text)


# Whether a text holds one of the words every TIER mention has (else it names no tier).
may_name_tier = rules.any_in(LEVELS.anchors("name"))


TIER_SETS = {
    _group(level): (
        {"province", "district", "commune"} if level == "all" else set(level.split("+"))
    )
    for level in dict.fromkeys(r.value for r in LEVELS.select("name"))
}


_TIER_GAP_OK = re.compile(r"^[^.;:()\d]{0,40}$")


_TIER_GAP_LINK = re.compile(r",|\bvà\b|\bhoặc\b")


_TIER_GAP_BREAK = re.compile(r"\b(?:với|giữa|đến|của|thuộc|cho|tại)\b")


def level_named(scope: str, backward: bool) -> str | None:
    """Return the level named in ``scope``: the mention nearest the number and its coordinates."""
    found = _named(scope, backward)
    return found[0] if found is not None else None


def _named(scope: str, backward: bool) -> tuple[str, str] | None:
    """Return :func:`level_named` and the id of the ``levels.csv`` row of its nearest mention."""
    if not may_name_tier(scope):
        return None
    mentions = [(m.start(), m.end(), m.lastgroup) for m in _tiers(scope)]
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
        tiers |= TIER_SETS[group or "all"]
    first = chosen[0]
    row = LEVELS.id_of(scope[first[0] : first[1]], "name") or "level.name"
    if len(tiers) >= 3:
        return "all", row
    order = [t for t in ("province", "district", "commune") if t in tiers]
    return "+".join(order), row


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


def heading_level(outline: Outline, node: int, cache: dict[int, str | None]) -> str | None:
    """Return the tier the nearest heading over ``node`` is addressed to, if any."""
    if node in cache:
        return cache[node]
    found = None
    if node > 0:
        title = outline.node(node).title.lower()
        m = _HEADING_TIER.fullmatch(title)
        if m is not None and may_name_tier(m.group("t")):
            found = level_named(m.group("t"), False)
        if found is None:
            found = heading_level(outline, outline.parents[node], cache)
    cache[node] = found
    return found


def _ends_with_tier(text: str) -> bool:
    """Whether ``text`` ends with a tier mention ("... ở cấp tỉnh")."""
    if not may_name_tier(text):
        return False
    last = None
    for last in _tiers(text):  # noqa: B007 - the last mention is wanted
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
    start = len(lead.rstrip(_QUALIFIER_CHARS)) if _QUALIFIER_CHARS is not None else 0
    lead = lead[: _LEAD_QUALIFIER.search(lead, start).start()]
    return lead[_LEAD_PREPOSITION.match(lead).end() :].strip()


def respective_levels(sentence: str, readings: list[Number]) -> dict[int, str]:
    """Give each number of a list its own tier, in order.

    "lần lượt a% và b% ... cấp tỉnh, cấp xã" (a list after "lần lượt"), or a list
    closed by its tiers ("70%, 60% và 50% ở cấp tỉnh, cấp huyện và cấp xã"). The
    tiers are counted as written; where a coordinated mention ("cấp huyện và cấp
    xã") makes the count fall short, each tier is counted on its own.
    """
    out: dict[int, str] = {}
    starts = [m.end() for m in RESPECTIVELY.finditer(sentence)]
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
        stop = BOUNDARY.search(sentence, after)
        scope = sentence[after : stop.start() if stop else len(sentence)]
        tiers = [m.lastgroup or "all" for m in _tiers(scope)]
        if len(tiers) != len(members):
            tiers = [
                m.lastgroup or "all"
                for m in rules.finditer(SINGLE_TIER, _SINGLE_TIER_STARTS, scope)
            ]
        if len(tiers) == len(members):
            for k, group_name in zip(members, tiers, strict=True):
                order = TIER_SETS[group_name]
                out[k] = (
                    "all"
                    if len(order) >= 3
                    else "+".join(t for t in ("province", "district", "commune") if t in order)
                )
    return out


# ---------------------------------------------------------------------------
# The resolvers, in order: each returns ``(level, rule id)`` or ``None``.


def _with(found: tuple[str, str] | None, how: str) -> tuple[str, str]:
    """Return a level and its rule: how it was read, then the row of the words that name it."""
    if found is None:
        return "all", how  # a lead or trailing tier whose words name every tier
    return found[0], f"{how}>{found[1]}"


def _lead_tier(number: Number, sentence: str) -> tuple[str, str] | None:
    """Read a tier that alone leads the number: "cấp tỉnh trên 90%"."""
    cand = number.cand
    pre = sentence[max(0, cand.start - 60) : cand.start]
    if may_name_tier(pre):
        lead = _lead_words(pre)
        if lead and TIER.fullmatch(lead) is not None:
            return _with(_named(lead, True), "level.lead_tier")
    return None


def _trailing_tier(number: Number, sentence: str) -> tuple[str, str] | None:
    """"đạt 100% đối với cấp tỉnh, 90% đối với cấp huyện": the tier follows its number."""
    m = _TRAIL_TIER.match(sentence, number.cand.end)
    if m is not None:
        return _with(_named(m.group("t"), False), "level.trailing_tier")
    return None


def _own_words(number: Number, sentence: str) -> tuple[str, str] | None:
    """Read the tiers of the number's own words (ending its clause: the words before it)."""
    primary, secondary, _ = number.scopes
    found = _named(primary, number.backward)
    if found is not None:
        return _with(found, "level.own_words")
    if not number.backward and not _WORD.search(primary):
        found = _named(secondary, True)
        if found is not None:
            return _with(found, "level.words_before")
    return None


def _for_tier(number: Number, sentence: str) -> tuple[str, str] | None:
    """Read a leading "Đối với cấp xã, ...": the tier of the whole sentence."""
    if "đối với" in sentence or "riêng" in sentence or "tại" in sentence:
        stop = number.cand.start
        # As the last of _FOR_TIER.finditer(sentence, 0, stop): "^" holds at 0 only.
        found = _FOR_TIER.match(sentence, 0, stop)
        for m in _FOR_TIER_AFTER.finditer(sentence, found.end() if found else 0, stop):
            found = m
        if found is not None:
            named = _named(found.group(1), False)
            if named is not None:
                return _with(named, "level.for_tier")
    return None


def _addressees(number: Number, sentence: str) -> tuple[str, str] | None:
    """Read the bodies an item is addressed to: "c) Các sở, ban, ngành và UBND cấp huyện: ..."."""
    if ": " in sentence:
        colon = sentence.find(": ")
        if colon < number.cand.start:
            m = _ADDRESSEES.match(sentence, 0, colon)
            if m is not None and (len(m.group("t")) > 90 or _NOT_ADDRESSEES.search(m.group("t"))):
                m = None  # "Sở Nội vụ chủ trì, phối hợp ... thực hiện mục tiêu sau: ..."
            if m is not None and m.group("t").startswith(("sở ", "các sở ")):
                return "province", "level.addressees"  # "a) Sở Y tế, Sở Giáo dục ...: giảm 2%"
            if m is not None and may_name_tier(m.group("t")):
                named = _named(m.group("t"), False)
                if named is not None:
                    return _with(named, "level.addressees")
    return None


LEVEL_CHAIN: tuple[Callable[[Number, str], tuple[str, str] | None], ...] = (
    _lead_tier,
    _trailing_tier,
    _own_words,
    _for_tier,
    _addressees,
)
"""The resolvers a number's own sentence answers, in order (the first answer wins)."""


def resolve(number: Number, doc: PlanDoc, respective: dict[int, str]) -> tuple[str, str]:
    """Return the level of one number and the rule that gave it.

    A table cell: its column's tier, else its row label's. Else, in order: its place
    in a list that names one tier per number ("lần lượt"), the resolvers of
    :data:`LEVEL_CHAIN`, the tier the heading over it addresses (unless the sentence
    speaks of the province's own figure, "của tỉnh"), and ``all``.
    """
    cell = number.cell
    if cell is not None:
        if cell.tier:
            return cell.tier, "level.table_column"
        found = _named(lower(cell.label), False)
        return _with(found, "level.table_row") if found else ("all", "level.default")
    if number.index in respective:
        return respective[number.index], "level.respective"
    sentence = number.sentence.low
    for resolver in LEVEL_CHAIN:
        found = resolver(number, sentence)
        if found is not None:
            return found
    if "của tỉnh" not in sentence:  # the province's own figure: all tiers
        node = number.sentence.node
        cache = doc.heading_levels
        heading = cache[node] if node in cache else heading_level(doc.outline, node, cache)
        if heading:
            return heading, "level.heading"
    return "all", "level.default"


@component(
    "level",
    requires=("number.cell", "number.scopes", "sentence.node", "outline", "number.parent"),
    assigns=("number.level",),
)
def level(doc: PlanDoc) -> None:
    """Give each number that sets a target its level (:func:`resolve`)."""
    for sentence in doc.sentences:
        numbers = sentence.numbers
        if not numbers:
            continue
        low = sentence.low
        respective = (
            respective_levels(low, numbers)
            if len(numbers) > 1 and (may_be_respective(low) or "cấp " in low)
            else {}
        )
        for number in numbers:
            if number.rejected is None and not number.attached:
                number.level, number.rules["level"] = resolve(number, doc, respective)
