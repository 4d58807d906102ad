"""The summary that opens a report: written from the data, never claiming more than they show.

Fixtures: a province with a plan (Hưng Yên 2023 in the scratch project of
test_report_data), a province without one (Tây Ninh 2023 there), missing data (no
processed table at all, and index rows without figures), plus hand-made rows for
scale breaks, derived figures, references and delivery statuses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import test_report_data as data

from parstats import narrative
from parstats import report_data as rd
from parstats.display import Text

built = data.built

RAW_CODES = re.compile(r"\b(le|ge|gt|lt|digital_government|civil_service|not_yet_due|no_data)\b")


def rows(*items: tuple) -> pd.DataFrame:
    """Index rows: (index, series, year, value, scale_version, origin)."""
    return pd.DataFrame(items, columns=["index", "series", "year", "value", "scale_version",
                                        "origin"])


def reference(*items: tuple) -> pd.DataFrame:
    """Reference rows: (index, year, group, median)."""
    frame = pd.DataFrame(items, columns=["index", "year", "group", "median"])
    return frame.assign(series="score", scale_version="v", n=63, q25=0.0, q75=0.0)


# --------------------------------------------------------------------------- whole reports


def test_a_plan_province_opens_with_its_plan_targets_areas_and_deadlines(built: Path):
    report = rd.province_report("Hưng Yên", 2023)
    text = narrative.summary_text(narrative.summarise(report))
    assert text.en.startswith("In 2023, one plan of Hưng Yên was in force: Plan 204/KH-UBND "
                              "(2023), issued by UBND tỉnh Hưng Yên")
    assert "with 2 numeric targets in 2 reform areas" in text.en
    assert "general objectives (1)" in text.en and "administrative procedures (1)" in text.en
    assert "due between 2023 and 2025" in text.en
    assert text.vi.startswith("Năm 2023, Hưng Yên có 1 kế hoạch đang có hiệu lực")
    assert "2 chỉ tiêu định lượng thuộc 2 lĩnh vực cải cách" in text.vi
    for words in (text.en, text.vi):
        assert not RAW_CODES.search(words), RAW_CODES.search(words)
        assert "hy2023" not in words  # a plan is named, never by its document id
    assert "the delivery table is not built" in text.en  # the fixture builds no delivery


def test_a_plan_province_states_the_index_movements_over_the_plan_period(built: Path):
    report = rd.province_report("Hưng Yên", 2023)
    text = narrative.summary_text(narrative.summarise(report))
    # PAR rank 30 (2022) -> 21 (2023); the PCI 2023 score is disputed, so none is stated
    assert "From the year before the plan to its end (2022–2023)" in text.en
    assert "rank 30 → 21 of 63 (up 9)" in text.en
    assert "hạng 30 → 21/63 (tăng 9 bậc)" in text.vi
    assert "65.00" not in text.en and "66.00" not in text.en


def test_a_province_without_a_plan_says_so_and_shows_the_indices(built: Path):
    report = rd.province_report("Tây Ninh", 2023)
    text = narrative.summary_text(narrative.summarise(report))
    assert text.en.startswith("No PAR plan of Tây Ninh in force in 2023 is in the corpus "
                              "(the corpus holds 2 plans from 2 provinces)")
    assert "this report shows the indices only" in text.en
    assert "Bộ dữ liệu chưa có kế hoạch cải cách hành chính nào của Tây Ninh" in text.vi
    assert "No index figure for Tây Ninh in 2022–2023 is in the data." in text.en
    assert "target" not in text.en.split(".", 2)[-1]  # no delivery paragraph without a plan


def test_missing_tables_give_a_summary_that_says_what_is_missing(project_home: Path):
    report = rd.province_report("Kiên Giang", 2019)  # nothing built
    summary = narrative.summarise(report)
    text = narrative.summary_text(summary)
    assert "No PAR plan of Kiên Giang in force in 2019" in text.en
    assert "No index figure for Kiên Giang in 2018–2019 is in the data." in text.en
    keys = narrative.key_numbers(summary)
    assert [k.value for k in keys] == ["0"]  # plans in force; nothing else is claimed


# --------------------------------------------------------------------------- movements


def test_a_change_across_a_scale_break_is_never_stated_as_a_change():
    frame = rows(("PAPI", "score", 2015, 34.44, "PAPI 6 dimensions (2011-2017)", "published"),
                 ("PAPI", "score", 2020, 40.80, "PAPI 8 dimensions (2018-)", "derived"))
    m = narrative.movement(frame, reference(), "PAPI", "score", (2015, 2020), "Vùng", "Region")
    assert not m.comparable and not m.has_change and m.derived
    clause = narrative._index_clause(m, narrative.movement(frame, reference(), "PAPI", "rank",
                                                           (2015, 2020), "Vùng", "Region"), "en")
    assert clause == ("PAPI total (computed from published sub-dimensions): 34.44 (2015, 6-60 "
                      "scale) and 40.80 (2020, 8-80 scale), not comparable")
    assert "+6.36" not in clause


def test_a_score_movement_is_stated_beside_the_national_and_regional_medians():
    frame = rows(("PCI", "score", 2015, 60.309284, "PCI", "published"),
                 ("PCI", "score", 2019, 64.987099, "PCI", "published"),
                 ("PCI", "rank", 2015, 11.0, "PCI", "published"),
                 ("PCI", "rank", 2019, 35.0, "PCI", "published"))
    ref = reference(("PCI", 2015, "national", 58.47), ("PCI", 2019, "national", 65.13),
                    ("PCI", 2015, "Đồng bằng sông Cửu Long", 59.04),
                    ("PCI", 2019, "Đồng bằng sông Cửu Long", 64.99))
    ref = ref.assign(scale_version="PCI")
    args = (ref, "PCI")
    score = narrative.movement(frame, args[0], "PCI", "score", (2015, 2020),
                               "Đồng bằng sông Cửu Long", "Mekong River Delta")
    rank = narrative.movement(frame, args[0], "PCI", "rank", (2015, 2020),
                              "Đồng bằng sông Cửu Long", "Mekong River Delta")
    assert (score.base_year, score.end_year) == (2015, 2019)  # the latest figure in the window
    assert narrative._index_clause(score, rank, "en") == (
        "PCI: 60.31 (2015) → 64.99 (2019), +4.68; national median 58.47 → 65.13, Mekong River "
        "Delta 59.04 → 64.99; rank 11 → 35 of 63 (down 24)"
    )
    assert narrative._index_clause(score, rank, "vi") == (
        "PCI: 60,31 (2015) → 64,99 (2019), +4,68; trung vị cả nước 58,47 → 65,13, vùng Đồng "
        "bằng sông Cửu Long 59,04 → 64,99; hạng 11 → 35/63 (giảm 24 bậc)"
    )


def test_one_figure_in_the_window_is_stated_as_one_figure():
    frame = rows(("PAR", "score", 2023, 87.33, "PAR 2022", "published"))
    m = narrative.movement(frame, reference(), "PAR", "score", (2020, 2025), "V", "R")
    assert (m.base_year, m.end_year, m.has_change) == (2023, 2023, False)
    empty = narrative.movement(frame, reference(), "PAR", "rank", (2020, 2025), "V", "R")
    assert narrative._index_clause(m, empty, "en") == "PAR Index: 87.33 (2023)"


# --------------------------------------------------------------------------- delivery


def check(status: str, **kw: object) -> narrative.TargetCheck:
    base = {"index": "PAR", "measure": "rank", "comparator": "le", "value": 20.0, "year": 2020,
            "status": status, "observed_year": None, "observed_value": None, "derived": False,
            "proxy": False, "last_year": 2024}
    return narrative.TargetCheck(**{**base, **kw})


def summary_with(*checks: narrative.TargetCheck) -> narrative.Summary:
    plan = narrative.PlanFacts("p", Text("Plan 1", "Kế hoạch 1"), None, 2016, 2020, 5,
                               (("overall", 5),), 2020, 2020)
    return narrative.Summary("Kiên Giang", Text("R", "V"), 2019, (plan,), (), checks, 5, 4)


def test_delivery_counts_what_cannot_be_judged_and_why():
    s = summary_with(check("no_data"), check("no_data", index="SIPAS", measure="score"),
                     check("not_yet_due", year=2030))
    text = narrative._delivery_text(s)
    assert text.en.startswith("Of the 3 targets an index can observe, 0 were met, 0 missed "
                              "and 3 cannot be judged yet — 1 not yet due")
    assert "2 without a figure for the province in the deadline year (PAR, SIPAS)" in text.en
    assert text.vi.startswith("Trong 3 chỉ tiêu có thể đối chiếu với các chỉ số: 0 đạt, 0 "
                              "không đạt, 3 chưa thể đánh giá")


def test_a_met_target_names_what_the_index_shows_and_whether_parstats_computed_it():
    s = summary_with(check("met", index="PAPI", year=2023, observed_year=2023,
                           observed_value=12.0, derived=True))
    text = narrative._delivery_text(s)
    assert "1 was met" in text.en
    assert ("met: PAPI rank ≤ 20 by 2023: 12 in 2023, computed from published sub-dimensions"
            in text.en)


def test_a_plan_without_observable_targets_says_delivery_cannot_be_judged():
    text = narrative._delivery_text(summary_with())
    assert text.en == ("None of the 5 targets is measured by a national index, so delivery "
                       "cannot be judged from the indices.")


@pytest.mark.parametrize("language", ["en", "vi", "both"])
def test_key_numbers_never_show_a_count_of_zero_met_for_targets_not_due(language: str):
    s = summary_with(check("not_yet_due"), check("not_yet_due"))
    cards = {k.caption.en: k.value for k in narrative.key_numbers(s, language)}
    assert cards["observable targets: met · missed · not judgeable yet"] == "0 · 0 · 2"
