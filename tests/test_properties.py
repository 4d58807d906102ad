"""Property tests: the target extractor never crashes and its spans hold the values it reports."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

targets_module = pytest.importorskip("parstats.targets")
from parstats.errors import InputError  # noqa: E402
from parstats.extraction.numbers import HINT  # noqa: E402
from parstats.extraction.strings import collapse  # noqa: E402
from parstats.metadata import extract_metadata  # noqa: E402
from parstats.text import decode_bytes  # noqa: E402
from parstats.vn import parse_number  # noqa: E402

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

WORDS = [
    "Tối thiểu", "tối thiểu", "ít nhất", "đạt", "phấn đấu", "trên", "dưới", "không quá",
    "tối đa", "từ", "đến", "trở lên", "nhóm", "tỉnh", "dẫn đầu", "thứ hạng", "bậc", "tăng",
    "giảm", "cắt giảm", "tinh giản", "hiện nay", "tương ứng", "đơn vị", "hồ sơ", "TTHC",
    "trực tuyến", "mức độ 3", "mức độ 4", "cấp tỉnh", "cấp huyện", "cấp xã", "của tỉnh",
    "PAR INDEX", "PAPI", "SIPAS", "hài lòng", "Năm 2022,", "Đến năm 2025,", "giai đoạn 2021-2025",
    "Nghị định số 130/2005/NĐ-CP", "ngày 10/12/2021", "ISO 9001:2015", "%", "phần trăm",
    "I. MỤC TIÊU", "1. Mục tiêu cụ thể", "a)", "-", "–", "+", "(", ")", ";", ",", ".", ":",
    "\n", "\n\n", "|", "**", "Cải cách thủ tục hành chính", "Chính quyền điện tử",
    "\t", "| Đơn vị tính |", "| % |", "| Năm 2025 |", "Thứ hạng", "Top", "Trang 2/7",
    "PHỤ LỤC", "Kết quả năm 2024", "Đối với các sở, ban, ngành:", "tương ứng", "≥",
]
NUMBERS = st.one_of(
    st.integers(0, 1_000_000).map(str),
    st.tuples(st.integers(0, 100), st.integers(0, 99)).map(lambda p: f"{p[0]},{p[1]}"),
    st.tuples(st.integers(0, 100), st.integers(0, 9)).map(lambda p: f"{p[0]}.{p[1]}"),
    st.integers(0, 100).map(lambda n: f"{n}%"),
    st.tuples(st.integers(0, 100), st.integers(0, 100)).map(lambda p: f"{p[0]}% - {p[1]}%"),
)
TOKENS = st.one_of(st.sampled_from(WORDS), NUMBERS, st.text(max_size=4))
PLANLIKE = st.lists(TOKENS, max_size=60).flatmap(
    lambda toks: st.lists(st.sampled_from([" ", "", "\n", "  "]), min_size=len(toks),
                          max_size=len(toks)).map(
        lambda seps: "".join(t + s for t, s in zip(toks, seps, strict=True))
    )
)


def _numbers_in(span: str) -> set[float]:
    out = set()
    for match in NUMBER.finditer(span):
        try:
            out.add(parse_number(match.group()))
        except ValueError:
            continue
    return out


def _check(text: str) -> None:
    targets = targets_module.extract_targets(text)
    for t in targets:
        assert 0 <= t.start < t.end <= len(text), (t.start, t.end, len(text))
        values = _numbers_in(text[t.start : t.end])
        assert t.value in values, (text[t.start : t.end], t.value)
        if t.value_high is not None:
            assert t.value_high in values, (text[t.start : t.end], t.value_high)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PLANLIKE)
def test_planlike_text_never_crashes_and_spans_hold_values(text):
    _check(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes(text):
    _check(text)


@settings(max_examples=100, deadline=None)
@given(PLANLIKE)
def test_metadata_never_crashes(text):
    meta = extract_metadata(text)
    if meta.period_start is not None:
        assert meta.period_end is not None and meta.period_start <= meta.period_end


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_decoding_any_bytes_gives_text_or_a_clear_error(data):
    try:
        decoded = decode_bytes(data, name="x.txt")
    except InputError as exc:  # EncodingError is an InputError
        assert str(exc).startswith("x.txt: ")
    else:
        assert "\r" not in decoded.text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "%",
        "Tối thiểu %",
        "nhóm",
        "100%" * 50,
        "Tối thiểu 80%\n\n\n",
        "từ 2 đến 5 bậc",
        "25% - 35% hồ sơ",
        "\u0301\u0323 80%",
        "a" * 5000 + " 90%",
    ],
)
def test_edge_cases(text):
    _check(text)


# The extractor's shortcuts must agree with the plain forms they stand for.
SPACES = st.sampled_from([" ", "  ", "\t", "\n", "\xa0", "\u2009", "\u3000", "\x1c", "\x85", ""])
SPACED = st.lists(st.one_of(TOKENS, SPACES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(SPACED, st.text(max_size=80)))
def test_collapse_is_split_and_join(text):
    assert collapse(text) == " ".join(text.split())


# The line scan tries only the first digit of a run of digits (``(?<!\d\d)``).
_PLAIN_HINT = re.compile(HINT.pattern.replace(r"\d(?<!\d\d)", r"\d", 1))


def _hint_lines(pattern: re.Pattern[str], text: str) -> set[int]:
    return {text.count("\n", 0, m.start()) for m in pattern.finditer(text)}


@settings(max_examples=300, deadline=None)
@given(st.one_of(PLANLIKE, st.text(alphabet="0123456789١٢,. %\nnhóm top", max_size=60)))
def test_hint_scan_finds_the_lines_of_the_plain_pattern(text):
    assert _PLAIN_HINT.pattern != HINT.pattern
    assert _hint_lines(HINT, text) == _hint_lines(_PLAIN_HINT, text)
