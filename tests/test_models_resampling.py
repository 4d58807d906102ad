"""Permutation tests, bootstrap intervals, rank correlations, ordered model and power.

References: permutation p-values against a loop that re-fits every permutation with
``numpy.linalg.lstsq`` (exactly equal); bootstrap percentiles against a loop over the
same resamples (to 1e-9); rank correlations against scipy (to 1e-12); the ordered
model against statsmodels' ``OrderedModel`` fitted directly (to 1e-4).
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from parstats.errors import DroppedRowsWarning, ModelError, SmallSampleWarning
from parstats.models import (
    bootstrap_ci,
    fit_ordered,
    fit_small_sample,
    panel_changes,
    permutation_test,
    power_by_simulation,
    rank_correlations,
)
from parstats.models.resampling import kendall_rows, spearman_rows


def plans(n=6, seed=3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"ambition": rng.normal(size=n), "size": rng.normal(size=n)})
    df["change"] = 2.0 * df["ambition"] + rng.normal(size=n)
    return df


def quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        return func(*args, **kwargs)


def t_of(X, y, j):
    b, *_ = np.linalg.lstsq(X, y, rcond=None)
    u = y - X @ b
    n, k = X.shape
    return b[j] / np.sqrt(u @ u / (n - k) * np.linalg.inv(X.T @ X)[j, j])


def test_permutation_test_exact_enumeration_matches_loop():
    df = plans(n=6)
    X = np.column_stack([np.ones(6), df["ambition"], df["size"]])
    y = df["change"].to_numpy()
    Xr = X[:, [0, 2]]
    fit_r = Xr @ np.linalg.lstsq(Xr, y, rcond=None)[0]
    e_r = y - fit_r
    t_obs = t_of(X, y, 1)
    t_star = [t_of(X, fit_r + e_r[list(p)], 1) for p in itertools.permutations(range(6))]
    p_ref = np.mean(np.abs(t_star) >= abs(t_obs) * (1 - 1e-12))
    with pytest.warns(SmallSampleWarning, match=r"N=6 observations"):
        res = permutation_test(df, "change ~ ambition + size", "ambition", B=999)
    assert res.enumerated and res.B == 720
    assert res.statistic == pytest.approx(t_obs, rel=1e-10)
    assert res.p_value == pytest.approx(p_ref, abs=1e-12)


def test_permutation_test_random_is_reproducible_and_positive():
    df = plans(n=12)
    a = quiet(permutation_test, df, "change ~ ambition", "ambition", B=999, seed=5)
    b = quiet(permutation_test, df, "change ~ ambition", "ambition", B=999, seed=5)
    assert a == b and not a.enumerated
    assert 1 / 1000 <= a.p_value <= 1
    df["block"] = np.arange(12) % 2
    s = quiet(permutation_test, df, "change ~ ambition", "ambition", B=999, seed=5, strata="block")
    assert s.strata == "block" and 0 < s.p_value <= 1


def test_bootstrap_ci_matches_loop_over_same_resamples():
    df = plans(n=15)
    B, seed = 300, 8
    res = quiet(bootstrap_ci, df, "change ~ ambition", "ambition", B=B, seed=seed)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, 15, size=(B, 15))
    X = np.column_stack([np.ones(15), df["ambition"]])
    y = df["change"].to_numpy()
    betas = np.array([np.linalg.lstsq(X[d], y[d], rcond=None)[0][1] for d in draws])
    lo, hi = np.quantile(betas, [0.025, 0.975])
    assert res.n_failed == 0
    assert (res.conf_low, res.conf_high) == pytest.approx((lo, hi), abs=1e-9)
    assert res.std_error == pytest.approx(betas.std(ddof=1), rel=1e-9)
    again = quiet(bootstrap_ci, df, "change ~ ambition", "ambition", B=B, seed=seed)
    assert again == res


def test_cluster_bootstrap_resamples_clusters():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"g": np.repeat(np.arange(10), 4), "x": rng.normal(size=40)})
    df["y"] = df["x"] + rng.normal(size=40)
    res = quiet(bootstrap_ci, df, "y ~ x", "x", cluster="g", B=499, seed=1)
    assert res.resampled == "clusters of g"
    assert res.conf_low < res.estimate < res.conf_high


def test_bootstrap_refuses_when_most_resamples_are_singular():
    df = pd.DataFrame({"x": [0, 0, 0, 0, 1.0], "y": [1, 2, 3, 4, 5.0]})
    with pytest.raises(ModelError, match=r"singular"):
        quiet(bootstrap_ci, df, "y ~ x", "x", B=199)


def test_vectorised_rank_correlations_equal_scipy():
    rng = np.random.default_rng(2)
    x = rng.integers(0, 6, size=(20, 15)).astype(float)  # many ties
    y = x + rng.integers(0, 4, size=(20, 15))
    sp = [stats.spearmanr(a, b)[0] for a, b in zip(x, y, strict=True)]
    kt = [stats.kendalltau(a, b)[0] for a, b in zip(x, y, strict=True)]
    np.testing.assert_allclose(spearman_rows(x, y), sp, atol=1e-12)
    np.testing.assert_allclose(kendall_rows(x, y), kt, atol=1e-12)


def wide(seed, years=(2015, 2016, 2017), n=20):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        rng.normal(size=(n, len(years))), columns=list(years), index=[f"P{i:02d}" for i in range(n)]
    )


def test_rank_correlations_per_year_with_intervals():
    a = wide(1)
    b = a + 0.5 * wide(2)
    b.loc["P00", 2017] = np.nan
    out = rank_correlations(a, b, B=499, seed=3)
    assert list(out.columns) == [
        "year",
        "method",
        "n",
        "estimate",
        "conf_low",
        "conf_high",
        "p_value",
    ]
    assert len(out) == 6
    row = out[(out["year"] == 2017) & (out["method"] == "kendall")].iloc[0]
    assert row["n"] == 19
    assert row["estimate"] == pytest.approx(
        stats.kendalltau(a[2017].drop("P00"), b[2017].drop("P00"))[0]
    )
    assert (out["conf_low"] <= out["estimate"]).all()
    assert (out["estimate"] <= out["conf_high"]).all()
    pd.testing.assert_frame_equal(out, rank_correlations(a, b, B=499, seed=3))


def test_rank_correlations_bad_input():
    a, b = wide(1), wide(2, years=(2019,))
    with pytest.raises(ModelError, match=r"share no year"):
        rank_correlations(a, b)
    b = wide(2).iloc[:3]
    with (
        pytest.raises(ModelError, match=r"no year has at least 5"),
        pytest.warns(DroppedRowsWarning, match=r"2015 \(n=3\)"),
    ):
        rank_correlations(a, b)
    with pytest.raises(ValueError, match=r"method must be one of spearman, kendall"):
        rank_correlations(a, wide(2), method="pearson")


def tiers(n=60, seed=4):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    latent = 1.2 * x + rng.logistic(size=n)
    return pd.DataFrame({"x": x, "tier": np.digitize(latent, [-1.0, 1.0]) + 1})


def test_ordered_model_matches_statsmodels():
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    df = tiers()
    res = fit_ordered(df, "tier ~ x")
    ref = OrderedModel(
        pd.Series(pd.Categorical(df["tier"], ordered=True)), df[["x"]], distr="logit"
    ).fit(method="bfgs", disp=False, maxiter=2000)
    np.testing.assert_allclose(res.params.to_numpy(), np.asarray(ref.params), atol=1e-4)
    np.testing.assert_allclose(res.std_errors.to_numpy(), np.asarray(ref.bse), rtol=1e-3)
    assert list(res.params.index) == ["x", "1/2", "2/3"]
    assert res.cov_type == "mle" and res.nobs == 60
    assert list(res.tidy().columns)[0] == "term"


def test_ordered_model_refusals():
    df = tiers()
    with pytest.raises(ModelError, match=r"single value"):
        fit_ordered(df.assign(tier=2), "tier ~ x")
    with pytest.raises(ModelError, match=r"N=3 observations but 3 parameters"):
        fit_ordered(df.head(3).assign(tier=[1, 2, 3]), "tier ~ x")
    with pytest.raises(ModelError, match=r"numeric codes or an ordered categorical"):
        fit_ordered(df.assign(tier=df["tier"].astype(str)), "tier ~ x")


def test_power_by_simulation():
    outcome = np.random.default_rng(0).normal(scale=4.0, size=300)
    res = power_by_simulation(outcome, [5, 10, 40], n_sim=1000, seed=1)
    again = power_by_simulation(outcome, [5, 10, 40], n_sim=1000, seed=1)
    pd.testing.assert_frame_equal(res.table, again.table)
    at_zero = res.table[res.table["effect"] == 0]["power"]
    assert (abs(at_zero - 0.05) < 0.025).all()  # size of the test, Monte Carlo error ~0.007
    assert res.mde[40] < res.mde[10] < res.mde[5]
    # normal theory for n=40: MDE ≈ (z_.975 + z_.8) σ / sqrt(n) ≈ 2.8 · 4 / 6.3 ≈ 1.8
    assert res.mde[40] == pytest.approx(2.8 * 4 / np.sqrt(40), rel=0.15)
    assert res.plans_needed() == 5
    with pytest.raises(ModelError, match=r"at least 3 plans"):
        power_by_simulation(outcome, 2)


def test_panel_changes_pairs_years_span_apart():
    p = pd.DataFrame({2015: [1.0, 2.0], 2016: [3.0, np.nan], 2020: [5.0, 7.0]}, index=["A", "B"])
    ch = panel_changes(p, 5)
    assert ch.to_dict() == {("A", 2015): 4.0, ("B", 2015): 5.0}
    with pytest.raises(ModelError, match=r"no pair of years 3 apart"):
        panel_changes(p, 3)


def test_fit_small_sample_uses_resampling_inference_and_warns_with_n():
    df = plans(n=7)
    with pytest.warns(SmallSampleWarning, match=r"N=7 observations"):
        res = fit_small_sample(df, "change ~ ambition", B=999, seed=2)
    perm = quiet(permutation_test, df, "change ~ ambition", "ambition", B=999, seed=2)
    boot = quiet(bootstrap_ci, df, "change ~ ambition", "ambition", B=999, seed=2)
    assert res.cov_type == "permutation" and res.nobs == 7
    assert res.p_values["ambition"] == perm.p_value
    assert tuple(res.conf_int.loc["ambition"]) == (boot.conf_low, boot.conf_high)
    assert any("N=7: p-values by Freedman–Lane permutation" in n for n in res.notes)


def test_fit_small_sample_refuses_without_degrees_of_freedom():
    with pytest.raises(ModelError, match=r"N=2 observations but 2 parameters"):
        fit_small_sample(plans(n=2), "change ~ ambition")
