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

from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.processed import Generation
    from parstats.provinces import Province

TABLES: tuple[str, ...] = ("documents", "targets", "indices", "ambition", "delivery")
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
            "text/html": f"<table>{rows}</table>",
            HEADLINE_MIME: self.as_dict(),
        }


_DTYPES = {"str": "string", "int": "Int64", "int | None": "Int64", "float | None": "Float64"}
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


def _plans(documents: pd.DataFrame | None, code: str | None, year: int) -> pd.DataFrame:
    columns = ("doc", "doc_type", "doc_number", "issued", "period_start", "period_end", "title")
    if documents is None:
        return _empty(columns)
    if code is None:
        mine = documents["province"] == NATIONAL
    else:
        mine = documents["province_code"].astype("string") == code
    rows = documents[mine.fillna(False) & in_force(documents, year).fillna(False)]
    keep = [c for c in (*columns, "n_targets") if c in rows.columns]
    return rows[keep].sort_values("doc").reset_index(drop=True)


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
    )


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
        province=p, year=year, missing=_missing(tables, parts, year), **parts
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
