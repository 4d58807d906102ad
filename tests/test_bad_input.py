"""Robustness: bad, odd and huge inputs give clear errors or correct results, and lose nothing."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("parstats.targets")

from parstats.cli import main  # noqa: E402
from parstats.extract import extract_document, extract_paths  # noqa: E402
from parstats.metadata import extract_metadata  # noqa: E402
from parstats.text import encode_cp1258, read_decoded  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "raw" / "plans" / "001_4f1b279c0569f61c.txt"
COMPARED = ["start", "end", "value", "unit", "comparator", "year", "level", "indicator"]


def _failure_for(path: Path) -> str:
    result = extract_paths([path])
    assert len(result.documents) == 0
    assert [f.path for f in result.failures] == [str(path)]
    return result.failures[0].reason


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\n \n", "only white space"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"K\x81\x8d plan \xff\xfe", "not Windows-1258"),
        ("Straße über Köln, Österreich".encode("latin-1"), "does not look like Vietnamese"),
        # Audit D22 (P13-P15): known document formats are named. Since plans in every
        # format are read (issue 15), such bytes are read as what they are, whatever the
        # name says, and a damaged one is named with its format.
        (b"%PDF-1.7\n\x00\x00\x01binary",
         "not a readable PDF (PDFium: Data format error); the file may be damaged or truncated"),
        (b"%PDF-1.4 1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 80% 2025", "not a readable PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml",
         "not a readable Word file: the zip archive is damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old word",
         "an Office file that is not a Word document"),
    ],
    ids=["empty", "blank", "binary", "undecodable", "latin1", "pdf", "ascii-pdf", "docx", "doc"],
)
def test_bad_files_fail_alone_with_their_reason(tmp_path, data, reason):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(data)
    assert reason in _failure_for(bad)


def test_missing_path_is_reported_not_raised(tmp_path):
    result = extract_paths([tmp_path / "nope.txt", SEED])
    assert [f.reason for f in result.failures] == ["no such file or folder"]
    assert list(result.documents["doc"]) == [SEED.stem]


def test_folder_without_plans_is_reported(tmp_path):
    result = extract_paths([tmp_path])
    assert "holds no plan files" in result.failures[0].reason


def test_document_without_targets_is_zero_rows_not_an_error(tmp_path, capsys):
    plan = tmp_path / "empty_plan.txt"
    plan.write_text(
        "KẾ HOẠCH\nCải cách hành chính năm 2023\n\nI. MỤC ĐÍCH\nNâng cao chất lượng phục vụ.\n",
        encoding="utf-8",
    )
    doc = extract_document(plan)
    assert len(doc.targets) == 0
    assert list(doc.targets.columns)[:4] == ["doc", "target_no", "start", "end"]
    result = extract_paths([plan])
    assert result.failures == () and len(result.targets) == 0
    assert result.documents["n_targets"].tolist() == [0]
    out = tmp_path / "t.csv"
    assert main(["extract", str(plan), "--out", str(out)]) == 0
    assert len(pd.read_csv(out)) == 0


@pytest.mark.parametrize(
    "transform",
    [
        lambda t: unicodedata.normalize("NFD", t).encode("utf-8"),
        lambda t: t.replace("\n", "\r\n").encode("utf-8"),
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),
        encode_cp1258,
    ],
    ids=["nfd", "crlf", "utf8-bom", "utf16", "cp1258"],
)
def test_encodings_and_line_ends_give_the_same_targets(tmp_path, transform):
    reference = extract_document(SEED).targets[COMPARED]
    variant = tmp_path / SEED.name
    variant.write_bytes(transform(SEED.read_text(encoding="utf-8")))
    got = extract_document(variant)
    pd.testing.assert_frame_equal(got.targets[COMPARED], reference)
    assert got.meta == extract_document(SEED).meta


def test_fifty_megabytes_are_read(tmp_path):
    """A 50 MB file decodes and gives its metadata (its speed is in benchmarks/)."""
    data = SEED.read_bytes()
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        for _ in range(50_000_000 // len(data) + 1):
            fh.write(data.replace(b"\n", b"\r\n"))
    assert big.stat().st_size >= 50_000_000
    decoded = read_decoded(big)
    meta = extract_metadata(decoded.text)
    assert decoded.newline == "crlf" and "\r" not in decoded.text[:100_000]
    assert (meta.province, meta.doc_number) == ("Hưng Yên", "204/KH-UBND")


@pytest.mark.skipif(
    not os.environ.get("PARSTATS_SLOW_TESTS"),
    reason="set PARSTATS_SLOW_TESTS=1 (about 20 s, 600 MB)",
)
def test_fifty_megabytes_extract_end_to_end(tmp_path):
    data = SEED.read_bytes()
    big = tmp_path / "big.txt"
    big.write_bytes(data * (50_000_000 // len(data) + 1))
    doc = extract_document(big)
    assert len(doc.targets) > 1000


def test_failed_run_keeps_an_earlier_output(tmp_path, capsys):
    out = tmp_path / "t.csv"
    assert main(["extract", str(SEED), "--out", str(out)]) == 0
    before = out.read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert main(["extract", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: empty file" in err and "nothing written" in err
    assert out.read_bytes() == before


def test_crash_while_writing_keeps_an_earlier_output(tmp_path, monkeypatch, capsys):
    out = tmp_path / "t.parquet"
    assert main(["extract", str(SEED), "--out", str(out)]) == 0
    before = out.read_bytes()
    import pyarrow.parquet as pq

    def crash(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(pq, "write_table", crash)
    capsys.readouterr()
    assert main(["extract", str(SEED), "--out", str(out)]) == 1  # a message, not a traceback
    assert "parstats extract: error: disk full (simulated)" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.parquet"]
