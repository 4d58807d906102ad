"""The ``parstats`` command line.

Each sub-command lives in a module of :mod:`parstats.commands` that exposes
``register(subparsers)``; heavy libraries are imported only by the command
that runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from parstats import __version__
from parstats.errors import ParstatsError

COMMAND_MODULES: tuple[str, ...] = (
    "parstats.commands.extract",
    "parstats.commands.build",
    "parstats.commands.evaluate",
    "parstats.commands.indices",
    "parstats.commands.analyse",
    "parstats.commands.reports",
    "parstats.commands.explain",
    "parstats.commands.rules",
)


def make_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="parstats",
        description="Extract, standardise and analyse Vietnamese PAR plan targets.",
    )
    parser.add_argument("--version", action="version", version=f"parstats {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except ParstatsError as exc:
        print(f"parstats {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
