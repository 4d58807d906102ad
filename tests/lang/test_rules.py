"""The Vietnamese rule tables (parstats/lang/vi/*.csv): integrity, examples, load errors."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from parstats import rules
from parstats.errors import InputError

TABLES = rules.all_tables()
ROWS = [pytest.param(t, r, id=r.id) for t in TABLES for r in t.rows]
TARGETS_MD = Path(__file__).resolve().parents[2] / "docs" / "TARGETS.md"


def _sections() -> dict[str, str]:
    text = TARGETS_MD.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.M)[1:]
    out = {}
    for part in parts:
        title, _, body = part.partition("\n")
        key = "Additions" if title.startswith("Additions") else title.split(" (")[0]
        out[key] = out.get(key, "") + body  # both tables of additions (held-out, real genres)
    return out


def test_every_table_loads_with_unique_ids() -> None:
    ids = [r.id for t in TABLES for r in t.rows]
    assert len(ids) == len(set(ids))
    assert {t.name for t in TABLES} == set(rules._all_specs())


@pytest.mark.parametrize(("table", "row"), ROWS)
def test_the_example_of_every_row_fires(table: rules.Table, row: rules.Row) -> None:
    assert rules._fires(table, row), (row.id, row.example)


@pytest.mark.parametrize(("table", "row"), ROWS)
def test_every_spec_cell_names_a_rule_of_targets_md(table: rules.Table, row: rules.Row) -> None:
    section, _, words = row.spec.partition(":")
    body = _sections()[section.strip()]
    assert words.strip().lower() in body.lower(), (row.id, row.spec)


from parstats.commands.rules import ATTRIBUTED  # noqa: E402

END_TO_END = [
    pytest.param(r, id=r.id)
    for t in TABLES
    for r in t.rows
    if r.value and any(w in ATTRIBUTED.get(t.name, ()) for w in r.where)
]


@pytest.mark.parametrize("row", END_TO_END)
def test_the_example_of_every_row_fires_through_the_extractor(row: rules.Row) -> None:
    from parstats.extraction import extract_document
    from parstats.metadata import DocumentMeta

    meta = DocumentMeta(issued="2021-12-10", period_start=2021, period_end=2025)
    doc = extract_document(row.example, meta=meta)
    ids = {n.rejected for n in doc.rejected}
    for target in doc.targets:
        for part in target.rules.split(";"):
            ids.update(part.split("=", 1)[1].split(">"))
    assert row.id in ids, (row.example, sorted(ids))


# --------------------------------------------------------------------------- load errors

HEADER = "id,phrase,value,where,unless_before,unless_after,example,spec\n"


@pytest.fixture
def lang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the Vietnamese tables that a test may break."""
    folder = tmp_path / "vi"
    shutil.copytree(rules.lang_dir("vi"), folder)
    monkeypatch.setattr(rules, "lang_dir", lambda lang="vi": folder)
    rules._tables.cache_clear()
    yield folder
    rules._tables.cache_clear()


def _append(folder: Path, name: str, line: str) -> int:
    path = folder / f"{name}.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            'level.commune.cap_xa,cấp xã,commune,name,,,"đạt 90% ở cấp xã",Fields: level',
            "duplicate rule id",
        ),
        ('level.commune.x,cấp xã,city,name,,,"đạt 90% ở cấp xã",Fields: level', "value for where"),
        ('level.commune.x,cấp xã,commune,inside,,,"đạt 90% ở cấp xã",Fields: level', "where must"),
        ('level.commune.x,(cấp xã,commune,name,,,"đạt 90% ở cấp xã",Fields: level', "syntax"),
        ('level.commune.x,cấp xã,commune,name,,,"đạt 90% ở cấp huyện",Fields: level', "not fire"),
        ('level.commune.x,cấp xã,commune,name,,,"đạt 90% ở cấp xã",Somewhere: level', "spec"),
        ('levels.x,cấp xã,commune,name,,,"đạt 90% ở cấp xã",Fields: level', "id must start"),
    ],
    ids=["duplicate", "value", "where", "syntax", "example", "spec", "prefix"],
)
def test_a_bad_row_is_a_load_error_naming_file_and_line(lang: Path, line: str, reason: str) -> None:
    # Appended after the commune rows: the value groups stay together.
    number = _append(lang, "levels", line)
    with pytest.raises(InputError, match=reason) as info:
        rules.table("levels")
    assert info.value.path is not None and info.value.path.name == "levels.csv"
    assert info.value.line == number


def test_a_new_phrase_is_found_by_the_derived_filters(lang: Path) -> None:
    # A phrase whose first letter no other level phrase has (as "phường, xã" had, the
    # review's P2): the lookahead and the anchor words are derived from the rows, so the
    # example fires.
    _append(
        lang,
        "levels",
        'level.commune.ap_khom_test,"ấp, khóm",commune,name,,,'
        '"Tỷ lệ hồ sơ trực tuyến đạt 90% ở ấp, khóm.",Fields: level',
    )
    table = rules.table("levels")
    pattern = rules.lead(table.alternation("name"))
    assert "ấ" in pattern.pattern[:20]
    assert pattern.search("đạt 90% ở ấp, khóm") is not None
    assert rules.any_in(table.anchors("name"))("đạt 90% ở ấp, khóm")


def test_phrase_syntax() -> None:
    assert re.fullmatch(rules.phrase_regex("[từ ]cấp tỉnh (đến|tới) xã"), "từ cấp tỉnh tới xã")
    assert re.fullmatch(rules.phrase_regex("tỷ lệ \\(%\\)"), "tỷ lệ (%)")
    assert rules.phrase_regex("re:\\d+%") == "\\d+%"
    with pytest.raises(ValueError, match="not allowed"):
        rules.phrase_regex("hài lòng … đất đai")
    assert re.search(rules.phrase_regex("hài lòng … đất đai", gap=".*"), "hài lòng về đất đai")


def test_first_chars_and_anchors() -> None:
    assert rules.first_chars(r"(?<!x )\b(?:cấp tỉnh|toàn tỉnh|mọi cấp)") == "cmt"
    assert rules.first_chars(r"(?:^|[;:]\s*)năm") == ":;n"
    assert rules.first_chars(r"x?") is None  # may match the empty text
    # Every match holds one of the words; with no sample the fewest words are chosen, and
    # a word common in the sample gives way to rarer ones.
    patterns = [r"cấp tỉnh", r"cấp (?:huyện|xã)", r"toàn tỉnh"]
    assert rules.anchors_of(patterns, sample=()) == ("tỉnh", "cấp")
    assert rules.anchors_of(patterns, sample=["tỉnh"]) == ("cấp", "toàn tỉnh")
    for words in (rules.anchors_of(patterns), rules.anchors_of(patterns, sample=["cấp"])):
        assert all(any(w in t for w in words) for t in ("cấp tỉnh", "cấp xã", "toàn tỉnh"))
    assert rules.anchors_of([r"\d+"]) is None
    test = rules.any_in(("cấp", "tỉnh"))
    assert test("toàn tỉnh") and not test("huyện")


def test_parstats_rules_check(capsys: pytest.CaptureFixture) -> None:
    from parstats.cli import main

    assert main(["rules", "check"]) == 0
    out = capsys.readouterr().out
    assert "levels.csv" in out and "every example fires" in out


def test_parstats_rules_check_names_a_bad_row(lang: Path, capsys: pytest.CaptureFixture) -> None:
    from parstats.cli import main

    number = _append(
        lang, "levels", 'level.commune.x,cấp xã,commune,name,,,"đạt 90% ở cấp huyện",Fields: level'
    )
    assert main(["rules", "check"]) == 2
    err = capsys.readouterr().err
    assert f"levels.csv, line {number}" in err and "does not fire" in err


def test_lead_finds_what_the_plain_pattern_finds() -> None:
    # lead() compiles a pattern for the engine's fast scan (as it is, with a leading \b
    # moved after its word character, or led by a lookahead): the matches are the same.
    assert rules._boundary_moved(r"(?:\bđến năm|phải)") == r"(?:đ(?<!\w.)ến năm|phải)"
    assert rules._boundary_moved(r"(?:a[|(]b|\bc)") == r"(?:a[|(]b|c(?<!\w.))"
    assert rules._boundary_moved(r"\b(?:x|y)") is None  # no word character after the \b
    assert rules._split_alternatives(r"a[|(]b|c\|d|(e|f)g") == ["a[|(]b", r"c\|d", "(e|f)g"]
    assert rules._scans_fast(r"(?:ab|cd)", 0) and not rules._scans_fast(r"\bab|cd", 0)
    texts = [
        "đến năm 2025 phải đạt", "xđến năm", "bảo đảm, phải.", "phảix phải", "đếnnăm",
        "a", "", "Đến năm 2030", "chỉ tiêu; tối thiểu 80% trở lên", "đã đến năm",
    ]
    tables = ("not_targets", "levels", "comparators", "directions", "kind_cues", "deadline_cues")
    for name in tables:
        table = rules.table(name)
        for where in table.spec.places:
            if not table.select(where) or where in table.spec.literal:
                continue
            source = table.alternation(where)
            plain, fast = re.compile(source), rules.lead(source)
            for row in table.select(where):
                for text in (*texts, row.example.lower()):
                    for pos in (0, 1, 3):
                        assert [m.span() for m in plain.finditer(text, pos)] == [
                            m.span() for m in fast.finditer(text, pos)
                        ], (name, where, text)
