"""parstats.formats without outside programs: sniffing, page maps, legacy fonts, Word, web pages,
hand-made PDFs and every bad input of issue 15, each with its message.

The seed-plan fixtures that need LibreOffice or Tesseract, and the extraction bars, are in
tests/test_formats_gold.py.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest

from parstats.errors import InputError
from parstats.formats import (
    ConvertedDocument,
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    NotWordDocumentError,
    UnsupportedFormatError,
    convert,
    convert_bytes,
    legacy,
    sniff,
)
from parstats.formats.ocr import OcrEngine, OcrResult, parse_tsv
from parstats.formats.samples import DocxWriter, Run, docx_from_text, font_pdf, portal_page
from parstats.text import read_text

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "data" / "raw" / "plans"
FIXTURES = REPO / "tests" / "fixtures" / "formats"
SEEDS = sorted(PLANS.glob("*.txt"))


def _ws(text: str) -> str:
    return " ".join(text.split())


def _drawn(lines: list[str]) -> str:
    """The lines a PDF's text layer gives back: blank lines draw nothing."""
    return "\n".join(line.rstrip() for line in lines if line.strip())


def _seed(stem_prefix: str) -> str:
    return read_text(next(p for p in SEEDS if p.name.startswith(stem_prefix)))


# --------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.7\n...", "plan.pdf", "pdf"),
        (b"%PDF-1.7\n...", "PLAN.PDF", "pdf"),
        (b"PK\x03\x04rest", "plan.DocX", "docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), "a.doc", "doc"),
        (b"{\\rtf1\\ansi ...}", "a.doc", "doc"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "a.HTM", "html"),
        (b"\n  <html lang='vi'><body>x</body></html>", "a.html", "html"),
        ("Kế hoạch số 12".encode(), "a.TXT", "txt"),
    ],
)
def test_sniff_reads_the_bytes_and_accepts_any_letter_case(data, name, expected):
    found = sniff(data, name)
    assert found.format == expected
    assert found.warnings == ()


def test_a_suffix_that_disagrees_with_the_bytes_is_a_warning_and_the_bytes_win():
    found = sniff(b"%PDF-1.4\n", "plan.txt")
    assert found.format == "pdf"
    assert found.warnings == ("named .txt but its bytes are PDF: read as PDF",)
    html = sniff(b"<html><body><p>x</p></body></html>", "word_web_page.doc")
    assert html.format == "html" and "named .doc" in html.warnings[0]


def test_a_pdf_name_on_other_bytes_is_refused_with_what_it_starts_with():
    with pytest.raises(
        UnsupportedFormatError,
        match=r"fake\.pdf: named \.pdf but its bytes are not a PDF file \(it starts with b'Xin ch",
    ):
        convert_bytes("Xin chào, đây là văn bản".encode(), name="fake.pdf")


def test_an_office_file_that_is_not_word_is_refused():
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "Workbook".encode("utf-16-le")
    with pytest.raises(UnsupportedFormatError, match="not a Word document"):
        convert_bytes(xls, name="table.doc")


# --------------------------------------------------------------------------- page map


def test_page_of_and_line_of_map_offsets_to_pages_and_lines():
    text = "trang một\ndòng hai\ntrang hai\ndòng b\ndòng c\ntrang ba"
    starts = (0, text.index("trang hai"), text.index("trang ba"))
    doc = ConvertedDocument(
        path="x.pdf", text=text, page_starts=starts, source_format="pdf-text", conversion="t"
    )
    at = text.index("dòng c")
    assert doc.page_count == 3
    assert doc.page_of(0) == 1 and doc.line_of(0) == 1
    assert doc.page_of(text.index("dòng hai")) == 1 and doc.line_of(text.index("dòng hai")) == 2
    assert doc.location(at) == doc.location(at + 3)
    assert (doc.page_of(at), doc.line_of(at)) == (2, 3)
    assert (doc.page_of(len(text) - 1), doc.line_of(len(text) - 1)) == (3, 1)
    assert doc.page_text(2) == "trang hai\ndòng b\ndòng c"
    with pytest.raises(IndexError, match="outside the text"):
        doc.page_of(len(text) + 1)


def test_an_unpaged_document_has_no_page_and_counts_lines_in_the_document():
    doc = ConvertedDocument(
        path="x.html", text="a\nb\nc", page_starts=(), source_format="html", conversion="t"
    )
    assert doc.page_count is None
    assert doc.page_of(4) is None and doc.line_of(4) == 3


# --------------------------------------------------------------------------- text files


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_txt_delegates_to_read_text_unchanged(path):
    doc = convert(path)
    assert doc.text == read_text(path)
    assert (doc.source_format, doc.page_count, doc.encoding) == ("txt", None, "utf-8")


def test_form_feeds_in_a_text_file_are_its_pages(tmp_path):
    path = tmp_path / "pdftotext.txt"
    path.write_text("trang 1\n\ftrang 2\fTrang 3", encoding="utf-8")
    doc = convert(path)
    assert doc.text == read_text(path)  # the text is not changed
    assert doc.page_count == 3 and doc.page_of(doc.text.index("Trang 3")) == 3


# --------------------------------------------------------------------------- legacy fonts


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_vni_round_trips_every_seed(path):
    text = read_text(path)
    encoded = legacy.encode_vni(text)
    assert legacy.detect(encoded) == "vni"
    assert legacy.decode(encoded, "vni") == text


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_tcvn3_round_trips_every_seed_with_its_upper_case_font(path):
    text = read_text(path)
    runs = legacy.tcvn3_runs(text)
    assert any(upper for _, upper in runs)  # capitals with tones need .VnTimeH
    assert "".join(legacy.decode(t, "tcvn3", upper=up) for t, up in runs) == text
    plain = "".join(t for t, _ in runs)
    assert legacy.detect(plain) == "tcvn3"
    # Without the font names only the case of toned capitals is lost.
    assert legacy.decode(plain, "tcvn3").lower() == text.lower()


@pytest.mark.parametrize(
    ("legacy_text", "encoding", "unicode_text"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Tèi thiÓu 80% hå s¬ ®­îc gi¶i quyÕt", "tcvn3", "Tối thiểu 80% hồ sơ được giải quyết"),
        ("Toái thieåu 80% hoà sô ñöôïc giaûi quyeát", "vni", "Tối thiểu 80% hồ sơ được giải quyết"),
    ],
)
def test_known_legacy_strings_are_detected_and_decoded(legacy_text, encoding, unicode_text):
    assert legacy.detect(legacy_text) == encoding
    assert legacy.decode(legacy_text, encoding) == unicodedata.normalize("NFC", unicode_text)


@pytest.mark.parametrize(
    "text",
    [
        "Café, résumé, naïve",
        "Größe Müller Ärger",
        "São Paulo, Ñandú, façade",
        "Cộng hòa",
        "plain ASCII 80%",
    ],
)
def test_unicode_and_western_text_is_not_taken_for_legacy(text):
    assert legacy.detect(text) == "unicode"


@pytest.mark.parametrize(
    ("font", "encoding", "upper"),
    [
        (".VnTime", "tcvn3", False),
        (".VnTimeH", "tcvn3", True),
        ("ABCDEF+.VnArialH", "tcvn3", True),
        ("VNI-Times", "vni", False),
        ("Times New Roman", None, False),
        ("Helvetica", None, False),
    ],
)
def test_font_names_tell_the_legacy_encoding(font, encoding, upper):
    assert legacy.encoding_of_font(font) == encoding
    assert legacy.is_upper_font(font) is upper


# --------------------------------------------------------------------------- hand-made PDFs


def _tcvn3_pdf_pages(lines: list[str], per_page: int) -> list[list[list[Run]]]:
    runs = [
        [Run(t, ".VnTimeH" if up else ".VnTime") for t, up in legacy.tcvn3_runs(line)]
        for line in lines
    ]
    return [runs[i : i + per_page] for i in range(0, len(runs), per_page)]


def test_a_tcvn3_pdf_with_upper_case_fonts_reads_as_the_seed(tmp_path):
    lines = _seed("001").split("\n")[:90]
    path = tmp_path / "tcvn3.pdf"
    path.write_bytes(font_pdf(_tcvn3_pdf_pages(lines, 45)))
    doc = convert(path, ocr=False)
    assert doc.text == _drawn(lines)
    assert (doc.source_format, doc.page_count, doc.encoding) == ("pdf-text", 2, "tcvn3")
    assert {p.encoding for p in doc.pages} == {"tcvn3"}
    assert "converted to Unicode" in doc.warnings[-1]
    last = next(line for line in reversed(lines) if line.strip())
    assert doc.page_of(doc.text.rindex(last.strip())) == 2
    assert doc.page_of(doc.text.index(lines[0])) == 1


def test_a_tcvn3_hyphen_for_u_horn_is_put_back_but_real_hyphens_stay(tmp_path):
    # PDF viewers read TCVN3's "ư" (byte 0xAD) as a hyphen: "n­íc" comes out "n-íc".
    line = "Tỷ lệ người dân hài lòng, nước sạch, COVID-19, e-mail, 2021-2025, - mục"
    path = tmp_path / "hyphen.pdf"
    path.write_bytes(font_pdf([[[Run(legacy.encode_tcvn3(line), ".VnTime")]]]))
    assert convert(path, ocr=False).text == line


def test_a_vni_pdf_reads_as_the_seed(tmp_path):
    lines = _seed("004").split("\n")[:50]
    path = tmp_path / "vni.pdf"
    path.write_bytes(font_pdf([[[Run(legacy.encode_vni(line), "VNI-Times")] for line in lines]]))
    doc = convert(path, ocr=False)
    assert doc.text == _drawn(lines)
    assert doc.encoding == "vni"


def test_legacy_text_in_an_unnamed_font_is_detected_from_the_text(tmp_path):
    lines = _seed("002").split("\n")[:40]
    path = tmp_path / "renamed.pdf"
    path.write_bytes(font_pdf([[[Run(legacy.encode_vni(line), "Times-Roman")] for line in lines]]))
    doc = convert(path, ocr=False)
    assert doc.text == _drawn(lines)
    assert doc.pages[0].encoding == "vni"


# --------------------------------------------------------------------------- Word


def _docx(writer: DocxWriter, tmp_path: Path, name: str = "plan.docx") -> ConvertedDocument:
    return convert(writer.save(tmp_path / name))


def test_docx_numbering_is_rendered_as_labels(tmp_path):
    w = DocxWriter()
    w.paragraph("MỤC TIÊU", numbering=(3, 0))
    w.paragraph("Cải cách thể chế", numbering=(3, 1))
    w.paragraph("Cải cách thủ tục hành chính", numbering=(3, 1))
    w.paragraph("NHIỆM VỤ", numbering=(3, 0))
    w.paragraph("Chỉ tiêu", numbering=(3, 1))
    w.paragraph("Tối thiểu 80% hồ sơ", numbering=(1, 0))
    w.paragraph("đúng hạn", numbering=(1, 1))
    w.paragraph("trực tuyến", numbering=(1, 1))
    w.paragraph("ghi chú", numbering=(1, 2))
    w.paragraph("Tỷ lệ hài lòng 90%", numbering=(1, 0))
    w.paragraph("gạch đầu dòng", numbering=(2, 0))
    assert _docx(w, tmp_path).text.split("\n") == [
        "I. MỤC TIÊU",
        "1. Cải cách thể chế",
        "2. Cải cách thủ tục hành chính",
        "II. NHIỆM VỤ",
        "1. Chỉ tiêu",
        "1. Tối thiểu 80% hồ sơ",
        "a) đúng hạn",
        "b) trực tuyến",
        "- ghi chú",
        "2. Tỷ lệ hài lòng 90%",
        "- gạch đầu dòng",
    ]


def test_docx_tables_are_rows_of_cells_and_footnotes_are_marked(tmp_path):
    w = DocxWriter()
    w.paragraph("Chỉ tiêu năm 2025:", footnote="Theo Nghị quyết số 76/NQ-CP ngày 15/7/2021.")
    w.table(
        [
            ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2025"],
            ["1", "Tỷ lệ hồ sơ\ntrực tuyến", "%", "80"],
        ]
    )
    w.paragraph("Hết.")
    doc = _docx(w, tmp_path)
    assert doc.text.split("\n") == [
        "Chỉ tiêu năm 2025:[^1]",
        "| STT | Chỉ tiêu | Đơn vị tính | Năm 2025 |",
        "| 1 | Tỷ lệ hồ sơ trực tuyến | % | 80 |",
        "",
        "Hết.",
        "---",
        "[^1]: Theo Nghị quyết số 76/NQ-CP ngày 15/7/2021.",
    ]
    assert (doc.source_format, doc.page_count) == ("docx", None)


def test_docx_runs_in_legacy_fonts_are_converted(tmp_path):
    text = "ỦY BAN NHÂN DÂN TỈNH\nTối thiểu 80% hồ sơ được giải quyết đúng hạn"
    w = DocxWriter()
    for line in text.split("\n"):
        w.paragraph([Run(t, ".VnTimeH" if up else ".VnTime") for t, up in legacy.tcvn3_runs(line)])
    w.paragraph([Run(legacy.encode_vni("Người dân hài lòng đạt 90%"), "VNI-Times")])
    w.paragraph("Văn bản Unicode giữ nguyên: ư, ơ, đ.")
    doc = _docx(w, tmp_path)
    assert doc.text == text + "\nNgười dân hài lòng đạt 90%\nVăn bản Unicode giữ nguyên: ư, ơ, đ."
    assert doc.encoding == "tcvn3"
    assert "legacy Vietnamese fonts converted" in doc.warnings[-1]


def test_docx_leaves_out_deleted_text_and_field_codes_and_keeps_rendered_pages(tmp_path):
    w_ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = (
        "<w:p><w:r><w:t>Trang một: 80% hồ sơ</w:t></w:r>"
        "<w:del><w:r><w:delText>đã xóa 99%</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t xml:space='preserve'> và thêm</w:t></w:r></w:ins></w:p>"
        "<w:p><w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        "<w:r><w:instrText>PAGE 42</w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>1</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r></w:p>"
        "<w:p><w:r><w:lastRenderedPageBreak/><w:t>Trang hai</w:t></w:r></w:p>"
    )
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(
            "word/document.xml",
            f"<w:document xmlns:w='{w_ns}'><w:body>{body}</w:body></w:document>",
        )
    doc = convert_bytes(data.getvalue(), name="pages.docx")
    assert doc.text == "Trang một: 80% hồ sơ và thêm\n1\nTrang hai"
    assert doc.page_count == 2 and doc.page_of(doc.text.index("Trang hai")) == 2
    assert "lastRenderedPageBreak" in doc.warnings[-1]


def test_a_seed_written_as_docx_reads_back_unchanged(tmp_path):
    text = _seed("003")
    doc = _docx(docx_from_text(text), tmp_path)
    assert doc.text == text


# --------------------------------------------------------------------------- web pages

FURNITURE = (
    "Trang chủ", "Giới thiệu", "Tìm kiếm", "Lượt xem", "Chia sẻ", "Tin liên quan", "PAR Index",
    "Gửi ý kiến", "Nguyễn Văn A", "Văn bản mới", "Thăm dò", "Cơ quan chủ quản", "Giấy phép",
    "Tổng lượt truy cập", "tracking", "color",
)  # fmt: skip


def test_a_portal_page_gives_the_plan_without_menus_links_comments_or_footer(tmp_path):
    text = _seed("001")
    path = tmp_path / "page.HTML"
    path.write_text(portal_page(text, title="Kế hoạch cải cách hành chính"), encoding="utf-8")
    doc = convert(path)
    assert doc.source_format == "html" and doc.page_count is None
    assert doc.conversion.startswith("parstats.formats.html rules on lxml ")
    leaked = [w for w in FURNITURE if w in doc.text and w not in text]
    assert leaked == []
    assert _ws(text) in _ws(doc.text)


def test_a_page_without_main_text_is_an_empty_document_error(tmp_path):
    # A portal that fills its article in with JavaScript: the saved page holds no text.
    page = (
        "<html><head><script>load('/api/van-ban/2024')</script></head>"
        "<body><div id='app'></div></body></html>"
    )
    with pytest.raises(
        EmptyDocumentError, match=r"empty\.html: no main text found on the web page"
    ):
        convert_bytes(page.encode(), name="empty.html")


# --------------------------------------------------------------------------- bad input


def test_an_encrypted_pdf_names_the_file_and_the_password():
    with pytest.raises(
        EncryptedDocumentError, match=r"encrypted\.pdf: the PDF is password-protected"
    ):
        convert(FIXTURES / "encrypted.pdf")


def test_an_encrypted_docx_is_refused_before_reading():
    with pytest.raises(
        EncryptedDocumentError, match=r"encrypted\.docx: the Word file is password-protected"
    ):
        convert(FIXTURES / "encrypted.docx")


def test_a_pdf_with_no_pages_is_an_empty_document():
    with pytest.raises(EmptyDocumentError, match=r"zero\.pdf: the PDF has no pages"):
        convert_bytes(font_pdf([]), name="zero.pdf")


def test_a_corrupt_pdf_is_a_corrupt_document_error():
    with pytest.raises(
        CorruptDocumentError, match=r"broken\.pdf: not a readable PDF .*damaged or truncated"
    ):
        convert_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4, name="broken.pdf")


def test_a_truncated_pdf_keeps_what_can_be_read_or_says_it_is_truncated():
    lines = _seed("001").split("\n")[:120]
    data = font_pdf(
        [[[Run(legacy.encode_vni(line))] for line in lines[i : i + 40]] for i in range(0, 120, 40)]
    )
    cut = data[: int(len(data) * 0.6)]  # the last page and the cross-reference table are gone
    try:
        doc = convert_bytes(cut, name="cut.pdf", ocr=False)
    except CorruptDocumentError as exc:
        assert "cut.pdf" in str(exc) and "truncated" in str(exc)
    else:
        # PDFium rebuilt what it could: every page it kept is read, the rest is reported.
        assert doc.text.startswith(_drawn(lines[:40]))
        assert all(p.status in ("ok", "failed", "unreadable") for p in doc.pages)


def test_a_docx_that_is_a_zip_of_something_else_names_what_it_holds():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        zf.writestr("photos/IMG_0001.jpg", b"\xff\xd8\xff")
        zf.writestr("readme.txt", "ảnh")
    with pytest.raises(
        NotWordDocumentError,
        match=r"photos\.docx: a zip archive but not a Word document: it has no word/document\.xml "
        r"\(it holds 2 file\(s\): photos/IMG_0001\.jpg, readme\.txt\)",
    ):
        convert_bytes(data.getvalue(), name="photos.docx")


def test_a_truncated_docx_is_a_corrupt_document_error(tmp_path):
    data = docx_from_text(_seed("003")).to_bytes()
    with pytest.raises(
        CorruptDocumentError,
        match=r"cut\.docx: not a readable Word file: the zip archive is damaged",
    ):
        convert_bytes(data[: len(data) // 2], name="cut.docx")


def test_an_empty_file_is_an_input_error(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.pdf"):
        convert(path)


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        convert(tmp_path / "missing.docx")


def test_bad_files_do_not_stop_the_good_ones(tmp_path):
    docx_from_text(_seed("003")).save(tmp_path / "good.docx")
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 nothing else")
    (tmp_path / "worse.docx").write_bytes(b"PK\x03\x04 broken")
    results, failures = {}, {}
    for path in sorted(tmp_path.iterdir()):
        try:
            results[path.name] = convert(path)
        except InputError as exc:
            failures[path.name] = str(exc)
    assert list(results) == ["good.docx"] and results["good.docx"].text == read_text(
        PLANS / "003_cfd631ae85fcb6d5.txt"
    )
    assert set(failures) == {"bad.pdf", "worse.docx"}
    assert all(name in message for name, message in failures.items())


# --------------------------------------------------------------------------- OCR flow (stand-in)


class ScriptedOcr(OcrEngine):
    """Reads a page's number back, or fails as scripted: the PDF flow without Tesseract."""

    name = "scripted-ocr 1.0"
    timeout = 7.0

    def __init__(self, script: dict[int, str] | None = None) -> None:
        self.script = script or {}
        self.calls = 0

    def recognise(self, image, width, height, *, page):
        self.calls += 1
        assert len(image) == width * height  # one byte per pixel, no padding
        status = self.script.get(page, "ok")
        if status == "ok":
            return OcrResult(f"Trang {page}: tối thiểu {page % 100}% hồ sơ", 91.5, 6, "ok")
        if status == "low_confidence":
            return OcrResult("T0i th1eu", 31.0, 2, "low_confidence")
        return OcrResult("", None, 0, status)  # type: ignore[arg-type]


def _image_pdf(pages: int, tmp_path: Path) -> Path:
    from PIL import Image, ImageDraw

    images = []
    for k in range(pages):
        image = Image.new("L", (120, 170), 255)
        ImageDraw.Draw(image).text((10, 10), f"p{k + 1}", fill=0)
        images.append(image)
    path = tmp_path / f"scan{pages}.pdf"
    images[0].save(path, "PDF", resolution=30.0, save_all=True, append_images=images[1:])
    return path


def test_a_300_page_scan_reports_each_page_shows_progress_and_keeps_the_rest(tmp_path, capsys):
    path = _image_pdf(300, tmp_path)
    engine = ScriptedOcr({7: "timeout", 8: "unreadable", 9: "low_confidence", 10: "empty"})
    doc = convert(path, ocr=engine, dpi=30)
    assert engine.calls == 300
    assert (doc.source_format, doc.page_count) == ("pdf-ocr", 300)
    assert doc.conversion.endswith("+ scripted-ocr 1.0 (30 dpi)")
    by_page = {p.number: p for p in doc.pages}
    assert (by_page[7].status, by_page[7].method, by_page[7].chars) == ("timeout", "none", 0)
    assert by_page[8].status == "unreadable" and by_page[10].status == "empty"
    assert by_page[9].status == "ok" and by_page[9].ocr_confidence == 31.0
    assert "page 7: OCR ran past its time limit (7.0 s)" in doc.warnings
    assert "page 8: OCR found marks on the page but could not read any word" in doc.warnings
    assert "page 9: OCR confidence 31.0 is low: check the text" in doc.warnings
    assert not any(w.startswith("page 10:") for w in doc.warnings)  # a blank page is no problem
    assert doc.page_text(300) == "Trang 300: tối thiểu 0% hồ sơ"
    assert doc.page_of(doc.text.index("Trang 150:")) == 150
    err = capsys.readouterr().err
    assert "OCR scan300.pdf" in err and "300/300" in err


def test_a_scan_without_ocr_is_an_empty_document_naming_its_pages(tmp_path):
    path = _image_pdf(3, tmp_path)
    with pytest.raises(
        EmptyDocumentError,
        match=r"scan3\.pdf: no text could be read from any of its 3 pages \(page 1: no text layer",
    ):
        convert(path, ocr=False)


def test_tesseract_tsv_is_read_into_lines_and_a_mean_confidence():
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "1\t1\t0\t0\t0\t0\t0\t0\t10\t10\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t96.0\tTối\n"
        "5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t90.0\tthiểu\n"
        "5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t84.0\t80%\n"
        "5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t-1\t \n"
    )
    result = parse_tsv(tsv)
    assert (result.text, result.confidence, result.words, result.status) == (
        "Tối thiểu\n80%",
        90.0,
        3,
        "ok",
    )
    assert parse_tsv(tsv.split("\n", 2)[0] + "\n").status == "unreadable"


def test_the_package_has_no_heavy_imports_at_import_time():
    import subprocess
    import sys

    code = (
        "import sys, parstats.formats; "
        "heavy = ('pypdfium2', 'pdfplumber', 'trafilatura', 'PIL', 'pandas'); "
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_converted_text_is_nfc():
    text = unicodedata.normalize("NFD", _seed("003"))
    doc = convert_bytes(docx_from_text(text).to_bytes(), name="nfd.docx")
    assert doc.text == unicodedata.normalize("NFC", text)
    assert not re.search("[\u0300-\u036f]", doc.text)


# --------------------------------------------------------------------------- wiring helpers


def test_plan_files_takes_every_plan_suffix_in_any_case(tmp_path):
    for name in (
        "a.PDF",
        "b.docx",
        "c.Doc",
        "d.HTM",
        "e.html",
        "f.txt",
        "g.csv",
        "manifest.csv",
        "h.xlsx",
    ):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "folder.pdf").mkdir()
    from parstats.formats.plans import plan_files

    assert [p.name for p in plan_files(tmp_path)] == [
        "a.PDF",
        "b.docx",
        "c.Doc",
        "d.HTM",
        "e.html",
        "f.txt",
    ]


def test_read_plan_hashes_the_original_bytes_and_locates_targets(tmp_path):
    import hashlib

    from parstats.formats.plans import locations, provenance, read_plan
    from parstats.targets import extract_targets

    lines = _seed("001").split("\n")[:120]
    data = font_pdf(
        [
            [[Run(legacy.encode_vni(x), "VNI-Times")] for x in lines[i : i + 40]]
            for i in range(0, 120, 40)
        ]
    )
    path = tmp_path / "plan.pdf"
    path.write_bytes(data)
    plan = read_plan(path, ocr=False)
    assert (plan.sha256, plan.bytes) == (hashlib.sha256(data).hexdigest(), len(data))
    from parstats.formats.plans import Provenance

    assert provenance(plan.document) == Provenance("pdf-text", 3, plan.document.conversion)
    targets = extract_targets(plan.document.text)
    assert targets
    places = locations(plan.document, [t.start for t in targets])
    for target, place in zip(targets, places, strict=True):
        page_text = plan.document.page_text(place.page)
        line = page_text.split("\n")[place.line - 1]
        assert plan.document.text[target.start : target.end].split("\n")[0] in line
    assert {p.page for p in places} == {1, 2, 3}


def test_an_older_portal_laid_out_in_tables_gives_every_line_and_no_furniture(tmp_path):
    text = _seed("004")
    page = portal_page(text, title="Kế hoạch", layout="table")
    doc = convert_bytes(page.encode("utf-8"), name="old_portal.htm")
    assert [w for w in FURNITURE if w in doc.text and w not in text] == []
    lines = [" ".join(line.split()) for line in text.split("\n")]
    assert doc.text == "\n".join(line for line in lines if line)


def test_web_page_tables_and_ordered_lists_keep_their_structure():
    page = """<html><body><article><h2>Chỉ tiêu</h2>
    <ol start="3"><li>Tỷ lệ hồ sơ <b>trực tuyến</b> đạt 80%</li><li>Hài lòng 90%</li></ol>
    <ul><li>ghi chú</li></ul>
    <table><tr><th>STT</th><th>Chỉ tiêu</th><th>Năm 2025</th></tr>
    <tr><td>1</td><td>Số hóa | lưu trữ</td><td>100%</td></tr></table>
    <p>Dòng một<br>Dòng hai <a href="/x">liên kết</a> tiếp</p></article>
    <div class="tin-lien-quan"><a href="/1">Tin khác 99%</a></div></body></html>"""
    doc = convert_bytes(page.encode(), name="list.html")
    assert doc.text.split("\n") == [
        "Chỉ tiêu",
        "3. Tỷ lệ hồ sơ trực tuyến đạt 80%",
        "4. Hài lòng 90%",
        "ghi chú",
        "| STT | Chỉ tiêu | Năm 2025 |",
        "| 1 | Số hóa / lưu trữ | 100% |",
        "Dòng một",
        "Dòng hai liên kết tiếp",
    ]


def test_pdfium_s_stale_error_code_does_not_name_the_wrong_problem():
    # PDFium reports the previous document's error for a PDF it cannot open: after a
    # password-protected file, a PDF without pages once came out as "password-protected".
    with pytest.raises(EncryptedDocumentError):
        convert(FIXTURES / "encrypted.pdf")
    with pytest.raises(EmptyDocumentError, match="no pages"):
        convert_bytes(font_pdf([]), name="zero.pdf")
    with pytest.raises(EncryptedDocumentError):
        convert(FIXTURES / "encrypted.pdf")
    with pytest.raises(CorruptDocumentError, match="damaged or truncated"):
        convert_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4, name="broken.pdf")
