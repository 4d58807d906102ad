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

from parstats import indices
from parstats.errors import (
    DroppedRowsWarning,
    IncomparableScaleWarning,
    InputError,
    UnknownProvinceError,
)
from parstats.io import write_frame
from parstats.scales import check_comparable, comparable_segments, measure_kind, scale_for
from parstats.vn import nfc

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw" / "indices"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return indices.build_frame(RAW)


def _raw_rows() -> list[dict[str, str]]:
    with open(RAW / "observations.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _one(frame, index, province, year, measure):
    rows = frame.loc[
        (frame["index"] == index)
        & (frame["province"] == province)
        & (frame["year"] == year)
        & (frame["measure"] == measure)
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# --------------------------------------------------------------------------- raw data


def test_raw_observations_are_the_published_file_unchanged():
    note = (RAW / "SOURCES.md").read_text(encoding="utf-8")
    recorded = re.search(r"observations\.csv` \| `([0-9a-f]{64})`", note).group(1)
    assert hashlib.sha256((RAW / "observations.csv").read_bytes()).hexdigest() == recorded
    assert len(_raw_rows()) == 7440


# --------------------------------------------------------------------------- table


def test_table_validates_and_has_the_documented_columns(frame):
    indices.SCHEMA.validate(frame)
    assert tuple(frame.columns) == indices.COLUMNS
    assert frame.shape == (7417, len(indices.COLUMNS))
    assert all(col.description for col in indices.SCHEMA.columns.values())
    assert set(frame["origin"]) == {"published"}


def test_build_is_deterministic(frame, tmp_path):
    again = indices.build_frame(RAW)
    pd.testing.assert_frame_equal(frame, again)
    a = write_frame(frame, tmp_path / "a.parquet")
    b = write_frame(again, tmp_path / "b.parquet")
    assert a.read_bytes() == b.read_bytes()


def test_every_value_traces_to_a_raw_row_and_its_source(frame):
    raw = _raw_rows()
    seen = []
    for row in frame.itertuples(index=False):
        assert row.sources and row.n_sources >= 1
        sources = row.sources.split(indices.SEP)
        texts = row.value_text.split(indices.SEP)
        for ref in row.raw_refs.split(indices.SEP):
            name, line = ref.rsplit(":", 1)
            assert name == "observations.csv"
            rec = raw[int(line) - 2]
            assert rec["index"] == row.index and int(rec["year"]) == row.year
            assert nfc(rec["measure"]) == row.measure  # the table is NFC throughout
            assert nfc(rec["source"]) in sources
            assert nfc(rec["value"]) in texts
            seen.append(int(line))
    # every raw row is behind exactly one processed row: nothing dropped, nothing doubled
    assert sorted(seen) == list(range(2, len(raw) + 2))


@pytest.mark.parametrize(
    ("province", "year", "score", "rank"),
    [("Kiên Giang", 2019, 64.99, 35), ("Đà Nẵng", 2015, 68.34, 1)],
)
def test_published_pci_figures(frame, province, year, score, rank):
    assert _one(frame, "PCI", province, year, "score").value == score
    assert _one(frame, "PCI", province, year, "rank").value == rank
    assert _one(frame, "PCI", province, year, "rank").origin == "published"


def test_identical_values_from_several_sources_collapse_to_one_row(frame):
    multi = frame.loc[frame["n_sources"] > 1]
    assert len(multi) == 23
    row = _one(frame, "PAR", "Quảng Ninh", 2022, "score")
    assert row.value == 90.1 and row.n_sources == 2 and not row.conflict
    assert row.value_text.split(indices.SEP) == ["90.10", "90.1"]  # as published, both kept


def test_conflicting_values_are_kept_side_by_side_and_flagged(frame):
    rows = frame.loc[
        (frame["index"] == "PAPI")
        & (frame["province"] == "Quảng Ninh")
        & (frame["year"] == 2020)
        & (frame["measure"] == "score")
    ]
    assert sorted(rows["value"].tolist()) == [48.811, 48.881]
    assert rows["conflict"].all()
    assert rows["note"].str.contains("sources disagree").all()
    assert frame["conflict"].sum() == 2


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
    assert hcm.value == 67.16 and "withheld" in hcm.note
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
    assert table.loc["Kiên Giang", 2019] == 64.99
    assert pd.isna(table.loc["An Giang", 2021])  # not published: missing, not filled
    by_code = indices.panel("PCI", "rank", frame=frame, by="code")
    assert by_code.loc["48", 2015] == 1


def test_panel_warns_across_scale_breaks(frame):
    with pytest.warns(IncomparableScaleWarning, match="PAR 2017 criteria, points"):
        indices.panel("PAR", "score", frame=frame)


def test_panel_refuses_to_choose_between_conflicting_sources(frame):
    with pytest.raises(InputError, match="sources disagree"):
        indices.panel("PAPI", "score", frame=frame, errors="ignore")
    with pytest.warns(DroppedRowsWarning, match="conflicting"):
        table = indices.panel("PAPI", "score", frame=frame, conflicts="missing", errors="ignore")
    assert pd.isna(table.loc["Quảng Ninh", 2020])


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
