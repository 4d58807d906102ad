"""Errors of document conversion: each names the file (and the page, where there is one).

All are :class:`parstats.errors.InputError` subclasses, so a build or an
extraction that reports bad input reports these the same way, and goes on with
the other documents.
"""

from __future__ import annotations

from pathlib import Path

from parstats.errors import InputError

__all__ = [
    "ConversionTimeoutError",
    "CorruptDocumentError",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "FormatError",
    "NotWordDocumentError",
    "ToolMissingError",
    "UnsupportedFormatError",
]


class FormatError(InputError):
    """A document that cannot be converted to text.

    Parameters
    ----------
    message
        What is wrong and what was expected.
    path
        The file.
    page
        1-based page number, where the problem is on one page.
    """

    def __init__(self, message: str, *, path: str | Path | None = None, page: int | None = None):
        self.page = page
        super().__init__(f"page {page}: {message}" if page is not None else message, path=path)


class UnsupportedFormatError(FormatError):
    """Bytes that are none of the formats parstats reads (PDF, Word, web page, text)."""


class EncryptedDocumentError(FormatError):
    """A password-protected PDF or Word file: its text cannot be read without the password."""


class CorruptDocumentError(FormatError):
    """A damaged or truncated file: it claims a format but cannot be read as one."""


class NotWordDocumentError(CorruptDocumentError):
    """A ``.docx`` that is a zip archive of something else (no ``word/document.xml``)."""


class EmptyDocumentError(FormatError):
    """A document with no pages, or no text on any page."""


class ToolMissingError(FormatError):
    """A converter program (Tesseract, LibreOffice) that is not installed; names the package."""


class ConversionTimeoutError(FormatError):
    """A converter that did not finish within its time limit."""
