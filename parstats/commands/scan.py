"""``parstats scan SOURCE --out DIR``: find the plans in a collection and extract their targets."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``scan`` sub-command."""
    parser = subparsers.add_parser(
        "scan",
        help="scan a collection (folder, JSONL, Parquet) for plans and targets, on Dask",
        description=(
            "Give every document of SOURCE (a folder of documents, a JSONL file, or a Parquet "
            "file or dataset with a text column) its kind, metadata and plan-or-not decision, "
            "and extract the targets of the documents that set commitments. Writes "
            "partitioned Parquet (DIR/documents, DIR/targets) and a summary; a killed scan "
            "run again with the same arguments resumes where it stopped. Runs on Dask's local "
            "scheduler, a LocalCluster (--workers N) or a running cluster (--scheduler)."
        ),
    )
    parser.add_argument("source", metavar="SOURCE", help="folder, .jsonl, or .parquet file/dataset")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="a running dask.distributed scheduler (tcp://host:8786)")
    where.add_argument("--workers", type=int, metavar="N",
                       help="start a local Dask cluster of N worker processes")
    parser.add_argument("--partition-size", type=int, default=200, metavar="DOCS",
                        help="documents per partition (default 200)")
    parser.add_argument("--text-column", default="text", help="JSONL/Parquet text column")
    parser.add_argument("--id-column", help="id column (default: doc_id, id or doc if present)")
    parser.add_argument("--source-column",
                        help="column saying where a text comes from (default: source if present)")
    parser.add_argument("--all-kinds", action="store_true",
                        help="extract targets from documents of every kind")
    parser.add_argument("--max-chars", type=int, default=2_000_000, metavar="N",
                        help="documents longer than this are not extracted (default 2,000,000)")
    parser.add_argument("--restart", action="store_true",
                        help="discard an earlier scan in DIR instead of resuming it")
    parser.add_argument("--adopt", action="store_true",
                        help="add the plans found to data/raw/plans with their manifest rows")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Scan, print the summary, adopt the plans if asked; return the exit code."""
    from parstats.scan import ScanOptions, adopt_plans, format_summary, scan

    options = ScanOptions(
        all_kinds=args.all_kinds,
        max_chars=args.max_chars,
        text_column=args.text_column,
        id_column=args.id_column,
        source_column=args.source_column,
    )
    result = scan(
        args.source,
        args.out,
        options=options,
        partition_size=args.partition_size,
        scheduler=args.scheduler,
        workers=args.workers,
        restart=args.restart,
        progress=not args.no_progress and sys.stderr.isatty(),
    )
    resumed = f" ({result.kept} kept from an earlier run)" if result.kept else ""
    print(f"scanned {result.n_partitions} partition(s){resumed} into {result.out_dir}")
    print(format_summary(result.summary))
    if args.adopt:
        adoption = adopt_plans(result.out_dir)
        for item in adoption.adopted:
            print(f"adopt: {item.doc} -> {adoption.plans_dir / item.file} ({item.status})")
        print(f"adopted {len(adoption.added)} plan(s) into {adoption.plans_dir}; run "
              "`parstats build` to rebuild data/processed")
    return 0
