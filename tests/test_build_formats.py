"""Plans as published and of every kind through ``parstats build`` and ``parstats extract``.

Issue 15 (wiring): ``data/raw/plans`` and ``parstats extract`` take PDF, Word, web pages
and text in any letter case; the manifest keeps the SHA-256 of the original bytes; every
document row says its format, pages and conversion, every target its page and line; bad
files are failures with their message while the other documents are still processed.
Issue 10 §2 (wiring): only documents whose kind sets commitments keep their targets, by the
same decision as ``parstats scan`` (the two agree on every document), the others are listed
with their kind and evidence; the seed plans keep every target.
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from parstats.build import build, load_documents, load_targets, read_manifest
from parstats.cli import main
from parstats.errors import ConversionWarning, InputError, NotAPlanWarning
from parstats.extract import extract_paths
from parstats.formats import convert, legacy
from parstats.formats.ocr import OcrEngine, OcrResult, tesseract_version
from parstats.formats.office import libreoffice_version
from parstats.formats.samples import Run, docx_from_text, font_pdf, portal_page
from parstats.metadata import extract_metadata
from parstats.targets import extract_targets
from parstats.text import read_text

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "data" / "raw" / "plans"
SEEDS = sorted(PLANS.glob("*.txt"))
FIXTURES = REPO / "tests" / "fixtures" / "formats"
HELDOUT2 = REPO / "tests" / "heldout2" / "plans"
FIELDS = ["value", "value_high", "unit", "comparator", "direction", "year", "level", "area",
          "kind", "indicator"]
LAW = (
    "CHÍNH PHỦ\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
    "Số: 12/2025/NĐ-CP\n\nHà Nội, ngày 1 tháng 7 năm 2025\n\nNGHỊ ĐỊNH\n"
    "QUY ĐỊNH VỀ MỨC THU PHÍ\n\nĐiều 1. Mức thu bằng 50% mức thu hiện hành.\n"
)
ARTICLE = (
    "# Có được cho mượn căn hộ chung cư khi đồng sở hữu không?\n\n"
    "**Chuyên viên pháp lý:** A\n\nTheo quy định, 95% ý kiến đồng thuận là cần thiết.\n"
)


def _seed(prefix: str) -> Path:
    return next(p for p in SEEDS if p.name.startswith(prefix))


def add_plan(home: Path, name: str, data: bytes | str) -> Path:
    plans = home / "data" / "raw" / "plans"
    path = plans / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    manifest = plans / "manifest.csv"
    manifest.chmod(0o644)
    header = manifest.read_text(encoding="utf-8").splitlines()[0].split(",")
    cells = {"file": name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
             "bytes": str(path.stat().st_size), "source": "test"}
    with open(manifest, "a", encoding="utf-8") as fh:
        fh.write(",".join(cells.get(column, "") for column in header) + "\n")
    return path


def vni_pdf(text: str, pages: int = 2) -> bytes:
    """The text typed in a VNI font, its lines cut into ``pages`` pages."""
    lines = text.split("\n")
    size = -(-len(lines) // pages)
    return font_pdf([
        [[Run(legacy.encode_vni(line), "VNI-Times")] for line in lines[i : i + size]]
        for i in range(0, len(lines), size)
    ])


def _loud_skip(what: str, package: str) -> None:
    message = (
        "\n" + "#" * 78 + f"\n# FORMAT TEST SKIPPED: {what} is not installed."
        f"\n# Install the Debian package(s) {package} (`make ocr`).\n" + "#" * 78
    )
    print(message)
    pytest.skip(message)


def _fields(frame: pd.DataFrame, doc: str) -> pd.DataFrame:
    return frame.loc[frame["doc"] == doc, FIELDS].reset_index(drop=True)


# --------------------------------------------------------------------------- formats in build


def test_build_reads_every_format_and_records_where_each_target_stands(project_home: Path):
    plans = project_home / "data" / "raw" / "plans"
    add_plan(project_home, "101_word.DOCX", docx_from_text(read_text(_seed("001"))).to_bytes())
    pdf = add_plan(project_home, "102_scan.Pdf", vni_pdf(read_text(_seed("004"))))
    add_plan(project_home, "103_portal.htm",
             portal_page(read_text(_seed("002")), title="Kế hoạch CCHC"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConversionWarning)
        result = build()
    assert result.n_documents == 8
    docs = load_documents().set_index("doc")
    assert docs.loc[["101_word", "102_scan", "103_portal"], "source_format"].tolist() == [
        "docx", "pdf-text", "html"]
    assert docs.loc["102_scan", "page_count"] == 2 and docs.loc["102_scan", "encoding"] == "vni"
    assert pd.isna(docs.loc["101_word", "page_count"]) and pd.isna(docs.loc["103_portal",
                                                                             "page_count"])
    assert docs.loc["102_scan", "conversion"].startswith("pypdfium2")
    assert "legacy Vietnamese fonts (vni) converted" in docs.loc["102_scan", "conversion_notes"]
    assert docs.loc["001_4f1b279c0569f61c", "source_format"] == "txt"
    # The manifest's hash, the documents' and the data package's: the original bytes.
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert docs.loc["102_scan", "sha256"] == digest
    package = json.loads((project_home / "data/processed/datapackage.json").read_text("utf-8"))
    sources = {s["path"]: s["hash"] for s in package["sources"]}
    assert sources["data/raw/plans/102_scan.Pdf"] == f"sha256:{digest}"
    # Each converted copy gives the targets of its text.
    targets = load_targets()
    for copy, seed in (("101_word", "001"), ("102_scan", "004"), ("103_portal", "002")):
        pd.testing.assert_frame_equal(_fields(targets, copy), _fields(targets, _seed(seed).stem))
    # Page and line lead to the number in the document.
    document = convert(pdf, ocr=False)
    scanned = targets.loc[targets["doc"] == "102_scan"]
    assert set(scanned["page"]) == {2}  # seed 004's targets are in its second half
    for row in scanned.itertuples():
        line = document.page_text(row.page).split("\n")[row.line - 1]
        assert row.quote.split(" ")[0] in line, (row.page, row.line, line)
    words = targets.loc[targets["doc"] == "101_word"]
    assert words["page"].isna().all() and (words["line"] >= 1).all()
    assert (plans / "102_scan.Pdf").read_bytes() == pdf.read_bytes()  # nothing in raw changed


def test_build_stops_on_a_bad_plan_after_reading_every_other(project_home: Path):
    build()
    processed = project_home / "data" / "processed"
    before = {p.name: p.read_bytes() for p in processed.iterdir()}
    add_plan(project_home, "104_locked.pdf", (FIXTURES / "encrypted.pdf").read_bytes())
    add_plan(project_home, "105_photos.docx", _zip_of_photos())
    with pytest.raises(InputError) as info:
        build()
    message = str(info.value)
    assert message.startswith("2 plan(s) failed, nothing written: ")
    assert "104_locked.pdf: the PDF is password-protected; save an unprotected copy" in message
    assert "105_photos.docx: a zip archive but not a Word document" in message
    assert {p.name: p.read_bytes() for p in processed.iterdir()} == before


def _zip_of_photos() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        zf.writestr("photos/IMG_0001.jpg", b"\xff\xd8\xff")
    return data.getvalue()


# --------------------------------------------------------------------------- bad input in extract


def test_extract_reports_each_bad_file_and_writes_the_others(tmp_path: Path, capsys):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "good.txt").write_bytes(_seed("004").read_bytes())
    (folder / "locked.pdf").write_bytes((FIXTURES / "encrypted.pdf").read_bytes())
    (folder / "locked.DOCX").write_bytes((FIXTURES / "encrypted.docx").read_bytes())
    (folder / "zero.pdf").write_bytes(font_pdf([]))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    (folder / "photos.docx").write_bytes(_zip_of_photos())
    (folder / "fake.pdf").write_text("Xin chào, đây là văn bản", encoding="utf-8")
    (folder / "notes.md").write_text("not a plan file", encoding="utf-8")
    out = tmp_path / "t.csv"
    assert main(["extract", str(folder), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    expected = {
        "locked.pdf": "the PDF is password-protected; save an unprotected copy to read it",
        "locked.DOCX": "the Word file is password-protected",
        "zero.pdf": "the PDF has no pages",
        "broken.pdf": "not a readable PDF",
        "photos.docx": "a zip archive but not a Word document: it has no word/document.xml",
        "fake.pdf": "named .pdf but its bytes are not a PDF file",
    }
    for name, message in expected.items():
        assert f"parstats extract: {folder / name}: {message}" in err, name
    assert "6 document(s) failed" in err and "notes.md" not in err
    assert set(pd.read_csv(out)["doc"]) == {"good"}


class PageByPage(OcrEngine):
    """A stand-in OCR engine: a plan's lines page by page, one page too slow, one unreadable."""

    name = "page-by-page 1.0"
    timeout = 7.0
    PAGES = {
        1: "KẾ HOẠCH\nCải cách hành chính năm 2025\nI. MỤC TIÊU",
        2: "timeout",
        3: "unreadable",
        4: "1. Tối thiểu 90% hồ sơ được giải quyết trực tuyến năm 2025.",
    }

    def recognise(self, image, width, height, *, page):
        text = self.PAGES[page]
        if text in ("timeout", "unreadable"):
            return OcrResult("", None, 0, text)
        return OcrResult(text, 92.0, len(text.split()), "ok")


def _image_pdf(pages: int, path: Path) -> Path:
    from PIL import Image, ImageDraw

    images = []
    for k in range(pages):
        image = Image.new("L", (120, 170), 255)
        ImageDraw.Draw(image).text((10, 10), f"p{k + 1}", fill=0)
        images.append(image)
    images[0].save(path, "PDF", resolution=30.0, save_all=True, append_images=images[1:])
    return path


def test_ocr_pages_that_fail_are_reported_and_the_others_kept(tmp_path: Path):
    scan = _image_pdf(4, tmp_path / "scan.pdf")
    with pytest.warns(ConversionWarning, match="page 2: OCR ran past its time limit"):
        result = extract_paths([scan], convert_options={"ocr": PageByPage(), "dpi": 30})
    row = result.documents.iloc[0]
    assert (row["source_format"], row["page_count"], row["kind"]) == ("pdf-ocr", 4, "plan")
    assert row["conversion"].endswith("+ page-by-page 1.0 (30 dpi)")
    assert "page 3: OCR found marks on the page but could not read any word" in (
        row["conversion_notes"])
    (target,) = result.targets.itertuples()
    assert (target.value, target.page, target.line) == (90.0, 4, 1)


def test_a_real_scan_is_read_with_tesseract(tmp_path: Path):
    from PIL import Image, ImageDraw, ImageFont

    if tesseract_version("vie") is None:
        _loud_skip("Tesseract with its Vietnamese model", "tesseract-ocr tesseract-ocr-vie")
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font.is_file():
        _loud_skip("The DejaVu font (to draw a page to scan)", "fonts-dejavu-core")
    lines = ["ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN", "KẾ HOẠCH", "Cải cách hành chính năm 2024",
             "I. MỤC TIÊU", "1. Tối thiểu 90% hồ sơ được giải quyết trực tuyến năm 2024."]
    page = Image.new("L", (2480, 1200), 255)  # an A4 page's width at 300 dpi
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((150, 150 + 90 * i), line, font=ImageFont.truetype(str(font), 42), fill=0)
    scan = tmp_path / "scan.pdf"
    page.save(scan, "PDF", resolution=300.0)
    result = extract_paths([scan])
    assert result.failures == ()
    row = result.documents.iloc[0]
    assert (row["source_format"], row["kind"], row["province"]) == ("pdf-ocr", "plan", "Hưng Yên")
    assert "tesseract" in row["conversion"]
    targets = result.targets
    assert targets["value"].tolist() == [90.0]
    assert (targets["page"].tolist(), targets["line"].tolist()) == ([1], [5])


def test_a_doc_is_read_through_libreoffice_and_a_slow_one_is_a_failure(tmp_path: Path):
    from parstats.formats.samples import libreoffice_convert

    if libreoffice_version() is None:
        _loud_skip("LibreOffice", "libreoffice-writer-nogui")
    docx = tmp_path / "src" / "plan.docx"
    docx.parent.mkdir()
    docx_from_text(read_text(_seed("004"))).save(docx)
    doc = libreoffice_convert(docx, tmp_path, "doc")
    reference = extract_paths([_seed("004")])
    result = extract_paths([doc])
    assert result.documents["source_format"].tolist() == ["doc"]
    pd.testing.assert_frame_equal(result.targets[FIELDS], reference.targets[FIELDS])
    slow = extract_paths([doc], convert_options={"office_timeout": 0.01})
    assert "LibreOffice did not convert the file within 0.01 s" in slow.failures[0].reason


# --------------------------------------------------------------------------- kinds


def test_every_seed_keeps_every_target_through_build_and_extract(project_home: Path):
    build()
    targets, documents = load_targets(), load_documents().set_index("doc")
    overrides = {r.file: r.override for r in read_manifest(PLANS / "manifest.csv")}
    for path in SEEDS:
        text = read_text(path)
        meta = extract_metadata(text, override=overrides[path.name])
        expected = extract_targets(text, meta=meta)
        row = documents.loc[path.stem]
        assert (row["kind"], row["sets_commitments"], row["targets_kept"]) == ("plan", True, True)
        assert row["n_targets"] == len(expected) == (targets["doc"] == path.stem).sum() > 0
        assert row["kind_evidence"].startswith("plan ")
    extracted = extract_paths([PLANS])
    assert extracted.targets["doc"].value_counts().sort_index().tolist() == (
        targets["doc"].value_counts().sort_index().tolist())


def test_documents_that_set_no_commitments_are_listed_without_targets(project_home: Path,
                                                                      capsys):
    add_plan(project_home, "201_law.txt", LAW)
    add_plan(project_home, "202_report.txt", (HELDOUT2 / "h2_vinhlong_bc_2023.txt").read_bytes())
    with pytest.warns(NotAPlanWarning) as caught:
        assert main(["build"]) == 0
    messages = [str(w.message) for w in caught if w.category is NotAPlanWarning]
    assert len(messages) == 2  # one signal per document
    assert "201_law.txt: not a plan: legal_norm" in messages[0]
    assert "its targets are not kept (--all-kinds keeps them)" in messages[0]
    out = capsys.readouterr().out
    assert "2 document(s) set no commitments" in out and "201_law: legal_norm" in out
    docs = load_documents().set_index("doc")
    assert docs.loc["201_law", "kind"] == "legal_norm"
    assert docs.loc["202_report", "kind"] == "report"
    for doc in ("201_law", "202_report"):
        assert not docs.loc[doc, "targets_kept"] and not docs.loc[doc, "sets_commitments"]
        assert docs.loc[doc, "n_targets"] == 0 and len(docs.loc[doc, "kind_evidence"]) <= 400
    assert not set(load_targets()["doc"]) & {"201_law", "202_report"}
    seeds = load_targets()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotAPlanWarning)
        assert main(["build", "--all-kinds"]) == 0
    kept = load_targets()
    law = kept.loc[kept["doc"] == "201_law"]
    assert law["value"].tolist() == [50.0]  # "mức thu bằng 50%", kept because asked for
    assert load_documents().set_index("doc").loc["201_law", "targets_kept"]
    assert kept.loc[kept["doc"].isin(seeds["doc"])].reset_index(drop=True).equals(seeds)
    package = json.loads(
        (project_home / "data/processed/datapackage.json").read_text(encoding="utf-8"))
    assert package["parstats"]["options"] == {"all_kinds": True}


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    for path in sorted(HELDOUT2.glob("*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "zz_law.txt").write_text(LAW, encoding="utf-8")
    (folder / "zz_article.txt").write_text(ARTICLE, encoding="utf-8")
    docx_from_text(read_text(_seed("001"))).save(folder / "zz_word.docx")
    (folder / "zz_portal.HTML").write_text(
        portal_page(read_text(_seed("004")), title="Kế hoạch", layout="tables"), encoding="utf-8")
    (folder / "zz_vni.pdf").write_bytes(vni_pdf(read_text(_seed("003"))))
    return folder


def test_scan_and_extract_agree_on_kinds_decisions_and_targets(mixed_folder: Path,
                                                               tmp_path: Path):
    from parstats.scan import read_documents, read_targets, scan
    from parstats.targets import TARGET_COLUMNS

    scan(mixed_folder, tmp_path / "scan", partition_size=4)
    scanned = read_documents(tmp_path / "scan").set_index("doc")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        extracted = extract_paths([mixed_folder])
    documents = extracted.documents.set_index("doc")
    assert set(scanned.index) == set(documents.index)
    assert (scanned["status"] == "ok").all()
    for doc, row in documents.iterrows():
        mine = scanned.loc[doc]
        assert mine["kind"] == row["kind"], doc
        assert bool(mine["is_plan"]) == bool(row["sets_commitments"]), doc
        assert bool(mine["targets_extracted"]) == bool(row["targets_kept"]), doc
        assert mine["n_targets"] == row["n_targets"], doc
    assert documents.loc["zz_law", "kind"] == "legal_norm"
    assert documents.loc["zz_article", "kind"] == "article"
    assert documents.loc[["zz_word", "zz_portal", "zz_vni"], "kind"].tolist() == ["plan"] * 3
    columns = [c for c in TARGET_COLUMNS if c != "target_no"]
    ours = extracted.targets[columns].sort_values(["doc", "start"], kind="stable")
    theirs = read_targets(tmp_path / "scan")[columns].sort_values(["doc", "start"], kind="stable")
    pd.testing.assert_frame_equal(ours.reset_index(drop=True), theirs.reset_index(drop=True),
                                  check_dtype=False)


def test_a_scan_adopts_a_pdf_as_published(project_home: Path, tmp_path: Path):
    from parstats.scan import adopt_plans, scan

    source = tmp_path / "src"
    source.mkdir()
    pdf = source / "Ke hoach 2024.PDF"
    pdf.write_bytes(vni_pdf(read_text(HELDOUT2 / "h2_camxuyen_2024.txt")))
    scan(source, tmp_path / "out")
    result = adopt_plans(tmp_path / "out")
    (adopted,) = result.added
    assert adopted.file == "ke-hoach-2024.pdf"
    plans = project_home / "data" / "raw" / "plans"
    assert (plans / adopted.file).read_bytes() == pdf.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConversionWarning)
        build()
    assert load_documents().set_index("doc").loc["ke-hoach-2024", "source_format"] == "pdf-text"


def test_explain_shows_the_page_and_line_of_each_number(tmp_path: Path, capsys):
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(vni_pdf(read_text(_seed("004"))))
    assert main(["explain", str(pdf)]) == 0
    out = capsys.readouterr().out
    targets = extract_paths([pdf]).targets
    for row in targets.itertuples():
        assert f"[{row.start}-{row.end}] page {row.page}, line {row.line}: " in out
    at = int(targets["start"].iloc[0])
    assert main(["explain", str(pdf), "--at", str(at), "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    first = next(r for r in records if r["start"] == at)
    assert (first["page"], first["line"]) == (targets["page"].iloc[0], targets["line"].iloc[0])


def test_every_held_out_plan_with_gold_targets_keeps_them_through_extract():
    """The kind filter drops no annotated target: a document it keeps no target of has none."""
    folders = sorted((REPO / "tests").glob("heldout*/plans"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotAPlanWarning)
        result = extract_paths(folders)
    assert result.failures == ()
    gold = pd.concat([pd.read_csv(f.parent / "targets.csv") for f in folders])
    annotated = set(gold["doc"])
    documents = result.documents.set_index("doc")
    dropped = set(documents.index[~documents["targets_kept"].astype(bool)])
    assert dropped == {"h2_vinhlong_bc_2023"}  # a report of past results
    assert not dropped & annotated
    for path in (p for f in folders for p in sorted(f.glob("*.txt"))):
        if path.stem in dropped:
            continue
        text = read_text(path)
        direct = extract_targets(text, meta=extract_metadata(text))
        assert documents.loc[path.stem, "n_targets"] == len(direct), path.stem
