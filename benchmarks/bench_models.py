"""Time the wild cluster restricted bootstrap (B=9999) on a 63-province × 10-year panel.

Run: ``.venv/bin/python benchmarks/bench_models.py``. Prints one line per setting:
clusters, weights, seconds for a full ``fit_ols(..., cov="wcr")`` (p-value and
test-inversion interval of two coefficients) and the interval found. Then the CR1 fit
under both small-sample conventions (``fixef_k="nested"``, the default, finds the fixed
effects nested in the clusters; ``"full"`` does the same work and only counts
differently), as a ratio in the same process, and the per-target ambition table and the
family question on the seed plans (``data/raw/gold``).
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd

from parstats.errors import SmallSampleWarning
from parstats.models import fit_ols


def panel(n_prov: int = 63, years: int = 10, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "province": np.repeat(np.arange(n_prov), years),
            "year": np.tile(np.arange(2010, 2010 + years), n_prov),
        }
    )
    df["x"] = rng.normal(size=len(df))
    df["z"] = rng.normal(size=len(df))
    df["y"] = 0.3 * df["x"] + rng.normal(size=len(df)) + np.repeat(rng.normal(size=n_prov), years)
    return df


def main() -> None:
    df = panel()
    for G in (6, 12, 63):
        df["cluster"] = df["province"] % G
        for weights in ("rademacher", "webb"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SmallSampleWarning)
                start = time.perf_counter()
                res = fit_ols(
                    df,
                    "y ~ x + z",
                    fe=("province", "year"),
                    cluster="cluster",
                    cov="wcr",
                    B=9999,
                    weights=weights,
                    seed=0,
                )
                secs = time.perf_counter() - start
            b = res.bootstrap["x"]
            print(
                f"G={G:2d} {weights:10s} B={b.B:5d} {secs:6.3f} s  "
                f"p={b.p_value:.4f} CI=({b.ci[0]:.4f}, {b.ci[1]:.4f})"
            )


def median_time(func, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def conventions() -> None:
    df = panel()
    fit = {"fe": ("province", "year"), "cluster": "province", "cov": "cluster"}
    fit_ols(df, "y ~ x + z", **fit)  # warm-up
    nested = median_time(lambda: fit_ols(df, "y ~ x + z", **fit))
    full = median_time(lambda: fit_ols(df, "y ~ x + z", fixef_k="full", **fit))
    print(
        f"CR1 fit, N={len(df)}, G=63: nested {nested * 1e3:.1f} ms, full {full * 1e3:.1f} ms "
        f"(ratio {nested / full:.2f})"
    )


def ambition_on_seeds() -> None:
    from pathlib import Path

    from parstats import ambition, analysis

    gold = Path(__file__).resolve().parents[1] / "data" / "raw" / "gold"
    t = pd.read_csv(gold / "targets.csv", dtype={"doc": "string"})
    d = pd.read_csv(gold / "documents.csv", dtype={"doc": "string"})
    t["target_no"] = t.groupby("doc").cumcount() + 1
    for col in ("start", "end", "sentence", "heading"):
        t[col] = pd.NA
    ambition.ambition_by_target(t, d)  # warm-up (catalogue, benchmarks)
    per_target = median_time(lambda: ambition.ambition_by_target(t, d), repeat=3)
    families = median_time(lambda: ambition.ambition_by_family(t, d), repeat=3)
    print(f"ambition_by_target, {len(t)} seed rows: {per_target:.3f} s")
    print(f"ambition_by_family, seed plans: {families:.3f} s")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        analysis.family_ambition_vs_index(targets=t, documents=d, B=999, n_sim=300)
        print(f"family_ambition_vs_index (B=999, 300 power simulations): "
              f"{time.perf_counter() - start:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
    conventions()
    ambition_on_seeds()
