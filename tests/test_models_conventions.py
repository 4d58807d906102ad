"""The small-sample conventions of parstats' fits against the peers' published conventions.

``../shared/reviews/models-vs-peers.md`` (D1) found parstats' CR1 standard errors 8.1 %
larger than pyfixest's default, fixest, reghdfe and Stata ``xtreg, fe`` on the real panel
(PCI on the PAPI total, 63 provinces x 2011-2017, N = 439, province and year effects,
clustered by province) because parstats counted the province effects, which are nested
in the province clusters, in the factor's K (70 parameters against the peers' 8). Its
published figures: SE ratio sqrt(431/369) = 1.08075 for one slope, sqrt(426/364) = 1.08182
for six. These tests rebuild the same shapes (63 clusters, 7 years, 2 rows missing) with
synthetic numbers and check, by hand with numpy, that

* the default (``fixef_k="nested"``) is the peers' convention: K = slopes + rank([1, year
  dummies]) = slopes + 7, the factor G/(G-1)(N-1)/(N-K);
* ``fixef_k="full"`` is the LSDV count (slopes + 69), and the ratio of the two standard
  errors is exactly the published one;
* every results object names its convention.

Tolerances: relative 1e-10 on standard errors and ratios (pure floating point).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from parstats.errors import ModelError, SmallSampleWarning
from parstats.models import fit_ols, fit_ordered, fit_small_sample, permutation_test

REL = 1e-10
pytestmark = pytest.mark.filterwarnings("ignore::parstats.errors.SmallSampleWarning")


def real_shaped_panel(n_slopes: int = 1, seed: int = 0) -> pd.DataFrame:
    """63 provinces x 2011-2017 with two province-years missing: N = 439, as the real panel."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {"province": np.repeat(np.arange(63), 7), "year": np.tile(np.arange(2011, 2018), 63)}
    )
    df = df.drop(index=[5, 200]).reset_index(drop=True)
    for j in range(n_slopes):
        df[f"x{j}"] = rng.normal(size=len(df)) + 0.1 * df["province"]
    eff = rng.normal(size=63)[df["province"]] + 0.2 * (df["year"] - 2011)
    df["y"] = sum(0.3 * df[f"x{j}"] for j in range(n_slopes)) + eff + rng.normal(size=len(df))
    return df


def hand_cr1(df: pd.DataFrame, slopes: list[str], k_factor: int) -> np.ndarray:
    """CR1 standard errors of the slopes by LSDV with numpy, with the factor's K given."""
    Z = np.hstack(
        [
            df[slopes].to_numpy(float),
            pd.get_dummies(df["province"], dtype=float).to_numpy(),
            pd.get_dummies(df["year"], dtype=float).to_numpy()[:, 1:],
        ]
    )
    y = df["y"].to_numpy(float)
    beta, *_ = np.linalg.lstsq(Z, y, rcond=None)
    u = y - Z @ beta
    inv = np.linalg.inv(Z.T @ Z)
    g = df["province"].to_numpy()
    meat = sum(np.outer(Z[g == c].T @ u[g == c], Z[g == c].T @ u[g == c]) for c in np.unique(g))
    n, G = len(df), len(np.unique(g))
    V = G / (G - 1) * (n - 1) / (n - k_factor) * inv @ meat @ inv
    return np.sqrt(np.diag(V))[: len(slopes)]


@pytest.mark.parametrize(
    ("n_slopes", "k_nested", "k_full", "published_ratio"),
    [(1, 8, 70, 1.08075), (6, 13, 75, 1.08182)],
)
def test_nested_default_matches_the_peers_and_full_is_the_lsdv_count(
    n_slopes, k_nested, k_full, published_ratio
):
    df = real_shaped_panel(n_slopes)
    slopes = [f"x{j}" for j in range(n_slopes)]
    formula = "y ~ " + " + ".join(slopes)
    assert len(df) == 439
    nested = fit_ols(df, formula, fe=("province", "year"), cluster="province", cov="cluster")
    full = fit_ols(
        df, formula, fe=("province", "year"), cluster="province", cov="cluster", fixef_k="full"
    )
    np.testing.assert_allclose(nested.std_errors, hand_cr1(df, slopes, k_nested), rtol=REL)
    np.testing.assert_allclose(full.std_errors, hand_cr1(df, slopes, k_full), rtol=REL)
    ratio = full.std_errors.to_numpy() / nested.std_errors.to_numpy()
    exact = math.sqrt((439 - k_nested) / (439 - k_full))  # sqrt(431/369), sqrt(426/364)
    np.testing.assert_allclose(ratio, exact, rtol=REL)
    assert round(exact, 5) == published_ratio  # the figure models-vs-peers.md published
    # Same estimates, same t(G-1) reference distribution: only the factor differs.
    np.testing.assert_allclose(nested.params, full.params, rtol=0, atol=1e-12)
    assert nested.df_inference == full.df_inference == 62
    assert "fixef_k='nested'" in nested.ssc and "province" in nested.ssc
    assert f"K={k_nested}" in nested.ssc and f"K={k_full}" in full.ssc
    assert "fixef_k='full'" in full.ssc
    assert any("small-sample convention" in n for n in nested.notes)
    assert "Small-sample convention" in nested.summary_text()


def test_single_nested_effect_counts_as_one_constant_like_xtreg_fe():
    # xtreg, fe with vce(cluster province): K = slopes + the constant it reports.
    df = real_shaped_panel(2, seed=3)
    res = fit_ols(df, "y ~ x0 + x1", fe="province", cluster="province", cov="cluster")
    np.testing.assert_allclose(
        res.std_errors, hand_cr1_one_way(df, ["x0", "x1"], k_factor=3), rtol=REL
    )


def hand_cr1_one_way(df, slopes, k_factor):
    Z = np.hstack([df[slopes].to_numpy(float), pd.get_dummies(df["province"], dtype=float)])
    y = df["y"].to_numpy(float)
    beta, *_ = np.linalg.lstsq(Z, y, rcond=None)
    u = y - Z @ beta
    inv = np.linalg.inv(Z.T @ Z)
    g = df["province"].to_numpy()
    meat = sum(np.outer(Z[g == c].T @ u[g == c], Z[g == c].T @ u[g == c]) for c in np.unique(g))
    n, G = len(df), len(np.unique(g))
    return np.sqrt(np.diag(G / (G - 1) * (n - 1) / (n - k_factor) * inv @ meat @ inv))[:2]


def test_which_effects_are_nested_depends_on_the_clusters():
    df = real_shaped_panel(1, seed=5)
    df["region"] = df["province"] % 7  # each province in one region: province effects nested
    df["block"] = (df["province"] + df["year"]) % 40  # crosses provinces and years
    fe = ("province", "year")
    res = fit_ols(df, "y ~ x0", fe=fe, cluster="region", cov="cluster")
    assert "(province)" in res.ssc and "K=8" in res.ssc
    by_year = fit_ols(df, "y ~ x0", fe=fe, cluster="year", cov="cluster")
    assert "(year)" in by_year.ssc and "K=64" in by_year.ssc  # 1 + rank([1, province])
    # Nothing nested: both conventions count every level and agree exactly.
    crossed = fit_ols(df, "y ~ x0", fe=fe, cluster="block", cov="cluster")
    full = fit_ols(df, "y ~ x0", fe=fe, cluster="block", cov="cluster", fixef_k="full")
    np.testing.assert_allclose(crossed.std_errors, full.std_errors, rtol=REL)
    assert "no fixed effect nested" in crossed.ssc and "K=70" in crossed.ssc


def test_every_results_object_names_its_convention():
    df = real_shaped_panel(1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        fits = [
            fit_ols(df, "y ~ x0", cov="nonrobust"),
            fit_ols(df, "y ~ x0", cov="hc1"),
            fit_ols(df.iloc[:60], "y ~ x0", cluster="province", cov="wcr", B=199),
            fit_small_sample(df.iloc[:12], "y ~ x0", B=99),
            fit_ordered(df.assign(tier=pd.qcut(df["y"], 3, labels=False)), "tier ~ x0"),
        ]
    for res in fits:
        assert res.ssc, res.model
        assert res.ssc in res.summary_text()
    with pytest.raises(Exception, match="fixef_k"):
        fit_ols(df, "y ~ x0", fe="province", cluster="province", fixef_k="some")


# --------------------------------------------------------------------------- audit D11, D28


def constant_response_frame() -> pd.DataFrame:
    """The audit's M6 case: a normal regressor and a response of 1.0 everywhere."""
    return pd.DataFrame({"x": np.random.default_rng(0).normal(size=40), "y": 1.0})


@pytest.mark.parametrize("cov", ["nonrobust", "hc1"])
def test_constant_response_is_refused_not_significant(cov):
    # Old code: slope -6.9e-17 with SE 2.5e-17, p = 0.009 and no warning (audit D11).
    with pytest.raises(ModelError, match=r"response 'y' does not vary.*every value is 1"):
        fit_ols(constant_response_frame(), "y ~ x", cov=cov)


def test_constant_response_is_refused_by_every_entry_point():
    df = constant_response_frame()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # old: divide by zero
        warnings.simplefilter("ignore", SmallSampleWarning)
        with pytest.raises(ModelError, match="does not vary"):
            permutation_test(df, "y ~ x", "x", B=99)
        with pytest.raises(ModelError, match="does not vary"):
            fit_small_sample(df.iloc[:10], "y ~ x", B=99)


def test_response_constant_within_fixed_effects_is_refused():
    df = real_shaped_panel(1)
    df["y"] = df["province"] * 2.0  # varies, but only between provinces
    with pytest.raises(ModelError, match="does not vary within the fixed effects province"):
        fit_ols(df, "y ~ x0", fe="province", cluster="province")
    # a response that varies a little is fitted
    df["y"] = df["y"] + np.random.default_rng(1).normal(scale=1e-3, size=len(df))
    assert fit_ols(df, "y ~ x0", fe="province", cluster="province").nobs == len(df)


def test_infinite_value_is_named_not_blamed_on_collinearity():
    # Old message: "perfectly collinear regressors ... constant within the fixed effects
    # or all zero" (audit D28, M7).
    df = constant_response_frame().assign(y=np.random.default_rng(2).normal(size=40))
    df.loc[3, "x"] = np.inf
    with pytest.raises(ModelError, match=r"column 'x' has 1 non-finite value.*row 3 \(inf\)") as e:
        fit_ols(df, "y ~ x")
    assert "collinear" not in str(e.value)
    df.loc[3, "x"], df.loc[7, "y"] = 0.5, -np.inf
    with pytest.raises(ModelError, match=r"column 'y' has 1 non-finite.*row 7 \(-inf\)"):
        fit_ols(df, "y ~ x")
