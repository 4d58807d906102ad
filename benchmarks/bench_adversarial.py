"""Extraction on adversarial text: time and peak memory against an ordinary plan of the same size.

Usage::

    python benchmarks/bench_adversarial.py [--mb 5] [--scaled-mb 0.5]

Cases, each run in its own process (peak memory is the process's maximum resident
set size, minus that of a process that only imports parstats):

- ``ordinary``: copies of three seed plans (``data/raw/plans``) joined to ``--mb`` MB;
- ``sentence``: one sentence of ``--mb`` MB ("100% 100% ...", no full stop);
- ``table``: one table row of ``--mb`` MB ("| 1% | 2% | ..." on one line);
- ``lines``: a million short lines, one number each ("95%").

At ``--mb`` the adversarial cases hold far more number expressions than any plan (a
plan holds a few hundred), so extraction refuses them with a clear message
(:class:`parstats.errors.DocumentTooLargeError`); the bar is "within 3x of the
ordinary plan, or refused with a clear message in under 10 s". At ``--scaled-mb``
and four times that they are extracted whole (no budget): four times the text must
take about four times the time and memory (linear, not quadratic). Figures are
printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {repo!r})
from parstats.errors import DocumentTooLargeError
from parstats.extraction import extract_targets, targets_frame
from parstats.extraction.metadata import DocumentMeta
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
text = open({path!r}, encoding="utf-8").read()
meta = DocumentMeta(issued="2021-12-10", period_start=2021, period_end=2025)
started = time.process_time()
out = {{"chars": len(text)}}
try:
    rows = extract_targets(text, meta=meta{budget})
    frame = targets_frame("doc", rows)
    out["rows"] = len(rows)
except DocumentTooLargeError as exc:
    out["refused"] = str(exc)
out["seconds"] = time.process_time() - started
out["peak_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(json.dumps(out))
"""


def make(kind: str, mb: float, folder: Path) -> Path:
    """Write one case's text of about ``mb`` MB (UTF-8) and return its path."""
    size = int(mb * 1e6)
    if kind == "ordinary":
        # The seed plans that end without a web page's list of other articles (which
        # ends a document: the copies after it would not be read).
        plans = sorted((REPO / "data/raw/plans").glob("*.txt"))[:3]
        seeds = [p.read_text(encoding="utf-8") for p in plans]
        parts, total, i = [], 0, 0
        while total < size:
            parts.append(seeds[i % len(seeds)])
            total += len(parts[-1].encode("utf-8"))
            i += 1
        text = "\n\n".join(parts)
    elif kind == "sentence":
        text = "100% " * (size // 5)
    elif kind == "table":
        cells, total, i = [], 0, 0
        while total < size:
            cells.append(f" {i % 97}% ")
            total += len(cells[-1]) + 1
            i += 1
        text = "| Tỷ lệ hồ sơ trực tuyến |" + "|".join(cells) + "|\n"
    elif kind == "lines":
        text = "95%\n" * (size // 4)
    else:
        raise ValueError(kind)
    path = folder / f"{kind}_{mb:g}mb.txt"
    path.write_text(text, encoding="utf-8")
    return path


def run_case(path: Path, budget: bool) -> dict:
    """Extract one file in a fresh process; return its figures."""
    code = CHILD.format(repo=str(REPO), path=str(path), budget="" if budget else ", budget=None")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return {"error": done.stderr[-500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def show(name: str, found: dict, ordinary: dict | None) -> None:
    if "error" in found:
        print(f"  {name:<10} failed: {found['error']}")
        return
    what = f"refused: {found['refused'][:90]}…" if "refused" in found else f"{found['rows']} rows"
    line = (f"  {name:<10} {found['chars'] / 1e6:5.2f} M chars  {found['seconds']:7.2f} s  "
            f"{found['peak_mb']:7.0f} MB peak  {what}")
    if ordinary and "refused" not in found and "refused" not in ordinary:
        line += (f"  (x{found['seconds'] / ordinary['seconds']:.1f} time, "
                 f"x{max(found['peak_mb'], 1) / max(ordinary['peak_mb'], 1):.1f} memory)")
    print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=5.0, help="size of each case, MB")
    parser.add_argument("--scaled-mb", type=float, default=0.05,
                        help="size of the smaller cases extracted with no budget, MB")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    import tempfile

    figures: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="parstats-adversarial-") as tmp:
        folder = Path(tmp)
        print(f"{args.mb:g} MB, default budget (a plan holds a few hundred number expressions):")
        ordinary = figures["ordinary"] = run_case(make("ordinary", args.mb, folder), True)
        show("ordinary", ordinary, None)
        for kind in ("sentence", "table", "lines"):
            found = figures[kind] = run_case(make(kind, args.mb, folder), True)
            show(kind, found, ordinary)
            if "refused" in found:
                verdict = "meets" if found["seconds"] < 10 else "misses"
                print(f"  {'':<10} refused in {found['seconds']:.1f} s: {verdict} the 10 s bar")
        big = 4 * args.scaled_mb
        print(f"{args.scaled_mb:g} MB and {big:g} MB, no budget (4x the text: linear is ~4x):")
        for kind in ("ordinary", "sentence", "table", "lines"):
            small = figures[f"{kind}_{args.scaled_mb:g}"] = run_case(
                make(kind, args.scaled_mb, folder), False
            )
            large = figures[f"{kind}_{big:g}"] = run_case(make(kind, big, folder), False)
            show(kind, small, None)
            show("", large, None)
            if "error" not in small and "error" not in large:
                print(f"  {'':<10} x{large['seconds'] / max(small['seconds'], 1e-3):.1f} time, "
                      f"x{max(large['peak_mb'], 1) / max(small['peak_mb'], 1):.1f} memory, "
                      f"{1e3 * large['seconds'] / max(large['rows'], 1):.2f} ms per target row")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
