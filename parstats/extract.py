"""Extraction of whole documents: text, metadata and targets, one file or many.

:func:`read_document` is the unit: read and decode one plan
(:mod:`parstats.text`), read its metadata (:mod:`parstats.metadata`), find its
targets (:mod:`parstats.targets`); :func:`extract_document` adds its targets
table. :func:`extract_paths` runs it over files and folders, in one process or
several, and collects what failed instead of stopping: a bad file is reported
with its reason and the others still count. The tables are built once for all
documents, and their order depends only on the paths, never on the number of
workers. A worker that dies (out of memory, a crash) loses nothing but its own
document: the unfinished documents are retried one by one, and the one that
kills its worker again is reported as a failure.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parstats.errors import InputError, NotAPlanWarning, ParstatsError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.metadata import DocumentMeta

PLAN_GLOB = "*.txt"

# Formats that are not plain text, by their first bytes ("magic numbers").
BINARY_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file; convert it to text first (e.g. `pdftotext -layout`)"),
    (b"PK\x03\x04", "a ZIP container (a Word .docx, Excel .xlsx or OpenDocument file); "
     "save it as plain text (.txt) first"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (Word .doc or Excel .xls); save it as plain "
     "text (.txt) first"),
)


@dataclass(frozen=True)
class ExtractedDocument:
    """One plan, extracted.

    Attributes
    ----------
    doc
        Document id: the file name without its suffix.
    meta
        Its metadata.
    targets
        Its targets table (zero rows is a valid result).
    encoding
        The encoding the file was decoded from.
    sha256
        SHA-256 of the file's bytes.
    bytes
        Size of the file.
    """

    doc: str
    meta: DocumentMeta
    targets: pd.DataFrame
    encoding: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class Failure:
    """A file that could not be extracted, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class ExtractionResult:
    """The result of extracting several files.

    Attributes
    ----------
    documents
        One row per extracted document (columns of ``parstats.schema.DOCUMENTS_SCHEMA``).
    targets
        All their targets (columns of ``parstats.schema.TARGETS_SCHEMA``).
    failures
        What failed, with the reason: paths that do not exist (or empty
        folders) first, then files that could not be extracted, in path order.
    docs
        Ids of the extracted documents, in path order.
    """

    documents: pd.DataFrame
    targets: pd.DataFrame
    failures: tuple[Failure, ...]
    docs: tuple[str, ...]


@dataclass(frozen=True)
class DocumentRecord:
    """One plan, extracted, with its targets as :class:`parstats.targets.Target` objects.

    The light form of :class:`ExtractedDocument` that workers send back: the
    tables are built once for all documents (building a pandas frame per
    document would cost more than extracting it).
    """

    doc: str
    meta: DocumentMeta
    targets: tuple[Any, ...]
    encoding: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class _Outcome:
    """What a worker sends back: a record or a failure, and warnings raised meanwhile."""

    path: str
    record: DocumentRecord | None
    failure: Failure | None
    warnings: tuple[tuple[type[Warning], str], ...]


def read_document(
    path: str | Path, *, override: Mapping[str, str] | None = None
) -> DocumentRecord:
    """Read one plan file and extract its metadata and targets (as objects).

    Raises
    ------
    InputError, EncodingError
        If the file is missing, empty, binary or in an unknown encoding.
    """
    from parstats.io import sha256_bytes
    from parstats.metadata import extract_metadata
    from parstats.targets import extract_targets
    from parstats.text import decode_bytes, read_bytes

    path = Path(path)
    data = read_bytes(path)
    sniff_format(path, data[:8])
    decoded = decode_bytes(data, name=str(path))
    meta = extract_metadata(decoded.text, override=override, path=str(path))
    check_period(meta, path)
    targets = tuple(extract_targets(decoded.text, meta=meta))
    if not targets and meta.province is None and meta.issued is None and (
        meta.period_start is None
    ):
        warnings.warn(
            f"{path}: no province, no date and no target found; is it a plan? (check that it "
            "is the plan's text, not a table of numbers or a converted binary file)",
            NotAPlanWarning,
            stacklevel=2,
        )
    return DocumentRecord(
        doc=path.stem,
        meta=meta,
        targets=targets,
        encoding=decoded.encoding,
        sha256=sha256_bytes(data),
        bytes=len(data),
    )


def sniff_format(path: str | Path, head: bytes | None = None) -> str:
    r"""Return ``"text"`` unless the file's first bytes name a binary document format.

    Parameters
    ----------
    path
        The file (read only when ``head`` is not given).
    head
        Its first bytes, if already read.

    Raises
    ------
    InputError
        For a PDF (``%PDF``), a ZIP container such as ``.docx`` (``PK\x03\x04``)
        or an old Office file (``\xD0\xCF\x11\xE0``), saying how to convert it.
    """
    if head is None:
        with open(path, "rb") as fh:
            head = fh.read(8)
    for magic, what in BINARY_FORMATS:
        if head.startswith(magic):
            raise InputError(f"{what}; parstats reads plain-text plans", path=path)
    return "text"


def check_period(meta: DocumentMeta, path: str | Path) -> None:
    """Refuse a plan whose period ends before it starts.

    Raises
    ------
    InputError
        If ``period_start`` is after ``period_end`` (from the text or the manifest).
    """
    start, end = meta.period_start, meta.period_end
    if start is not None and end is not None and int(start) > int(end):
        raise InputError(
            f"period_start {start} is after period_end {end}; correct the manifest's period "
            "columns for this plan",
            path=path,
            value=(start, end),
        )


def extract_document(
    path: str | Path, *, override: Mapping[str, str] | None = None
) -> ExtractedDocument:
    """Read one plan file and extract its metadata and targets table.

    Parameters
    ----------
    path
        The plan's text file.
    override
        Manifest metadata used where the text is silent (see
        :func:`parstats.metadata.extract_metadata`).

    Raises
    ------
    InputError, EncodingError
        If the file is missing, empty, binary or in an unknown encoding.
    """
    record = read_document(path, override=override)
    return ExtractedDocument(
        doc=record.doc,
        meta=record.meta,
        targets=targets_table([record]),
        encoding=record.encoding,
        sha256=record.sha256,
        bytes=record.bytes,
    )


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Failure]]:
    """Return the plan files ``paths`` name (folders: their ``*.txt``, sorted) and the misses.

    Files are kept in the order given; a folder contributes its ``*.txt`` files
    sorted by name; a path named twice is read once. A path that does not
    exist, or a folder without plans, is a :class:`Failure`.
    """
    files: list[Path] = []
    missing: list[Failure] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_symlink() and not path.exists():
            missing.append(Failure(str(path), _broken_link(path)))
            continue
        if path.is_dir():
            found = sorted(p for p in path.glob(PLAN_GLOB) if p.is_file())
            if not found:
                missing.append(Failure(str(path), f"folder holds no plan files ({PLAN_GLOB})"))
        elif path.exists():
            found = [path]
        else:
            missing.append(Failure(str(path), "no such file or folder"))
            found = []
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files, missing


def _broken_link(path: Path) -> str:
    import errno

    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop (the link leads back to itself); point it at the plan file"
    return f"broken symbolic link (it points to {os.readlink(path)}, which does not exist)"


def _extract_one(path: Path, override: Mapping[str, str] | None) -> _Outcome:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            record = read_document(path, override=override)
            failure = None
        except ParstatsError as exc:
            record, failure = None, Failure(str(path), _reason(exc))
        except Exception as exc:  # a bug must not lose the other documents' results
            record, failure = None, Failure(str(path), f"{type(exc).__name__}: {exc}")
    seen = tuple((w.category, str(w.message)) for w in caught)
    return _Outcome(str(path), record, failure, seen)


def _reason(exc: ParstatsError) -> str:
    """Return the error's message without the path prefix (the failure carries the path)."""
    return getattr(exc, "reason", None) or str(exc)


def extract_paths(
    paths: Iterable[str | Path],
    *,
    workers: int = 1,
    overrides: Mapping[str, Mapping[str, str]] | None = None,
) -> ExtractionResult:
    """Extract every plan in ``paths`` (files, or folders of ``*.txt``).

    Parameters
    ----------
    paths
        Files and folders.
    workers
        Processes to use; ``1`` extracts in this process. The result is the
        same for any number of workers.
    overrides
        Manifest metadata by file name (``"000_x.txt"``), used where a text is silent.

    Returns
    -------
    ExtractionResult
        Documents and targets tables, in path order, and the failures.
    """
    if workers < 1:
        raise InputError("workers must be at least 1", value=workers)
    files, failures = expand_paths(paths)
    overrides = overrides or {}
    jobs = [(file, overrides.get(file.name)) for file in files]
    if workers == 1 or len(jobs) <= 1:
        outcomes = [_extract_one(*job) for job in jobs]
    else:
        outcomes = _extract_parallel(jobs, workers)
    return _collect(outcomes, failures)


def _worker_init(parent_pid: int) -> None:
    from parstats.processes import die_with_parent

    die_with_parent(parent_pid)


def _extract_parallel(
    jobs: Sequence[tuple[Path, Mapping[str, str] | None]], workers: int
) -> list[_Outcome]:
    """Extract ``jobs`` with ``workers`` processes, in job order; survive a worker that dies."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(1, len(jobs) // (workers * 8))
    chunks = [list(range(i, min(i + size, len(jobs)))) for i in range(0, len(jobs), size)]
    done: dict[int, _Outcome] = {}
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)), initializer=_worker_init, initargs=(os.getpid(),)
    )
    try:
        futures = [(chunk, pool.submit(_extract_chunk, [jobs[i] for i in chunk]))
                   for chunk in chunks]
        for chunk, future in futures:
            try:
                done.update(zip(chunk, future.result(), strict=True))
            except BrokenProcessPool:
                continue
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for i, job in enumerate(jobs):
        if i not in done:  # its worker died: alone in a fresh process, so a culprit is named
            done[i] = _extract_isolated(job)
    return [done[i] for i in range(len(jobs))]


def _extract_chunk(jobs: Sequence[tuple[Path, Mapping[str, str] | None]]) -> list[_Outcome]:
    return [_extract_one(*job) for job in jobs]


def _extract_isolated(job: tuple[Path, Mapping[str, str] | None]) -> _Outcome:
    """Extract one document in a process of its own; its death becomes a :class:`Failure`."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(1, initializer=_worker_init, initargs=(os.getpid(),)) as pool:
        try:
            return pool.submit(_extract_one, *job).result()
        except BrokenProcessPool:
            reason = (
                "the worker process extracting it died (killed, or out of memory: is the "
                "file very large or one endless sentence?)"
            )
            return _Outcome(str(job[0]), None, Failure(str(job[0]), reason), ())


def _collect(outcomes: Sequence[_Outcome], failures: Sequence[Failure]) -> ExtractionResult:
    """Assemble worker outcomes into one :class:`ExtractionResult` (re-raising their warnings)."""
    records: list[DocumentRecord] = []
    failed = list(failures)
    ids: dict[str, str] = {}
    for outcome in outcomes:
        for category, message in outcome.warnings:
            warnings.warn(message, category, stacklevel=3)
        if outcome.failure is not None:
            failed.append(outcome.failure)
            continue
        record = outcome.record
        assert record is not None
        if record.doc in ids:
            reason = f"document id {record.doc!r} already used by {ids[record.doc]}"
            failed.append(Failure(outcome.path, reason))
            continue
        ids[record.doc] = outcome.path
        records.append(record)
    return ExtractionResult(
        documents=documents_frame(records),
        targets=targets_table(records),
        failures=tuple(failed),
        docs=tuple(r.doc for r in records),
    )


# --------------------------------------------------------------------------- tables


def conform(frame: pd.DataFrame, schema_name: str) -> pd.DataFrame:
    """Return ``frame`` laid out as the schema ``parstats.schema.<schema_name>``."""
    from parstats import schema as schemas

    return schemas.conform(frame, getattr(schemas, schema_name))


def empty_frame(schema_name: str) -> pd.DataFrame:
    """Return a zero-row frame with the columns and dtypes of ``parstats.schema.<schema_name>``."""
    import pandas as pd

    from parstats import schema as schemas

    schema = getattr(schemas, schema_name)
    return schemas.conform(pd.DataFrame({name: [] for name in schema.columns}), schema)


def document_row(record: DocumentRecord) -> dict[str, Any]:
    """Return a document's row of the documents table."""
    from parstats.metadata import meta_fields

    meta = record.meta
    row: dict[str, Any] = {"doc": record.doc}
    row.update({name: getattr(meta, name) for name in meta_fields()})
    row.update(
        province_code=_province_code(meta.province),
        sha256=record.sha256,
        bytes=record.bytes,
        encoding=record.encoding,
        n_targets=len(record.targets),
        metadata_sources=",".join(meta.from_override) or None,
    )
    return row


def _province_code(province: str | None) -> str | None:
    from parstats.metadata import NATIONAL
    from parstats.provinces import resolve

    if not province or province == NATIONAL:
        return None
    return resolve(province).code


def documents_frame(records: Sequence[DocumentRecord]) -> pd.DataFrame:
    """Return the documents table for extracted documents, in their order."""
    import pandas as pd

    if not records:
        return empty_frame("DOCUMENTS_SCHEMA")
    return conform(pd.DataFrame([document_row(r) for r in records]), "DOCUMENTS_SCHEMA")


def targets_table(records: Sequence[DocumentRecord]) -> pd.DataFrame:
    """Return all documents' targets in one table, in document order then ``target_no``.

    :func:`parstats.targets.targets_frame` lays out the columns; it is called
    once for all documents, then ``doc`` and ``target_no`` are set per document.
    """
    import pandas as pd

    from parstats.targets import targets_frame

    targets = [t for r in records for t in r.targets]
    frame = targets_frame("", targets)
    frame["doc"] = pd.array([r.doc for r in records for _ in r.targets], dtype="string")
    frame["target_no"] = pd.array(
        [i for r in records for i in range(1, len(r.targets) + 1)], dtype="Int64"
    )
    return conform(frame, "TARGETS_SCHEMA")
