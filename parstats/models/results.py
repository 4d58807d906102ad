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


# --------------------------------------------------------------------------- publication tables


@dataclass(frozen=True, eq=False)
class ModelTable:
    """Several fits side by side, as in pyfixest's ``etable`` or linearmodels' ``compare``.

    One column per model; a row per term with the estimate and, below it, its
    standard error or confidence interval in brackets; then the number of
    observations, each fixed effect (``✓`` when absorbed), the clusters and their
    number, the covariance, its small-sample convention (``ssc``) and R². Exported
    to Markdown, LaTeX and HTML; no date or time, so outputs re-run identically.

    Attributes
    ----------
    names
        Column labels.
    coef_rows
        ``(label, estimates, brackets)``: one tuple per term, a cell per model
        (``""`` when the model lacks the term).
    stat_rows
        ``(label, cells)`` below the coefficients.
    notes
        Lines under the table (what the brackets hold, the inference of each column).
    """

    names: tuple[str, ...]
    coef_rows: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]
    stat_rows: tuple[tuple[str, tuple[str, ...]], ...]
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """Return the table as strings: a row per estimate, bracket line and statistic."""
        rows, index = [], []
        for label, est, br in self.coef_rows:
            rows += [list(est), list(br)]
            index += [label, ""]
        for label, cells in self.stat_rows:
            rows.append(list(cells))
            index.append(label)
        return pd.DataFrame(rows, index=index, columns=list(self.names))

    def to_markdown(self) -> str:
        """Return a GitHub-flavoured Markdown table with the notes below it."""
        def esc(text: str) -> str:
            return text.replace("|", r"\|")

        head = "| | " + " | ".join(esc(n) for n in self.names) + " |"
        rule = "|---|" + "---:|" * len(self.names)
        lines = [head, rule]
        for label, est, br in self.coef_rows:
            lines.append(f"| {esc(label)} | " + " | ".join(est) + " |")
            lines.append("| | " + " | ".join(br) + " |")
        for label, cells in self.stat_rows:
            lines.append(f"| {esc(label)} | " + " | ".join(esc(c) for c in cells) + " |")
        return "\n".join(lines) + "".join(f"\n\n{esc(n)}" for n in self.notes[:1]) + "".join(
            f"\n{esc(n)}" for n in self.notes[1:]
        ) + "\n"

    def to_latex(self) -> str:
        """Return a ``tabular`` (booktabs rules) with the notes as a ``tablenotes``-free footer."""
        def esc(text: str) -> str:
            out = text
            for a, b in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"),
                         ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}"),
                         ("~", r"\textasciitilde{}"), ("^", r"\textasciicircum{}")):
                out = out.replace(a, b) if a != "\\" else out.replace(a, "\x00")
            out = out.replace("\x00", r"\textbackslash{}")
            return out.replace("✓", r"\checkmark{}").replace("−", "-").replace("²", "$^2$")

        cols = "l" + "r" * len(self.names)
        lines = [rf"\begin{{tabular}}{{{cols}}}", r"\toprule",
                 " & " + " & ".join(esc(n) for n in self.names) + r" \\", r"\midrule"]
        for label, est, br in self.coef_rows:
            lines.append(esc(label) + " & " + " & ".join(esc(e) for e in est) + r" \\")
            lines.append(" & " + " & ".join(esc(b) for b in br) + r" \\")
        lines.append(r"\midrule")
        for label, cells in self.stat_rows:
            lines.append(esc(label) + " & " + " & ".join(esc(c) for c in cells) + r" \\")
        lines.append(r"\bottomrule")
        lines.append(r"\end{tabular}")
        lines += [r"\par\footnotesize " + esc(n) for n in self.notes]
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        """Return an HTML table (escaped) with the notes below it."""
        esc = html.escape
        head = "".join(f"<th>{esc(n)}</th>" for n in self.names)
        body = []
        for label, est, br in self.coef_rows:
            body.append(f'<tr><th class="term">{esc(label)}</th>'
                        + "".join(f"<td>{esc(e)}</td>" for e in est) + "</tr>")
            body.append('<tr class="bracket"><th></th>'
                        + "".join(f"<td>{esc(b)}</td>" for b in br) + "</tr>")
        first = True
        for label, cells in self.stat_rows:
            cls = ' class="stats-first"' if first else ""
            first = False
            body.append(f"<tr{cls}><th>{esc(label)}</th>"
                        + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
        notes = "".join(f"<p class=\"note\">{esc(n)}</p>" for n in self.notes)
        style = (
            "<style>.parstats-etable table{border-collapse:collapse}"
            ".parstats-etable th,.parstats-etable td{padding:.15rem .7rem;text-align:right}"
            ".parstats-etable th.term,.parstats-etable tbody th{text-align:left}"
            ".parstats-etable thead th{border-bottom:1px solid #444}"
            ".parstats-etable tr.bracket td{color:#555;font-size:.9em}"
            ".parstats-etable tr.stats-first th,.parstats-etable tr.stats-first td"
            "{border-top:1px solid #444}"
            ".parstats-etable .note{font-size:.85em;color:#555;margin:.2rem 0}</style>"
        )
        return (f'<div class="parstats-etable">{style}<table><thead><tr><th></th>{head}</tr>'
                f"</thead><tbody>{''.join(body)}</tbody></table>{notes}</div>")

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return self.to_frame().to_string() + "".join(f"\n{n}" for n in self.notes)


def _fmt(value: float, digits: int) -> str:
    if value != value:  # NaN
        return "—"
    if value in (float("inf"), float("-inf")):
        return "∞" if value > 0 else "−∞"
    return f"{value:.{digits}f}".replace("-", "−")


def short_ssc(ssc: str) -> str:
    """Return a fit's small-sample convention in a few words for a table cell.

    ``"CR1 factor G/(G-1)*(N-1)/(N-K): G=40, N=200, K=6; fixef_k='nested': ..."`` becomes
    ``"CR1 G/(G−1)·(N−1)/(N−K), K=6, fixef_k=nested"``; the full text is in ``ModelResults.ssc``.
    """
    import re

    if not ssc:
        return ""
    kind = ssc.split(" ", 1)[0]
    k = re.search(r"\bK=(\d+)", ssc)
    fixef = re.search(r"fixef_k='(\w+)'", ssc)
    factor = {"CR1": "G/(G−1)·(N−1)/(N−K)", "HC1": "N/(N−K)", "s^2": "SSR/(N−K)"}.get(kind, "")
    parts = [f"{kind} {factor}".strip()]
    if k:
        parts.append(f"K={k.group(1)}")
    if fixef:
        parts.append(f"fixef_k={fixef.group(1)}")
    return ", ".join(parts)


def etable(
    *results: ModelResults,
    names: list[str] | None = None,
    labels: dict[str, str] | None = None,
    brackets: str = "se",
    digits: int = 3,
) -> ModelTable:
    """Put fits side by side for a paper: estimates, SE or CI, N, fixed effects, clusters, ssc.

    Parameters
    ----------
    *results
        Fitted models.
    names
        Column labels; default ``(1)``, ``(2)``, ...
    labels
        Readable names for terms (``{"PAPI_total": "PAPI total (6–60)"}``); terms not
        listed keep their name.
    brackets
        ``"se"`` (standard error, in parentheses) or ``"ci"`` (the fit's confidence
        interval, in square brackets: under the wild cluster bootstrap, the
        test-inverted interval).
    digits
        Decimals of estimates and brackets.

    Returns
    -------
    ModelTable
        ``to_markdown()``, ``to_latex()``, ``to_html()``, ``to_frame()``.

    Raises
    ------
    ValueError
        With no fit, a wrong number of names, or ``brackets`` not ``"se"``/``"ci"``.
    """
    if not results:
        raise ValueError("etable() needs at least one ModelResults")
    if brackets not in ("se", "ci"):
        raise ValueError(f"brackets must be 'se' or 'ci', not {brackets!r}")
    names = names or [f"({i + 1})" for i in range(len(results))]
    if len(names) != len(results):
        raise ValueError(f"{len(names)} names for {len(results)} results")
    labels = labels or {}
    terms: list[str] = []
    for r in results:
        terms.extend(t for t in r.params.index if t not in terms)
    coef_rows = []
    for t in terms:
        est, br = [], []
        for r in results:
            if t not in r.params.index:
                est.append("")
                br.append("")
                continue
            est.append(_fmt(float(r.params[t]), digits))
            if brackets == "se":
                br.append(f"({_fmt(float(r.std_errors[t]), digits)})")
            else:
                low, high = r.conf_int.loc[t, "conf_low"], r.conf_int.loc[t, "conf_high"]
                br.append(f"[{_fmt(float(low), digits)}, {_fmt(float(high), digits)}]")
        coef_rows.append((labels.get(t, t), tuple(est), tuple(br)))
    stats: list[tuple[str, tuple[str, ...]]] = [
        ("Observations", tuple(str(r.nobs) for r in results)),
    ]
    fes = list(dict.fromkeys(f for r in results for f in r.fe))
    for f in fes:
        stats.append((f"{labels.get(f, f)} fixed effects",
                      tuple("✓" if f in r.fe else "" for r in results)))
    if any(r.cluster for r in results):
        stats.append(("Clusters", tuple(
            f"{r.cluster} (G={r.n_clusters})" if r.cluster else "" for r in results)))
    stats.append(("Covariance", tuple(r.cov_label for r in results)))
    if any(r.ssc for r in results):
        stats.append(("Small-sample convention", tuple(short_ssc(r.ssc) for r in results)))
    if any(r.rsquared is not None for r in results):
        stats.append(("R²", tuple("" if r.rsquared is None else _fmt(r.rsquared, 3)
                                  for r in results)))
    if any(r.rsquared_within is not None for r in results):
        stats.append(("Within R²", tuple("" if r.rsquared_within is None
                                         else _fmt(r.rsquared_within, 3) for r in results)))
    level = {f"{r.level:.0%}" for r in results}
    what = ("Standard errors in parentheses" if brackets == "se" else
            f"{' / '.join(sorted(level))} confidence intervals in brackets")
    notes = [f"{what}; the covariance row names each column's inference "
             "(under the wild cluster bootstrap, p-values and intervals come from the "
             "bootstrap, standard errors are CR1)."]
    for name, r in zip(names, results, strict=True):
        if r.ssc:
            notes.append(f"{name}: {r.ssc}.")
    notes = tuple(notes)
    return ModelTable(tuple(names), tuple(coef_rows), tuple(stats), notes)
