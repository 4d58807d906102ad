"""parstats.ambition against hand-computed references (tolerance 1e-9 unless stated)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from parstats import ambition as amb
from parstats.vn import nfc

TOL = 1e-9
REPO = Path(__file__).resolve().parents[1]
SHARE = "online_procedure_files_share"  # catalogue: percent, better higher
RANK = "par_index_rank"  # catalogue: rank, better lower
TARGET_COLUMNS = [
    "doc", "target_no", "start", "end", "quote", "sentence", "value", "value_high", "unit",
    "comparator", "direction", "year", "level", "area", "kind", "indicator", "heading",
]  # fmt: skip

COPIED = "Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ đạt tối thiểu {}%"


def make_targets(rows: list[dict]) -> pd.DataFrame:
    """A targets table (ARCHITECTURE.md columns) from short rows; defaults fill the rest."""
    defaults = {
        "unit": "percent", "comparator": "ge", "direction": "attain", "level": "all",
        "area": "procedures", "kind": "target", "indicator": SHARE, "value_high": pd.NA,
        "start": pd.NA, "end": pd.NA, "quote": pd.NA, "sentence": pd.NA, "heading": pd.NA,
    }  # fmt: skip
    frame = pd.DataFrame([defaults | r for r in rows])
    frame["target_no"] = frame.groupby("doc").cumcount() + 1
    frame = frame[TARGET_COLUMNS]
    for col in ("value", "value_high"):
        frame[col] = frame[col].astype("Float64")
    for col in ("target_no", "start", "end", "year"):
        frame[col] = frame[col].astype("Int64")
    return frame


@pytest.fixture()
def documents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc": ["A", "B", "C", "E", "N"],
            "province": ["Đắk Lắk", "Hưng Yên", "Kiên Giang", "Tây Ninh", "national"],
            "province_code": ["66", "33", "91", "72", pd.NA],
            "period_start": [2021, 2021, 2021, 2023, 2021],
            "period_end": [2025, 2025, 2030, 2023, 2030],
        }
    )


@pytest.fixture()
def targets() -> pd.DataFrame:
    return make_targets(
        [
            {"doc": "A", "value": 80, "year": 2025, "sentence": COPIED.format(80)},
            {"doc": "A", "indicator": RANK, "unit": "rank", "comparator": "le", "value": 20,
             "year": 2025, "area": "overall"},
            {"doc": "A", "value": 60, "year": 2021, "kind": "baseline"},
            {"doc": "A", "value": 15, "unit": "count", "year": 2025},
            {"doc": "A", "value": 20, "direction": "increase", "year": 2025},
            {"doc": "B", "value": 60, "comparator": "eq", "year": 2025,
             "sentence": "Hồ sơ trực tuyến chiếm sáu mươi phần trăm tổng số hồ sơ"},
            {"doc": "B", "indicator": RANK, "unit": "rank", "comparator": "le", "value": 30,
             "year": 2025, "area": "overall", "sentence": "PAR"},
            {"doc": "B", "value": 10, "comparator": "le", "year": 2025},
            {"doc": "C", "value": 50, "year": 2025},
            {"doc": "C", "value": 70, "year": 2030},
            {"doc": "C", "value": 30, "year": 2020, "kind": "baseline"},
            {"doc": "N", "value": 70, "year": 2025, "sentence": COPIED.format(70)},
            {"doc": "N", "value": 90, "year": 2030},
            {"doc": "N", "indicator": RANK, "unit": "rank", "comparator": "le", "value": 15,
             "year": 2025, "area": "overall"},
        ]
    )  # fmt: skip


@pytest.fixture()
def table(targets: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    return amb.build_frame(targets, documents).set_index(["doc", "target_no"])


# --------------------------------------------------------------------------- scalar measures


@pytest.mark.parametrize(
    ("value", "high", "comparator", "better", "expected"),
    [
        (80, None, "ge", "higher", 80.0),
        (80, None, "gt", "higher", 80.0),
        (80, None, "eq", "higher", 80.0),
        (25, 35, "range", "higher", 25.0),  # the worse side of "25% - 35%"
        (20, None, "le", "lower", 20.0),  # "nằm trong nhóm 20"
        (10, 20, "range", "lower", 20.0),  # ranks 10 to 20 commit to 20
        (10, None, "le", "higher", None),  # a cap on a good thing commits to nothing
        (20, None, "ge", "lower", None),
        (10, None, "range", "lower", None),  # a range without its upper end
        (80, None, "ge", None, None),  # unknown indicator
    ],
)
def test_commitment(value, high, comparator, better, expected):
    assert amb.commitment(value, high, comparator, better) == expected


def test_peer_percentile_is_mid_rank():
    # 2 peers below, 1 tied, 1 above: 100 * (2 + 0.5) / 4 = 62.5
    assert amb.peer_percentile(5.0, [1.0, 3.0, 5.0, 9.0]) == pytest.approx(62.5, abs=TOL)
    assert amb.peer_percentile(0.0, [1.0, 2.0]) == 0.0
    assert amb.peer_percentile(5.0, []) is None


def test_robust_z_matches_hand_computation():
    peers = [50.0, 60.0, 70.0, 90.0]  # median 65; |dev| 15, 5, 5, 25 -> MAD 10
    assert amb.robust_z(80.0, peers) == pytest.approx(15 / (1.4826 * 10), abs=TOL)
    assert amb.robust_z(80.0, [100.0, 100.0, 100.0]) is None  # MAD 0
    assert amb.robust_z(80.0, [100.0]) is None


def test_progress_per_year_is_oriented():
    assert amb.progress_per_year(80, 60, 2025, 2021, "higher") == pytest.approx(5.0, abs=TOL)
    # rank 30 -> 20 over 5 years: 2 places a year of improvement
    assert amb.progress_per_year(20, 30, 2025, 2020, "lower") == pytest.approx(2.0, abs=TOL)
    assert amb.progress_per_year(80, 60, 2020, 2020, "higher") is None


# --------------------------------------------------------------------------- per-target table


def test_national_gap_and_deadline(table: pd.DataFrame):
    a, b, c2 = table.loc[("A", 1)], table.loc[("B", 1)], table.loc[("C", 2)]
    # A: 80 by 2025; nation 70 by 2025 -> +10 pp; nation first asks >= 80 in 2030 -> 5 years early
    assert (a["national_doc"], a["national_value"], a["gap_national"]) == ("N", 70.0, 10.0)
    assert (a["national_year"], a["years_vs_national"]) == (2030, -5)
    assert (b["gap_national"], b["years_vs_national"]) == (-10.0, 0)
    # C: 70 by 2030 vs national 90 by 2030; the nation asked 70 already for 2025
    assert (c2["gap_national"], c2["national_year"], c2["years_vs_national"]) == (-20.0, 2025, 5)
    # ranks: lower is better, so rank 20 against the nation's 15 is 5 ranks less ambitious
    assert table.loc[("A", 2), "gap_national"] == -5.0
    assert table.loc[("B", 2), "gap_national"] == -15.0
    assert table.loc[("N", 1), ["gap_national", "national_value"]].isna().all()


def test_peer_percentile_and_robust_z(table: pd.DataFrame):
    a, b = table.loc[("A", 1)], table.loc[("B", 1)]
    # A = 80; peers B 60, C 50, C 70 (national excluded): median 60, |dev| 0, 10, 10 -> MAD 10
    assert (a["n_peers"], a["n_peer_docs"], a["peer_median"]) == (3, 2, 60.0)
    assert a["peer_percentile"] == pytest.approx(100.0, abs=TOL)
    assert a["peer_robust_z"] == pytest.approx((80 - 60) / (1.4826 * 10), abs=TOL)
    # B = 60; peers 80, 50, 70: one below -> 33.3; median 70, |dev| 10, 20, 0 -> MAD 10
    assert b["peer_percentile"] == pytest.approx(100 / 3, abs=TOL)
    assert b["peer_robust_z"] == pytest.approx((60 - 70) / (1.4826 * 10), abs=TOL)
    # ranks: A's 20 beats B's 30; one peer gives a percentile but no z
    assert table.loc[("A", 2), "peer_percentile"] == 100.0
    assert pd.isna(table.loc[("A", 2), "peer_robust_z"])


def test_units_directions_and_caps_are_never_mixed(table: pd.DataFrame):
    count, increase, cap = table.loc[("A", 4)], table.loc[("A", 5)], table.loc[("B", 3)]
    assert count["unit"] == "count" and count["n_peers"] == 0 and pd.isna(count["peer_percentile"])
    assert increase["n_peers"] == 0 and pd.isna(increase["gap_national"])
    assert pd.isna(cap["commitment"]) and pd.isna(cap["n_peers"]) and pd.isna(cap["gap_national"])


def test_progress_from_baseline(table: pd.DataFrame):
    a, c1, c2 = table.loc[("A", 1)], table.loc[("C", 1)], table.loc[("C", 2)]
    assert (a["baseline_value"], a["baseline_year"]) == (60.0, 2021)
    assert a["progress_per_year"] == pytest.approx((80 - 60) / 4, abs=TOL)
    assert c1["progress_per_year"] == pytest.approx((50 - 30) / 5, abs=TOL)
    assert c2["progress_per_year"] == pytest.approx((70 - 30) / 10, abs=TOL)
    # A's 5 pp/yr against C's 4 and 4: above both; MAD 0 -> no z
    assert (a["progress_n_peers"], a["progress_percentile"]) == (2, 100.0)
    assert pd.isna(a["progress_robust_z"])
    b = table.loc[("B", 1)]
    assert pd.isna(b["baseline_value"]) and pd.isna(b["progress_per_year"])


def test_only_targets_are_rows_in_order(table: pd.DataFrame, targets: pd.DataFrame):
    assert len(table) == int((targets["kind"] == "target").sum())
    assert list(table.index) == sorted(table.index)


def test_copying_flags_national_text_with_changed_number(table: pd.DataFrame):
    a = table.loc[("A", 1)]
    text = " ".join(nfc(COPIED.format(80)).casefold().split())
    # one character substituted = two Indel operations over len(a) + len(b) = 2 L
    assert a["copy_similarity"] == pytest.approx(100 * (1 - 1 / len(text)), abs=0.01)
    assert a["copied"] and a["copied_from"] == "N" and a["copied_from_national"]
    b = table.loc[("B", 1)]
    assert b["copy_similarity"] < amb.COPY_THRESHOLD and not b["copied"]
    # "PAR" is shorter than COPY_MIN_CHARS: not compared, NA not False
    short = table.loc[("B", 2)]
    assert pd.isna(short["copy_similarity"]) and pd.isna(short["copied"])


def test_copy_threshold_is_a_parameter(targets, documents):
    strict = amb.copying(targets, documents, threshold=99.9).set_index(["doc", "target_no"])
    assert not strict.loc[("A", 1), "copied"]


# --------------------------------------------------------------------------- summaries


def test_document_summary_covers_every_document(targets, documents):
    by_doc = amb.ambition_by_document(targets, documents).set_index("doc")
    assert list(by_doc.index) == ["A", "B", "C", "E", "N"]
    assert by_doc.loc["E", "n_targets"] == 0
    assert by_doc.loc["E", ["share_with_deadline", "median_peer_percentile"]].isna().all()
    a = by_doc.loc["A"]
    assert a["n_targets"] == 4 and a["n_indicators"] == 2
    assert a["share_with_baseline"] == pytest.approx(1 / 4, abs=TOL)
    # gaps are averaged within a unit only: +10 pp; -5 ranks
    assert (a["mean_gap_national_pp"], a["mean_gap_national_ranks"]) == (10.0, -5.0)
    assert a["catalogue_covered"] == 2
    assert a["share_texts_copied"] == pytest.approx(1.0, abs=TOL)  # its one comparable text


def test_coverage_grid_and_shares(targets, documents):
    cov = amb.coverage(targets, documents)
    assert len(cov) == 5 * len(amb.AREAS)
    a = cov.set_index(["doc", "area"]).loc["A"]
    assert a.loc["procedures", "n_targets"] == 3 and a.loc["overall", "n_targets"] == 1
    assert a.loc["direction", "n_targets"] == 0 and pd.isna(a.loc["direction", "share_with_level"])
    assert pd.isna(a.loc["impact", "catalogue_coverage"])  # no catalogue indicator there
    k = a.loc["procedures", "catalogue_indicators"]
    assert a.loc["procedures", "catalogue_coverage"] == pytest.approx(1 / k, abs=TOL)


def test_area_and_province_period_tables(targets, documents):
    area = amb.ambition_by_area(targets, documents)
    assert {"catalogue_coverage", "median_peer_percentile", "share_texts_copied"} <= set(area)
    pp = amb.ambition_by_province_period(targets, documents)
    assert pp["n_docs"].sum() == len(documents)
    assert pp["n_targets"].sum() == int((targets["kind"] == "target").sum())


def test_missing_values_stay_missing():
    docs = pd.DataFrame({"doc": ["X"], "province": ["Đắk Lắk"], "province_code": ["66"],
                         "period_start": [2021], "period_end": [2025]})  # fmt: skip
    t = make_targets([{"doc": "X", "value": 80, "year": pd.NA, "level": pd.NA}])
    row = amb.build_frame(t, docs).iloc[0]
    assert pd.isna(row["n_peers"]) and pd.isna(row["years_vs_national"])
    summary = amb.ambition_by_document(t, docs).iloc[0]
    assert summary["share_with_deadline"] == 0.0 and summary["share_with_level"] == 0.0
    assert pd.isna(summary["median_peer_percentile"])


def test_schema_has_descriptions_and_output_is_deterministic(targets, documents):
    schema = amb.SCHEMA
    assert all(col.description for col in schema.columns.values())
    first = amb.build_frame(targets, documents)
    pd.testing.assert_frame_equal(first, amb.build_frame(targets.iloc[::-1], documents))


# --------------------------------------------------------------------------- gold stand-in


def gold_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The gold annotations as a stand-in targets table (tests only)."""
    gold = REPO / "data" / "raw" / "gold"
    t = pd.read_csv(gold / "targets.csv", dtype={"doc": "string"})
    d = pd.read_csv(gold / "documents.csv", dtype={"doc": "string"})
    t["target_no"] = t.groupby("doc").cumcount() + 1
    for col in ("start", "end", "sentence", "heading"):
        t[col] = pd.NA
    codes = {"Đắk Lắk": "66", "Hưng Yên": "33", "Kiên Giang": "91", "Tây Ninh": "72"}
    d["province_code"] = d["province"].map(codes)
    return t, d


def test_gold_stand_in_covers_every_seed_plan():
    t, d = gold_tables()
    table = amb.build_frame(t, d)
    assert set(table["doc"]) == set(d["doc"])
    assert len(table) == int((t["kind"] == "target").sum())
    assert table["gap_national"].isna().all()  # no national document among the seed plans
    assert int((table["n_peers"] > 0).sum()) > 0
    assert not math.isnan(float(table["peer_percentile"].dropna().median()))
    by_doc = amb.ambition_by_document(t, d)
    assert list(by_doc["doc"]) == sorted(d["doc"])
    assert (by_doc["n_targets"] > 0).all()
