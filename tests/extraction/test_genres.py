"""Real genres (issue 10 §2): the rules of ``docs/TARGETS.md``, "Additions for real documents".

Each test states one convention on a short text written the way real documents are
(no real text is copied here) and fails on the extractor before these rules.
"""

from __future__ import annotations

import pytest

from parstats.extraction import extract_document, extract_targets
from parstats.extraction.stacked import read_blocks
from parstats.metadata import DocumentMeta

META = DocumentMeta(issued="2025-11-20", period_start=2026, period_end=2030)
NO_PERIOD = DocumentMeta(issued="2025-11-27")


def _stacked(rows: list[list[str]]) -> str:
    """Write a table the way the corpus's converter does: one cell per line between bars."""
    lines = []
    for row in rows:
        for cell in row:
            lines += ["|", cell] if cell else ["|"]  # an empty cell: two bars in a row
        lines.append("|")
    return "\n".join(lines)


EXPORT_PLAN = (
    "KẾ HOẠCH\nXUẤT KHẨU SẢN PHẨM HÀNG HÓA GIAI ĐOẠN 2026 - 2030\n\n"
    "PHỤ LỤC 01\n\nĐỊNH HƯỚNG PHÁT TRIỂN VÙNG NGUYÊN LIỆU\n\n"
    + _stacked(
        [
            ["**TT**", "**Chỉ tiêu**", "**ĐVT**", "**ƯTH Năm 2025**", "**GIAI ĐOẠN 2026 - 2030**"],
            ["**Năm 2026**", "**Năm 2027**", "**Năm 2028**"],
            ["**I**", "**CÂY CÔNG NGHIỆP**", "", "", "", "", ""],
            ["-", "Diện tích cà phê", "Ha", "26.120", "27.000", "27.500", "28.000"],
            ["-", "Sản lượng cà phê nhân", "Tấn", "37.724", "39.800", "40.602", "45.225"],
        ]
    )
    + "\n\nPHỤ LỤC 02\n\nDANH MỤC HÀNG HÓA XUẤT KHẨU\n\n"
    + _stacked(
        [
            ["**TT**", "**Sản phẩm**", "**Kế hoạch 2026**", "**Kế hoạch 2027**"],
            ["**Lượng** **(Tấn)**", "**Giá trị xuất khẩu (Nghìn USD)**",
             "**Lượng** **(Tấn)**", "**Giá trị xuất khẩu (Nghìn USD)**"],
            ["*1*", "*2*", "*3*", "*4*", "*5*", "*6*"],
            ["1", "Xoài xuất khẩu", "13.500", "7.000", "14.800", "7.800"],
            ["2", "Nhãn xuất khẩu", "6.400", "24.700", "7.100", "26.100"],
        ]
    )
    + "\n"
)


def test_a_table_written_one_cell_per_line_is_rebuilt_row_by_row() -> None:
    first, second = read_blocks(EXPORT_PLAN)
    assert first.width == 7 and len(first.rows) == 3
    assert first.header[4] == ("GIAI ĐOẠN 2026 - 2030", "Năm 2026")
    assert [t.text for t in first.rows[1]][:3] == ["-", "Diện tích cà phê", "Ha"]
    assert second.width == 6 and len(second.rows) == 2  # the numbering row is no row
    assert second.header[3] == ("Kế hoạch 2026", "Giá trị xuất khẩu (Nghìn USD)")


def test_yearly_amounts_in_physical_units_are_counts_of_their_column_year() -> None:
    targets = extract_targets(EXPORT_PLAN, meta=META)
    by_value = {t.value: t for t in targets}
    assert len(targets) == 16
    area = by_value[27000]
    assert (area.unit, area.unit_label, area.year, area.kind) == ("count", "Ha", 2026, "target")
    assert "unit.table_unit_column>unit.cell.ha" in area.rules
    estimate = by_value[37724]  # "ƯTH Năm 2025": an estimate of the current year
    assert (estimate.kind, estimate.year, estimate.unit_label) == ("baseline", 2025, "Tấn")
    value = by_value[26100]  # "Kế hoạch 2027" over "Giá trị (Nghìn USD)"
    assert (value.year, value.unit_label, value.value) == (2027, "Nghìn USD", 26100)
    assert "unit.table_measure>unit.cell.nghin_usd" in value.rules
    assert {t.area for t in targets} == {"impact"} and {t.area_source for t in targets} == {"cue"}
    assert 3 not in by_value and 6 not in by_value  # the column numbers


GOALS = "2. Mục tiêu cụ thể\n- Hình thành ít nhất 20 mô hình sản xuất nông nghiệp tuần hoàn.\n"
ACTIVITIES = (
    "V. HÌNH THỨC VÀ HOẠT ĐỘNG TUYÊN TRUYỀN\n- Cổng thông tin điện tử đăng tải ít nhất 200 "
    "bài viết và ít nhất 20 mô hình điển hình.\n"
)


def test_a_count_of_things_is_a_target_under_the_goals_only() -> None:
    doc = extract_document("KẾ HOẠCH\n" + GOALS + ACTIVITIES, meta=META)
    assert [(t.value, t.unit, t.comparator, t.unit_label) for t in doc.targets] == [
        (20.0, "count", "ge", "mô hình")
    ]
    assert "kind=kind.goals>section.goals.muc_tieu" in doc.targets[0].rules
    assert doc.targets[0].indicator is None  # no catalogue share measures an amount
    assert {n.rejected for n in doc.rejected} == {"filter.amount_outside_goals"}


def test_amounts_of_money_and_weight_read_their_scale_as_printed() -> None:
    text = (
        "I. MỤC TIÊU\n3. Phấn đấu giá trị hàng hóa xuất khẩu đến năm 2030 đạt 400 triệu USD; "
        "sản lượng chè đạt trên 12.000 tấn.\n"
    )
    found = [(t.value, t.comparator, t.unit_label) for t in extract_targets(text, meta=META)]
    assert found == [(400.0, "eq", "triệu USD"), (12000.0, "gt", "tấn")]


def test_a_sub_clause_takes_no_qualifier_from_the_list_before_it() -> None:
    text = (
        "2. Mục tiêu cụ thể\n- Có ít nhất 50 doanh nghiệp trở thành hạt nhân đổi mới công nghệ, "
        "trong đó có 20 doanh nghiệp công nghệ cao.\n"
    )
    assert [(t.value, t.comparator) for t in extract_targets(text, meta=META)] == [
        (50.0, "ge"),
        (20.0, "eq"),
    ]


DIGITAL_PLAN = """KẾ HOẠCH
Chuyển đổi số trong hoạt động xây dựng, quản lý kết cấu hạ tầng giao thông

II. MỤC TIÊU
2. Mục tiêu cụ thể đến năm 2030
- Phấn đấu 100% hồ sơ, dữ liệu chuyên ngành được quản lý trên môi trường số.
- 100% thủ tục hành chính lĩnh vực giao thông được cung cấp dịch vụ công trực tuyến.
- Tối thiểu 80% doanh nghiệp vận tải ứng dụng nền tảng số.
- 100% công trình mới áp dụng công nghệ BIM.
- Thuộc top 03 vùng Đồng bằng sông Cửu Long về chuyển đổi số.
III. NHIỆM VỤ
6. Phát triển dịch vụ công
- Bảo đảm 100% thủ tục hành chính được xử lý trên môi trường điện tử.
"""


def test_a_plan_not_laid_out_by_par_areas_takes_the_area_of_its_targets_words() -> None:
    targets = extract_targets(DIGITAL_PLAN, meta=NO_PERIOD)
    found = [(t.area, t.area_source) for t in targets]
    assert found == [
        ("digital_government", "cue"),
        ("digital_government", "cue"),
        ("impact", "cue"),
        ("impact", "cue"),
        ("overall", "cue"),
        ("digital_government", "cue"),
    ]
    assert targets[0].rules.split(";")[-2] == "area=area_cue.digital_government.du_lieu_so"
    assert targets[3].rules.split(";")[-2] == "area=area.society"
    assert targets[4].unit == "rank" and targets[4].comparator == "le"
    # No period stated: the goals heading's year is the deadline of every target.
    assert {t.year for t in targets} == {2030}
    assert "deadline.goals_heading" in targets[-1].rules


def test_a_par_plan_keeps_overall_under_a_general_heading() -> None:
    par = DIGITAL_PLAN.replace(
        "Chuyển đổi số trong hoạt động xây dựng, quản lý kết cấu hạ tầng giao thông",
        "Cải cách hành chính nhà nước năm 2026",
    )
    targets = extract_targets(par, meta=NO_PERIOD)
    assert {(t.area, t.area_source) for t in targets} == {("overall", "heading")}


def test_a_dated_lead_in_ending_in_a_colon_heads_its_items() -> None:
    text = (
        "2. Mục tiêu cụ thể\n\nĐến hết năm 2030, phấn đấu đạt được những mục tiêu sau:\n\n"
        "- 100% hộ gia đình được tiếp nhận thông tin cảnh báo thiên tai;\n"
    )
    (target,) = extract_targets(text, meta=NO_PERIOD)
    assert target.year == 2030 and target.rules.split(";")[4] == "year=deadline.heading"


def test_a_bare_marker_line_and_a_range_broken_before_its_dash_are_rejoined() -> None:
    text = (
        "**III. LỘ TRÌNH**\n\n**1.\nGiai đoạn 2031 - 2035**\n\n"
        "- Tăng trưởng xuất khẩu đạt bình quân 05\n- 06%/năm.\n"
    )
    (target,) = extract_targets(text, meta=META)
    assert (target.value, target.value_high, target.year) == (5.0, 6.0, 2035)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[6] Trong đó có 06 địa phương có tỷ lệ hồ sơ trực tuyến đạt trên 90%.",
         "not_target.footnote.bracket"),
        ("Nội dung chính.[^1]\n\n---\n\n[^1]: Năm 2024, tỷ lệ hồ sơ trực tuyến đạt 95%.",
         "not_target.footnote.bracket"),
        ("Các địa phương có tỷ lệ cao: TP. Hồ Chí Minh (87,73%), Sơn La (87,26%), "
         "Bắc Ninh (86,1%).", "not_target.rates_by_body"),
        ("Đất xây dựng đô thị khoảng 3751,66 ha, chiếm 75,3% diện tích khu quy hoạch.",
         "not_target.statistic.chiem"),
        ("Tỷ lệ hồ sơ trực tuyến đạt 65%, tăng 12% so với cùng kỳ năm trước.",
         "not_target.past_after.cung_ky"),
        ("Nghị quyết số 57-NQ/TW đề ra mục tiêu đến năm 2030 kinh tế số đạt tối thiểu 30% GDP.",
         "not_target.cited.dat_muc_tieu"),
        ("Mức vốn cho vay tối đa bằng 80% giá trị hợp đồng mua nhà.", "not_target.norm.gia_tri"),
        ("Trường hợp ruộng muối bị thiệt hại trên 70%, hỗ trợ 4.000.000 đồng/ha.",
         "not_target.condition.truong_hop"),
        ("Thời hạn giải quyết: 14 ngày (sau khi thực hiện phương án cắt giảm 30% thời gian "
         "giải quyết thủ tục hành chính).", "not_target.option.phuong_an"),
        ("(4) Tiêu chí phân định thôn đặc biệt khó khăn\n- Có dưới 60% đường thôn được cứng "
         "hóa.", "section.norm.tieu_chi"),
    ],
    ids=["footnote", "word-footnote", "rates", "statistic", "reported", "cited", "norm",
         "condition", "option", "criteria"],
)
def test_statements_that_are_not_commitments_are_dropped_with_their_rule(
    text: str, reason: str
) -> None:
    doc = extract_document(text, meta=META)
    assert doc.targets == []
    assert reason in {n.rejected for n in doc.rejected}


def test_the_same_words_as_a_commitment_stay_a_target() -> None:
    text = "2. Mục tiêu cụ thể\n- Phấn đấu tỷ trọng kinh tế số chiếm 20% GRDP.\n"
    assert [t.value for t in extract_targets(text, meta=META)] == [20.0]


def test_a_clause_repeated_verbatim_is_one_statement() -> None:
    item = "Tổ chức thực hiện: đạt 100% hồ sơ được số hóa theo quy định."
    text = "\n".join(f"{k}) Thủ tục cấp phép.\n{item}" for k in "abcd")
    doc = extract_document(text, meta=META)
    assert len(doc.targets) == 1
    assert [n.rejected for n in doc.rejected] == ["filter.repeated_clause"] * 3


def test_every_target_carries_a_probability_from_the_shipped_model() -> None:
    plan = extract_targets(GOALS + "- Phấn đấu 100% hồ sơ được số hóa.\n", meta=META)
    article = extract_targets("Theo thống kê, 46% công dân cho biết không theo tôn giáo nào.")
    assert all(0 <= t.confidence <= 1 for t in plan + article)
    assert min(t.confidence for t in plan) > max(t.confidence for t in article)
    again = extract_targets(GOALS, meta=META)
    assert again[0].confidence == plan[0].confidence
