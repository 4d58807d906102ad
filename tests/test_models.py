"""OLS, covariance types and the wild cluster bootstrap, against numbers computed another way.

Tolerances: coefficients against ``numpy.linalg.lstsq`` to 1e-9 (absolute, data of
order 1); standard errors against hand-built formulas to a relative 1e-8; against
statsmodels to a relative 1e-6; the fast WCR against a brute-force loop that re-runs
every bootstrap regression: p-values exactly equal (same weights), t statistics to 1e-9.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from parstats.errors import DroppedRowsWarning, ModelError, SmallSampleWarning
from parstats.models import (
    ModelSpec,
    compare,
    draw_weights,
    fit_ols,
    fit_ordered,
    wild_cluster_bootstrap,
)
from parstats.models.ordered import separating_direction


def make_panel(G=8, T=6, seed=1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"g": np.repeat(np.arange(G), T), "t": np.tile(np.arange(T), G)})
    n = len(df)
    df["x"] = rng.normal(size=n) + 0.3 * df["g"]
    df["z"] = rng.normal(size=n)
    df["y"] = 0.5 * df["x"] + 0.2 * df["z"] + rng.normal(size=n) + np.repeat(rng.normal(size=G), T)
    df["region"] = df["g"] % 3
    return df


def quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        return func(*args, **kwargs)


def dummy_design(df, fe):
    parts = [df[["x", "z"]].to_numpy(float)]
    for i, c in enumerate(fe):
        d = pd.get_dummies(df[c], dtype=float).to_numpy()
        parts.append(d if i == 0 else d[:, 1:])
    return np.hstack(parts)


def cr1_sandwich(Z, u, groups):
    n, K = Z.shape
    G = len(np.unique(groups))
    inv = np.linalg.inv(Z.T @ Z)
    meat = np.zeros((K, K))
    for g in np.unique(groups):
        s = Z[groups == g].T @ u[groups == g]
        meat += np.outer(s, s)
    return G / (G - 1) * (n - 1) / (n - K) * inv @ meat @ inv


# --- OLS against numpy and hand-built sandwiches -------------------------------------------


def test_ols_matches_lstsq_and_hand_formulas():
    df = make_panel(G=40, T=5)
    X = np.column_stack([np.ones(len(df)), df["x"], df["z"]])
    y = df["y"].to_numpy()
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    u = y - X @ beta
    n, K = X.shape
    inv = np.linalg.inv(X.T @ X)
    se_nonrobust = np.sqrt(np.diag(inv * (u @ u) / (n - K)))
    se_hc1 = np.sqrt(np.diag(n / (n - K) * inv @ (X.T * u**2) @ X @ inv))
    se_cr1 = np.sqrt(np.diag(cr1_sandwich(X, u, df["g"].to_numpy())))

    for cov, se in [("nonrobust", se_nonrobust), ("hc1", se_hc1), ("cluster", se_cr1)]:
        res = fit_ols(df, "y ~ x + z", cluster="g" if cov == "cluster" else None, cov=cov)
        np.testing.assert_allclose(res.params.to_numpy(), beta, rtol=0, atol=1e-9)
        np.testing.assert_allclose(res.std_errors.to_numpy(), se, rtol=1e-8)
        assert res.cov_type == cov
        assert res.nobs == n
        assert list(res.params.index) == ["Intercept", "x", "z"]


@pytest.mark.parametrize("fe", [("g",), ("g", "t")])
def test_fixed_effects_match_dummy_regression_and_cr1(fe):
    df = make_panel(G=35, T=5)
    Z = dummy_design(df, fe)
    y = df["y"].to_numpy()
    beta, *_ = np.linalg.lstsq(Z, y, rcond=None)
    u = y - Z @ beta
    V = cr1_sandwich(Z, u, df["g"].to_numpy())
    # The LSDV sandwich counts every dummy: the ``full`` convention (the default,
    # ``nested``, is tested in tests/test_models_conventions.py).
    res = fit_ols(df, "y ~ x + z", fe=fe, cluster="g", cov="cluster", fixef_k="full")
    np.testing.assert_allclose(res.params.to_numpy(), beta[:2], rtol=0, atol=1e-9)
    np.testing.assert_allclose(res.std_errors.to_numpy(), np.sqrt(np.diag(V))[:2], rtol=1e-8)
    assert res.df_resid == len(df) - Z.shape[1]
    assert "Intercept" not in res.params.index


def test_cluster_se_matches_statsmodels():
    sm = pytest.importorskip("statsmodels.api")
    df = make_panel(G=35, T=5)
    Z = dummy_design(df, ("g", "t"))
    ref = sm.OLS(df["y"].to_numpy(), Z).fit(cov_type="cluster", cov_kwds={"groups": df["g"]})
    res = fit_ols(df, "y ~ x + z", fe=("g", "t"), cluster="g", cov="cluster", fixef_k="full")
    np.testing.assert_allclose(res.std_errors.to_numpy(), ref.bse[:2], rtol=1e-6)
    hc1 = sm.OLS(df["y"].to_numpy(), Z).fit(cov_type="HC1")
    res = fit_ols(df, "y ~ x + z", fe=("g", "t"), cov="hc1")
    np.testing.assert_allclose(res.std_errors.to_numpy(), hc1.bse[:2], rtol=1e-6)


def test_categorical_terms_expand_to_dummies():
    df = make_panel(G=40, T=5)
    res = fit_ols(df, "y ~ x + C(region)", cov="nonrobust")
    assert list(res.params.index) == ["Intercept", "x", "C(region)[1]", "C(region)[2]"]
    X = np.column_stack([np.ones(len(df)), df["x"], df["region"] == 1, df["region"] == 2])
    beta, *_ = np.linalg.lstsq(X.astype(float), df["y"].to_numpy(), rcond=None)
    np.testing.assert_allclose(res.params.to_numpy(), beta, atol=1e-9)


# --- wild cluster restricted bootstrap -----------------------------------------------------


def brute_force_wcr(df, fe, j, null, V):
    """Re-run every bootstrap regression with lstsq and the hand CR1 sandwich."""
    Z = dummy_design(df, fe)
    y = df["y"].to_numpy()
    g = pd.factorize(df["g"], sort=True)[0]

    def t_of(yy):
        b, *_ = np.linalg.lstsq(Z, yy, rcond=None)
        se = np.sqrt(cr1_sandwich(Z, yy - Z @ b, g)[j, j])
        return (b[j] - null) / se

    Zr = np.delete(Z, j, axis=1)
    yr = y - null * Z[:, j]
    gam, *_ = np.linalg.lstsq(Zr, yr, rcond=None)
    fit, ur = Zr @ gam + null * Z[:, j], yr - Zr @ gam
    t_star = np.array([t_of(fit + ur * V[g, b]) for b in range(V.shape[1])])
    t = t_of(y)
    return t, float(np.mean(np.abs(t_star) >= abs(t) * (1 - 1e-8)))


@pytest.mark.parametrize(
    ("G", "weights", "null", "term"),
    [(6, "webb", 0.0, "x"), (6, "rademacher", 0.3, "z"), (5, "rademacher", 0.0, "x")],
)
def test_wcr_fast_algebra_equals_brute_force(G, weights, null, term):
    df = make_panel(G=G, T=6, seed=G)
    fe = ("g", "t")
    V, enumerated = draw_weights(G, 199, weights, seed=4)
    assert enumerated == (weights == "rademacher" and 2**G <= 199)
    t_ref, p_ref = brute_force_wcr(df, fe, ["x", "z"].index(term), null, V)
    res = quiet(
        wild_cluster_bootstrap,
        df,
        "y ~ x + z",
        term,
        cluster="g",
        fe=fe,
        null=null,
        B=199,
        weights=weights,
        seed=4,
        fixef_k="full",  # the brute force's LSDV sandwich counts every dummy
    )
    assert res.statistic == pytest.approx(t_ref, abs=1e-9)
    assert res.p_value == p_ref
    assert res.B == V.shape[1]
    # The CR1 factor scales t and every t* alike: the default convention changes the
    # statistic, never the p-value.
    nested = quiet(
        wild_cluster_bootstrap, df, "y ~ x + z", term, cluster="g", fe=fe, null=null, B=199,
        weights=weights, seed=4,
    )  # fmt: skip
    assert nested.p_value == p_ref and abs(nested.statistic) > abs(res.statistic)


def test_wcr_interval_inverts_the_test():
    df = make_panel(G=8, T=6)

    def wcr(null=0.0):
        return quiet(
            wild_cluster_bootstrap, df, "y ~ x + z", "x", cluster="g", fe=("g",), null=null,
            B=999, weights="webb", seed=2,
        )  # fmt: skip

    res = wcr()
    lo, hi = res.ci
    assert lo < res.estimate < hi
    eps = 1e-4 * (hi - lo)

    def p(b0):
        return wcr(b0).p_value

    assert p(lo + eps) > 0.05 >= p(lo - eps)
    assert p(hi - eps) > 0.05 >= p(hi + eps)


def test_wcr_reproducible_from_seed():
    df = make_panel(G=9, T=6)
    kw = dict(cluster="g", B=999, weights="webb")
    a = quiet(wild_cluster_bootstrap, df, "y ~ x + z", "x", seed=11, **kw)
    b = quiet(wild_cluster_bootstrap, df, "y ~ x + z", "x", seed=11, **kw)
    c = quiet(wild_cluster_bootstrap, df, "y ~ x + z", "x", seed=12, **kw)
    assert a == b
    assert (a.p_value, a.ci) != (c.p_value, c.ci)


def test_few_clusters_default_to_wcr_and_say_so():
    df = make_panel(G=6, T=6)
    with pytest.warns(SmallSampleWarning, match=r"G=6 clusters"):
        res = fit_ols(df, "y ~ x + z", fe=("t",), cluster="g", B=999)
    assert res.cov_type == "wcr"
    assert res.n_clusters == 6
    assert any("wild cluster restricted bootstrap" in n and "G=6 < 30" in n for n in res.notes)
    assert any("enumerated" in n for n in res.notes)  # 2**6 = 64 <= 999
    assert set(res.bootstrap) == {"x", "z"}
    assert res.p_values["x"] == res.bootstrap["x"].p_value
    assert (res.conf_int.loc["x"].to_numpy() == res.bootstrap["x"].ci).all()
    many = fit_ols(make_panel(G=40, T=3), "y ~ x", cluster="g")
    assert many.cov_type == "cluster"
    assert fit_ols(make_panel(G=40, T=3), "y ~ x").cov_type == "hc1"


def test_three_clusters_give_unbounded_interval_not_a_fake_one():
    df = make_panel(G=3, T=10)
    res = quiet(fit_ols, df, "y ~ x", cluster="g", cov="wcr", B=999)
    lo, hi = res.conf_int.loc["x"]
    assert np.isinf(lo) and np.isinf(hi)
    assert any("infinite interval" in n for n in res.notes)


# --- bad input -----------------------------------------------------------------------------


def test_single_cluster_is_refused():
    df = make_panel(G=1, T=12)
    with pytest.raises(ModelError, match=r"only one cluster"):
        fit_ols(df, "y ~ x", cluster="g", cov="cluster")


def test_all_missing_column_is_refused():
    df = make_panel().assign(w=np.nan)
    with pytest.raises(ModelError, match=r"'w' are entirely missing"):
        fit_ols(df, "y ~ x + w")


@pytest.mark.parametrize(
    ("extra", "formula", "fe", "named"),
    [
        (
            {"x2": lambda d: 2 * d["x"] - d["z"]},
            "y ~ x + z + x2",
            (),
            r"x2 \(a combination of x, z\)",
        ),
        ({"gx": lambda d: d["g"] * 1.0}, "y ~ x + gx", ("g",), r"gx \(constant within"),
        ({"c": lambda d: 0 * d["x"] + 1}, "y ~ x + c", (), r"c \(a combination of Intercept\)"),
    ],
)
def test_collinear_regressors_are_named(extra, formula, fe, named):
    df = make_panel().assign(**extra)
    with pytest.raises(ModelError, match=named):
        fit_ols(df, formula, fe=fe)


def test_no_degrees_of_freedom_is_refused_with_n():
    df = make_panel().head(3)
    with pytest.raises(ModelError, match=r"N=3 observations but 3 parameters"):
        fit_ols(df, "y ~ x + z")
    with pytest.raises(ModelError, match=r"N=7 observations but 7 parameters"):
        fit_ols(make_panel().head(7), "y ~ x", fe=("t",))


def test_dropped_rows_are_announced_and_counted():
    df = make_panel(G=40, T=3)
    df.loc[[0, 5, 9], "x"] = np.nan
    df.loc[[9, 11], "y"] = np.nan
    with pytest.warns(DroppedRowsWarning, match=r"dropped 4 of 120 rows .* y \(2\), x \(3\)"):
        res = fit_ols(df, "y ~ x")
    assert res.nobs == 116 and res.n_dropped == 4
    assert "Rows dropped (missing values): 4" in res.summary_text()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(formula="y ~ nothere"), r"'nothere' not in the data"),
        (dict(formula="y ~ x:z"), r"unsupported term"),
        (dict(formula="y x"), r"formula must look like"),
        (dict(formula="y ~ x", cov="cluster"), r"needs a cluster column"),
        (dict(formula="y ~ x", cov="wcr"), r"needs a cluster column"),
    ],
)
def test_bad_specifications_are_clear(kwargs, match):
    with pytest.raises(ModelError, match=match):
        fit_ols(make_panel(), **kwargs)


def test_unknown_cov_lists_allowed_values():
    with pytest.raises(ValueError, match=r"cov must be one of auto, nonrobust, hc1"):
        ModelSpec("y ~ x", cov="HC3")


def test_empty_frame_is_refused():
    with pytest.raises(ModelError, match=r"N=0"):
        fit_ols(make_panel().iloc[:0], "y ~ x")


# --- results object ------------------------------------------------------------------------

DATE_OR_TIME = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(:\d{2})?|\b(19|20)\d{2}\b")


def test_results_tidy_display_and_compare():
    df = make_panel(G=40, T=4)
    a = fit_ols(df, "y ~ x", cluster="g")
    b = ModelSpec("y ~ x + z", fe=("t",), cluster="g").fit(df)
    tidy = b.tidy()
    assert list(tidy.columns) == [
        "term",
        "estimate",
        "std_error",
        "statistic",
        "p_value",
        "conf_low",
        "conf_high",
    ]
    assert (tidy["conf_low"] < tidy["estimate"]).all()
    assert (tidy["estimate"] < tidy["conf_high"]).all()
    html1 = b._repr_html_()
    html2 = ModelSpec("y ~ x + z", fe=("t",), cluster="g").fit(df)._repr_html_()
    assert html1 == html2
    assert "CR1 cluster-robust" in html1 and "<table>" in html1
    assert not DATE_OR_TIME.search(html1) and not DATE_OR_TIME.search(b.summary_text())
    table = compare(a, b, names=["simple", "with z"])
    assert list(table.columns) == ["simple", "with z"]
    assert table.loc["z", "simple"] == "" and table.loc["N", "with z"] == "160"
    assert table.loc["covariance", "simple"].startswith("CR1")


def test_single_cluster_is_refused_before_anything_else():
    df = make_panel(G=1, T=12)
    with pytest.raises(ModelError, match=r"only one cluster in 'g' \(N=12\)"):
        fit_ols(df, "y ~ x", fe=("g",), cluster="g")


# --- ordered logit: separation and statsmodels failures are refusals, not fake fits ---------

# The review's reproduction: tier 1 has a < 30, tier 2 a in 56-73, tier 3 a = 81.4, so
# ``a`` orders the tiers perfectly; statsmodels returned no covariance (a raw ValueError
# from ``cov_params``) or, on other versions, standard errors in the thousands.
SEPARATED = pd.DataFrame(
    {
        "tier": [1, 1, 3, 1, 2, 2, 1, 1, 1, 2, 2, 1],
        "a": [26.16, 29.85, 81.42, 9.19, 60.01, 72.86, 18.79, 5.51, 27.50, 65.74, 56.23, 15.01],
        "b": np.linspace(10, 60, 12),
    }
)


def ordered_tiers(n=60, seed=4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    latent = 1.2 * x + rng.logistic(size=n)
    return pd.DataFrame({"x": x, "tier": np.digitize(latent, [-1.0, 1.0]) + 1})


@pytest.mark.parametrize(
    ("tier", "x", "named"),
    [
        ([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3], range(12), "'x'"),  # complete
        ([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3], [0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10], "'x'"),  # tie
        ([3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1], range(12), "'x'"),  # decreasing
        ([1] * 6 + [2] * 6, range(12), "'x'"),  # two tiers
    ],
)
def test_separated_tiers_are_refused_with_n(tier, x, named):
    df = pd.DataFrame({"tier": tier, "x": np.asarray(x, float)})
    with pytest.raises(ModelError, match=rf"separated by {named} \(N=12\).*does not exist"):
        quiet(fit_ordered, df, "tier ~ x")


def test_review_reproduction_is_a_model_error_naming_the_regressor():
    expected = r"\(quasi-\)complete separation: the tiers of 'tier' are separated by 'a' \(N=12\)"
    with pytest.raises(ModelError, match=expected):
        quiet(fit_ordered, SEPARATED, "tier ~ a + b")


def test_separation_by_a_combination_is_named_as_such():
    rng = np.random.default_rng(3)
    a = rng.normal(size=30)
    b = rng.normal(size=30)
    df = pd.DataFrame({"a": a, "b": b, "tier": np.where(a + b > 0, 2, 1)})
    with pytest.raises(ModelError, match=r"separated by a combination of 'a', 'b' \(N=30\)"):
        quiet(fit_ordered, df, "tier ~ a + b")


def brute_force_separated(x: np.ndarray, tier: np.ndarray) -> bool:
    """One regressor: separated iff every cumulative cut is weakly ordered, one way."""
    cuts = np.unique(tier)[:-1]
    up = all(x[tier <= j].max() <= x[tier > j].min() for j in cuts)
    down = all(x[tier <= j].min() >= x[tier > j].max() for j in cuts)
    return bool(np.ptp(x) > 0 and (up or down))


@pytest.mark.parametrize("seed", range(40))
def test_separating_direction_matches_brute_force_for_one_regressor(seed):
    rng = np.random.default_rng(seed)
    J = 2 + seed % 3
    tier = np.concatenate([np.arange(J), rng.integers(0, J, size=6)])
    x = np.sort(rng.integers(0, 6, size=len(tier))).astype(float)
    if seed % 2:  # half the draws nearly sorted by tier (often separated), half shuffled
        x = rng.permutation(x)
    else:
        tier = np.sort(tier)
    found = separating_direction(x[:, None], tier) is not None
    assert found == brute_force_separated(x, tier)


def test_overlapping_middle_tier_is_fitted():
    # tier 2 sits between tiers 1 and 3 on no single cut: the estimate exists
    df = pd.DataFrame({"tier": [1, 1, 2, 2, 3, 3, 1, 2, 3, 1, 2, 3], "x": np.arange(12.0)})
    assert separating_direction(df[["x"]].to_numpy(), df["tier"].to_numpy() - 1) is None
    res = quiet(fit_ordered, df, "tier ~ x")
    assert np.isfinite(res.std_errors).all() and res.nobs == 12


def test_missing_covariance_from_statsmodels_is_a_model_error(monkeypatch):
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    original = OrderedModel.fit

    def fit_without_cov(self, *args, **kwargs):
        res = original(self, *args, **kwargs)

        def cov_params():
            raise ValueError("need covariance of parameters for computing (unnormalized)")

        res.cov_params = cov_params
        return res

    monkeypatch.setattr(OrderedModel, "fit", fit_without_cov)
    with pytest.raises(ModelError, match=r"covariance of the estimates is not identified \(N=60"):
        fit_ordered(ordered_tiers(), "tier ~ x")


def test_statsmodels_layer_refuses_when_the_pre_check_is_bypassed(monkeypatch):
    # With the separation check switched off, statsmodels returns no covariance for these
    # separated data (0.14-0.15 with numpy < 2.4), which used to escape as a raw ValueError,
    # or a "converged" fit with finite but huge variances (0.15 with numpy 2.4, scipy 1.17).
    # Either way it is refused.
    import parstats.models.ordered as ordered

    monkeypatch.setattr(ordered, "separating_direction", lambda X, y: None)
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"tier": [1] * 6 + [2] * 6, "x": np.arange(12.0), "z": rng.normal(size=12)})
    with pytest.raises(ModelError, match=r"(not identified|did not converge) \(N=12"):
        quiet(fit_ordered, df, "tier ~ x + z")


def test_non_convergence_is_refused(monkeypatch):
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    original = OrderedModel.fit
    monkeypatch.setattr(
        OrderedModel, "fit", lambda self, *a, **kw: original(self, *a, **{**kw, "maxiter": 1})
    )
    with pytest.raises(ModelError, match=r"did not converge \(N=60, 1 slopes \+ 2 thresholds\)"):
        fit_ordered(ordered_tiers(), "tier ~ x")


def test_converged_ordered_fit_keeps_statsmodels_numbers():
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    df = ordered_tiers()
    res = fit_ordered(df, "tier ~ x")
    ref = OrderedModel(
        pd.Series(pd.Categorical(df["tier"], ordered=True)), df[["x"]], distr="logit"
    ).fit(method="bfgs", disp=False, maxiter=2000)
    np.testing.assert_allclose(res.std_errors.to_numpy(), np.asarray(ref.bse), rtol=1e-10)
    np.testing.assert_allclose(res.cov.to_numpy(), np.asarray(ref.cov_params()), rtol=1e-10)
    assert not any("did not converge" in n for n in res.notes)
