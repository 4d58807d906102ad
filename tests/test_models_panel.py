"""Province × year frames from tidy index rows, the cross-index model, plan-period changes."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from parstats.errors import DroppedRowsWarning, IncomparableScaleWarning, ModelError
from parstats.models import (
    column_name,
    cross_index_panel,
    index_change,
    province_year_frame,
)

OBSERVATIONS = Path(__file__).resolve().parents[1] / "data" / "raw" / "indices" / "observations.csv"
PAPI_TOTAL = "total (file column 'Un-weighted2015PAPI'; unweighted sum of 6 dimension scores)"


def tidy_indices(n_prov=40, years=range(2011, 2018), seed=0) -> pd.DataFrame:
    """A synthetic tidy indices frame shaped like parstats.indices.load()."""
    rng = np.random.default_rng(seed)
    rows = []
    effect = rng.normal(size=n_prov)
    for p in range(n_prov):
        for y in years:
            papi = 36 + effect[p] + rng.normal()
            pci = 60 + 2 * effect[p] + 0.5 * (papi - 36) + rng.normal()
            code = f"{p + 1:02d}"
            rows.append(("PAPI", code, f"P{code}", y, PAPI_TOTAL, round(papi, 2)))
            transparency = round(papi / 6, 2)
            rows.append(("PAPI", code, f"P{code}", y, "dimension: Transparency", transparency))
            rows.append(("PCI", code, f"P{code}", y, "score", round(pci, 2)))
    rows.append(("PCI", pd.NA, "(63-province average)", 2015, "score", 60.0))
    return pd.DataFrame(
        rows, columns=["index", "province_code", "province", "year", "measure", "value"]
    )


def test_frame_has_one_row_per_province_year_and_drops_aggregates():
    frame = province_year_frame(tidy_indices(), [("PCI", "score"), ("PAPI", PAPI_TOTAL)])
    assert list(frame.columns) == ["province", "year", "PCI_score", "PAPI_total"]
    assert len(frame) == 40 * 7 and frame["province"].nunique() == 40
    assert not frame["province"].isna().any()


def test_column_names_are_readable():
    assert (
        column_name("PAPI", "dimension: Control of Corruption")
        == "PAPI_dimension_Control_of_Corruption"
    )
    assert column_name("PAPI", "total (weighted PAPI score, 10-80 scale)") == "PAPI_total"


def test_cross_index_panel_recovers_the_slope():
    res = cross_index_panel(tidy_indices(), B=999)
    assert res.nobs == 280 and res.n_clusters == 40
    assert res.cov_type == "cluster" and res.fe == ("province", "year")
    assert res.params["PAPI_total"] == pytest.approx(0.5, abs=0.2)
    assert res.notes[0].startswith("panel of 40 provinces × years 2011–2017 (7 years), N=280")


def test_unknown_index_or_measure_is_a_clear_error():
    df = tidy_indices()
    with pytest.raises(ModelError, match=r"no data for index 'PGI'; indices in the frame: PAPI"):
        cross_index_panel(df, y=("PGI", "score"))
    with pytest.raises(ModelError, match=r"measures containing it: dimension: Transparency"):
        cross_index_panel(df, x=[("PAPI", "transparency")])


def test_measure_matching_ignores_case():
    frame = province_year_frame(tidy_indices(), [("PAPI", "Dimension: transparency")])
    assert len(frame) == 280


def test_year_without_data_is_refused():
    with pytest.raises(ModelError, match=r"no data for year\(s\) 2019; years with data: 2011"):
        cross_index_panel(tidy_indices(), years=[2016, 2019])


def test_scattered_years_are_left_out_with_a_warning():
    df = tidy_indices()
    extra = df[(df["year"] == 2017) & (df["province_code"].isin(["01", "02"]))].assign(year=2020)
    with pytest.warns(DroppedRowsWarning, match=r"years left out \(2020\)"):
        frame = province_year_frame(pd.concat([df, extra]), [("PCI", "score")])
    assert frame["year"].max() == 2017


def test_mixing_papi_scales_warns():
    df = tidy_indices(years=range(2016, 2020))
    with pytest.warns(IncomparableScaleWarning, match=r"change of the index's scale .* 2018"):
        province_year_frame(df, [("PAPI", "dimension: Transparency")])


def test_conflicting_duplicates_are_refused_identical_ones_collapsed():
    df = tidy_indices()
    same = df.iloc[[0]]
    frame = province_year_frame(pd.concat([df, same]), [("PAPI", PAPI_TOTAL)])
    assert len(frame) == 280
    other = df.iloc[[0]].assign(value=df.iloc[0]["value"] + 1)
    with pytest.raises(ModelError, match=r"1 province-years have different values"):
        province_year_frame(pd.concat([df, other]), [("PAPI", PAPI_TOTAL)])
    frame = province_year_frame(pd.concat([df, other]), [("PAPI", PAPI_TOTAL)], duplicates="mean")
    assert frame.loc[0, "PAPI_total"] == pytest.approx(df.iloc[0]["value"] + 0.5)


def test_values_outside_the_published_scale_are_left_out():
    df = tidy_indices()
    df.loc[
        (df["measure"] == PAPI_TOTAL) & (df["province_code"] == "03") & (df["year"] == 2014),
        "value",
    ] = 0.0
    with pytest.warns(
        DroppedRowsWarning,
        match=r"1 values outside the published range 6–60 .*"
        r"03 2014: 0",
    ):
        frame = province_year_frame(df, [("PAPI", PAPI_TOTAL)])
    assert len(frame) == 279


def test_single_province_panel_is_refused():
    df = tidy_indices(n_prov=1)
    with pytest.raises(ModelError, match=r"1 province with complete data \(N=7 province-years\)"):
        cross_index_panel(df, cov="cluster")


def test_index_change_over_plan_periods():
    panel = pd.DataFrame({2016: [10.0, 20.0], 2020: [5.0, np.nan]}, index=["01", "02"])
    plans = pd.DataFrame(
        {"province_code": ["01", "02", "03"], "period_start": [2016] * 3, "period_end": [2020] * 3}
    )
    out = index_change(panel, plans)
    assert out["change"].iloc[0] == -5.0
    assert out["change"].iloc[1:].isna().all()
    assert out["reason"].tolist() == [pd.NA, "no value for 02 in 2020", "03 is not in the panel"]


def test_index_change_gives_each_plan_its_value_or_its_reason_instead_of_raising():
    """UX review: one plan year absent from the panel raised ModelError for the whole table."""
    panel = pd.DataFrame({2016: [10.0, 20.0], 2020: [5.0, 18.0]}, index=["01", "02"])
    plans = pd.DataFrame({"province_code": ["01", "02"], "period_start": [2016, 2021],
                          "period_end": [2020, 2025]})
    out = index_change(panel, plans)
    assert out["change"].iloc[0] == -5.0 and pd.isna(out["change"].iloc[1])
    assert out["reason"].iloc[1] == (
        "no data for 2021 in the panel (years with data: 2016-2020); "
        "no data for 2025 in the panel (years with data: 2016-2020)"
    )
    with pytest.raises(ModelError, match="column 'period_end' not in plans"):
        index_change(panel, plans.drop(columns="period_end"))


@pytest.fixture(scope="module")
def observations() -> pd.DataFrame:
    if not OBSERVATIONS.exists():
        pytest.skip(f"{OBSERVATIONS} not yet in the repository (copied by the indices work)")
    return pd.read_csv(OBSERVATIONS)


def test_real_data_cross_index_model_runs_on_all_provinces(observations):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = cross_index_panel(observations)
    messages = " ".join(str(w.message) for w in caught)
    # PAPI 2014 totals of 0 (Bắc Giang, Đồng Tháp: blank dimensions summed) are left out.
    assert "outside the published range" in messages
    assert res.n_clusters == 63
    assert res.nobs == 439
    assert res.cov_type == "cluster"
    assert "63 provinces × years 2011–2017" in res.notes[0]
    assert np.isfinite(res.tidy()[["estimate", "std_error", "p_value"]].to_numpy()).all()


# --- comparability and bounds come from parstats.scales, not a table of their own ----------


def par_scores(years) -> pd.DataFrame:
    rows = [
        ("PAR", f"{p:02d}", f"P{p:02d}", y, "score", 70.0 + p / 10 + (y - 2015))
        for p in range(1, 31)
        for y in years
    ]
    return pd.DataFrame(
        rows, columns=["index", "province_code", "province", "year", "measure", "value"]
    )


def test_scale_breaks_are_derived_from_parstats_scales():
    from parstats.models import SCALE_BREAKS
    from parstats.scales import scale_for

    # PAR starts new criteria in 2017 (still points) and moves to percent in 2018.
    assert SCALE_BREAKS == {"PAR": (2017, 2018, 2022, 2024), "PAPI": (2018,)}
    for index, breaks in SCALE_BREAKS.items():
        for year in breaks:
            assert (
                scale_for(index, year - 1, "score").version
                != scale_for(index, year, "score").version
            )


def test_par_2016_to_2017_warns_with_the_segments():
    # The duplicate table listed PAR breaks 2018, 2022, 2024 only: 2016-2017 passed silently.
    with pytest.warns(IncomparableScaleWarning, match=r"PAR 'score'.* 2016–2017 .* in 2017") as w:
        frame = province_year_frame(par_scores([2016, 2017]), [("PAR", "score")])
    message = str(w[0].message)
    assert "PAR before the 2017 criteria" in message and "PAR 2017 criteria, points" in message
    assert len(frame) == 60


@pytest.mark.parametrize(
    ("years", "breaks"),
    [([2018, 2019, 2020, 2021], None), ([2017, 2018], "2018"), ([2021, 2022, 2024], "2022, 2024")],
)
def test_par_years_warn_only_across_a_scale_version(years, breaks):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        province_year_frame(par_scores(years), [("PAR", "score")])
    found = [str(w.message) for w in caught if issubclass(w.category, IncomparableScaleWarning)]
    if breaks is None:
        assert found == []
    else:
        assert len(found) == 1 and f"method in {breaks};" in found[0]


def test_range_check_uses_the_scale_of_each_year():
    from parstats.scales import scale_for

    df = tidy_indices(years=range(2018, 2020))
    df = df[df["measure"] == "dimension: Transparency"].copy()
    df.loc[(df["province_code"] == "05") & (df["year"] == 2019), "value"] = 0.5
    bounds = scale_for("PAPI", 2019, "dimension: Transparency")
    with pytest.warns(
        DroppedRowsWarning,
        match=rf"1 values outside the published range {bounds.low:g}–{bounds.high:g} left out "
        r"\(05 2019: 0.5\)",
    ):
        frame = province_year_frame(df, [("PAPI", "dimension: Transparency")])
    assert len(frame) == 2 * 40 - 1


def test_unknown_measure_label_has_no_scale_and_is_refused():
    df = tidy_indices().assign(measure=lambda d: d["measure"].replace("score", "headline"))
    with pytest.raises(ModelError, match=r"PCI 'headline': no scale known for it"):
        province_year_frame(df, [("PCI", "headline")])
