"""The deadline year of a target (``year``): an ordered chain of resolvers, first answer wins.

In order: the number's own year ("(năm 2024 đạt ...)" or a results column's); for
a baseline, the year the plan was issued; a cue right after the number ("... vào
năm 2025"); the nearest cue before it in the sentence ("Đến năm 2025, ..."); an
item's closing deadline ("..., hoàn thành trong năm 2024."); the heading's year;
the plan's own period. A table column's year ("| Năm 2030 |") is the deadline of
its cells. The cue words are the rows of ``parstats/lang/vi/deadline_cues.csv``.

The ``deadline`` component also decides which numbers are stated next to a target
(an equivalent, a baseline) and take its fields, and drops the figures of a year
before the plan was issued ("Năm 2021, Chỉ số CCHC của tỉnh đạt 89,05%").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from parstats import rules
from parstats.extraction.cues import DEADLINES
from parstats.extraction.doc import Number, PlanDoc
from parstats.extraction.pipeline import component
from parstats.extraction.strings import WINDOW

if TYPE_CHECKING:  # pragma: no cover
    from parstats.extraction.metadata import DocumentMeta

__all__ = [
    "year_before",
    "year_before_rule",
    "issued_year",
    "default_year",
    "goals_horizon",
    "DEADLINE_CHAIN",
    "deadline",
]

# Deadline cues.
_YEAR = r"((?:19|20)\d{2})"


_YEAR_AFTER = re.compile(
    rf"[^;.\d]{{0,40}}?\b(?P<cue>{DEADLINES.alternation('after')})"
    r"\s+năm\s+(?P<year>(?:19|20)\d{2})\b"
)


_YEAR_BEFORE_SOURCE = (
    # Not the end of a period: "từ năm 2020 đến năm 2025".
    r"(?<!từ năm \d{4} )(?<!từ năm \d{4})"
    rf"\b{DEADLINES.alternation('before')}\s+năm\s+{_YEAR}\b"
    rf"|(?:^|[;:]\s*|,\s*|[-+]\s*)năm\s+{_YEAR}\s*,"
    rf"|{DEADLINES.alternation('period')}\s+(?:19|20)\d{{2}}\s*[-–]\s*{_YEAR}\b"
)


_YEAR_BEFORE = rules.lead(_YEAR_BEFORE_SOURCE)


_may_have_year_before = rules.any_in(rules.anchors_of([_YEAR_BEFORE_SOURCE]))


# An item's closing deadline: "..., hoàn thành trong năm 2024.", "trước ngày 15/12/2025".
_CLOSING_DEADLINE = rules.lead(
    DEADLINES.alternation("closing")
    + r"\s+(?:năm|quý \w+/?\s*(?:năm)?)?\s*((?:19|20)\d{2})\b[^;\d]{0,20}$|"
    + DEADLINES.alternation("closing_date")
    + r" \d{1,2}/\d{1,2}/((?:19|20)\d{2})\b[^;\d]{0,20}$"
)


_may_close = rules.any_in(
    rules.anchors_of(DEADLINES.regexes("closing") + DEADLINES.regexes("closing_date"))
)


# A clause led by its year: "Năm 2021, Chỉ số CCHC của tỉnh đạt 89,05%".
# (Led by its literal "năm", which the engine finds quickly; what stands before it is
# checked by :func:`_leads_clause`.)
_PAST_LEAD = re.compile(r"năm\s+((?:19|20)\d{2})\s*,")


def _leads_clause(sentence: str, at: int) -> bool:
    """Whether position ``at`` opens the sentence, a clause or a list item."""
    return sentence[:at].rstrip()[-1:] in ("", ";", ":", "(", "-", "+", "•")


def year_before(text: str) -> int | None:
    """Return the year of the last deadline cue in ``text`` ("Đến năm 2025, ..."), or ``None``."""
    found = year_before_rule(text)
    return found[0] if found is not None else None


def year_before_rule(text: str) -> tuple[int, str] | None:
    """Return the year of the last deadline cue in ``text`` and the rule of that cue."""
    if not _may_have_year_before(text):
        return None
    m = None
    for m in _YEAR_BEFORE.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    if m is None:
        return None
    cue, lead, period = m.groups()
    if cue is not None:
        words = m.group(0)
        words = words[: words.rindex("năm")].rstrip()
        return int(cue), DEADLINES.id_of(words, "before") or "deadline.cue_before"
    if lead is not None:
        return int(lead), "deadline.year_lead"  # "Năm 2022, ..."
    return int(period), DEADLINES.id_at(text, m.start(), "period") or "deadline.period"


def issued_year(meta: DocumentMeta | None) -> int | None:
    """Return the year the plan was issued, or ``None``."""
    if meta is None or not meta.issued:
        return None
    issued = str(meta.issued)
    return int(issued[:4]) if issued[:4].isdigit() and issued[:4].isascii() else None


def default_year(meta: DocumentMeta | None) -> int | None:
    """Return the plan's default deadline: the last year of its period, else its year of issue."""
    if meta is not None and meta.period_end is not None:
        return int(meta.period_end)
    return issued_year(meta)


class _Context:
    """What the resolvers of one number may look at."""

    __slots__ = ("doc", "sentence", "number", "kind", "own_year", "issued")

    def __init__(
        self, doc: PlanDoc, number: Number, kind: str, own_year: int | None, issued: int | None
    ) -> None:
        self.doc = doc
        self.sentence = number.sentence.low
        self.number = number
        self.kind = kind
        self.own_year = own_year
        self.issued = issued


_Answer = tuple[int, str] | None


def _own_year(ctx: _Context) -> _Answer:
    """Give the number's own year: "(năm 2024 đạt 84,6%)", or its results column's."""
    return (ctx.own_year, "deadline.own_year") if ctx.own_year is not None else None


def _baseline_issued(ctx: _Context) -> _Answer:
    """Give a baseline the year the plan was issued ("hiện nay" describes it)."""
    if ctx.kind == "baseline" and ctx.issued is not None:
        return ctx.issued, "deadline.baseline_issued"
    return None


def _cue_after(ctx: _Context) -> _Answer:
    """Read a cue right after the number: "đạt trên 85% vào năm 2025"."""
    s, end = ctx.sentence, ctx.number.cand.end
    if "năm" in s[end : end + 60]:
        m = _YEAR_AFTER.match(s, end, min(len(s), end + 60))
        if m:
            rule = DEADLINES.id_of(m.group("cue"), "after") or "deadline.cue_after"
            return int(m.group("year")), rule
    return None


def _cue_before(ctx: _Context) -> _Answer:
    """Read the nearest cue before the number in its sentence: "Đến năm 2025, ..."."""
    c = ctx.number.cand
    return year_before_rule(ctx.sentence[max(0, c.start - WINDOW) : c.start])


def _closing(ctx: _Context) -> _Answer:
    """Read an item's closing deadline: "(5) ... đạt ≥ 98 % ..., hoàn thành trong năm 2024."."""
    s = ctx.sentence
    if _may_close(s):
        m = _CLOSING_DEADLINE.search(s, ctx.number.cand.end)
        if m is not None:
            where = "closing" if m.group(1) else "closing_date"
            rule = DEADLINES.id_at(s, m.start(), where) or "deadline.closing"
            return int(m.group(1) or m.group(2)), rule
    return None


def _heading_year(ctx: _Context) -> _Answer:
    """Give the year the heading over the number sets ("- Đến năm 2025:"), inherited."""
    year = ctx.doc.outline.node(ctx.number.sentence.node).year
    return (year, "deadline.heading") if year is not None else None


def _plan_period(ctx: _Context) -> _Answer:
    """Give the plan's own period's last year (a 2021-2025 plan: 2025).

    A plan that states no period: the year its goals heading sets ("Mục tiêu cụ thể
    đến năm 2030"), else its year of issue.
    """
    meta = ctx.doc.meta
    if meta is not None and meta.period_end is not None:
        return int(meta.period_end), "deadline.plan_period"
    horizon = goals_horizon(ctx.doc)
    if horizon is not None:
        return horizon, "deadline.goals_heading"
    return (ctx.issued, "deadline.plan_issued") if ctx.issued is not None else None


def goals_horizon(doc: PlanDoc) -> int | None:
    """Return the year the plan's first goals heading sets ("Mục tiêu cụ thể đến năm 2030").

    A heading whose title opens with a goals word (``section_roles.csv``, role
    ``goals``) and names one deadline year; ``None`` where none does.
    """
    if "horizon" not in doc.extra:
        from parstats.extraction.outline import title_year
        from parstats.extraction.sections import is_goals_title

        outline = doc.outline
        found = None
        for i in range(1, len(outline.markers)):
            node = outline.node(i)
            if is_goals_title(node.title):
                found = title_year(node.title)
                if found is not None:
                    break
        doc.extra["horizon"] = found
    return doc.extra["horizon"]


DEADLINE_CHAIN: tuple[Callable[[_Context], _Answer], ...] = (
    _own_year,
    _baseline_issued,
    _cue_after,
    _cue_before,
    _closing,
    _heading_year,
    _plan_period,
)
"""The resolvers of a target's deadline, in order (the first answer wins)."""


def _reported_past(ctx: _Context, year: int) -> bool:
    """Whether a "Năm 2021, ..." lead that sets the year states a result of before the plan.

    "Năm 2021, Chỉ số CCHC của tỉnh đạt 89,05%" in a plan issued in 2022: a year
    before the plan was written is a past result, not a deadline.
    """
    if ctx.kind != "target" or ctx.number.cell is not None:
        return False
    s, start = ctx.sentence, ctx.number.cand.start
    lead = None
    for lead in _PAST_LEAD.finditer(s, 0, start):  # noqa: B007 - the last one is wanted
        pass
    return (
        lead is not None
        and _leads_clause(s, lead.start())
        and int(lead.group(1)) == year  # no later cue sets another year
        and year < (ctx.issued or 0)
    )


def _resolve(ctx: _Context) -> tuple[int | None, str] | None:
    """Return the deadline and its rule, or ``None`` where the number reports the past."""
    for resolver in DEADLINE_CHAIN:
        found = resolver(ctx)
        if found is not None:
            if resolver is _cue_before and _reported_past(ctx, found[0]):
                return None
            return found
    return None, "deadline.none"


@component(
    "deadline",
    requires=("number.cell", "number.kind", "number.own_year", "number.pair", "sentence.node",
              "outline", "meta"),
    assigns=("number.kind", "number.target_kind", "number.year", "number.parent",
             "number.attached", "rejected"),
)
def deadline(doc: PlanDoc) -> None:
    """Give every target its deadline; attach equivalents and baselines to their target."""
    default = default_year(doc.meta)
    issued = issued_year(doc.meta)
    for sentence in doc.sentences:
        parent: Number | None = None
        for number in sentence.numbers:
            cell = number.cell
            kind, own_year = number.kind, number.own_year
            if cell is not None and cell.past and kind == "target":
                # A cell under "Kết quả năm 2025": the level reached that year.
                kind, own_year = "baseline", cell.year
                number.rules["kind"] = "kind.table_results_column"
            elif own_year is not None:
                # "(năm 2024 đạt ...)" is a baseline only if 2024 comes before the deadline.
                limit = parent.year if parent is not None else default
                if limit is not None and own_year >= limit:
                    kind = "target"  # a later year's level: its year is the deadline
                    number.rules["kind"] = "kind.later_year_value"
            number.kind, number.own_year = kind, own_year
            if kind == "equivalent" and number.pair is not None and _emitted(number.pair):
                parent = number.pair
            if kind in ("equivalent", "baseline") and parent is not None:
                number.attached, number.parent, number.target_kind = True, parent, kind
                if kind == "equivalent":
                    number.year, number.rules["year"] = parent.year, "deadline.parent"
                elif own_year is not None:
                    number.year, number.rules["year"] = own_year, "deadline.own_year"
                elif issued is not None:
                    number.year, number.rules["year"] = issued, "deadline.baseline_issued"
                else:
                    number.year, number.rules["year"] = parent.year, "deadline.parent"
                continue
            # A baseline with no target before it in the sentence ("hiện nay đạt 30%") still
            # states the current level, not a commitment.
            if kind == "equivalent":
                number.rules["kind"] = "kind.no_target_before"  # restates nothing: a target
            number.target_kind = kind = "baseline" if kind == "baseline" else "target"
            found = _resolve(_Context(doc, number, kind, own_year, issued))
            if found is None:
                doc.reject(number, "deadline.reported_past")
                continue
            year, rule = found
            if cell is not None and cell.year is not None and kind == "target":
                # The column's year ("| Năm 2030 |") is the deadline.
                year, rule = cell.year, "deadline.table_column"
            number.year, number.rules["year"] = year, rule
            parent = number


def _emitted(number: Number) -> bool:
    """Whether a number was kept as a target of its own (not dropped, not attached)."""
    return number.rejected is None and not number.attached
