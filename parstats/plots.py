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
    a constrained layout costs seconds per report on a grid of axes. Shown in a
    notebook at 96 dpi (2x PNG on high-density screens: ``savefig(dpi=192)``);
    reports embed them as SVG (:class:`parstats.display.CaptionedFigure`).
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=96)
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


def _say(text: object, language: str, sep: str = " · ") -> str:
    """Return a figure label in the report's language (``"both"``: English, ``sep``, Vietnamese)."""
    from parstats.display import Text, pick

    return plain(pick(text, language, sep) if isinstance(text, Text) else text)


def _two_lines(text: object, language: str) -> str:
    """Return a title or legend entry (``"both"``: English, then Vietnamese on a second line)."""
    return _say(text, language, "\n")


def _area_text(code: object, language: str) -> str:
    from parstats.display import label

    found = label("area", code)
    return _say(found, language) if found is not None else "—"


def targets_by_area(report: ProvinceReport, language: str = "en") -> Figure:
    """Horizontal bars: targets of the plans in force by reform area (*lĩnh vực cải cách*).

    One bar segment per plan (named, never by its hash id); areas labelled in the
    report's language. With no target, the figure says so in words.
    """
    from parstats.display import Text

    counts = report.targets_by_area()
    fig = new_figure(8.0, 1.4 + 0.42 * max(len(counts), 2))
    if counts.empty:
        return _nothing(fig, _say(Text(f"No target in a plan in force in {report.year}",
                                       f"Không có chỉ tiêu nào trong kế hoạch có hiệu lực năm "
                                       f"{report.year}"), language))
    ax = fig.axes[0]
    names = _plan_names(report.plans, language)
    order = counts.sum(axis=1).sort_values().index
    counts = counts.loc[order]
    left = np.zeros(len(counts))
    colours = ("#2471a3", "#7d3c98", "#16a085", "#ca6f1e")
    for n, doc in enumerate(counts.columns):
        values = counts[doc].to_numpy(dtype=float)
        ax.barh(range(len(counts)), values, left=left, color=colours[n % len(colours)],
                label=names.get(doc, "plan"))
        for i, (v, l0) in enumerate(zip(values, left, strict=True)):
            if v:
                ax.text(l0 + v / 2, i, f"{v:g}", ha="center", va="center", color="white",
                        fontsize=9)
        left += values
    ax.set_yticks(range(len(counts)), [_area_text(a, language) for a in counts.index])
    ax.set_xlabel(_say(Text("numeric targets", "số chỉ tiêu định lượng"), language))
    ax.xaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if counts.shape[1] > 1:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, frameon=False,
                  fontsize="small")
    return fig


def _plan_names(plans: pd.DataFrame, language: str) -> dict[str, str]:
    from parstats.display import Text, year_span

    out = {}
    for _, row in plans.iterrows():
        name = Text(str(row.get("name_en", "plan")), str(row.get("name_vi", "kế hoạch")))
        period = year_span(row.get("period_start"), row.get("period_end"))
        out[row["doc"]] = f"{_say(name, language)} ({period})"
    return out


def target_values(report: ProvinceReport, language: str = "en") -> Figure:
    """Dot chart of percentage targets by area, the national programme's beside them."""
    from parstats.display import Text

    fig = new_figure(8.0, 4.0)
    ax = fig.axes[0]
    mine = report.targets[report.targets["unit"] == "percent"] if len(report.targets) else None
    if mine is None or mine.empty:
        return _nothing(fig, _say(Text("No percentage target in the plans in force",
                                       "Không có chỉ tiêu tỷ lệ (%) trong kế hoạch có hiệu lực"),
                                  language))
    national = _percent(report.national_targets)
    areas = sorted(set(mine["area"].dropna()) | set(national["area"].dropna()))
    pos = {area: i for i, area in enumerate(areas)}
    if len(national):
        ax.scatter(national["value"], national["area"].map(pos) + 0.15, marker="|", s=160,
                   color=MUTED, label=_say(Text("national programme", "chương trình quốc gia"),
                                           language))
    ax.scatter(mine["value"], mine["area"].map(pos) - 0.15, color=TARGET_COLOUR, alpha=0.7,
               label=plain(report.province.name_vi))
    ax.set_yticks(range(len(areas)), [_area_text(a, language) for a in areas])
    ax.set_xlabel(_say(Text("target value (%)", "giá trị chỉ tiêu (%)"), language))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, frameon=False,
              fontsize="small")
    return fig


def _percent(targets: pd.DataFrame) -> pd.DataFrame:
    if targets.empty or "unit" not in targets.columns:
        return targets.iloc[0:0].assign(area=[], value=[])
    return targets[targets["unit"] == "percent"]


def national_gaps(report: ProvinceReport, language: str = "en") -> Figure:
    """Each target with a national benchmark: the plan's value against the national one.

    A grey tick is the national target in force at the deadline
    (:func:`parstats.ambition.national_benchmark`), the blue dot the plan's
    commitment, joined by a line (the gap). Targets without a benchmark are not drawn.
    """
    from parstats.display import Text, indicator_label

    rows = report.ambition
    if len(rows) and "gap_national" in rows.columns:
        rows = rows.dropna(subset=["gap_national", "national_value", "commitment"])
        if "restated" in rows.columns:
            rows = rows[~rows["restated"].fillna(False).astype(bool)]
    fig = new_figure(9.0, 1.4 + 0.38 * max(len(rows), 2))
    if rows.empty:
        return _nothing(fig, _say(Text("No target of the plans in force has a national "
                                       "benchmark",
                                       "Không chỉ tiêu nào có chỉ tiêu quốc gia để so sánh"),
                                  language))
    ax = fig.axes[0]
    rows = rows.sort_values(["gap_national", "indicator"]).reset_index(drop=True)
    y = np.arange(len(rows))
    commit = rows["commitment"].astype(float).to_numpy()
    nat = rows["national_value"].astype(float).to_numpy()
    ax.hlines(y, np.minimum(commit, nat), np.maximum(commit, nat), color="#aab7b8", linewidth=2)
    ax.scatter(nat, y, marker="|", s=200, color=MUTED,
               label=_say(Text("national target in force at the deadline",
                               "chỉ tiêu quốc gia có hiệu lực tại thời hạn"), language))
    ax.scatter(commit, y, color=TARGET_COLOUR, zorder=3,
               label=_say(Text("this plan's target", "chỉ tiêu của kế hoạch"), language))
    labels = []
    for _, r in rows.iterrows():
        name = _say(indicator_label(r["indicator"]), language)
        short = name if len(name) <= 70 else name[:68].rsplit(" ", 1)[0] + " …"
        labels.append(f"{short} ({int(r['year'])})" if pd_notna(r.get("year")) else short)
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel(_say(Text("target value (%, or rank)", "giá trị chỉ tiêu (%, hoặc thứ hạng)"),
                       language))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False,
              fontsize="small")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


def pd_notna(value: object) -> bool:
    """Whether ``value`` is present (not ``None``/``NA``/``NaN``)."""
    from parstats.display import is_missing

    return not is_missing(value)


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


# --------------------------------------------------------------------------- trajectories

N_RANKED = 63
RANK_TICKS = (1, 10, 20, 30, 40, 50, 63)
BAND_COLOUR = "#95a5a6"
REGION_COLOUR = "#138d75"
PERIOD_COLOUR = "#f7dc6f"
TRAJECTORY_INDICES = ("PAR", "SIPAS", "PAPI", "PCI")


def _words() -> dict[str, object]:
    from parstats.display import Text

    return {
        "national_median": Text("national median", "trung vị cả nước"),
        "national_band": Text("national inter-quartile range (middle half of provinces)",
                              "khoảng tứ phân vị cả nước (một nửa số tỉnh ở giữa)"),
        "region_median": Text("{region} median", "trung vị vùng {region_vi}"),
        "region_band": Text("{region} inter-quartile range", "khoảng tứ phân vị vùng {region_vi}"),
        "derived": Text("{province} (computed from published sub-dimensions)",
                        "{province} (tính từ các chỉ số thành phần đã công bố)"),
        "period": Text("plan period", "giai đoạn kế hoạch"),
        "target": Text("plan target at its deadline", "chỉ tiêu kế hoạch tại thời hạn"),
        "year": Text("report year", "năm báo cáo"),
        "break": Text("scale or method changes", "thay đổi thang điểm/phương pháp"),
    }


def _fill(text: object, language: str, **values: str) -> str:
    from parstats.display import Text

    assert isinstance(text, Text)
    return _two_lines(Text(text.en.format(**values), text.vi.format(**values)), language)


def _runs(years: list[int]) -> list[list[int]]:
    """Split sorted years into runs of consecutive years (a gap is never bridged)."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


def _score_title(index: str, language: str) -> str:
    from parstats.display import Text

    titles = {
        "PAR": Text("PAR Index score (points to 2017, % from 2018)",
                    "Điểm Chỉ số PAR (điểm đến 2017, % từ 2018)"),
        "SIPAS": Text("SIPAS (% satisfied)", "SIPAS (% hài lòng)"),
        "PAPI": Text("PAPI total (6–60 to 2017, 8–80 from 2018)",
                     "Tổng điểm PAPI (6–60 đến 2017, 8–80 từ 2018)"),
        "PCI": Text("PCI score (0–100)", "Điểm PCI (0–100)"),
    }
    return _two_lines(titles[index], language)


def _rank_title(index: str, language: str) -> str:
    from parstats.display import Text

    name = "PAR Index" if index == "PAR" else index
    return _two_lines(Text(f"{name} rank (1 = best of {N_RANKED})",
                           f"Xếp hạng {name} (1 = cao nhất/{N_RANKED})"), language)


def trajectory_figure(
    rows: pd.DataFrame,
    reference: pd.DataFrame,
    *,
    province: str,
    region: str = "",
    region_en: str = "",
    targets: pd.DataFrame | None = None,
    periods: tuple[tuple[int, int], ...] = (),
    year: int | None = None,
    wanted: tuple[str, ...] = (),
    language: str = "en",
) -> Figure:
    """Each index's score (top) and rank (bottom) over the years, with context.

    Parameters
    ----------
    rows
        The province's figures: ``index``, ``series`` (``score``/``rank``), ``year``,
        ``value``, ``scale_version``, ``origin``.
    reference
        :func:`parstats.report_data.reference_bands`: the national median and
        inter-quartile band, and the region's, drawn on score panels for the years
        where most provinces have a figure.
    province, region, region_en
        Names for the legend; ``region`` (Vietnamese) selects the regional band.
    targets
        Plan targets on an index: ``index``, ``series``, ``year``, ``value``,
        ``comparator``; each is a star at its deadline.
    periods
        Plan periods, shaded.
    year
        The report year (a vertical line), or ``None``.
    wanted
        Indices shown even without any figure (a plan targets them): their panels
        say "no data" in words instead of disappearing.
    language
        ``"en"``, ``"vi"`` or ``"both"``.

    Notes
    -----
    Figures on different scale versions (PAPI 6–60 to 2017, 8–80 from 2018; PAR's
    criteria revisions) are separate lines, with the break drawn as a dotted
    vertical line; a line never bridges a missing year. Figures parstats derived
    are drawn dashed with open markers, with their own legend entry. Rank axes run
    from 1 (top) to 63, integer ticks. Every axis records ``parstats_axis`` (index,
    series, kind) for :func:`parstats.display.axis_facts`. The legend sits below
    the panels, one entry per series.
    """
    import pandas as pd

    from parstats.display import Text

    words = _words()
    targets = targets if targets is not None else pd.DataFrame(columns=["index", "series"])
    present = [
        i for i in TRAJECTORY_INDICES
        if i in set(rows["index"]) or i in wanted
        or (len(targets) and i in set(targets["index"]))
    ]
    ncols = max(len(present), 1)
    both = language == "both"
    fig = new_figure(max(3.1 * ncols, 7.5), 7.4 if both else 6.6, ncols=ncols, nrows=2)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.88 if both else 0.92,
                        bottom=0.25 if both else 0.19, hspace=0.55 if both else 0.42, wspace=0.3)
    if not present:
        return _nothing(fig, _say(Text(f"No PAR Index, SIPAS, PAPI or PCI figure for {province}",
                                       f"Không có số liệu Chỉ số PAR, SIPAS, PAPI hay PCI của "
                                       f"{province}"), language))
    years = [int(y) for y in rows["year"]]
    if len(reference):
        years += [int(y) for y in reference.loc[reference["index"].isin(present), "year"]]
    years += [y for p in periods for y in p]
    if len(targets):
        years += [int(y) for y in targets["year"].dropna()]
    if year is not None:
        years.append(int(year))
    x0, x1 = min(years) - 0.6, max(years) + 0.6
    handles: dict[str, object] = {}

    def keep(label: str, handle: object) -> None:
        handles.setdefault(label, handle)

    for col, index in enumerate(present):
        for row_n, series in enumerate(("score", "rank")):
            ax = fig.axes[row_n * ncols + col]
            ax.parstats_axis = {"index": index, "series": series,
                                "panel": f"{index} {series}",
                                "kind": "rank" if series == "rank" else "score"}
            mine = rows[(rows["index"] == index) & (rows["series"] == series)]
            mine = mine.dropna(subset=["value"]).sort_values("year")
            tg = (targets[(targets["index"] == index) & (targets["series"] == series)]
                  if len(targets) else targets)
            ax.set_title(_score_title(index, language) if series == "score"
                         else _rank_title(index, language), fontsize=9)
            ax.set_xlim(x0, x1)
            ax.xaxis.get_major_locator().set_params(integer=True)
            ax.tick_params(labelsize=8)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            for start, end in periods:
                keep(_two_lines(words["period"], language),
                     ax.axvspan(start - 0.5, end + 0.5, color=PERIOD_COLOUR, alpha=0.35, lw=0))
            if year is not None:
                keep(_two_lines(words["year"], language),
                     ax.axvline(year, color="#566573", linewidth=1, linestyle="-."))
            values: list[float] = []
            if series == "score":
                values += _bands(ax, reference, index, region, region_en, language, keep)
            values += _province_lines(ax, mine, province, language, keep)
            values += _target_marks(ax, tg, language, keep)
            _breaks(ax, mine, reference, index, series, language, keep)
            if series == "rank":
                ax.set_ylim(N_RANKED + 1.5, -0.5)
                ax.set_yticks(list(RANK_TICKS))
                ax.parstats_axis["range"] = [1, N_RANKED]
            else:
                _score_limits(ax, values, index)
            if mine.empty:
                what = Text(f"No {index} {series} for {province} in the data",
                            f"Chưa có dữ liệu {'điểm' if series == 'score' else 'xếp hạng'} "
                            f"{index} của {province}")
                ax.text(0.5, 0.3 if series == "rank" else 0.5, fill_wrap(_say(what, language)),
                        transform=ax.transAxes,
                        ha="center", va="center", color="#6c3483", fontsize=8.5,
                        bbox={"facecolor": "white", "edgecolor": "#d2b4de", "alpha": 0.9})
                ax.parstats_axis["no_data"] = True
                if series == "score" and not values:
                    ax.set_yticks([])
    title = Text(f"Index trajectories — {province}", f"Diễn biến các chỉ số — {province}")
    fig.suptitle(_say(title, language), fontsize=11)
    fig.legend(list(handles.values()), list(handles.keys()), loc="lower center",
               ncol=4 if language == "both" else 3, frameon=False, fontsize=7.5,
               bbox_to_anchor=(0.5, 0.0), handlelength=2.2)
    return fig


def fill_wrap(text: str, width: int = 28) -> str:
    """Wrap ``text`` into lines of about ``width`` characters (matplotlib does not wrap)."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def _bands(ax, reference, index, region, region_en, language, keep) -> list[float]:
    words = _words()
    out: list[float] = []
    if reference is None or reference.empty:
        return out
    ref = reference[(reference["index"] == index) & (reference["series"] == "score")]
    for group, colour, median_style in (("national", BAND_COLOUR, "-"),
                                        (region, REGION_COLOUR, "--")):
        if not group:
            continue
        part = ref[ref["group"] == group].sort_values("year")
        if part.empty:
            continue
        is_nat = group == "national"
        band_label = _two_lines(words["national_band"], language) if is_nat else _fill(
            words["region_band"], language, region=region_en, region_vi=region)
        median_label = _two_lines(words["national_median"], language) if is_nat else _fill(
            words["region_median"], language, region=region_en, region_vi=region)
        for _, seg in part.groupby("scale_version", sort=False):
            for run in _runs(sorted(int(y) for y in seg["year"])):
                r = seg[seg["year"].isin(run)].sort_values("year")
                xs = r["year"].astype(float).to_numpy()
                lo, hi = r["q25"].astype(float).to_numpy(), r["q75"].astype(float).to_numpy()
                med = r["median"].astype(float).to_numpy()
                if len(xs) == 1:
                    xs = np.array([xs[0] - 0.3, xs[0] + 0.3])
                    lo, hi, med = np.repeat(lo, 2), np.repeat(hi, 2), np.repeat(med, 2)
                keep(band_label, ax.fill_between(xs, lo, hi, color=colour,
                                                 alpha=0.22 if is_nat else 0.13, lw=0))
                (line,) = ax.plot(xs, med, color=colour, linestyle=median_style, linewidth=1.2)
                keep(median_label, line)
                out += [*lo, *hi]
    return out


def _province_lines(ax, mine, province, language, keep) -> list[float]:
    words = _words()
    out: list[float] = []
    if mine.empty:
        return out
    versions = mine["scale_version"].fillna("") if "scale_version" in mine else None
    origin = mine["origin"].fillna("published") if "origin" in mine else None
    keys = list(zip(versions if versions is not None else [""] * len(mine),
                    origin if origin is not None else ["published"] * len(mine), strict=True))
    frame = mine.assign(_key=keys)
    for key, seg in frame.groupby("_key", sort=False):
        derived = key[1] == "derived"
        label = _fill(words["derived"], language, province=province) if derived else plain(province)
        for run in _runs(sorted(int(y) for y in seg["year"])):
            r = seg[seg["year"].isin(run)].sort_values("year")
            (line,) = ax.plot(
                r["year"].astype(float), r["value"].astype(float), color=HIGHLIGHT,
                linestyle="--" if derived else "-", marker="o", markersize=4.5, linewidth=1.8,
                markerfacecolor="white" if derived else HIGHLIGHT, zorder=4,
                gid="province-derived" if derived else "province",
            )
            keep(label, line)
        out += list(seg["value"].astype(float))
    return out


def _target_marks(ax, tg, language, keep) -> list[float]:
    from parstats.display import commitment

    words = _words()
    out: list[float] = []
    if tg is None or tg.empty:
        return out
    for _, t in tg.iterrows():
        if not pd_notna(t.get("year")) or not pd_notna(t.get("value")):
            continue
        (star,) = ax.plot([float(t["year"])], [float(t["value"])], marker="*", markersize=13,
                          color=TARGET_COLOUR, linestyle="none", zorder=5, gid="target")
        keep(_two_lines(words["target"], language), star)
        text = commitment(t.get("comparator"), t["value"], language="en")
        ax.annotate(text, (float(t["year"]), float(t["value"])), textcoords="offset points",
                    xytext=(0, 8), ha="center", fontsize=7.5, color=TARGET_COLOUR)
        out.append(float(t["value"]))
    return out


def _breaks(ax, mine, reference, index, series, language, keep) -> None:
    """Draw a dotted vertical line wherever the scale version changes between shown years."""
    words = _words()
    versions: dict[int, str] = {}
    if reference is not None and len(reference):
        ref = reference[(reference["index"] == index) & (reference["series"] == "score")
                        & (reference["group"] == "national")]
        versions.update({int(y): str(v) for y, v in zip(ref["year"], ref["scale_version"],
                                                         strict=True)})
    if "scale_version" in mine:
        versions.update({int(y): str(v) for y, v in zip(mine["year"], mine["scale_version"],
                                                         strict=True)})
    if series == "rank" or len(versions) < 2:
        return
    ordered = sorted(versions)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if versions[a] != versions[b]:
            keep(_two_lines(words["break"], language),
                 ax.axvline((a + b) / 2, color="#34495e", linestyle=(0, (1, 2)), linewidth=1.3,
                            gid="scale-break"))


def _score_limits(ax, values: list[float], index: str) -> None:
    finite = [v for v in values if np.isfinite(v)]
    if not finite:
        return
    low, high = min(finite), max(finite)
    span = max(high - low, 10.0)  # never zoom so far that 2 points fill the panel
    mid = (low + high) / 2
    ax.set_ylim(mid - span * 0.62, mid + span * 0.62)


def index_trajectories(report: ProvinceReport, language: str = "en") -> Figure:
    """Draw the report's trajectory figure: :func:`trajectory_figure` for one province-year.

    The plans in force are shaded, their index targets are stars at their deadlines,
    the national and regional references come from the report's ``reference``, and
    an index a plan targets without any figure gets a "no data" panel.
    """
    import pandas as pd

    targets = report_targets(report.delivery)
    if targets.empty and len(report.index_targets) and "series" in report.index_targets:
        targets = report.index_targets  # no delivery table: the plans' rank targets as extracted
    periods = tuple(
        (int(s), int(e if pd_notna(e) else s))
        for s, e in zip(report.plans.get("period_start", []), report.plans.get("period_end", []),
                        strict=True)
        if pd_notna(s)
    )
    wanted = tuple(sorted(set(targets["index"]))) if len(targets) else ()
    reference = report.reference if report.reference is not None else pd.DataFrame()
    return trajectory_figure(
        report.indices, reference, province=report.province.name_vi,
        region=report.province.region, region_en=report.province.region_en, targets=targets,
        periods=periods, year=report.year, wanted=wanted, language=language,
    )


def report_targets(delivery: pd.DataFrame) -> pd.DataFrame:
    """Return the plan targets drawn on trajectories: levels of a report index (no changes)."""
    import pandas as pd

    columns = ["index", "series", "year", "value", "comparator"]
    if delivery is None or delivery.empty or "index" not in delivery.columns:
        return pd.DataFrame(columns=columns)
    rows = delivery[delivery["index"].isin(TRAJECTORY_INDICES)]
    if "observation" in rows.columns:
        rows = rows[rows["observation"] != "change"]
    out = rows.assign(series=rows["measure"].map({"rank": "rank", "score": "score"}))
    return out.dropna(subset=["series"])[columns].reset_index(drop=True)


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
    """Heatmap of how many provinces have a score (or PAPI total) by index and year.

    Published figures and figures parstats computes (``origin == "derived"``: PAPI
    totals summed from published sub-dimensions) are counted on separate rows, so
    "published" means published.
    """
    kinds = indices["measure_kind"].isin(("score", "total"))
    rows = indices[kinds & ~indices["is_aggregate"] & indices["value"].notna()]
    origin = rows["origin"] if "origin" in rows.columns else "published"
    label = rows["index"].where(origin == "published", rows["index"] + " (computed)")
    counts = rows.assign(row=label).groupby(["row", "year"])["province_code"].nunique()
    counts = counts.unstack("year", fill_value=0)
    fig = new_figure(10.0, 1.2 + 0.45 * max(len(counts), 2))
    if counts.empty:
        return _nothing(fig, "No index scores")
    heatmap(fig.axes[0], counts, cmap="Greens")
    fig.axes[0].set_title(
        "Provinces with a score (điểm) by index and year, of 63: published, and computed by "
        "parstats from published sub-dimensions (computed)"
    )
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


# --------------------------------------------------------------------------- profiles


def dimension_breakdown(
    dims: pd.DataFrame, province_code: str, *, index: str, year: int, province: str,
    language: str = "en",
) -> Figure:
    """One index's dimensions in one year: the province against all provinces.

    Parameters
    ----------
    dims
        One row per province and dimension: ``province_code``, ``measure_id``, ``value``
        (the preferred figure, published or derived), ``label_en``, ``label_vi``.
    province_code
        The province drawn in red.
    index, year, province
        For the title.
    language
        ``"en"``, ``"vi"`` or ``"both"``.

    Notes
    -----
    The grey bar is the middle half of the provinces (inter-quartile range), the
    grey tick their median, the red dot the province. Drawn only with at least
    :data:`parstats.report_data.BAND_MIN_PROVINCES` provinces.
    """
    from parstats.display import Text

    fig = new_figure(8.5, 1.3 + 0.46 * max(dims["measure_id"].nunique(), 2))
    ax = fig.axes[0]
    stats = dims.groupby("measure_id")["value"].describe()
    mine = dims[dims["province_code"] == province_code].set_index("measure_id")["value"]
    order = [m for m in stats.index if m in mine.index]
    if not order:
        return _nothing(fig, _say(Text(f"No {index} dimension for {province} in {year}",
                                       f"Không có số liệu các nội dung {index} của {province} "
                                       f"năm {year}"), language))
    order = sorted(order, key=lambda m: float(mine[m] - stats.loc[m, "50%"]))
    labels = dims.drop_duplicates("measure_id").set_index("measure_id")
    y = np.arange(len(order))
    q1 = stats.loc[order, "25%"].to_numpy(float)
    q3 = stats.loc[order, "75%"].to_numpy(float)
    med = stats.loc[order, "50%"].to_numpy(float)
    ax.barh(y, q3 - q1, left=q1, color=BAND_COLOUR, alpha=0.45, height=0.5,
            label=_say(Text("middle half of provinces", "một nửa số tỉnh ở giữa"), language))
    ax.scatter(med, y, marker="|", s=260, color="#566573",
               label=_say(Text("national median", "trung vị cả nước"), language))
    ax.scatter(mine[order].to_numpy(float), y, color=HIGHLIGHT, zorder=3, s=45,
               label=plain(province))
    names = []
    for m in order:
        en = str(labels.loc[m, "label_en"]).split(": ", 1)[-1]
        vi = str(labels.loc[m, "label_vi"])
        names.append(_say(Text(en, vi), language, "\n"))
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlabel(_say(Text(f"{index} dimension score (1–10)", f"điểm nội dung {index} (1–10)"),
                       language), fontsize=8)
    ax.set_title(_say(Text(f"{index} dimensions in {year}: {province} against all provinces "
                           f"({int(stats['count'].max())})",
                           f"Các nội dung {index} năm {year}: {province} so với các tỉnh"),
                      language), fontsize=9)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16 if language != "both" else -0.2),
              ncol=3, frameon=False, fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.parstats_axis = {"kind": "dimensions", "panel": f"{index} dimensions {year}"}
    return fig
