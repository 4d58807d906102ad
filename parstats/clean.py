"""Moved to :mod:`parstats.extraction.view`; this name stays importable.

There: the parse view of a plan (joined lines, furniture dropped) and its offset map.

Every name of the new module, public or not, is reachable from here.
"""

from __future__ import annotations

import importlib
from typing import Any

from parstats.extraction.view import *  # noqa: F403

_MOVED = importlib.import_module("parstats.extraction.view")


def __getattr__(name: str) -> Any:
    return getattr(_MOVED, name)
