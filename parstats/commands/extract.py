"""``parstats extract PATH... --out FILE``: targets of plan files, one row per target."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from parstats.errors import InputError
from parstats.io import OUTPUT_SUFFIXES


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``extract`` sub-command."""
    parser = subparsers.add_parser(
        "extract",
        help="extract the targets of plan files",
        description=(
            "Extract every target of the plans in PATH (files, or folders of plan files: .pdf "
            ".docx .doc .html .htm .txt in any letter case) into one table: document, page and "
            "line, character span, sentence and every field of docs/TARGETS.md. Only documents "
            "whose kind sets commitments (plans, decisions with commitments, directives) keep "
            "their targets, unless --all-kinds; the others are listed in --docs-out with their "
            "kind and evidence. Documents that fail (unreadable, encrypted, corrupt ...) are "
            "reported on stderr and the command exits with 1; the others are still written. A "
            "manifest.csv next to the plans supplies metadata their text lacks."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="plan files or folders")
    parser.add_argument(
        "--out", required=True, type=Path, metavar="FILE", help="targets table (.csv or .parquet)"
    )
    parser.add_argument(
        "--docs-out", type=Path, metavar="FILE", help="also write the documents table here"
    )
    parser.add_argument(
        "--workers", type=int, default=1, metavar="N", help="processes to use (default 1)"
    )
    parser.add_argument(
        "--all-kinds", action="store_true",
        help="keep the targets of every document, also those whose kind sets no commitments "
        "(reports, laws, news items)",
    )
    parser.add_argument(
        "--no-ocr", action="store_true",
        help="do not OCR scanned PDF pages (they are reported unread)",
    )
    parser.add_argument(
        "--page-timeout", type=float, metavar="SECONDS",
        help="time limit for the OCR of one page (default 120); a page past it is reported",
    )
    parser.set_defaults(func=run)


def check_outputs(args: argparse.Namespace) -> None:
    """Check ``--out`` and ``--docs-out`` before any work (suffix, place, distinct, writable).

    Raises
    ------
    InputError
        If an output has another suffix than ``.csv``/``.parquet``, is a
        folder, lies under ``data/raw`` or the processed data, is one of the
        input paths or the other output, or cannot be written.
    """
    from parstats.io import check_output_path

    inputs = [("an input", p) for p in args.paths]
    check_output_path(args.out, "--out", suffixes=OUTPUT_SUFFIXES, taken=inputs)
    if args.docs_out is not None:
        check_output_path(
            args.docs_out, "--docs-out", suffixes=OUTPUT_SUFFIXES,
            taken=[*inputs, ("--out", args.out)],
        )


def manifest_overrides(paths: list[str]) -> dict[str, dict[str, str]]:
    """Return manifest metadata by file name, from a ``manifest.csv`` beside the given plans."""
    from parstats.build import MANIFEST, read_manifest

    folders = {Path(p) if Path(p).is_dir() else Path(p).parent for p in paths}
    overrides: dict[str, dict[str, str]] = {}
    for folder in sorted(folders):
        if (folder / MANIFEST).is_file():
            for row in read_manifest(folder / MANIFEST):
                overrides.setdefault(row.file, dict(row.override))
    return overrides


def convert_options(args: argparse.Namespace) -> dict[str, object]:
    """Return the options of :func:`parstats.formats.convert` the command line asks for."""
    options: dict[str, object] = {}
    if getattr(args, "no_ocr", False):
        options["ocr"] = False
    timeout = getattr(args, "page_timeout", None)
    if timeout is not None:
        if timeout <= 0:
            raise InputError("--page-timeout must be a positive number of seconds", value=timeout)
        options["page_timeout"] = timeout
    return options


def run(args: argparse.Namespace) -> int:
    """Extract, write what succeeded, report what failed; return the exit code."""
    from parstats.extract import extract_paths
    from parstats.io import write_frame

    check_outputs(args)
    if args.workers < 1:
        raise InputError("--workers must be at least 1", value=args.workers)
    result = extract_paths(
        args.paths,
        workers=args.workers,
        overrides=manifest_overrides(args.paths),
        all_kinds=args.all_kinds,
        convert_options=convert_options(args),
    )
    for failure in result.failures:
        print(f"parstats extract: {failure.path}: {failure.reason}", file=sys.stderr)
    if result.docs:
        write_frame(result.targets, args.out)
        if args.docs_out is not None:
            write_frame(result.documents, args.docs_out)
        print(
            f"wrote {len(result.targets)} targets from {len(result.docs)} document(s) "
            f"to {args.out}"
            + (f"; documents to {args.docs_out}" if args.docs_out is not None else "")
        )
        skipped = result.documents.loc[~result.documents["targets_kept"].astype(bool)]
        if len(skipped):
            kinds = ", ".join(f"{r.doc} ({r.kind})" for r in skipped.itertuples())
            print(f"{len(skipped)} document(s) set no commitments, no targets kept "
                  f"(--all-kinds keeps them): {kinds}")
    else:
        print("parstats extract: no document extracted; nothing written", file=sys.stderr)
    if result.failures:
        print(f"parstats extract: {len(result.failures)} document(s) failed", file=sys.stderr)
        return 1
    return 0
