"""The project's own files install what it needs, and stay in step with each other."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import tomllib

REPO = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    declared |= {_name(r) for r in project["optional-dependencies"]["test"]}
    import yaml

    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {_name(d) for d in conda + pip if not d.startswith("-e")} - {"python", "pip"}
    assert listed == declared, (
        f"only in environment.yml: {sorted(listed - declared)}; "
        f"only in pyproject.toml: {sorted(declared - listed)}"
    )
    assert pip[-1] == "-e .[test]", "environment.yml must end with the editable install"


def test_import_is_side_effect_free():
    """``import parstats`` loads no heavy library (its exports are lazy); speed is benchmarked."""
    code = (
        "import sys; import parstats; "
        "print([m for m in ('pandas', 'numpy', 'statsmodels', 'matplotlib') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy = out.stdout.strip()
    assert heavy == "[]", f"importing parstats pulled in {heavy}"


def test_cli_help_lists_the_commands():
    out = subprocess.run(
        [sys.executable, "-m", "parstats", "--help"], capture_output=True, text=True, check=True
    )
    assert "parstats" in out.stdout


def test_raw_plans_match_their_manifest():
    import csv
    import hashlib

    plans = REPO / "data" / "raw" / "plans"
    with open(plans / "manifest.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows, "manifest.csv lists no plan"
    listed = {r["file"] for r in rows}
    on_disk = {p.name for p in plans.glob("*.txt")}
    assert listed == on_disk
    for r in rows:
        digest = hashlib.sha256((plans / r["file"]).read_bytes()).hexdigest()
        assert digest == r["sha256"], r["file"]


def test_every_public_name_resolves_and_survives_submodule_imports():
    import importlib

    import parstats

    for name in parstats.__all__:
        assert getattr(parstats, name) is not None, name
    # Importing a submodule must not shadow a public function of the same name.
    for module in ("parstats.build", "parstats.evaluate", "parstats.extract"):
        importlib.import_module(module)
    assert callable(parstats.build_dataset) and callable(parstats.extract_targets)
