"""The converted document: NFC text in reading order, its pages and how it was made."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Literal

__all__ = [
    "CONVERTED_FORMATS",
    "ConvertedDocument",
    "Location",
    "PageInfo",
    "SourceFormat",
]

SourceFormat = Literal["pdf-text", "pdf-ocr", "pdf-mixed", "docx", "doc", "html", "txt"]
CONVERTED_FORMATS: tuple[str, ...] = (
    "pdf-text",
    "pdf-ocr",
    "pdf-mixed",
    "docx",
    "doc",
    "html",
    "txt",
)
_ONE = 1
PageMethod = Literal["text", "ocr", "none"]
PageStatus = Literal["ok", "empty", "unreadable", "timeout", "failed"]


@dataclass(frozen=True)
class PageInfo:
    """How one page was read.

    Attributes
    ----------
    number
        1-based page number.
    method
        ``"text"`` (the PDF's text layer), ``"ocr"`` (Tesseract) or ``"none"``
        (nothing could be read).
    status
        ``"ok"``; ``"empty"`` (a blank page: no text layer and nothing OCR
        found, or OCR not asked for); ``"unreadable"`` (OCR found marks but no
        confident words); ``"timeout"`` (OCR ran past its time limit);
        ``"failed"`` (the page could not be opened or rendered).
    chars
        Characters of text the page gave (after conversion).
    ocr_confidence
        Tesseract's mean word confidence (0-100) on an OCR page, else ``None``.
    encoding
        ``"unicode"``, or the legacy font encoding its text was converted from
        (``"tcvn3"``, ``"vni"``).
    note
        Why a page is not ``"ok"``, in words; ``None`` when it is.
    """

    number: int
    method: PageMethod
    status: PageStatus
    chars: int
    ocr_confidence: float | None = None
    encoding: str = "unicode"
    note: str | None = None


@dataclass(frozen=True)
class Location:
    """Where an offset of a converted text lies: page (``None`` if unpaged) and line."""

    page: int | None
    line: int


@dataclass(frozen=True)
class ConvertedDocument:
    r"""A plan file converted to text, with its page map and provenance.

    Attributes
    ----------
    path
        The file, as given.
    text
        NFC text in reading order, ``"\\n"`` line ends. Pages follow each other
        with a single ``"\\n"`` (a sentence broken by a page break reads on).
        Table rows are one line each, ``"| cell | cell |"``; footnotes are marked
        ``[^n]`` in the text and listed after a ``"Chú thích:"`` line at the end.
    page_starts
        The character offset where each page starts (``page_starts[0] == 0``);
        empty for a document without pages (a web page, a ``.docx`` whose
        pages Word did not record, a text file without form feeds).
    source_format
        ``"pdf-text"``, ``"pdf-ocr"``, ``"pdf-mixed"``, ``"docx"``, ``"doc"``,
        ``"html"`` or ``"txt"``.
    conversion
        The libraries and versions used, e.g. ``"pypdfium2 4.30 (PDFium 6462)
        + tesseract 5.3.0 vie"``: recorded per document.
    pages
        One :class:`PageInfo` per page (empty for an unpaged document).
    warnings
        What the conversion noticed and the reader should know, in words
        (pages OCR could not read, legacy encodings converted, a suffix that did
        not match the bytes).
    encoding
        For a text file, the encoding it was decoded from; otherwise
        ``"unicode"``, or the legacy encoding (``"tcvn3"``, ``"vni"``) most of
        its text was converted from.
    """

    path: str
    text: str
    page_starts: tuple[int, ...]
    source_format: SourceFormat
    conversion: str
    pages: tuple[PageInfo, ...] = ()
    warnings: tuple[str, ...] = ()
    encoding: str = "unicode"
    _lines: list[tuple[int, ...]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )

    @property
    def _line_starts(self) -> tuple[int, ...]:
        """The offset where each line starts, computed on first use (once)."""
        if not self._lines:
            # One pass in C: each line starts one past the end of the one before
            # (``accumulate`` sums the lengths of the lines and their line breaks).
            lengths = map(len, self.text.split("\n"))
            starts = tuple(accumulate(map(_ONE.__add__, lengths), initial=0))
            self._lines.append(starts[:-1])
        return self._lines[0]

    @property
    def page_count(self) -> int | None:
        """Number of pages, or ``None`` for a document without pages."""
        return len(self.page_starts) if self.page_starts else None

    def page_of(self, offset: int) -> int | None:
        """Return the 1-based page holding character ``offset``, or ``None`` if unpaged."""
        if not self.page_starts:
            return None
        self._check(offset)
        return bisect_right(self.page_starts, offset)

    def line_of(self, offset: int) -> int:
        """Return the 1-based line of ``offset``: on its page, or in the document if unpaged."""
        self._check(offset)
        line = bisect_right(self._line_starts, offset)
        page = self.page_of(offset)
        if page is None:
            return line
        first = bisect_right(self._line_starts, self.page_starts[page - 1])
        return line - first + 1

    def location(self, offset: int) -> Location:
        """Return the page and line of character ``offset``."""
        return Location(self.page_of(offset), self.line_of(offset))

    def locations(self, offsets: Iterable[int]) -> list[Location]:
        """Return the page and line of each character offset (as :meth:`location`).

        The lines are counted between the offsets in text order (a count of line
        breaks, in C), not looked up in a table of every line's start.
        """
        offsets = list(offsets)
        for offset in offsets:
            self._check(offset)
        count, pages = self.text.count, self.page_starts
        if pages:
            out: list[Location] = []
            for offset in offsets:
                page = bisect_right(pages, offset)
                # the line on its page: the line breaks between the page's start and it
                out.append(Location(page, count("\n", pages[page - 1], offset) + 1))
            return out
        line_at: dict[int, int] = {}
        line, before = 1, 0
        for offset in sorted(set(offsets)):
            line += count("\n", before, offset)
            line_at[offset] = line
            before = offset
        return [Location(None, line_at[offset]) for offset in offsets]

    def page_text(self, page: int) -> str:
        """Return the text of 1-based ``page`` (without the line break that ends it)."""
        if not self.page_starts or not 1 <= page <= len(self.page_starts):
            raise IndexError(f"no page {page} (the document has {self.page_count or 0} pages)")
        start = self.page_starts[page - 1]
        end = self.page_starts[page] - 1 if page < len(self.page_starts) else len(self.text)
        return self.text[start:end]

    def _check(self, offset: int) -> None:
        if not 0 <= offset <= len(self.text):
            raise IndexError(f"offset {offset} is outside the text (0..{len(self.text)})")
