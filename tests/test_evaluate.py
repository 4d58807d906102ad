"""The gold matcher on small hand-made frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from parstats.evaluate import SCORED_FIELDS, _collapsed, evaluate, locate_gold

TEXT = (
    "+ Tối thiểu 80% hồ sơ\n  được luân chuyển; 80% TTHC có nghĩa vụ tài chính.\n"
    "PAR INDEX, PAPI nằm trong nhóm 20 tỉnh dẫn đầu."
)
FIELDS = dict(
    value_high=None,
    unit="percent",
    comparator="ge",
    direction="attain",
    year=2025,
    level="all",
    area="procedures",
    kind="target",
    indicator="a",
)


def _frame(rows: list[dict]) -> pd.DataFrame:
    """Gold or predicted rows of document ``d``: FIELDS unless a row says otherwise."""
    return pd.DataFrame([{**FIELDS, "doc": "d", **r} for r in rows])


def _span(sub: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(sub, start + 1)
    return start, start + len(sub)


@pytest.mark.parametrize(
    ("quote", "value", "expected"),
    [
        ("Tối thiểu 80% hồ sơ được luân chuyển", 80, _span("80%")[0]),
        ("80% TTHC có nghĩa vụ", 80, _span("80%", 1)[0]),
        ("hồ sơ được luân chuyển; 80% TTHC", 80, _span("80%", 1)[0]),  # first 80 in the quote
        ("nằm trong nhóm 20 tỉnh", 20, _span("20")[0]),
        ("not in the text", 20, -1),
        ("nằm trong nhóm 20 tỉnh", 21, -1),
    ],
)
def test_locate_gold(quote: str, value: float, expected: int) -> None:
    span = locate_gold(*_collapsed(TEXT), quote, value)
    assert span.start == expected
    if span.found:
        assert TEXT[span.start : span.end] == str(int(value))


def test_matching_counts_and_fields() -> None:
    gold = _frame(
        [
            dict(quote="Tối thiểu 80% hồ sơ", value=80, indicator="files"),
            dict(quote="80% TTHC có nghĩa vụ", value=80, indicator="payment"),
            dict(
                quote="nằm trong nhóm 20", value=20, unit="rank", comparator="le", indicator="par"
            ),
            dict(
                quote="nằm trong nhóm 20", value=20, unit="rank", comparator="le", indicator="papi"
            ),
        ]
    )
    a, b = _span("80%")
    c, d = _span("80%", 1)
    r, s = _span("nhóm 20")
    pred = _frame(
        [
            dict(start=a, end=b, value=80, indicator="files"),
            dict(start=c, end=d, value=80, indicator="payment", comparator="eq"),
            # the two rank rows come in the other order: paired by indicator first
            dict(start=r, end=s, value=20, unit="rank", comparator="le", indicator="papi"),
            dict(start=r, end=s, value=20, unit="rank", comparator="le", indicator="par"),
            dict(start=a, end=b, value=80, indicator="files"),  # a duplicate: spurious
            dict(start=0, end=3, value=80, indicator="x"),  # wrong place: spurious
        ]
    )
    ev = evaluate(gold, pred, {"d": TEXT})
    assert (ev.n_gold, ev.n_pred, ev.n_matched) == (4, 6, 4)
    assert ev.precision == pytest.approx(4 / 6) and ev.recall == 1.0
    assert ev.f1 == pytest.approx(2 * (4 / 6) / (1 + 4 / 6))
    assert ev.field_accuracy["indicator"] == 1.0
    assert ev.field_accuracy["comparator"] == 0.75
    assert set(ev.field_accuracy) == set(SCORED_FIELDS)
    assert len(ev.spurious) == 2 and len(ev.unmatched_gold) == 0
    assert list(ev.mismatches["field"]) == ["comparator"]
    assert ev.per_doc.loc[0, "n_matched"] == 4
    assert ev.to_dict()["n_matched"] == 4


def test_value_must_agree_and_span_cover() -> None:
    gold = _frame([dict(quote="Tối thiểu 80% hồ sơ", value=80)])
    a, b = _span("80%")
    pred = _frame([dict(start=a, end=b, value=8), dict(start=a + 1, end=b, value=80)])
    ev = evaluate(gold, pred, {"d": TEXT})
    assert ev.n_matched == 0 and ev.recall == 0 and ev.f1 == 0
    assert bool(ev.unmatched_gold["located"].iloc[0])


def test_missing_values_compare_equal() -> None:
    gold = _frame([dict(quote="Tối thiểu 80% hồ sơ", value=80, value_high=math.nan, year=math.nan)])
    a, b = _span("80%")
    pred = _frame([dict(start=a, end=b, value=80, value_high=pd.NA, year=pd.NA)])
    ev = evaluate(gold, pred, {"d": TEXT})
    assert ev.field_accuracy["value_high"] == 1.0 and ev.field_accuracy["year"] == 1.0


def test_empty_predictions() -> None:
    gold = _frame([dict(quote="Tối thiểu 80% hồ sơ", value=80)])
    pred = pd.DataFrame(columns=["doc", "start", "end", "value", *SCORED_FIELDS])
    ev = evaluate(gold, pred, {"d": TEXT})
    assert ev.n_matched == 0 and math.isnan(ev.precision) and ev.f1 == 0.0


def test_command_prints_and_writes_json(tmp_path, capsys) -> None:
    import json

    from parstats.cli import main

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "d.txt").write_text(TEXT, encoding="utf-8")
    a, b = _span("80%")
    _frame([dict(quote="Tối thiểu 80% hồ sơ", value=80)]).to_csv(tmp_path / "gold.csv", index=False)
    _frame([dict(start=a, end=b, value=80)]).to_csv(tmp_path / "pred.csv", index=False)
    out_json = tmp_path / "scores.json"
    code = main(
        [
            "evaluate",
            "--gold",
            str(tmp_path / "gold.csv"),
            "--pred",
            str(tmp_path / "pred.csv"),
            "--docs",
            str(docs),
            "--json",
            str(out_json),
        ]
    )
    assert code == 0
    assert "f1 1.000" in capsys.readouterr().out
    figures = json.loads(out_json.read_text(encoding="utf-8"))
    assert figures["n_matched"] == 1 and figures["field_accuracy"]["unit"] == 1.0
    missing = main(
        [
            "evaluate",
            "--gold",
            str(tmp_path / "gold.csv"),
            "--pred",
            str(tmp_path / "nope.csv"),
            "--docs",
            str(docs),
        ]
    )
    assert missing == 2
