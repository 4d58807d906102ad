"""``parstats build``: determinism, atomicity, manifest checks, schemas and the data package."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest

pytest.importorskip("parstats.targets")

import importlib  # noqa: E402

from parstats import __version__  # noqa: E402
from parstats.build import build, load_documents, load_targets  # noqa: E402

build_module = importlib.import_module("parstats.build")
from parstats.cli import main  # noqa: E402
from parstats.errors import InputError, SchemaError  # noqa: E402
from parstats.schema import TableSpec, datapackage, table_schema, validate  # noqa: E402

OUTPUTS = (
    "documents.parquet",
    "documents.csv",
    "targets.parquet",
    "targets.csv",
    "datapackage.json",
)


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _processed(home: Path) -> Path:
    return home / "data" / "processed"


def _writable(path: Path) -> Path:
    path.chmod(0o644)
    return path


def test_build_writes_every_table_and_the_package(project_home):
    result = build()
    out = _processed(project_home)
    from parstats.build import TABLES

    expected = {f"{t.name}.{ext}" for t in TABLES for ext in ("parquet", "csv")}
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} == expected | {
        "datapackage.json"
    }
    assert set(OUTPUTS) <= expected | {"datapackage.json"}
    rows = {t.name: t.rows for t in result.tables}
    assert rows["documents"] == 5
    assert rows["targets"] == len(load_targets()) > 0
    docs = load_documents()
    assert docs["n_targets"].sum() == rows["targets"]
    assert docs.loc[docs["doc"] == "003_cfd631ae85fcb6d5", "metadata_sources"].item() == (
        "issuer,title"
    )
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == __version__
    assert "created" not in json.dumps(package)
    sources = {s["path"]: s["hash"] for s in package["sources"]}
    plan = project_home / "data" / "raw" / "plans" / "000_64bc7c3f5e06c144.txt"
    assert sources["data/raw/plans/000_64bc7c3f5e06c144.txt"] == (
        "sha256:" + hashlib.sha256(plan.read_bytes()).hexdigest()
    )
    resources = {r["name"]: r for r in package["resources"]}
    targets = resources["targets"]
    assert [f["name"] for f in targets["schema"]["fields"]] == list(load_targets().columns)
    assert targets["schema"]["primaryKey"] == ["doc", "target_no"]
    csv_hash = hashlib.sha256((out / "targets.csv").read_bytes()).hexdigest()
    assert targets["hash"] == f"sha256:{csv_hash}"


def test_build_twice_is_byte_identical_whatever_the_workers(project_home):
    build()
    first = _snapshot(_processed(project_home))
    build(workers=2)
    assert _snapshot(_processed(project_home)) == first


def test_loaded_tables_keep_the_schema_dtypes(project_home):
    result = build()
    targets = load_targets()
    assert len(targets) == result.tables[1].rows
    assert str(targets["year"].dtype) == "Int64"
    assert str(targets["value"].dtype) == "Float64"
    assert str(targets["unit"].dtype) == "string"


def test_crash_mid_write_keeps_the_previous_build(project_home, monkeypatch):
    build()
    before = _snapshot(_processed(project_home))
    import parstats.io

    real = parstats.io.write_frame
    calls = []

    def crash_on_third(frame, path):
        calls.append(path)
        if len(calls) == 3:
            raise OSError("disk full (simulated)")
        return real(frame, path)

    monkeypatch.setattr(parstats.io, "write_frame", crash_on_third)
    with pytest.raises(OSError, match="simulated"):
        build()
    assert _snapshot(_processed(project_home)) == before
    assert not [p for p in _processed(project_home).iterdir() if p.name.startswith(".")]


def test_changed_plan_stops_the_build_and_keeps_outputs(project_home):
    build()
    before = _snapshot(_processed(project_home))
    plan = _writable(project_home / "data" / "raw" / "plans" / "001_4f1b279c0569f61c.txt")
    plan.write_text(plan.read_text(encoding="utf-8") + "\nThêm 90% mới.\n", encoding="utf-8")
    with pytest.raises(InputError, match="sha256 is .* but manifest.csv") as info:
        build()
    assert "001_4f1b279c0569f61c.txt" in str(info.value)
    assert _snapshot(_processed(project_home)) == before


def test_unlisted_plan_is_an_error(project_home):
    (project_home / "data" / "raw" / "plans" / "005_new.txt").write_text("KẾ HOẠCH\n")
    with pytest.raises(InputError, match=r"not listed in manifest.csv: \['005_new.txt'\]"):
        build()


def test_failing_document_writes_nothing(project_home):
    build()
    before = _snapshot(_processed(project_home))
    plans = project_home / "data" / "raw" / "plans"
    (plans / "005_empty.txt").write_bytes(b"")
    manifest = _writable(plans / "manifest.csv")
    with open(manifest, "a", encoding="utf-8") as fh:
        fh.write(f"005_empty.txt,{hashlib.sha256(b'').hexdigest()},0,test,,,,,,,,\n")
    with pytest.raises(InputError, match="005_empty.txt: empty file"):
        build()
    assert _snapshot(_processed(project_home)) == before


def test_load_before_build_says_what_to_do(project_home):
    with pytest.raises(InputError, match="run `parstats build`"):
        load_targets()


def test_cli_build_prints_what_it_wrote(project_home, capsys):
    assert main(["build"]) == 0
    out = capsys.readouterr().out
    assert "documents" in out and "targets" in out and "datapackage.json" in out


SIZES_SCHEMA = pa.DataFrameSchema(
    {
        "doc": pa.Column("string", unique=True, description="Document id"),
        "bytes": pa.Column("Int64", pa.Check.ge(1), description="File size"),
    },
    name="doc_sizes",
)


def test_another_table_plugs_into_the_package(project_home, monkeypatch):
    extra = TableSpec(
        "doc_sizes",
        SIZES_SCHEMA,
        lambda ctx: ctx.tables["documents"][["doc", "bytes"]].reset_index(drop=True),
    )
    monkeypatch.setattr(build_module, "TABLES", [*build_module.TABLES, extra])
    build()
    out = _processed(project_home)
    assert (out / "doc_sizes.parquet").is_file() and (out / "doc_sizes.csv").is_file()
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    sizes = next(r for r in package["resources"] if r["name"] == "doc_sizes")
    assert sizes["rows"] == 5
    assert sizes["schema"]["primaryKey"] == ["doc"]


# --------------------------------------------------------------------------- schema module


def test_validate_names_table_column_and_rows():
    from parstats.schema import TARGETS_SCHEMA

    good = {
        "doc": "d", "target_no": 1, "start": 0, "end": 3, "quote": "80%", "sentence": "80%",
        "value": 80.0, "value_high": None, "unit": "percent", "comparator": "ge",
        "direction": "attain", "year": 2025, "level": "all", "area": "overall",
        "kind": "target", "indicator": None, "heading": None, "rules": None,
        "area_source": None, "confidence": None, "page": None, "line": 1, "plan_id": "p",
        "province": None, "province_code": None, "period_start": None, "period_end": None,
        "restates_target_no": None, "origin": "extracted", "correction": None,
    }
    bad = dict(good, start=10, unit="percentage")
    frame = pd.DataFrame([good, bad])
    from parstats.extract import conform

    with pytest.raises(SchemaError) as info:
        validate(conform(frame, "TARGETS_SCHEMA"), TARGETS_SCHEMA, "targets")
    message = str(info.value)
    assert "table 'targets'" in message and "column 'unit'" in message
    assert "rows [1]" in message and "percentage" in message


def test_table_schema_carries_types_enums_and_minimums():
    from parstats.schema import TARGETS_SCHEMA
    from parstats.vocab import UNITS

    fields = {f["name"]: f for f in table_schema(TARGETS_SCHEMA)["fields"]}
    assert fields["unit"]["constraints"]["enum"] == list(UNITS)
    assert fields["target_no"]["type"] == "integer"
    assert fields["target_no"]["constraints"]["minimum"] == 1
    assert fields["value"]["type"] == "number"
    assert fields["value_high"]["constraints"]["required"] is False
    assert all(f["description"] for f in fields.values())


def test_datapackage_has_no_time_of_build():
    a = datapackage([], version="1", extra={"x": 1})
    b = datapackage([], version="1", extra={"x": 1})
    assert a == b
    assert not {"created", "updated", "timestamp"} & set(a)


def test_leftovers_of_a_killed_build_are_cleared(project_home):
    stale = _processed(project_home) / ".build-killed"
    stale.mkdir()
    (stale / "targets.csv").write_text("half\n")
    build()
    assert not stale.exists()
