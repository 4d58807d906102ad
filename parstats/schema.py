"""Schemas of the processed tables, their validation, and the Data Package descriptor.

The pandera schemas are the one source of truth about a table: they validate
the frames before anything is written, and :func:`datapackage` turns them into
the Frictionless Data Package descriptor (``data/processed/datapackage.json``):
field names, types, descriptions, ``required``/``enum``/``minimum`` constraints
and primary keys all come from the same :class:`pandera.api.pandas.container.DataFrameSchema`.

A table joins the package through a :class:`TableSpec`: its name, where its
schema lives (``"module:ATTRIBUTE"``, imported on first use) and the function
that produces its frame. ``parstats.build.TABLES`` lists them.

Importing this module imports neither pandas nor pandera; the schemas
``DOCUMENTS_SCHEMA``, ``TARGETS_SCHEMA`` and ``CORRECTIONS_SCHEMA`` are built on first
access.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from parstats.errors import SchemaError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pandera.pandas as pa

ENCODINGS: tuple[str, ...] = (
    "utf-8",
    "utf-16-le",
    "utf-16-be",
    "utf-32-le",
    "utf-32-be",
    "cp1258",
    "unicode",
    "tcvn3",
    "vni",
)
"""Encodings a document's text came from: what :func:`parstats.text.decode_bytes` reports
for a text file; ``unicode`` for a PDF, Word file or web page in Unicode fonts; ``tcvn3`` or
``vni`` where most of its text was typed in legacy Vietnamese fonts and converted."""

SOURCE_FORMATS: tuple[str, ...] = (
    "pdf-text",
    "pdf-ocr",
    "pdf-mixed",
    "docx",
    "doc",
    "html",
    "txt",
)
"""How a plan file was read (:data:`parstats.formats.CONVERTED_FORMATS`)."""

ORIGINS: tuple[str, ...] = ("extracted", "corrected")
"""Where a target row comes from: the extractor, or a reviewer (``data/raw/corrections.csv``)."""

CORRECTION_ACTIONS: tuple[str, ...] = ("keep", "drop", "fix", "add")
"""What a row of ``data/raw/corrections.csv`` does (``docs/REVIEW.md``)."""

AREA_SOURCES: tuple[str, ...] = ("heading", "indicator", "cue")
"""Where a target's area was read: the heading above it, its indicator, or cue words."""

MAX_REPORTED_ROWS = 5
"""How many offending rows a :class:`~parstats.errors.SchemaError` lists."""


@dataclass(frozen=True)
class TableSpec:
    """One table of the processed data package.

    Attributes
    ----------
    name
        Table and file name (``targets`` -> ``targets.parquet``, ``targets.csv``).
    schema
        Where the pandera schema lives, ``"module:ATTRIBUTE"`` (imported lazily),
        e.g. ``"parstats.provinces:SCHEMA"``; or the schema itself.
    producer
        ``"module:function"`` or a callable; called with the build context (an
        object with the extraction result and the frames built so far, see
        ``parstats.build.BuildContext``) and returning the table's frame.
    """

    name: str
    schema: str | Any
    producer: str | Callable[[Any], Any]

    def load_schema(self) -> pa.DataFrameSchema:
        """Import and return the table's pandera schema."""
        return resolve_ref(self.schema) if isinstance(self.schema, str) else self.schema

    def produce(self, context: Any) -> pd.DataFrame:
        """Return the table's frame for ``context``."""
        producer = resolve_ref(self.producer) if isinstance(self.producer, str) else self.producer
        return producer(context)


def resolve_ref(ref: str) -> Any:
    """Return the object a ``"module:attribute"`` reference names."""
    module_name, _, attr = ref.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attr) if attr else module


# --------------------------------------------------------------------------- schemas


def _documents_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    from parstats.ambition import DOC_KINDS
    from parstats.kinds import DOCUMENT_KINDS
    from parstats.provinces import all_provinces

    provinces = sorted(p.name_vi for p in all_provinces()) + ["national"]
    text = {"dtype": "string", "nullable": True}
    year = pa.Check.in_range(1945, 2100)
    return pa.DataFrameSchema(
        {
            "doc": pa.Column(
                "string",
                nullable=False,
                unique=True,
                checks=pa.Check.str_length(min_value=1),
                description="Document id: the plan's file name without its suffix "
                "(.txt, .pdf, .docx, .doc, .html, .htm)",
            ),
            "plan_id": pa.Column(
                "string",
                nullable=False,
                description="Readable plan key researchers join on: province slug, document "
                "type and number, issue year (dak-lak_qd-3478_2021); "
                "parstats.ambition.plan_id",
            ),
            "province": pa.Column(
                checks=pa.Check.isin(provinces),
                description="Pre-2025 province name as in the province registry, or "
                "'national' for central government documents; NA if the text names none",
                **text,
            ),
            "province_code": pa.Column(
                checks=pa.Check.str_matches(r"^\d{2}$"),
                description="GSO province code before 2025 (two digits); NA for national",
                **text,
            ),
            "issuer": pa.Column(
                description="Issuing body (cơ quan ban hành), e.g. 'UBND tỉnh Đắk Lắk'", **text
            ),
            "doc_number": pa.Column(
                description="Number and symbol (số, ký hiệu), e.g. '3478/QĐ-UBND'; NA when "
                "the text leaves the number blank",
                **text,
            ),
            "doc_type": pa.Column(
                checks=pa.Check.str_matches(r"^[A-ZĐ][A-Za-zĐđ]*$"),
                description="Document type symbol: QĐ (quyết định), KH (kế hoạch), CT (chỉ "
                "thị), NQ (nghị quyết), CTr (chương trình), ...",
                **text,
            ),
            "issued": pa.Column(
                checks=pa.Check.str_matches(r"^\d{4}(-\d{2}(-\d{2})?)?$"),
                description="Issue date as ISO text: YYYY-MM-DD, or YYYY-MM / YYYY where the "
                "text gives no more",
                **text,
            ),
            "period_start": pa.Column(
                "Int64",
                checks=year,
                nullable=True,
                description="First year the plan covers",
            ),
            "period_end": pa.Column(
                "Int64",
                checks=year,
                nullable=True,
                description="Last year the plan covers (an annual plan: the same year)",
            ),
            "title": pa.Column(description="The plan's own title (trích yếu)", **text),
            "doc_kind": pa.Column(
                "string",
                nullable=False,
                checks=pa.Check.isin(list(DOC_KINDS)),
                description="Who issued it for how long, the peer group of ambition: "
                "provincial_programme, provincial_annual_plan, department_plan, national or "
                "unknown (parstats.ambition.document_kind; not the document kind of 'kind')",
            ),
            "kind": pa.Column(
                "string",
                nullable=False,
                checks=pa.Check.isin(list(DOCUMENT_KINDS)),
                description="What kind of document it is (parstats.kinds, docs/SCAN.md): plan, "
                "decision_commitments, directive (these set commitments), report, legal_norm, "
                "article or other",
            ),
            "sets_commitments": pa.Column(
                "boolean",
                nullable=False,
                description="Whether documents of its kind set commitments (plan, "
                "decision_commitments, directive)",
            ),
            "targets_kept": pa.Column(
                "boolean",
                nullable=False,
                description="Whether its targets are in the targets table: its kind sets "
                "commitments, or the build was run with --all-kinds; false: the document is "
                "listed here with its kind and evidence and has no targets",
            ),
            "kind_evidence": pa.Column(
                "string",
                nullable=False,
                description="Why it has its kind: the winning kind's score and the cues that "
                "fired (rule id, where, weight, the words), as parstats.kinds gives them, "
                "shortened to 400 characters",
            ),
            "sha256": pa.Column(
                "string",
                nullable=False,
                checks=pa.Check.str_matches(r"^[0-9a-f]{64}$"),
                description="SHA-256 of the plan file's bytes as published (the original PDF, "
                "Word file or web page, not the text read from it)",
            ),
            "bytes": pa.Column(
                "Int64",
                nullable=False,
                checks=pa.Check.ge(1),
                description="Size of the plan file in bytes",
            ),
            "source_format": pa.Column(
                "string",
                nullable=False,
                checks=pa.Check.isin(list(SOURCE_FORMATS)),
                description="How the file was read: pdf-text (text layer), pdf-ocr (scanned, "
                "OCR), pdf-mixed, docx, doc (through LibreOffice), html (a web page's main "
                "text) or txt (docs/FORMATS.md)",
            ),
            "page_count": pa.Column(
                "Int64",
                nullable=True,
                checks=pa.Check.ge(1),
                description="Pages of the document; NA for a document without pages (a web "
                "page, a text file without form feeds, a .docx whose pages Word did not record)",
            ),
            "conversion": pa.Column(
                "string",
                nullable=False,
                description="The libraries and versions that read it, e.g. 'pypdfium2 5.15.2 "
                "(PDFium 8149) + tesseract 5.3.0 vie (300 dpi)'",
            ),
            "conversion_notes": pa.Column(
                description="What the conversion noticed, ' | ' joined: pages OCR could not "
                "read or read with low confidence, legacy fonts converted, a suffix that did "
                "not match the bytes; NA when nothing",
                **text,
            ),
            "encoding": pa.Column(
                "string",
                nullable=False,
                checks=pa.Check.isin(ENCODINGS),
                description="Encoding the text came from: a text file's (utf-8, utf-16-le, "
                "cp1258 ...); unicode for a PDF, Word file or web page in Unicode fonts; tcvn3 "
                "or vni where legacy Vietnamese fonts were converted",
            ),
            "n_targets": pa.Column(
                "Int64",
                nullable=False,
                checks=pa.Check.ge(0),
                description="Number of rows the document has in the targets table",
            ),
            "metadata_sources": pa.Column(
                description="Fields taken from the manifest override (comma-separated, table "
                "order); NA when every field came from the text",
                **text,
            ),
        },
        strict=True,
        ordered=True,
        unique=["doc"],
        name="documents",
        description="One row per plan file: metadata read from its text (completed by the "
        "manifest where the text is silent), its plan key, its document kind and the file's "
        "provenance (format, pages, conversion)",
    )


def _targets_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    from parstats.catalogue import indicators
    from parstats.vocab import AREAS, COMPARATORS, DIRECTIONS, KINDS, LEVELS, UNITS

    def closed(values: Sequence[str], description: str, *, nullable: bool = False) -> Any:
        return pa.Column(
            "string",
            checks=pa.Check.isin(list(values)),
            nullable=nullable,
            description=description,
        )

    return pa.DataFrameSchema(
        {
            "doc": pa.Column(
                "string", nullable=False, description="Document id (see the documents table)"
            ),
            "target_no": pa.Column(
                "Int64",
                checks=pa.Check.ge(1),
                nullable=False,
                description="1-based order of the target in its document as extracted; a row "
                "dropped by a reviewer leaves its number unused, rows a reviewer added are "
                "numbered after the extracted ones",
            ),
            "start": pa.Column(
                "Int64",
                checks=pa.Check.ge(0),
                nullable=False,
                description="Start of the number expression (character offset in the NFC text)",
            ),
            "end": pa.Column(
                "Int64",
                checks=pa.Check.ge(1),
                nullable=False,
                description="End of the number expression (exclusive character offset)",
            ),
            "quote": pa.Column(
                "string",
                nullable=False,
                description="Short text around the number, whitespace collapsed; locates the row",
            ),
            "sentence": pa.Column(
                "string", nullable=True, description="The sentence the target is stated in"
            ),
            "value": pa.Column(
                "Float64",
                nullable=False,
                description="The number, '.' as decimal point ('41,17%' -> 41.17)",
            ),
            "value_high": pa.Column(
                "Float64",
                nullable=True,
                description="Upper end of a range ('25% - 35%' -> 35); NA otherwise",
            ),
            "unit": closed(UNITS, "percent, count, rank (a position) or rank_places (a move)"),
            "comparator": closed(COMPARATORS, "ge, gt, eq, le, lt or range"),
            "direction": closed(DIRECTIONS, "increase, decrease (value = size of the cut), attain"),
            "year": pa.Column(
                "Int64",
                checks=pa.Check.in_range(1945, 2100),
                nullable=True,
                description="Deadline year (for a baseline: the year it describes)",
            ),
            "level": closed(
                LEVELS,
                "Tier of government: province, district, commune, all, or two tiers",
                nullable=True,
            ),
            "area": closed(
                AREAS,
                "Reform area: of the heading the target sits under, else read from its "
                "indicator or cue words (area_source)",
            ),
            "area_source": closed(
                AREA_SOURCES,
                "Where the area was read: heading, indicator (the catalogue's area of the "
                "target's indicator) or cue (words of the sentence); NA where the extractor "
                "does not say",
                nullable=True,
            ),
            "kind": closed(KINDS, "target, baseline (current state) or equivalent (restated)"),
            "indicator": closed(
                list(indicators()),
                "Standard indicator code (parstats/data/indicators.csv); NA if none fits",
                nullable=True,
            ),
            "heading": pa.Column(
                "string",
                nullable=True,
                description="The heading path above the target, ' > ' joined",
            ),
            "rules": pa.Column(
                "string",
                nullable=True,
                description="The ids of the rules behind each field (field=rule, ';' joined; "
                "rows of parstats/lang/vi/*.csv and the extractor's resolvers); "
                "parstats explain shows them; a field set by a reviewer reads field=correction",
            ),
            "confidence": pa.Column(
                "Float64",
                checks=pa.Check.in_range(0, 1),
                nullable=True,
                description="Probability that the row is a true target of the document, "
                "calibrated on the annotated sets; NA where the extractor gives none",
            ),
            "page": pa.Column(
                "Int64",
                checks=pa.Check.ge(1),
                nullable=True,
                description="Page of the document the number is on (1-based); NA for a "
                "document without pages (web page, text file without form feeds, most .docx)",
            ),
            "line": pa.Column(
                "Int64",
                checks=pa.Check.ge(1),
                nullable=False,
                description="Line the number is on: on its page, or in the document when it "
                "has no pages (1-based, lines of the text parstats read)",
            ),
            "plan_id": pa.Column(
                "string",
                nullable=False,
                description="The document's plan key (see the documents table)",
            ),
            "province": pa.Column(
                "string",
                nullable=True,
                description="The document's province (pre-2025 name) or 'national'; NA if the "
                "text names none",
            ),
            "province_code": pa.Column(
                "string",
                checks=pa.Check.str_matches(r"^\d{2}$"),
                nullable=True,
                description="The document's GSO province code; NA for national",
            ),
            "period_start": pa.Column(
                "Int64",
                checks=pa.Check.in_range(1945, 2100),
                nullable=True,
                description="First year of the document's plan period",
            ),
            "period_end": pa.Column(
                "Int64",
                checks=pa.Check.in_range(1945, 2100),
                nullable=True,
                description="Last year of the document's plan period",
            ),
            "restates_target_no": pa.Column(
                "Int64",
                checks=pa.Check.ge(1),
                nullable=True,
                description="target_no of the first statement of the same commitment in this "
                "document (same indicator, level, unit, direction, comparator, values and "
                "deadline: parstats.ambition.restatements); NA for a first statement. Both rows "
                "are kept; count a commitment once by keeping the rows where this is NA",
            ),
            "origin": pa.Column(
                "string",
                checks=pa.Check.isin(list(ORIGINS)),
                nullable=False,
                description="extracted (as the extractor read it, or confirmed by a reviewer) "
                "or corrected (a field set, or the row added, by data/raw/corrections.csv)",
            ),
            "correction": pa.Column(
                "string",
                checks=pa.Check.isin(["keep", "fix", "add"]),
                nullable=True,
                description="The reviewer's decision applied to the row (docs/REVIEW.md): keep "
                "(checked, unchanged), fix (fields set), add (a target the extractor missed); "
                "NA: not reviewed. Dropped rows are listed in the corrections table",
            ),
        },
        strict=True,
        ordered=True,
        unique=["doc", "target_no"],
        name="targets",
        description="One row per numeric target in a plan (docs/TARGETS.md), with where it "
        "stands (page, line), its plan's keys, restatements marked, and reviewers' "
        "corrections applied (origin)",
    )


def _corrections_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    text = {"dtype": "string", "nullable": True}
    return pa.DataFrameSchema(
        {
            "file_line": pa.Column(
                "Int64",
                checks=pa.Check.ge(2),
                nullable=False,
                unique=True,
                description="Line of data/raw/corrections.csv (the header is line 1)",
            ),
            "action": pa.Column(
                "string",
                checks=pa.Check.isin(list(CORRECTION_ACTIONS)),
                nullable=False,
                description="keep, drop, fix or add (docs/REVIEW.md)",
            ),
            "sha256": pa.Column(
                "string",
                checks=pa.Check.str_matches(r"^[0-9a-f]{64}$"),
                nullable=False,
                description="SHA-256 of the document the correction is for (documents.sha256)",
            ),
            "doc": pa.Column(
                description="The document of this build with that SHA-256; NA if none", **text
            ),
            "page": pa.Column(
                "Int64",
                checks=pa.Check.ge(1),
                nullable=True,
                description="Page of the quoted number (NA: the document has no pages)",
            ),
            "line": pa.Column(
                "Int64",
                checks=pa.Check.ge(1),
                nullable=True,
                description="Line of the quoted number (targets.line); NA for an added "
                "target found by its quote alone",
            ),
            "quote": pa.Column(
                "string",
                nullable=False,
                description="The quoted number the correction is keyed by (targets.quote)",
            ),
            "value": pa.Column(
                "Float64",
                nullable=True,
                description="The number as extracted (keep, drop, fix) or added (add)",
            ),
            "indicator": pa.Column(
                description="The indicator as extracted, telling apart rows read from one "
                "number (keep, drop, fix); the added row's indicator (add)",
                **text,
            ),
            "status": pa.Column(
                "string",
                checks=pa.Check.isin(["applied", "stale"]),
                nullable=False,
                description="applied, or stale: it no longer finds its document, its quote or "
                "a target at the quote (reason says which); a stale correction changes nothing",
            ),
            "target_no": pa.Column(
                "Int64",
                checks=pa.Check.ge(1),
                nullable=True,
                description="The targets row it kept, fixed or added, or the number of the row "
                "it dropped (no longer in the targets table); NA when stale",
            ),
            "changes": pa.Column(
                description="What it did: the fields a fix set (field: old -> new), the "
                "dropped or added row's fields; NA for keep and stale",
                **text,
            ),
            "reason": pa.Column(description="Why it is stale; NA when applied", **text),
            "note": pa.Column(description="The reviewer's note", **text),
        },
        strict=True,
        ordered=True,
        unique=["file_line"],
        name="corrections",
        description="One row per row of data/raw/corrections.csv: the reviewers' corrections, "
        "whether each was applied to the targets table (dropped rows are listed here) or is "
        "stale, and why",
    )


_BUILDERS: dict[str, Callable[[], Any]] = {
    "DOCUMENTS_SCHEMA": _documents_schema,
    "TARGETS_SCHEMA": _targets_schema,
    "CORRECTIONS_SCHEMA": _corrections_schema,
}


def __getattr__(name: str) -> Any:
    # The schemas need pandera (and so pandas): build them on first access only.
    if name in _BUILDERS:
        schema = _BUILDERS[name]()
        globals()[name] = schema
        return schema
    raise AttributeError(f"module 'parstats.schema' has no attribute {name!r}")


# --------------------------------------------------------------------------- validation


def conform(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Return ``frame`` with exactly the schema's columns, in its order, with its dtypes.

    Missing values become ``NA``; no row is dropped and no value is changed
    other than its dtype. A column the schema does not know, or one it needs
    that is missing, is an :class:`~parstats.errors.InputError`.
    """
    import pandas as pd

    from parstats.errors import InputError

    wanted = list(schema.columns)
    extra = [c for c in frame.columns if c not in wanted]
    missing = [c for c in wanted if c not in frame.columns]
    if extra or missing:
        raise InputError(
            f"{schema.name} frame has unexpected columns {extra} and lacks {missing}; "
            f"expected {wanted}"
        )
    out = frame.loc[:, wanted].reset_index(drop=True)
    for name, column in schema.columns.items():
        dtype = "string" if str(column.dtype).startswith("string") else str(column.dtype)
        if str(out[name].dtype) != dtype:
            values = out[name]
            if dtype == "string":
                values = values.astype(object).where(values.notna(), None)
            out[name] = pd.array(values, dtype=dtype)
    return out


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, name: str) -> pd.DataFrame:
    """Return ``frame`` if it satisfies ``schema``; otherwise raise :class:`SchemaError`.

    The error names the table, each failing column and check, and the first
    offending rows with their values.

    Parameters
    ----------
    frame
        The table.
    schema
        Its pandera schema.
    name
        The table's name, for the message.
    """
    import pandera.errors as pe

    try:
        return schema.validate(frame, lazy=True)
    except pe.SchemaErrors as exc:
        raise SchemaError(_describe_failures(exc.failure_cases, name), value=name) from None


def _describe_failures(cases: pd.DataFrame, name: str) -> str:
    parts = []
    for (column, check), group in cases.groupby(["column", "check"], sort=False, dropna=False):
        rows = [r for r in group["index"].tolist() if r is not None]
        values = group["failure_case"].tolist()[:MAX_REPORTED_ROWS]
        where = f"rows {rows[:MAX_REPORTED_ROWS]}" if rows else "table"
        extra = len(group) - MAX_REPORTED_ROWS
        more = f" (+{extra} more)" if extra > 0 else ""
        parts.append(f"column {column!r} fails {check} at {where}: values {values}{more}")
    return f"table {name!r} does not match its schema: " + "; ".join(parts)


# --------------------------------------------------------------------------- data package


@dataclass(frozen=True)
class Resource:
    """One written table, as listed in the Data Package.

    Attributes
    ----------
    name
        Table name.
    path
        The CSV file, relative to the descriptor.
    schema
        The table's pandera schema.
    rows
        Number of rows.
    sha256
        SHA-256 of the CSV file.
    bytes
        Size of the CSV file.
    parquet
        The Parquet twin, relative to the descriptor (``""`` if none).
    """

    name: str
    path: str
    schema: Any
    rows: int
    sha256: str
    bytes: int
    parquet: str = ""


@dataclass(frozen=True)
class Source:
    """One input file recorded in the Data Package (``sources``)."""

    path: str
    sha256: str
    bytes: int
    title: str = ""


_TABLE_TYPES = {
    "string": "string",
    "str": "string",
    "object": "string",
    "bool": "boolean",
    "boolean": "boolean",
    "date": "date",
}


def table_type(dtype: object) -> str:
    """Return the Table Schema ``type`` of a pandera column dtype."""
    text = str(dtype).lower()
    if text.startswith(("int", "uint")):
        return "integer"
    if text.startswith("float"):
        return "number"
    if text.startswith("datetime"):
        return "datetime"
    return _TABLE_TYPES.get(text.split("[")[0], "any")


def _constraints(column: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"required": not column.nullable}
    if column.unique:
        out["unique"] = True
    for check in column.checks:
        stats = check.statistics or {}
        if check.name == "isin":
            out["enum"] = list(stats["allowed_values"])
        elif check.name in ("greater_than_or_equal_to", "in_range"):
            out["minimum"] = stats["min_value"]
        elif check.name == "str_matches":
            out["pattern"] = stats["pattern"]
        elif check.name == "str_length" and stats.get("min_value") is not None:
            out["minLength"] = stats["min_value"]
        if check.name in ("less_than_or_equal_to", "in_range"):
            out["maximum"] = stats["max_value"]
    return out


def primary_key(schema: Any) -> list[str]:
    """Return a schema's key: its ``unique`` columns, else its one unique column."""
    if schema.unique:
        return list(schema.unique)
    return [name for name, col in schema.columns.items() if col.unique][:1]


def table_schema(schema: Any) -> dict[str, Any]:
    """Return the Frictionless Table Schema of a pandera ``DataFrameSchema``."""
    fields = [
        {
            "name": name,
            "type": table_type(column.dtype),
            "description": column.description or "",
            "constraints": _constraints(column),
        }
        for name, column in schema.columns.items()
    ]
    return {"fields": fields, "primaryKey": primary_key(schema), "missingValues": [""]}


def datapackage(
    resources: Sequence[Resource],
    *,
    sources: Sequence[Source] = (),
    version: str,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return a Frictionless Data Package descriptor for written tables.

    Nothing in it depends on the time of the build, so the descriptor is
    byte-identical when the inputs are.

    Parameters
    ----------
    resources
        The tables, with their schemas.
    sources
        Input files and their hashes.
    version
        The parstats version that built the package.
    extra
        Further build parameters recorded under ``parstats``.
    """
    described = []
    for res in resources:
        entry: dict[str, Any] = {
            "name": res.name,
            "path": res.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "hash": f"sha256:{res.sha256}",
            "bytes": res.bytes,
            "rows": res.rows,
            "description": res.schema.description or "",
            "schema": table_schema(res.schema),
        }
        if res.parquet:
            entry["parquet"] = res.parquet
        described.append(entry)
    return {
        "name": "parstats",
        "title": "Targets of Vietnamese Public Administration Reform plans",
        "profile": "tabular-data-package",
        "version": version,
        "resources": described,
        "sources": [
            {"title": s.title or s.path, "path": s.path, "hash": f"sha256:{s.sha256}",
             "bytes": s.bytes}
            for s in sources
        ],
        "parstats": {"version": version, **dict(extra or {})},
    }

