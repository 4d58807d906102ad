"""``parstats explain FILE [--at OFFSET]``: every number of a passage, its fields, their rules."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from parstats.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``explain`` sub-command."""
    parser = subparsers.add_parser(
        "explain",
        help="show why each number of a plan is or is not a target",
        description=(
            "Extract the targets of one plan file and explain every number of it (or of the "
            "sentence at --at): each target's fields with the rule behind each (a row of "
            "parstats/lang/vi/*.csv, its phrase and its docs/TARGETS.md rule, or one of the "
            "extractor's resolvers), each number dropped with the rule that dropped it, and "
            "digits that are no number expression."
        ),
    )
    parser.add_argument(
        "file", type=Path, metavar="FILE",
        help="a plan file (.pdf .docx .doc .html .htm .txt)",
    )
    parser.add_argument(
        "--at",
        type=int,
        metavar="OFFSET",
        help="a character offset in the text (as in the targets table's start/end): "
        "explain only the sentence there",
    )
    parser.add_argument("--json", action="store_true", help="write JSON instead of text")
    parser.set_defaults(func=run)


def _where(document, offset: int) -> str:
    """Return ``page P, line L`` (or ``line L`` for a document without pages)."""
    place = document.location(offset)
    return (f"page {place.page}, " if place.page is not None else "") + f"line {place.line}"


def _text(explanations: list, out, document) -> None:
    for e in explanations:
        head = f"[{e.start}-{e.end}] {_where(document, e.start)}: {e.text!r}"
        if e.status == "target":
            print(f"{head}: target ({len(e.targets)} row{'s' if len(e.targets) > 1 else ''})",
                  file=out)
        else:
            print(f"{head}: {e.status}: {e.reason}", file=out)
        print(f"    in: {e.sentence[:160]}{'…' if len(e.sentence) > 160 else ''}", file=out)
        for k, fields in enumerate(e.targets):
            if len(e.targets) > 1:
                print(f"    row {k + 1}:", file=out)
            for f in fields:
                value = "" if f.value is None else f.value
                line = f"      {f.field:<11} {value!s:<24} {f.rule}"
                if f.says:
                    line += f"  ({f.says})"
                print(line.rstrip(), file=out)


def run(args: argparse.Namespace) -> int:
    """Extract the plan and print the explanation; return the exit code."""
    from dataclasses import asdict

    from parstats.extraction import extract_document
    from parstats.extraction.explain import explain
    from parstats.formats import convert

    document = convert(args.file)
    text = document.text
    if args.at is not None and not 0 <= args.at < len(text):
        raise InputError(
            f"--at must be an offset in the text (0 to {len(text) - 1})",
            path=args.file,
            value=args.at,
        )
    doc = extract_document(text)
    found = explain(doc, at=args.at)
    if args.json:
        rows = [
            {**asdict(e), "page": document.page_of(e.start), "line": document.line_of(e.start)}
            for e in found
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not found:
        where = f" at offset {args.at}" if args.at is not None else ""
        print(f"parstats explain: no number is read{where} in {args.file}")
        return 0
    targets = sum(len(e.targets) for e in found)
    print(f"{args.file}: {len(found)} number(s), {targets} target row(s)")
    _text(found, sys.stdout, document)
    return 0
