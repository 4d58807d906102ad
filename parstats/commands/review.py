"""``parstats review``: a sheet of targets to check, and ``--apply`` to keep the decisions."""

from __future__ import annotations

import argparse
from pathlib import Path

from parstats.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``review`` sub-command."""
    parser = subparsers.add_parser(
        "review",
        help="check extracted targets in a spreadsheet and keep the fixes",
        description=(
            "With --out: write the targets of the current build to check (lowest confidence "
            "first) as .xlsx or .csv, each with its document, page and line, sentence and "
            "every field, and empty columns to mark keep / drop / fix (add a row with action "
            "add for a missed target). With --apply: read the marked sheet and write the "
            "decisions to data/raw/corrections.csv, which every `parstats build` applies "
            "(docs/REVIEW.md)."
        ),
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--out", type=Path, metavar="FILE", help="review sheet to write (.xlsx, .csv)"
    )
    mode.add_argument(
        "--apply", type=Path, metavar="FILE",
        help="a review sheet with decisions: write them to data/raw/corrections.csv",
    )
    parser.add_argument("--province", metavar="P", help="only this province's documents")
    parser.add_argument("--doc", metavar="D", help="only this document (doc id or plan_id)")
    parser.add_argument(
        "--all", action="store_true", dest="include_reviewed",
        help="also the rows already reviewed (by default only rows without a correction)",
    )
    parser.add_argument("--limit", type=int, metavar="N", help="at most N rows")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write a review sheet, or apply one; return the exit code."""
    if args.apply is not None:
        for option in ("province", "doc", "limit"):
            if getattr(args, option) is not None:
                raise InputError(f"--{option} is for --out; --apply reads the whole sheet")
        return _apply(args.apply)
    return _write(args)


def _tables() -> tuple:
    from parstats import processed
    from parstats.build import load_table

    return processed.read(
        lambda gen: (load_table("targets", generation=gen), load_table("documents", generation=gen))
    )


def _write(args: argparse.Namespace) -> int:
    from parstats.io import check_output_path
    from parstats.review import REVIEW_SUFFIXES, review_frame, write_review

    check_output_path(args.out, "--out", suffixes=REVIEW_SUFFIXES)
    if args.limit is not None and args.limit < 1:
        raise InputError("--limit must be at least 1", value=args.limit)
    targets, documents = _tables()
    frame = review_frame(
        targets,
        documents,
        province=args.province,
        doc=args.doc,
        include_reviewed=args.include_reviewed,
        limit=args.limit,
    )
    write_review(frame, args.out)
    print(
        f"wrote {len(frame)} target(s) to review to {args.out}; mark 'action' keep, drop or fix "
        f"(or add a row with add), then run `parstats review --apply {args.out}`"
    )
    return 0


def _apply(path: Path) -> int:
    from parstats.build import CORRECTIONS
    from parstats.paths import raw_dir
    from parstats.review import merge_corrections, read_corrections, read_review, write_corrections

    _, documents = _tables()
    rows = read_review(path, documents)
    target = raw_dir() / CORRECTIONS
    existing = read_corrections(target) if target.is_file() else ()
    merged = merge_corrections(existing, rows.corrections)
    if not rows.corrections:
        print(f"{path}: no row has an action; nothing written")
        return 0
    write_corrections(target, merged.corrections)
    counts: dict[str, int] = {}
    for c in rows.corrections:
        counts[c.action] = counts.get(c.action, 0) + 1
    parts = ", ".join(f"{n} {a}" for a, n in counts.items())
    replaced = f"; {merged.replaced} replaced earlier decisions" if merged.replaced else ""
    print(f"wrote {len(rows.corrections)} correction(s) ({parts}) to {target}{replaced}; "
          f"{len(merged.corrections)} in all")
    for line in rows.fixes_without_change:
        print(f"  {path}: row {line} is marked fix but changes no field: kept as keep")
    print("run `parstats build` to apply them")
    return 0
