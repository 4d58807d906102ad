"""Work of the target extractor counted in machine instructions, independent of the host.

Usage::

    python benchmarks/bench_instructions.py [--docs 60] [--json FILE] [--repo DIR]

Wall and CPU seconds on a shared 2-core machine drift by a third from minute to
minute and by more between hosts, which hides a 5% change. This benchmark counts
the instructions the targets stage (:func:`parstats.targets.extract_targets`
with the metadata already read) and the kind decision (:func:`parstats.kinds.decide`,
which ``parstats extract`` and ``build`` make on every document), and the whole of
:func:`parstats.extract.extract_paths` in one process (reading, conversion, metadata,
kinds, targets and the output frames: what ``bench_extract.py`` times), execute on the
first ``--docs`` documents of the corpus of ``bench_extract.py`` (same generator,
same seed), under valgrind's ``cachegrind`` tool: the count of a run that reads,
decodes and reads the metadata of the corpus only is subtracted from that of a run
that also extracts (or also decides the kinds). The same code on the same
corpus gives the same count to within a fraction of a percent on any x86-64 host.

Needs ``valgrind`` on the PATH (Debian: ``apt-get install valgrind``); without it the
benchmark says so and exits 0. Takes about two minutes for 60 documents.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

CHILD = """
import sys
sys.path.insert(0, {repo!r})
from pathlib import Path
from parstats.extraction.metadata import extract_metadata
from parstats.extraction import extract_targets
from parstats.extraction.decode import decode_bytes
from parstats.kinds import decide, default_rules
default_rules()  # the cue table is read and checked once per process: not counted
files = sorted(Path({folder!r}).glob("*.txt"))
texts = [decode_bytes(f.read_bytes(), name=f.name).text for f in files]
metas = [extract_metadata(t) for t in texts]
if sys.argv[1] == "extract":
    for text, meta in zip(texts, metas):
        extract_targets(text, meta=meta)
if sys.argv[1] == "kinds":
    for text, meta in zip(texts, metas):
        decide(text, meta)
if sys.argv[1] in ("warm", "paths"):
    # End to end, as bench_extract.py times it: imports and one warm-up document are
    # paid by both runs ("warm"); "paths" also extracts the whole folder in one process.
    from parstats.extract import extract_paths
    extract_paths([files[0]])
    if sys.argv[1] == "paths":
        extract_paths([Path({folder!r})], workers=1)
"""
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def instructions(valgrind: str, script: Path, mode: str) -> int:
    """Run ``script mode`` under cachegrind and return the instructions it executed.

    One BLAS/OpenMP thread and a fixed hash seed: NumPy's idle OpenBLAS threads spin
    while valgrind counts (counts of the same code differed by up to 80 M), and string
    hashing varies set and dict layouts from run to run.
    """
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, str(script), mode],
        capture_output=True, text=True, check=False, env=env,
    )
    found = _REFS.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"valgrind run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=60, help="documents counted")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--repo", type=Path, default=REPO,
        help="count the code of this checkout (e.g. an earlier commit exported with "
        "git archive); default: this one",
    )
    args = parser.parse_args(argv)

    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("valgrind not found on the PATH: instruction counts skipped")
        return 0
    from bench_extract import make_corpus

    with tempfile.TemporaryDirectory(prefix="parstats-instr-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        mb = make_corpus(folder, args.docs) / 1e6
        script = Path(tmp) / "child.py"
        child = CHILD.format(repo=str(args.repo.resolve()), folder=str(folder))
        script.write_text(child, encoding="utf-8")
        base = instructions(valgrind, script, "read")
        total = instructions(valgrind, script, "extract")
        kinds = instructions(valgrind, script, "kinds") - base
        end_to_end = instructions(valgrind, script, "paths") - instructions(
            valgrind, script, "warm"
        )
    work = total - base
    print(f"corpus: {args.docs} documents, {mb:.2f} MB (bench_extract.py's generator, seed 0)")
    print(f"targets stage: {work / 1e6:,.0f} M instructions, {work / 1e6 / mb:,.0f} M per MB "
          f"(reading, decoding and metadata: {base / 1e6:,.0f} M, not counted)")
    print(f"kind decision: {kinds / 1e6:,.0f} M instructions, {kinds / 1e6 / mb:,.0f} M per MB")
    print(f"end to end (extract_paths, one process, as bench_extract.py times it): "
          f"{end_to_end / 1e6:,.0f} M instructions, {end_to_end / 1e6 / mb:,.0f} M per MB")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "docs": args.docs, "mb": mb, "targets_instructions": work,
            "instructions_per_mb": work / mb,
            "kinds_instructions": kinds, "kinds_instructions_per_mb": kinds / mb,
            "end_to_end_instructions": end_to_end,
            "end_to_end_instructions_per_mb": end_to_end / mb,
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
