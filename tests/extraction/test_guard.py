"""Adversarial text: extraction stays linear, and a document beyond its budget is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from parstats.errors import DocumentTooLargeError
from parstats.extraction import Budget, extract_targets, targets_frame
from parstats.extraction.guard import MAX_SENTENCE_CHARS
from parstats.extraction.sentences import pieces
from parstats.metadata import DocumentMeta

META = DocumentMeta(issued="2021-12-10", period_start=2021, period_end=2025)


def _csv_bytes(text: str) -> int:
    rows = extract_targets(text, meta=META, budget=None)
    return len(targets_frame("d", rows).to_csv(index=False).encode("utf-8"))


@pytest.mark.parametrize(
    "unit",
    [
        "100% ",  # one sentence, no full stop (an OCR dump)
        "Phấn đấu tối thiểu 80% hồ sơ cấp xã đạt chuẩn, ",  # one sentence of many clauses
        "| 95% ",  # one table row of many cells
    ],
    ids=["numbers", "clauses", "table-row"],
)
def test_output_grows_linearly_with_one_long_sentence(unit: str) -> None:
    # The audit's D3: every target kept a copy of its whole sentence, so the targets
    # table grew with the square of the sentence (a 160 KB file, 5 GB of CSV).
    small, large = _csv_bytes(unit * 1000), _csv_bytes(unit * 4000)
    assert large < 5 * small, (small, large)  # linear: about 4x; quadratic: 16x


def test_a_target_never_carries_more_than_a_sentence_piece() -> None:
    rows = extract_targets("100% " * 5000, meta=META, budget=None)
    assert len(rows) == 5000
    assert max(len(t.sentence) for t in rows) <= MAX_SENTENCE_CHARS


def test_long_sentences_are_read_in_pieces_that_keep_numbers_whole() -> None:
    text = "Tỷ lệ hồ sơ đạt 95 % và " * 1000
    cuts = list(pieces(text, 0, len(text)))
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(b - a <= MAX_SENTENCE_CHARS for a, b in cuts)
    assert all(a == prev_b for (_, prev_b), (a, _) in zip(cuts, cuts[1:], strict=False))
    for a, _ in cuts[1:]:
        assert not text[a:].startswith("%")  # "95 %" is never cut between number and unit
    short = "Tối thiểu 80% hồ sơ được số hóa."
    assert list(pieces(short, 0, len(short))) == [(0, len(short))]
    rows = extract_targets(text, meta=META, budget=None)
    assert len(rows) == 1000 and {t.unit for t in rows} == {"percent"}


def test_a_document_beyond_its_budget_is_refused_with_a_clear_error() -> None:
    many = r"more than 55 number expressions \(stopped at 200"
    with pytest.raises(DocumentTooLargeError, match=many):
        extract_targets("100% " * 200, meta=META, budget=Budget(max_numbers=50))
    too_long = r"200,000 characters \(the limit is 100,000\)"
    with pytest.raises(DocumentTooLargeError, match=too_long):
        extract_targets("x" * 200_000, meta=META, budget=Budget(max_chars=100_000))
    with pytest.raises(DocumentTooLargeError, match=r"took too long"):
        extract_targets("Tối thiểu 80% hồ sơ.", meta=META, budget=Budget(max_seconds=-1))
    # The default budget refuses a data dump (a million number expressions) quickly...
    with pytest.raises(DocumentTooLargeError, match=r"number expressions"):
        extract_targets("100% " * 1_000_000, meta=META)
    # ... and no real plan comes near it.
    assert len(extract_targets("Tối thiểu 80% hồ sơ được số hóa.", meta=META)) == 1


def test_extract_paths_reports_a_refused_document_and_goes_on(tmp_path: Path) -> None:
    from parstats.extract import extract_paths

    (tmp_path / "a_dump.txt").write_text("100% " * 1_000_000, encoding="utf-8")
    (tmp_path / "b_plan.txt").write_text(
        "KẾ HOẠCH năm 2024\nTối thiểu 80% hồ sơ TTHC được số hóa.\n", encoding="utf-8"
    )
    # all_kinds: the dump has no official-document cue, so the kind filter alone would
    # list it without targets; the budget is what must refuse it here.
    result = extract_paths([tmp_path], all_kinds=True)
    assert result.docs == ("b_plan",)
    (failure,) = result.failures
    assert failure.path.endswith("a_dump.txt") and "number expressions" in failure.reason
