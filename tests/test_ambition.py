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


UBND = "UBND tỉnh {}"


@pytest.fixture()
def documents() -> pd.DataFrame:
    """Four provincial programmes 2021-2025, an annual plan, a department's plan, the nation."""
    return pd.DataFrame(
        {
            "doc": ["A", "B", "C", "D", "E", "H", "N"],
            "province": ["Đắk Lắk", "Hưng Yên", "Kiên Giang", "Bình Định", "Tây Ninh", "Hà Nam",
                         "national"],
            "province_code": ["66", "33", "91", "52", "72", "35", pd.NA],
            "issuer": [UBND.format("Đắk Lắk"), UBND.format("Hưng Yên"), UBND.format("Kiên Giang"),
                       UBND.format("Bình Định"), "Sở Tư pháp tỉnh Tây Ninh", UBND.format("Hà Nam"),
                       "Chính phủ"],
            "doc_type": ["QĐ", "KH", "KH", "KH", "KH", "KH", "NQ"],
            "doc_number": ["3478/QĐ-UBND", "204/KH-UBND", "64/KH-UBND", pd.NA, pd.NA, "9/KH-UBND",
                           "76/NQ-CP"],
            "issued": ["2021-12-10", "2021-03-01", "2021-06-03", "2021", "2023", "2023-01-05",
                       "2021-07-15"],
            "period_start": [2021, 2021, 2021, 2021, 2023, 2024, 2021],
            "period_end": [2025, 2025, 2030, 2025, 2023, 2024, 2030],
        }
    )  # fmt: skip


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
            {"doc": "A", "value": 80, "year": 2025, "area": "digital_government"},  # restated
            {"doc": "B", "value": 60, "comparator": "eq", "year": 2025,
             "sentence": "Hồ sơ trực tuyến chiếm sáu mươi phần trăm tổng số hồ sơ"},
            {"doc": "B", "indicator": RANK, "unit": "rank", "comparator": "le", "value": 30,
             "year": 2025, "area": "overall", "sentence": "PAR"},
            {"doc": "B", "value": 10, "comparator": "le", "year": 2025},
            {"doc": "C", "value": 50, "year": 2025},
            {"doc": "C", "value": 70, "year": 2030},
            {"doc": "C", "value": 30, "year": 2020, "kind": "baseline"},
            {"doc": "D", "value": 70, "year": 2026},
            {"doc": "D", "indicator": RANK, "unit": "rank", "comparator": "le", "value": 25,
             "year": 2030, "area": "overall"},
            {"doc": "H", "value": 90, "year": 2024},
            {"doc": "N", "value": 70, "year": 2025, "sentence": COPIED.format(70)},
            {"doc": "N", "value": 90, "year": 2030},
            {"doc": "N", "indicator": RANK, "unit": "rank", "comparator": "le", "value": 15,
             "year": 2025, "area": "overall"},
        ]
    )  # fmt: skip


NO_NATIONAL = amb.load_national_targets().iloc[0:0]


@pytest.fixture()
def table(targets: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    return amb.build_frame(targets, documents, national=NO_NATIONAL).set_index(["doc", "target_no"])


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


# --------------------------------------------------------------------------- keys and kinds


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("Đắk Lắk", "QĐ", "3478/QĐ-UBND", "2021-12-10"), "dak-lak_qd-3478_2021"),
        (("Hưng Yên", "KH", "204/KH-UBND", "2022-12-23"), "hung-yen_kh-204_2022"),
        (("Tây Ninh", "KH", None, "2023"), "tay-ninh_kh_2023"),
        (("Bà Rịa - Vũng Tàu", None, None, None, 2021), "ba-ria-vung-tau_doc_2021"),
        (("national", "NQ", "76/NQ-CP", "2021-07-15"), "national_nq-76_2021"),
        ((None, None, None, None), "national_doc_na"),
    ],
)
def test_plan_id_is_readable_ascii(args, expected):
    assert amb.plan_id(*args) == expected


def test_plan_keys_are_unique_and_carry_kind_and_period(documents):
    twin = documents.iloc[[4]].assign(doc="E2")  # same province, type, no number, year
    keys = amb.plan_keys(pd.concat([documents, twin])).set_index("doc")
    assert keys["plan_id"].is_unique
    assert keys.loc["A", "plan_id"] == "dak-lak_qd-3478_2021"
    assert keys.loc["E", "plan_id"].startswith("tay-ninh_kh_2023_")
    assert list(keys["doc_kind"]) == [  # A, B, C, D, E, E2, H, N
        "provincial_programme", "provincial_programme", "provincial_programme",
        "provincial_programme", "department_plan", "department_plan", "provincial_annual_plan",
        "national",
    ]  # fmt: skip
    assert (keys.loc["A", "period_start"], keys.loc["A", "period_end"]) == (2021, 2025)


def test_document_kind_rules():
    assert amb.document_kind("Hà Nam", "Ủy ban nhân dân tỉnh Hà Nam", 2021, 2025) == (
        "provincial_programme"
    )
    assert amb.document_kind("Hà Nam", "UBND tỉnh Hà Nam", 2023, 2023) == "provincial_annual_plan"
    assert amb.document_kind("Hà Nam", "Sở Nội vụ", 2021, 2025) == "department_plan"
    assert amb.document_kind("Hà Nam", pd.NA, 2021, 2025) == "unknown"
    assert amb.document_kind("national", "Chính phủ", 2021, 2030) == "national"


# --------------------------------------------------------------------------- restatements


def test_restatement_is_linked_to_its_first_statement(targets, table):
    links = amb.restatements(targets)
    assert links.to_dict("records") == [{"doc": "A", "target_no": 6, "restates_target_no": 1}]
    assert table.loc[("A", 6), "restated"] and table.loc[("A", 6), "restates_target_no"] == 1
    assert not table.loc[("A", 1), "restated"] and pd.isna(
        table.loc[("A", 1), "restates_target_no"]
    )
    # a different deadline or value is another commitment
    assert amb.restatements(targets.assign(year=targets["year"] + targets["target_no"])).empty


# --------------------------------------------------------------------------- per-target table


def test_national_gap_in_force_at_the_deadline(table: pd.DataFrame):
    a, b, c2 = table.loc[("A", 1)], table.loc[("B", 1)], table.loc[("C", 2)]
    # A: 80 by 2025; the nation 70 by 2025 -> +10 pp; the nation first asks >= 80 in 2030
    assert (a["national_programme"], a["national_value"], a["gap_national"]) == ("N", 70.0, 10.0)
    assert (a["national_year"], a["national_rule"]) == (2025, "same_year")
    assert (a["national_year_as_demanding"], a["years_vs_national"]) == (2030, -5)
    assert (b["gap_national"], b["years_vs_national"]) == (-10.0, 0)
    # C: 70 by 2030 vs national 90 by 2030; the nation asked 70 already for 2025
    assert (c2["gap_national"], c2["national_year_as_demanding"], c2["years_vs_national"]) == (
        -20.0, 2025, 5,
    )  # fmt: skip
    # H, an annual plan for 2024: the next national milestone (2025) is in force
    h = table.loc[("H", 1)]
    assert (h["national_year"], h["national_rule"], h["gap_national"]) == (
        2025, "next_milestone", 20.0,
    )  # fmt: skip
    # D's rank by 2030: the nation set ranks only for 2025, still in force in 2030
    d = table.loc[("D", 2)]
    assert (d["national_year"], d["national_rule"], d["gap_national"]) == (
        2025, "earlier_milestone", -10.0,
    )  # fmt: skip
    # ranks: lower is better, so rank 20 against the nation's 15 is 5 ranks less ambitious
    assert table.loc[("A", 2), "gap_national"] == -5.0
    assert table.loc[("B", 2), "gap_national"] == -15.0
    n = table.loc[("N", 1)]
    assert n[["gap_national", "national_value"]].isna().all()
    assert n["national_reason"] == "a national document's own target"


def test_national_reasons_say_why_there_is_no_gap(targets, documents):
    nat = amb.load_national_targets()
    nat = nat.loc[nat["indicator"] == SHARE].assign(level="province", period_end=2022)
    t = amb.build_frame(targets, documents.loc[documents["doc"] != "N"], national=nat)
    t = t.set_index(["doc", "target_no"])
    assert "at level province, not all" in t.loc[("A", 1), "national_reason"]
    assert t.loc[("A", 2), "national_reason"] == f"no national target for {RANK}"
    assert "commits to nothing" in t.loc[("B", 3), "national_reason"]
    nat = nat.assign(level="all")
    t = amb.build_frame(targets, documents.loc[documents["doc"] != "N"], national=nat)
    reason = t.set_index(["doc", "target_no"]).loc[("A", 1), "national_reason"]
    assert "in force in 2025" in reason and "17/NQ-CP 2019-2022" in reason


def test_peers_are_same_kind_within_a_year_each_commitment_once(table: pd.DataFrame):
    a, b = table.loc[("A", 1)], table.loc[("B", 1)]
    # A = 80 by 2025. Peers: B 60, C 50 (2025), D 70 (2026). Not C's 70 by 2030 (5 years
    # off), not H's 90 (an annual plan), not A's own restatement. Median 60, MAD 10.
    assert (a["n_peers"], a["n_peer_docs"], a["peer_median"]) == (3, 3, 60.0)
    assert a["peer_percentile"] == pytest.approx(100.0, abs=TOL)
    assert a["peer_robust_z"] == pytest.approx((80 - 60) / (1.4826 * 10), abs=TOL)
    assert pd.isna(a["peer_reason"])
    # B = 60: peers A 80 (once, though stated twice), C 50, D 70 -> one below: 33.3
    assert b["n_peers"] == 3
    assert b["peer_percentile"] == pytest.approx(100 / 3, abs=TOL)
    assert b["peer_robust_z"] == pytest.approx((60 - 70) / (1.4826 * 10), abs=TOL)
    # the restated row carries its first statement's measures
    assert table.loc[("A", 6), "peer_percentile"] == a["peer_percentile"]


def test_fewer_than_three_peers_give_no_percentile_but_a_reason(table: pd.DataFrame):
    rank = table.loc[("A", 2)]  # one peer: B's rank 30
    assert rank["n_peers"] == 1 and pd.isna(rank["peer_percentile"])
    assert pd.isna(rank["peer_robust_z"]) and pd.isna(rank["peer_median"])
    assert rank["peer_reason"].startswith("1 peer(s) of 3 needed: provincial programmes")
    assert "due 2024-2026" in rank["peer_reason"]
    h = table.loc[("H", 1)]  # the only annual plan
    assert h["n_peers"] == 0 and "provincial annual plans" in h["peer_reason"]


def test_units_directions_and_caps_are_never_mixed(table: pd.DataFrame):
    count, increase, cap = table.loc[("A", 4)], table.loc[("A", 5)], table.loc[("B", 3)]
    assert count["unit"] == "count" and count["n_peers"] == 0 and pd.isna(count["peer_percentile"])
    assert increase["n_peers"] == 0 and pd.isna(increase["gap_national"])
    assert pd.isna(cap["commitment"]) and pd.isna(cap["n_peers"]) and pd.isna(cap["gap_national"])
    assert "commits to nothing" in cap["peer_reason"]


def test_progress_from_baseline(table: pd.DataFrame):
    a, c1, c2 = table.loc[("A", 1)], table.loc[("C", 1)], table.loc[("C", 2)]
    assert (a["baseline_value"], a["baseline_year"]) == (60.0, 2021)
    assert a["progress_per_year"] == pytest.approx((80 - 60) / 4, abs=TOL)
    assert c1["progress_per_year"] == pytest.approx((50 - 30) / 5, abs=TOL)
    assert c2["progress_per_year"] == pytest.approx((70 - 30) / 10, abs=TOL)
    # A's progress has one peer with a progress (C by 2025): too few for a percentile
    assert a["progress_n_peers"] == 1 and pd.isna(a["progress_percentile"])
    assert a["progress_reason"].startswith("1 peer(s) of 3 needed")
    b = table.loc[("B", 1)]
    assert pd.isna(b["baseline_value"]) and pd.isna(b["progress_per_year"])
    assert b["progress_reason"] == "no baseline to measure progress from"


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


def test_document_summary_covers_every_document_and_counts_commitments_once(targets, documents):
    by_doc = amb.ambition_by_document(targets, documents).set_index("doc")
    assert list(by_doc.index) == ["A", "B", "C", "D", "E", "H", "N"]
    assert by_doc.loc["A", "plan_id"] == "dak-lak_qd-3478_2021"
    assert by_doc.loc["E", "n_targets"] == 0
    assert by_doc.loc["E", ["share_with_deadline", "median_peer_percentile"]].isna().all()
    a = by_doc.loc["A"]
    # five target rows, one a restatement: four commitments
    assert (a["n_targets"], a["n_restated"], a["n_indicators"]) == (4, 1, 2)
    assert a["share_with_baseline"] == pytest.approx(1 / 4, abs=TOL)
    # gaps are averaged within a unit only: +10 pp; -5 ranks
    assert (a["mean_gap_national_pp"], a["mean_gap_national_ranks"]) == (10.0, -5.0)
    assert a["n_with_peers"] == 1 and a["median_peer_percentile"] == pytest.approx(100.0)
    assert a["catalogue_covered"] == 2
    assert a["share_texts_copied"] == pytest.approx(1.0, abs=TOL)  # its one comparable text


def test_coverage_grid_and_shares(targets, documents):
    cov = amb.coverage(targets, documents)
    assert len(cov) == len(documents) * len(amb.AREAS)
    a = cov.set_index(["doc", "area"]).loc["A"]
    # the restatement under digital_government is not a second target there
    assert a.loc["procedures", "n_targets"] == 3 and a.loc["overall", "n_targets"] == 1
    assert a.loc["digital_government", "n_targets"] == 0
    assert a.loc["direction", "n_targets"] == 0 and pd.isna(a.loc["direction", "share_with_level"])
    assert pd.isna(a.loc["impact", "catalogue_coverage"])  # no catalogue indicator there
    k = a.loc["procedures", "catalogue_indicators"]
    assert a.loc["procedures", "catalogue_coverage"] == pytest.approx(1 / k, abs=TOL)


def test_area_and_province_period_tables(targets, documents):
    area = amb.ambition_by_area(targets, documents)
    assert {"catalogue_coverage", "median_peer_percentile", "share_texts_copied"} <= set(area)
    once = int((targets["kind"] == "target").sum()) - len(amb.restatements(targets))
    assert area["n_targets"].sum() == once
    pp = amb.ambition_by_province_period(targets, documents)
    assert pp["n_docs"].sum() == len(documents)
    assert pp["n_targets"].sum() == once and pp["n_restated"].sum() == 1
    assert "plan_ids" in pp and pp.set_index("province").loc["Đắk Lắk", "plan_ids"] == (
        "dak-lak_qd-3478_2021"
    )


def test_family_ambition_on_one_scale_with_its_n(targets, documents):
    fam = amb.ambition_by_family(targets, documents, in_period_only=False)
    assert set(fam["family"]) == {"online_public_services", "index_ranks"}  # SHARE, RANK
    assert "N" not in set(fam["doc"])  # national documents are not plans
    a = fam.set_index(["doc", "family"]).loc[("A", "online_public_services")]
    # A: 80 by 2025 (+10 pp against the nation; percentile 100 among 3 peers), counted
    # once although stated twice; the count and the increase have neither scale
    assert (a["n_targets"], a["n_restated"]) == (3, 1)
    assert (a["n_gap_national"], a["mean_gap_national_pp"]) == (1, 10.0)
    assert (a["n_peer_percentile"], a["mean_peer_percentile"]) == (1, 100.0)
    assert a["family_label_vi"] == "Dịch vụ công trực tuyến"
    c = fam.set_index(["doc", "family"]).loc[("C", "online_public_services")]
    assert c["mean_gap_national_pp"] == pytest.approx((-20 + -20) / 2)  # 50 vs 70; 70 vs 90
    # in period only (the default): D's 2026 and 2030 targets fall outside 2021-2025, so D
    # has no family row at all; C's 2030 target is inside its 2021-2030 period
    inside = amb.ambition_by_family(targets, documents).set_index(["doc", "family"])
    assert "D" not in inside.index.get_level_values("doc")
    assert inside.loc[("C", "online_public_services"), "n_targets"] == 2


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
    assert table["plan_id"].notna().all() and table["family"].notna().all()
    assert not math.isnan(float(table["gap_national"].dropna().median()))
    by_doc = amb.ambition_by_document(t, d)
    assert list(by_doc["doc"]) == sorted(d["doc"])
    assert (by_doc["n_targets"] > 0).all()


# --------------------------------------------------------------------------- the bars


def test_every_percentile_rests_on_three_peers_or_says_why():
    """Over the table built from the seed plans, and over the processed table if built."""
    t, d = gold_tables()
    tables = [amb.build_frame(t, d)]
    built = REPO / "data" / "processed" / "ambition.parquet"
    if built.exists():
        tables.append(pd.read_parquet(built))
    for table in tables:
        for prefix, n in (("peer", "n_peers"), ("progress", "progress_n_peers")):
            has = table[f"{prefix}_percentile"].notna()
            assert (table.loc[has, n] >= amb.MIN_PEERS).all()
            assert table.loc[~has, f"{prefix}_reason"].notna().all()
            # the number of peers stands beside every percentile
            assert table.loc[has, n].notna().all()
            comparable = table[n].notna()
            few = comparable & (table[n] < amb.MIN_PEERS)
            assert table.loc[few, f"{prefix}_reason"].str.contains("of 3 needed").all()


def test_every_seed_target_with_a_benchmark_in_force_gets_a_gap():
    t, d = gold_tables()
    table = amb.build_frame(t, d)
    nat = amb.load_national_targets()
    for _, row in table.iterrows():
        same = nat.loc[
            (nat["indicator"] == row["indicator"]) & (nat["level"] == row["level"])
            & (nat["unit"] == row["unit"]) & (nat["direction"] == row["direction"])
        ]  # fmt: skip
        in_force = same.loc[
            (same["period_start"] <= row["year"]) & (same["period_end"] >= row["year"])
        ]
        if pd.notna(row["commitment"]) and not in_force.empty:
            assert pd.notna(row["gap_national"]), (row["doc"], row["target_no"])
            assert row["national_programme"] in set(in_force["programme_id"])
            assert row["national_source"].startswith("http")
        else:
            assert pd.isna(row["gap_national"]) and pd.notna(row["national_reason"])
    # The seed plans echo the national programme: Đắk Lắk's 80 % online payment by 2025 is
    # exactly 76/NQ-CP's; Hưng Yên's 60 % provincial work files in 2023 is 30 points short of
    # 942/QĐ-TTg's 90 % for 2025; Kiên Giang's 25 % at level 4 in 2020 is 5 short of 17/NQ-CP.
    idx = table.set_index(["doc", "target_no"])
    dl = idx.loc[("000_64bc7c3f5e06c144", 3)]
    assert (dl["national_programme"], dl["gap_national"]) == ("76/NQ-CP", 0.0)
    hy = idx.loc[("001_4f1b279c0569f61c", 31)]
    assert (hy["indicator"], hy["gap_national"], hy["national_rule"]) == (
        "work_files_online_share", -30.0, "next_milestone",
    )  # fmt: skip
    kg = idx.loc[("002_0a79482184b1712a", 20)]
    assert (kg["national_programme"], kg["gap_national"]) == ("17/NQ-CP", -5.0)
    assert int(table["gap_national"].notna().sum()) >= 20


def test_every_benchmark_row_has_a_source_address_and_a_quote():
    nat = amb.load_national_targets()
    assert len(nat) >= 15
    assert nat["source_url"].str.match(r"https?://").all()
    assert (nat["quote"].str.len() >= 20).all()
    # the quote states the number it is the source of
    for _, row in nat.iterrows():
        number = f"{row['value']:g}"
        assert number in row["quote"], (row["programme_id"], row["indicator"], number)
    assert {"76/NQ-CP", "942/QĐ-TTg"} <= set(nat["programme_id"])
    key = ["programme_id", "indicator", "level", "year"]
    assert not nat.duplicated(key).any()
    sources = (REPO / "parstats" / "data" / "NATIONAL_TARGETS_SOURCES.md").read_text("utf-8")
    assert "Looked for and not found" in sources


def test_bad_benchmark_row_is_refused_with_its_line(tmp_path, monkeypatch):
    from parstats.errors import InputError

    src = (REPO / "parstats" / "data" / "national_targets.csv").read_text("utf-8").splitlines()
    header, first = src[0], src[1]
    bad = first.replace("https://www1.napa.vn/en/?p=4813", "")
    (tmp_path / "national_targets.csv").write_text(f"{header}\n{bad}\n", "utf-8")
    monkeypatch.setattr("parstats.paths.package_data", lambda name: tmp_path / name)
    amb._read_national.cache_clear()
    try:
        with pytest.raises(InputError, match="source_url is empty") as err:
            amb.load_national_targets()
        assert "line 2" in str(err.value)
    finally:
        amb._read_national.cache_clear()


def test_restated_commitments_on_seed_plans_are_counted_once():
    """Đắk Lắk and Hưng Yên restate targets (data/raw/gold/ANNOTATION_NOTES.md)."""
    t, d = gold_tables()
    links = amb.restatements(t)
    dak_lak, hung_yen = "000_64bc7c3f5e06c144", "001_4f1b279c0569f61c"
    pairs = set(map(tuple, links[["doc", "target_no", "restates_target_no"]].to_numpy().tolist()))
    # "100% DVCTT mức độ 4 ... trên nhiều phương tiện" and its block, sections 2 and 6
    assert {(dak_lak, 37, 9), (dak_lak, 38, 10), (dak_lak, 39, 11)} <= pairs
    assert (hung_yen, 40, 5) in pairs  # legal documents lawful, restated among the tasks
    by_doc = amb.ambition_by_document(t, d).set_index("doc")
    n_rows = t.loc[t["kind"] == "target"].groupby("doc").size()
    for doc in (dak_lak, hung_yen):
        restated = int((links["doc"] == doc).sum())
        assert by_doc.loc[doc, "n_restated"] == restated
        assert by_doc.loc[doc, "n_targets"] == n_rows[doc] - restated
    fam = amb.ambition_by_family(t, d).set_index(["doc", "family"])
    assert fam.loc[(dak_lak, "online_public_services"), "n_restated"] == 3
