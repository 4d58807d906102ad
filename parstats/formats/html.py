"""Web pages to text: the main text of a legal portal's page (*trang thông tin điện tử*).

``trafilatura`` (Apache-2.0) finds the article and leaves out the menus,
breadcrumbs, related links, share buttons, comment boxes and footers around it;
its tables come out as ``| cell | cell |`` rows. Compared with hand-written
rules on selectolax (``benchmarks/bench_formats.py``, ``docs/FORMATS.md``), it
kept as much of the plan text and leaked no page furniture, without rules
per portal. Settings favour recall (a plan's short lines, "|" cell separators
and repeated boilerplate phrases are kept: no de-duplication).
"""

from __future__ import annotations

import re

from parstats.formats.document import ConvertedDocument
from parstats.formats.errors import EmptyDocumentError
from parstats.vn import nfc

__all__ = ["convert_html", "html_library_version"]

_TRAILING = re.compile(r"[ \t]+$", re.MULTILINE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def html_library_version() -> str:
    """Return ``"trafilatura X.Y.Z"``."""
    import trafilatura

    return f"trafilatura {trafilatura.__version__}"


def decode_html(data: bytes) -> str:
    """Return a page's text: its byte-order mark, else its ``<meta charset>``, else UTF-8.

    Bytes that are not valid in the declared encoding are replaced (a page
    often declares one encoding and holds a stray byte of another).
    """
    from parstats.text import _BOMS

    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    m = _META_CHARSET.search(data[:4096])
    encoding = m.group(1).decode("ascii").lower() if m else "utf-8"
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1258", errors="replace")


def convert_html(data: bytes, name: str) -> ConvertedDocument:
    """Convert a web page's bytes to a :class:`ConvertedDocument` (unpaged).

    Raises
    ------
    EmptyDocumentError
        If no main text is found on the page.
    """
    import trafilatura

    page = decode_html(data)
    text = trafilatura.extract(
        page,
        output_format="txt",
        include_tables=True,
        include_comments=False,
        include_links=False,
        include_images=False,
        favor_recall=True,
        deduplicate=False,
    )
    if not text or not text.strip():
        raise EmptyDocumentError(
            "no main text found on the web page (only menus, links or scripts)", path=name
        )
    text = nfc(_TRAILING.sub("", text.replace("\r\n", "\n")).strip("\n"))
    return ConvertedDocument(
        path=name,
        text=text,
        page_starts=(),
        source_format="html",
        conversion=html_library_version(),
    )
