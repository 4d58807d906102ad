"""Everything one province report shows, gathered in one call.

:func:`province_report` returns a frozen :class:`ProvinceReport` of tables
for one province (*tỉnh*) and one year: the plans in force (*kế hoạch cải
cách hành chính*) and their targets (*chỉ tiêu*), ambition against peers and
the national programme, the index trajectories (PAR Index, SIPAS, PAPI, PCI),
the delivery table, and an explicit list of what is missing. The report
template and the exploration notebooks only call this module and
:mod:`parstats.plots`.

Processed tables are read from one generation of ``data/processed``
(:func:`parstats.processed.resolve`, once per report), checked against its
``datapackage.json``, and kept in memory for as long as their files do not
change, so a warm kernel that runs many reports reads each table once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.processed import Generation
    from parstats.provinces import Province

TABLES: tuple[str, ...] = (
    "documents", "targets", "indices", "ambition", "delivery", "trajectories"
)
REPORT_INDICES: tuple[str, ...] = ("PAR", "SIPAS", "PAPI", "PCI")
# Plan indicators that are a province's rank in a published index.
RANK_INDICATORS: dict[str, str] = {
    "par_index_rank": "PAR",
    "sipas_rank": "SIPAS",
    "papi_rank": "PAPI",
    "pci_rank": "PCI",
}
INDEX_LABELS: dict[str, str] = {
    "PAR": "PAR Index (Chỉ số cải cách hành chính)",
    "SIPAS": "SIPAS (Chỉ số hài lòng về sự phục vụ hành chính)",
    "PAPI": "PAPI (Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh)",
    "PCI": "PCI (Chỉ số năng lực cạnh tranh cấp tỉnh)",
}
NATIONAL = "national"
BAND_MIN_PROVINCES = 50
"""A national median and inter-quartile band is drawn for an index-year only when at
least this many of the 63 provinces have a figure (top-10 lists and provinces' own
announcements would make a biased "median")."""
REGION_MIN_PROVINCES = 3
"""A region's median and band need at least this many of its provinces."""
# The MIME type under which a report displays its headline figures; the runner
# reads it from the executed notebook (no scraping of text).
HEADLINE_MIME = "application/vnd.parstats.headline+json"


# --------------------------------------------------------------------------- tables


@lru_cache(maxsize=16)
def _read_parquet(path: str, mtime_ns: int, size: int, shown: str) -> pd.DataFrame:
    from pathlib import Path

    from parstats.processed import read_parquet_checked as read_checked

    return read_checked(Path(path), Path(shown))


def load_table(name: str, generation: Generation | None = None) -> pd.DataFrame | None:
    """Return the processed table ``name`` (a copy), or ``None`` if it is not built.

    The file is checked against the generation's ``datapackage.json``, read
    once and kept until it changes on disk.

    Parameters
    ----------
    name
        The table.
    generation
        Read from this resolved generation (a report reads all its tables from
        one); by default the current one.

    Raises
    ------
    DamagedDataError
        If the file is damaged, half-written or from another build.
    """
    from parstats import processed

    gen = processed.resolve() if generation is None else generation
    file = f"{name}.parquet"
    path = gen.path / file
    try:
        stat = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        if gen.listed(file):
            gen.verify(file)  # raises: listed but missing
        return None
    gen.verify(file)
    return _read_parquet(str(path), stat.st_mtime_ns, stat.st_size, str(gen.shown(file))).copy()


def load_tables(names: tuple[str, ...] = TABLES) -> dict[str, pd.DataFrame | None]:
    """Return several processed tables read from one generation (``None`` for those not built)."""
    from parstats import processed

    return processed.read(lambda gen: {name: load_table(name, gen) for name in names})


def warm() -> None:
    """Read every processed table into memory (a batch worker's kernel calls this once)."""
    load_tables(TABLES)


# --------------------------------------------------------------------------- the grid


@dataclass(frozen=True)
class GridCell:
    """One province-year that has a plan in force or index data.

    Attributes
    ----------
    province_code
        GSO code before 2025.
    year
        The year.
    """

    province_code: str
    year: int


def plan_years(documents: pd.DataFrame) -> pd.DataFrame:
    """Return ``province_code, year`` for every year each provincial plan covers."""
    import pandas as pd

    docs = documents.dropna(subset=["province_code", "period_start"])
    rows = []
    for code, start, end in docs[["province_code", "period_start", "period_end"]].itertuples(
        index=False
    ):
        last = int(end) if pd.notna(end) else int(start)
        rows.extend((str(code), year) for year in range(int(start), last + 1))
    return pd.DataFrame(rows, columns=["province_code", "year"])


def plan_grid() -> tuple[GridCell, ...]:
    """Return every province-year with a provincial plan in force, sorted."""
    documents = load_tables(("documents",))["documents"]
    if documents is None:
        return ()
    years = plan_years(documents).drop_duplicates().sort_values(["province_code", "year"])
    return tuple(GridCell(str(c), int(y)) for c, y in years.itertuples(index=False))


def report_grid() -> tuple[GridCell, ...]:
    """Return every province-year with a plan in force or a PAR/SIPAS/PAPI/PCI figure, sorted."""
    import pandas as pd

    parts = []
    tables = load_tables(("documents", "indices"))
    documents = tables["documents"]
    if documents is not None:
        parts.append(plan_years(documents))
    indices = tables["indices"]
    if indices is not None:
        rows = indices[indices["index"].isin(REPORT_INDICES)].dropna(subset=["province_code"])
        parts.append(rows[["province_code", "year"]])
    if not parts:
        return ()
    grid = pd.concat(parts).astype({"province_code": str, "year": int}).drop_duplicates()
    grid = grid.sort_values(["province_code", "year"])
    return tuple(GridCell(c, int(y)) for c, y in grid.itertuples(index=False))


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class Headline:
    """The figures a report records into ``reports/results.parquet``.

    ``None`` means the report did not have the figure (never 0).
    """

    province_code: str
    province: str
    slug: str
    year: int
    n_plans: int
    n_targets: int
    n_areas: int
    ambition_peer_percentile: float | None
    ambition_gap_national_pp: float | None
    delivery_met: int | None
    delivery_missed: int | None
    delivery_not_yet_due: int | None
    delivery_no_data: int | None
    delivery_conflicting: int | None
    par_score: float | None
    par_rank: float | None
    papi_score: float | None
    papi_rank: float | None
    pci_score: float | None
    pci_rank: float | None
    sipas_score: float | None
    n_missing: int
    region: str | None = None
    plan_ids: str | None = None
    papi_scale: str | None = None
    papi_derived: bool | None = None
    par_unit: str | None = None
    index_last_year: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the figures as a JSON-ready dict."""
        return asdict(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        shown = {k: "—" if v is None else f"{v:.2f}" if isinstance(v, float) else v
                 for k, v in self.as_dict().items()}
        rows = "".join(
            f"<tr><th style='text-align:left'>{k}</th><td>{v}</td></tr>" for k, v in shown.items()
        )
        text = "\n".join(f"{k}: {v}" for k, v in self.as_dict().items())
        return {
            "text/plain": text,
            # The figures are recorded for reports/results.parquet, not shown on the page.
            "text/html": f'<table class="ps-headline" hidden>{rows}</table>',
            HEADLINE_MIME: self.as_dict(),
        }


_DTYPES = {
    "str": "string",
    "str | None": "string",
    "int": "Int64",
    "int | None": "Int64",
    "float | None": "Float64",
    "bool | None": "boolean",
}
# pandas dtypes of the Headline fields: the typed columns of results.parquet.
HEADLINE_DTYPES: dict[str, str] = {f.name: _DTYPES[str(f.type)] for f in fields(Headline)}


@dataclass(frozen=True)
class ProvinceReport:
    """The tables of one province report.

    Attributes
    ----------
    province
        The registry province.
    year
        The report year.
    plans
        Plans in force in ``year`` (*kế hoạch đang có hiệu lực*): one row per document.
    targets
        Their targets (``kind == "target"``) with indicator labels.
    national_targets
        Targets of the national programme in force in ``year``, if any.
    ambition
        Ambition scores of the province's targets in force.
    peer_ambition
        Median peer percentile of every provincial plan's targets (this
        province's plans among them), one row per plan.
    indices
        The province's PAR/SIPAS/PAPI/PCI score and rank, every year available.
    index_targets
        Plan targets that are index ranks: ``index``, ``year``, ``value``.
    delivery
        Delivery of the province's targets (met, not met, pending, no data).
    missing
        What the report could not show, one sentence each.
    reference
        The national and regional medians and inter-quartile ranges of each index's
        headline score and rank by year (:func:`reference_bands`).
    trajectories
        The processed ``trajectories`` rows of the plans in force (plan × index).
    all_plans
        Every plan of the province in the corpus, in force or not (profiles, links).
    corpus_plans, corpus_provinces
        Provincial plans in the corpus and the provinces they come from.
    """

    province: Province
    year: int
    plans: pd.DataFrame
    targets: pd.DataFrame
    national_targets: pd.DataFrame
    ambition: pd.DataFrame
    peer_ambition: pd.DataFrame
    indices: pd.DataFrame
    index_targets: pd.DataFrame
    delivery: pd.DataFrame
    missing: tuple[str, ...]
    reference: pd.DataFrame = field(default=None)  # type: ignore[assignment]
    trajectories: pd.DataFrame = field(default=None)  # type: ignore[assignment]
    all_plans: pd.DataFrame = field(default=None)  # type: ignore[assignment]
    corpus_plans: int = 0
    corpus_provinces: int = 0

    @property
    def title(self) -> str:
        """``"Đắk Lắk (Dak Lak), 2023"``."""
        return f"{self.province.name_vi} ({self.province.name_ascii}), {self.year}"

    def targets_by_area(self) -> pd.DataFrame:
        """Return target counts by reform area (rows) and plan (columns)."""
        if self.targets.empty:
            import pandas as pd

            return pd.DataFrame()
        return (
            self.targets.groupby(["area", "doc"]).size().unstack("doc", fill_value=0).sort_index()
        )

    def target_table(self) -> pd.DataFrame:
        """Return the targets in force for reading: area, indicator, level, value, deadline."""
        columns = [
            "doc", "area", "label_en", "label_vi", "level", "comparator", "value", "unit", "year"
        ]
        return self.targets[[c for c in columns if c in self.targets.columns]]

    def ambition_table(self) -> pd.DataFrame:
        """Return the ambition measures worth reading, one row per target in force.

        ``peer_percentile`` (0-100, 100 = most ambitious among comparable
        targets of other plans), ``gap_national`` (against the national
        programme, positive = more ambitious) and whether the sentence was copied.
        """
        columns = [
            "doc", "target_no", "indicator", "level", "year", "commitment", "n_peers",
            "peer_percentile", "peer_robust_z", "national_value", "gap_national", "copied",
        ]
        return self.ambition[[c for c in columns if c in self.ambition.columns]]

    def index_table(self) -> pd.DataFrame:
        """Return the province's index values by year (rows) and index and series (columns).

        A year where sources disagree is NA here (see :attr:`missing`), never averaged.
        """
        import pandas as pd

        if self.indices.empty:
            return pd.DataFrame()
        unique = self.indices.groupby(["year", "index", "series"])["value"].agg(
            lambda v: v.iloc[0] if v.nunique() == 1 else pd.NA
        )
        return unique.unstack(["index", "series"]).sort_index(axis=1)

    def delivery_table(self) -> pd.DataFrame:
        """Return the delivery of the index targets in force: status, what was observed, why."""
        columns = [
            "doc", "target_no", "indicator", "year", "comparator", "value", "status",
            "observed_year", "observed_value", "margin", "reason",
        ]
        return self.delivery[[c for c in columns if c in self.delivery.columns]]

    def missing_frame(self) -> pd.DataFrame:
        """Return :attr:`missing` as a one-column table for display."""
        import pandas as pd

        return pd.DataFrame({"missing data (dữ liệu còn thiếu)": list(self.missing)})


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def in_force(documents: pd.DataFrame, year: int) -> pd.Series:
    """Return a mask of documents whose period covers ``year``."""
    end = documents["period_end"].fillna(documents["period_start"])
    return (documents["period_start"] <= year) & (end >= year)


_PLAN_COLUMNS = (
    "doc", "plan_id", "name_en", "name_vi", "doc_kind", "doc_type", "doc_number", "issuer",
    "issued", "period_start", "period_end", "title",
)


def _plans(
    documents: pd.DataFrame | None, code: str | None, year: int | None
) -> pd.DataFrame:
    """Return the plans of a province (national: ``None``) in force in ``year`` (all: ``None``)."""
    if documents is None:
        return _empty(_PLAN_COLUMNS)
    if code is None:
        mine = documents["province"] == NATIONAL
    else:
        mine = documents["province_code"].astype("string") == code
    if year is not None:
        mine = mine.fillna(False) & in_force(documents, year).fillna(False)
    rows = plan_table(documents[mine.fillna(False)])
    keep = [c for c in (*_PLAN_COLUMNS, "n_targets") if c in rows.columns]
    return rows[keep].sort_values(["period_start", "doc"]).reset_index(drop=True)


def plan_name(row: Any) -> tuple[str, str]:
    """Return a plan's name in English and Vietnamese, e.g. ``"Plan 64/KH-UBND"``.

    Without a number: the type and issuer (``"Plan of Sở Tư pháp tỉnh Tây Ninh"``);
    without a type either, the title. Never the document's hash id.
    """
    import pandas as pd

    from parstats.display import label

    def text(name: str) -> str | None:
        value = row.get(name) if hasattr(row, "get") else getattr(row, name, None)
        return None if value is None or pd.isna(value) else str(value)

    kind = label("doc_type", text("doc_type")) if text("doc_type") else None
    number, issuer, title = text("doc_number"), text("issuer"), text("title")
    if kind is not None and number:
        return f"{kind.en} {number}", f"{kind.vi} {number}"
    if kind is not None and issuer:
        return f"{kind.en} of {issuer}", f"{kind.vi} của {issuer}"
    if title:
        return title, title
    return "Plan (unnamed)", "Kế hoạch (không rõ tên)"


def plan_table(documents: pd.DataFrame) -> pd.DataFrame:
    """Return ``documents`` with ``plan_id``, ``doc_kind``, ``name_en`` and ``name_vi`` added."""
    from parstats.ambition import plan_keys

    if documents.empty:
        return documents.assign(plan_id=[], doc_kind=[], name_en=[], name_vi=[])
    keys = plan_keys(documents)[["doc", "plan_id", "doc_kind"]]
    out = documents.drop(columns=["plan_id", "doc_kind"], errors="ignore").merge(
        keys, on="doc", how="left"
    )
    names = [plan_name(row) for _, row in out.iterrows()]
    return out.assign(name_en=[n[0] for n in names], name_vi=[n[1] for n in names])


def _labelled_targets(targets: pd.DataFrame | None, docs: pd.Series) -> pd.DataFrame:
    columns = ("doc", "target_no", "area", "indicator", "value", "unit", "comparator", "year")
    if targets is None:
        return _empty(columns)
    from parstats.catalogue import load_indicators

    rows = targets[targets["doc"].isin(docs)]
    if "kind" in rows.columns:
        rows = rows[rows["kind"] == "target"]
    labels = load_indicators()[["code", "label_en", "label_vi"]]
    rows = rows.merge(labels, how="left", left_on="indicator", right_on="code").drop(columns="code")
    return rows.sort_values(["doc", "target_no"]).reset_index(drop=True)


SERIES_KINDS: dict[str, str] = {"score": "score", "total": "score", "rank": "rank"}
"""Measure kinds drawn as a province's trajectory: PAPI publishes totals, not a "score"."""


def _index_rows(indices: pd.DataFrame | None, code: str) -> pd.DataFrame:
    columns = ("index", "series", "year", "measure", "value")
    if indices is None:
        return _empty(columns)
    if "preferred" in indices.columns:  # one value per measure: parstats.indices.headline_rows
        from parstats.indices import headline_rows

        indices = headline_rows(indices)
    kinds = indices["measure_kind"] if "measure_kind" in indices.columns else indices["measure"]
    rows = indices[
        (indices["province_code"].astype("string") == code)
        & indices["index"].isin(REPORT_INDICES)
        & kinds.isin(SERIES_KINDS).fillna(False)
        & indices["value"].notna()
    ]
    rows = rows.assign(series=kinds[rows.index].map(SERIES_KINDS))
    front = list(columns)
    rows = rows[front + [c for c in rows.columns if c not in front]]
    return rows.sort_values(["index", "series", "year"]).reset_index(drop=True)


def province_index_rows(indices: pd.DataFrame | None) -> pd.DataFrame:
    """Return each province's headline score and rank by index and year, one value each.

    The rows a trajectory is drawn from: :func:`parstats.indices.headline_rows`
    (the value precedence prefers, published or derived, ``origin`` says which)
    of PAR, SIPAS, PAPI and PCI, provinces only, with ``series`` (``score`` or
    ``rank``) and the province's ``region``.
    """
    import pandas as pd

    columns = ("index", "series", "year", "province_code", "value", "scale_version", "origin")
    if indices is None:
        return _empty((*columns, "region"))
    rows = indices
    if "preferred" in rows.columns:
        from parstats.indices import headline_rows

        rows = headline_rows(rows)
    kinds = rows["measure_kind"] if "measure_kind" in rows.columns else rows["measure"]
    keep = (
        rows["index"].isin(REPORT_INDICES)
        & kinds.isin(SERIES_KINDS).fillna(False)
        & rows["value"].notna()
        & rows["province_code"].notna()
    )
    if "is_aggregate" in rows.columns:
        keep &= ~rows["is_aggregate"].astype(bool)
    rows = rows.loc[keep]
    out = rows.assign(series=kinds[rows.index].map(SERIES_KINDS))
    for name, default in (("scale_version", ""), ("origin", "published")):
        if name not in out.columns:
            out = out.assign(**{name: default})
    from parstats.provinces import all_provinces

    regions = {p.code: p.region for p in all_provinces()}
    out = out.assign(
        province_code=out["province_code"].astype("string"),
        region=out["province_code"].astype("string").map(regions),
        value=out["value"].astype(float),
        year=out["year"].astype(int),
    )
    return pd.DataFrame(out[[*columns, "region"]]).reset_index(drop=True)


REFERENCE_COLUMNS = (
    "index", "series", "year", "scale_version", "group", "n", "median", "q25", "q75"
)


def reference_bands(rows: pd.DataFrame) -> pd.DataFrame:
    """Return the national and regional median and inter-quartile range by index-year.

    Parameters
    ----------
    rows
        :func:`province_index_rows` (one value per province, index, series and year).

    Returns
    -------
    pandas.DataFrame
        :data:`REFERENCE_COLUMNS`: ``group`` is ``"national"`` or a region's
        Vietnamese name; ``n`` the provinces with a figure. Only index-years where
        at least :data:`BAND_MIN_PROVINCES` provinces have a figure are kept (and
        regions with at least :data:`REGION_MIN_PROVINCES`); quartiles are pandas'
        linear interpolation. Each year is on its own scale version, so a band
        never crosses a scale break.
    """
    import pandas as pd

    if rows.empty:
        return _empty(REFERENCE_COLUMNS)
    keys = ["index", "series", "year", "scale_version"]

    def stats(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
        grouped = frame.groupby(by, dropna=False)["value"]
        return pd.DataFrame({
            "n": grouped.size(),
            "median": grouped.median(),
            "q25": grouped.quantile(0.25),
            "q75": grouped.quantile(0.75),
        }).reset_index()

    national = stats(rows, keys)
    national = national.loc[national["n"] >= BAND_MIN_PROVINCES].assign(group="national")
    wide = rows.merge(national[keys], on=keys)
    regional = stats(wide.dropna(subset=["region"]), [*keys, "region"])
    regional = regional.loc[regional["n"] >= REGION_MIN_PROVINCES].rename(
        columns={"region": "group"}
    )
    out = pd.concat([national, regional], ignore_index=True)
    out = out.astype({"n": int, "year": int})
    return out[list(REFERENCE_COLUMNS)].sort_values(keys + ["group"]).reset_index(drop=True)


def _index_targets(targets: pd.DataFrame) -> pd.DataFrame:
    rows = targets[targets["indicator"].isin(RANK_INDICATORS)]
    out = rows.assign(index=rows["indicator"].map(RANK_INDICATORS), series="rank")
    return out[["index", "series", "year", "value", "comparator", "doc"]].reset_index(drop=True)


def _per_target(table: pd.DataFrame | None, docs: pd.Series) -> pd.DataFrame:
    if table is None:
        return _empty(("doc", "target_no"))
    return table[table["doc"].isin(docs)].reset_index(drop=True)


def _peer_ambition(ambition: pd.DataFrame | None, documents: pd.DataFrame | None) -> pd.DataFrame:
    columns = ("doc", "plan", "province_code", "peer_percentile", "n_targets")
    if ambition is None or documents is None:
        return _empty(columns)
    docs = documents[documents["province"] != NATIONAL]
    # The ambition table carries the plan keys itself (issue 14); take only what it lacks.
    extra = [c for c in ("province_code", "period_start", "period_end") if c not in ambition]
    rows = ambition.dropna(subset=["peer_percentile"]).merge(docs[["doc", *extra]], on="doc")
    out = rows.groupby(["doc", "province", "province_code", "period_start", "period_end"]).agg(
        peer_percentile=("peer_percentile", "median"), n_targets=("peer_percentile", "size")
    )
    out = out.reset_index()
    out["plan"] = (
        out["province"] + " " + out["period_start"].astype("string") + "–"
        + out["period_end"].astype("string")
    )
    return out[list(columns)].sort_values("peer_percentile").reset_index(drop=True)


@dataclass(frozen=True)
class IndexValue:
    """One index figure of the report year, or why there is none.

    Attributes
    ----------
    value
        The figure, ``None`` when absent or when sources disagree.
    problem
        ``None``, ``"absent"`` or ``"conflicting"``.
    """

    value: float | None
    problem: str | None


def index_value(indices: pd.DataFrame, index: str, series: str, year: int) -> IndexValue:
    """Return the province's ``index`` ``series`` (score or rank) in ``year``.

    Two sources giving different figures yield no value (``conflicting``):
    the report never chooses between them.
    """
    hit = indices[
        (indices["index"] == index) & (indices["series"] == series) & (indices["year"] == year)
    ]
    values = set(hit["value"].astype(float))
    if not values:
        return IndexValue(None, "absent")
    if len(values) > 1:
        return IndexValue(None, "conflicting")
    return IndexValue(values.pop(), None)


def _value(indices: pd.DataFrame, index: str, series: str, year: int) -> float | None:
    return index_value(indices, index, series, year).value


def _missing(tables: dict[str, Any], report: dict[str, Any], year: int) -> tuple[str, ...]:
    out = [
        f"Table '{name}' is not built (run `parstats build`)."
        for name, table in tables.items()
        if table is None
    ]
    if report["plans"].empty:
        out.append(f"No PAR plan (kế hoạch CCHC) of this province is in force in {year}.")
    elif report["targets"].empty:
        out.append("The plans in force have no numeric target.")
    if tables["documents"] is not None and report["national_targets"].empty:
        out.append(f"No national PAR programme in the corpus is in force in {year}.")
    for index in REPORT_INDICES:
        for series in ("score", "rank"):
            problem = index_value(report["indices"], index, series, year).problem
            if problem == "absent":
                out.append(f"{index} {series} for {year}: not in the index data.")
            elif problem == "conflicting":
                out.append(f"{index} {series} for {year}: sources disagree; no value shown.")
    if tables["ambition"] is not None and report["ambition"].empty:
        out.append("No ambition score for this province's targets.")
    if tables["delivery"] is not None and report["delivery"].empty:
        out.append("No delivery assessment for this province's targets.")
    return tuple(out)


DELIVERY_STATUSES: tuple[str, ...] = ("met", "missed", "not_yet_due", "no_data", "conflicting")


def delivery_counts(delivery: pd.DataFrame) -> dict[str, int | None]:
    """Return how many targets have each delivery status (``parstats.delivery.STATUSES``).

    ``None`` for every status when the report has no delivery rows.
    """
    if delivery.empty or "status" not in delivery.columns:
        return dict.fromkeys(DELIVERY_STATUSES)
    status = delivery["status"].astype("string")
    return {name: int((status == name).sum()) for name in DELIVERY_STATUSES}


def _median(values: pd.Series) -> float | None:
    values = values.dropna()
    return None if values.empty else float(values.median())


def headline(report: ProvinceReport) -> Headline:
    """Return the headline figures of ``report`` (displayed last by the template)."""
    ambition = report.ambition
    percentile = gap = None
    if "peer_percentile" in ambition.columns:
        percentile = _median(ambition["peer_percentile"])
        gap = _median(ambition.loc[ambition["unit"] == "percent", "gap_national"])
    counts = delivery_counts(report.delivery)
    value = report.indices
    return Headline(
        province_code=report.province.code,
        province=report.province.name_vi,
        slug=report.province.slug,
        year=report.year,
        n_plans=len(report.plans),
        n_targets=len(report.targets),
        n_areas=int(report.targets["area"].nunique()) if len(report.targets) else 0,
        ambition_peer_percentile=percentile,
        ambition_gap_national_pp=gap,
        delivery_met=counts["met"],
        delivery_missed=counts["missed"],
        delivery_not_yet_due=counts["not_yet_due"],
        delivery_no_data=counts["no_data"],
        delivery_conflicting=counts["conflicting"],
        par_score=_value(value, "PAR", "score", report.year),
        par_rank=_value(value, "PAR", "rank", report.year),
        papi_score=_value(value, "PAPI", "score", report.year),
        papi_rank=_value(value, "PAPI", "rank", report.year),
        pci_score=_value(value, "PCI", "score", report.year),
        pci_rank=_value(value, "PCI", "rank", report.year),
        sipas_score=_value(value, "SIPAS", "score", report.year),
        n_missing=len(report.missing),
        region=report.province.region or None,
        plan_ids=";".join(report.plans["plan_id"].dropna()) if "plan_id" in report.plans
        and len(report.plans) else None,
        papi_scale=_scale_label(value, "PAPI", report.year),
        papi_derived=_is_derived(value, "PAPI", "score", report.year),
        par_unit=_par_unit(value, report.year),
        index_last_year=_last_year(report.delivery),
    )


def _scale_label(indices: pd.DataFrame, index: str, year: int) -> str | None:
    """``"6-60"`` or ``"8-80"`` for a PAPI total of ``year`` shown in the report, else ``None``."""
    if index_value(indices, index, "score", year).value is None:
        return None
    from parstats.indices import HEADLINE
    from parstats.scales import scale_for

    scale = scale_for(index, year, HEADLINE[index])
    return f"{scale.low:g}-{scale.high:g}" if scale.low is not None else None


def _is_derived(indices: pd.DataFrame, index: str, series: str, year: int) -> bool | None:
    if "origin" not in indices.columns:
        return None
    hit = indices[
        (indices["index"] == index) & (indices["series"] == series) & (indices["year"] == year)
    ]
    if hit.empty:
        return None
    return bool((hit["origin"] == "derived").all())


def _par_unit(indices: pd.DataFrame, year: int) -> str | None:
    if index_value(indices, "PAR", "score", year).value is None:
        return None
    from parstats.scales import scale_for

    return scale_for("PAR", year, "score").unit


def _last_year(delivery: pd.DataFrame) -> int | None:
    if delivery.empty or "index_last_year" not in delivery.columns:
        return None
    years = delivery["index_last_year"].dropna()
    return int(years.max()) if len(years) else None


def _corpus_size(documents: pd.DataFrame | None) -> tuple[int, int]:
    if documents is None:
        return 0, 0
    provincial = documents[(documents["province"] != NATIONAL).fillna(True)]
    return len(provincial), int(provincial["province_code"].dropna().nunique())


def province_report(province: str | Province, year: int) -> ProvinceReport:
    """Gather everything the report of ``province`` in ``year`` shows.

    Parameters
    ----------
    province
        Any spelling the registry resolves, or a :class:`~parstats.provinces.Province`.
    year
        The report year.

    Raises
    ------
    UnknownProvinceError
        If ``province`` is not a province.
    """
    from parstats.provinces import resolve

    p = resolve(province)
    tables = load_tables(TABLES)
    plans = _plans(tables["documents"], p.code, year)
    national = _plans(tables["documents"], None, year)
    targets = _labelled_targets(tables["targets"], plans["doc"])
    index_rows = province_index_rows(tables["indices"])
    trajectories = tables["trajectories"]
    parts: dict[str, Any] = {
        "plans": plans,
        "targets": targets,
        "national_targets": _labelled_targets(tables["targets"], national["doc"]),
        "ambition": _per_target(tables["ambition"], plans["doc"]),
        "peer_ambition": _peer_ambition(tables["ambition"], tables["documents"]),
        "indices": _index_rows(tables["indices"], p.code),
        "index_targets": _index_targets(targets) if len(targets) else _empty(("index",)),
        "delivery": _per_target(tables["delivery"], plans["doc"]),
    }
    return ProvinceReport(
        province=p,
        year=year,
        missing=_missing(tables, parts, year),
        reference=reference_bands(index_rows),
        trajectories=(
            _empty(("doc", "index")) if trajectories is None
            else trajectories[trajectories["doc"].isin(plans["doc"])].reset_index(drop=True)
        ),
        all_plans=_plans(tables["documents"], p.code, None),
        corpus_plans=_corpus_size(tables["documents"])[0],
        corpus_provinces=_corpus_size(tables["documents"])[1],
        **parts,
    )


# --------------------------------------------------------------------------- the whole corpus


@dataclass(frozen=True)
class CorpusTables:
    """Every table the exploration notebooks read, for all provinces and years.

    Attributes
    ----------
    documents, targets
        The plans and their targets (``parstats build``).
    indices
        The index observations (:func:`parstats.indices.load`).
    ambition, delivery
        Per-target ambition and delivery, as processed, or computed from the
        tables above when the build does not write them.
    """

    documents: pd.DataFrame
    targets: pd.DataFrame
    indices: pd.DataFrame
    ambition: pd.DataFrame
    delivery: pd.DataFrame


def ensure_built() -> None:
    """Run ``parstats build`` if the documents or targets table is missing."""
    import importlib

    tables = load_tables(("documents", "targets"))
    if tables["documents"] is None or tables["targets"] is None:
        importlib.import_module("parstats.build").build()


def corpus_tables() -> CorpusTables:
    """Return every table of the corpus, building what is missing (see :class:`CorpusTables`).

    The processed tables come from one generation of ``data/processed``.
    """
    import importlib

    from parstats import ambition, delivery, indices, processed

    ensure_built()
    build = importlib.import_module("parstats.build")

    def read(gen: Generation) -> CorpusTables:
        documents = build.load_table("documents", generation=gen)
        targets = build.load_table("targets", generation=gen)
        index_rows = indices.load()
        derived = {}
        for name, module in (("ambition", ambition), ("delivery", delivery)):
            table = load_table(name, gen)
            derived[name] = (
                table if table is not None else module.build_frame(targets, documents, index_rows)
            )
        return CorpusTables(documents, targets, index_rows, **derived)

    return processed.read(read)
