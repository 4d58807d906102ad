"""Throughput, memory and resume of ``parstats scan`` on Dask, against the extractor.

Usage::

    python benchmarks/bench_scan.py [--workers 1,2] [--partition-size 200]
        [--replica-docs 300000 --replica-dir /tmp/parstats-replica] [--json FILE]

Inputs:

- the real sample ``../shared/corpus/legal_vi_sample.parquet`` (3,000 texts, 30.7 M
  characters; skipped with a message when absent);
- with ``--replica-docs N``, a replica of N documents generated once into
  ``--replica-dir`` (outside the repository, never committed): Parquet files of
  5,000 rows (row groups of 500), each document a varied copy of a sample text —
  its paragraphs after the header shuffled, every number redrawn with the same
  number of digits, province names swapped — so no two copies are alike.

For each input, in one process run:

Every process is warmed up first (:func:`parstats.scan.warm_up`: imports and
compiled patterns, one to two seconds, paid once per process), so the figures are
steady-state throughput.

1. **baseline**: the single-process extractor on the same documents (for each
   text: :func:`parstats.metadata.extract_metadata`, then
   :func:`parstats.targets.extract_targets`, as ``parstats extract`` does), on the
   whole real sample, and on a seeded sample of 3,000 replica documents;
2. **scan** with 1 worker (Dask's local scheduler, in this process) and with N
   workers (a ``LocalCluster`` of single-threaded worker processes), each into a
   fresh output folder;
3. **resume**: a 2-worker scan in a subprocess is killed (SIGKILL) after a few
   partitions, then run again; how many partitions were redone is printed.

Figures: documents/s and MB/s (UTF-8 text) *per worker*, from wall time and from
the workers' CPU time (summed over partitions; less sensitive to other load on a
shared machine), the ratio of scan to baseline per worker, and the peak resident
memory of each worker process (``resource.getrusage``, in the worker). Peak memory
at two collection sizes (real sample and replica) shows whether it grows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPUS = REPO.parent / "shared" / "corpus" / "legal_vi_sample.parquet"
BAR = 0.80  # scan per worker at least 80% of the extractor's throughput
NUMBER = re.compile(r"\d+")
NAMES = ("Hà Nội", "Nghệ An", "Thanh Hóa", "Đắk Lắk", "Cần Thơ", "Sơn La", "Cà Mau",
         "Quảng Trị", "Bắc Ninh", "Đồng Tháp", "Lào Cai", "Gia Lai")
NAME = re.compile("|".join(NAMES))
ROWS_PER_FILE = 5000


def load_texts(path: Path, n: int | None = None, seed: int = 0) -> tuple[list[str], list[str]]:
    """Return (ids, texts) of a Parquet source (all rows, or a seeded sample of ``n``)."""
    import pyarrow.parquet as pq

    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    if n is None:
        table = pq.read_table(files, columns=["doc_id", "text"]) if len(files) > 1 else \
            pq.read_table(files[0], columns=["doc_id", "text"])
        return table.column("doc_id").to_pylist(), table.column("text").to_pylist()
    rng = random.Random(seed)
    chosen = sorted(rng.sample(files, min(len(files), max(1, n // 500))))
    ids: list[str] = []
    texts: list[str] = []
    for file in chosen:
        table = pq.read_table(file, columns=["doc_id", "text"])
        ids += table.column("doc_id").to_pylist()
        texts += table.column("text").to_pylist()
    picked = sorted(rng.sample(range(len(texts)), min(n, len(texts))))
    return [ids[i] for i in picked], [texts[i] for i in picked]


def vary(text: str, rng: random.Random) -> str:
    """Return a varied copy: paragraphs after the first two shuffled, numbers and names redrawn."""
    paragraphs = text.split("\n\n")
    head, rest = paragraphs[:2], paragraphs[2:]
    rng.shuffle(rest)
    out = "\n\n".join(head + rest)
    out = NUMBER.sub(lambda m: str(rng.randrange(10 ** (len(m.group()) - 1),
                                                 10 ** len(m.group()))), out)
    return NAME.sub(lambda m: rng.choice(NAMES), out)


def make_replica(corpus: Path, folder: Path, n: int, seed: int = 16) -> Path:
    """Generate (once) a replica of ``n`` varied documents as Parquet files in ``folder``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    stamp = folder / f"REPLICA-{n}-{seed}.done"
    if stamp.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    _, texts = load_texts(corpus)
    rng = random.Random(seed)
    started = time.perf_counter()
    for first in range(0, n, ROWS_PER_FILE):
        rows = range(first, min(n, first + ROWS_PER_FILE))
        body = [vary(texts[i % len(texts)], rng) for i in rows]
        table = pa.table({
            "doc_id": [f"r{i:07d}" for i in rows],
            "source": [f"replica of sample row {i % len(texts)}" for i in rows],
            "text": body,
        })
        pq.write_table(table, folder / f"part-{first // ROWS_PER_FILE:04d}.parquet",
                       row_group_size=500, compression="zstd")
        print(f"  replica: {rows.stop:,} / {n:,} documents "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
    stamp.write_text("done\n")
    return folder


def baseline(texts: list[str]) -> dict[str, float]:
    """Time the single-process extractor (metadata, then targets) on ``texts``."""
    from parstats.extraction import extract_targets
    from parstats.extraction.metadata import extract_metadata
    from parstats.scan import warm_up

    warm_up()  # imports and compiled patterns, as each scan worker does before its tasks
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    wall, cpu = time.perf_counter(), time.process_time()
    n_targets = 0
    for text in texts:
        meta = extract_metadata(text)
        n_targets += len(extract_targets(text, meta=meta))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"docs": len(texts), "mb": mb, "wall_s": wall, "cpu_s": cpu,
            "docs_per_s": len(texts) / wall, "mb_per_s": mb / wall,
            "docs_per_cpu_s": len(texts) / cpu, "mb_per_cpu_s": mb / cpu,
            "targets": n_targets}


def _extract_share(texts: list[str]) -> tuple[float, float]:
    """Warm up, then extract ``texts``; return (wall, CPU) seconds (a pool task)."""
    from parstats.extraction import extract_targets
    from parstats.extraction.metadata import extract_metadata
    from parstats.scan import warm_up

    warm_up()
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        extract_targets(text, meta=extract_metadata(text))
    return time.perf_counter() - wall, time.process_time() - cpu


def baseline_parallel(texts: list[str], processes: int) -> dict[str, float]:
    """Time the extractor in ``processes`` concurrent processes (texts dealt out in turn).

    Not the bar's baseline (that is one process): it shows how much two busy
    processes slow each other on this machine, whatever they run.
    """
    from concurrent.futures import ProcessPoolExecutor

    shares = [texts[k::processes] for k in range(processes)]
    with ProcessPoolExecutor(processes) as pool:
        timings = list(pool.map(_extract_share, shares))
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    cpu = sum(c for _, c in timings)
    return {"processes": processes, "docs_per_cpu_s": len(texts) / cpu, "mb_per_cpu_s": mb / cpu,
            "mb_per_s_per_process": mb / max(w for w, _ in timings) / processes}


def run_scan(source: Path, workers: int, partition_size: int) -> dict[str, object]:
    """Scan ``source`` into a fresh folder with ``parstats scan`` in its own process.

    One worker: Dask's local scheduler inside that process; more: a LocalCluster.
    Figures come from the scan's manifest (each partition's CPU time and the peak
    memory of the process that ran it).
    """
    from parstats.scan import read_manifest

    out = Path(tempfile.mkdtemp(prefix="bench-scan-")) / "out"
    cmd = [sys.executable, "-m", "parstats", "scan", str(source), "--out", str(out),
           "--partition-size", str(partition_size), "--no-progress"]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    try:
        wall = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONPATH": str(REPO)})
        wall = time.perf_counter() - wall
        manifest = read_manifest(out)
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
    parts = list(manifest.partitions.values())
    docs = sum(p["n_documents"] for p in parts)
    mb = sum(p["bytes"] for p in parts) / 1e6
    cpu = sum(p["cpu_seconds"] for p in parts)
    busy = sum(p["seconds"] for p in parts)
    peaks: dict[str, float] = {}
    for p in parts:
        peaks[p["worker"]] = max(peaks.get(p["worker"], 0.0), p["peak_rss_mb"])
    task_peaks = sorted(p["peak_rss_mb"] for p in parts)
    return {
        "peak_rss_mb_task_median": round(task_peaks[len(task_peaks) // 2], 1),
        "workers": workers, "partitions": len(parts), "docs": docs, "mb": mb,
        "wall_s": wall, "busy_s": busy, "cpu_s": cpu,
        "docs_per_s_per_worker": docs / wall / workers,
        "mb_per_s_per_worker": mb / wall / workers,
        "docs_per_busy_s": docs / busy, "mb_per_busy_s": mb / busy,
        "docs_per_cpu_s": docs / cpu, "mb_per_cpu_s": mb / cpu,
        "plans": summary.get("plans"), "targets": summary.get("targets"),
        "failed": summary.get("failed"),
        "peak_rss_mb_per_worker": sorted(round(v, 1) for v in peaks.values()),
    }


def resume_check(source: Path, partition_size: int, workers: int = 2) -> dict[str, int]:
    """Kill a scan in a subprocess after a few partitions; resume; count partitions redone."""
    from parstats.scan import scan

    out = Path(tempfile.mkdtemp(prefix="bench-resume-")) / "out"
    cmd = [sys.executable, "-m", "parstats", "scan", str(source), "--out", str(out),
           "--partition-size", str(partition_size), "--workers", str(workers), "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    recorded = 0
    try:
        while proc.poll() is None and recorded < 4:
            time.sleep(0.05)
            recorded = len(list((out / "_scan" / "parts").glob("part-*.json")))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # The worker processes of the killed LocalCluster notice their nanny is gone.
        time.sleep(2)
        result = scan(source, out, partition_size=partition_size, workers=workers)
        return {"partitions": result.n_partitions, "recorded_before_kill": recorded,
                "kept": result.kept, "redone": result.redone, "done": result.done,
                "workers": workers}
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


def report(name: str, base: dict[str, float], scans: list[dict[str, object]]) -> list[str]:
    """Print one input's figures; return the verdict lines."""
    print(f"\n== {name}: {base['docs']:,} documents, {base['mb']:.1f} MB")
    print(f"  baseline (extractor, 1 process): {base['docs_per_s']:.1f} docs/s, "
          f"{base['mb_per_s']:.2f} MB/s wall; {base['docs_per_cpu_s']:.1f} docs/cpu-s, "
          f"{base['mb_per_cpu_s']:.2f} MB/cpu-s")
    if "parallel" in base:
        par = base["parallel"]
        print(f"  extractor in {par['processes']} concurrent processes (not the bar): "
              f"{par['docs_per_cpu_s']:.1f} docs/cpu-s, {par['mb_per_cpu_s']:.2f} MB/cpu-s "
              f"({par['mb_per_cpu_s'] / base['mb_per_cpu_s']:.2f} x one process): what two busy "
              "processes cost each other on this machine")
    verdicts = []
    for s in scans:
        busy_ratio = s["mb_per_busy_s"] / base["mb_per_s"]
        cpu_ratio = s["mb_per_cpu_s"] / base["mb_per_cpu_s"]
        print(f"  scan, {s['workers']} worker(s), {s['partitions']} partitions, "
              f"{s['wall_s']:.1f} s for the whole command: per worker "
              f"{s['docs_per_busy_s']:.1f} docs/s, {s['mb_per_busy_s']:.2f} MB/s on its tasks "
              f"({busy_ratio:.2f} x baseline), {s['docs_per_s_per_worker']:.1f} docs/s over the "
              f"command's wall time; {s['docs_per_cpu_s']:.1f} docs/cpu-s, "
              f"{s['mb_per_cpu_s']:.2f} MB/cpu-s ({cpu_ratio:.2f} x); peak memory per worker "
              f"{s['peak_rss_mb_per_worker']} MB (median task "
              f"{s['peak_rss_mb_task_median']} MB); plans {s['plans']}, targets {s['targets']}, "
              f"failed {s['failed']}")
        verdict = "meets" if cpu_ratio >= BAR else "BELOW"
        verdicts.append(f"{name}, {s['workers']} worker(s): per-worker CPU throughput "
                        f"{cpu_ratio:.2f} x the extractor ({verdict} the {BAR:.2f} bar); "
                        f"wall on its tasks {busy_ratio:.2f} x")
    return verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2", help="worker counts to run (default 1,2)")
    parser.add_argument("--partition-size", type=int, default=200)
    parser.add_argument("--replica-docs", type=int, default=0,
                        help="also scan a generated replica of this many documents")
    parser.add_argument("--replica-dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "parstats-replica")
    parser.add_argument("--replica-workers", default=None,
                        help="worker counts for the replica (default: as --workers)")
    parser.add_argument("--replica-subset", type=int, default=0,
                        help="also scan the replica's first N documents (memory at two sizes "
                        "of the same layout)")
    parser.add_argument("--skip-full-replica", action="store_true",
                        help="scan only the replica subset (the full replica was timed before)")
    parser.add_argument("--baseline-sample", type=int, default=3000,
                        help="replica documents the baseline is timed on (seeded sample)")
    parser.add_argument("--no-resume", action="store_true", help="skip the kill-and-resume run")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    if not CORPUS.is_file():
        print(f"corpus sample not found at {CORPUS}: scan benchmark skipped")
        return 0
    workers = [int(w) for w in args.workers.split(",")]
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()}")
    figures: dict[str, object] = {"load_before": os.getloadavg()}
    _, texts = load_texts(CORPUS)
    base = baseline(texts)
    if max(workers) > 1:
        base["parallel"] = baseline_parallel(texts, max(workers))
    del texts
    scans = [run_scan(CORPUS, w, args.partition_size) for w in workers]
    verdicts = report("real sample", base, scans)
    figures["real"] = {"baseline": base, "scans": scans}
    if not args.no_resume:
        resumed = resume_check(CORPUS, 50)
        print(f"  resume after SIGKILL: {resumed}")
        verdict = "meets" if resumed["redone"] <= resumed["workers"] else "BELOW"
        verdicts.append(f"resume: {resumed['redone']} partition(s) redone with "
                        f"{resumed['workers']} workers ({verdict} the at-most-one-per-worker "
                        "bar)")
        figures["resume"] = resumed
    if args.replica_docs:
        folder = make_replica(CORPUS, args.replica_dir, args.replica_docs)
        _, sample = load_texts(folder, args.baseline_sample, seed=7)
        rbase = baseline(sample)
        del sample
        rworkers = ([int(w) for w in args.replica_workers.split(",")]
                    if args.replica_workers else workers)
        if args.replica_subset:
            subset = folder.parent / f"{folder.name}-first-{args.replica_subset}"
            shutil.rmtree(subset, ignore_errors=True)
            subset.mkdir()
            n_files = -(-args.replica_subset // ROWS_PER_FILE)
            for file in sorted(folder.glob("*.parquet"))[:n_files]:
                (subset / file.name).symlink_to(file)
            sscans = [run_scan(subset, w, args.partition_size) for w in rworkers]
            verdicts += report(f"replica, first {args.replica_subset:,} documents", rbase, sscans)
            figures["replica_subset"] = {"baseline": rbase, "scans": sscans}
            shutil.rmtree(subset, ignore_errors=True)
        rscans = ([] if args.skip_full_replica
                  else [run_scan(folder, w, args.partition_size) for w in rworkers])
        verdicts += report(f"replica ({args.replica_docs:,} documents; baseline on a seeded "
                           f"sample of {rbase['docs']:,})", rbase, rscans)
        figures["replica"] = {"baseline": rbase, "scans": rscans}
        for s_small in scans:
            for s_big in rscans:
                if s_small["workers"] == s_big["workers"]:
                    verdicts.append(
                        f"peak memory per worker, {s_small['workers']} worker(s): "
                        f"{max(s_small['peak_rss_mb_per_worker'])} MB on 3,000 documents, "
                        f"{max(s_big['peak_rss_mb_per_worker'])} MB on "
                        f"{args.replica_docs:,} (median task {s_small['peak_rss_mb_task_median']} "
                        f"and {s_big['peak_rss_mb_task_median']} MB)"
                    )
    figures["load_after"] = os.getloadavg()
    figures["peak_rss_mb_this_process"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nload average after: {os.getloadavg()}")
    for line in verdicts:
        print(line)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
