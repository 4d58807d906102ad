"""Extraction of whole documents: text, metadata, kind and targets, one file or many.

:func:`read_document` is the unit: read one plan file in any format
(:func:`parstats.formats.plans.read_plan`: PDF, scanned PDF, Word, web page or
text, the SHA-256 of its original bytes), read its metadata
(:mod:`parstats.metadata`), decide its kind (:func:`parstats.kinds.decide`, the
same call as ``parstats scan``), find its targets (:mod:`parstats.targets`) if its
kind sets commitments (or every kind is asked for), and locate each target's page
and line; :func:`extract_document` adds its tables. :func:`extract_paths` runs it
over files and folders, in one process or several, and collects what failed
instead of stopping: a bad file (encrypted, corrupt, empty, a converter missing or
too slow) is reported with its reason and the others still count. The tables are
built once for all documents, and their order depends only on the paths, never on
the number of workers. A worker that dies (out of memory, a crash) loses nothing but
its own document: the unfinished documents are retried one by one, and the one that
kills its worker again is reported as a failure.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parstats.errors import InputError, NotAPlanWarning, ParstatsError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.extraction.metadata import DocumentMeta
    from parstats.formats.document import ConvertedDocument
    from parstats.formats.plans import Provenance
    from parstats.kinds import KindDecision

KIND_EVIDENCE_CHARS = 400
"""``documents.kind_evidence`` is shortened to this many characters (at a cue's end)."""


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
        Its targets table (zero rows is a valid result; zero rows too when its
        kind sets no commitments and every kind was not asked for).
    encoding
        The encoding its text came from (``documents.encoding``).
    sha256
        SHA-256 of the file's bytes as they are (the original PDF, Word file ...).
    bytes
        Size of the file.
    document
        Its row of the documents table (kind, provenance, plan key ...).
    """

    doc: str
    meta: DocumentMeta
    targets: pd.DataFrame
    encoding: str
    sha256: str
    bytes: int
    document: pd.DataFrame | None = None


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
        One row per extracted document (columns of ``parstats.schema.DOCUMENTS_SCHEMA``),
        also those whose kind sets no commitments (with no targets).
    targets
        All their targets (columns of ``parstats.schema.TARGETS_SCHEMA``).
    failures
        What failed, with the reason: paths that do not exist (or empty
        folders) first, then files that could not be extracted, in path order.
    docs
        Ids of the extracted documents, in path order.
    texts
        The converted documents asked for with ``keep_texts`` (by document id):
        what a correction needs to find its quote.
    """

    documents: pd.DataFrame
    targets: pd.DataFrame
    failures: tuple[Failure, ...]
    docs: tuple[str, ...]
    texts: Mapping[str, ConvertedDocument] = field(default_factory=dict)


@dataclass(frozen=True)
class ExtractOptions:
    """What is done to each document (the same for every worker).

    Attributes
    ----------
    all_kinds
        Keep the targets of documents whose kind sets no commitments (``--all-kinds``).
    convert
        Options of :func:`parstats.formats.convert` (``ocr``, ``dpi``,
        ``page_timeout``, ``progress``, ``office_timeout``).
    keep_texts
        SHA-256 digests of the files whose converted text is sent back
        (:attr:`ExtractionResult.texts`).
    """

    all_kinds: bool = False
    convert: Mapping[str, Any] = field(default_factory=dict)
    keep_texts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DocumentRecord:
    """One plan, extracted, with its targets as :class:`parstats.targets.Target` objects.

    The light form of :class:`ExtractedDocument` that workers send back: the
    tables are built once for all documents (building a pandas frame per
    document would cost more than extracting it).

    Attributes
    ----------
    doc, meta, targets, encoding, sha256, bytes
        As :class:`ExtractedDocument` (``targets`` as objects).
    kind
        The kind decision's summary (:class:`KindSummary`).
    provenance
        Source format, page count and conversion
        (:class:`parstats.formats.plans.Provenance`).
    notes
        What the conversion noticed (``ConvertedDocument.warnings``).
    pages, lines
        Each target's page (``None`` if unpaged) and line.
    converted
        The converted document, when its text was asked for (``keep_texts``).
    """

    doc: str
    meta: DocumentMeta
    targets: tuple[Any, ...]
    encoding: str
    sha256: str
    bytes: int
    kind: KindSummary | None = None
    provenance: Provenance | None = None
    notes: tuple[str, ...] = ()
    pages: tuple[int | None, ...] = ()
    lines: tuple[int, ...] = ()
    converted: ConvertedDocument | None = None


@dataclass(frozen=True)
class KindSummary:
    """What the documents table records of a kind decision (:func:`parstats.kinds.decide`).

    Attributes
    ----------
    kind
        The document kind.
    sets_commitments
        Whether that kind sets commitments.
    targets_kept
        Whether the document's targets are kept.
    evidence
        The kind's reason (score and cues), shortened to :data:`KIND_EVIDENCE_CHARS`.
    reason
        The decision's reason in full (what ``parstats scan`` records as ``kind_reason``).
    """

    kind: str
    sets_commitments: bool
    targets_kept: bool
    evidence: str
    reason: str


@dataclass(frozen=True)
class _Outcome:
    """What a worker sends back: a record or a failure, and warnings raised meanwhile."""

    path: str
    record: DocumentRecord | None
    failure: Failure | None
    warnings: tuple[tuple[type[Warning], str], ...]


def read_document(
    path: str | Path,
    *,
    override: Mapping[str, str] | None = None,
    options: ExtractOptions | None = None,
) -> DocumentRecord:
    """Read one plan file and extract its metadata, kind and targets (as objects).

    The file may be a PDF (text layer or scanned), a Word file, a web page or a
    text file, in any letter case (``docs/FORMATS.md``). Its kind is decided by
    :func:`parstats.kinds.decide` on its text and metadata, the call ``parstats scan``
    makes; targets are extracted only from a document whose kind sets commitments,
    unless ``options.all_kinds``. A document that is not a plan (or that looks
    like none: no province, no date, no target) gives one :class:`NotAPlanWarning`;
    what the conversion noticed (unreadable pages, legacy fonts) one
    :class:`ConversionWarning`.

    Raises
    ------
    InputError, EncodingError, FormatError
        If the file is missing, empty, binary, in an unknown encoding, encrypted,
        corrupt, without pages or text, or a converter is missing or too slow.
    """
    from parstats.errors import ConversionWarning
    from parstats.extraction import extract_targets
    from parstats.extraction.metadata import extract_metadata
    from parstats.formats.plans import locations, provenance, read_plan
    from parstats.kinds import decide

    options = options or ExtractOptions()
    path = Path(path)
    plan = read_plan(path, **options.convert)
    document = plan.document
    if document.warnings:
        warnings.warn(f"{path}: {'; '.join(document.warnings)}", ConversionWarning, stacklevel=2)
    text = document.text
    meta = extract_metadata(text, override=override, path=str(path))
    check_period(meta, path)
    decision = decide(text, meta, all_kinds=options.all_kinds)
    targets = tuple(extract_targets(text, meta=meta)) if decision.keep_targets else ()
    _warn_not_a_plan(path, meta, decision, targets)
    places = locations(document, [t.start for t in targets])
    return DocumentRecord(
        doc=path.stem,
        meta=meta,
        targets=targets,
        encoding=document.encoding,
        sha256=plan.sha256,
        bytes=plan.bytes,
        kind=summarise_kind(decision),
        provenance=provenance(document),
        notes=document.warnings,
        pages=tuple(p.page for p in places),
        lines=tuple(p.line for p in places),
        converted=document if plan.sha256 in options.keep_texts else None,
    )


def summarise_kind(decision: KindDecision) -> KindSummary:
    """Return what the documents table records of a kind decision."""
    kind = decision.kind
    return KindSummary(
        kind=kind.kind,
        sets_commitments=kind.sets_commitments,
        targets_kept=decision.keep_targets,
        evidence=shorten(kind.reason, KIND_EVIDENCE_CHARS),
        reason=decision.reason,
    )


def shorten(text: str, limit: int) -> str:
    """Return ``text`` cut after the last whole cue (``"; "``) that fits in ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text.rfind("; ", 0, limit - 2)
    return (text[:cut] if cut > 0 else text[: limit - 2]) + " …"


def _warn_not_a_plan(
    path: Path, meta: DocumentMeta, decision: KindDecision, targets: tuple[Any, ...]
) -> None:
    """Warn once about a document that is not a plan, or that looks like none."""
    bare = meta.province is None and meta.issued is None and meta.period_start is None
    if not decision.is_plan:
        kept = (
            "its targets are kept (all kinds asked for)"
            if decision.keep_targets
            else "its targets are not kept (--all-kinds keeps them)"
        )
        found = "; no province, no date found" if bare else ""
        message = (
            f"{path}: not a plan: {shorten(decision.kind.reason, 200)}{found}; {kept}"
        )
    elif not targets and bare:
        message = (
            f"{path}: no province, no date and no target found; is it a plan? (check that it "
            "is the plan's text, not a table of numbers or a converted binary file)"
        )
    else:
        return
    warnings.warn(message, NotAPlanWarning, stacklevel=3)


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
    path: str | Path,
    *,
    override: Mapping[str, str] | None = None,
    all_kinds: bool = False,
    convert_options: Mapping[str, Any] | None = None,
) -> ExtractedDocument:
    """Read one plan file and extract its metadata and targets table.

    Parameters
    ----------
    path
        The plan file (``.pdf .docx .doc .html .htm .txt``, any case).
    override
        Manifest metadata used where the text is silent (see
        :func:`parstats.metadata.extract_metadata`).
    all_kinds
        Keep its targets even if its kind sets no commitments.
    convert_options
        Options of :func:`parstats.formats.convert`.

    Raises
    ------
    InputError, EncodingError, FormatError
        If the file cannot be read (see :func:`read_document`).
    """
    options = ExtractOptions(all_kinds=all_kinds, convert=dict(convert_options or {}))
    record = read_document(path, override=override, options=options)
    documents = documents_frame([record])
    return ExtractedDocument(
        doc=record.doc,
        meta=record.meta,
        targets=targets_table([record], documents),
        encoding=record.encoding,
        sha256=record.sha256,
        bytes=record.bytes,
        document=documents,
    )


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Failure]]:
    """Return the plan files ``paths`` name (folders: their plan files, sorted) and the misses.

    Files are kept in the order given; a folder contributes its files with a plan
    suffix (``.pdf .docx .doc .html .htm .txt``, any letter case) sorted by name
    (:func:`parstats.formats.plans.plan_files`); a path named twice is read once. A
    path that does not exist, or a folder without plans, is a :class:`Failure`.
    """
    from parstats.formats import PLAN_SUFFIXES
    from parstats.formats.plans import plan_files

    files: list[Path] = []
    missing: list[Failure] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_symlink() and not path.exists():
            missing.append(Failure(str(path), _broken_link(path)))
            continue
        if path.is_dir():
            found = plan_files(path)
            if not found:
                missing.append(
                    Failure(str(path), f"folder holds no plan files ({' '.join(PLAN_SUFFIXES)})")
                )
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


def _extract_one(
    path: Path, override: Mapping[str, str] | None, options: ExtractOptions
) -> _Outcome:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            record = read_document(path, override=override, options=options)
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
    all_kinds: bool = False,
    convert_options: Mapping[str, Any] | None = None,
    keep_texts: Iterable[str] = (),
) -> ExtractionResult:
    """Extract every plan in ``paths`` (files, or folders of plan files in any format).

    Parameters
    ----------
    paths
        Files and folders.
    workers
        Processes to use; ``1`` extracts in this process. The result is the
        same for any number of workers.
    overrides
        Manifest metadata by file name (``"000_x.txt"``), used where a text is silent.
    all_kinds
        Keep the targets of every document, also those whose kind sets no
        commitments (reports, laws, news ...); by default they are listed in the
        documents table with their kind and no targets.
    convert_options
        Options of :func:`parstats.formats.convert` (``ocr``, ``dpi``,
        ``page_timeout``, ``office_timeout``, ``progress``).
    keep_texts
        SHA-256 digests of files whose converted text to return
        (:attr:`ExtractionResult.texts`).

    Returns
    -------
    ExtractionResult
        Documents and targets tables, in path order, and the failures.
    """
    if workers < 1:
        raise InputError("workers must be at least 1", value=workers)
    files, failures = expand_paths(paths)
    overrides = overrides or {}
    options = ExtractOptions(
        all_kinds=all_kinds, convert=dict(convert_options or {}), keep_texts=frozenset(keep_texts)
    )
    jobs = [(file, overrides.get(file.name), options) for file in files]
    if workers == 1 or len(jobs) <= 1:
        outcomes = [_extract_one(*job) for job in jobs]
    else:
        outcomes = _extract_parallel(jobs, workers)
    return _collect(outcomes, failures)


_Job = tuple[Path, "Mapping[str, str] | None", ExtractOptions]


def _worker_init(parent_pid: int) -> None:
    from parstats.processes import die_with_parent

    die_with_parent(parent_pid)


def _extract_parallel(jobs: Sequence[_Job], workers: int) -> list[_Outcome]:
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


def _extract_chunk(jobs: Sequence[_Job]) -> list[_Outcome]:
    return [_extract_one(*job) for job in jobs]


def _extract_isolated(job: _Job) -> _Outcome:
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
    documents = documents_frame(records)
    return ExtractionResult(
        documents=documents,
        targets=targets_table(records, documents),
        failures=tuple(failed),
        docs=tuple(r.doc for r in records),
        texts={r.doc: r.converted for r in records if r.converted is not None},
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
    """Return a document's row of the documents table (without its plan key)."""
    from parstats.extraction.metadata import meta_fields

    meta = record.meta
    row: dict[str, Any] = {"doc": record.doc}
    row.update({name: getattr(meta, name) for name in meta_fields()})
    kind, source = record.kind, record.provenance
    row.update(
        province_code=_province_code(meta.province),
        kind=kind.kind if kind else None,
        sets_commitments=kind.sets_commitments if kind else None,
        targets_kept=kind.targets_kept if kind else None,
        kind_evidence=kind.evidence if kind else None,
        sha256=record.sha256,
        bytes=record.bytes,
        source_format=source.source_format if source else None,
        page_count=source.page_count if source else None,
        conversion=source.conversion if source else None,
        conversion_notes=" | ".join(record.notes) or None,
        encoding=record.encoding,
        n_targets=len(record.targets),
        metadata_sources=",".join(meta.from_override) or None,
    )
    return row


def _province_code(province: str | None) -> str | None:
    from parstats.extraction.metadata import NATIONAL
    from parstats.provinces import resolve

    if not province or province == NATIONAL:
        return None
    return resolve(province).code


DOCUMENT_KEY_COLUMNS: tuple[str, ...] = ("plan_id", "doc_kind")
"""Columns :func:`documents_frame` takes from :func:`parstats.ambition.plan_keys`."""

TARGET_KEY_COLUMNS: tuple[str, ...] = (
    "plan_id",
    "province",
    "province_code",
    "period_start",
    "period_end",
)
"""Columns :func:`with_keys` copies from the documents table onto every target."""


def documents_frame(records: Sequence[DocumentRecord]) -> pd.DataFrame:
    """Return the documents table for extracted documents, in their order, with plan keys."""
    from parstats.ambition import document_keys

    if not records:
        return empty_frame("DOCUMENTS_SCHEMA")
    rows = [document_row(r) for r in records]
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    _check_unique(columns["doc"], "documents")
    columns["plan_id"], columns["doc_kind"] = document_keys(columns)
    return _schema_frame(columns, "DOCUMENTS_SCHEMA")


def _schema_frame(columns: Mapping[str, Any], schema_name: str) -> pd.DataFrame:
    """Return the frame of the schema ``parstats.schema.<schema_name>`` with these columns.

    Each column, a list of values or a pandas array, is made once with the schema's
    dtype: what :func:`conform` gives for a frame of these columns, without the copies.
    """
    import pandas as pd

    from parstats import schema as schemas
    from parstats.extraction.assemble import column_array

    schema = getattr(schemas, schema_name)
    if set(columns) != set(schema.columns):
        return conform(pd.DataFrame(columns), schema_name)  # names the columns amiss
    made = {}
    for name, column in schema.columns.items():
        values, dtype = columns[name], _dtype(column.dtype)
        made[name] = (
            column_array(values, dtype)
            if isinstance(values, list) or str(values.dtype) != dtype
            else values
        )
    return pd.DataFrame(made, copy=False)


def _dtype(dtype: object) -> str:
    """Return the pandas dtype of a schema column (``string[pyarrow]`` is ``string``)."""
    return "string" if str(dtype).startswith("string") else str(dtype)


def _check_unique(docs: Sequence[Any], what: str) -> None:
    """Refuse a table in which a document id is used twice (a key must name one document)."""
    import pandas as pd

    if len(set(docs)) != len(docs):
        raise pd.errors.MergeError(f"document ids are not unique in the {what} table")


def add_plan_keys(documents: pd.DataFrame) -> pd.DataFrame:
    """Return ``documents`` with ``plan_id`` and ``doc_kind`` (:func:`parstats.ambition.plan_keys`).

    The keys are computed again from the other columns (any present are replaced),
    so the frame's order is kept and the result is laid out as the schema.
    """
    import pandas as pd

    from parstats.ambition import KEY_INPUTS, document_keys

    frame = documents.drop(columns=[c for c in DOCUMENT_KEY_COLUMNS if c in documents])
    frame = frame.astype({"doc": "string"}).reset_index(drop=True)
    inputs = frame.reindex(columns=list(KEY_INPUTS))
    columns = {name: inputs[name].tolist() for name in KEY_INPUTS}
    _check_unique(columns["doc"], "documents")
    ids, kinds = document_keys(columns)
    frame["plan_id"] = pd.array(ids, dtype="string")
    frame["doc_kind"] = pd.array(kinds, dtype="string")
    return conform(frame, "DOCUMENTS_SCHEMA")


_MORE_DTYPES: dict[str, str] = {
    "page": "Int64",
    "line": "Int64",
    "origin": "string",
    "correction": "string",
}
"""The dtypes of :func:`base_targets`' columns after the extractor's (``TARGET_DTYPES``)."""


def base_targets(records: Sequence[DocumentRecord]) -> pd.DataFrame:
    """Return all documents' targets as extracted, in document order then ``target_no``.

    The columns of :func:`parstats.targets.targets_frame` (the extractor's, made for
    all documents at once), with ``doc``, ``target_no``, ``page`` and ``line`` set per
    document, ``origin`` ``extracted``, and the columns an extractor may not give
    (``confidence``, ``area_source``) NA. The plan's keys are added by
    :func:`with_keys`; :func:`targets_table` makes both at once.
    """
    import pandas as pd

    return pd.DataFrame(_base_columns(_target_lists(records)), copy=False)


def _target_lists(records: Sequence[DocumentRecord]) -> dict[str, list[Any]]:
    """Return the values of :func:`base_targets`' columns, one list per column."""
    from parstats.extraction.assemble import _TARGET_FIELDS, field_lists

    targets = [t for r in records for t in r.targets]
    lists: dict[str, list[Any]] = {
        "doc": [r.doc for r in records for _ in r.targets],
        "target_no": [i for r in records for i in range(1, len(r.targets) + 1)],
    }
    lists.update(zip(_TARGET_FIELDS, field_lists(targets, _TARGET_FIELDS), strict=True))
    lists["page"] = [p for r in records for p in r.pages]
    lists["line"] = [n for r in records for n in r.lines]
    lists["origin"] = ["extracted"] * len(targets)
    lists["correction"] = [None] * len(targets)
    return lists


def _base_columns(lists: Mapping[str, list[Any]]) -> dict[str, Any]:
    """Return the columns of :func:`base_targets` (pandas arrays) from their values."""
    from parstats.extraction.assemble import TARGET_DTYPES, column_array

    dtypes = {**TARGET_DTYPES, **_MORE_DTYPES}
    return {name: column_array(lists[name], dtype) for name, dtype in dtypes.items()}


def targets_table(records: Sequence[DocumentRecord], documents: pd.DataFrame) -> pd.DataFrame:
    """Return the targets table of ``records``: ``with_keys(base_targets(records), documents)``.

    Made in one pass from the records' values (each column once, with its dtype);
    the restatements (:func:`parstats.ambition.restated`) are found on the same values.
    """
    from parstats.ambition import RESTATEMENT_KEY, restated

    lists = _target_lists(records)
    columns = _base_columns(lists)
    docs = lists["doc"]
    columns.update(_key_columns(docs, documents))
    keys = [lists[name] for name in RESTATEMENT_KEY]
    links = restated(docs, lists["target_no"], lists["kind"], keys)
    columns["restates_target_no"] = _restates_column(docs, lists["target_no"], links)
    return _schema_frame(columns, "TARGETS_SCHEMA")


def _key_columns(docs: Sequence[Any], documents: pd.DataFrame) -> dict[str, Any]:
    """Return the plan keys (:data:`TARGET_KEY_COLUMNS`) of the targets of ``docs``.

    A left join on ``doc`` without the cost of a merge: each target's row of
    ``documents`` (none: NA), then each key taken from that row, with its dtype.
    """
    import numpy as np

    doc_ids = documents["doc"].astype("string").tolist()
    _check_unique(doc_ids, "documents")
    row_of = {doc: i for i, doc in enumerate(doc_ids)}
    rows = np.array([row_of.get(doc, -1) for doc in docs], dtype=np.intp)
    return {name: documents[name].array.take(rows, allow_fill=True) for name in TARGET_KEY_COLUMNS}


def _restates_column(
    docs: Sequence[Any], numbers: Sequence[Any], links: Sequence[tuple[Any, int, int]]
) -> Any:
    """Return ``restates_target_no`` of each target from the restatements' links."""
    import pandas as pd

    if not links:
        return pd.array([None] * len(docs), dtype="Int64")
    pairs = list(zip(docs, numbers, strict=True))
    if len(set(pairs)) != len(pairs):
        raise pd.errors.MergeError("(doc, target_no) is not unique in the targets table")
    first = {(doc, no): restates for doc, no, restates in links}
    return pd.array([first.get(pair) for pair in pairs], dtype="Int64")


def with_keys(targets: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Return ``targets`` with their plan's keys and restatements, laid out as the schema.

    Every target gets its document's ``plan_id``, ``province``, ``province_code``,
    ``period_start`` and ``period_end`` (issue 14: the keys researchers join on), and
    ``restates_target_no`` (:func:`parstats.ambition.restatements`: the first
    statement of the same commitment in the document; both rows are kept). Key
    columns already present are computed again, so this can follow a correction.
    """
    import pandas as pd

    from parstats.ambition import restatements

    drop = [c for c in (*TARGET_KEY_COLUMNS, "restates_target_no") if c in targets]
    frame = targets.drop(columns=drop).reset_index(drop=True)
    frame = frame.astype({"doc": "string"})
    docs = frame["doc"].tolist()
    columns = {name: frame[name].array for name in frame.columns}
    columns.update(_key_columns(docs, documents))
    restated = restatements(frame)
    links = list(
        zip(
            restated["doc"].tolist(),
            restated["target_no"].tolist(),
            restated["restates_target_no"].tolist(),
            strict=True,
        )
    )
    columns["restates_target_no"] = _restates_column(docs, frame["target_no"].tolist(), links)
    return conform(pd.DataFrame(columns, copy=False), "TARGETS_SCHEMA")


def count_targets(documents: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Return ``documents`` with ``n_targets`` counted again from ``targets``."""
    import pandas as pd

    counts = targets.groupby("doc", observed=True).size()
    out = documents.copy()
    out["n_targets"] = pd.array(
        [int(counts.get(d, 0)) for d in out["doc"]], dtype="Int64"
    )
    return out
