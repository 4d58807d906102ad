"""Web pages to text: the main text of a legal portal's page (*trang thông tin điện tử*).

Rules on the page's tree (``lxml``), in three steps:

1. **furniture out**: scripts, styles, forms, ``<nav>``, ``<header>``,
   ``<footer>``, ``<aside>``, and every element whose class or id names page
   furniture (:data:`FURNITURE_WORDS`: menus, breadcrumbs, related links, share
   buttons, comment boxes, footers, in English and in the ASCII slugs Vietnamese
   portals use, such as ``tin-lien-quan``, ``binh-luan``, ``chan-trang``);
   layout tables (a cell holding blocks or a long text) become plain blocks,
   data tables stay tables;
2. **the article**: the element with the most text outside links, descending
   into a child while that child keeps :data:`KEEP_SHARE` of it (so the
   article's own block, not the page's body, is taken); an ``<article>`` or
   ``itemprop="articleBody"`` wins when there is one;
3. **lines**: every block element (paragraph, heading, list item, ``div``)
   and every ``<br>`` ends a line, a table row is one line ``| cell | cell |``,
   an ordered list's items get their numbers; nothing inside the article is
   dropped.

``trafilatura`` was measured against these rules (``benchmarks/bench_formats.py``,
``docs/FORMATS.md``): on an older portal's table-laid page it dropped a
sub-heading and the signature block of a seed plan without a word, which a
plan's targets cannot afford; the rules kept every line and run 20-30 times
faster.
"""

from __future__ import annotations

import re

from parstats.formats.document import ConvertedDocument
from parstats.formats.errors import EmptyDocumentError
from parstats.vn import nfc

__all__ = ["FURNITURE_WORDS", "KEEP_SHARE", "convert_html", "decode_html", "main_text"]

FURNITURE_WORDS: tuple[str, ...] = (
    "menu", "navbar", "breadcrumb", "sidebar", "footer", "header", "related", "comment",
    "share", "social", "banner", "advert", "poll", "lien-quan", "lienquan", "lien_quan",
    "tin-khac", "tinkhac", "cung-chuyen-muc", "binh-luan", "binhluan", "y-kien", "ykien",
    "chia-se", "chiase", "chan-trang", "chantrang", "dau-trang", "dautrang", "duong-dan",
    "thanh-ngang", "cot-trai", "cot-phai", "quang-cao", "thong-ke", "luot-xem", "ngay-dang",
    "lien-ket", "tim-kiem", "meta",
)  # fmt: skip
# A child holding at least this share of its parent's text (outside links) is the
# article rather than the parent.
KEEP_SHARE = 0.8
_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside",
    "form", "button", "select", "textarea", "input", "iframe", "svg", "object",
)  # fmt: skip
_BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre section article main "
    "table tr center address figure figcaption hr".split()
)
_LAYOUT_CELL_CHARS = 1000
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def html_library_version() -> str:
    """Return ``"lxml X.Y.Z"`` (the rules are parstats' own)."""
    import lxml

    return f"parstats.formats.html rules on lxml {lxml.__version__}"


def decode_html(data: bytes) -> str:
    """Return a page's text: its byte-order mark, else its ``<meta charset>``, else UTF-8.

    Bytes that are not valid in the declared encoding are replaced (a page
    often declares one encoding and holds a stray byte of another).
    """
    from parstats.extraction.decode import _BOMS

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
    text = main_text(decode_html(data))
    if not text.strip():
        raise EmptyDocumentError(
            "no main text found on the web page (only menus, links or scripts)", path=name
        )
    return ConvertedDocument(
        path=name,
        text=text,
        page_starts=(),
        source_format="html",
        conversion=html_library_version(),
    )


def main_text(page: str) -> str:
    """Return the main text of an HTML page, one line per block (see the module docstring)."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        return ""
    _remove_furniture(tree)
    _unwrap_layout_tables(tree)
    body = tree.find("body")
    root = _article(body if body is not None else tree)
    lines: list[str] = []
    _lines(root, lines, [""])
    out = [" ".join(line.split()) for line in lines]
    text = "\n".join(line for line in out if line)
    return nfc(text)


def _remove_furniture(tree) -> None:
    drop = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            drop.append(el)  # comments, processing instructions
            continue
        if el.tag in _DROP_TAGS:
            drop.append(el)
            continue
        if el.tag in ("html", "body"):
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if names.strip() and any(word in names for word in FURNITURE_WORDS):
            drop.append(el)
    for el in reversed(drop):  # children before parents
        if el.getparent() is not None:
            _drop_keep_tail(el)


def _drop_keep_tail(el) -> None:
    """Remove an element but keep the text after it (its tail) in place."""
    parent = el.getparent()
    tail = el.tail
    if tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _unwrap_layout_tables(tree) -> None:
    """Turn layout tables (a cell holding blocks or a long text) into plain blocks."""
    for table in list(tree.iter("table")):
        cells = list(table.iter("td", "th"))
        layout = any(
            c.find(".//div") is not None
            or c.find(".//table") is not None
            or c.find(".//p") is not None
            or len(c.text_content()) > _LAYOUT_CELL_CHARS
            for c in cells
        )
        if layout:
            for el in [table, *table.iter("tbody", "thead", "tfoot", "tr", "td", "th")]:
                el.tag = "div"


def _own_text(el) -> int:
    """Length of an element's text outside links (white space not counted)."""
    total = len("".join(el.text_content().split()))
    links = sum(len("".join(a.text_content().split())) for a in el.iter("a"))
    return total - links


def _article(root):
    marked = root.xpath(".//article | .//*[@itemprop='articleBody']")
    if marked:
        return max(marked, key=_own_text)
    node = root
    while True:
        total = _own_text(node)
        children = [c for c in node if isinstance(c.tag, str)]
        best = max(children, key=_own_text, default=None)
        if best is None or total == 0 or _own_text(best) < KEEP_SHARE * total:
            return node
        node = best


def _lines(el, lines: list[str], current: list[str], number: int | None = None) -> None:
    """Append ``el``'s text to ``lines`` (``current[0]`` is the line being built)."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "table":
        _flush(lines, current)
        for row in el.iter("tr"):
            cells = [
                " ".join(c.text_content().split()).replace("|", "/")
                for c in row
                if c.tag in ("td", "th")
            ]
            if any(cells):
                lines.append("| " + " | ".join(cells) + " |")
        _flush(lines, current)
        current[0] = ""
        _tail(el, lines, current)
        return
    block = tag in _BLOCKS
    if block:
        _flush(lines, current)
    if tag == "br":
        _flush(lines, current)
    elif tag == "li" and number is not None:
        current[0] += f"{number}. "
    if el.text and tag != "br":
        current[0] += el.text
    counter = 0
    ordered = tag == "ol"
    start = int(el.get("start", "1")) if ordered and (el.get("start") or "1").isdigit() else 1
    for child in el:
        if not isinstance(child.tag, str):
            if child.tail:
                current[0] += child.tail
            continue
        n = None
        if ordered and child.tag == "li":
            n = start + counter
            counter += 1
        _lines(child, lines, current, n)
    if block:
        _flush(lines, current)
    _tail(el, lines, current)


def _tail(el, lines: list[str], current: list[str]) -> None:
    if el.tail:
        current[0] += el.tail


def _flush(lines: list[str], current: list[str]) -> None:
    if current[0].strip():
        lines.append(_SPACES.sub(" ", current[0]).strip())
    current[0] = ""
