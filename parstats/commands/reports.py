"""``parstats report`` (one province-year) and ``parstats reports`` (the batch)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``report`` and ``reports`` sub-commands."""
    one = subparsers.add_parser(
        "report",
        help="run the report of one province and year",
        description="Write reports/<province-slug>/<year>.ipynb and a standalone .html.",
    )
    one.add_argument("--province", required=True, help="province name (any spelling) or GSO code")
    one.add_argument("--year", required=True, type=int, help="report year")
    one.add_argument("--force", action="store_true", help="run even if the inputs are unchanged")
    one.set_defaults(func=run_report)

    many = subparsers.add_parser(
        "reports",
        help="run every province-year report (cached, parallel)",
        description=(
            "Run the report of every province-year with a plan in force or index data "
            "(or those selected), skip the unchanged ones, and write reports/index.html "
            "and reports/results.parquet."
        ),
    )
    many.add_argument(
        "--province", action="append", default=[], help="only this province (repeatable)"
    )
    many.add_argument(
        "--year", action="append", type=int, default=[], help="only this year (repeatable)"
    )
    many.add_argument("-j", "--jobs", type=int, default=1, help="parallel workers (default 1)")
    many.add_argument("--force", action="store_true", help="ignore the cache and run every report")
    many.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    many.set_defaults(func=run_batch)


def _summarise(result: Any, out: Any = sys.stdout) -> int:
    ok = len(result.ran) - len(result.failed)
    cached, failed = len(result.cached), len(result.failed)
    print(f"reports: {ok} written, {cached} unchanged, {failed} failed", file=out)
    for record in result.failed:
        print(f"  FAILED {record.slug}/{record.year}: {record.error}", file=sys.stderr)
    return 1 if result.failed else 0


def run_report(args: argparse.Namespace) -> int:
    """Run one report (``parstats report --province P --year Y``)."""
    from parstats.reports import plan_report, run_reports

    job = plan_report(args.province, args.year)
    result = run_reports([job], workers=1, force=args.force, progress=False)
    if not result.failed:
        print(job.html_path())
    return _summarise(result)


def _no_jobs_message(provinces: list[str], years: list[int]) -> str:
    """Say why a batch has nothing to run: no build, or a filter that matches nothing."""
    from parstats.report_data import report_grid

    grid = report_grid()
    if not grid:
        return "reports: no province-year has a plan or index data; run `parstats build` first"
    wanted = []
    if provinces:
        wanted.append("--province " + ", ".join(provinces))
    if years:
        wanted.append("--year " + ", ".join(map(str, years)))
    known = sorted({cell.year for cell in grid})
    return (
        f"reports: no province-year with a plan or index data matches {' and '.join(wanted)}; "
        f"years with data: {known[0]}-{known[-1]}"
    )


def run_batch(args: argparse.Namespace) -> int:
    """Run many reports (``parstats reports [-j N] [--province P] [--year Y]``)."""
    from parstats.errors import InputError
    from parstats.reports import default_jobs, run_reports

    if args.jobs < 1:
        raise InputError("-j must be at least 1", value=args.jobs)
    jobs = default_jobs(args.province, args.year)
    if not jobs:
        print(_no_jobs_message(args.province, args.year), file=sys.stderr)
        return 1
    result = run_reports(jobs, workers=args.jobs, force=args.force, progress=not args.no_progress)
    return _summarise(result)
