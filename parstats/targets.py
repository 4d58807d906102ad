"""Extract numeric targets (*chỉ tiêu*) from a plan's text.

The extractor lives in :mod:`parstats.extraction` (a pipeline of named
components over one document, its Vietnamese words in ``parstats/lang/vi``).
This module keeps the public names where they have always been imported from:
:func:`extract_targets`, :class:`Target`, :func:`targets_frame` and
:data:`TARGET_COLUMNS`.
"""

from __future__ import annotations

from parstats.extraction import TARGET_COLUMNS, Target, extract_targets, targets_frame

__all__ = ["Target", "extract_targets", "targets_frame", "TARGET_COLUMNS"]
