"""parstats.delivery: statuses, margins and trajectories against hand-worked cases."""

from __future__ import annotations

import sys
import types

import pandas as pd
import pytest
from test_ambition import gold_tables, make_targets

from parstats import delivery as dl
from parstats.errors import IncomparableScaleWarning

TOL = 1e-9
HY, DL = "33", "66"  # Hưng Yên, Đắk Lắk


def make_indices(rows: list[tuple]) -> pd.DataFrame:
    """An indices table like indices.load(): (index, code, year, measure, value[, origin])."""
    names = {HY: "Hưng Yên", DL: "Đắk Lắk", None: "(63-province average)"}
    frame = pd.DataFrame(
        [
            {
                "index": r[0],
                "province_code": r[1],
                "province": names[r[1]],
                "is_aggregate": r[1] is None,
                "year": r[2],
                "measure": r[3],
                "value": r[4],
                "origin": r[5] if len(r) > 5 else "published",
                "sources": f"https://example.org/{r[0]}/{r[2]}",
            }
            for r in rows
        ]
    )
    return frame.astype({"year": "Int64", "value": "Float64", "province_code": "string"})


@pytest.fixture()
def documents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc": ["H", "D", "N"],
            "province": ["Hưng Yên", "Đắk Lắk", "national"],
            "province_code": [HY, DL, pd.NA],
            "period_start": [2022, 2021, 2021],
            "period_end": [2023, 2025, 2030],
        }
    )


@pytest.fixture()
def indices() -> pd.DataFrame:
    return make_indices(
        [
            ("PAR", HY, 2023, "rank", 20),
            ("PAR", HY, 2021, "score", 88.34),
            ("PAR", HY, 2023, "score", 90.0),
            ("PAR", HY, 2022, "rank", 25),
            ("PAR", DL, 2023, "rank", 28),
            ("PAR", None, 2024, "score", 88.37),  # an aggregate: never a province's value
            ("PAPI", HY, 2023, "rank", 21),
            ("PCI", HY, 2022, "rank", 30),
            ("PCI", HY, 2023, "rank", 27),
            ("PCI", DL, 2023, "rank", 40),
            ("PCI", DL, 2023, "rank", 41),  # two sources disagree
            ("SIPAS", HY, 2023, "score", 85.5),
            ("SIPAS", HY, 2023, "rank", 9, "derived"),
        ]
    )


def row(**kw) -> dict:
    return {"doc": "H", "unit": "rank", "comparator": "le", "value": 20, "year": 2023,
            "area": "overall", "indicator": "par_index_rank"} | kw  # fmt: skip


@pytest.fixture()
def targets() -> pd.DataFrame:
    return make_targets(
        [
            row(),  # 1 PAR rank 20 <= 20: met, margin 0
            row(indicator="papi_rank"),  # 2 PAPI rank 21: missed by 1
            row(indicator="ict_index_rank"),  # 3 no ICT in the data: no_data
            row(indicator="pci_rank_change", unit="rank_places", comparator="range",
                value=2, value_high=5, direction="increase"),  # 4 30 -> 27: gained 3, met
            row(indicator="satisfaction_administrative_services", unit="percent",
                comparator="ge", value=90),  # 5 SIPAS 85.5 < 90: missed by 4.5
            row(indicator="sipas_rank", value=10),  # 6 only a derived rank
            row(indicator="satisfaction_procedures", unit="percent", comparator="ge",
                value=90),  # 7 not observable: no row
            row(doc="D", year=2025),  # 8 PAR 2025 after the data's last PAR year
            row(doc="D", year=2023, level="commune"),  # 9 wrong level
            row(doc="D", indicator="pci_rank", year=2023),  # 10 sources disagree
            row(doc="D", year=2021),  # 11 PAR 2021 edition in the data, not for Đắk Lắk
            row(doc="N"),  # 12 national: not a province, no row
            row(kind="baseline", value=25, year=2022),  # 13 a baseline: no row
        ]
    )  # fmt: skip


@pytest.fixture()
def status(targets, documents, indices) -> pd.DataFrame:
    return dl.build_frame(targets, documents, indices).set_index(["doc", "target_no"])


@pytest.mark.parametrize(
    ("observed", "value", "high", "comparator", "better", "met", "margin"),
    [
        (20, 20, None, "le", "lower", True, 0.0),  # "nhóm 20": rank 20 is in
        (21, 20, None, "le", "lower", False, -1.0),
        (19, 20, None, "lt", "lower", True, 1.0),
        (20, 20, None, "lt", "lower", False, 0.0),
        (92.5, 90, None, "ge", "higher", True, 2.5),
        (90, 90, None, "gt", "higher", False, 0.0),
        (95, 90, None, "eq", "higher", True, 5.0),  # "đạt 90%" is not failed by 95%
        (3, 5, None, "eq", "lower", True, 2.0),
        (3, 2, 5, "range", "higher", True, 1.0),  # gained 3 of "from 2 to 5 places"
        (7, 2, 5, "range", "higher", True, 5.0),  # more than the range is still met
        (1, 2, 5, "range", "higher", False, -1.0),
        (12, 10, 20, "range", "lower", True, 8.0),  # ranks 10 to 20: bound 20
    ],
)
def test_judge(observed, value, high, comparator, better, met, margin):
    verdict = dl.judge(observed, value, high, comparator, better)
    assert verdict.met is met and verdict.margin == pytest.approx(margin, abs=TOL)


def test_judge_range_without_upper_end_on_a_rank():
    assert dl.judge(12, 10, None, "range", "lower") is None


def test_rows_are_every_observable_provincial_target(status):
    # no row for the unobservable (7), the national (12) or the baseline (13)
    assert list(status.index) == [("D", n) for n in (1, 2, 3, 4)] + [("H", n) for n in range(1, 7)]


def test_rank_targets_met_and_missed(status):
    par, papi = status.loc[("H", 1)], status.loc[("H", 2)]
    assert (par["status"], par["observed_value"], par["margin"]) == ("met", 20.0, 0.0)
    assert par["source"] == "https://example.org/PAR/2023" and not par["derived"]
    assert (papi["status"], papi["margin"]) == ("missed", -1.0)


def test_pci_rank_change_compares_year_before(status):
    pci = status.loc[("H", 4)]
    assert pci["observation"] == "change" and pci["status"] == "met"
    assert (pci["base_year"], pci["base_value"], pci["observed_value"]) == (2022, 30.0, 3.0)
    assert pci["margin"] == pytest.approx(1.0, abs=TOL)  # 3 gained against a floor of 2
    assert pci["source"].splitlines() == [
        "https://example.org/PCI/2022",
        "https://example.org/PCI/2023",
    ]


def test_satisfaction_against_sipas_is_a_proxy(status):
    sat = status.loc[("H", 5)]
    assert (sat["index"], sat["measure"], sat["observation"]) == ("SIPAS", "score", "proxy")
    assert sat["status"] == "missed" and sat["margin"] == pytest.approx(-4.5, abs=TOL)


def test_derived_values_are_used_by_default_and_labelled(targets, documents, indices):
    plain = dl.delivery_status(targets, documents, indices, allow_derived=False)
    assert plain.set_index(["doc", "target_no"]).loc[("H", 6), "status"] == "no_data"
    allowed = dl.delivery_status(targets, documents, indices)
    sipas = allowed.set_index(["doc", "target_no"]).loc[("H", 6)]
    assert sipas["status"] == "met" and bool(sipas["derived"])
    assert "derived by parstats" in sipas["reason"]


def test_not_yet_due_no_data_and_conflicting(status):
    late, level, clash, absent = (status.loc[("D", n)] for n in (1, 2, 3, 4))
    assert late["status"] == "not_yet_due" and late["index_last_year"] == 2023
    assert (late["latest_year"], late["latest_value"]) == (2023, 28.0)  # where it stands
    assert level["status"] == "no_data" and "level commune" in level["reason"]
    assert clash["status"] == "conflicting" and pd.isna(clash["observed_value"])
    assert absent["status"] == "no_data" and pd.isna(absent["observed_value"])
    ict = status.loc[("H", 3)]
    assert ict["status"] == "no_data" and pd.isna(ict["index_last_year"])


def test_as_of_makes_published_editions_due(targets, documents, indices):
    # PAR 2025 is published in 2026: with as_of=2026 a missing 2025 value is no_data
    frame = dl.delivery_status(targets, documents, indices, as_of=2026)
    assert frame.set_index(["doc", "target_no"]).loc[("D", 1), "status"] == "no_data"
    frame = dl.delivery_status(targets, documents, indices, as_of=2025)
    assert frame.set_index(["doc", "target_no"]).loc[("D", 1), "status"] == "not_yet_due"


def test_trajectories(documents, indices):
    with pytest.warns(IncomparableScaleWarning, match="1 plan"):
        tr = dl.index_trajectories(documents, indices)
    assert len(tr) == 2 * len(dl.TRAJECTORY_INDICES)  # no national rows
    par = tr.set_index(["doc", "index"]).loc[("H", "PAR")]
    assert (par["base_year"], par["end_year"]) == (2021, 2023)
    # PAR 2021 and 2023 are on different criteria (2017 vs 2022): no score change
    assert not par["score_comparable"] and pd.isna(par["score_change"])
    pci = tr.set_index(["doc", "index"]).loc[("H", "PCI")]
    assert pd.isna(pci["rank_gain"])  # PCI 2021 rank missing
    dlk = tr.set_index(["doc", "index"]).loc[("D", "PAR")]
    assert (dlk["latest_year"], dlk["rank_latest"]) == (2023, 28.0)


def test_trajectory_rank_gain_and_score_change():
    docs = pd.DataFrame({"doc": ["H"], "province": ["Hưng Yên"], "province_code": [HY],
                         "period_start": [2023], "period_end": [2023]})  # fmt: skip
    idx = make_indices(
        [("PCI", HY, 2022, "rank", 30), ("PCI", HY, 2023, "rank", 27),
         ("PCI", HY, 2022, "score", 63.5), ("PCI", HY, 2023, "score", 65.25)]
    )  # fmt: skip
    pci = dl.index_trajectories(docs, idx).set_index("index").loc["PCI"]
    assert pci["rank_gain"] == 3.0 and pci["score_change"] == pytest.approx(1.75, abs=TOL)


def test_schema_descriptions():
    for schema in (dl.SCHEMA, dl.TRAJECTORY_SCHEMA):
        assert all(c.description for c in schema.columns.values())


def test_gold_stand_in_lists_every_observable_target():
    from parstats.indices import load

    t, d = gold_tables()
    frame = dl.build_frame(t, d, load())
    observable = {s.indicator for s in dl.OBSERVABLE}
    expected = t.loc[(t["kind"] == "target") & t["indicator"].isin(observable)]
    assert len(frame) == len(expected) == 11
    # PAPI through 2024 (ranks derived from the published sub-dimension scores) observes
    # Hưng Yên's "PAPI rank in the top 20 by 2023": rank 12 of the 61 provinces surveyed.
    papi = frame.loc[frame["indicator"] == "papi_rank"].iloc[0]
    assert (papi["status"], papi["observed_year"], papi["observed_value"]) == ("met", 2023, 12)
    assert bool(papi["derived"]) and "hnks-gh/ml-mcdm" in papi["source"]
    others = frame.loc[frame["indicator"] != "papi_rank", "status"]
    assert set(others) <= {"no_data", "not_yet_due"}  # the honest answer for the rest
    pci = frame.loc[frame["indicator"] == "pci_rank_change"].iloc[0]
    assert pci["observation"] == "change"
    assert not dl.build_frame(t, d, load(), allow_derived=False)["derived"].fillna(False).any()


def test_analyse_command_writes_tables(tmp_path, monkeypatch, targets, documents, indices):
    from parstats import cli

    fake = types.ModuleType("parstats.build")
    fake.load_targets = lambda: targets
    fake.load_documents = lambda: documents
    monkeypatch.setitem(sys.modules, "parstats.build", fake)
    monkeypatch.setattr("parstats.indices.load", lambda: indices)
    out = tmp_path / "delivery.csv"
    assert cli.main(["analyse", "delivery", "--out", str(out), "--as-of", "2026"]) == 0
    assert len(pd.read_csv(out)) == 10
    out = tmp_path / "ambition.csv"
    assert cli.main(["analyse", "ambition", "--table", "document", "--out", str(out)]) == 0
    assert list(pd.read_csv(out)["doc"]) == ["D", "H", "N"]


# --- PAPI trajectories read the published totals where there is no ``score`` ---------------

PAPI_6 = "total (file column 'Un-weighted2015PAPI'; unweighted sum of 6 dimension scores)"
PAPI_W = "total (weighted PAPI score, 10-80 scale)"


def papi_plan(start: int, end: int, rows: list[tuple]) -> pd.Series:
    docs = pd.DataFrame({"doc": ["H"], "province": ["Hưng Yên"], "province_code": [HY],
                         "period_start": [start], "period_end": [end]})  # fmt: skip
    idx = make_indices([("PAPI", HY, *r) for r in rows])
    return dl.index_trajectories(docs, idx).set_index("index").loc["PAPI"]


def test_papi_totals_stand_in_for_the_missing_score():
    papi = papi_plan(2016, 2017, [(2015, PAPI_6, 36.25), (2017, PAPI_6, 37.5)])
    assert (papi["score_base"], papi["score_end"]) == (36.25, 37.5)
    assert papi["score_change"] == pytest.approx(1.25, abs=TOL)
    assert papi["score_comparable"] and papi["score_measure"] == PAPI_6


def test_papi_score_is_preferred_to_the_total_of_the_same_year():
    papi = papi_plan(2016, 2016, [(2015, PAPI_6, 36.0), (2016, PAPI_6, 38.4),
                                  (2016, "score", 38.37)])  # fmt: skip
    assert papi["score_end"] == 38.37
    assert papi["score_change"] == pytest.approx(2.37, abs=TOL)  # both 6-60, unweighted
    assert papi["score_measure"].splitlines() == [f"2015: {PAPI_6}", "2016: score"]


@pytest.mark.parametrize(
    ("start", "end", "rows", "years"),
    [
        (2018, 2019, [(2017, PAPI_6, 37.0), (2019, PAPI_W, 45.0)], ("2017", "2019")),  # 6 vs 8 dims
        (2020, 2020, [(2019, PAPI_W, 45.0), (2020, "score", 44.0)], ("2019", "2020")),  # weighting
    ],
)
def test_papi_scores_on_two_scales_are_not_differenced(start, end, rows, years):
    with pytest.warns(IncomparableScaleWarning, match="1 plan trajectories have scores on two"):
        papi = papi_plan(start, end, rows)
    assert not papi["score_comparable"] and pd.isna(papi["score_change"])
    assert pd.notna(papi["score_base"]) and pd.notna(papi["score_end"])
    assert all(f"{y} points" in papi["note"] for y in years)
    # 2020's announced "score" is the unweighted total (measures.csv); 2019's is weighted
    why = "unweighted sum of 8" if "2020" in years else "sum of 6 dimension scores"
    assert why in papi["note"]


def test_papi_year_with_two_different_totals_gives_no_score():
    papi = papi_plan(2020, 2020, [(2019, PAPI_W, 45.0), (2019, "total (unweighted, 8-80)", 44.0)])
    assert pd.isna(papi["score_base"]) and "score 2019: several totals" in papi["note"]


def test_papi_latest_score_reads_the_total():
    papi = papi_plan(2016, 2020, [(2015, PAPI_6, 36.0), (2017, PAPI_6, 37.0)])
    assert (papi["latest_year"], papi["score_latest"]) == (2017, 37.0)
    assert papi["score_measure"] == PAPI_6


def test_real_papi_totals_give_every_province_a_2016_2017_trajectory():
    from parstats.indices import load

    indices = load()
    papi = indices.loc[(indices["index"] == "PAPI") & (indices["measure"] == PAPI_6)]
    codes = sorted(papi.loc[papi["year"] == 2015, "province_code"].dropna().unique())
    docs = pd.DataFrame({"doc": [f"plan_{c}" for c in codes], "province_code": codes,
                         "province": [f"P{c}" for c in codes],
                         "period_start": 2016, "period_end": 2017})  # fmt: skip
    tr = dl.index_trajectories(docs, indices)
    got = tr.loc[tr["index"] == "PAPI"]
    assert len(codes) == 63
    # before the fix every PAPI score here was NA (no "score" measure before 2016)
    assert got["score_change"].notna().all()
    assert (got["score_measure"] == "total_unweighted").all()  # the canonical measure
    assert (got["score_scales"] == "PAPI 6 dimensions (2011-2017)").all()
    assert got["derived"].all()  # the totals are published, the PAPI ranks derived from them
    assert got["rank_gain"].notna().all()


def test_papi_trajectories_reach_2024_with_the_scale_break_named():
    from parstats.indices import load

    indices = load()
    docs = pd.DataFrame({"doc": ["D", "K"], "province": ["Đắk Lắk", "Kiên Giang"],
                         "province_code": [DL, "91"], "period_start": [2021, 2016],
                         "period_end": [2025, 2020]})  # fmt: skip
    with pytest.warns(IncomparableScaleWarning, match="1 plan"):
        tr = dl.index_trajectories(docs, indices).set_index(["doc", "index"])
    dak = tr.loc[("D", "PAPI")]
    # 2025 is not in the data; the latest PAPI year is 2024, a total derived from the
    # published sub-dimension scores (the sum of the 8 dimensions, 8-80 scale)
    assert dak["latest_year"] == 2024 and bool(dak["derived"])
    assert dak["score_latest"] == pytest.approx(43.010228, abs=1e-6)
    assert dak["score_scales"] == "PAPI 8 dimensions (2018-)"
    kien = tr.loc[("K", "PAPI")]
    assert kien["score_scales"] == "PAPI 6 dimensions (2011-2017) | PAPI 8 dimensions (2018-)"
    assert not kien["score_comparable"] and pd.isna(kien["score_change"])
    assert pd.notna(kien["score_base"]) and pd.notna(kien["score_end"])
    assert kien["rank_gain"] == kien["rank_base"] - kien["rank_end"]  # ranks stay comparable


def test_observations_take_the_highest_precedence_source():
    from parstats.indices import load

    obs = dl.observations(load())
    qn = obs.loc[(obs["index"] == "PAPI") & (obs["province_code"] == "22")
                 & (obs["year"] == 2020) & (obs["measure"] == "total_unweighted")]  # fmt: skip
    # two press figures (48.811, 48.881) and the sum of the official sub-dimension scores
    assert qn["value"].tolist() == [pytest.approx(48.811383008)] and qn["derived"].all()
    published = dl.observations(load(), allow_derived=False)
    qn = published.loc[(published["index"] == "PAPI") & (published["province_code"] == "22")
                       & (published["year"] == 2020)
                       & (published["measure"] == "total_unweighted")]  # fmt: skip
    # two press figures of equal precedence: the one the official sub-dimension sum backs
    assert qn["value"].tolist() == [48.811] and not qn["derived"].any()
