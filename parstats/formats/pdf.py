"""PDF to text, page by page: the text layer where there is one, OCR where there is none.

Library choice (measured in ``docs/FORMATS.md``): PDFium through ``pypdfium2``
reads a text layer as accurately as ``pdfplumber`` on the seed plans (character
error rate 0.0000-0.0002 for both) and 50-70 times faster, so it reads every
page; ``pdfplumber`` is opened only for pages that draw ruling lines, to find
their tables (it rebuilds cells from the lines, which PDFium cannot). PyMuPDF
was not used: its AGPL licence would bind parstats' MIT users.

Each page is one of:

- **text**: at least :data:`MIN_TEXT_CHARS` non-space characters in its text
  layer; text legacy-encoded in TCVN3 or VNI fonts is converted
  (:mod:`parstats.formats.legacy`), using the font of each character where the
  PDF names it (``.VnTimeH`` is upper case);
- **ocr**: no usable text layer; the page is rendered at ``dpi`` and read by
  Tesseract (:mod:`parstats.formats.ocr`) with a time limit; what it could not
  read is reported on the page (:class:`PageInfo`) and in the warnings.
"""

from __future__ import annotations

import ctypes
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

from parstats.formats import legacy
from parstats.formats.document import ConvertedDocument, PageInfo
from parstats.formats.errors import CorruptDocumentError, EmptyDocumentError, EncryptedDocumentError
from parstats.formats.ocr import DEFAULT_DPI, OcrEngine, OcrResult
from parstats.vn import nfc

__all__ = ["MIN_TEXT_CHARS", "PdfOptions", "convert_pdf", "pdf_library_versions"]

# A page with fewer non-space characters in its text layer is read by OCR (a scan
# often carries a page number or a stamp's text, but not a page of prose).
MIN_TEXT_CHARS = 20
# Ruling lines a page must draw before its tables are looked for.
_MIN_PATHS = 4
# Characters PDFium puts in a text layer that are not text: a generated soft
# hyphen (U+0002), byte-order marks, NUL.
_JUNK = str.maketrans({"\x00": None, "\x02": None, "\ufeff": None, "\ufffe": None, "\uffff": None})
_TRAILING = re.compile(r"[ \t]+\n")
# In TCVN3 "ư" is byte 0xAD, which PDF viewers' WinAnsi encoding reads as a hyphen:
# a hyphen inside a word of TCVN3 text is "ư" when that makes a Vietnamese syllable.
_TCVN3_HYPHEN = re.compile(r"(?<![\w-])([^\W\d_]*)[-\u00ad]([^\W\d_]*)(?![\w-])")
_PROGRESS_MIN_PAGES = 5


@dataclass(frozen=True)
class PdfOptions:
    """How to read a PDF.

    Attributes
    ----------
    ocr
        The OCR engine for pages without a text layer, or ``None`` to leave
        them unread (reported as such).
    dpi
        Resolution at which pages are rendered for OCR.
    progress
        Show a progress bar (on standard error) over OCR pages: ``True``,
        ``False``, or ``None`` for "when there are five pages or more".
    tables
        Look for ruled tables (with ``pdfplumber``) on pages that draw lines.
    """

    ocr: OcrEngine | None = None
    dpi: int = DEFAULT_DPI
    progress: bool | None = None
    tables: bool = True


def pdf_library_versions() -> str:
    """Return ``"pypdfium2 X.Y.Z (PDFium N)"``."""
    from pypdfium2.version import PDFIUM_INFO, PYPDFIUM_INFO

    version = f"{PYPDFIUM_INFO.major}.{PYPDFIUM_INFO.minor}.{PYPDFIUM_INFO.patch}"
    return f"pypdfium2 {version} (PDFium {PDFIUM_INFO.build})"


@dataclass
class _Page:
    text: str
    info: PageInfo


def convert_pdf(data: bytes, name: str, options: PdfOptions | None = None) -> ConvertedDocument:
    """Convert a PDF's bytes to a :class:`ConvertedDocument`.

    Raises
    ------
    EncryptedDocumentError
        If the PDF needs a password to open.
    CorruptDocumentError
        If PDFium cannot read it at all.
    EmptyDocumentError
        If it has no pages, or no text could be read from any page.
    """
    import pypdfium2 as pdfium

    options = options or PdfOptions()
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        _diagnose(data, name, str(exc))
        raise AssertionError("unreachable") from None  # _diagnose always raises
    try:
        count = len(doc)
        if count == 0:
            raise EmptyDocumentError("the PDF has no pages", path=name)
        pages: list[_Page | None] = [None] * count
        scans: list[int] = []
        plumber = _Plumber(data) if options.tables else None
        used_tables = False
        for i in range(count):
            try:
                page = doc[i]
            except pdfium.PdfiumError as exc:
                pages[i] = _failed(i, f"the page cannot be opened ({exc})")
                continue
            try:
                read = _text_page(page, i, plumber)
            except Exception as exc:  # noqa: BLE001 - PDFium reports a broken page in many ways
                pages[i] = _failed(i, f"the page's text cannot be read ({exc})")
                continue
            finally:
                page.close()
            if read is None:
                scans.append(i)
            else:
                pages[i] = read
                used_tables = used_tables or read.info.method == "text" and "| " in read.text
        if scans:
            _ocr_pages(doc, scans, pages, options, name)
    finally:
        doc.close()
        if options.tables and plumber is not None:
            plumber.close()
    return _assemble([p for p in pages if p is not None], name, options, used_tables)


def _diagnose(data: bytes, name: str, pdfium_message: str) -> None:
    """Raise the error that says why PDFium could not open a PDF.

    PDFium's own error code is not reliable here (it reports the previous
    document's error for some files, "success" for a PDF without pages), so the
    file is opened again with pdfminer, which tells a password, no pages and
    damage apart.
    """
    import io

    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        has_page = next(iter(PDFPage.create_pages(document)), None) is not None
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise EncryptedDocumentError(
            "the PDF is password-protected; save an unprotected copy to read it", path=name
        ) from None
    except Exception:  # noqa: BLE001 - pdfminer fails on damage in many ways
        has_page = True
    if not has_page:
        raise EmptyDocumentError("the PDF has no pages", path=name)
    detail = (
        pdfium_message.split("(", 1)[-1].rstrip(").") if "(" in pdfium_message else pdfium_message
    )
    raise CorruptDocumentError(
        f"not a readable PDF ({detail}); the file may be damaged or truncated", path=name
    )


def _failed(i: int, note: str) -> _Page:
    return _Page("", PageInfo(i + 1, "none", "failed", 0, note=note))


def _text_page(page, i: int, plumber: _Plumber | None) -> _Page | None:
    """Return the page read from its text layer, or ``None`` when it has none (a scan)."""
    textpage = page.get_textpage()
    try:
        raw = textpage.get_text_range()
        if len(raw) - raw.count(" ") - raw.count("\n") - raw.count("\r") < MIN_TEXT_CHARS:
            return None
        paths, legacy_font = _scan_objects(page)
        fonts = _legacy_fonts(textpage, raw) if legacy_font else None
    finally:
        textpage.close()
    encoding = "unicode"
    if plumber is not None and paths >= _MIN_PATHS:
        tabled = plumber.page_text(i)
        if tabled is not None:
            raw, fonts = tabled, None
    if fonts is not None:
        text, encoding = _decode_by_font(raw, fonts)
    else:
        encoding = legacy.detect(raw)
        text = legacy.decode(raw, encoding) if encoding != "unicode" else raw
    if encoding == "tcvn3":
        text = _tcvn3_hyphens(text)
    text = _clean(text)
    return _Page(text, PageInfo(i + 1, "text", "ok", len(text), encoding=encoding))


def _scan_objects(page) -> tuple[int, bool]:
    """Return a page's count of path objects (table rules) and whether it uses a legacy font.

    One pass over the page's objects; each font is looked at once.
    """
    import pypdfium2.raw as pdfium_c

    buffer = ctypes.create_string_buffer(128)
    paths = 0
    legacy_font = False
    seen: set[int] = set()
    for obj in page.get_objects():
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += 1
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT and not legacy_font:
            font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
            key = ctypes.cast(font, ctypes.c_void_p).value or 0
            if key in seen:
                continue
            seen.add(key)
            if pdfium_c.FPDFFont_GetBaseFontName(font, buffer, 128):
                name = buffer.value.decode("latin-1", errors="replace")
                legacy_font = legacy.encoding_of_font(name) is not None
    return paths, legacy_font


def _legacy_fonts(textpage, raw: str) -> list[str] | None:
    """Return each character's font name when some are legacy Vietnamese fonts, else ``None``."""
    import pypdfium2.raw as pdfium_c

    count = len(raw)
    buffer = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    names: list[str] = []
    found = False
    last = ""
    for index in range(count):
        size = pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, buffer, 128, ctypes.byref(flags))
        name = buffer.value.decode("latin-1", errors="replace") if size else last
        last = name
        if not found and legacy.encoding_of_font(name) is not None:
            found = True
        names.append(name)
    return names if found else None


def _decode_by_font(raw: str, fonts: list[str]) -> tuple[str, str]:
    """Decode each run of characters in one font by that font's legacy encoding."""
    out: list[str] = []
    used: dict[str, int] = {}
    start = 0
    for k in range(1, len(raw) + 1):
        if k < len(raw) and fonts[k] == fonts[start]:
            continue
        run = raw[start:k]
        encoding = legacy.encoding_of_font(fonts[start]) or "unicode"
        if encoding != "unicode":
            used[encoding] = used.get(encoding, 0) + len(run)
            run = legacy.decode(run, encoding, upper=legacy.is_upper_font(fonts[start]))
        out.append(run)
        start = k
    main = max(used, key=lambda e: used[e]) if used else "unicode"
    return "".join(out), main


def _tcvn3_hyphens(text: str) -> str:
    """Put back the "ư" a PDF's text layer turned into a hyphen in TCVN3 text."""

    def repl(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if not (left or right):
            return m.group(0)  # a dash standing alone ("- mục") is a dash
        word = left + "ư" + right
        if legacy.syllable_score(word) <= 0:
            return m.group(0)
        sides = [side for side in (left, right) if side]
        return word[: len(left)] + ("Ư" if all(x.isupper() for x in sides) else "ư") + right

    return _TCVN3_HYPHEN.sub(repl, text)


def _clean(text: str) -> str:
    text = text.translate(_JUNK).replace("\r\n", "\n").replace("\r", "\n")
    return nfc(_TRAILING.sub("\n", text).rstrip())


class _Plumber:
    """pdfplumber opened lazily on the same bytes, for pages with ruled tables."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pdf = None

    def page_text(self, i: int) -> str | None:
        """Return the page's text with each table row as ``| cell | cell |``, or ``None``."""
        import io

        import pdfplumber

        if self._pdf is None:
            self._pdf = pdfplumber.open(io.BytesIO(self._data))
        page = self._pdf.pages[i]
        tables = [t for t in page.find_tables() if t.rows and len(t.rows[0].cells) > 1]
        if not tables:
            page.close()
            return None
        boxes = [t.bbox for t in tables]

        def outside(obj) -> bool:
            x = (obj["x0"] + obj["x1"]) / 2
            y = (obj["top"] + obj["bottom"]) / 2
            return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

        items: list[tuple[float, str]] = [
            (line["top"], line["text"])
            for line in page.filter(outside).extract_text_lines(return_chars=False)
        ]
        for table in tables:
            for row, cells in zip(table.rows, table.extract(), strict=True):
                top = row.bbox[1]
                items.append((top, _row_line(cells)))
        items.sort(key=lambda item: item[0])
        page.close()
        return "\n".join(text for _, text in items)

    def close(self) -> None:
        """Close the PDF if it was opened."""
        if self._pdf is not None:
            self._pdf.close()


def _row_line(cells: list[str | None]) -> str:
    """Return a table row as one line: ``| cell | cell |`` (a cell's lines joined)."""
    parts = [" ".join((c or "").split()).replace("|", "/") for c in cells]
    return "| " + " | ".join(parts) + " |"


def _ocr_pages(
    doc, scans: list[int], pages: list[_Page | None], options: PdfOptions, name: str
) -> None:
    """OCR the pages without a text layer, in place, one at a time (memory stays flat)."""
    if options.ocr is None:
        for i in scans:
            pages[i] = _Page(
                "",
                PageInfo(
                    i + 1,
                    "none",
                    "unreadable",
                    0,
                    note="no text layer, and OCR was not available or not asked for",
                ),
            )
        return
    show = options.progress
    if show is None:
        show = len(scans) >= _PROGRESS_MIN_PAGES
    bar = _progress(len(scans), name) if show else None
    try:
        for i in scans:
            pages[i] = _ocr_page(doc, i, options)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()


def _progress(total: int, name: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=f"OCR {name.rsplit('/', 1)[-1]}", unit="page", file=sys.stderr)


def _ocr_page(doc, i: int, options: PdfOptions) -> _Page:
    import pypdfium2 as pdfium

    engine = options.ocr
    assert engine is not None
    try:
        page = doc[i]
        try:
            bitmap = page.render(scale=options.dpi / 72, grayscale=True)
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        return _failed(i, f"the page cannot be rendered for OCR ({exc})")
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    buffer = bytes(bitmap.buffer)
    bitmap.close()
    if stride != width:
        buffer = b"".join(buffer[r * stride : r * stride + width] for r in range(height))
    result = engine.recognise(buffer, width, height, page=i + 1)
    return _ocr_result(i, result, options)


def _ocr_result(i: int, result: OcrResult, options: PdfOptions) -> _Page:
    text = _clean(result.text)
    notes: dict[str, str | None] = {
        "ok": None,
        "low_confidence": f"OCR confidence {result.confidence} is low: check the text",
        "unreadable": "OCR found marks on the page but could not read any word",
        "empty": "a blank page",
        "timeout": f"OCR ran past its time limit ({getattr(options.ocr, 'timeout', '?')} s)",
    }
    status = {"low_confidence": "ok"}.get(result.status, result.status)
    return _Page(
        text,
        PageInfo(
            i + 1,
            "ocr" if text else "none",
            status,  # type: ignore[arg-type]
            len(text),
            ocr_confidence=result.confidence,
            note=notes[result.status],
        ),
    )


def _assemble(
    pages: list[_Page], name: str, options: PdfOptions, used_tables: bool
) -> ConvertedDocument:
    texts = [p.text for p in pages]
    starts: list[int] = []
    at = 0
    for t in texts:
        starts.append(at)
        at += len(t) + 1
    text = "\n".join(texts)
    infos = tuple(p.info for p in pages)
    if not text.strip():
        problems = "; ".join(f"page {p.number}: {p.note}" for p in infos if p.note) or "no text"
        raise EmptyDocumentError(
            f"no text could be read from any of its {len(infos)} pages ({_shorten(problems)})",
            path=name,
        )
    methods = {p.method for p in infos if p.method != "none"}
    source = (
        "pdf-mixed"
        if methods == {"text", "ocr"}
        else "pdf-ocr"
        if methods == {"ocr"}
        else "pdf-text"
    )
    conversion = pdf_library_versions()
    if used_tables:
        import pdfplumber

        conversion += f" + pdfplumber {pdfplumber.__version__} (tables)"
    if "ocr" in methods and options.ocr is not None:
        conversion += f" + {options.ocr.name} ({options.dpi} dpi)"
    warnings = [f"page {p.number}: {p.note}" for p in infos if p.note and p.status != "empty"]
    encodings = [p.encoding for p in infos if p.encoding != "unicode"]
    if encodings:
        warnings.append(
            f"{len(encodings)} page(s) typed in legacy Vietnamese fonts "
            f"({', '.join(sorted(set(encodings)))}) converted to Unicode"
        )
    encoding = max(set(encodings), key=encodings.count) if encodings else "unicode"
    return ConvertedDocument(
        path=name,
        text=text,
        page_starts=tuple(starts),
        source_format=source,  # type: ignore[arg-type]
        conversion=conversion,
        pages=infos,
        warnings=tuple(warnings),
        encoding=encoding,
    )


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


ProgressFactory = Callable[[int, str], object]
