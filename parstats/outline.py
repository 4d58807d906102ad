"""Moved to :mod:`parstats.extraction.outline`; this name stays importable.

There: the heading tree of a plan: sections, areas, deadline years.

Every name of the new module, public or not, is reachable from here.
"""

from __future__ import annotations

import importlib
from typing import Any

from parstats.extraction.outline import *  # noqa: F403

_MOVED = importlib.import_module("parstats.extraction.outline")


def __getattr__(name: str) -> Any:
    return getattr(_MOVED, name)
