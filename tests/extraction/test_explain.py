"""Provenance: every target records the rules behind its fields; ``parstats explain`` shows them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from parstats import rules
from parstats.cli import main
from parstats.extraction import extract_document, extract_targets
from parstats.extraction.assemble import RULE_FIELDS
from parstats.extraction.explain import CODE_RULES, explain
from parstats.metadata import DocumentMeta

META = DocumentMeta(issued="2021-12-10", period_start=2021, period_end=2025)

PLAN = """KẾ HOẠCH Cải cách hành chính năm 2023

II. NHIỆM VỤ
1. Cải cách thủ tục hành chính
- Đến năm 2025, tối thiểu 80% hồ sơ giải quyết TTHC tại cấp xã được luân chuyển bằng \
phương thức điện tử (hiện nay đạt 45%).
- Năm 2021 đã đạt 92% hồ sơ giải quyết đúng hạn theo Nghị định số 61/2018/NĐ-CP.
- Giảm tối thiểu 2,5% số lượng đơn vị sự nghiệp công lập (tương ứng 15 đơn vị).
"""


def _rules(target) -> dict[str, str]:
    return dict(part.split("=", 1) for part in target.rules.split(";"))


def test_every_target_records_the_rule_behind_each_field() -> None:
    targets = extract_targets(PLAN, meta=META)
    assert [t.value for t in targets] == [80, 45, 2.5, 15]
    first, baseline, cut, equivalent = (_rules(t) for t in targets)
    assert list(first) == list(RULE_FIELDS)
    assert first["comparator"] == "comparator.ge.toi_thieu"
    assert first["year"] == "deadline.before.den"
    assert first["level"] == "level.own_words>level.commune.cap_xa"
    assert first["area"] == "section.procedures.thu_tuc_hanh_chinh"
    assert first["indicator"] == (
        "indicator.own_words>indicator.internal_procedure_files_electronic_share"
    )
    assert baseline["kind"] == "kind.baseline.hien_nay"
    assert baseline["year"] == "deadline.baseline_issued"
    assert cut["direction"] == "direction.decrease.giam"
    assert equivalent["kind"] == "kind.equivalent.tuong_ung"
    assert equivalent["comparator"] == "list.parent>comparator.ge.toi_thieu"


def _known(rule_id: str, row_ids: set[str]) -> bool:
    return rule_id in row_ids or rule_id in CODE_RULES


def test_every_rule_id_of_the_seed_and_held_out_targets_is_a_row_or_a_described_resolver(
    repo: Path,
) -> None:
    from parstats.text import read_text

    row_ids = {r.id for t in rules.all_tables() for r in t.rows}
    files = sorted((repo / "data" / "raw" / "plans").glob("*.txt"))
    files += sorted((repo / "tests" / "heldout").glob("plans/*.txt"))
    seen = set()
    for path in files:
        doc = extract_document(read_text(path))
        for target in doc.targets:
            for value in _rules(target).values():
                seen.update(value.split(">"))
        seen.update(n.rejected for n in doc.rejected)
    unknown = sorted(r for r in seen if not _known(r, row_ids))
    assert not unknown
    assert len(seen) > 40  # the seeds exercise many rules


def test_explain_gives_fields_rules_and_reasons() -> None:
    doc = extract_document(PLAN, meta=META)
    found = explain(doc)
    statuses = [(e.text, e.status) for e in found]
    assert ("80%", "target") in statuses and ("92%", "dropped") in statuses
    dropped = next(e for e in found if e.text == "92%")
    assert dropped.reason.startswith("not_target.past.da:")
    no_unit = {e.text for e in found if e.status == "no unit"}
    assert {"61", "2018"} <= no_unit
    target = next(e for e in found if e.text == "80%")
    fields = {f.field: f for f in target.targets[0]}
    assert fields["comparator"].value == "ge"
    assert '"tối thiểu"' in fields["comparator"].says
    # --at keeps one sentence.
    at = PLAN.index("15 đơn vị")
    only = explain(doc, at=at)
    assert {e.text for e in only} == {"2,5%", "15 đơn vị"}


def test_parstats_explain_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    assert main(["explain", str(plan)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"'80%': target \(1 row\)", out)
    assert "comparator.ge.toi_thieu" in out and '"tối thiểu" (Fields: comparator)' in out
    assert "'92%': dropped: not_target.past.da" in out
    at = PLAN.index("92%")
    assert main(["explain", str(plan), "--at", str(at), "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    (dropped,) = [r for r in records if r["status"] != "no unit"]
    assert dropped["text"] == "92%" and dropped["reason"].startswith("not_target.past.da:")
    assert main(["explain", str(plan), "--at", "999999"]) == 2
    assert "--at must be an offset" in capsys.readouterr().err
