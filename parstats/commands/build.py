"""``parstats build``: rebuild ``data/processed`` from ``data/raw``."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``build`` sub-command."""
    parser = subparsers.add_parser(
        "build",
        help="rebuild data/processed from data/raw",
        description=(
            "Check the plans (PDF, Word, web pages, text) against their manifest, extract "
            "metadata, document kinds and targets (only from documents whose kind sets "
            "commitments, unless --all-kinds), apply the reviewers' corrections of "
            "data/raw/corrections.csv, validate every table against its schema and publish "
            "data/processed (Parquet, CSV and datapackage.json) as one new generation, in one "
            "atomic step. One build runs at a time. A re-run on the same inputs writes "
            "identical files."
        ),
    )
    parser.add_argument(
        "--workers", type=int, default=1, metavar="N", help="processes to use (default 1)"
    )
    parser.add_argument(
        "--wait", type=float, default=0.0, metavar="SECONDS",
        help="wait this long for a build already running to finish (default: refuse at once)",
    )
    parser.add_argument(
        "--all-kinds", action="store_true",
        help="keep the targets of every document, also reports, laws and news items whose "
        "kind sets no commitments (default: they are listed in documents with no targets)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build and print what was written; return the exit code."""
    import sys

    from parstats.build import build
    from parstats.errors import InputError

    if args.workers < 1:
        raise InputError("--workers must be at least 1", value=args.workers)
    result = build(workers=args.workers, wait=args.wait, all_kinds=args.all_kinds)
    print(f"built {result.n_documents} document(s):")
    width = max(len(t.name) for t in result.tables)
    for table in result.tables:
        print(f"  {table.name:<{width}}  {table.rows:>6} rows  {table.parquet}  {table.csv}")
    print(f"  datapackage: {result.datapackage}")
    if result.generation is not None:
        print(f"  generation:  {result.generation}")
    not_plans = result.not_plans
    if not_plans is not None and len(not_plans):
        print(f"{len(not_plans)} document(s) set no commitments; listed in documents without "
              "targets (--all-kinds keeps them):")
        for row in not_plans.itertuples():
            print(f"  {row.doc}: {row.kind}")
    corrections = result.corrections
    if corrections is not None and len(corrections):
        applied = corrections.loc[corrections["status"] == "applied"]
        counts = applied["action"].value_counts()
        parts = ", ".join(f"{counts[a]} {a}" for a in ("keep", "fix", "drop", "add") if a in counts)
        print(f"corrections: {len(applied)} applied" + (f" ({parts})" if parts else ""))
        for row in applied.loc[applied["action"] == "drop"].itertuples():
            print(f"  dropped {row.doc} target {row.target_no}: {row.quote!r}")
        stale = corrections.loc[corrections["status"] == "stale"]
        for row in stale.itertuples():
            print(
                f"parstats build: corrections.csv line {row.file_line}: {row.action} "
                f"{row.quote!r} is stale: {row.reason}",
                file=sys.stderr,
            )
        if len(stale):
            print(f"parstats build: {len(stale)} stale correction(s), listed in the corrections "
                  "table; they changed nothing", file=sys.stderr)
    return 0
