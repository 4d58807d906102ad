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

from parstats import display, plots  # noqa: E402
from parstats import report_data as rd  # noqa: E402

built = data.built  # the scratch project with hand-made processed tables

REPORT_FIGURES = (
    plots.targets_by_area,
    plots.target_values,
    plots.ambition_vs_peers,
    plots.index_trajectories,
    plots.national_gaps,
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


def test_figures_speak_the_report_language(project_home: Path):
    fig = plots.index_trajectories(rd.province_report("Tây Ninh", 2023), language="vi")
    assert _texts(fig).startswith("Không có số liệu")


def _panel(fig: Figure, index: str, series: str):
    return next(ax for ax in fig.axes
                if getattr(ax, "parstats_axis", {}).get("panel") == f"{index} {series}")


def test_incomparable_scales_are_separate_lines_with_a_break_drawn(built: Path):
    fig = plots.index_trajectories(rd.province_report("Hưng Yên", 2023))
    papi_score = _panel(fig, "PAPI", "score")
    lines = [line for line in papi_score.get_lines() if line.get_gid() == "province"]
    assert len(lines) == 2  # PAPI 6 and PAPI 8 dimensions are never joined
    breaks = [line for line in papi_score.get_lines() if line.get_gid() == "scale-break"]
    assert [line.get_xdata()[0] for line in breaks] == [2018.0]  # between 2017 and 2019
    assert papi_score.get_legend() is None  # one legend for the figure, below the panels
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert len(labels) == len(set(labels))  # one entry per series


def test_rank_target_is_drawn_on_an_inverted_integer_rank_axis(built: Path):
    fig = plots.index_trajectories(rd.province_report("Hưng Yên", 2023))
    par_rank = _panel(fig, "PAR", "rank")
    stars = [line for line in par_rank.get_lines() if line.get_gid() == "target"]
    assert [tuple(s.get_xydata()[0]) for s in stars] == [(2025.0, 20.0)]
    facts = next(f for f in display.axis_facts(fig) if f["panel"] == "PAR rank")
    assert facts["inverted"] and facts["integer_ticks"]
    low, high = facts["ylim"]  # inverted: the bottom limit is the larger one
    assert low > 63 and high < 1 and facts["ticks"][0] == 1 and facts["ticks"][-1] == 63


def test_a_targeted_index_without_data_gets_a_panel_that_says_so(built: Path):
    import dataclasses

    report = rd.province_report("Hưng Yên", 2023)
    without_par = report.indices[report.indices["index"] != "PAR"]
    fig = plots.index_trajectories(dataclasses.replace(report, indices=without_par))
    par_rank = _panel(fig, "PAR", "rank")
    assert par_rank.parstats_axis.get("no_data") is True
    assert "No PAR rank for Hưng Yên" in " ".join(t.get_text() for t in par_rank.texts)
    assert [line.get_gid() for line in par_rank.get_lines()].count("target") == 1


def test_figures_embed_as_svg_with_alt_text_and_axis_facts(built: Path):
    report = rd.province_report("Hưng Yên", 2023)
    figure = display.CaptionedFigure(
        plots.index_trajectories(report), display.Text("caption", "chú thích"),
        display.Text("Sources: PAR", "Nguồn: PAR"), display.Text("alt text", "mô tả"), "traj",
        "en",
    )
    page = figure.html()
    assert 'alt="alt text"' in page and "data:image/svg+xml;base64," in page
    assert "<figcaption" in page and "Sources: PAR" in page
    assert "&quot;inverted&quot;: true" in page


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
