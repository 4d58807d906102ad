r"""Resampling inference for a handful of observations: permutation tests, bootstrap intervals.

Every function takes a ``seed`` and is reproducible from it; every resampling is
vectorised (a matrix of permutations or of frequency weights, not a Python loop
over draws).
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from parstats.errors import DroppedRowsWarning, ModelError, SmallSampleWarning
from parstats.models._design import build_design, warn_small
from parstats.models.ols import fit_ols
from parstats.models.results import ModelResults
from parstats.vocab import check
from parstats.warn import warn_user

RANK_METHODS: tuple[str, ...] = ("spearman", "kendall")


@dataclass(frozen=True)
class PermutationResult:
    r"""Freedman–Lane permutation test of one coefficient (null: coefficient is zero).

    Attributes
    ----------
    term, estimate, statistic
        The coefficient, its OLS estimate and its (homoskedastic) *t* statistic.
    p_value
        Share of permutations with :math:`|t^*| \ge |t|`; with random permutations
        :math:`(1 + \#)/(B + 1)` so it is never zero.
    B
        Permutations used (:math:`N!` when all were enumerated).
    seed, enumerated, nobs
        Seed, whether all permutations were enumerated, observations.
    strata
        Column within whose levels residuals were permuted, if any.
    """

    term: str
    estimate: float
    statistic: float
    p_value: float
    B: int
    seed: int
    enumerated: bool
    nobs: int
    strata: str | None = None


@dataclass(frozen=True)
class BootstrapResult:
    """Pairs (case or cluster) bootstrap of one coefficient.

    Attributes
    ----------
    term, estimate
        The coefficient and its estimate on the full sample.
    std_error
        Standard deviation of the bootstrap estimates.
    conf_low, conf_high
        Percentile interval at ``level``.
    B, seed
        Draws requested and seed.
    n_failed
        Draws left out because the resampled design was singular (more than a quarter:
        refused with :class:`~parstats.errors.ModelError`).
    resampled
        ``"rows"`` or ``"clusters of <column>"``.
    nobs
        Observations.
    """

    term: str
    estimate: float
    std_error: float
    conf_low: float
    conf_high: float
    level: float
    B: int
    seed: int
    n_failed: int
    resampled: str
    nobs: int


def _term_index(design, term: str) -> int:
    if term not in design.names:
        raise ModelError(f"term {term!r} not in the model; terms: {', '.join(design.names)}")
    return design.names.index(term)


def _permutations(n: int, B: int, rng: np.random.Generator, strata: np.ndarray | None):
    if strata is None and math.factorial(n) <= B:
        return np.array(list(itertools.permutations(range(n)))), True
    if strata is None:
        return rng.permuted(np.tile(np.arange(n), (B, 1)), axis=1), False
    perms = np.tile(np.arange(n), (B, 1))
    for level in np.unique(strata):
        pos = np.flatnonzero(strata == level)
        perms[:, pos] = rng.permuted(np.tile(pos, (B, 1)), axis=1)
    return perms, False


def permutation_test(
    data: pd.DataFrame,
    formula: str,
    term: str,
    *,
    fe: tuple[str, ...] | list[str] = (),
    strata: str | None = None,
    B: int = 9999,
    seed: int = 0,
) -> PermutationResult:
    r"""Test :math:`\beta_j = 0` by permuting the residuals of the reduced model (Freedman–Lane).

    With :math:`\hat y_r, \hat e_r` the fit and residuals of the model without term
    ``j``, each permutation :math:`\pi` gives :math:`y^* = \hat y_r + \hat e_{r,\pi}`;
    the full model is re-estimated and its *t* statistic
    :math:`t^* = \hat\beta^*_j / (s^* \sqrt{[(\tilde X'\tilde X)^{-1}]_{jj}})` compared with
    the observed one. Exact when all :math:`N!` permutations fit in ``B``; otherwise
    ``B`` random permutations and :math:`p = (1 + \#\{|t^*| \ge |t|\})/(B + 1)`.

    Parameters
    ----------
    data, formula, fe
        As in :func:`parstats.models.fit_ols`.
    term
        The coefficient tested.
    strata
        Permute only within levels of this column (e.g. ``"year"``).
    B
        Random permutations (all are enumerated when :math:`N! \le B`).
    seed
        Seed of the permutations.

    Returns
    -------
    PermutationResult
    """
    extra = (strata,) if strata else ()
    design = build_design(data, formula, fe=fe, extra=extra, what="permutation test")
    j = _term_index(design, term)
    n, k = design.nobs, design.k
    warn_small("permutation test", n)
    Xt, yt = design.partial(design.X), design.partial(design.y)
    xtx_inv = np.linalg.inv(Xt.T @ Xt)
    a = (xtx_inv @ Xt.T)[j]
    others = np.delete(Xt, j, axis=1)
    fit_r = others @ np.linalg.lstsq(others, yt, rcond=None)[0] if others.shape[1] else 0 * yt
    e_r = yt - fit_r
    Qz = np.linalg.qr(np.hstack([design.Q, Xt]))[0]
    rng = np.random.default_rng(seed)
    strata_codes = None
    if strata:
        strata_codes = pd.factorize(design.frame[strata])[0]
    perms, enumerated = _permutations(n, B, rng, strata_codes)
    beta_hat = float(a @ yt)
    resid = yt - Xt @ (xtx_inv @ (Xt.T @ yt))
    t_obs = beta_hat / math.sqrt(resid @ resid / (n - k) * xtx_inv[j, j])
    E = e_r[perms.T]  # n × B permuted residuals
    beta_star = a @ fit_r + a @ E
    ssr = (E * E).sum(axis=0) - ((Qz.T @ E) ** 2).sum(axis=0)
    t_star = beta_star / np.sqrt(np.maximum(ssr, 0) / (n - k) * xtx_inv[j, j])
    hits = int(np.sum(np.abs(t_star) >= abs(t_obs) * (1 - 1e-12)))
    p = hits / perms.shape[0] if enumerated else (1 + hits) / (perms.shape[0] + 1)
    return PermutationResult(
        term, beta_hat, float(t_obs), float(p), int(perms.shape[0]), seed, enumerated, n, strata
    )


def bootstrap_ci(
    data: pd.DataFrame,
    formula: str,
    term: str,
    *,
    fe: tuple[str, ...] | list[str] = (),
    cluster: str | None = None,
    B: int = 9999,
    seed: int = 0,
    level: float = 0.95,
) -> BootstrapResult:
    r"""Percentile interval for one coefficient by the pairs bootstrap.

    Rows (or whole clusters, with ``cluster=``) are resampled with replacement; each
    draw is a vector of frequency weights :math:`w_b`, and
    :math:`\hat\beta_b = (Z'W_bZ)^{-1}Z'W_b y` with ``Z`` the regressors and the
    fixed-effect basis. Draws whose :math:`Z'W_bZ` is singular (e.g. a resample in
    which a regressor is constant) are left out and counted in ``n_failed``.

    Parameters
    ----------
    data, formula, fe
        As in :func:`parstats.models.fit_ols`.
    term
        The coefficient.
    cluster
        Resample clusters of this column instead of rows.
    B, seed, level
        Draws, seed and interval level.

    Returns
    -------
    BootstrapResult
    """
    design = build_design(data, formula, fe=fe, cluster=cluster, what="bootstrap")
    j = _term_index(design, term)
    n = design.nobs
    warn_small("bootstrap", n, design.n_clusters)
    Z = np.hstack([design.X, design.Q])
    y = design.y
    rng = np.random.default_rng(seed)
    if cluster:
        G = design.n_clusters
        draws = rng.integers(0, G, size=(B, G))
        counts = np.zeros((B, G))
        np.add.at(counts, (np.repeat(np.arange(B), G), draws.ravel()), 1.0)
        W = counts[:, design.clusters]
        resampled = f"clusters of {cluster}"
    else:
        draws = rng.integers(0, n, size=(B, n))
        W = np.zeros((B, n))
        np.add.at(W, (np.repeat(np.arange(B), n), draws.ravel()), 1.0)
        resampled = "rows"
    p = Z.shape[1]
    chunk = max(1, int(4e6 // (n * p)))
    betas = np.empty(B)
    for start in range(0, B, chunk):
        w = W[start : start + chunk]
        ZW = w[:, None, :] * Z.T[None]  # c × p × n
        A = ZW @ Z
        rhs = ZW @ y
        eig = np.linalg.eigvalsh(A)
        ok = eig[:, 0] > 1e-10 * np.maximum(eig[:, -1], 1e-300)
        sol = np.full((len(w), p), np.nan)
        if ok.any():
            sol[ok] = np.linalg.solve(A[ok], rhs[ok][..., None])[..., 0]
        betas[start : start + chunk] = sol[:, j]
    good = betas[~np.isnan(betas)]
    n_failed = B - good.size
    if n_failed > 0.25 * B:
        raise ModelError(
            f"bootstrap: {n_failed} of {B} resamples were singular (N={n}); too few "
            "observations to bootstrap this model"
        )
    if n_failed:
        warn_user(
            f"bootstrap: {n_failed} of {B} resamples were singular and left out (N={n})",
            SmallSampleWarning
        )
    beta_hat = float(np.linalg.lstsq(Z, y, rcond=None)[0][j])
    lo, hi = np.quantile(good, [(1 - level) / 2, (1 + level) / 2])
    return BootstrapResult(
        term,
        beta_hat,
        float(good.std(ddof=1)),
        float(lo),
        float(hi),
        level,
        B,
        seed,
        int(n_failed),
        resampled,
        n,
    )


def _pearson_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a - a.mean(axis=1, keepdims=True)
    b = b - b.mean(axis=1, keepdims=True)
    den = np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1))
    return np.divide((a * b).sum(axis=1), den, out=np.full(len(a), np.nan), where=den > 0)


def spearman_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""Spearman's :math:`\rho` of each row pair: Pearson correlation of mid-ranks."""
    return _pearson_rows(stats.rankdata(x, axis=1), stats.rankdata(y, axis=1))


def kendall_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""Kendall's :math:`\tau_b` of each row pair.

    .. math:: \tau_b = \frac{\sum_{i<j} s^x_{ij} s^y_{ij}}
              {\sqrt{\sum_{i<j} (s^x_{ij})^2 \sum_{i<j} (s^y_{ij})^2}},
              \quad s^x_{ij} = \operatorname{sign}(x_i - x_j).
    """
    out = np.empty(x.shape[0])
    n = x.shape[1]
    chunk = max(1, int(4e7 // (n * n)))
    for start in range(0, x.shape[0], chunk):
        xs, ys = x[start : start + chunk], y[start : start + chunk]
        sx = np.sign(xs[:, :, None] - xs[:, None, :])
        sy = np.sign(ys[:, :, None] - ys[:, None, :])
        num = (sx * sy).sum(axis=(1, 2))
        den = np.sqrt((sx * sx).sum(axis=(1, 2)) * (sy * sy).sum(axis=(1, 2)))
        out[start : start + chunk] = np.divide(
            num, den, out=np.full(len(xs), np.nan), where=den > 0
        )
    return out


def rank_correlations(
    panel_a: pd.DataFrame,
    panel_b: pd.DataFrame,
    *,
    method: str | tuple[str, ...] = ("spearman", "kendall"),
    B: int = 9999,
    seed: int = 0,
    level: float = 0.95,
    min_n: int = 5,
) -> pd.DataFrame:
    r"""Rank correlation of two province × year panels, year by year, with bootstrap intervals.

    Parameters
    ----------
    panel_a, panel_b
        Wide frames: one row per province (the index), one column per year, as
        ``parstats.indices.panel(index, measure)`` returns.
    method
        ``"spearman"``, ``"kendall"`` (:math:`\tau_b`) or both.
    B, seed, level
        Provinces are resampled with replacement ``B`` times; the interval is the
        percentile interval of the resampled coefficients.
    min_n
        Years with fewer provinces observed in both panels are left out (warned).

    Returns
    -------
    pandas.DataFrame
        Columns ``year, method, n, estimate, conf_low, conf_high, p_value`` (the
        p-value is scipy's asymptotic test of no association), one row per year and method.
    """
    methods = (method,) if isinstance(method, str) else tuple(method)
    for m in methods:
        check(m, RANK_METHODS, "method")
    common = [c for c in panel_a.columns if c in set(panel_b.columns)]
    if not common:
        raise ModelError(
            f"the two panels share no year: {list(panel_a.columns)} vs {list(panel_b.columns)}"
        )
    rng = np.random.default_rng(seed)
    rows, skipped = [], []
    for year in sorted(common):
        pair = pd.concat(
            [panel_a[year].rename("a"), panel_b[year].rename("b")], axis=1, join="inner"
        ).dropna()
        n = len(pair)
        if n < min_n:
            skipped.append(f"{year} (n={n})")
            continue
        x, y = pair["a"].to_numpy(float), pair["b"].to_numpy(float)
        idx = rng.integers(0, n, size=(B, n))
        for m in methods:
            if m == "spearman":
                est, p = stats.spearmanr(x, y)
                boot = spearman_rows(x[idx], y[idx])
            else:
                est, p = stats.kendalltau(x, y)
                boot = kendall_rows(x[idx], y[idx])
            lo, hi = np.nanquantile(boot, [(1 - level) / 2, (1 + level) / 2])
            rows.append(
                {
                    "year": year,
                    "method": m,
                    "n": n,
                    "estimate": float(est),
                    "conf_low": float(lo),
                    "conf_high": float(hi),
                    "p_value": float(p),
                }
            )
    if skipped:
        warn_user(
            f"rank correlations: years left out with fewer than {min_n} provinces in both "
            f"panels: {', '.join(skipped)}",
            DroppedRowsWarning
        )
    if not rows:
        raise ModelError(
            f"rank correlations: no year has at least {min_n} provinces in both panels"
        )
    return pd.DataFrame(rows)


def fit_small_sample(
    data: pd.DataFrame,
    formula: str,
    *,
    fe: tuple[str, ...] | list[str] = (),
    B: int = 9999,
    seed: int = 0,
    level: float = 0.95,
) -> ModelResults:
    r"""Fit OLS on a handful of observations with resampling inference for every slope.

    Meant for plan-level models (one row per plan, a few provinces): e.g. the change
    in a province's index rank over its plan period on the plan's ambition score.
    Estimates and (homoskedastic) standard errors are those of
    :func:`parstats.models.fit_ols` with ``cov="nonrobust"``; each p-value is replaced
    by the Freedman–Lane permutation p-value (:func:`permutation_test`) and each
    interval by the pairs-bootstrap percentile interval (:func:`bootstrap_ci`). When
    the bootstrap is impossible (most resamples singular) the interval is ``NaN``
    and a note says why.

    Parameters
    ----------
    data, formula, fe
        As in :func:`parstats.models.fit_ols`.
    B, seed, level
        Permutations and bootstrap draws, their seed, and the interval level.

    Returns
    -------
    ModelResults
        ``cov_type="permutation"``; ``notes`` state N, B and the seed.

    Raises
    ------
    ModelError
        As :func:`parstats.models.fit_ols`, notably when N ≤ K (no degrees of freedom).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        base = fit_ols(data, formula, fe=fe, cov="nonrobust", level=level)
    notes = list(base.notes)
    small = warn_small("small-sample fit", base.nobs, advice="permutation and bootstrap used")
    if small:
        notes.append(small)
    slopes = [t for t in base.params.index if t != "Intercept"]
    if not slopes:
        raise ModelError(f"{formula!r} has no slope to test")
    p = base.p_values.copy()
    ci = base.conf_int.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (SmallSampleWarning, DroppedRowsWarning))
        for term in slopes:
            perm = permutation_test(data, formula, term, fe=fe, B=B, seed=seed)
            p[term] = perm.p_value
            try:
                boot = bootstrap_ci(data, formula, term, fe=fe, B=B, seed=seed, level=level)
                ci.loc[term] = (boot.conf_low, boot.conf_high)
                if boot.n_failed:
                    notes.append(f"{term}: {boot.n_failed} of {B} bootstrap resamples singular")
            except ModelError as err:
                ci.loc[term] = (np.nan, np.nan)
                notes.append(f"{term}: no bootstrap interval ({err})")
    kind = "all permutations enumerated" if perm.enumerated else f"{perm.B} permutations"
    notes.append(
        f"N={base.nobs}: p-values by Freedman–Lane permutation ({kind}, seed {seed}); "
        f"{level:.0%} intervals by pairs bootstrap ({B} draws, seed {seed}); the intercept "
        "keeps its t-based inference"
    )
    return replace(
        base,
        p_values=p,
        conf_int=ci,
        cov_type="permutation",
        cov_label="nonrobust std errors; permutation p-values; bootstrap intervals",
        notes=tuple(notes),
    )
