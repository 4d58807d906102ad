"""The fast searches of the kind cues find what the windowed search finds (issue 10, speed).

A cue whose matches all open with known words is tried only where they stand
(:func:`parstats.kinds.start_words`); one that opens with ``^`` is searched led by
the line break (:func:`parstats.kinds.after_break`). Both must give the evidence the
search of :func:`parstats.kinds._windows` gives, on every rule of the table.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from parstats import kinds
from parstats.extraction.decode import read_text
from parstats.kinds import (
    KindRule,
    _at_line_starts,
    _at_starts,
    _fire,
    after_break,
    default_rules,
    make_view,
    required_words,
    start_words,
)

REPO = Path(__file__).resolve().parents[1]


def _slow(rule: KindRule) -> KindRule:
    return replace(rule, starts=(), after_break=None)


def _rule(pattern: str, flags: int = 0, min_count: int = 1) -> KindRule:
    compiled = re.compile(pattern, flags | re.MULTILINE)
    return KindRule(
        "plan.body.test", "plan", "body", compiled, min_count, 1.0, "", 1,
        prefilter=required_words(compiled), folded=bool(flags & re.IGNORECASE),
        starts=start_words(compiled), after_break=after_break(compiled),
    )


@pytest.mark.parametrize(
    "pattern, flags, words",
    [
        (r"\b(?:Kế hoạch|Đề án) này\b", 0, ("Kế hoạch", "Đề án")),
        (r"\b(?:[Pp]hấn\s+đấu|[Mm]ục\s+tiêu)\b", 0, ("Mục", "Phấn", "mục", "phấn")),
        (r"^THÔNG TƯ\b", 0, ("THÔNG TƯ",)),
        (r"\bthi\s+hành", 0, ("thi",)),
        (r"\b(?:Đề\s+nghị|yêu\s+cầu)", re.IGNORECASE, ("yêu", "đề")),  # lower case
        (r"\bgiao\s+việc", re.IGNORECASE, ()),  # "i" also matches "ı": not lower case alone
        (r"\bSở\s+", re.IGNORECASE, ()),  # "s" also matches "ſ"
        (r"(?i:giao)\s+việc", 0, ()),  # the case of the words is not fixed
        (r"\b(?:a|Wayback)", 0, ()),  # one alternative too short
        (r"\bKế(?= hoạch)", 0, ()),  # a lookaround
        (r"\s*Điều", 0, ()),  # opens with a repeat, not a word
        (r"Kế hoạch|\d+", 0, ()),  # an alternative opens with no word
    ],
)
def test_start_words_come_from_the_pattern(pattern: str, flags: int, words: tuple) -> None:
    assert start_words(re.compile(pattern, flags | re.MULTILINE)) == words


@pytest.mark.parametrize(
    "pattern, flags, led",
    [
        (r"^[\s*#|_]*Điều\s+\d+", re.MULTILINE, "\\n(?:[\\s*#|_]*Điều\\s+\\d+)"),
        (r"^A|B", re.MULTILINE, None),  # only one alternative is anchored
        (r"^A", 0, None),  # "^" is the text's start only
        (r"A^", re.MULTILINE, None),
        (r"^A(?=B)", re.MULTILINE, None),
    ],
)
def test_after_break(pattern: str, flags: int, led: str | None) -> None:
    found = after_break(re.compile(pattern, flags))
    assert (found.pattern if found is not None else None) == led


def _texts() -> list[str]:
    plans = sorted((REPO / "data" / "raw" / "plans").glob("*.txt"))
    texts = [read_text(p) for p in plans]
    # Cues at the very start, back to back, at the end, with and without a line break.
    texts.append(
        "Điều 1. Phạm vi\nĐiều 2. Đối tượng\n" + "Nội dung không liên quan.\n" * 100
        + "Kế hoạch nàyKế hoạch này\nI. MỤC TIÊU\nII. NHIỆM VỤ\nIII. TỔ CHỨC THỰC HIỆN\n"
        + "phấn đấu 90%; Mục tiêu cụ thể\nĐiều 3\n\n\nĐiều 4"
    )
    texts.append("XKế hoạch này " + "x" * 3000 + " Kế hoạch này")  # "\b" fails, then holds
    # Case-insensitive cues in any case, and a text that lower case makes longer ("İ").
    urge = "ĐỀ NGHỊ các sở khẩn trương triển khai. Yêu Cầu Ủy ban thực hiện ngay. "
    texts.append("Nội dung.\n" * 200 + urge * 3)
    texts.append("İİİ " + "Nội dung.\n" * 200 + urge * 3)
    return texts


@pytest.mark.parametrize("rule", default_rules(), ids=lambda r: r.id)
def test_fast_search_gives_the_windowed_searchs_evidence(rule: KindRule) -> None:
    for text in _texts():
        view = make_view(text)
        assert _fire(rule, view) == _fire(_slow(rule), view)


def test_a_long_match_falls_back_to_the_windows() -> None:
    # A match of 500 characters: longer than a window's reach from its word.
    text = "Mở đầu.\n" * 300 + "Kế hoạch " + "a" * 500 + "#\n" + "Kết.\n" * 300
    rule = _rule(r"\bKế hoạch [ab]+#")
    assert rule.starts == ("Kế hoạch ",)
    assert _at_starts(rule, text) is None
    line_rule = _rule(r"^Kế hoạch [ab]+#")
    assert line_rule.after_break is not None
    assert _at_line_starts(line_rule, text) is None
    view = make_view(text)
    for r in (rule, line_rule):
        assert _fire(r, view) == _fire(_slow(r), view)


@pytest.mark.parametrize("min_count", [1, 2, 3, 5])
def test_counts_and_first_match_as_finditer(min_count: int) -> None:
    text = ("Kế hoạch này. " * 3 + "\n") * 3 + "Chuyện khác.\n" * 200 + "\nĐiều 7. x\n"
    for pattern in (r"\bKế hoạch này\b", r"^Kế hoạch", r"^Điều\s+\d+"):
        rule = _rule(pattern, min_count=min_count)
        assert rule.starts or rule.after_break is not None
        found = _fire(rule, make_view(text))
        matches = list(rule.pattern.finditer(text))
        if len(matches) < min_count:
            assert found is None
            continue
        assert found is not None
        assert found.count == min_count
        assert found.offset == matches[0].start()


def test_case_insensitive_cue_in_a_text_lower_case_lengthens() -> None:
    # "İ".lower() is two characters: the lower-cased text's offsets do not agree, so
    # the windows are searched, and the offset still points at the words.
    text = "İ" * 50 + " Văn bản.\n" * 300 + "Đề nghị các sở khẩn trương triển khai ngay.\n"
    rule = _rule(r"\b(?:đề\s+nghị|yêu\s+cầu)\s+các\b[^\n]{0,40}\bkhẩn\s+trương", re.IGNORECASE)
    assert rule.starts == ("yêu", "đề")
    view = make_view(text)
    found = _fire(rule, view)
    assert found is not None and found == _fire(_slow(rule), view)
    assert text[found.offset :].startswith("Đề nghị")


def test_window_chars_is_the_fallbacks_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    # Narrow windows: a match of 20 characters is then a long one, and the windows decide.
    monkeypatch.setattr(kinds, "WINDOW_CHARS", 10)
    text = "Văn bản.\n" * 20 + "Kế hoạch này được ban hành\n" + "Văn bản.\n" * 20
    rule = _rule(r"\bKế hoạch này được ban hành")
    assert _at_starts(rule, text) is None
    view = make_view(text)
    assert _fire(rule, view) == _fire(_slow(rule), view)


def test_a_word_inside_the_last_match_starts_no_match() -> None:
    # finditer does not look inside a match: "Kế hoạch và\nKế hoạch khác" is one match.
    text = "Mở đầu.\n" * 300 + "Kế hoạch và\nKế hoạch khác.\nKế hoạch mới.\n" + "Kết.\n" * 300
    for pattern in (r"\bKế hoạch[^.]*", r"^Kế hoạch[^.]*"):
        assert len(list(re.finditer(pattern, text, re.MULTILINE))) == 2
        two, three = _rule(pattern, min_count=2), _rule(pattern, min_count=3)
        view = make_view(text)
        found = _fire(two, view)
        assert found is not None and found.count == 2
        assert found == _fire(_slow(two), view)
        assert _fire(three, view) is None  # the word inside the first match counts no third
        assert _fire(_slow(three), view) is None
