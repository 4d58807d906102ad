"""Provincial governance indices (PCI, PAPI, PAR Index, SIPAS, PGI) with provenance.

Every CSV file in ``data/raw/indices/`` holds published figures, one a row, in the
columns ``index, province, year, measure, value, source, snippet`` (see
``data/raw/indices/SOURCES.md``). :func:`build_frame` reads them all and returns
the tidy ``indices`` table:

- a figure given identically by several sources becomes one row listing every
  source (``n_sources`` > 1);
- different figures for the same index, province, year and measure are kept side
  by side, each flagged ``conflict`` — never averaged, never silently chosen;
- numbers are in ``value``; tiers and notes (``"Khá"``, ``"not scored"``) only
  in ``value_text``, which always holds the published text;
- aggregates such as ``(63-province average)`` keep a null ``province_code`` and
  ``is_aggregate`` set;
- each row carries the scale of its index-year-measure (:mod:`parstats.scales`).

Ranks in this table are all published. :func:`derive_ranks` computes ranks from
scores, marked ``origin="derived"``.
"""

from __future__ import annotations

import csv
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from parstats.errors import DroppedRowsWarning, InputError, SchemaError, UnknownProvinceError
from parstats.paths import processed_dir, raw_indices_dir
from parstats.scales import (
    MEASURE_KINDS,
    SCALE_UNITS,
    Scale,
    check_comparable,
    comparable_segments,
    measure_kind,
    scale_for,
)
from parstats.vocab import INDEX_NAMES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.provinces import Province

__all__ = [
    "RAW_COLUMNS",
    "build_frame",
    "check_comparable",
    "comparable_segments",
    "derive_ranks",
    "for_province",
    "load",
    "panel",
    "processed_path",
    "raw_files",
    "write_processed",
]

RAW_COLUMNS: tuple[str, ...] = (
    "index",
    "province",
    "year",
    "measure",
    "value",
    "source",
    "snippet",
)
PROCESSED_NAME = "indices.parquet"
SEP = "\n"  # joins several sources / snippets / raw references in one cell
ORIGINS: tuple[str, ...] = ("published", "derived")
YEAR_RANGE = (1990, 2100)

COLUMNS: tuple[str, ...] = (
    "index",
    "province_code",
    "province",
    "is_aggregate",
    "year",
    "measure",
    "measure_kind",
    "value",
    "value_text",
    "unit",
    "scale_min",
    "scale_max",
    "scale_version",
    "scale_note",
    "origin",
    "conflict",
    "n_sources",
    "sources",
    "snippets",
    "raw_refs",
    "note",
)

# Caveats documented in data/raw/indices/SOURCES.md, attached to the rows they concern.
# Keyed by (index, province_code, year); attached to the score and rank rows read from
# the spreadsheet concerned (source path ".../PCI/PCI YYYY.xlsx").
_KNOWN_NOTES: dict[tuple[str, str, int], str] = {
    ("PCI", "79", 2019): (
        "withheld (N/A) on pcivietnam.vn; the figure is from the VCCI spreadsheet "
        "(PCI 2019.xlsx), which has 67.16, rank 14 (SOURCES.md)"
    ),
    **{
        ("PCI", "01", year): (
            "the source spreadsheet repeats the Hà Nội row; one copy kept (SOURCES.md)"
        )
        for year in (2017, 2018, 2019)
    },
}


# --------------------------------------------------------------------------- reading raw


@dataclass(frozen=True)
class RawRow:
    """One published figure as read from a raw file, checked but not yet collapsed.

    Attributes
    ----------
    index, year, measure, value_text, source, snippet
        The raw fields (NFC, stripped).
    province
        Canonical name (``name_vi``) or, for aggregates, the bracketed label.
    province_code
        GSO code, ``None`` for aggregates.
    file, line
        Where the row was read (file name inside ``data/raw/indices``, 1-based line).
    """

    index: str
    province: str
    province_code: str | None
    year: int
    measure: str
    value_text: str
    source: str
    snippet: str
    file: str
    line: int


def raw_files(directory: Path | None = None) -> tuple[Path, ...]:
    """Return the raw index files (every ``*.csv`` in ``data/raw/indices``), sorted by name."""
    directory = raw_indices_dir() if directory is None else Path(directory)
    return tuple(sorted(p for p in directory.glob("*.csv") if p.is_file()))


def is_aggregate_label(name: str) -> bool:
    """Return whether a province cell is an aggregate label such as ``(63-province average)``."""
    text = name.strip()
    return text.startswith("(") and text.endswith(")")


def parse_value(text: str) -> float | None:
    """Return the number in a published value cell, or ``None`` for text (tiers, notes).

    ``.`` is the decimal point in the raw files (``"86.98"``; ``"90.10"``).
    """
    stripped = text.strip()
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", stripped):
        return float(stripped)
    return None


def read_raw_file(path: Path) -> list[RawRow]:
    """Read and check one raw index file.

    Raises
    ------
    InputError
        Naming the file, line and value, if a column is missing or a row has an
        unknown index or province, a bad year or measure, an empty value, or no source.
    """
    from parstats.provinces import resolve
    from parstats.vn import nfc

    path = Path(path)
    rows: list[RawRow] = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = tuple(reader.fieldnames or ())
        if header != RAW_COLUMNS:
            raise InputError(
                f"expected the columns {', '.join(RAW_COLUMNS)}; got {', '.join(header)}",
                path=path,
                line=1,
            )
        for record in reader:
            line = reader.line_num
            if None in record or any(v is None for v in record.values()):
                raise InputError(
                    f"expected {len(RAW_COLUMNS)} fields", path=path, line=line, value=record
                )
            f = {k: nfc(v.strip()) for k, v in record.items()}
            if f["index"] not in INDEX_NAMES:
                raise InputError(
                    f"index must be one of {', '.join(INDEX_NAMES)}",
                    path=path,
                    line=line,
                    value=f["index"],
                )
            if not re.fullmatch(r"\d{4}", f["year"]) or not (
                YEAR_RANGE[0] <= int(f["year"]) <= YEAR_RANGE[1]
            ):
                raise InputError(
                    f"year must be a four-digit year in {YEAR_RANGE[0]}..{YEAR_RANGE[1]}",
                    path=path,
                    line=line,
                    value=f["year"],
                )
            try:
                measure_kind(f["measure"])
            except InputError as exc:
                raise InputError(exc.reason, path=path, line=line, value=f["measure"]) from None
            if not f["value"]:
                raise InputError(
                    "value is empty (a figure or published text expected)", path=path, line=line
                )
            if not f["source"]:
                raise InputError(
                    "source is empty: every figure needs a web address or document",
                    path=path,
                    line=line,
                )
            if is_aggregate_label(f["province"]):
                province, code = f["province"], None
            else:
                try:
                    p = resolve(f["province"])
                except UnknownProvinceError as exc:
                    raise UnknownProvinceError(
                        exc.reason, path=path, line=line, value=f["province"]
                    ) from None
                province, code = p.name_vi, p.code
            rows.append(
                RawRow(
                    index=f["index"],
                    province=province,
                    province_code=code,
                    year=int(f["year"]),
                    measure=f["measure"],
                    value_text=f["value"],
                    source=f["source"],
                    snippet=f["snippet"],
                    file=path.name,
                    line=line,
                )
            )
    return rows


def read_raw(directory: Path | None = None) -> list[RawRow]:
    """Read every raw index file, in file-name then line order."""
    from parstats.io import sha256_file

    rows: list[RawRow] = []
    for path in raw_files(directory):
        # Keyed on the file's name and bytes: a copy elsewhere with the same bytes
        # gives the same rows; any change to the bytes reads the file again.
        key = (path.name, sha256_file(path))
        if key not in _RAW_CACHE:
            if len(_RAW_CACHE) >= 32:
                _RAW_CACHE.clear()
            _RAW_CACHE[key] = tuple(read_raw_file(path))
        rows.extend(_RAW_CACHE[key])
    return rows


_RAW_CACHE: dict[tuple[str, str], tuple[RawRow, ...]] = {}


# --------------------------------------------------------------------------- collapsing


def _value_key(row: RawRow) -> tuple[str, Any]:
    number = parse_value(row.value_text)
    if number is not None:
        return ("number", number)
    return ("text", " ".join(row.value_text.split()).casefold())


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _collapse(rows: list[RawRow]) -> list[dict[str, Any]]:
    """Group rows by key and value; one output record per distinct published value."""
    groups: dict[tuple, dict[tuple, list[RawRow]]] = {}
    for row in rows:
        key = (row.index, row.province_code, row.province, row.year, row.measure)
        groups.setdefault(key, {}).setdefault(_value_key(row), []).append(row)
    records: list[dict[str, Any]] = []
    for (index, code, province, year, measure), by_value in groups.items():
        conflict = len(by_value) > 1
        if conflict:
            described = "; ".join(
                f"{members[0].value_text} ({len(_unique([m.source for m in members]))} source(s))"
                for members in by_value.values()
            )
            conflict_note = f"sources disagree: {described}; all values kept, none chosen"
        for (kind, number), members in by_value.items():
            scale = scale_for(index, year, measure)
            notes: list[str] = []
            if conflict:
                notes.append(conflict_note)
            value = number if kind == "number" else None
            if value is not None and scale.numeric and not scale.contains(value):
                notes.append(
                    f"published cell {members[0].value_text!r} lies outside the scale "
                    f"{scale.label}; kept in value_text, value left missing"
                )
                value = None
            if value is not None and not scale.numeric:
                value = None  # a tier or note that happens to look like a number
            if code is not None and measure_kind(measure) in ("score", "rank"):
                known = _KNOWN_NOTES.get((index, code, year))
                if known and any(f"{index}/{index} {year}" in m.source for m in members):
                    notes.append(known)
            texts = _unique([m.value_text for m in members])
            records.append(
                {
                    "index": index,
                    "province_code": code,
                    "province": province,
                    "is_aggregate": code is None,
                    "year": year,
                    "measure": measure,
                    "measure_kind": scale.kind,
                    "value": value,
                    "value_text": SEP.join(texts),
                    "unit": scale.unit,
                    "scale_min": scale.low,
                    "scale_max": scale.high,
                    "scale_version": scale.version,
                    "scale_note": scale.note,
                    "origin": "published",
                    "conflict": conflict,
                    "n_sources": len(_unique([m.source for m in members])),
                    "sources": SEP.join(_unique([m.source for m in members])),
                    "snippets": SEP.join(_unique([m.snippet for m in members if m.snippet])),
                    "raw_refs": SEP.join(f"{m.file}:{m.line}" for m in members),
                    "note": "; ".join(notes) or None,
                }
            )
    return records


_DTYPES = {
    "index": "string",
    "province_code": "string",
    "province": "string",
    "is_aggregate": "bool",
    "year": "Int64",
    "measure": "string",
    "measure_kind": "string",
    "value": "Float64",
    "value_text": "string",
    "unit": "string",
    "scale_min": "Float64",
    "scale_max": "Float64",
    "scale_version": "string",
    "scale_note": "string",
    "origin": "string",
    "conflict": "bool",
    "n_sources": "Int64",
    "sources": "string",
    "snippets": "string",
    "raw_refs": "string",
    "note": "string",
}

SORT_KEYS = ["index", "year", "province_code", "province", "measure", "value_text", "sources"]


def frame_from_records(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Return the typed, deterministically sorted table for collapsed records."""
    import pandas as pd

    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    frame = frame.astype(_DTYPES)
    frame = frame.sort_values(SORT_KEYS, na_position="last", kind="mergesort")
    return frame.reset_index(drop=True)


def assemble(rows: list[RawRow]) -> pd.DataFrame:
    """Collapse checked raw rows into the validated ``indices`` table."""
    frame = frame_from_records(_collapse(rows))
    return validate(frame)


def build_frame(directory: Path | None = None) -> pd.DataFrame:
    """Build the ``indices`` table from every raw index file.

    Parameters
    ----------
    directory
        Where the raw files are; ``data/raw/indices`` by default.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, validated against :data:`SCHEMA`, sorted by index,
        year, province code, measure (same input, same bytes).

    Raises
    ------
    InputError
        A bad raw row, with file, line and value.
    SchemaError
        If the assembled table breaks the schema.
    """
    return assemble(read_raw(directory))


# --------------------------------------------------------------------------- schema


def _make_schema() -> Any:
    import pandera.pandas as pa

    def col(dtype: str, description: str, nullable: bool = False, **kw: Any) -> Any:
        return pa.Column(dtype, nullable=nullable, description=description, **kw)

    return pa.DataFrameSchema(
        {
            "index": col(
                "string",
                "Index: PAR (Chỉ số cải cách hành chính), SIPAS, PAPI, PCI or PGI",
                checks=pa.Check.isin(INDEX_NAMES),
            ),
            "province_code": col(
                "string",
                "Pre-2025 GSO province code; NA for aggregates such as the 63-province average",
                nullable=True,
                checks=pa.Check.str_matches(r"^\d{2}$"),
            ),
            "province": col(
                "string", "Province name (registry name_vi) or the aggregate's bracketed label"
            ),
            "is_aggregate": col("bool", "True for aggregates (averages), which are not provinces"),
            "year": col(
                "Int64",
                "Survey year the index describes (PAR 2023 was published in 2024)",
                checks=pa.Check.in_range(*YEAR_RANGE),
            ),
            "measure": col(
                "string",
                "Published measure: score, rank, tier, 'dimension: NAME', 'total (...)' ...",
            ),
            "measure_kind": col("string", "Kind of measure", checks=pa.Check.isin(MEASURE_KINDS)),
            "value": col(
                "Float64",
                "The figure as a number; NA for text (tiers, notes) or a cell outside the scale",
                nullable=True,
            ),
            "value_text": col("string", "The published value exactly as given in the raw file(s)"),
            "unit": col(
                "string",
                "points, percent, rank, category or text",
                checks=pa.Check.isin(SCALE_UNITS),
            ),
            "scale_min": col("Float64", "Lower bound of the scale; NA if unknown", nullable=True),
            "scale_max": col("Float64", "Upper bound of the scale; NA if unknown", nullable=True),
            "scale_version": col(
                "string",
                "Comparability segment: values of different versions must not share an axis",
            ),
            "scale_note": col("string", "What the scale is and where its bounds come from"),
            "origin": col(
                "string",
                "published (as in a source) or derived (computed by parstats: ranks from scores)",
                checks=pa.Check.isin(ORIGINS),
            ),
            "conflict": col(
                "bool", "True when sources give different values for this key; all are kept"
            ),
            "n_sources": col(
                "Int64", "Number of distinct sources giving this value", checks=pa.Check.ge(1)
            ),
            "sources": col(
                "string",
                "Sources (web address or github:OWNER/REPO@COMMIT PATH), newline-separated",
                checks=pa.Check.str_length(min_value=1),
            ),
            "snippets": col(
                "string", "The text or cell each value was read from, newline-separated"
            ),
            "raw_refs": col(
                "string",
                "FILE:LINE of each raw row behind this value (data/raw/indices), newline-separated",
                checks=pa.Check.str_length(min_value=1),
            ),
            "note": col("string", "Caveats: conflicts, withheld values, out-of-scale cells", True),
        },
        checks=[
            pa.Check(
                lambda df: df["is_aggregate"] == df["province_code"].isna(),
                error="is_aggregate must be true exactly when province_code is NA",
            ),
        ],
        strict=True,
        ordered=True,
        name="indices",
        description=(
            "Published provincial governance index figures, one per index, province, year, "
            "measure and distinct value, with sources"
        ),
    )


def validate(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate ``frame`` against :data:`SCHEMA`; raise :class:`SchemaError` with the failures."""
    import pandera.errors

    try:
        return _schema().validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(10).to_string()
        raise SchemaError(f"indices table breaks its schema:\n{cases}") from None


@lru_cache(maxsize=1)
def _schema() -> Any:
    return _make_schema()


def __getattr__(name: str) -> Any:
    # SCHEMA needs pandera; build it on first access only.
    if name == "SCHEMA":
        schema = _schema()
        globals()["SCHEMA"] = schema
        return schema
    raise AttributeError(f"module 'parstats.indices' has no attribute {name!r}")


# --------------------------------------------------------------------------- processed file


def processed_path() -> Path:
    """Return ``data/processed/indices.parquet``."""
    return processed_dir() / PROCESSED_NAME


def _is_fresh(path: Path, directory: Path | None = None) -> bool:
    if not path.exists():
        return False
    files = raw_files(directory)
    built = path.stat().st_mtime
    return all(f.stat().st_mtime <= built for f in files)


def write_processed(path: Path | None = None, directory: Path | None = None) -> Path:
    """Rebuild the ``indices`` table from the raw index files and write it (atomically).

    Parameters
    ----------
    path
        Output file; ``data/processed/indices.parquet`` by default (``.csv`` also works).
    directory
        Raw index folder; ``data/raw/indices`` by default.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    from parstats.io import write_frame

    target = processed_path() if path is None else Path(path)
    return write_frame(build_frame(directory), target)


def load(*, rebuild: bool = False) -> pd.DataFrame:
    """Return the ``indices`` table.

    Reads ``data/processed/indices.parquet`` if it exists, is newer than every
    raw index file and has the same set of raw files behind it; otherwise builds
    the table in memory from ``data/raw/indices`` (nothing is written).

    Parameters
    ----------
    rebuild
        Build from the raw files even if the processed file is fresh.
    """
    path = processed_path()
    if not rebuild and _is_fresh(path):
        from parstats.processed import read_parquet_file

        frame = read_parquet_file(path)  # a damaged file says so (run `parstats build`)
        if list(frame.columns) == list(COLUMNS):
            refs = {r.split(":")[0] for cell in frame["raw_refs"] for r in cell.split(SEP)}
            if refs == {p.name for p in raw_files()}:
                return validate(frame.astype(_DTYPES))
    return build_frame()


# --------------------------------------------------------------------------- views


def _select(frame: pd.DataFrame, index: str | None, measure: str | None) -> pd.DataFrame:
    mask = frame["index"].notna()
    if index is not None:
        if index not in INDEX_NAMES:
            raise InputError(f"index must be one of {', '.join(INDEX_NAMES)}", value=index)
        mask &= frame["index"] == index
    if measure is not None:
        wanted = " ".join(measure.split()).casefold()
        mask &= frame["measure"].str.split().str.join(" ").str.casefold() == wanted
    return frame.loc[mask]


def for_province(
    province: str | Province, index: str | None = None, *, frame: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return every index row of one province, by index, year and measure.

    Parameters
    ----------
    province
        Any spelling :func:`parstats.provinces.resolve` accepts.
    index
        Restrict to one index.
    frame
        The table to read; :func:`load` by default.
    """
    from parstats.provinces import resolve

    p = resolve(province)
    frame = load() if frame is None else frame
    rows = _select(frame, index, None)
    return rows.loc[rows["province_code"] == p.code].reset_index(drop=True)


def panel(
    index: str,
    measure: str = "score",
    *,
    frame: pd.DataFrame | None = None,
    by: Literal["name", "code"] = "name",
    origin: Literal["published", "derived"] | None = None,
    conflicts: Literal["raise", "missing"] = "raise",
    errors: Literal["warn", "raise", "ignore"] = "warn",
) -> pd.DataFrame:
    """Return a province × year table of one measure of one index.

    Aggregate rows are left out (they are not provinces). Province-years with
    no published figure are missing (``NA``), never filled.

    Parameters
    ----------
    index
        ``PAR``, ``SIPAS``, ``PAPI``, ``PCI`` or ``PGI``.
    measure
        Published measure label, e.g. ``"score"``, ``"rank"``,
        ``"dimension: Transparency"`` (case and spacing are ignored).
    frame
        The table to read; :func:`load` by default (it may include the output of
        :func:`derive_ranks`).
    by
        Label rows by province ``name`` (``name_vi``) or GSO ``code``.
    origin
        Which rows to use when the frame holds both published and derived values;
        required in that case, so the two are never mixed unmarked.
    conflicts
        ``"raise"`` (default) refuses a province-year with conflicting published
        values and names them; ``"missing"`` leaves those cells NA and warns.
    errors
        What to do when the years span several scale versions
        (see :func:`parstats.scales.check_comparable`).

    Returns
    -------
    pandas.DataFrame
        Rows are provinces, columns are years; numbers for numeric measures,
        text for tiers and notes.
    """
    frame = load() if frame is None else frame
    rows = _select(frame, index, measure)
    rows = rows.loc[~rows["is_aggregate"]]
    if rows.empty:
        raise InputError(
            f"no {index} rows with measure {measure!r}; measures available: "
            + ", ".join(sorted(_select(frame, index, None)["measure"].unique())[:20]),
            value=measure,
        )
    origins = set(rows["origin"])
    if origin is None and len(origins) > 1:
        raise InputError(
            f"{index} {measure}: the frame mixes published and derived values; "
            "pass origin='published' or origin='derived'"
        )
    if origin is not None:
        rows = rows.loc[rows["origin"] == origin]
    check_comparable(rows, errors=errors)
    label = "province" if by == "name" else "province_code"
    dup = rows.duplicated([label, "year"], keep=False)
    if dup.any():
        clash = rows.loc[dup, [label, "year", "value_text", "sources"]]
        if conflicts == "raise":
            n_keys = len(clash[[label, "year"]].drop_duplicates())
            raise InputError(
                f"{index} {measure}: sources disagree for {n_keys} province-year(s); "
                "values are kept side by side, not chosen:\n"
                + clash.to_string(index=False)
                + "\npass conflicts='missing' to leave them out of the panel"
            )
        warnings.warn(
            f"{index} {measure}: {dup.sum()} conflicting rows left missing in the panel",
            DroppedRowsWarning,
            stacklevel=2,
        )
        rows = rows.loc[~dup]
    numeric = rows["unit"].isin(["points", "percent", "rank"]).all()
    values = "value" if numeric else "value_text"
    table = rows.pivot(index=label, columns="year", values=values)
    table = table.sort_index(axis=0).sort_index(axis=1)
    table.columns.name = "year"
    return table


# --------------------------------------------------------------------------- derived ranks


def derive_ranks(
    index: str,
    year: int,
    measure: str = "score",
    *,
    frame: pd.DataFrame | None = None,
    higher_is_better: bool = True,
    allow_partial: bool = False,
) -> pd.DataFrame:
    """Compute ranks from published scores; every row is marked ``origin="derived"``.

    Ties get the best rank they share (``method="min"``, as the publishers rank).
    The result has the columns of the ``indices`` table and can be concatenated
    with it; :func:`panel` then asks which origin to use.

    Parameters
    ----------
    index, year, measure
        Which published scores to rank.
    frame
        The table to read; :func:`load` by default.
    higher_is_better
        Rank 1 for the highest score (all indices here) or the lowest.
    allow_partial
        Rank fewer than the 63 provinces (the rank is then among the provinces
        with a published score, and says so in ``note``). Without it, a year
        without a score for every province raises.

    Raises
    ------
    InputError
        If scores are missing for some provinces (unless ``allow_partial``) or
        sources disagree on a score.
    """
    import pandas as pd

    from parstats.scales import N_RANKED

    frame = load() if frame is None else frame
    rows = _select(frame, index, measure)
    rows = rows.loc[
        (rows["year"] == year) & ~rows["is_aggregate"] & (rows["origin"] == "published")
    ]
    if rows["conflict"].any():
        clash = rows.loc[rows["conflict"], ["province", "value_text", "sources"]]
        raise InputError(
            f"{index} {year} {measure}: sources disagree, ranks cannot be derived:\n"
            + clash.to_string(index=False)
        )
    rows = rows.loc[rows["value"].notna()]
    if rows.empty:
        raise InputError(f"no numeric {index} {year} {measure!r} rows to rank")
    n = len(rows)
    if n < N_RANKED and not allow_partial:
        raise InputError(
            f"{index} {year} {measure!r}: published for {n} of {N_RANKED} provinces; ranks "
            "from a partial list are not ranks among all provinces (pass allow_partial=True "
            "to rank among these only)"
        )
    ranks = rows["value"].rank(method="min", ascending=not higher_is_better).astype("Int64")
    scale: Scale = scale_for(index, year, "rank")
    note = f"rank derived by parstats from {measure!r} (method=min), not published"
    if n < N_RANKED:
        note += f"; among the {n} provinces with a published score only"
    out = rows.assign(
        measure="rank",
        measure_kind="rank",
        value=ranks.astype("Float64"),
        value_text=ranks.astype("string"),
        unit=scale.unit,
        scale_min=scale.low,
        scale_max=float(n) if n < N_RANKED else scale.high,
        scale_version=scale.version,
        scale_note=scale.note,
        origin="derived",
        conflict=False,
        note=note,
    )
    out = out.astype(_DTYPES).loc[:, list(COLUMNS)]
    out = out.sort_values(SORT_KEYS, kind="mergesort").reset_index(drop=True)
    return validate(pd.DataFrame(out))
