"""The heading tree: kinds, nesting, reform areas and deadline years."""

from __future__ import annotations

import pytest

from parstats.clean import parse_view
from parstats.outline import (
    _ANY_AREA,
    AREA_TITLES,
    AREA_WORDS,
    area_of_title,
    build_outline,
    title_year,
)

TEXT = """CHƯƠNG TRÌNH CẢI CÁCH HÀNH CHÍNH
I. MỤC TIÊU CHUNG
Đến năm 2025, Chỉ số cải cách hành chính nằm trong nhóm 20.
II. NỘI DUNG, MỤC TIÊU, NHIỆM VỤ
1. Cải cách thủ tục hành chính
a) Mục tiêu:
- Đến năm 2025:
+ 90% TTHC nội bộ được công bố.
- Đến năm 2030:
+ 100% TTHC có nghĩa vụ tài chính.
b) Nhiệm vụ:
1.1. Hiện đại hóa hành chính
2. Định hướng cải cách hành chính đến năm 2030
2.1. 100% các TTHC được thực hiện liên thông.
III. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính
a) 100% đơn vị sự nghiệp được giao tự chủ.
2. Sở Nội vụ
"""


def test_tree() -> None:
    outline = build_outline(parse_view(TEXT).text)
    rows = [(n.marker, n.depth, n.area, n.year) for n in outline.nodes[1:]]
    assert rows == [
        ("I.", 1, "overall", None),
        ("II.", 1, "overall", None),
        ("1.", 2, "procedures", None),
        ("a)", 3, "procedures", None),
        ("-", 4, "procedures", 2025),
        ("+", 5, "procedures", 2025),
        ("-", 4, "procedures", 2030),
        ("+", 5, "procedures", 2030),
        ("b)", 3, "procedures", None),  # "b)" replaces "a)" at the same depth
        ("1.1.", 3, "digital_government", None),  # under "1.", not under "b)"
        ("2.", 2, "overall", 2030),
        ("2.1.", 3, "overall", 2030),
        ("III.", 1, "overall", None),
        ("1.", 2, "public_finance", None),
        ("a)", 3, "public_finance", None),
        ("2.", 2, "overall", None),
    ]
    view = parse_view(TEXT).text
    node = outline.node_at(view.index("90% TTHC"))
    assert outline.heading(node).startswith("II. NỘI DUNG")
    assert outline.heading(node).endswith("> - Đến năm 2025")


@pytest.mark.parametrize(
    ("title", "area"),
    [
        ("Cải cách thể chế", "institutions"),
        ("Cải cách TTHC", "procedures"),
        ("Cải cách tổ chức bộ máy hành chính nhà nước", "apparatus"),
        ("Cải cách chế độ công vụ", "civil_service"),
        ("Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức", "civil_service"),
        ("Cải cách tài chính công", "public_finance"),
        ("Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", "digital_government"),
        ("Hiện đại hóa hành chính", "digital_government"),
        ("Công tác chỉ đạo, điều hành", "direction"),
        ("ĐỐI TƯỢNG, HÌNH THỨC KIỂM TRA", "direction"),
        ("Tác động của cải cách hành chính đến phát triển kinh tế - xã hội", "impact"),
        ("Mục tiêu cụ thể", None),
        ("Cải cách thể chế; Cải cách TTHC; Cải cách tài chính công", None),
    ],
)
def test_area_of_title(title: str, area: str | None) -> None:
    assert area_of_title(title) == area


def test_area_words_are_needed_by_every_match() -> None:
    """``AREA_WORDS`` may skip an area's pattern only if no match can lack them.

    The words are derived from ``section_roles.csv``; every text a pattern matches
    (each area row's example among them) holds one of its area's words.
    """
    from parstats import rules

    assert [a for a, _ in AREA_TITLES] == list(AREA_WORDS)
    table = rules.table("section_roles")
    for row in table.select("area"):
        title = row.example.lower()
        assert dict(AREA_TITLES)[row.value].search(title), row.id
        assert any(word in title for word in AREA_WORDS[row.value]), (row.id, AREA_WORDS)


@pytest.mark.parametrize(
    "title",
    [
        # Several areas where a longer match of one hides the other: the
        # combined leftmost scan decides, as it always has.
        "Công tác kiểm tra thủ tục hành chính",
        "Kế hoạch kiểm tra cải cách thể chế",
        "Chỉ đạo, điều hành và kiểm tra tài chính công",
        "Sở Tư pháp",
        "Sở Thông tin và Truyền thông",
        "Văn phòng UBND tỉnh",
        "Cải cách thể chế và thủ tục hành chính",
    ],
)
def test_area_of_title_agrees_with_the_combined_scan(title: str) -> None:
    """The per-area shortcut gives what the one combined scan of all areas gives."""
    low = title.lower()
    seen = {m.lastgroup for m in _ANY_AREA.finditer(low)}
    expected = seen.pop() if len(seen) == 1 else None
    assert area_of_title(title) == expected


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("Đến năm 2025", 2025),
        ("Định hướng cải cách hành chính đến năm 2030", 2030),
        ("Nhiệm vụ trọng tâm giai đoạn 2016-2020", 2020),
        ("NHIỆM VỤ GIAI ĐOẠN 2016-2020 VÀ ĐỊNH HƯỚNG ĐẾN NĂM 2030", None),
        ("Mục tiêu", None),
    ],
)
def test_title_year(title: str, year: int | None) -> None:
    assert title_year(title) == year


# Bare deadline lines (no marker) head the items below them until the next one; a
# capitalised deadline opener is never glued to the title line before it.
DEADLINE_TEXT = """II. MỤC TIÊU CỤ THỂ
1. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số
- Triển khai nền tảng số dùng chung.
Trong năm 2027:
- 80% hồ sơ công việc được xử lý trên môi trường mạng.
- 60% văn bản được ký số.
Đến hết năm 2029:
- 100% văn bản được ký số.
2. Cải cách tài chính công
- 30% đơn vị sự nghiệp tự bảo đảm chi thường xuyên.
"""


@pytest.mark.parametrize(
    ("needle", "year", "area"),
    [
        ("80% hồ sơ", 2027, "digital_government"),
        ("60% văn bản", 2027, "digital_government"),
        ("100% văn bản", 2029, "digital_government"),
        ("30% đơn vị", None, "public_finance"),
    ],
)
def test_bare_deadline_line_heads_items(needle: str, year: int | None, area: str) -> None:
    view = parse_view(DEADLINE_TEXT).text
    outline = build_outline(view)
    node = outline.nodes[outline.node_at(view.index(needle))]
    assert (node.year, node.area) == (year, area)
    assert "Trong năm 2027:" in view.split("\n")


@pytest.mark.parametrize(
    ("text", "needle", "year"),
    [
        (
            "d) Nâng cao chất lượng đội ngũ cán bộ, công chức\n"
            "Năm 2026, 100% cán bộ được bồi dưỡng.",
            "100% cán bộ",
            None,
        ),
        ("a) Mục tiêu:\nĐến năm 2026:\n+ 100% cán bộ được bồi dưỡng.", "100% cán bộ", 2026),
    ],
)
def test_deadline_opener_not_joined(text: str, needle: str, year: int | None) -> None:
    view = parse_view(text).text
    outline = build_outline(view)
    assert view.count("\n") >= 1
    assert outline.nodes[outline.node_at(view.index(needle))].year == year


def test_heading_path_cached_from_the_parent_is_the_walked_path() -> None:
    # Asked deepest first (the parents' paths are built on the way), and again.
    outline = build_outline(parse_view(TEXT).text)
    for index in [*reversed(range(len(outline.markers))), *range(len(outline.markers))]:
        labels = []
        for node in outline.path(index):
            if node.title:
                label = f"{node.marker} {node.title}".strip()
                labels.append(label if len(label) <= 60 else label[:59].rstrip() + "…")
        assert outline.heading(index) == " > ".join(labels)
        assert outline.heading(index, width=200) == " > ".join(
            f"{n.marker} {n.title}".strip() for n in outline.path(index) if n.title
        )
