"""The layout of a plan: its parse view (joined lines, furniture dropped) and heading tree.

Two components around :func:`parstats.extraction.view.parse_view` and
:func:`parstats.extraction.outline.build_outline`.
"""

from __future__ import annotations

from parstats.extraction.doc import PlanDoc
from parstats.extraction.outline import build_outline
from parstats.extraction.pipeline import component
from parstats.extraction.view import parse_view

__all__ = ["view", "outline"]


@component("view", requires=("text",), assigns=("view",))
def view(doc: PlanDoc) -> None:
    """Build the parse view of the text, with its map back to the NFC offsets."""
    doc.view = parse_view(doc.text)


@component("outline", requires=("view",), assigns=("outline",))
def outline(doc: PlanDoc) -> None:
    """Build the heading tree of the parse view."""
    doc.outline = build_outline(doc.view.text)
