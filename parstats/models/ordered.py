r"""Ordered logit/probit of rank tiers, with the common results interface.

Wraps statsmodels' ``OrderedModel``: for categories :math:`1 < \dots < J`,

.. math:: P(y_i \le j \mid x_i) = F(\kappa_j - x_i'\beta), \qquad j = 1, \dots, J-1,

with :math:`F` logistic or standard normal. There is no intercept (the thresholds
:math:`\kappa_j` play its part). statsmodels parameterises the thresholds as
:math:`\kappa_1` and the logs of the increments :math:`\log(\kappa_{j}-\kappa_{j-1})`;
the tidy table reports them that way, named ``"a/b"``.
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
        (:math:`N \le k + J - 1`), or the errors of :func:`parstats.models.fit_ols`.
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
    endog = pd.Series(pd.Categorical(design.y, categories=used, ordered=True))
    exog = pd.DataFrame(design.X, columns=list(design.names))
    model = OrderedModel(endog, exog, distr=distr)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = model.fit(method="bfgs", disp=False, maxiter=2000)
    msgs = {
        str(w.message)
        for w in caught
        if issubclass(w.category, (ConvergenceWarning, HessianInversionWarning, RuntimeWarning))
    }
    converged = bool(res.mle_retvals.get("converged", True))
    if not converged or msgs:
        notes.append(
            "the likelihood maximisation did not converge cleanly (separation or too "
            "few observations per category?): " + "; ".join(sorted(msgs))
            if msgs
            else "the likelihood maximisation did not converge (separation?)"
        )
    params = np.asarray(res.params, float)
    bse = np.asarray(res.bse, float)
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
        cov=pd.DataFrame(np.asarray(res.cov_params()), index=idx, columns=idx),
        index=design.index,
    )
