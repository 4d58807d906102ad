"""The report template through the real runner (papermill, warm kernels) on a small grid.

The scratch project is built from data/raw (``parstats build``, plus the index,
ambition and delivery tables where the build does not write them yet), and the
assertions are on the figures each executed notebook recorded.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from parstats import reports
from parstats.io import write_frame
from parstats.paths import processed_dir

pytestmark = pytest.mark.slow


def build_processed() -> None:
    """Build data/processed of the current PARSTATS_HOME from its data/raw."""
    import warnings

    from parstats import ambition, delivery, indices

    build = importlib.import_module("parstats.build")  # parstats.build is also a function
    build.build()
    out = processed_dir()
    if not (out / "indices.parquet").exists():
        indices.write_processed()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frames = build.load_targets(), build.load_documents(), indices.load()
        for name, module in (("ambition", ambition), ("delivery", delivery)):
            if not (out / f"{name}.parquet").exists():
                write_frame(module.build_frame(*frames), out / f"{name}.parquet")


def n_targets_in_force(province_code: str, year: int) -> int:
    """Targets (kind == target) of the province's plans in force in ``year``, from the tables."""
    build = importlib.import_module("parstats.build")
    docs = build.load_documents()
    docs = docs[
        (docs["province_code"] == province_code)
        & (docs["period_start"] <= year)
        & (docs["period_end"] >= year)
    ]
    targets = build.load_targets()
    return int((targets["doc"].isin(docs["doc"]) & (targets["kind"] == "target")).sum())


def break_template_for(home: Path, province: str) -> None:
    """Make the scratch copy of the template fail for one province only."""
    path = home / "notebooks" / "templates" / reports.TEMPLATE_NAME
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(f"assert province != {province!r}, 'deliberate'"))
    nb.cells[3].pop("id", None)
    nbformat.write(nb, path)


def test_batch_runs_the_grid_in_parallel_and_survives_a_failure(project_home: Path):
    build_processed()
    break_template_for(project_home, "Tây Ninh")
    jobs = reports.default_jobs(["Hưng Yên", "Tây Ninh"], [2019, 2023])
    keys = [j.key for j in jobs]
    assert keys == ["hung-yen/2019", "hung-yen/2023", "tay-ninh/2019", "tay-ninh/2023"]

    result = reports.run_reports(jobs, workers=2, progress=False)

    assert [r.status for r in result.ran] == ["ok", "ok", "failed", "failed"]
    assert "AssertionError: deliberate" in result.failed[0].error
    reports_dir = project_home / "reports"

    # Values the notebook recorded (a typed output, not scraped text).
    record = reports.read_record(reports_dir / "hung-yen" / "2023.json")
    assert record.headline["n_plans"] == 1
    assert record.headline["n_targets"] == n_targets_in_force("33", 2023) > 0
    old = reports.read_record(reports_dir / "hung-yen" / "2019.json")
    assert old.headline["n_plans"] == 0 and old.headline["n_targets"] == 0
    # PCI 2019, Hưng Yên: 63.60 published, 63.6036338806152 in the spreadsheet cell (stored as is)
    assert old.headline["pci_score"] == pytest.approx(63.60, abs=0.005)
    assert old.headline["pci_rank"] == 55.0

    # One results table across runs, typed.
    results = pd.read_parquet(reports_dir / "results.parquet")
    assert results[["slug", "year"]].values.tolist() == [["hung-yen", 2019], ["hung-yen", 2023]]
    assert results.loc[0, "pci_score"] == pytest.approx(63.60, abs=0.005)
    assert str(results["n_targets"].dtype) == "Int64"

    # The executed notebook records parameters and input hashes, and no timings.
    nb = nbformat.read(reports_dir / "hung-yen" / "2023.ipynb", as_version=4)
    meta = nb.metadata["parstats"]
    assert meta["parameters"] == {"province": "Hưng Yên", "year": 2023, "language": "both"}
    assert {"documents.parquet", "targets.parquet", "indices.parquet"} <= set(
        meta["inputs"]["processed"]
    )
    assert meta["cache_key"] == record.cache_key
    assert "start_time" not in nb.metadata["papermill"]
    assert [c.execution_count for c in nb.cells if c.cell_type == "code"][:3] == [1, 2, 3]

    # Standalone HTML without code; the failed report has none, the index says so.
    page = (reports_dir / "hung-yen" / "2023.html").read_text()
    assert "province_report(province, year)" not in page
    assert page.count("data:image/svg+xml;base64") >= 2  # targets by area, trajectories
    assert not (reports_dir / "tay-ninh" / "2023.html").exists()
    index = (reports_dir / "index.html").read_text()
    assert 'href="hung-yen/2023.html"' in index and "4 reports (2 failed)" in index

    # Nothing changed: the successful reports are not run again; the failed one is.
    again = reports.run_reports(jobs, workers=2, progress=False)
    assert sorted(j.key for j in again.cached) == ["hung-yen/2019", "hung-yen/2023"]
    assert [r.job.key for r in again.ran] == ["tay-ninh/2019", "tay-ninh/2023"]

    # Changed processed data invalidates every report.
    write_frame(pd.DataFrame({"x": [1]}), project_home / "data" / "processed" / "extra.parquet")
    inputs = reports.snapshot_inputs()
    assert not any(reports.is_fresh(j, reports.cache_key(j, inputs)) for j in jobs)


def test_cli_report_writes_notebook_html_and_summaries(project_home: Path):
    build_processed()
    done = subprocess.run(
        [sys.executable, "-m", "parstats", "report", "--province", "tay ninh", "--year", "2023"],
        capture_output=True,
        text=True,
        check=False,
        cwd="/",
    )
    assert done.returncode == 0, done.stderr
    out = project_home / "reports" / "tay-ninh"
    assert sorted(p.name for p in out.iterdir()) == [
        "2023.html", "2023.ipynb", "2023.json", "profile.html", "profile.json"
    ]
    assert 'href="profile.html"' in (out / "2023.html").read_text()  # the report links it
    headline = json.loads((out / "2023.json").read_text())["headline"]
    assert headline["n_targets"] == n_targets_in_force("72", 2023)
    assert (project_home / "reports" / "index.html").is_file()
    assert len(pd.read_parquet(project_home / "reports" / "results.parquet")) == 1

    again = subprocess.run(
        [sys.executable, "-m", "parstats", "reports", "--province", "Tây Ninh", "--year", "2023",
             "--no-progress"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert "0 written, 1 unchanged, 0 failed" in again.stdout
    assert "profiles: 0 written, 1 unchanged" in again.stdout


def test_the_kernel_does_not_import_a_parstats_folder_of_the_callers_folder(
    project_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Run from a second checkout, the batch's kernels imported that checkout's parstats."""
    build_processed()
    other = tmp_path / "other-checkout"
    (other / "parstats").mkdir(parents=True)
    (other / "parstats" / "__init__.py").write_text("raise ImportError('the wrong parstats')\n")
    monkeypatch.chdir(other)
    result = reports.run_reports(reports.default_jobs(["Hưng Yên"], [2023]), progress=False)
    assert [r.status for r in result.ran] == ["ok"], result.ran[0].error


def test_a_worker_that_dies_fails_only_its_own_report(project_home: Path, monkeypatch):
    """A worker's death broke the whole pool: reports in flight beside it failed too.

    Every report the broken pool had not finished runs again alone in a fresh worker;
    only the one that kills its worker again fails, named as such.
    """
    import os
    import signal

    build_processed()
    parent = os.getpid()
    real_run_one = reports.run_one

    def run_one(job, inputs, km=None):
        if os.getpid() != parent and job.slug == "kien-giang":
            os.kill(os.getpid(), signal.SIGKILL)  # out of memory, say: every time
        return real_run_one(job, inputs, km=km)

    monkeypatch.setattr(reports, "run_one", run_one)  # forked workers inherit it
    jobs = [reports.plan_report("Kiên Giang", 2019), reports.plan_report("Hưng Yên", 2023),
            reports.plan_report("Tây Ninh", 2023)]
    result = reports.run_reports(jobs, workers=2, progress=False)
    status = {r.slug: r.status for r in result.ran}
    assert status == {"kien-giang": "failed", "hung-yen": "ok", "tay-ninh": "ok"}, result.ran
    (failed,) = result.failed
    assert "the worker process died" in failed.error
    for slug in ("hung-yen", "tay-ninh"):
        assert (project_home / "reports" / slug / "2023.html").exists()
    assert not (project_home / "reports" / "kien-giang" / "2019.html").exists()
