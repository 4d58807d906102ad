"""Dot maps of the 63 provinces from the registry's centroids, and the 34 units after 2025.

parstats ships no boundaries: each province is a dot at the centroid of its area
(``centroid_lat``, ``centroid_lon`` in ``parstats/data/provinces.csv``, a derived
figure with its source). :func:`index_map` colours the dots by one index figure
of one year (a hollow grey ring where a province has none); :func:`units_map`
shows how the 63 provinces form the 34 units in place from 1 July 2025
(Resolution 202/2025/QH15) — the indices were measured on the 63 old provinces
and are never averaged into a new unit, so the 34-unit view keeps each old
province's own figure and draws the unit it joined; :func:`locator_map` marks one
province, its region and its 2025 unit.

Figures are built without pyplot (:func:`parstats.plots.new_figure`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from parstats.display import Text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MIN_PROVINCES = 50
"""A map is drawn for an index-year only when at least this many provinces have a figure."""
MISSING_COLOUR = "#bdc3c7"


def _say(text: Text | str, language: str) -> str:
    from parstats.plots import _say as say

    return say(text, language)


def _frame_axes(ax: Axes) -> None:
    """Longitude/latitude axes with the right aspect for Viet Nam's latitudes."""
    ax.set_aspect(1 / math.cos(math.radians(16.0)))
    ax.set_xlim(101.9, 109.8)
    ax.set_ylim(8.3, 23.6)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)


def _centroids() -> dict[str, tuple[float, float]]:
    from parstats.provinces import all_provinces

    return {p.code: (p.centroid_lon, p.centroid_lat) for p in all_provinces()}


def dot_map(
    values: Mapping[str, float],
    *,
    title: str,
    colour_label: str,
    lower_is_better: bool = False,
    highlight: tuple[str, ...] = (),
    language: str = "en",
    note: str = "",
) -> Figure:
    """Draw the 63 provinces as dots coloured by ``values`` (GSO code → figure).

    Parameters
    ----------
    values
        The figure of each province that has one; the others are hollow grey rings.
    title, colour_label
        The title and the colour bar's label.
    lower_is_better
        Ranks: the colour scale is reversed, so that darker is always better.
    highlight
        Codes drawn larger with a black edge (the province of a profile).
    language
        For the legend's words.
    note
        A line under the map (coverage, sources).
    """
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    from parstats.plots import new_figure

    fig = new_figure(5.2, 8.2)
    fig.subplots_adjust(left=0.02, right=0.84, top=0.93, bottom=0.07)
    ax = fig.axes[0]
    _frame_axes(ax)
    where = _centroids()
    have = [c for c in where if c in values and values[c] == values[c]]
    lacking = [c for c in where if c not in have]
    cmap = colormaps["viridis_r" if lower_is_better else "viridis"]
    if have:
        vals = [float(values[c]) for c in have]
        norm = Normalize(min(vals), max(vals) if max(vals) > min(vals) else min(vals) + 1)
        ax.scatter([where[c][0] for c in have], [where[c][1] for c in have], c=vals, cmap=cmap,
                   norm=norm, s=[150 if c in highlight else 70 for c in have],
                   edgecolors=["black" if c in highlight else "white" for c in have],
                   linewidths=[1.8 if c in highlight else 0.6 for c in have], zorder=3)
        bar = fig.colorbar(
            _mappable(cmap, norm), ax=ax, fraction=0.05, pad=0.02, shrink=0.6,
        )
        bar.set_label(colour_label, fontsize=8)
        if lower_is_better:
            bar.ax.invert_yaxis()
        bar.ax.tick_params(labelsize=7)
    if lacking:
        ax.scatter([where[c][0] for c in lacking], [where[c][1] for c in lacking],
                   facecolors="none", edgecolors=MISSING_COLOUR, s=60, linewidths=1.2, zorder=2,
                   label=_say(Text("no figure", "không có số liệu"), language))
        ax.legend(loc="lower left", fontsize=7, frameon=False)
    ax.set_title(title, fontsize=10)
    if note:
        fig.text(0.02, 0.015, note, fontsize=6.5, color="#57606a", wrap=True)
    ax.parstats_axis = {"kind": "map", "panel": title, "n_values": len(have),
                        "n_missing": len(lacking)}
    return fig


def _mappable(cmap, norm):
    from matplotlib.cm import ScalarMappable

    return ScalarMappable(norm=norm, cmap=cmap)


def map_values(
    rows: pd.DataFrame, index: str, series: str, year: int
) -> dict[str, float]:
    """Return GSO code → figure of one index series in one year (``province_index_rows`` rows)."""
    hit = rows[(rows["index"] == index) & (rows["series"] == series) & (rows["year"] == year)]
    hit = hit.drop_duplicates("province_code", keep=False)  # disagreeing figures: none shown
    return {str(c): float(v) for c, v in zip(hit["province_code"], hit["value"], strict=True)}


def available_maps(rows: pd.DataFrame) -> list[tuple[str, str, int, int]]:
    """Return ``(index, "score", year, n)`` for every index-year with MIN_PROVINCES scores or more.

    Ranks are left out: in these years they order the same scores.
    """
    counts = rows.groupby(["index", "series", "year"])["province_code"].nunique()
    out = [(str(i), str(s), int(y), int(n)) for (i, s, y), n in counts.items()
           if n >= MIN_PROVINCES and s == "score"]
    order = {"PCI": 0, "PAPI": 1, "PAR": 2, "SIPAS": 3}
    return sorted(out, key=lambda t: (order.get(t[0], 9), t[1] != "score", -t[2]))


def index_map(
    rows: pd.DataFrame,
    index: str,
    year: int,
    series: str = "score",
    *,
    highlight: tuple[str, ...] = (),
    language: str = "en",
) -> Figure:
    """Dot map of one index's headline score (or rank) in one year, from the registry's centroids.

    Parameters
    ----------
    rows
        :func:`parstats.report_data.province_index_rows`.
    index, year, series
        What to map.
    highlight
        Provinces drawn larger.
    language
        ``"en"``, ``"vi"`` or ``"both"``.
    """
    from parstats.citation import source_line
    from parstats.display import pick

    values = map_values(rows, index, series, year)
    derived = bool(((rows["index"] == index) & (rows["year"] == year)
                    & (rows["origin"] == "derived")).any())
    what = Text(f"{index} {'rank' if series == 'rank' else 'score'}, {year}",
                f"{'Xếp hạng' if series == 'rank' else 'Điểm'} {index} năm {year}")
    if index == "PAPI" and series == "score":
        what = Text(f"PAPI total, {year}", f"Tổng điểm PAPI năm {year}")
    note = pick(source_line([index], derived_papi=derived), "en" if language != "vi" else "vi")
    note += f" {len(values)}/63."
    return dot_map(
        values, title=_say(what, language),
        colour_label=_say(Text("rank (1 = best)", "xếp hạng (1 = cao nhất)") if series == "rank"
                          else Text("score", "điểm"), language),
        lower_is_better=series == "rank", highlight=highlight, language=language, note=note,
    )


UNIT_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
    "#e6550d", "#31a354", "#756bb1", "#636363", "#6baed6", "#fd8d3c", "#74c476", "#9e9ac8",
)


def units_map(language: str = "en", highlight_unit: str | None = None) -> Figure:
    """Draw the 34 units after 1 July 2025: each old province a dot, joined to its unit's others.

    Units made of several provinces are drawn as lines between their old provinces'
    centroids, labelled at the unit's first province; a unit that kept its borders
    is a single dot. No figure is averaged into a unit (the indices were measured on
    the 63 provinces).
    """
    from parstats.plots import new_figure
    from parstats.provinces import by_code, new_units

    fig = new_figure(5.2, 8.2)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.93, bottom=0.05)
    ax = fig.axes[0]
    _frame_axes(ax)
    units = new_units()
    merged = [u for u in units if len(u.old_codes) > 1]
    for n, unit in enumerate(units):
        members = [by_code(c) for c in unit.old_codes]
        xs = [m.centroid_lon for m in members]
        ys = [m.centroid_lat for m in members]
        colour = UNIT_COLOURS[n % len(UNIT_COLOURS)] if len(members) > 1 else "#7f8c8d"
        bold = highlight_unit is not None and unit.name == highlight_unit
        if len(members) > 1:
            ax.plot(xs, ys, color=colour, linewidth=2.6 if bold else 1.4, zorder=2, alpha=0.8)
        ax.scatter(xs, ys, s=70 if bold else 34, color=colour, edgecolors="black" if bold else
                   "white", linewidths=0.6, zorder=3)
        ax.annotate(unit.name, (xs[0], ys[0]), textcoords="offset points", xytext=(4, 2),
                    fontsize=7.5 if bold else 5.5, color="#1f2328" if bold else "#34495e",
                    fontweight="bold" if bold else "normal")
    title = Text(f"The 34 provincial units from 1 July 2025 ({len(merged)} formed by merger)",
                 f"34 đơn vị hành chính cấp tỉnh từ 1/7/2025 ({len(merged)} đơn vị hợp nhất)")
    ax.set_title(_say(title, language), fontsize=9)
    fig.text(0.02, 0.012, "Source: Resolution 202/2025/QH15 (parstats province registry); dots "
             "at the 63 old provinces' centroids.", fontsize=6.5, color="#57606a")
    ax.parstats_axis = {"kind": "map", "panel": "34 units", "n_units": len(units)}
    return fig


def locator_map(province: str, language: str = "en") -> Figure:
    """Draw a small map: the province (red), its region (teal) and its 2025 unit (outlined)."""
    from parstats.plots import new_figure
    from parstats.provinces import all_provinces, new_unit, resolve

    p = resolve(province)
    unit = set(new_unit(p).old_codes)
    fig = new_figure(2.6, 4.1)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.98, bottom=0.02)
    ax = fig.axes[0]
    _frame_axes(ax)
    for q in all_provinces():
        if q.code == p.code:
            continue
        colour = "#16a085" if q.region == p.region else "#d5dbdb"
        ax.scatter([q.centroid_lon], [q.centroid_lat], s=16, color=colour,
                   edgecolors="black" if q.code in unit else "none", linewidths=0.8, zorder=2)
    ax.scatter([p.centroid_lon], [p.centroid_lat], s=70, color="#c0392b", edgecolors="black",
               linewidths=0.8, zorder=3)
    ax.parstats_axis = {"kind": "map", "panel": f"locator {p.code}"}
    return fig
