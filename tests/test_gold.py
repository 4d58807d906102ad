"""Extract the five seed plans and score them against the hand-annotated gold rows."""

from __future__ import annotations

import pandas as pd
import pytest

from parstats.evaluate import SCORED_FIELDS, evaluate
from parstats.targets import extract_targets, targets_frame
from parstats.text import read_text

F1_BAR = 0.95
FIELD_BAR = 0.95
INDICATOR_BAR = 0.90


@pytest.fixture(scope="module")
def scored(repo):
    plans = sorted((repo / "data" / "raw" / "plans").glob("*.txt"))
    texts = {p.stem: read_text(p) for p in plans}
    pred = pd.concat(
        [targets_frame(doc, extract_targets(text)) for doc, text in texts.items()],
        ignore_index=True,
    )
    gold = pd.read_csv(repo / "data" / "raw" / "gold" / "targets.csv")
    result = evaluate(gold, pred, texts)
    print("\n" + result.summary())
    print(result.per_doc.to_string(index=False))
    return result


def test_f1(scored) -> None:
    assert scored.f1 >= F1_BAR, scored.unmatched_gold[["doc", "quote", "value"]]


@pytest.mark.parametrize("field", SCORED_FIELDS)
def test_field_accuracy(scored, field: str) -> None:
    bar = INDICATOR_BAR if field == "indicator" else FIELD_BAR
    wrong = scored.mismatches[scored.mismatches["field"] == field]
    assert scored.field_accuracy[field] >= bar, wrong
