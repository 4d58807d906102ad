"""Tell a plan file's format from its first bytes (*nhận dạng định dạng*), not its name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from parstats.formats.errors import EncryptedDocumentError, UnsupportedFormatError

__all__ = ["PLAN_SUFFIXES", "Sniffed", "is_plan_file", "sniff"]

# The suffixes data/raw/plans/ accepts, in any letter case.
PLAN_SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".doc", ".html", ".htm", ".txt")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_EXPECTED = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "doc",
    ".html": "html",
    ".htm": "html",
    ".txt": "txt",
}


@dataclass(frozen=True)
class Sniffed:
    """A file's format as its bytes say, with what was noticed on the way."""

    format: Literal["pdf", "docx", "doc", "html", "txt"]
    detail: str
    warnings: tuple[str, ...] = ()


def is_plan_file(path: str | Path) -> bool:
    """Whether a file name has a plan suffix (``.pdf .docx .doc .html .htm .txt``, any case)."""
    return Path(path).suffix.lower() in PLAN_SUFFIXES


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def sniff(data: bytes, name: str) -> Sniffed:
    """Return the format of a file's bytes.

    Raises
    ------
    EncryptedDocumentError
        For a password-protected Word file (an OLE2 container holding an
        ``EncryptedPackage``).
    UnsupportedFormatError
        For a known binary format parstats does not read (a zip of something
        else is left to the Word reader, which names what it holds).
    """
    head = data[:1024]
    suffix = Path(name).suffix.lower()
    if b"%PDF-" in head:
        found: Sniffed = Sniffed("pdf", "pdf")
    elif data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        found = Sniffed("docx", "zip")
    elif data.startswith(_OLE2):
        if (
            _utf16("EncryptedPackage") in data[: 1 << 20]
            or _utf16("EncryptionInfo") in data[: 1 << 20]
        ):
            raise EncryptedDocumentError(
                "the Word file is password-protected; save an unprotected copy to read it",
                path=name,
            )
        if _utf16("WordDocument") not in data:
            raise UnsupportedFormatError(
                "an Office file that is not a Word document (no WordDocument stream); "
                "expected a plan as .pdf, .docx, .doc, .html or .txt",
                path=name,
            )
        found = Sniffed("doc", "doc")
    elif data.lstrip()[:5].lower() == b"{\\rtf":
        found = Sniffed("doc", "rtf")
    elif _HTML.match(data[:4096]) or (suffix in (".html", ".htm") and b"<" in head):
        found = Sniffed("html", "html")
    else:
        found = Sniffed("txt", "txt")
    expected = _EXPECTED.get(suffix)
    if expected is not None and expected != found.format:
        if expected in ("pdf", "docx", "doc") and found.format == "txt":
            raise UnsupportedFormatError(
                f"named {suffix} but its bytes are not a {expected.upper()} file "
                f"(it starts with {data[:8]!r})",
                path=name,
            )
        kind = found.detail.upper()
        return Sniffed(
            found.format,
            found.detail,
            (f"named {suffix} but its bytes are {kind}: read as {kind}",),
        )
    return found
