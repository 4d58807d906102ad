"""Time the assembly of the ``indices`` table: the published figures alone, then everything.

Run: ``.venv/bin/python benchmarks/bench_indices.py [--repeat 3]``. In one process, for
``data/raw/indices`` with ``observations.csv`` only (the table before the PAPI
sub-dimensions were imported: the baseline) and with every raw file: raw rows, table
rows, and the median seconds of a cold :func:`parstats.indices.build_frame` (raw-file and
table caches cleared), with the ratio to the baseline. Then the median seconds of
``panel("PAPI", "total_unweighted")`` on the full table.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from parstats import indices
from parstats.paths import raw_indices_dir


def cold_build(directory: Path) -> tuple[float, int, int]:
    """Seconds, raw rows and table rows of one build with every cache cleared."""
    indices._RAW_CACHE.clear()
    indices._TABLE_CACHE.clear()
    started = time.perf_counter()
    frame = indices.build_frame(directory)
    seconds = time.perf_counter() - started
    return seconds, len(indices.read_raw(directory)), len(frame)


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    raw = raw_indices_dir()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        shutil.copy(raw / "observations.csv", base / "observations.csv")
        cold_build(base)  # imports and first-use caches out of the timing
        results = {}
        for name, directory in (("observations.csv only", base), ("all raw files", raw)):
            runs = [cold_build(directory) for _ in range(args.repeat)]
            results[name] = statistics.median(r[0] for r in runs)
            print(f"{name:24} raw rows {runs[0][1]:6d}  table rows {runs[0][2]:6d}  "
                  f"median {results[name]:.2f} s  (runs {', '.join(f'{r[0]:.2f}' for r in runs)})")
    ratio = results["all raw files"] / results["observations.csv only"]
    print(f"ratio all / baseline: {ratio:.2f}")
    frame = indices.build_frame()
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            indices.panel("PAPI", "total_unweighted", frame=frame)
        times.append(time.perf_counter() - started)
    print(f"panel('PAPI', 'total_unweighted'): median {statistics.median(times):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
