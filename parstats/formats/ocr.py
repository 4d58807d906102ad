"""OCR of page images with Tesseract and its Vietnamese model (*nhận dạng ký tự*).

Tesseract runs as a program (Debian ``tesseract-ocr`` and ``tesseract-ocr-vie``;
``scripts/ensure_ocr.sh`` installs them), one process per page with a time
limit, reading a greyscale PGM image on standard input and writing TSV (one row
per word with its confidence). Lines are rebuilt from the TSV in Tesseract's
reading order (block, paragraph, line, word).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Literal

from parstats.formats.errors import ToolMissingError

__all__ = [
    "DEFAULT_DPI",
    "DEFAULT_PAGE_TIMEOUT",
    "LOW_CONFIDENCE",
    "OcrEngine",
    "OcrResult",
    "TesseractEngine",
    "tesseract_version",
]

# 300 dpi: the resolution Tesseract's models were trained for; measured on the seed
# plans (docs/FORMATS.md), 200 dpi loses diacritics on 11-12 pt text.
DEFAULT_DPI = 300
DEFAULT_PAGE_TIMEOUT = 120.0
# Mean word confidence under which a page's text is flagged as doubtful.
LOW_CONFIDENCE = 60.0
# A page with fewer dark pixels than this share is blank (no ink to read).
_INK_SHARE = 0.0005
_DARK = bytes(range(0, 128))
MISSING_MESSAGE = (
    "Tesseract OCR with its Vietnamese model is not installed: install the Debian "
    "packages tesseract-ocr and tesseract-ocr-vie (`make ocr` or `bash scripts/ensure_ocr.sh`), "
    "or set PARSTATS_TESSERACT=/path/to/tesseract"
)


@dataclass(frozen=True)
class OcrResult:
    """What OCR read on one page.

    Attributes
    ----------
    text
        Lines of text in reading order (``""`` when nothing was read).
    confidence
        Mean word confidence, 0-100 (``None`` when no word was read).
    words
        Number of words read.
    status
        ``"ok"``, ``"low_confidence"`` (text kept, flagged), ``"unreadable"``
        (ink but no words), ``"empty"`` (a blank page) or ``"timeout"``.
    """

    text: str
    confidence: float | None
    words: int
    status: Literal["ok", "low_confidence", "unreadable", "empty", "timeout"]


class OcrEngine:
    """What the PDF converter needs of an OCR engine (Tesseract, or a stand-in in tests)."""

    name: str = "ocr"

    def recognise(self, image: bytes, width: int, height: int, *, page: int) -> OcrResult:
        """Read a greyscale image (``width`` x ``height`` bytes, one per pixel)."""
        raise NotImplementedError


def _executable() -> str | None:
    configured = os.environ.get("PARSTATS_TESSERACT")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("tesseract")


@functools.lru_cache(maxsize=4)
def _probe(exe: str) -> tuple[str, tuple[str, ...]]:
    version = subprocess.run(
        [exe, "--version"], capture_output=True, text=True, timeout=30, check=False
    )
    first = (version.stdout or version.stderr).strip().splitlines()
    number = first[0].split()[-1] if first else "?"
    langs = subprocess.run(
        [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    )
    names = tuple(line.strip() for line in langs.stdout.splitlines()[1:] if line.strip())
    return number, names


def tesseract_version(lang: str = "vie") -> str | None:
    """Return Tesseract's version if it is installed with the ``lang`` model, else ``None``."""
    exe = _executable()
    if exe is None:
        return None
    try:
        number, langs = _probe(exe)
    except (OSError, subprocess.SubprocessError):
        return None
    return number if lang in langs else None


class TesseractEngine(OcrEngine):
    """Tesseract run once per page, with a time limit.

    Parameters
    ----------
    lang
        Tesseract language model (``"vie"``: Vietnamese, which also reads Latin
        letters and digits).
    timeout
        Seconds a page may take before it is reported as ``"timeout"``.
    threads
        ``OMP_THREAD_LIMIT`` for each process: 1 keeps one page to one core.

    Raises
    ------
    ToolMissingError
        If Tesseract or its ``lang`` model is not installed.
    """

    def __init__(
        self, lang: str = "vie", *, timeout: float = DEFAULT_PAGE_TIMEOUT, threads: int = 1
    ) -> None:
        version = tesseract_version(lang)
        if version is None:
            raise ToolMissingError(MISSING_MESSAGE)
        self.exe = _executable()
        self.lang = lang
        self.timeout = timeout
        self.threads = threads
        self.version = version
        self.name = f"tesseract {version} {lang}"

    def recognise(self, image: bytes, width: int, height: int, *, page: int) -> OcrResult:
        """Read one greyscale page image (see :class:`OcrEngine`)."""
        if _ink(image) < _INK_SHARE:
            return OcrResult("", None, 0, "empty")
        pgm = b"P5\n%d %d\n255\n" % (width, height) + image
        env = dict(os.environ, OMP_THREAD_LIMIT=str(self.threads))
        try:
            done = subprocess.run(
                [self.exe, "stdin", "stdout", "-l", self.lang, "--psm", "3", "tsv"],
                input=pgm,
                capture_output=True,
                timeout=self.timeout,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return OcrResult("", None, 0, "timeout")
        if done.returncode != 0:
            raise RuntimeError(
                f"tesseract failed on page {page}: {done.stderr.decode(errors='replace')[-300:]}"
            )
        return parse_tsv(done.stdout.decode("utf-8", errors="replace"))


def _ink(image: bytes) -> float:
    """Share of dark pixels in a greyscale image."""
    if not image:
        return 0.0
    return (len(image) - len(image.translate(None, _DARK))) / len(image)


def parse_tsv(tsv: str) -> OcrResult:
    """Rebuild lines and the mean word confidence from Tesseract's TSV output."""
    lines: list[list[str]] = []
    last: tuple[str, str, str] | None = None
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":  # level 5: a word
            continue
        word = cols[11].strip()
        if not word:
            continue
        try:
            conf = float(cols[10])
        except ValueError:
            conf = -1.0
        if conf >= 0:
            confidences.append(conf)
        key = (cols[2], cols[3], cols[4])  # block, paragraph, line
        if key != last:
            lines.append([])
            last = key
        lines[-1].append(word)
    text = "\n".join(" ".join(words) for words in lines)
    if not confidences:
        return OcrResult("", None, 0, "unreadable")
    mean = sum(confidences) / len(confidences)
    status = "ok" if mean >= LOW_CONFIDENCE else "low_confidence"
    return OcrResult(text, round(mean, 1), len(confidences), status)
