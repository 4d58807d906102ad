"""Helpers for tests that work in a scratch project (the ``project_home`` fixture)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def add_plan(home: Path, name: str, data: bytes | str, **override: str) -> Path:
    """Put a plan into the scratch project's ``data/raw/plans`` with its manifest row.

    ``data`` is the file's bytes (a ``str`` is written as UTF-8); ``override`` sets
    manifest cells other than ``file``, ``sha256``, ``bytes`` and ``source``.
    """
    plans = home / "data" / "raw" / "plans"
    path = plans / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    manifest = plans / "manifest.csv"
    manifest.chmod(0o644)
    header = manifest.read_text(encoding="utf-8").splitlines()[0].split(",")
    cells = {"file": name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
             "bytes": str(path.stat().st_size), "source": "test", **override}
    with open(manifest, "a", encoding="utf-8") as fh:
        fh.write(",".join(cells.get(column, "") for column in header) + "\n")
    return path
