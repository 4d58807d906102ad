"""The extraction pipeline: named components over a :class:`~parstats.extraction.doc.PlanDoc`.

Each component is one function ``doc -> None`` with a ``name``, the layers it
``requires`` and the layers it ``assigns`` (``"view"``, ``"sentences"``,
``"number.year"`` ...). :data:`parstats.extraction.PIPELINE` is a plain ordered
tuple of them; :func:`run` applies them in order and :func:`analyze` checks that
every layer a component requires is assigned by an earlier one (or given: the
text and metadata), as spaCy's ``analyze_pipes`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from parstats.extraction.doc import PlanDoc
from parstats.extraction.guard import check

__all__ = ["Component", "component", "run", "analyze", "GIVEN"]

GIVEN: tuple[str, ...] = ("text", "meta")
"""The layers a document has before any component runs."""


@dataclass(frozen=True)
class Component:
    """One step of the pipeline.

    Attributes
    ----------
    name
        What it does, as a short name (``"deadline"``).
    requires, assigns
        The layers it reads and the layers it writes.
    func
        The step itself: ``func(doc)`` fills in the layers it assigns.
    """

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    func: Callable[[PlanDoc], None]

    def __call__(self, doc: PlanDoc) -> None:
        """Run the component on ``doc``."""
        self.func(doc)


def component(
    name: str, *, requires: Iterable[str], assigns: Iterable[str]
) -> Callable[[Callable[[PlanDoc], None]], Component]:
    """Declare a function ``doc -> None`` as a pipeline component."""

    def wrap(func: Callable[[PlanDoc], None]) -> Component:
        return Component(name, tuple(requires), tuple(assigns), func)

    return wrap


def run(doc: PlanDoc, pipeline: Sequence[Component]) -> PlanDoc:
    """Apply the components in order to ``doc``; return it.

    Between components, the document's budget is checked (:mod:`parstats.extraction.guard`).
    """
    for step in pipeline:
        step.func(doc)
        if doc.clock is not None:
            check(doc.clock, where=f" after {step.name}")
    return doc


def analyze(pipeline: Sequence[Component], given: Iterable[str] = GIVEN) -> list[str]:
    """Return the problems of a pipeline: a layer required before any component assigns it.

    An empty list means every component finds what it needs.
    """
    assigned = set(given)
    problems: list[str] = []
    names: set[str] = set()
    for step in pipeline:
        if step.name in names:
            problems.append(f"component {step.name!r} appears twice")
        names.add(step.name)
        for layer in step.requires:
            if layer not in assigned:
                problems.append(
                    f"{step.name!r} requires {layer!r}, which no earlier component assigns"
                )
        assigned.update(step.assigns)
    return problems
