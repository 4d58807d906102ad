"""Moved to :mod:`parstats.extraction.indicator_rules`; this name stays importable.

There: the indicator keyword rules (parstats/lang/vi/indicator_rules.csv).

Every name of the new module, public or not, is reachable from here.
"""

from __future__ import annotations

import importlib
from typing import Any

from parstats.extraction.indicator_rules import *  # noqa: F403

_MOVED = importlib.import_module("parstats.extraction.indicator_rules")


def __getattr__(name: str) -> Any:
    return getattr(_MOVED, name)
