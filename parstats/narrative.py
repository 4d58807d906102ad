"""The summary that opens every report: what the plans commit to, how the indices moved, delivery.

Written from the data, never claiming more than they show: movements are stated
as "from ... to ...", never as effects of a plan; a change across a scale break is
not stated as a change; a figure parstats computed (PAPI totals and ranks from
published sub-dimensions) says so; what is missing is named.

:func:`summarise` gathers the facts of a :class:`~parstats.report_data.ProvinceReport`
into a :class:`Summary`; :func:`summary_text` writes them in English and
Vietnamese (:class:`parstats.display.Text`); :func:`key_numbers` gives the few
figures shown as cards beside the text. All are pure functions of the report's
tables, tested with fixtures for a province with a plan, one without, and
missing data (``tests/test_narrative.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from parstats.display import MISSING, Text, integer, is_missing, label, number, same

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.report_data import ProvinceReport

INDICES: tuple[str, ...] = ("PAR", "SIPAS", "PAPI", "PCI")
N_PROVINCES = 63
SHOWN_AREAS = 3
"""How many of a plan's areas the summary names (the largest by number of targets)."""


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class PlanFacts:
    """What one plan in force commits to.

    Attributes
    ----------
    plan_id
        The readable plan id (``kien-giang_kh-64_2016``).
    name
        The plan's name (``Plan 64/KH-UBND``).
    issuer
        Who issued it, as written.
    period_start, period_end
        The plan period.
    n_targets
        Its numeric targets (``kind == "target"``).
    areas
        ``(area code, targets)`` by number of targets, largest first.
    first_deadline, last_deadline
        The earliest and latest deadline of its targets (``None`` when none has one).
    """

    plan_id: str
    name: Text
    issuer: str | None
    period_start: int | None
    period_end: int | None
    n_targets: int
    areas: tuple[tuple[str, int], ...]
    first_deadline: int | None
    last_deadline: int | None


@dataclass(frozen=True)
class Movement:
    """How one index figure of the province moved over a window, beside the references.

    Attributes
    ----------
    index, series
        ``PCI`` and ``score`` or ``rank``.
    window
        ``(first, last)`` years looked at (the year before the plan to its end, or
        the year before the report year to the report year).
    base_year, base_value, end_year, end_value
        The first and last figure of the province inside the window (equal years
        when there is one figure; ``None`` when there is none).
    comparable
        Whether the two figures are on one scale (a PAPI total of 2017 and one of
        2018 are not).
    base_scale, end_scale
        The scale bounds as text (``"6-60"``), for scores.
    derived
        Whether a figure was computed by parstats from published sub-dimensions.
    national, region
        ``(median at base_year, median at end_year)``; ``None`` where no band exists.
    region_name
        The region (Vietnamese and English).
    """

    index: str
    series: str
    window: tuple[int, int]
    base_year: int | None
    base_value: float | None
    end_year: int | None
    end_value: float | None
    comparable: bool
    base_scale: str | None
    end_scale: str | None
    derived: bool
    national: tuple[float | None, float | None]
    region: tuple[float | None, float | None]
    region_name: Text

    @property
    def has_data(self) -> bool:
        """Whether the province has any figure in the window."""
        return self.end_value is not None

    @property
    def has_change(self) -> bool:
        """Whether two comparable figures of different years exist."""
        return (
            self.base_value is not None and self.end_value is not None
            and self.end_year != self.base_year and self.comparable
        )


@dataclass(frozen=True)
class TargetCheck:
    """One plan target an index observes, and its delivery status.

    Attributes
    ----------
    index, measure
        What observes it (``PAR`` ``rank``; ``SIPAS`` ``score`` as a proxy).
    comparator, value, year
        The target (``le``, 20, 2020).
    status
        ``met``, ``missed``, ``not_yet_due``, ``no_data`` or ``conflicting``.
    observed_year, observed_value
        What the index shows (``None`` when nothing).
    derived, proxy
        The observation was computed by parstats; the index stands in for the indicator.
    last_year
        The latest edition of the index in the data.
    value_high
        The upper bound of a range target.
    change
        The index observes a change (places gained), not a level.
    """

    index: str
    measure: str
    comparator: str | None
    value: float | None
    year: int | None
    status: str
    observed_year: int | None
    observed_value: float | None
    derived: bool
    proxy: bool
    last_year: int | None
    value_high: float | None = None
    change: bool = False


@dataclass(frozen=True)
class Summary:
    """The facts the opening paragraph states.

    Attributes
    ----------
    province, province_vi
        The province (ASCII-free display name, with diacritics) and its region.
    year
        The report year.
    plans
        The plans in force.
    movements
        One per index and series (``INDICES`` × score, rank), data or not.
    checks
        The plan targets an index observes.
    n_corpus_plans, n_corpus_provinces
        The corpus size (for a province without a plan).
    delivery_known
        Whether delivery was assessed (``False`` when the delivery table is not built).
    """

    province: str
    region: Text
    year: int
    plans: tuple[PlanFacts, ...]
    movements: tuple[Movement, ...]
    checks: tuple[TargetCheck, ...]
    n_corpus_plans: int
    n_corpus_provinces: int
    delivery_known: bool = True

    @property
    def window(self) -> tuple[int, int]:
        """The years the movements cover."""
        if self.plans:
            starts = [p.period_start for p in self.plans if p.period_start is not None]
            ends = [p.period_end or p.period_start for p in self.plans
                    if p.period_start is not None]
            if starts:
                return min(starts) - 1, max(e for e in ends if e is not None)
        return self.year - 1, self.year

    def counts(self) -> dict[str, int]:
        """Observable targets by status."""
        out = dict.fromkeys(("met", "missed", "not_yet_due", "no_data", "conflicting"), 0)
        for c in self.checks:
            out[c.status] = out.get(c.status, 0) + 1
        return out


def _int(value: Any) -> int | None:
    return None if is_missing(value) else int(value)


def _float(value: Any) -> float | None:
    return None if is_missing(value) else float(value)


def plan_facts(plans: pd.DataFrame, targets: pd.DataFrame) -> tuple[PlanFacts, ...]:
    """Return what each plan in ``plans`` commits to (its targets from ``targets``)."""
    out = []
    for _, plan in plans.iterrows():
        mine = targets[targets["doc"] == plan["doc"]] if len(targets) else targets
        areas = mine["area"].dropna().value_counts() if len(mine) else None
        ordered = (
            tuple(sorted(((str(a), int(n)) for a, n in areas.items()), key=lambda x: (-x[1], x[0])))
            if areas is not None else ()
        )
        deadlines = mine["year"].dropna().astype(int) if len(mine) else []
        out.append(PlanFacts(
            plan_id=str(plan.get("plan_id", plan["doc"])),
            name=Text(str(plan.get("name_en", plan["doc"])), str(plan.get("name_vi", plan["doc"]))),
            issuer=None if is_missing(plan.get("issuer")) else str(plan.get("issuer")),
            period_start=_int(plan.get("period_start")),
            period_end=_int(plan.get("period_end")),
            n_targets=len(mine),
            areas=ordered,
            first_deadline=int(min(deadlines)) if len(deadlines) else None,
            last_deadline=int(max(deadlines)) if len(deadlines) else None,
        ))
    return tuple(out)


def _reference_at(reference: pd.DataFrame, index: str, series: str, year: int | None,
                  group: str) -> float | None:
    if year is None or reference is None or reference.empty:
        return None
    hit = reference[
        (reference["index"] == index) & (reference["series"] == series)
        & (reference["year"] == year) & (reference["group"] == group)
    ]
    return None if hit.empty else float(hit["median"].iloc[0])


def _scale_text(index: str, year: int | None) -> str | None:
    if year is None:
        return None
    from parstats.indices import HEADLINE
    from parstats.scales import scale_for

    scale = scale_for(index, year, HEADLINE.get(index, "score"))
    if scale.low is None or scale.high is None:
        return None
    return f"{scale.low:g}-{scale.high:g}"


def movement(
    rows: pd.DataFrame,
    reference: pd.DataFrame,
    index: str,
    series: str,
    window: tuple[int, int],
    region: str,
    region_en: str,
) -> Movement:
    """Return how the province's ``index`` ``series`` moved inside ``window`` (years inclusive).

    Parameters
    ----------
    rows
        The province's index rows (``index, series, year, value``; ``scale_version`` and
        ``origin`` when known), one value per year (conflicts already settled).
    reference
        :func:`parstats.report_data.reference_bands`.
    index, series
        What to read.
    window
        First and last year.
    region, region_en
        The province's region (the ``group`` of its regional band).
    """
    first, last = window
    mine = rows[
        (rows["index"] == index) & (rows["series"] == series)
        & (rows["year"] >= first) & (rows["year"] <= last)
    ].dropna(subset=["value"]).sort_values("year")
    # A year whose sources disagree has no figure here: the report never chooses.
    distinct = mine.groupby("year")["value"].nunique()
    mine = mine[mine["year"].isin(distinct[distinct == 1].index)].drop_duplicates("year")
    empty = Movement(index, series, window, None, None, None, None, True, None, None, False,
                     (None, None), (None, None), Text(region_en, region))
    if mine.empty:
        return empty
    base, end = mine.iloc[0], mine.iloc[-1]
    by, ey = int(base["year"]), int(end["year"])
    versions = mine["scale_version"] if "scale_version" in mine.columns else None
    comparable = True
    if versions is not None and series == "score":
        comparable = str(base.get("scale_version")) == str(end.get("scale_version"))
    derived = bool("origin" in mine.columns and (mine["origin"] == "derived").any())
    is_score = series == "score"
    return Movement(
        index=index,
        series=series,
        window=window,
        base_year=by,
        base_value=float(base["value"]),
        end_year=ey,
        end_value=float(end["value"]),
        comparable=comparable,
        base_scale=_scale_text(index, by) if is_score else None,
        end_scale=_scale_text(index, ey) if is_score else None,
        derived=derived,
        national=(
            _reference_at(reference, index, series, by, "national"),
            _reference_at(reference, index, series, ey, "national"),
        ),
        region=(
            _reference_at(reference, index, series, by, region),
            _reference_at(reference, index, series, ey, region),
        ),
        region_name=Text(region_en, region),
    )


def target_checks(delivery: pd.DataFrame) -> tuple[TargetCheck, ...]:
    """Return the observable targets of ``delivery`` (the processed table's rows)."""
    out = []
    for _, row in delivery.iterrows():
        out.append(TargetCheck(
            index=str(row.get("index")),
            measure=str(row.get("measure")),
            comparator=None if is_missing(row.get("comparator")) else str(row.get("comparator")),
            value=_float(row.get("value")),
            year=_int(row.get("year")),
            status=str(row.get("status")),
            observed_year=_int(row.get("observed_year")),
            observed_value=_float(row.get("observed_value")),
            derived=bool(False if is_missing(row.get("derived")) else row.get("derived")),
            proxy=str(row.get("observation")) == "proxy",
            last_year=_int(row.get("index_last_year")),
            value_high=_float(row.get("value_high")),
            change=str(row.get("observation")) == "change",
        ))
    return tuple(out)


def summarise(report: ProvinceReport, corpus: pd.DataFrame | None = None) -> Summary:
    """Return the facts of the opening paragraph of ``report``.

    Parameters
    ----------
    report
        The report's tables (:func:`parstats.report_data.province_report`).
    corpus
        The documents table, for the corpus size named when the province has no
        plan; by default the plans the report knows (``all_plans``).
    """
    import pandas as pd

    plans = plan_facts(report.plans, report.targets)
    p = report.province
    facts = Summary(p.name_vi, Text(p.region_en or MISSING, p.region or MISSING), report.year,
                    plans, (), target_checks(report.delivery), 0, 0)
    window = facts.window
    rows = report.indices if report.indices is not None else pd.DataFrame()
    reference = report.reference if report.reference is not None else pd.DataFrame()
    moves = tuple(
        movement(rows, reference, index, series, window, p.region, p.region_en)
        for index in INDICES for series in ("score", "rank")
    ) if len(rows) else tuple(
        Movement(index, series, window, None, None, None, None, True, None, None, False,
                 (None, None), (None, None), Text(p.region_en, p.region))
        for index in INDICES for series in ("score", "rank")
    )
    n_plans, n_provinces = report.corpus_plans, report.corpus_provinces
    if corpus is not None and len(corpus):
        provincial = corpus[corpus["province"] != "national"]
        n_plans, n_provinces = len(provincial), int(provincial["province"].nunique())
    known = not any(m.startswith("Table 'delivery'") for m in report.missing)
    return Summary(facts.province, facts.region, facts.year, plans, moves, facts.checks,
                   n_plans, n_provinces, known)


# --------------------------------------------------------------------------- words


INDEX_NAMES: dict[str, Text] = {
    "PAR": Text("PAR Index", "Chỉ số PAR"),
    "SIPAS": Text("SIPAS", "SIPAS"),
    "PAPI": Text("PAPI", "PAPI"),
    "PCI": Text("PCI", "PCI"),
    "ICT": Text("ICT Index", "Chỉ số ICT"),
}


def _series_name(index: str, series: str) -> Text:
    name = INDEX_NAMES.get(index, same(index))
    if series == "rank":
        return Text(f"{name.en} rank", f"xếp hạng {name.vi}")
    if index == "PAPI":
        return Text("PAPI total", f"tổng điểm {name.vi}")
    return Text(f"{name.en} score", f"điểm {name.vi}")


def _num(value: float | None, series: str, lang: str) -> str:
    if value is None:
        return MISSING
    return integer(value, lang) if series == "rank" else number(value, 2, lang)


def _join(items: Sequence[str], lang: str) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    word = " and " if lang == "en" else " và "
    return ", ".join(items[:-1]) + word + items[-1]


def _plans_text(s: Summary) -> Text:
    if not s.plans:
        corpus = (
            Text(
                f" (the corpus holds {s.n_corpus_plans} plans from {s.n_corpus_provinces} "
                "provinces)",
                f" (bộ dữ liệu có {s.n_corpus_plans} kế hoạch của {s.n_corpus_provinces} tỉnh)",
            )
            if s.n_corpus_plans else Text("", "")
        )
        return Text(
            f"No PAR plan of {s.province} in force in {s.year} is in the corpus{corpus.en}, so "
            "this report shows the indices only.",
            f"Bộ dữ liệu chưa có kế hoạch cải cách hành chính nào của {s.province} có hiệu lực "
            f"năm {s.year}{corpus.vi}, nên báo cáo này chỉ trình bày các chỉ số.",
        )
    parts_en, parts_vi = [], []
    for plan in s.plans:
        period = (
            "" if plan.period_start is None
            else f" ({plan.period_start}–{plan.period_end})"
            if plan.period_end not in (None, plan.period_start) else f" ({plan.period_start})"
        )
        named = bool(plan.issuer) and plan.issuer in plan.name.en
        by_en = f", issued by {plan.issuer}" if plan.issuer and not named else ""
        by_vi = f" của {plan.issuer}" if plan.issuer and not named else ""
        if not plan.n_targets:
            parts_en.append(f"{plan.name.en}{period}{by_en}, which sets no numeric target")
            parts_vi.append(f"{plan.name.vi}{period}{by_vi}, không đặt chỉ tiêu định lượng nào")
            continue
        areas = plan.areas[:SHOWN_AREAS]
        area_en = _join([f"{label('area', a).en.lower()} ({n})" for a, n in areas], "en")
        area_vi = _join([f"{label('area', a).vi.lower()} ({n})" for a, n in areas], "vi")
        more = len(plan.areas) > SHOWN_AREAS
        most_en = ("most in " if more else "in ") + area_en
        most_vi = ("nhiều nhất là " if more else "gồm ") + area_vi
        if plan.first_deadline is None:
            due_en, due_vi = "none with a deadline", "không chỉ tiêu nào có thời hạn"
        elif plan.first_deadline == plan.last_deadline:
            due_en = f"due in {plan.first_deadline}"
            due_vi = f"thời hạn năm {plan.first_deadline}"
        else:
            due_en = f"due between {plan.first_deadline} and {plan.last_deadline}"
            due_vi = f"thời hạn từ {plan.first_deadline} đến {plan.last_deadline}"
        n_areas = len(plan.areas)
        parts_en.append(
            f"{plan.name.en}{period}{by_en}, with {plan.n_targets} numeric targets in "
            f"{n_areas} reform area{'s' if n_areas != 1 else ''} ({most_en}), {due_en}"
        )
        parts_vi.append(
            f"{plan.name.vi}{period}{by_vi}, với {plan.n_targets} chỉ tiêu định lượng thuộc "
            f"{n_areas} lĩnh vực cải cách ({most_vi}), {due_vi}"
        )
    n = len(s.plans)
    head_en = (f"In {s.year}, one plan of {s.province} was in force: " if n == 1
               else f"In {s.year}, {n} plans of {s.province} were in force: ")
    head_vi = (f"Năm {s.year}, {s.province} có 1 kế hoạch đang có hiệu lực: " if n == 1
               else f"Năm {s.year}, {s.province} có {n} kế hoạch đang có hiệu lực: ")
    return Text(head_en + "; ".join(parts_en) + ".", head_vi + "; ".join(parts_vi) + ".")


def _rank_change(m: Movement) -> Text:
    assert m.base_value is not None and m.end_value is not None
    delta = int(round(m.base_value - m.end_value))
    if delta > 0:
        return Text(f"up {delta}", f"tăng {delta} bậc")
    if delta < 0:
        return Text(f"down {-delta}", f"giảm {-delta} bậc")
    return Text("unchanged", "không đổi")


def _score_clause(m: Movement, lang: str) -> str:
    """``"60.31 (2015) → 64.99 (2019), +4.68"`` or the one figure, or both across a break."""
    base, end = _num(m.base_value, "score", lang), _num(m.end_value, "score", lang)
    if m.base_year == m.end_year:
        return f"{end} ({m.end_year})"
    if not m.comparable:
        return (f"{base} ({m.base_year}, {m.base_scale} scale) and {end} ({m.end_year}, "
                f"{m.end_scale} scale), not comparable" if lang == "en" else
                f"{base} ({m.base_year}, thang {m.base_scale}) và {end} ({m.end_year}, thang "
                f"{m.end_scale}), không so sánh được")
    assert m.base_value is not None and m.end_value is not None
    delta = number(m.end_value - m.base_value, 2, lang, sign=True)
    return f"{base} ({m.base_year}) → {end} ({m.end_year}), {delta}"


def _rank_clause(m: Movement, lang: str) -> str:
    of = f" of {N_PROVINCES}" if lang == "en" else f"/{N_PROVINCES}"
    base, end = _num(m.base_value, "rank", lang), _num(m.end_value, "rank", lang)
    word = "rank" if lang == "en" else "hạng"
    if m.base_year == m.end_year:
        return f"{word} {end}{of} ({m.end_year})"
    change = getattr(_rank_change(m), lang)
    return f"{word} {base} → {end}{of} ({change})"


def _reference_clause(m: Movement, lang: str) -> str:
    """``"national median 58.47 → 65.13, Mekong River Delta 59.04 → 64.99"`` (scores only)."""
    parts = []
    single = m.base_year == m.end_year or not m.comparable
    for (b, e), who in ((m.national, Text("national median", "trung vị cả nước")),
                        (m.region, Text(m.region_name.en, f"vùng {m.region_name.vi}"))):
        if e is None:
            continue
        w = getattr(who, lang)
        if single or b is None:
            parts.append(f"{w} {number(e, 2, lang)}")
        else:
            parts.append(f"{w} {number(b, 2, lang)} → {number(e, 2, lang)}")
    return ", ".join(parts)


def _index_clause(score: Movement, rank: Movement, lang: str) -> str | None:
    """One clause per index: score with its references, and rank."""
    if not score.has_data and not rank.has_data:
        return None
    name = INDEX_NAMES.get(score.index, same(score.index))
    head = getattr(name, lang)
    if score.index == "PAPI" and score.has_data:
        head = "PAPI total" if lang == "en" else "tổng điểm PAPI"
    derived = score.derived or rank.derived
    if derived:
        head += (" (computed from published sub-dimensions)" if lang == "en"
                 else " (tính từ các chỉ số thành phần đã công bố)")
    parts = []
    if score.has_data:
        parts.append(_score_clause(score, lang))
        ref = _reference_clause(score, lang)
        if ref:
            parts.append(ref)
    if rank.has_data:
        parts.append(_rank_clause(rank, lang))
    return f"{head}: " + "; ".join(parts)


def _indices_text(s: Summary) -> Text:
    first, last = s.window
    if s.plans:
        lead = Text(f"From the year before the plan to its end ({first}–{last}): ",
                    f"Từ năm trước kế hoạch đến hết kế hoạch ({first}–{last}): ")
    else:
        lead = Text(f"In {first}–{last}: ", f"Trong {first}–{last}: ")
    by_index = {(m.index, m.series): m for m in s.movements}
    clauses = {lang: [] for lang in ("en", "vi")}
    absent = []
    for index in INDICES:
        score, rank = by_index.get((index, "score")), by_index.get((index, "rank"))
        if score is None or rank is None:
            continue
        for lang in ("en", "vi"):
            clause = _index_clause(score, rank, lang)
            if clause:
                clauses[lang].append(clause)
        if not score.has_data and not rank.has_data:
            absent.append(index)
    if not clauses["en"]:
        return Text(f"No index figure for {s.province} in {first}–{last} is in the data.",
                    f"Dữ liệu chưa có số liệu chỉ số nào của {s.province} trong {first}–{last}.")
    none_en = none_vi = ""
    if absent:
        names_en = _join([INDEX_NAMES[i].en for i in absent], "en").replace(" and ", " or ")
        names_vi = _join([INDEX_NAMES[i].vi for i in absent], "vi")
        none_en = f" No {names_en} figure for {s.province} in these years is in the data."
        none_vi = f" Chưa có số liệu {names_vi} của {s.province} trong những năm này."
    return Text(lead.en + ". ".join(clauses["en"]) + "." + none_en,
                lead.vi + ". ".join(c[0].upper() + c[1:] for c in clauses["vi"]) + "." + none_vi)


def _value_text(value: float | None, lang: str) -> str:
    if value is None:
        return MISSING
    return integer(value, lang) if float(value).is_integer() else number(value, 2, lang)


def _check_text(c: TargetCheck, lang: str) -> str:
    name = getattr(_series_name(c.index, "rank" if c.measure == "rank" else "score"), lang)
    if c.change:
        index = INDEX_NAMES.get(c.index, same(c.index))
        name = f"{index.en} places gained" if lang == "en" else f"số bậc tăng {index.vi}"
    sign = "" if c.comparator is None else label("comparator", c.comparator).en
    value = _value_text(c.value, lang)
    if c.comparator == "range":
        sign = ""
        if c.value_high is not None:
            value = f"{value}–{_value_text(c.value_high, lang)}"
    unit = "%" if c.measure == "score" and c.index == "SIPAS" else ""
    if lang == "en":
        target = f"{name} {sign} {value}{unit} by {c.year}" if c.year else f"{name} {sign} {value}"
    else:
        target = f"{name} {sign} {value}{unit} năm {c.year}" if c.year else f"{name} {sign} {value}"
    target = " ".join(target.split())
    proxy = (" (SIPAS as a proxy)" if lang == "en" else " (dùng SIPAS làm chỉ số thay thế)") \
        if c.proxy else ""
    if c.status in ("met", "missed"):
        seen = _num(c.observed_value, "rank" if c.measure == "rank" else "score", lang)
        derived = ((", computed from published sub-dimensions" if lang == "en"
                    else ", tính từ các chỉ số thành phần đã công bố") if c.derived else "")
        return (f"{target}{proxy}: {seen} in {c.observed_year}{derived}" if lang == "en"
                else f"{target}{proxy}: {seen} năm {c.observed_year}{derived}")
    if c.status == "not_yet_due":
        last = c.last_year
        return (f"{target}{proxy}: the {c.year} edition is not in the data yet (latest: {last})"
                if lang == "en" else
                f"{target}{proxy}: chưa có kỳ công bố năm {c.year} (mới nhất: {last})")
    if c.status == "conflicting":
        return (f"{target}{proxy}: sources disagree on the figure" if lang == "en"
                else f"{target}{proxy}: các nguồn không thống nhất về số liệu")
    index = INDEX_NAMES.get(c.index, same(c.index))
    if c.year is None:
        return (f"{target}{proxy}: the target has no deadline" if lang == "en"
                else f"{target}{proxy}: chỉ tiêu không có thời hạn")
    return (f"{target}{proxy}: no {index.en} figure for the province in {c.year}" if lang == "en"
            else f"{target}{proxy}: chưa có số liệu {index.vi} của tỉnh năm {c.year}")


def _delivery_text(s: Summary) -> Text | None:
    if not s.plans:
        return None
    n_targets = sum(p.n_targets for p in s.plans)
    if not s.delivery_known:
        return Text("Delivery was not assessed: the delivery table is not built (run "
                    "`parstats build`).",
                    "Chưa đánh giá kết quả thực hiện: bảng delivery chưa được tạo (chạy "
                    "`parstats build`).")
    if not s.checks:
        return Text(
            f"None of the {n_targets} targets is measured by a national index, so delivery "
            "cannot be judged from the indices.",
            f"Không chỉ tiêu nào trong {n_targets} chỉ tiêu được đo bằng một chỉ số quốc gia, nên "
            "chưa thể đánh giá kết quả thực hiện từ các chỉ số.",
        )
    c = s.counts()
    n = len(s.checks)
    open_ = c["not_yet_due"] + c["no_data"] + c["conflicting"]
    met_en = ", ".join(_check_text(x, "en") for x in s.checks if x.status == "met")
    met_vi = ", ".join(_check_text(x, "vi") for x in s.checks if x.status == "met")
    missed_en = ", ".join(_check_text(x, "en") for x in s.checks if x.status == "missed")
    missed_vi = ", ".join(_check_text(x, "vi") for x in s.checks if x.status == "missed")
    why_en, why_vi = [], []
    if c["not_yet_due"]:
        last = max((x.last_year for x in s.checks if x.last_year), default=None)
        why_en.append(f"{c['not_yet_due']} not yet due (their index edition is after {last}, "
                      "the latest in the data)")
        why_vi.append(f"{c['not_yet_due']} chưa đến hạn (kỳ chỉ số tương ứng sau năm {last}, "
                      "năm mới nhất trong dữ liệu)")
    if c["no_data"]:
        which = sorted({x.index for x in s.checks if x.status == "no_data"})
        why_en.append(f"{c['no_data']} without a figure for the province in the deadline "
                      f"year ({', '.join(which)})")
        why_vi.append(f"{c['no_data']} chưa có số liệu của tỉnh cho năm đến hạn "
                      f"({', '.join(which)})")
    if c["conflicting"]:
        why_en.append(f"{c['conflicting']} on which sources disagree")
        why_vi.append(f"{c['conflicting']} có các nguồn không thống nhất")
    en = (f"Of the {n} target{'s' if n != 1 else ''} an index can observe, {c['met']} "
          f"{'was' if c['met'] == 1 else 'were'} met, {c['missed']} missed and {open_} "
          "cannot be judged yet")
    vi = (f"Trong {n} chỉ tiêu có thể đối chiếu với các chỉ số: {c['met']} đạt, {c['missed']} "
          f"không đạt, {open_} chưa thể đánh giá")
    if met_en:
        en += f"; met: {met_en}"
        vi += f"; đạt: {met_vi}"
    if missed_en:
        en += f"; missed: {missed_en}"
        vi += f"; không đạt: {missed_vi}"
    if why_en:
        en += " — " + "; ".join(why_en)
        vi += " — " + "; ".join(why_vi)
    return Text(en + ". The delivery table below says why for each.",
                vi + ". Bảng kết quả thực hiện bên dưới giải thích từng chỉ tiêu.")


def summary_parts(s: Summary) -> tuple[Text, ...]:
    """Return the opening paragraphs: the plans, the indices, delivery (when there is a plan)."""
    parts = [_plans_text(s), _indices_text(s)]
    delivery = _delivery_text(s)
    if delivery is not None:
        parts.append(delivery)
    return tuple(parts)


def summary_text(s: Summary) -> Text:
    """Return the opening paragraphs of a report as one text (English and Vietnamese)."""
    parts = summary_parts(s)
    return Text(" ".join(p.en for p in parts), " ".join(p.vi for p in parts))


@dataclass(frozen=True)
class KeyNumber:
    """One figure shown as a card beside the summary.

    Attributes
    ----------
    value
        The figure as text.
    caption
        What it is.
    """

    value: str
    caption: Text


def key_numbers(s: Summary, language: str = "en") -> tuple[KeyNumber, ...]:
    """Return the few figures shown beside the summary (plans, targets, delivery, indices)."""
    lang = "vi" if language == "vi" else "en"
    out = [KeyNumber(str(len(s.plans)), Text(f"plans in force in {s.year}",
                                              f"kế hoạch có hiệu lực năm {s.year}"))]
    if s.plans:
        n_targets = sum(p.n_targets for p in s.plans)
        areas = {a for p in s.plans for a, _ in p.areas}
        plural = "s" if len(areas) != 1 else ""
        out.append(KeyNumber(str(n_targets), Text(f"numeric targets in {len(areas)} area{plural}",
                                                  f"chỉ tiêu định lượng, {len(areas)} lĩnh vực")))
        deadlines = [y for p in s.plans for y in (p.first_deadline, p.last_deadline) if y]
        if deadlines:
            span = f"{min(deadlines)}–{max(deadlines)}" if min(deadlines) != max(deadlines) \
                else str(min(deadlines))
            out.append(KeyNumber(span, Text("deadlines", "thời hạn")))
        if s.checks:
            c = s.counts()
            open_ = c["not_yet_due"] + c["no_data"] + c["conflicting"]
            out.append(KeyNumber(
                f"{c['met']} · {c['missed']} · {open_}",
                Text("observable targets: met · missed · not judgeable yet",
                     "chỉ tiêu đối chiếu được: đạt · không đạt · chưa đánh giá được"),
            ))
    for m in s.movements:
        if m.series != "score" or not m.has_data or m.end_year != s.year:
            continue
        rank = next((r for r in s.movements if r.index == m.index and r.series == "rank"
                     and r.end_year == s.year), None)
        value = number(m.end_value, 2, lang)
        if rank is not None and rank.end_value is not None:
            value += f" · #{integer(rank.end_value)}"
        name = _series_name(m.index, "score")
        out.append(KeyNumber(value, Text(f"{name.en} {s.year}" + (" and rank" if rank else ""),
                                         f"{name.vi} {s.year}" + (" và xếp hạng" if rank else ""))))
    return tuple(out)


# --------------------------------------------------------------------------- profiles


def latest_movements(
    rows: pd.DataFrame, reference: pd.DataFrame, region: str, region_en: str
) -> tuple[Movement, ...]:
    """Each index's latest figure of a province (a one-year window at its latest year)."""
    out = []
    for index in INDICES:
        for series in ("score", "rank"):
            mine = rows[(rows["index"] == index) & (rows["series"] == series)]
            if mine.empty:
                continue
            last = int(mine["year"].max())
            out.append(movement(rows, reference, index, series, (last, last), region, region_en))
    return tuple(out)


def profile_text(
    province: Any, plans: pd.DataFrame, rows: pd.DataFrame, reference: pd.DataFrame
) -> Text:
    """Return the opening paragraph of a profile: plans in the corpus, latest index figures.

    Parameters
    ----------
    province
        The registry :class:`~parstats.provinces.Province`.
    plans
        The province's plans (:func:`parstats.report_data.plan_table` rows), any period.
    rows
        The province's index rows (``index, series, year, value, scale_version, origin``).
    reference
        :func:`parstats.report_data.reference_bands`.
    """
    from parstats.provinces import new_unit, old_units

    p = province
    unit = new_unit(p)
    members = [q.name_vi for q in old_units(unit)]
    merged = (Text(f"From 1 July 2025 it is part of {unit.name}, formed from "
                   f"{_join(members, 'en')}.",
                   f"Từ 1/7/2025 thuộc {unit.name}, hợp nhất từ {_join(members, 'vi')}.")
              if len(members) > 1 else Text(f"From 1 July 2025 it continues as {unit.name}.",
                                            f"Từ 1/7/2025 vẫn là {unit.name}."))
    head = Text(f"{p.name_vi} is in the {p.region_en} region (GSO code {p.code}).",
                f"{p.name_vi} thuộc vùng {p.region} (mã GSO {p.code}).") + " " + merged
    if len(plans):
        names_en = [f"{r['name_en']} ({_span(r)})" for _, r in plans.iterrows()]
        names_vi = [f"{r['name_vi']} ({_span(r)})" for _, r in plans.iterrows()]
        n = len(plans)
        corpus = Text(
            f" The corpus holds {n} plan{'s' if n != 1 else ''} of {p.name_vi}: "
            f"{_join(names_en, 'en')}.",
            f" Bộ dữ liệu có {n} kế hoạch của {p.name_vi}: {_join(names_vi, 'vi')}.",
        )
    else:
        corpus = Text(f" The corpus holds no PAR plan of {p.name_vi}; this profile shows the "
                      "indices only.",
                      f" Bộ dữ liệu chưa có kế hoạch cải cách hành chính nào của {p.name_vi}; "
                      "hồ sơ này chỉ trình bày các chỉ số.")
    moves = latest_movements(rows, reference, p.region, p.region_en)
    clauses: dict[str, list[str]] = {"en": [], "vi": []}
    for index in INDICES:
        score = next((m for m in moves if m.index == index and m.series == "score"), None)
        rank = next((m for m in moves if m.index == index and m.series == "rank"), None)
        empty = Movement(index, "score", (0, 0), None, None, None, None, True, None, None,
                         False, (None, None), (None, None), Text(p.region_en, p.region))
        for lang in ("en", "vi"):
            clause = _index_clause(score or empty, rank or replace_series(empty, "rank"), lang)
            if clause:
                clauses[lang].append(clause)
    absent = [i for i in INDICES if not any(m.index == i for m in moves)]
    latest = Text(" Latest figures — " + ". ".join(clauses["en"]) + "." if clauses["en"] else "",
                  " Số liệu mới nhất — " + ". ".join(clauses["vi"]) + "." if clauses["vi"]
                  else "")
    if absent:
        latest = latest + Text(
            f" No {_join([INDEX_NAMES[i].en for i in absent], 'en').replace(' and ', ' or ')} "
            f"figure for {p.name_vi} is in the data.",
            f" Chưa có số liệu {_join([INDEX_NAMES[i].vi for i in absent], 'vi')} của "
            f"{p.name_vi}.",
        )
    return head + corpus + latest


def replace_series(m: Movement, series: str) -> Movement:
    """Return ``m`` with another series (an empty placeholder for a missing one)."""
    from dataclasses import replace

    return replace(m, series=series)


def _span(row: Any) -> str:
    from parstats.display import year_span

    return year_span(row.get("period_start"), row.get("period_end"))
