"""The indices table: provenance, collapsing, conflicts, scales, views and derived ranks."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from parstats import indices, measures
from parstats.errors import (
    DroppedRowsWarning,
    IncomparableScaleWarning,
    InputError,
    UnknownProvinceError,
)
from parstats.io import write_frame
from parstats.precedence import agree, decimals
from parstats.scales import check_comparable, comparable_segments, measure_kind, scale_for
from parstats.vn import nfc

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw" / "indices"
PAPI_FILE = "import_papi_2011-2024_f2f4e0505603.csv"
PAPI_6 = "total (file column 'Un-weighted2015PAPI'; unweighted sum of 6 dimension scores)"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return indices.build_frame(RAW)


def _raw_rows(name: str = "observations.csv") -> list[dict[str, str]]:
    with open(RAW / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _one(frame, index, province, year, measure, origin="published"):
    rows = frame.loc[
        (frame["index"] == index)
        & (frame["province"] == province)
        & (frame["year"] == year)
        & (frame["measure"] == measure)
        & (frame["origin"] == origin)
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def _refs(cell: str) -> list[tuple[str, int]]:
    """``file:2`` and ``file:2-30`` references, expanded to (file, line)."""
    out = []
    for ref in cell.split(indices.SEP):
        name, span = ref.rsplit(":", 1)
        first, _, last = span.partition("-")
        out += [(name, line) for line in range(int(first), int(last or first) + 1)]
    return out


# --------------------------------------------------------------------------- raw data


def test_raw_observations_are_the_published_file_unchanged():
    note = (RAW / "SOURCES.md").read_text(encoding="utf-8")
    recorded = re.search(r"observations\.csv` \| `([0-9a-f]{64})`", note).group(1)
    assert hashlib.sha256((RAW / "observations.csv").read_bytes()).hexdigest() == recorded
    assert len(_raw_rows()) == 7440


def test_raw_papi_import_is_recorded_with_its_input():
    note = (RAW / "SOURCES.md").read_text(encoding="utf-8")
    recorded = re.search(re.escape(PAPI_FILE) + r"` \| `([0-9a-f]{64})`", note).group(1)
    assert hashlib.sha256((RAW / PAPI_FILE).read_bytes()).hexdigest() == recorded
    rows = _raw_rows(PAPI_FILE)
    assert len(rows) == 21891  # every row of papi_subdimensions_2011_2024.csv
    assert {r["source_kind"] for r in rows} == {"official_dataset"}
    prefix = "github:hnks-gh/ml-mcdm@035ed0137ea6 data/csv/"
    assert all(r["source"].startswith(prefix) for r in rows)


# --------------------------------------------------------------------------- table


def test_table_validates_and_has_the_documented_columns(frame):
    indices.SCHEMA.validate(frame)
    assert tuple(frame.columns) == indices.COLUMNS
    assert frame.shape == (36740, len(indices.COLUMNS))
    assert all(col.description for col in indices.SCHEMA.columns.values())
    assert frame["origin"].value_counts().to_dict() == {"published": 28908, "derived": 7832}
    derived = frame.loc[frame["origin"] == "derived"]
    assert derived["formula"].notna().all() and set(derived["index"]) == {"PAPI"}
    assert frame.loc[frame["origin"] == "published", "formula"].isna().all()


def test_build_is_deterministic(frame, tmp_path):
    again = indices.build_frame(RAW)
    pd.testing.assert_frame_equal(frame, again)
    a = write_frame(frame, tmp_path / "a.parquet")
    b = write_frame(again, tmp_path / "b.parquet")
    assert a.read_bytes() == b.read_bytes()


def test_every_value_traces_to_a_raw_row_and_its_source(frame):
    raw = {name: _raw_rows(name) for name in ("observations.csv", PAPI_FILE)}
    seen: dict[str, list[int]] = {name: [] for name in raw}
    for row in frame.loc[frame["origin"] == "published"].itertuples(index=False):
        assert row.sources and row.n_sources >= 1
        sources = row.sources.split(indices.SEP)
        texts = row.value_text.split(indices.SEP)
        for name, line in _refs(row.raw_refs):
            rec = raw[name][line - 2]
            assert rec["index"] == row.index and int(rec["year"]) == row.year
            assert nfc(rec["measure"]) == row.measure  # the table is NFC throughout
            assert measures.canonical(row.index, row.measure, row.year).id == row.measure_id
            assert nfc(rec["source"]) in sources
            published = indices.unrounded(rec["value"], rec["snippet"]) or nfc(rec["value"])
            assert published in texts
            seen[name].append(line)
    # every raw row is behind exactly one published row: nothing dropped, nothing doubled
    for name, lines in seen.items():
        assert sorted(lines) == list(range(2, len(raw[name]) + 2)), name


def test_every_derived_value_keeps_its_inputs_and_their_sources(frame):
    raw = {name: _raw_rows(name) for name in ("observations.csv", PAPI_FILE)}
    derived = frame.loc[frame["origin"] == "derived"]
    for row in derived.sample(400, random_state=1).itertuples(index=False):
        inputs = [raw[name][line - 2] for name, line in _refs(row.raw_refs)]
        assert inputs and row.sources
        assert {nfc(r["source"]) for r in inputs} <= set(row.sources.split(indices.SEP))
        assert all(int(r["year"]) == row.year and r["index"] == "PAPI" for r in inputs)
        if row.measure_kind in ("dimension", "total"):
            # the exact sum of the published cells of its inputs (one per sub-dimension)
            cells = {}
            for r in inputs:
                key = measures.canonical("PAPI", nfc(r["measure"]), row.year).id
                cells[key] = indices.unrounded(r["value"], r["snippet"]) or r["value"]
            # (a sub-dimension given by two sources that agree counts once)
            assert sum(float(c) for c in cells.values()) == pytest.approx(row.value, abs=1e-5)


@pytest.mark.parametrize(
    ("province", "year", "cell", "rank"),
    [("Kiên Giang", 2019, "64.9870986938477", 35), ("Đà Nẵng", 2015, "68.3352127075195", 1)],
)
def test_published_pci_figures(frame, province, year, cell, rank):
    score = _one(frame, "PCI", province, year, "score")
    # the spreadsheet cell, unrounded (observations.csv rounds it to 2 decimals)
    assert score.value_text.split(indices.SEP)[0] == cell and score.value == float(cell)
    assert _one(frame, "PCI", province, year, "rank").value == rank
    assert _one(frame, "PCI", province, year, "rank").origin == "published"


def test_values_are_stored_as_published_not_rounded(frame):
    """observations.csv rounds value to 2 decimals and keeps the cell in snippet."""
    raw = _raw_rows()
    longer = [r for r in raw if indices.unrounded(r["value"], r["snippet"])]
    assert len(longer) > 4000
    published = frame.loc[frame["origin"] == "published"]
    by_ref = {ref: row for row in published.itertuples(index=False)
              for ref in _refs(row.raw_refs)}  # fmt: skip
    for line, r in enumerate(raw, start=2):
        cell = indices.unrounded(r["value"], r["snippet"])
        if cell is None:
            continue
        row = by_ref[("observations.csv", line)]
        assert cell in row.value_text.split(indices.SEP)
        assert round(float(cell), 2) == pytest.approx(float(r["value"]), abs=1e-9)
        if pd.notna(row.value) and row.value_text.split(indices.SEP)[0] == cell:
            assert row.value == float(cell)
    # e.g. An Giang's PAPI 2011 transparency: 4.96 in the raw file, 4.958939 in the sheet
    row = _one(frame, "PAPI", "An Giang", 2011, "dimension: Transparency")
    assert row.value == 4.958939 and row.value_text == "4.958939"


def test_identical_values_from_several_sources_collapse_to_one_row(frame):
    multi = frame.loc[frame["n_sources"] > 1]
    assert len(multi) == 787  # 23 in observations.csv, the rest sub-dimensions also imported
    row = _one(frame, "PAR", "Quảng Ninh", 2022, "score")
    assert row.value == 90.1 and row.n_sources == 2 and not row.conflict
    assert row.value_text.split(indices.SEP) == ["90.10", "90.1"]  # as published, both kept
    # a press figure given to 2 decimals agrees with the spreadsheet's unrounded cell
    pci = _one(frame, "PCI", "Kiên Giang", 2019, "score")
    assert pci.n_sources == 2 and pci.value_text.split(indices.SEP) == ["64.9870986938477", "64.99"]


def test_conflicting_values_are_kept_side_by_side_and_settled_by_precedence(frame):
    rows = frame.loc[
        (frame["index"] == "PAPI")
        & (frame["province"] == "Quảng Ninh")
        & (frame["year"] == 2020)
        & (frame["measure_id"] == "total_unweighted")
    ]
    published = rows.loc[rows["origin"] == "published"]
    assert sorted(published["value"].tolist()) == [48.811, 48.881]
    assert rows["conflict"].all()
    assert rows["note"].str.contains("sources disagree").all()
    # the sum of the official sub-dimension scores outranks the two press figures
    preferred = rows.loc[rows["preferred"]]
    assert len(preferred) == 1 and preferred["origin"].item() == "derived"
    assert preferred["value"].item() == pytest.approx(48.811383008, abs=1e-9)
    assert "derived outranks press" in preferred["note"].item()
    assert frame["conflict"].sum() == 9  # 4 keys: QN 2020, Hải Dương 2020 and 2021 (2)


def test_each_key_has_one_preferred_value_unless_its_best_sources_disagree(frame):
    key = ["index", "province", "year", "measure_id"]
    counts = frame.groupby(key, dropna=False)["preferred"].sum()
    assert counts.max() == 1
    unpreferred = counts.loc[counts == 0].index
    rows = frame.set_index(key).loc[list(unpreferred)]
    # only cells outside their scale (PAPI 2014 blanks published as 0) have none
    assert rows["note"].str.contains("outside the scale").all()


def test_conflicts_lists_every_disagreement_preferred_first(frame):
    table = indices.conflicts(frame)
    assert len(table) == 9
    assert table.groupby(["index", "province", "year", "measure_id"]).ngroups == 4
    first = table.drop_duplicates(["index", "province", "year", "measure_id"])
    assert first["preferred"].all()  # each key lists its preferred value first
    hd = indices.conflicts(frame, province="Hai Duong")
    assert set(hd["measure_id"]) == {"total_unweighted", "e_governance"}
    assert set(hd.loc[~hd["preferred"], "source_kind"]) == {"press"}


def test_cli_lists_conflicts(capsys):
    from parstats.cli import main

    assert main(["indices", "conflicts", "--index", "PAPI"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("4 figures on which sources disagree (9 values)")
    assert "PAPI 2020 Quảng Ninh total_unweighted: used" in out
    assert "* 48.811383008" in out and "48.881" in out and "talkvietnam" in out


def test_aggregates_are_kept_without_a_province_code(frame):
    agg = frame.loc[frame["is_aggregate"]]
    assert set(agg["province"]) == {"(63-province average)", "(national average)"}
    assert agg["province_code"].isna().all()
    assert len(agg) == 4  # the two identical PAR 2023 averages collapse
    assert _one(frame, "PAR", "(63-province average)", 2023, "score").n_sources == 2


def test_text_values_keep_their_text_and_no_number(frame):
    tier = _one(frame, "PCI", "An Giang", 2014, "tier")
    assert pd.isna(tier.value) and tier.value_text == "Khá" and tier.unit == "category"
    note = _one(frame, "PAPI", "Quảng Ninh", 2023, "note")
    assert pd.isna(note.value) and "not scored" in note.value_text


def test_documented_caveats_are_attached(frame):
    hcm = _one(frame, "PCI", "TP. Hồ Chí Minh", 2019, "score")
    assert round(hcm.value, 2) == 67.16 and "withheld" in hcm.note
    assert "N/A" in _one(frame, "PCI", "TP. Hồ Chí Minh", 2019, "note").value_text
    assert "repeats the Hà Nội row" in _one(frame, "PCI", "Hà Nội", 2018, "score").note
    zero = frame.loc[
        (frame["index"] == "PAPI") & (frame["year"] == 2014) & (frame["value_text"] == "0.00")
    ]
    assert len(zero) == 2 and zero["value"].isna().all()
    assert zero["note"].str.contains("outside the scale").all()


# --------------------------------------------------------------------------- scales


@pytest.mark.parametrize(
    ("index", "year", "measure", "unit", "low", "high"),
    [
        (
            "PAPI",
            2017,
            "total (file column 'Un-weighted2015PAPI'; unweighted sum of 6 dimension scores)",
            "points",
            6,
            60,
        ),
        ("PAPI", 2019, "total (weighted PAPI score, 10-80 scale)", "points", 8, 80),
        ("PAPI", 2016, "dimension: Transparency", "points", 1, 10),
        ("PAR", 2017, "score", "points", 0, 100),
        ("PAR", 2023, "score", "percent", 0, 100),
        ("PAR", 2023, "component: SIPAS points (of 10)", "points", 0, 10),
        ("PCI", 2015, "rank", "rank", 1, 63),
        ("PCI", 2012, "sub-index: Tính minh bạch", "points", 0, 10),
        ("SIPAS", 2022, "score", "percent", 0, 100),
    ],
)
def test_scale_for(index, year, measure, unit, low, high):
    s = scale_for(index, year, measure)
    assert (s.unit, s.low, s.high) == (unit, low, high)


def test_scale_versions_mark_the_documented_breaks():
    papi = {y: scale_for("PAPI", y, "dimension: Transparency").version for y in (2011, 2017, 2018)}
    assert papi[2011] == papi[2017] != papi[2018]
    par = [scale_for("PAR", y, "score").version for y in (2017, 2019, 2021, 2022, 2023, 2024)]
    assert len(set(par)) == 4  # 2017 points; 2018-21; 2022-23; 2024 criteria
    assert scale_for("PGI", 2022, "score").high is None  # unknown, not guessed
    assert measure_kind("rank: E-governance (Quản trị điện tử)") == "dimension rank"
    with pytest.raises(InputError, match="measure"):
        measure_kind("average")


def test_check_comparable_warns_with_years_and_scales(frame):
    rows = frame.loc[(frame["index"] == "PAPI") & (frame["measure"] == "dimension: Transparency")]
    with pytest.warns(IncomparableScaleWarning) as record:
        result = check_comparable(rows)
    assert not result.comparable
    message = str(record[0].message)
    assert "2011-2017" in message and "PAPI 6 dimensions" in message
    assert "PAPI 8 dimensions" in message
    with pytest.raises(InputError, match="different scales"):
        check_comparable(rows, errors="raise")
    segments = comparable_segments(rows)
    assert [s.years[0] for s in segments] == [2011, 2018]
    assert segments[0].years == tuple(range(2011, 2018))
    assert len(segments[0].select(rows)) == (rows["year"] <= 2017).sum()


def test_one_segment_is_comparable(frame):
    rows = frame.loc[(frame["index"] == "PCI") & (frame["measure"] == "score")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_comparable(rows).comparable


# --------------------------------------------------------------------------- views


def test_panel_is_province_by_year(frame):
    table = indices.panel("PCI", "score", frame=frame)
    assert table.shape == (63, 13)
    assert table.loc["Kiên Giang", 2019] == pytest.approx(64.9870986938477, abs=1e-12)
    assert pd.isna(table.loc["An Giang", 2021])  # not published: missing, not filled
    by_code = indices.panel("PCI", "rank", frame=frame, by="code")
    assert by_code.loc["48", 2015] == 1


def test_panel_warns_across_scale_breaks(frame):
    with pytest.warns(IncomparableScaleWarning, match="PAR 2017 criteria, points"):
        indices.panel("PAR", "score", frame=frame)


def test_panel_settles_conflicts_by_precedence_and_says_what_it_overrode(frame):
    with pytest.warns(indices.ConflictWarning) as record:
        table = indices.panel("PAPI", "score", frame=frame, errors="ignore")
    message = str(record[0].message)
    assert "sources disagree for 3 value(s)" in message
    assert "official dataset > official report > derived > press" in message
    assert "Quảng Ninh 2020: used 48.811383008 (derived), overrode 48.881 (press: " in message
    assert "Hải Dương 2020: used 42.799382986 (derived), overrode 42.81 (press" in message
    assert table.loc["Quảng Ninh", 2020] == pytest.approx(48.811383008)
    with pytest.raises(InputError, match="sources disagree for 3 province-year"):
        indices.panel("PAPI", "score", frame=frame, errors="ignore", conflicts="raise")
    with pytest.warns(DroppedRowsWarning, match="3 province-year"):
        table = indices.panel("PAPI", "score", frame=frame, conflicts="missing", errors="ignore")
    assert pd.isna(table.loc["Quảng Ninh", 2020])
    # published values only: the two press figures are of equal precedence; the one the
    # official dataset's sum backs is used
    with pytest.warns(indices.ConflictWarning, match="overrode 48.881"):
        table = indices.panel("PAPI", "score", frame=frame, origin="published", errors="ignore")
    assert table.loc["Quảng Ninh", 2020] == 48.811


def test_panel_of_tiers_is_text(frame):
    table = indices.panel("PCI", "tier", frame=frame)
    assert table.loc["Đà Nẵng", 2015] == "Rất tốt"


def test_for_province_accepts_any_spelling(frame):
    rows = indices.for_province("Dak Lak", frame=frame)
    assert set(rows["province_code"]) == {"66"} and len(rows) > 100
    pci = indices.for_province("Đắc Lắc", "PCI", frame=frame)
    assert set(pci["index"]) == {"PCI"}
    with pytest.raises(UnknownProvinceError):
        indices.for_province("Atlantis", frame=frame)


# --------------------------------------------------------------------------- derived ranks


def test_derived_ranks_are_marked_and_never_mixed_unmarked(frame):
    derived = indices.derive_ranks("PCI", 2015, frame=frame)
    assert len(derived) == 63
    assert set(derived["origin"]) == {"derived"}
    assert derived["note"].str.contains("not published").all()
    assert derived.loc[derived["province"] == "Đà Nẵng", "value"].item() == 1
    published = indices.panel("PCI", "rank", frame=frame)[2015]
    ours = derived.set_index("province")["value"]
    assert (published.sort_index() - ours.sort_index()).abs().max() <= 1  # rounding ties only
    both = pd.concat([frame, derived], ignore_index=True)
    with pytest.raises(InputError, match="mixes published and derived"):
        indices.panel("PCI", "rank", frame=both)
    only_published = indices.panel("PCI", "rank", frame=both, origin="published", errors="ignore")
    assert only_published.equals(indices.panel("PCI", "rank", frame=frame, errors="ignore"))
    segments = comparable_segments(both.loc[(both["index"] == "PCI") & (both["measure"] == "rank")])
    assert {s.origin for s in segments} == {"published", "derived"}


def test_derived_ranks_need_every_province_unless_asked(frame):
    with pytest.raises(InputError, match="9 of 63"):
        indices.derive_ranks("PAR", 2023, frame=frame)
    partial = indices.derive_ranks("PAR", 2023, frame=frame, allow_partial=True)
    assert partial["note"].str.contains("among the 9 provinces").all()
    with pytest.raises(InputError, match="disagree"):
        indices.derive_ranks("PAPI", 2020, frame=frame, allow_partial=True)


# --------------------------------------------------------------------------- load and bad raw rows


def test_load_builds_in_memory_then_reads_the_fresh_file(project_home):
    built = indices.load()
    assert not indices.processed_path().exists()
    indices.write_processed()
    pd.testing.assert_frame_equal(indices.load(), built)
    # a raw file newer than the processed table makes it stale
    obs = project_home / "data" / "raw" / "indices" / "observations.csv"
    later = indices.processed_path().stat().st_mtime + 10
    os.utime(obs, (later, later))
    pd.testing.assert_frame_equal(indices.load(), built)


BAD_ROWS = [
    ("PCI,Atlantis,2019,score,60.1,http://x,s", "Atlantis", UnknownProvinceError),
    ("XYZ,Hà Nội,2019,score,60.1,http://x,s", "index must be one of", InputError),
    ("PCI,Hà Nội,19,score,60.1,http://x,s", "four-digit year", InputError),
    ("PCI,Hà Nội,2019,average,60.1,http://x,s", "measure", InputError),
    ("PCI,Hà Nội,2019,score,,http://x,s", "value is empty", InputError),
    ("PCI,Hà Nội,2019,score,60.1,,s", "source is empty", InputError),
]


@pytest.mark.parametrize(("line", "message", "error"), BAD_ROWS)
def test_a_bad_raw_row_is_reported_with_file_and_line(project_home, line, message, error):
    extra = project_home / "data" / "raw" / "indices" / "zz_extra.csv"
    extra.write_text(
        ",".join(indices.RAW_COLUMNS) + "\nPCI,Hà Nội,2019,score,68.80,http://x,s\n" + line + "\n",
        encoding="utf-8",
    )
    with pytest.raises(error, match=message) as info:
        indices.build_frame()
    assert info.value.path == extra and info.value.line == 3
    assert "zz_extra.csv, line 3" in str(info.value)


def test_a_raw_file_with_wrong_columns_is_refused(project_home):
    extra = project_home / "data" / "raw" / "indices" / "zz_extra.csv"
    extra.write_text("index,province,year,value\nPCI,Hà Nội,2019,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected the columns"):
        indices.build_frame()


# --------------------------------------------------------------------------- PAPI 2011-2024


def test_papi_rows_cover_2020_to_2024_for_at_least_60_provinces(frame):
    papi = frame.loc[(frame["index"] == "PAPI") & ~frame["is_aggregate"]]
    subs = papi.loc[papi["measure_kind"] == "sub-dimension"]
    totals = papi.loc[(papi["measure_id"] == "total_unweighted") & papi["preferred"]]
    for year in range(2020, 2025):
        assert subs.loc[subs["year"] == year, "province_code"].nunique() >= 60, year
        assert totals.loc[totals["year"] == year, "province_code"].nunique() >= 60, year
    # provinces not surveyed that year have no rows (not zeros, not fills)
    assert subs.loc[subs["year"] == 2023, "province_code"].nunique() == 61
    assert "22" not in set(subs.loc[subs["year"] == 2023, "province_code"])  # Quảng Ninh


def test_derived_2017_totals_match_the_published_unweighted_totals(frame):
    """SOURCES.md: the sum of the 6 dimensions matches all 63 published 2017 totals."""
    papi = frame.loc[(frame["index"] == "PAPI") & (frame["year"] == 2017)]
    published = papi.loc[(papi["measure"] == PAPI_6)].set_index("province_code")["value"]
    derived = papi.loc[
        (papi["measure_id"] == "total_unweighted") & (papi["origin"] == "derived")
    ].set_index("province_code")["value"]
    assert len(published) == len(derived) == 63
    assert (published - derived.reindex(published.index)).abs().max() <= 0.01
    formula = papi.loc[(papi["measure_id"] == "total_unweighted") & (papi["origin"] == "derived"),
                       "formula"].iloc[0]  # fmt: skip
    assert formula.startswith("unweighted sum of the 6 dimension scores (control_of_corruption")


@pytest.mark.parametrize(
    ("province", "year", "announced"),
    [  # the announcements SOURCES.md names
        ("Quảng Ninh", 2020, "48.811"),
        ("Hà Nội", 2020, "41.629"),
        ("Hưng Yên", 2021, "45.366"),
        ("Hà Nội", 2023, "43.96"),
        ("Kiên Giang", 2023, "40.989"),
    ],
)
def test_derived_totals_match_the_2020_2023_announcements(frame, province, year, announced):
    row = _one(frame, "PAPI", province, year, "total_unweighted", origin="derived")
    assert row.formula.startswith("unweighted sum of the 8 dimension scores")
    assert agree(row.value, decimals(row.value_text), float(announced), decimals(announced))
    assert abs(row.value - float(announced)) < 0.5 * 10 ** -decimals(announced)


def test_derived_dimensions_agree_with_every_published_dimension_score(frame):
    papi = frame.loc[(frame["index"] == "PAPI") & (frame["measure_kind"] == "dimension")]
    key = ["province_code", "year", "measure_id"]
    published = papi.loc[(papi["origin"] == "published")
                         & (papi["source_kind"] == "official_dataset")].set_index(key)["value"]
    derived = papi.loc[papi["origin"] == "derived"].set_index(key)["value"]
    common = published.index.intersection(derived.index)
    assert len(common) > 3600  # 2011-2019, 63 provinces, 6 then 8 dimensions
    assert (published.loc[common] - derived.loc[common]).abs().max() < 1e-4


def test_derived_ranks_reproduce_every_announced_papi_rank(frame):
    ranks = frame.loc[(frame["index"] == "PAPI") & (frame["measure_id"] == "rank")]
    announced = ranks.loc[ranks["origin"] == "published"]
    derived = ranks.loc[ranks["origin"] == "derived"].set_index(["province_code", "year"])
    assert len(announced) == 16
    for r in announced.itertuples(index=False):
        assert derived.loc[(r.province_code, r.year), "value"] == r.value, (r.province, r.year)
    assert (derived.loc[derived.index.get_level_values("year") == 2023, "scale_max"] == 61).all()


# --------------------------------------------------------------------------- one vocabulary


def test_catalogue_ids_are_unique_and_every_published_name_resolves(frame):
    table = measures.load_catalogue()
    assert not table.duplicated(["index", "measure_id", "published_name"]).any()
    for m in measures.catalogue():
        assert m.label_en and m.label_vi and m.names
    published = frame.loc[frame["origin"] == "published"]
    for (index, name, year), _ in published.groupby(["index", "measure", "year"]):
        assert measures.canonical(index, name, int(year)).id  # nothing unknown in the data


def test_no_two_canonical_measures_are_one_measure_under_another_name(frame):
    """Catalogue and data: two canonical measures of one index never hold the same series."""
    values = frame.loc[
        (frame["origin"] == "published") & frame["value"].notna() & ~frame["is_aggregate"]
    ]
    series = {
        (index, mid): g.set_index(["province_code", "year"])["value"].groupby(level=[0, 1]).first()
        for (index, mid), g in values.groupby(["index", "measure_id"])
    }
    for (index, a), sa in series.items():
        for (other, b), sb in series.items():
            if other != index or a >= b:
                continue
            common = sa.index.intersection(sb.index)
            if len(common) >= 8:
                same = (sa.loc[common] - sb.loc[common]).abs() < 1e-4
                assert not same.all(), f"{index} {a} and {b} hold the same values"


def test_names_of_one_canonical_measure_agree_wherever_they_meet(frame):
    """The other half: names mapped to one measure give one series (no wrong merge)."""
    values = frame.loc[
        (frame["origin"] == "published")
        & frame["value"].notna()
        & (frame["source_kind"] != "press")
        & ~frame["is_aggregate"]
    ]
    merged = 0
    for _, g in values.groupby(["index", "measure_id", "province_code", "year"]):
        if g["measure"].nunique() > 1:
            merged += 1
            texts = [t.split(indices.SEP)[0] for t in g["value_text"]]
            first = texts[0]
            for t in texts[1:]:
                assert agree(float(first), decimals(first), float(t), decimals(t)), g
    assert merged > 500  # e.g. 'Poverty Lists' (PAPI sheet) and SC21 (PAPI file) 2011-2017


def test_one_canonical_measure_whatever_name_the_source_printed(frame):
    poverty = frame.loc[(frame["province"] == "Hưng Yên") & (frame["year"] == 2015)
                        & (frame["measure_id"] == "transparency.poverty_lists")]  # fmt: skip
    # the PAPI sheet's 'Poverty Lists' and the re-hosted file's SC21 column, which the shared
    # file names 'Access to Information' (a sub-dimension PAPI measures only from 2018)
    assert set(poverty["measure"]) == {
        "sub-dimension: Poverty Lists", "sub-dimension: Access to Information"
    }
    a, b = poverty["value"]
    assert abs(a - b) < 1e-6 and not poverty["conflict"].any()
    assert poverty["preferred"].sum() == 1
    pci = frame.loc[(frame["index"] == "PCI") & (frame["measure_id"] == "transparency")]
    assert set(pci["measure"]) == {
        "sub-index: Tính minh bạch",
        "sub-index: Transparency",
        "sub-index: Sub-Index 3: Transparency",
    }
    assert set(pci["measure_label"]) == {"PCI sub-index: Transparency and access to information"}
    weighted = frame.loc[(frame["index"] == "PAPI") & (frame["year"] == 2019)
                         & frame["measure"].str.startswith("total (weighted")]  # fmt: skip
    assert set(weighted["measure_id"]) == {"total_weighted"}  # never the unweighted total


def test_non_measures_are_flagged_and_not_sub_indices(frame):
    chua = frame.loc[frame["measure"] == "sub-index: Chưa có trọng số"]
    assert len(chua) == 4
    assert set(chua["measure_kind"]) == {"total"}
    assert set(chua["measure_id"]) == {"total_unweighted"}
    sub_indices = set(frame.loc[frame["measure_kind"] == "sub-index", "measure"])
    assert "sub-index: Chưa có trọng số" not in sub_indices
    not_measures = frame.loc[~frame["is_measure"]]
    assert set(not_measures["measure_id"]) == {"note", "group"}
    assert not_measures["value"].isna().all()


def test_pci_transparency_panel_is_one_measure_2010_to_2019(frame):
    names = ["transparency", "sub-index: Tính minh bạch", "Sub-Index 3: Transparency",
             "sub-index: Transparency", "Tính minh bạch"]  # fmt: skip
    tables = [indices.panel("PCI", name, frame=frame) for name in names]
    for t in tables[1:]:
        pd.testing.assert_frame_equal(t, tables[0])
    table = tables[0]
    assert list(table.columns) == list(range(2010, 2020))
    # observations.csv has the PCI sub-indices of the four seed provinces only: each has
    # one value a year, 2010-2019 (before, this panel had 4 values in all)
    assert sorted(table.index) == ["Hưng Yên", "Kiên Giang", "Tây Ninh", "Đắk Lắk"]
    assert table.notna().all().all()
    assert table.attrs["measure_id"] == "transparency"
    assert table.attrs["scale_versions"] == ("PCI (no break recorded)",)


def test_papi_unweighted_total_panel_spans_2011_2024_on_two_scales(frame):
    with pytest.warns(IncomparableScaleWarning) as record:
        table = indices.panel("PAPI", PAPI_6, frame=frame, conflicts="precedence")
    assert list(table.columns) == list(range(2011, 2025))
    assert len(table) == 63 and (table.notna().sum() >= 60).all()
    assert table.attrs["scale_versions"] == (
        "PAPI 6 dimensions (2011-2017)",
        "PAPI 8 dimensions (2018-)",
    )
    message = "\n".join(str(r.message) for r in record)
    assert "PAPI 6 dimensions (2011-2017)" in message and "PAPI 8 dimensions (2018-)" in message
    # 2011-2017 published, 2018-2024 derived from the sub-dimensions, and said so
    years = {y for _, y in table.attrs["derived"]}
    assert years == set(range(2018, 2025))
    assert table[2014].isna().sum() == 2  # published blank in 2014, not surveyed: missing
    assert table.loc["Kiên Giang", 2017] == _one(frame, "PAPI", "Kiên Giang", 2017, PAPI_6).value
    same = indices.panel("PAPI", "total_unweighted", frame=frame, errors="ignore")
    pd.testing.assert_frame_equal(same, table)


def test_panel_names_the_measures_when_it_knows_none(frame):
    with pytest.raises(InputError, match="canonical measures: .*total_unweighted"):
        indices.panel("PAPI", "nonsense", frame=frame)
    with pytest.raises(InputError, match="ambiguous: transparency.access_to_information"):
        indices.panel("PAPI", "sub-dimension: Access to Information", frame=frame)
