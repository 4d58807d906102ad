"""Atomic, deterministic writing of output files, file hashing, and where outputs may go.

A crash while writing leaves the previous good file in place: everything is
written to a temporary file in the same directory, flushed, given the mode a
new file gets under the umask, and renamed over the target. Parquet and CSV
output is byte-identical for identical frames.

CSV files are for people as much as for programs, and people open them in a
spreadsheet: a text cell that starts like a formula (``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading ``'`` (the OWASP
rule against formula injection), so Excel and LibreOffice show it as text.
Numbers, and text that is just a signed number (``-3.5``), are written as they
are; Parquet files keep the exact text.

A test-only fault hook (``PARSTATS_FAULT_AFTER``, see :func:`arm_faults` and
``docs/RELIABILITY.md``) lets the fault-injection suite kill the process after
its N-th file operation.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import re
import signal
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from parstats.errors import InputError

# --------------------------------------------------------------------------- fault hook (tests)

FAULT_AFTER_ENV = "PARSTATS_FAULT_AFTER"
FAULT_SIGNAL_ENV = "PARSTATS_FAULT_SIGNAL"
FAULT_LOG_ENV = "PARSTATS_FAULT_LOG"


@dataclass
class _FaultPlan:
    pid: int
    after: int | None
    signum: int
    log: str | None
    count: int = 0


_FAULTS: _FaultPlan | None = None


def arm_faults() -> None:
    """Read the test-only fault hook from the environment, for this process only.

    ``PARSTATS_FAULT_AFTER=N`` makes this process send itself
    ``PARSTATS_FAULT_SIGNAL`` (``KILL``, the default, ``TERM`` or ``INT``)
    right after its N-th file operation; ``PARSTATS_FAULT_LOG=FILE`` appends
    one line per operation (to count them). Called by the command line's
    ``main``; processes forked later (workers) do not count. Does nothing when
    neither variable is set.
    """
    global _FAULTS
    after = os.environ.get(FAULT_AFTER_ENV)
    log = os.environ.get(FAULT_LOG_ENV)
    if not after and not log:
        _FAULTS = None
        return
    name = os.environ.get(FAULT_SIGNAL_ENV, "KILL").upper().removeprefix("SIG")
    _FAULTS = _FaultPlan(os.getpid(), int(after) if after else None, signal.Signals[f"SIG{name}"],
                         log)


def fault_point(operation: str) -> None:
    """Mark one finished file operation (a write, a rename, a folder made or removed).

    Free unless :func:`arm_faults` found the test-only hook in the environment.
    """
    plan = _FAULTS
    if plan is None or plan.pid != os.getpid():
        return
    plan.count += 1
    if plan.log:
        with open(plan.log, "a", encoding="utf-8") as fh:
            fh.write(f"{plan.count} {operation}\n")
    if plan.after is not None and plan.count == plan.after:
        os.kill(os.getpid(), plan.signum)


# --------------------------------------------------------------------------- atomic writes


def file_mode() -> int:
    """Return the permissions a new file gets under the current umask (temp files get 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def dir_mode() -> int:
    """Return the permissions a new folder gets under the current umask (temp folders get 0700)."""
    return file_mode() | ((file_mode() & 0o444) >> 2)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it over ``path`` on success.

    The file gets the mode of a new file under the umask (not ``mkstemp``'s
    0600), is flushed to disk, then renamed. On an exception the temporary
    file is removed and ``path`` is untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        fault_point(f"create {tmp_path.name}")
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp_path, file_mode())
        fault_point(f"write {tmp_path.name}")
        os.replace(tmp_path, path)
        fault_point(f"rename {path.name}")
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file for writing that replaces ``path`` when closed cleanly."""
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("newline", "\n")
    with atomic_path(path) as tmp, open(tmp, mode, **kwargs) as fh:
        yield fh


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_open(path, "wb") as fh:
        fh.write(data)
    return Path(path)


def write_text(path: str | Path, text: str) -> Path:
    r"""Write UTF-8 ``text`` to ``path`` atomically (``\n`` line ends)."""
    with atomic_open(path, "w") as fh:
        fh.write(text)
    return Path(path)


def write_json(path: str | Path, obj: Any) -> Path:
    """Write ``obj`` as sorted, indented UTF-8 JSON, atomically."""
    text = json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"
    return write_text(path, text)


# --------------------------------------------------------------------------- spreadsheet safety

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP)."""
_SIGNED_NUMBER = re.compile(r"[+-]?(?:\d[\d,.]*|[.,]\d+)(?:[eE][+-]?\d+)?%?")


def neutralise_cell(value: Any) -> Any:
    """Return a text cell a spreadsheet would run as a formula with a leading ``'``.

    Anything else (numbers, missing values, text that is only a signed number
    such as ``-3.5``) is returned unchanged.

    Examples
    --------
    >>> neutralise_cell("=1+2"), neutralise_cell("- bullet"), neutralise_cell("-3.5")
    ("'=1+2", "'- bullet", '-3.5')
    """
    if (
        isinstance(value, str)
        and value[:1] in FORMULA_TRIGGERS
        and not _SIGNED_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def spreadsheet_safe(frame: Any) -> Any:
    """Return ``frame`` with each text cell and column name passed through :func:`neutralise_cell`.

    Numeric, boolean and date columns are left as they are; the input frame is
    not changed.
    """
    import pandas as pd

    out = frame
    for name in frame.columns:
        column = frame[name]
        if not (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)):
            continue
        safe = column.map(neutralise_cell, na_action="ignore")
        if not safe.equals(column):
            if out is frame:
                out = frame.copy()
            out[name] = safe.astype(column.dtype)
    renamed = {c: neutralise_cell(c) for c in out.columns if neutralise_cell(c) != c}
    return out.rename(columns=renamed) if renamed else out


def _has_carriage_return(frame: Any) -> bool:
    import pandas as pd

    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
            if any(isinstance(v, str) and "\r" in v for v in column):
                return True
    return False


# --------------------------------------------------------------------------- frames

OUTPUT_SUFFIXES: tuple[str, ...] = (".csv", ".parquet")


def write_frame(frame: Any, path: str | Path) -> Path:
    r"""Write a pandas frame to ``.parquet`` or ``.csv`` (by suffix), atomically.

    Output is deterministic: the index is dropped, Parquet is written without
    pandas metadata timestamps and with fixed compression, CSV with ``\n`` line
    ends and ``.`` decimals. CSV text cells that a spreadsheet would run as a
    formula get a leading ``'`` (:func:`spreadsheet_safe`); Parquet keeps the
    exact text.

    Raises
    ------
    InputError
        If the suffix is neither ``.csv`` nor ``.parquet`` (nothing is written).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise InputError(
            f"unsupported output type {suffix or path.name!r}; use .csv or .parquet", path=path
        )
    with atomic_path(path) as tmp:
        if suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(frame, preserve_index=False)
            pq.write_table(
                table,
                tmp,
                compression="zstd",
                use_dictionary=True,
                write_statistics=True,
                store_schema=True,
            )
        else:
            safe = spreadsheet_safe(frame)
            # Python < 3.12 does not quote a field holding a bare carriage return,
            # which a reader would take for the end of the row: quote text then.
            quoting = csv.QUOTE_NONNUMERIC if _has_carriage_return(safe) else csv.QUOTE_MINIMAL
            safe.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8", quoting=quoting)
    return path


# --------------------------------------------------------------------------- where outputs may go


def protected_dirs() -> tuple[Path, ...]:
    """Return the folders no output option may write into: ``data/raw`` and the processed data.

    ``data/raw`` holds the inputs; ``data/processed`` (and the generations
    behind it, ``data/.processed``) is rebuilt as one unit by ``parstats build``.
    """
    from parstats.paths import generations_dir, processed_dir, raw_dir

    out = [raw_dir(), processed_dir(), generations_dir()]
    with contextlib.suppress(OSError):
        out.append(processed_dir().resolve())
    return tuple(dict.fromkeys(p.resolve() for p in out))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_path(
    path: str | Path,
    option: str,
    *,
    suffixes: tuple[str, ...] = OUTPUT_SUFFIXES,
    taken: Iterable[tuple[str, str | Path]] = (),
) -> Path:
    """Return ``path`` after checking, before any work, that an output may be written there.

    Parameters
    ----------
    path
        The output file named on the command line.
    option
        Its option (``--out``), for the message.
    suffixes
        The suffixes the command can write.
    taken
        ``(what, path)`` of the other paths of the same run (inputs, other
        outputs): the output must differ from each.

    Raises
    ------
    InputError
        If the suffix is not one of ``suffixes``; the path is a folder; it lies
        under ``data/raw`` or the processed data; it equals another input or
        output of the run; or its folder cannot be written.
    """
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise InputError(
            f"{option} must end in {' or '.join(suffixes)}", path=path,
            value=path.suffix or path.name,
        )
    resolved = path.resolve()
    if resolved.is_dir():
        raise InputError(f"{option} names a folder; give a file name", path=path)
    for folder in protected_dirs():
        if _inside(resolved, folder):
            raise InputError(
                f"{option} must not write into {folder}: data/raw holds the inputs and "
                "data/processed is rebuilt as a whole by `parstats build`; write elsewhere",
                path=path,
            )
    for what, other in taken:
        if other is not None and Path(other).resolve() == resolved:
            raise InputError(f"{option} is the same file as {what}; give another name", path=path)
    _probe_folder(path, option)
    return path


def _probe_folder(path: Path, option: str) -> None:
    """Check that a file can be created in ``path``'s folder (or its nearest existing ancestor)."""
    folder = path.resolve().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise InputError(f"{option}: {folder} is not a folder", path=path)
    try:
        fd, probe = tempfile.mkstemp(prefix=".parstats-probe-", dir=folder)
    except OSError as exc:
        raise InputError(
            f"{option}: cannot write in {folder} ({exc.strerror or exc})", path=path
        ) from None
    os.close(fd)
    os.unlink(probe)


# --------------------------------------------------------------------------- hashes


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
