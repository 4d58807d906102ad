"""Figures: built without pyplot, honest about empty data and incomparable scales."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import test_report_data as data  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from parstats import plots  # noqa: E402
from parstats import report_data as rd  # noqa: E402

built = data.built  # the scratch project with hand-made processed tables

REPORT_FIGURES = (
    plots.targets_by_area,
    plots.target_values,
    plots.ambition_vs_peers,
    plots.index_trajectories,
)


def _texts(fig: Figure) -> str:
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts)


@pytest.mark.parametrize("draw", REPORT_FIGURES)
def test_report_figures_are_figures_outside_pyplot(built: Path, draw):
    fig = draw(rd.province_report("Hưng Yên", 2023))
    assert isinstance(fig, Figure)
    assert plt.get_fignums() == []
    fig.savefig(Path(built) / "figure.png")


@pytest.mark.parametrize("draw", REPORT_FIGURES)
def test_report_figures_say_when_there_is_nothing_to_draw(project_home: Path, draw):
    fig = draw(rd.province_report("Tây Ninh", 2023))
    assert _texts(fig).startswith("No ")


def test_incomparable_scales_are_separate_lines(built: Path):
    fig = plots.index_trajectories(rd.province_report("Hưng Yên", 2023))
    papi_score = next(ax for ax in fig.axes if ax.get_title() == "PAPI score")
    lines = [line for line in papi_score.get_lines() if line.get_marker() == "o"]
    assert len(lines) == 2  # PAPI 6 and PAPI 8 dimensions are never joined
    assert "not comparable" in papi_score.get_legend().get_title().get_text()


def test_rank_target_is_drawn_on_the_rank_trajectory(built: Path):
    fig = plots.index_trajectories(rd.province_report("Hưng Yên", 2023))
    par_rank = next(ax for ax in fig.axes if ax.get_title() == "PAR rank")
    stars = [line for line in par_rank.get_lines() if line.get_marker() == "*"]
    assert [tuple(s.get_xydata()[0]) for s in stars] == [(2025.0, 20.0)]
    assert par_rank.yaxis_inverted()


def test_heatmap_annotates_every_cell():
    fig = plots.new_figure()
    table = pd.DataFrame({"a": [1, 0], "b": [3, 4]}, index=["x", "y"])
    plots.heatmap(fig.axes[0], table)
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["0", "1", "3", "4"]


def test_corpus_figures():
    docs, tgts = data.documents(), data.targets()
    fig = plots.corpus_targets_by_area(tgts, docs)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][0] == "Đắk Lắk 2021–2025"
    fig = plots.target_deadlines(tgts)
    assert "0 targets without one" in fig.axes[0].get_title()
    panel = pd.DataFrame({2019: [1.0, 2.0], 2020: [pd.NA, 3.0]}, index=["Hưng Yên", "Tây Ninh"])
    fig = plots.index_panel(panel.astype("Float64"), ("Hưng Yên",), "t")
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["Hưng Yên"]
    assert plt.get_fignums() == []
