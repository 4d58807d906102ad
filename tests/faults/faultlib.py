"""Kill ``parstats build`` and ``parstats reports`` at every step and check what is left.

Used by ``tests/faults/test_*.py`` (a representative subset in the default suite)
and ``scripts/fault_injection.py`` (every step, 50+ kills of each command).

A kill "after step N" uses the test-only hook of :mod:`parstats.io`: the
command sends itself SIGKILL or SIGTERM right after its N-th file operation
(a file written, renamed or removed, a folder made, the link replaced).
Wall-clock kills (after T seconds, or at the audit's "first rename" moment)
complete the set.

The invariants after each kill:

build
    ``data/processed`` holds exactly the files of the old complete build (A)
    or of the new one (B), never a mix; the tables read through parstats
    agree with each other; after SIGTERM no staging folder is left; the next
    build succeeds and leaves no leftovers.
reports
    every report the cache takes as done has the notebook and HTML its record
    describes; ``index.html`` and ``results.parquet`` either describe the
    records on disk or are found stale (so the next run rebuilds them without
    ``--force``); after SIGTERM they describe the records; no worker or kernel
    outlives the command; a re-run repairs everything and re-runs only what
    was not done.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PARSTATS = [sys.executable, "-m", "parstats"]
EXTRA_PLAN = REPO / "data" / "raw" / "plans" / "001_4f1b279c0569f61c.txt"
TAG_ENV = "PARSTATS_FAULT_TAG"


# --------------------------------------------------------------------------- helpers


def snapshot(folder: Path) -> dict[str, str]:
    """Return ``{file name: sha256}`` of the files in ``folder`` (through a link)."""
    if not folder.is_dir():
        return {}
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir()) if p.is_file()
    }


def new_home(root: Path) -> Path:
    """Return a scratch project (raw data and notebooks copied) under ``root``."""
    home = root / "project"
    shutil.copytree(REPO / "data" / "raw", home / "data" / "raw")
    (home / "reports").mkdir(parents=True)
    shutil.copytree(REPO / "notebooks", home / "notebooks")
    for path in (home / "data" / "raw").rglob("*"):
        if path.is_file():
            path.chmod(0o644)
    return home


def add_plan(home: Path, name: str, source: Path = EXTRA_PLAN, **override: str) -> None:
    """Add a plan and its manifest row (input state B)."""
    plans = home / "data" / "raw" / "plans"
    data = source.read_bytes()
    (plans / name).write_bytes(data)
    manifest = plans / "manifest.csv"
    header = manifest.read_text(encoding="utf-8").splitlines()[0].split(",")
    cells = {"file": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": str(len(data)),
             "source": "fault test", **override}
    with open(manifest, "a", encoding="utf-8") as fh:
        fh.write(",".join(cells.get(c, "") for c in header) + "\n")


def environment(home: Path, tag: str, **extra: str) -> dict[str, str]:
    """Return the environment of a command run in ``home``, tagged to find its processes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARSTATS_")}
    env.update(PARSTATS_HOME=str(home), **{TAG_ENV: tag}, **extra)
    return env


def tagged_processes(tag: str) -> list[int]:
    """Return the pids of live processes whose environment carries ``tag`` (any parent)."""
    found = []
    needle = f"{TAG_ENV}={tag}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                stat = (entry / "stat").read_text()
                if stat.rsplit(")", 1)[1].split()[0] != "Z":
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def wait_gone(tag: str, timeout: float) -> list[int]:
    """Wait up to ``timeout`` seconds for every tagged process to end; return the survivors."""
    end = time.monotonic() + timeout
    while True:
        alive = tagged_processes(tag)
        if not alive or time.monotonic() > end:
            return alive
        time.sleep(0.2)


def kill_tagged(tag: str) -> None:
    """Kill what is left of a run (after a failed check), so nothing outlives the test."""
    for pid in tagged_processes(tag):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def count_operations(home: Path, args: list[str], log: Path) -> list[str]:
    """Run ``parstats *args`` to the end, logging its file operations; return them."""
    log.unlink(missing_ok=True)
    tag = uuid.uuid4().hex
    done = subprocess.run(
        [*PARSTATS, *args], env=environment(home, tag, PARSTATS_FAULT_LOG=str(log)),
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"parstats {' '.join(args)} failed: {done.stderr}")
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


@dataclass
class Kill:
    """One kill and what the checks found."""

    command: str
    how: str
    returncode: int | None = None
    state: str = ""
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether every invariant held."""
        return not self.problems

    def line(self) -> str:
        """Return a one-line summary."""
        verdict = "ok" if self.ok else "FAIL: " + "; ".join(self.problems)
        return (f"{self.command:7} {self.how:34} exit {self.returncode!s:>4} "
                f"state {self.state:8} {self.seconds:5.1f}s  {verdict}")


@dataclass
class Run:
    """What a killed run left: exit code, survivors, stderr, stop time, its processes' files."""

    returncode: int | None
    survivors: list[int]
    stderr: str
    stopped: float | None
    pids: list[int]

    def kernel_files(self) -> list[str]:
        """Return the kernel connection folders its processes left in the temp folder."""
        import tempfile

        root = Path(tempfile.gettempdir())
        return sorted(str(p) for pid in self.pids
                      for p in root.glob(f"parstats-kernels-{pid}-*"))


def run_killed(home: Path, args: list[str], how: str, *, after_step: int | None = None,
               signum: int = signal.SIGKILL, after_seconds: float | None = None,
               until: object = None, stdin_devnull: bool = True,
               orphan_timeout: float = 15.0) -> Run:
    """Run ``parstats *args`` in ``home`` and kill it (hook step, timer, or ``until(tag)``).

    Returns a :class:`Run`: the exit code, the pids that outlived it by
    ``orphan_timeout`` seconds (then killed), stderr, the seconds from the
    signal to the exit (``None`` when no signal was sent from here), and the
    processes of the run seen when the signal was sent.
    """
    tag = uuid.uuid4().hex
    extra = {}
    if after_step is not None:
        extra = {"PARSTATS_FAULT_AFTER": str(after_step),
                 "PARSTATS_FAULT_SIGNAL": signal.Signals(signum).name}
    proc = subprocess.Popen(
        [*PARSTATS, *args], env=environment(home, tag, **extra),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL if stdin_devnull else None, start_new_session=True,
    )
    sent = None
    pids: list[int] = []
    try:
        if after_seconds is not None:
            try:
                proc.wait(after_seconds)
            except subprocess.TimeoutExpired:
                pids = tagged_processes(tag)
                proc.send_signal(signum)
                sent = time.monotonic()
        elif until is not None:
            while proc.poll() is None and not until(tag):  # type: ignore[operator]
                time.sleep(0.005)
            if proc.poll() is None:
                pids = tagged_processes(tag)
                proc.send_signal(signum)
                sent = time.monotonic()
        _, err = proc.communicate(timeout=600)
        stopped = None if sent is None else time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    survivors = wait_gone(tag, orphan_timeout)
    if survivors:
        kill_tagged(tag)
    return Run(proc.returncode, survivors, err.decode("utf-8", "replace"), stopped, pids)


# --------------------------------------------------------------------------- build


@dataclass
class BuildStates:
    """A project with complete build A on disk, and input state B that a build would publish."""

    home: Path
    a: dict[str, str]
    b: dict[str, str]
    generation_a: str
    operations: list[str]


def prepare_build(root: Path) -> BuildStates:
    """Build A, switch the inputs to B, learn B's files and B's file operations; restore A."""
    home = new_home(root)
    subprocess.run([*PARSTATS, "build"], env=environment(home, "prep"), check=True,
                   capture_output=True)
    link = home / "data" / "processed"
    a, generation_a = snapshot(link), link.resolve().name
    add_plan(home, "005_extra.txt")
    operations = count_operations(home, ["build"], root / "build-ops.log")
    b = snapshot(link)
    assert a != b
    restore_build(home, generation_a)
    assert snapshot(link) == a
    return BuildStates(home, a, b, generation_a, operations)


def restore_build(home: Path, generation: str) -> None:
    """Point ``data/processed`` back at generation A and remove everything else."""
    data = home / "data"
    generations = data / ".processed"
    for path in generations.iterdir():
        if path.name not in (generation, "build.lock"):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    for path in data.glob(".processed.link-*"):
        path.unlink()
    link = data / "processed"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(f".processed/{generation}")


def check_build(states: BuildStates, kill: Kill) -> None:
    """Check the build invariants after a kill (fills ``kill.state`` and ``kill.problems``)."""
    link = states.home / "data" / "processed"
    now = snapshot(link)
    kill.state = "A" if now == states.a else "B" if now == states.b else "MIXED"
    if kill.state == "MIXED":
        from_a = sorted(n for n, h in now.items() if states.a.get(n) == h and states.b.get(n) != h)
        from_b = sorted(n for n, h in now.items() if states.b.get(n) == h and states.a.get(n) != h)
        kill.problems.append(f"mixed data/processed (A: {from_a}; B: {from_b})")
        return
    try:
        with home_env(states.home):
            import parstats

            documents, targets = parstats.load_documents(), parstats.load_targets()
        if not set(targets["doc"]) <= set(documents["doc"]):
            kill.problems.append("readers: targets of unknown documents")
        if int(documents["n_targets"].sum()) != len(targets):
            kill.problems.append("readers: n_targets disagrees with the targets table")
        if ("005_extra" in set(documents["doc"])) != (kill.state == "B"):
            kill.problems.append("readers saw another state than the files")
    except Exception as exc:  # noqa: BLE001 - reported as a failed invariant
        kill.problems.append(f"readers failed: {type(exc).__name__}: {exc}")
    if kill.how.startswith("TERM"):
        generations = states.home / "data" / ".processed"
        left = [p.name for p in generations.glob(".staging-*")]
        if left:
            kill.problems.append(f"staging left after SIGTERM: {left}")


def kill_build(states: BuildStates, how: str, **kwargs: object) -> Kill:
    """Restore A, run the build of B, kill it as asked, check the invariants."""
    if kwargs.get("until") is None:
        restore_build(states.home, states.generation_a)
    kill = Kill("build", how)
    start = time.monotonic()
    run = run_killed(states.home, ["build"], how, **kwargs)
    kill.returncode, survivors, err = run.returncode, run.survivors, run.stderr
    kill.seconds = time.monotonic() - start
    if survivors:
        kill.problems.append(f"processes outlived the build: {survivors}")
    if "Traceback" in err:
        kill.problems.append("traceback: " + err.strip().splitlines()[-1])
    check_build(states, kill)
    return kill


def first_rename(states: BuildStates) -> object:
    """The audit's moment: stop as soon as ``documents.parquet`` is another file (B15)."""
    path = states.home / "data" / "processed" / "documents.parquet"
    inode = path.stat().st_ino

    def changed(tag: str = "") -> bool:
        try:
            return path.stat().st_ino != inode
        except OSError:
            return True

    return changed


def kernel_running(tag: str) -> bool:
    """Return whether a Jupyter kernel of the tagged run is up (a report is being made)."""
    for pid in tagged_processes(tag):
        with contextlib.suppress(OSError):
            if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return True
    return False


def finish_build(states: BuildStates) -> list[str]:
    """Run one more build after the kills: it must succeed and leave no leftovers."""
    problems = []
    done = subprocess.run([*PARSTATS, "build"], env=environment(states.home, "final"),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        problems.append(f"the build after the kills failed: {done.stderr.strip()}")
    generations = states.home / "data" / ".processed"
    left = [p.name for p in generations.iterdir() if p.name.startswith(".")]
    left += [p.name for p in (states.home / "data").glob(".processed.link-*")]
    if left:
        problems.append(f"leftovers after the next build: {left}")
    if snapshot(states.home / "data" / "processed") != states.b:
        problems.append("the next build did not publish B")
    return problems


# --------------------------------------------------------------------------- reports

REPORT_ARGS = ["reports", "--province", "Hưng Yên", "--year", "2023", "--year", "2019",
               "--no-progress"]
REPORT_KEYS = ("hung-yen/2019", "hung-yen/2023")


@dataclass
class ReportStates:
    """A project whose reports were made from build A, and whose data is now build B."""

    home: Path
    saved: Path
    operations: list[str]
    args: list[str]
    keys: tuple[str, ...] = REPORT_KEYS


def prepare_reports(root: Path, args: list[str] = REPORT_ARGS, *, previous: bool = True,
                    keys: tuple[str, ...] = REPORT_KEYS) -> ReportStates:
    """Build, run the reports, build B (a new plan in force), learn the batch's operations.

    With ``previous=False`` the batch starts from an empty ``reports/`` (faster).
    """
    home = new_home(root)
    env = environment(home, "prep")
    subprocess.run([*PARSTATS, "build"], env=env, check=True, capture_output=True)
    if previous:
        subprocess.run([*PARSTATS, *args], env=env, check=True, capture_output=True)
        add_plan(home, "005_extra.txt")
        subprocess.run([*PARSTATS, "build"], env=env, check=True, capture_output=True)
    saved = root / "saved-reports"
    shutil.copytree(home / "reports", saved)
    operations = count_operations(home, args, root / "reports-ops.log")
    states = ReportStates(home, saved, operations, list(args), keys)
    restore_reports(states)
    return states


def restore_reports(states: ReportStates) -> None:
    """Put back the reports made from A (the data stays B: every report must run again)."""
    shutil.rmtree(states.home / "reports")
    shutil.copytree(states.saved, states.home / "reports")


def report_state(home: Path, keys: tuple[str, ...] = REPORT_KEYS) -> dict[str, object]:
    """Return what the reports on disk say, as the next batch would read them."""
    import pandas as pd

    from parstats import reports

    try:
        with home_env(home):
            years = sorted({int(key.split("/")[1]) for key in keys})
            jobs = reports.default_jobs(["Hưng Yên"], years)
            inputs = reports.snapshot_inputs()
            records = reports.all_records()
            current = reports.summaries_current(records)
            results_ok = True
            if current:
                on_disk = pd.read_parquet(reports.reports_dir() / reports.RESULTS_FILE)
                expected = reports.results_frame(records)
                results_ok = on_disk.reset_index(drop=True).equals(expected.reset_index(drop=True))
            fresh = [j.key for j in jobs if reports.is_fresh(j, reports.cache_key(j, inputs))]
            lying = []
            for job in jobs:
                record = reports.read_record(job.record_path())
                if (record and record.status == "ok" and record.files
                        and record.cache_key == reports.cache_key(job, inputs)
                        and job.key not in fresh):
                    lying.append(job.key)
            tmp = [str(p) for p in reports.reports_dir().rglob(".*.tmp")]
    except Exception as exc:  # noqa: BLE001 - reported as a failed invariant
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {"current": current, "results_ok": bool(results_ok), "fresh": fresh,
            "lying": lying, "tmp": tmp}


def kill_reports(states: ReportStates, how: str, *, rerun: bool, **kwargs: object) -> Kill:
    """Restore the A reports, run the batch on B, kill it as asked, check the invariants."""
    restore_reports(states)
    kill = Kill("reports", how)
    start = time.monotonic()
    run = run_killed(states.home, states.args, how, **kwargs)
    kill.returncode, survivors, err = run.returncode, run.survivors, run.stderr
    if "-j" in states.args and run.kernel_files():  # workers clean up; a killed parent cannot
        kill.problems.append(f"kernel files left: {run.kernel_files()}")
    if survivors:
        kill.problems.append(f"{len(survivors)} processes outlived the batch (workers/kernels)")
    if "Traceback" in err:
        kill.problems.append("traceback: " + err.strip().splitlines()[-1])
    state = report_state(states.home, states.keys)
    if "error" in state:
        kill.problems.append(f"reading the reports failed: {state['error']}")
        return kill
    kill.state = f"{len(state['fresh'])} done" + ("" if state["current"] else ",stale")
    if state["lying"]:
        kill.problems.append(f"a record claims a report its files do not hold: {state['lying']}")
    if state["current"] and not state["results_ok"]:
        kill.problems.append("index.html says current but results.parquet disagrees")
    if how.startswith("TERM") and kill.returncode in (143, -15) and not state["current"]:
        kill.problems.append("summaries stale after SIGTERM")
    if rerun:
        done = subprocess.run([*PARSTATS, *states.args], env=environment(states.home, "rerun"),
                              capture_output=True, text=True, check=False)
        after = report_state(states.home, states.keys)
        expected_written = len(states.keys) - len(state["fresh"])
        if done.returncode != 0 or after.get("fresh") != list(states.keys):
            kill.problems.append(f"the re-run did not repair: {done.stdout} {done.stderr}")
        elif not after["current"] or not after["results_ok"] or after["tmp"]:
            kill.problems.append(f"the re-run left stale summaries or temp files: {after}")
        elif f"{expected_written} written, {len(state['fresh'])} unchanged" not in done.stdout:
            kill.problems.append(f"the re-run redid finished reports: {done.stdout.strip()}")
    kill.seconds = time.monotonic() - start
    return kill


@contextlib.contextmanager
def home_env(home: Path) -> Iterator[None]:
    """Within the block, this process reads the project ``home`` (``PARSTATS_HOME``)."""
    old = os.environ.get("PARSTATS_HOME")
    os.environ["PARSTATS_HOME"] = str(home)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("PARSTATS_HOME", None)
        else:
            os.environ["PARSTATS_HOME"] = old


@contextlib.contextmanager
def scratch(root: Path | None = None) -> Iterator[Path]:
    """Yield a scratch folder, removed afterwards."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="parstats-faults-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class Planned:
    """One kill to make: its label and the arguments of the kill function."""

    how: str
    kwargs: dict


AUDIT_BUILD_SECONDS = (0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 5.5, 6.0, 6.5)
REPORT_SECONDS = (4.0, 6.0, 8.0, 12.0)


def build_plan(states: BuildStates, steps: list[int] | None = None,
               timed: bool = True) -> list[Planned]:
    """Return the build kills: after each step (SIGKILL and SIGTERM), then timed ones."""
    steps = list(range(1, len(states.operations) + 1)) if steps is None else steps
    plan = []
    for step in steps:
        op = states.operations[step - 1].split(" ", 1)[1]
        for signum in (signal.SIGKILL, signal.SIGTERM):
            plan.append(Planned(f"{signum.name[3:]} after {step}: {op[:22]}",
                                {"after_step": step, "signum": signum}))
    if timed:
        for seconds in AUDIT_BUILD_SECONDS:
            plan.append(Planned(f"KILL at {seconds} s",
                                {"after_seconds": seconds, "signum": signal.SIGKILL}))
        plan.append(Planned("INT at 1.0 s", {"after_seconds": 1.0, "signum": signal.SIGINT}))
        plan.append(Planned("KILL at first rename (audit B15)", {"until": "first_rename"}))
    return plan


def reports_plan(states: ReportStates, steps: list[int] | None = None,
                 timed: bool = True, rerun_every: int = 4) -> list[Planned]:
    """Return the report-batch kills: after each step (``-j 1``), then timed ones with ``-j 2``."""
    steps = list(range(1, len(states.operations) + 1)) if steps is None else steps
    plan = []
    for n, step in enumerate(steps):
        op = states.operations[step - 1].split(" ", 1)[1]
        for signum in (signal.SIGKILL, signal.SIGTERM):
            rerun = signum == signal.SIGKILL and (n % rerun_every == 0 or step == steps[-1])
            plan.append(Planned(f"{signum.name[3:]} after {step}: {op[:22]}",
                                {"after_step": step, "signum": signum, "rerun": rerun}))
    if timed:
        for seconds in REPORT_SECONDS:
            for signum in (signal.SIGTERM, signal.SIGKILL, signal.SIGINT):
                plan.append(Planned(
                    f"{signum.name[3:]} -j 2 at {seconds} s",
                    {"after_seconds": seconds, "signum": signum, "jobs": 2,
                     "rerun": signum == signal.SIGKILL},
                ))
    return plan


def run_build_plan(states: BuildStates, plan: list[Planned], echo=None) -> list[Kill]:
    """Make every kill of ``plan``; return the results."""
    kills = []
    for planned in plan:
        kwargs = dict(planned.kwargs)
        if kwargs.get("until") == "first_rename":
            restore_build(states.home, states.generation_a)
            kwargs["until"] = first_rename(states)
        kill = kill_build(states, planned.how, **kwargs)
        kills.append(kill)
        if echo:
            echo(kill.line())
    return kills


def run_reports_plan(states: ReportStates, plan: list[Planned], echo=None) -> list[Kill]:
    """Make every kill of ``plan``; return the results."""
    kills = []
    base = list(states.args)
    for planned in plan:
        kwargs = dict(planned.kwargs)
        jobs = kwargs.pop("jobs", 1)
        states.args = [*base, "-j", str(jobs)] if jobs > 1 else base
        try:
            kill = kill_reports(states, planned.how, **kwargs)
        finally:
            states.args = base
        kills.append(kill)
        if echo:
            echo(kill.line())
    return kills
