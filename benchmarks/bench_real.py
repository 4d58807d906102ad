"""Throughput of the default extraction path on the real corpus sample (issue 10 §2).

Usage::

    python benchmarks/bench_real.py [--limit N] [--repeat 2] [--profile]

Reads the texts of ``../shared/corpus/legal_vi_sample.parquet`` (3,000 real Vietnamese
texts; not shipped: the benchmark says so and exits 0 when it is absent) and runs on
each, in one process, what ``parstats extract``/``build`` run on a text: metadata,
the kind decision (:func:`parstats.kinds.decide`), then the target pipeline for the
documents whose kind sets commitments. Three variants, timed in the same process on
the same texts (CPU seconds, so other load on the shared machine distorts them less):

- ``default``: the path above;
- ``every kind``: no kind decision, every document's targets extracted (``--all-kinds``);
- ``baseline``: the default path without the components added by issue 10 §2 that can
  be left out (``statements`` and ``confidence``): the ratio ``default / baseline``
  is their cost.

Figures are MB of UTF-8 text per CPU second (median of ``--repeat`` runs), with the
share of time of every pipeline component on the default path. ``--profile`` prints
the 30 functions of largest cumulative time (cProfile) of one default run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CORPUS = REPO.parent / "shared" / "corpus" / "legal_vi_sample.parquet"
TARGET_MB_S = 5.0
OPTIONAL = ("statements", "confidence")


def load(limit: int | None) -> list[str]:
    """Return the corpus texts (NFC), in corpus order, at most ``limit``."""
    import pandas as pd

    from parstats.vn import nfc

    texts = pd.read_parquet(CORPUS, columns=["text"])["text"].tolist()
    return [nfc(t) for t in texts[:limit]]


def run_path(texts: list[str], *, kinds: bool, pipeline) -> tuple[float, int, int]:
    """Run the path on every text; return CPU seconds, documents extracted and targets."""
    from parstats.extraction.api import PlanDoc, _metadata_or_none
    from parstats.extraction.pipeline import run
    from parstats.kinds import decide

    cpu = time.process_time()
    extracted = targets = 0
    for text in texts:
        meta = _metadata_or_none(text, stacklevel=1)
        if kinds and not decide(text, meta).keep_targets:
            continue
        doc = run(PlanDoc(text, meta), pipeline)
        extracted += 1
        targets += len(doc.targets)
    return time.process_time() - cpu, extracted, targets


def component_shares(texts: list[str], pipeline) -> dict[str, float]:
    """Return the CPU seconds of metadata, the kind decision and each component (default path)."""
    from parstats.extraction.api import PlanDoc, _metadata_or_none
    from parstats.kinds import decide

    spent: dict[str, float] = {"metadata": 0.0, "kinds.decide": 0.0}
    for step in pipeline:
        spent[step.name] = 0.0
    for text in texts:
        t = time.process_time()
        meta = _metadata_or_none(text, stacklevel=1)
        spent["metadata"] += time.process_time() - t
        t = time.process_time()
        keep = decide(text, meta).keep_targets
        spent["kinds.decide"] += time.process_time() - t
        if not keep:
            continue
        doc = PlanDoc(text, meta)
        for step in pipeline:
            t = time.process_time()
            step.func(doc)
            spent[step.name] += time.process_time() - t
    return spent


def main(argv: list[str] | None = None) -> int:
    """Print the figures; exit 0 (also without the corpus)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, help="only the first N texts")
    parser.add_argument("--repeat", type=int, default=2, help="runs per variant (median)")
    parser.add_argument("--profile", action="store_true", help="cProfile one default run")
    args = parser.parse_args(argv)
    if not CORPUS.is_file():
        print(f"bench_real: the corpus sample is not at {CORPUS} (not shipped); nothing measured")
        return 0
    import warnings

    from parstats.extraction.api import PIPELINE

    warnings.simplefilter("ignore")
    texts = load(args.limit)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"corpus: {len(texts)} real texts, {mb:.1f} MB (UTF-8)")
    run_path(texts[:20], kinds=True, pipeline=PIPELINE)  # warm-up: imports, compiled tables
    baseline = tuple(step for step in PIPELINE if step.name not in OPTIONAL)
    variants = {
        "default": (True, PIPELINE),
        "every kind": (False, PIPELINE),
        "baseline": (True, baseline),
    }
    runs: dict[str, list[float]] = {name: [] for name in variants}
    counts: dict[str, tuple[int, int]] = {}
    for _ in range(max(1, args.repeat)):  # variants interleaved: the machine's drift is shared
        for name, (kinds, pipeline) in variants.items():
            cpu, extracted, targets = run_path(texts, kinds=kinds, pipeline=pipeline)
            runs[name].append(mb / cpu)
            counts[name] = (extracted, targets)
    speed = {name: statistics.median(r) for name, r in runs.items()}
    for name, r in runs.items():
        print(f"{name:<11}: {speed[name]:6.2f} MB/s per CPU second (runs "
              f"{', '.join(f'{v:.2f}' for v in r)}), {counts[name][0]} documents extracted, "
              f"{counts[name][1]} targets")
    print(f"ratio default / baseline (cost of {', '.join(OPTIONAL)}): "
          f"{speed['default'] / speed['baseline']:.3f}")
    print(f"ratio default / every kind: {speed['default'] / speed['every kind']:.3f}")
    spent = component_shares(texts, PIPELINE)
    total = sum(spent.values())
    print("CPU share on the default path: " + ", ".join(
        f"{k} {v / total:.1%}" for k, v in sorted(spent.items(), key=lambda kv: -kv[1])
        if v / total >= 0.005
    ))
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        run_path(texts, kinds=True, pipeline=PIPELINE)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    verdict = "meets" if speed["default"] >= TARGET_MB_S else "misses"
    print(f"default path (median {speed['default']:.2f} MB/s per CPU second) {verdict} the "
          f"{TARGET_MB_S:g} MB/s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
