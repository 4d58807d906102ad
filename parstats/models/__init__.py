"""Honest statistical models relating PAR plans to the governance indices.

One spec, one fit, one results object (:class:`ModelResults`: ``tidy()``, ``nobs``,
formula, named covariance type, notes, ``_repr_html_``). Inference is built for the
small samples of this project: the wild cluster restricted bootstrap with few
clusters, permutation tests and bootstrap intervals for a handful of plans, and a
refusal (:class:`~parstats.errors.ModelError`) when there are no degrees of freedom.

Public API
----------
fit_ols, ModelSpec
    Linear model with absorbed fixed effects; ``nonrobust``/``hc1``/``cluster``/``wcr``.
wild_cluster_bootstrap, WildBootstrapResult, draw_weights
    WCR p-value and confidence interval by test inversion.
permutation_test, PermutationResult; bootstrap_ci, BootstrapResult
    Resampling inference for one coefficient.
fit_small_sample
    OLS on a handful of plans with permutation p-values and bootstrap intervals.
rank_correlations
    Spearman/Kendall per year between two province × year panels, bootstrap intervals.
fit_ordered
    Ordered logit/probit (statsmodels ``OrderedModel``) with the same results interface.
power_by_simulation, PowerResult, panel_changes
    Smallest detectable effect of ambition for a number of plans.
cross_index_panel, province_year_frame, index_change, column_name
    The real-data cross-index model and the frames it needs.
compare, etable, ModelTable
    Several fits side by side: ``compare`` as strings, ``etable`` for a paper (labels, SE or
    CI, N, fixed effects, clusters, covariance and its small-sample convention), exported to
    Markdown, LaTeX and HTML.
"""

from __future__ import annotations

from parstats.models.ols import COV_TYPES, ModelSpec, fit_ols
from parstats.models.ordered import fit_ordered
from parstats.models.panel import (
    SCALE_BREAKS,
    column_name,
    cross_index_panel,
    index_change,
    province_year_frame,
)
from parstats.models.power import PowerResult, panel_changes, power_by_simulation
from parstats.models.resampling import (
    BootstrapResult,
    PermutationResult,
    bootstrap_ci,
    fit_small_sample,
    permutation_test,
    rank_correlations,
)
from parstats.models.results import ModelResults, ModelTable, compare, etable
from parstats.models.wild import WildBootstrapResult, draw_weights, wild_cluster_bootstrap

__all__ = [
    "COV_TYPES",
    "SCALE_BREAKS",
    "BootstrapResult",
    "ModelResults",
    "ModelTable",
    "ModelSpec",
    "PermutationResult",
    "PowerResult",
    "WildBootstrapResult",
    "bootstrap_ci",
    "column_name",
    "compare",
    "cross_index_panel",
    "draw_weights",
    "etable",
    "fit_ols",
    "fit_ordered",
    "fit_small_sample",
    "index_change",
    "panel_changes",
    "permutation_test",
    "power_by_simulation",
    "province_year_frame",
    "rank_correlations",
    "wild_cluster_bootstrap",
]
