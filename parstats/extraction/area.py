"""The reform area of a target (``area``, ``area_source``): an ordered chain of resolvers.

A PAR plan is laid out by its reform areas: the heading over a target names its
area, and a target under a general heading ("Mục tiêu cụ thể") is ``overall``
(``docs/TARGETS.md``, "Reform areas"). A plan of another subject (digital
transformation of a sector, the digital economy, exports) is not: there a target
takes the PAR area its own words plainly belong to ("Additions for real documents":
area from a target's own words). In order, the first answer winning:

1. the heading over the target names an area (``area_source = heading``);
2. the document is a PAR document (its title names PAR or one of its topics, or its
   headings name three areas or more): ``overall`` (``heading``);
3. a rank or a move in a ranking: ``overall``, a standing outside any area (``cue``);
4. the first row of ``area_cues.csv`` (where = subject) that the target's own words
   hold (``cue``);
5. its indicator's area in the catalogue (``indicator``);
6. the economy or society at large: ``impact`` (``cue``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from parstats import rules
from parstats.extraction import sections
from parstats.extraction.doc import Number, PlanDoc
from parstats.extraction.pipeline import component
from parstats.extraction.strings import lower

if TYPE_CHECKING:  # pragma: no cover
    from parstats.extraction.outline import Outline

__all__ = ["AREA_CHAIN", "AREA_SOURCES", "is_par_document", "area_of", "area"]

AREA_SOURCES: tuple[str, ...] = ("heading", "indicator", "cue")
"""What decided a target's area (the ``area_source`` column)."""

CUES = rules.table("area_cues")

_PAR_TITLE = re.compile(CUES.alternation("title"))

_SUBJECT_ROWS = tuple((row.id, row.value, re.compile(row.regex)) for row in CUES.select("subject"))

_MIN_AREAS = 3  # headings naming this many areas lay a document out by PAR areas

_HEADING_KINDS = frozenset(
    {"roman", "article", "annex", "num1", "num2", "num3", "num4", "alpha", "paren"}
)


def _title_of(doc: PlanDoc) -> str:
    """Return the document's title: its metadata's, else the type heading's block."""
    title = doc.meta.title if doc.meta is not None and doc.meta.title else ""
    if not title:
        from parstats.kinds import find_title

        title = find_title(doc.text)[0]
    return title


def _areas_named(outline: Outline, enough: int) -> int:
    """Return how many reform areas the headings of ``outline`` name (up to ``enough``)."""
    found: set[str] = set()
    for i in range(1, len(outline.markers)):
        node = outline.node(i)
        if node.kind in _HEADING_KINDS and node.area != "overall":
            found.add(node.area)
            if len(found) >= enough:
                break
    return len(found)


def is_par_document(doc: PlanDoc) -> tuple[bool, str]:
    """Return whether the document is laid out by PAR areas, and the rule that says so.

    Its title names PAR or a PAR topic (``area_cues.csv``, where = title), or its
    headings name three reform areas or more.
    """
    found = doc.extra.get("par_document")
    if found is None:
        title = lower(_title_of(doc))
        m = _PAR_TITLE.search(title)
        if m is not None:
            found = (True, CUES.id_at(title, m.start(), "title") or "area.par_title")
        elif _areas_named(doc.outline, _MIN_AREAS) >= _MIN_AREAS:
            found = (True, "area.par_headings")
        else:
            found = (False, "area.not_par")
        doc.extra["par_document"] = found
    return found


class _Context:
    """What the resolvers of one target's area may look at."""

    __slots__ = ("doc", "number", "node")

    def __init__(self, doc: PlanDoc, number: Number) -> None:
        self.doc = doc
        self.number = number
        self.node = number.sentence.node


_Answer = tuple[str, str, str] | None  # area, rule, source


def _heading(ctx: _Context) -> _Answer:
    """Give the area a heading over the target names."""
    outline = ctx.doc.outline
    found = outline.node(ctx.node).area
    if found == "overall":
        return None
    return found, sections.area_rule(outline, ctx.node, ctx.doc.area_rules), "heading"


def _par_document(ctx: _Context) -> _Answer:
    """Give ``overall`` in a PAR document: a general heading ("Mục tiêu cụ thể")."""
    par, _ = is_par_document(ctx.doc)
    return ("overall", "area.default", "heading") if par else None


def _rank(ctx: _Context) -> _Answer:
    """Give ``overall`` to a rank or a move in a ranking: a standing outside any area."""
    if ctx.number.cand.unit in ("rank", "rank_places"):
        return "overall", "area.rank", "cue"
    return None


def _words(number: Number) -> str:
    """Return the target's own words: its clause, or its table row's label."""
    primary, _, extended = number.scopes
    if number.cell is not None:
        return primary
    # A count's own noun is part of its expression ("50 doanh nghiệp"), not of its scope.
    return f"{number.cand.word or ''} {primary} {extended}"


def _cue(ctx: _Context) -> _Answer:
    """Give the area of the first ``area_cues.csv`` subject row the target's words hold."""
    words = _words(ctx.number)
    for row_id, value, pattern in _SUBJECT_ROWS:
        if pattern.search(words):
            return value, row_id, "cue"
    return None


def _indicator(ctx: _Context) -> _Answer:
    """Give the catalogue area of the target's indicator."""
    from parstats.catalogue import indicators

    code = ctx.number.codes[0] if ctx.number.codes else None
    if code is None:
        return None
    found = indicators().get(code)
    if found is None or found.area == "overall":
        return None
    return found.area, f"area.indicator>{ctx.number.code_rules[0]}", "indicator"


def _society(ctx: _Context) -> _Answer:
    """Give ``impact``: a target about the economy or society at large."""
    return "impact", "area.society", "cue"


AREA_CHAIN: tuple[Callable[[_Context], _Answer], ...] = (
    _heading,
    _par_document,
    _rank,
    _cue,
    _indicator,
    _society,
)
"""The resolvers of a target's area, in order (the first answer wins)."""


def area_of(doc: PlanDoc, number: Number) -> tuple[str, str, str]:
    """Return a target's area, the rule behind it and its source (``AREA_SOURCES``)."""
    ctx = _Context(doc, number)
    for resolver in AREA_CHAIN:
        found = resolver(ctx)
        if found is not None:
            return found
    raise AssertionError("the last resolver always answers")  # pragma: no cover


@component(
    "area",
    requires=("sentence.node", "outline", "number.scopes", "number.codes", "number.cell",
              "number.parent"),
    assigns=("number.area", "number.area_source"),
)
def area(doc: PlanDoc) -> None:
    """Give every target its reform area (:data:`AREA_CHAIN`)."""
    for sentence in doc.sentences:
        for number in sentence.numbers:
            if number.rejected is not None or number.attached:
                continue
            number.area, number.rules["area"], number.area_source = area_of(doc, number)
