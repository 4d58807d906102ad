r"""Wild cluster restricted bootstrap (WCR) with p-values and confidence intervals.

With few clusters (6 regions, a handful of provinces) cluster-robust *t*-tests
over-reject. The wild cluster bootstrap with the null imposed (Cameron, Gelbach
and Miller 2008; MacKinnon and Webb 2017) is the standard remedy. statsmodels
lacks it and the ``wildboottest`` package gives p-values only; here the
confidence interval is obtained by inverting the bootstrap test.

Algorithm
---------
For the coefficient :math:`\beta_j` of :math:`y = X\beta + D\alpha + u` (``D``: fixed
effects) and a null :math:`H_0: \beta_j = \beta_0`:

1. fit the restricted model :math:`y - \beta_0 x_j = Z_{-j}\gamma + \tilde u` (``Z = [X, D]``);
2. for :math:`b = 1..B` draw one weight :math:`v_{gb}` per cluster (Rademacher
   :math:`\pm 1`, or Webb's six points :math:`\pm\sqrt{1/2}, \pm 1, \pm\sqrt{3/2}`), form
   :math:`y^*_b = Z_{-j}\tilde\gamma + \beta_0 x_j + \tilde u \odot v_{g(i)b}`, re-estimate
   and compute the CR1 statistic :math:`t^*_b = (\hat\beta^*_{jb} - \beta_0)/\hat s^*_b`;
3. the symmetric p-value is :math:`p(\beta_0) = B^{-1}\sum_b 1\{|t^*_b| \ge |t(\beta_0)|\}`.

No regression is re-run. With :math:`a = e_j'(\tilde X'\tilde X)^{-1}\tilde X'` (the row that
extracts :math:`\hat\beta_j`, :math:`\tilde X = M_D X`) and :math:`H` the hat matrix of ``Z``,

.. math::

   \hat\beta^*_{jb} - \beta_0 = \sum_g v_{gb} s_g, \qquad s_g = a_g'\tilde u_g,

   \hat s^{*2}_b = c \sum_g \Big(\sum_h K_{gh} v_{hb}\Big)^2, \qquad
   K = \operatorname{diag}(s) - [a_g' (H)_{g h} \tilde u_h]_{gh},

with :math:`c = \frac{G}{G-1}\frac{N-1}{N-K}` (CR1). Since :math:`\tilde u` is linear in
:math:`\beta_0`, so are ``s`` and ``K``: each :math:`p(\beta_0)` costs one
:math:`G \times G` by :math:`G \times B` product, and the confidence set
:math:`\{\beta_0 : p(\beta_0) > \alpha\}` is found by bracketing and Brent's method
on each side of :math:`\hat\beta_j` (the fast algebra of Roodman et al. 2019,
"Fast and wild", *Stata Journal* 19(1)).

With :math:`2^G \le B` Rademacher (or :math:`6^G \le B` Webb) weights, every
weight vector is enumerated instead of drawn, and the p-value is exact for the
bootstrap distribution; its smallest attainable value is then :math:`2/2^G`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from parstats.errors import ModelError
from parstats.vocab import check

WEIGHTS: tuple[str, ...] = ("rademacher", "webb")
#: Relative tolerance under which |t*| and |t| count as tied (v = ±1 reproduces t exactly).
_TIE = 1e-8
#: Beyond this many standard errors an interval bound is reported as infinite.
_MAX_SE = 2.0**20
_WEBB = np.array([-math.sqrt(1.5), -1.0, -math.sqrt(0.5), math.sqrt(0.5), 1.0, math.sqrt(1.5)])


@dataclass(frozen=True)
class WildBootstrapResult:
    r"""Outcome of a wild cluster restricted bootstrap test of one coefficient.

    Attributes
    ----------
    term
        The coefficient tested.
    estimate
        :math:`\hat\beta_j`.
    null
        The null value :math:`\beta_0` of the reported p-value.
    statistic
        The CR1 *t* statistic :math:`(\hat\beta_j - \beta_0)/\hat s`.
    p_value
        Symmetric bootstrap p-value.
    ci
        ``(low, high)`` by test inversion; ``±inf`` when the test cannot reject
        anywhere on that side (too few clusters for that level).
    level
        Confidence level of ``ci``.
    B
        Number of bootstrap weight vectors used (``2**G`` or ``6**G`` when enumerated).
    weights
        ``"rademacher"`` or ``"webb"``.
    seed
        Seed of the weight draws.
    n_clusters
        ``G``.
    enumerated
        Whether all weight vectors were enumerated instead of drawn.
    """

    term: str
    estimate: float
    null: float
    statistic: float
    p_value: float
    ci: tuple[float, float]
    level: float
    B: int
    weights: str
    seed: int
    n_clusters: int
    enumerated: bool

    @property
    def min_p_value(self) -> float:
        """Smallest p-value the bootstrap distribution can produce."""
        return (2.0 if self.weights == "rademacher" and self.enumerated else 1.0) / self.B


def draw_weights(
    G: int, B: int, weights: str = "rademacher", seed: int = 0
) -> tuple[np.ndarray, bool]:
    r"""Return a ``G × B`` matrix of wild bootstrap weights and whether it was enumerated.

    Parameters
    ----------
    G
        Number of clusters.
    B
        Number of draws requested.
    weights
        ``"rademacher"`` (:math:`\pm 1` with probability 1/2) or ``"webb"`` (six points,
        :math:`\pm\sqrt{1/2}, \pm 1, \pm\sqrt{3/2}`, probability 1/6 each).
    seed
        Seed of :func:`numpy.random.default_rng`.
    """
    check(weights, WEIGHTS, "weights")
    support = np.array([-1.0, 1.0]) if weights == "rademacher" else _WEBB
    if len(support) ** G <= B:
        V = np.array(list(itertools.product(support, repeat=G))).T
        return V, True
    rng = np.random.default_rng(seed)
    V = support[rng.integers(0, len(support), size=(G, B))]
    return V, False


class _RestrictedTest:
    """Pre-computed pieces of the WCR test of one coefficient, linear in the null value."""

    def __init__(self, yt, Xt, Q, clusters, G, j, c, V):
        n, k = Xt.shape
        self.V = V
        self.c = c
        xtx_inv = np.linalg.inv(Xt.T @ Xt)
        a = (xtx_inv @ Xt.T)[j]
        others = np.delete(Xt, j, axis=1)
        if others.shape[1]:
            proj = others @ np.linalg.lstsq(others, np.column_stack([yt, Xt[:, j]]), rcond=None)[0]
        else:
            proj = np.zeros((n, 2))
        u0 = yt - proj[:, 0]
        m = Xt[:, j] - proj[:, 1]
        E = np.zeros((n, G))
        E[np.arange(n), clusters] = 1.0
        self.s0 = E.T @ (a * u0)
        self.s1 = E.T @ (a * m)
        L_X = E.T @ (a[:, None] * (Xt @ xtx_inv))
        K0 = np.diag(self.s0) - L_X @ ((Xt * u0[:, None]).T @ E)
        K1 = np.diag(self.s1) - L_X @ ((Xt * m[:, None]).T @ E)
        if Q.shape[1]:
            L_D = E.T @ (a[:, None] * Q)
            K0 -= L_D @ ((Q * u0[:, None]).T @ E)
            K1 -= L_D @ ((Q * m[:, None]).T @ E)
        self.K0, self.K1 = K0, K1
        beta = xtx_inv @ (Xt.T @ yt)
        resid = yt - Xt @ beta
        self.beta = float(beta[j])
        self.se = float(math.sqrt(c * np.sum((E.T @ (a * resid)) ** 2)))

    def t(self, null: float) -> float:
        return (self.beta - null) / self.se

    def t_star(self, null: float) -> np.ndarray:
        num = (self.s0 - null * self.s1) @ self.V
        KV = (self.K0 - null * self.K1) @ self.V
        den = np.sqrt(self.c * np.einsum("gb,gb->b", KV, KV))
        return np.divide(num, den, out=np.zeros_like(num), where=den > 0)

    def p_value(self, null: float) -> float:
        t = abs(self.t(null))
        return float(np.mean(np.abs(self.t_star(null)) >= t * (1 - _TIE)))

    def ci(self, level: float) -> tuple[float, float]:
        alpha = 1 - level
        f = lambda b0: self.p_value(b0) - alpha  # noqa: E731
        bounds = []
        for sign in (-1.0, 1.0):
            step, inner, outer = self.se, self.beta, None
            while step <= _MAX_SE * self.se:
                trial = self.beta + sign * step
                if f(trial) < 0:
                    outer = trial
                    break
                inner, step = trial, step * 2
            if outer is None:
                bounds.append(sign * math.inf)
                continue
            lo, hi = sorted((inner, outer))
            bounds.append(optimize.brentq(f, lo, hi, xtol=1e-8 * self.se, rtol=1e-12))
        return bounds[0], bounds[1]


def wcr_test(
    design,
    j: int,
    *,
    null: float = 0.0,
    level: float = 0.95,
    B: int = 9999,
    weights: str = "rademacher",
    seed: int = 0,
    drawn: tuple[np.ndarray, bool] | None = None,
    fixef_k: str = "nested",
) -> WildBootstrapResult:
    """Run the WCR test of coefficient ``j`` of a :class:`~parstats.models._design.Design`.

    ``drawn`` is a ``(weights matrix, enumerated)`` pair from :func:`draw_weights`, to
    share one set of draws across the terms of a model.
    """
    if design.clusters is None:
        raise ModelError("the wild cluster bootstrap needs a cluster column (cluster=...)")
    G, n, k = design.n_clusters, design.nobs, design.k_ssc(fixef_k)
    V, enumerated = drawn if drawn is not None else draw_weights(G, B, weights, seed)
    # The CR1 factor scales t and every t* alike, so p-values and intervals do not
    # depend on ``fixef_k``; the reported statistic does.
    c = G / (G - 1) * (n - 1) / (n - k)
    test = _RestrictedTest(
        design.partial(design.y), design.partial(design.X), design.Q, design.clusters, G, j, c, V
    )
    return WildBootstrapResult(
        term=design.names[j],
        estimate=test.beta,
        null=float(null),
        statistic=test.t(null),
        p_value=test.p_value(null),
        ci=test.ci(level),
        level=level,
        B=int(V.shape[1]),
        weights=weights,
        seed=seed,
        n_clusters=G,
        enumerated=enumerated,
    )


def wild_cluster_bootstrap(
    data,
    formula: str,
    term: str,
    *,
    cluster: str,
    fe: tuple[str, ...] | list[str] = (),
    null: float = 0.0,
    level: float = 0.95,
    B: int = 9999,
    weights: str = "rademacher",
    seed: int = 0,
    fixef_k: str = "nested",
) -> WildBootstrapResult:
    r"""Test one coefficient by the wild cluster restricted bootstrap (WCR).

    Parameters
    ----------
    data
        One row per observation.
    formula
        ``"y ~ x1 + x2"`` (see :func:`parstats.models.fit_ols`).
    term
        Coefficient to test, as named in ``fit_ols(...).params``.
    cluster
        Cluster column (at least two clusters).
    fe
        Fixed effects absorbed.
    null
        :math:`\beta_0` of the reported p-value.
    level
        Level of the confidence interval obtained by inverting the test.
    B
        Bootstrap draws (all :math:`2^G` sign vectors are used when fewer).
    weights
        ``"rademacher"`` or ``"webb"`` (Webb is advised for fewer than about 12 clusters).
    seed
        Seed: results are reproducible from it.
    fixef_k
        Fixed effects in the CR1 factor of the reported statistic (``nested`` or
        ``full``; see :func:`parstats.models.fit_ols`); p-value and interval do not
        depend on it.

    Returns
    -------
    WildBootstrapResult
        p-value, test-inversion interval and the settings used.
    """
    from parstats.models._design import build_design

    design = build_design(data, formula, fe=fe, cluster=cluster, what="wild cluster bootstrap")
    if term not in design.names:
        raise ModelError(f"term {term!r} not in the model; terms: {', '.join(design.names)}")
    return wcr_test(
        design, design.names.index(term), null=null, level=level, B=B, weights=weights, seed=seed,
        fixef_k=fixef_k,
    )  # fmt: skip
