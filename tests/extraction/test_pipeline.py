"""The extraction pipeline: its components find the layers they need, in order."""

from __future__ import annotations

import pytest

from parstats.extraction import PIPELINE, extract_document
from parstats.extraction.pipeline import Component, analyze
from parstats.metadata import DocumentMeta

META = DocumentMeta(issued="2021-12-10", period_start=2021, period_end=2025)


def test_every_layer_a_component_requires_is_assigned_before_it() -> None:
    assert analyze(PIPELINE) == []


def test_analyze_finds_a_component_out_of_order() -> None:
    swapped = list(PIPELINE)
    i = next(k for k, c in enumerate(swapped) if c.name == "deadline")
    j = next(k for k, c in enumerate(swapped) if c.name == "level")
    swapped[i], swapped[j] = swapped[j], swapped[i]
    problems = analyze(swapped)
    assert any("'level' requires 'number.parent'" in p for p in problems), problems
    extra = Component("x", requires=("nowhere",), assigns=(), func=lambda doc: None)
    assert analyze([*PIPELINE, extra]) == [
        "'x' requires 'nowhere', which no earlier component assigns"
    ]


def test_the_document_keeps_every_layer() -> None:
    doc = extract_document(
        "Năm 2023 đã đạt 92% hồ sơ giải quyết đúng hạn. Đến năm 2025, tối thiểu 80% hồ sơ "
        "giải quyết TTHC được luân chuyển bằng phương thức điện tử; khảo sát với độ tin cậy "
        "95%.",
        meta=META,
    )
    assert [t.value for t in doc.targets] == [80.0]
    reasons = {n.cand.value: n.rejected for n in doc.rejected}
    assert reasons == {92.0: "not_target.past.da", 95.0: "not_target.survey.do_tin_cay"}
    (number,) = [n for s in doc.sentences for n in s.numbers if n.rejected is None]
    assert number.rules["year"] == "deadline.before.den"
    assert number.year == 2025 and number.targets == doc.targets


@pytest.mark.parametrize("step", PIPELINE, ids=[c.name for c in PIPELINE])
def test_every_component_declares_what_it_does(step: Component) -> None:
    assert step.name and step.assigns and step.func.__doc__
