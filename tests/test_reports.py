"""The report runner: strict parameters, paths, cache keys, index and results (fast, no kernel)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from parstats import reports
from parstats.errors import InputError, UnknownProvinceError
from parstats.report_data import HEADLINE_MIME

PARAMETERS = reports.TemplateParameter


def declared() -> tuple[reports.TemplateParameter, ...]:
    return (
        PARAMETERS("province", "str", "Đắk Lắk", "province"),
        PARAMETERS("year", "int", 2023, "year"),
    )


# --------------------------------------------------------------------------- the template


def test_template_parameters_cell_holds_typed_literals_with_help(repo: Path):
    nb = nbformat.read(repo / "notebooks" / "templates" / "province_report.ipynb", as_version=4)
    params = {p.name: p for p in reports.template_parameters(nb)}
    assert set(params) == {"province", "year", "language"}
    assert params["province"].type_name == "str"
    assert params["year"].type_name == "int"
    assert (params["language"].type_name, params["language"].default) == ("str", "both")
    assert all(p.help for p in params.values())


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("year: int = 2020 + 1  # derived", "literal"),
        ("year = 2023  # no type", "only 'name: type = literal"),
        ("year: int = 2023", "help comment"),
        ("year: list = [2023]  # list", "type must be one of"),
        ("import os", "only 'name: type = literal"),
    ],
)
def test_parameters_cell_refuses_anything_but_annotated_literals(source: str, message: str):
    with pytest.raises(InputError, match=message):
        reports.parse_parameters(source)


def test_parse_parameters_reads_default_and_help():
    (p,) = reports.parse_parameters('province: str = "Hưng Yên"  # the province (tỉnh)')
    assert p == PARAMETERS("province", "str", "Hưng Yên", "the province (tỉnh)")


# --------------------------------------------------------------------------- strict parameters


def test_misspelt_parameter_is_an_error_with_a_suggestion():
    message = "unknown report parameter 'provnce'; did you mean 'province'"
    with pytest.raises(InputError, match=message):
        reports.check_parameters({"provnce": "Hưng Yên"}, declared())


@pytest.mark.parametrize("value", ["2023", 2023.0, True])
def test_parameter_of_the_wrong_type_is_an_error(value: object):
    with pytest.raises(InputError, match="'year' must be int"):
        reports.check_parameters({"year": value}, declared())


def test_plan_report_resolves_the_province_through_the_registry(project_home: Path):
    job = reports.plan_report("dak lak", 2023)
    assert (job.province, job.province_code, job.slug) == ("Đắk Lắk", "66", "dak-lak")
    assert job.notebook_path() == project_home / "reports" / "dak-lak" / "2023.ipynb"
    assert job.html_path().name == "2023.html"
    assert job.parameters == {"province": "Đắk Lắk", "year": 2023, "language": "both"}
    assert reports.plan_report("dak lak", 2023, language="vi").parameters["language"] == "vi"


def test_a_language_other_than_vi_en_both_is_refused(project_home: Path):
    with pytest.raises(InputError, match="language"):
        reports.plan_report("dak lak", 2023, language="fr")


@pytest.mark.parametrize("name", ["../../etc", "/etc/passwd", "dak-lak/../../x", "", "Atlantis"])
def test_anything_that_is_not_a_province_is_refused_before_writing(project_home: Path, name: str):
    with pytest.raises(UnknownProvinceError):
        reports.plan_report(name, 2023)
    assert list((project_home / "reports").iterdir()) == []


@pytest.mark.parametrize("year", [1066, 20230, "2023", None])
def test_bad_year_is_refused(project_home: Path, year: object):
    with pytest.raises(InputError):
        reports.plan_report("Hưng Yên", year)


def test_extra_template_parameter_is_refused(project_home: Path):
    with pytest.raises(InputError, match="unknown report parameter 'yaer'"):
        reports.plan_report("Hưng Yên", 2023, yaer=2024)


def test_cli_refuses_a_path_as_province_and_writes_nothing(project_home: Path):
    done = subprocess.run(
        [sys.executable, "-m", "parstats", "report", "--province", "../../etc", "--year", "2023"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "not a pre-2025 province" in done.stderr
    assert list((project_home / "reports").iterdir()) == []


def test_cli_registers_report_and_reports():
    from parstats.cli import make_parser

    parser = make_parser()
    args = parser.parse_args(["reports", "-j", "2", "--province", "Tây Ninh", "--year", "2023"])
    assert (args.jobs, args.province, args.year) == (2, ["Tây Ninh"], [2023])
    args = parser.parse_args(["report", "--province", "Tây Ninh", "--year", "2023"])
    assert args.func.__name__ == "run_report"


# --------------------------------------------------------------------------- cache keys


def _inputs(**changes: object) -> reports.InputSnapshot:
    base = {"template_sha256": "t", "processed": (("targets.parquet", "a"),), "package": "p"}
    return reports.InputSnapshot(**{**base, **changes})


def test_cache_key_depends_on_parameters_template_data_and_package():
    job = reports.ReportJob("Hưng Yên", "33", "hung-yen", 2023)
    key = reports.cache_key(job, _inputs())
    assert key == reports.cache_key(job, _inputs())
    others = {
        reports.cache_key(reports.ReportJob("Hưng Yên", "33", "hung-yen", 2024), _inputs()),
        reports.cache_key(job, _inputs(template_sha256="t2")),
        reports.cache_key(job, _inputs(processed=(("targets.parquet", "b"),))),
        reports.cache_key(job, _inputs(package="p2")),
    }
    assert key not in others and len(others) == 4


def test_snapshot_hashes_every_processed_file(project_home: Path):
    (project_home / "data" / "processed" / "targets.parquet").write_bytes(b"x")
    first = reports.snapshot_inputs()
    (project_home / "data" / "processed" / "targets.parquet").write_bytes(b"y")
    second = reports.snapshot_inputs()
    assert [name for name, _ in first.processed] == ["targets.parquet"]
    assert first.processed != second.processed
    assert first.template_sha256 == second.template_sha256


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def _fresh_report(job: reports.ReportJob) -> None:
    job.notebook_path().parent.mkdir(parents=True, exist_ok=True)
    files = {"ipynb": _sha("{}"), "html": _sha("<html></html>")}
    record = reports.ReportRecord("Hưng Yên", "33", "hung-yen", 2023, "ok", "k", {}, files=files)
    job.record_path().write_text(json.dumps(record.__dict__))
    job.notebook_path().write_text("{}")


def test_a_report_is_fresh_only_with_its_key_and_both_files(project_home: Path):
    job = reports.ReportJob("Hưng Yên", "33", "hung-yen", 2023)
    assert not reports.is_fresh(job, "k")
    _fresh_report(job)
    assert not reports.is_fresh(job, "k")  # no HTML yet
    job.html_path().write_text("<html></html>")
    assert reports.is_fresh(job, "k")
    assert not reports.is_fresh(job, "other")


@pytest.mark.parametrize("damage", ["empty", "truncated", "replaced", "notebook"])
def test_a_damaged_report_file_is_not_fresh(project_home: Path, damage: str):
    """Audit D26 / R16: a 0-byte or changed HTML (or notebook) made the cache skip the report."""
    job = reports.ReportJob("Hưng Yên", "33", "hung-yen", 2023)
    _fresh_report(job)
    job.html_path().write_text("<html></html>")
    assert reports.is_fresh(job, "k")
    if damage == "empty":
        job.html_path().write_bytes(b"")
    elif damage == "truncated":
        job.html_path().write_text("<html>")
    elif damage == "replaced":
        job.html_path().write_text("<html></html>".upper())
    else:
        job.notebook_path().write_text("")
    assert not reports.is_fresh(job, "k")


def test_a_record_without_file_hashes_is_not_fresh(project_home: Path):
    job = reports.ReportJob("Hưng Yên", "33", "hung-yen", 2023)
    _fresh_report(job)
    job.html_path().write_text("<html></html>")
    data = json.loads(job.record_path().read_text())
    data.pop("files")
    job.record_path().write_text(json.dumps(data))
    assert not reports.is_fresh(job, "k")


# --------------------------------------------------------------------------- notebook handling


def test_scrub_volatile_removes_timings():
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"start_time": "x", "duration": 1.0, "parameters": {"year": 1}}
    cell = nbformat.v4.new_code_cell("1")
    cell.metadata["execution"] = {"iopub.execute_input": "x"}
    cell.metadata["papermill"] = {"start_time": "x", "status": "completed"}
    nb.cells.append(cell)
    out = reports.scrub_volatile(nb)
    assert out.metadata["papermill"] == {"parameters": {"year": 1}}
    assert out.cells[0].metadata == {"papermill": {"status": "completed"}}


def test_scrub_volatile_gives_cells_their_position_as_id():
    """Papermill gave every run new random cell ids: two runs never wrote equal notebooks."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1"), nbformat.v4.new_markdown_cell("x")]
    assert len({c.id for c in nb.cells}) == 2  # random ids, as papermill leaves them
    out = reports.scrub_volatile(nb)
    assert [c.id for c in out.cells] == ["cell-1", "cell-2"]
    nbformat.validate(out)


def test_find_headline_reads_the_typed_output_not_text():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("headline(report)")
    cell.outputs = [
        nbformat.v4.new_output(
            "execute_result", data={"text/plain": "n_targets: 3", HEADLINE_MIME: {"n_targets": 3}}
        )
    ]
    nb.cells = [nbformat.v4.new_code_cell("1"), cell]
    assert reports.find_headline(nb) == {"n_targets": 3}
    assert reports.find_headline(nbformat.v4.new_notebook()) is None


def test_export_html_hides_code_and_loads_nothing_from_the_network():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("secret_code_here = 1\nsecret_code_here")
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "41"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), cell]
    page = reports.export_html(nb, "A title")
    assert "secret_code_here" not in page
    assert "41" in page and "<title>A title</title>" in page
    assert "cdnjs" not in page and "<script src=" not in page


# --------------------------------------------------------------------------- results and index


def _record(slug: str, year: int, status: str = "ok", **headline: object) -> reports.ReportRecord:
    figures = {"n_targets": 4, "par_score": 87.5, **headline} if status == "ok" else None
    return reports.ReportRecord(
        slug.title(), "00", slug, year, status, f"key-{slug}-{year}", figures,
        None if status == "ok" else "ValueError: boom <b>",
    )


def test_results_frame_is_typed_and_keeps_successful_reports():
    frame = reports.results_frame(
        [_record("hung-yen", 2023), _record("tay-ninh", 2023, "failed"), _record("dak-lak", 2022)]
    )
    assert list(frame.columns) == list(reports.RESULT_COLUMNS)
    assert frame["slug"].tolist() == ["hung-yen", "dak-lak"]
    assert str(frame["year"].dtype) == "Int64"
    assert str(frame["par_score"].dtype) == "Float64"
    assert frame["pci_score"].isna().all()
    assert frame["n_targets"].tolist() == [4, 4]


def test_empty_results_frame_keeps_its_columns():
    frame = reports.results_frame([])
    assert frame.empty and list(frame.columns) == list(reports.RESULT_COLUMNS)


def test_results_parquet_round_trips(project_home: Path):
    path = reports.write_results([_record("hung-yen", 2023)])
    frame = pd.read_parquet(path)
    assert path == project_home / "reports" / "results.parquet"
    assert frame.loc[0, "par_score"] == 87.5


def test_index_links_every_report_and_escapes_text(project_home: Path):
    page = reports.render_index([_record("hung-yen", 2023), _record("tay-ninh", 2023, "failed")])
    assert 'href="hung-yen/2023.html"' in page
    assert 'href="tay-ninh/2023.ipynb"' in page
    assert "ValueError: boom &lt;b&gt;" in page
    assert "2 reports (1 failed)" in page
    assert "http" not in page and "<script src" not in page  # works offline, from file://
    assert page.count("<tr data-search=") == 63 + 1  # every province, the successful report


def _figures(**headline: object) -> dict[str, object]:
    return {"n_plans": 1, "n_targets": 5, **headline}


@pytest.mark.parametrize(
    ("headline", "shown", "hidden"),
    [
        # every observable target not yet due: that is not "0 met"
        (_figures(delivery_met=0, delivery_missed=0, delivery_not_yet_due=3, delivery_no_data=0),
         "3 not yet due", "0 met"),
        (_figures(delivery_met=1, delivery_missed=0, delivery_not_yet_due=0, delivery_no_data=4),
         "1 met</span> · <span", "0 missed"),
    ],
)
def test_index_states_delivery_in_words(project_home: Path, headline, shown, hidden):
    record = reports.ReportRecord("Hưng Yên", "33", "hung-yen", 2023, "ok", "k", headline)
    page = reports.render_index([record])
    assert shown in page and hidden not in page


def test_index_puts_each_scale_in_its_own_column(project_home: Path):
    from parstats.index_page import COLUMNS, _value

    old = {"year": 2017, "papi_score": 34.64, "papi_scale": "6-60", "par_score": 80.0,
           "par_unit": "points"}
    new = {"year": 2019, "papi_score": 44.6, "papi_scale": "8-80", "par_score": 85.0,
           "par_unit": "percent"}
    keys = [c.key for c in COLUMNS]
    assert [k for k in keys if _value(old, k) is not None] == ["par_points", "papi_6_60"]
    assert [k for k in keys if _value(new, k) is not None] == ["par_percent", "papi_8_80"]


def test_default_jobs_filters_the_grid(monkeypatch: pytest.MonkeyPatch):
    from parstats import report_data

    grid = (
        report_data.GridCell("33", 2022),
        report_data.GridCell("33", 2023),
        report_data.GridCell("72", 2023),
    )
    monkeypatch.setattr(report_data, "report_grid", lambda: grid)
    assert len(reports.default_jobs()) == 3
    assert [j.key for j in reports.default_jobs(["Hung Yen"])] == ["hung-yen/2022", "hung-yen/2023"]
    assert [j.key for j in reports.default_jobs(years=[2023])] == ["hung-yen/2023", "tay-ninh/2023"]
    with pytest.raises(UnknownProvinceError):
        reports.default_jobs(["../../etc"])


# --------------------------------------------------------------------------- interrupted batches


def _fake_done_report(job: reports.ReportJob, inputs: reports.InputSnapshot) -> None:
    """Write a finished report for ``job`` as a batch would (notebook, HTML, then record)."""
    job.notebook_path().parent.mkdir(parents=True, exist_ok=True)
    job.notebook_path().write_text("{}")
    job.html_path().write_text("<html></html>")
    files = {"ipynb": _sha("{}"), "html": _sha("<html></html>")}
    record = reports.ReportRecord(
        job.province, job.province_code, job.slug, job.year, "ok",
        reports.cache_key(job, inputs), {"n_plans": 2, "n_targets": 57}, files=files,
    )
    job.record_path().write_text(json.dumps(record.__dict__))


def test_stale_summaries_are_rebuilt_without_force(project_home: Path):
    """Audit D2 / R13: after an interrupted batch, index.html and results.parquet stayed stale."""
    job = reports.ReportJob("Hưng Yên", "33", "hung-yen", 2023)
    _fake_done_report(job, reports.snapshot_inputs())
    reports.write_results([])
    reports.write_index([])  # what the interrupted batch left: no row for the finished report
    assert not reports.summaries_current()
    result = reports.run_reports([job], workers=1, progress=False)
    assert result.ran == () and result.cached == (job,)  # nothing ran again
    assert reports.summaries_current()
    index = (project_home / "reports" / "index.html").read_text()
    assert 'href="hung-yen/2023.html"' in index and 'data-v="57.0">57</td>' in index
    results = pd.read_parquet(project_home / "reports" / "results.parquet")
    assert results["n_targets"].tolist() == [57]


def test_summaries_are_stale_when_a_record_changes(project_home: Path):
    job = reports.ReportJob("Hưng Yên", "33", "hung-yen", 2023)
    _fake_done_report(job, reports.snapshot_inputs())
    reports.rebuild_summaries()
    assert reports.summaries_current()
    record = json.loads(job.record_path().read_text())
    record["headline"]["n_targets"] = 55
    job.record_path().write_text(json.dumps(record))
    assert not reports.summaries_current()
    (project_home / "reports" / "results.parquet").unlink()
    reports.rebuild_summaries()
    (project_home / "reports" / "results.parquet").unlink()
    assert not reports.summaries_current()


def test_one_batch_at_a_time(project_home: Path):
    from parstats.processed import hold_lock

    job = reports.ReportJob("Hưng Yên", "33", "hung-yen", 2023)
    with hold_lock(project_home / "reports" / reports.LOCK_FILE, "report batch"):
        done = subprocess.run(
            [sys.executable, "-c",
             "from parstats import reports\n"
             "reports.run_reports([reports.ReportJob('Hưng Yên', '33', 'hung-yen', 2023)])"],
            capture_output=True, text=True, check=False,
        )
    assert done.returncode == 1 and "BusyError: another report batch is running" in done.stderr
    assert not job.record_path().exists()


def test_leftovers_of_killed_batches_are_removed(project_home: Path):
    import tempfile

    folder = project_home / "reports" / "hung-yen"
    folder.mkdir()
    (folder / ".2023.html.abc.tmp").write_text("half")
    dead = Path(tempfile.gettempdir()) / f"{reports.KERNEL_DIR_PREFIX}999999999-x"
    dead.mkdir(exist_ok=True)
    mine = Path(tempfile.mkdtemp(prefix=f"{reports.KERNEL_DIR_PREFIX}{os.getpid()}-"))
    try:
        reports.clear_leftovers()
        assert not (folder / ".2023.html.abc.tmp").exists()
        assert not dead.exists() and mine.exists()  # a live process's kernel files are kept
    finally:
        import shutil

        shutil.rmtree(dead, ignore_errors=True)
        shutil.rmtree(mine, ignore_errors=True)
