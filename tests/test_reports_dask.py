"""``parstats reports --scheduler``: the report batch on Dask keeps the batch's guarantees.

A 2-worker ``LocalCluster`` on a small grid (two provinces, two years, one
province's reports made to fail): the same records and files as the default
runner, failures isolated, the cache and the summaries kept; Ctrl-C and SIGTERM
stop it with no worker or kernel left (the fault library's process tags).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from parstats import reports
from parstats.errors import InputError

sys.path.insert(0, str(Path(__file__).parent / "faults"))

from faultlib import (  # noqa: E402
    PARSTATS,
    environment,
    kernel_running,
    kill_tagged,
    prepare_reports,
    restore_reports,
    run_killed,
    wait_gone,
)
from test_reports_runner import break_template_for, build_processed  # noqa: E402

pytestmark = pytest.mark.slow


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".lock"}


def test_dask_batch_matches_the_default_runner_and_isolates_failures(project_home: Path):
    build_processed()
    break_template_for(project_home, "Tây Ninh")
    jobs = reports.default_jobs(["Hưng Yên", "Tây Ninh"], [2019, 2023])
    out = project_home / "reports"

    result = reports.run_reports(jobs, workers=2, progress=False, scheduler="local")

    assert [r.job.key for r in result.ran] == [j.key for j in jobs]
    assert [r.status for r in result.ran] == ["ok", "ok", "failed", "failed"]
    assert "AssertionError: deliberate" in result.failed[0].error
    assert not (out / "tay-ninh" / "2023.html").exists()
    record = json.loads((out / "hung-yen" / "2023.json").read_text())
    assert record["status"] == "ok" and record["headline"]["n_plans"] == 1
    index = (out / "index.html").read_text()
    assert 'href="hung-yen/2023.html"' in index and "4 reports (2 failed)" in index
    assert reports.summaries_current()
    on_dask = _files(out)

    # Cached: the successful reports are not run again on Dask either.
    again = reports.run_reports(jobs, workers=2, progress=False, scheduler="local")
    assert sorted(j.key for j in again.cached) == ["hung-yen/2019", "hung-yen/2023"]
    assert [r.job.key for r in again.ran] == ["tay-ninh/2019", "tay-ninh/2023"]

    # The default runner writes the same bytes (same records, notebooks, pages, summaries).
    reports.run_reports(jobs, workers=1, progress=False, force=True)
    assert _files(out) == on_dask


def test_a_scheduler_that_is_not_an_address_is_refused(project_home: Path):
    build_processed()
    jobs = reports.default_jobs(["Hưng Yên"], [2023])
    with pytest.raises(InputError, match="tcp://host:8786"):
        reports.run_reports(jobs, progress=False, scheduler="hung-yen")
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        reports.run_reports(jobs, progress=False, scheduler="tcp://127.0.0.1:9")


ARGS = ["reports", "--province", "Hưng Yên", "--year", "2023", "--no-progress"]


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory):
    """One report, from an empty reports/ folder (as tests/faults/test_report_kills.py)."""
    root = Path(tmp_path_factory.mktemp("dask-kills"))
    return prepare_reports(root, ARGS, previous=False, keys=("hung-yen/2023",))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_dask_batch_stops_promptly_with_its_workers_and_kernels(states, signum):
    restore_reports(states)
    args = [*states.args, "--scheduler", "local", "-j", "2"]
    run = run_killed(states.home, args, "stop", until=kernel_running, signum=signum,
                     orphan_timeout=15.0)
    assert run.survivors == [], f"{len(run.survivors)} workers or kernels outlived the batch"
    assert run.returncode == (143 if signum == signal.SIGTERM else 130), run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert run.stopped is not None and run.stopped < 15.0  # the report is not finished first
    assert len(run.pids) >= 3  # the batch, a Dask worker and its kernel were running
    assert run.kernel_files() == []
    # The summaries describe what is on disk: no report was finished.
    home = states.home
    assert not (home / "reports" / "hung-yen" / "2023.json").exists()
    index = (home / "reports" / "index.html").read_text()
    assert "hung-yen/2023.html" not in index


def test_ctrl_c_in_a_terminal_stops_the_dask_batch_without_tracebacks(states):
    """Ctrl-C reaches the process group: Dask's workers printed KeyboardInterrupt tracebacks."""
    restore_reports(states)
    tag = uuid.uuid4().hex
    proc = subprocess.Popen(
        [*PARSTATS, *states.args, "--scheduler", "local", "-j", "2"],
        env=environment(states.home, tag), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        while proc.poll() is None and not kernel_running(tag):
            time.sleep(0.005)
        assert proc.poll() is None, "the batch ended before a kernel was up"
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal does
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    survivors = wait_gone(tag, 15.0)
    if survivors:
        kill_tagged(tag)
    text = err.decode()
    assert survivors == [], text
    assert proc.returncode == 130, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert text.endswith("interrupted\n"), text
