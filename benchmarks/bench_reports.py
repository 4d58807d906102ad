"""Benchmark: the report batch against a plain loop of papermill calls, in one run.

On a scratch copy of the project (data/raw and notebooks, built afresh) and
the grid of seed province-years (every province-year in which a plan of the
corpus is in force), this measures

1. a plain loop: one ``papermill`` command per report, one after the other
   (each pays interpreter start-up, a new kernel and the imports);
2. ``parstats reports -j 2`` on the same grid, from cold (``force``);
3. the same batch again with nothing changed (every report a cache hit);
3b. the batch on Dask (``--scheduler local``, a ``LocalCluster`` of the same number
   of workers), from cold, for comparison (no bar);
4. one report (``parstats report``): wall time and peak memory.

Bars: (2) <= 0.3 x (1); (3) <= 5% of (2).

With ``--fresh-clone`` it also clones the repository (its last commit) into a
temporary folder and times the main job there, ``make all`` from nothing (set-up
of the environment included, then the build, the plan-year reports, the 63
profiles, the maps and the index), as the README reports it.

Usage: ``python benchmarks/bench_reports.py [--jobs 2] [--limit N] [--fresh-clone]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

RUN_BATCH = """
import json, sys
from parstats.reports import ReportJob, run_reports
jobs = [ReportJob(**j) for j in json.loads(sys.argv[1])]
result = run_reports(jobs, workers=int(sys.argv[2]), force=sys.argv[3] == "force", progress=False,
                     scheduler=sys.argv[4] or None)
counts = {"ran": len(result.ran), "cached": len(result.cached), "failed": len(result.failed)}
print(json.dumps(counts))
"""


def scratch_project(root: Path) -> Path:
    """Copy data/raw and notebooks into ``root`` and build data/processed there."""
    home = root / "project"
    shutil.copytree(REPO / "data" / "raw", home / "data" / "raw")
    (home / "data" / "processed").mkdir(parents=True)
    (home / "reports").mkdir()
    shutil.copytree(REPO / "notebooks", home / "notebooks")
    os.environ["PARSTATS_HOME"] = str(home)
    from parstats.build import build

    build()
    return home


def seed_jobs(limit: int | None) -> list:
    """Return the jobs of every province-year in which a corpus plan is in force."""
    from parstats.provinces import by_code
    from parstats.report_data import load_table, plan_years
    from parstats.reports import job_for

    cells = plan_years(load_table("documents")).drop_duplicates()
    cells = cells.sort_values(["province_code", "year"])
    jobs = [job_for(by_code(code), int(year)) for code, year in cells.itertuples(index=False)]
    return jobs[:limit] if limit else jobs


def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr[-2000:]}")
    return elapsed, done


def plain_loop(jobs: list, home: Path) -> float:
    """Run ``papermill`` once per job, sequentially; return the wall time."""
    template = home / "notebooks" / "templates" / "province_report.ipynb"
    out = home / "plain"
    out.mkdir()
    start = time.perf_counter()
    for job in jobs:
        timed(
            [PYTHON, "-m", "papermill", str(template), str(out / f"{job.slug}-{job.year}.ipynb"),
             "-p", "province", job.province, "-p", "year", str(job.year),
             "-k", "python3", "--no-progress-bar"]
        )
    return time.perf_counter() - start


def batch(jobs: list, workers: int, force: bool, scheduler: str = "") -> tuple[float, dict]:
    payload = json.dumps([j.__dict__ for j in jobs], ensure_ascii=False)
    elapsed, done = timed(
        [PYTHON, "-c", RUN_BATCH, payload, str(workers), "force" if force else "cache", scheduler]
    )
    return elapsed, json.loads(done.stdout.strip().splitlines()[-1])


def one_report(job) -> tuple[float, float]:
    """Run ``parstats report`` for ``job``; return wall seconds and peak RSS (MiB)."""
    elapsed, _ = timed(
        [PYTHON, "-m", "parstats", "report", "--province", job.province,
         "--year", str(job.year), "--force"]
    )
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kib / 1024


def main_job(jobs: int) -> None:
    """Clone the repository and time ``make all`` there; print the wall time and what it made."""
    with tempfile.TemporaryDirectory(prefix="parstats-clone-") as tmp:
        clone = Path(tmp) / "parstats"
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        env = {k: v for k, v in os.environ.items() if k != "PARSTATS_HOME"}
        start = time.perf_counter()
        done = subprocess.run(["make", "all", f"JOBS={jobs}"], cwd=clone, env=env,
                              capture_output=True, text=True, check=False)
        total = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"make all failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        reports = clone / "reports"
        n_html = len(list(reports.glob("*/[0-9]*.html")))
        n_profiles = len(list(reports.glob("*/profile.html")))
        size = sum(p.stat().st_size for p in reports.rglob("*") if p.is_file()) / 1e6
        start = time.perf_counter()
        subprocess.run(["make", "all", f"JOBS={jobs}"], cwd=clone, env=env, capture_output=True,
                       check=True)
        again = time.perf_counter() - start
    print(f"main job on a fresh clone (make all, -j {jobs}): {total / 60:.1f} min "
          f"({int(total // 60)} min {total % 60:.0f} s), set-up included; {n_html} reports, "
          f"{n_profiles} profiles, maps and index, {size:.0f} MB; re-run with nothing "
          f"changed {again:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="only the first N province-years")
    parser.add_argument("--fresh-clone", action="store_true",
                        help="also time `make all` in a fresh clone of the last commit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parstats-bench-") as tmp:
        home = scratch_project(Path(tmp))
        jobs = seed_jobs(args.limit)
        print(f"grid: {len(jobs)} seed province-years ({', '.join(j.key for j in jobs)})")

        one_s, peak_mib = one_report(jobs[0])
        loop_s = plain_loop(jobs, home)
        batch_s, first = batch(jobs, args.jobs, force=True)
        again_s, second = batch(jobs, args.jobs, force=False)
        assert first["failed"] == 0 and second["ran"] == 0, (first, second)
        dask_s, on_dask = batch(jobs, args.jobs, force=True, scheduler="local")
        assert on_dask["failed"] == 0, on_dask

    n = len(jobs)
    print(f"plain papermill loop : {loop_s:7.1f} s  ({loop_s / n:.2f} s/report)")
    print(f"parstats reports -j{args.jobs}: {batch_s:7.1f} s  ({batch_s / n:.2f} s/report)")
    print(f"  ratio batch/loop   : {batch_s / loop_s:7.2f}   (bar <= 0.30)")
    print(f"on Dask (--scheduler local -j{args.jobs}): {dask_s:7.1f} s  "
          f"({dask_s / n:.2f} s/report; "
          f"ratio to the loop {dask_s / loop_s:.2f}, to the default batch {dask_s / batch_s:.2f}; "
          "cluster start-up included)")
    print(f"cached re-run        : {again_s:7.2f} s  ({second['cached']} cache hits)")
    print(f"  ratio re-run/batch : {again_s / batch_s:7.3f}   (bar <= 0.05)")
    print(f"one report ({jobs[0].key}, `parstats report`: a new kernel, the report and the "
          f"province's profile): {one_s:.1f} s, peak memory {peak_mib:.0f} MiB "
          "(largest process: runner or kernel)")
    ok = batch_s / loop_s <= 0.3 and again_s / batch_s <= 0.05
    if args.fresh_clone:
        main_job(args.jobs)
    print("bars:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
