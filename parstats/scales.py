"""Scale and version metadata of the governance indices, per index, year and measure.

Index values are only comparable within one *scale version*: the same index,
measure, unit and bounds, computed under the same methodology. The breaks
recorded here come from ``data/raw/indices/SOURCES.md``:

- PAPI: 6 dimensions on a 6-60 scale up to 2017; 8 dimensions on 8-80 from
  2018; weighted and unweighted totals differ, and PAPI itself warns against
  comparing 2018+ aggregates with earlier years.
- PAR Index (*Chỉ số cải cách hành chính*): points out of 100 up to 2017, a
  percentage later; criteria revised in 2017, 2022 and 2024.
- PCI, SIPAS, PGI: no break recorded; one version each.

:func:`check_comparable` is what plotting and modelling code calls before it
puts several years on one axis: it warns (or raises) with the years and scales.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, get_args

from parstats.errors import IncomparableScaleWarning, InputError
from parstats.warn import warn_user

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

ScaleUnit = Literal["points", "percent", "rank", "category", "text"]
SCALE_UNITS: tuple[str, ...] = get_args(ScaleUnit)

MeasureKind = Literal[
    "score",
    "rank",
    "total",
    "dimension",
    "sub-dimension",
    "sub-index",
    "component",
    "dimension rank",
    "tier",
    "group",
    "note",
]
MEASURE_KINDS: tuple[str, ...] = get_args(MeasureKind)

# Pre-2025 provinces ranked in every index year covered (Resolution 202/2025/QH15
# took effect on 1 July 2025; no index year here is measured on the 34 new units).
N_RANKED = 63
LAST_PRE2025_YEAR = 2024


@dataclass(frozen=True)
class Scale:
    """How one index measure is expressed in one year.

    Attributes
    ----------
    index
        ``PAR``, ``SIPAS``, ``PAPI``, ``PCI`` or ``PGI``.
    kind
        The measure kind (``score``, ``rank``, ``total``, ``dimension`` ...).
    unit
        ``points``, ``percent``, ``rank``, ``category`` or ``text``.
    low, high
        Bounds of the scale, or ``None`` where no source states them.
    version
        The comparability segment: values with different versions must not be
        read on one axis without saying so.
    note
        Where the scale comes from and what changed.
    """

    index: str
    kind: str
    unit: str
    low: float | None
    high: float | None
    version: str
    note: str

    @property
    def numeric(self) -> bool:
        """Whether values on this scale are numbers (not tiers or notes)."""
        return self.unit in ("points", "percent", "rank")

    def contains(self, value: float) -> bool:
        """Return whether ``value`` lies within the scale's bounds (unknown bounds admit all)."""
        if self.low is not None and value < self.low:
            return False
        return not (self.high is not None and value > self.high)

    @property
    def label(self) -> str:
        """Short text such as ``"points 6-60 (PAPI 2011-2017, 6 dimensions)"``."""
        bounds = ""
        if self.low is not None or self.high is not None:
            bounds = f" {_fmt(self.low)}-{_fmt(self.high)}"
        return f"{self.unit}{bounds} ({self.version})"


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:g}"


_TEXT_KINDS = {"tier": "category", "group": "category", "note": "text"}


@lru_cache(maxsize=1024)
def measure_kind(measure: str) -> str:
    """Return the kind of a published measure label.

    ``"score"`` -> ``score``; ``"total (weighted PAPI score, 10-80 scale)"`` ->
    ``total``; ``"dimension: Transparency"`` -> ``dimension``; ``"rank: E-governance"``
    -> ``dimension rank``.

    Raises
    ------
    InputError
        If the label is none of the kinds in :data:`MEASURE_KINDS`.
    """
    text = measure.strip()
    head = re.split(r"[:(]", text, maxsplit=1)[0].strip().lower()
    if head == "rank" and ":" in text:
        return "dimension rank"
    if head in MEASURE_KINDS:
        return head
    raise InputError(
        f"measure {measure!r} is not one of: score, rank, tier, group, note, 'total (...)', "
        "'dimension: NAME', 'sub-dimension: NAME', 'sub-index: NAME', 'component: NAME', "
        "'rank: NAME'",
        value=measure,
    )


def _par_version(year: int) -> str:
    if year < 2017:
        return "PAR before the 2017 criteria (points of 100)"
    if year == 2017:
        return "PAR 2017 criteria, points of 100 (2017)"
    if year < 2022:
        return "PAR 2017 criteria, percent (2018-2021)"
    if year < 2024:
        return "PAR 2022 criteria, percent (2022-2023)"
    return "PAR 2024 criteria, percent (2024-)"


def _papi_version(year: int) -> str:
    if year <= 2017:
        return "PAPI 6 dimensions (2011-2017)"
    return "PAPI 8 dimensions (2018-)"


_VERSION = {
    "PCI": lambda year: "PCI (no break recorded)",
    "SIPAS": lambda year: "SIPAS (no break recorded)",
    "PGI": lambda year: "PGI (no break recorded)",
    "PAR": _par_version,
    "PAPI": _papi_version,
}


def _kind_and_id(index: str, year: int, measure: str) -> tuple[str, str | None]:
    """Return the kind and canonical id of a measure named by a canonical id or published name.

    Names the catalogue (:mod:`parstats.measures`) does not know are read by their
    published form (:func:`measure_kind`), with no canonical id.
    """
    from parstats.measures import resolve

    try:
        found = resolve(index, measure, year)
    except InputError:
        return measure_kind(measure), None
    return found.kind, found.id


@lru_cache(maxsize=4096)
def scale_for(index: str, year: int, measure: str) -> Scale:
    """Return the scale of ``measure`` of ``index`` in ``year``.

    Parameters
    ----------
    index
        One of :data:`parstats.vocab.INDEX_NAMES`.
    year
        The survey year the index describes.
    measure
        A canonical measure id or a published measure label (see
        :mod:`parstats.measures` and :func:`measure_kind`).

    Raises
    ------
    InputError
        If the index or measure is unknown.
    """
    from parstats.vocab import INDEX_NAMES, check

    check(index, INDEX_NAMES, "index")
    kind, mid = _kind_and_id(index, int(year), measure)
    version = _VERSION[index](int(year))
    if kind in _TEXT_KINDS:
        return Scale(index, kind, _TEXT_KINDS[kind], None, None, version, "published text")
    if kind in ("rank", "dimension rank"):
        return Scale(
            index, kind, "rank", 1.0, float(N_RANKED), version,
            f"1 = best of the {N_RANKED} pre-2025 provinces",
        )  # fmt: skip
    of = re.search(r"\(of ([\d.]+)\)", measure)
    if kind == "component" and of:
        return Scale(index, kind, "points", 0.0, float(of.group(1)), version, "bounds from label")
    if kind == "component" and mid is not None:
        from parstats.measures import get

        label = get(index, mid).label_en
        of = re.search(r"\(of ([\d.]+)\)", label)
        if of:
            return Scale(index, kind, "points", 0.0, float(of.group(1)), version,
                         "bounds from label")
    if index == "PAPI":
        return _papi_scale(int(year), kind, measure, mid, version)
    if index == "PAR":
        unit = "points" if int(year) <= 2017 else "percent"
        note = "points out of 100 up to 2017, percent later; criteria revised 2017, 2022, 2024"
        return Scale(index, kind, unit, 0.0, 100.0, version, note)
    if index == "SIPAS":
        return Scale(index, kind, "percent", 0.0, 100.0, version, "share of satisfied citizens")
    if index == "PCI":
        if kind == "sub-index":
            return Scale(index, kind, "points", 0.0, 10.0, version, "PCI sub-indices are 0-10")
        if mid == "total_unweighted":
            return Scale(index, kind, "points", 0.0, 100.0, version,
                         "unweighted sum of the sub-indices (within 0-100)")
        return Scale(index, kind, "points", 0.0, 100.0, version, "PCI composite is 0-100")
    # PGI: no source here states the bounds; they stay unknown rather than guessed.
    return Scale(index, kind, "points", None, None, version, "bounds not recorded in SOURCES.md")


def _papi_scale(year: int, kind: str, measure: str, mid: str | None, version: str) -> Scale:
    if kind in ("dimension", "sub-dimension"):
        note = "dimension scores are 1-10; sub-dimensions add up to their dimension"
        low = 1.0 if kind == "dimension" else 0.0
        return Scale("PAPI", kind, "points", low, 10.0, version, note)
    if mid is None:
        weighted = "weighted" in measure and "un-weighted" not in measure.lower()
    else:
        weighted = mid == "total_weighted"
    if year <= 2017:
        if weighted:
            return Scale(
                "PAPI", kind, "points", 6.0, 60.0, version,
                "weighted total of 6 dimensions (6-60)",
            )  # fmt: skip
        return Scale(
            "PAPI", kind, "points", 6.0, 60.0, version,
            "unweighted sum of 6 dimension scores (6-60)",
        )  # fmt: skip
    if weighted:
        note = "weighted total of 8 dimensions (8-80; the source labels it 10-80)"
    elif mid == "total_unweighted":
        note = "unweighted sum of 8 dimension scores (8-80)"
    else:
        note = "aggregate of 8 dimension scores (8-80); weighting not stated by the source"
    return Scale("PAPI", kind, "points", 8.0, 80.0, version, note)


# --------------------------------------------------------------------------- comparability


@dataclass(frozen=True)
class Segment:
    """A run of years whose values share one scale version and can share an axis.

    Attributes
    ----------
    index, measure
        What the values are.
    version, unit, low, high
        The shared scale.
    origin
        ``published`` or ``derived``.
    years
        The years in the segment, ascending.
    """

    index: str
    measure: str
    version: str
    unit: str
    low: float | None
    high: float | None
    origin: str
    years: tuple[int, ...]

    @property
    def label(self) -> str:
        """Human-readable description with the years."""
        span = f"{self.years[0]}-{self.years[-1]}" if len(self.years) > 1 else f"{self.years[0]}"
        bounds = f" {_fmt(self.low)}-{_fmt(self.high)}" if self.unit != "text" else ""
        origin = "" if self.origin == "published" else f", {self.origin}"
        return f"{self.index} {self.measure} {span}: {self.unit}{bounds} [{self.version}{origin}]"

    def select(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Return the rows of ``frame`` that belong to this segment."""
        mask = (
            (frame["index"] == self.index)
            & (frame["measure"] == self.measure)
            & (frame["scale_version"] == self.version)
            & (frame["origin"] == self.origin)
            & frame["year"].isin(self.years)
        )
        return frame.loc[mask]


@dataclass(frozen=True)
class Comparability:
    """Whether a frame's values can share an axis, and its segments."""

    comparable: bool
    segments: tuple[Segment, ...]

    @property
    def message(self) -> str:
        """One line per segment; empty when comparable."""
        if self.comparable:
            return ""
        return "values on different scales or versions:\n" + "\n".join(
            f"  - {s.label}" for s in self.segments
        )


_SEGMENT_COLUMNS = ("index", "measure", "scale_version", "unit", "scale_min", "scale_max", "origin")


def comparable_segments(frame: pd.DataFrame) -> tuple[Segment, ...]:
    """Split a frame of index rows into segments that share one scale.

    Parameters
    ----------
    frame
        Rows of :func:`parstats.indices.load` (needs ``index``, ``measure``,
        ``year``, ``scale_version``, ``unit``, ``scale_min``, ``scale_max``, ``origin``).

    Returns
    -------
    tuple of Segment
        Ordered by index, measure, first year.
    """
    missing = [c for c in (*_SEGMENT_COLUMNS, "year") if c not in frame.columns]
    if missing:
        raise InputError(f"frame lacks the scale columns {missing}; use parstats.indices.load()")
    out: list[Segment] = []
    if frame.empty:
        return ()
    keys = frame.loc[:, list(_SEGMENT_COLUMNS)].astype(object)
    keys = keys.where(keys.notna(), None)
    years = frame["year"].astype(int).tolist()
    groups: dict[tuple, set[int]] = {}
    for row, year in zip(keys.itertuples(index=False, name=None), years, strict=True):
        groups.setdefault(row, set()).add(year)
    for (index, measure, version, unit, low, high, origin), ys in groups.items():
        out.append(
            Segment(
                index=index,
                measure=measure,
                version=version,
                unit=unit,
                low=None if low is None else float(low),
                high=None if high is None else float(high),
                origin=origin,
                years=tuple(sorted(ys)),
            )
        )
    return tuple(sorted(out, key=lambda s: (s.index, s.measure, s.years[0], s.version, s.origin)))


def check_comparable(
    frame: pd.DataFrame, *, errors: Literal["warn", "raise", "ignore"] = "warn"
) -> Comparability:
    """Check that every value in ``frame`` is on one scale before it goes on one axis.

    Parameters
    ----------
    frame
        Index rows (see :func:`comparable_segments`).
    errors
        ``"warn"`` issues :class:`~parstats.errors.IncomparableScaleWarning`;
        ``"raise"`` raises :class:`~parstats.errors.InputError`; ``"ignore"``
        only returns the result.

    Returns
    -------
    Comparability
        ``comparable`` is false when the rows span several indices, measures,
        scale versions, bounds, or mix published with derived values; the
        message lists each segment with its years and scale.
    """
    segments = comparable_segments(frame)
    result = Comparability(comparable=len(segments) <= 1, segments=segments)
    if not result.comparable:
        if errors == "raise":
            raise InputError(result.message)
        if errors == "warn":
            warn_user(result.message, IncomparableScaleWarning)
    return result
