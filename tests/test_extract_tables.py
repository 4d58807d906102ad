"""The documents and targets tables of :mod:`parstats.extract`, built column by column.

``targets_table`` and ``documents_frame`` make each column once from the records'
values; these tests hold them to the slower ways they replace: ``with_keys`` on
``base_targets`` (itself checked against a pandas merge), ``plan_keys``, and
``pd.array`` for every column's dtype.
"""

from __future__ import annotations

import math
from dataclasses import fields, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("parstats.targets")

from parstats import ambition as amb  # noqa: E402
from parstats import schema  # noqa: E402
from parstats.extract import (  # noqa: E402
    ExtractOptions,
    add_plan_keys,
    base_targets,
    documents_frame,
    read_document,
    targets_table,
    with_keys,
)
from parstats.extraction.assemble import Target, column_array, targets_frame  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "data" / "raw" / "plans"


@pytest.fixture(scope="module")
def records():
    """The seed plans as extracted; the last one a copy of the first under another id.

    The copy shares the first plan's province, number and year, so the two plan ids
    collide and are made unique; Đắk Lắk's plan restates targets.
    """
    options = ExtractOptions()
    read = [read_document(p, options=options) for p in sorted(PLANS.glob("*.txt"))]
    twin = replace(read[0], doc=read[0].doc.split("_")[0] + "_ffffffff00000000")
    return [*read, twin]


def _schema_dtypes(name: str) -> list[str]:
    columns = getattr(schema, name).columns.values()
    return ["string" if str(c.dtype).startswith("string") else str(c.dtype) for c in columns]


def _merged_keys(targets: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """``with_keys`` as a pandas merge (its former implementation): the reference."""
    keys = documents.loc[:, ["doc", "plan_id", "province", "province_code", "period_start",
                             "period_end"]].astype({"doc": "string"})  # fmt: skip
    frame = targets.reset_index(drop=True).astype({"doc": "string"})
    frame = frame.merge(keys, on="doc", how="left", validate="m:1")
    restated = amb.restatements(frame)
    frame = frame.merge(restated, on=["doc", "target_no"], how="left", validate="1:1")
    return schema.conform(frame, schema.TARGETS_SCHEMA)


def test_targets_table_is_with_keys_on_base_targets(records):
    documents = documents_frame(records)
    table = targets_table(records, documents)
    assert [str(t) for t in table.dtypes] == _schema_dtypes("TARGETS_SCHEMA")
    pd.testing.assert_frame_equal(table, with_keys(base_targets(records), documents))
    pd.testing.assert_frame_equal(table, _merged_keys(base_targets(records), documents))
    restated = table.dropna(subset=["restates_target_no"])
    assert len(restated) > 0 and (restated["restates_target_no"] < restated["target_no"]).all()
    # every target carries its own document's keys
    by_doc = documents.set_index("doc")
    for column in ("plan_id", "province", "period_start"):
        expected = by_doc.loc[table["doc"], column].reset_index(drop=True)
        pd.testing.assert_series_equal(table[column], expected, check_names=False)


def test_with_keys_recomputes_keys_and_leaves_unknown_documents_blank(records):
    documents = documents_frame(records)
    table = targets_table(records, documents)
    # keys present are computed again: a stale plan id is replaced
    stale = table.assign(plan_id=pd.array(["old"] * len(table), dtype="string"))
    pd.testing.assert_frame_equal(with_keys(stale, documents), table)
    # a target whose document is not in the documents table gets missing keys, as a left join
    orphan = base_targets(records[:1])
    orphan["doc"] = pd.array(["nowhere"] * len(orphan), dtype="string")
    keyed = with_keys(orphan, documents)
    assert keyed[["plan_id", "province", "period_start"]].isna().all().all()
    pd.testing.assert_frame_equal(keyed, _merged_keys(orphan, documents))


def test_a_document_id_used_twice_is_refused(records):
    with pytest.raises(pd.errors.MergeError):
        documents_frame([records[0], records[0]])
    documents = documents_frame(records)
    doubled = pd.concat([documents, documents.iloc[:1]], ignore_index=True)
    with pytest.raises(pd.errors.MergeError):
        with_keys(base_targets(records), doubled)


def test_documents_frame_keys_are_those_of_plan_keys(records):
    documents = documents_frame(records)
    assert [str(t) for t in documents.dtypes] == _schema_dtypes("DOCUMENTS_SCHEMA")
    keys = amb.plan_keys(documents).set_index("doc")
    for column in ("plan_id", "doc_kind"):
        assert documents[column].tolist() == keys.loc[documents["doc"], column].tolist()
    # the twin's id collides with the first plan's: both get their hash part appended
    first, twin = documents["plan_id"].iloc[0], documents["plan_id"].iloc[-1]
    assert first != twin and first.rsplit("_", 1)[0] == twin.rsplit("_", 1)[0]
    assert twin.endswith("_ffffffff")
    # add_plan_keys gives the same table from the frame (keys dropped and made again)
    pd.testing.assert_frame_equal(add_plan_keys(documents.drop(columns=["plan_id"])), documents)


def test_targets_frame_has_the_dtypes_of_its_columns(records):
    targets = [t for r in records for t in r.targets]
    frame = targets_frame("d", targets)
    for name, dtype in frame.dtypes.items():
        if name not in ("doc", "target_no"):
            expected = pd.array([getattr(t, name) for t in targets], dtype=str(dtype))
            pd.testing.assert_extension_array_equal(frame[name].array, expected)
    assert frame["target_no"].tolist() == list(range(1, len(targets) + 1))


@pytest.mark.parametrize(
    ("values", "dtype"),
    [
        (["a", None, "Đắk Lắk", ""], "string"),
        ([None, None], "string"),
        ([], "string"),
        (["a", float("nan"), pd.NA], "string"),
        ([1, None, 3], "Int64"),
        ([1, 2, 2**40], "Int64"),
        ([np.int64(5), 6], "Int64"),
        ([1.0, 2.0, None], "Int64"),
        ([True, False], "Int64"),
        ([None, None], "Int64"),
        ([], "Int64"),
        ([0.5, None, -0.0, 1e300], "Float64"),
        ([1, 2.5], "Float64"),
        ([1, 2], "Float64"),
        ([float("nan"), 1.0], "Float64"),
        ([None], "Float64"),
        ([True, None, False], "boolean"),
    ],
)
def test_column_array_is_pd_array(values, dtype):
    pd.testing.assert_extension_array_equal(
        column_array(values, dtype), pd.array(values, dtype=dtype)
    )


@pytest.mark.parametrize(
    ("values", "dtype"),
    [([1.5, 2], "Int64"), (["a", 1], "Int64"), ([2**70], "Int64"), (["x", 2.5], "Float64")],
)
def test_column_array_refuses_what_pd_array_refuses(values, dtype):
    with pytest.raises(Exception) as expected:  # noqa: PT011 (any error, the same one)
        pd.array(values, dtype=dtype)
    with pytest.raises(expected.type):
        column_array(values, dtype)


def test_assembled_targets_are_whole_targets(records):
    """``assemble`` makes targets without ``Target.__init__``: each has every field, in order."""
    names = [f.name for f in fields(Target)]
    targets = [t for r in records for t in r.targets]
    assert targets
    for target in targets:
        assert list(vars(target)) == names
        assert target == Target(**vars(target)) and hash(target) == hash(Target(**vars(target)))
    with pytest.raises(AttributeError):
        targets[0].value = math.pi  # still frozen


def test_rules_head_lists_the_fields_in_rule_order():
    from parstats.extraction.assemble import _HEAD_FIELDS, RULE_FIELDS, _rules_head

    found = {name: f"{name}.rule" for name in reversed(RULE_FIELDS)}
    expected = ";".join(f"{name}={name}.rule" for name in RULE_FIELDS[:-2])
    assert _HEAD_FIELDS == RULE_FIELDS[:-2]
    assert _rules_head(found) == expected
    del found["year"]  # a field without a rule is left out
    assert _rules_head(found) == expected.replace(";year=year.rule", "")
