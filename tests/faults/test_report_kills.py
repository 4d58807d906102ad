"""Stop ``parstats reports`` (Ctrl-C, SIGTERM, SIGKILL): no orphans, no half-done reports (D2, D5).

Counts the processes a batch leaves (workers and Jupyter kernels find each
other through an environment tag, whatever their parent), checks the cache
and the summaries after the stop, and that a re-run repairs everything
without ``--force``. The full run is ``scripts/fault_injection.py``.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from faultlib import (
    ReportStates,
    kernel_running,
    kill_reports,
    prepare_reports,
    restore_reports,
    run_killed,
)

pytestmark = pytest.mark.slow


ARGS = ["reports", "--province", "Hưng Yên", "--year", "2023", "--no-progress"]


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> ReportStates:
    """One report, from an empty reports/ folder (the full run starts from older reports)."""
    root = Path(tmp_path_factory.mktemp("report-kills"))
    return prepare_reports(root, ARGS, previous=False, keys=("hung-yen/2023",))


def test_sigkill_after_the_notebook_leaves_nothing_taken_as_done(states: ReportStates):
    step = next(i for i, op in enumerate(states.operations, 1) if op.endswith("rename 2023.ipynb"))
    kill = kill_reports(states, f"KILL after {step}", rerun=True, after_step=step,
                        signum=signal.SIGKILL)
    assert kill.ok, kill.line()
    assert kill.state == "0 done,stale"  # the notebook alone does not make a report done


def test_sigterm_while_writing_the_summaries_leaves_them_whole(states: ReportStates):
    step = next(i for i, op in enumerate(states.operations, 1) if "index.html" in op)
    kill = kill_reports(states, f"TERM after {step}", rerun=False, after_step=step,
                        signum=signal.SIGTERM)
    assert kill.ok, kill.line()
    assert kill.returncode == 143 and kill.state == "1 done"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_parallel_batch_stops_promptly_with_its_workers_and_kernels(states, signum):
    """Audit R11-R14: the batch ran every queued report, then left workers and kernels."""
    restore_reports(states)
    args = [*states.args, "-j", "2"]
    run = run_killed(states.home, args, "stop", until=kernel_running, signum=signum,
                     orphan_timeout=10.0)
    assert run.survivors == [], f"{len(run.survivors)} workers or kernels outlived the batch"
    assert run.returncode == (143 if signum == signal.SIGTERM else 130), run.stderr
    assert "Traceback" not in run.stderr
    assert run.stopped is not None and run.stopped < 10.0  # the report is not finished first
    assert len(run.pids) >= 3  # the batch, its worker and the worker's kernel were running
    assert run.kernel_files() == []  # the worker removed its kernel's connection file


def test_sigkill_of_a_parallel_batch_leaves_no_orphans(states: ReportStates):
    """Audit R15: workers and kernels (about 880 MB) ran on for good after SIGKILL."""
    states.args = [*states.args, "-j", "2"]
    try:
        kill = kill_reports(states, "KILL -j 2 with a kernel up", rerun=False,
                            until=kernel_running, signum=signal.SIGKILL)
    finally:
        states.args = states.args[:-2]
    assert kill.ok, kill.line()
