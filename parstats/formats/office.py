"""LibreOffice headless: legacy Word ``.doc`` (and RTF) to ``.docx``, offline, with a time limit.

Each call runs ``soffice --headless --convert-to`` with its own throw-away user
profile (two conversions at once would otherwise fight over one profile's lock),
no network, in a temporary folder. LibreOffice comes from Debian
(``libreoffice-writer-nogui``, installed by ``scripts/ensure_ocr.sh``).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from parstats.formats.errors import ConversionTimeoutError, CorruptDocumentError, ToolMissingError

__all__ = ["DEFAULT_TIMEOUT", "libreoffice_version", "run_libreoffice", "doc_to_docx"]

DEFAULT_TIMEOUT = 180.0
MISSING_MESSAGE = (
    "LibreOffice is not installed: .doc files need it to be read; install the Debian "
    "package libreoffice-writer-nogui (`make ocr` or `bash scripts/ensure_ocr.sh`), "
    "or set PARSTATS_SOFFICE=/path/to/soffice"
)


def _executable() -> str | None:
    configured = os.environ.get("PARSTATS_SOFFICE")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.lru_cache(maxsize=2)
def _probe(exe: str) -> str | None:
    try:
        done = subprocess.run(
            [exe, "--headless", "--version"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    words = done.stdout.split()
    return words[1] if len(words) > 1 and words[0] == "LibreOffice" else None


def libreoffice_version() -> str | None:
    """Return LibreOffice's version (``"7.4.7.2"``) if it is installed, else ``None``."""
    exe = _executable()
    return _probe(exe) if exe else None


def run_libreoffice(
    source: Path, out_dir: Path, to: str, *, timeout: float = DEFAULT_TIMEOUT
) -> Path:
    """Convert ``source`` into ``out_dir`` as format ``to``; return the new file's path.

    Raises
    ------
    ToolMissingError
        If LibreOffice is not installed.
    ConversionTimeoutError
        If it did not finish within ``timeout`` seconds (it is killed).
    CorruptDocumentError
        If it finished without writing the file (it could not read the input).
    """
    exe = _executable()
    if exe is None or libreoffice_version() is None:
        raise ToolMissingError(MISSING_MESSAGE, path=source)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="parstats-lo-") as profile:
        command = [
            exe,
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to",
            to,
            "--outdir",
            str(out_dir),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group: a time-out kills soffice.bin too
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise ConversionTimeoutError(
                f"LibreOffice did not convert the file within {timeout:g} s", path=source
            ) from None
    target = out_dir / (source.stem + "." + to.split(":", 1)[0])
    if not target.is_file():
        detail = (stderr or stdout).strip().splitlines()
        raise CorruptDocumentError(
            "LibreOffice could not read the file"
            + (f" ({detail[-1][:200]})" if detail else "")
            + "; it may be damaged, password-protected or not a Word document",
            path=source,
        )
    return target


def _kill_group(process: subprocess.Popen) -> None:
    """Kill a process and every process it started (its process group), then reap it."""
    import signal

    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.communicate()


def doc_to_docx(data: bytes, name: str, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Return the ``.docx`` bytes LibreOffice makes of a ``.doc`` (or RTF) file's bytes."""
    with tempfile.TemporaryDirectory(prefix="parstats-doc-") as tmp:
        source = Path(tmp) / "document.doc"
        source.write_bytes(data)
        try:
            target = run_libreoffice(source, Path(tmp) / "out", "docx", timeout=timeout)
        except (ToolMissingError, ConversionTimeoutError, CorruptDocumentError) as exc:
            raise type(exc)(exc.reason, path=name) from None
        return target.read_bytes()
