"""Shared fixtures: a scratch project home so tests never touch the real data/processed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


_ERROR_WARNINGS = (
    "ChainedAssignmentError",
    "SettingWithCopyWarning",
    "DtypeWarning",
    "Pandas4Warning",
    "PandasFutureWarning",
)


def pytest_configure(config: pytest.Config) -> None:
    """Make pandas chained-assignment, dtype and deprecation warnings errors."""
    import pandas.errors

    for name in _ERROR_WARNINGS:
        if hasattr(pandas.errors, name):
            config.addinivalue_line("filterwarnings", f"error::pandas.errors.{name}")
    config.addinivalue_line("filterwarnings", "error::FutureWarning:parstats")


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
