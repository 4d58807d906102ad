"""The confidence model: its shipped fit holds no honest document, and the fast path agrees.

``scripts/fit_confidence.py`` fits the model; the honest set (``heldout3``, the real
documents marked ``untuned``, the kinds sample's test half) must stay out of the fit, or
the honest precision–recall table in ``tests/real/README.md`` is a training score.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from parstats.extraction import extract_document
from parstats.extraction.confidence import FEATURES, features, load_model, probability
from parstats.text import read_text

REPO = Path(__file__).resolve().parents[2]


def _fit_script():
    spec = importlib.util.spec_from_file_location(
        "fit_confidence", REPO / "scripts" / "fit_confidence.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(group: str, doc: str) -> dict:
    return {"group": group, "doc": doc, "x": (0,) * len(FEATURES), "y": 0, "default": True}


def test_shipped_model_was_fitted_without_an_honest_set() -> None:
    model = json.loads((REPO / "parstats/data/confidence_model.json").read_text("utf-8"))
    honest = set(_fit_script().HONEST_GROUPS)
    assert honest == {"heldout3", "real_untuned", "nonplan_test"}
    assert not honest & set(model["training_rows"])
    assert set(model["honest_rows"]) == honest
    assert model["features"] == list(FEATURES)


@pytest.mark.parametrize(
    ("row", "untuned", "test_half"),
    [
        (_row("heldout3", "plan_a"), set(), set()),
        (_row("real_tuning", "a49ef8a0da1f62dd"), {"a49ef8a0da1f62dd"}, set()),
        (_row("nonplan_dev", "5dbaef1b7c77d06c"), set(), {"5dbaef1b7c77d06c"}),
    ],
    ids=["heldout3", "untuned", "test-half"],
)
def test_a_training_row_from_an_honest_document_is_refused(row, untuned, test_half) -> None:
    check = _fit_script().check_no_leak
    with pytest.raises(ValueError, match=row["doc"]):
        check([_row("gold", "seed"), row], untuned=untuned, test_half=test_half)
    check([_row("gold", "seed")], untuned=untuned, test_half=test_half)


def test_each_number_gets_the_models_probability_of_its_own_features() -> None:
    """The per-sentence and per-vector shortcuts of ``confidence`` change no figure."""
    model = load_model()
    checked = 0
    for path in sorted((REPO / "data/raw/plans").glob("*.txt")):
        doc = extract_document(read_text(path))
        for sentence in doc.sentences:
            for number in sentence.numbers:
                if number.rejected is None:
                    assert number.confidence == probability(model, features(doc, number))
                    checked += 1
    assert checked >= 100
