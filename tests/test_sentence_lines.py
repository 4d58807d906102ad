"""The lines worth reading: hints sought at the starts of numbers, as the regex finds them."""

from __future__ import annotations

import re

import pytest

from parstats.extraction.numbers import HINT
from parstats.extraction.sentences import (
    _BOUNDARY_SOURCE,
    _SENTENCE_END,
    BOUNDARY,
    _hint_search,
    _number_starts,
)


def _hint_lines(text: str, search) -> list[tuple[int, int]]:
    """The (start, end) of the first hint of each line, going on from each line's end."""
    found = []
    m = search(0)
    while m is not None:
        found.append((m.start(), m.end()))
        end = text.find("\n", m.end())
        m = search(len(text) if end < 0 else end)
    return found


TEXTS = [
    pytest.param("Đến năm 2025, 100% hồ sơ được xử lý trực tuyến.\nNgày 15/7/2022.", id="plain"),
    pytest.param("12 người\n3 tỷ đồng\nTop 10 tỉnh, nhóm 5", id="line-starts"),
    pytest.param("đạt ٩٥% hồ sơ; 80% cán bộ", id="arabic-indic-digits"),
    pytest.param("tăng 𝟓0% và 20% hồ sơ", id="beyond-the-bmp"),
    pytest.param("\ufeffĐạt 95%; ＼ 30 người", id="bom-and-fullwidth"),
    pytest.param("", id="empty"),
    pytest.param("2025", id="digits-only"),
]


@pytest.mark.parametrize("text", TEXTS)
def test_hint_search_finds_what_the_regex_finds(text: str) -> None:
    assert _hint_lines(text, _hint_search(text)) == _hint_lines(
        text, lambda pos: HINT.search(text, pos)
    )


def test_number_starts_are_the_first_digits_of_runs() -> None:
    assert _number_starts("1a22 b333\n4") == [0, 2, 6, 10]
    assert _number_starts("không số") == []


@pytest.mark.parametrize("text", ["đạt ٩٥%", "𝟓0%", "\ufeff12%"])
def test_number_starts_leave_other_digits_to_the_regex(text: str) -> None:
    # A non-ASCII decimal digit (``\d`` matches it) may be there: no shortcut.
    assert _number_starts(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "a; b: c trong đó d, trong số đó, e",
        "xtrong đó; ttrong đó trong đóa trong đó5 :\n: x",
        "trong đó",
        "đạt 90%: trong số đó 10%",
    ],
)
def test_boundary_matches_its_source_pattern(text: str) -> None:
    source = re.compile(_BOUNDARY_SOURCE)
    assert BOUNDARY.pattern != source.pattern  # rewritten for speed
    for lo in range(len(text)):
        for hi in range(lo, len(text) + 1):
            assert [m.span() for m in BOUNDARY.finditer(text, lo, hi)] == [
                m.span() for m in source.finditer(text, lo, hi)
            ]


@pytest.mark.parametrize(
    "text", ["Câu một. Câu hai! Câu ba? 3. x\nDòng. a.b  c!\td?", "năm 2021. theo đó, ... . ", ""]
)
def test_sentence_end_matches_the_class_pattern(text: str) -> None:
    by_class = re.compile(r"[.!?][^\S\n]+(?=\S)|\n")
    for lo in range(len(text) + 1):
        assert [m.span() for m in _SENTENCE_END.finditer(text, lo)] == [
            m.span() for m in by_class.finditer(text, lo)
        ]
