"""``parstats build``: rebuild ``data/processed`` from ``data/raw``, atomically.

The steps, each a small function:

1. :func:`read_manifest` and :func:`check_plans` — every plan file is listed in
   ``data/raw/plans/manifest.csv`` with the SHA-256 of its bytes; an unlisted,
   missing or changed file stops the build before anything is written;
2. :func:`parstats.extract.extract_paths` — metadata and targets of every plan;
   any failing document stops the build (previous outputs stay in place);
3. each :class:`~parstats.schema.TableSpec` of :data:`TABLES` produces its frame,
   validated against its pandera schema;
4. :func:`write_outputs` — every table as ``.parquet`` and ``.csv``, plus
   ``datapackage.json`` (schemas, input hashes, parstats version; no
   timestamps), staged in a temporary folder and moved into place only when all
   are written, so a crash leaves the previous build whole.

A re-run on the same inputs writes byte-identical files.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from parstats.errors import InputError
from parstats.schema import Resource, Source, TableSpec

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.extract import ExtractionResult

MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = ("file", "sha256", "bytes", "source")
DATAPACKAGE = "datapackage.json"
_STAGING_PREFIX = ".build-"


@dataclass(frozen=True)
class BuildContext:
    """What table producers receive.

    Attributes
    ----------
    root
        The project directory.
    extraction
        Documents and targets of every plan.
    tables
        Frames produced so far, by table name (in :data:`TABLES` order), so a
        later table (ambition, delivery) can use an earlier one.
    """

    root: Path
    extraction: ExtractionResult
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def _documents(context: BuildContext) -> pd.DataFrame:
    return context.extraction.documents


def _targets(context: BuildContext) -> pd.DataFrame:
    return context.extraction.targets


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

    return index_trajectories(context.tables["documents"], context.tables["indices"])


TABLES: list[TableSpec] = [
    TableSpec("documents", "parstats.schema:DOCUMENTS_SCHEMA", _documents),
    TableSpec("targets", "parstats.schema:TARGETS_SCHEMA", _targets),
    TableSpec("provinces", "parstats.provinces:SCHEMA", _provinces),
    TableSpec("indices", "parstats.indices:SCHEMA", _indices),
    TableSpec("ambition", "parstats.ambition:SCHEMA", _ambition),
    TableSpec("delivery", "parstats.delivery:SCHEMA", _delivery),
    TableSpec("trajectories", "parstats.delivery:TRAJECTORY_SCHEMA", _trajectories),
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
    """

    tables: tuple[WrittenTable, ...]
    datapackage: Path
    n_documents: int


# --------------------------------------------------------------------------- inputs


def _root(root: str | Path | None) -> Path:
    from parstats.paths import project_root

    return Path(root).resolve() if root is not None else project_root()


def read_manifest(path: str | Path) -> list[ManifestRow]:
    """Return the rows of a plans manifest, checked for the required columns.

    Raises
    ------
    InputError
        If the file is missing, lacks a column, or a row has an empty file
        name, a malformed hash, a non-integer size or a duplicate file.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(
            "plans manifest not found; list every plan with its sha256 there", path=path
        )
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        columns = tuple(reader.fieldnames or ())
        lacking = [c for c in MANIFEST_COLUMNS if c not in columns]
        if lacking:
            raise InputError(f"manifest lacks columns {lacking}; has {list(columns)}", path=path)
        rows: list[ManifestRow] = []
        seen: set[str] = set()
        for line, raw in enumerate(reader, start=2):
            name = (raw.get("file") or "").strip()
            digest = (raw.get("sha256") or "").strip().lower()
            if not name:
                raise InputError("empty file name", path=path, line=line)
            if name in seen:
                raise InputError("file listed twice", path=path, line=line, value=name)
            if len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest):
                raise InputError(
                    "sha256 must be 64 hex digits", path=path, line=line, value=raw.get("sha256")
                )
            size = (raw.get("bytes") or "").strip()
            if not size.isdigit():
                raise InputError("bytes must be an integer", path=path, line=line, value=size)
            seen.add(name)
            extra = {k: (v or "") for k, v in raw.items() if k and k not in MANIFEST_COLUMNS}
            rows.append(
                ManifestRow(name, digest, int(size), raw.get("source") or "", extra, line)
            )
    return rows


def check_plans(plans_dir: Path, rows: Sequence[ManifestRow]) -> list[Path]:
    """Return the plan files in manifest order after checking them against the manifest.

    Raises
    ------
    InputError
        If a plan is not listed, a listed plan is missing, or a file's SHA-256
        differs from the manifest's (raw data changed without the manifest).
    """
    from parstats.io import sha256_file

    manifest = plans_dir / MANIFEST
    listed = {row.file for row in rows}
    unlisted = sorted(p.name for p in plans_dir.glob("*.txt") if p.name not in listed)
    if unlisted:
        raise InputError(
            f"plan files not listed in {MANIFEST}: {unlisted}; add a row for each with its "
            "sha256, bytes and source",
            path=manifest,
        )
    files = []
    for row in rows:
        path = plans_dir / row.file
        if not path.is_file():
            raise InputError(f"lists {row.file!r}, which does not exist", path=manifest,
                             line=row.line)
        digest = sha256_file(path)
        if digest != row.sha256:
            raise InputError(
                f"sha256 is {digest} but {MANIFEST} line {row.line} says {row.sha256}: the file "
                "changed; restore it, or record the new version and its source in the manifest",
                path=path,
            )
        files.append(path)
    return files


# --------------------------------------------------------------------------- build


def build(*, root: str | Path | None = None, workers: int = 1) -> BuildResult:
    """Rebuild ``data/processed`` from the plans in ``data/raw/plans``.

    Parameters
    ----------
    root
        Project directory; default :func:`parstats.paths.project_root`
        (``$PARSTATS_HOME`` or the repository).
    workers
        Processes for extraction (the output does not depend on it).

    Returns
    -------
    BuildResult

    Raises
    ------
    InputError
        If the manifest and the plans disagree, or any plan fails to extract
        (every failure is listed); nothing is written then.
    SchemaError
        If a table does not satisfy its schema; nothing is written then.
    """
    from parstats.extract import extract_paths
    from parstats.schema import validate

    root = _root(root)
    plans_dir = root / "data" / "raw" / "plans"
    rows = read_manifest(plans_dir / MANIFEST)
    files = check_plans(plans_dir, rows)
    overrides = {row.file: row.override for row in rows}
    extraction = extract_paths(files, workers=workers, overrides=overrides)
    if extraction.failures:
        listing = "; ".join(f"{f.path}: {f.reason}" for f in extraction.failures)
        raise InputError(
            f"{len(extraction.failures)} plan(s) failed, nothing written: {listing}",
            value=[f.path for f in extraction.failures],
        )
    context = BuildContext(root=root, extraction=extraction)
    for spec in TABLES:
        context.tables[spec.name] = validate(spec.produce(context), spec.load_schema(), spec.name)
    sources = _sources(root, plans_dir, rows)
    return write_outputs(
        context.tables,
        root / "data" / "processed",
        sources=sources,
        n_documents=len(extraction.docs),
    )


def _sources(root: Path, plans_dir: Path, rows: Sequence[ManifestRow]) -> list[Source]:
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
    indices_dir = root / "data" / "raw" / "indices"
    out += [
        Source(relative(path), sha256_file(path), path.stat().st_size, "published index figures")
        for path in sorted(indices_dir.glob("*"))
        if path.is_file() and path.suffix.lower() in {".csv", ".xlsx", ".xls"}
    ]
    for name in PACKAGE_INPUTS:
        path = package_data(name)
        if path.is_file():
            out.append(Source(f"parstats/data/{name}", sha256_file(path), path.stat().st_size))
    return out


def write_outputs(
    tables: Mapping[str, pd.DataFrame],
    out_dir: Path,
    *,
    sources: Sequence[Source],
    n_documents: int,
) -> BuildResult:
    """Write every table (``.parquet``, ``.csv``) and ``datapackage.json`` into ``out_dir``.

    Files are first written into a staging folder inside ``out_dir``; only when
    all of them exist are they renamed into place, ``datapackage.json`` last
    (each rename is atomic). A failure before that leaves ``out_dir`` exactly as
    it was. Two builds must not run at once on the same folder.
    """
    from parstats import __version__
    from parstats.io import sha256_file, write_frame, write_json

    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(f"{_STAGING_PREFIX}*"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=out_dir))
    try:
        resources: list[Resource] = []
        written: list[WrittenTable] = []
        names: list[str] = []
        for spec in TABLES:
            frame = tables[spec.name]
            parquet, csv_path = f"{spec.name}.parquet", f"{spec.name}.csv"
            write_frame(frame, staging / parquet)
            write_frame(frame, staging / csv_path)
            names += [parquet, csv_path]
            resources.append(
                Resource(
                    name=spec.name,
                    path=csv_path,
                    schema=spec.load_schema(),
                    rows=len(frame),
                    sha256=sha256_file(staging / csv_path),
                    bytes=(staging / csv_path).stat().st_size,
                    parquet=parquet,
                )
            )
            written.append(
                WrittenTable(spec.name, len(frame), out_dir / parquet, out_dir / csv_path)
            )
        from parstats.schema import datapackage

        descriptor = datapackage(
            resources, sources=sources, version=__version__, extra={"documents": n_documents}
        )
        write_json(staging / DATAPACKAGE, descriptor)
        names.append(DATAPACKAGE)
        mode = _file_mode()
        for name in names:
            os.chmod(staging / name, mode)
            os.replace(staging / name, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(tuple(written), out_dir / DATAPACKAGE, n_documents)


def _file_mode() -> int:
    """Return the permissions a new file gets under the current umask (temp files get 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


# --------------------------------------------------------------------------- loading


def load_table(name: str) -> pd.DataFrame:
    """Return a processed table (``data/processed/<name>.parquet``) with its schema's dtypes.

    Raises
    ------
    InputError
        If the table has not been built; the message says to run ``parstats build``.
    """
    import pandas as pd

    from parstats.paths import processed_dir

    spec = next((s for s in TABLES if s.name == name), None)
    if spec is None:
        raise InputError(
            f"no table {name!r}; tables are {[s.name for s in TABLES]}", value=name
        )
    path = processed_dir() / f"{name}.parquet"
    if not path.is_file():
        raise InputError(f"table {name!r} not built yet; run `parstats build` first", path=path)
    from parstats.schema import conform

    return conform(pd.read_parquet(path), spec.load_schema())


def load_targets() -> pd.DataFrame:
    """Return the processed targets table (run ``parstats build`` first)."""
    return load_table("targets")


def load_documents() -> pd.DataFrame:
    """Return the processed documents table (run ``parstats build`` first)."""
    return load_table("documents")
