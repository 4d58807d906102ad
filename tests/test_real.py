"""Score the extractor on real documents annotated blind (``tests/real/``, issue 10).

The texts are not in the repository: they are read from the corpus sample
``../shared/corpus/legal_vi_sample.parquet`` by ``doc_id`` and checked against the
sha256 recorded in ``tests/real/selection.csv``. Without the corpus these tests skip.

Documents go the default way (``parstats extract`` / ``build``): the kind decision
(:func:`parstats.kinds.decide`), then the extractor for documents whose kind sets
commitments. The bars of issue 10: F1 at least 0.90 on the documents marked
``tuning`` and on all 27 (first blind score: 0.150), area accuracy at least 0.85 on
the digital-government and digital-economy documents, and at most 3% of the corpus
sample's non-plan documents (``kinds_sample.csv``) yielding a target. The 6
``untuned`` documents are scored and printed, never tuned on; none has a gold row.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from parstats.evaluate import Evaluation, evaluate
from parstats.io import sha256_bytes
from parstats.kinds import decide
from parstats.targets import extract_targets, targets_frame
from parstats.vn import nfc

REAL = Path(__file__).resolve().parent / "real"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "legal_vi_sample.parquet"
F1_BAR = 0.90
AREA_BAR = 0.85
NON_PLAN_BAR = 0.03
COMMITMENT_KINDS = {"plan", "directive", "decision_commitments"}
SON_LA = "f1e0981425ec38be"  # the export plan holding 358 of the 400 gold rows


def split_kinds_sample(labels: pd.DataFrame) -> pd.Series:
    """``scripts/score_kinds.py``'s seeded dev/test split of ``kinds_sample.csv``."""
    path = Path(__file__).resolve().parents[1] / "scripts" / "score_kinds.py"
    spec = importlib.util.spec_from_file_location("score_kinds", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.split_kinds_sample(labels)


def _corpus() -> pd.DataFrame:
    if not CORPUS.exists():
        pytest.skip(f"real-document tests need the corpus sample at {CORPUS} (not shipped)")
    return pd.read_parquet(CORPUS, columns=["doc_id", "sha256", "text"]).set_index("doc_id")


def corpus_texts(ids: list[str]) -> dict[str, str]:
    """The NFC texts of ``ids`` from the corpus, each checked against its recorded hash."""
    frame = _corpus()
    selection = pd.read_csv(REAL / "selection.csv", dtype=str).set_index("doc_id")
    texts = {}
    for doc in ids:
        text = frame.at[doc, "text"]
        assert sha256_bytes(text.encode("utf-8")) == selection.at[doc, "sha256"], doc
        texts[doc] = nfc(text)
    return texts


def _predict(texts: dict[str, str], *, all_kinds: bool) -> pd.DataFrame:
    frames = [
        targets_frame(doc, extract_targets(text))
        for doc, text in texts.items()
        if all_kinds or decide(text).keep_targets
    ]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def real() -> tuple[dict[str, str], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    documents = pd.read_csv(REAL / "documents.csv", dtype=str, keep_default_na=False)
    selection = pd.read_csv(REAL / "selection.csv", dtype=str)
    texts = corpus_texts(documents["doc"].tolist())
    gold = pd.read_csv(REAL / "targets.csv")
    return texts, _predict(texts, all_kinds=False), gold, selection


def _score(real, role: str | None, pred: pd.DataFrame | None = None) -> Evaluation:
    texts, default, gold, selection = real
    pred = default if pred is None else pred
    ids = list(texts) if role is None else selection.loc[selection.role == role, "doc_id"].tolist()
    return evaluate(
        gold[gold["doc"].isin(ids)], pred[pred["doc"].isin(ids)], {d: texts[d] for d in ids}
    )


def test_every_gold_row_is_located(real) -> None:
    result = _score(real, None)
    lost = result.unmatched_gold
    assert result.n_gold == 400
    assert not len(lost) or bool(lost["located"].all()), lost[~lost["located"]]


@pytest.mark.parametrize("role", ["tuning", None], ids=["tuning", "all"])
def test_real_f1_bar(real, role: str | None) -> None:
    result = _score(real, role)
    print(f"\n[real, {role or 'all 27'}, default kinds] " + result.summary())
    every_kind = _score(real, role, _predict(real[0], all_kinds=True))
    print(f"[real, {role or 'all 27'}, --all-kinds] " + every_kind.summary().split("\n")[0])
    texts, default, gold, selection = real
    ids = list(texts) if role is None else selection.loc[selection.role == role, "doc_id"]
    ids = [d for d in ids if d != SON_LA]
    without = evaluate(
        gold[gold["doc"].isin(ids)], default[default["doc"].isin(ids)], {d: texts[d] for d in ids}
    )
    print(f"[real, {role or 'all 27'}, without Sơn La] " + without.summary().split("\n")[0])
    assert result.f1 >= F1_BAR, (result.precision, result.recall)


def test_real_untuned(real) -> None:
    """The 6 documents never tuned on: F1 >= 0.90, else an expected failure with the figure.

    None of the 6 has a gold target (two plans without numbers, legal norms, a report), so
    a single returned target makes precision 0 and F1 0; the count is the measure.
    """
    result = _score(real, "untuned")
    print(
        f"\n[real, untuned] gold {result.n_gold}, predicted {result.n_pred}, "
        f"matched {result.n_matched}"
    )
    if result.n_gold == 0 and result.n_pred == 0:
        return
    if not result.f1 >= F1_BAR:
        pytest.xfail(
            f"untuned real documents: F1 {result.f1:.3f} < {F1_BAR} (gold {result.n_gold}, "
            f"predicted {result.n_pred}, matched {result.n_matched}); not tuned on by rule"
        )


def test_area_on_the_digital_documents(real) -> None:
    texts, default, gold, selection = real
    digital = selection.loc[selection.reason.str.contains("digital"), "doc_id"].tolist()
    result = evaluate(
        gold[gold["doc"].isin(digital)],
        default[default["doc"].isin(digital)],
        {d: texts[d] for d in digital},
    )
    print(
        f"\n[real, digital documents] area {result.field_accuracy['area']:.3f} "
        f"over {result.n_matched} matched rows"
    )
    assert result.n_matched >= 30
    assert result.field_accuracy["area"] >= AREA_BAR


def test_non_plan_documents_of_the_corpus_sample_yield_no_target() -> None:
    """At most 3% of non-plan documents yield a target: on all 794 and on the test half.

    The test half (``scripts/score_kinds.py``'s split) is the one no kind rule and no
    confidence coefficient was fitted on.
    """
    frame = _corpus()
    labels = pd.read_csv(REAL / "kinds_sample.csv", dtype=str)
    labels["half"] = split_kinds_sample(labels)
    non_plan = labels[~labels["kind"].isin(COMMITMENT_KINDS)]
    assert len(non_plan) >= 500
    yielding = []
    for doc_id in non_plan["doc_id"]:
        text = nfc(frame.at[doc_id, "text"])
        if decide(text).keep_targets and extract_targets(text):
            yielding.append(doc_id)
    share = len(yielding) / len(non_plan)
    test_half = non_plan[non_plan["half"] == "test"]
    test_share = test_half["doc_id"].isin(yielding).sum() / len(test_half)
    print(
        f"\n[non-plan] {len(yielding)} of {len(non_plan)} ({share:.1%}) yield a target: "
        f"{yielding}; test half {test_share:.1%} of {len(test_half)}"
    )
    assert share <= NON_PLAN_BAR
    assert test_share <= NON_PLAN_BAR
