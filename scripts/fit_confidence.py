"""Fit the confidence model of the extractor and write it as package data (issue 10 §2).

Every target the extractor returns gets the probability that it is a true target
(:mod:`parstats.extraction.confidence`). This script fits that logistic model over
the targets' rule features, on the annotated sets:

- the seed gold (``data/raw/gold``) and the held-out sets (``tests/heldout*``) but
  ``heldout3`` (kept for the honest check);
- the real documents marked ``tuning`` in ``tests/real/selection.csv`` (texts from
  ``../shared/corpus``), every kind kept (``--all-kinds``);
- the non-plan documents (not plan, directive or decision with commitments) of the
  development half of ``tests/real/kinds_sample.csv`` (``scripts/score_kinds.py``'s
  split): every target extracted from them is false.

A target is true when it matches a gold row (:func:`parstats.evaluate.evaluate`). The
fit is a ridge-penalised logistic regression (statsmodels ``GLM`` binomial,
``fit_regularized`` with ``L1_wt=0``): some features separate the classes perfectly
(a baseline is never false in these sets), where plain maximum likelihood diverges.

It prints a precision–recall table by threshold: on the training sets by 5-fold
cross-validation grouped by document, and on the honest set, which no rule and no
coefficient was fitted on: ``heldout3``, the ``untuned`` real documents and the
non-plan documents of the kinds sample's test half. The honest table is given for the
default path (``parstats extract``/``build``: documents whose kind sets no commitment
yield no target, so they never reach ``parstats review``) and with every kind kept.
Before fitting, :func:`check_no_leak` refuses a training set holding an honest
document. ``--write`` saves the model to ``parstats/data/confidence_model.json``
(features, coefficients, penalty, the sets and their sizes, and the tables).

Usage::

    python scripts/fit_confidence.py [--write] [--no-corpus]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

CORPUS = REPO.parent / "shared" / "corpus" / "legal_vi_sample.parquet"
MODEL = REPO / "parstats" / "data" / "confidence_model.json"
ALPHA = 0.01
FOLDS = 5
THRESHOLDS = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95)
TRAIN_HELDOUT = ("heldout", "heldout2", "heldout4", "heldout5", "heldout6", "heldout7",
                 "heldout8", "heldout9")
COMMIT = {"plan", "directive", "decision_commitments"}


def _rows(texts: dict[str, str], gold, group: str) -> list[dict]:
    """Return one row per extracted target: set, document, features and whether it is true.

    ``default`` says whether the document's kind keeps its targets on the default path
    (:func:`parstats.kinds.decide`).
    """
    import pandas as pd

    from parstats.evaluate import evaluate
    from parstats.extraction import extract_document, targets_frame
    from parstats.extraction.confidence import features
    from parstats.kinds import decide

    frames, feats = [], []
    for doc_id, text in texts.items():
        doc = extract_document(text)
        by_target = {}
        for sentence in doc.sentences:
            for number in sentence.numbers:
                if number.rejected is None:
                    x = features(doc, number)
                    for target in number.targets:
                        by_target[id(target)] = x
        frames.append(targets_frame(doc_id, doc.targets))
        feats.extend(by_target[id(t)] for t in doc.targets)
    pred = pd.concat(frames, ignore_index=True)
    if gold is None:
        true = [False] * len(pred)
    else:
        result = evaluate(gold, pred, texts)
        spurious = set(result.spurious.index)
        true = [j not in spurious for j in range(len(pred))]
    kept = {doc_id: decide(text).keep_targets for doc_id, text in texts.items()}
    return [
        {"group": group, "doc": str(pred.at[j, "doc"]), "x": feats[j], "y": int(true[j]),
         "default": kept[str(pred.at[j, "doc"])]}
        for j in range(len(pred))
    ]


def _gold_count(gold) -> int:
    return 0 if gold is None else len(gold)


def load_sets(use_corpus: bool = True) -> tuple[list[dict], list[dict], int, int]:
    """Return the training rows, the honest-check rows and each side's number of gold rows."""
    import pandas as pd

    from parstats.text import read_text

    train: list[dict] = []
    check: list[dict] = []
    n_gold_train = n_gold_check = 0

    def folder_set(plans: Path, gold_path: Path, group: str, into: list[dict]) -> int:
        gold = pd.read_csv(gold_path)
        texts = {p.stem: read_text(p) for p in sorted(plans.glob("*.txt"))}
        texts = {k: v for k, v in texts.items() if k in set(gold["doc"]) or group != "gold"}
        into.extend(_rows(texts, gold, group))
        return _gold_count(gold)

    n_gold_train += folder_set(REPO / "data/raw/plans", REPO / "data/raw/gold/targets.csv",
                               "gold", train)
    for name in TRAIN_HELDOUT:
        folder = REPO / "tests" / name
        n_gold_train += folder_set(folder / "plans", folder / "targets.csv", name, train)
    folder = REPO / "tests" / "heldout3"
    n_gold_check += folder_set(folder / "plans", folder / "targets.csv", "heldout3", check)
    if use_corpus and CORPUS.is_file():
        from score_kinds import split_kinds_sample

        from parstats.vn import nfc

        corpus = pd.read_parquet(CORPUS, columns=["doc_id", "text"]).set_index("doc_id")
        selection = pd.read_csv(REPO / "tests/real/selection.csv", dtype=str)
        gold = pd.read_csv(REPO / "tests/real/targets.csv")
        for role, into in (("tuning", train), ("untuned", check)):
            ids = selection.loc[selection.role == role, "doc_id"].tolist()
            texts = {d: nfc(corpus.at[d, "text"]) for d in ids}
            part = gold[gold["doc"].isin(ids)]
            into.extend(_rows(texts, part, f"real_{role}"))
            GOLD_ROWS[f"real_{role}"] = len(part)
            if role == "tuning":
                n_gold_train += len(part)
            else:
                n_gold_check += len(part)
        labels = pd.read_csv(REPO / "tests/real/kinds_sample.csv", dtype=str)
        labels["half"] = split_kinds_sample(labels)
        for half, into in (("dev", train), ("test", check)):
            part = labels[(labels.half == half) & ~labels.kind.isin(COMMIT)]
            texts = {d: nfc(corpus.at[d, "text"]) for d in part.doc_id}
            into.extend(_rows(texts, None, f"nonplan_{half}"))
        check_no_leak(
            train,
            untuned=set(selection.loc[selection.role == "untuned", "doc_id"]),
            test_half=set(labels.loc[labels.half == "test", "doc_id"]),
        )
    else:
        check_no_leak(train, untuned=set(), test_half=set())
    return train, check, n_gold_train, n_gold_check


HONEST_GROUPS = ("heldout3", "real_untuned", "nonplan_test")
GOLD_ROWS: dict[str, int] = {}
"""Gold rows of the real documents by role (filled by :func:`load_sets`)."""


def check_no_leak(train: list[dict], untuned: set[str], test_half: set[str]) -> None:
    """Raise ``ValueError`` if a training row comes from a document of the honest set.

    The honest set is ``heldout3``, the real documents marked ``untuned`` and the
    kinds sample's test half; a training row of one of them would make the honest
    precision–recall table a training score.
    """
    leaked = sorted(
        {(r["group"], r["doc"]) for r in train
         if r["group"] in HONEST_GROUPS or r["doc"] in untuned or r["doc"] in test_half}
    )
    if leaked:
        raise ValueError(f"honest documents in the confidence model's training rows: {leaked}")


def fit(rows: list[dict], alpha: float = ALPHA) -> tuple[float, list[float]]:
    """Return the intercept and coefficients of a ridge logistic fit of ``rows``."""
    import numpy as np
    import statsmodels.api as sm

    x = np.array([r["x"] for r in rows], dtype=float)
    y = np.array([r["y"] for r in rows], dtype=float)
    design = sm.add_constant(x, has_constant="add")
    result = sm.GLM(y, design, family=sm.families.Binomial()).fit_regularized(
        alpha=alpha, L1_wt=0.0
    )
    params = [float(v) for v in result.params]
    return params[0], params[1:]


def _predict(intercept: float, coefs: list[float], x: tuple[int, ...]) -> float:
    from parstats.extraction.confidence import Model, probability

    return probability(Model((), intercept, tuple(coefs)), x)


def pr_table(rows: list[dict], probs: list[float], n_gold: int) -> list[dict]:
    """Return precision and recall of the targets kept at each threshold."""
    out = []
    for t in THRESHOLDS:
        kept = [r for r, p in zip(rows, probs, strict=True) if p >= t]
        tp = sum(r["y"] for r in kept)
        out.append(
            {
                "threshold": t,
                "kept": len(kept),
                "true": tp,
                "precision": round(tp / len(kept), 3) if kept else None,
                "recall": round(tp / n_gold, 3) if n_gold else None,
            }
        )
    return out


def cross_validate(rows: list[dict]) -> list[float]:
    """Return out-of-fold probabilities, folds grouped by document (in sorted order)."""
    docs = sorted({(r["group"], r["doc"]) for r in rows})
    fold_of = {d: k % FOLDS for k, d in enumerate(docs)}
    probs = [0.0] * len(rows)
    for k in range(FOLDS):
        train = [r for r in rows if fold_of[(r["group"], r["doc"])] != k]
        intercept, coefs = fit(train)
        for i, r in enumerate(rows):
            if fold_of[(r["group"], r["doc"])] == k:
                probs[i] = _predict(intercept, coefs, r["x"])
    return probs


def _show(title: str, table: list[dict]) -> None:
    print(f"\n{title}\n| threshold | kept | true | precision | recall |\n|---|---|---|---|---|")
    for row in table:
        print(f"| {row['threshold']:.2f} | {row['kept']} | {row['true']} | "
              f"{row['precision']} | {row['recall']} |")


def main(argv: list[str] | None = None) -> int:
    """Fit, report, and with ``--write`` save the model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="save the model as package data")
    parser.add_argument("--no-corpus", action="store_true", help="leave the corpus sets out")
    args = parser.parse_args(argv)
    from parstats.extraction.confidence import FEATURES

    train, check, n_gold_train, n_gold_check = load_sets(not args.no_corpus)
    n_gold_real = GOLD_ROWS.get("real_tuning", 0)
    groups: dict[str, list[int]] = {}
    for r in train + check:
        counts = groups.setdefault(r["group"], [0, 0])
        counts[r["y"]] += 1
    print("rows by set (false, true):", groups)
    intercept, coefs = fit(train)
    print("\nintercept", round(intercept, 3))
    for name, b in zip(FEATURES, coefs, strict=True):
        print(f"  {name:<22} {b:+.3f}")
    cv_probs = cross_validate(train)
    cv = pr_table(train, cv_probs, n_gold_train)
    real = [(r, p) for r, p in zip(train, cv_probs, strict=True) if r["group"] == "real_tuning"]
    cv_real = pr_table([r for r, _ in real], [p for _, p in real], n_gold_real)
    probs = [_predict(intercept, coefs, r["x"]) for r in check]
    default = [(r, p) for r, p in zip(check, probs, strict=True) if r["default"]]
    honest = pr_table([r for r, _ in default], [p for _, p in default], n_gold_check)
    honest_all = pr_table(check, probs, n_gold_check)
    _show("training sets, 5-fold cross-validation by document", cv)
    _show("honest set (heldout3, untuned real documents, non-plan test half), default path",
          honest)
    _show("honest set, every kind kept (--all-kinds)", honest_all)
    _show("real tuning documents, every kind kept, out-of-fold coefficients (rules tuned on them)",
          cv_real)
    if args.write:
        model = {
            "features": list(FEATURES),
            "intercept": round(intercept, 6),
            "coefficients": [round(b, 6) for b in coefs],
            "fit": f"statsmodels GLM binomial, fit_regularized(L1_wt=0, alpha={ALPHA:g})",
            "training_rows": {k: {"false": v[0], "true": v[1]} for k, v in groups.items()
                              if k not in HONEST_GROUPS},
            "honest_rows": {k: {"false": v[0], "true": v[1]} for k, v in groups.items()
                            if k in HONEST_GROUPS},
            "pr_cross_validated": cv,
            "pr_cross_validated_real_tuning": cv_real,
            "pr_honest_check": honest,
            "pr_honest_check_all_kinds": honest_all,
        }
        MODEL.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nwrote {MODEL.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
