"""The quick searches of the reading, metadata and kind stages find what the plain ones find.

Issue 10 (speed): a pattern that opens with ``^`` is searched led by the line break
(:func:`parstats.kinds.line_matches`); a cue's start words are found with as few scans
as possible (:func:`parstats.kinds.literal_starts`, ``kinds._needles``); a document's
lines are counted between the targets' offsets
(:meth:`parstats.formats.document.ConvertedDocument.locations`); control bytes are found
with ``memchr``. Each must give exactly what the straightforward way gives.
"""

from __future__ import annotations

import random
import re

import pytest

from parstats.extraction import decode, metadata
from parstats.formats.document import ConvertedDocument
from parstats.kinds import _HEADING, _HEADING_LED, _needles, line_matches, literal_starts

_PIECES = ("KẾ HOẠCH", "Số: 12/KH-UBND", "Hà Nội, ngày 3 tháng 5 năm 2024", "\n", "\n\n",
           " ", "*", "| ", "x", "QUYẾT ĐỊNH:", "Năm 2023", "NĂM 2025", "nĂm 2019", "năm  2020")


def _texts(count: int = 300) -> list[str]:
    rng = random.Random(10)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 40))) for _ in range(count)]


@pytest.mark.parametrize(
    "pattern, led",
    [
        (_HEADING, _HEADING_LED),
        (metadata._PLACE_DATE, metadata._PLACE_DATE_AFTER_BREAK),
        (metadata._NUMBER_LINE, metadata._NUMBER_AFTER_BREAK),
        (metadata._HEADING_LINE, metadata._HEADING_AFTER_BREAK),
    ],
    ids=["kinds heading", "place-date", "number", "metadata heading"],
)
def test_line_matches_are_finditers(pattern: re.Pattern[str], led: re.Pattern[str]) -> None:
    for text in _texts():
        found = [(m.span(), m.groups()) for m in line_matches(pattern, led, text)]
        assert found == [(m.span(), m.groups()) for m in pattern.finditer(text)], text


def test_line_matches_refuses_an_empty_match() -> None:
    pattern = re.compile(r"^x*", re.MULTILINE)
    with pytest.raises(ValueError, match="empty match"):
        list(line_matches(pattern, re.compile(r"\n(?:x*)"), "a\nb"))


def test_year_pattern_is_the_case_insensitive_one() -> None:
    ignoring_case = re.compile(r"năm\s+(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE)
    for text in _texts():
        assert [m.span() for m in metadata._YEAR.finditer(text)] == [
            m.span() for m in ignoring_case.finditer(text)
        ]


@pytest.mark.parametrize(
    "pattern, words",
    [
        (r"\b(?:Kế hoạch|Đề án) này\b", ("Kế hoạch này", "Đề án này")),
        (r"(?:a|bc)d", ("ad", "bcd")),
        (r"\b(?:Kế hoạch|Đề án)\b", ()),  # nothing literal follows the group
        (r"\b(?:[Pp]hấn\s+đấu)", ()),  # not literal alternatives
        (r"(?i)\b(?:Kế|Đề) này", ()),  # case not fixed
        (r"(?:Kế(?= hoạch)|Đề) này", ()),  # a lookaround
    ],
)
def test_literal_starts(pattern: str, words: tuple[str, ...]) -> None:
    assert literal_starts(re.compile(pattern, re.MULTILINE)) == words


@pytest.mark.parametrize(
    "words, needles",
    [
        (("Kế hoạch này", "Đề án này"), ((" này", (5, 8)),)),
        (("Phấn", "phấn", "Mục"), (("hấn", (1,)), ("Mục", (0,)))),
        (("Mục", "mục"), (("Mục", (0,)), ("mục", (0,)))),  # "ục": too short a needle
    ],
)
def test_needles(words: tuple[str, ...], needles: tuple) -> None:
    assert _needles(words) == needles


def test_locations_are_each_offsets_location() -> None:
    rng = random.Random(3)
    for trial in range(300):
        text = "".join(rng.choice("ab\n\n\f x") for _ in range(rng.randint(0, 300)))
        pages: tuple[int, ...] = ()
        if trial % 2:
            pages = tuple(sorted({0, *(rng.randint(1, len(text) or 1) for _ in range(3))}))
            pages = tuple(p for p in pages if p <= len(text))
        doc = ConvertedDocument("x.txt", text, pages, "txt", "test")
        offsets = [rng.randint(0, len(text)) for _ in range(rng.randint(0, 30))]
        assert doc.locations(offsets) == [doc.location(o) for o in offsets]
        assert doc._line_starts == (0, *(i + 1 for i, ch in enumerate(text) if ch == "\n"))
        with pytest.raises(IndexError, match=f"offset {len(text) + 1} is outside"):
            doc.locations([*offsets, len(text) + 1])


def test_control_bytes_found_as_by_translate() -> None:
    rng = random.Random(5)
    for _ in range(500):
        data = bytes(rng.choice(b"ab \n\t\r\x0b\x0c\x00\x01\x1f\x7f\x80") for _ in range(20))
        expected = len(data.translate(None, decode._CONTROL_BYTES)) != len(data)
        assert decode._has_control_byte(data) == expected


def test_years_are_the_year_patterns_matches() -> None:
    extra = ["năm 2020năm 2021", "Năm 2020 năm2021 năm 2022", "ănăm 2020", "năm 2020", "ăm 2020"]
    for text in _texts() + extra:
        assert [m.span() for m in metadata._years(text)] == [
            m.span() for m in metadata._YEAR.finditer(text)
        ], text
