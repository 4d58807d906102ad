"""parstats: compare Vietnamese provinces' Public Administration Reform plans.

Turns PAR plans (*kế hoạch cải cách hành chính*) into a standardised targets
dataset, joins it with the national governance indices (PAR Index, SIPAS, PAPI,
PCI), fits honest statistical models and writes per-province, per-year reports.

Importing this package reads no file, configures no logging and imports no
heavy library: the public functions below are resolved lazily on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public name -> "module:attribute". Function names never equal a submodule's
# name: importing ``parstats.build`` would otherwise replace the function.
# Resolved on first access (PEP 562) so that
# ``import parstats`` stays fast and side-effect free.
_LAZY: dict[str, str] = {
    "read_text": "parstats.text:read_text",
    "extract_targets": "parstats.targets:extract_targets",
    "extract_metadata": "parstats.metadata:extract_metadata",
    "extract_document": "parstats.extract:extract_document",
    "extract_paths": "parstats.extract:extract_paths",
    "build_dataset": "parstats.build:build",
    "load_targets": "parstats.build:load_targets",
    "load_documents": "parstats.build:load_documents",
    "evaluate_targets": "parstats.evaluate:evaluate",
    "load_indicators": "parstats.catalogue:load_indicators",
    "provinces": "parstats.provinces",
    "indices": "parstats.indices",
    "ambition": "parstats.ambition",
    "analysis": "parstats.analysis",
    "delivery": "parstats.delivery",
    "models": "parstats.models",
    "reports": "parstats.reports",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    try:
        target = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'parstats' has no attribute {name!r}") from None
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    value = getattr(module, attr) if attr else module
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
