"""The processed data as one unit: generations, one atomic switch, one build at a time.

``parstats build`` writes many files (every table as Parquet and CSV, and
``datapackage.json``). Renaming them into place one by one is atomic file by
file, not as a set: a kill between two renames would leave new documents
beside old targets. So each build is a *generation*, published with a single
``rename(2)``::

    data/processed -> .processed/<generation>   a relative symbolic link: what users open
    data/.processed/<generation>/               one complete build, never changed afterwards
    data/.processed/.staging-<pid>-<random>/    a build being written (removed if it fails)
    data/.processed/build.lock                  held by the running build, which it names

A build writes every file into a staging folder, fsyncs it, renames the folder
to its generation name (the first 16 hex digits of the SHA-256 of its
``datapackage.json``: equal content, equal name), then replaces the link with
a new one through ``os.replace``. Whatever is killed when, ``data/processed``
names either the previous complete generation or the new one. The previous
generation is kept until the next build succeeds (a reader that resolved it a
moment ago can still read it); older ones are removed.

Readers resolve the link once (:func:`resolve`) and read every table from that
:class:`Generation`. ``datapackage.json`` lists the SHA-256 and size of every
file; a reader that meets a file that differs (damaged, half-written, copied
from another build) raises :class:`~parstats.errors.DamagedDataError` saying to
run ``parstats build``. A plain ``data/processed`` folder (hand-made tables,
or a build from before generations) is still read; the next build moves it
aside and puts the link in its place.

:func:`build_lock` lets one build run at a time: an ``flock`` on
``data/.processed/build.lock``, freed by the kernel when the holder dies, with
the holder's pid, host, start time and command written inside so that a
second build can say who holds it. See ``docs/RELIABILITY.md``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from parstats.errors import BusyError, DamagedDataError, InputError
from parstats.io import dir_mode, fault_point, sha256_file

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

DATAPACKAGE = "datapackage.json"
LOCK_FILE = "build.lock"
STAGING_PREFIX = ".staging-"
TRASH_PREFIX = ".trash-"
LEGACY_PREFIX = "legacy-"
PIN_ENV = "PARSTATS_PROCESSED"
"""Environment variable naming a generation folder to read instead of resolving
``data/processed`` (a report batch pins its kernels to the generation it hashed)."""
REBUILD_HINT = "run `parstats build` to rebuild data/processed"

T = TypeVar("T")


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class FileEntry:
    """A file of a generation as ``datapackage.json`` lists it."""

    sha256: str
    bytes: int


@dataclass(frozen=True)
class Generation:
    """One resolved state of the processed data: read every table from here.

    Attributes
    ----------
    path
        The folder the files are read from: a generation, or a plain
        ``data/processed`` folder.
    link
        ``data/processed`` as users name it (used in messages).
    files
        Every file's SHA-256 and size from ``datapackage.json``; ``None`` when
        the folder has no descriptor that lists them (hand-made tables).
    """

    path: Path
    link: Path
    files: Mapping[str, FileEntry] | None

    def shown(self, name: str) -> Path:
        """Return the path of ``name`` as users see it (``data/processed/<name>``)."""
        return self.link / name

    def listed(self, name: str) -> bool:
        """Return whether ``datapackage.json`` lists ``name``."""
        return self.files is not None and name in self.files

    def verify(self, name: str) -> Path:
        """Return the path of ``name`` after checking it against ``datapackage.json``.

        Raises
        ------
        DamagedDataError
            If the file is listed but missing, or its size or SHA-256 differ.
        InputError
            If the file does not exist and is not listed (not built).
        """
        path = self.path / name
        try:
            stat = path.stat()
        except FileNotFoundError:
            if self.listed(name):
                raise DamagedDataError(
                    f"missing, although datapackage.json lists it; {REBUILD_HINT}",
                    path=self.shown(name),
                ) from None
            raise InputError(
                f"{name} not built yet; run `parstats build` first", path=self.shown(name)
            ) from None
        if self.files is not None and name in self.files:
            entry = self.files[name]
            if stat.st_size != entry.bytes or _sha256(str(path), stat.st_ino, stat.st_mtime_ns,
                                                       stat.st_size) != entry.sha256:
                raise DamagedDataError(
                    "damaged, half-written or from another build: its size or SHA-256 differs "
                    f"from what datapackage.json records; {REBUILD_HINT}",
                    path=self.shown(name),
                )
        return path

    def read_parquet(self, name: str) -> pd.DataFrame:
        """Return the Parquet file ``name`` of this generation, checked.

        Raises
        ------
        InputError
            If it is not built.
        DamagedDataError
            If it is damaged (see :meth:`verify`) or cannot be read as Parquet.
        """
        return read_parquet_checked(self.verify(name), self.shown(name))

    def listing(self) -> tuple[tuple[str, str], ...]:
        """Return ``(relative name, sha256)`` of every file, checked, in name order.

        Hidden files and anything under a hidden folder (leftovers, temporary
        files) are left out.
        """
        if not self.path.is_dir():
            return ()
        out = []
        for path in sorted(self.path.rglob("*")):
            rel = path.relative_to(self.path)
            if any(part.startswith(".") for part in rel.parts) or not path.is_file():
                continue
            name = rel.as_posix()
            self.verify(name)
            stat = path.stat()
            out.append((name, _sha256(str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)))
        if self.files is not None:
            present = {name for name, _ in out}
            for name in self.files:
                if name not in present:
                    self.verify(name)  # raises: listed but missing
        return tuple(out)


@lru_cache(maxsize=256)
def _sha256(path: str, inode: int, mtime_ns: int, size: int) -> str:
    return sha256_file(path)


def read_parquet_checked(path: Path, shown: Path) -> pd.DataFrame:
    """Return the Parquet file at ``path``; a damaged file raises :class:`DamagedDataError`.

    ``shown`` is the path named in the message (``data/processed/<name>``).
    """
    import pandas as pd
    import pyarrow as pa

    try:
        return pd.read_parquet(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DamagedDataError(
            f"cannot be read as Parquet ({first}): the file is damaged or half-written; "
            f"{REBUILD_HINT}",
            path=shown,
        ) from None


def read_parquet_file(path: str | Path) -> pd.DataFrame:
    """Return a processed Parquet file, by path, checked as :meth:`Generation.read_parquet` does.

    For code that holds a path into ``data/processed`` rather than a
    :class:`Generation`: the file is checked against the ``datapackage.json``
    of its own folder, when there is one.
    """
    path = Path(path)
    real = Path(os.path.realpath(path))
    generation = Generation(real.parent, path.parent, _files(str(real.parent), path.parent))
    return generation.read_parquet(path.name)


def _descriptor_key(folder: Path) -> tuple[int, int] | None:
    try:
        stat = (folder / DATAPACKAGE).stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return stat.st_mtime_ns, stat.st_size


def _files(folder: str, link: Path) -> Mapping[str, FileEntry] | None:
    key = _descriptor_key(Path(folder))
    if key is None:
        return None
    return _parse_files(folder, *key, str(link))


@lru_cache(maxsize=16)
def _parse_files(
    folder: str, mtime_ns: int, size: int, link: str
) -> Mapping[str, FileEntry] | None:
    path = Path(folder) / DATAPACKAGE
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        listed = descriptor.get("parstats", {}).get("files")
        if listed is None:
            return None
        return {
            str(name): FileEntry(str(entry["sha256"]), int(entry["bytes"]))
            for name, entry in listed.items()
        }
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise DamagedDataError(
            f"cannot be read ({type(exc).__name__}: {exc}); it is damaged or half-written; "
            f"{REBUILD_HINT}",
            path=Path(link) / DATAPACKAGE,
        ) from None


def resolve(link: str | Path | None = None) -> Generation:
    """Return the generation ``data/processed`` names now (resolved once).

    Parameters
    ----------
    link
        The processed folder or link; :func:`parstats.paths.processed_dir` by
        default, where ``$PARSTATS_PROCESSED`` (a generation folder) wins.

    Raises
    ------
    DamagedDataError
        If ``data/processed`` is a link to a generation that does not exist, or
        the generation's ``datapackage.json`` cannot be read.
    """
    from parstats.paths import processed_dir

    if link is None and _PINNED:
        return _PINNED[-1]
    if link is None:
        link = processed_dir()
        pinned = os.environ.get(PIN_ENV)
        if pinned:
            path = Path(pinned)
            if not path.is_dir():
                raise DamagedDataError(
                    f"the generation this run was pinned to ({PIN_ENV}={pinned}) no longer "
                    "exists (builds replaced it meanwhile); run the command again"
                )
            return Generation(path, link, _files(str(path), link))
    link = Path(link)
    path = Path(os.path.realpath(link))
    if link.is_symlink() and not path.is_dir():
        raise DamagedDataError(
            f"is a link to {os.readlink(link)}, which does not exist; {REBUILD_HINT}", path=link
        )
    return Generation(path, link, _files(str(path), link))


_PINNED: list[Generation] = []


@contextlib.contextmanager
def pinned() -> Iterator[Generation]:
    """Within the block, every default :func:`resolve` returns the generation current at its start.

    For code that calls several loaders (``load_targets()``, ``load_documents()``)
    and needs them to read one build.
    """
    generation = resolve()
    _PINNED.append(generation)
    try:
        yield generation
    finally:
        _PINNED.pop()


def read(reader: Callable[[Generation], T], link: str | Path | None = None) -> T:
    """Return ``reader(generation)`` for the current generation, retried if it was replaced.

    A build may publish a new generation and remove an older one while a
    reader holds it; the reader then starts again on the new one (up to three
    times). Any other error is raised as it is.
    """
    for attempt in range(3):
        generation = resolve(link)
        try:
            return reader(generation)
        except (FileNotFoundError, InputError):
            moved = Path(os.path.realpath(generation.link)) != generation.path
            if attempt == 2 or not moved or os.environ.get(PIN_ENV) or _PINNED:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


# --------------------------------------------------------------------------- publishing


def generations_for(link: Path) -> Path:
    """Return the folder of the generations behind ``link`` (``data/.processed``)."""
    return link.parent / f".{link.name}"


def new_staging(generations: Path) -> Path:
    """Create and return an empty staging folder for one build in ``generations``."""
    generations.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=generations))
    try:
        os.chmod(staging, dir_mode())
        fault_point(f"mkdir {staging.name}")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def generation_name(folder: Path) -> str:
    """Return the name of the generation whose files are in ``folder``: its descriptor's hash."""
    return sha256_file(folder / DATAPACKAGE)[:16]


def current_generation(link: Path) -> Path | None:
    """Return the generation folder ``link`` points to, or ``None`` (no link, or a plain folder)."""
    if not link.is_symlink():
        return None
    path = Path(os.path.realpath(link))
    return path if path.is_dir() else None


def _intact(folder: Path) -> bool:
    try:
        generation = Generation(folder, folder, _files(str(folder), folder))
        if generation.files is None:
            return False
        for name in generation.files:
            generation.verify(name)
    except (InputError, OSError):
        return False
    return True


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def publish(staging: Path, link: Path) -> Path:
    """Make the complete build in ``staging`` what ``link`` names, in one atomic step.

    ``staging`` (inside :func:`generations_for` ``(link)``, holding every file
    and ``datapackage.json``) is renamed to its generation name, then ``link``
    is replaced by a symbolic link to it (``os.replace``). A plain folder at
    ``link`` is first moved aside as a generation of its own. Generations
    other than the new one and the one ``link`` named before are then removed.
    The caller holds :func:`build_lock`.

    Returns
    -------
    pathlib.Path
        The generation folder now current.
    """
    generations = staging.parent
    _fsync_dir(staging)
    target = generations / generation_name(staging)
    previous = current_generation(link)
    if target.is_dir() and _intact(target):
        shutil.rmtree(staging)  # the same content is already published
        fault_point(f"rmtree {staging.name}")
    else:
        if target.exists():
            os.rename(target, generations / f"{TRASH_PREFIX}{target.name}-{os.getpid()}")
            fault_point(f"rename {target.name} to trash")
        os.rename(staging, target)
        fault_point(f"rename {staging.name} to {target.name}")
        _fsync_dir(generations)
    if previous is not None and previous == target:
        return target
    moved_aside = _switch(link, target)
    keep = {target.name}
    keep.update(p.name for p in (previous, moved_aside) if p is not None)
    collect_garbage(link, keep=keep)
    return target


def _switch(link: Path, target: Path) -> Path | None:
    """Point ``link`` at ``target`` with one rename; return where a plain folder was moved."""
    temporary = link.parent / f".{link.name}.link-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    os.symlink(os.path.relpath(target, link.parent), temporary)
    fault_point(f"symlink {temporary.name}")
    moved = None
    if link.is_dir() and not link.is_symlink():
        # A plain folder (a build from before generations, or hand-made
        # tables) cannot be replaced by a link in one step: move it aside
        # first, as a generation kept until the next build.
        if any(p.name != ".gitkeep" for p in link.iterdir()):
            moved = target.parent / f"{LEGACY_PREFIX}{os.getpid()}-{target.name}"
            os.rename(link, moved)
        else:
            shutil.rmtree(link)
        fault_point(f"move aside {link.name}")
    os.replace(temporary, link)
    fault_point(f"replace {link.name}")
    _fsync_dir(link.parent)
    return moved


def collect_garbage(link: Path, keep: set[str] | None = None) -> None:
    """Remove leftovers of killed builds, and generations not in ``keep``.

    Staging and trash folders and temporary links are always removed (the
    caller holds :func:`build_lock`, so no other build is writing);
    generations only when ``keep`` is given.
    """
    generations = generations_for(link)
    if not generations.is_dir():
        return
    for path in sorted(generations.iterdir()):
        if path.name == LOCK_FILE or path.is_symlink() or not path.is_dir():
            continue
        leftover = path.name.startswith((STAGING_PREFIX, TRASH_PREFIX))
        if leftover or (keep is not None and path.name not in keep):
            shutil.rmtree(path, ignore_errors=True)
            fault_point(f"rmtree {path.name}")
    for path in link.parent.glob(f".{link.name}.link-*"):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# --------------------------------------------------------------------------- the lock

_HELD: dict[str, tuple[int, int]] = {}  # lock path -> (pid, depth): re-entrant per process


@dataclass(frozen=True)
class LockHolder:
    """Who holds a lock: written inside the lock file by the holder."""

    pid: int
    host: str
    started: str
    command: str

    def describe(self) -> str:
        """Return ``pid N on host H since T (command)``."""
        return f"pid {self.pid} on {self.host}, started {self.started} ({self.command})"


def _holder_now() -> LockHolder:
    import datetime
    import socket
    import sys

    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    command = " ".join(
        [Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python", *sys.argv[1:]]
    )
    return LockHolder(os.getpid(), socket.gethostname(), started, command[:200])


def read_holder(path: Path) -> LockHolder | None:
    """Return the holder recorded in a lock file, or ``None`` if it records none."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8") or "null")
        return LockHolder(int(data["pid"]), str(data["host"]), str(data["started"]),
                          str(data["command"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None


@contextlib.contextmanager
def hold_lock(path: Path, what: str, *, wait: float = 0.0) -> Iterator[LockHolder]:
    """Hold an exclusive lock on ``path`` for the duration; the lock names its holder.

    The lock is an ``flock`` on the file, so the kernel frees it when the
    holder dies, however it dies. It is re-entrant within one process.

    Parameters
    ----------
    path
        The lock file (created if missing).
    what
        What the lock protects (``"build"``), for the message.
    wait
        Seconds to wait for another holder to finish before giving up.

    Raises
    ------
    BusyError
        If another process holds the lock (after ``wait`` seconds), naming it.
    """
    import time

    key = str(path)
    held = _HELD.get(key)
    if held is not None and held[0] == os.getpid():
        _HELD[key] = (held[0], held[1] + 1)
        try:
            yield _holder_now()
        finally:
            pid, depth = _HELD[key]
            _HELD[key] = (pid, depth - 1)
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock
        yield _holder_now()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = read_holder(path)
                    who = holder.describe() if holder else f"a process holding {path}"
                    waited = f" (waited {wait:g} s)" if wait else ""
                    raise BusyError(
                        f"another {what} is running: {who}{waited}; wait for it to finish "
                        "or stop it, then try again"
                    ) from None
                time.sleep(0.1)
        holder = _holder_now()
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(holder.__dict__, ensure_ascii=False) + "\n").encode(), 0)
        _HELD[key] = (os.getpid(), 1)
        try:
            yield holder
        finally:
            _HELD.pop(key, None)
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing frees the flock


def build_lock(link: Path | None = None, *, wait: float = 0.0) -> contextlib.AbstractContextManager:
    """Return the context manager that lets one build at a time write ``link``'s generations."""
    from parstats.paths import processed_dir

    link = processed_dir() if link is None else link
    return hold_lock(generations_for(link) / LOCK_FILE, "build", wait=wait)
