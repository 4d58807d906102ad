"""Province × year frames from the tidy indices table, and the cross-index panel model.

Input is the tidy indices frame (``parstats.indices.load()`` or the raw
``observations.csv``): columns ``index``, ``year``, ``measure``, ``value`` and a
province key, ``province_code`` (preferred) or ``province``. Aggregate rows
(a missing code, or a name in brackets such as ``(63-province average)``) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from parstats.errors import DroppedRowsWarning, IncomparableScaleWarning, InputError, ModelError
from parstats.models.ols import fit_ols
from parstats.models.results import ModelResults
from parstats.scales import LAST_PRE2025_YEAR, Scale, comparable_segments, scale_for
from parstats.vocab import INDEX_NAMES, check
from parstats.warn import warn_user


def _scale_breaks() -> dict[str, tuple[int, ...]]:
    # The first PCI edition (2005) to the last pre-2025 index year.
    years = range(2005, LAST_PRE2025_YEAR + 1)
    out = {}
    for index in INDEX_NAMES:
        versions = [scale_for(index, y, "score").version for y in years]
        breaks = tuple(
            y
            for y, before, now in zip(years[1:], versions[:-1], versions[1:], strict=True)
            if before != now
        )
        if breaks:
            out[index] = breaks
    return out


#: Years in which an index starts a new scale version, derived from
#: :func:`parstats.scales.scale_for` (the one record of the breaks; PAPI 2018, PAR 2017,
#: 2018, 2022, 2024). For display only: :func:`province_year_frame` checks each measure's
#: years against ``scale_for`` itself.
SCALE_BREAKS: dict[str, tuple[int, ...]] = _scale_breaks()

Measure = tuple[str, str]


def _scale(index: str, year: int, measure: str) -> Scale:
    try:
        return scale_for(index, int(year), measure)
    except InputError as err:
        raise ModelError(
            f"{index} {measure!r}: no scale known for it in parstats.scales ({err.reason}); "
            "its published range and comparability across years cannot be checked"
        ) from err


def column_name(index: str, measure: str) -> str:
    """Return the column name used for ``(index, measure)``: ``"PAPI_dimension_Transparency"``.

    Text in brackets is dropped (``"total (weighted ...)"`` → ``"total"``), other
    non-alphanumeric runs become ``_``.
    """
    short = re.sub(r"\s*\(.*\)\s*", " ", measure).strip()
    return re.sub(r"[^0-9A-Za-z]+", "_", f"{index} {short}").strip("_")


def _unit_column(indices: pd.DataFrame, unit: str | None) -> str:
    if unit is not None:
        if unit not in indices.columns:
            raise ModelError(f"unit column {unit!r} not in the indices frame")
        return unit
    for c in ("province_code", "province"):
        if c in indices.columns:
            return c
    raise ModelError("the indices frame has neither a 'province_code' nor a 'province' column")


def _select_canonical(
    of_index: pd.DataFrame, index: str, measure: str, key: str, origin: str
) -> tuple[pd.DataFrame, list[str]]:
    """Rows of one canonical measure (any published name selects it), one per province-year.

    ``origin`` picks published or derived rows, or ``"any"`` for the value the
    precedence prefers (:func:`parstats.indices.settle`); agreeing figures from
    several sources become one. Where sources of equal precedence disagree, the one
    the other origin's value backs is used (a PAPI total announced twice, one
    equal to the sum of the official sub-dimension scores); otherwise every value
    is kept (the caller's ``duplicates`` rule then applies).
    """
    from parstats.indices import settle
    from parstats.measures import resolve

    try:
        found = resolve(index, measure)
    except InputError as err:
        raise ModelError(f"no data for {index} measure {measure!r}: {err.reason}") from err
    rows = of_index.loc[of_index["measure_id"] == found.id]
    referee = None
    if origin != "any":
        referee = rows.loc[rows["origin"] != origin]
        rows = rows.loc[rows["origin"] == origin]
    if rows.empty:
        have = sorted(of_index["measure_id"].dropna().unique())
        raise ModelError(
            f"no {origin if origin != 'any' else ''} data for {index} measure {measure!r} "
            f"({found.id}); {index} measures: {'; '.join(have[:30])}"
        )
    chosen = settle(rows, [key, "year"], referee)
    return rows.loc[list(chosen.rows.index) + list(chosen.unresolved.index)], [found.id]


def _select(
    indices: pd.DataFrame, index: str, measure: str, key: str = "province_code",
    origin: str = "published",
) -> tuple[pd.DataFrame, list[str]]:
    of_index = indices[indices["index"] == index]
    if of_index.empty:
        have = ", ".join(sorted(indices["index"].dropna().unique()))
        raise ModelError(f"no data for index {index!r}; indices in the frame: {have}")
    if {"measure_id", "origin", "value_text"} <= set(of_index.columns):
        return _select_canonical(of_index, index, measure, key, origin)
    measures = of_index["measure"].astype(str)
    exact = of_index[measures == measure]
    if not exact.empty:
        return exact, [measure]
    folded = measures.str.casefold() == measure.casefold()
    if folded.any():
        return of_index[folded], sorted(measures[folded].unique())
    near = sorted(m for m in measures.unique() if measure.casefold() in m.casefold())
    listed = near or sorted(measures.unique())
    raise ModelError(
        f"no data for {index} measure {measure!r}; "
        + ("measures containing it" if near else f"{index} measures")
        + f": {'; '.join(listed[:20])}"
        + (" ..." if len(listed) > 20 else "")
    )


def province_year_frame(
    indices: pd.DataFrame,
    measures: Sequence[Measure],
    *,
    years: Sequence[int] | None = None,
    unit: str | None = None,
    duplicates: str = "error",
    min_coverage: float = 0.9,
    origin: str = "published",
) -> pd.DataFrame:
    """Merge index measures into one row per province and year.

    Parameters
    ----------
    indices
        Tidy indices frame (``index, year, measure, value`` and a province key).
    measures
        ``(index, measure)`` pairs, e.g.
        ``[("PCI", "score"), ("PAPI", "dimension: Transparency")]``.
        Measures are matched exactly, then ignoring case (case variants are pooled).
    years
        Years to keep. Default: the years in which every measure covers at least
        ``min_coverage`` of the provinces it covers in its best year; the other years
        (scattered announcements, a selected sample) are left out with a
        :class:`~parstats.errors.DroppedRowsWarning`.
    unit
        Province key column; default ``province_code`` if present, else ``province``.
    duplicates
        Several rows for one province, year and measure with different values:
        ``"error"`` (default), ``"mean"`` or ``"first"``. Identical repeats are collapsed.
    min_coverage
        See ``years``.
    origin
        With the table of :func:`parstats.indices.load` (canonical measures):
        ``"published"`` (default) or ``"derived"`` values only, or ``"any"`` for the
        value precedence prefers in each province-year. A measure is then named by its
        canonical id or any published name, and sources that agree count once.

    Returns
    -------
    pandas.DataFrame
        Columns ``province`` (the key), ``year`` and one column per measure named by
        :func:`column_name`; rows where at least one measure is observed.

    Raises
    ------
    ModelError
        Unknown index or measure, a requested year without data, conflicting duplicates.

    Warns
    -----
    IncomparableScaleWarning
        When a measure's years span more than one scale version
        (:func:`parstats.scales.scale_for`, :func:`parstats.scales.comparable_segments`).
        Values outside the scale's bounds (:meth:`parstats.scales.Scale.contains`; e.g. a
        PAPI total of 0 where the spreadsheet summed blank dimensions) are left out with
        a :class:`~parstats.errors.DroppedRowsWarning` rather than fitted.
    """
    check(duplicates, ("error", "mean", "first"), "duplicates")
    check(origin, ("published", "derived", "any"), "origin")
    need = {"index", "year", "measure", "value"} - set(indices.columns)
    if need:
        raise ModelError(f"the indices frame lacks column(s) {', '.join(sorted(need))}")
    if not measures:
        raise ModelError("no measure requested")
    key = _unit_column(indices, unit)
    rows = indices[indices[key].notna()]
    if "province" in rows.columns:
        rows = rows[~rows["province"].astype(str).str.startswith("(")]
    names, series = [], []
    for index, measure in measures:
        sel, matched = _select(rows, index, measure, key, origin)
        name = column_name(index, measure)
        while name in names:
            name += "_2"
        names.append(name)
        vals = pd.to_numeric(sel["value"], errors="coerce")
        bad = int(vals.isna().sum())
        if bad:
            warn_user(
                f"{index} {measure!r}: {bad} non-numeric values left out",
                DroppedRowsWarning
            )
        tidy = pd.DataFrame(
            {
                "province": sel[key].to_numpy(),
                "year": sel["year"].astype(int).to_numpy(),
                "value": vals.to_numpy(),
            }
        ).dropna()
        scales = {y: _scale(index, y, measure) for y in tidy["year"].unique()}
        # Unknown bounds (PGI) admit every value, as Scale.contains does.
        tidy["low"] = [-np.inf if scales[y].low is None else scales[y].low for y in tidy["year"]]
        tidy["high"] = [np.inf if scales[y].high is None else scales[y].high for y in tidy["year"]]
        out = (tidy["value"] < tidy["low"]) | (tidy["value"] > tidy["high"])
        for (low, high), bad in tidy.loc[out].groupby(["low", "high"]):
            shown = ", ".join(
                f"{p} {y}: {v:g}"
                for p, y, v in bad[["province", "year", "value"]].itertuples(index=False, name=None)
            )
            warn_user(
                f"{index} {measure!r}: {len(bad)} values outside the published range "
                f"{low:g}–{high:g} left out ({shown})",
                DroppedRowsWarning
            )
        tidy = tidy.loc[~out, ["province", "year", "value"]]
        spread = tidy.groupby(["province", "year"])["value"].agg(["min", "max", "size"])
        conflicts = spread[spread["min"] != spread["max"]]
        if years is not None:  # other years' disagreements are none of this panel's business
            wanted = {int(y) for y in years}
            conflicts = conflicts[conflicts.index.get_level_values("year").isin(wanted)]
        if len(conflicts) and duplicates == "error":
            shown = ", ".join(f"{p} {y}" for p, y in conflicts.index[:5])
            raise ModelError(
                f"{index} {measure!r}: {len(conflicts)} province-years have different values "
                f"from different sources ({shown}); choose duplicates='mean' or 'first', or "
                "deduplicate the data"
            )
        how = "first" if duplicates == "first" else "mean"
        s = tidy.groupby(["province", "year"])["value"].agg(how).rename(name)
        series.append((index, measure, s))
    wide = pd.concat([s for *_, s in series], axis=1)
    counts = {name: wide[name].notna().groupby(level="year").sum() for name in names}
    if years is None:
        ok = None
        for name in names:
            c = counts[name]
            good = set(c.index[c >= min_coverage * c.max()])
            ok = good if ok is None else ok & good
        all_years = sorted(set(wide.index.get_level_values("year")))
        keep = sorted(ok)
        left = [y for y in all_years if y not in ok]
        if not keep:
            raise ModelError(f"no year in which all of {', '.join(names)} cover most provinces")
        if left:
            warn_user(
                f"years left out ({', '.join(map(str, left))}): fewer than {min_coverage:.0%} "
                "of provinces observed for at least one measure (scattered announcements are a "
                "selected sample); pass years= to include them",
                DroppedRowsWarning,
            )
    else:
        keep = sorted(int(y) for y in years)
        for name in names:
            have = counts[name]
            missing = [y for y in keep if have.get(y, 0) == 0]
            if missing:
                raise ModelError(
                    f"{name}: no data for year(s) {', '.join(map(str, missing))}; years with "
                    f"data: {', '.join(map(str, have.index[have > 0]))}"
                )
    for index, measure, s in series:
        observed = sorted({int(y) for y in s.index.get_level_values("year")} & set(keep))
        _warn_if_incomparable(index, measure, observed)
    wide = wide[wide.index.get_level_values("year").isin(keep)]
    return wide.reset_index().sort_values(["province", "year"], ignore_index=True)


def _warn_if_incomparable(index: str, measure: str, years: Sequence[int]) -> None:
    """Warn when ``years`` of one measure fall in more than one scale segment."""
    if not years:
        return
    scales = [_scale(index, y, measure) for y in years]
    frame = pd.DataFrame(
        {
            "index": index,
            "measure": measure,
            "year": list(years),
            "scale_version": [sc.version for sc in scales],
            "unit": [sc.unit for sc in scales],
            "scale_min": [sc.low for sc in scales],
            "scale_max": [sc.high for sc in scales],
            "origin": "published",
        }
    )
    segments = comparable_segments(frame)
    if len(segments) < 2:
        return
    starts = sorted(seg.years[0] for seg in segments)[1:]
    warn_user(
        f"{index} {measure!r}: the years {years[0]}–{years[-1]} span a change of the index's "
        f"scale or method in {', '.join(map(str, starts))}; values before and after are not "
        "comparable (year fixed effects absorb level shifts only): "
        + "; ".join(seg.label for seg in segments),
        IncomparableScaleWarning,
    )


def cross_index_panel(
    indices: pd.DataFrame,
    y: Measure = ("PCI", "score"),
    x: Sequence[Measure] = (
        ("PAPI", "total (file column 'Un-weighted2015PAPI'; unweighted sum of 6 dimension scores)"),
    ),
    *,
    years: Sequence[int] | None = None,
    fe: Sequence[str] = ("province", "year"),
    cluster: str | None = "province",
    cov: str = "auto",
    B: int = 9999,
    seed: int = 0,
    weights: str = "rademacher",
    level: float = 0.95,
    unit: str | None = None,
    duplicates: str = "error",
    min_coverage: float = 0.9,
    origin: str = "published",
) -> ModelResults:
    """Regress one index measure on others over the province × year panel.

    The default is PCI score on the PAPI unweighted total (2011–2017, one scale),
    with province and year fixed effects and province-clustered (CR1) standard
    errors; with fewer than 30 clusters the wild cluster bootstrap is used.

    Parameters
    ----------
    indices
        Tidy indices frame; see :func:`province_year_frame`.
    y, x
        ``(index, measure)`` of the response and of the regressors.
    years, unit, duplicates, min_coverage, origin
        See :func:`province_year_frame`.
    fe, cluster, cov, B, seed, weights, level
        See :func:`parstats.models.fit_ols`; ``"province"`` and ``"year"`` name the
        panel's key columns.

    Returns
    -------
    ModelResults
        ``nobs`` is the number of province-years; ``n_clusters`` the provinces.
    """
    if isinstance(x, tuple) and len(x) == 2 and all(isinstance(v, str) for v in x):
        x = [x]
    frame = province_year_frame(
        indices, [y, *x], years=years, unit=unit, duplicates=duplicates,
        min_coverage=min_coverage, origin=origin,
    )
    names = [c for c in frame.columns if c not in ("province", "year")]
    n_units = frame.dropna()["province"].nunique()
    if n_units < 2:
        raise ModelError(
            f"cross-index panel: {n_units} province with complete data (N={len(frame.dropna())} "
            "province-years); relations across provinces need at least two"
        )
    formula = f"{names[0]} ~ " + " + ".join(names[1:])
    res = fit_ols(
        frame,
        formula,
        fe=tuple(fe),
        cluster=cluster,
        cov=cov,
        B=B,
        seed=seed,
        weights=weights,
        level=level,
    )
    n_prov = frame.loc[res.index, "province"].nunique()
    yrs = sorted(frame.loc[res.index, "year"].unique())
    note = (
        f"panel of {n_prov} provinces × years {yrs[0]}–{yrs[-1]} "
        f"({len(yrs)} years), N={res.nobs} province-years"
    )
    return _with_note(res, note)


def _with_note(res: ModelResults, note: str) -> ModelResults:
    from dataclasses import replace

    return replace(res, notes=(note, *res.notes))


def index_change(
    panel: pd.DataFrame,
    plans: pd.DataFrame,
    *,
    unit: str = "province_code",
    start: str = "period_start",
    end: str = "period_end",
) -> pd.DataFrame:
    """Add each plan's index change over its period (``value[end] - value[start]``) or why not.

    A plan whose years or province the panel lacks gets ``NA`` with its reason; the
    other plans keep their values (nothing raises for the whole table). For index
    measures straight from the ``indices`` table, scale breaks and conflicting
    sources included, :func:`parstats.analysis.plan_index_changes` is the richer tool.

    Parameters
    ----------
    panel
        Wide province × year frame (provinces as the index, integer years as columns).
    plans
        One row per plan with the province key and the period's first and last year.
    unit, start, end
        Column names in ``plans``.

    Returns
    -------
    pandas.DataFrame
        ``plans`` with ``start_value``, ``end_value``, ``change`` (NA where a value is
        missing; for ranks a negative change is an improvement) and ``reason`` (NA
        when the change is there; otherwise why, e.g. ``"no data for 2025 in the
        panel (years with data: 2010-2019)"``).

    Raises
    ------
    ModelError
        A column of ``unit``, ``start``, ``end`` is not in ``plans``.
    """
    for c in (unit, start, end):
        if c not in plans.columns:
            raise ModelError(f"column {c!r} not in plans; available: {', '.join(plans.columns)}")
    have = sorted(int(c) for c in panel.columns if panel[c].notna().any())
    span = f"{have[0]}-{have[-1]}" if have else "none"
    lookup = {(u, int(y)): v for (u, y), v in panel.stack().items() if pd.notna(v)}
    units = set(panel.index)

    rows = []
    for u, s_year, e_year in zip(plans[unit], plans[start], plans[end], strict=True):
        values, reasons = [], []
        for y in (s_year, e_year):
            if pd.isna(y):
                values.append(np.nan)
                reasons.append("the plan period is unknown")
                continue
            y = int(y)
            if y not in have:
                reasons.append(f"no data for {y} in the panel (years with data: {span})")
            elif u not in units:
                reasons.append(f"{u} is not in the panel")
            elif (u, y) not in lookup:
                reasons.append(f"no value for {u} in {y}")
            values.append(float(lookup.get((u, y), np.nan)))
        rows.append((values[0], values[1], "; ".join(dict.fromkeys(reasons)) or None))

    out = plans.copy()
    out["start_value"] = np.array([r[0] for r in rows], dtype=float)
    out["end_value"] = np.array([r[1] for r in rows], dtype=float)
    out["change"] = out["end_value"] - out["start_value"]
    out["reason"] = pd.array([r[2] for r in rows], dtype="string")
    return out
