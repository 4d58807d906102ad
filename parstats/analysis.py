r"""The research questions of issue 4, one call each, on the project's own data.

Three questions, each answered by a thin function over :mod:`parstats.models`:

1. **How do the indices relate across provinces and years?**
   :func:`cross_index_models` fits PCI score on the PAPI total and on the PAPI
   dimensions over the province × year panel, with province and year fixed
   effects and province-clustered standard errors, and gives Spearman and
   Kendall rank correlations year by year with bootstrap intervals.
2. **Do more ambitious plans deliver more?** :func:`ambition_delivery_frame`
   puts one row per plan (province and plan period) with its ambition summary
   (:mod:`parstats.ambition`) next to each index's change over the plan period
   (:func:`parstats.delivery.index_trajectories`); :func:`ambition_vs_indices`
   regresses the change on ambition with permutation p-values and bootstrap
   intervals, and fits an ordered model of rank tiers. With the handful of plans
   there are today it says so (:class:`~parstats.errors.SmallSampleWarning` with
   N) and, when no honest fit is possible, *refuses* with the reason — as a value
   a report can show, not an exception.
3. **How many plans are needed?** :func:`power_for_plans` simulates, from the
   panel's own plan-length changes, the smallest effect of ambition that N plans
   could detect; :func:`plot_power` draws it.
4. **Do provinces that set higher targets for one indicator family gain more on an
   index?** :func:`family_ambition_vs_index` is the one call: the plans' ambition in
   the family (:func:`parstats.ambition.ambition_by_family`), each plan's change in
   the index over its period (:func:`plan_index_changes`, missing with a reason per
   plan, never an error for all), the small-sample OLS and the wild cluster
   bootstrap by province, or their refusals stating N, and the power figure.

Scales are never mixed: which PAPI years share a scale comes from
:func:`parstats.scales.scale_for` (the 6-dimension 2011-2017 segment is not
pooled with the 8-dimension years from 2018).
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from parstats.errors import (
    DroppedRowsWarning,
    IncomparableScaleWarning,
    InputError,
    ModelError,
    SmallSampleWarning,
)
from parstats.warn import warn_user

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.models import ModelResults, PowerResult

__all__ = [
    "TIER_CUTS",
    "TIER_LABELS",
    "AmbitionAnalysis",
    "CrossIndexAnalysis",
    "FamilyQuestion",
    "ModelOutcome",
    "PlanPower",
    "ambition_delivery_frame",
    "ambition_vs_indices",
    "cross_index_models",
    "family_ambition_vs_index",
    "plan_index_changes",
    "plot_power",
    "power_for_plans",
    "rank_tier",
]

#: Upper rank of the top and of the middle third of the 63 pre-2025 provinces.
TIER_CUTS: tuple[int, int] = (21, 42)
#: Rank tiers, coded so that higher is better (as an ordered model expects).
TIER_LABELS: dict[int, str] = {
    3: "top third (ranks 1-21)",
    2: "middle third (ranks 22-42)",
    1: "bottom third (ranks 43-63)",
}
#: Ambition summary used as the regressor unless another column is named.
DEFAULT_AMBITION = "median_peer_percentile"
#: Outcome of :func:`ambition_vs_indices` unless another column is named.
DEFAULT_OUTCOME = "PCI_rank_gain"
_PCI_SCORE = ("PCI", "score")


def _load_indices(indices: pd.DataFrame | None) -> pd.DataFrame:
    """Return the indices table (``parstats.indices.load()`` by default), published rows only.

    Where the table says which of several figures is used by default (``preferred``,
    settled by source precedence; an unresolved disagreement has none), only those
    rows are kept, so a disagreement between sources is a missing value, not an error.
    """
    if indices is None:
        from parstats.indices import load

        indices = load()
    if "origin" in indices.columns:
        indices = indices.loc[indices["origin"] == "published"]
    if "preferred" in indices.columns:
        indices = indices.loc[indices["preferred"].fillna(False).astype(bool)]
    return indices


# --------------------------------------------------------------------------- cross-index panel


@dataclass(frozen=True)
class _Segment:
    """Years in which one PAPI measure is published on one scale for most provinces."""

    measures: tuple[str, ...]
    version: str
    years: tuple[int, ...]


def _versioned(rows: pd.DataFrame) -> pd.DataFrame:
    """Add the scale version of every row from :func:`parstats.scales.scale_for`."""
    from parstats.scales import scale_for

    version = [
        scale_for(i, int(y), m).version
        for i, y, m in rows[["index", "year", "measure"]].itertuples(index=False, name=None)
    ]
    return rows.assign(_version=version)


def _province_rows(indices: pd.DataFrame) -> pd.DataFrame:
    """Rows of provinces (not aggregates) with a numeric value."""
    import pandas as pd

    key = "province_code" if "province_code" in indices.columns else "province"
    rows = indices.loc[indices[key].notna()]
    if "province" in rows.columns:
        rows = rows.loc[~rows["province"].astype(str).str.startswith("(")]
    value = pd.to_numeric(rows["value"], errors="coerce")
    return rows.loc[value.notna()].assign(_unit=rows[key])


def _covered_years(rows: pd.DataFrame, min_coverage: float) -> set[int]:
    """Years in which ``rows`` cover at least ``min_coverage`` of their best year's provinces."""
    n = rows.groupby("year")["_unit"].nunique()
    return {int(y) for y in n.index[n >= min_coverage * n.max()]} if len(n) else set()


def _papi_segments(indices: pd.DataFrame, kind: str, min_coverage: float) -> list[_Segment]:
    """PAPI segments of measure kind ``kind`` (``total`` or ``dimension``), largest first.

    A total segment is one measure label on one scale version; a dimension segment
    is every dimension label well covered in all years of one scale version. Years
    are those in which both the PAPI measure(s) and the PCI score cover at least
    ``min_coverage`` of the provinces they cover in their best year.
    """
    from parstats.scales import measure_kind

    rows = _province_rows(indices)
    pci = rows.loc[(rows["index"] == "PCI") & (rows["measure"] == "score")]
    pci_years = _covered_years(pci, min_coverage)
    papi = rows.loc[rows["index"] == "PAPI"]
    papi = papi.loc[[measure_kind(m) == kind for m in papi["measure"]]]
    if papi.empty:
        return []
    papi = _versioned(papi)
    out = []
    if kind == "total":
        for (measure, version), g in papi.groupby(["measure", "_version"], sort=True):
            years = tuple(sorted(_covered_years(g, min_coverage) & pci_years))
            if years:
                out.append(_Segment((str(measure),), str(version), years))
    else:
        for version, g in papi.groupby("_version", sort=True):
            best = g.groupby("year")["_unit"].nunique().max()
            per = g.groupby(["measure", "year"])["_unit"].nunique().unstack("year")
            years = sorted(pci_years & {int(y) for y in per.columns})
            good = per[years] >= min_coverage * best if years else per.iloc[:, :0]
            measures = tuple(sorted(m for m, ok in good.all(axis=1).items() if ok))
            years = [y for y in years if good[y].any()] if measures else []
            if measures and years:
                out.append(_Segment(measures, str(version), tuple(years)))
    return sorted(out, key=lambda s: (-len(s.years) * len(s.measures), -s.years[-1]))


def _wide(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Province × year table of one column of a :func:`province_year_frame` result."""
    wide = frame.pivot(index="province", columns="year", values=column)
    wide.columns = [int(c) for c in wide.columns]
    return wide


@dataclass(frozen=True, eq=False)
class CrossIndexAnalysis:
    """PCI against PAPI over the province × year panel.

    Attributes
    ----------
    total
        ``PCI_score ~ PAPI_total`` with province and year fixed effects and
        province-clustered (CR1) standard errors; ``total.nobs`` is its N
        (province-years) and ``total.n_clusters`` its provinces.
    dimensions
        ``PCI_score ~`` the PAPI dimensions of one scale version, same fixed effects
        and clustering.
    comparison
        :func:`parstats.models.compare` of the two fits (estimates, std errors, N).
    rank_correlations
        Spearman and Kendall correlation of PCI score and PAPI total, year by year:
        ``year, method, n, estimate, conf_low, conf_high, p_value, papi_measure,
        papi_scale``. Each year is on one scale, so years of different PAPI scales
        may both appear (they are never pooled).
    papi_total, papi_dimensions
        The PAPI measure labels used.
    papi_scale
        Scale version of the PAPI measures in the two fits.
    years_total, years_dimensions
        Years of the two fits.
    """

    total: ModelResults
    dimensions: ModelResults
    comparison: pd.DataFrame
    rank_correlations: pd.DataFrame
    papi_total: str
    papi_dimensions: tuple[str, ...]
    papi_scale: str
    years_total: tuple[int, ...]
    years_dimensions: tuple[int, ...]

    def summary_text(self) -> str:
        """Return the comparison table and the rank correlations as plain text."""
        corr = self.rank_correlations.drop(columns=["papi_measure"]).to_string(
            index=False, float_format=lambda v: f"{v:.3f}"
        )
        return (
            f"PCI score on PAPI ({self.papi_scale}); province and year fixed effects, "
            f"province-clustered std errors\n\n{self.comparison.to_string()}\n\n"
            f"Rank correlations of PCI score and PAPI total, by year\n{corr}"
        )

    def __repr__(self) -> str:
        return self.summary_text()

    def _repr_html_(self) -> str:
        return (
            '<div class="parstats-analysis">'
            f"<p>PCI score on PAPI ({html.escape(self.papi_scale)})</p>"
            + self.comparison.to_html()
            + "<p>Rank correlations of PCI score and PAPI total, by year</p>"
            + self.rank_correlations.to_html(index=False, float_format=lambda v: f"{v:.3f}")
            + "</div>"
        )


def cross_index_models(
    indices: pd.DataFrame | None = None,
    *,
    B: int = 9999,
    seed: int = 0,
    level: float = 0.95,
    min_coverage: float = 0.9,
) -> CrossIndexAnalysis:
    r"""Relate PCI to PAPI across provinces and years: two panel fits and rank correlations.

    Models, for province :math:`p` and year :math:`t` (one PAPI scale version):

    .. math:: \mathrm{PCI}_{pt} = \beta\,\mathrm{PAPI}_{pt} + \alpha_p + \gamma_t + u_{pt}

    with ``PAPI`` the total (6-60, unweighted sum of the six dimensions) or the
    vector of dimension scores; CR1 standard errors clustered by province, *t*
    with G-1 df (:func:`parstats.models.cross_index_panel`; with fewer than 30
    provinces the wild cluster restricted bootstrap with ``B`` draws is used
    instead). The PAPI segment is the (measure, scale version) with the most
    province-years: today the unweighted total 2011-2017; the 2019 weighted
    total (8-80) is a different scale and is not pooled with it.

    Rank correlations: for every year in which PCI score and a PAPI total are both
    published for most provinces, Spearman's :math:`\rho` and Kendall's
    :math:`\tau_b` with percentile intervals from ``B`` province resamples
    (:func:`parstats.models.rank_correlations`).

    Parameters
    ----------
    indices
        The ``indices`` table; :func:`parstats.indices.load` by default. Only
        published rows are used. Needs PCI ``score`` and PAPI ``total (...)`` and
        ``dimension: ...`` rows.
    B, seed, level
        Bootstrap draws, seed and interval level (deterministic given ``seed``).
    min_coverage
        A year enters when each measure covers at least this share of the
        provinces it covers in its best year (scattered announcements of a few
        provinces are a selected sample and are left out).

    Returns
    -------
    CrossIndexAnalysis

    Raises
    ------
    ModelError
        No PAPI total or dimension segment overlapping the PCI years, or a model
        that cannot be fitted (see :func:`parstats.models.fit_ols`).

    Warns
    -----
    DroppedRowsWarning
        Province-years left out (non-numeric or out-of-range values, e.g. PAPI 2014
        totals published as blanks).
    """
    from parstats.models import compare, cross_index_panel, province_year_frame, rank_correlations

    indices = _load_indices(indices)
    totals = _papi_segments(indices, "total", min_coverage)
    dims = _papi_segments(indices, "dimension", min_coverage)
    if not totals or not dims:
        raise ModelError(
            "cross-index models need PCI scores and PAPI "
            + ("totals" if not totals else "dimension scores")
            + " published for most provinces in common years; none found"
        )
    tot, dim = totals[0], dims[0]
    fit = {"B": B, "seed": seed, "level": level}
    total = cross_index_panel(
        indices, _PCI_SCORE, [("PAPI", tot.measures[0])], years=tot.years, **fit
    )
    dimensions = cross_index_panel(
        indices, _PCI_SCORE, [("PAPI", m) for m in dim.measures], years=dim.years, **fit
    )
    comparison = compare(total, dimensions, names=["PAPI total", "PAPI dimensions"])
    parts = []
    for seg in sorted(totals, key=lambda s: s.years):
        frame = province_year_frame(
            indices, [_PCI_SCORE, ("PAPI", seg.measures[0])], years=seg.years
        )
        a, b = frame.columns[2], frame.columns[3]
        corr = rank_correlations(_wide(frame, a), _wide(frame, b), B=B, seed=seed, level=level)
        parts.append(corr.assign(papi_measure=seg.measures[0], papi_scale=seg.version))
    import pandas as pd

    correlations = pd.concat(parts, ignore_index=True).sort_values(
        ["year", "method"], ignore_index=True
    )
    return CrossIndexAnalysis(
        total=total,
        dimensions=dimensions,
        comparison=comparison,
        rank_correlations=correlations,
        papi_total=tot.measures[0],
        papi_dimensions=dim.measures,
        papi_scale=tot.version if tot.version == dim.version else f"{tot.version}; {dim.version}",
        years_total=tot.years,
        years_dimensions=dim.years,
    )


# --------------------------------------------------------------------------- per-plan index changes


_CHANGE_COLUMNS = {
    "plan_id": "string", "doc": "string", "province": "string", "province_code": "string",
    "period_start": "Int64", "period_end": "Int64", "index": "string", "measure": "string",
    "base_year": "Int64", "base_value": "Float64", "end_year": "Int64", "end_value": "Float64",
    "change": "Float64", "latest_year": "Int64", "latest_value": "Float64",
    "change_to_latest": "Float64", "scale_base": "string", "scale_latest": "string",
    "reason": "string",
}  # fmt: skip


def plan_index_changes(
    plans: pd.DataFrame,
    indices: pd.DataFrame,
    *,
    index: str,
    measure: str = "score",
    allow_derived: bool = False,
) -> pd.DataFrame:
    r"""Return each plan's change in one index measure over its period, or why it is missing.

    For a plan of province :math:`p` covering :math:`s`-:math:`e`, with base year
    :math:`b = s - 1`: ``change`` :math:`= v_e - v_b` and ``change_to_latest``
    :math:`= v_l - v_b`, :math:`l` the latest year in :math:`(b, e]` with a value
    (a partial-period change for plans whose end is not published yet). A score is
    the year's ``score`` measure or its published total
    (:func:`parstats.delivery.read_score`); a score change is taken only between two
    years on the same scale (:func:`parstats.scales.scale_for`; the labels are in
    ``scale_base`` and ``scale_latest``). Ranks (``measure="rank"``) are always
    comparable; for ranks a negative change is an improvement.

    Unlike :func:`parstats.models.index_change`, a plan whose years are not in the
    data gets NA **with its reason** and the other plans keep their values: nothing
    raises for the whole table.

    Parameters
    ----------
    plans
        One row per plan with ``province_code`` (or ``province``), ``period_start``
        and ``period_end``; ``plan_id`` and ``doc`` are carried when present.
    indices
        The ``indices`` table (published rows; derived ones only with ``allow_derived``).
    index, measure
        E.g. ``index="PAPI", measure="score"`` or ``measure="rank"``.
    allow_derived
        Use ranks derived from scores where nothing is published.

    Returns
    -------
    DataFrame
        One row per plan, in ``plans`` order: keys, ``index``, ``measure``,
        ``base_year``, ``base_value``, ``end_year``, ``end_value``, ``change``,
        ``latest_year``, ``latest_value``, ``change_to_latest``, ``scale_base``,
        ``scale_latest`` and ``reason`` (NA when both changes are there; otherwise
        every reason, ``"; "``-joined).
    """
    import dataclasses

    import pandas as pd

    from parstats.delivery import observations, read, read_score
    from parstats.scales import scale_for

    obs = observations(indices, allow_derived=allow_derived)
    obs = obs.loc[obs["index"] == index]
    is_rank = measure == "rank"

    def value_at(rows: pd.DataFrame, year: int) -> tuple[float | None, str | None, str | None]:
        """(value, measure label, why missing) of one province in one year."""
        if is_rank or measure != "score":
            r = read(rows.loc[rows["measure"] == measure], year)
            why = None if r.value is not None else (
                f"sources disagree on {index} {measure} {year} ({', '.join(map(str, r.values))})"
                if r.conflicting else None
            )  # fmt: skip
            return r.value, measure, why
        sr = read_score(rows, year)
        why = sr.note or (
            f"sources disagree on {index} score {year}" if sr.reading.conflicting else None
        )
        return sr.reading.value, sr.measure, why

    def scale(year: int, label: str | None) -> Any:
        return scale_for(index, year, label or measure)

    out = []
    for _, plan in plans.iterrows():
        row = {c: plan.get(c) for c in ("plan_id", "doc", "province", "province_code",
                                        "period_start", "period_end")}  # fmt: skip
        row |= {"index": index, "measure": measure}
        reasons: list[str] = []
        if pd.isna(plan.get("period_start")) or pd.isna(plan.get("period_end")):
            row["reason"] = "the plan period is unknown"
            out.append(row)
            continue
        b, e = int(plan["period_start"]) - 1, int(plan["period_end"])
        row |= {"base_year": b, "end_year": e}
        code, name = plan.get("province_code"), plan.get("province")
        if not pd.isna(code):
            rows = obs.loc[(obs["province_code"] == str(code)).fillna(False)]
        else:
            rows = obs.loc[(obs["province"] == str(name)).fillna(False)]
        if rows.empty:
            row["reason"] = f"no {index} data for {name}"
            out.append(row)
            continue
        vb, mb, why_b = value_at(rows, b)
        ve, me, why_e = value_at(rows, e)
        years = sorted({int(y) for y in rows["year"] if b < int(y) <= e}, reverse=True)
        ly = vl = ml = None
        for y in years:
            v, m, _ = value_at(rows, y)
            if v is not None:
                ly, vl, ml = y, v, m
                break
        row |= {"base_value": vb, "end_value": ve, "latest_year": ly, "latest_value": vl}
        have = sorted({int(y) for y in rows["year"]})
        span = f"{have[0]}-{have[-1]}" if have else "none"
        if vb is None:
            reasons.append(why_b or f"no {index} {measure} for {name} in {b} (years: {span})")
        if ve is None:
            reasons.append(why_e or f"no {index} {measure} for {name} in {e} (years: {span})")
        if ly is None:
            reasons.append(f"no {index} {measure} for {name} in {b + 1}-{e}")

        def same_scale(y1: int, m1: str | None, y2: int, m2: str | None) -> tuple[bool, str, str]:
            if is_rank:
                return True, "ranks", "ranks"
            s1, s2 = scale(y1, m1), scale(y2, m2)
            ok = dataclasses.replace(s1, kind=s2.kind) == s2
            return ok, s1.label, s2.label

        if vb is not None and ve is not None:
            ok, lb, le = same_scale(b, mb, e, me)
            if ok:
                row["change"] = ve - vb
            else:
                reasons.append(f"{b} and {e} on different scales ({lb} vs {le})")
        if vb is not None and vl is not None:
            ok, lb, ll = same_scale(b, mb, ly, ml)
            row |= {"scale_base": lb, "scale_latest": ll}
            if ok:
                row["change_to_latest"] = vl - vb
            else:
                reasons.append(f"{b} and {ly} on different scales ({lb} vs {ll})")
        row["reason"] = "; ".join(dict.fromkeys(reasons)) if reasons else None
        out.append(row)
    from parstats.ambition import typed_frame

    return typed_frame(pd.DataFrame(out, columns=list(_CHANGE_COLUMNS)), _CHANGE_COLUMNS)


# --------------------------------------------------------------------------- ambition and delivery


def rank_tier(rank: float | None) -> int | None:
    """Return the tier of a rank among 63 provinces: 3 top, 2 middle, 1 bottom third.

    ``None`` (or NaN) for a missing rank. See :data:`TIER_CUTS`.
    """
    if rank is None or rank != rank:
        return None
    top, middle = TIER_CUTS
    return 3 if rank <= top else 2 if rank <= middle else 1


_PER_INDEX = (
    "score_base", "score_end", "score_change", "rank_base", "rank_end", "rank_gain",
    "latest_year", "rank_latest",
)  # fmt: skip


def ambition_delivery_frame(
    targets: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    indices: pd.DataFrame | None = None,
    *,
    allow_derived: bool = False,
) -> pd.DataFrame:
    r"""Return one row per plan (province and plan period): ambition next to index changes.

    For a plan of province :math:`p` covering years :math:`s` to :math:`e`
    (documents of one province for the same period are pooled, as in
    :func:`parstats.ambition.ambition_by_province_period`), with base year
    :math:`b = s - 1`, and each index ``I`` of
    :data:`parstats.delivery.TRAJECTORY_INDICES` (``PAR``, ``SIPAS``, ``PAPI``, ``PCI``):

    * ``I_rank_gain`` :math:`= rank_b - rank_e` (places gained; positive is better);
    * ``I_score_change`` :math:`= score_e - score_b`, NA when the two years are on
      different scale versions;
    * ``I_rank_gain_to_latest`` :math:`= rank_b - rank_l`, with :math:`l` the latest
      year in :math:`(b, e]` with a published rank (``I_latest_year``) — a partial-period
      change for plans whose end year is not published yet;
    * ``I_score_change_to_latest`` :math:`= score_l - score_b` with ``I_score_latest``
      and ``I_score_latest_year`` (the latest year in :math:`(b, e]` with a score),
      NA across a scale break (:func:`plan_index_changes`);
    * ``I_tier_base``, ``I_tier_end``: :func:`rank_tier` of the base and end ranks
      (3 = top third, 1 = bottom third; ``Int64``).

    Ambition columns are those of :class:`parstats.ambition.GroupSummary`
    (``median_peer_percentile``, ``median_peer_robust_z``, ``mean_gap_national_*``,
    shares with deadline/level/baseline, copying shares ...). Everything that cannot
    be computed is NA, never 0.

    Parameters
    ----------
    targets, documents
        The ``targets`` and ``documents`` tables; by default the processed tables
        (:func:`parstats.build.load_targets`, :func:`parstats.build.load_documents`).
    indices
        The ``indices`` table; :func:`parstats.indices.load` by default.
    allow_derived
        Use ranks derived from scores where no published rank exists
        (see :func:`parstats.delivery.index_trajectories`).

    Returns
    -------
    pandas.DataFrame
        Identification (``province, province_code, period_start, period_end, n_docs,
        docs, base_year, end_year``), the ambition summary, then the per-index
        columns. National documents are left out (they are not provincial plans).

    Raises
    ------
    InputError
        ``targets``/``documents`` not given and the processed tables not built yet
        (run ``parstats build``).

    Warns
    -----
    IncomparableScaleWarning
        Plans whose base and end scores are on different scale versions (their
        ``I_score_change`` is NA; ranks are still compared).
    """
    import pandas as pd

    from parstats.ambition import ambition_by_province_period
    from parstats.delivery import TRAJECTORY_INDICES, index_trajectories

    if targets is None or documents is None:
        from parstats.build import load_documents, load_targets

        targets = load_targets() if targets is None else targets
        documents = load_documents() if documents is None else documents
    if indices is None:
        from parstats.indices import load

        indices = load()
    keys = ["province", "period_start", "period_end"]
    plans = ambition_by_province_period(targets, documents)
    plans = plans.loc[(plans["province"] != "national").fillna(True)].reset_index(drop=True)
    at = plans.columns.get_loc("docs") + 1
    plans.insert(at, "base_year", (plans["period_start"] - 1).astype("Int64"))
    plans.insert(at + 1, "end_year", plans["period_end"].astype("Int64"))
    for index in TRAJECTORY_INDICES:
        changes = plan_index_changes(
            plans, indices, index=index, measure="score", allow_derived=allow_derived
        )
        plans[f"{index}_score_latest"] = changes["latest_value"].to_numpy()
        plans[f"{index}_score_latest_year"] = changes["latest_year"].to_numpy()
        plans[f"{index}_score_change_to_latest"] = changes["change_to_latest"].to_numpy()
    traj = index_trajectories(documents, indices, allow_derived=allow_derived)
    traj = traj.drop_duplicates([*keys, "index"])
    traj["rank_gain_to_latest"] = traj["rank_base"] - traj["rank_latest"]
    cols = [*_PER_INDEX, "rank_gain_to_latest"]
    for index in TRAJECTORY_INDICES:
        mine = traj.loc[traj["index"] == index, [*keys, *cols]]
        mine = mine.rename(columns={c: f"{index}_{c}" for c in cols})
        plans = plans.merge(mine, on=keys, how="left")
        for when in ("base", "end"):
            ranks = plans[f"{index}_rank_{when}"].astype("Float64").to_numpy(float, na_value=None)
            tiers = [rank_tier(None if r is None else float(r)) for r in ranks]
            plans[f"{index}_tier_{when}"] = pd.array(tiers, dtype="Int64")
    return plans


@dataclass(frozen=True, eq=False)
class ModelOutcome:
    """One model of an analysis: its fit, or the reason it was refused.

    Attributes
    ----------
    name
        What the model is, e.g. ``"OLS, permutation p-values"``.
    formula
        The formula.
    nobs
        Observations (plans) with every variable observed.
    results
        The fit (``None`` when refused).
    refusal
        Why no honest fit is possible (``None`` when fitted).
    """

    name: str
    formula: str
    nobs: int
    results: ModelResults | None = None
    refusal: str | None = None

    @property
    def fitted(self) -> bool:
        """Whether the model was fitted."""
        return self.results is not None

    @property
    def status(self) -> str:
        """``"fitted (N=..)"`` or ``"refused: <why>"``."""
        return f"fitted (N={self.nobs})" if self.fitted else f"refused: {self.refusal}"

    def summary_text(self) -> str:
        """Return the fit's summary, or the refusal."""
        body = self.results.summary_text() if self.results is not None else self.status
        return f"{self.name}: {self.formula}\n{body}"

    def html(self) -> str:
        """Return the fit's HTML table (or the refusal) under a heading naming the model."""
        esc = html.escape
        if self.results is not None:
            body = self.results._repr_html_()
        else:
            body = f"<p>{esc(self.status)}</p>"
        return f"<h4>{esc(self.name)}: {esc(self.formula)}</h4>{body}"

    def __repr__(self) -> str:
        return self.summary_text()


def _analysis_html(head: str, body: str, notes: Sequence[str]) -> str:
    """Return an analysis as HTML: its head line (escaped), its body (HTML) and its notes."""
    esc = html.escape
    items = "".join(f"<li>{esc(n)}</li>" for n in notes)
    return (
        f'<div class="parstats-analysis"><p>{esc(head)}</p>{body}'
        + (f"<ul>{items}</ul>" if items else "")
        + "</div>"
    )


@dataclass(frozen=True, eq=False)
class AmbitionAnalysis:
    """Ambition of plans against the change of an index over their period.

    Attributes
    ----------
    outcome, ambition, controls, tiers
        Columns used: the outcome, the ambition score, further regressors, and the
        rank-tier column of the ordered model.
    n_plans
        Plans in the frame.
    nobs
        Plans with outcome, ambition and controls all observed.
    ols
        :func:`parstats.models.fit_small_sample` (OLS estimates, Freedman-Lane
        permutation p-values, pairs-bootstrap intervals) or its refusal.
    ordered
        :func:`parstats.models.fit_ordered` (ordered logit of the tier) or its refusal.
    data
        The complete rows used.
    notes
        Plans left out and why; the small-sample caveat.
    """

    outcome: str
    ambition: str
    controls: tuple[str, ...]
    tiers: str | None
    n_plans: int
    nobs: int
    ols: ModelOutcome
    ordered: ModelOutcome
    data: pd.DataFrame
    notes: tuple[str, ...] = ()

    @property
    def refused(self) -> bool:
        """Whether every model was refused."""
        return not (self.ols.fitted or self.ordered.fitted)

    def summary_text(self) -> str:
        """Return both models (or their refusals) and the notes as plain text."""
        head = (
            f"Ambition ({self.ambition}) against {self.outcome}: "
            f"N={self.nobs} of {self.n_plans} plans"
        )
        notes = "".join(f"\nNote: {n}" for n in self.notes)
        return f"{head}\n\n{self.ols.summary_text()}\n\n{self.ordered.summary_text()}{notes}"

    def __repr__(self) -> str:
        return self.summary_text()

    def _repr_html_(self) -> str:
        head = (
            f"Ambition ({self.ambition}) against {self.outcome}: "
            f"N={self.nobs} of {self.n_plans} plans"
        )
        return _analysis_html(head, self.ols.html() + self.ordered.html(), self.notes)


def _plan_label(row: pd.Series) -> str:
    """``"Kiên Giang 2016-2020"``."""
    import pandas as pd

    start, end = row.get("period_start"), row.get("period_end")
    period = "(period unknown)" if pd.isna(start) or pd.isna(end) else f"{start}-{end}"
    return f"{row.get('province')} {period}"


def _try(name: str, formula: str, nobs: int, context: str, fit) -> ModelOutcome:
    """Run ``fit()``; a :class:`ModelError` becomes a refusal naming N and ``context``.

    A numerical failure inside statsmodels (``ValueError``/``LinAlgError``, e.g. no
    covariance when the tiers are perfectly separated by the regressors) is refused
    the same way rather than crashing a report.
    """
    import numpy as np

    try:
        return ModelOutcome(name, formula, nobs, results=fit())
    except ModelError as err:
        return ModelOutcome(name, formula, nobs, refusal=f"N={nobs} {context}: {err}")
    except (ValueError, np.linalg.LinAlgError) as err:
        why = f"the estimation failed numerically ({err}); separation or too few observations"
        return ModelOutcome(name, formula, nobs, refusal=f"N={nobs} {context}: {why}")


def _default_tiers(outcome: str, frame: pd.DataFrame) -> str | None:
    from parstats.vocab import INDEX_NAMES

    index = outcome.split("_", 1)[0]
    column = f"{index}_tier_end"
    return column if index in INDEX_NAMES and column in frame.columns else None


def ambition_vs_indices(
    frame: pd.DataFrame | None = None,
    *,
    outcome: str = DEFAULT_OUTCOME,
    ambition: str = DEFAULT_AMBITION,
    controls: Sequence[str] = (),
    tiers: str | None = None,
    B: int = 9999,
    seed: int = 0,
    level: float = 0.95,
) -> AmbitionAnalysis:
    r"""Relate plans' ambition to the change of an index over their period, honestly.

    Two models on the plans with every variable observed (one row per plan):

    * OLS :math:`y_i = \alpha + \beta\,a_i + \gamma' c_i + u_i` (``y`` the outcome, e.g.
      PCI places gained over the plan period; ``a`` the ambition score; ``c`` the
      controls), with Freedman-Lane permutation p-values and pairs-bootstrap
      percentile intervals (:func:`parstats.models.fit_small_sample`);
    * ordered logit of the end-of-period rank tier (:func:`rank_tier`) on
      :math:`a_i` and :math:`c_i` (:func:`parstats.models.fit_ordered`).

    A model that cannot be fitted honestly — no plan with both variables, N no
    larger than the number of parameters, a constant regressor, a single tier —
    is *refused*: its :class:`ModelOutcome` holds ``refusal`` (the underlying
    :class:`~parstats.errors.ModelError` message and N) instead of a fit. This
    function does not raise for that, so a report can print ``status``.

    Parameters
    ----------
    frame
        :func:`ambition_delivery_frame`; built from the processed tables and
        :func:`parstats.indices.load` if ``None`` (``parstats build`` must have run).
    outcome
        Outcome column; default ``PCI_rank_gain``. ``I_rank_gain_to_latest``
        uses partial periods; ``I_score_change`` scores.
    ambition
        Ambition column; default ``median_peer_percentile`` (0-100; higher is more
        ambitious than peers).
    controls
        Further regressors, e.g. ``("PCI_rank_base",)`` against regression to the mean.
    tiers
        Ordinal column of the ordered model; default ``<index>_tier_end`` of the
        outcome's index (no ordered model when there is none).
    B, seed, level
        Permutations and bootstrap draws, their seed, and the interval level.

    Returns
    -------
    AmbitionAnalysis

    Raises
    ------
    ModelError
        A named column is not in ``frame`` or not numeric (a usage error, not a data
        limitation).

    Warns
    -----
    SmallSampleWarning
        Whenever fewer than 30 plans are usable, with N (and whether refused).
    DroppedRowsWarning
        Plans left out for a missing outcome, ambition or control.
    """
    from parstats.models import fit_ordered, fit_small_sample
    from parstats.models._design import SMALL_N

    frame = ambition_delivery_frame() if frame is None else frame
    controls = tuple(controls)
    tiers = _default_tiers(outcome, frame) if tiers is None else tiers
    needed = [outcome, ambition, *controls]
    absent = [c for c in (*needed, *([tiers] if tiers else [])) if c not in frame.columns]
    if absent:
        raise ModelError(
            f"column(s) {', '.join(map(repr, absent))} not in the frame; "
            f"available: {', '.join(map(str, frame.columns))}"
        )
    try:
        numeric = frame[needed].astype("Float64").astype(float)
    except (TypeError, ValueError) as err:
        raise ModelError(f"{', '.join(needed)} must be numeric columns: {err}") from err
    missing = numeric.isna()
    keep = ~missing.any(axis=1)
    data = frame.loc[keep].copy()
    data[needed] = numeric.loc[keep]
    n, total = int(keep.sum()), len(frame)
    notes = []
    if n < total:
        detail = ", ".join(f"{c} ({int(k)})" for c, k in missing.sum().items() if k)
        notes.append(
            f"{total - n} of {total} plans left out for missing {detail}: "
            + "; ".join(
                _plan_label(frame.loc[i]) + f" ({', '.join(missing.columns[row])})"
                for i, row in zip(frame.index, missing.to_numpy(), strict=True)
                if row.any()
            )
        )
        warn_user(f"ambition vs indices: {notes[-1]}", DroppedRowsWarning)
    rhs = " + ".join([ambition, *controls])
    ols_formula = f"{outcome} ~ {rhs}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        ols = _try(
            "OLS, permutation p-values, bootstrap intervals",
            ols_formula,
            n,
            f"of {total} plans with {' and '.join(needed)} observed",
            lambda: fit_small_sample(data, ols_formula, B=B, seed=seed, level=level),
        )
        if tiers is None:
            ordered = ModelOutcome(
                "ordered logit of rank tier", "", n, refusal="no tier column for this outcome"
            )
        else:
            tier_data = data.loc[data[tiers].notna()].copy()
            tier_data[tiers] = tier_data[tiers].astype(float)
            ordered_formula = f"{tiers} ~ {rhs}"
            ordered = _try(
                "ordered logit of rank tier",
                ordered_formula,
                len(tier_data),
                f"of {total} plans with {' and '.join([tiers, *needed])} observed",
                lambda: fit_ordered(tier_data, ordered_formula, level=level),
            )
    if n < SMALL_N:
        refused = [m.name.split(",")[0] for m in (ols, ordered) if not m.fitted]
        msg = f"ambition vs indices: N={n} of {total} plans with {outcome} and {ambition} observed"
        msg += (
            f"; refused: {', '.join(refused)}"
            if refused
            else "; OLS inference by permutation and bootstrap"
        )
        notes.append(msg)
        warn_user(msg, SmallSampleWarning)
    return AmbitionAnalysis(
        outcome=outcome,
        ambition=ambition,
        controls=controls,
        tiers=tiers,
        n_plans=total,
        nobs=n,
        ols=ols,
        ordered=ordered,
        data=data,
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------- one family, one index


@dataclass(frozen=True, eq=False)
class FamilyQuestion:
    """Whether plans that set higher targets in one family gain more on an index.

    Attributes
    ----------
    family, family_label
        The indicator family (:func:`parstats.catalogue.families`) and its label.
    index, measure
        The outcome's index and measure; ``outcome`` is the change column used.
    ambition
        The family ambition scale (:data:`parstats.ambition.FAMILY_SCALES`).
    frame
        One row per provincial plan (tidy): ``plan_id``, province, period, document
        kind, the family's ``n_targets`` and the ambition scale with its N, the
        index change (``base_year``, ``base_value``, ``end_year``, ``end_value``,
        ``latest_year``, ``latest_value``, ``change``, ``change_to_latest``) and
        ``reason`` where a value is missing.
    n_plans, nobs
        Plans in ``frame``; plans with both ambition and outcome.
    ols
        :func:`ambition_vs_indices`: OLS with permutation p-values and bootstrap
        intervals (or its refusal stating N).
    wcr
        The same OLS with the wild cluster restricted bootstrap by province
        (:func:`parstats.models.fit_ols`, ``cov="wcr"``), or its refusal.
    power
        :func:`power_for_plans` for this outcome (``None`` with a note when the panel
        cannot give it); draw it with :meth:`plot_power`.
    notes
        Plans left out and why; the outcome's definition; the caveats.
    """

    family: str
    family_label: str
    index: str
    measure: str
    ambition: str
    outcome: str
    frame: pd.DataFrame
    n_plans: int
    nobs: int
    ols: AmbitionAnalysis
    wcr: ModelOutcome
    power: PlanPower | None
    notes: tuple[str, ...] = ()

    @property
    def answered(self) -> bool:
        """Whether any model was fitted (otherwise every model was refused, with N)."""
        return self.ols.ols.fitted or self.wcr.fitted

    def plot_power(self):
        """Return the power figure (:func:`plot_power`) with this question's N marked."""
        if self.power is None:
            raise ModelError("no power figure: " + "; ".join(self.notes[-1:]))
        return plot_power(self.power, n_now=self.nobs)

    def summary_text(self) -> str:
        """Return the question, N, both models (or their refusals) and the notes."""
        head = (
            f"Ambition in {self.family_label} ({self.ambition}) against {self.index} "
            f"{self.measure} change ({self.outcome}): N={self.nobs} of {self.n_plans} plans"
        )
        mde = ""
        if self.power is not None:
            row = self.power.table()
            mde = "\nPower (MDE per SD of ambition, outcome units):\n" + row.to_string(
                index=False, float_format=lambda v: f"{v:.3g}"
            )
        notes = "".join(f"\nNote: {n}" for n in self.notes)
        return f"{head}\n\n{self.ols.ols.summary_text()}\n\n{self.wcr.summary_text()}{mde}{notes}"

    def __repr__(self) -> str:
        return self.summary_text()

    def _repr_html_(self) -> str:
        head = (
            f"Ambition in {self.family_label} ({self.ambition}) against {self.index} "
            f"{self.measure} change: N={self.nobs} of {self.n_plans} plans"
        )
        table = self.frame.to_html(index=False, na_rep="—", float_format=lambda v: f"{v:.2f}")
        return _analysis_html(head, table + self.ols.ols.html() + self.wcr.html(), self.notes)


def family_ambition_vs_index(
    family: str = "online_public_services",
    index: str = "PAPI",
    *,
    measure: str = "score",
    ambition: str = "mean_gap_national_pp",
    to_latest: bool = True,
    targets: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    indices: pd.DataFrame | None = None,
    B: int = 9999,
    seed: int = 0,
    power: bool = True,
    n_sim: int = 1000,
    allow_derived: bool = False,
) -> FamilyQuestion:
    r"""Answer "do provinces that set higher targets for ``family`` gain more on ``index``?".

    One row per provincial plan: its ambition in the family
    (:func:`parstats.ambition.ambition_by_family`, targets due within the plan
    period, each commitment once; the scale ``ambition`` of
    :data:`parstats.ambition.FAMILY_SCALES`, higher = more ambitious) and the change
    of ``index`` ``measure`` over its period (:func:`plan_index_changes`: from the
    year before the plan to its end, or with ``to_latest`` to the latest published
    year when the end is not published yet; never across a scale break). Then

    .. math:: \Delta y_i = \alpha + \beta\, a_i + u_i

    by OLS with Freedman-Lane permutation p-values and pairs-bootstrap intervals
    (:func:`ambition_vs_indices`), and with the wild cluster restricted bootstrap
    by province (plans of one province share shocks). With too few plans every
    model is *refused* and the refusal states N; the power figure
    (:func:`power_for_plans`, :meth:`FamilyQuestion.plot_power`) says how many plans
    an effect of a given size would need.

    Parameters
    ----------
    family
        An indicator family of the catalogue, e.g. ``"online_public_services"``.
    index, measure
        The outcome, e.g. ``"PAPI"`` and ``"score"`` (or ``"rank"``: for ranks a
        negative change is an improvement).
    ambition
        ``mean_gap_national_pp`` (default; needs no peers), ``mean_peer_percentile``
        or ``mean_peer_robust_z``.
    to_latest
        Use the change to the latest published year when the end year is missing.
    targets, documents, indices
        The tables; the processed ones and :func:`parstats.indices.load` by default.
    B, seed
        Permutations, bootstrap and wild-bootstrap draws, and their seed.
    power, n_sim
        Whether to simulate power, and with how many simulations per grid point.
    allow_derived
        Let the outcome use values parstats derived from published figures
        (``origin == "derived"``: PAPI dimension scores, totals and ranks are sums of
        published sub-dimension scores, and ranks of those); a note says so. The power
        simulation then uses them too.

    Returns
    -------
    FamilyQuestion

    Raises
    ------
    ModelError
        An unknown family or ambition scale (a usage error, not a data limitation).
    """
    import pandas as pd

    from parstats.ambition import FAMILY_SCALES, ambition_by_family, plan_keys
    from parstats.catalogue import families

    fams = families()
    if family not in fams:
        raise ModelError(f"unknown family {family!r}; families: {', '.join(fams)}")
    if ambition not in FAMILY_SCALES:
        raise ModelError(f"ambition must be one of {', '.join(FAMILY_SCALES)}; got {ambition!r}")
    if targets is None or documents is None:
        from parstats.build import load_documents, load_targets

        targets = load_targets() if targets is None else targets
        documents = load_documents() if documents is None else documents
    if indices is None:
        from parstats.indices import load

        indices = load()
    published = _load_indices(indices)
    keys = plan_keys(documents)
    keys = keys.loc[keys["doc_kind"] != "national"].reset_index(drop=True)
    fam = ambition_by_family(targets, documents)
    fam = fam.loc[fam["family"] == family]
    n_col = {"mean_gap_national_pp": "n_gap_national", "mean_peer_percentile":
             "n_peer_percentile", "mean_peer_robust_z": "n_peer_robust_z"}[ambition]  # fmt: skip
    frame = keys[["plan_id", "doc", "province", "province_code", "period_start", "period_end",
                  "doc_kind"]].merge(
        fam[["plan_id", "n_targets", n_col, ambition]], on="plan_id", how="left"
    )  # fmt: skip
    frame["n_targets"] = frame["n_targets"].fillna(0).astype("Int64")
    frame[n_col] = frame[n_col].fillna(0).astype("Int64")
    changes = plan_index_changes(
        keys, indices if allow_derived else published, index=index, measure=measure,
        allow_derived=allow_derived,
    )  # fmt: skip
    cols = ["base_year", "base_value", "end_year", "end_value", "change", "latest_year",
            "latest_value", "change_to_latest", "reason"]  # fmt: skip
    frame = pd.concat([frame, changes[cols].reset_index(drop=True)], axis=1)
    outcome = f"{index}_{measure}_change"
    use = frame["change"]
    if to_latest:
        use = use.fillna(frame["change_to_latest"])
    frame[outcome] = use.astype("Float64")
    label = fams[family].label_en
    notes = [
        f"ambition: {FAMILY_SCALES[ambition]}, over the family's targets due within each plan "
        "period, each commitment once",
        f"outcome: {index} {measure} from the year before the plan to its end"
        + (" (or to the latest published year)" if to_latest else "")
        + ("; for ranks a negative change is an improvement" if measure == "rank" else ""),
    ]
    if allow_derived:
        notes.append(
            "outcome values may be derived by parstats from published figures (origin "
            "'derived', e.g. PAPI dimension scores and ranks summed from sub-dimensions)"
        )
    no_target = frame.loc[frame["n_targets"] == 0, "plan_id"]
    if len(no_target):
        notes.append(f"no target in {label} within the period: {', '.join(no_target)}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (SmallSampleWarning, DroppedRowsWarning))
        ols = ambition_vs_indices(
            frame.assign(PAPI_tier_end=pd.NA).drop(columns="PAPI_tier_end"),
            outcome=outcome, ambition=ambition, tiers=None, B=B, seed=seed,
        )  # fmt: skip
    notes.extend(ols.notes)
    data = ols.data
    n = ols.nobs
    formula = f"{outcome} ~ {ambition}"
    groups = int(data["province_code"].nunique()) if n else 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        wcr = _try(
            "OLS, wild cluster restricted bootstrap by province",
            formula,
            n,
            f"of {len(frame)} plans ({groups} provinces) with {outcome} and {ambition} observed",
            lambda: __import__("parstats.models", fromlist=["fit_ols"]).fit_ols(
                data, formula, cluster="province_code", cov="wcr", B=B, seed=seed,
                weights="webb" if groups <= 11 else "rademacher",
            ),
        )  # fmt: skip
    power_result = None
    if power:
        setting = frame.loc[frame["n_targets"] > 0]
        spans = (setting["period_end"] - setting["period_start"] + 1).dropna()
        span = int(spans.median()) if len(spans) else 5
        power_result, why = _power_with_fallback(
            indices if allow_derived else published, index, measure, max(span, 1), n_sim, seed,
            allow_derived,
        )  # fmt: skip
        if why:
            notes.append(why)
    msg = (
        f"{label} vs {index} {measure}: N={n} of {len(frame)} plans with both ambition and "
        f"outcome" + ("" if ols.ols.fitted or wcr.fitted else "; every model refused")
    )
    warn_user(msg, SmallSampleWarning)
    return FamilyQuestion(
        family=family, family_label=label, index=index, measure=measure, ambition=ambition,
        outcome=outcome, frame=frame, n_plans=len(frame), nobs=n, ols=ols, wcr=wcr,
        power=power_result, notes=tuple(dict.fromkeys(notes)),
    )  # fmt: skip


def _power_with_fallback(
    indices: pd.DataFrame,
    index: str,
    measure: str,
    span: int,
    n_sim: int,
    seed: int,
    allow_derived: bool = False,
) -> tuple[PlanPower | None, str | None]:
    """Power for the outcome; for a PAPI score, from the best-covered PAPI total if needed.

    PAPI publishes its 2011-2017 and 2019 totals as ``total (...)`` measures and later
    scores as ``score``; when the outcome's own published panel cannot give plan-length
    changes (too few well-covered years, conflicting sources, or a measure known only
    as derived values), the noise is taken from the published PAPI total segment with
    the most province-years, and the note says so.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return power_for_plans(
                indices, index=index, measure=measure, span=span, n_sim=n_sim, seed=seed,
                allow_derived=allow_derived,
            ), None  # fmt: skip
    except (ModelError, InputError) as err:
        first = str(err)
    if index == "PAPI" and measure != "rank":
        segments = _papi_segments(_load_indices(indices), "total", 0.9)
        for seg in segments:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    res = power_for_plans(
                        indices, index=index, measure=seg.measures[0], span=span, n_sim=n_sim,
                        seed=seed,
                    )  # fmt: skip
            except ModelError:
                continue
            return res, (
                f"power from PAPI {seg.measures[0]!r} ({seg.version}, "
                f"{seg.years[0]}-{seg.years[-1]}): the score panel could not give it ({first})"
            )
    return None, f"no power figure: {first}"


def plot_power(power: PlanPower, *, n_now: int | None = None):
    """Draw the smallest detectable effect against the number of plans.

    The y axis is the MDE in outcome units per standard deviation of ambition (80 %
    power by default, 5 % test), the x axis the number of plans (log scale); the grey
    line marks ``n_now``, the plans a model has today. A panel the simulation could not
    reach (no finite MDE) says so in words.

    Returns
    -------
    matplotlib.figure.Figure
        Built without pyplot (see :mod:`parstats.plots`).
    """
    import numpy as np

    from parstats.plots import HIGHLIGHT, MUTED, new_figure

    fig = new_figure(6.0, 3.6)
    ax = fig.axes[0]
    table = power.table()
    finite = table.loc[np.isfinite(table["mde"].astype(float))]
    if finite.empty:
        ax.text(0.5, 0.5, "no detectable effect on the simulated grid", ha="center",
                va="center", color=MUTED)  # fmt: skip
        ax.set_axis_off()
        return fig
    ax.plot(finite["n_plans"], finite["mde"], marker="o", color=HIGHLIGHT)
    for n, m in zip(finite["n_plans"], finite["mde"], strict=True):
        ax.annotate(f"{m:.3g}", (n, m), textcoords="offset points", xytext=(4, 4), fontsize=8)
    from matplotlib.ticker import NullLocator

    ax.set_xscale("log")
    ax.set_xticks(list(finite["n_plans"]), [str(int(n)) for n in finite["n_plans"]])
    ax.xaxis.set_minor_locator(NullLocator())
    if n_now is not None:
        at = max(n_now, 2)
        ax.axvline(at, color=MUTED, linestyle="--")
        ax.text(at, ax.get_ylim()[1], f" N today = {n_now}", color=MUTED, va="top", fontsize=8)
        ax.set_xlim(left=min(at, float(finite["n_plans"].min())) * 0.8)
    short = str(power.measure).split(" (")[0]
    unit = "rank places" if power.measure == "rank" else f"{power.index} {short} points"
    ax.set_xlabel("plans (N)")
    ax.set_ylabel(f"MDE ({unit} per SD of ambition)")
    ax.set_title(
        f"Smallest effect {power.power.target_power:.0%} power detects at alpha "
        f"{power.power.alpha:g}:\nchange of {power.index} {short} over {power.span} years",
        fontsize=9,
    )
    return fig


# --------------------------------------------------------------------------- power


@dataclass(frozen=True, eq=False)
class PlanPower:
    """How large an effect of ambition N plans could detect, from one index's own changes.

    Attributes
    ----------
    index, measure, span
        The outcome: change of ``index`` ``measure`` over ``span`` years.
    years
        Years of the panel the changes come from.
    n_changes, n_provinces
        Plan-length changes simulated from, and the provinces they cover.
    power
        :class:`parstats.models.PowerResult` (power table, ``mde``, ``mde_sd``).
    notes
        Scale segments and the outcome's sign convention.
    """

    index: str
    measure: str
    span: int
    years: tuple[int, ...]
    n_changes: int
    n_provinces: int
    power: PowerResult
    notes: tuple[str, ...] = ()

    @property
    def mde(self) -> pd.Series:
        """Minimal detectable effect per ``n_plans`` (outcome units per SD of ambition)."""
        return self.power.mde

    def table(self) -> pd.DataFrame:
        """Return ``n_plans, mde, mde_sd`` (the MDE also in outcome standard deviations)."""
        return (
            self.power.mde.to_frame().join(self.power.mde_sd).reset_index().astype({"n_plans": int})
        )

    def plans_needed(self, effect: float) -> int | None:
        """Smallest ``n_plans`` on the grid whose MDE is at most ``effect``, or ``None``."""
        ok = self.mde[self.mde <= effect]
        return int(ok.index.min()) if len(ok) else None

    def summary_text(self) -> str:
        """Return the MDE table with what it is about."""
        head = (
            f"Power of a slope test (alpha={self.power.alpha}, power {self.power.target_power:.0%},"
            f" {self.power.n_sim} simulations, seed {self.power.seed}) for the change of "
            f"{self.index} {self.measure} over {self.span} years; noise from {self.n_changes} "
            f"changes of {self.n_provinces} provinces, {self.years[0]}-{self.years[-1]}"
        )
        table = self.table().to_string(index=False, float_format=lambda v: f"{v:.3g}")
        return head + "\n" + table + "".join(f"\nNote: {n}" for n in self.notes)

    def __repr__(self) -> str:
        return self.summary_text()


def power_for_plans(
    indices: pd.DataFrame | None = None,
    *,
    index: str = "PCI",
    measure: str = "rank",
    span: int = 5,
    n_plans: Sequence[int] = (5, 10, 20, 40, 63),
    ambition: Sequence[float] | None = None,
    effects: Sequence[float] | None = None,
    alpha: float = 0.05,
    target_power: float = 0.8,
    n_sim: int = 2000,
    seed: int = 0,
    min_coverage: float = 0.9,
    allow_derived: bool = False,
) -> PlanPower:
    r"""Simulate the smallest effect of ambition that ``n_plans`` plans could detect.

    The noise is every observed change :math:`v_{p,t+span} - v_{p,t}` of the index
    measure over a plan-length window (:func:`parstats.models.panel_changes`), so the
    simulation uses the panel's own variance; the test is the OLS slope *t*-test of
    the change on ambition (:func:`parstats.models.power_by_simulation`). Changes are
    taken within one scale version only (:func:`parstats.scales.scale_for`); ranks are
    comparable across versions (1 = best of 63). Rank changes here are
    ``rank[t+span] - rank[t]``; their spread is that of places gained.

    Parameters
    ----------
    indices
        The ``indices`` table; :func:`parstats.indices.load` by default (published rows).
    index, measure
        The outcome's index and measure (``"rank"``, ``"score"``, ...).
    span
        Plan length in years (the window of the change).
    n_plans
        Numbers of plans to evaluate (each at least 3).
    ambition
        Observed ambition scores to draw the regressor from; standard normal if ``None``.
    effects
        Effect grid (outcome units per SD of ambition); default 0 to 3 outcome SDs.
    alpha, target_power, n_sim, seed
        Test level, power defining the MDE, simulations, seed (deterministic given it).
    min_coverage
        Years in which the measure covers fewer than this share of its best year's
        provinces are left out (warned): scattered announcements are a selected sample.
    allow_derived
        Use values parstats derived from published figures where nothing is published
        (:func:`parstats.delivery.observations`); a note says so.

    Returns
    -------
    PlanPower

    Raises
    ------
    ModelError
        No data for the measure, no two well-covered years ``span`` apart on one
        scale, or the errors of :func:`parstats.models.power_by_simulation`.
    """
    import pandas as pd

    from parstats.models import panel_changes, power_by_simulation, province_year_frame
    from parstats.scales import measure_kind, scale_for

    if allow_derived:
        from parstats.delivery import observations

        if indices is None:
            from parstats.indices import load

            indices = load()
        indices = observations(indices, allow_derived=True)
    else:
        indices = _load_indices(indices)
    try:
        is_rank = measure_kind(measure) in ("rank", "dimension rank")
    except InputError:
        is_rank = measure.split(".")[0] == "rank"
    with warnings.catch_warnings():
        # Changes are taken within one scale version below (ranks are comparable across).
        warnings.simplefilter("ignore", IncomparableScaleWarning)
        frame = province_year_frame(indices, [(index, measure)], min_coverage=min_coverage)
    wide = _wide(frame, frame.columns[2])
    years = sorted(wide.columns)
    if is_rank:
        segments = {"ranks": years}
    else:
        segments = {}
        for y in years:
            segments.setdefault(scale_for(index, y, measure).version, []).append(y)
    parts, notes = [], []
    for version, ys in segments.items():
        try:
            parts.append(panel_changes(wide[ys], span))
        except ModelError:
            notes.append(f"{version} ({ys[0]}-{ys[-1]}): no two years {span} apart")
    if not parts:
        raise ModelError(
            f"power: no two well-covered years {span} apart on one scale for {index} "
            f"{measure!r} (years {years}); " + "; ".join(notes)
        )
    changes = pd.concat(parts)
    if len(segments) > 1:
        notes.append(
            "changes taken within scale versions only: "
            + "; ".join(f"{v} {ys[0]}-{ys[-1]}" for v, ys in segments.items())
        )
    if is_rank:
        notes.append("rank change = rank[t+span] - rank[t] (negative: places gained)")
    if allow_derived:
        notes.append(
            "values derived by parstats from published figures used where none is published"
        )
    power = power_by_simulation(
        changes,
        list(n_plans),
        ambition=None if ambition is None else list(ambition),
        effects=None if effects is None else list(effects),
        alpha=alpha,
        target_power=target_power,
        n_sim=n_sim,
        seed=seed,
    )
    return PlanPower(
        index=index,
        measure=measure,
        span=span,
        years=tuple(int(y) for y in years),
        n_changes=len(changes),
        n_provinces=int(changes.index.get_level_values("province").nunique()),
        power=power,
        notes=tuple(notes),
    )
