"""``parstats report`` (one province-year) and ``parstats reports`` (the batch)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

LANGUAGE_HELP = 'language of the text: "both" (English and Vietnamese, default), "en" or "vi"'


def register(subparsers: Any) -> None:
    """Add the ``report`` and ``reports`` sub-commands."""
    one = subparsers.add_parser(
        "report",
        help="run the report of one province and year",
        description=(
            "Write reports/<province-slug>/<year>.ipynb and a standalone .html, and the "
            "province's profile (reports/<province-slug>/profile.html)."
        ),
    )
    one.add_argument("--province", required=True, help="province name (any spelling) or GSO code")
    one.add_argument("--year", required=True, type=int, help="report year")
    one.add_argument("--language", default="both", help=LANGUAGE_HELP)
    one.add_argument("--force", action="store_true", help="run even if the inputs are unchanged")
    one.set_defaults(func=run_report)

    many = subparsers.add_parser(
        "reports",
        help="run the reports, the province profiles and the index (cached, parallel)",
        description=(
            "By default: the report of every province-year with a plan in force, a profile of "
            "each of the 63 provinces, the maps page and reports/index.html. With --all: every "
            "province-year with a plan or index data (about 940 reports). With --province or "
            "--year: those province-years (plan or index data) and those provinces' profiles. "
            "Unchanged reports and pages are skipped."
        ),
    )
    many.add_argument(
        "--province", action="append", default=[], help="only this province (repeatable)"
    )
    many.add_argument(
        "--year", action="append", type=int, default=[], help="only this year (repeatable)"
    )
    many.add_argument("--all", action="store_true",
                      help="the full province x year grid, not only the years with a plan")
    many.add_argument("--language", default="both", help=LANGUAGE_HELP)
    many.add_argument("--no-profiles", action="store_true",
                      help="write no province profile and no maps page")
    many.add_argument("-j", "--jobs", type=int, default=1,
                      help="parallel workers (default 1); with --scheduler local, the Dask "
                           "workers")
    many.add_argument("--scheduler", metavar="ADDRESS",
                      help="run the reports on Dask: `local` (a LocalCluster of -j workers) or "
                           "a running scheduler (tcp://host:8786) whose workers see this "
                           "project folder at the same path")
    many.add_argument("--force", action="store_true", help="ignore the cache and run every report")
    many.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    many.set_defaults(func=run_batch)


def _summarise(result: Any, out: Any = sys.stdout) -> int:
    ok = len(result.ran) - len(result.failed)
    cached, failed = len(result.cached), len(result.failed)
    print(f"reports: {ok} written, {cached} unchanged, {failed} failed", file=out)
    written, unchanged = result.profiles_written, result.profiles_unchanged
    if written or unchanged:
        print(f"profiles: {len(written)} written, {len(unchanged)} unchanged", file=out)
    for record in result.failed:
        print(f"  FAILED {record.slug}/{record.year}: {record.error}", file=sys.stderr)
    return 1 if result.failed else 0


def run_report(args: argparse.Namespace) -> int:
    """Run one report (``parstats report --province P --year Y``) and the province's profile."""
    from parstats.reports import plan_report, run_reports

    job = plan_report(args.province, args.year, language=args.language)
    result = run_reports([job], workers=1, force=args.force, progress=False,
                         profiles=[job.province], language=job.language)
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
    if not wanted:
        return ("reports: no province-year has a plan in force; `parstats reports --all` runs "
                "every province-year with index data")
    known = sorted({cell.year for cell in grid})
    return (
        f"reports: no province-year with a plan or index data matches {' and '.join(wanted)}; "
        f"years with data: {known[0]}-{known[-1]}"
    )


def run_batch(args: argparse.Namespace) -> int:
    """Run many reports (``parstats reports [--all] [-j N] [--scheduler S] [--province P]``)."""
    from parstats.display import check_language
    from parstats.errors import InputError
    from parstats.reports import default_jobs, run_reports

    if args.jobs < 1:
        raise InputError("-j must be at least 1", value=args.jobs)
    language = check_language(args.language)
    filtered = bool(args.province or args.year)
    jobs = default_jobs(args.province, args.year, plans_only=not (filtered or args.all),
                        language=language)
    if not jobs and not filtered and not args.no_profiles:
        jobs = ()  # no plan at all: the profiles and the index are still worth writing
    elif not jobs:
        print(_no_jobs_message(args.province, args.year), file=sys.stderr)
        return 1
    if args.no_profiles:
        profiles, maps = None, False
    elif filtered:
        profiles, maps = sorted({j.province for j in jobs}), False
    else:
        profiles, maps = (), True
    result = run_reports(jobs, workers=args.jobs, force=args.force, progress=not args.no_progress,
                         profiles=profiles, maps=maps, language=language,
                         scheduler=args.scheduler)
    return _summarise(result)
