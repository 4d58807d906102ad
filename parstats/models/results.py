"""The results object every fit returns, and a comparison table of several fits.

Modelled on linearmodels' results classes and pyfixest's ``tidy()``: one frozen
object holding the estimates, their named standard errors, ``nobs``, the formula,
the covariance type and notes (dropped rows, small samples, bootstrap settings).
Display never shows a date or a time, so notebooks re-run byte-identically.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

TIDY_COLUMNS = ("term", "estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high")


@dataclass(frozen=True, eq=False)
class ModelResults:
    """Estimates and inference of one fitted model.

    Attributes
    ----------
    model
        What was fitted, e.g. ``"OLS"`` or ``"ordered logit"``.
    formula
        The formula as given.
    params, std_errors, statistics, p_values
        Series indexed by term.
    conf_int
        DataFrame indexed by term with columns ``conf_low`` and ``conf_high``.
    nobs
        Observations used (after dropping incomplete rows).
    n_dropped
        Rows dropped for missing values (announced by a ``DroppedRowsWarning``).
    cov_type
        Short name of the covariance/inference: ``nonrobust``, ``hc1``, ``cluster``
        (CR1), ``wcr`` (wild cluster restricted bootstrap) or ``mle``.
    cov_label
        The covariance type in words, as shown in displays.
    df_resid
        Residual degrees of freedom, :math:`N - K` (fixed effects counted in K).
    df_inference
        Degrees of freedom of the reference *t* distribution (``None``: normal).
    n_clusters
        Number of clusters ``G`` (``None`` when not clustered).
    fe, cluster
        Absorbed fixed effects and the cluster column.
    level
        Confidence level of ``conf_int``.
    notes
        Plain-language notes on the fit (bootstrap settings, small samples, ...).
    rsquared, rsquared_within
        :math:`R^2` and, with fixed effects, the within :math:`R^2`.
    cov
        Estimated covariance matrix of ``params`` (analytic; CR1 under ``wcr``).
    bootstrap
        Per-term :class:`~parstats.models.wild.WildBootstrapResult` under ``wcr``.
    resid
        Residuals (fixed effects partialled out), aligned with ``index``.
    index
        Index labels of the rows used.
    ssc
        The small-sample convention in words: which factor, N, K and G, and for
        clustered fits how fixed effects were counted (``fixef_k``).
    """

    model: str
    formula: str
    params: pd.Series
    std_errors: pd.Series
    statistics: pd.Series
    p_values: pd.Series
    conf_int: pd.DataFrame
    nobs: int
    n_dropped: int
    cov_type: str
    cov_label: str
    df_resid: int
    df_inference: int | None = None
    n_clusters: int | None = None
    fe: tuple[str, ...] = ()
    cluster: str | None = None
    level: float = 0.95
    notes: tuple[str, ...] = ()
    rsquared: float | None = None
    rsquared_within: float | None = None
    cov: pd.DataFrame | None = None
    bootstrap: dict[str, Any] = field(default_factory=dict)
    resid: np.ndarray | None = None
    index: pd.Index | None = None
    ssc: str = ""

    def tidy(self) -> pd.DataFrame:
        """Return one row per term: ``term, estimate, std_error, statistic, p_value, conf_*``."""
        out = pd.DataFrame(
            {
                "term": self.params.index.astype(str),
                "estimate": self.params.to_numpy(float),
                "std_error": self.std_errors.to_numpy(float),
                "statistic": self.statistics.to_numpy(float),
                "p_value": self.p_values.to_numpy(float),
                "conf_low": self.conf_int["conf_low"].to_numpy(float),
                "conf_high": self.conf_int["conf_high"].to_numpy(float),
            }
        )
        return out

    def _header(self) -> list[tuple[str, str]]:
        rows = [
            ("Model", self.model),
            ("Formula", self.formula),
            ("N", str(self.nobs)),
            ("Rows dropped (missing values)", str(self.n_dropped)),
            ("Covariance", self.cov_label),
        ]
        if self.ssc:
            rows.append(("Small-sample convention", self.ssc))
        if self.fe:
            rows.append(("Fixed effects", ", ".join(self.fe)))
        if self.cluster:
            rows.append(("Clusters", f"{self.cluster} (G={self.n_clusters})"))
        if self.rsquared is not None:
            rows.append(("R²", f"{self.rsquared:.4f}"))
        if self.rsquared_within is not None:
            rows.append(("Within R²", f"{self.rsquared_within:.4f}"))
        return rows

    def summary_text(self) -> str:
        """Return a plain-text summary (no dates or times, so it is reproducible)."""
        head = "\n".join(f"{k}: {v}" for k, v in self._header())
        pct = f"{self.level:.0%}"
        table = (
            self.tidy()
            .rename(columns={"conf_low": f"{pct} low", "conf_high": f"{pct} high"})
            .to_string(index=False, float_format=lambda v: f"{v:.4g}")
        )
        notes = "".join(f"\nNote: {n}" for n in self.notes)
        return f"{head}\n\n{table}{notes}"

    def __repr__(self) -> str:
        return self.summary_text()

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in self._header())
        tidy = self.tidy()
        cols = "".join(f"<th>{esc(c)}</th>" for c in tidy.columns)
        body = "".join(
            "<tr>"
            + "".join(f"<td>{esc(v) if isinstance(v, str) else f'{v:.4g}'}</td>" for v in row)
            + "</tr>"
            for row in tidy.itertuples(index=False)
        )
        notes = "".join(f"<li>{esc(n)}</li>" for n in self.notes)
        return (
            '<div class="parstats-model">'
            f"<table>{head}</table>"
            f"<table><thead><tr>{cols}</tr></thead><tbody>{body}</tbody></table>"
            + (f"<ul>{notes}</ul>" if notes else "")
            + "</div>"
        )


def compare(*results: ModelResults, names: list[str] | None = None) -> pd.DataFrame:
    """Put several fits side by side: ``estimate (std error)`` per term, then N and covariance.

    Parameters
    ----------
    *results
        Fitted models.
    names
        Column labels; default ``(1)``, ``(2)``, ...

    Returns
    -------
    pandas.DataFrame
        Rows: the union of terms (first-seen order), each cell ``"estimate (std error)"``
        (empty when the model lacks the term); then ``N``, ``rows dropped``,
        ``clusters``, ``covariance``, ``fixed effects`` and ``formula``. Cells are strings.
    """
    if not results:
        raise ValueError("compare() needs at least one ModelResults")
    names = names or [f"({i + 1})" for i in range(len(results))]
    if len(names) != len(results):
        raise ValueError(f"{len(names)} names for {len(results)} results")
    terms: list[str] = []
    for r in results:
        terms.extend(t for t in r.params.index if t not in terms)
    cols = {}
    for name, r in zip(names, results, strict=True):
        cells = {}
        for t in terms:
            if t in r.params.index:
                cells[t] = f"{r.params[t]:.4g} ({r.std_errors[t]:.3g})"
            else:
                cells[t] = ""
        cells["N"] = str(r.nobs)
        cells["rows dropped"] = str(r.n_dropped)
        cells["clusters"] = "" if r.n_clusters is None else str(r.n_clusters)
        cells["covariance"] = r.cov_label
        cells["fixed effects"] = ", ".join(r.fe)
        cells["formula"] = r.formula
        cols[name] = cells
    return pd.DataFrame(cols)
