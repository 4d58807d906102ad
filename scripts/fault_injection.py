#!/usr/bin/env python
"""Kill ``parstats build`` and ``parstats reports`` at every step; count the mixed states.

Usage (from the project root, with the project's environment)::

    .venv/bin/python scripts/fault_injection.py [--only build|reports] [--json out.json]

Every step means: after each file operation of a build (SIGKILL and SIGTERM,
through the test-only hook ``PARSTATS_FAULT_AFTER``), plus the audit's timed
SIGKILLs and its "first rename" moment; after each file operation of a report
batch (SIGKILL and SIGTERM), plus SIGTERM, SIGKILL and SIGINT of a ``-j 2``
batch at 4, 6, 8 and 12 seconds. The invariants are those of
``tests/faults/faultlib.py``. Prints one line per kill and the totals; exits
1 if any invariant failed. About 40 minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "faults"))

import faultlib  # noqa: E402


def main() -> int:
    """Run the plans; print and return the verdict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("build", "reports"))
    parser.add_argument("--json", type=Path, help="also write every kill here")
    args = parser.parse_args()
    results: dict[str, list[faultlib.Kill]] = {}
    start = time.monotonic()
    with faultlib.scratch() as root:
        if args.only in (None, "build"):
            states = faultlib.prepare_build(root / "b")
            print(f"build: {len(states.operations)} file operations per build", flush=True)
            kills = faultlib.run_build_plan(
                states, faultlib.build_plan(states), echo=lambda s: print(s, flush=True)
            )
            problems = faultlib.finish_build(states)
            if problems:
                kills.append(faultlib.Kill("build", "the build after the kills",
                                           problems=problems))
            results["build"] = kills
        if args.only in (None, "reports"):
            states = faultlib.prepare_reports(root / "r")
            print(f"reports: {len(states.operations)} file operations per batch", flush=True)
            results["reports"] = faultlib.run_reports_plan(
                states, faultlib.reports_plan(states), echo=lambda s: print(s, flush=True)
            )
    failed = 0
    for command, kills in results.items():
        bad = [k for k in kills if not k.ok]
        mixed = [k for k in kills if k.state == "MIXED"]
        failed += len(bad)
        states_seen = sorted({k.state for k in kills})
        print(f"{command}: {len(kills)} kills, {len(mixed)} mixed states, {len(bad)} failed "
              f"invariants; states after the kill: {states_seen}")
    print(f"total {time.monotonic() - start:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(
            {c: [k.__dict__ for k in ks] for c, ks in results.items()}, indent=1, default=str
        ))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
