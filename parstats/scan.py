"""Scan a collection of documents on Dask: kinds, metadata, plans and their targets.

``parstats scan SOURCE --out DIR`` (issue 16). The steps, each a small function:

1. :func:`open_source` — SOURCE is a folder (files of every suffix a converter is
   registered for: the plan formats ``.pdf .docx .doc .html .htm .txt`` read by
   :mod:`parstats.formats`, as ``parstats extract`` reads them; more with
   :func:`register_converter`), a JSONL file, or
   a Parquet file or dataset folder with a text column. It is checked (columns,
   readability, not empty) and cut into :class:`Partition` s *without reading the
   texts*: lists of file names, byte ranges of the JSONL file, slices of Parquet
   row groups;
2. :func:`run_partition` — on a Dask worker: read the partition's documents, and
   for each one :func:`scan_text` (decode, size guard, metadata, the kind decision
   of :func:`parstats.kinds.decide`, targets if the kind sets commitments); write
   ``documents/part-NNNNN.parquet`` and ``targets/part-NNNNN.parquet`` atomically.
   A failing document is a row with its reason, never an exception;
3. :func:`scan` — submits partitions (the local scheduler by default; a
   ``dask.distributed`` cluster by address or a ``LocalCluster`` of N workers) with
   at most a few in flight per worker; ``_scan/manifest.json`` says what the scan is
   of, and after each finished partition its record (file hashes, counts, time,
   memory) is written atomically to ``_scan/parts/part-NNNNN.json``. A killed scan
   run again with the same arguments keeps every recorded partition whose files
   still have their hashes, and does the others;
4. :func:`write_summary` — documents by kind, by province and year, plans found,
   targets found, failures (``summary.json`` and CSV tables), from the small
   columns of the partitions.

Memory per worker is bounded by one partition (a few hundred documents, or one
Parquet row group), whatever the collection's size. Output files depend only on
the source and the options, never on the number of workers or on interruptions.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parstats.errors import InputError, ParstatsError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

SCAN_DIR = "_scan"
MANIFEST = "manifest.json"
PARTS_DIR = "parts"
MANIFEST_VERSION = 2
DOCUMENTS_DIR = "documents"
TARGETS_DIR = "targets"
DEFAULT_PARTITION_SIZE = 200
DEFAULT_MAX_CHARS = 2_000_000
"""Documents longer than this are not extracted (the failure says so): a guard until
the extractor has its own typed size and time limits."""

Converter = Callable[[bytes, str], str]
"""A function from a file's bytes and name to its text (raises ``InputError``)."""


# --------------------------------------------------------------------------- converters


def _txt(data: bytes, name: str) -> str:
    from parstats.extraction.decode import decode_bytes

    return decode_bytes(data, name=name).text


def convert_plan(data: bytes, name: str) -> str:
    """Return the text of a plan file of any format, as ``parstats extract`` reads it.

    :func:`parstats.formats.convert_bytes` with its defaults (the format told by the
    bytes; OCR of scanned pages where Tesseract is installed), so a folder scan and
    ``parstats extract`` read the same text and decide the same kind.
    """
    from parstats.formats import convert_bytes

    return convert_bytes(data, name=name).text


_CONVERTERS: dict[str, Converter] = {
    ".txt": convert_plan,
    ".pdf": convert_plan,
    ".docx": convert_plan,
    ".doc": convert_plan,
    ".html": convert_plan,
    ".htm": convert_plan,
}


def register_converter(suffix: str, converter: Converter) -> None:
    """Let folder scans read files of ``suffix`` (``".pdf"``) with ``converter``.

    The converter gets the file's bytes and its name and returns the text; it
    raises :class:`~parstats.errors.InputError` for a file it cannot read. It must
    be importable by the Dask workers (a module-level function).
    """
    suffix = suffix.lower()
    if not suffix.startswith("."):
        raise InputError("a suffix starts with a dot", value=suffix)
    _CONVERTERS[suffix] = converter


def converters() -> dict[str, Converter]:
    """Return the registered converters by suffix (a copy)."""
    return dict(_CONVERTERS)


# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class ScanOptions:
    """What a scan does to each document (part of the manifest: a resume must match).

    Attributes
    ----------
    all_kinds
        Extract targets from documents of every kind, not only those that set
        commitments.
    max_chars
        Documents longer than this many characters are not extracted (failure).
    text_column, id_column, source_column
        Columns of a JSONL or Parquet source (``id_column``/``source_column``
        ``None``: none).
    """

    all_kinds: bool = False
    max_chars: int = DEFAULT_MAX_CHARS
    text_column: str = "text"
    id_column: str | None = None
    source_column: str | None = None


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Partition:
    """A slice of the source, read by one task.

    Attributes
    ----------
    index
        Its number (output file ``part-<index>``).
    kind
        ``"folder"``, ``"jsonl"`` or ``"parquet"``.
    path
        The folder, JSONL file or Parquet file.
    files
        Folder: the relative file names.
    start, stop
        JSONL: byte range; Parquet: row range inside the row group.
    row_group
        Parquet: the row group.
    first_row
        Number of the partition's first document in the whole source (ids of
        rows without an id column).
    """

    index: int
    kind: str
    path: str
    files: tuple[str, ...] = ()
    start: int = 0
    stop: int = 0
    row_group: int = 0
    first_row: int = 0


@dataclass(frozen=True)
class Source:
    """A checked source, cut into partitions.

    Attributes
    ----------
    kind
        ``"folder"``, ``"jsonl"`` or ``"parquet"``.
    path
        What was given.
    partitions
        The partitions, in source order.
    fingerprint
        What identifies the source's content for a resume (names, sizes, row counts).
    n_documents
        Documents (files or rows) in the source.
    options
        The options with the columns resolved.
    """

    kind: str
    path: str
    partitions: tuple[Partition, ...]
    fingerprint: str
    n_documents: int
    options: ScanOptions


def open_source(
    source: str | Path,
    options: ScanOptions | None = None,
    *,
    partition_size: int = DEFAULT_PARTITION_SIZE,
) -> Source:
    """Check ``source`` and cut it into partitions, without reading its texts.

    Raises
    ------
    InputError
        If it does not exist, cannot be read, has none of the documents expected
        (empty folder or file, no rows), or lacks the text column (the message
        lists the columns it has).
    """
    options = options or ScanOptions()
    if partition_size < 1:
        raise InputError("partition size must be at least 1", value=partition_size)
    path = Path(source)
    if not path.exists():
        raise InputError("no such file or folder (expected a folder, .jsonl or .parquet)",
                         path=path)
    if path.is_dir() and not _is_parquet_dataset(path):
        return _folder_source(path, options, partition_size)
    suffix = path.suffix.lower()
    if path.is_dir() or suffix in (".parquet", ".pq"):
        return _parquet_source(path, options, partition_size)
    if suffix in (".jsonl", ".ndjson", ".json"):
        return _jsonl_source(path, options, partition_size)
    raise InputError(
        "unknown source type: give a folder of documents, a .jsonl file, or a .parquet "
        "file or dataset",
        path=path,
        value=suffix,
    )


def _fingerprint(parts: Iterable[object]) -> str:
    from parstats.io import sha256_bytes

    return sha256_bytes(json.dumps(list(parts), ensure_ascii=False).encode("utf-8"))


def _is_parquet_dataset(path: Path) -> bool:
    """Whether a folder is a Parquet dataset: Parquet files and no document a converter reads."""
    has_parquet = False
    for file in path.rglob("*"):
        suffix = file.suffix.lower()
        if suffix in _CONVERTERS and file.is_file():
            return False
        has_parquet = has_parquet or suffix == ".parquet"
    return has_parquet


def _folder_source(path: Path, options: ScanOptions, size: int) -> Source:
    files: list[tuple[str, int]] = []
    for root, dirs, names in os.walk(path):
        dirs.sort()
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in sorted(names):
            if name.startswith("."):
                continue
            full = Path(root) / name
            try:
                files.append((full.relative_to(path).as_posix(), full.stat().st_size))
            except OSError as exc:
                raise InputError(f"cannot read: {exc.strerror}", path=full) from exc
    files.sort()
    if not files:
        raise InputError("folder holds no files to scan", path=path)
    names = [name for name, _ in files]
    partitions = tuple(
        Partition(index=i, kind="folder", path=str(path), files=tuple(names[k : k + size]),
                  first_row=k)
        for i, k in enumerate(range(0, len(names), size))
    )
    return Source("folder", str(path), partitions, _fingerprint(files), len(files), options)


def _jsonl_source(path: Path, options: ScanOptions, size: int) -> Source:
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from exc
    starts: list[int] = []
    rows = 0
    first: tuple[int, bytes] | None = None
    with handle as fh:
        offset = 0
        for line_no, line in enumerate(fh, start=1):
            if line.strip():
                if rows % size == 0:
                    starts.append(offset)
                if first is None:
                    first = (line_no, line)
                rows += 1
            offset += len(line)
        end = offset
    if first is None:
        raise InputError("holds no documents (no non-blank line)", path=path)
    line_no, line = first
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise InputError(f"first record is not JSON: {exc}", path=path, line=line_no) from exc
    if not isinstance(record, dict):
        raise InputError("each line must be a JSON object", path=path, line=line_no)
    options = _resolve_columns(options, tuple(record), path, line=line_no)
    bounds = [*starts, end]
    partitions = tuple(
        Partition(index=i, kind="jsonl", path=str(path), start=bounds[i], stop=bounds[i + 1],
                  first_row=i * size)
        for i in range(len(starts))
    )
    stat = path.stat()
    return Source("jsonl", str(path), partitions, _fingerprint([path.name, stat.st_size, rows]),
                  rows, options)


def _resolve_columns(
    options: ScanOptions, columns: Sequence[str], path: Path, *, line: int | None = None
) -> ScanOptions:
    if options.text_column not in columns:
        raise InputError(
            f"no text column {options.text_column!r}; columns are {list(columns)} "
            "(name the text column with --text-column)",
            path=path,
            line=line,
        )
    id_column, source_column = options.id_column, options.source_column
    for given, flag in ((id_column, "--id-column"), (source_column, "--source-column")):
        if given is not None and given not in columns:
            raise InputError(f"no column {given!r} ({flag}); columns are {list(columns)}",
                             path=path, line=line)
    if id_column is None:
        id_column = next((c for c in ("doc_id", "id", "doc") if c in columns), None)
    if source_column is None and "source" in columns:
        source_column = "source"
    return ScanOptions(options.all_kinds, options.max_chars, options.text_column, id_column,
                       source_column)


def _parquet_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*.parquet") if not p.name.startswith("."))
    return [path]


def _parquet_source(path: Path, options: ScanOptions, size: int) -> Source:
    import pyarrow.parquet as pq

    files = _parquet_files(path)
    partitions: list[Partition] = []
    print_parts: list[object] = []
    rows = 0
    for file in files:
        try:
            meta = pq.ParquetFile(file)
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read as Parquet: {exc}", path=file) from exc
        names = meta.schema_arrow.names
        options = _resolve_columns(options, names, file)
        for group in range(meta.metadata.num_row_groups):
            n = meta.metadata.row_group(group).num_rows
            for start in range(0, n, size):
                partitions.append(
                    Partition(index=len(partitions), kind="parquet", path=str(file),
                              start=start, stop=min(n, start + size), row_group=group,
                              first_row=rows + start)
                )
            rows += n
        print_parts.append([file.relative_to(path).as_posix() if path.is_dir() else file.name,
                            file.stat().st_size, meta.metadata.num_rows])
    if rows == 0:
        raise InputError("holds no rows", path=path)
    return Source("parquet", str(path), tuple(partitions), _fingerprint(print_parts), rows,
                  options)


@dataclass(frozen=True)
class RawDocument:
    """One document as read from the source, before any processing."""

    doc: str
    source: str
    text: str | None = None
    data: bytes | None = None
    failure: str | None = None


def read_partition(part: Partition, options: ScanOptions) -> Iterator[RawDocument]:
    """Yield the documents of one partition, in source order (bad rows as failures)."""
    if part.kind == "folder":
        yield from _read_folder(part)
    elif part.kind == "jsonl":
        yield from _read_jsonl(part, options)
    else:
        yield from _read_parquet(part, options)


def _read_folder(part: Partition) -> Iterator[RawDocument]:
    root = Path(part.path)
    for name in part.files:
        doc = Path(name).with_suffix("").as_posix()
        suffix = Path(name).suffix.lower()
        where = f"{part.path}/{name}"
        if suffix not in _CONVERTERS:
            what = suffix or "files without a suffix"
            readable = ", ".join(sorted(_CONVERTERS))
            yield RawDocument(
                doc, where, failure=f"skipped: no converter for {what} (readable: {readable})"
            )
            continue
        try:
            data = (root / name).read_bytes()
        except OSError as exc:
            yield RawDocument(doc, where, failure=f"cannot read: {exc.strerror}")
            continue
        yield RawDocument(doc, where, data=data)


def _row_id(options: ScanOptions, record: Mapping[str, Any], number: int) -> str:
    if options.id_column is not None:
        value = record.get(options.id_column)
        if value is not None and str(value).strip():
            return str(value).strip()
    return f"row-{number:09d}"


def _read_jsonl(part: Partition, options: ScanOptions) -> Iterator[RawDocument]:
    with open(part.path, "rb") as fh:
        fh.seek(part.start)
        block = fh.read(part.stop - part.start)
    number = part.first_row
    for raw in block.split(b"\n"):
        if not raw.strip():
            continue
        where = f"{part.path} record {number + 1}"
        try:
            record = json.loads(raw)
        except ValueError as exc:
            yield RawDocument(f"row-{number:09d}", where, failure=f"not JSON: {exc}")
            number += 1
            continue
        if not isinstance(record, dict):
            yield RawDocument(f"row-{number:09d}", where, failure="not a JSON object")
            number += 1
            continue
        yield _record_document(record, options, number, where)
        number += 1


def _record_document(
    record: Mapping[str, Any], options: ScanOptions, number: int, where: str
) -> RawDocument:
    doc = _row_id(options, record, number)
    source = where
    if options.source_column is not None and record.get(options.source_column):
        source = str(record[options.source_column])
    text = record.get(options.text_column)
    if text is None:
        return RawDocument(doc, source, failure=f"no text ({options.text_column} is missing)")
    if not isinstance(text, str):
        return RawDocument(doc, source,
                           failure=f"{options.text_column} is {type(text).__name__}, not text")
    return RawDocument(doc, source, text=text)


_ROW_GROUP_CACHE: dict[tuple[Any, ...], Any] = {}


def _row_group(path: str, group: int, columns: Sequence[str]) -> Any:
    """Return one row group's columns as an Arrow table, kept for the process's next task.

    A row group larger than a partition is read by several tasks; decoding it once
    per worker, not once per task, keeps reading cheap. At most one row group is
    kept, so memory stays bounded by one row group.
    """
    import pyarrow.parquet as pq

    key = (path, os.stat(path).st_mtime_ns, group, tuple(columns))
    table = _ROW_GROUP_CACHE.get(key)
    if table is None:
        _ROW_GROUP_CACHE.clear()
        table = pq.ParquetFile(path).read_row_group(group, columns=list(columns))
        _ROW_GROUP_CACHE[key] = table
    return table


def _read_parquet(part: Partition, options: ScanOptions) -> Iterator[RawDocument]:
    columns = [c for c in (options.text_column, options.id_column, options.source_column) if c]
    piece = _row_group(part.path, part.row_group, columns).slice(
        part.start, part.stop - part.start
    )
    values = {c: piece.column(c).to_pylist() for c in columns}
    del piece
    for k in range(part.stop - part.start):
        record = {c: values[c][k] for c in columns}
        number = part.first_row + k
        yield _record_document(record, options, number, f"{part.path} row {number + 1}")


# --------------------------------------------------------------------------- one document

DOCUMENT_COLUMNS: dict[str, str] = {
    "doc": "string",
    "source": "string",
    "status": "string",
    "failure": "string",
    "sha256": "string",
    "bytes": "Int64",
    "chars": "Int64",
    "kind": "string",
    "sets_commitments": "boolean",
    "is_plan": "boolean",
    "targets_extracted": "boolean",
    "kind_rules": "string",
    "kind_evidence": "string",
    "kind_reason": "string",
    "doc_number": "string",
    "doc_type": "string",
    "issuer": "string",
    "province": "string",
    "province_code": "string",
    "issued": "string",
    "year": "Int64",
    "period_start": "Int64",
    "period_end": "Int64",
    "title": "string",
    "n_targets": "Int64",
    "warnings": "string",
}
"""Columns of ``documents/part-*.parquet`` and their dtypes. ``status`` is ``ok``,
``failed`` or ``skipped``; ``failure`` says why; ``is_plan``: the document sets
commitments (plan, directive, decision with commitments). Nothing in a row depends on
the run (no timings: those are per partition in the manifest), so output files are
byte-identical for the same source and options."""


@dataclass(frozen=True)
class ScannedDocument:
    """One document, scanned: its documents-table row and its targets."""

    row: dict[str, Any]
    targets: tuple[Any, ...] = ()


def _empty_row(raw: RawDocument) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(DOCUMENT_COLUMNS)
    row.update(doc=raw.doc, source=raw.source)
    return row


def scan_text(raw: RawDocument, options: ScanOptions) -> ScannedDocument:
    """Scan one document: decode, guard its size, read metadata, decide its kind, extract.

    Never raises for a bad document: the row's ``status`` is ``failed`` (or
    ``skipped`` for a file no converter reads) and ``failure`` says why.
    """
    from parstats.io import sha256_bytes

    row = _empty_row(raw)
    if raw.failure is not None:
        row.update(status="skipped" if raw.failure.startswith("skipped") else "failed",
                   failure=raw.failure)
        return ScannedDocument(row)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            targets = _scan_text(raw, options, row)
            row["status"] = "ok" if row["failure"] is None else "failed"
        except ParstatsError as exc:
            targets = ()
            row.update(status="failed", failure=getattr(exc, "reason", None) or str(exc))
        except Exception as exc:  # a bug must not lose the other documents  # noqa: BLE001
            targets = ()
            row.update(status="failed", failure=f"{type(exc).__name__}: {exc}")
    if row["sha256"] is None:
        data = raw.data if raw.data is not None else (raw.text or "").encode("utf-8")
        row.update(sha256=sha256_bytes(data), bytes=len(data))
    if caught:
        row["warnings"] = " | ".join(dict.fromkeys(str(w.message) for w in caught))
    return ScannedDocument(row, tuple(targets))


def _scan_text(raw: RawDocument, options: ScanOptions, row: dict[str, Any]) -> tuple[Any, ...]:
    from parstats.io import sha256_bytes
    from parstats.kinds import decide
    from parstats.vn import nfc

    if raw.data is not None:
        row.update(sha256=sha256_bytes(raw.data), bytes=len(raw.data))
        suffix = Path(raw.source).suffix.lower()
        text = _CONVERTERS[suffix](raw.data, raw.source)
    else:
        assert raw.text is not None
        data = raw.text.encode("utf-8")
        row.update(sha256=sha256_bytes(data), bytes=len(data))
        if not raw.text.strip():
            raise InputError("empty text")
        text = nfc(raw.text)
    row["chars"] = len(text)
    if len(text) > options.max_chars:
        decision = decide(text, None, all_kinds=options.all_kinds)
        _record_kind(row, decision)
        row.update(
            targets_extracted=False,
            failure=f"too large: {len(text):,} characters > the limit of "
            f"{options.max_chars:,} (--max-chars); kind read from its first pages, no "
            "metadata or targets",
        )
        return ()
    return scan_decoded(text, options, row)


def scan_decoded(text: str, options: ScanOptions, row: dict[str, Any]) -> tuple[Any, ...]:
    """Fill ``row`` with a decoded text's metadata and kind; return its targets.

    The same calls, in the same order, as a direct use of the library:
    :func:`parstats.metadata.extract_metadata`, :func:`parstats.kinds.decide`, then
    :func:`parstats.targets.extract_targets` only when the decision keeps targets.
    """
    from parstats.extraction import extract_targets
    from parstats.extraction.metadata import extract_metadata
    from parstats.kinds import decide

    meta = extract_metadata(text)
    decision = decide(text, meta, all_kinds=options.all_kinds)
    _record_kind(row, decision)
    row.update(
        doc_number=meta.doc_number,
        doc_type=meta.doc_type,
        issuer=meta.issuer,
        province=meta.province,
        province_code=_province_code(meta.province),
        issued=meta.issued,
        year=int(meta.issued[:4]) if meta.issued else None,
        period_start=meta.period_start,
        period_end=meta.period_end,
        title=meta.title,
    )
    targets = tuple(extract_targets(text, meta=meta)) if decision.keep_targets else ()
    row.update(targets_extracted=decision.keep_targets, n_targets=len(targets))
    return targets


def _record_kind(row: dict[str, Any], decision: Any) -> None:
    kind = decision.kind
    row.update(
        kind=kind.kind,
        sets_commitments=kind.sets_commitments,
        is_plan=decision.is_plan,
        kind_rules=";".join(kind.rule_ids),
        kind_evidence=json.dumps(
            [
                {"rule": e.rule_id, "kind": e.kind, "where": e.where, "weight": e.weight,
                 "offset": e.offset, "quote": e.quote}
                for e in kind.evidence
            ],
            ensure_ascii=False,
        ),
        kind_reason=decision.reason,
    )


def _province_code(province: str | None) -> str | None:
    from parstats.extraction.metadata import NATIONAL
    from parstats.provinces import resolve

    if not province or province == NATIONAL:
        return None
    try:
        return resolve(province).code
    except ParstatsError:
        return None


# --------------------------------------------------------------------------- one partition


@dataclass(frozen=True)
class PartitionResult:
    """What a task reports: the files it wrote with their hashes, counts and resources.

    ``seconds`` is the task's wall time, ``cpu_seconds`` its process CPU time (a
    worker runs one task at a time), ``peak_rss_mb`` the worker process's peak
    resident memory during the task (Linux: reset at the task's start; elsewhere
    the process's peak so far).
    """

    index: int
    documents_file: str
    documents_sha256: str
    targets_file: str
    targets_sha256: str
    n_documents: int
    n_failed: int
    n_plans: int
    n_targets: int
    chars: int
    bytes: int
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    worker: str


def part_name(index: int) -> str:
    """Return the file name of partition ``index``: ``part-00042.parquet``."""
    return f"part-{index:05d}.parquet"


def documents_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Return scanned documents' rows as a frame with :data:`DOCUMENT_COLUMNS`."""
    import pandas as pd

    data = {c: [r.get(c) for r in rows] for c in DOCUMENT_COLUMNS}
    return pd.DataFrame(data, columns=list(DOCUMENT_COLUMNS)).astype(DOCUMENT_COLUMNS)


def scanned_targets_frame(scanned: Sequence[ScannedDocument]) -> pd.DataFrame:
    """Return the targets of scanned documents (``parstats.targets.targets_frame`` columns)."""
    import pandas as pd

    from parstats.extraction import targets_frame

    targets = [t for s in scanned for t in s.targets]
    frame = targets_frame("", targets)
    frame["doc"] = pd.array([s.row["doc"] for s in scanned for _ in s.targets], dtype="string")
    frame["target_no"] = pd.array(
        [i for s in scanned for i in range(1, len(s.targets) + 1)], dtype="Int64"
    )
    return frame


def run_partition(part: Partition, options: ScanOptions, out_dir: str) -> PartitionResult:
    """Scan one partition and write its documents and targets files (a Dask task).

    Files are written under temporary names and renamed into place, so a killed
    task leaves no half-written partition.
    """
    from parstats.io import sha256_file, write_frame

    started, cpu_started = time.perf_counter(), time.process_time()
    _reset_peak_rss()
    scanned = [scan_text(raw, options) for raw in read_partition(part, options)]
    out = Path(out_dir)
    docs_path = out / DOCUMENTS_DIR / part_name(part.index)
    targets_path = out / TARGETS_DIR / part_name(part.index)
    write_frame(documents_frame([s.row for s in scanned]), docs_path)
    write_frame(scanned_targets_frame(scanned), targets_path)
    rows = [s.row for s in scanned]
    return PartitionResult(
        index=part.index,
        documents_file=docs_path.relative_to(out).as_posix(),
        documents_sha256=sha256_file(docs_path),
        targets_file=targets_path.relative_to(out).as_posix(),
        targets_sha256=sha256_file(targets_path),
        n_documents=len(rows),
        n_failed=sum(r["status"] != "ok" for r in rows),
        n_plans=sum(bool(r["is_plan"]) for r in rows),
        n_targets=sum(len(s.targets) for s in scanned),
        chars=sum(r["chars"] or 0 for r in rows),
        bytes=sum(r["bytes"] or 0 for r in rows),
        seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - cpu_started,
        peak_rss_mb=_peak_rss_mb(),
        worker=f"{os.uname().nodename}:{os.getpid()}",
    )


def _reset_peak_rss() -> None:
    """Reset the process's peak resident memory (Linux), so each task measures its own peak."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _peak_rss_mb() -> float:
    """Return the process's peak resident memory since the last reset, in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


# --------------------------------------------------------------------------- manifest


@dataclass
class ScanManifest:
    """What a scan is of (``_scan/manifest.json``) and its finished partitions (``_scan/parts``)."""

    source: str
    source_kind: str
    fingerprint: str
    options: dict[str, Any]
    n_partitions: int
    partition_size: int = DEFAULT_PARTITION_SIZE
    partitions: dict[str, dict[str, Any]] = field(default_factory=dict)
    version: int = MANIFEST_VERSION

    def same_scan(self, other: ScanManifest) -> bool:
        """Whether ``other`` describes the same source and options."""
        mine = (self.fingerprint, self.options, self.n_partitions, self.partition_size)
        theirs = (other.fingerprint, other.options, other.n_partitions, other.partition_size)
        return self.version == other.version and mine == theirs


def manifest_path(out_dir: Path) -> Path:
    """Return ``DIR/_scan/manifest.json``: what the scan is of (source, options)."""
    return out_dir / SCAN_DIR / MANIFEST


def partition_record_path(out_dir: Path, index: int) -> Path:
    """Return ``DIR/_scan/parts/part-NNNNN.json``: one finished partition's record."""
    return out_dir / SCAN_DIR / PARTS_DIR / part_name(index).replace(".parquet", ".json")


def read_manifest(out_dir: Path) -> ScanManifest | None:
    """Return the manifest of a previous scan into ``out_dir`` with its partition records."""
    path = manifest_path(out_dir)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = ScanManifest(**data)
    except (ValueError, TypeError) as exc:
        raise InputError(f"scan manifest is unreadable ({exc}); remove {out_dir} or use a "
                         "new --out", path=path) from exc
    for record in sorted((out_dir / SCAN_DIR / PARTS_DIR).glob("part-*.json")):
        try:
            entry = json.loads(record.read_text(encoding="utf-8"))
            manifest.partitions[str(int(entry["index"]))] = entry
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not a finished record: the partition is done again
    return manifest


def write_manifest(out_dir: Path, manifest: ScanManifest) -> None:
    """Write what the scan is of (not its partitions: each has its own record) atomically."""
    from parstats.io import write_json

    header = asdict(manifest)
    header.pop("partitions")
    write_json(manifest_path(out_dir), header)


def record_partition(out_dir: Path, manifest: ScanManifest, result: PartitionResult) -> None:
    """Record a finished partition: its own small JSON file, written atomically.

    One file per partition keeps the cost of recording constant however many
    partitions a national collection has.
    """
    from parstats.io import write_json

    entry = asdict(result)
    manifest.partitions[str(result.index)] = entry
    write_json(partition_record_path(out_dir, result.index), entry)


def verified_partitions(out_dir: Path, manifest: ScanManifest) -> set[int]:
    """Return the partitions whose files exist with the hashes the manifest recorded."""
    from parstats.io import sha256_file

    kept: set[int] = set()
    for key, entry in manifest.partitions.items():
        ok = True
        for name in ("documents", "targets"):
            path = out_dir / entry[f"{name}_file"]
            if not path.is_file() or sha256_file(path) != entry[f"{name}_sha256"]:
                ok = False
                break
        if ok:
            kept.add(int(key))
    return kept


# --------------------------------------------------------------------------- engine


@dataclass(frozen=True)
class ScanResult:
    """What a scan did.

    Attributes
    ----------
    out_dir
        The output folder.
    n_partitions
        Partitions of the source.
    kept
        Partitions of an earlier run kept (files verified against the manifest).
    redone
        Partitions whose files an earlier run had written but not recorded (a
        killed run's partitions in flight), done again.
    done
        Partitions done by this run (``redone`` included).
    results
        This run's partition results, by index order.
    summary
        The summary (see :func:`summarise`).
    seconds
        Wall-clock time of this run.
    """

    out_dir: Path
    n_partitions: int
    kept: int
    redone: int
    done: int
    results: tuple[PartitionResult, ...]
    summary: dict[str, Any]
    seconds: float


def _start_manifest(
    out_dir: Path, source: Source, partition_size: int
) -> tuple[ScanManifest, set[int]]:
    fresh = ScanManifest(
        source=source.path,
        source_kind=source.kind,
        fingerprint=source.fingerprint,
        options=asdict(source.options),
        n_partitions=len(source.partitions),
        partition_size=partition_size,
    )
    old = read_manifest(out_dir)
    if old is None:
        if out_dir.exists() and any(out_dir.iterdir()):
            raise InputError("output folder is not empty and holds no scan; give a new or "
                             "empty --out", path=out_dir)
        return fresh, set()
    if not old.same_scan(fresh):
        raise InputError(
            "output folder holds a scan of another source or with other options "
            f"(was {old.source!r}, {old.options}); give a new --out, or --restart to "
            "discard it",
            path=out_dir,
        )
    kept = verified_partitions(out_dir, old)
    fresh.partitions = {k: v for k, v in old.partitions.items() if int(k) in kept}
    for key in old.partitions:
        if int(key) not in kept:  # its files changed or vanished: done again
            partition_record_path(out_dir, int(key)).unlink(missing_ok=True)
    return fresh, kept


def _discard(out_dir: Path) -> None:
    for name in (SCAN_DIR, DOCUMENTS_DIR, TARGETS_DIR):
        shutil.rmtree(out_dir / name, ignore_errors=True)
    for name in SUMMARY_FILES:
        (out_dir / name).unlink(missing_ok=True)


def scan(
    source: str | Path,
    out_dir: str | Path,
    *,
    options: ScanOptions | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    scheduler: str | None = None,
    workers: int | None = None,
    restart: bool = False,
    progress: bool = False,
    on_partition: Callable[[PartitionResult], None] | None = None,
) -> ScanResult:
    """Scan ``source`` into ``out_dir`` (see the module docstring); resume a killed scan.

    Parameters
    ----------
    source
        A folder, a JSONL file, or a Parquet file or dataset.
    out_dir
        Output folder: new, empty, or holding an earlier run of the same scan.
    options
        What to do to each document.
    partition_size
        Documents per partition (Parquet: at most, inside a row group).
    scheduler
        ``None``: Dask's local (synchronous) scheduler in this process; an address
        (``tcp://host:8786``): a running ``dask.distributed`` scheduler, whose
        workers must see ``out_dir`` and the source at the same paths.
    workers
        Start a ``dask.distributed.LocalCluster`` of this many single-threaded
        worker processes (not with ``scheduler``).
    restart
        Discard an earlier scan in ``out_dir`` instead of resuming it.
    progress
        Show a progress bar (partitions, documents) on stderr.
    on_partition
        Called in this process after each partition is recorded.

    Returns
    -------
    ScanResult
    """
    started = time.perf_counter()
    if scheduler is not None and workers is not None:
        raise InputError("give either a scheduler address or a number of workers, not both")
    if workers is not None and workers < 1:
        raise InputError("workers must be at least 1", value=workers)
    src = open_source(source, options, partition_size=partition_size)
    out = Path(out_dir).resolve()
    if restart:
        _discard(out)
    manifest, kept = _start_manifest(out, src, partition_size)
    out.mkdir(parents=True, exist_ok=True)
    write_manifest(out, manifest)
    todo = [p for p in src.partitions if p.index not in kept]
    redone = sum(
        (out / DOCUMENTS_DIR / part_name(p.index)).exists()
        or (out / TARGETS_DIR / part_name(p.index)).exists()
        for p in todo
    )
    results: list[PartitionResult] = []
    bar = _progress_bar(len(src.partitions), len(kept), enabled=progress)

    def record(result: PartitionResult) -> None:
        record_partition(out, manifest, result)
        results.append(result)
        if bar is not None:
            bar.update(1)
            bar.set_postfix(docs=sum(r.n_documents for r in results),
                            plans=sum(r.n_plans for r in results), refresh=False)
        if on_partition is not None:
            on_partition(result)

    try:
        if scheduler is None and workers is None:
            _run_local(todo, src.options, str(out), record)
        else:
            _run_distributed(todo, src.options, str(out), record, scheduler, workers)
    finally:
        if bar is not None:
            bar.close()
    summary = write_summary(out, manifest)
    results.sort(key=lambda r: r.index)
    return ScanResult(out, len(src.partitions), len(kept), redone, len(results), tuple(results),
                      summary, time.perf_counter() - started)


def _progress_bar(total: int, initial: int, *, enabled: bool) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="partition", desc="parstats scan")


_WARM_UP_TEXT = (
    "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\n\nSố: 1/KH-UBND\n\nNghệ An, ngày 1 tháng 1 năm 2026\n\n"
    "KẾ HOẠCH\nCải cách hành chính năm 2026\n\nI. MỤC TIÊU\n"
    "Phấn đấu 100% hồ sơ được giải quyết đúng hạn đến năm 2026.\n"
)


def warm_up() -> float:
    """Import the extractor and compile its patterns in this process; return the seconds.

    Run once per worker before its first task, so that a task's time is the time
    of its documents (the warm-up, one to two seconds, is paid once per process).
    """
    started = time.perf_counter()
    scan_decoded(_WARM_UP_TEXT, ScanOptions(), dict.fromkeys(DOCUMENT_COLUMNS))
    return time.perf_counter() - started


def _run_local(
    todo: Sequence[Partition], options: ScanOptions, out: str,
    record: Callable[[PartitionResult], None],
) -> None:
    import dask

    if todo:
        warm_up()
    for part in todo:
        task = dask.delayed(run_partition, pure=False)(part, options, out)
        (result,) = dask.compute(task, scheduler="synchronous")
        record(result)


def _run_distributed(
    todo: Sequence[Partition], options: ScanOptions, out: str,
    record: Callable[[PartitionResult], None], scheduler: str | None, workers: int | None,
) -> None:
    import dask
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        # The workers' statistical profiler costs about a tenth of a scan's CPU time.
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0", memory_limit=0)
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise InputError(f"cannot reach the Dask scheduler: {exc}", value=scheduler) from exc
    try:
        if todo:
            client.run(warm_up)
        slots = max(1, sum(client.nthreads().values()))
        pending = iter(todo)
        futures = as_completed()
        # A few tasks in flight per thread: enough to keep workers busy, few enough
        # that a killed scan loses at most those.
        for part in _take(pending, slots):
            futures.add(client.submit(run_partition, part, options, out, pure=False,
                                      key=f"scan-part-{part.index}-{os.getpid()}"))
        for future in futures:
            result = future.result()
            future.release()
            record(result)
            for part in _take(pending, 1):
                futures.add(client.submit(run_partition, part, options, out, pure=False,
                                          key=f"scan-part-{part.index}-{os.getpid()}"))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _take(iterator: Iterator[Partition], n: int) -> list[Partition]:
    out: list[Partition] = []
    for item in iterator:
        out.append(item)
        if len(out) >= n:
            break
    return out


# --------------------------------------------------------------------------- summary

SUMMARY_FILES = ("summary.json", "summary_by_kind.csv", "summary_by_province_year.csv",
                 "failures.csv")
_SUMMARY_COLUMNS = ["doc", "source", "status", "failure", "kind", "is_plan", "province", "year",
                    "n_targets", "chars"]


def read_documents(out_dir: str | Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Return the documents table of a scan (all partitions, in order)."""
    return _read_parts(Path(out_dir) / DOCUMENTS_DIR, columns)


def read_targets(out_dir: str | Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Return the targets table of a scan (all partitions, in order)."""
    return _read_parts(Path(out_dir) / TARGETS_DIR, columns)


def _read_parts(folder: Path, columns: Sequence[str] | None) -> pd.DataFrame:
    import pandas as pd

    files = sorted(folder.glob("part-*.parquet"))
    if not files:
        raise InputError("no partitions here; run `parstats scan` first", path=folder)
    return pd.concat([pd.read_parquet(f, columns=columns) for f in files], ignore_index=True)


def summarise(documents: pd.DataFrame) -> dict[str, Any]:
    """Return the summary of a documents table: counts by kind, province and year, failures."""
    ok = documents[documents.status == "ok"]
    by_kind = documents["kind"].fillna("(none)").value_counts().sort_index()
    return {
        "documents": int(len(documents)),
        "ok": int(len(ok)),
        "failed": int((documents.status == "failed").sum()),
        "skipped": int((documents.status == "skipped").sum()),
        "plans": int(documents["is_plan"].fillna(False).sum()),
        "targets": int(documents["n_targets"].fillna(0).sum()),
        "by_kind": {str(k): int(v) for k, v in by_kind.items()},
        "characters": int(documents["chars"].fillna(0).sum()),
        "duplicate_ids": int(documents["doc"].duplicated().sum()),
    }


def write_summary(out_dir: Path, manifest: ScanManifest | None = None) -> dict[str, Any]:
    """Write ``summary.json`` and the summary tables of a scan; return the summary."""
    import pandas as pd

    from parstats.io import write_frame, write_json

    if not (out_dir / DOCUMENTS_DIR).is_dir():
        return {}
    docs = read_documents(out_dir, _SUMMARY_COLUMNS)
    summary = summarise(docs)
    if manifest is not None:
        summary.update(source=manifest.source, source_kind=manifest.source_kind,
                       options=manifest.options, partitions=manifest.n_partitions)
    by_kind = (
        docs.assign(kind=docs["kind"].fillna("(none)"),
                    plans=docs["is_plan"].fillna(False).astype(int),
                    targets=docs["n_targets"].fillna(0).astype(int))
        .groupby("kind", as_index=False)
        .agg(documents=("doc", "size"), plans=("plans", "sum"), targets=("targets", "sum"))
    )
    place = docs.assign(
        province=docs["province"].fillna("(not found)"),
        year=docs["year"].astype("Int64").astype("string").fillna("(not found)"),
        plans=docs["is_plan"].fillna(False).astype(int),
        targets=docs["n_targets"].fillna(0).astype(int),
    )
    by_place = (
        place.groupby(["province", "year"], as_index=False)
        .agg(documents=("doc", "size"), plans=("plans", "sum"), targets=("targets", "sum"))
        .sort_values(["province", "year"], kind="stable")
    )
    failures = docs.loc[docs.status != "ok", ["doc", "source", "status", "failure"]].copy()
    for column in ("doc", "source", "failure"):
        failures[column] = failures[column].map(_plain_cell, na_action="ignore")
    write_frame(by_kind, out_dir / "summary_by_kind.csv")
    write_frame(by_place, out_dir / "summary_by_province_year.csv")
    write_frame(failures.reset_index(drop=True), out_dir / "failures.csv")
    summary["by_province_year"] = "summary_by_province_year.csv"
    write_json(out_dir / "summary.json", summary)
    del pd
    return summary


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain_cell(value: str) -> str:
    """Return text that a spreadsheet will not read as a formula (``'`` before ``=+-@``).

    Ids and sources come from the collection: in the CSV summaries they stay text.
    The Parquet partitions keep them unchanged.
    """
    return "'" + value if value.startswith(_FORMULA_START) else value


def format_summary(summary: Mapping[str, Any]) -> str:
    """Return the summary as a few lines of text for the terminal."""
    lines = [
        f"documents {summary.get('documents', 0):,}: ok {summary.get('ok', 0):,}, failed "
        f"{summary.get('failed', 0):,}, skipped {summary.get('skipped', 0):,}",
        f"plans found (documents that set commitments) {summary.get('plans', 0):,}; targets "
        f"found {summary.get('targets', 0):,}",
        "by kind: " + ", ".join(f"{k} {v:,}" for k, v in summary.get("by_kind", {}).items()),
    ]
    if summary.get("duplicate_ids"):
        lines.append(f"warning: {summary['duplicate_ids']:,} document id(s) used more than "
                     "once (see documents/)")
    return "\n".join(lines)


# --------------------------------------------------------------------------- adopt

_ADOPT_PREFIX = ".adopt-"
_JOURNAL = "journal.json"


@dataclass(frozen=True)
class Adopted:
    """One plan added to the plans folder (or found there already)."""

    doc: str
    file: str
    sha256: str
    status: str  # "added" or "already listed"


@dataclass(frozen=True)
class AdoptionResult:
    """What ``--adopt`` did: the plans added, and those already in the manifest."""

    plans_dir: Path
    adopted: tuple[Adopted, ...]

    @property
    def added(self) -> tuple[Adopted, ...]:
        """The plans newly added."""
        return tuple(a for a in self.adopted if a.status == "added")


def _plan_documents(out_dir: Path) -> dict[int, list[str]]:
    """Return, by partition, the ids of the plans a scan found (ok and setting commitments)."""
    import pandas as pd

    found: dict[int, list[str]] = {}
    for path in sorted((out_dir / DOCUMENTS_DIR).glob("part-*.parquet")):
        docs = pd.read_parquet(path, columns=["doc", "status", "is_plan"])
        plans = docs[(docs.status == "ok") & docs.is_plan.fillna(False).astype(bool)]
        if len(plans):
            found[int(path.stem.split("-")[1])] = plans["doc"].tolist()
    return found


def _plan_bytes(raw: RawDocument) -> tuple[bytes, str]:
    """Return the bytes and suffix a plans-folder file gets.

    A plan file (``.pdf .docx .doc .html .htm .txt``, which ``parstats build``
    reads) keeps its own bytes and suffix, so the manifest records the SHA-256 of
    the file as published; a file of another registered suffix, or a row of
    JSONL/Parquet, is written as its UTF-8 text.
    """
    from parstats.formats import PLAN_SUFFIXES

    suffix = Path(raw.source).suffix.lower()
    if raw.data is not None and suffix in PLAN_SUFFIXES:
        return raw.data, suffix
    if raw.data is not None:
        return _CONVERTERS[suffix](raw.data, raw.source).encode("utf-8"), ".txt"
    return (raw.text or "").encode("utf-8"), ".txt"


def recover_adoption(plans_dir: Path) -> None:
    """Undo or finish an adoption that was killed half-way (a staging folder left behind).

    If the new manifest was not yet moved into place, every file the journal
    lists that the manifest does not list is removed (the set is rolled back);
    otherwise the staging folder is only cleared.
    """
    from parstats.build import MANIFEST as PLANS_MANIFEST
    from parstats.build import read_manifest as read_plans_manifest

    for staging in sorted(plans_dir.glob(f"{_ADOPT_PREFIX}*")):
        journal = staging / _JOURNAL
        if (staging / PLANS_MANIFEST).exists() and journal.is_file():
            names = json.loads(journal.read_text(encoding="utf-8"))
            listed = {r.file for r in read_plans_manifest(plans_dir / PLANS_MANIFEST)}
            for name in names:
                if name not in listed:
                    (plans_dir / name).unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)


def adopt_plans(out_dir: str | Path, plans_dir: str | Path | None = None) -> AdoptionResult:
    """Add the plans a scan found to the plans folder, with their manifest rows, as one set.

    Each plan gets the file ``<slug of its id>.<suffix>`` (a PDF, Word file or web
    page keeps its bytes and suffix; a row of JSONL/Parquet becomes ``.txt``; ``-2``,
    ``-3`` ... when that name holds another file: never overwritten); a plan whose
    bytes the manifest
    already lists is not added again. The new files and the new manifest are
    staged, then moved into place, the manifest last; a failure part-way removes
    the files already moved, and a killed adoption is undone by the next one.

    Parameters
    ----------
    out_dir
        A finished scan.
    plans_dir
        Default :func:`parstats.paths.plans_dir` (``$PARSTATS_HOME/data/raw/plans``).

    Raises
    ------
    InputError
        If the scan is missing or unfinished, or the plans manifest is invalid.
    """
    import csv
    import io
    import tempfile

    from parstats.build import MANIFEST as PLANS_MANIFEST
    from parstats.build import MANIFEST_COLUMNS
    from parstats.build import read_manifest as read_plans_manifest
    from parstats.io import sha256_bytes
    from parstats.paths import plans_dir as default_plans_dir
    from parstats.vn import slugify

    out = Path(out_dir)
    manifest = read_manifest(out)
    if manifest is None:
        raise InputError("no scan here to adopt plans from", path=out)
    if len(manifest.partitions) != manifest.n_partitions:
        raise InputError(
            f"the scan is unfinished ({len(manifest.partitions)} of {manifest.n_partitions} "
            "partitions); run it again to finish before --adopt",
            path=out,
        )
    plans = Path(plans_dir) if plans_dir is not None else default_plans_dir()
    recover_adoption(plans)
    manifest_file = plans / PLANS_MANIFEST
    rows = read_plans_manifest(manifest_file)
    by_sha = {r.sha256: r.file for r in rows}
    taken = {r.file for r in rows} | {p.name for p in plans.iterdir()}
    with open(manifest_file, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    options = ScanOptions(**manifest.options)
    src = open_source(manifest.source, options, partition_size=manifest.partition_size)
    if src.fingerprint != manifest.fingerprint:
        raise InputError("the source changed since it was scanned; scan it again before "
                         "--adopt", path=manifest.source)
    wanted = _plan_documents(out)
    adopted: list[Adopted] = []
    new_files: dict[str, bytes] = {}
    new_rows: list[dict[str, str]] = []
    for index, ids in sorted(wanted.items()):
        wanted_ids = set(ids)
        for raw in read_partition(src.partitions[index], options):
            if raw.doc not in wanted_ids:
                continue
            data, suffix = _plan_bytes(raw)
            digest = sha256_bytes(data)
            if digest in by_sha:
                adopted.append(Adopted(raw.doc, by_sha[digest], digest, "already listed"))
                continue
            stem = slugify(raw.doc) or "plan"
            name, k = f"{stem}{suffix}", 1
            while name in taken:
                k += 1
                name = f"{stem}-{k}{suffix}"
            taken.add(name)
            by_sha[digest] = name
            new_files[name] = data
            new_rows.append({"file": name, "sha256": digest, "bytes": str(len(data)),
                             "source": f"parstats scan of {manifest.source}: {raw.source}"})
            adopted.append(Adopted(raw.doc, name, digest, "added"))
    if not new_files:
        return AdoptionResult(plans, tuple(adopted))
    staging = Path(tempfile.mkdtemp(prefix=_ADOPT_PREFIX, dir=plans))
    moved: list[str] = []
    try:
        for name, data in new_files.items():
            (staging / name).write_bytes(data)
        text = manifest_file.read_text(encoding="utf-8")
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n",
                                extrasaction="ignore")
        for row in new_rows:
            writer.writerow({c: row.get(c, "") for c in header})
        if text and not text.endswith("\n"):
            text += "\n"
        (staging / PLANS_MANIFEST).write_text(text + buffer.getvalue(), encoding="utf-8",
                                              newline="")
        (staging / _JOURNAL).write_text(json.dumps(sorted(new_files)), encoding="utf-8")
        read_plans_manifest(staging / PLANS_MANIFEST)  # the new manifest must be valid
        for name in sorted(new_files):
            if (plans / name).exists():
                raise InputError("refusing to overwrite a plan file", path=plans / name)
            os.replace(staging / name, plans / name)
            moved.append(name)
        os.replace(staging / PLANS_MANIFEST, manifest_file)
    except BaseException:
        for name in moved:
            (plans / name).unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    assert set(MANIFEST_COLUMNS) <= set(header)
    return AdoptionResult(plans, tuple(adopted))

