"""The section a sentence sits under: its heading path and whether it reports the past.

Heading roles are the rows of ``parstats/lang/vi/section_roles.csv``: a results report
("Kết quả đạt được"), a plan's background ("Bối cảnh", "Thực trạng", "Kinh phí"), and
the words that make such a heading a plan's all the same ("Bối cảnh và mục tiêu").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from parstats.extraction.cues import SECTIONS
from parstats.extraction.doc import PlanDoc
from parstats.extraction.pipeline import component

if TYPE_CHECKING:  # pragma: no cover
    from parstats.extraction.outline import Outline

__all__ = ["in_report", "report_rule", "area_rule", "sections"]

# A results report, not a plan: past figures are not targets.
_REPORT_HEADING = re.compile("^" + SECTIONS.alternation("role", "report"))


# A plan's background ("Bối cảnh", "Thực trạng", "Sự cần thiết", "Kết quả ...") reports
# the past too, unless the heading also sets the plan ("Bối cảnh và mục tiêu").
# "Kết quả đo lường sự hài lòng năm 2021" reports ("Kết quả cụ thể" may plan); a budget
# section's shares ("ngân sách tỉnh ... chiếm 75%") are not reform targets.
_BACKGROUND_HEADING = re.compile("^" + SECTIONS.alternation("role", "background"))


_SECTION_KINDS = frozenset({"roman", "article", "annex", "num1", "num2", "num3", "num4"})


_PLAN_HEADING_WORDS = re.compile(SECTIONS.alternation("plan_words"))


def in_report(outline: Outline, node: int, cache: dict[int, bool]) -> bool:
    """Whether ``node`` sits under a heading that reports results ("Kết quả đạt được")."""
    found = cache.get(node)
    if found is None:
        if node <= 0:
            found = False
        else:
            # The node's own title, else its parent's answer (cached for its siblings).
            info = outline.node(node)
            title = info.title.lower()
            found = (
                _REPORT_HEADING.match(title) is not None
                or (
                    # Only a section's own heading: "- Kinh phí chi thường xuyên giảm 10%"
                    # is an item, not a budget section.
                    info.kind in _SECTION_KINDS
                    and _BACKGROUND_HEADING.match(title) is not None
                    and _PLAN_HEADING_WORDS.search(title) is None
                    and "%" not in outline.text[info.start : info.start + 200].split("\n", 1)[0]
                )
                or in_report(outline, outline.parents[node], cache)
            )
        cache[node] = found
    return found


@component("sections", requires=("numbers", "outline"), assigns=("sentence.node",))
def sections(doc: PlanDoc) -> None:
    """Set the heading node of every sentence that still has numbers, and its heading path."""
    outline = doc.outline
    headings = doc.headings
    for sentence in doc.sentences:
        if sentence.numbers:
            node = sentence.node = outline.node_at(sentence.offset)
            if node not in headings:
                headings[node] = outline.heading(node)


def report_rule(outline: Outline, node: int) -> str:
    """Return the id of the ``section_roles.csv`` row of the report heading over ``node``."""
    while node > 0:
        info = outline.node(node)
        title = info.title.lower()
        m = _REPORT_HEADING.match(title)
        if m is not None:
            return SECTIONS.id_at(title, 0, "role") or "section.report"
        if info.kind in _SECTION_KINDS and _BACKGROUND_HEADING.match(title) is not None:
            return SECTIONS.id_at(title, 0, "role") or "section.background"
        node = outline.parents[node]
    return "section.report"


def _row(row) -> re.Pattern[str]:
    return _ROW_PATTERNS.get(row.id) or _ROW_PATTERNS.setdefault(row.id, re.compile(row.regex))


_ROW_PATTERNS: dict[str, re.Pattern[str]] = {}


def area_rule(outline: Outline, node: int, cache: dict[int, str]) -> str:
    """Return the id of the rule that gave the section at ``node`` its reform area.

    The heading highest up the run of headings that carry the area named it; its
    title's first ``section_roles.csv`` row of that area is the rule. ``area.default``
    where no heading names an area (``overall``).
    """
    found = cache.get(node)
    if found is None:
        area = outline.node(node).area
        top = node
        while top > 0 and outline.node(outline.parents[top]).area == area:
            top = outline.parents[top]
        found = cache.get(top) if top != node else None
        if found is None:
            found = "area.default"
            if top > 0 and area != "overall":
                title = outline.node(top).title.lower()
                found = next(
                    (row.id for row in SECTIONS.select("area", area) if _row(row).search(title)),
                    "area.heading",
                )
            cache[top] = found
        cache[node] = found
    return found
