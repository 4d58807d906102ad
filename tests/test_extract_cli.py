"""``parstats extract`` and :func:`parstats.extract.extract_paths` on the seed plans."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("parstats.targets")

from parstats.cli import main  # noqa: E402
from parstats.extract import extract_document, extract_paths  # noqa: E402
from parstats.text import read_text  # noqa: E402
from parstats.vn import parse_number  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "data" / "raw" / "plans"
TARGET_FIELDS = (
    "doc", "start", "end", "quote", "sentence", "value", "value_high", "unit", "comparator",
    "direction", "year", "level", "area", "kind", "indicator",
)


@pytest.fixture(scope="module")
def seeds():
    return extract_paths([PLANS])


def test_folder_gives_every_plan_in_name_order(seeds):
    assert list(seeds.documents["doc"]) == sorted(p.stem for p in PLANS.glob("*.txt"))
    assert seeds.failures == ()
    assert list(seeds.targets["doc"].unique()) == list(seeds.documents["doc"])
    counts = seeds.targets.groupby("doc").size()
    assert (seeds.documents.set_index("doc")["n_targets"] == counts).all()


def test_spans_point_into_the_nfc_text(seeds):
    texts = {p.stem: read_text(p) for p in PLANS.glob("*.txt")}
    for row in seeds.targets.itertuples():
        span = texts[row.doc][row.start : row.end]
        numbers = {parse_number(m) for m in re.findall(r"\d+(?:,\d+)?", span)}
        assert row.value in numbers, (row.doc, span, row.value)


def test_workers_do_not_change_the_result(seeds):
    parallel = extract_paths(sorted(PLANS.glob("*.txt")), workers=2)
    pd.testing.assert_frame_equal(parallel.targets, seeds.targets)
    pd.testing.assert_frame_equal(parallel.documents, seeds.documents)


def test_extract_document_records_provenance():
    path = PLANS / "001_4f1b279c0569f61c.txt"
    doc = extract_document(path)
    assert (doc.doc, doc.encoding, doc.bytes) == (path.stem, "utf-8", path.stat().st_size)
    assert doc.meta.province == "Hưng Yên"
    assert len(doc.sha256) == 64 and len(doc.targets) > 0


def test_cli_writes_csv_and_parquet(tmp_path, capsys):
    out, docs = tmp_path / "t.csv", tmp_path / "d.parquet"
    assert main(["extract", str(PLANS), "--out", str(out), "--docs-out", str(docs)]) == 0
    targets = pd.read_csv(out)
    assert set(TARGET_FIELDS) <= set(targets.columns)
    assert targets["doc"].nunique() == 5
    documents = pd.read_parquet(docs)
    assert list(documents["doc"]) == sorted(p.stem for p in PLANS.glob("*.txt"))
    # The manifest beside the plans completes what a text lacks.
    row = documents.set_index("doc").loc["003_cfd631ae85fcb6d5"]
    assert row["issuer"] == "Sở Tư pháp tỉnh Tây Ninh"
    assert "wrote" in capsys.readouterr().out


def test_cli_output_is_identical_with_workers(tmp_path):
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    assert main(["extract", str(PLANS), "--out", str(one)]) == 0
    assert main(["extract", str(PLANS), "--out", str(two), "--workers", "2"]) == 0
    assert one.read_bytes() == two.read_bytes()


def test_cli_reports_failures_and_still_writes_the_rest(tmp_path, capsys):
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(PLANS / "004_05c88c85dc93fec2.txt", folder)
    (folder / "broken.txt").write_bytes(b"\x00\x01binary")
    out = tmp_path / "t.csv"
    code = main(["extract", str(folder), str(tmp_path / "missing.txt"), "--out", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert "broken.txt: binary file" in err
    assert "missing.txt: no such file or folder" in err
    assert set(pd.read_csv(out)["doc"]) == {"004_05c88c85dc93fec2"}


def test_cli_refuses_an_unknown_output_type(tmp_path, capsys):
    assert main(["extract", str(PLANS), "--out", str(tmp_path / "t.xlsx")]) == 2
    assert "--out must end in .csv or .parquet" in capsys.readouterr().err


def test_cli_runs_as_a_program(tmp_path):
    out = tmp_path / "t.csv"
    plan = PLANS / "003_cfd631ae85fcb6d5.txt"
    done = subprocess.run(
        [sys.executable, "-m", "parstats", "extract", str(plan), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(out)) == 2


@pytest.mark.parametrize("workers", [1, 2])
def test_override_conflicts_reach_the_caller_from_workers(tmp_path, workers):
    from parstats.metadata import MetadataConflictWarning

    for name in ("001_4f1b279c0569f61c.txt", "002_0a79482184b1712a.txt"):
        shutil.copy(PLANS / name, tmp_path)
    overrides = {"001_4f1b279c0569f61c.txt": {"province": "Đắk Lắk", "title": ""}}
    with pytest.warns(MetadataConflictWarning, match="province='Đắk Lắk'.*'Hưng Yên'"):
        result = extract_paths([tmp_path], workers=workers, overrides=overrides)
    assert result.documents["province"].tolist() == ["Hưng Yên", "Kiên Giang"]
