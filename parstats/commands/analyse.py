"""``parstats analyse ambition|delivery``: the ambition and delivery tables."""

from __future__ import annotations

import argparse
from typing import Any

AMBITION_TABLES: tuple[str, ...] = ("target", "document", "area", "province-period", "coverage")
DELIVERY_TABLES: tuple[str, ...] = ("status", "trajectories")


def register(subparsers: Any) -> None:
    """Add the ``analyse`` sub-command with its ``ambition`` and ``delivery`` actions."""
    parser = subparsers.add_parser(
        "analyse",
        help="compute the ambition or delivery of plan targets",
        description=(
            "Read the processed targets, documents and indices and write one table "
            "(.csv or .parquet, by the extension of --out)."
        ),
    )
    actions = parser.add_subparsers(dest="analysis", metavar="ANALYSIS", required=True)

    ambition = actions.add_parser(
        "ambition",
        help="ambition of each target against the national programme and peer plans",
    )
    ambition.add_argument("--out", required=True, help="output file (.csv or .parquet)")
    ambition.add_argument(
        "--table",
        choices=AMBITION_TABLES,
        default="target",
        help="per target (default), document, area, province-period, or coverage",
    )
    ambition.set_defaults(func=run_ambition)

    delivery = actions.add_parser(
        "delivery", help="met / missed / not yet due / no data for each index-observable target"
    )
    delivery.add_argument("--out", required=True, help="output file (.csv or .parquet)")
    delivery.add_argument(
        "--table",
        choices=DELIVERY_TABLES,
        default="status",
        help="status per target (default) or index trajectories per plan",
    )
    delivery.add_argument(
        "--as-of",
        type=int,
        default=None,
        metavar="YEAR",
        help="reference year: a target is due once its index edition should be published "
        "(deadline + 1 <= YEAR); default: judged from the data alone",
    )
    delivery.add_argument(
        "--allow-derived",
        action="store_true",
        help="use derived values (e.g. ranks computed from scores) where none is published",
    )
    delivery.set_defaults(func=run_delivery)


def run_ambition(args: argparse.Namespace) -> int:
    """Write the ambition table chosen by ``--table`` to ``--out``."""
    from parstats import ambition, processed
    from parstats.build import load_documents, load_targets
    from parstats.io import check_output_path, write_frame

    check_output_path(args.out, "--out")
    with processed.pinned():  # both tables from one build
        targets, documents = load_targets(), load_documents()
    make = {
        "target": ambition.build_frame,
        "document": ambition.ambition_by_document,
        "area": ambition.ambition_by_area,
        "province-period": ambition.ambition_by_province_period,
        "coverage": ambition.coverage,
    }[args.table]
    frame = make(targets, documents)
    print(write_frame(frame, args.out))
    return 0


def run_delivery(args: argparse.Namespace) -> int:
    """Write the delivery table chosen by ``--table`` to ``--out``."""
    from parstats import delivery, indices, processed
    from parstats.build import load_documents, load_targets
    from parstats.io import check_output_path, write_frame

    check_output_path(args.out, "--out")
    with processed.pinned():  # the tables from one build
        documents, targets = load_documents(), load_targets()
        index_table = indices.load()
    if args.table == "trajectories":
        frame = delivery.index_trajectories(
            documents, index_table, allow_derived=args.allow_derived
        )
    else:
        frame = delivery.build_frame(
            targets,
            documents,
            index_table,
            allow_derived=args.allow_derived,
            as_of=args.as_of,
        )
    print(write_frame(frame, args.out))
    return 0
