"""Tables, figures and sections for people: labels, signs, rounding, dashes, downloads."""

from __future__ import annotations

import base64
import io
import re

import pandas as pd
import pytest

from parstats import display
from parstats.display import Column, Section, Table, Text
from parstats.errors import InputError


@pytest.mark.parametrize(
    ("value", "decimals", "language", "shown"),
    [
        (41.17, 2, "en", "41.17"),
        (41.17, 2, "vi", "41,17"),
        (1234.5, 1, "vi", "1.234,5"),
        (63.6036338806152, 2, "en", "63.60"),
        (-0.001, 2, "en", "0.00"),  # no "-0.00"
        (-2.5, 1, "en", "−2.5"),
        (None, 2, "en", "—"),
        (pd.NA, 2, "en", "—"),
        (float("nan"), 2, "en", "—"),
    ],
)
def test_numbers_are_rounded_for_reading_and_missing_is_a_dash(value, decimals, language, shown):
    assert display.number(value, decimals, language) == shown


@pytest.mark.parametrize(
    ("comparator", "value", "high", "unit", "shown"),
    [
        ("ge", 80.0, None, "percent", "≥ 80%"),
        ("le", 20.0, None, "rank", "≤ 20 (rank)"),
        ("gt", 95.5, None, "percent", "> 95.50%"),
        ("eq", 100.0, None, "percent", "= 100%"),
        ("range", 2.0, 3.0, "rank_places", "2–3 places"),
        ("lt", 5.0, None, None, "< 5"),
    ],
)
def test_targets_are_written_with_signs_not_codes(comparator, value, high, unit, shown):
    assert display.commitment(comparator, value, high, unit) == shown


def test_labels_come_from_the_catalogue_and_the_label_table():
    assert display.label("area", "digital_government") == Text(
        "Digital government", "Chính quyền điện tử, chính quyền số")
    assert display.label("status", "not_yet_due").en == "not yet due"
    assert display.indicator_label("par_index_rank").en == "PAR Index rank among provinces"
    assert display.family_label("online_public_services").vi == "Dịch vụ công trực tuyến"
    assert display.label("area", None) is None
    with pytest.raises(InputError, match="language"):
        display.check_language("fr")


def table(rows: int = 2, **kw) -> Table:
    frame = pd.DataFrame({
        "name": [Text(f"Plan {i}", f"Kế hoạch {i}") for i in range(rows)],
        "value": [41.1749 + i for i in range(rows)],
        "text": ["=HYPERLINK(\"http://x\")", None] * (rows // 2) + ["x"] * (rows % 2),
    })
    columns = (Column("name", Text("Plan", "Kế hoạch")),
               Column("value", Text("Value", "Giá trị"), "number", 1),
               Column("text", Text("Sentence", "Câu")))
    return Table("t_plans", Text("Plans", "Kế hoạch"), frame, columns,
                 Text("Source: here.", "Nguồn: đây."), **kw)


def test_a_table_has_no_index_column_rounds_wraps_and_cites_its_source():
    page = table(language="en").html()
    assert len(re.findall(r"<th[ >]", page)) == 3  # no index column
    assert ">41.2<" in page and "41.1749" not in page  # rounded for display
    assert 'class="ps-missing" title="no data">—<' in page
    assert "Source: here." in page and "…" not in page
    assert 'title="=HYPERLINK(&quot;http://x&quot;)"' in page  # full text on hover, escaped


def test_both_languages_put_vietnamese_under_english():
    page = table(language="both").html()
    assert 'Plan<br><span class="ps-vi" lang="vi">Kế hoạch</span>' in page


def test_the_csv_holds_unrounded_values_and_neutralised_formulas():
    t = table(language="en")
    text = t.csv_bytes().decode("utf-8")
    assert text.startswith("\ufeffPlan,Value,Sentence\n")
    assert "41.1749" in text  # unrounded in the download
    assert "'=HYPERLINK" in text  # a formula from outside text stays text
    uri = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', t.csv_link()).group(1)
    assert base64.b64decode(uri) == t.csv_bytes()


def test_long_tables_are_collapsed_behind_their_count():
    page = table(rows=20, language="en").html()
    assert "<details" in page and "Show all 20 rows" in page
    assert "<details" not in table(rows=3, language="en").html()


def test_the_excel_file_is_deterministic_and_formula_safe():
    from openpyxl import load_workbook

    tables = [table(language="en"), table(rows=3, language="vi")]
    first = display.workbook(tables, (("what", "a test"),))
    assert first == display.workbook(tables, (("what", "a test"),))  # same bytes
    wb = load_workbook(io.BytesIO(first))
    assert wb.sheetnames == ["about", "t_plans", "t_plans_2"]
    sheet = wb["t_plans"]
    assert [c.value for c in sheet[1]] == ["Plan", "Value", "Sentence"]
    assert sheet["B2"].value == pytest.approx(41.1749)
    assert sheet["C2"].value.startswith("'=")  # not a formula
    assert wb["t_plans_2"]["A1"].value == "Kế hoạch"


def test_an_empty_section_is_one_line_saying_what_is_missing():
    empty = Section("plans", Text("Plans in force", "Kế hoạch"), (),
                    Text("none in 2023.", "không có năm 2023."), "en")
    page = empty.html()
    assert page.count("<p") == 1 and "<h2>" not in page and "<table" not in page
    assert "Plans in force:</strong> none in 2023." in page
    full = Section("plans", Text("Plans in force", "Kế hoạch"), (table(language="en"),),
                   None, "en")
    assert "<h2>Plans in force</h2>" in full.html()
