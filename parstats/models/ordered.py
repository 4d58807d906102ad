r"""Ordered logit/probit of rank tiers, with the common results interface.

Wraps statsmodels' ``OrderedModel``: for categories :math:`1 < \dots < J`,

.. math:: P(y_i \le j \mid x_i) = F(\kappa_j - x_i'\beta), \qquad j = 1, \dots, J-1,

with :math:`F` logistic or standard normal. There is no intercept (the thresholds
:math:`\kappa_j` play its part). statsmodels parameterises the thresholds as
:math:`\kappa_1` and the logs of the increments :math:`\log(\kappa_{j}-\kappa_{j-1})`;
the tidy table reports them that way, named ``"a/b"``.

The maximum-likelihood estimate does not exist when the tiers are (quasi-)separated:
when some direction :math:`(d_\beta, d_\kappa) \ne 0` with :math:`d_\kappa`
non-decreasing orders every observation weakly,

.. math:: d_{\kappa, y_i - 1} \le x_i'd_\beta \le d_{\kappa, y_i} \quad \text{for all } i,

strictly for at least one (the ordinal form of Albert & Anderson's condition for the
binary logit; one :math:`d_\beta` for all cuts). The likelihood then keeps rising along
that direction: the optimiser stops somewhere arbitrary, the covariance is missing or
enormous, and any table would be a fake fit. :func:`fit_ordered` looks for such a
direction with a linear programme before fitting (:func:`separating_direction`) and
refuses.
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats

from parstats.errors import ModelError
from parstats.models._design import build_design, complete_rows, parse_formula, warn_small
from parstats.models.results import ModelResults
from parstats.vocab import check

# A fit that predicts every observation's own tier with probability above 1 - this has
# no finite maximum: its slopes only stopped growing where the optimiser gave up.
_PERFECT_FIT = 1e-3


def separating_direction(X: np.ndarray, y: np.ndarray, *, tol: float = 1e-7) -> np.ndarray | None:
    r"""Return a slope direction that (quasi-)separates ordered categories, or ``None``.

    Solves the linear programme

    .. math:: \max_{d} \sum_i \big[(d_{\kappa,y_i} - x_i'd_\beta)
              + (x_i'd_\beta - d_{\kappa,y_i-1})\big]

    subject to every bracket :math:`\ge 0`, :math:`d_\kappa` non-decreasing and
    :math:`|d_\beta| \le 1`,

    on standardised columns (a reparameterisation that leaves separation unchanged;
    brackets with :math:`\kappa_0 = -\infty` or :math:`\kappa_J = \infty` are left out).
    A positive optimum is a direction along which the likelihood increases without bound.

    Parameters
    ----------
    X
        Design matrix without intercept, one row per observation.
    y
        Category codes ``0, ..., J-1``, every one observed.
    tol
        Optimum at or below which the data count as overlapping.

    Returns
    -------
    numpy.ndarray or None
        :math:`d_\beta` on the standardised columns (entries of order 1 name the
        separating regressors), or ``None`` when the categories overlap.
    """
    from scipy.optimize import linprog

    X = np.asarray(X, float)
    y = np.asarray(y, int)
    n, k = X.shape
    J = int(y.max()) + 1
    sd = X.std(axis=0)
    Z = (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    # Rows a @ (d_beta, d_kappa) >= 0: the gap to the upper and to the lower threshold.
    rows = []
    for i in range(n):
        if y[i] < J - 1:
            upper = np.zeros(k + J - 1)
            upper[:k] = -Z[i]
            upper[k + y[i]] = 1.0
            rows.append(upper)
        if y[i] > 0:
            lower = np.zeros(k + J - 1)
            lower[:k] = Z[i]
            lower[k + y[i] - 1] = -1.0
            rows.append(lower)
    gaps = np.array(rows)
    order = np.zeros((J - 2, k + J - 1))
    for j in range(J - 2):
        order[j, k + j], order[j, k + j + 1] = 1.0, -1.0
    sol = linprog(
        c=-gaps.sum(axis=0),
        A_ub=np.vstack([-gaps, order]),
        b_ub=np.zeros(len(gaps) + J - 2),
        bounds=[(-1.0, 1.0)] * k + [(None, None)] * (J - 1),
        method="highs",
    )
    if sol.status != 0 or -sol.fun <= tol * n:
        return None
    return np.asarray(sol.x[:k])


def fit_ordered(
    data: pd.DataFrame,
    formula: str,
    *,
    distr: str = "logit",
    level: float = 0.95,
) -> ModelResults:
    r"""Fit an ordered logit or probit (statsmodels ``OrderedModel``) of an ordinal outcome.

    Parameters
    ----------
    data
        One row per observation.
    formula
        ``"tier ~ x1 + x2"``; the response is an ordered categorical or numeric codes
        (higher = higher category). The intercept is dropped (thresholds replace it).
    distr
        ``"logit"`` or ``"probit"``.
    level
        Confidence level of the Wald intervals.

    Returns
    -------
    ModelResults
        ``cov_type="mle"`` (inverse Hessian), *z* statistics.

    Raises
    ------
    ModelError
        A single observed category, no residual degrees of freedom
        (:math:`N \le k + J - 1`), tiers (quasi-)separated by the regressors (the
        estimate does not exist; see :func:`separating_direction`), a maximisation that
        did not converge, a covariance that is missing or not finite (not identified),
        a fit that predicts every observation's tier with probability above 0.999
        (separation that the linear programme missed), or the errors of
        :func:`parstats.models.fit_ols`. These are refusals: no
        results are returned rather than estimates that are not maximum-likelihood ones.

    Notes
    -----
    Numerical warnings raised on the way to a converged optimum (overflow in ``exp``,
    say) are kept as a note of the results.
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

    check(distr, ("logit", "probit"), "distr")
    f = replace(parse_formula(formula), intercept=False)
    frame = complete_rows(data, list(f.columns), "ordered model")
    resp = frame[f.response]
    if isinstance(resp.dtype, pd.CategoricalDtype):
        if not resp.cat.ordered:
            raise ModelError(f"response {f.response!r} is categorical but not ordered")
        codes = resp.cat.codes.astype(float)
        label_of = {float(i): lab for i, lab in enumerate(resp.cat.categories)}
    elif pd.api.types.is_numeric_dtype(resp):
        codes = resp.astype(float)
        label_of = {v: (int(v) if float(v).is_integer() else v) for v in codes.unique()}
    else:
        raise ModelError(
            f"response {f.response!r} must be numeric codes or an ordered categorical; "
            f"got dtype {resp.dtype}"
        )
    used = sorted(codes.unique())
    if len(used) < 2:
        raise ModelError(
            f"ordered model: response {f.response!r} takes a single value in all "
            f"{len(frame)} rows; nothing to model"
        )
    n_dropped = len(data) - len(frame)
    design = build_design(frame.assign(**{f.response: codes}), f, what="ordered model")
    n, k, J = design.nobs, design.X.shape[1], len(used)
    if n <= k + J - 1:
        raise ModelError(
            f"ordered model: N={n} observations but {k + J - 1} parameters ({k} slopes + "
            f"{J - 1} thresholds): no degrees of freedom left"
        )
    notes = []
    if n_dropped:
        notes.append(f"{n_dropped} rows with missing values dropped")
    small = warn_small("ordered model", n, advice="maximum-likelihood inference is unreliable")
    if small:
        notes.append(small)
    tier = np.searchsorted(used, design.y)
    if separating_direction(design.X, tier) is not None:
        alone = [
            repr(nm)
            for j, nm in enumerate(design.names)
            if separating_direction(design.X[:, [j]], tier) is not None
        ]
        by = (
            " and by ".join(alone)
            if alone
            else "a combination of " + ", ".join(repr(nm) for nm in design.names)
        )
        raise ModelError(
            f"ordered model: (quasi-)complete separation: the tiers of {f.response!r} are "
            f"separated by {by} (N={n}), so the maximum-likelihood estimate does not exist "
            "and its covariance is not identified; merge tiers, drop or combine regressors, "
            "or use a penalised model"
        )
    endog = pd.Series(pd.Categorical(design.y, categories=used, ordered=True))
    exog = pd.DataFrame(design.X, columns=list(design.names))
    model = OrderedModel(endog, exog, distr=distr)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = model.fit(method="bfgs", disp=False, maxiter=2000)
    by_kind = {
        kind: sorted({str(w.message) for w in caught if issubclass(w.category, kind)})
        for kind in (ConvergenceWarning, HessianInversionWarning, RuntimeWarning)
    }
    converged = bool(res.mle_retvals.get("converged", True))
    if not converged or by_kind[ConvergenceWarning]:
        raise ModelError(
            f"ordered model: the likelihood maximisation did not converge (N={n}, "
            f"{k} slopes + {J - 1} thresholds): "
            + ("; ".join(by_kind[ConvergenceWarning]) or "statsmodels reports no convergence")
            + "; near-separated tiers or badly scaled regressors?"
        )
    try:
        cov = np.asarray(res.cov_params(), float)
    except (ValueError, np.linalg.LinAlgError) as err:
        cov = None
        why = str(err)
    else:
        why = "; ".join(by_kind[HessianInversionWarning]) or "non-finite variances"
    if cov is None or by_kind[HessianInversionWarning] or not np.isfinite(np.diag(cov)).all():
        raise ModelError(
            f"ordered model: the covariance of the estimates is not identified (N={n}; the "
            f"Hessian of the log-likelihood cannot be inverted: {why}); near-separated tiers "
            "or too few observations per tier"
        )
    fitted = np.asarray(res.predict(), float)
    if fitted.ndim == 2 and fitted.shape == (n, J):
        observed = fitted[np.arange(n), tier]
        if observed.min() > 1 - _PERFECT_FIT:
            # Separation the check above missed: the optimiser stops where the gradient
            # is flat enough, with huge but finite variances (statsmodels 0.15 with
            # numpy 2.4 / scipy 1.17 does so where older versions failed to invert).
            raise ModelError(
                f"ordered model: the estimates are not identified (N={n}): every "
                f"observation's tier is predicted with probability above {1 - _PERFECT_FIT:g}, "
                "so the likelihood keeps rising as the slopes grow (separated tiers); merge "
                "tiers, drop or combine regressors, or use a penalised model"
            )
    if by_kind[RuntimeWarning]:
        notes.append(
            "numerical warnings during the maximisation (it converged): "
            + "; ".join(by_kind[RuntimeWarning])
        )
    params = np.asarray(res.params, float)
    bse = np.sqrt(np.diag(cov))
    cut_names = [f"{label_of[used[i]]}/{label_of[used[i + 1]]}" for i in range(J - 1)]
    names = [*design.names, *cut_names]
    z = params / bse
    q = stats.norm.ppf(0.5 + level / 2)
    idx = pd.Index(names, name="term")
    notes.append("thresholds after the first are log increments (statsmodels parameterisation)")
    return ModelResults(
        model=f"ordered {distr}",
        formula=formula,
        params=pd.Series(params, index=idx, name="estimate"),
        std_errors=pd.Series(bse, index=idx, name="std_error"),
        statistics=pd.Series(z, index=idx, name="statistic"),
        p_values=pd.Series(2 * stats.norm.sf(np.abs(z)), index=idx, name="p_value"),
        conf_int=pd.DataFrame(
            {"conf_low": params - q * bse, "conf_high": params + q * bse}, index=idx
        ),
        nobs=n,
        n_dropped=n_dropped,
        cov_type="mle",
        cov_label="MLE (inverse Hessian), z statistics",
        df_resid=n - k - (J - 1),
        df_inference=None,
        level=level,
        notes=tuple(notes),
        cov=pd.DataFrame(cov, index=idx, columns=idx),
        index=design.index,
        ssc="none: maximum likelihood, inverse-Hessian covariance, z statistics",
    )
