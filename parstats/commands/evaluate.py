"""``parstats evaluate``: score extracted targets against gold annotations."""

from __future__ import annotations

import argparse
from pathlib import Path

_WORST = 15


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``evaluate`` sub-command."""
    parser = subparsers.add_parser(
        "evaluate",
        help="score predicted targets against gold rows (precision, recall, field accuracy)",
        description="Score predicted targets against hand-annotated gold rows.",
    )
    parser.add_argument("--gold", required=True, type=Path, help="gold targets.csv")
    parser.add_argument(
        "--pred", required=True, type=Path, help="predicted targets (.csv or .parquet)"
    )
    parser.add_argument(
        "--docs", required=True, type=Path, help="folder with the documents' .txt texts"
    )
    parser.add_argument(
        "--json", type=Path, default=None, help="also write the figures to this JSON file"
    )
    parser.set_defaults(func=run)


def _read_table(path: Path):
    import pandas as pd

    from parstats.errors import InputError

    if not path.is_file():
        raise InputError(f"no such file: {path}", path=path)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.suffix == ".csv":
        return pd.read_csv(path)
    raise InputError("expected a .csv or .parquet file", path=path)


def _read_doc(path: Path) -> str:
    try:
        from parstats.extraction.decode import read_text
    except ImportError:  # pragma: no cover - the shared reader is part of the package
        from parstats.vn import nfc

        return nfc(path.read_text(encoding="utf-8"))
    return read_text(path)


def run(args: argparse.Namespace) -> int:
    """Score ``--pred`` against ``--gold``; print the figures and the worst misses."""
    from parstats.errors import InputError
    from parstats.evaluate import evaluate
    from parstats.io import write_json

    gold = _read_table(args.gold)
    pred = _read_table(args.pred)
    docs = sorted(set(gold["doc"].astype(str)) | set(pred["doc"].astype(str)))
    texts = {}
    for doc in docs:
        path = args.docs / f"{doc}.txt"
        if not path.is_file():
            raise InputError(f"no text for document {doc}", path=path)
        texts[doc] = _read_doc(path)
    result = evaluate(gold, pred, texts)
    print(result.summary())
    print("\nper document:")
    print(result.per_doc.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    if len(result.unmatched_gold):
        print(f"\nmissed gold rows ({len(result.unmatched_gold)}, first {_WORST}):")
        cols = ["doc", "quote", "value", "located"]
        print(result.unmatched_gold[cols].head(_WORST).to_string(index=False))
    if len(result.spurious):
        print(f"\nspurious predictions ({len(result.spurious)}, first {_WORST}):")
        cols = [c for c in ("doc", "quote", "value", "unit", "indicator") if c in result.spurious]
        print(result.spurious[cols].head(_WORST).to_string(index=False))
    if len(result.mismatches):
        counts = result.mismatches["field"].value_counts()
        print("\nfield mismatches among matched rows:")
        print(counts.to_string())
        print(result.mismatches.head(_WORST).to_string(index=False))
    if args.json is not None:
        write_json(args.json, result.to_dict())
    return 0
