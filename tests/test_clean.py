"""The parse view: joined lines, no pipes/emphasis/footers, and an exact offset map."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parstats.clean import parse_view


def _assert_maps_back(text: str) -> None:
    view = parse_view(text)
    assert view.source_length == len(text)
    previous = -1
    for i, ch in enumerate(view.text):
        src = view.to_source(i)
        assert 0 <= src < max(len(text), 1)
        assert src > previous  # the map is strictly increasing
        previous = src
        if ch not in " \n":
            assert text[src] == ch
        else:
            assert text[src].isspace() or text[src] in "|*_"


CASES = [
    pytest.param(
        "+ Tối thiểu 80% hồ sơ giải quyết TTHC được luân\nchuyển trong nội bộ.\n",
        "+ Tối thiểu 80% hồ sơ giải quyết TTHC được luân chuyển trong nội bộ.",
        id="hard-wrap-joined",
    ),
    pytest.param(
        "+ Năm 2022, hoàn thành việc số hóa kết quả giải quyết\nTTHC còn hiệu lực.",
        "+ Năm 2022, hoàn thành việc số hóa kết quả giải quyết TTHC còn hiệu lực.",
        id="short-first-line-of-running-text",
    ),
    pytest.param(
        "1. Cải cách thể chế\na) Mục tiêu:\n- Đến năm 2025:\n+ 100% văn bản.",
        "1. Cải cách thể chế\na) Mục tiêu:\n- Đến năm 2025:\n+ 100% văn bản.",
        id="headings-stay-lines",
    ),
    pytest.param(
        "11. Sở Khoa học và Công nghệ\nChủ trì, phối hợp với Sở Tài chính.",
        "11. Sở Khoa học và Công nghệ\nChủ trì, phối hợp với Sở Tài chính.",
        id="short-title-not-joined",
    ),
    pytest.param(
        "I. MỤC TIÊU, NHIỆM VỤ\nCỤ THỂ\nTiếp tục xây dựng.",
        "I. MỤC TIÊU, NHIỆM VỤ CỤ THỂ\nTiếp tục xây dựng.",
        id="upper-case-title-joined",
    ),
    pytest.param(
        "giai đoạn 2021\n- 2025, định hướng",
        "giai đoạn 2021 - 2025, định hướng",
        id="period-split-before-dash",
    ),
    pytest.param(
        "Đắk Lắk, ngày 10\ntháng 12 năm 2021\n|\nQUYẾT ĐỊNH\n|\n",
        "Đắk Lắk, ngày 10 tháng 12 năm 2021\nQUYẾT ĐỊNH",
        id="table-pipes-dropped",
    ),
    pytest.param(
        "**Về việc ban hành Kế hoạch kiểm tra\ncải cách hành chính**\n"
        "thời gian từ ngày **01/01/2019**.",
        "Về việc ban hành Kế hoạch kiểm tra cải cách hành chính thời gian từ ngày 01/01/2019.",
        id="emphasis-dropped",
    ),
    pytest.param(
        "Kế hoạch này./.\nXem nội dung đầy đủ chọn vào tập tin bên dưới\nTác giả: Quản trị\n"
        "Ý kiến bạn đọc\nNhững tin mới hơn\n",
        "Kế hoạch này./.",
        id="web-footer-dropped",
    ),
    pytest.param(
        "giảm số\n\nlượng đơn vị sự nghiệp\n\nb) Nội dung",
        "giảm số lượng đơn vị sự nghiệp\nb) Nội dung",
        id="blank-line-inside-sentence",
    ),
    pytest.param(
        "Phấn đấu 95% hồ sơ đúng hạn.\n\n### Tin liên quan\n\n- Năm 2023, 91% hồ sơ đúng hạn\n",
        "Phấn đấu 95% hồ sơ đúng hạn.",
        id="related-news-list-dropped",
    ),
    pytest.param(
        "Phấn đấu 95% hồ sơ đúng hạn.\n\n**Tin liên quan**\n\n- Năm 2023, 91% hồ sơ đúng hạn\n",
        "Phấn đấu 95% hồ sơ đúng hạn.",
        id="bold-related-news-list-dropped",
    ),
    pytest.param(
        "Bảng chỉ tiêu\n| 1 | Hồ sơ cấp tỉnh | ≥ 90% |\n| 2 | Hồ sơ cấp xã | 50% |\nGhi chú",
        "Bảng chỉ tiêu\n1   Hồ sơ cấp tỉnh   ≥ 90%\n2   Hồ sơ cấp xã   50%\nGhi chú",
        id="table-rows-stay-apart",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_view(text: str, expected: str) -> None:
    view = parse_view(text)
    assert view.text == expected
    _assert_maps_back(text)


def test_span_to_source() -> None:
    text = "+ Tối thiểu **80%** hồ sơ\nđược luân chuyển"
    view = parse_view(text)
    a = view.text.index("80%")
    start, end = view.span_to_source(a, a + 3)
    assert text[start:end] == "80%"
    a = view.text.index("hồ sơ được")
    start, end = view.span_to_source(a, a + len("hồ sơ được"))
    assert text[start:end] == "hồ sơ\nđược"
    assert view.to_source(len(view.text)) == len(text)
    assert parse_view("").text == ""


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("ab AĐ1.:;,-+|*_\n\t\r%()") + ["I. ", "a) ", "Tác giả: x", "İ"]),
        max_size=120,
    ).map("".join)
)
def test_offsets_map_back_on_any_text(text: str) -> None:
    _assert_maps_back(text)
