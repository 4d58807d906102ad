"""How sure the extractor is of a target (``confidence``): a logistic model over its rules.

Every target carries the probability that it is a true target of its document,
from the rules that made it: which words gave its comparator, direction, deadline
and tier, whether its document and section set goals, whether it sits in a table.
The model is fitted by ``scripts/fit_confidence.py`` on the annotated sets (seed
gold, the held-out sets but ``heldout3``, the real documents marked for tuning, and
the non-plan documents of the corpus sample's development half, whose every target
is false) and ships as package data (``parstats/data/confidence_model.json``): its
features, coefficients and the figures of its fit. Extraction only evaluates it,
so outputs stay deterministic and fast.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache

from parstats.extraction.doc import Number, PlanDoc, Sentence
from parstats.extraction.filters import COMMITMENT
from parstats.extraction.numbers import is_amount
from parstats.extraction.pipeline import component
from parstats.extraction.sections import goals_rule

__all__ = ["FEATURES", "Model", "features", "load_model", "probability", "confidence"]

FEATURES: tuple[str, ...] = (
    "unit_count",
    "unit_rank",
    "unit_rank_places",
    "amount",
    "table_cell",
    "comparator_word",
    "direction_verb",
    "kind_baseline",
    "kind_equivalent",
    "year_stated",
    "level_named",
    "indicator_named",
    "area_named_by_heading",
    "par_document",
    "goals_section",
    "commitment_word",
    "legal_article",
)
"""The model's features, in order: each 0 or 1 (see :func:`features`)."""

_STATED_YEAR = (
    "deadline.own_year",
    "deadline.before",
    "deadline.after",
    "deadline.year_lead",
    "deadline.period",
    "deadline.closing",
    "deadline.table_column",
    "deadline.heading",
    "deadline.cue",
)


@dataclass(frozen=True)
class Model:
    """A fitted logistic model: ``p = 1 / (1 + exp(-(intercept + sum(coef * x))))``."""

    features: tuple[str, ...]
    intercept: float
    coefficients: tuple[float, ...]


@cache
def load_model() -> Model:
    """Return the model shipped as package data (``parstats/data/confidence_model.json``)."""
    from parstats.paths import package_data

    with package_data("confidence_model.json").open(encoding="utf-8") as handle:
        data = json.load(handle)
    names = tuple(data["features"])
    if names != FEATURES:
        raise ValueError(
            f"confidence_model.json was fitted on features {names}, the extractor has "
            f"{FEATURES}: run scripts/fit_confidence.py"
        )
    return Model(names, float(data["intercept"]), tuple(float(c) for c in data["coefficients"]))


def _in_article(doc: PlanDoc, node: int) -> bool:
    """Whether ``node`` sits under an article of a legal text ("Điều 5.")."""
    cache_ = doc.extra.setdefault("articles", {})
    found = cache_.get(node)
    if found is None:
        outline = doc.outline
        found = False
        k = node
        while k > 0:
            if outline.node(k).kind == "article" and outline.markers[k].startswith("Điều"):
                found = True
                break
            k = outline.parents[k]
        cache_[node] = found
    return found


def _sentence_features(
    doc: PlanDoc, sentence: Sentence, par: int | None = None
) -> tuple[int, int, int, int]:
    """Return the features a sentence's numbers share.

    Whether the document is laid out by PAR areas (``par``, its document's, computed here
    when ``None``), goals section, commitment word, article.
    """
    if par is None:
        from parstats.extraction.area import is_par_document

        par = int(is_par_document(doc)[0])
    goals = doc.extra.setdefault("goals", {})
    return (
        par,
        int(goals_rule(doc.outline, sentence.node, goals) is not None),
        int(COMMITMENT.search(sentence.low) is not None),
        int(_in_article(doc, sentence.node)),
    )


def features(
    doc: PlanDoc, number: Number, shared: tuple[int, int, int, int] | None = None
) -> tuple[int, ...]:
    """Return the features of a kept number, in :data:`FEATURES` order.

    ``shared`` is what its sentence gives every number of it (:func:`_sentence_features`),
    computed here when ``None``.
    """
    c = number.cand
    found = number.rules
    source = number.parent if number.attached and number.parent is not None else number
    if shared is None:
        shared = _sentence_features(doc, number.sentence)
    kind = number.target_kind
    return (
        int(c.unit == "count"),
        int(c.unit == "rank"),
        int(c.unit == "rank_places"),
        int(is_amount(c)),
        int(number.cell is not None),
        int(found.get("comparator", "comparator.default") != "comparator.default"),
        int(found.get("direction", "direction.default") != "direction.default"),
        int(kind == "baseline"),
        int(kind == "equivalent"),
        int(found.get("year", "").startswith(_STATED_YEAR)),
        int(found.get("level", "level.default") != "level.default"),
        int(source.codes[0] is not None),
        int(source.area_source == "heading" and source.area != "overall"),
        *shared,
    )


def probability(model: Model, x: tuple[int, ...]) -> float:
    """Return the model's probability for features ``x``, rounded to three decimals."""
    z = model.intercept + sum(b for b, v in zip(model.coefficients, x, strict=True) if v)
    return round(1.0 / (1.0 + math.exp(-z)), 3)


@component(
    "confidence",
    requires=("number.target_kind", "number.year", "number.level", "number.codes",
              "number.area", "sentence.node", "outline"),
    assigns=("number.confidence",),
)
def confidence(doc: PlanDoc) -> None:
    """Give every kept number the probability that it is a true target."""
    from parstats.extraction.area import is_par_document

    model = load_model()
    par = None  # whether the document is laid out by PAR areas: once, for all its numbers
    known: dict[tuple[int, ...], float] = {}  # the same features give the same probability
    for sentence in doc.sentences:
        shared = None
        for number in sentence.numbers:
            if number.rejected is None:
                if shared is None:
                    if par is None:
                        par = int(is_par_document(doc)[0])
                    shared = _sentence_features(doc, sentence, par)
                x = features(doc, number, shared)
                p = known.get(x)
                if p is None:
                    p = known[x] = probability(model, x)
                number.confidence = p
