"""Shared fixtures: a scratch project home so tests never touch the real data/processed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository checkout."""
    return REPO


@pytest.fixture()
def project_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch copy of data/raw, with PARSTATS_HOME pointing at it."""
    home = tmp_path / "project"
    shutil.copytree(REPO / "data" / "raw", home / "data" / "raw")
    (home / "data" / "processed").mkdir(parents=True)
    (home / "reports").mkdir()
    shutil.copytree(REPO / "notebooks", home / "notebooks", dirs_exist_ok=True)
    monkeypatch.setenv("PARSTATS_HOME", str(home))
    return home
