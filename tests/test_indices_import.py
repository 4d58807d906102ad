"""``parstats indices import``: tables built from figures already in observations.csv."""

from __future__ import annotations

import csv
import hashlib
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from parstats import indices
from parstats.cli import main
from parstats.errors import InputError, UnknownProvinceError
from parstats.indices_import import find_header, import_table, parse_rank, parse_score, read_cells

# PAR Index 2023 figures published in observations.csv (score %, rank).
PAR_2023 = [
    ("Quảng Ninh", "92,18", 1),
    ("TP. Hải Phòng", "91,87", 2),
    ("Thành phố Hà Nội", "91,43", 3),
    ("Ninh Bình", "88,72", 11),
    ("Nam Định", "87,32", 29),
    ("An Giang", "81,32", 63),
]
SOURCE = "Bộ Nội vụ, Báo cáo Chỉ số cải cách hành chính năm 2023 (test extract)"


def _snapshot(home: Path) -> dict[str, str]:
    raw = home / "data" / "raw"
    return {
        str(p.relative_to(raw)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(raw.rglob("*"))
        if p.is_file()
    }


def _write_csv(path: Path, rows: list[list[object]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "PAR 2023"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _par_rows(header_row: int = 3) -> list[list[object]]:
    preamble = [["BÁO CÁO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023", None, None, None], []][
        : header_row - 1
    ]
    # Excel cells hold numbers (doubles with binary noise in their 17th digit, as a
    # computed cell has), except one typed as text.
    body = [
        [i, name, math.nextafter(float(score.replace(",", ".")), math.inf), rank]
        for i, (name, score, rank) in enumerate(PAR_2023, start=1)
    ]
    body[-1][2] = PAR_2023[-1][1]
    return [*preamble, ["STT", "Tỉnh/Thành phố", "Điểm (%)", "Xếp hạng"], *body]


def _par_2023_score(frame: pd.DataFrame, province: str) -> pd.DataFrame:
    rows = indices.for_province(province, "PAR", frame=frame)
    return rows.loc[(rows["year"] == 2023) & (rows["measure"] == "score")]


# --------------------------------------------------------------------------- good imports


def test_excel_with_the_header_on_the_third_row(project_home, tmp_path):
    before = _snapshot(project_home)
    xlsx = _write_xlsx(tmp_path / "par2023.xlsx", _par_rows(header_row=3))
    assert find_header(read_cells(xlsx)).row == 3
    result = import_table(xlsx, index="PAR", year=2023, source=SOURCE)
    assert result.header_row == 3
    assert (result.n_provinces, result.n_figures) == (6, 12)
    # existing raw files unchanged; one new file
    after = _snapshot(project_home)
    assert {k: after[k] for k in before} == before
    assert set(after) - set(before) == {f"indices/{result.raw_file.name}"}
    assert result.raw_file.name.startswith("import_par_2023_")
    # processed table rebuilt, equal to a fresh build, and the figures collapse with
    # the observations that publish the same values
    table = pd.read_parquet(result.processed)
    pd.testing.assert_frame_equal(table, indices.build_frame(), check_dtype=False)
    frame = indices.load()
    hanoi = _par_2023_score(frame, "Hà Nội")
    assert len(hanoi) == 1 and hanoi["value"].item() == 91.43
    assert hanoi["n_sources"].item() == 3 and SOURCE in hanoi["sources"].item()
    assert not frame.loc[frame["index"] == "PAR", "conflict"].any()
    assert "par2023.xlsx [PAR 2023] row 6" in hanoi["snippets"].item()


def test_csv_with_english_headers_on_the_first_row(project_home, tmp_path):
    rows = [
        ["Province", "Score", "Rank"],
        ["Kien Giang", "64.99", "35"],
        ["Da Nang", "70.15", "5"],
    ]
    csv_path = _write_csv(tmp_path / "pci2019.csv", rows)
    result = import_table(csv_path, index="PCI", year=2019, source="VCCI, PCI 2019 report",
                          rebuild=False)
    assert result.header_row == 1 and result.n_figures == 4
    frame = indices.load()
    kg = frame.loc[
        (frame["index"] == "PCI") & (frame["province"] == "Kiên Giang") & (frame["year"] == 2019)
    ]
    # spreadsheet + provincial news + this import
    assert kg.set_index("measure").loc[["score", "rank"], "n_sources"].tolist() == [3, 3]
    assert frame["conflict"].sum() == 9  # only the known PAPI conflicts
    assert result.conflicts == () and result.agreeing == 4


def test_a_different_value_is_kept_beside_the_published_one(project_home, tmp_path):
    rows = [["Tỉnh", "Điểm"], ["Hà Nội", "91,00"]]
    import_table(_write_csv(tmp_path / "t.csv", rows), index="PAR", year=2023, source="other",
                 rebuild=False)
    frame = indices.load()
    hanoi = _par_2023_score(frame, "Hà Nội")
    assert sorted(hanoi["value"]) == [91.0, 91.43]
    assert hanoi["conflict"].all()


def test_aggregate_rows_are_kept_without_a_province(project_home, tmp_path):
    rows = [
        ["Tỉnh/Thành phố", "Điểm"],
        ["Quảng Ninh", "92,18"],
        [],
        ["Trung bình cả nước", "86,98"],
    ]
    result = import_table(_write_csv(tmp_path / "t.csv", rows), index="PAR", year=2023, source="s",
                          rebuild=False)
    assert (result.n_provinces, result.n_aggregates, result.blank_rows) == (1, 1, (3,))
    frame = indices.load()
    agg = frame.loc[frame["province"] == "(Trung bình cả nước)"]
    assert agg["province_code"].isna().all() and agg["is_aggregate"].all()


def test_the_same_file_twice_is_refused(project_home, tmp_path):
    path = _write_csv(tmp_path / "t.csv", [["Tỉnh", "Điểm"], ["Quảng Ninh", "92,18"]])
    import_table(path, index="PAR", year=2023, source="s", rebuild=False)
    with pytest.raises(InputError, match="already imported"):
        import_table(path, index="PAR", year=2023, source="s", rebuild=False)


def test_cli_import_and_show(project_home, tmp_path, capsys):
    xlsx = _write_xlsx(tmp_path / "par2023.xlsx", _par_rows(header_row=3))
    argv = ["indices", "import", str(xlsx), "--index", "PAR", "--year", "2023", "--source", SOURCE]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "imported 12 figures" in out and "header on row 3" in out
    assert main(["indices", "show", "--province", "Nam Dinh", "--index", "PAR"]) == 0
    assert "PAR   2023 score: 87.32 percent" in capsys.readouterr().out


# --------------------------------------------------------------------------- bad input


BAD = [
    pytest.param(
        [["Tỉnh", "Điểm", "Xếp hạng"], ["Quảng Ninh", "92,18", "1"], ["Atlantis", "90", "2"]],
        UnknownProvinceError, 3, "Atlantis", "closest", id="unknown-province",
    ),
    pytest.param(
        [["Tỉnh", "Điểm"], ["Quảng Ninh", "92,18"], ["Hà Nội", "91,43"], ["Quang Ninh", "92"]],
        InputError, 4, "Quang Ninh", "duplicate province-year: Quảng Ninh 2023 already on row 2",
        id="duplicate-province-year",
    ),
    pytest.param(
        [["Tỉnh", "Xếp hạng"], ["Quảng Ninh", "0"]],
        InputError, 2, "0", "rank 0 is outside 1..63", id="rank-0",
    ),
    pytest.param(
        [["Tỉnh", "Xếp hạng"], ["Quảng Ninh", "1"], ["An Giang", "64"]],
        InputError, 3, "64", "rank 64 is outside 1..63", id="rank-64",
    ),
    pytest.param(
        [["Tỉnh", "Điểm"], ["Quảng Ninh", "101,5"]],
        InputError, 2, "101,5", "outside the PAR 2023 scale percent 0-100", id="score-above-scale",
    ),
    pytest.param(
        [["Tỉnh", "Điểm"], ["Quảng Ninh", "n/a"]],
        InputError, 2, "n/a", "score must be a number", id="non-numeric-score",
    ),
    pytest.param(
        [["Tỉnh", "Xếp hạng"], ["Quảng Ninh", "first"]],
        InputError, 2, "first", "rank must be a whole number", id="non-numeric-rank",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("rows", "error", "line", "value", "message"), BAD)
def test_bad_rows_are_refused_with_file_line_and_value(
    project_home, tmp_path, rows, error, line, value, message
):
    before = _snapshot(project_home)
    path = _write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(error) as info:
        import_table(path, index="PAR", year=2023, source=SOURCE)
    exc = info.value
    assert exc.path == path and exc.line == line and exc.value == value
    assert message in str(exc)
    assert f"bad.csv, line {line}" in str(exc)
    assert _snapshot(project_home) == before  # nothing in data/raw changed
    assert not (project_home / "data" / "processed" / "indices.parquet").exists()


@pytest.mark.parametrize("source", ["", "   "])
def test_a_source_is_required(project_home, tmp_path, source):
    before = _snapshot(project_home)
    path = _write_csv(tmp_path / "t.csv", [["Tỉnh", "Điểm"], ["Quảng Ninh", "92,18"]])
    with pytest.raises(InputError, match="a source is required"):
        import_table(path, index="PAR", year=2023, source=source)
    assert _snapshot(project_home) == before


def test_bad_arguments_are_refused(project_home, tmp_path):
    path = _write_csv(tmp_path / "t.csv", [["Tỉnh", "Điểm"], ["Quảng Ninh", "92,18"]])
    with pytest.raises(InputError, match="--index must be one of"):
        import_table(path, index="XYZ", year=2023, source="s")
    with pytest.raises(InputError, match="--year"):
        import_table(path, index="PAR", year=2026, source="s")


def test_a_file_without_a_header_is_refused(project_home, tmp_path):
    path = _write_csv(tmp_path / "t.csv", [["a", "b"], ["Quảng Ninh", "92,18"]])
    with pytest.raises(InputError, match="no header row"):
        import_table(path, index="PAR", year=2023, source="s")


def test_cli_reports_a_bad_file_and_exits_2(project_home, tmp_path, capsys):
    path = _write_csv(tmp_path / "bad.csv", [["Province", "Rank"], ["Quang Ninh", "64"]])
    argv = ["indices", "import", str(path), "--index", "PAR", "--year", "2023", "--source", "s"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "bad.csv, line 2" in err and "rank 64 is outside 1..63" in err


@pytest.mark.parametrize(
    ("text", "value"), [("86,98", 86.98), ("86.98", 86.98), ("86,98%", 86.98), ("92", 92.0)]
)
def test_parse_score(text, value):
    assert parse_score(text) == value


@pytest.mark.parametrize(("text", "value"), [("12", 12), ("12.0", 12), ("12/63", 12)])
def test_parse_rank(text, value):
    assert parse_rank(text) == value
