"""The tier scan (rules.word_starts + rules.finditer) finds exactly what TIER finds.

``level`` runs its tier patterns only where the fast scan of their first words matches;
these properties compare that with the patterns' own ``finditer`` on generated texts,
so a scan that drifts from ``levels.csv`` fails here, not only in the identity check.
"""

from __future__ import annotations

import re

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from parstats import rules  # noqa: E402
from parstats.extraction import level  # noqa: E402
from parstats.extraction.cues import LEVELS  # noqa: E402

# Words of the tier rows, their lookbehinds ("cạnh tranh cấp tỉnh") and lookahead
# ("thành phố thuộc tỉnh"), pieces that glue words ("xcấp", "cấpx") and other text.
_PIECES = [
    "cấp", "các", "cả", "ba", "3", "tỉnh", "huyện", "xã", "phường", "quận", "thị trấn",
    "thành phố", "thuộc tỉnh", "trực thuộc", "sở", "ban", "ngành", "ubnd", "hđnd", "ủy",
    "uỷ", "ban nhân dân", "hội đồng nhân dân", "trung tâm phục vụ hành chính công",
    "từ", "đến", "tới", "và", "cơ sở", "trở lên", "toàn", "mọi", "chính quyền",
    "cạnh tranh", "quản trị và hành chính công", "x", "ấp", "đạt 90%", " ", " ", ",", ", ",
    "\n", ".", "(",
]


def _same(pattern: re.Pattern[str], starts: re.Pattern[str] | None, text: str) -> None:
    expected = [(m.span(), m.lastgroup) for m in pattern.finditer(text)]
    assert [(m.span(), m.lastgroup) for m in rules.finditer(pattern, starts, text)] == expected


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16).map("".join))
def test_tier_scan_finds_what_tier_finds(text):
    assert level._TIER_STARTS is not None
    _same(level.TIER, level._TIER_STARTS, text)
    _same(level.SINGLE_TIER, level._SINGLE_TIER_STARTS, text)


@pytest.mark.parametrize("example", [r.example.lower() for r in LEVELS.select("name")])
def test_tier_scan_on_the_table_examples(example):
    _same(level.TIER, level._TIER_STARTS, example)


def test_named_tiers_read_through_the_scan():
    assert level.level_named("ubnd cấp huyện và cấp xã đạt 90%", False) == "district+commune"
    assert level.level_named("chỉ số cạnh tranh cấp tỉnh", False) is None
    assert level.level_named("từ cấp tỉnh đến cơ sở", False) == "all"


def test_word_starts_only_for_patterns_led_by_a_boundary():
    assert rules.word_starts(r"cấp (?:tỉnh|xã)") is None  # no leading \b
    assert rules.word_starts(r"\b(?:cấp|\d+)") is None  # a match not all literal
    assert rules.word_starts(r"\bcấp", re.IGNORECASE) is None
    scan = rules.word_starts(r"\b(?:(?P<a>(?:các )?cấp xã)|(?P<b>xã))")
    assert scan is not None
    assert [m.start() for m in scan.finditer("các cấp xã, cấp xã, xcấp xã")] == [0, 12, 25]
    # The same matches, with the named groups, as the pattern's own finditer.
    pattern = re.compile(r"\b(?:(?P<a>(?:các )?cấp xã)|(?P<b>xã))")
    _same(pattern, scan, "các cấp xã, cấp xã, xcấp xã")


_FOR_PIECES = [
    "đối với", "riêng", "tại", "ở", "cấp xã", "cấp tỉnh", "các sở", " ", "  ", "\t", ",", ";",
    ":", "-", "+", "•", "đạt 90%", "x", "a", "abcdefghij" * 5,
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_FOR_PIECES), max_size=14).map("".join), st.integers(0, 80))
def test_for_tier_after_the_start_finds_what_for_tier_finds(text, stop):
    expected = None
    for m in level._FOR_TIER.finditer(text, 0, stop):
        expected = m
    found = level._FOR_TIER.match(text, 0, stop)
    for m in level._FOR_TIER_AFTER.finditer(text, found.end() if found else 0, stop):
        found = m
    assert (found and (found.span(), found.group(1))) == (
        expected and (expected.span(), expected.group(1))
    )


_QUALIFIER_PIECES = [
    "cấp tỉnh", "đạt", "là", ":", "tối thiểu", "ít nhất", "không dưới", "trên", "tối đa",
    "không quá", "dưới", "từ", "≥", "≤", " ", "\u00a0", "\t", "nh", "x", "90", "%",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_QUALIFIER_PIECES), max_size=12).map("".join))
def test_lead_qualifier_search_from_its_last_other_character(text):
    assert level._QUALIFIER_CHARS is not None
    start = len(text.rstrip(level._QUALIFIER_CHARS))
    assert level._LEAD_QUALIFIER.search(text, start).span() == (
        level._LEAD_QUALIFIER.search(text).span()
    )
