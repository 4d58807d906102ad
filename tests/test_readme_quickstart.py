"""The README's quick start runs as written, line by line (UX review: it failed on line 3).

The fenced blocks after ``<!-- quickstart:shell -->`` and ``<!-- quickstart:python -->``
are read from README.md. The shell lines run one by one with bash in a scratch project
(``PARSTATS_HOME``) whose ``.venv`` is the environment running the tests and whose
``examples/``, ``Makefile`` and ``pyproject.toml`` are the repository's. ``make setup``
runs for real when the environment was made by it (then it is a no-op); otherwise (a
conda environment) it is checked with ``make -n``, which runs nothing. The Python block
runs statement by statement in one namespace, in the same scratch project, and a failure
names the statement.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


def quickstart_block(kind: str) -> str:
    """Return the fenced block after ``<!-- quickstart:KIND -->`` in README.md."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- quickstart:{kind} -->\s*```\w*\n(.*?)```", readme, re.S)
    assert found, f"README.md has no quickstart:{kind} block"
    return found.group(1)


def test_the_blocks_are_there_and_name_no_missing_file():
    shell, python = quickstart_block("shell"), quickstart_block("python")
    assert shell.splitlines()[0].startswith("make setup")
    for path in re.findall(r"(examples/[\w./-]+)", shell + python):
        assert (REPO / path).is_file(), path  # the review's plan.txt: a file that did not exist
    assert "INVENTED EXAMPLE" in (REPO / "examples" / "sample_plan.txt").read_text()


@pytest.fixture()
def scratch(tmp_path: Path) -> Path:
    """A project folder laid out like a fresh clone, with the test's environment as .venv."""
    home = tmp_path / "clone"
    shutil.copytree(REPO / "data" / "raw", home / "data" / "raw")
    shutil.copytree(REPO / "notebooks", home / "notebooks")
    (home / "reports").mkdir()
    for name in ("examples", "Makefile", "pyproject.toml", "scripts"):
        (home / name).symlink_to(REPO / name)
    (home / ".venv").symlink_to(Path(sys.prefix))
    return home


def test_the_quick_start_runs_line_by_line(scratch: Path):
    env = {**os.environ, "PARSTATS_HOME": str(scratch)}
    env.pop("PARSTATS_PROCESSED", None)
    installed = (scratch / ".venv" / ".parstats-installed").exists()
    for line in quickstart_block("shell").splitlines():
        command = line.split("  #")[0].strip()
        if not command:
            continue
        if command.startswith("make setup") and not installed:
            command = "make -n setup"  # not made by `make setup` (conda): check, run nothing
        done = subprocess.run(["bash", "-c", command], cwd=scratch, env=env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{command!r} failed:\n{done.stdout}\n{done.stderr}"
    assert (scratch / "reports" / "kien-giang" / "2019.html").is_file()
    assert (scratch / "reports" / "kien-giang" / "profile.html").is_file()
    rows = (scratch / "sample_targets.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 6  # the six targets of the sample plan

    source = quickstart_block("python")
    program = (
        "import ast, sys\n"
        "source = sys.stdin.read()\n"
        "namespace = {}\n"
        "for node in ast.parse(source).body:\n"
        "    code = ast.get_source_segment(source, node)\n"
        "    try:\n"
        "        exec(compile(ast.Module([node], []), '<README>', 'exec'), namespace)\n"
        "    except Exception as exc:\n"
        "        raise SystemExit(f'line {node.lineno}: {code!r} failed: {exc!r}')\n"
        "print('ok', len(namespace['targets']), len(namespace['sample']))\n"
    )
    ast.parse(source)  # the block is valid Python
    done = subprocess.run([sys.executable, "-c", program], input=source, cwd=scratch, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("ok 144 ")
