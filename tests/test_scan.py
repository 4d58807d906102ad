"""``parstats scan`` (issue 16): sources, Dask schedulers, kill and resume, --adopt, bad input.

Small collections made from the held-out plans and a few synthetic non-plans. The
scan's kinds, plan decisions and targets are checked against direct calls of the
library on the same texts; its output files against each other across schedulers
and after a SIGKILL mid-scan (byte-identical).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from parstats.errors import InputError
from parstats.kinds import decide
from parstats.metadata import extract_metadata
from parstats.scan import (
    DOCUMENT_COLUMNS,
    ScanOptions,
    adopt_plans,
    partition_record_path,
    read_documents,
    read_manifest,
    read_targets,
    scan,
)
from parstats.targets import extract_targets, targets_frame
from parstats.text import read_text

REPO = Path(__file__).resolve().parents[1]
HELDOUT2 = REPO / "tests" / "heldout2" / "plans"
ARTICLE = (
    "# Có được cho mượn căn hộ chung cư khi đồng sở hữu không?\n\n"
    "**Chuyên viên pháp lý:** A\n\nTheo quy định, 95% ý kiến đồng thuận là cần thiết.\n"
)
LAW = (
    "CHÍNH PHỦ\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
    "Số: 12/2025/NĐ-CP\n\nHà Nội, ngày 1 tháng 7 năm 2025\n\nNGHỊ ĐỊNH\n"
    "QUY ĐỊNH VỀ MỨC THU PHÍ\n\nĐiều 1. Mức thu bằng 50% mức thu hiện hành.\n"
)


def _texts() -> dict[str, str]:
    texts = {p.stem: read_text(p) for p in sorted(HELDOUT2.glob("*.txt"))}
    texts["zz_article"] = ARTICLE
    texts["zz_law"] = LAW
    return texts


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("collection")
    for name, text in _texts().items():
        (root / f"{name}.txt").write_text(text, encoding="utf-8")
    (root / "sub").mkdir()
    (root / "sub" / "empty.txt").write_bytes(b"")
    (root / "sub" / "scan.jpg").write_bytes(b"\xff\xd8\xff")
    return root


@pytest.fixture(scope="module")
def local_scan(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scan") / "out"
    scan(folder, out, partition_size=3)
    return out


def _hashes(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.glob("*/part-*.parquet"))
    }


def test_folder_scan_matches_direct_calls(folder: Path, local_scan: Path) -> None:
    docs = read_documents(local_scan).set_index("doc")
    assert list(read_documents(local_scan).columns) == list(DOCUMENT_COLUMNS)
    assert set(docs.index) == set(_texts()) | {"sub/empty", "sub/scan"}
    assert docs.loc["sub/empty", "status"] == "failed"
    assert "empty file" in docs.loc["sub/empty", "failure"]
    assert docs.loc["sub/scan", "status"] == "skipped"
    assert "no converter for .jpg" in docs.loc["sub/scan", "failure"]
    targets = read_targets(local_scan)
    for name, text in _texts().items():
        meta = extract_metadata(text)
        decision = decide(text, meta)
        row = docs.loc[name]
        assert row["status"] == "ok"
        assert (row["kind"], bool(row["is_plan"])) == (decision.kind.kind, decision.is_plan)
        assert row["kind_rules"] == ";".join(decision.kind.rule_ids)
        assert row["kind_reason"] == decision.reason
        for field in ("province", "title", "issued", "doc_number"):
            got = row[field]
            assert (None if pd.isna(got) else got) == getattr(meta, field), field
        expected = targets_frame(name, extract_targets(text, meta=meta) if decision.keep_targets
                                 else [])
        got = targets[targets.doc == name].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)
        assert row["n_targets"] == len(expected)
    assert docs.loc["zz_law", "kind"] == "legal_norm"
    assert docs.loc["zz_article", "kind"] == "article"
    assert docs.loc["h2_vinhlong_bc_2023", "kind"] == "report"  # its gold has no target
    assert (targets.doc == "zz_law").sum() == 0  # "mức thu bằng 50%" is not extracted


def test_summary(local_scan: Path) -> None:
    summary = json.loads((local_scan / "summary.json").read_text(encoding="utf-8"))
    docs = read_documents(local_scan)
    assert summary["documents"] == len(docs) == 8
    assert (summary["failed"], summary["skipped"]) == (1, 1)
    assert summary["plans"] == int(docs.is_plan.fillna(False).sum()) == 3
    assert summary["targets"] == len(read_targets(local_scan))
    by_kind = pd.read_csv(local_scan / "summary_by_kind.csv")
    assert by_kind.documents.sum() == 8
    places = pd.read_csv(local_scan / "summary_by_province_year.csv")
    assert places.documents.sum() == 8 and "(not found)" in set(places.province)
    failures = pd.read_csv(local_scan / "failures.csv")
    assert set(failures.doc) == {"sub/empty", "sub/scan"}


def test_all_kinds_extracts_every_document(folder: Path, tmp_path: Path) -> None:
    scan(folder, tmp_path / "out", options=ScanOptions(all_kinds=True), partition_size=50)
    docs = read_documents(tmp_path / "out").set_index("doc")
    assert docs.loc["zz_law", "targets_extracted"]
    assert not docs.loc["zz_law", "is_plan"]


def test_jsonl_and_parquet_sources_give_the_folder_scan(local_scan: Path, tmp_path: Path) -> None:
    texts = _texts()
    records = [{"doc_id": k, "text": v, "source": f"test:{k}"} for k, v in texts.items()]
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n",
                     encoding="utf-8")
    parquet = tmp_path / "ds"
    parquet.mkdir()
    frame = pd.DataFrame(records).rename(columns={"doc_id": "id", "text": "body"})
    frame.iloc[:3].to_parquet(parquet / "a.parquet", row_group_size=2)
    frame.iloc[3:].to_parquet(parquet / "b.parquet")
    folder_docs = read_documents(local_scan).set_index("doc")
    folder_targets = read_targets(local_scan)
    for source, options in ((jsonl, ScanOptions()),
                            (parquet, ScanOptions(text_column="body", id_column="id"))):
        out = tmp_path / f"out-{source.name}"
        scan(source, out, options=options, partition_size=2)
        docs = read_documents(out).set_index("doc")
        assert list(docs.index) == list(texts)
        assert docs.source.tolist() == [f"test:{k}" for k in texts]
        cols = ["kind", "is_plan", "kind_rules", "province", "issued", "n_targets", "sha256"]
        pd.testing.assert_frame_equal(docs[cols], folder_docs.loc[list(texts), cols])
        targets = read_targets(out)
        expected = folder_targets[folder_targets.doc.isin(texts)].reset_index(drop=True)
        pd.testing.assert_frame_equal(targets, expected)


def test_two_worker_local_cluster_writes_the_same_files(
    folder: Path, local_scan: Path, tmp_path: Path
) -> None:
    result = scan(folder, tmp_path / "out", partition_size=3, workers=2)
    assert result.done == result.n_partitions == 3
    assert _hashes(tmp_path / "out") == _hashes(local_scan)
    workers = {r.worker for r in result.results}
    assert all(r.peak_rss_mb > 0 for r in result.results) and len(workers) >= 1


def _collection(root: Path, n: int) -> Path:
    """``n`` documents of 4 held-out texts each (about 20 KB), so a partition takes a moment."""
    texts = [read_text(p) for p in sorted(HELDOUT2.glob("*.txt"))]
    root.mkdir()
    for i in range(n):
        body = "\n\n".join(texts[(i + k) % len(texts)] for k in range(4))
        (root / f"doc{i:03d}.txt").write_text(body, encoding="utf-8")
    return root


def test_killed_scan_resumes_where_it_stopped(tmp_path: Path) -> None:
    source = _collection(tmp_path / "src", 30)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "parstats", "scan", str(source), "--out", str(out),
           "--partition-size", "1", "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    recorded = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            recorded = len(list((out / "_scan" / "parts").glob("part-*.json")))
        except OSError:
            recorded = 0
        if recorded >= 3:
            break
        time.sleep(0.005)
    assert proc.poll() is None, f"the scan ended before it could be killed: {proc.stderr.read()}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    before = read_manifest(out).partitions
    assert 3 <= len(before) < 30
    result = scan(source, out, partition_size=1)
    assert result.kept == len(before)
    assert len(list((out / "_scan" / "parts").glob("part-*.json"))) == 30
    assert "partitions" not in json.loads((out / "_scan" / "manifest.json").read_text())
    assert result.redone <= 1  # one worker: at most its partition in flight
    assert result.kept + result.done == 30
    reference = tmp_path / "reference"
    scan(source, reference, partition_size=1)
    assert _hashes(out) == _hashes(reference)
    # A partition whose file changed is not trusted: it is done again.
    part = out / "documents" / "part-00000.parquet"
    part.write_bytes(part.read_bytes() + b"x")
    again = scan(source, out, partition_size=1)
    assert (again.kept, again.done) == (29, 1)
    assert _hashes(out) == _hashes(reference)


def test_resume_refuses_another_source_or_options(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    scan(folder, out, partition_size=4)
    with pytest.raises(InputError, match="another source or with other options"):
        scan(folder, out, partition_size=4, options=ScanOptions(all_kinds=True))
    with pytest.raises(InputError, match="another source or with other options"):
        scan(folder, out, partition_size=2)
    restarted = scan(folder, out, partition_size=2, restart=True)
    assert restarted.kept == 0 and restarted.done == 4
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="not empty and holds no scan"):
        scan(folder, tmp_path / "other", partition_size=2)


def test_too_large_document_is_a_failure_with_its_reason(folder: Path, tmp_path: Path) -> None:
    scan(folder, tmp_path / "out", options=ScanOptions(max_chars=4000), partition_size=50)
    docs = read_documents(tmp_path / "out").set_index("doc")
    big = docs[docs.chars > 4000]
    assert len(big) and (big.status == "failed").all()
    assert big.failure.str.contains("too large").all()
    assert big.kind.notna().all() and (big.n_targets.isna()).all()
    assert (docs.loc["zz_article", "status"]) == "ok"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p / "absent", "no such file or folder"),
        (lambda p: (p / "empty").mkdir() or p / "empty", "folder holds no files"),
        (lambda p: (p / "e.jsonl").write_text("\n\n") and p / "e.jsonl", "holds no documents"),
        (lambda p: (p / "b.jsonl").write_text("{oops\n") and p / "b.jsonl", "not JSON"),
        (lambda p: (p / "c.jsonl").write_text('{"body": "x"}\n') and p / "c.jsonl",
         r"no text column 'text'; columns are \['body'\]"),
        (lambda p: (p / "x.parquet").write_bytes(b"not parquet") and p / "x.parquet",
         "cannot read as Parquet"),
        (lambda p: pd.DataFrame({"body": ["x"]}).to_parquet(p / "m.parquet") or p / "m.parquet",
         r"no text column 'text'; columns are \['body'\]"),
        (lambda p: pd.DataFrame({"text": []}, dtype="string").to_parquet(p / "z.parquet")
         or p / "z.parquet", "holds no rows"),
        (lambda p: (p / "a.csv").write_text("x") and p / "a.csv", "unknown source type"),
    ],
)
def test_bad_sources_are_clear_errors(tmp_path: Path, make, message: str) -> None:
    source = make(tmp_path)
    with pytest.raises(InputError, match=message) as info:
        scan(source, tmp_path / "out")
    assert str(source.name) in str(info.value)


def test_cli_reports_a_bad_source_and_scans_a_good_one(folder: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture) -> None:
    from parstats.cli import main

    (tmp_path / "c.jsonl").write_text('{"body": "x"}\n', encoding="utf-8")
    assert main(["scan", str(tmp_path / "c.jsonl"), "--out", str(tmp_path / "o1")]) == 2
    assert "no text column 'text'" in capsys.readouterr().err
    code = main(["scan", str(tmp_path / "c.jsonl"), "--out", str(tmp_path / "o2"),
                 "--text-column", "body", "--no-progress"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "documents 1: ok 1" in printed and "by kind: article 1" in printed


def test_bad_rows_are_failures_not_errors(tmp_path: Path) -> None:
    source = tmp_path / "c.jsonl"
    source.write_text('{"text": "# Tin tức\\n\\nNội dung.", "id": "a"}\n[1, 2]\n'
                      '{"text": null}\n{oops\n{"text": 5, "id": "=HYPERLINK(1)"}\n',
                      encoding="utf-8")
    scan(source, tmp_path / "out")
    docs = read_documents(tmp_path / "out")
    assert docs.status.tolist() == ["ok", "failed", "failed", "failed", "failed"]
    assert docs.failure.iloc[1:].tolist() == [
        "not a JSON object", "no text (text is missing)",
        docs.failure.iloc[3], "text is int, not text",
    ]
    assert docs.failure.iloc[3].startswith("not JSON")
    assert docs.doc.tolist() == ["a"] + [f"row-{i:09d}" for i in (1, 2, 3)] + ["=HYPERLINK(1)"]
    failures = pd.read_csv(tmp_path / "out" / "failures.csv")
    assert failures.doc.iloc[-1] == "'=HYPERLINK(1)"  # stays text in a spreadsheet


# --------------------------------------------------------------------------- adopt


def test_adopt_adds_the_plans_as_one_set_and_build_picks_them_up(
    project_home: Path, tmp_path: Path
) -> None:
    from parstats.build import build, check_plans, load_documents, read_manifest

    source = tmp_path / "src"
    source.mkdir()
    plan = HELDOUT2 / "h2_laocai_2025.txt"
    (source / "h2_laocai_2025.txt").write_bytes(plan.read_bytes())
    (source / "news.txt").write_text(ARTICLE, encoding="utf-8")
    (source / "seed.txt").write_bytes(
        next((project_home / "data/raw/plans").glob("000_*.txt")).read_bytes()
    )
    plans = project_home / "data" / "raw" / "plans"
    # The plan's slug is taken by another text: the new file gets the next name.
    (plans / "h2-laocai-2025.txt").write_text("another text", encoding="utf-8")
    rows_before = read_manifest(plans / "manifest.csv")
    with open(plans / "manifest.csv", "a", encoding="utf-8") as fh:
        fh.write(f"h2-laocai-2025.txt,{hashlib.sha256(b'another text').hexdigest()},12,test,"
                 ",,,,,,,\n")
    out = tmp_path / "out"
    scan(source, out)
    result = adopt_plans(out)
    added = {a.doc: a for a in result.adopted}
    assert added["h2_laocai_2025"].status == "added"
    assert added["h2_laocai_2025"].file == "h2-laocai-2025-2.txt"
    assert added["seed"].status == "already listed"  # same bytes as a listed plan
    assert "news" not in added
    assert (plans / "h2-laocai-2025-2.txt").read_bytes() == plan.read_bytes()
    rows = read_manifest(plans / "manifest.csv")
    assert len(rows) == len(rows_before) + 2
    assert rows[-1].file == "h2-laocai-2025-2.txt" and "parstats scan of" in rows[-1].source
    check_plans(plans, rows)
    assert not list(plans.glob(".adopt-*"))
    # A second adoption adds nothing.
    assert adopt_plans(out).added == ()
    (plans / "h2-laocai-2025.txt").unlink()  # the stand-in text cannot be built
    text = (plans / "manifest.csv").read_text(encoding="utf-8").splitlines()
    (plans / "manifest.csv").write_text(
        "\n".join(line for line in text if not line.startswith("h2-laocai-2025.txt")) + "\n",
        encoding="utf-8",
    )
    build()
    documents = load_documents()
    assert "h2-laocai-2025-2" in set(documents.doc)


def test_adopt_refuses_an_unfinished_scan_and_undoes_a_killed_adoption(
    project_home: Path, folder: Path, tmp_path: Path
) -> None:
    from parstats.scan import recover_adoption

    out = tmp_path / "out"
    scan(folder, out, partition_size=3)
    partition_record_path(out, 1).unlink()
    with pytest.raises(InputError, match="unfinished"):
        adopt_plans(out)
    # A killed adoption: a staging folder whose manifest was not yet moved in place.
    plans = project_home / "data" / "raw" / "plans"
    staging = plans / ".adopt-x"
    staging.mkdir()
    (plans / "moved.txt").write_text("half-adopted", encoding="utf-8")
    (staging / "manifest.csv").write_text("file,sha256,bytes,source\n", encoding="utf-8")
    (staging / "journal.json").write_text(json.dumps(["moved.txt"]), encoding="utf-8")
    recover_adoption(plans)
    assert not (plans / "moved.txt").exists() and not staging.exists()


def test_a_folder_of_documents_with_a_stray_parquet_file_is_a_folder(tmp_path: Path) -> None:
    from parstats.scan import open_source

    (tmp_path / "plan.txt").write_text(ARTICLE, encoding="utf-8")
    pd.DataFrame({"text": ["x"]}).to_parquet(tmp_path / "index.parquet")
    assert open_source(tmp_path).kind == "folder"
    (tmp_path / "plan.txt").unlink()
    assert open_source(tmp_path).kind == "parquet"


@pytest.mark.slow
def test_a_running_cluster_by_address(folder: Path, local_scan: Path, tmp_path: Path) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster:
        result = scan(folder, tmp_path / "out", partition_size=3,
                      scheduler=cluster.scheduler_address)
    assert result.done == 3
    assert _hashes(tmp_path / "out") == _hashes(local_scan)
