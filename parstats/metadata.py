"""Moved to :mod:`parstats.extraction.metadata`; this name stays importable.

There: a plan's document metadata read from its text.

Every name of the new module, public or not, is reachable from here.
"""

from __future__ import annotations

import importlib
from typing import Any

from parstats.extraction.metadata import *  # noqa: F403

_MOVED = importlib.import_module("parstats.extraction.metadata")


def __getattr__(name: str) -> Any:
    return getattr(_MOVED, name)
