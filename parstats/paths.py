"""Every path parstats reads or writes, anchored on this file.

One environment variable, ``PARSTATS_HOME``, points the project at another
checkout or a scratch copy (tests and benchmarks use it). It is read inside
:func:`project_root`, never at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_DIR = PACKAGE_DIR.parent


def project_root() -> Path:
    """Return the project directory (``$PARSTATS_HOME`` or the repository)."""
    override = os.environ.get("PARSTATS_HOME")
    return Path(override).resolve() if override else _REPO_DIR


def raw_dir() -> Path:
    """Return ``data/raw``: inputs, never written by code (except ``indices import``)."""
    return project_root() / "data" / "raw"


def plans_dir() -> Path:
    """Return ``data/raw/plans``: plan texts and their manifest."""
    return raw_dir() / "plans"


def raw_indices_dir() -> Path:
    """Return ``data/raw/indices``: published index figures with their sources."""
    return raw_dir() / "indices"


def processed_dir() -> Path:
    """Return ``data/processed``: always rebuilt by ``parstats build``.

    After a build it is a symbolic link to the current generation
    (``data/.processed/<generation>``, see :mod:`parstats.processed`); read
    through :func:`parstats.processed.resolve` to see one whole generation.
    """
    return project_root() / "data" / "processed"


def generations_dir() -> Path:
    """Return ``data/.processed``: the generations of the processed data and the build lock."""
    return project_root() / "data" / ".processed"


def reports_dir() -> Path:
    """Return ``reports``: executed report notebooks and their HTML."""
    return project_root() / "reports"


def notebooks_dir() -> Path:
    """Return ``notebooks``: exploration notebooks and the report template."""
    return project_root() / "notebooks"


def package_data(name: str) -> Path:
    """Return the path of a file shipped inside the package (``parstats/data``)."""
    return PACKAGE_DIR / "data" / name
