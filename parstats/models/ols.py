r"""Linear models by least squares with absorbed fixed effects and named standard errors.

The estimator is OLS on :math:`y = X\beta + D\alpha + u`, the fixed-effect dummies ``D``
partialled out (Frisch–Waugh–Lovell): with :math:`M_D = I - D(D'D)^{+}D'`,
:math:`\tilde y = M_D y`, :math:`\tilde X = M_D X`,

.. math::

   \hat\beta = (\tilde X'\tilde X)^{-1}\tilde X'\tilde y, \qquad
   \hat u = \tilde y - \tilde X\hat\beta.

``K`` counts every estimated parameter, fixed-effect levels included
(:math:`K = k_X + \operatorname{rank}(D)`), as a regression on the dummies would, in
the residual degrees of freedom, ``nonrobust`` and ``hc1``. The CR1 factor
(``cluster``, ``wcr``) follows the field's convention by default
(``fixef_k="nested"``): fixed effects nested in the clusters (province effects with
province clusters) are not counted, as in R fixest, pyfixest, Stata ``reghdfe`` and
``xtreg, fe`` (:meth:`parstats.models._design.Design.k_ssc`); ``fixef_k="full"``
counts them (the LSDV/``areg`` count: statsmodels with dummies, linearmodels with
``group_debias=True``), which is larger and so conservative. Every results object
names the convention in ``ssc``.
Covariance types (``cov=``):

``nonrobust``
    :math:`s^2(\tilde X'\tilde X)^{-1}`, :math:`s^2 = \hat u'\hat u/(N-K)`; *t* with :math:`N-K` df.
``hc1``
    :math:`\frac{N}{N-K}(\tilde X'\tilde X)^{-1}
    \big(\sum_i \hat u_i^2 \tilde x_i\tilde x_i'\big)(\tilde X'\tilde X)^{-1}`;
    *t* with :math:`N-K` df.
``cluster``
    CR1: :math:`\frac{G}{G-1}\frac{N-1}{N-K_c}(\tilde X'\tilde X)^{-1}
    \big(\sum_g \tilde X_g'\hat u_g\hat u_g'\tilde X_g\big)(\tilde X'\tilde X)^{-1}`;
    *t* with :math:`G-1` df; :math:`K_c` counts the parameters by ``fixef_k``.
``wcr``
    CR1 standard errors and *t* statistics, but p-values and confidence intervals from
    the wild cluster restricted bootstrap (:mod:`parstats.models.wild`).
``auto`` (default)
    ``wcr`` when clustered with fewer than 30 clusters, ``cluster`` with 30 or more,
    ``hc1`` when not clustered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from parstats.errors import ModelError
from parstats.models._design import FEW_CLUSTERS, FIXEF_K, Design, build_design, warn_small
from parstats.models.results import ModelResults
from parstats.models.wild import draw_weights, wcr_test
from parstats.vocab import check

COV_TYPES: tuple[str, ...] = ("auto", "nonrobust", "hc1", "cluster", "wcr")


@dataclass(frozen=True)
class ModelSpec:
    """What to fit, separate from the data it is fitted on.

    Attributes
    ----------
    formula
        ``"y ~ x1 + x2"``; see :func:`parstats.models._design.parse_formula`.
    fe
        Columns absorbed as fixed effects, e.g. ``("province", "year")``.
    cluster
        Cluster column for cluster-robust inference.
    cov
        One of ``auto``, ``nonrobust``, ``hc1``, ``cluster``, ``wcr``.
    B, weights, seed
        Wild bootstrap settings (used under ``wcr``).
    level
        Confidence level.
    fixef_k
        How fixed effects count in the CR1 factor: ``nested`` (default; those nested
        in the clusters are left out, as fixest/reghdfe/``xtreg, fe``) or ``full``.
    """

    formula: str
    fe: tuple[str, ...] = ()
    cluster: str | None = None
    cov: str = "auto"
    B: int = 9999
    weights: str = "rademacher"
    seed: int = 0
    level: float = 0.95
    fixef_k: str = "nested"

    def __post_init__(self) -> None:
        object.__setattr__(self, "fe", tuple([self.fe] if isinstance(self.fe, str) else self.fe))
        check(self.cov, COV_TYPES, "cov")
        check(self.fixef_k, FIXEF_K, "fixef_k")
        check(self.weights, ("rademacher", "webb"), "weights")
        if not 0 < self.level < 1:
            raise ModelError(f"level must be between 0 and 1; got {self.level}")
        if self.B < 99:
            raise ModelError(f"B must be at least 99 bootstrap draws; got {self.B}")

    def fit(self, data: pd.DataFrame) -> ModelResults:
        """Fit this specification on ``data``; see :func:`fit_ols`."""
        return _fit(self, data)


def fit_ols(
    data: pd.DataFrame,
    formula: str,
    *,
    fe: tuple[str, ...] | list[str] | str = (),
    cluster: str | None = None,
    cov: str = "auto",
    B: int = 9999,
    seed: int = 0,
    weights: str = "rademacher",
    level: float = 0.95,
    fixef_k: str = "nested",
) -> ModelResults:
    """Fit a linear model by OLS with absorbed fixed effects and named standard errors.

    Parameters
    ----------
    data
        One row per observation; rows missing any used column are dropped with a
        :class:`~parstats.errors.DroppedRowsWarning`.
    formula
        ``"y ~ x1 + x2"``; ``C(col)`` for categorical terms, back-quotes for names
        with spaces.
    fe
        Fixed effects absorbed (no intercept is then reported).
    cluster
        Cluster column.
    cov
        Covariance type, see the module docstring; ``auto`` picks the wild cluster
        restricted bootstrap with fewer than 30 clusters and says so in ``notes``.
    B, seed, weights
        Wild bootstrap draws, seed and weight distribution (``rademacher``/``webb``).
    level
        Confidence level.
    fixef_k
        Fixed effects in the CR1 small-sample factor: ``"nested"`` (default) leaves
        out those nested in the clusters, the convention of fixest, pyfixest,
        ``reghdfe`` and ``xtreg, fe``; ``"full"`` counts every level (LSDV, ``areg``),
        a larger, conservative factor. Named in ``ModelResults.ssc``.

    Returns
    -------
    ModelResults

    Raises
    ------
    ModelError
        No data, all-missing columns, a non-finite value (inf), a response that does
        not vary, collinear regressors, N ≤ K, a single cluster, or a clustered
        covariance without a cluster column.

    Warns
    -----
    DroppedRowsWarning
        Incomplete rows dropped (how many, which columns).
    SmallSampleWarning
        Fewer than 30 observations or clusters.

    Examples
    --------
    >>> res = fit_ols(panel, "PCI_score ~ PAPI_total", fe=("province", "year"),
    ...               cluster="province")  # doctest: +SKIP
    >>> res.tidy()  # doctest: +SKIP
    """
    spec = ModelSpec(
        formula, fe=fe, cluster=cluster, cov=cov, B=B, weights=weights, seed=seed, level=level,
        fixef_k=fixef_k,
    )  # fmt: skip
    return spec.fit(data)


def resolve_cov(cov: str, cluster: str | None, G: int | None) -> str:
    """Return the covariance type ``auto`` stands for, or check a requested one."""
    if cov == "auto":
        if cluster is None:
            return "hc1"
        return "wcr" if G < FEW_CLUSTERS else "cluster"
    if cov in ("cluster", "wcr") and cluster is None:
        raise ModelError(f"cov={cov!r} needs a cluster column: pass cluster=...")
    return cov


def ols_arrays(design: Design) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(beta, resid, XtX_inv, Xt)`` of the partialled regression."""
    Xt = design.partial(design.X)
    yt = design.partial(design.y)
    xtx_inv = np.linalg.inv(Xt.T @ Xt)
    beta = xtx_inv @ (Xt.T @ yt)
    return beta, yt - Xt @ beta, xtx_inv, Xt


def covariance(
    design: Design,
    kind: str,
    resid: np.ndarray,
    xtx_inv: np.ndarray,
    Xt: np.ndarray,
    fixef_k: str = "nested",
) -> np.ndarray:
    """Return the covariance matrix of kind ``nonrobust``, ``hc1`` or ``cluster`` (CR1).

    ``fixef_k`` sets the K of the CR1 factor (:meth:`~parstats.models._design.Design.k_ssc`).
    """
    n, k = design.nobs, design.k
    if kind == "nonrobust":
        return xtx_inv * (resid @ resid / (n - k))
    if kind == "hc1":
        meat = (Xt * resid[:, None] ** 2).T @ Xt
        return n / (n - k) * xtx_inv @ meat @ xtx_inv
    G = design.n_clusters
    scores = np.zeros((G, Xt.shape[1]))
    np.add.at(scores, design.clusters, Xt * resid[:, None])
    c = G / (G - 1) * (n - 1) / (n - design.k_ssc(fixef_k))
    return c * xtx_inv @ (scores.T @ scores) @ xtx_inv


def ssc_label(design: Design, kind: str, fixef_k: str) -> str:
    """Return the small-sample convention of a fit in words (shown in every results object)."""
    n, k = design.nobs, design.k
    if kind == "nonrobust":
        return f"s^2 = SSR/(N-K), N={n}, K={k} (fixed-effect levels counted)"
    if kind == "hc1":
        return f"HC1 factor N/(N-K), N={n}, K={k} (fixed-effect levels counted)"
    kc = design.k_ssc(fixef_k)
    G = design.n_clusters
    if fixef_k == "nested":
        nested = ", ".join(design.fe_nested)
        how = (
            f"fixed effects nested in the clusters not counted ({nested}), as fixest, "
            "pyfixest, reghdfe and Stata xtreg, fe"
            if nested
            else "no fixed effect nested in the clusters"
        )
    else:
        how = "every fixed-effect level counted (LSDV/areg; conservative)"
    return f"CR1 factor G/(G-1)*(N-1)/(N-K): G={G}, N={n}, K={kc}; fixef_k={fixef_k!r}: {how}"


_LABELS = {
    "nonrobust": "nonrobust (homoskedastic)",
    "hc1": "HC1 (heteroskedasticity-robust)",
    "cluster": "CR1 cluster-robust by {cluster} (G={G}), t({df})",
    "wcr": (
        "wild cluster restricted bootstrap by {cluster} (G={G}; {weights}, B={B}, seed={seed}); "
        "CR1 std errors"
    ),
}


def _fit(spec: ModelSpec, data: pd.DataFrame) -> ModelResults:
    design = build_design(data, spec.formula, fe=spec.fe, cluster=spec.cluster, what="OLS")
    kind = resolve_cov(spec.cov, spec.cluster, design.n_clusters)
    beta, resid, xtx_inv, Xt = ols_arrays(design)
    n, k, G = design.nobs, design.k, design.n_clusters
    names = list(design.names)
    notes: list[str] = []
    if design.n_dropped:
        notes.append(f"{design.n_dropped} rows with missing values dropped")
    small = warn_small(
        "OLS",
        n,
        G if kind in ("cluster", "wcr") else None,
        advice="wild cluster bootstrap used" if kind == "wcr" else "",
    )
    if small:
        notes.append(small)
    V = covariance(design, "cluster" if kind == "wcr" else kind, resid, xtx_inv, Xt, spec.fixef_k)
    se = np.sqrt(np.diag(V))
    tstat = beta / se
    df = (G - 1) if kind in ("cluster", "wcr") else n - k
    q = stats.t.ppf(0.5 + spec.level / 2, df)
    p = 2 * stats.t.sf(np.abs(tstat), df)
    low, high = beta - q * se, beta + q * se
    boot = {}
    if kind == "wcr":
        drawn = draw_weights(G, spec.B, spec.weights, spec.seed)
        Beff = drawn[0].shape[1]
        for j, name in enumerate(names):
            res = wcr_test(
                design,
                j,
                level=spec.level,
                weights=spec.weights,
                seed=spec.seed,
                B=spec.B,
                drawn=drawn,
                fixef_k=spec.fixef_k,
            )
            boot[name] = res
            p[j] = res.p_value
            low[j], high[j] = res.ci
        why = "as requested" if spec.cov == "wcr" else f"because G={G} < {FEW_CLUSTERS} clusters"
        notes.append(
            f"p-values and {spec.level:.0%} intervals from the wild cluster restricted bootstrap "
            f"({spec.weights} weights, {Beff} draws, seed {spec.seed}; intervals by test "
            f"inversion) {why}; std errors and t statistics are CR1"
        )
        if drawn[1]:
            notes.append(
                f"all {Beff} weight vectors enumerated; the smallest attainable p-value is "
                f"{(2 if spec.weights == 'rademacher' else 1) / Beff:.3g}"
            )
        if spec.weights == "rademacher" and G <= 11:
            notes.append(f"with G={G} clusters Webb weights (weights='webb') are advised")
        if any(math.isinf(v) for v in (*low, *high)):
            notes.append(
                "an infinite interval bound means the bootstrap test cannot reject at this "
                "level on that side with so few clusters"
            )
    elif kind == "cluster":
        notes.append(f"CR1 cluster-robust std errors by {spec.cluster}, t with G-1={G - 1} df")
    ssc = ssc_label(design, "cluster" if kind == "wcr" else kind, spec.fixef_k)
    if kind in ("cluster", "wcr"):
        notes.append(f"small-sample convention: {ssc}")
    label = _LABELS[kind].format(
        cluster=spec.cluster, G=G, df=df, weights=spec.weights, B=spec.B, seed=spec.seed
    )
    yt = design.partial(design.y)
    ssr = float(resid @ resid)
    tss = float(((design.y - design.y.mean()) ** 2).sum())
    r2 = 1 - ssr / tss if tss > 0 else float("nan")
    r2w = (1 - ssr / float(yt @ yt)) if design.k_fe and float(yt @ yt) > 0 else None
    idx = pd.Index(names, name="term")
    return ModelResults(
        model="OLS",
        formula=spec.formula,
        params=pd.Series(beta, index=idx, name="estimate"),
        std_errors=pd.Series(se, index=idx, name="std_error"),
        statistics=pd.Series(tstat, index=idx, name="statistic"),
        p_values=pd.Series(p, index=idx, name="p_value"),
        conf_int=pd.DataFrame({"conf_low": low, "conf_high": high}, index=idx),
        nobs=n,
        n_dropped=design.n_dropped,
        cov_type=kind,
        cov_label=label,
        df_resid=n - k,
        df_inference=df,
        n_clusters=G,
        fe=spec.fe,
        cluster=spec.cluster,
        level=spec.level,
        notes=tuple(notes),
        rsquared=r2,
        rsquared_within=r2w,
        cov=pd.DataFrame(V, index=idx, columns=idx),
        bootstrap=boot,
        resid=resid,
        index=design.index,
        ssc=ssc,
    )
