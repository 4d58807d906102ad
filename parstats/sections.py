"""The sections of a province-year report, built for people (the template only displays them).

:func:`report_page` gathers one report's data (:func:`parstats.report_data.province_report`)
and returns a :class:`ReportPage` whose attributes are the report's sections in
order, each a :class:`parstats.display.Section`: a summary first (the generated
paragraph and key numbers, :mod:`parstats.narrative`), then the plans in force,
their targets by area, ambition against the national programme and peers, the
index trajectories, delivery, what is missing, the data as CSV and Excel, and how
to cite. A section without content collapses to one line saying what is missing.

Every table shows labels instead of codes (catalogue indicator labels, area,
level and status labels in the report's language), signs instead of comparator
codes, plan names instead of document ids, rounded numbers, a dash for a missing
value, and names its sources; every figure has alt text and a caption naming its
sources.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from parstats.citation import PLANS_SOURCE, how_to_cite, source_line
from parstats.display import (
    CaptionedFigure,
    Column,
    Html,
    Section,
    Table,
    Text,
    check_language,
    commitment,
    family_label,
    html_text,
    indicator_label,
    is_missing,
    label,
    number,
    paragraph,
    same,
    style,
    workbook_link,
    year_span,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.report_data import Headline, ProvinceReport

REPORT_INDICES = ("PAR", "SIPAS", "PAPI", "PCI")


def _plan_names(plans: pd.DataFrame) -> dict[str, Text]:
    out = {}
    for _, row in plans.iterrows():
        period = year_span(row.get("period_start"), row.get("period_end"))
        out[str(row["doc"])] = Text(f"{row.get('name_en')} ({period})",
                                    f"{row.get('name_vi')} ({period})")
    return out


def _level(code: Any) -> Text | None:
    return label("level", code)


# --------------------------------------------------------------------------- tables


def plans_table(report: ProvinceReport, language: str, name: str) -> Table:
    """Return the plans in force: name, title, issuer, kind, period, issue date, targets."""
    import pandas as pd

    rows = []
    for _, p in report.plans.iterrows():
        n = int((report.targets["doc"] == p["doc"]).sum()) if len(report.targets) else 0
        rows.append({
            "plan": Text(str(p.get("name_en")), str(p.get("name_vi"))),
            "title": None if is_missing(p.get("title")) else str(p.get("title")),
            "issuer": None if is_missing(p.get("issuer")) else str(p.get("issuer")),
            "kind": label("doc_kind", p.get("doc_kind")),
            "period": year_span(p.get("period_start"), p.get("period_end")),
            "issued": None if is_missing(p.get("issued")) else str(p.get("issued")),
            "targets": n,
            "plan_id": None if is_missing(p.get("plan_id")) else str(p.get("plan_id")),
        })
    columns = (
        Column("plan", Text("Plan", "Kế hoạch")),
        Column("title", Text("Title (as published)", "Tên văn bản")),
        Column("issuer", Text("Issued by", "Cơ quan ban hành")),
        Column("kind", Text("Kind", "Loại")),
        Column("period", Text("Period", "Giai đoạn")),
        Column("issued", Text("Issued", "Ngày ban hành")),
        Column("targets", Text("Numeric targets", "Số chỉ tiêu"), "integer"),
        Column("plan_id", Text("Plan id (for joins)", "Mã kế hoạch"),
               hint=Text("parstats.ambition.plan_id: province, type and number, year",
                         "mã do parstats đặt: tỉnh, loại và số văn bản, năm")),
    )
    return Table(name, Text("Plans in force", "Kế hoạch đang có hiệu lực"),
                 pd.DataFrame(rows), columns, PLANS_SOURCE, language, show_title=False)


def targets_table(report: ProvinceReport, language: str, name: str) -> Table:
    """Return the targets in force: area, indicator, level, commitment, deadline, plan."""
    import pandas as pd

    names = _plan_names(report.plans)
    rows = []
    for _, t in report.targets.iterrows():
        rows.append({
            "area": label("area", t.get("area")),
            "indicator": indicator_label(t.get("indicator")),
            "level": _level(t.get("level")),
            "commitment": commitment(t.get("comparator"), t.get("value"), t.get("value_high"),
                                     t.get("unit"), "vi" if language == "vi" else "en"),
            "year": t.get("year"),
            "plan": names.get(str(t.get("doc"))),
            "sentence": None if is_missing(t.get("sentence")) else str(t.get("sentence")),
        })
    frame = pd.DataFrame(rows)
    columns = (
        Column("area", Text("Reform area", "Lĩnh vực")),
        Column("indicator", Text("Indicator", "Chỉ tiêu")),
        Column("level", Text("Level", "Cấp")),
        Column("commitment", Text("Target", "Mức chỉ tiêu"), "text"),
        Column("year", Text("Deadline", "Thời hạn"), "integer"),
        Column("plan", Text("Plan", "Kế hoạch")),
        Column("sentence", Text("Sentence in the plan", "Câu trong kế hoạch")),
    )
    return Table(
        name, Text("Targets of the plans in force", "Chỉ tiêu của các kế hoạch đang có hiệu lực"),
        frame, columns, PLANS_SOURCE, language,
        empty=Text("The plans in force set no numeric target.",
                   "Các kế hoạch đang có hiệu lực không đặt chỉ tiêu định lượng."),
        missing=Text("not stated in the plan", "kế hoạch không nêu"),
    )


def _peer_phrase(row: Any) -> Text:
    n = 0 if is_missing(row.get("n_peers")) else int(row.get("n_peers"))
    kind = label("doc_kind", row.get("doc_kind")) or Text("plans", "kế hoạch")
    if not is_missing(row.get("peer_percentile")):
        pct = number(row.get("peer_percentile"), 0)
        return Text(f"percentile {pct} among {n} comparable targets",
                    f"phân vị {pct} trong {n} chỉ tiêu tương đương")
    return Text(
        f"{n} comparable target{'s' if n != 1 else ''} in other {kind.en}s due within a year "
        "(3 needed for a percentile)",
        f"{n} chỉ tiêu tương đương trong các {kind.vi} khác có thời hạn trong vòng 1 năm "
        "(cần 3 để tính phân vị)",
    )


def _national_phrase(row: Any, language: str) -> Text | None:
    if is_missing(row.get("national_value")):
        return None
    lang = "vi" if language == "vi" else "en"
    value = commitment(row.get("comparator"), row.get("national_value"), None, row.get("unit"),
                       lang)
    prog = str(row.get("national_programme"))
    year = row.get("national_year")
    return Text(f"{value} by {year} ({prog})", f"{value} năm {year} ({prog})")


def ambition_table(report: ProvinceReport, language: str, name: str) -> Table:
    """Ambition: each target against the national target in force and its peers."""
    import pandas as pd

    frame = report.ambition
    rows = []
    for _, a in frame.iterrows():
        restated = bool(False if is_missing(a.get("restated")) else a.get("restated"))
        rows.append({
            "indicator": indicator_label(a.get("indicator")),
            "family": family_label(a.get("family")),
            "level": _level(a.get("level")),
            "commitment": commitment(a.get("comparator"), a.get("value"), a.get("value_high"),
                                     a.get("unit"), "vi" if language == "vi" else "en"),
            "year": a.get("year"),
            "national": _national_phrase(a, language),
            "gap": a.get("gap_national"),
            "peers": _peer_phrase(a),
            "restated": Text("yes: counted once", "có: chỉ tính một lần") if restated else None,
        })
    columns = (
        Column("indicator", Text("Indicator", "Chỉ tiêu")),
        Column("family", Text("Family", "Nhóm chỉ tiêu")),
        Column("level", Text("Level", "Cấp")),
        Column("commitment", Text("Target", "Mức chỉ tiêu")),
        Column("year", Text("Deadline", "Thời hạn"), "integer"),
        Column("national", Text("National target in force", "Chỉ tiêu quốc gia có hiệu lực")),
        Column("gap", Text("Gap to national (points)", "Chênh lệch so với quốc gia (điểm)"),
               "change", 1,
               hint=Text("positive = more ambitious than the national target, in percentage "
                         "points or rank places",
                         "dương = cao hơn chỉ tiêu quốc gia, tính theo điểm phần trăm hoặc bậc")),
        Column("peers", Text("Against other plans", "So với các kế hoạch khác")),
        Column("restated", Text("Restates an earlier target", "Nhắc lại chỉ tiêu trước")),
    )
    sources = Text(
        "Sources: plan targets (data/processed/ambition.csv); national targets from "
        "Resolution 76/NQ-CP, Decisions 942/QĐ-TTg and 749/QĐ-TTg, Resolutions 17/NQ-CP and "
        "30c/NQ-CP, each with its address and quote in parstats/data/national_targets.csv. "
        "Method: docs/AMBITION.md.",
        "Nguồn: chỉ tiêu kế hoạch (data/processed/ambition.csv); chỉ tiêu quốc gia từ Nghị quyết "
        "76/NQ-CP, Quyết định 942/QĐ-TTg và 749/QĐ-TTg, Nghị quyết 17/NQ-CP và 30c/NQ-CP, mỗi "
        "dòng kèm địa chỉ và trích dẫn trong parstats/data/national_targets.csv. Phương pháp: "
        "docs/AMBITION.md.",
    )
    return Table(
        name, Text("Ambition of each target", "Mức độ tham vọng của từng chỉ tiêu"),
        pd.DataFrame(rows), columns, sources, language,
        empty=Text("No target to compare.", "Không có chỉ tiêu để so sánh."),
        missing=Text("no national target for this indicator, level and unit",
                     "không có chỉ tiêu quốc gia tương ứng"),
    )


def index_table(report: ProvinceReport, language: str, name: str) -> Table:
    """Return the province's index figures by year, one column per index, measure and scale."""
    import pandas as pd

    from parstats.narrative import N_PROVINCES

    data = report.indices
    if data.empty:
        frame = pd.DataFrame()
        return Table(name, Text("Index figures by year", "Số liệu các chỉ số theo năm"),
                     frame, (), source_line(REPORT_INDICES), language,
                     empty=Text("No index figure for this province.",
                                "Không có số liệu chỉ số nào của tỉnh."))
    columns: list[Column] = [Column("year", Text("Year", "Năm"), "integer")]
    wide: dict[int, dict[str, Any]] = {}
    derived_papi = False
    for index in REPORT_INDICES:
        for series in ("score", "rank"):
            part = data[(data["index"] == index) & (data["series"] == series)]
            if part.empty:
                continue
            groups = part.groupby("scale_version", sort=False) if series == "score" \
                else [("", part)]
            for version, seg in groups:
                key = f"{index}_{series}_{version}"
                header = _index_header(index, series, seg)
                derived = bool((seg["origin"] == "derived").all()) if "origin" in seg else False
                derived_papi |= derived and index == "PAPI"
                hint = Text(str(version), str(version)) if version else Text(
                    f"1 = best of {N_PROVINCES}", f"1 = cao nhất/{N_PROVINCES}")
                if derived:
                    hint = hint + Text("; computed by parstats from published sub-dimensions",
                                       "; parstats tính từ các chỉ số thành phần đã công bố")
                columns.append(Column(key, header, "integer" if series == "rank" else "number",
                                      2, hint=hint))
                for year, values in seg.groupby("year"):
                    unique = set(values["value"].astype(float))
                    wide.setdefault(int(year), {"year": int(year)})[key] = (
                        unique.pop() if len(unique) == 1 else None
                    )
    frame = pd.DataFrame([wide[y] for y in sorted(wide)])
    return Table(
        name, Text("Index figures by year", "Số liệu các chỉ số theo năm"), frame,
        tuple(columns), source_line(REPORT_INDICES, derived_papi=derived_papi), language,
        missing=Text("no figure for this year (or sources disagree)",
                     "không có số liệu năm này (hoặc các nguồn không thống nhất)"),
        note=Text("Scores on different scales are in separate columns; a dash is a year "
                  "without a figure, never a zero.",
                  "Điểm trên các thang khác nhau nằm ở các cột riêng; dấu gạch là năm không có "
                  "số liệu, không phải số 0."),
        collapse_after=25,
    )


def _index_header(index: str, series: str, seg: pd.DataFrame) -> Text:
    name = {"PAR": Text("PAR Index", "Chỉ số PAR")}.get(index, same(index))
    if series == "rank":
        return Text(f"{name.en} rank", f"Xếp hạng {name.vi}")
    low = seg["scale_min"].dropna() if "scale_min" in seg else []
    high = seg["scale_max"].dropna() if "scale_max" in seg else []
    unit = seg["unit"].dropna().iloc[0] if "unit" in seg and seg["unit"].notna().any() else ""
    bounds = f" ({low.iloc[0]:g}–{high.iloc[0]:g})" if len(low) and len(high) else ""
    if unit == "percent":
        bounds = " (%)"
    years = sorted(int(y) for y in seg["year"])
    span = f", {years[0]}–{years[-1]}" if len(years) > 1 else f", {years[0]}"
    word = Text("total", "tổng điểm") if index == "PAPI" else Text("score", "điểm")
    return Text(f"{name.en} {word.en}{bounds}{span}", f"{word.vi.capitalize()} {name.vi}"
                f"{bounds}{span}")


_STATUS_NOTE = {
    "met": Text("met", "đạt"),
}


def delivery_table(report: ProvinceReport, language: str, name: str) -> Table:
    """Targets an index observes: the target, its status, what the index shows, why."""
    import pandas as pd

    from parstats.narrative import target_checks

    names = _plan_names(report.plans)
    lang = "vi" if language == "vi" else "en"
    rows = []
    checks = target_checks(report.delivery)
    for (_, d), check in zip(report.delivery.iterrows(), checks, strict=True):
        from parstats.narrative import _check_text

        observed = None
        if not is_missing(d.get("observed_value")):
            observed = Text(
                f"{_fmt_obs(d.get('observed_value'))} in {int(d.get('observed_year'))}",
                f"{_fmt_obs(d.get('observed_value'), 'vi')} năm {int(d.get('observed_year'))}",
            )
            if bool(False if is_missing(d.get("derived")) else d.get("derived")):
                observed = observed + Text(" (computed from published sub-dimensions)",
                                           " (tính từ các chỉ số thành phần đã công bố)")
        rows.append({
            "indicator": indicator_label(d.get("indicator")),
            "commitment": commitment(d.get("comparator"), d.get("value"), d.get("value_high"),
                                     d.get("unit"), lang),
            "year": d.get("year"),
            "index": Text(f"{d.get('index')} {d.get('measure')}"
                          + (" (as a proxy)" if d.get("observation") == "proxy" else ""),
                          f"{'xếp hạng' if d.get('measure') == 'rank' else 'điểm'} {d.get('index')}"
                          + (" (chỉ số thay thế)" if d.get("observation") == "proxy" else "")),
            "status": label("status", d.get("status")),
            "observed": observed,
            "why": Text(_check_text(check, "en"), _check_text(check, "vi")),
            "plan": names.get(str(d.get("doc"))),
        })
    columns = (
        Column("indicator", Text("Target", "Chỉ tiêu")),
        Column("commitment", Text("Level", "Mức")),
        Column("year", Text("Deadline", "Thời hạn"), "integer"),
        Column("index", Text("Observed by", "Đối chiếu với")),
        Column("status", Text("Status", "Tình trạng")),
        Column("observed", Text("Index figure", "Số liệu chỉ số")),
        Column("why", Text("Why", "Giải thích")),
        Column("plan", Text("Plan", "Kế hoạch")),
    )
    last = next((int(y) for y in report.delivery.get("index_last_year", []) if not is_missing(y)),
                None)
    sources = source_line(sorted(set(report.delivery.get("index", []))) or REPORT_INDICES) + Text(
        f" Judged against the index editions in the data (latest: {last}); "
        "method: parstats.delivery.",
        f" Đối chiếu với các kỳ chỉ số có trong dữ liệu (mới nhất: {last}); phương pháp: "
        "parstats.delivery.",
    )
    return Table(
        name, Text("Targets an index can observe", "Chỉ tiêu đối chiếu được với các chỉ số"),
        pd.DataFrame(rows), columns, sources, language,
        missing=Text("the index shows nothing for this target yet",
                     "chỉ số chưa có số liệu cho chỉ tiêu này"),
        show_title=False,
    )


def _fmt_obs(value: Any, lang: str = "en") -> str:
    x = float(value)
    return str(int(x)) if x.is_integer() else number(x, 2, lang)


# --------------------------------------------------------------------------- the page


def _vi_series(name: str) -> str:
    index, series = name.split(" ")
    return f"{'điểm' if series == 'score' else 'xếp hạng'} {index}"


def missing_items(report: ProvinceReport) -> list[Text]:
    """Return what the report could not show, one phrase each (English and Vietnamese)."""
    from parstats.report_data import index_value

    out: list[Text] = []
    for line in report.missing:
        if line.startswith("Table '"):
            table = line.split("'")[1]
            out.append(Text(f"The {table} table is not built (run `parstats build`).",
                            f"Bảng {table} chưa được tạo (chạy `parstats build`)."))
    if report.plans.empty:
        out.append(Text(f"No PAR plan of this province in force in {report.year} is in the "
                        "corpus.",
                        f"Bộ dữ liệu chưa có kế hoạch cải cách hành chính nào của tỉnh có hiệu "
                        f"lực năm {report.year}."))
    if report.national_targets.empty and any(m.startswith("No national") for m in report.missing):
        out.append(Text(f"No national PAR programme in the corpus is in force in {report.year}.",
                        f"Bộ dữ liệu chưa có chương trình cải cách hành chính quốc gia có hiệu "
                        f"lực năm {report.year}."))
    absent, disagree = [], []
    for index in REPORT_INDICES:
        for series in ("score", "rank"):
            problem = index_value(report.indices, index, series, report.year).problem
            name = f"{index} {series}"
            if problem == "absent":
                absent.append(name)
            elif problem == "conflicting":
                disagree.append(name)
    if absent:
        out.append(Text(f"Not in the index data for {report.year}: {', '.join(absent)}.",
                        f"Chưa có trong dữ liệu chỉ số năm {report.year}: "
                        f"{', '.join(_vi_series(a) for a in absent)}."))
    if disagree:
        out.append(Text(f"Sources disagree, no value shown, for {report.year}: "
                        f"{', '.join(disagree)}.",
                        f"Các nguồn không thống nhất, không hiển thị số liệu năm {report.year}: "
                        f"{', '.join(_vi_series(d) for d in disagree)}."))
    return out


@dataclass(frozen=True, eq=False)
class ReportPage:
    """The sections of one province-year report, in reading order.

    Attributes
    ----------
    report
        The data (:class:`~parstats.report_data.ProvinceReport`).
    language
        ``"both"``, ``"en"`` or ``"vi"``.
    header, summary, plans, targets, ambition, trajectories, delivery, missing, data, cite
        The sections (:class:`parstats.display.Section`).
    tables
        Every table of the page (for the Excel file).
    """

    report: ProvinceReport
    language: str
    header: Html
    summary: Section
    plans: Section
    targets: Section
    ambition: Section
    trajectories: Section
    delivery: Section
    missing: Section
    data: Section
    cite: Section
    tables: tuple[Table, ...] = field(default=())

    @property
    def sections(self) -> tuple[Section, ...]:
        """The sections, in order (the header excluded)."""
        return (self.summary, self.plans, self.targets, self.ambition, self.trajectories,
                self.delivery, self.missing, self.data, self.cite)

    @property
    def headline(self) -> Headline:
        """The figures the runner records into ``reports/results.parquet`` (displayed hidden)."""
        from parstats.report_data import headline

        return headline(self.report)

    def html(self) -> str:
        """Return the whole page body (outside a notebook)."""
        return self.header.html() + "".join(s.html() for s in self.sections)


def _header(report: ProvinceReport, language: str) -> Html:
    p = report.province
    title = Text(f"{p.name_vi}, {report.year}: Public Administration Reform report",
                 f"{p.name_vi}, năm {report.year}: báo cáo cải cách hành chính")
    facts = Text(
        f"GSO code {p.code} · region: {p.region_en or '—'} · from 1 July 2025 part of "
        f"{p.new_unit_2025} (Resolution 202/2025/QH15).",
        f"Mã GSO {p.code} · vùng: {p.region or '—'} · từ 1/7/2025 thuộc {p.new_unit_2025} "
        "(Nghị quyết 202/2025/QH15).",
    )
    links = Text("Province profile (all years)", "Hồ sơ tỉnh (mọi năm)")
    index = Text("All reports", "Tất cả báo cáo")
    nav = (f'<p class="ps-nav"><a href="profile.html">{html_text(links, language)}</a> · '
           f'<a href="../index.html">{html_text(index, language)}</a></p>')
    return Html(
        style().html()
        + f'<div class="ps-page"><h1>{html_text(title, language)}</h1>'
        + paragraph(facts, language, "ps-facts").html() + nav + "</div>"
    )


def _summary(report: ProvinceReport, language: str) -> Section:
    from parstats import narrative

    facts = narrative.summarise(report)
    text = narrative.summary_text(facts)
    cards = "".join(
        f'<li><span class="ps-key-value">{html.escape(k.value)}</span>'
        f'<span class="ps-key-label">{html_text(k.caption, language)}</span></li>'
        for k in narrative.key_numbers(facts, language)
    )
    paragraphs = "".join(paragraph(part, language, "ps-summary-text").html()
                         for part in narrative.summary_parts(facts))
    if language == "both":  # all English paragraphs, then all Vietnamese ones
        paragraphs = "".join(paragraph(part, "en", "ps-summary-text").html()
                             for part in narrative.summary_parts(facts)) + "".join(
            paragraph(part, "vi", "ps-summary-text").html()
            for part in narrative.summary_parts(facts))
    body = Html(
        f'<div class="ps-summary" data-summary="1">{paragraphs}'
        f'<ul class="ps-keys">{cards}</ul></div>'
    )
    del text
    return Section("summary", Text("Summary", "Tóm tắt"), (body,), language=language)


def _figure(fig: Any, caption: Text, sources: Text, alt: Text, name: str,
            language: str) -> CaptionedFigure:
    return CaptionedFigure(fig, caption, sources, alt, name, language)


def report_page(province: str, year: int, language: str = "both") -> ReportPage:
    """Return the sections of the report of ``province`` in ``year`` (see :class:`ReportPage`).

    Parameters
    ----------
    province
        Any spelling the registry resolves.
    year
        The report year.
    language
        ``"both"`` (English and Vietnamese), ``"en"`` or ``"vi"``.

    Raises
    ------
    UnknownProvinceError
        If ``province`` is not a province.
    InputError
        If ``language`` is not one of the three.
    """
    from parstats.report_data import province_report

    language = check_language(language)
    report = province_report(province, year)
    return page_for(report, language)


def page_for(report: ProvinceReport, language: str) -> ReportPage:
    """Return the :class:`ReportPage` of an already gathered report."""
    from parstats import plots

    slug, year, lang = report.province.slug, report.year, language
    base = f"{slug}_{year}"
    name = report.province.name_vi

    plans = plans_table(report, lang, f"{base}_plans")
    plans_section = Section(
        "plans", Text("Plans in force", "Kế hoạch đang có hiệu lực"),
        (plans,) if len(plans) else (),
        Text(f"no PAR plan of {name} in force in {year} is in the corpus "
             f"({report.corpus_plans} plans from {report.corpus_provinces} provinces).",
             f"bộ dữ liệu chưa có kế hoạch cải cách hành chính nào của {name} có hiệu lực năm "
             f"{year} ({report.corpus_plans} kế hoạch của {report.corpus_provinces} tỉnh)."),
        lang,
    )

    targets = targets_table(report, lang, f"{base}_targets")
    target_parts: tuple[Any, ...] = ()
    if len(targets):
        fig = plots.targets_by_area(report, lang)
        counts = report.targets["area"].value_counts()
        alt = Text(
            f"Bar chart of {len(report.targets)} targets by reform area; the largest: "
            + ", ".join(f"{label('area', a).en} {n}" for a, n in counts.head(3).items()),
            f"Biểu đồ cột {len(report.targets)} chỉ tiêu theo lĩnh vực; nhiều nhất: "
            + ", ".join(f"{label('area', a).vi} {n}" for a, n in counts.head(3).items()),
        )
        target_parts = (
            _figure(fig, Text("Numeric targets of the plans in force by reform area.",
                              "Số chỉ tiêu định lượng của các kế hoạch theo lĩnh vực cải cách."),
                    PLANS_SOURCE, alt, f"{base}_targets_by_area", lang),
            targets,
        )
    targets_section = Section(
        "targets", Text("Targets by reform area", "Chỉ tiêu theo lĩnh vực cải cách"),
        target_parts,
        Text("no plan in force, so no target." if report.plans.empty
             else "the plans in force set no numeric target.",
             "không có kế hoạch có hiệu lực nên không có chỉ tiêu." if report.plans.empty
             else "các kế hoạch có hiệu lực không đặt chỉ tiêu định lượng."),
        lang,
    )

    ambition = ambition_table(report, lang, f"{base}_ambition")
    ambition_parts: tuple[Any, ...] = ()
    if len(ambition):
        gaps = report.ambition.dropna(subset=["gap_national"]) if "gap_national" in \
            report.ambition else report.ambition.iloc[0:0]
        parts: list[Any] = []
        if len(gaps):
            fig = plots.national_gaps(report, lang)
            parts.append(_figure(
                fig,
                Text(f"{len(gaps)} targets against the national target in force at their "
                     "deadline (each commitment once).",
                     f"{len(gaps)} chỉ tiêu so với chỉ tiêu quốc gia có hiệu lực tại thời hạn "
                     "(mỗi cam kết tính một lần)."),
                Text("Sources: plan targets; national targets in parstats/data/"
                     "national_targets.csv (Resolution 76/NQ-CP, Decisions 942/QĐ-TTg and "
                     "749/QĐ-TTg, ...).",
                     "Nguồn: chỉ tiêu kế hoạch; chỉ tiêu quốc gia trong parstats/data/"
                     "national_targets.csv (Nghị quyết 76/NQ-CP, Quyết định 942/QĐ-TTg và "
                     "749/QĐ-TTg, ...)."),
                Text(f"Dot chart: {len(gaps)} targets, each beside the national target; the "
                     f"median gap is {number(gaps['gap_national'].astype(float).median(), 1)} "
                     "points.",
                     f"Biểu đồ điểm: {len(gaps)} chỉ tiêu cạnh chỉ tiêu quốc gia; chênh lệch "
                     f"trung vị {number(gaps['gap_national'].astype(float).median(), 1, 'vi')} "
                     "điểm."),
                f"{base}_national_gaps", lang))
        parts.append(ambition)
        ambition_parts = tuple(parts)
    ambition_section = Section(
        "ambition", Text("Ambition against the national programme and other plans",
                         "Mức độ tham vọng so với chương trình quốc gia và các kế hoạch khác"),
        ambition_parts,
        Text("no target in force to compare.", "không có chỉ tiêu có hiệu lực để so sánh."),
        lang,
        intro=Text(
            "A target's gap is its commitment minus the national target in force at its "
            "deadline (positive = more demanding). A peer percentile needs at least 3 "
            "comparable targets of other plans of the same kind due within a year; with fewer "
            "the table says how many there were.",
            "Chênh lệch là mức cam kết trừ chỉ tiêu quốc gia có hiệu lực tại thời hạn (dương = "
            "cao hơn). Phân vị cần ít nhất 3 chỉ tiêu tương đương của các kế hoạch cùng loại có "
            "thời hạn trong vòng một năm; nếu ít hơn, bảng ghi số chỉ tiêu tìm được.",
        ),
    )

    traj_section = _trajectory_section(report, lang, base)

    delivery = delivery_table(report, lang, f"{base}_delivery")
    delivery_section = Section(
        "delivery", Text("Delivery of targets an index observes",
                         "Kết quả thực hiện các chỉ tiêu đối chiếu được"),
        (delivery,) if len(delivery) else (),
        Text("no plan in force, so nothing to judge." if report.plans.empty else
             "no target of the plans in force is measured by the PAR Index, SIPAS, PAPI or PCI.",
             "không có kế hoạch có hiệu lực nên không có gì để đánh giá." if report.plans.empty
             else "không chỉ tiêu nào được đo bằng Chỉ số PAR, SIPAS, PAPI hay PCI."),
        lang,
    )

    missing = missing_items(report)
    missing_html = Html("<ul>" + "".join(f"<li>{html_text(m, lang)}</li>" for m in missing)
                        + "</ul>") if missing else None
    missing_section = Section(
        "missing", Text("What is missing", "Dữ liệu còn thiếu"),
        (missing_html,) if missing_html else (),
        Text("nothing: every figure of the report year is there.",
             "không: có đủ số liệu của năm báo cáo."),
        lang,
    )

    tables = tuple(t for t in (plans, targets, ambition, traj_section_table(traj_section),
                               delivery) if t is not None and len(t))
    about = (
        ("what", f"parstats report: {name}, {year}"),
        ("sheets", ", ".join(t.name for t in tables)),
        ("sources", source_line(REPORT_INDICES).en + " " + PLANS_SOURCE.en),
        ("note", "Values are unrounded here; pages round for display. Empty cells are missing "
                 "figures, never zeros."),
    )
    data_parts = (Html('<p class="ps-downloads">' + workbook_link(tables, base, lang, about)
                       + "</p>"),) if tables else ()
    data_section = Section("data", Text("The data of this report", "Dữ liệu của báo cáo"),
                           data_parts, Text("no table to download.",
                                            "không có bảng nào để tải về."), lang)
    years = {
        i: sorted({int(y) for y in report.indices.loc[report.indices["index"] == i, "year"]})
        for i in REPORT_INDICES
    } if len(report.indices) else {}
    cite_section = Section("cite", Text("How to cite", "Cách trích dẫn"),
                           (how_to_cite(REPORT_INDICES, lang, years),), None, lang)
    summary = _summary(report, lang)
    return ReportPage(
        report, lang, _header(report, lang), summary, plans_section, targets_section,
        ambition_section, traj_section, delivery_section, missing_section, data_section,
        cite_section, tables,
    )


def traj_section_table(section: Section) -> Table | None:
    """Return the index table of the trajectory section (for the Excel file)."""
    return next((p for p in section.parts if isinstance(p, Table)), None)


def _trajectory_section(report: ProvinceReport, lang: str, base: str) -> Section:
    from parstats import plots

    table = index_table(report, lang, f"{base}_indices")
    targets = plots.report_targets(report.delivery)
    if report.indices.empty and targets.empty:
        return Section("trajectories", Text("Index trajectories", "Diễn biến các chỉ số"), (),
                       Text(f"no PAR Index, SIPAS, PAPI or PCI figure for "
                            f"{report.province.name_vi} is in the data.",
                            f"chưa có số liệu Chỉ số PAR, SIPAS, PAPI hay PCI nào của "
                            f"{report.province.name_vi}."), lang)
    fig = plots.index_trajectories(report, lang)
    derived = bool(len(report.indices) and (report.indices["origin"] == "derived").any()) \
        if "origin" in report.indices else False
    shown = [i for i in REPORT_INDICES if i in set(report.indices["index"])]
    absent = [i for i in sorted(set(targets["index"])) if i not in shown] if len(targets) else []
    caption = Text(
        "Score (top) and rank (bottom, 1 = best of 63) of each index by survey year. Shaded: "
        "the plan period; stars: the plans' index targets at their deadlines; grey band and "
        "line: the middle half and median of all provinces, teal: of the province's region "
        "(drawn where at least 50 provinces have a figure; scores only, since ranks are "
        "already relative); dotted vertical line: a change of scale or method (PAPI 6–60 to "
        "2017, 8–80 from 2018; PAR criteria revised), never bridged; dashed line with open "
        "dots: PAPI figures computed by parstats from published sub-dimensions."
        + (f" A plan targets {', '.join(absent)} without any figure in the data: its panel "
           "says so." if absent else ""),
        "Điểm (trên) và xếp hạng (dưới, 1 = cao nhất/63) của từng chỉ số theo năm khảo sát. "
        "Vùng tô: giai đoạn kế hoạch; ngôi sao: chỉ tiêu về chỉ số tại thời hạn; dải và đường "
        "xám: một nửa số tỉnh ở giữa và trung vị cả nước, màu xanh: của vùng (chỉ vẽ khi có ít "
        "nhất 50 tỉnh có số liệu; chỉ cho điểm); đường chấm dọc: thay đổi thang điểm hoặc "
        "phương pháp (PAPI 6–60 đến 2017, 8–80 từ 2018; tiêu chí PAR sửa đổi), không nối qua; "
        "đường gạch với chấm rỗng: số liệu PAPI do parstats tính từ các chỉ số thành phần."
        + (f" Kế hoạch đặt chỉ tiêu về {', '.join(absent)} nhưng chưa có số liệu: ô tương ứng "
           "ghi rõ." if absent else ""),
    )
    from parstats.display import axis_facts

    ranks = [f for f in axis_facts(fig) if f.get("kind") == "rank"]
    alt = Text(
        f"Trajectories of {', '.join(shown) or 'no index'} for {report.province.name_vi}; "
        f"{len(ranks)} rank panels with rank 1 at the top, from 1 to 63.",
        f"Diễn biến {', '.join(shown) or 'không chỉ số nào'} của {report.province.name_vi}; "
        f"{len(ranks)} ô xếp hạng, hạng 1 ở trên cùng, từ 1 đến 63.",
    )
    figure = CaptionedFigure(fig, caption, source_line(shown or REPORT_INDICES,
                                                       derived_papi=derived),
                             alt, f"{base}_trajectories", lang)
    parts: tuple[Any, ...] = (figure, table) if len(table) else (figure,)
    return Section("trajectories", Text("Index trajectories", "Diễn biến các chỉ số"), parts,
                   None, lang)
