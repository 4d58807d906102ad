"""``reports/index.html``: every province and every report, sortable and filterable.

Two tables, both sortable by clicking a column header and filtered by a search box
(diacritics ignored), a year, a region and "only years with a plan": the 63
provinces (link to each profile, region, 2025 unit, reports written) and the
reports written (province, year, plans in force, targets, delivery in words,
each index's figure in a column of its own scale). The script is plain
JavaScript inside the page: no network, so the page works from ``file://``.

The page is rendered from the report records alone (and the registry, which is
package data), so :func:`parstats.reports.summaries_current` can tell whether it
describes what is on disk.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from parstats.display import MISSING, STYLE, Text, html_text, integer, number

DELIVERY_WORDS: tuple[tuple[str, Text], ...] = (
    ("delivery_met", Text("met", "đạt")),
    ("delivery_missed", Text("missed", "không đạt")),
    ("delivery_not_yet_due", Text("not yet due", "chưa đến hạn")),
    ("delivery_no_data", Text("no data yet", "chưa có dữ liệu")),
    ("delivery_conflicting", Text("sources disagree", "nguồn không thống nhất")),
)


@dataclass(frozen=True)
class IndexColumn:
    """One figure column of the reports table.

    Attributes
    ----------
    key
        What the cell shows (a headline field or a computed one).
    header
        Its name.
    hint
        The scale, shown on hover.
    decimals
        ``0`` for ranks and counts.
    """

    key: str
    header: Text
    hint: Text
    decimals: int = 2


COLUMNS: tuple[IndexColumn, ...] = (
    IndexColumn("par_points", Text("PAR Index (points, to 2017)", "Chỉ số PAR (điểm, đến 2017)"),
                Text("points of 100, criteria before 2018", "điểm trên 100, tiêu chí trước 2018")),
    IndexColumn("par_percent", Text("PAR Index (%, from 2018)", "Chỉ số PAR (%, từ 2018)"),
                Text("percent; criteria revised 2022 and 2024",
                     "phần trăm; tiêu chí sửa 2022, 2024")),
    IndexColumn("par_rank", Text("PAR rank", "Hạng PAR"), Text("1 = best of 63", "1 = cao nhất"),
                0),
    IndexColumn("sipas_score", Text("SIPAS (%)", "SIPAS (%)"),
                Text("share of citizens satisfied", "tỷ lệ người dân hài lòng")),
    IndexColumn("papi_6_60", Text("PAPI total (6–60, to 2017)", "Tổng PAPI (6–60, đến 2017)"),
                Text("unweighted sum of 6 dimensions", "tổng không trọng số 6 nội dung")),
    IndexColumn("papi_8_80", Text("PAPI total (8–80, from 2018)", "Tổng PAPI (8–80, từ 2018)"),
                Text("unweighted sum of 8 dimensions; c = computed by parstats from published "
                     "sub-dimensions",
                     "tổng không trọng số 8 nội dung; c = parstats tính từ các chỉ số thành phần")),
    IndexColumn("papi_rank", Text("PAPI rank", "Hạng PAPI"),
                Text("1 = best; computed by parstats", "1 = cao nhất; parstats tính"), 0),
    IndexColumn("pci_score", Text("PCI (0–100)", "PCI (0–100)"), Text("points of 100",
                                                                     "điểm trên 100")),
    IndexColumn("pci_rank", Text("PCI rank", "Hạng PCI"), Text("1 = best of 63", "1 = cao nhất"),
                0),
)


def _value(figures: dict[str, Any], key: str) -> float | None:
    """Return the figure of a column: in the column of its scale, ``None`` elsewhere."""
    par, papi = figures.get("par_score"), figures.get("papi_score")
    unit, scale = figures.get("par_unit"), figures.get("papi_scale")
    year = figures.get("year")
    if key == "par_points":
        return par if par is not None and (unit == "points" or (unit is None and year
                                                                and year <= 2017)) else None
    if key == "par_percent":
        return par if par is not None and (unit == "percent" or (unit is None and year
                                                                 and year > 2017)) else None
    if key == "papi_6_60":
        return papi if papi is not None and (scale == "6-60" or (scale is None and year
                                                                 and year <= 2017)) else None
    if key == "papi_8_80":
        return papi if papi is not None and (scale == "8-80" or (scale is None and year
                                                                 and year > 2017)) else None
    value = figures.get(key)
    return None if value is None else float(value)


def delivery_phrase(figures: dict[str, Any], language: str) -> tuple[str, int]:
    """Return delivery in words (``"1 met · 4 no data yet"``) and the number of targets judged.

    A report without observable targets says so (``"—"`` with a hover text), never "0 met".
    """
    parts = []
    lang = "vi" if language == "vi" else "en"
    for key, word in DELIVERY_WORDS:
        n = figures.get(key)
        if n:
            tip = html.escape(word.vi if lang == "en" else word.en)
            parts.append(f'<span title="{tip}">{n} {html.escape(getattr(word, lang))}</span>')
    return (" · ".join(parts), sum(int(figures.get(k) or 0) for k, _ in DELIVERY_WORDS))


def _fold(text: str) -> str:
    from parstats.vn import fold

    return fold(text).lower()


def _td_number(value: float | None, decimals: int, derived: bool = False) -> str:
    if value is None:
        return f'<td class="ps-num ps-missing" data-v="" title="no figure">{MISSING}</td>'
    shown = integer(value) if decimals == 0 else number(value, decimals)
    mark = '<sup title="computed by parstats from published sub-dimensions">c</sup>' \
        if derived else ""
    return f'<td class="ps-num" data-v="{float(value)!r}">{shown}{mark}</td>'


SCRIPT = r"""
(function () {
  function fold(s) {
    return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  var q = document.getElementById("ps-q"), y = document.getElementById("ps-year"),
      r = document.getElementById("ps-region"), p = document.getElementById("ps-plan");
  function apply() {
    document.querySelectorAll("table.ps-sortable").forEach(function (t) {
      var shown = 0;
      Array.prototype.forEach.call(t.tBodies[0].rows, function (tr) {
        var ok = (!q.value || (tr.dataset.search || "").indexOf(fold(q.value)) >= 0)
          && (!y.value || !tr.dataset.year || tr.dataset.year === y.value)
          && (!r.value || tr.dataset.region === r.value)
          && (!p.checked || tr.dataset.plans !== "0");
        tr.hidden = !ok;
        if (ok) { shown += 1; }
      });
      var c = document.getElementById(t.id + "-count");
      if (c) { c.textContent = shown; }
    });
  }
  [q, y, r, p].forEach(function (el) { el.addEventListener("input", apply);
                                      el.addEventListener("change", apply); });
  document.querySelectorAll("table.ps-sortable th").forEach(function (th, i) {
    th.addEventListener("click", function () {
      var t = th.closest("table"), body = t.tBodies[0], col = th.cellIndex;
      var asc = th.getAttribute("aria-sort") !== "ascending";
      t.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col], z = b.cells[col];
        var xv = x.dataset.v !== undefined ? x.dataset.v : fold(x.textContent);
        var zv = z.dataset.v !== undefined ? z.dataset.v : fold(z.textContent);
        if (xv === "" && zv === "") { return 0; }
        if (xv === "") { return 1; }       /* missing always last */
        if (zv === "") { return -1; }
        var num = x.dataset.v !== undefined;
        var d = num ? parseFloat(xv) - parseFloat(zv) : (xv < zv ? -1 : xv > zv ? 1 : 0);
        return asc ? d : -d;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
})();
"""

PAGE_STYLE = """
body{margin:1.5rem 2rem}
.ps-filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin:.6rem 0 1rem;
  padding:.6rem .8rem;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px}
table.ps-sortable th{cursor:pointer;user-select:none;position:sticky;top:0}
table.ps-sortable th[aria-sort=ascending]::after{content:" ▲";font-size:.7em}
table.ps-sortable th[aria-sort=descending]::after{content:" ▼";font-size:.7em}
tr.failed td{background:#fde8e8}
sup{color:#8e44ad}
"""


def render(
    records: Sequence[Any],
    digest_meta: str,
    *,
    profiles: frozenset[str] = frozenset(),
    maps: bool = False,
    language: str = "both",
) -> str:
    """Return ``reports/index.html`` for ``records``.

    Parameters
    ----------
    records
        Every report record (:class:`parstats.reports.ReportRecord`).
    digest_meta
        The ``<meta>`` line recording what the page was made from.
    profiles
        Slugs whose profile page exists (linked).
    maps
        Whether ``maps.html`` exists (linked).
    language
        ``"both"``, ``"en"`` or ``"vi"``.
    """
    from parstats.provinces import all_provinces

    lang = language
    provinces = all_provinces()
    by_slug: dict[str, list[Any]] = {}
    for r in records:
        by_slug.setdefault(r.slug, []).append(r)

    # --- provinces
    prov_rows = []
    for p in provinces:
        mine = by_slug.get(p.slug, [])
        ok = [r for r in mine if r.status == "ok"]
        plan_years = [r.year for r in ok if (r.headline or {}).get("n_plans")]
        name = html.escape(p.name_vi)
        link = f'<a href="{html.escape(p.slug)}/profile.html">{name}</a>' if p.slug in profiles \
            else name
        search = html.escape(_fold(f"{p.name_vi} {p.name_ascii} {p.region} {p.region_en} "
                                   f"{p.new_unit_2025}"))
        prov_rows.append(
            f'<tr data-search="{search}" data-region="{html.escape(p.region)}" '
            f'data-plans="{len(plan_years)}">'
            f'<td class="ps-text" data-v="{html.escape(_fold(p.name_vi))}">{link}</td>'
            f'<td class="ps-text">{html_text(Text(p.region_en, p.region), lang, block=True)}</td>'
            f'<td class="ps-text">{html.escape(p.new_unit_2025)}</td>'
            f'<td class="ps-num" data-v="{len(ok)}">{len(ok)}</td>'
            f'<td class="ps-text" data-v="{plan_years[0] if plan_years else ""}">'
            f'{", ".join(str(y) for y in plan_years) or MISSING}</td></tr>'
        )

    # --- reports
    head_cells = [
        ("ps-text", Text("Province", "Tỉnh"), None),
        ("ps-num", Text("Year", "Năm"), None),
        ("ps-num", Text("Plans in force", "Kế hoạch có hiệu lực"), None),
        ("ps-num", Text("Targets", "Chỉ tiêu"), None),
        ("ps-text", Text("Targets an index observes", "Chỉ tiêu đối chiếu được"),
         Text("status of the plans' targets that the PAR Index, SIPAS, PAPI or PCI measure",
              "tình trạng các chỉ tiêu được đo bằng Chỉ số PAR, SIPAS, PAPI hoặc PCI")),
        *(("ps-num", c.header, c.hint) for c in COLUMNS),
        ("ps-num", Text("Gap to national target (median, points)",
                        "Chênh lệch với chỉ tiêu quốc gia (trung vị, điểm)"),
         Text("positive = more ambitious than the national target in force",
              "dương = cao hơn chỉ tiêu quốc gia")),
    ]
    ths = "".join(
        f'<th class="{cls}"{_title(hint, lang)}>{html_text(text, lang, block=True)}</th>'
        for cls, text, hint in head_cells
    )
    rep_rows = []
    years = sorted({r.year for r in records})
    for r in records:
        figures = dict(r.headline or {})
        figures.setdefault("year", r.year)
        plans = int(figures.get("n_plans") or 0)
        p_region = figures.get("region") or ""
        search = html.escape(_fold(f"{r.province} {r.slug} {p_region}"))
        name = html.escape(r.province)
        link = f'<a href="{html.escape(r.slug)}/profile.html">{name}</a>' if r.slug in profiles \
            else name
        attrs = (f'data-search="{search}" data-year="{r.year}" '
                 f'data-region="{html.escape(p_region)}" data-plans="{plans}"')
        if r.status != "ok":
            rep_rows.append(
                f'<tr class="failed" {attrs}><td class="ps-text">{link}</td>'
                f'<td class="ps-num" data-v="{r.year}">'
                f'<a href="{html.escape(r.slug)}/{r.year}.ipynb">'
                f"{r.year}</a></td>"
                f'<td class="ps-text" colspan="{len(head_cells) - 2}">'
                f"{html_text(Text('failed: ', 'lỗi: '), lang)}{html.escape(str(r.error))}</td></tr>"
            )
            continue
        phrase, judged = delivery_phrase(figures, lang)
        if not judged:
            why = Text("no plan in force" if not plans else "no target an index observes",
                       "không có kế hoạch có hiệu lực" if not plans
                       else "không có chỉ tiêu đối chiếu được")
            delivery = (f'<td class="ps-text ps-missing" data-v="" title="{html.escape(why.en)}">'
                        f"{MISSING}</td>")
        else:
            delivery = f'<td class="ps-text" data-v="{judged}">{phrase}</td>'
        cells = [
            f'<td class="ps-text" data-v="{html.escape(_fold(r.province))}">{link}</td>',
            f'<td class="ps-num" data-v="{r.year}"><a href="{html.escape(r.slug)}/{r.year}.html">'
            f"{r.year}</a></td>",
            f'<td class="ps-num" data-v="{plans}">{plans}</td>',
            _td_number(figures.get("n_targets") if plans else None, 0),
            delivery,
        ]
        for c in COLUMNS:
            derived = c.key == "papi_8_80" and bool(figures.get("papi_derived"))
            cells.append(_td_number(_value(figures, c.key), c.decimals, derived))
        cells.append(_td_number(figures.get("ambition_gap_national_pp"), 1))
        rep_rows.append(f"<tr {attrs}>{''.join(cells)}</tr>")

    n_failed = sum(r.status != "ok" for r in records)
    regions = sorted({p.region for p in provinces})
    region_options = "".join(
        f'<option value="{html.escape(g)}">{html.escape(g)}</option>' for g in regions
    )
    year_options = "".join(f'<option value="{y}">{y}</option>' for y in years)
    filters = (
        '<div class="ps-filters">'
        f'<label>{html_text(Text("Search", "Tìm"), lang)} '
        '<input id="ps-q" type="search" placeholder="Kiên Giang, kien giang, Mekong…"></label>'
        f'<label>{html_text(Text("Year", "Năm"), lang)} <select id="ps-year"><option value="">'
        f'{html_text(Text("all", "tất cả"), lang)}</option>{year_options}</select></label>'
        f'<label>{html_text(Text("Region", "Vùng"), lang)} <select id="ps-region"><option '
        f'value="">{html_text(Text("all", "tất cả"), lang)}</option>{region_options}</select>'
        "</label>"
        f'<label><input id="ps-plan" type="checkbox"> '
        f'{html_text(Text("only with a plan in force", "chỉ năm có kế hoạch"), lang)}</label>'
        "</div>"
    )
    title = Text("parstats: PAR plans and governance indices by province",
                 "parstats: kế hoạch cải cách hành chính và các chỉ số theo tỉnh")
    lead = Text(
        f"{len(provinces)} provinces (before the 2025 merger) and {len(records)} reports "
        f"({n_failed} failed). Click a column header to sort (missing figures stay last); "
        "a dash is a figure that is not in the data, never a zero. Each index's scores sit "
        "in the column of their scale: PAPI 6–60 (to 2017) and 8–80 (from 2018), PAR Index "
        "points (to 2017) and percent (from 2018) are never one column. Headline figures are "
        "also in results.parquet.",
        f"{len(provinces)} tỉnh (trước sáp nhập 2025) và {len(records)} báo cáo ({n_failed} "
        "lỗi). Nhấn tiêu đề cột để sắp xếp; dấu gạch là số liệu không có, không phải số 0. "
        "Điểm mỗi chỉ số nằm ở cột theo thang điểm của nó.",
    )
    nothing = Text("No report has been written yet: run `parstats reports`.",
                   "Chưa có báo cáo nào: chạy `parstats reports`.")
    prov_head = "".join(
        f'<th class="{cls}">{html_text(text, lang, block=True)}</th>'
        for cls, text in (
            ("ps-text", Text("Province (profile)", "Tỉnh (hồ sơ)")),
            ("ps-text", Text("Region", "Vùng")),
            ("ps-text", Text("Unit from 1 July 2025", "Đơn vị từ 1/7/2025")),
            ("ps-num", Text("Reports", "Báo cáo")),
            ("ps-text", Text("Years with a plan", "Năm có kế hoạch")),
        )
    )
    maps_link = (f' · <a href="maps.html">{html_text(Text("Maps", "Bản đồ"), lang)}</a>'
                 if maps else "")
    body = (
        f"<h1>{html_text(title, lang)}</h1>"
        f'<p class="ps-intro">{html_text(lead, lang)}{maps_link}</p>{filters}'
        f'<section class="ps-section" id="reports"><h2>'
        f'{html_text(Text("Reports by province and year", "Báo cáo theo tỉnh và năm"), lang)} '
        f'(<span id="ps-reports-count">{len(records)}</span>)</h2>'
        + (f'<div class="ps-table-wrap"><table class="ps-table ps-sortable" id="ps-reports">'
           f"<thead><tr>{ths}</tr></thead><tbody>{''.join(rep_rows)}</tbody></table></div>"
           if rep_rows else
           f'<p class="ps-empty">{html_text(nothing, lang)}</p>')
        + '<p class="ps-caption">'
        + html_text(Text("Sources: PAR Index and SIPAS — Ministry of Home Affairs; PAPI — "
                         "CECODES, RTA and UNDP (c: computed by parstats from published "
                         "sub-dimensions); PCI — VCCI; plans: data/raw/plans. How to cite: in "
                         "each report and profile.",
                         "Nguồn: Chỉ số PAR và SIPAS — Bộ Nội vụ; PAPI — CECODES, RTA và UNDP "
                         "(c: parstats tính từ các chỉ số thành phần); PCI — VCCI; kế hoạch: "
                         "data/raw/plans."), lang)
        + "</p></section>"
        f'<section class="ps-section" id="provinces"><h2>'
        f'{html_text(Text("Provinces", "Các tỉnh"), lang)} '
        f'(<span id="ps-provinces-count">{len(provinces)}</span>)</h2>'
        '<div class="ps-table-wrap"><table class="ps-table ps-sortable" id="ps-provinces">'
        f"<thead><tr>{prov_head}</tr></thead><tbody>{''.join(prov_rows)}</tbody></table></div>"
        '<p class="ps-caption">'
        + html_text(Text("Source: parstats province registry (GSO codes; the 1 July 2025 merger "
                         "under Resolution 202/2025/QH15; regions under Resolution 81/2023/QH15).",
                         "Nguồn: danh mục tỉnh của parstats (mã GSO; sáp nhập từ 1/7/2025 theo "
                         "Nghị quyết 202/2025/QH15; vùng theo Nghị quyết 81/2023/QH15)."), lang)
        + "</p></section>"
        f"<script>{SCRIPT}</script>"
    )
    page_lang = "vi" if language == "vi" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{page_lang}">\n<head>\n<meta charset="utf-8">\n'
        f"{digest_meta}\n"
        "<title>parstats reports — PAR plans by province and year</title>\n"
        f"<style>{STYLE}{PAGE_STYLE}</style>\n</head>\n<body>\n"
        f'<div class="ps-page" style="max-width:none">{body}</div>\n</body>\n</html>\n'
    )


def _title(hint: Text | None, language: str) -> str:
    if hint is None:
        return ""
    from parstats.display import pick

    return f' title="{html.escape(pick(hint, language, " / "))}"'
