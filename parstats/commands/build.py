"""``parstats build``: rebuild ``data/processed`` from ``data/raw``."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``build`` sub-command."""
    parser = subparsers.add_parser(
        "build",
        help="rebuild data/processed from data/raw",
        description=(
            "Check the plans against their manifest, extract metadata and targets, validate "
            "every table against its schema and publish data/processed (Parquet, CSV and "
            "datapackage.json) as one new generation, in one atomic step. One build runs at a "
            "time. A re-run on the same inputs writes identical files."
        ),
    )
    parser.add_argument(
        "--workers", type=int, default=1, metavar="N", help="processes to use (default 1)"
    )
    parser.add_argument(
        "--wait", type=float, default=0.0, metavar="SECONDS",
        help="wait this long for a build already running to finish (default: refuse at once)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build and print what was written; return the exit code."""
    from parstats.build import build
    from parstats.errors import InputError

    if args.workers < 1:
        raise InputError("--workers must be at least 1", value=args.workers)
    result = build(workers=args.workers, wait=args.wait)
    print(f"built {result.n_documents} document(s):")
    width = max(len(t.name) for t in result.tables)
    for table in result.tables:
        print(f"  {table.name:<{width}}  {table.rows:>6} rows  {table.parquet}  {table.csv}")
    print(f"  datapackage: {result.datapackage}")
    if result.generation is not None:
        print(f"  generation:  {result.generation}")
    return 0
