"""Extract numeric targets (*chỉ tiêu*) from a plan's text: a pipeline of named components.

:func:`extract_targets` reads the text the way ``docs/TARGETS.md`` tells an
annotator to: it finds every number that fixes a level the plan commits to (a
share, a rank, a move in a ranking, a count that restates a cut), and records
what the words around it say — comparator, direction, deadline, tier of
government, reform area, kind and indicator.

The work is done by the components of :data:`PIPELINE`, in order, over one
:class:`~parstats.extraction.doc.PlanDoc` (see ``docs/ARCHITECTURE.md``). Each
declares the layers it requires and assigns (checked by
:func:`~parstats.extraction.pipeline.analyze`); the field choices are ordered
chains of small resolvers, the first answer wins, and every answer keeps the id
of its rule. The Vietnamese words are the rows of ``parstats/lang/vi/*.csv``
(:mod:`parstats.rules`). Every rule is a general rule of Vietnamese
plan-writing; nothing depends on a particular document.
"""

from __future__ import annotations

import importlib
from typing import Any

# Public name -> module, resolved on first use (PEP 562): importing one module of the
# package (``parstats.extraction.decode``) does not import every component.
_LAZY: dict[str, str] = {
    "PIPELINE": "parstats.extraction.api",
    "extract_targets": "parstats.extraction.api",
    "extract_document": "parstats.extraction.api",
    "TARGET_COLUMNS": "parstats.extraction.assemble",
    "Target": "parstats.extraction.assemble",
    "targets_frame": "parstats.extraction.assemble",
    "PlanDoc": "parstats.extraction.doc",
    "Budget": "parstats.extraction.guard",
    "analyze": "parstats.extraction.pipeline",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'parstats.extraction' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
