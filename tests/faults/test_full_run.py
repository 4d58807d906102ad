"""The whole fault-injection run: 50+ kills of ``build`` and of ``reports`` (about 40 minutes).

Skipped unless ``PARSTATS_FAULTS_FULL=1``; ``scripts/fault_injection.py`` runs
the same plans and prints every kill.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from faultlib import (
    build_plan,
    prepare_build,
    prepare_reports,
    reports_plan,
    run_build_plan,
    run_reports_plan,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("PARSTATS_FAULTS_FULL"),
                       reason="set PARSTATS_FAULTS_FULL=1 (about 40 minutes)"),
]


def test_every_build_step(tmp_path: Path):
    states = prepare_build(tmp_path)
    kills = run_build_plan(states, build_plan(states))
    assert len(kills) >= 50
    assert all(k.ok for k in kills), "\n".join(k.line() for k in kills if not k.ok)


def test_every_report_step(tmp_path: Path):
    states = prepare_reports(tmp_path)
    kills = run_reports_plan(states, reports_plan(states))
    assert len(kills) >= 50
    assert all(k.ok for k in kills), "\n".join(k.line() for k in kills if not k.ok)
