"""One page per province across all years, and a page of maps.

``reports/<slug>/profile.html`` (a *profile*) shows a province over every year in
the data: who it is (region, 2025 unit, a locator map), a generated paragraph
(:func:`parstats.narrative.profile_text`), its plans with links to the per-year
reports that exist, the trajectory of each index with every plan period shaded
and every plan target at its deadline against the national and regional
references, its PAPI dimensions in the latest year against all provinces, its
figures by year (one column per scale), the data as CSV and Excel, and how to
cite. ``reports/maps.html`` shows a dot map of the 63 provinces for a chosen index
and year (every index-year with at least :data:`parstats.maps.MIN_PROVINCES`
figures, chosen from a list) and the 34 units after 1 July 2025.

Pages are plain HTML built in Python (no kernel: a profile takes about a second),
written atomically, each followed by a small record (``profile.json``,
``maps.json``) holding the key of its inputs and the SHA-256 of the page, like the
per-year reports: an unchanged page is not written again, a damaged one is.
:func:`run_profiles` is called by :func:`parstats.reports.run_reports` inside the
batch's lock.
"""

from __future__ import annotations

import html
import json
import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from parstats.citation import PLANS_SOURCE, how_to_cite, source_line
from parstats.display import (
    STYLE,
    CaptionedFigure,
    Column,
    Html,
    Section,
    Table,
    Text,
    html_text,
    is_missing,
    paragraph,
    workbook_link,
    year_span,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.provinces import Province

PROFILE_FILE = "profile.html"
PROFILE_RECORD = "profile.json"
MAPS_FILE = "maps.html"
MAPS_RECORD = "maps.json"
INDICES = ("PAR", "SIPAS", "PAPI", "PCI")
PROFILE_MODULES: tuple[str, ...] = (
    "profiles.py", "maps.py", "plots.py", "display.py", "narrative.py", "citation.py",
    "sections.py", "report_data.py", "data/report_labels.csv",
)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, eq=False)
class ProfileData:
    """Every table the profiles read, for all provinces (loaded once per process).

    Attributes
    ----------
    rows
        :func:`parstats.report_data.province_index_rows` of every province.
    reference
        :func:`parstats.report_data.reference_bands`.
    plans
        Every provincial plan (:func:`parstats.report_data.plan_table`).
    targets, delivery
        The processed tables (may be empty).
    dimensions
        PAPI dimension scores, preferred values, with ``label_en`` and ``label_vi``.
    """

    rows: pd.DataFrame
    reference: pd.DataFrame
    plans: pd.DataFrame
    targets: pd.DataFrame
    delivery: pd.DataFrame
    dimensions: pd.DataFrame


def _dimensions(indices: pd.DataFrame | None) -> pd.DataFrame:
    import pandas as pd

    from parstats.measures import get

    columns = ["index", "province_code", "year", "measure_id", "value", "origin", "label_en",
               "label_vi"]
    if indices is None or "measure_kind" not in indices:
        return pd.DataFrame(columns=columns)
    rows = indices[
        (indices["index"] == "PAPI") & (indices["measure_kind"] == "dimension")
        & indices["preferred"] & ~indices["is_aggregate"] & indices["value"].notna()
    ]
    labels = {m: get("PAPI", m) for m in rows["measure_id"].dropna().unique()}
    return rows.assign(
        label_en=rows["measure_id"].map(lambda m: labels[m].label_en),
        label_vi=rows["measure_id"].map(lambda m: labels[m].label_vi),
        value=rows["value"].astype(float),
        year=rows["year"].astype(int),
    )[columns].reset_index(drop=True)


@lru_cache(maxsize=2)
def _load(listing: tuple[tuple[str, str], ...]) -> ProfileData:
    import pandas as pd

    from parstats.report_data import (
        load_tables,
        plan_table,
        province_index_rows,
        reference_bands,
    )

    tables = load_tables(("documents", "targets", "indices", "delivery"))
    rows = province_index_rows(tables["indices"])
    docs = tables["documents"]
    plans = plan_table(docs[(docs["province"] != "national").fillna(True)]) if docs is not None \
        else pd.DataFrame(columns=["doc", "province_code"])
    empty = pd.DataFrame(columns=["doc"])
    return ProfileData(
        rows=rows,
        reference=reference_bands(rows),
        plans=plans,
        targets=tables["targets"] if tables["targets"] is not None else empty,
        delivery=tables["delivery"] if tables["delivery"] is not None else empty,
        dimensions=_dimensions(tables["indices"]),
    )


def profile_data() -> ProfileData:
    """Return :class:`ProfileData` of the current processed generation (cached while unchanged)."""
    from parstats import processed

    listing = processed.read(lambda gen: gen.listing())
    return _load(tuple(listing))


# --------------------------------------------------------------------------- one profile


@dataclass(frozen=True)
class ReportLink:
    """A per-year report a profile links to.

    Attributes
    ----------
    year
        The report year.
    href
        Its address relative to the profile (``"2019.html"``).
    has_plan
        Whether a plan was in force that year.
    """

    year: int
    href: str
    has_plan: bool


def _page(title: str, body: str, language: str) -> str:
    lang = "vi" if language == "vi" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}\n"
        "body{margin:1.5rem 2rem;background:#fff}"
        ".ps-profile-head{display:flex;gap:1.5rem;align-items:flex-start}"
        ".ps-profile-head .ps-figure{margin:0 !important}"
        ".ps-years a{display:inline-block;margin:.15rem .3rem .15rem 0;padding:.1rem .45rem;"
        "border:1px solid #d0d7de;border-radius:4px;text-decoration:none}"
        ".ps-years a.ps-plan-year{background:#fdf2c5}"
        "</style>\n</head>\n<body>\n"
        f'<div class="ps-page">{body}</div>\n</body>\n</html>\n'
    )


def _plans_table(p: Province, plans: pd.DataFrame, targets: pd.DataFrame,
                 links: dict[int, ReportLink], language: str) -> Table:
    import pandas as pd

    rows = []
    for _, plan in plans.iterrows():
        start, end = plan.get("period_start"), plan.get("period_end")
        years = range(int(start), int(end if not is_missing(end) else start) + 1) \
            if not is_missing(start) else ()
        anchors = " ".join(
            f'<a href="{html.escape(links[y].href)}">{y}</a>' for y in years if y in links
        )
        n = int(((targets["doc"] == plan["doc"]) & (targets.get("kind") == "target")).sum()) \
            if len(targets) and "kind" in targets else 0
        rows.append({
            "plan": Text(str(plan.get("name_en")), str(plan.get("name_vi"))),
            "title": None if is_missing(plan.get("title")) else str(plan.get("title")),
            "period": year_span(start, end),
            "targets": n,
            "reports": anchors or None,
            "reports_text": " ".join(str(y) for y in years if y in links) or None,
        })
    columns = (
        Column("plan", Text("Plan", "Kế hoạch")),
        Column("title", Text("Title (as published)", "Tên văn bản")),
        Column("period", Text("Period", "Giai đoạn")),
        Column("targets", Text("Numeric targets", "Số chỉ tiêu"), "integer"),
        Column("reports", Text("Reports by year", "Báo cáo theo năm"), "html",
               csv_key="reports_text"),
    )
    return Table(f"{p.slug}_plans", Text("Plans in the corpus", "Kế hoạch trong bộ dữ liệu"),
                 pd.DataFrame(rows), columns, PLANS_SOURCE, language, show_title=False,
                 missing=Text("no report written for these years yet",
                              "chưa có báo cáo cho các năm này"))


def _index_table(p: Province, rows: pd.DataFrame, language: str) -> Table:
    """Return the province's index figures by year (the per-year report's table builder)."""
    from types import SimpleNamespace

    from parstats.sections import index_table

    frame = rows.assign(scale_min=None, scale_max=None, unit=None)
    from parstats.scales import scale_for

    mins, maxs, units = [], [], []
    for index, year in zip(frame["index"], frame["year"], strict=True):
        from parstats.indices import HEADLINE

        s = scale_for(str(index), int(year), HEADLINE.get(str(index), "score"))
        mins.append(s.low)
        maxs.append(s.high)
        units.append(s.unit)
    frame = frame.assign(scale_min=mins, scale_max=maxs, unit=units)
    fake = SimpleNamespace(indices=frame)
    table = index_table(fake, language, f"{p.slug}_indices")  # type: ignore[arg-type]
    from dataclasses import replace

    return replace(table, collapse_after=16)


def profile_html(province: str | Province, language: str = "both",
                 links: Sequence[ReportLink] = (), maps_page: bool = False) -> str:
    """Return the profile page of one province (a standalone HTML document).

    Parameters
    ----------
    province
        Any spelling the registry resolves.
    language
        ``"both"``, ``"en"`` or ``"vi"``.
    links
        The per-year reports that exist (linked from the page).
    maps_page
        Whether ``reports/maps.html`` exists (linked from the page).
    """
    import pandas as pd

    from parstats import maps, narrative, plots
    from parstats.display import check_language
    from parstats.provinces import resolve

    language = check_language(language)
    p = resolve(province)
    data = profile_data()
    by_year = {link.year: link for link in links}
    rows = data.rows[data.rows["province_code"] == p.code]
    plans = data.plans[data.plans["province_code"].astype("string") == p.code] \
        if len(data.plans) else data.plans
    plans = plans.sort_values("period_start") if len(plans) else plans
    targets = data.targets
    delivery = data.delivery[data.delivery["doc"].isin(plans["doc"])] \
        if len(data.delivery) and len(plans) else data.delivery.iloc[0:0]
    lang = language

    title = Text(f"{p.name_vi}: province profile, all years",
                 f"{p.name_vi}: hồ sơ tỉnh qua các năm")
    locator = CaptionedFigure(
        maps.locator_map(p.code, lang),
        Text("Red: the province; teal: its region; outlined: the provinces of its 2025 unit.",
             "Đỏ: tỉnh; xanh: các tỉnh cùng vùng; viền đen: các tỉnh cùng đơn vị từ 2025."),
        Text("Dots at the registry's centroids (derived from published boundaries).",
             "Chấm tại tâm diện tích theo danh mục tỉnh."),
        Text(f"Locator map of {p.name_vi} in Viet Nam", f"Bản đồ vị trí {p.name_vi}"),
        f"{p.slug}_locator", lang,
    )
    nav = (f'<p class="ps-nav"><a href="../index.html">'
           f'{html_text(Text("All provinces and reports", "Tất cả tỉnh và báo cáo"), lang)}</a>'
           + (f' · <a href="../maps.html">{html_text(Text("Maps", "Bản đồ"), lang)}</a>'
              if maps_page else "") + "</p>")
    summary = narrative.profile_text(p, plans, rows, data.reference)
    head = Html(
        f'<h1>{html_text(title, lang)}</h1>{nav}<div class="ps-profile-head">'
        f'<div class="ps-summary" data-summary="1">{paragraph(summary, lang).html()}</div>'
        f"{locator.html()}</div>"
    )

    plan_table = _plans_table(p, plans, targets, by_year, lang) if len(plans) else None
    plans_section = Section(
        "plans", Text("Plans", "Kế hoạch"), (plan_table,) if plan_table is not None else (),
        Text(f"the corpus holds no PAR plan of {p.name_vi}.",
             f"bộ dữ liệu chưa có kế hoạch cải cách hành chính nào của {p.name_vi}."), lang,
    )

    periods = tuple(
        (int(s), int(e if not is_missing(e) else s))
        for s, e in zip(plans.get("period_start", []), plans.get("period_end", []), strict=True)
        if not is_missing(s)
    ) if len(plans) else ()
    target_rows = plots.report_targets(delivery)
    figures: list[Any] = []
    if len(rows) or len(target_rows):
        fig = plots.trajectory_figure(
            rows, data.reference, province=p.name_vi, region=p.region, region_en=p.region_en,
            targets=target_rows, periods=periods, year=None,
            wanted=tuple(sorted(set(target_rows["index"]))) if len(target_rows) else (),
            language=lang,
        )
        shown = [i for i in INDICES if i in set(rows["index"])]
        derived = bool((rows["origin"] == "derived").any()) if len(rows) else False
        figures.append(CaptionedFigure(
            fig,
            Text("Score (top) and rank (bottom, 1 = best of 63) of each index by survey year; "
                 "shaded: plan periods; stars: plan targets at their deadlines; grey: the "
                 "middle half and median of all provinces, teal: of the region (where at least "
                 "50 provinces have a figure); dotted line: a change of scale or method; dashed "
                 "line, open dots: computed by parstats from published sub-dimensions.",
                 "Điểm (trên) và xếp hạng (dưới, 1 = cao nhất/63) theo năm khảo sát; vùng tô: "
                 "giai đoạn kế hoạch; ngôi sao: chỉ tiêu tại thời hạn; xám: một nửa số tỉnh ở "
                 "giữa và trung vị cả nước, xanh: của vùng; đường chấm: thay đổi thang điểm "
                 "hoặc phương pháp; đường gạch, chấm rỗng: do parstats tính từ các chỉ số thành "
                 "phần."),
            source_line(shown or INDICES, derived_papi=derived),
            Text(f"Trajectories of {', '.join(shown) or 'no index'} for {p.name_vi}, "
                 "rank axes from 1 (top) to 63.",
                 f"Diễn biến {', '.join(shown) or 'không chỉ số nào'} của {p.name_vi}, trục "
                 "xếp hạng từ 1 (trên) đến 63."),
            f"{p.slug}_trajectories", lang,
        ))
    dims = data.dimensions
    mine = dims[dims["province_code"] == p.code]
    dim_parts: list[Any] = []
    if len(mine):
        year = int(mine["year"].max())
        same = dims[dims["year"] == year]
        from parstats.report_data import BAND_MIN_PROVINCES

        if same["province_code"].nunique() >= BAND_MIN_PROVINCES:
            fig = plots.dimension_breakdown(same, p.code, index="PAPI", year=year,
                                            province=p.name_vi, language=lang)
            derived = bool((mine.loc[mine["year"] == year, "origin"] == "derived").any())
            dim_parts.append(CaptionedFigure(
                fig,
                Text(f"PAPI dimension scores of {p.name_vi} in {year} against the "
                     f"{same['province_code'].nunique()} provinces with a score: grey bar, "
                     "middle half; tick, median; red dot, the province.",
                     f"Điểm các nội dung PAPI của {p.name_vi} năm {year} so với "
                     f"{same['province_code'].nunique()} tỉnh: thanh xám, một nửa số tỉnh ở "
                     "giữa; vạch, trung vị; chấm đỏ, tỉnh."),
                source_line(["PAPI"]) + (Text(" Dimension scores computed by parstats as the "
                                              "sum of the published sub-dimensions.",
                                              " Điểm nội dung do parstats cộng từ các chỉ số "
                                              "thành phần đã công bố.") if derived
                                         else Text("", "")),
                Text(f"PAPI dimensions of {p.name_vi} in {year} against all provinces",
                     f"Các nội dung PAPI của {p.name_vi} năm {year} so với các tỉnh"),
                f"{p.slug}_papi_dimensions", lang,
            ))
    table = _index_table(p, rows, lang) if len(rows) else None
    traj_section = Section(
        "trajectories", Text("Index trajectories", "Diễn biến các chỉ số"),
        tuple(figures) + ((table,) if table is not None and len(table) else ()),
        Text(f"no PAR Index, SIPAS, PAPI or PCI figure for {p.name_vi} is in the data.",
             f"chưa có số liệu chỉ số nào của {p.name_vi}."), lang,
    )
    dim_section = Section(
        "dimensions", Text("PAPI dimensions against the national median",
                           "Các nội dung PAPI so với trung vị cả nước"),
        tuple(dim_parts),
        Text(f"no PAPI dimension score for {p.name_vi} in a year most provinces have one.",
             f"chưa có điểm các nội dung PAPI của {p.name_vi}."), lang,
    )
    year_links = "".join(
        f'<a class="{"ps-plan-year" if link.has_plan else ""}" '
        f'href="{html.escape(link.href)}">{link.year}</a>'
        for link in sorted(links, key=lambda k: k.year)
    )
    reports_section = Section(
        "reports", Text("Reports by year", "Báo cáo theo năm"),
        (Html(f'<p class="ps-years">{year_links}</p>' + paragraph(
            Text("Shaded: a year with a plan in force. Other years: "
                 "“parstats report --province ... --year ...” or “parstats reports --all”.",
                 "Tô màu: năm có kế hoạch có hiệu lực. Các năm khác: “parstats report "
                 "--province ... --year ...” hoặc “parstats reports --all”."),
            lang, "ps-note").html()),) if links else (),
        Text("no per-year report has been written for this province yet (run “parstats report "
             f"--province \"{p.name_vi}\" --year YYYY”, or “parstats reports --all”).",
             "chưa có báo cáo theo năm nào của tỉnh (chạy “parstats report --province ... --year "
             "YYYY”, hoặc “parstats reports --all”)."),
        lang,
    )
    tables = tuple(t for t in (plan_table, table) if t is not None and len(t))
    data_section = Section(
        "data", Text("The data of this page", "Dữ liệu của trang"),
        (Html("<p>" + workbook_link(tables, f"{p.slug}_profile", lang, (
            ("what", f"parstats province profile: {p.name_vi}"),
            ("sources", source_line(INDICES).en + " " + PLANS_SOURCE.en),
        )) + "</p>"),) if tables else (),
        Text("no table to download.", "không có bảng nào để tải về."), lang,
    )
    years = {i: sorted({int(y) for y in rows.loc[rows["index"] == i, "year"]}) for i in INDICES}
    cite = Section("cite", Text("How to cite", "Cách trích dẫn"),
                   (how_to_cite(INDICES, lang, years),), None, lang)
    body = head.html() + "".join(
        s.html() for s in (plans_section, reports_section, traj_section, dim_section,
                           data_section, cite)
    )
    del pd
    return _page(f"{p.name_vi} — parstats province profile", body, language)


# --------------------------------------------------------------------------- maps page


def maps_html(language: str = "both") -> str:
    """Return ``reports/maps.html``: a dot map for a chosen index and year, and the 34 units."""
    from parstats import maps
    from parstats.display import check_language

    language = check_language(language)
    data = profile_data()
    available = maps.available_maps(data.rows)
    options, figures = [], []
    for n, (index, series, year, count) in enumerate(available):
        key = f"{index}-{series}-{year}"
        word = {"score": "total" if index == "PAPI" else "score", "rank": "rank"}[series]
        options.append(f'<option value="{key}"{" selected" if n == 0 else ""}>{index} {word} '
                       f"{year} ({count}/63)</option>")
        fig = maps.index_map(data.rows, index, year, series, language=language)
        caption = CaptionedFigure(
            fig,
            Text(f"{index} {word} {year}: each province a dot at its centroid; darker is better; "
                 f"{count} of 63 provinces have a figure (hollow rings: none).",
                 f"{index} {year}: mỗi tỉnh là một chấm tại tâm; màu đậm hơn là tốt hơn; "
                 f"{count}/63 "
                 "tỉnh có số liệu (vòng rỗng: không có)."),
            source_line([index], derived_papi=index == "PAPI" and year > 2017),
            Text(f"Dot map of {index} {word} {year} for {count} provinces",
                 f"Bản đồ chấm {index} {year} của {count} tỉnh"),
            f"map-{key}", language,
        )
        hidden = "" if n == 0 else " hidden"
        figures.append(f'<div class="ps-map" data-map="{key}"{hidden}>{caption.html()}</div>')
    units = CaptionedFigure(
        maps.units_map(language),
        Text("The 34 provincial units in place from 1 July 2025: the old provinces of a unit are "
             "joined by lines. The indices here were measured on the 63 old provinces and are "
             "never averaged into a new unit.",
             "34 đơn vị hành chính cấp tỉnh từ 1/7/2025: các tỉnh cũ cùng đơn vị được nối với "
             "nhau. Các chỉ số được đo trên 63 tỉnh cũ và không bao giờ được lấy trung bình cho "
             "đơn vị mới."),
        Text("Source: Resolution 202/2025/QH15, in the parstats province registry.",
             "Nguồn: Nghị quyết 202/2025/QH15, trong danh mục tỉnh của parstats."),
        Text("Map of the 34 provincial units after the 2025 merger",
             "Bản đồ 34 đơn vị cấp tỉnh sau sáp nhập 2025"),
        "map-units-2025", language,
    )
    choose = html_text(Text("Index and year", "Chỉ số và năm"), language)
    heading = html_text(Text("63 provinces, by index and year", "63 tỉnh, theo chỉ số và năm"),
                        language)
    script = (
        "<script>\n(function(){var s=document.getElementById('ps-map-choice');"
        "function show(){document.querySelectorAll('.ps-map').forEach(function(d){"
        "d.hidden=d.getAttribute('data-map')!==s.value;});}"
        "s.addEventListener('change',show);show();})();\n</script>"
    )
    body = (
        f'<h1>{html_text(Text("Maps of the provinces", "Bản đồ các tỉnh"), language)}</h1>'
        f'<p class="ps-nav"><a href="index.html">'
        f'{html_text(Text("All provinces and reports", "Tất cả tỉnh và báo cáo"), language)}'
        "</a></p>"
        f'<section class="ps-section" id="index-map"><h2>{heading}'
        f'</h2><label>{choose}: <select id="ps-map-choice">{"".join(options)}</select></label>'
        + "".join(figures) + "</section>"
        f'<section class="ps-section" id="units"><h2>'
        f'{html_text(Text("The 34 units after 2025", "34 đơn vị sau năm 2025"), language)}'
        f"</h2>{units.html()}</section>" + script
    )
    return _page("Maps — parstats", body, language)


# --------------------------------------------------------------------------- writing, cached


@dataclass(frozen=True)
class PageRecord:
    """What writing one profile (or the maps page) left behind.

    Attributes
    ----------
    key
        SHA-256 of the inputs (processed data, page code, language, the links shown).
    html
        SHA-256 of the page written.
    """

    key: str
    html: str


def _read_record(path: Any) -> PageRecord | None:
    try:
        return PageRecord(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _fresh(page: Any, record: Any, key: str) -> bool:
    from parstats.io import sha256_file

    found = _read_record(record)
    if found is None or found.key != key:
        return False
    try:
        return sha256_file(page) == found.html
    except OSError:
        return False


def _code_digest() -> str:
    import hashlib

    from parstats.paths import PACKAGE_DIR

    digest = hashlib.sha256()
    for name in PROFILE_MODULES:
        digest.update(name.encode())
        digest.update((PACKAGE_DIR / name).read_bytes())
    return digest.hexdigest()


def page_key(processed: Sequence[tuple[str, str]], *parts: Any) -> str:
    """Return the key of a page: its inputs' hashes, the page code and ``parts``."""
    from parstats import __version__
    from parstats.io import sha256_bytes

    payload = {"processed": list(processed), "code": _code_digest(), "version": __version__,
               "parts": [str(p) for p in parts]}
    return sha256_bytes(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode())


def _write_page(folder: Any, page_name: str, record_name: str, text: str, key: str) -> None:
    from dataclasses import asdict

    from parstats.io import sha256_bytes, write_bytes, write_json

    data = text.encode("utf-8")
    write_bytes(folder / page_name, data)
    write_json(folder / record_name, asdict(PageRecord(key, sha256_bytes(data))))


def links_for(slug: str, records: Sequence[Any]) -> tuple[ReportLink, ...]:
    """Return the per-year reports of a province that exist (successful records)."""
    out = []
    for r in records:
        if r.slug == slug and r.status == "ok":
            plans = (r.headline or {}).get("n_plans") or 0
            out.append(ReportLink(int(r.year), f"{int(r.year)}.html", bool(plans)))
    return tuple(sorted(out, key=lambda link: link.year))


@dataclass(frozen=True)
class ProfileJob:
    """One profile to write: the province's registry code and the links it shows."""

    code: str
    slug: str
    links: tuple[ReportLink, ...]
    language: str
    maps: bool = False


def _profile_job_run(job: ProfileJob, key: str) -> str:
    from parstats.paths import reports_dir

    folder = reports_dir() / job.slug
    folder.mkdir(parents=True, exist_ok=True)
    _write_page(folder, PROFILE_FILE, PROFILE_RECORD,
                profile_html(job.code, job.language, job.links, job.maps), key)
    return job.slug


def _init_worker(parent_pid: int) -> None:
    from parstats.processes import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent_pid)


@dataclass(frozen=True)
class ProfilesResult:
    """What :func:`run_profiles` did.

    Attributes
    ----------
    written, unchanged
        Slugs of the profiles written and of those already current.
    maps
        Whether the maps page was written (``False``: unchanged or not asked).
    """

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    maps: bool


def run_profiles(
    provinces: Sequence[str] = (),
    *,
    records: Sequence[Any] = (),
    language: str = "both",
    workers: int = 1,
    force: bool = False,
    with_maps: bool = True,
    only_maps: bool = False,
    on_done: Callable[[str], None] | None = None,
) -> ProfilesResult:
    """Write the profiles of ``provinces`` (all 63 when empty) and the maps page, if not current.

    Call it holding the report batch's lock (:func:`parstats.reports.run_reports` does).

    Parameters
    ----------
    provinces
        GSO codes or names; every province when empty.
    records
        The per-year report records (:func:`parstats.reports.all_records`): a profile
        links to its province's reports.
    language
        ``"both"``, ``"en"`` or ``"vi"``.
    workers
        Processes (forked; each loads the tables once).
    force
        Write even the profiles whose inputs have not changed.
    with_maps
        Also write ``reports/maps.html``.
    only_maps
        Write no profile (only the maps page, with ``with_maps``).
    on_done
        Called with each slug written.
    """
    from parstats import processed
    from parstats.display import check_language
    from parstats.paths import reports_dir
    from parstats.provinces import all_provinces, resolve

    language = check_language(language)
    listing = tuple(processed.read(lambda gen: gen.listing()))
    chosen = [resolve(p) for p in provinces] if provinces else list(all_provinces())
    if only_maps:
        chosen = []
    root = reports_dir()
    maps_written = False
    if with_maps:  # first, so that the profiles link to it
        key = page_key(listing, "maps", language)
        if force or not _fresh(root / MAPS_FILE, root / MAPS_RECORD, key):
            root.mkdir(parents=True, exist_ok=True)
            _write_page(root, MAPS_FILE, MAPS_RECORD, maps_html(language), key)
            maps_written = True
    has_maps = (root / MAPS_FILE).is_file()
    todo: list[tuple[ProfileJob, str]] = []
    unchanged: list[str] = []
    for p in dict.fromkeys(chosen):
        links = links_for(p.slug, records)
        job = ProfileJob(p.code, p.slug, links, language, has_maps)
        key = page_key(listing, "profile", p.code, language, links, has_maps)
        folder = reports_dir() / p.slug
        if not force and _fresh(folder / PROFILE_FILE, folder / PROFILE_RECORD, key):
            unchanged.append(p.slug)
        else:
            todo.append((job, key))
    written: list[str] = []
    if todo and workers > 1:
        written = _run_pool(todo, workers, on_done)
    else:
        for job, key in todo:
            written.append(_profile_job_run(job, key))
            if on_done is not None:
                on_done(job.slug)
    return ProfilesResult(tuple(sorted(written)), tuple(sorted(unchanged)), maps_written)


def _run_pool(todo: list[tuple[ProfileJob, str]], workers: int,
              on_done: Callable[[str], None] | None) -> list[str]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from parstats.reports import stop_workers

    profile_data()  # load once before forking: the workers share it
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(min(workers, len(todo)),
                               mp_context=multiprocessing.get_context(method),
                               initializer=_init_worker, initargs=(os.getpid(),))
    out: list[str] = []
    try:
        futures = [pool.submit(_profile_job_run, job, key) for job, key in todo]
        for future in as_completed(futures):
            out.append(future.result())
            if on_done is not None:
                on_done(out[-1])
    except BaseException:
        stop_workers(pool)
        raise
    pool.shutdown(wait=True)
    return out


def profile_exists(slug: str) -> bool:
    """Return whether ``reports/<slug>/profile.html`` and its record are on disk."""
    from parstats.paths import reports_dir

    folder = reports_dir() / slug
    return (folder / PROFILE_FILE).is_file() and (folder / PROFILE_RECORD).is_file()


def profiles_listing() -> tuple[tuple[str, str], ...]:
    """Return ``(slug, page sha256)`` of every profile on disk, and the maps page's (summaries)."""
    from parstats.paths import reports_dir

    root = reports_dir()
    out = []
    for record in sorted(root.glob(f"*/{PROFILE_RECORD}")):
        found = _read_record(record)
        if found is not None:
            out.append((record.parent.name, found.html))
    maps = _read_record(root / MAPS_RECORD)
    if maps is not None:
        out.append(("(maps)", maps.html))
    return tuple(out)
