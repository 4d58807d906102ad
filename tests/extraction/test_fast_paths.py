"""The extractor's fast paths answer exactly what the plain forms they replace answer.

Each speed-up keeps a plain form of the same test (a regex, a loop over every rule);
these properties compare the two on generated texts, so a fast path that drifts from
its rule fails here, not only in a corpus-wide identity check.
"""

from __future__ import annotations

import re

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from parstats.extraction import indicator_rules, stacked  # noqa: E402
from parstats.extraction.cues import UNITS  # noqa: E402
from parstats.extraction.numbers import _RANK_LAST, HINT  # noqa: E402

# The hint scan without the lookahead of its unit words' first characters.
_PLAIN_HINT = re.compile(
    r"\d(?<!\d\d)(?:"
    + "".join(
        f"(?<=[{w[0]}{w[0].upper()}]{re.escape(w[1:])} \\d)|" for w in (*_RANK_LAST, "từ")
    )
    + rf"[\d.,]*\s*(?:{UNITS.alternation('after')}|(?i:{UNITS.alternation('amount')})\b))"
)

_HINT_PIECES = [
    "%", " phần trăm", "bậc", " hạng", " TẤN", " Tấn", " ha", " HA", "\u212a", "km", " KM",
    " lượt", " LƯỢT", "nhóm ", "Top ", "từ ", " ", "\n", "\t", "1", "25", "2025", ",", ".",
    "١", "x", " tỷ ĐỒNG", " Vùng", " doanh nghiệp", " Doanh Nghiệp", " sản phẩm", "İ", "ſ",
    "Điều ", "\u00a0",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_HINT_PIECES), max_size=14).map("".join))
def test_hint_scan_matches_the_plain_pattern(text):
    assert HINT.pattern != _PLAIN_HINT.pattern
    assert [m.span() for m in HINT.finditer(text)] == [
        m.span() for m in _PLAIN_HINT.finditer(text)
    ]


_BAR_PIECES = ["|", " | ", "\t|", "|  ", "| a | b |", "a | b", "|x|", "a", " b c ", "", " ",
               "\r", "|\r", "\u00a0", "**1**"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_BAR_PIECES), max_size=30).map("\n".join),
    st.integers(min_value=0, max_value=200),
)
def test_next_bar_line_finds_what_the_line_pattern_finds(text, at):
    # From every line start: the first bar-only line there or after.
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    pos = starts[at % len(starts)]
    m = stacked._BAR_LINE.search(text, pos)
    assert stacked._next_bar_line(text, pos) == (m.start() if m else -1)
    count = sum(1 for _ in stacked._BAR_LINE.finditer(text))
    assert stacked._enough_bars(text) == (count >= stacked._MIN_BARS)


def _plain_rule(words, sentence, direction):
    """The rule loop without the anchor index: every rule of the direction, in order."""
    words = words.lower()
    if "hài lòng" in words and indicator_rules._DISSATISFIED.search(words):
        return None
    for c in indicator_rules._RULES_FOR[direction]:
        if c.anchors is not None and not any(a in words for a in c.anchors):
            continue
        if not c.pattern.search(words):
            continue
        if c.unless is not None and c.unless.search(words):
            continue
        if c.context is not None and not c.context.search(sentence.lower()):
            continue
        return c.rule
    return None


_RULE_WORDS = sorted(
    {a for c in indicator_rules._RULES for a in (c.anchors or ())}
    | {"tỷ lệ", "thủ tục hành chính", "được", "giải quyết", "không", "cấp", "người dân", " "}
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_RULE_WORDS), max_size=8).map(" ".join),
    st.sampled_from(["attain", "increase", "decrease"]),
)
def test_indicator_rule_index_picks_the_first_rule_of_the_plain_loop(words, direction):
    sentence = "Phấn đấu " + words + " đạt 90%"
    assert indicator_rules.match_indicator_rule(
        words, sentence=sentence, direction=direction
    ) == _plain_rule(words, sentence, direction)


_TABLE_PIECES = ["|", "| Chỉ tiêu | Đơn vị tính | Năm 2026 |", "| Tỷ lệ | % | 80 |",
                 "| ĐVT | 2030", "|ĐVT|2030", "Đơn vị tính", "\tĐơn vị tính\tNăm 2026",
                 "Tỷ lệ\t%\t60", "| Hạng | 20 |", "a", "", " ", "Tấn", "26.120"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TABLE_PIECES), max_size=24).map("\n".join))
def test_unit_rows_quick_test_skips_only_texts_without_unit_rows(text):
    # The two-bars quick test is a necessary condition: without it, the same rows.
    from parstats.extraction import tables

    fast = tables.Tables(text).unit_rows()
    saved = tables._TWO_BARS
    tables._TWO_BARS = re.compile("")  # matches every text: the quick test never skips
    try:
        plain = tables.Tables(text).unit_rows()
    finally:
        tables._TWO_BARS = saved
    assert fast == plain


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["", " ", "x", "**", "7"]), min_size=0, max_size=60))
def test_body_answers_what_fits_answers(cells):
    tokens = [stacked.Token(c, 0, 0) for c in cells]
    limit = min(len(tokens), stacked._MAX_HEADER_TOKENS)
    starts = [k for k in range(limit) if k == 0 or tokens[k - 1].empty]
    plain = next(
        (
            (start, width)
            for width in range(2, stacked.MAX_WIDTH + 1)
            for start in starts
            if stacked._fits(tokens, start, width)
        ),
        None,
    )
    assert stacked._body(tokens) == plain
