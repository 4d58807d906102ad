"""The extraction entry points: :data:`PIPELINE`, :func:`extract_targets`, ``extract_document``."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from parstats.errors import ParstatsWarning
from parstats.extraction import (
    assemble,
    cues,
    deadline,
    filters,
    indicator,
    layout,
    level,
    lists,
    numbers,
    sections,
    sentences,
    tables,
)
from parstats.extraction.assemble import TARGET_COLUMNS, Target, targets_frame
from parstats.extraction.doc import PlanDoc
from parstats.extraction.guard import DEFAULT_BUDGET, Budget, start
from parstats.extraction.pipeline import Component, analyze, run
from parstats.vn import nfc

if TYPE_CHECKING:  # pragma: no cover
    from parstats.extraction.metadata import DocumentMeta

__all__ = [
    "PIPELINE",
    "TARGET_COLUMNS",
    "Target",
    "PlanDoc",
    "Budget",
    "extract_targets",
    "extract_document",
    "targets_frame",
    "analyze",
]

PIPELINE: tuple[Component, ...] = (
    layout.view,
    layout.outline,
    tables.tables,
    sentences.sentences,
    numbers.numbers,
    cues.cues,
    lists.equivalents,
    filters.unsaid,
    sections.sections,
    filters.past,
    tables.cells,
    sentences.scopes,
    deadline.deadline,
    lists.governing,
    level.level,
    indicator.indicator,
    assemble.assemble,
)
"""The components of target extraction, in the order they run."""


def _metadata_or_none(text: str, stacklevel: int) -> DocumentMeta | None:
    """Read the plan's metadata; on failure, warn and go on without default years."""
    from parstats.extraction.metadata import extract_metadata

    try:
        return extract_metadata(text)
    except Exception as exc:  # noqa: BLE001 - targets must not depend on metadata succeeding
        warnings.warn(
            f"metadata could not be read ({type(exc).__name__}: {exc}); targets get no "
            "default deadline",
            ParstatsWarning,
            stacklevel=stacklevel + 1,
        )
        return None


def _run(text: str, meta: DocumentMeta | None, budget: Budget | None) -> PlanDoc:
    doc = PlanDoc(text, meta)
    if budget is not None:
        doc.clock = start(budget, len(text))
    return run(doc, PIPELINE)


def extract_document(
    text: str, *, meta: DocumentMeta | None = None, budget: Budget | None = DEFAULT_BUDGET
) -> PlanDoc:
    """Run the pipeline on a plan; return the document with every layer filled in.

    Parameters
    ----------
    text
        The plan's text (normalised to NFC here if it is not already).
    meta
        The plan's metadata; read from the text when ``None``.
    budget
        What the document may hold or take (:class:`~parstats.extraction.guard.Budget`);
        ``None``: no limit.

    Returns
    -------
    PlanDoc
        With its sentences, numbers, ``rejected`` numbers (each with the rule that
        dropped it) and ``targets``.

    Raises
    ------
    DocumentTooLargeError
        When the document passes a limit of ``budget``.
    """
    text = nfc(text)
    if meta is None:
        meta = _metadata_or_none(text, stacklevel=2)
    return _run(text, meta, budget)


def extract_targets(
    text: str, *, meta: DocumentMeta | None = None, budget: Budget | None = DEFAULT_BUDGET
) -> list[Target]:
    """Extract the targets of a plan.

    Parameters
    ----------
    text
        The plan's text (normalised to NFC here if it is not already).
    meta
        The plan's metadata; its ``period_end`` is the default deadline and the
        year of ``issued`` dates "hiện nay" baselines. When ``None``, it is read
        from the text with :func:`parstats.extraction.metadata.extract_metadata`.
    budget
        What one document may hold or take (length, number expressions, seconds);
        ``None``: no limit.

    Returns
    -------
    list of Target
        In document order; one number that sets several indicators gives one
        target per indicator, on the same span.

    Raises
    ------
    DocumentTooLargeError
        When the document passes a limit of ``budget`` (a data dump, not a plan).
    """
    text = nfc(text)
    if meta is None:
        meta = _metadata_or_none(text, stacklevel=2)
    return _run(text, meta, budget).targets
