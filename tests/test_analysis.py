"""parstats.analysis: the research questions on the real data and on frames with known answers."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from test_ambition import gold_tables

from parstats import analysis as an
from parstats.errors import DroppedRowsWarning, ModelError, SmallSampleWarning

B = 499
PAPI_TOTAL = "total (file column 'Un-weighted2015PAPI'; unweighted sum of 6 dimension scores)"
PAPI_WEIGHTED = "total (weighted PAPI score, 10-80 scale)"
DIMS = ("Transparency", "Vertical Accountability")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def indices() -> pd.DataFrame:
    from parstats.indices import load

    return load()


@pytest.fixture(scope="module")
def cross(indices) -> an.CrossIndexAnalysis:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DroppedRowsWarning)
        return an.cross_index_models(indices, B=B, seed=1)


@pytest.fixture(scope="module")
def seed_frame(indices) -> pd.DataFrame:
    t, d = gold_tables()
    return an.ambition_delivery_frame(t, d, indices)


def synthetic_indices(n_prov=40, years=range(2011, 2018), slope=0.5, seed=0) -> pd.DataFrame:
    """Tidy PCI score, PAPI total and two PAPI dimensions with PCI = 0.5 * PAPI + FE + noise."""
    rng = np.random.default_rng(seed)
    effect = rng.normal(size=n_prov)
    rows = []
    for p in range(n_prov):
        code = f"{p + 1:02d}"
        for y in years:
            dims = np.clip(5 + effect[p] / 2 + rng.normal(size=2), 1.5, 9.5)
            papi = 6 * dims.mean()
            pci = 60 + 2 * effect[p] + slope * papi + 0.3 * rng.normal() + (y - 2011)
            label = PAPI_TOTAL if y <= 2017 else PAPI_WEIGHTED
            rows.append(("PAPI", code, f"P{code}", y, label, round(papi, 4)))
            for name, v in zip(DIMS, dims, strict=True):
                rows.append(("PAPI", code, f"P{code}", y, f"dimension: {name}", round(v, 4)))
            rows.append(("PCI", code, f"P{code}", y, "score", round(pci, 4)))
            rows.append(("PCI", code, f"P{code}", y, "rank", float(p + 1)))
    rows.append(("PCI", pd.NA, "(63-province average)", 2015, "score", 60.0))
    return pd.DataFrame(
        rows, columns=["index", "province_code", "province", "year", "measure", "value"]
    )


def plan_frame(n: int, slope: float = 0.5, noise: float = 1.0, seed: int = 0) -> pd.DataFrame:
    """Plans with PCI rank gain = 2 + slope * ambition + noise, and end tiers from the gain."""
    rng = np.random.default_rng(seed)
    a = rng.uniform(0, 100, n)
    gain = 2 + slope * a + noise * rng.normal(size=n)
    end_rank = np.clip(np.round(63 - gain), 1, 63)
    return pd.DataFrame(
        {
            "province": [f"P{i}" for i in range(n)],
            "period_start": 2016,
            "period_end": 2020,
            "median_peer_percentile": pd.array(a, dtype="Float64"),
            "PCI_rank_gain": pd.array(gain, dtype="Float64"),
            "PCI_rank_base": 63.0,
            "PCI_tier_end": pd.array([an.rank_tier(r) for r in end_rank], dtype="Int64"),
        }
    )


# --------------------------------------------------------------- cross-index, real data


def test_cross_index_model_runs_on_all_63_provinces(cross):
    assert cross.total.n_clusters == 63 and cross.dimensions.n_clusters == 63
    # 63 provinces × 2011-2017, less Bắc Giang and Đồng Tháp 2014 (PAPI published blank).
    assert cross.total.nobs == 439 and cross.dimensions.nobs == 439
    assert cross.years_total == tuple(range(2011, 2018)) == cross.years_dimensions
    assert cross.total.cov_type == "cluster" and cross.total.fe == ("province", "year")
    assert cross.papi_total == PAPI_TOTAL
    assert cross.papi_scale == "PAPI 6 dimensions (2011-2017)"
    assert len(cross.papi_dimensions) == 6
    assert all(m.startswith("dimension: ") for m in cross.papi_dimensions)
    assert cross.total.params["PAPI_total"] == pytest.approx(0.0566, abs=5e-4)
    assert list(cross.comparison.loc["N"]) == ["439", "439"]
    assert "63 provinces × years 2011–2017" in cross.total.notes[0]


def test_rank_correlations_per_year_never_pool_papi_scales(cross):
    corr = cross.rank_correlations
    assert set(corr["method"]) == {"spearman", "kendall"}
    assert sorted(set(corr["year"])) == [*range(2011, 2018), 2019]
    assert (corr.loc[corr["year"] != 2014, "n"] == 63).all()
    assert (corr.loc[corr["year"] == 2014, "n"] == 61).all()
    scale = dict(zip(corr["year"], corr["papi_scale"], strict=True))
    assert scale[2017] == "PAPI 6 dimensions (2011-2017)"
    assert scale[2019] == "PAPI 8 dimensions (2018-)"
    assert ((corr["conf_low"] <= corr["estimate"]) & (corr["estimate"] <= corr["conf_high"])).all()
    assert "Rank correlations" in cross.summary_text()
    assert "<table" in cross._repr_html_()


# --------------------------------------------------------------- cross-index, known answer


def test_cross_index_models_recover_the_slope_and_skip_other_scales():
    frame = synthetic_indices(years=range(2011, 2020))
    res = an.cross_index_models(frame, B=199, seed=0)
    # 2018-2019 totals are on the 8-80 scale: the panel model uses 2011-2017 only ...
    assert res.years_total == tuple(range(2011, 2018))
    assert res.total.nobs == 40 * 7
    assert res.total.params["PAPI_total"] == pytest.approx(0.5, abs=0.05)
    # ... and the dimension model the largest dimension segment, also 2011-2017.
    assert res.years_dimensions == tuple(range(2011, 2018))
    assert set(res.dimensions.params.index) == {
        f"PAPI_dimension_{d.replace(' ', '_')}" for d in DIMS
    }
    # Per-year rank correlations may show both scales, each year on its own.
    assert sorted(set(res.rank_correlations["year"])) == list(range(2011, 2020))


def test_cross_index_models_need_papi():
    frame = synthetic_indices()
    with pytest.raises(ModelError, match="PAPI totals"):
        an.cross_index_models(frame.loc[frame["index"] == "PCI"], B=199)


# --------------------------------------------------------------------------- ambition frame


def test_ambition_delivery_frame_has_one_row_per_seed_plan(seed_frame):
    assert len(seed_frame) == 5  # Đắk Lắk has two plans (2020, 2021-2025)
    assert seed_frame["province"].value_counts()["Đắk Lắk"] == 2
    kg = seed_frame.loc[seed_frame["province"] == "Kiên Giang"].iloc[0]
    assert (kg["base_year"], kg["end_year"]) == (2015, 2020)
    assert kg["PCI_rank_base"] == 11
    assert pd.isna(kg["PCI_rank_gain"])  # PCI 2020 is published for 13 provinces only
    assert kg["PCI_latest_year"] == 2019 and kg["PCI_rank_gain_to_latest"] == 11 - 35
    assert kg["PCI_tier_base"] == 3 and pd.isna(kg["PCI_tier_end"])
    # No seed target has 3 peers of its kind within a year: no percentile, and it says so
    assert pd.isna(kg["median_peer_percentile"]) and kg["n_with_peers"] == 0
    assert kg["plan_ids"] == "kien-giang_kh-64_2016"
    # PAPI 2015 (6-60) to any later year (8-80): no score change across the break
    assert pd.isna(kg["PAPI_score_change_to_latest"])
    assert kg["PCI_score_latest_year"] == 2019
    assert kg["PCI_score_change_to_latest"] == pytest.approx(
        kg["PCI_score_latest"] - kg["PCI_score_base"], abs=1e-9
    )
    assert kg["PCI_score_change_to_latest"] == pytest.approx(65.0 - 60.3, abs=0.05)
    for index in ("PAR", "SIPAS", "PAPI", "PCI"):
        assert f"{index}_rank_gain" in seed_frame.columns
        assert seed_frame[f"{index}_tier_end"].dtype == "Int64"


@pytest.mark.parametrize(
    ("rank", "tier"), [(1, 3), (21, 3), (22, 2), (42, 2), (43, 1), (63, 1), (None, None)]
)
def test_rank_tier(rank, tier):
    assert an.rank_tier(rank) == tier


# --------------------------------------------------------------------------- ambition models


def test_seed_plans_are_refused_with_the_reason_and_n(seed_frame):
    with (
        pytest.warns(SmallSampleWarning, match=r"N=0 of 5 plans"),
        pytest.warns(DroppedRowsWarning, match="5 of 5 plans left out"),
    ):
        res = an.ambition_vs_indices(seed_frame, B=B)
    assert res.refused and res.nobs == 0 and res.n_plans == 5
    assert res.ols.results is None and res.ols.status.startswith("refused: N=0 of 5 plans")
    assert res.ordered.status.startswith("refused: ")
    assert any(
        "Kiên Giang 2016-2020 (PCI_rank_gain, median_peer_percentile)" in n for n in res.notes
    )
    assert "refused" in res.summary_text() and "refused" in res._repr_html_()


def test_partial_period_outcome_on_seed_plans_has_no_degrees_of_freedom(seed_frame):
    with (
        pytest.warns(SmallSampleWarning, match="N=1"),
        pytest.warns(DroppedRowsWarning, match="4 of 5 plans left out"),
    ):
        res = an.ambition_vs_indices(
            seed_frame, outcome="PCI_rank_gain_to_latest", ambition="mean_gap_national_pp", B=B
        )
    assert res.nobs == 1
    assert "no residual degrees of freedom" in res.ols.refusal
    assert res.ols.refusal.startswith("N=1 of 5 plans")


def test_two_plans_are_refused_not_faked():
    frame = plan_frame(2)
    with pytest.warns(SmallSampleWarning, match="N=2"):
        res = an.ambition_vs_indices(frame, B=B)
    assert not res.ols.fitted and "N=2 observations but 2 parameters" in res.ols.refusal


def test_small_sample_fit_matches_least_squares_and_is_reproducible():
    frame = plan_frame(8, slope=0.5, noise=2.0, seed=3)
    with pytest.warns(SmallSampleWarning, match="N=8 of 8 plans"):
        res = an.ambition_vs_indices(frame, B=B, seed=7)
    X = np.column_stack([np.ones(8), frame["median_peer_percentile"].to_numpy(float)])
    beta = np.linalg.lstsq(X, frame["PCI_rank_gain"].to_numpy(float), rcond=None)[0]
    ols = res.ols.results
    assert ols.cov_type == "permutation" and ols.nobs == 8
    np.testing.assert_allclose(ols.params.to_numpy(), beta, rtol=1e-10)
    assert ols.p_values["median_peer_percentile"] < 0.01
    low, high = ols.conf_int.loc["median_peer_percentile"]
    assert low < 0.5 < high
    with pytest.warns(SmallSampleWarning):
        again = an.ambition_vs_indices(frame, B=B, seed=7)
    pd.testing.assert_frame_equal(ols.tidy(), again.ols.results.tidy())


def test_ordered_model_of_tiers_when_feasible():
    frame = plan_frame(60, slope=0.5, noise=5.0, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SmallSampleWarning)  # N=60: no small-sample warning
        res = an.ambition_vs_indices(frame, B=199)
    assert res.ordered.fitted and res.ordered.results.model == "ordered logit"
    assert res.ordered.results.params["median_peer_percentile"] > 0
    assert res.ordered.results.p_values["median_peer_percentile"] < 0.001


def test_ordered_model_with_one_tier_is_refused():
    frame = plan_frame(10).assign(PCI_tier_end=pd.array([2] * 10, dtype="Int64"))
    with pytest.warns(SmallSampleWarning):
        res = an.ambition_vs_indices(frame, B=199)
    assert res.ols.fitted
    assert "single value" in res.ordered.refusal


def test_controls_enter_both_models():
    frame = plan_frame(12, seed=2)
    frame["PCI_rank_base"] = np.linspace(10, 60, 12)
    with pytest.warns(SmallSampleWarning, match="N=12"):
        res = an.ambition_vs_indices(frame, controls=("PCI_rank_base",), B=199)
    assert res.ols.formula == "PCI_rank_gain ~ median_peer_percentile + PCI_rank_base"
    assert "PCI_rank_base" in res.ols.results.params.index
    assert res.ordered.formula == "PCI_tier_end ~ median_peer_percentile + PCI_rank_base"
    # Here ambition separates the tiers perfectly: statsmodels has no covariance, and the
    # ordered model is refused rather than crashing the analysis.
    assert not res.ordered.fitted and "separation" in res.ordered.refusal


def test_unknown_column_is_a_usage_error():
    with pytest.raises(ModelError, match="'nope' not in the frame"):
        an.ambition_vs_indices(plan_frame(5), ambition="nope", B=199)


# --------------------------------------------------------------------------- power


def test_power_from_the_real_pci_rank_panel(indices):
    with pytest.warns(DroppedRowsWarning, match="years left out"):
        res = an.power_for_plans(indices, n_sim=400, seed=3)
    assert res.years == tuple(range(2010, 2020))  # 2020-2022: scattered announcements
    assert res.n_changes == 5 * 63 and res.n_provinces == 63
    mde = res.mde.to_numpy()
    assert list(res.mde.index) == [5, 10, 20, 40, 63]
    assert np.all(np.isfinite(mde)) and np.all(np.diff(mde) < 0)
    assert res.plans_needed(float(mde[-2])) == 40
    assert res.plans_needed(0.0) is None
    assert list(res.table().columns) == ["n_plans", "mde", "mde_sd"]
    with pytest.warns(DroppedRowsWarning):
        again = an.power_for_plans(indices, n_sim=400, seed=3)
    pd.testing.assert_series_equal(res.mde, again.mde)


def test_power_keeps_score_changes_within_one_scale():
    frame = synthetic_indices(n_prov=30, years=range(2011, 2020))
    res = an.power_for_plans(frame, index="PAPI", measure=PAPI_TOTAL, span=2, n_sim=200)
    assert res.years == tuple(range(2011, 2018)) and res.n_changes == 30 * 5
    frame = synthetic_indices(n_prov=30, years=range(2011, 2014))
    with pytest.raises(ModelError, match="no pair of years 5 apart|no two well-covered years"):
        an.power_for_plans(frame, index="PCI", measure="rank", span=5, n_sim=200)


def test_power_never_takes_a_score_change_across_a_scale_break():
    rng = np.random.default_rng(0)
    rows = [
        ("PAR", f"{p:02d}", f"P{p:02d}", y, "score", float(rng.uniform(60, 90)))
        for p in range(1, 31)
        for y in range(2012, 2022)
    ]
    frame = pd.DataFrame(
        rows, columns=["index", "province_code", "province", "year", "measure", "value"]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = an.power_for_plans(frame, index="PAR", measure="score", span=2, n_sim=200)
    # 2012-2016 (old criteria): 3 pairs; 2017 alone: none; 2018-2021 (percent): 2 pairs.
    assert res.n_changes == 30 * 5
    assert any("within scale versions only" in n for n in res.notes)
    assert any("2017 alone" in n or "2017-2017" in n for n in res.notes)


# --------------------------------------------------------------------------- per-plan changes


def test_plan_index_changes_give_each_plan_its_value_or_its_reason(indices):
    from parstats.ambition import plan_keys

    t, d = gold_tables()
    keys = plan_keys(d)
    pci = an.plan_index_changes(keys, indices, index="PCI", measure="rank").set_index("plan_id")
    kg = pci.loc["kien-giang_kh-64_2016"]
    assert (kg["base_year"], kg["base_value"], kg["latest_year"], kg["latest_value"]) == (
        2015, 11.0, 2019, 35.0,
    )  # fmt: skip
    assert kg["change_to_latest"] == 24.0 and pd.isna(kg["change"])  # ranks: + is worse
    assert "no PCI rank for Kiên Giang in 2020" in kg["reason"]
    # plans whose years are not in the panel are NA with a reason; nothing raises for all
    assert pci["reason"].notna().all() and len(pci) == len(keys)
    papi = an.plan_index_changes(
        keys, indices, index="PAPI", measure="total_unweighted", allow_derived=True
    ).set_index("plan_id")
    kg = papi.loc["kien-giang_kh-64_2016"]  # 2015 on the 6-60 scale, 2020 on 8-80
    assert "2015 and 2020 on different scales" in kg["reason"] and pd.isna(kg["change"])
    unknown = keys.iloc[:1].assign(period_start=pd.NA)
    assert an.plan_index_changes(unknown, indices, index="PCI")["reason"].iloc[0] == (
        "the plan period is unknown"
    )


# --------------------------------------------------------------------------- the family question


def test_online_services_question_on_the_seed_plans_is_refused_stating_n(indices):
    t, d = gold_tables()
    with pytest.warns(SmallSampleWarning, match=r"N=\d+ of 5 plans"):
        q = an.family_ambition_vs_index(
            "online_public_services", "PAPI", targets=t, documents=d, indices=indices, B=199,
            n_sim=200,
        )  # fmt: skip
    assert q.n_plans == 5 and not q.answered
    assert q.ols.ols.refusal.startswith(f"N={q.nobs} of 5 plans")
    assert q.wcr.refusal.startswith(f"N={q.nobs} of 5 plans")
    f = q.frame.set_index("plan_id")
    # tidy: one row per plan with its ambition and N, its outcome or the reason it is missing
    assert f.loc["dak-lak_qd-3478_2021", "n_targets"] == 9  # 12 rows, 3 restatements
    assert f.loc["dak-lak_qd-3478_2021", "mean_gap_national_pp"] == pytest.approx(5.0)
    assert f.loc["hung-yen_kh-204_2022", "mean_gap_national_pp"] == pytest.approx(10.0)
    assert f.loc["kien-giang_kh-64_2016", "mean_gap_national_pp"] == pytest.approx(-5.0)
    assert f.loc["tay-ninh_kh_2023", "n_targets"] == 0
    assert f["reason"].notna().all()
    assert "refused" in q.summary_text() and "refused" in q._repr_html_()
    fig = q.plot_power()
    assert fig.axes[0].get_xscale() == "log" and fig.axes[0].lines


def synthetic_plans(n: int = 12, slope: float = -0.2, seed: int = 0):
    """Provincial programmes 2021-2025 with online targets and PCI ranks 2020 and 2025."""
    rng = np.random.default_rng(seed)
    docs, targets, idx = [], [], []
    for p in range(n):
        code, name = f"{p + 1:02d}", f"Tỉnh {p + 1}"
        docs.append({"doc": f"d{p:02d}", "province": name, "province_code": code,
                     "issuer": f"UBND tỉnh {name}", "doc_type": "KH",
                     "doc_number": f"{p + 1}/KH-UBND", "issued": "2021",
                     "period_start": 2021, "period_end": 2025})  # fmt: skip
        value = float(rng.integers(60, 101))
        targets.append({"doc": f"d{p:02d}", "indicator": "online_procedures_share",
                        "value": value, "year": 2025})  # fmt: skip
        base = float(rng.integers(1, 64))
        gain = slope * (value - 80) + rng.normal()
        for year, rank in ((2020, base), (2025, base + gain)):
            idx.append(("PCI", code, name, year, "rank", rank))
    from test_ambition import make_targets

    t = make_targets(targets)
    d = pd.DataFrame(docs)
    i = pd.DataFrame(
        idx, columns=["index", "province_code", "province", "year", "measure", "value"]
    )
    return t, d, i


def test_online_services_question_fits_when_there_are_plans():
    t, d, i = synthetic_plans()
    with pytest.warns(SmallSampleWarning, match="N=12 of 12 plans"):
        q = an.family_ambition_vs_index(
            "online_public_services", "PCI", measure="rank", targets=t, documents=d, indices=i,
            B=199, n_sim=200,
        )  # fmt: skip
    assert q.answered and q.nobs == 12 and q.ols.ols.fitted and q.wcr.fitted
    # the slope is least squares of the rank change on the gap to 76/NQ-CP's 80 % by 2025
    gap = q.frame["mean_gap_national_pp"].to_numpy(float)
    X = np.column_stack([np.ones(12), gap])
    y = q.frame["PCI_rank_change"].to_numpy(float)
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(q.ols.ols.results.params.to_numpy(), beta, rtol=1e-10)
    np.testing.assert_allclose(q.wcr.results.params.to_numpy(), beta, rtol=1e-10)
    assert q.wcr.results.cov_type == "wcr" and "fixef_k" in q.wcr.results.ssc
    expected_gap = t["value"].to_numpy(float) - 80.0
    np.testing.assert_allclose(np.sort(gap), np.sort(expected_gap))
    assert q.power is not None and q.power.span == 5


def test_family_question_usage_errors():
    t, d, i = synthetic_plans(4)
    with pytest.raises(ModelError, match="unknown family 'online'"):
        an.family_ambition_vs_index("online", targets=t, documents=d, indices=i)
    with pytest.raises(ModelError, match="ambition must be one of"):
        an.family_ambition_vs_index(ambition="median", targets=t, documents=d, indices=i)


def test_online_services_question_on_the_real_indices_is_honest_about_n(indices):
    """PAPI through 2024 (ranks derived from published sub-dimensions): a few plans at most."""
    t, d = gold_tables()
    with pytest.warns(SmallSampleWarning, match=r"N=\d+ of 5 plans"):
        q = an.family_ambition_vs_index(
            "online_public_services", "PAPI", measure="rank", allow_derived=True, targets=t,
            documents=d, indices=indices, B=199, n_sim=200,
        )  # fmt: skip
    both = q.frame["mean_gap_national_pp"].notna() & q.frame["PAPI_rank_change"].notna()
    assert q.nobs == int(both.sum()) <= 5
    # fitted only with a residual degree of freedom, refused otherwise, N stated either way
    assert q.ols.ols.fitted == (q.nobs > 2)
    if not q.ols.ols.fitted:
        assert q.ols.ols.refusal.startswith(f"N={q.nobs} of 5 plans")
    assert any("derived" in n for n in q.notes)
    changes = q.frame.dropna(subset=["PAPI_rank_change"])
    assert (changes["latest_value"] - changes["base_value"] == changes["PAPI_rank_change"]).all()
