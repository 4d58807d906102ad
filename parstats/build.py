"""``parstats build``: rebuild ``data/processed`` from ``data/raw``, atomically.

The steps, each a small function:

1. :func:`read_manifest` and :func:`check_plans` — every plan file (``.pdf .docx
   .doc .html .htm .txt``, any letter case) is listed in
   ``data/raw/plans/manifest.csv`` with the SHA-256 of its original bytes; an
   unlisted, missing or changed file stops the build before anything is written;
2. :func:`parstats.review.read_corrections` — the reviewers' corrections
   (``data/raw/corrections.csv``, if there is one), checked row by row;
3. :func:`parstats.extract.extract_paths` — metadata, kind and targets of every
   plan, each target with its page and line; only documents whose kind sets
   commitments keep their targets (unless ``all_kinds``); any failing document
   stops the build (previous outputs stay in place);
4. :func:`parstats.review.apply_corrections` — the corrections applied to the
   targets (a stale one is reported, never dropped silently), then every target
   gets its plan's keys and restatements (:func:`parstats.extract.with_keys`);
5. each :class:`~parstats.schema.TableSpec` of :data:`TABLES` produces its frame,
   validated against its pandera schema;
6. :func:`write_outputs` — every table as ``.parquet`` and ``.csv``, plus
   ``datapackage.json`` (schemas, input hashes, the SHA-256 of every file,
   parstats version; no timestamps), written into a new generation folder and
   published with one atomic switch of the ``data/processed`` link
   (:mod:`parstats.processed`), so whatever is killed when, readers see the
   previous build whole or the new one whole.

One build runs at a time (:func:`parstats.processed.build_lock`); a second one
says which process holds the lock. A re-run on the same inputs writes
byte-identical files.
"""

from __future__ import annotations

import csv
import shutil
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parstats.errors import InputError, UnreadInputWarning
from parstats.formats.sniff import PLAN_SUFFIXES
from parstats.schema import Resource, Source, TableSpec

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.extract import ExtractionResult
    from parstats.processed import Generation
    from parstats.review import AppliedCorrections

MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = ("file", "sha256", "bytes", "source")
DATAPACKAGE = "datapackage.json"
CORRECTIONS = "corrections.csv"
"""The reviewers' corrections, in ``data/raw`` (``docs/REVIEW.md``)."""
# Files that may sit in data/raw/plans without a manifest row (documentation).
_NOT_PLANS = (".md",)


@dataclass(frozen=True)
class BuildContext:
    """What table producers receive.

    Attributes
    ----------
    root
        The project directory.
    extraction
        Documents and targets of every plan, as extracted.
    corrections
        The reviewers' corrections applied: the targets and documents tables with
        them, and the corrections table.
    tables
        Frames produced so far, by table name (in :data:`TABLES` order), so a
        later table (ambition, delivery) can use an earlier one.
    """

    root: Path
    extraction: ExtractionResult
    corrections: AppliedCorrections
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def _documents(context: BuildContext) -> pd.DataFrame:
    return context.corrections.documents


def _targets(context: BuildContext) -> pd.DataFrame:
    return context.corrections.targets


def _corrections(context: BuildContext) -> pd.DataFrame:
    return context.corrections.table


def _provinces(context: BuildContext) -> pd.DataFrame:
    from parstats.provinces import registry_frame

    return registry_frame()


def _indices(context: BuildContext) -> pd.DataFrame:
    from parstats.indices import build_frame

    return build_frame(context.root / "data" / "raw" / "indices")


def _ambition(context: BuildContext) -> pd.DataFrame:
    from parstats.ambition import build_frame

    return build_frame(context.tables["targets"], context.tables["documents"])


def delivery_as_of(indices: pd.DataFrame) -> int:
    """Return the year delivery is judged as of: the newest survey year in the data, plus one.

    An index edition for year ``Y`` is published in ``Y + 1``; the newest edition
    in ``data/raw/indices`` therefore dates the snapshot. A target whose deadline
    edition should be out by then but is absent is ``no_data``; a later one is
    ``not_yet_due``. Derived from the data, so a re-build is byte-identical.
    """
    return int(indices["year"].max()) + 1


def _delivery(context: BuildContext) -> pd.DataFrame:
    from parstats.delivery import build_frame

    indices = context.tables["indices"]
    return build_frame(
        context.tables["targets"],
        context.tables["documents"],
        indices,
        as_of=delivery_as_of(indices),
    )


def _trajectories(context: BuildContext) -> pd.DataFrame:
    from parstats.delivery import index_trajectories

    documents = context.tables["documents"]
    # Index trajectories are drawn for plans, not for the reports or laws listed beside them.
    plans = documents.loc[documents["targets_kept"].fillna(False).astype(bool)]
    return index_trajectories(plans.reset_index(drop=True), context.tables["indices"])


TABLES: list[TableSpec] = [
    TableSpec("documents", "parstats.schema:DOCUMENTS_SCHEMA", _documents),
    TableSpec("targets", "parstats.schema:TARGETS_SCHEMA", _targets),
    TableSpec("provinces", "parstats.provinces:SCHEMA", _provinces),
    TableSpec("indices", "parstats.indices:SCHEMA", _indices),
    TableSpec("ambition", "parstats.ambition:SCHEMA", _ambition),
    TableSpec("delivery", "parstats.delivery:SCHEMA", _delivery),
    TableSpec("trajectories", "parstats.delivery:TRAJECTORY_SCHEMA", _trajectories),
    TableSpec("corrections", "parstats.schema:CORRECTIONS_SCHEMA", _corrections),
]
"""Tables of the processed package, built in this order. Append a
``TableSpec(name, "module:SCHEMA", producer)`` to add one (indices, provinces,
ambition, delivery): it is validated, written and described like these."""

# Files that shape the output besides the plans: recorded in the package's sources.
PACKAGE_INPUTS: tuple[str, ...] = (
    "indicators.csv",
    "provinces.csv",
    "measures.csv",
    "source_kinds.csv",
)


@dataclass(frozen=True)
class ManifestRow:
    """One plan listed in the manifest: file name, hash, size and metadata override."""

    file: str
    sha256: str
    bytes: int
    source: str
    override: Mapping[str, str]
    line: int


@dataclass(frozen=True)
class WrittenTable:
    """A table written by the build."""

    name: str
    rows: int
    parquet: Path
    csv: Path


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote.

    Attributes
    ----------
    tables
        The tables, in :data:`TABLES` order.
    datapackage
        Path of ``datapackage.json``.
    n_documents
        Number of plans extracted.
    generation
        The generation folder ``data/processed`` now points to.
    documents
        The documents table written (kinds, whether targets were kept).
    corrections
        The corrections table written (applied and stale corrections).
    """

    tables: tuple[WrittenTable, ...]
    datapackage: Path
    n_documents: int
    generation: Path | None = None
    documents: pd.DataFrame | None = None
    corrections: pd.DataFrame | None = None

    @property
    def not_plans(self) -> pd.DataFrame | None:
        """The documents whose targets were not kept (their kind sets no commitments)."""
        if self.documents is None:
            return None
        return self.documents.loc[~self.documents["targets_kept"].astype(bool)]


# --------------------------------------------------------------------------- inputs


def _root(root: str | Path | None) -> Path:
    from parstats.paths import project_root

    return Path(root).resolve() if root is not None else project_root()


def read_manifest(path: str | Path) -> list[ManifestRow]:
    """Return the rows of a plans manifest, checked for the required columns.

    The file is UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8"
    adds one).

    Raises
    ------
    InputError
        If the file is missing, lacks a column, or a row has an empty file
        name, a file name that is not a plan file (:data:`PLAN_SUFFIXES`) inside
        the plans folder, a malformed hash, a non-integer size, a duplicate file
        or an inverted period.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(
            "plans manifest not found; list every plan with its sha256 there", path=path
        )
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return _manifest_rows(path, csv.DictReader(fh))
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 (byte {exc.start}: {exc.object[exc.start:exc.start + 1]!r}); save the "
            "manifest as UTF-8 CSV",
            path=path,
        ) from None
    except csv.Error as exc:
        raise InputError(f"not a readable CSV file ({exc})", path=path) from None


def _manifest_rows(path: Path, reader: csv.DictReader) -> list[ManifestRow]:
    columns = tuple(reader.fieldnames or ())
    lacking = [c for c in MANIFEST_COLUMNS if c not in columns]
    if lacking:
        raise InputError(f"manifest lacks columns {lacking}; has {list(columns)}", path=path)
    rows: list[ManifestRow] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        if None in raw:
            raise InputError(
                f"row has {len(columns) + len(raw[None])} cells but the header has "
                f"{len(columns)}", path=path, line=line,
            )
        name = (raw.get("file") or "").strip()
        digest = (raw.get("sha256") or "").strip().lower()
        if not name:
            raise InputError("empty file name", path=path, line=line)
        check_plan_name(name, path=path, line=line)
        if name in seen:
            raise InputError("file listed twice", path=path, line=line, value=name)
        if len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest):
            raise InputError(
                "sha256 must be 64 hex digits", path=path, line=line, value=raw.get("sha256")
            )
        size = (raw.get("bytes") or "").strip()
        if not (size.isascii() and size.isdigit()):
            raise InputError("bytes must be an integer", path=path, line=line, value=size)
        seen.add(name)
        extra = {k: (v or "") for k, v in raw.items() if k and k not in MANIFEST_COLUMNS}
        _check_period(extra, path=path, line=line)
        rows.append(ManifestRow(name, digest, int(size), raw.get("source") or "", extra, line))
    return rows


def check_plan_name(name: str, *, path: Path | None = None, line: int | None = None) -> str:
    """Return a manifest ``file`` cell if it names a plan file inside the plans folder.

    Only a relative path without ``..``, backslashes or control characters,
    ending in a plan suffix (``.pdf .docx .doc .html .htm .txt``, any case), is
    accepted; where it leads is checked again on disk by :func:`check_plans`
    (symbolic links).

    Raises
    ------
    InputError
        Otherwise, naming the manifest line.
    """
    parts = name.split("/")
    if (
        name.startswith(("/", "~"))
        or (len(name) > 1 and name[1] == ":")
        or "\\" in name
        or any(part in ("", ".", "..") for part in parts)
        or any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in name)
    ):
        raise InputError(
            "file must be a plan's name (or a relative path) inside data/raw/plans, without "
            "'..', a leading '/' or control characters",
            path=path, line=line, value=name,
        )
    if not name.lower().endswith(PLAN_SUFFIXES):
        raise InputError(
            f"file must be a plan file ending in {', '.join(PLAN_SUFFIXES)} (any letter case)",
            path=path, line=line, value=name,
        )
    return name


def _check_period(override: Mapping[str, str], *, path: Path, line: int) -> None:
    start = (override.get("period_start") or "").strip()
    end = (override.get("period_end") or "").strip()
    if start.isdigit() and end.isdigit() and int(start) > int(end):
        raise InputError(
            f"period_start {start} is after period_end {end}; a plan's period runs from its "
            "first year to its last",
            path=path, line=line, value=(start, end),
        )


def check_plans(plans_dir: Path, rows: Sequence[ManifestRow]) -> list[Path]:
    """Return the plan files in manifest order after checking them against the manifest.

    Raises
    ------
    InputError
        If a plan (any of :data:`PLAN_SUFFIXES`, in any case) or another file in
        the folder is not listed, a listed plan is missing or leads outside the
        folder (a symbolic link), or a file's size or SHA-256 differs from the
        manifest's (raw data changed without the manifest). The SHA-256 is that
        of the file's bytes as they are (a PDF's, not of the text read from it).
    """
    from parstats.io import sha256_file

    manifest = plans_dir / MANIFEST
    listed = {row.file for row in rows}
    present = [
        p for p in sorted(plans_dir.iterdir())
        if p.name != MANIFEST and not p.name.startswith(".") and p.name not in listed
        and not p.is_dir()
    ]
    unlisted = [p.name for p in present if p.suffix.lower() in PLAN_SUFFIXES]
    if unlisted:
        raise InputError(
            f"plan files not listed in {MANIFEST}: {unlisted}; add a row for each with its "
            "sha256, bytes and source",
            path=manifest,
        )
    others = [p.name for p in present if p.suffix.lower() not in _NOT_PLANS]
    if others:
        raise InputError(
            f"files that are not listed plans: {others}; only plan files "
            f"({' '.join(PLAN_SUFFIXES)}) listed in {MANIFEST} belong in {plans_dir.name}/: "
            "save a plan in one of these formats and list it, or move the file out",
            path=manifest,
        )
    root = plans_dir.resolve()
    files = []
    for row in rows:
        path = plans_dir / row.file
        if not path.is_file():
            raise InputError(f"lists {row.file!r}, which does not exist", path=manifest,
                             line=row.line)
        if root not in path.resolve().parents:
            raise InputError(
                f"lists {row.file!r}, which leads outside {plans_dir} (a symbolic link to "
                f"{path.resolve()}); copy the plan into the folder instead",
                path=manifest, line=row.line,
            )
        digest = sha256_file(path)
        if digest != row.sha256:
            raise InputError(
                f"sha256 is {digest} but {MANIFEST} line {row.line} says {row.sha256}: the file "
                "changed; restore it, or record the new version and its source in the manifest",
                path=path,
            )
        size = path.stat().st_size
        if size != row.bytes:
            raise InputError(
                f"{row.file} has {size} bytes but {MANIFEST} line {row.line} says {row.bytes}; "
                "correct the bytes column (the file's size)",
                path=manifest, line=row.line,
            )
        files.append(path)
    return files


# --------------------------------------------------------------------------- build


def build(
    *,
    root: str | Path | None = None,
    workers: int = 1,
    wait: float = 0.0,
    all_kinds: bool = False,
) -> BuildResult:
    """Rebuild ``data/processed`` from the plans in ``data/raw/plans``.

    Parameters
    ----------
    root
        Project directory; default :func:`parstats.paths.project_root`
        (``$PARSTATS_HOME`` or the repository).
    workers
        Processes for extraction (the output does not depend on it).
    wait
        Seconds to wait for another build to finish (default: refuse at once).
    all_kinds
        Keep the targets of every document in ``data/raw/plans``, also those
        whose kind sets no commitments (reports, laws ...); by default they are
        listed in the documents table with their kind and no targets.

    Returns
    -------
    BuildResult

    Raises
    ------
    BusyError
        If another build is running (the message names it).
    InputError
        If the manifest and the plans disagree, ``data/raw/corrections.csv`` has
        a bad row, or any plan fails to extract (every failure is listed);
        nothing is written then.
    SchemaError
        If a table does not satisfy its schema; nothing is written then.
    """
    from parstats.processed import build_lock, collect_garbage

    root = _root(root)
    out_dir = root / "data" / "processed"
    with build_lock(out_dir, wait=wait):
        collect_garbage(out_dir)  # leftovers of killed builds (no other build runs now)
        return _build_locked(root, out_dir, workers, all_kinds)


def _build_locked(root: Path, out_dir: Path, workers: int, all_kinds: bool) -> BuildResult:
    from parstats.extract import extract_paths
    from parstats.review import apply_corrections, read_corrections
    from parstats.schema import validate

    plans_dir = root / "data" / "raw" / "plans"
    rows = read_manifest(plans_dir / MANIFEST)
    files = check_plans(plans_dir, rows)
    corrections_file = root / "data" / "raw" / CORRECTIONS
    corrections = read_corrections(corrections_file) if corrections_file.is_file() else ()
    overrides = {row.file: row.override for row in rows}
    extraction = extract_paths(
        files,
        workers=workers,
        overrides=overrides,
        all_kinds=all_kinds,
        keep_texts={c.sha256 for c in corrections},
    )
    if extraction.failures:
        listing = "; ".join(f"{f.path}: {f.reason}" for f in extraction.failures)
        raise InputError(
            f"{len(extraction.failures)} plan(s) failed, nothing written: {listing}",
            value=[f.path for f in extraction.failures],
        )
    applied = apply_corrections(
        extraction.targets, extraction.documents, corrections, extraction.texts
    )
    context = BuildContext(root=root, extraction=extraction, corrections=applied)
    for spec in TABLES:
        context.tables[spec.name] = validate(spec.produce(context), spec.load_schema(), spec.name)
    sources = _sources(root, plans_dir, rows, corrections_file)
    result = write_outputs(
        context.tables,
        out_dir,
        sources=sources,
        n_documents=len(extraction.docs),
        options={"all_kinds": all_kinds},
    )
    return replace(
        result, documents=context.tables["documents"], corrections=context.tables["corrections"]
    )


def _sources(
    root: Path, plans_dir: Path, rows: Sequence[ManifestRow], corrections: Path
) -> list[Source]:
    from parstats.io import sha256_file
    from parstats.paths import package_data

    def relative(path: Path) -> str:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()

    manifest = plans_dir / MANIFEST
    out = [Source(relative(manifest), sha256_file(manifest), manifest.stat().st_size, MANIFEST)]
    out += [
        Source(relative(plans_dir / row.file), row.sha256, row.bytes, row.source)
        for row in rows
    ]
    if corrections.is_file():
        out.append(Source(relative(corrections), sha256_file(corrections),
                          corrections.stat().st_size, "reviewers' corrections of the targets"))
    out += _index_sources(root / "data" / "raw" / "indices", relative)
    for name in PACKAGE_INPUTS:
        path = package_data(name)
        if path.is_file():
            out.append(Source(f"parstats/data/{name}", sha256_file(path), path.stat().st_size))
    return out


def _index_sources(indices_dir: Path, relative: Any) -> list[Source]:
    """Return the raw index files the build reads, and warn about any other file there."""
    from parstats.indices import raw_files
    from parstats.io import sha256_file

    read = raw_files(indices_dir)
    ignored = sorted(
        p.name for p in indices_dir.glob("*")
        if p.is_file() and not p.name.startswith(".") and p not in read
        and p.suffix.lower() != ".md"
    )
    if ignored:
        warnings.warn(
            f"{indices_dir}: {ignored} not read by the build (it reads the .csv files of this "
            "folder); import a published table with `parstats indices import`, or move it out",
            UnreadInputWarning,
            stacklevel=3,
        )
    return [
        Source(relative(path), sha256_file(path), path.stat().st_size, "published index figures")
        for path in read
    ]


def write_outputs(
    tables: Mapping[str, pd.DataFrame],
    out_dir: Path,
    *,
    sources: Sequence[Source],
    n_documents: int,
    options: Mapping[str, Any] | None = None,
) -> BuildResult:
    """Write every table (``.parquet``, ``.csv``) and ``datapackage.json`` as a new generation.

    Files are written into a staging folder beside the generations
    (``data/.processed``); ``datapackage.json``, written last, lists every
    file's SHA-256 and size. :func:`parstats.processed.publish` then makes the
    folder the current generation and points ``out_dir`` at it in one atomic
    step. A failure before that leaves ``out_dir`` exactly as it was. Holds
    the build lock. ``options`` (the build's options, such as ``all_kinds``) are
    recorded in ``datapackage.json``.
    """
    from parstats import __version__
    from parstats.io import sha256_file, write_frame, write_json
    from parstats.processed import build_lock, generations_for, new_staging, publish

    with build_lock(out_dir):
        staging = new_staging(generations_for(out_dir))
        try:
            resources: list[Resource] = []
            written: list[WrittenTable] = []
            files: dict[str, dict[str, Any]] = {}
            for spec in TABLES:
                frame = tables[spec.name]
                parquet, csv_path = f"{spec.name}.parquet", f"{spec.name}.csv"
                for name in (parquet, csv_path):
                    write_frame(frame, staging / name)
                    files[name] = {
                        "sha256": sha256_file(staging / name),
                        "bytes": (staging / name).stat().st_size,
                    }
                resources.append(
                    Resource(
                        name=spec.name,
                        path=csv_path,
                        schema=spec.load_schema(),
                        rows=len(frame),
                        sha256=files[csv_path]["sha256"],
                        bytes=files[csv_path]["bytes"],
                        parquet=parquet,
                    )
                )
                written.append(
                    WrittenTable(spec.name, len(frame), out_dir / parquet, out_dir / csv_path)
                )
            from parstats.schema import datapackage

            descriptor = datapackage(
                resources,
                sources=sources,
                version=__version__,
                extra={
                    "documents": n_documents,
                    "files": files,
                    "csv_text_cells": CSV_TEXT_NOTE,
                    "options": dict(options or {}),
                },
            )
            write_json(staging / DATAPACKAGE, descriptor)
            generation = publish(staging, out_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(tuple(written), out_dir / DATAPACKAGE, n_documents, generation)


CSV_TEXT_NOTE = (
    "In the CSV files, a text cell that starts with =, +, -, @, a tab or a carriage return "
    "(a spreadsheet would run it as a formula) is written with a leading ' ; the Parquet "
    "files keep the exact text."
)


# --------------------------------------------------------------------------- loading


def load_table(name: str, *, generation: Generation | None = None) -> pd.DataFrame:
    """Return a processed table (``data/processed/<name>.parquet``) with its schema's dtypes.

    Parameters
    ----------
    name
        The table (see :data:`TABLES`).
    generation
        Read from this resolved generation (to read several tables from one
        build); by default the current one.

    Raises
    ------
    InputError
        If the table has not been built; the message says to run ``parstats build``.
    DamagedDataError
        If the file is damaged, half-written or from another build than its
        ``datapackage.json``; the message says to run ``parstats build``.
    """
    from parstats import processed

    spec = next((s for s in TABLES if s.name == name), None)
    if spec is None:
        raise InputError(
            f"no table {name!r}; tables are {[s.name for s in TABLES]}", value=name
        )

    def read(gen: Generation) -> pd.DataFrame:
        from parstats.schema import conform

        file = f"{name}.parquet"
        if not (gen.path / file).is_file() and not gen.listed(file):
            raise InputError(
                f"table {name!r} not built yet; run `parstats build` first", path=gen.shown(file)
            )
        return conform(gen.read_parquet(file), spec.load_schema())

    return read(generation) if generation is not None else processed.read(read)


def load_targets() -> pd.DataFrame:
    """Return the processed targets table (run ``parstats build`` first)."""
    return load_table("targets")


def load_documents() -> pd.DataFrame:
    """Return the processed documents table (run ``parstats build`` first)."""
    return load_table("documents")
