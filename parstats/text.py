"""Moved to :mod:`parstats.extraction.decode`; this name stays importable.

There: reading and decoding plan text files.

Every name of the new module, public or not, is reachable from here.
"""

from __future__ import annotations

import importlib
from typing import Any

from parstats.extraction.decode import *  # noqa: F403

_MOVED = importlib.import_module("parstats.extraction.decode")


def __getattr__(name: str) -> Any:
    return getattr(_MOVED, name)
