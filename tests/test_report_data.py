"""What a province report gathers: plans in force, targets, indices, missing data, headline."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from parstats import report_data as rd
from parstats.errors import UnknownProvinceError
from parstats.io import write_frame


def documents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc": ["hy2023", "dl2125", "nat2130"],
            "province": pd.array(["Hưng Yên", "Đắk Lắk", "national"], dtype="string"),
            "province_code": pd.array(["33", "66", pd.NA], dtype="string"),
            "doc_type": ["KH", "QĐ", "NQ"],
            "doc_number": ["204/KH-UBND", "3478/QĐ-UBND", "76/NQ-CP"],
            "issuer": ["UBND tỉnh Hưng Yên", "UBND tỉnh Đắk Lắk", "Chính phủ"],
            "period_start": pd.array([2023, 2021, 2021], dtype="Int64"),
            "period_end": pd.array([pd.NA, 2025, 2030], dtype="Int64"),
            "title": ["a", "b", "c"],
        }
    )


def targets() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc": ["hy2023", "hy2023", "hy2023", "dl2125", "nat2130"],
            "target_no": pd.array([1, 2, 3, 1, 1], dtype="Int64"),
            "value": [90.0, 20.0, 41.17, 80.0, 80.0],
            "unit": ["percent", "rank", "percent", "percent", "percent"],
            "comparator": ["ge", "le", "eq", "ge", "ge"],
            "year": pd.array([2023, 2025, 2022, 2025, 2025], dtype="Int64"),
            "level": ["all"] * 5,
            "area": ["procedures", "overall", "procedures", "digital_government", "procedures"],
            "kind": ["target", "target", "baseline", "target", "target"],
            "indicator": ["online_procedure_share", "par_index_rank", "online_procedure_share",
                          "records_digitised_share", "online_procedure_share"],
        }
    )


def indices() -> pd.DataFrame:
    rows = [
        # index, code, year, measure, kind, value, version
        ("PAR", "33", 2022, "rank", "rank", 30.0, "r"),
        ("PAR", "33", 2023, "rank", "rank", 21.0, "r"),
        ("PAR", "33", 2023, "score", "score", 87.5, "PAR 2022"),
        ("PCI", "33", 2023, "score", "score", 65.0, "PCI"),
        ("PCI", "33", 2023, "score", "score", 66.0, "PCI"),  # two sources disagree
        ("PAPI", "33", 2017, "total (unweighted)", "total", 35.1, "PAPI 6"),
        ("PAPI", "33", 2019, "total (weighted)", "total", 44.6, "PAPI 8"),
        ("PGI", "33", 2024, "score", "score", 50.0, "PGI"),
        ("PCI", pd.NA, 2015, "score", "score", 58.0, "PCI"),  # an aggregate
    ]
    frame = pd.DataFrame(
        rows,
        columns=["index", "province_code", "year", "measure", "measure_kind", "value",
                 "scale_version"],
    )
    return frame.assign(
        province_code=frame["province_code"].astype("string"),
        year=frame["year"].astype("Int64"),
        is_aggregate=frame["province_code"].isna(),
        unit="points",
        scale_min=0.0,
        scale_max=100.0,
        origin="published",
    )


@pytest.fixture()
def built(project_home: Path) -> Path:
    processed = project_home / "data" / "processed"
    write_frame(documents(), processed / "documents.parquet")
    write_frame(targets(), processed / "targets.parquet")
    write_frame(indices(), processed / "indices.parquet")
    return project_home


def test_plan_years_expands_each_period():
    years = rd.plan_years(documents())
    assert years.values.tolist() == [
        ["33", 2023], ["66", 2021], ["66", 2022], ["66", 2023], ["66", 2024], ["66", 2025]
    ]


def test_grid_joins_plan_years_and_index_years(built: Path):
    grid = {(c.province_code, c.year) for c in rd.report_grid()}
    assert ("33", 2022) in grid and ("33", 2019) in grid and ("66", 2025) in grid
    assert ("33", 2024) not in grid  # PGI is not a report index
    assert all(code for code, _ in grid)  # aggregates have no province


def test_grid_is_empty_before_the_build(project_home: Path):
    assert rd.report_grid() == ()


def test_report_of_a_province_with_a_plan_in_force(built: Path):
    report = rd.province_report("hung yen", 2023)
    assert report.plans["doc"].tolist() == ["hy2023"]
    assert report.targets["target_no"].tolist() == [1, 2]  # the baseline is not a target
    assert report.national_targets["doc"].tolist() == ["nat2130"]
    assert report.targets_by_area().to_dict() == {"hy2023": {"overall": 1, "procedures": 1}}
    assert set(report.target_table().columns) >= {"label_en", "label_vi", "value", "area"}
    assert report.index_targets[["index", "series", "value"]].values.tolist() == [
        ["PAR", "rank", 20.0]
    ]
    head = rd.headline(report)
    assert (head.n_plans, head.n_targets, head.n_areas) == (1, 2, 2)
    assert (head.par_score, head.par_rank) == (87.5, 21.0)
    assert head.pci_score is None  # sources disagree: never chosen
    assert head.delivery_met is None and head.ambition_peer_percentile is None


def test_missing_data_is_listed_in_words(built: Path):
    missing = rd.province_report("Hưng Yên", 2023).missing
    assert "Table 'ambition' is not built (run `parstats build`)." in missing
    assert "PCI score for 2023: sources disagree; no value shown." in missing
    assert "SIPAS score for 2023: not in the index data." in missing
    assert not any("national" in m for m in missing)  # a national programme is in force
    assert rd.headline(rd.province_report("Hưng Yên", 2023)).n_missing == len(missing)


def test_report_without_any_table(project_home: Path):
    report = rd.province_report("Tây Ninh", 2023)
    assert report.plans.empty and report.indices.empty
    assert len([m for m in report.missing if m.startswith("Table")]) == len(rd.TABLES)
    assert rd.headline(report).n_targets == 0


def test_index_table_puts_conflicts_as_missing(built: Path):
    table = rd.province_report("Hưng Yên", 2023).index_table()
    assert table.loc[2023, ("PAR", "score")] == 87.5
    assert pd.isna(table.loc[2023, ("PCI", "score")])
    assert table.loc[2019, ("PAPI", "score")] == 44.6  # PAPI totals are its score


def test_a_non_province_is_refused(built: Path):
    with pytest.raises(UnknownProvinceError):
        rd.province_report("../../etc", 2023)


def test_delivery_counts_by_status():
    frame = pd.DataFrame({"status": ["met", "met", "missed", "no_data"]})
    assert rd.delivery_counts(frame) == {
        "met": 2, "missed": 1, "not_yet_due": 0, "no_data": 1, "conflicting": 0
    }
    assert set(rd.delivery_counts(pd.DataFrame()).values()) == {None}


def test_headline_displays_its_typed_figures(built: Path):
    head = rd.headline(rd.province_report("Hưng Yên", 2023))
    bundle = head._repr_mimebundle_()
    assert bundle[rd.HEADLINE_MIME]["n_targets"] == 2
    assert 'class="ps-headline" hidden' in bundle["text/html"]  # recorded, not shown
    assert list(rd.HEADLINE_DTYPES) == list(head.as_dict())


def test_tables_are_read_again_when_they_change(built: Path):
    path = built / "data" / "processed" / "documents.parquet"
    assert len(rd.load_table("documents")) == 3
    write_frame(documents().iloc[:1], path)
    os.utime(path, ns=(1, 1))  # a different mtime even on a coarse clock
    assert len(rd.load_table("documents")) == 1
