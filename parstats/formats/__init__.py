r"""Plans as they are published: PDF, Word and web pages to text with page provenance.

One entry point, :func:`convert`, reads a plan file of any supported format and
returns a :class:`ConvertedDocument`: NFC text in reading order, the offset
where each page starts (``page_of`` and ``line_of`` map a target's offset to
its page and line), the source format, the conversion used (libraries and
versions, to record per document), per-page information and warnings.

The format is told by the file's first bytes, not its name (a suffix in any
letter case is accepted, and a suffix that disagrees with the bytes is
reported as a warning):

========================  ===========================  =========================
bytes                     format                       read by
========================  ===========================  =========================
``%PDF-``                 ``pdf-text/-ocr/-mixed``     :mod:`.pdf` (+ :mod:`.ocr`)
zip with ``word/``        ``docx``                     :mod:`.docx`
OLE2 (``D0 CF 11 E0``)    ``doc``                      :mod:`.office` + :mod:`.docx`
``{\\rtf``                ``doc``                      :mod:`.office` + :mod:`.docx`
``<html``, ``<!doctype``  ``html``                     :mod:`.html`
anything else             ``txt``                      :func:`parstats.text.read_text`
========================  ===========================  =========================

Bad input raises a :class:`~parstats.formats.errors.FormatError` (an
:class:`~parstats.errors.InputError`) naming the file and, where it applies,
the page; a page that cannot be read is reported in ``pages`` and
``warnings`` while the other pages are kept.
"""

from __future__ import annotations

from pathlib import Path

from parstats.formats.document import CONVERTED_FORMATS, ConvertedDocument, Location, PageInfo
from parstats.formats.errors import (
    ConversionTimeoutError,
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    FormatError,
    NotWordDocumentError,
    ToolMissingError,
    UnsupportedFormatError,
)
from parstats.formats.sniff import PLAN_SUFFIXES, is_plan_file, sniff

__all__ = [
    "CONVERTED_FORMATS",
    "PLAN_SUFFIXES",
    "ConversionTimeoutError",
    "ConvertedDocument",
    "CorruptDocumentError",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "FormatError",
    "Location",
    "NotWordDocumentError",
    "PageInfo",
    "ToolMissingError",
    "UnsupportedFormatError",
    "convert",
    "convert_bytes",
    "is_plan_file",
    "sniff",
]


def convert(
    path: str | Path,
    *,
    ocr: bool | object = True,
    dpi: int | None = None,
    page_timeout: float | None = None,
    progress: bool | None = None,
    office_timeout: float | None = None,
) -> ConvertedDocument:
    """Read a plan file (PDF, Word, web page or text) and return its text with a page map.

    Parameters
    ----------
    path
        The file.
    ocr
        ``True``: OCR pages without a text layer with Tesseract (when it is not
        installed, such pages are reported as unread and a warning names the
        packages to install); ``False``: never OCR; or an
        :class:`~parstats.formats.ocr.OcrEngine` to use.
    dpi
        Resolution of page images for OCR (default 300; see ``docs/FORMATS.md``).
    page_timeout
        Seconds OCR may spend on one page (default 120).
    progress
        Progress bar on standard error over OCR pages (default: from five pages).
    office_timeout
        Seconds LibreOffice may take to convert a ``.doc`` (default 180).

    Raises
    ------
    InputError
        If the file is missing, empty or a folder (from :mod:`parstats.text`).
    FormatError
        If it cannot be converted; the subclass says why (encrypted, corrupt,
        empty, a zip that is no Word file, a converter missing or too slow).
    """
    from parstats.extraction.decode import read_bytes

    path = Path(path)
    return convert_bytes(
        read_bytes(path),
        name=str(path),
        ocr=ocr,
        dpi=dpi,
        page_timeout=page_timeout,
        progress=progress,
        office_timeout=office_timeout,
    )


def convert_bytes(
    data: bytes,
    *,
    name: str,
    ocr: bool | object = True,
    dpi: int | None = None,
    page_timeout: float | None = None,
    progress: bool | None = None,
    office_timeout: float | None = None,
) -> ConvertedDocument:
    """Convert a plan file's bytes (see :func:`convert`); ``name`` is used in messages."""
    kind = sniff(data, name)
    warnings = list(kind.warnings)
    if kind.format == "pdf":
        doc = _pdf(data, name, ocr, dpi, page_timeout, progress, warnings)
    elif kind.format == "docx":
        from parstats.formats.docx import convert_docx

        doc = convert_docx(data, name)
    elif kind.format == "doc":
        from parstats.formats.docx import convert_docx
        from parstats.formats.office import DEFAULT_TIMEOUT, doc_to_docx, libreoffice_version

        docx = doc_to_docx(data, name, timeout=office_timeout or DEFAULT_TIMEOUT)
        doc = convert_docx(
            docx,
            name,
            source_format="doc",
            conversion=f"LibreOffice {libreoffice_version()} ({kind.detail} to docx) "
            "+ parstats.formats.docx",
        )
    elif kind.format == "html":
        from parstats.formats.html import convert_html

        doc = convert_html(data, name)
    else:
        doc = _text(data, name)
    if warnings:
        from dataclasses import replace

        doc = replace(doc, warnings=tuple(warnings) + doc.warnings)
    return doc


def _pdf(data, name, ocr, dpi, page_timeout, progress, warnings) -> ConvertedDocument:
    from parstats.formats.ocr import DEFAULT_DPI, DEFAULT_PAGE_TIMEOUT, OcrEngine, TesseractEngine
    from parstats.formats.pdf import PdfOptions, convert_pdf

    engine: OcrEngine | None = None
    missing: str | None = None
    if isinstance(ocr, OcrEngine):
        engine = ocr
    elif ocr:
        try:
            engine = TesseractEngine(timeout=page_timeout or DEFAULT_PAGE_TIMEOUT)
        except ToolMissingError as exc:
            missing = exc.reason
    doc = convert_pdf(data, name, PdfOptions(ocr=engine, dpi=dpi or DEFAULT_DPI, progress=progress))
    if missing and any(p.method == "none" and p.status == "unreadable" for p in doc.pages):
        warnings.append(f"pages without a text layer were not read: {missing}")
    return doc


def _text(data: bytes, name: str) -> ConvertedDocument:
    from parstats.extraction.decode import decode_bytes

    decoded = decode_bytes(data, name=name)
    text = decoded.text
    starts: tuple[int, ...] = ()
    if "\f" in text:  # pdftotext and some exports mark pages with form feeds
        starts = (0, *_after_each(text, "\f"))
    return ConvertedDocument(
        path=name,
        text=text,
        page_starts=starts,
        source_format="txt",
        conversion="parstats.text",
        encoding=decoded.encoding,
    )


def _after_each(text: str, mark: str) -> list[int]:
    """Return the offset after each ``mark`` (one character) that is not the text's last."""
    out: list[int] = []
    find, last = text.find, len(text) - 1
    at = find(mark)
    while 0 <= at < last:
        out.append(at + 1)
        at = find(mark, at + 1)
    return out
