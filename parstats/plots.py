"""Figures for the report template and the exploration notebooks.

Every function takes parstats tables (or a
:class:`~parstats.report_data.ProvinceReport`) and returns a
:class:`matplotlib.figure.Figure` built without pyplot, so that nothing is
left open between reports and a notebook shows each figure once (the cell's
value). A figure with nothing to draw says so in words instead of failing.
Labels are English, with the Vietnamese term where it helps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from parstats.report_data import ProvinceReport

HIGHLIGHT = "#c0392b"
MUTED = "#7f8c8d"
TARGET_COLOUR = "#2471a3"
SEGMENT_COLOURS = ("#34495e", "#8e44ad", "#16a085")


def new_figure(width: float = 7.0, height: float = 4.0, ncols: int = 1, nrows: int = 1) -> Figure:
    """Return a figure with ``nrows x ncols`` axes, not registered with pyplot.

    No layout engine: notebooks save figures with ``bbox_inches="tight"``, and
    a constrained layout costs seconds per report on a grid of axes.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=80)
    fig.subplots(nrows, ncols, squeeze=False)
    fig.subplots_adjust(hspace=0.45, wspace=0.35)
    return fig


def _nothing(fig: Figure, message: str) -> Figure:
    ax = fig.axes[0]
    ax.text(0.5, 0.5, message, ha="center", va="center", color=MUTED, wrap=True)
    ax.set_axis_off()
    return fig


def plain(label: object) -> str:
    r"""Return ``label`` as text matplotlib shows as it is (``$`` is not mathtext: ``\$``).

    Labels come from data (plan file names, provinces); a ``$`` in them must
    not start a formula that fails to parse.
    """
    return str(label).replace("$", r"\$")


def heatmap(ax: Axes, table: pd.DataFrame, cmap: str = "Blues") -> None:
    """Draw ``table`` as an annotated heatmap on ``ax`` (rows and columns labelled)."""
    values = table.to_numpy(dtype=float)
    ax.imshow(values, cmap=cmap, aspect="auto", vmin=0)
    ax.set_xticks(range(table.shape[1]), [plain(c) for c in table.columns], rotation=30,
                  ha="right")
    ax.set_yticks(range(table.shape[0]), [plain(i) for i in table.index])
    top = values.max() if values.size else 0
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, f"{v:g}", ha="center", va="center", color="white" if v > top / 2 else "black")


def targets_by_area(report: ProvinceReport) -> Figure:
    """Heatmap of target counts by reform area (*lĩnh vực cải cách*) and plan in force."""
    counts = report.targets_by_area()
    fig = new_figure(7.0, 1.2 + 0.4 * max(len(counts), 2))
    if counts.empty:
        return _nothing(fig, f"No target in a plan in force in {report.year}")
    ax = fig.axes[0]
    heatmap(ax, counts)
    ax.set_xlabel("plan in force (kế hoạch)")
    ax.set_ylabel("reform area (lĩnh vực)")
    ax.set_title(f"Targets by area — {report.title}")
    return fig


def target_values(report: ProvinceReport) -> Figure:
    """Dot chart of percentage targets by area, the national programme's beside them."""
    fig = new_figure(7.0, 4.0)
    ax = fig.axes[0]
    mine = report.targets[report.targets["unit"] == "percent"] if len(report.targets) else None
    if mine is None or mine.empty:
        return _nothing(fig, "No percentage target in the plans in force")
    areas = sorted(set(mine["area"]) | set(_percent(report.national_targets)["area"]))
    pos = {area: i for i, area in enumerate(areas)}
    national = _percent(report.national_targets)
    if len(national):
        ax.scatter(
            national["value"], national["area"].map(pos) + 0.15, marker="|", s=120,
            color=MUTED, label="national programme",
        )
    ax.scatter(
        mine["value"], mine["area"].map(pos) - 0.15, color=TARGET_COLOUR, alpha=0.7,
        label=report.province.name_vi,
    )
    ax.set_yticks(range(len(areas)), areas)
    ax.set_xlabel("target value (%)")
    ax.set_title("Percentage targets by area (chỉ tiêu, %)")
    ax.legend(loc="lower left", fontsize="small")
    return fig


def _percent(targets: pd.DataFrame) -> pd.DataFrame:
    if targets.empty or "unit" not in targets.columns:
        return targets.iloc[0:0].assign(area=[], value=[])
    return targets[targets["unit"] == "percent"]


def ambition_vs_peers(report: ProvinceReport) -> Figure:
    """Dot chart of every provincial plan's median peer percentile, plans in force highlighted.

    A target's peer percentile places its commitment among comparable targets
    of other provincial plans (100: the most ambitious); the dot is the median
    over a plan's targets. This province's plans in force are red.
    """
    peers = report.peer_ambition
    fig = new_figure(6.0, 1.0 + 0.35 * max(len(peers), 3))
    if peers.empty:
        return _nothing(fig, "No ambition scores (no comparable targets in other plans)")
    ax = fig.axes[0]
    mine = peers["doc"].isin(report.plans["doc"])
    colours = [HIGHLIGHT if m else MUTED for m in mine]
    sizes = 12 + peers["n_targets"].astype(float)
    ax.scatter(peers["peer_percentile"], range(len(peers)), color=colours, s=sizes)
    ax.set_yticks(range(len(peers)), peers["plan"])
    ax.set_xlim(-5, 105)
    ax.axvline(50, color=MUTED, linewidth=0.6, linestyle=":")
    ax.set_xlabel("median peer percentile of targets (mức độ tham vọng); dot size = targets")
    ax.set_title(f"Ambition against peers — plans in force in {report.year} in red")
    return fig


def _segments(ax: Axes, rows: pd.DataFrame) -> None:
    """Draw index values as one line per comparable segment (never joined across scales)."""
    from parstats.scales import check_comparable

    result = check_comparable(rows, errors="ignore")
    for n, segment in enumerate(result.segments):
        part = segment.select(rows).sort_values("year")
        label = segment.version if not result.comparable else None
        ax.plot(part["year"], part["value"], marker="o", color=SEGMENT_COLOURS[n % 3], label=label)
    if not result.comparable:
        ax.legend(fontsize="x-small", title="scale (not comparable)", title_fontsize="x-small")


def _targets(ax: Axes, targets: pd.DataFrame, year: int) -> None:
    for _, t in targets.iterrows():
        ax.axhline(t["value"], color=TARGET_COLOUR, linestyle="--", linewidth=1)
        if t["year"] == t["year"]:  # NA-safe: NaN != NaN
            ax.plot([t["year"]], [t["value"]], marker="*", markersize=12, color=TARGET_COLOUR)
    ax.axvline(year, color=HIGHLIGHT, linewidth=0.8, alpha=0.6)


def index_trajectories(report: ProvinceReport) -> Figure:
    """PAR/SIPAS/PAPI/PCI score and rank over the years, with the plans' rank targets.

    One column per index with data; scores on top, ranks below (inverted:
    1 is best). Values on different scale versions
    (:func:`parstats.scales.check_comparable`, e.g. PAPI before and after 2018)
    are separate lines, labelled, never joined. A plan target on an index rank
    is the dashed line and the star at its deadline; the report year is the
    vertical red line.
    """
    data = report.indices
    present = [i for i in ("PAR", "SIPAS", "PAPI", "PCI") if i in set(data["index"])]
    fig = new_figure(3.0 * max(len(present), 1), 4.6, ncols=max(len(present), 1), nrows=2)
    if not present:
        return _nothing(fig, "No PAR, SIPAS, PAPI or PCI figure for this province")
    for col, index in enumerate(present):
        for row, series in enumerate(("score", "rank")):
            ax = fig.axes[row * len(present) + col]
            rows = data[(data["index"] == index) & (data["series"] == series)]
            targets = report.index_targets
            if len(targets):
                targets = targets[(targets["index"] == index) & (targets["series"] == series)]
            if rows.empty and targets.empty:
                ax.text(0.5, 0.5, f"no {series}", ha="center", va="center", color=MUTED)
                ax.set_axis_off()
                continue
            _segments(ax, rows)
            _targets(ax, targets, report.year)
            if series == "rank":
                ax.invert_yaxis()
            ax.set_title(f"{index} {series}", fontsize="medium")
            ax.tick_params(labelsize="small")
    targets = report.index_targets
    deadlines = targets["year"].dropna().astype(int).tolist() if len(targets) else []
    years = [*data["year"].dropna().astype(int), *deadlines, report.year]
    for ax in fig.axes:
        if ax.axison:
            ax.set_xlim(min(years) - 0.5, max(years) + 0.5)
            ax.xaxis.get_major_locator().set_params(integer=True)
    fig.suptitle(f"Index trajectories — {report.title}")
    return fig


# --------------------------------------------------------------------------- corpus figures


def _floats(values: pd.Series) -> np.ndarray:
    """Return ``values`` as floats with NaN for missing (``pd.NA`` included)."""
    return values.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def _plan_labels(documents: pd.DataFrame) -> pd.Series:
    """``"Đắk Lắk 2021–2025"`` for each document, indexed by ``doc``."""
    period = documents["period_start"].astype("string") + "–" + documents["period_end"].astype(
        "string"
    )
    return (documents["province"] + " " + period.fillna("?")).set_axis(documents["doc"])


def corpus_targets_by_area(targets: pd.DataFrame, documents: pd.DataFrame) -> Figure:
    """Heatmap of target counts by plan (rows) and reform area (columns), whole corpus."""
    rows = targets[targets["kind"] == "target"]
    counts = rows.groupby(["doc", "area"]).size().unstack("area", fill_value=0)
    counts.index = counts.index.map(_plan_labels(documents))
    fig = new_figure(8.0, 1.2 + 0.45 * max(len(counts), 2))
    if counts.empty:
        return _nothing(fig, "No target in the corpus")
    heatmap(fig.axes[0], counts)
    fig.axes[0].set_title("Targets (chỉ tiêu) by plan and reform area (lĩnh vực)")
    return fig


def target_deadlines(targets: pd.DataFrame) -> Figure:
    """Bar chart of target deadlines (*thời hạn*): how many targets fall due each year."""
    rows = targets[targets["kind"] == "target"]
    years = rows["year"].dropna().astype(int).value_counts().sort_index()
    fig = new_figure(6.0, 3.0)
    if years.empty:
        return _nothing(fig, "No target with a deadline")
    ax = fig.axes[0]
    ax.bar(years.index, years.to_numpy(), color=TARGET_COLOUR)
    ax.set_xlabel("deadline year")
    ax.set_ylabel("targets")
    missing = int(rows["year"].isna().sum())
    ax.set_title(f"Target deadlines ({missing} targets without one)")
    return fig


def index_coverage(indices: pd.DataFrame) -> Figure:
    """Heatmap of how many provinces have a published score (or PAPI total) by index and year."""
    kinds = indices["measure_kind"].isin(("score", "total"))
    rows = indices[kinds & ~indices["is_aggregate"] & indices["value"].notna()]
    counts = rows.groupby(["index", "year"])["province_code"].nunique()
    counts = counts.unstack("year", fill_value=0)
    fig = new_figure(10.0, 2.8)
    if counts.empty:
        return _nothing(fig, "No index scores")
    heatmap(fig.axes[0], counts, cmap="Greens")
    fig.axes[0].set_title("Provinces with a published score (điểm) by index and year (of 63)")
    return fig


def index_panel(panel: pd.DataFrame, highlight: tuple[str, ...] = (), title: str = "") -> Figure:
    """Lines of a province × year panel (:func:`parstats.indices.panel`), some highlighted.

    Every province is a thin grey line; the ``highlight`` provinces are coloured
    and labelled. The panel must be on one scale (``panel`` checks it).
    """
    fig = new_figure(7.0, 4.0)
    if panel.empty:
        return _nothing(fig, "Empty panel")
    ax = fig.axes[0]
    years = [int(y) for y in panel.columns]
    for name, row in panel.iterrows():
        if name not in highlight:
            ax.plot(years, _floats(row), color=MUTED, alpha=0.25, linewidth=0.8)
    for n, name in enumerate(h for h in highlight if h in panel.index):
        ax.plot(years, _floats(panel.loc[name]), marker="o", linewidth=2,
                color=("#c0392b", "#2471a3", "#27ae60", "#8e44ad")[n % 4], label=name)
    ax.set_xlabel("year")
    ax.set_title(title)
    if highlight:
        ax.legend(fontsize="small")
    return fig


def ambition_by_plan(ambition: pd.DataFrame, documents: pd.DataFrame) -> Figure:
    """Strip chart of each target's peer percentile, one row per provincial plan."""
    rows = ambition.dropna(subset=["peer_percentile"])
    rows = rows[rows["province"] != "national"]
    fig = new_figure(7.0, 1.2 + 0.5 * max(rows["doc"].nunique(), 2))
    if rows.empty:
        return _nothing(fig, "No target with comparable peers")
    ax = fig.axes[0]
    labels = _plan_labels(documents)
    docs = sorted(rows["doc"].unique())
    for i, doc in enumerate(docs):
        values = rows.loc[rows["doc"] == doc, "peer_percentile"].to_numpy(dtype=float)
        ax.scatter(values, [i] * len(values), alpha=0.5, color=TARGET_COLOUR)
        ax.plot([float(np.median(values))] * 2, [i - 0.3, i + 0.3], color=HIGHLIGHT, linewidth=2)
    ax.set_yticks(range(len(docs)), [plain(labels.get(d, d)) for d in docs])
    ax.set_xlim(-5, 105)
    ax.set_xlabel("peer percentile of the target (100 = most ambitious); red = median")
    ax.set_title("Ambition (mức độ tham vọng) against peer plans")
    return fig


def delivery_status(delivery: pd.DataFrame, documents: pd.DataFrame) -> Figure:
    """Stacked bars of delivery statuses (met, missed, not yet due, no data) by plan."""
    fig = new_figure(7.0, 1.2 + 0.5 * max(delivery["doc"].nunique(), 2))
    if delivery.empty:
        return _nothing(fig, "No observable index target")
    counts = delivery.groupby(["doc", "status"]).size().unstack("status", fill_value=0)
    order = [s for s in ("met", "missed", "not_yet_due", "no_data", "conflicting") if s in counts]
    colours = {"met": "#27ae60", "missed": HIGHLIGHT, "not_yet_due": "#f1c40f",
               "no_data": MUTED, "conflicting": "#8e44ad"}
    ax = fig.axes[0]
    left = np.zeros(len(counts))
    labels = _plan_labels(documents)
    for status in order:
        ax.barh([plain(labels.get(d, d)) for d in counts.index], counts[status], left=left,
                color=colours[status], label=status)
        left += counts[status].to_numpy()
    ax.set_xlabel("index targets")
    ax.set_title("Delivery of index targets (kết quả thực hiện)")
    ax.legend(fontsize="small")
    return fig


def coefficients(results: object, title: str = "") -> Figure:
    """Coefficient plot of a fitted model (``results.tidy()``): estimates and intervals."""
    tidy = results.tidy()
    fig = new_figure(6.0, 1.0 + 0.5 * max(len(tidy), 2))
    ax = fig.axes[0]
    pos = range(len(tidy))
    ax.errorbar(tidy["estimate"], pos, xerr=[tidy["estimate"] - tidy["conf_low"],
                tidy["conf_high"] - tidy["estimate"]], fmt="o", color=TARGET_COLOUR, capsize=3)
    ax.axvline(0, color=MUTED, linewidth=0.8)
    ax.set_yticks(list(pos), tidy["term"])
    ax.set_xlabel(f"estimate with {getattr(results, 'level', 0.95):.0%} interval "
                  f"({getattr(results, 'cov_label', '')})")
    ax.set_title(title)
    return fig
