"""Pick the real documents to annotate blind, with a fixed seed (issue 10, "Data").

The corpus sample (``../shared/corpus/legal_vi_sample.parquet``) is not the project's:
its texts are never copied into the repository. This script writes only document ids,
hashes and the reason each was picked (``tests/real/selection.csv``), and, on request,
the texts to a folder *outside* the repository for the annotators.

Rules (in this order, so anyone can re-derive the list):

1. An *administrative document* carries the national motto header ("CỘNG HÒA XÃ HỘI
   CHỦ NGHĨA VIỆT NAM", in capitals, then "Độc lập") in its first 3,000 characters.
   Documents over 60,000 characters are left out (a blind annotation of one must fit
   in a working session).
2. *Numbers first*: candidates are ranked by stratum — at least 3 percentages, then 1–2,
   then none — and, inside a stratum, by a seeded random order (seed 20261206).
3. The issue sets an area bar on digital-government and digital-economy documents, so
   administrative documents whose title block names digital transformation, digital
   government or the digital economy, with at least one percentage, come first
   (at most ``--digital`` of them), in the same seeded order.
4. The first ``--n`` documents form the set; ``--holdout`` of them (every k-th, counted
   in that order) are marked ``untuned``: scored, never used to change a rule.
5. Batch 2 (``--batch 2``; batch 1 held mostly legal texts with no targets): every
   administrative document not in batch 1 whose title block names a plan ("KẾ HOẠCH",
   "CHƯƠNG TRÌNH", "ĐỀ ÁN", "LỘ TRÌNH"), in the same seeded order, appended to the file
   with ``batch`` = 2; ``--holdout2`` of them are ``untuned`` as in rule 4.

Usage::

    python scripts/select_real_documents.py --n 16 --holdout 4 \
        --texts-to /tmp/annot/docs     # texts outside the repository, for annotators
    python scripts/select_real_documents.py --batch 2   # batch 1 and batch 2 (the list committed)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "legal_vi_sample.parquet"
SEED = 20261206
COLUMNS = ["doc_id", "sha256", "n_chars", "percentages", "stratum", "reason", "role"]
MAX_CHARS = 60_000
MOTTO = re.compile(r"CỘNG\W+H[OÒ][AÀ]\W+XÃ\W+HỘI\W+CHỦ\W+NGHĨA\W+VIỆT\W+NAM\W{0,12}Độc\s+lập")
PERCENT = re.compile(r"\d(?:[\d.,]*\d)?\s*%")
PLAN_TITLE = re.compile(r"\b(?:KẾ HOẠCH|CHƯƠNG TRÌNH|ĐỀ ÁN|LỘ TRÌNH)\b")
DIGITAL = re.compile(
    r"chuyển đổi số|chính phủ số|chính quyền số|kinh tế số|chính phủ điện tử|"
    r"chính quyền điện tử|dịch vụ công trực tuyến",
    re.IGNORECASE,
)


def select(corpus: pd.DataFrame, n: int, holdout: int, digital: int) -> pd.DataFrame:
    """Return the selection table: doc_id, sha256, n_chars, stratum, reason, role."""
    head = corpus["text"].str.slice(0, 3000)
    admin = head.str.contains(MOTTO) & (corpus["n_chars"] <= MAX_CHARS)
    pct = corpus["text"].str.count(PERCENT.pattern)
    title_block = corpus["text"].str.slice(0, 1500)
    is_digital = title_block.str.contains(DIGITAL.pattern, case=False, regex=True)
    rng = np.random.default_rng(SEED)
    frame = corpus.loc[:, ["doc_id", "sha256", "n_chars"]].assign(
        percentages=pct,
        digital=is_digital,
        order=rng.permutation(len(corpus)),
    )[admin]
    frame["stratum"] = np.select([frame.percentages >= 3, frame.percentages >= 1], [1, 2], 3)
    frame = frame.sort_values(["stratum", "order"], kind="stable")
    first = frame[frame.digital & (frame.percentages >= 1)].head(digital)
    rest = frame.drop(first.index)
    chosen = pd.concat([first, rest]).head(n).reset_index(drop=True)
    chosen["reason"] = np.where(
        chosen.index < len(first),
        "digital title, at least one percentage",
        "administrative, stratum " + chosen.stratum.astype(str),
    )
    step = max(1, n // max(holdout, 1))
    chosen["role"] = "tuning"
    if holdout:
        chosen.loc[chosen.index[step - 1 :: step][:holdout], "role"] = "untuned"
    return chosen.loc[:, COLUMNS]


def select_plans(corpus: pd.DataFrame, exclude: set[str], holdout: int) -> pd.DataFrame:
    """Batch 2: administrative documents whose title block names a plan (rule 5)."""
    head = corpus["text"].str.slice(0, 3000)
    admin = head.str.contains(MOTTO) & (corpus["n_chars"] <= MAX_CHARS)
    title = (
        corpus["text"].str.slice(0, 2500)
        .str.replace(r"[*#|]", " ", regex=True)
        .str.replace(r"\s+", " ", regex=True)
    )
    planlike = title.str.contains(PLAN_TITLE.pattern, regex=True)
    rng = np.random.default_rng(SEED)
    frame = corpus.loc[:, ["doc_id", "sha256", "n_chars"]].assign(
        percentages=corpus["text"].str.count(PERCENT.pattern),
        order=rng.permutation(len(corpus)),
    )[admin & planlike & ~corpus["doc_id"].isin(exclude)]
    chosen = frame.sort_values("order", kind="stable").reset_index(drop=True)
    chosen["stratum"] = 0
    chosen["reason"] = "administrative, plan title"
    chosen["role"] = "tuning"
    if holdout:
        step = max(1, len(chosen) // holdout)
        chosen.loc[chosen.index[step - 1 :: step][:holdout], "role"] = "untuned"
    return chosen.loc[:, COLUMNS]


def main(argv: list[str] | None = None) -> int:
    """Write ``tests/real/selection.csv`` and, optionally, the texts for annotators."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--n", type=int, default=16)
    parser.add_argument("--holdout", type=int, default=4)
    parser.add_argument("--digital", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "real" / "selection.csv")
    parser.add_argument("--texts-to", type=Path, help="folder outside the repository")
    parser.add_argument("--batch", type=int, choices=(1, 2), default=1)
    parser.add_argument("--holdout2", type=int, default=2, help="untuned documents of batch 2")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    corpus = pd.read_parquet(args.corpus)
    first = select(corpus, args.n, args.holdout, args.digital).assign(batch=1)
    chosen = first
    if args.batch == 2:
        chosen = select_plans(corpus, set(first.doc_id), args.holdout2).assign(batch=2)
        first = pd.concat([first, chosen], ignore_index=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    first.to_csv(args.out, index=False, lineterminator="\n")
    print(chosen.to_string(index=False))
    if args.texts_to:
        target = args.texts_to.resolve()
        if REPO in (target, *target.parents):
            print("--texts-to must be outside the repository", file=sys.stderr)
            return 2
        target.mkdir(parents=True, exist_ok=True)
        texts = corpus.set_index("doc_id")["text"]
        for doc_id in chosen.doc_id:
            (target / f"{doc_id}.txt").write_text(texts[doc_id], encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
