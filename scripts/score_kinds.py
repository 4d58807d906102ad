"""Score :func:`parstats.kinds.classify` on the labelled real documents (issue 10, kinds).

Sets (texts from ``../shared/corpus/legal_vi_sample.parquet``, never copied here):

- ``tests/real/kinds_sample.csv`` (800 documents labelled from their first 350
  characters), split by :func:`split_kinds_sample` into a development half and a test
  half *before* any rule was written; rules were developed on ``dev`` only;
- ``tests/real/documents.csv`` (27 documents labelled blind from their full text), by
  their role in ``tests/real/selection.csv``: 21 ``tuning``, 6 ``untuned``;
- the plans parstats ships (``data/raw/plans``) and the held-out plans
  (``tests/heldout*/plans``): every one should set commitments.

Usage::

    python scripts/score_kinds.py [--set dev|test|tuning|untuned|plans|all] [--errors]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "legal_vi_sample.parquet"
SPLIT_SEED = 20261207
COMMIT = {"plan", "directive", "decision_commitments"}


def split_kinds_sample(labels: pd.DataFrame, seed: int = SPLIT_SEED) -> pd.Series:
    """Return ``dev`` or ``test`` per row: seeded order inside each kind, alternating.

    Rows are sorted by ``doc_id``, given a seeded random order, and, kind by kind in
    that order, sent to ``dev`` and ``test`` in turn (so both halves hold every kind
    with at least two documents).
    """
    frame = labels.sort_values("doc_id").reset_index()
    frame["order"] = np.random.default_rng(seed).permutation(len(frame))
    frame = frame.sort_values(["kind", "order"])
    half = np.where(frame.groupby("kind").cumcount() % 2 == 0, "dev", "test")
    return pd.Series(half, index=frame["index"]).sort_index()


def labelled_sets(repo: Path = REPO) -> dict[str, pd.DataFrame]:
    """Return each labelled set as doc_id, kind, confidence."""
    sample = pd.read_csv(repo / "tests/real/kinds_sample.csv", dtype=str)
    sample["half"] = split_kinds_sample(sample)
    docs = pd.read_csv(repo / "tests/real/documents.csv", dtype=str).rename(
        columns={"doc": "doc_id"}
    )
    roles = pd.read_csv(repo / "tests/real/selection.csv", dtype=str)[["doc_id", "role"]]
    docs = docs.merge(roles, on="doc_id")
    docs["confidence"] = "high"
    cols = ["doc_id", "kind", "confidence"]
    return {
        "dev": sample[sample.half == "dev"][cols],
        "test": sample[sample.half == "test"][cols],
        "tuning": docs[docs.role == "tuning"][cols],
        "untuned": docs[docs.role == "untuned"][cols],
    }


def predict(texts: pd.Series) -> pd.DataFrame:
    """Return doc_id, predicted kind and reason for texts indexed by doc_id."""
    from parstats.kinds import classify

    rows = []
    for doc_id, text in texts.items():
        k = classify(text)
        rows.append({"doc_id": doc_id, "pred": k.kind, "reason": k.reason})
    return pd.DataFrame(rows)


def score(frame: pd.DataFrame) -> dict[str, float]:
    """Accuracy, and precision/recall of "sets commitments"."""
    gold = frame.kind.isin(COMMIT)
    pred = frame.pred.isin(COMMIT)
    tp = int((gold & pred).sum())
    return {
        "n": len(frame),
        "accuracy": float((frame.kind == frame.pred).mean()),
        "accuracy_high": float(
            (frame.kind == frame.pred)[frame.confidence == "high"].mean()
        ),
        "commit_gold": int(gold.sum()),
        "commit_pred": int(pred.sum()),
        "commit_precision": tp / pred.sum() if pred.sum() else float("nan"),
        "commit_recall": tp / gold.sum() if gold.sum() else float("nan"),
        "noncommit_flagged": float((pred & ~gold).sum() / max(1, (~gold).sum())),
    }


def plans_frame(repo: Path = REPO) -> pd.DataFrame:
    """Return the predictions for the shipped and held-out plans (label ``plan``)."""
    from parstats.extraction.decode import read_text

    files = sorted((repo / "data/raw/plans").glob("*.txt")) + sorted(
        repo.glob("tests/heldout*/plans/*.txt")
    )
    texts = pd.Series({f.relative_to(repo).as_posix(): read_text(f) for f in files})
    out = predict(texts)
    out["kind"] = "plan"
    out["confidence"] = "high"
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the scores (and, with ``--errors``, every miss) of the chosen sets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="all")
    parser.add_argument("--errors", action="store_true", help="list the misclassified rows")
    args = parser.parse_args(argv)
    if not CORPUS.is_file():
        print(f"corpus not found at {CORPUS}; nothing to score", file=sys.stderr)
        return 1
    import pyarrow.parquet as pq

    corpus = pq.read_table(CORPUS, columns=["doc_id", "text"]).to_pandas().set_index("doc_id")
    sets = labelled_sets()
    names = list(sets) + ["plans"] if args.set == "all" else [args.set]
    for name in names:
        if name == "plans":
            frame = plans_frame()
        else:
            labels = sets[name]
            frame = labels.merge(predict(corpus.text.loc[labels.doc_id]), on="doc_id")
        s = score(frame)
        print(f"== {name}: " + ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in s.items()
        ))
        print(pd.crosstab(frame.kind, frame.pred, rownames=["label"], colnames=["predicted"]))
        if args.errors:
            for _, r in frame[frame.kind != frame.pred].iterrows():
                print(f"  {r.doc_id} {r.kind} -> {r.pred} [{r.confidence}] {r.reason[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
