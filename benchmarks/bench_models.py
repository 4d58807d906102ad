"""Time the wild cluster restricted bootstrap (B=9999) on a 63-province × 10-year panel.

Run: ``.venv/bin/python benchmarks/bench_models.py``. Prints one line per setting:
clusters, weights, seconds for a full ``fit_ols(..., cov="wcr")`` (p-value and
test-inversion interval of two coefficients) and the interval found.
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


if __name__ == "__main__":
    main()
