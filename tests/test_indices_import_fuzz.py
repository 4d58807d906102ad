"""Property tests of the index importer: any table gives a clean result or a clear InputError.

Generated CSV and Excel tables mix header words (Vietnamese and English, wide and long
shapes), province names (real, misspelt, aggregates, unknown), numbers (good, out of
range, with decimal commas, thousands separators, NaN), measure names, formula-like
text and control characters. Whatever the input:

- the importer's read, header and row steps return a table or raise ``InputError``
  (never another exception, never a traceback);
- a table that is read accounts for every row below its header: each produced figures
  or is listed as empty (and is empty in every column read); no row is dropped silently;
- every figure has a known province (or an aggregate), a value within its measure's
  scale, and a source.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parstats.errors import InputError
from parstats.indices_import import find_header, parse_rows, read_cells
from parstats.scales import scale_for

HEADERS = [
    "Tỉnh/Thành phố", "Province", "Tỉnh", "Điểm", "Score", "Xếp hạng", "Rank", "STT",
    "Tính minh bạch", "Transparency", "Sub-Index 3: Transparency", "measure", "value",
    "year", "source", "snippet", "index", "Ghi chú", "", "Điểm (%)", "Năm",
]  # fmt: skip
PROVINCES = [
    "Hà Nội", "Dak Lak", "TP. HCM", "Kien Giang", "Thừa Thiên - Huế", "Atlantis", "Hung Yeen",
    "Trung bình cả nước", "(63-province average)", "", "99", "Quảng Ninh", "Quang Ninh",
]  # fmt: skip
NUMBERS = [
    "86,98", "86.98", "101.5", "-3", "0", "1", "63", "64", "12/63", "nan", "inf", "1.234,5",
    "7", "5,5", "cao", "", "=80+5", "+1", "@x", "92%", "2023", "2019", "1e3",
]  # fmt: skip
MEASURES = [
    "score", "rank", "sub-index: Tính minh bạch", "sub-dimension: Civic Knowledge",
    "dimension: Transparency", "total (unweighted)", "tier", "nonsense", "",
]  # fmt: skip
JUNK = ["\x1b[2J", "a\x07b", "=HYPERLINK(1)", "  ", "Khá", "N/A",
        "\u0110a\u0306\u0301k La\u0306\u0301k"]

cell = st.one_of(
    st.sampled_from(HEADERS),
    st.sampled_from(PROVINCES),
    st.sampled_from(NUMBERS),
    st.sampled_from(MEASURES),
    st.sampled_from(JUNK),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8),
)
row = st.lists(cell, min_size=0, max_size=6)


def _header_row() -> st.SearchStrategy[list[str]]:
    columns = ["Điểm", "Score", "Xếp hạng", "Rank", "STT", "Tính minh bạch", "Transparency",
               "Sub-Index 3: Transparency", "Ghi chú", "Điểm (%)", "dimension: Transparency"]
    wide = st.lists(st.sampled_from(columns), min_size=1, max_size=4, unique=True)
    long = st.permutations(["province", "year", "measure", "value", "source"])
    return st.one_of(
        wide.map(lambda cols: ["Tỉnh/Thành phố", *cols]),
        long.map(list),
        row,
    )


VALID = ["Hà Nội", "Dak Lak", "TP. HCM", "Kien Giang", "Quảng Ninh", "Đà Nẵng", "An Giang"]
GOOD = ["7", "5,5", "1", "12", "6.25", "3.3"]
number = st.one_of(st.sampled_from(GOOD), st.sampled_from(GOOD), st.sampled_from(NUMBERS))
wide_body = st.tuples(
    st.one_of(st.sampled_from(VALID), st.sampled_from(PROVINCES)),
    st.lists(number, max_size=5),
).map(lambda parts: [parts[0], *parts[1]])
long_body = st.tuples(
    st.one_of(st.sampled_from(VALID), st.sampled_from(PROVINCES)),
    st.sampled_from(["2019", "2023", "2023", "2019", "1800", "", "x"]),
    st.one_of(st.sampled_from(["score", "rank", "sub-index: Tính minh bạch"]),
              st.sampled_from(MEASURES)),
    number,
    st.sampled_from(["", "https://example.org/t", "\x1b[2J"]),
).map(list)
body_row = st.one_of(wide_body, wide_body, long_body, long_body, row, st.just([]))
table = st.tuples(st.lists(row, max_size=2), _header_row(), st.lists(body_row, max_size=8)).map(
    lambda parts: [*parts[0], parts[1], *parts[2]]
)
INDEX = st.sampled_from(["PAR", "PCI", "PAPI", "SIPAS"])
YEAR = st.sampled_from([None, 2019, 2023])
SOURCE = st.sampled_from([None, "VCCI, test table"])


@st.composite
def clean_wide(draw: st.DrawFn) -> tuple[list[list[str]], str, int, str]:
    """A table that should be read: valid provinces, numbers in range, some blank rows."""
    names = draw(st.lists(st.sampled_from(VALID), min_size=1, max_size=6, unique=True))
    columns = draw(st.lists(st.sampled_from(["Điểm", "Xếp hạng", "Tính minh bạch", "STT"]),
                            min_size=1, max_size=3, unique=True))  # fmt: skip
    rows = [["Tỉnh/Thành phố", *columns]]
    for k, name in enumerate(names, start=1):
        if draw(st.booleans()) and draw(st.booleans()):
            rows.append([])
        values = {"Điểm": draw(st.sampled_from(["7", "6,25", "5.5"])), "Xếp hạng": str(k),
                  "Tính minh bạch": draw(st.sampled_from(["5", "6,1", ""])), "STT": str(k)}
        if all(not values[c] for c in columns if c != "STT"):
            values["Điểm" if "Điểm" in columns else columns[0]] = "7"
        rows.append([name, *(values[c] for c in columns)])
    preamble = draw(st.lists(st.just(["BÁO CÁO"]), max_size=2))
    return [*preamble, *rows], draw(st.sampled_from(["PCI", "PAR"])), 2019, "VCCI, test"


@st.composite
def clean_long(draw: st.DrawFn) -> tuple[list[list[str]], str, None, str | None]:
    names = draw(st.lists(st.sampled_from(VALID), min_size=1, max_size=5, unique=True))
    rows = [["province", "year", "measure", "value", "source", "note"]]
    for name in names:
        rows.append([name, "2019", "sub-index: Tính minh bạch", draw(st.sampled_from(["5", "6,2"])),
                     draw(st.sampled_from(["", "https://example.org/t"])),
                     draw(st.sampled_from(["", "x"]))])  # fmt: skip
        if draw(st.booleans()):
            rows.append(["", "", "", "", "", ""])
    return rows, "PCI", None, draw(st.sampled_from([None, "VCCI"]))


def _check(path: Path, index: str, year: int | None, source: str | None) -> None:
    try:
        cells = read_cells(path)
        header = find_header(cells, index, year)
        parsed = parse_rows(cells, header, index=index, year=year, source=source, file_name="x")
    except InputError as exc:
        assert str(exc)  # a message, naming what is wrong
        return
    below = set(range(header.row + 1, len(cells.rows) + 1))
    assert set(parsed.lines) | set(parsed.blank_rows) == below  # nothing dropped silently
    assert not set(parsed.lines) & set(parsed.blank_rows)
    for lineno in parsed.blank_rows:
        used = (
            [header.province_col, header.score_col, header.rank_col,
             *(m.col for m in header.measures)]
            if header.shape == "wide"
            else [header.province_col, header.measure_col, header.value_col]
        )  # fmt: skip
        cells_row = cells.rows[lineno - 1]
        assert all(c is None or c >= len(cells_row) or not cells_row[c].strip() for c in used)
    for r in parsed.rows:
        assert r.source and r.source_kind and r.measure_id
        assert r.province_code is not None or r.province.startswith("(")
        scale = scale_for(r.index, r.year, r.measure_id)
        if scale.numeric:
            assert scale.contains(float(r.value_text)), r


dirty = st.tuples(table, INDEX, YEAR, SOURCE)
case = st.one_of(dirty, clean_wide(), clean_long())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=case, delimiter=st.sampled_from([",", ";"]))
def test_any_csv_table_is_read_or_refused_cleanly(tmp_path_factory, case, delimiter):
    rows, index, year, source = case
    path = tmp_path_factory.mktemp("fuzz") / "t.csv"
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    _check(path, index, year, source)


def _excel_value(text: str) -> object:
    """Numbers as numbers (as a spreadsheet holds them), the rest as text or a formula."""
    try:
        return float(text.replace(",", ".")) if text not in ("nan", "inf") else text
    except ValueError:
        return text or None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=case)
def test_any_excel_table_is_read_or_refused_cleanly(tmp_path_factory, case):
    rows, index, year, source = case
    path = tmp_path_factory.mktemp("fuzz") / "t.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for r in rows:
        try:
            sheet.append([_excel_value(c) for c in r])
        except Exception:  # openpyxl refuses some characters in cells: not our input then
            sheet.append([None])
    book.save(path)
    _check(path, index, year, source)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01\x02", b"\xff\xfe\x00", "Tỉnh,Điểm\n\"Hà Nội,86".encode(), b"PK\x03\x04junk"],
)
def test_broken_files_are_refused_cleanly(tmp_path, data):
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"t{suffix}"
        path.write_bytes(data)
        with pytest.raises(InputError):
            cells = read_cells(path)
            header = find_header(cells, "PAR", 2023)
            parse_rows(cells, header, index="PAR", year=2023, source="s", file_name="x")
