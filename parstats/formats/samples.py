"""Write plan texts as the files provinces publish, for tests and benchmarks.

Every fixture of the conversion tests is made from the seed plans here (never
from outside documents): a minimal but valid Word file (:class:`DocxWriter`:
paragraphs, runs in a named font, numbered lists, tables, footnotes, page
breaks), the PDF and ``.doc`` LibreOffice makes of it (:func:`libreoffice_convert`),
an image-only PDF rendered from a PDF (:func:`scan_pdf`) and a legal portal's
web page around a text (:func:`portal_page`).
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "DocxWriter",
    "Run",
    "docx_from_text",
    "libreoffice_convert",
    "portal_page",
    "scan_pdf",
]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class Run:
    """A run of text in one font (``None``: the document's default font)."""

    text: str
    font: str | None = None
    bold: bool = False


@dataclass
class DocxWriter:
    """Build a ``.docx`` body by body element, then :meth:`save` it.

    Numbering: ``numbering=(list_id, level)``; list 1 is "1.", then "a)", then
    "-"; list 2 is "-" bullets; list 3 is "I.", then "1.".
    """

    font: str = "Times New Roman"
    _body: list[str] = field(default_factory=list)
    _footnotes: list[str] = field(default_factory=list)

    def paragraph(
        self,
        text: str | Sequence[Run] = "",
        *,
        numbering: tuple[int, int] | None = None,
        footnote: str | None = None,
        bold: bool = False,
    ) -> None:
        """Add a paragraph (plain text, or runs), numbered and with a footnote if given."""
        runs = [Run(text, bold=bold)] if isinstance(text, str) else list(text)
        ppr = ""
        if numbering is not None:
            ppr = (
                f'<w:pPr><w:numPr><w:ilvl w:val="{numbering[1]}"/>'
                f'<w:numId w:val="{numbering[0]}"/></w:numPr></w:pPr>'
            )
        body = "".join(_run_xml(r) for r in runs)
        if footnote is not None:
            self._footnotes.append(footnote)
            n = len(self._footnotes)
            body += (
                '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteReference w:id="{n}"/></w:r>'
            )
        self._body.append(f"<w:p>{ppr}{body}</w:p>")

    def table(self, rows: Iterable[Sequence[str]]) -> None:
        """Add a table with grid borders, one list of cell texts per row."""
        rows = [list(r) for r in rows]
        width = max(len(r) for r in rows)
        border = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        xml = [
            f'<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>{border}'
            "</w:tblBorders></w:tblPr><w:tblGrid>"
            + "".join('<w:gridCol w:w="1800"/>' for _ in range(width))
            + "</w:tblGrid>"
        ]
        for row in rows:
            xml.append("<w:tr>")
            for cell in row + [""] * (width - len(row)):
                paras = "".join(
                    f"<w:p>{_run_xml(Run(line))}</w:p>" for line in (cell.split("\n") or [""])
                )
                xml.append(f'<w:tc><w:tcPr><w:tcW w:w="1800" w:type="dxa"/></w:tcPr>{paras}</w:tc>')
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        self._body.append("".join(xml))
        self._body.append("<w:p/>")

    def page_break(self) -> None:
        """Start a new page."""
        self._body.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def to_bytes(self) -> bytes:
        """Return the ``.docx`` file's bytes (deterministic: fixed zip dates)."""
        parts = {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": _RELS,
            "word/_rels/document.xml.rels": _DOC_RELS,
            "word/document.xml": (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>'
                + "".join(self._body)
                + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" '
                'w:right="1134" w:bottom="1134" w:left="1701" w:header="0" w:footer="0" '
                'w:gutter="0"/></w:sectPr></w:body></w:document>'
            ),
            "word/styles.xml": _styles(self.font),
            "word/numbering.xml": _NUMBERING,
            "word/footnotes.xml": _footnotes_xml(self._footnotes),
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, content in parts.items():
                info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, content.encode("utf-8"))
        return buffer.getvalue()

    def save(self, path: str | Path) -> Path:
        """Write the ``.docx`` file and return its path."""
        path = Path(path)
        path.write_bytes(self.to_bytes())
        return path


def _run_xml(run: Run) -> str:
    rpr = ""
    if run.font or run.bold:
        font = (
            f'<w:rFonts w:ascii="{html.escape(run.font)}" w:hAnsi="{html.escape(run.font)}" '
            f'w:cs="{html.escape(run.font)}"/>'
            if run.font
            else ""
        )
        rpr = f"<w:rPr>{font}{'<w:b/>' if run.bold else ''}</w:rPr>"
    pieces = run.text.split("\t")
    inner = "<w:tab/>".join(
        f'<w:t xml:space="preserve">{html.escape(p, quote=False)}</w:t>' for p in pieces
    )
    return f"<w:r>{rpr}{inner}</w:r>"


def docx_from_text(text: str, *, font: str | None = None) -> DocxWriter:
    r"""Return a Word document with one paragraph per line of ``text``.

    A block of lines with two tabs or more each (a table pasted as text)
    becomes a Word table; ``\\f`` starts a new page.
    """
    doc = DocxWriter()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.count("\t") >= 2:
            block = []
            while i < len(lines) and lines[i].count("\t") >= 2:
                block.append(lines[i].split("\t"))
                i += 1
            doc.table(block)
            continue
        if "\f" in line:
            before, _, after = line.partition("\f")
            if before:
                doc.paragraph([Run(before, font)])
            doc.page_break()
            lines[i] = after
            continue
        doc.paragraph([Run(line, font)])
        i += 1
    return doc


def _styles(font: str) -> str:
    f = html.escape(font)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:styles xmlns:w="{_W}"><w:docDefaults><w:rPrDefault><w:rPr>'
        f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:cs="{f}" w:eastAsia="{f}"/>'
        '<w:sz w:val="26"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        "</w:style></w:styles>"
    )


def _footnotes_xml(notes: list[str]) -> str:
    items = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>",
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>",
    ]
    for n, note in enumerate(notes, 1):
        items.append(
            f'<w:footnote w:id="{n}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
            f"</w:rPr><w:footnoteRef/></w:r>{_run_xml(Run(' ' + note))}</w:p></w:footnote>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:footnotes xmlns:w="{_W}">' + "".join(items) + "</w:footnotes>"
    )


def _level(ilvl: int, fmt: str, text: str, start: int = 1) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{html.escape(text)}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{360 * (ilvl + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
    )


_NUMBERING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:numbering xmlns:w="{_W}">'
    '<w:abstractNum w:abstractNumId="0">'
    + _level(0, "decimal", "%1.")
    + _level(1, "lowerLetter", "%2)")
    + _level(2, "bullet", "-")
    + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="1">' + _level(0, "bullet", "-") + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="2">'
    + _level(0, "upperRoman", "%1.")
    + _level(1, "decimal", "%2.")
    + "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>'
    "</w:numbering>"
)
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.footnotes+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/numbering" Target="numbering.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/footnotes" Target="footnotes.xml"/></Relationships>'
)


def libreoffice_convert(
    source: str | Path, out_dir: str | Path, to: str, *, timeout: float = 180
) -> Path:
    """Convert ``source`` with LibreOffice headless (``to``: ``"pdf"``, ``"doc"``, ``"docx"``).

    Raises
    ------
    ToolMissingError, ConversionTimeoutError, CorruptDocumentError
        See :func:`parstats.formats.office.run_libreoffice`.
    """
    from parstats.formats.office import run_libreoffice

    return run_libreoffice(Path(source), Path(out_dir), to, timeout=timeout)


def scan_pdf(
    pdf: str | Path,
    out: str | Path,
    *,
    dpi: int = 300,
    pages: Sequence[int] | None = None,
    skew: float = 0.0,
    noise: float = 0.0,
    seed: int = 0,
) -> Path:
    """Render ``pdf``'s pages to grey images and write them as an image-only PDF.

    The result has no text layer, like a scanner's output. ``pages`` (0-based)
    limits the pages rendered. ``skew`` turns each page by that many degrees
    and ``noise`` flips that share of pixels to black or white (a photocopy's
    specks), with a fixed ``seed``: the same call gives the same file.
    """
    import random

    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(str(pdf))
    rng = random.Random(seed)
    try:
        indices = range(len(doc)) if pages is None else pages
        images = []
        for i in indices:
            bitmap = doc[i].render(scale=dpi / 72, grayscale=True)
            image = bitmap.to_pil().convert("L")
            if skew:
                image = image.rotate(skew, resample=Image.BILINEAR, expand=False, fillcolor=255)
            if noise:
                pixels = image.load()
                w, h = image.size
                for _ in range(int(noise * w * h)):
                    pixels[rng.randrange(w), rng.randrange(h)] = rng.choice((0, 255))
            images.append(image)
    finally:
        doc.close()
    out = Path(out)
    images[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return out


def portal_page(text: str, *, title: str, layout: str = "html5") -> str:
    """Return a legal portal's HTML page with ``text`` as its article.

    Around the article: a header with a menu, breadcrumbs, a sidebar of other
    documents, a list of related articles, a comment box and a footer, each
    with numbers and words of the kind a plan uses (so that their leaking into
    the text would show in the extraction). ``layout="html5"`` marks them with
    ``<nav>``, ``<article>``, ``<aside>`` and English class names;
    ``layout="table"`` is an older portal's: nested layout tables, Vietnamese
    class names, the plan's lines separated by ``<br>``.
    """
    if layout == "table":
        return _table_portal_page(text, title)
    body = "\n".join(
        f"<p>{html.escape(line)}</p>" if line.strip() else "<p></p>" for line in text.split("\n")
    )
    t = html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{t} - Cổng thông tin điện tử</title>
<script>var tracking = {{"id": 2025, "rate": "95%"}};</script>
<style>.menu {{ color: #036; }}</style></head>
<body>
<header class="site-header"><div class="logo">CỔNG THÔNG TIN ĐIỆN TỬ TỈNH</div>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li>
<a href="/gioi-thieu">Giới thiệu</a></li>
<li><a href="/van-ban">Văn bản chỉ đạo điều hành</a></li><li>
<a href="/cchc">Cải cách hành chính</a></li>
<li><a href="/dvc">Dịch vụ công trực tuyến mức độ 4</a></li></ul></nav>
<div class="search"><form><input type="text" placeholder="Tìm kiếm"><button>Tìm</button></form>
</div>
</header>
<div class="breadcrumb">
<a href="/">Trang chủ</a> &gt; <a href="/van-ban">Văn bản</a> &gt; Cải cách hành chính</div>
<div class="container"><main>
<article class="news-detail">
<h1 class="title">{t}</h1>
<div class="meta">Ngày đăng: 12/01/2024 08:30 | Lượt xem: 1.245</div>
<div class="content" id="noi-dung">
{body}
</div>
<div class="share">Chia sẻ: <a href="#">Facebook</a> <a href="#">Zalo</a>
<a href="#">In trang</a></div>
</article>
<section class="related"><h3>Tin liên quan</h3><ul>
<li><a href="/tin/1">Tỉnh đạt 98% hồ sơ giải quyết đúng hạn trong năm 2023</a></li>
<li><a href="/tin/2">Chỉ số PAR Index năm 2022 của tỉnh tăng 5 bậc, xếp thứ 12/63</a></li>
<li><a href="/tin/3">Kế hoạch số 45/KH-UBND về chuyển đổi số năm 2024: 80% hồ sơ trực tuyến</a>
</li>
</ul></section>
<section class="comments"><h3>Ý kiến bạn đọc</h3>
<form class="comment-form"><textarea>Nhập ý kiến của bạn (tối đa 500 ký tự)</textarea>
<input type="text" value="Họ và tên"><button>Gửi ý kiến</button></form>
<div class="comment">Nguyễn Văn A: Mong tỉnh đạt 100% dịch vụ công trực tuyến toàn trình
vào năm 2025.</div>
</section>
</main>
<aside class="sidebar"><h3>Văn bản mới</h3><ul>
<li>
<a href="/vb/1">Quyết định 1234/QĐ-UBND ngày 05/3/2024: giảm 30% thời gian giải quyết TTHC</a>
</li>
<li><a href="/vb/2">Thông báo tuyển dụng 25 công chức năm 2024</a></li></ul>
<div class="poll">Thăm dò ý kiến: Bạn hài lòng với dịch vụ công? 85% hài lòng</div></aside>
</div>
<footer class="site-footer">
<p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh. Địa chỉ: số 10 đường 30/4.</p>
<p>Điện thoại: 0262 3852 001. Giấy phép số 45/GP-TTĐT ngày 15/4/2019.
Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p>
<p>Đang truy cập: 1.024 | Tổng lượt truy cập: 12.345.678</p></footer>
</body></html>
"""


def font_pdf(pages: Sequence[Sequence[Sequence[Run]]]) -> bytes:
    """Return a PDF whose text is drawn in the fonts its runs name, not embedded.

    Each page is a list of lines, each line a list of :class:`Run`; every run's
    text is written as Windows-1252 bytes in a Type 1 font with
    ``/WinAnsiEncoding`` named after ``run.font`` (default ``Times-Roman``), as
    old PDFs typed in ``.VnTime`` or ``VNI-Times`` are. Widths are a fixed 500
    units, so the text layer's spacing is regular.
    """
    fonts: dict[str, int] = {}
    for page in pages:
        for line in page:
            for run in line:
                fonts.setdefault(run.font or "Times-Roman", len(fonts) + 1)
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    widths = b"[" + b" ".join([b"500"] * 224) + b"]"
    font_ids = {
        name: add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /"
            + _pdf_name(name)
            + b" /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths "
            + widths
            + b" >>"
        )
        for name in fonts
    }
    resources = (
        b"<< /Font << "
        + b" ".join(b"/F%d %d 0 R" % (fonts[name], font_ids[name]) for name in fonts)
        + b" >> >>"
    )
    pages_id = len(objects) + 2 * len(pages) + 1  # after every page and its content
    page_ids = []
    for page in pages:
        ops = [b"BT 12 TL 56 800 Td"]
        for line in page:
            for run in line:
                data = run.text.encode("cp1252")
                ops.append(
                    b"/F%d 11 Tf <%s> Tj" % (fonts[run.font or "Times-Roman"], data.hex().encode())
                )
            ops.append(b"T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources %s "
                b"/Contents %d 0 R >>" % (pages_id, resources, content)
            )
        )
    assert len(objects) + 1 == pages_id
    add(
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % i for i in page_ids)
        + b"] /Count %d >>" % len(page_ids)
    )
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)


def _pdf_name(name: str) -> bytes:
    """Return a PDF name's bytes, with ``#xx`` escapes for characters names cannot hold."""
    out = bytearray()
    for byte in name.encode("latin-1"):
        if 0x21 <= byte <= 0x7E and chr(byte) not in "#()<>[]{}/%":
            out.append(byte)
        else:
            out += b"#%02X" % byte
    return bytes(out)


def _table_portal_page(text: str, title: str) -> str:
    body = "<br>\n".join(html.escape(line) for line in text.split("\n"))
    t = html.escape(title)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{t}</title></head><body>
<table width="980" class="khung"><tr><td colspan="2" class="dau-trang">
<div class="ten-cong">CỔNG THÔNG TIN ĐIỆN TỬ SỞ NỘI VỤ</div>
<div class="thanh-ngang"><a href="/">Trang chủ</a> | <a href="/gt">Giới thiệu</a> |
<a href="/tt">Tin tức - Sự kiện</a> | <a href="/dvc">Dịch vụ công trực tuyến</a></div>
</td></tr><tr><td width="220" valign="top" class="cot-trai">
<div class="khoi"><b>Liên kết</b><br><a href="/1">Chính phủ</a><br><a href="/2">Bộ Nội vụ</a></div>
<div class="khoi"><b>Thống kê</b><br>Đang truy cập: 1.024<br>Tổng lượt truy cập: 12.345.678</div>
</td><td valign="top" class="cot-giua">
<div class="duong-dan">Trang chủ &raquo; Cải cách hành chính</div>
<div class="tieu-de">{t}</div>
<div class="ngay-dang">Ngày đăng: 12/01/2024 | Lượt xem: 1.245</div>
<div class="noi-dung-tin">
{body}
</div>
<div class="chia-se">Chia sẻ: <a href="#">Facebook</a> | <a href="#">In trang</a></div>
<div class="tin-lien-quan"><b>Tin liên quan</b><br>
<a href="/t/1">Tỉnh đạt 98% hồ sơ giải quyết đúng hạn trong năm 2023</a><br>
<a href="/t/2">Chỉ số PAR Index năm 2022 của tỉnh tăng 5 bậc, xếp thứ 12/63</a><br>
<a href="/t/3">Năm 2024 phấn đấu 80% hồ sơ trực tuyến toàn trình</a></div>
<div class="y-kien"><b>Ý kiến bạn đọc</b><br>
<textarea>Nhập ý kiến của bạn (tối đa 500 ký tự)</textarea><br>
<input type="button" value="Gửi ý kiến"><br>
Nguyễn Văn A: Mong tỉnh đạt 100% dịch vụ công trực tuyến toàn trình vào năm 2025.</div>
</td></tr><tr><td colspan="2" class="chan-trang">
Cơ quan chủ quản: Ủy ban nhân dân tỉnh. Địa chỉ: số 10 đường 30/4.<br>
Giấy phép số 45/GP-TTĐT ngày 15/4/2019. Ghi rõ nguồn khi phát hành lại thông tin.
</td></tr></table></body></html>
"""
