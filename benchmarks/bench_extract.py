"""Throughput of plan extraction (read, metadata, targets), single process and with workers.

Usage::

    python benchmarks/bench_extract.py [--docs 1000] [--workers 2] [--json FILE]

A corpus of ``--docs`` plans is generated from the seed plans in
``data/raw/plans``. Every copy differs (its percentages and years are
redrawn, a unique line is added, and some copies are written with CRLF line
ends, a BOM, UTF-16 or Windows-1258), so no cache can reuse work between
documents. The corpus is extracted end to end with
:func:`parstats.extract.extract_paths`, first in one process, then with
``--workers`` processes; the stages are also timed separately on a sample.

Figures are MB of input file per second of wall time, and for the single
process also per second of CPU time (less sensitive to other load). A shared
machine's speed drifts by a third from minute to minute, so the single-process
run is repeated (``--repeat``, each on the same corpus, with nothing reused
between runs but imported code and compiled patterns): every run is printed,
and the verdict uses the median, not the best run. Peak memory is the
maximum resident set size of this process and of its workers
(``resource.getrusage``).

``--against REV`` also gives the ratio to an earlier version of the code (a git
revision, exported with ``git archive``): the same corpus is extracted by the two
versions in turns (old, new, new, old, ...), each run in a fresh child process
that imports one version, warms up on one document and reports its CPU seconds.
The host's drift then falls on both alike; the median of the per-pair ratios
(old CPU / new CPU) is the speed-up, which the absolute figure cannot show when the
host itself changes speed by a third.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TARGET_MB_S = 5.0
PERCENT = re.compile(r"\d{1,3}(?:,\d+)?(?=\s*%)")
YEAR = re.compile(r"\b20[12]\d\b")


def vary(text: str, rng: random.Random, i: int) -> str:
    """Return a copy of ``text`` with fresh percentages and years and a unique line."""
    text = PERCENT.sub(lambda m: str(rng.randint(1, 100)), text)
    shift = rng.randint(-3, 3)
    text = YEAR.sub(lambda m: str(int(m.group()) + shift), text)
    lines = text.split("\n")
    at = rng.randrange(len(lines) + 1)
    lines.insert(at, f"Ghi chú bản sao số {i}: phấn đấu {rng.randint(1, 99)}% hồ sơ.")
    return "\n".join(lines)


def encode(text: str, i: int) -> bytes:
    """Encode one copy; one in ten each gets CRLF, a BOM, UTF-16 or Windows-1258."""
    from parstats.extraction.decode import encode_cp1258

    kind = i % 10
    if kind == 1:
        return text.replace("\n", "\r\n").encode("utf-8")
    if kind == 2:
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if kind == 3:
        return text.encode("utf-16")
    if kind == 4:
        try:
            return encode_cp1258(text)
        except UnicodeEncodeError:
            return text.encode("utf-8")
    return text.encode("utf-8")


def make_corpus(folder: Path, n_docs: int, seed: int = 0) -> int:
    """Write ``n_docs`` varied plans into ``folder``; return their total size in bytes."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((REPO / "data/raw/plans").glob("*.txt"))]
    rng = random.Random(seed)
    total = 0
    for i in range(n_docs):
        data = encode(vary(seeds[i % len(seeds)], rng, i), i)
        (folder / f"doc_{i:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def timed_extract(folder: Path, workers: int) -> tuple[float, float, int, int]:
    """Extract the corpus; return wall seconds, CPU seconds of this process, rows, failures.

    CPU time is the per-core figure that other load on the machine does not
    distort (for ``workers > 1`` most of the work is in the workers, not counted).
    """
    from parstats.extract import extract_paths

    started, cpu = time.perf_counter(), time.process_time()
    result = extract_paths([folder], workers=workers)
    return (
        time.perf_counter() - started,
        time.process_time() - cpu,
        len(result.targets),
        len(result.failures),
    )


def stage_times(folder: Path, sample: int) -> dict[str, float]:
    """Seconds per MB of each stage (decode, metadata, targets) on the first ``sample`` files."""
    from parstats.extraction import extract_targets
    from parstats.extraction.decode import decode_bytes
    from parstats.extraction.metadata import extract_metadata

    files = sorted(folder.glob("*.txt"))[:sample]
    blobs = [f.read_bytes() for f in files]
    mb = sum(len(b) for b in blobs) / 1e6
    out: dict[str, float] = {}
    started = time.perf_counter()
    texts = [decode_bytes(b, name=f.name).text for b, f in zip(blobs, files, strict=True)]
    out["decode"] = mb / (time.perf_counter() - started)
    started = time.perf_counter()
    metas = [extract_metadata(t) for t in texts]
    out["metadata"] = mb / (time.perf_counter() - started)
    started = time.perf_counter()
    for text, meta in zip(texts, metas, strict=True):
        extract_targets(text, meta=meta)
    out["targets"] = mb / (time.perf_counter() - started)
    return out


# One timed run of one version of the code, in a child process (``--against``).
CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import parstats
from parstats.extract import extract_paths
folder = Path(sys.argv[2])
extract_paths([next(folder.glob("*.txt"))])
cpu = time.process_time()
result = extract_paths([folder], workers=1)
print(json.dumps({"cpu": time.process_time() - cpu, "targets": len(result.targets),
                  "code": parstats.__file__}))
"""


def export(rev: str, into: Path) -> Path:
    """Write the tree of git revision ``rev`` of this repository into ``into``; return it."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev], capture_output=True, check=False
    )
    if archive.returncode != 0:
        raise SystemExit(f"--against {rev}: git archive failed: {archive.stderr.decode()[-500:]}")
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def child_run(code: Path, folder: Path) -> dict[str, float]:
    """Extract ``folder`` once with the code of checkout ``code``; return CPU seconds, targets."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(code), str(folder)],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"run of {code} failed:\n{done.stderr[-2000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    if not out["code"].startswith(str(code)):
        raise SystemExit(f"the run meant for {code} imported {out['code']}")
    return out


def compare(rev: str, folder: Path, mb: float, pairs: int) -> dict[str, object]:
    """Time this code against revision ``rev`` in alternating child runs; print and return."""
    with tempfile.TemporaryDirectory(prefix="parstats-against-") as tmp:
        return _compare(rev, export(rev, Path(tmp) / "code"), folder, mb, pairs)


def _compare(rev: str, old: Path, folder: Path, mb: float, pairs: int) -> dict[str, object]:
    ratios, rows = [], {}
    for k in range(pairs):
        order = [("old", old), ("new", REPO)] if k % 2 == 0 else [("new", REPO), ("old", old)]
        cpu = {}
        for name, code in order:
            out = child_run(code, folder)
            cpu[name] = out["cpu"]
            rows[name] = out["targets"]
        ratios.append(cpu["old"] / cpu["new"])
        print(f"pair {k + 1}: {rev} {mb / cpu['old']:5.2f}, this code {mb / cpu['new']:5.2f} "
              f"MB/s per CPU second: ratio {ratios[-1]:.2f}")
    ratio = statistics.median(ratios)
    print(f"this code against {rev}: median ratio {ratio:.2f} x (pairs {min(ratios):.2f}-"
          f"{max(ratios):.2f}); targets {rows['new']} against {rows['old']}")
    return {"against": rev, "ratios": ratios, "median_ratio": ratio,
            "targets_new": rows["new"], "targets_old": rows["old"]}


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its (finished) workers, in MB."""
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 1024 / 1024
    return {
        "self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale,
        "workers": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents in the corpus")
    parser.add_argument("--workers", type=int, default=2, help="processes for the parallel run")
    parser.add_argument("--sample", type=int, default=50, help="documents for the stage timings")
    parser.add_argument(
        "--repeat", type=int, default=3, help="single-process runs (the median is judged)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--against", metavar="REV",
        help="also time an earlier git revision in alternating runs and print the ratio",
    )
    parser.add_argument("--pairs", type=int, default=4, help="alternating pairs for --against")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="parstats-bench-") as tmp:
        folder = Path(tmp)
        total = make_corpus(folder, args.docs)
        mb = total / 1e6
        print(f"corpus: {args.docs} documents, {mb:.1f} MB (varied copies of the seed plans)")

        # Imports and lazy set-up (pandas, schemas, registries) are paid once, not per MB.
        started = time.perf_counter()
        from parstats.extract import extract_paths

        extract_paths([next(folder.glob("*.txt"))])
        print(f"warm-up (imports, one document): {time.perf_counter() - started:.1f} s")
        runs = []
        for k in range(max(1, args.repeat)):
            single_s, single_cpu, rows, failed = timed_extract(folder, 1)
            runs.append((single_s, single_cpu))
            print(f"1 process, run {k + 1}: {single_s:7.1f} s  {mb / single_s:6.2f} MB/s wall, "
                  f"{mb / single_cpu:6.2f} MB/s per CPU second  {rows} targets, "
                  f"{failed} failures")
        per_cpu = sorted(mb / cpu for _, cpu in runs)
        single_mb_cpu = statistics.median(per_cpu)
        single_mb_wall = statistics.median(mb / wall for wall, _ in runs)
        print(f"1 process : median {single_mb_cpu:.2f} MB/s per CPU second "
              f"(runs {per_cpu[0]:.2f}-{per_cpu[-1]:.2f}), median {single_mb_wall:.2f} MB/s wall")
        multi_s, _, rows_w, failed_w = timed_extract(folder, args.workers)
        print(f"{args.workers} workers : {multi_s:7.1f} s  {mb / multi_s:6.2f} MB/s  "
              f"{rows_w} targets, {failed_w} failures")
        stages = stage_times(folder, args.sample)
        print("stages (MB/s, one process): "
              + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()))
        against = (
            compare(args.against, folder, mb, max(1, args.pairs)) if args.against else None
        )

    memory = peak_rss_mb()
    print(f"peak memory: {memory['self']:.0f} MB (this process), "
          f"{memory['workers']:.0f} MB (largest worker)")
    verdict = "meets" if single_mb_cpu >= TARGET_MB_S else "misses"
    print(f"single-core throughput (median {single_mb_cpu:.2f} MB/s per CPU second) {verdict} "
          f"the {TARGET_MB_S:g} MB/s target")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "docs": args.docs, "mb": mb, "workers": args.workers,
            "single_mb_s": single_mb_wall, "single_mb_per_cpu_s": single_mb_cpu,
            "single_runs_mb_per_cpu_s": per_cpu,
            "workers_mb_s": mb / multi_s,
            "stages_mb_s": stages, "peak_rss_mb": memory,
            "targets": rows, "failures": failed, "against": against,
        }, indent=2) + "\n")
    return 0 if failed == 0 and rows == rows_w else 1


if __name__ == "__main__":
    sys.exit(main())
