"""Check that a change to the extractor leaves every output byte-identical.

Usage::

    python benchmarks/check_identical.py record [--baseline FILE] [--no-corpus]
    python benchmarks/check_identical.py check  [--baseline FILE] [--no-corpus]

``record`` writes a baseline; ``check`` recomputes and compares against it,
printing the first rows that differ. ``--ignore-columns rules`` compares every
frame and processed table without those columns (a commit that adds a column
and changes nothing else). What is compared:

- the sha256 of every file of ``data/processed`` after ``parstats build``;
- the full targets frame (every column, every row) extracted from each seed
  plan (``data/raw/plans``) and each plan of every held-out set
  (``tests/heldout*/plans``), and the metadata of each;
- the gold and held-out scores (:func:`parstats.evaluate.evaluate` summaries,
  every field; implied by identical frames, printed for the record);
- the targets of 300 varied copies of the seed plans (``bench_extract.py``'s
  generator, with CRLF, BOM, UTF-16 and Windows-1258 copies);
- unless ``--no-corpus``: the targets of every text of the real corpus sample
  ``../shared/corpus/legal_vi_sample.parquet`` (skipped with a message when absent).

Frames are compared by a hash of their CSV form, and in full (pickled beside
the baseline) to show the first differing rows. Exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

CORPUS = REPO.parent / "shared" / "corpus" / "legal_vi_sample.parquet"
DEFAULT_BASELINE = Path(tempfile.gettempdir()) / "parstats-identity" / "baseline.json"


IGNORED: tuple[str, ...] = ()


def _strip(frame):
    return frame.drop(columns=[c for c in IGNORED if c in frame.columns])


def _frame_hash(frame) -> str:
    return hashlib.sha256(_strip(frame).to_csv(index=False).encode("utf-8")).hexdigest()


def _extract_texts(texts: dict[str, str]):
    """Return the targets frame of every text, one frame for all, in key order."""
    import pandas as pd

    from parstats.extraction import extract_targets, targets_frame

    frames = [targets_frame(doc, extract_targets(text)) for doc, text in texts.items()]
    return pd.concat(frames, ignore_index=True) if frames else None


def _metadata(texts: dict[str, str]) -> dict[str, str]:
    from parstats.extraction.metadata import extract_metadata

    return {doc: repr(extract_metadata(text)) for doc, text in texts.items()}


def _processed_hashes() -> dict[str, str]:
    done = subprocess.run(
        [str(REPO / ".venv" / "bin" / "parstats"), "build"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"parstats build failed:\n{done.stdout}\n{done.stderr}")
    out = {}
    for path in sorted((REPO / "data" / "processed").iterdir()):
        if path.is_file() and path.name != ".gitkeep":
            out[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _sets() -> dict[str, Path]:
    sets = {"seed": REPO / "data" / "raw" / "plans"}
    for folder in sorted((REPO / "tests").glob("heldout*")):
        if (folder / "plans").is_dir():
            sets[folder.name] = folder / "plans"
    return sets


def _scores(frames: dict[str, object], texts: dict[str, dict[str, str]]) -> dict[str, str]:
    import pandas as pd

    from parstats.evaluate import evaluate

    out = {}
    for name, frame in frames.items():
        gold_path = (
            REPO / "data" / "raw" / "gold" / "targets.csv"
            if name == "seed"
            else REPO / "tests" / name / "targets.csv"
        )
        if gold_path.exists() and frame is not None:
            result = evaluate(pd.read_csv(gold_path), frame, texts[name])
            out[name] = result.summary()
    return out


def _bench_corpus_frame():
    from bench_extract import make_corpus

    from parstats.extraction.decode import decode_bytes

    with tempfile.TemporaryDirectory(prefix="parstats-ident-") as tmp:
        folder = Path(tmp)
        make_corpus(folder, 300)
        texts = {
            f.stem: decode_bytes(f.read_bytes(), name=f.name).text
            for f in sorted(folder.glob("*.txt"))
        }
    return _extract_texts(texts)


def _corpus_frame():
    import pandas as pd

    table = pd.read_parquet(CORPUS, columns=["doc_id", "text"])
    texts = dict(zip(table["doc_id"], table["text"], strict=True))
    return _extract_texts(texts)


def compute(corpus: bool) -> tuple[dict, dict]:
    """Return (hashes and summaries, full frames) of every output compared."""
    from parstats.extraction.decode import read_text

    result: dict = {"processed": _processed_hashes(), "frames": {}, "metadata": {}}
    frames: dict = {}
    texts: dict[str, dict[str, str]] = {}
    for name, folder in _sets().items():
        texts[name] = {p.stem: read_text(p) for p in sorted(folder.glob("*.txt"))}
        frames[name] = _extract_texts(texts[name])
        result["metadata"][name] = _metadata(texts[name])
    result["scores"] = _scores(frames, texts)
    frames["bench300"] = _bench_corpus_frame()
    if corpus:
        if CORPUS.exists():
            frames["corpus"] = _corpus_frame()
        else:
            print(f"corpus sample not found at {CORPUS}: its targets are not compared")
    for name, frame in frames.items():
        result["frames"][name] = {
            "rows": 0 if frame is None else len(frame),
            "sha256": "" if frame is None else _frame_hash(frame),
        }
    return result, frames


def _same_without_ignored(old_path: Path, name: str) -> bool:
    """Whether a processed table equals its baseline copy once the ignored columns are dropped."""
    import pandas as pd

    new_path = REPO / "data" / "processed" / name
    if name.endswith(".csv"):
        old, new = pd.read_csv(old_path, dtype=str), pd.read_csv(new_path, dtype=str)
    elif name.endswith(".parquet"):
        old, new = pd.read_parquet(old_path), pd.read_parquet(new_path)
    else:
        return False
    return _strip(old).equals(_strip(new)) and list(_strip(old).columns) == list(
        _strip(new).columns
    )


def _first_difference(old, new) -> str:
    import pandas as pd

    if old is None or new is None:
        return f"one side has no frame (old {old is None}, new {new is None})"
    if list(old.columns) != list(new.columns):
        return f"columns differ: {list(old.columns)} vs {list(new.columns)}"
    merged = old.astype(str).merge(new.astype(str), how="outer", indicator=True)
    only = merged[merged["_merge"] != "both"]
    with pd.option_context("display.width", 250, "display.max_colwidth", 60):
        return f"{len(only)} rows differ (first 10):\n{only.head(10).to_string()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=("record", "check"))
    parser.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE)
    parser.add_argument("--no-corpus", action="store_true", help="skip the real corpus sample")
    parser.add_argument(
        "--ignore-columns", default="", help="comma-separated columns left out of the comparison"
    )
    args = parser.parse_args(argv)
    global IGNORED
    IGNORED = tuple(c for c in args.ignore_columns.split(",") if c)

    result, frames = compute(corpus=not args.no_corpus)
    for name, info in result["frames"].items():
        print(f"  {name:10s} {info['rows']:7d} rows  {info['sha256'][:16]}")
    for name, summary in result["scores"].items():
        print(f"  [{name}] {summary}")
    if args.mode == "record":
        args.baseline.parent.mkdir(parents=True, exist_ok=True)
        args.baseline.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        with open(args.baseline.with_suffix(".pkl"), "wb") as fh:
            pickle.dump(frames, fh)
        copies = args.baseline.parent / "processed"
        copies.mkdir(exist_ok=True)
        for path in (REPO / "data" / "processed").iterdir():
            if path.is_file():
                (copies / path.name).write_bytes(path.read_bytes())
        print(f"baseline written to {args.baseline}")
        return 0

    base = json.loads(args.baseline.read_text())
    with open(args.baseline.with_suffix(".pkl"), "rb") as fh:
        base_frames = pickle.load(fh)
    ok = True
    for name, digest in base["processed"].items():
        if result["processed"].get(name) != digest:
            if IGNORED and _same_without_ignored(args.baseline.parent / "processed" / name, name):
                print(f"  data/processed/{name}: identical without {', '.join(IGNORED)}")
                continue
            ok = False
            print(f"DIFFERENT data/processed/{name}")
    if set(result["processed"]) != set(base["processed"]):
        ok = False
        print(f"DIFFERENT file set in data/processed: {sorted(result['processed'])}")
    for name, info in base["frames"].items():
        if name not in result["frames"]:
            print(f"  (not compared: {name})")
            continue
        old_frame = base_frames.get(name)
        if IGNORED and old_frame is not None:
            # The baseline's hash is of the whole frame: compare the frames themselves.
            info = {"rows": len(old_frame), "sha256": _frame_hash(old_frame)}
        if result["frames"][name] != info:
            ok = False
            print(f"DIFFERENT targets of {name}: " + _first_difference(
                base_frames.get(name), frames.get(name)))
    for name, meta in base["metadata"].items():
        for doc, value in meta.items():
            if result["metadata"].get(name, {}).get(doc) != value:
                ok = False
                print(f"DIFFERENT metadata of {name}/{doc}")
    for name, summary in base["scores"].items():
        if result["scores"].get(name) != summary:
            ok = False
            print(f"DIFFERENT score of {name}: {summary} -> {result['scores'].get(name)}")
    print("IDENTICAL: every output compared is byte-identical" if ok else "NOT IDENTICAL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
