"""Kill ``parstats build`` at representative steps: ``data/processed`` is never a mix (audit D1).

The full run (every step, SIGKILL and SIGTERM, the audit's timed kills: 110
kills) is ``scripts/fault_injection.py`` and ``test_full_run.py``.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from faultlib import (
    BuildStates,
    Planned,
    prepare_build,
    run_build_plan,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> BuildStates:
    return prepare_build(Path(tmp_path_factory.mktemp("build-kills")))


def _step(states: BuildStates, prefix: str) -> int:
    return next(i for i, op in enumerate(states.operations, 1) if op.split(" ", 1)[1].startswith(
        prefix))


def test_the_build_publishes_in_one_step_at_the_end(states: BuildStates):
    kinds = [op.split(" ", 2)[1] for op in states.operations]
    assert kinds[0] == "mkdir" and kinds[-3:] == ["rename", "symlink", "replace"]
    assert states.operations[-1].endswith("replace processed")


def test_kills_at_representative_steps_leave_a_whole_build(states: BuildStates):
    last = len(states.operations)
    plan = [
        Planned("KILL mid-way through the tables",
                {"after_step": _step(states, "write .targets.csv"), "signum": signal.SIGKILL}),
        Planned("TERM with the generation renamed", {"after_step": last - 2,
                                                     "signum": signal.SIGTERM}),
        Planned("KILL at first rename (audit B15)", {"until": "first_rename"}),
    ]
    kills = run_build_plan(states, plan)
    report = "\n".join(k.line() for k in kills)
    assert all(k.ok for k in kills), report
    assert [k.state for k in kills] == ["A", "A", "B"], report
    assert [k.returncode for k in kills] == [-9, 143, -9], report
