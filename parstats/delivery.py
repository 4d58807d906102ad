"""Delivery of plan targets on the governance indices (*kết quả thực hiện chỉ tiêu*).

A target is *observable* when a governance index measures its indicator
(:data:`OBSERVABLE`): the PAR Index, PAPI, PCI, SIPAS and ICT Index ranks, the
change of the PCI rank, and satisfaction with administrative services against
the SIPAS score. For every such target :func:`delivery_status` gives a status:

``met`` / ``missed``
    The index edition for the deadline year (and, for a rank change, the year
    before) has a published value for the province; the target's bound decides
    (:func:`judge`).
``not_yet_due``
    The data hold no edition of the index for the deadline year yet. Without a
    reference year (``as_of=None``, the default, so that processed tables are
    reproducible) the data say how far they reach: a target is not yet due when
    its deadline year is after the last year of that index and measure observed
    for *any* province. With ``as_of``, a target is also due once the edition
    describing its deadline year should have been published (``year +
    PUBLICATION_LAG <= as_of``: indices for survey year Y appear in Y+1); an
    edition that should exist but is absent from the data is then ``no_data``,
    not ``not_yet_due``. An index absent from the data altogether (the ICT
    Index today) says nothing about how far the data reach: without ``as_of``
    its targets are ``no_data``.
``no_data``
    Due, but the province's value is not in the data (the edition is only partly
    imported, the index is absent altogether, the target has no deadline, or its
    level or unit is not what the index measures). The ``reason`` column says which.
``conflicting``
    Two sources give different values for the same province, year and measure:
    no status is claimed.

Where sources give different values, the highest-precedence source is used
(official dataset > official report > derived > press,
:mod:`parstats.precedence`). Derived values — PAPI dimension scores, unweighted
totals and ranks that parstats computes from the published sub-dimension scores
(:mod:`parstats.derive`), which is how delivery and trajectories reach 2024 — are
used unless ``allow_derived=False``, and the row's ``derived`` column says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, get_args

from parstats.ambition import frame_schema, typed_frame
from parstats.catalogue import indicators
from parstats.errors import IncomparableScaleWarning, InputError
from parstats.indices import HEADLINE as _INDEX_HEADLINE
from parstats.warn import warn_user

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

Status = Literal["met", "missed", "not_yet_due", "no_data", "conflicting"]
STATUSES: tuple[str, ...] = get_args(Status)
PUBLICATION_LAG = 1
"""Years between a survey year and the publication of its index edition."""
TRAJECTORY_INDICES: tuple[str, ...] = ("PAR", "SIPAS", "PAPI", "PCI")
_INDEX_LEVELS = frozenset({"all"})


@dataclass(frozen=True)
class Observable:
    """How an index observes a catalogue indicator.

    Attributes
    ----------
    indicator
        Catalogue code.
    index
        Index name as in the ``indices`` table (``PAR``, ``PAPI``, ``PCI``,
        ``SIPAS``, ``ICT``).
    measure
        The index measure read (``rank`` or ``score``).
    unit
        The target unit the observation is comparable with.
    how
        ``exact``: the measure is the indicator; ``change``: the indicator is
        ``rank(Y-1) - rank(Y)`` (places gained); ``proxy``: the measure stands
        for the indicator (SIPAS, the share of citizens satisfied with the
        service of administrative agencies, for
        ``satisfaction_administrative_services``).
    """

    indicator: str
    index: str
    measure: str
    unit: str
    how: str


OBSERVABLE: tuple[Observable, ...] = (
    Observable("par_index_rank", "PAR", "rank", "rank", "exact"),
    Observable("papi_rank", "PAPI", "rank", "rank", "exact"),
    Observable("pci_rank", "PCI", "rank", "rank", "exact"),
    Observable("sipas_rank", "SIPAS", "rank", "rank", "exact"),
    Observable("ict_index_rank", "ICT", "rank", "rank", "exact"),
    Observable("pci_rank_change", "PCI", "rank", "rank_places", "change"),
    Observable("satisfaction_administrative_services", "SIPAS", "score", "percent", "proxy"),
)
"""Indicators an index observes. Satisfaction with procedures, with land and
investment procedures, and with health and education services are *not* here:
SIPAS publishes one overall figure per province in the data, which measures none
of them as such."""


# --------------------------------------------------------------------------- judging one target


@dataclass(frozen=True)
class Judgement:
    """The verdict on one observed value against one target.

    Attributes
    ----------
    met
        Whether the observation satisfies the target.
    margin
        How far inside the target's bound the observation lies, in the target's
        unit; negative when missed.
    bound
        The value compared with.
    """

    met: bool
    margin: float
    bound: float


def judge(
    observed: float, value: float, value_high: float | None, comparator: str, better: str
) -> Judgement | None:
    r"""Judge an observed value against a target.

    The target is read as a bound: a *floor* for ``ge``, ``gt``, for ``eq`` on a
    higher-is-better indicator and for the lower end of a ``range`` when higher
    is better; a *ceiling* for ``le``, ``lt``, ``eq`` on a lower-is-better
    indicator and the upper end of a ``range`` when lower is better. ``eq`` is
    read as "at least as good as": a plan saying *đạt 90%* does not count 95% as
    a failure, nor rank 3 as missing "rank 5".

    .. math:: m = o - b \text{ (floor)}, \qquad m = b - o \text{ (ceiling)}

    and the target is met when ``m >= 0`` (``m > 0`` for ``gt`` and ``lt``).
    A range commits to its worse end only ("tăng từ 2 đến 5 bậc" is met by
    gaining 2 or more places).

    Returns
    -------
    Judgement or None
        ``None`` when the bound is missing (a range without its upper end read
        as a ceiling).
    """
    floor = comparator in ("ge", "gt") or (comparator in ("eq", "range") and better == "higher")
    if comparator == "range" and not floor:
        if value_high is None or _isna(value_high):
            return None
        bound = float(value_high)
    else:
        bound = float(value)
    margin = float(observed) - bound if floor else bound - float(observed)
    strict = comparator in ("gt", "lt")
    return Judgement(met=margin > 0 if strict else margin >= 0, margin=margin, bound=bound)


def _isna(value: Any) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


# --------------------------------------------------------------------------- observations


def observations(indices: pd.DataFrame, allow_derived: bool = True) -> pd.DataFrame:
    """Return the index rows delivery can use, in one shape: one value per province-year.

    Needs the ``indices`` columns ``index``, ``province_code``, ``year``,
    ``measure``, ``value``; uses ``province``, ``is_aggregate``, ``sources`` (or
    ``source``; several sources in one cell are separated by
    :data:`parstats.indices.SEP`) and the derived flag (``origin == "derived"``,
    or a boolean ``derived``, or ``published == False``) when present. The
    measure is the canonical one (``measure_id``) when the frame has it, so
    ``rank`` and ``score`` mean the same whatever name a source printed.
    Rows without a province (averages), year or value are left out.

    Where several rows give one index, province, year and measure, the table of
    :func:`parstats.indices.load` carries each row's ``source_kind``: the value of
    the highest-precedence source is kept (official dataset > official report >
    derived > press, :func:`parstats.indices.settle`); when sources of equal
    precedence disagree every value is kept, so :func:`read` reports the conflict.
    Derived rows (PAPI sums and ranks of published sub-dimension scores) are used
    unless ``allow_derived=False``. A frame without ``source_kind`` keeps every
    published value and a derived one only where none is published.

    Returns
    -------
    DataFrame
        ``index``, ``province_code``, ``province``, ``year``, ``measure``,
        ``value``, ``derived``, ``source``.
    """
    import pandas as pd

    missing = {"index", "year", "measure", "value"} - set(indices.columns)
    if missing or not ({"province_code", "province"} & set(indices.columns)):
        raise InputError(
            f"indices lacks columns {sorted(missing) or ['province_code']}; "
            "expected the table of parstats.indices.load()"
        )
    measure = indices["measure"].astype("string")
    if "measure_id" in indices:
        measure = indices["measure_id"].astype("string").fillna(measure)
    out = pd.DataFrame(
        {
            "index": indices["index"].astype("string"),
            "province_code": indices.get("province_code", pd.Series(pd.NA, index=indices.index)),
            "province": indices.get("province", pd.Series(pd.NA, index=indices.index)),
            "year": pd.to_numeric(indices["year"], errors="coerce").astype("Int64"),
            "measure": measure,
            "value": pd.to_numeric(indices["value"], errors="coerce").astype("Float64"),
            "derived": _derived_flag(indices),
            "source": _source_column(indices),
            "_aggregate": indices["is_aggregate"].astype(bool)
            if "is_aggregate" in indices
            else False,
        }
    )
    out["province_code"] = out["province_code"].astype("string")
    out["province"] = out["province"].astype("string")
    out = out.dropna(subset=["year", "value"])
    out = out.loc[out["province_code"].notna() | out["province"].notna()]
    out = out.loc[~out["_aggregate"] & ~out["province"].fillna("").str.startswith("(")]
    out = out.drop(columns="_aggregate")
    if not allow_derived:
        out = out.loc[~out["derived"]]
    key = ["index", "province_code", "province", "year", "measure"]
    if allow_derived and {"preferred", "conflict"} <= set(indices.columns):
        # the table's own choice; where its best sources disagree, every value shows
        preferred = indices.loc[out.index, "preferred"].astype(bool)
        conflict = indices.loc[out.index, "conflict"].astype(bool)
        settled = preferred.groupby([out[k].fillna("") for k in key]).transform("any")
        out = out.loc[preferred | (conflict & ~settled)]
    elif {"source_kind", "value_text", "origin"} <= set(indices.columns):
        from parstats.indices import settle

        rows = indices.loc[out.index].assign(measure=out["measure"], province=out["province"],
                                             province_code=out["province_code"])
        chosen = settle(rows, key, indices.loc[indices["origin"] == "derived"].assign(
            measure=lambda f: f["measure_id"] if "measure_id" in f else f["measure"]))
        out = out.loc[list(chosen.rows.index) + list(chosen.unresolved.index)]
    else:
        has_pub = (~out["derived"]).groupby([out[k].fillna("") for k in key]).transform("any")
        out = out.loc[~(out["derived"] & has_pub)]
    return out.sort_values(["index", "measure", "province_code", "year", "value"]).reset_index(
        drop=True
    )


def _derived_flag(indices: pd.DataFrame) -> pd.Series:
    import pandas as pd

    if "origin" in indices:
        return (indices["origin"].astype("string") == "derived").fillna(False).astype(bool)
    if "derived" in indices:
        return indices["derived"].astype("boolean").fillna(False).astype(bool)
    if "published" in indices:
        return (~indices["published"].astype("boolean")).fillna(False).astype(bool)
    return pd.Series(False, index=indices.index)


def _source_column(indices: pd.DataFrame) -> pd.Series:
    import pandas as pd

    for col in ("sources", "source"):
        if col in indices:
            return indices[col].astype("string")
    return pd.Series(pd.NA, index=indices.index, dtype="string")


@dataclass(frozen=True)
class Reading:
    """The data's value of one index measure for one province and year.

    Attributes
    ----------
    value
        The value, or ``None`` when absent or when sources disagree.
    values
        Every distinct value found (two or more: the sources disagree).
    derived
        Whether the value is derived rather than published.
    source
        The sources, one a line (:data:`parstats.indices.SEP`), or ``None``.
    """

    value: float | None
    values: tuple[float, ...]
    derived: bool
    source: str | None

    @property
    def conflicting(self) -> bool:
        """Whether the sources give different values."""
        return len(self.values) > 1


def read(obs: pd.DataFrame, year: int) -> Reading:
    """Return the :class:`Reading` of one province's rows of one measure in ``year``."""
    rows = obs.loc[obs["year"] == year]
    values = tuple(sorted({float(v) for v in rows["value"]}))
    return Reading(
        value=values[0] if len(values) == 1 else None,
        values=values,
        derived=bool(rows["derived"].any()),
        source=_join_sources(rows["source"].dropna()),
    )


def _join_sources(cells: Any) -> str | None:
    """Return the distinct sources in ``cells`` (each may hold several), sorted, one a line."""
    from parstats.indices import SEP

    found = sorted({s for cell in cells for s in str(cell).split(SEP) if s})
    return SEP.join(found) if found else None


def _province_rows(obs: pd.DataFrame, code: Any, name: Any) -> pd.DataFrame:
    """Rows of one province: by GSO code when the document has one, else by name."""
    if not _isna(code):
        return obs.loc[(obs["province_code"] == str(code)).fillna(False)]
    if not _isna(name):
        return obs.loc[(obs["province"] == str(name)).fillna(False)]
    return obs.iloc[0:0]


# --------------------------------------------------------------------------- delivery status


@dataclass(frozen=True)
class Outcome:
    """The delivery status of one target and what it rests on."""

    status: str
    reason: str
    observed_year: Any = None
    observed_value: Any = None
    base_year: Any = None
    base_value: Any = None
    margin: Any = None
    derived: Any = None
    source: Any = None


def _due(year: int, last: int | None, as_of: int | None) -> bool:
    """Whether the index edition for ``year`` could be in the data (module docstring).

    An index absent from the data altogether says nothing about how far it
    reaches: without ``as_of`` its targets count as due (``no_data``).
    """
    if as_of is not None:
        return year + PUBLICATION_LAG <= as_of or (last is not None and year <= last)
    return last is None or year <= last


def assess(
    target: pd.Series,
    spec: Observable,
    rows: pd.DataFrame,
    last: int | None,
    as_of: int | None = None,
) -> Outcome:
    """Return the :class:`Outcome` of one target given its province's index rows.

    Parameters
    ----------
    target
        A ``targets`` row (``year``, ``value``, ``value_high``, ``comparator``,
        ``level``, ``unit``, ``indicator``).
    spec
        How the index observes the indicator.
    rows
        The province's rows of ``spec.index`` and ``spec.measure``
        (:func:`observations`).
    last
        Last year of that index and measure in the data (any province), or
        ``None`` if the data have none.
    as_of
        Optional reference year (see the module docstring).
    """
    better = indicators()[spec.indicator].better
    year = target["year"]
    if not _isna(target["level"]) and target["level"] not in _INDEX_LEVELS:
        return Outcome("no_data", f"level {target['level']}: the index describes the province")
    if target["unit"] != spec.unit:
        return Outcome("no_data", f"unit {target['unit']} is not the index's {spec.unit}")
    if _isna(year):
        return Outcome("no_data", "the target has no deadline year")
    year = int(year)
    years = (year - 1, year) if spec.how == "change" else (year,)
    readings = [read(rows, y) for y in years]
    if any(r.conflicting for r in readings):
        found = "; ".join(f"{y}: {list(r.values)}" for y, r in zip(years, readings, strict=True))
        return Outcome("conflicting", f"sources disagree ({found})")
    if any(r.value is None for r in readings):
        gaps = ", ".join(str(y) for y, r in zip(years, readings, strict=True) if r.value is None)
        where = "not in the data" if last is None else f"last year in the data: {last}"
        label = f"{spec.index} {spec.measure}"
        if not _due(year, last, as_of):
            return Outcome("not_yet_due", f"no {label} edition for {year} yet ({where})")
        return Outcome("no_data", f"no published {label} for the province in {gaps} ({where})")
    now = readings[-1]
    if spec.how == "change":
        observed = readings[0].value - now.value
        base_year, base_value = year - 1, readings[0].value
    else:
        observed, base_year, base_value = now.value, None, None
    verdict = judge(observed, target["value"], target["value_high"], target["comparator"], better)
    if verdict is None:
        return Outcome("no_data", "the target's bound is missing")
    note = f"{spec.how}: {spec.index} {spec.measure} against bound {verdict.bound:g}"
    if any(r.derived for r in readings):
        note += " (derived by parstats from published figures, not published itself)"
    return Outcome(
        status="met" if verdict.met else "missed",
        reason=note,
        observed_year=year,
        observed_value=observed,
        base_year=base_year,
        base_value=base_value,
        margin=verdict.margin,
        derived=any(r.derived for r in readings),
        source=_join_sources(r.source for r in readings if r.source),
    )


_DELIVERY = {
    "doc": "string",
    "target_no": "Int64",
    "indicator": "string",
    "province": "string",
    "province_code": "string",
    "year": "Int64",
    "comparator": "string",
    "value": "Float64",
    "value_high": "Float64",
    "unit": "string",
    "level": "string",
    "index": "string",
    "measure": "string",
    "observation": "string",
    "status": "string",
    "observed_year": "Int64",
    "observed_value": "Float64",
    "base_year": "Int64",
    "base_value": "Float64",
    "margin": "Float64",
    "derived": "boolean",
    "source": "string",
    "index_last_year": "Int64",
    "latest_year": "Int64",
    "latest_value": "Float64",
    "reason": "string",
}


def delivery_status(
    targets: pd.DataFrame,
    documents: pd.DataFrame,
    indices: pd.DataFrame,
    *,
    allow_derived: bool = True,
    as_of: int | None = None,
) -> pd.DataFrame:
    """Return the delivery status of every target an index can observe.

    Rows: every ``kind == "target"`` row whose indicator is in
    :data:`OBSERVABLE`, national documents excluded (the indices rank provinces),
    sorted by ``doc``, ``target_no``, ``indicator``. Status rules: module
    docstring and :func:`assess`; verdicts: :func:`judge`.

    Columns
    -------
    ``index``, ``measure``, ``observation``
        What observes the target, and how (``exact``, ``change``, ``proxy``).
    ``status``, ``reason``
        One of :data:`STATUSES`, and why.
    ``observed_year``, ``observed_value``
        The deadline year and the observed value (for a rank change,
        ``rank(year-1) - rank(year)``, places gained).
    ``base_year``, ``base_value``
        For a rank change, the year before and its rank.
    ``margin``
        Distance inside the target's bound (negative: missed by that much).
    ``derived``, ``source``
        Whether a derived value was used (never with ``allow_derived=False``), and
        the sources of the observation (for a derived value, those of its inputs).
    ``index_last_year``
        Last year of that index and measure in the data, any province.
    ``latest_year``, ``latest_value``
        The province's latest value of the measure up to the deadline, whatever
        the status (shows where a not-yet-due target stands); NA for changes.
    """
    import pandas as pd

    obs = observations(indices, allow_derived=allow_derived)
    specs = {s.indicator: s for s in OBSERVABLE}
    docs = documents.reindex(columns=["doc", "province", "province_code"]).drop_duplicates("doc")
    frame = targets.loc[(targets["kind"] == "target") & targets["indicator"].isin(list(specs))]
    # The processed targets table carries its document's province; take the documents'.
    frame = frame.drop(columns=[c for c in docs.columns.drop("doc") if c in frame])
    frame = frame.merge(docs, on="doc", how="left")
    frame = frame.loc[(frame["province"] != "national").fillna(True)]
    frame = frame.sort_values(["doc", "target_no", "indicator"], kind="stable")
    rows = []
    for _, t in frame.iterrows():
        spec = specs[t["indicator"]]
        measure = obs.loc[(obs["index"] == spec.index) & (obs["measure"] == spec.measure)]
        last = None if measure.empty else int(measure["year"].max())
        mine = _province_rows(measure, t["province_code"], t["province"])
        outcome = assess(t, spec, mine, last, as_of)
        latest = mine.loc[mine["year"] <= t["year"]] if not _isna(t["year"]) else mine.iloc[0:0]
        latest_reading = None
        if spec.how != "change" and not latest.empty:
            latest_reading = read(latest, int(latest["year"].max()))
        row = {c: t.get(c, pd.NA) for c in _DELIVERY if c in t.index}
        row |= {
            "index": spec.index,
            "measure": spec.measure,
            "observation": spec.how,
            "status": outcome.status,
            "reason": outcome.reason,
            "observed_year": outcome.observed_year,
            "observed_value": outcome.observed_value,
            "base_year": outcome.base_year,
            "base_value": outcome.base_value,
            "margin": outcome.margin,
            "derived": outcome.derived,
            "source": outcome.source,
            "index_last_year": last,
            "latest_year": None if latest_reading is None else int(latest["year"].max()),
            "latest_value": None if latest_reading is None else latest_reading.value,
        }
        rows.append(row)
    out = typed_frame(pd.DataFrame(rows, columns=list(_DELIVERY)), _DELIVERY)
    return out


# --------------------------------------------------------------------------- index trajectories


_TRAJECTORY = {
    "doc": "string",
    "province": "string",
    "province_code": "string",
    "period_start": "Int64",
    "period_end": "Int64",
    "index": "string",
    "base_year": "Int64",
    "end_year": "Int64",
    "score_base": "Float64",
    "score_end": "Float64",
    "score_change": "Float64",
    "score_comparable": "boolean",
    "score_measure": "string",
    "rank_base": "Float64",
    "rank_end": "Float64",
    "rank_gain": "Float64",
    "latest_year": "Int64",
    "score_latest": "Float64",
    "rank_latest": "Float64",
    "score_scales": "string",
    "derived": "boolean",
    "source": "string",
    "note": "string",
}


SCORE_MEASURE = "score"
"""The measure a trajectory reads first; a ``total (...)`` measure stands in for it."""
HEADLINE = _INDEX_HEADLINE
"""The canonical measure a trajectory reads as an index's score
(:data:`parstats.indices.HEADLINE`: PAPI's is the unweighted total)."""


@dataclass(frozen=True)
class ScoreReading:
    """A province's overall index score in one year, and the measure it was read from.

    Attributes
    ----------
    reading
        The :class:`Reading`; its value is ``None`` when absent, when sources
        disagree, or when several different totals are published that year.
    measure
        ``score``, the ``total (...)`` measure used in its place, or ``None``.
    note
        Why no value was taken from several totals, else ``None``.
    """

    reading: Reading
    measure: str | None
    note: str | None = None


def _is_total(measure: str) -> bool:
    from parstats.scales import measure_kind

    try:
        return measure_kind(measure) == "total"
    except InputError:
        return False


def read_score(rows: pd.DataFrame, year: int, headline: str | None = None) -> ScoreReading:
    """Return one province's overall score in ``year`` from its rows of one index.

    With ``headline`` (a canonical measure, :data:`HEADLINE`) that measure's value.
    Without it (frames with published names only): the ``score`` measure when the
    year has one; otherwise the year's ``total (...)`` measure. A year with a
    ``score`` row is never completed from a total, and a year with several
    different total measures (weighted and unweighted, say) gives no value.
    """
    in_year = rows.loc[rows["year"] == year]
    if headline is not None:
        return ScoreReading(read(in_year.loc[in_year["measure"] == headline], year), headline)
    score = in_year.loc[in_year["measure"] == SCORE_MEASURE]
    if not score.empty:
        return ScoreReading(read(score, year), SCORE_MEASURE)
    totals = in_year.loc[in_year["measure"].astype(str).map(_is_total)]
    labels = sorted(set(totals["measure"].astype(str)))
    if len(labels) == 1:
        return ScoreReading(read(totals, year), labels[0])
    empty = read(in_year.iloc[0:0], year)
    if not labels:
        return ScoreReading(empty, None)
    return ScoreReading(empty, None, f"score {year}: several totals ({' | '.join(labels)})")


def _score_measure_label(used: dict[int, str]) -> str | None:
    """Return the one measure behind a row's scores, or ``YEAR: measure`` lines if they differ."""
    from parstats.indices import SEP

    if not used:
        return None
    if len(set(used.values())) == 1:
        return next(iter(used.values()))
    return SEP.join(f"{y}: {m}" for y, m in sorted(used.items()))


def index_trajectories(
    documents: pd.DataFrame, indices: pd.DataFrame, *, allow_derived: bool = True
) -> pd.DataFrame:
    r"""Return each plan's index trajectory over its period, one row per plan and index.

    For a plan covering ``period_start`` to ``period_end`` and each index of
    :data:`TRAJECTORY_INDICES`, with ``b = period_start - 1`` (the year before
    the plan) and ``e = period_end``:

    .. math:: \Delta_{score} = score_e - score_b, \qquad
              gain_{rank} = rank_b - rank_e

    (positive ``rank_gain``: places gained). A year's score is the index's
    headline measure (:data:`HEADLINE`: ``score``; for PAPI the unweighted total,
    published for 2011-2017 and derived from the sub-dimension scores for every
    year to 2024), read with :func:`read_score`; in a frame without canonical
    measures, the ``score`` measure or the year's ``total (...)``.
    ``score_measure`` says which was used. ``score_change`` is NA when either
    score is missing or the two values are on different scales
    (:func:`parstats.scales.scale_for` gives them a different version, unit,
    bounds or description; e.g. PAPI 2017 and 2020, PAR 2021 and 2023):
    ``score_comparable`` is then false and an
    :class:`~parstats.errors.IncomparableScaleWarning` says how many;
    ``score_scales`` names the versions of the scores read, so the PAPI break of
    2018 shows. Ranks are always comparable (1 = best of 63). ``latest_year``,
    ``score_latest``, ``rank_latest`` give the latest year in ``(b, e]`` with a
    score or rank, for plans whose end is not in the data yet. Derived values
    are used unless ``allow_derived=False`` (``derived`` says when). A year where
    sources disagree counts as missing (``note`` says so). National documents
    and documents without a period get no rows.
    """
    import pandas as pd

    from parstats.scales import scale_for

    obs = observations(indices, allow_derived=allow_derived)
    canonical = "measure_id" in indices.columns
    docs = documents.reindex(
        columns=["doc", "province", "province_code", "period_start", "period_end"]
    ).drop_duplicates("doc")
    docs = docs.loc[(docs["province"] != "national").fillna(True)]
    docs = docs.dropna(subset=["period_start", "period_end"]).sort_values("doc")
    rows, withheld = [], 0
    for _, d in docs.iterrows():
        b, e = int(d["period_start"]) - 1, int(d["period_end"])
        for index in TRAJECTORY_INDICES:
            headline = HEADLINE[index] if canonical else None
            mine = _province_rows(obs.loc[obs["index"] == index], d["province_code"], d["province"])
            rank = mine.loc[mine["measure"] == "rank"]
            scores = {y: read_score(mine, y, headline) for y in (b, e)}
            readings = {("score", y): sr.reading for y, sr in scores.items()}
            readings |= {("rank", y): read(rank, y) for y in (b, e)}
            notes = [
                f"{m} {y}: sources disagree" for (m, y), r in readings.items() if r.conflicting
            ]
            notes += [sr.note for sr in scores.values() if sr.note]
            # A missing side is taken on the other side's measure: the years decide.
            mb = scores[b].measure or scores[e].measure or SCORE_MEASURE
            me = scores[e].measure or mb
            scale_b, scale_e = scale_for(index, b, mb), scale_for(index, e, me)
            comparable = replace(scale_b, kind=scale_e.kind) == scale_e
            sb, se = scores[b].reading.value, scores[e].reading.value
            rb, re_ = readings[("rank", b)].value, readings[("rank", e)].value
            change = None if sb is None or se is None or not comparable else se - sb
            if sb is not None and se is not None and not comparable:
                withheld += 1
                notes.append(
                    f"score change withheld: {b} {scale_b.label} [{scale_b.note}] vs "
                    f"{e} {scale_e.label} [{scale_e.note}]"
                )
            window = mine.loc[(mine["year"] > b) & (mine["year"] <= e)]
            if headline is not None:
                window = window.loc[window["measure"].isin([headline, "rank"])]
            else:
                window = window.loc[
                    window["measure"]
                    .astype(str)
                    .map(lambda m: m in (SCORE_MEASURE, "rank") or _is_total(m))
                ]
            ly = None if window.empty else int(window["year"].max())
            latest = None if ly is None else read_score(mine, ly, headline)
            used = {y: sr.measure for y, sr in scores.items() if sr.reading.value is not None}
            if latest is not None and latest.reading.value is not None:
                used[ly] = latest.measure
            read_years = sorted(used)
            versions = list(dict.fromkeys(scale_for(index, y, used[y]).version
                                          for y in read_years))
            derived = any(
                r.derived for r in [*readings.values(), *([latest.reading] if latest else [])]
            ) or (ly is not None and read(rank, ly).derived)
            rows.append(
                {
                    "doc": d["doc"],
                    "province": d["province"],
                    "province_code": d["province_code"],
                    "period_start": d["period_start"],
                    "period_end": d["period_end"],
                    "index": index,
                    "base_year": b,
                    "end_year": e,
                    "score_base": sb,
                    "score_end": se,
                    "score_change": change,
                    "score_comparable": comparable,
                    "score_measure": _score_measure_label(used),
                    "rank_base": rb,
                    "rank_end": re_,
                    "rank_gain": None if rb is None or re_ is None else rb - re_,
                    "latest_year": ly,
                    "score_latest": None if latest is None else latest.reading.value,
                    "rank_latest": None if ly is None else read(rank, ly).value,
                    "score_scales": " | ".join(versions) if versions else None,
                    "derived": derived,
                    "source": _join_sources(r.source for r in readings.values() if r.source),
                    "note": "; ".join(notes) if notes else None,
                }
            )
    if withheld:
        warn_user(
            f"{withheld} plan trajectories have scores on two scales; "
            "their score_change is NA (ranks are still compared)",
            IncomparableScaleWarning
        )
    from parstats.schema import validate

    out = typed_frame(pd.DataFrame(rows, columns=list(_TRAJECTORY)), _TRAJECTORY)
    return validate(out, _make_trajectory_schema(), "index_trajectories")


# --------------------------------------------------------------------------- entry point and schema


def build_frame(
    targets: pd.DataFrame,
    documents: pd.DataFrame,
    indices: pd.DataFrame | None = None,
    *,
    allow_derived: bool = True,
    as_of: int | None = None,
) -> pd.DataFrame:
    """Return the ``delivery`` table (one row per observable target), validated by :data:`SCHEMA`.

    ``indices`` defaults to :func:`parstats.indices.load`.
    """
    if indices is None:
        from parstats.indices import load

        indices = load()
    from parstats.schema import validate

    frame = delivery_status(targets, documents, indices, allow_derived=allow_derived, as_of=as_of)
    return validate(frame, _make_schema(), "delivery")


_DESCRIPTIONS = {
    "doc": "Document (file stem)",
    "target_no": "1-based order of the target in its document",
    "indicator": "Catalogue indicator code",
    "province": "Province of the document (pre-2025 name)",
    "province_code": "GSO code of the province (pre-2025)",
    "year": "Deadline year of the target",
    "comparator": "ge, gt, eq, le, lt or range",
    "value": "The target's number",
    "value_high": "Upper end of a range",
    "unit": "Unit of the target",
    "level": "Tier of government of the target (the indices describe the province: all)",
    "index": "Index observing the indicator (PAR, PAPI, PCI, SIPAS, ICT)",
    "measure": "Index measure read (rank or score)",
    "observation": "exact: the measure is the indicator; change: rank(year-1) - rank(year); "
    "proxy: SIPAS score for satisfaction with administrative services",
    "status": "met, missed, not_yet_due (no edition of the index for the deadline year in the "
    "data), no_data (due but the province's value is absent), conflicting (sources disagree)",
    "observed_year": "Year of the observation (the deadline year)",
    "observed_value": "Observed value; for a rank change, places gained",
    "base_year": "For a rank change: the year before the deadline",
    "base_value": "For a rank change: the rank that year",
    "margin": "Distance inside the target's bound, in its unit; negative = missed by that much",
    "derived": "True if a derived (not published) value was used",
    "source": "Sources of the observation, one a line",
    "index_last_year": "Last year of this index and measure in the data, any province",
    "latest_year": "The province's latest year with a value up to the deadline",
    "latest_value": "The value that year",
    "reason": "Why the status (what was compared, or what is missing)",
}


@lru_cache(maxsize=1)
def _make_schema() -> Any:
    import pandera.pandas as pa

    checks = {
        "status": pa.Check.isin(STATUSES),
        "observation": pa.Check.isin(("exact", "change", "proxy")),
        "index": pa.Check.isin(tuple(sorted({s.index for s in OBSERVABLE}))),
        "indicator": pa.Check.isin(tuple(s.indicator for s in OBSERVABLE)),
    }
    return frame_schema(
        "delivery",
        "Status of every plan target an index observes: met, missed, not yet due, no data or "
        "conflicting, with the observation and its source",
        _DELIVERY,
        _DESCRIPTIONS,
        checks=checks,
        required=frozenset(
            {"doc", "target_no", "indicator", "index", "measure", "status", "reason"}
        ),
        unique=["doc", "target_no"],
    )


_TRAJECTORY_DESCRIPTIONS = {
    "doc": "Plan (file stem)",
    "province": "Province of the plan (pre-2025 name)",
    "province_code": "GSO code of the province (pre-2025)",
    "period_start": "First year the plan covers",
    "period_end": "Last year the plan covers",
    "index": "PAR, SIPAS, PAPI or PCI",
    "base_year": "period_start - 1: the year before the plan",
    "end_year": "period_end",
    "score_base": "Published score in base_year (the score measure, else the year's total)",
    "score_end": "Published score in end_year (the score measure, else the year's total)",
    "score_change": "score_end - score_base; NA if either is missing or the scales differ",
    "score_comparable": "Whether the base_year and end_year scores share one scale "
    "(parstats.scales: version, unit, bounds and description)",
    "score_measure": "Index measure the scores were read from: score, or a total (...) where "
    "the year has no score; 'YEAR: measure' lines when the years differ",
    "rank_base": "Published rank in base_year (1 = best)",
    "rank_end": "Published rank in end_year",
    "rank_gain": "rank_base - rank_end: places gained over the plan",
    "latest_year": "Latest year after base_year, up to end_year, with a score or rank",
    "score_latest": "Score in latest_year",
    "rank_latest": "Rank in latest_year",
    "score_scales": "Scale versions of the scores read (base, end, latest), ' | '-joined: two "
    "versions mark a scale break (PAPI 6-60 to 2017, 8-80 from 2018)",
    "derived": "True if a value used is derived (a PAPI total or rank computed from the "
    "published sub-dimension scores)",
    "source": "Sources of the base and end values, one a line",
    "note": "Disagreeing sources, withheld score changes",
}


@lru_cache(maxsize=1)
def _make_trajectory_schema() -> Any:
    import pandera.pandas as pa

    return frame_schema(
        "index_trajectories",
        "Each plan's index score and rank from the year before the plan to its last year",
        _TRAJECTORY,
        _TRAJECTORY_DESCRIPTIONS,
        checks={"index": pa.Check.isin(TRAJECTORY_INDICES)},
        required=frozenset({"doc", "index", "base_year", "end_year", "score_comparable"}),
        unique=["doc", "index"],
    )


def __getattr__(name: str) -> Any:
    # The schemas need pandera (and so pandas); build them on first access only.
    if name == "SCHEMA":
        return _make_schema()
    if name == "TRAJECTORY_SCHEMA":
        return _make_trajectory_schema()
    raise AttributeError(f"module 'parstats.delivery' has no attribute {name!r}")
