"""Document metadata from the plans' own text, scored against gold/documents.csv."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pytest

from parstats.errors import InputError, UnknownProvinceError
from parstats.metadata import (
    DocumentMeta,
    MetadataConflictWarning,
    apply_override,
    extract_metadata,
    find_doc_number,
    iso_date,
    period_from_title,
)

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "data" / "raw" / "plans"
REQUIRED = ("province", "doc_number", "issued", "period_start", "period_end")
ALL_FIELDS = ("province", "issuer", "doc_number", "doc_type", "issued", "period_start",
              "period_end", "title")


def _gold() -> dict[str, dict[str, str]]:
    with open(REPO / "data" / "raw" / "gold" / "documents.csv", encoding="utf-8") as fh:
        return {row["doc"]: row for row in csv.DictReader(fh)}


def _manifest() -> dict[str, dict[str, str]]:
    with open(PLANS / "manifest.csv", encoding="utf-8") as fh:
        return {row["file"][:-4]: row for row in csv.DictReader(fh)}


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


GOLD = _gold()


@pytest.mark.parametrize("doc", sorted(GOLD))
def test_required_fields_come_from_the_text_alone(doc):
    meta = extract_metadata((PLANS / f"{doc}.txt").read_text(encoding="utf-8"))
    wrong = {
        field: (_as_text(getattr(meta, field)), GOLD[doc][field])
        for field in REQUIRED
        if _as_text(getattr(meta, field)) != GOLD[doc][field]
    }
    assert not wrong, f"{doc}: (extracted, gold) {wrong}"


@pytest.mark.parametrize("doc", sorted(GOLD))
def test_every_field_matches_gold_with_the_manifest_override(doc):
    text = (PLANS / f"{doc}.txt").read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", MetadataConflictWarning)
        meta = extract_metadata(text, override=_manifest()[doc])
    got = {field: _as_text(getattr(meta, field)) for field in ALL_FIELDS}
    want = {field: GOLD[doc][field] for field in ALL_FIELDS}
    assert got == want


def test_override_fills_only_what_the_text_lacks():
    text = (PLANS / "003_cfd631ae85fcb6d5.txt").read_text(encoding="utf-8")
    meta = extract_metadata(text, override=_manifest()["003_cfd631ae85fcb6d5"])
    assert meta.from_override == ("issuer", "title")


@pytest.mark.parametrize(
    ("line", "number", "symbol"),
    [
        ("Số: 3478/QĐ-UBND", "3478/QĐ-UBND", "QĐ-UBND"),
        ("Số: 64 /KH-UBND", "64/KH-UBND", "KH-UBND"),
        ("Số: /QĐ-UBND", None, "QĐ-UBND"),
        ("Số: 12/2021/QĐ-UBND", "12/2021/QĐ-UBND", "2021/QĐ-UBND"),
        ("  Số:   23/CT-TTg", "23/CT-TTg", "CT-TTg"),
    ],
)
def test_number_line(line, number, symbol):
    found = find_doc_number(f"ỦY BAN NHÂN DÂN\n{line}\n")
    assert found is not None
    assert (found.number, found.symbol) == (number, symbol)


def test_a_cited_number_is_not_the_documents_own():
    assert find_doc_number("Căn cứ Quyết định số 225/QĐ-TTg ngày 04/02/2016") is None


@pytest.mark.parametrize(
    ("text", "issued"),
    [
        ("Đắk Lắk, ngày 10\ntháng 12 năm 2021\n", "2021-12-10"),
        ("Đắk Lắk, ngày tháng 5 năm 2020\n", "2020-05"),
        ("Hà Nội, ngày   tháng   năm 2023\n", "2023"),
        ("Hà Nội, ngày 31 tháng 2 năm 2023\n", "2023-02"),
    ],
)
def test_issue_date(text, issued):
    assert extract_metadata(text).issued == issued


def test_preamble_dates_are_not_the_issue_date():
    text = "KẾ HOẠCH\nCải cách hành chính\n\nCăn cứ Nghị quyết ngày 08 tháng 11 năm 2011\n"
    assert extract_metadata(text).issued is None


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("Chương trình CCHC giai đoạn 2021-2025, định hướng đến năm 2030", (2021, 2025)),
        ("Kế hoạch CCHC giai đoạn 2016 - 2020", (2016, 2020)),
        ("Kế hoạch cải cách hành chính năm 2023", (2023, 2023)),
        ("Kế hoạch định hướng đến năm 2030", None),
        (
            "Báo cáo kết quả thực hiện công tác cải cách hành chính năm 2025 và phương "
            "hướng, nhiệm vụ năm 2026",
            (2026, 2026),
        ),
        ("Báo cáo kết quả công tác cải cách hành chính năm 2023", (2023, 2023)),
    ],
)
def test_period_from_title(title, period):
    found = period_from_title(title)
    assert (None if found is None else (found.start, found.end)) == period


def test_iso_date_keeps_what_is_valid():
    assert iso_date(2021, 12, 10) == "2021-12-10"
    assert iso_date(2021, 13, 1) == "2021"


def test_central_government_is_national():
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\n-------\nSố: 23/CT-TTg\nHà Nội, ngày 02 tháng 9 năm 2021\n"
        "CHỈ THỊ\nVề đẩy mạnh cải cách hành chính giai đoạn 2021-2030\n\nCăn cứ\n"
    )
    meta = extract_metadata(text)
    assert (meta.province, meta.issuer, meta.doc_type) == ("national", "Thủ tướng Chính phủ", "CT")


def test_city_issuer_and_province():
    text = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\nSố: 12/KH-UBND\n"
        "Cần Thơ, ngày 5 tháng 1 năm 2022\nKẾ HOẠCH\nCải cách hành chính năm 2022\n\nI. MỤC TIÊU\n"
    )
    meta = extract_metadata(text)
    assert (meta.province, meta.issuer) == ("Cần Thơ", "UBND thành phố Cần Thơ")
    assert (meta.period_start, meta.period_end, meta.title) == (
        2022, 2022, "Kế hoạch cải cách hành chính năm 2022"
    )


def test_lower_case_common_noun_is_not_a_province():
    text = "Giữ vững hòa bình; tỉnh hòa bình ổn định. Trên địa bàn tỉnh Long An.\n"
    assert extract_metadata(text).province == "Long An"


def test_conflicting_override_warns_and_keeps_the_text():
    meta = DocumentMeta(province="Đắk Lắk", period_start=2021)
    with pytest.warns(MetadataConflictWarning, match="province"):
        kept = apply_override(meta, {"province": "Hưng Yên", "period_end": "2025"})
    assert kept.province == "Đắk Lắk"
    assert (kept.period_end, kept.from_override) == (2025, ("period_end",))


def test_same_value_in_override_is_not_a_conflict():
    meta = DocumentMeta(province="Đắk Lắk")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert apply_override(meta, {"province": "Dak Lak"}).from_override == ()


@pytest.mark.parametrize(
    ("override", "error"),
    [
        ({"province": "Atlantis"}, UnknownProvinceError),
        ({"period_start": "20x1"}, InputError),
        ({"issued": "10/12/2021"}, InputError),
    ],
)
def test_bad_override_values_are_clear_errors(override, error):
    with pytest.raises(error, match="manifest.csv"):
        apply_override(DocumentMeta(), override, path="manifest.csv")


def test_empty_text_gives_empty_metadata():
    assert extract_metadata("") == DocumentMeta()


def test_department_under_the_provincial_committee_is_the_issuer():
    text = (
        "UBND TỈNH TÂY NINH\nSỞ TƯ PHÁP\n-------\nSố: 12/KH-STP\n"
        "Tây Ninh, ngày 3 tháng 1 năm 2023\nKẾ HOẠCH\nCải cách hành chính năm 2023\n\nI. MỤC TIÊU\n"
    )
    meta = extract_metadata(text)
    assert (meta.issuer, meta.province) == ("Sở Tư pháp tỉnh Tây Ninh", "Tây Ninh")
    assert meta.doc_type == "KH"


def test_ministry_is_national():
    text = "BỘ NỘI VỤ\n-------\nSố: 12/KH-BNV\nHà Nội, ngày 3 tháng 1 năm 2023\nKẾ HOẠCH\nCCHC\n"
    meta = extract_metadata(text)
    assert (meta.issuer, meta.province) == ("Bộ Nội vụ", "national")


def test_headerless_text_gives_its_own_type_and_year():
    text = (
        "I. MỤC TIÊU\nĐẩy mạnh CCHC trong năm 2024 trên địa bàn tỉnh Gia Lai. Khắc phục hạn chế "
        "năm 2023. Chương trình tổng thể giai đoạn 2021-2030 đến năm 2030.\n"
        "III. TỔ CHỨC THỰC HIỆN\nCác phòng triển khai Kế hoạch này; báo cáo kết quả năm 2024.\n"
    )
    meta = extract_metadata(text)
    assert (meta.doc_type, meta.province, meta.period_start, meta.period_end, meta.issued) == (
        "KH", "Gia Lai", 2024, 2024, "2024"
    )


def test_web_copy_header_variants():
    text = (
        "Số 45/KH-UBND\nHà Nội, ngày 10/12/2021\n"
        "KẾ HOẠCH Cải cách hành chính năm 2022 thực hiện Chương trình giai đoạn 2021-2025\n\n"
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021\n"
    )
    meta = extract_metadata(text)
    assert (meta.doc_number, meta.issued, meta.province) == ("45/KH-UBND", "2021-12-10", "Hà Nội")
    assert (meta.period_start, meta.period_end) == (2022, 2022)
    assert meta.title.startswith("Kế hoạch cải cách hành chính năm 2022")
    assert meta.issuer == "UBND thành phố Hà Nội"


def test_operative_decision_line_is_not_a_heading():
    meta = extract_metadata("ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK\nQUYẾT ĐỊNH:\nĐiều 1. Ban hành.\n")
    assert (meta.doc_type, meta.title) == (None, None)


def test_number_without_header_still_names_the_issuer():
    text = "Số: 23/KH-UBND\nI. MỤC TIÊU\nĐẩy mạnh CCHC năm 2022 trên địa bàn tỉnh Nghệ An.\n"
    meta = extract_metadata(text)
    assert (meta.issuer, meta.province, meta.period_start) == ("UBND tỉnh Nghệ An", "Nghệ An", 2022)
    national = extract_metadata("Số: 23/CT-TTg\nI. MỤC TIÊU\nCải cách năm 2022.\n")
    assert (national.issuer, national.province) == ("Thủ tướng Chính phủ", "national")


def test_a_republishing_pages_lead_gives_number_and_date():
    text = (
        "Trang chủ > Tin tức\n\n# Tỉnh ban hành kế hoạch chuyển đổi số năm 2026\n\n"
        "Thứ Năm, 05/02/2026 - 09:15\n\n(KH&CN) - Ngày 03/02/2026, Ủy ban nhân dân tỉnh "
        "Lạng Sơn ban hành Kế\nhoạch số 24/KH-UBND về chuyển đổi số năm 2026. Kế hoạch "
        "căn cứ Quyết định số 1234/QĐ-UBND ngày 18/9/2025 của UBND tỉnh.\n"
    )
    meta = extract_metadata(text)
    assert (meta.doc_number, meta.issued) == ("24/KH-UBND", "2026-02-03")
    # A document with its own "Số:" line keeps it, whatever a lead-like sentence says.
    own = "ỦY BAN NHÂN DÂN\nSố: 7/KH-UBND\n" + text
    assert extract_metadata(own).doc_number == "7/KH-UBND"
