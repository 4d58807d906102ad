"""The extractor's result: :class:`Target` records, and the targets table.

The ``assemble`` component turns every number kept as a target into one
:class:`Target` per indicator it names; an equivalent or baseline stated next to a
target becomes a copy of that target with its own value, kind and year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from parstats.extraction.doc import PlanDoc
from parstats.extraction.pipeline import component
from parstats.extraction.strings import collapse

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["FIELD_COLUMNS", "TARGET_COLUMNS", "RULE_FIELDS", "Target", "targets_frame", "assemble"]

FIELD_COLUMNS: tuple[str, ...] = (
    "value",
    "value_high",
    "unit",
    "comparator",
    "direction",
    "year",
    "level",
    "area",
    "kind",
    "indicator",
)
"""The fields of a target (``docs/TARGETS.md``): what gold sets score and reviewers set."""

TARGET_COLUMNS: tuple[str, ...] = (
    "doc",
    "target_no",
    "start",
    "end",
    "quote",
    "sentence",
    *FIELD_COLUMNS,
    "heading",
    "rules",
    "area_source",
    "unit_label",
    "confidence",
)


# ``assemble`` makes targets without ``__init__`` (:func:`_target`): a ``__post_init__``
# would not run there.
@dataclass(frozen=True)
class Target:
    """One target: a number the plan commits to, and what the text says about it.

    Attributes
    ----------
    value, value_high
        The number (``.`` decimal) and, for a range, its upper end.
    unit
        ``percent``, ``count``, ``rank`` or ``rank_places``.
    comparator
        ``ge``, ``gt``, ``eq``, ``le``, ``lt`` or ``range``.
    direction
        ``increase``, ``decrease`` or ``attain``.
    year
        Deadline year (for a baseline: the year it describes), or ``None``.
    level
        Tier of government (``vocab.LEVELS``).
    area
        Reform area (``vocab.AREAS``): the heading's, or in a document not laid out by
        PAR areas, the one its own words belong to (``area_source``).
    kind
        ``target``, ``baseline`` or ``equivalent``.
    indicator
        Indicator code of the catalogue, or ``None`` when no rule names one.
    start, end
        Span of the number expression in the NFC text (``text[start:end]``).
    sentence
        The sentence, whitespace collapsed.
    quote
        A short excerpt starting at the number, whitespace collapsed.
    heading
        The heading path, ``" > "`` joined.
    rules
        The ids of the rules behind each field, ``field=rule`` joined by ``;``
        (``unit=unit.percent.sign;...;year=deadline.before.den;...``); a rule read
        through another is written ``how>rule`` (``level=level.own_words>level.commune.cap_xa``).
        ``parstats explain`` shows them.
    area_source
        What decided ``area``: ``heading`` (a heading names it, or the document is laid
        out by PAR areas and none does: ``overall``), ``indicator`` (the indicator's
        area in the catalogue) or ``cue`` (the target's own words, ``area_cues.csv``).
    unit_label
        For a count, its unit or noun as printed ("tấn", "triệu USD", "doanh nghiệp",
        a unit column's "Ha"); ``None`` otherwise.
    confidence
        The probability that it is a true target of its document (0-1), from a
        logistic model over its rules (:mod:`parstats.extraction.confidence`).
    """

    value: float
    value_high: float | None
    unit: str
    comparator: str
    direction: str
    year: int | None
    level: str
    area: str
    kind: str
    indicator: str | None
    start: int
    end: int
    sentence: str
    quote: str
    heading: str
    rules: str = ""
    area_source: str = "heading"
    unit_label: str | None = None
    confidence: float | None = None


# The order of the fields in a target's ``rules``.
RULE_FIELDS: tuple[str, ...] = (
    "unit", "comparator", "direction", "kind", "year", "level", "area", "indicator"
)


_HEAD_FIELDS = RULE_FIELDS[:-2]  # the fields before area and indicator


def _rules_text(found: dict[str, str], area_rule: str, indicator_rule: str) -> str:
    """Return the ``rules`` cell of a target: ``field=rule`` for each field, in order."""
    return f"{_rules_head(found)};area={area_rule};indicator={indicator_rule}"


def _unit_label(number) -> str | None:
    """Return a count's unit as printed: its unit word, or its table's unit cell."""
    c = number.cand
    if c.unit != "count":
        return None
    if c.word is None:
        return number.cell.unit_label if number.cell is not None else None
    written = number.sentence.text[c.start : c.end]
    return " ".join(written[len(written) - len(c.word) :].split())


def _rules_head(found: dict[str, str]) -> str:
    """Return ``field=rule`` for each of :data:`_HEAD_FIELDS` that ``found`` names, in order."""
    try:
        # Every number has a rule for each of these: one f-string is several times
        # faster than a loop over the names (a test holds it to _HEAD_FIELDS).
        return (
            f"unit={found['unit']};comparator={found['comparator']};"
            f"direction={found['direction']};kind={found['kind']};year={found['year']};"
            f"level={found['level']}"
        )
    except KeyError:
        return ";".join([f"{name}={found[name]}" for name in _HEAD_FIELDS if name in found])


_new = object.__new__


def _target(fields: dict[str, object]) -> Target:
    """Return the :class:`Target` with ``fields`` (every field, in order).

    The same object as ``Target(**fields)``, made without ``Target.__init__``: a frozen
    dataclass's ``__init__`` sets its 19 fields one by one through
    ``object.__setattr__``, which costs several times more than filling the
    instance's dict at once (one target is made per number of every plan).
    """
    target = _new(Target)
    target.__dict__.update(fields)
    return target


@component(
    "assemble",
    requires=("number.target_kind", "number.target_comparator", "number.target_direction",
              "number.year", "number.level", "number.codes", "number.area", "number.parent",
              "number.confidence", "view", "outline"),
    assigns=("targets",),
)
def assemble(doc: PlanDoc) -> None:
    """Make the targets of every kept number, in document order."""
    view = doc.view
    out = doc.targets
    for sentence in doc.sentences:
        numbers = sentence.numbers
        if not numbers:
            continue
        original = sentence.text
        offset = sentence.offset
        sentence_text = sentence.collapsed = collapse(original)
        heading = doc.headings[sentence.node]
        for number in numbers:
            if number.rejected is not None:
                continue
            c = number.cand
            start, end = view.span_to_source(offset + c.start, offset + c.end)
            quote = collapse(original[c.start : c.end + 60])
            if number.attached:
                parent = number.parent.targets[-1]
                found = dict(number.parent.rules)
                found.update(number.rules)
                if c.unit == "rank_places":
                    found["unit"] = "unit.parent"
                target = _target(
                    {
                        **vars(parent),
                        "value": c.value,
                        "value_high": c.value_high,
                        "unit": c.unit if c.unit != "rank_places" else parent.unit,
                        "unit_label": (
                            _unit_label(number) if c.unit == "count" else parent.unit_label
                        ),
                        "confidence": number.confidence,
                        "comparator": number.target_comparator,
                        "direction": number.target_direction,
                        "year": number.year,
                        "kind": number.target_kind,
                        "start": start,
                        "end": end,
                        "quote": quote,
                        "rules": _rules_text(found, found["area"], number.parent.code_rules[-1]),
                    }
                )
                number.targets = [target]
                out.append(target)
                continue
            codes, code_rules = number.codes, number.code_rules
            if not codes:
                number.targets = []
                continue
            head = f"{_rules_head(number.rules)};area={number.rules['area']};indicator="
            fields = {
                "value": c.value,
                "value_high": c.value_high,
                "unit": c.unit,
                "comparator": number.target_comparator,
                "direction": number.target_direction,
                "year": number.year,
                "level": number.level,
                "area": number.area,
                "kind": number.target_kind,
                "indicator": codes[0],
                "start": start,
                "end": end,
                "sentence": sentence_text,
                "quote": quote,
                "heading": heading,
                "rules": head + code_rules[0],
                "area_source": number.area_source,
                "unit_label": _unit_label(number),
                "confidence": number.confidence,
            }
            made = [_target(fields)]
            for code, code_rule in zip(codes[1:], code_rules[1:], strict=True):
                fields["indicator"] = code
                fields["rules"] = head + code_rule
                made.append(_target(fields))
            number.targets = made
            out.extend(made)


# The columns that are fields of :class:`Target`.
_TARGET_FIELDS = tuple(c for c in TARGET_COLUMNS if c not in ("doc", "target_no"))

TARGET_DTYPES: dict[str, str] = {
    "doc": "string",
    "target_no": "Int64",
    "start": "Int64",
    "end": "Int64",
    "quote": "string",
    "sentence": "string",
    "value": "Float64",
    "value_high": "Float64",
    "unit": "string",
    "comparator": "string",
    "direction": "string",
    "year": "Int64",
    "level": "string",
    "area": "string",
    "kind": "string",
    "indicator": "string",
    "heading": "string",
    "rules": "string",
    "area_source": "string",
    "unit_label": "string",
    "confidence": "Float64",
}
"""The pandas dtype of each of :data:`TARGET_COLUMNS`."""


def field_lists(targets: Sequence[Target], fields: Sequence[str]) -> list[list[object]]:
    """Return the values of ``fields`` of every target: one list per field, in order."""
    # One C-level pass per field (map with attrgetter) instead of a Python getattr per cell.
    return [list(map(attrgetter(name), targets)) for name in fields]


def column_array(values: Sequence[object], dtype: str) -> pd.api.extensions.ExtensionArray:
    """Return ``pd.array(values, dtype=dtype)``, built faster for plain values.

    ``values`` are Python scalars, ``None`` for missing. Strings, integers and floats
    are converted by pyarrow in C (``pd.array`` checks every cell in Python first);
    anything else (other dtypes, mixed or unexpected values) goes through ``pd.array``
    itself, so the result and its errors are always those of ``pd.array``.
    """
    import pandas as pd
    import pyarrow as pa

    try:
        if dtype == "string":
            strings = pa.array(values, type=pa.large_string(), from_pandas=True)
            return pd.arrays.ArrowStringArray(strings)
        if dtype in ("Int64", "Float64"):
            numbers = pa.array(values, from_pandas=True)
            wanted = pa.int64() if dtype == "Int64" else pa.float64()
            if numbers.type == pa.null():  # every value missing
                numbers = pa.nulls(len(numbers), type=wanted)
            if numbers.type == wanted:
                data = numbers.fill_null(0).to_numpy()
                mask = numbers.is_null().to_numpy(zero_copy_only=False)
                made = pd.arrays.IntegerArray if dtype == "Int64" else pd.arrays.FloatingArray
                return made(data, mask)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass  # pd.array converts (or refuses) them as it always did
    return pd.array(values, dtype=dtype)


def targets_frame(doc: str, targets: Sequence[Target]) -> pd.DataFrame:
    """Return targets as a table with the columns of ``ARCHITECTURE.md`` (``TARGET_COLUMNS``).

    Parameters
    ----------
    doc
        The document's file stem.
    targets
        Targets of that document, in document order.
    """
    import pandas as pd

    # Built column by column, each column once with its dtype: a table of tens of
    # thousands of targets is made far faster from lists than from one dict per row.
    n = len(targets)
    columns: dict[str, list[object]] = {
        "doc": [doc] * n,
        "target_no": list(range(1, n + 1)),
    }
    columns.update(zip(_TARGET_FIELDS, field_lists(targets, _TARGET_FIELDS), strict=True))
    return pd.DataFrame(
        {name: column_array(columns[name], TARGET_DTYPES[name]) for name in TARGET_COLUMNS},
        copy=False,
    )
