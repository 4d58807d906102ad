"""The document the extraction components work on, and its span layers.

A :class:`PlanDoc` holds one plan's text and everything the components of
:data:`parstats.extraction.PIPELINE` find in it: the parse view, the metadata,
the heading tree, the tables, and the layers of spans — the sentences worth
reading, the numbers in them, the numbers dropped (with the rule that dropped
each) and the targets. It also owns the per-document caches (heading paths,
report sections, the levels headings address) that every sentence shares.

Spans are kept as small mutable records with ``__slots__``: a plan holds
thousands of numbers, and each component fills in the fields it assigns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from parstats.extraction.assemble import Target
    from parstats.extraction.metadata import DocumentMeta
    from parstats.extraction.outline import Outline
    from parstats.extraction.tables import Cell, Tables
    from parstats.extraction.view import ParseView

__all__ = ["PlanDoc", "Sentence", "Number", "Candidate"]


class Candidate(NamedTuple):
    """A number expression found in a sentence (positions relative to the sentence).

    (Named tuples, not dataclasses: thousands are made per plan, and a tuple is
    several times cheaper to create than a frozen dataclass.)
    """

    start: int
    end: int
    value: float
    value_high: float | None
    unit: str
    rank_word: str | None
    word: str | None = None  # the unit word as written ("%", "bậc", "đơn vị")


class Sentence:
    """One sentence of the parse view that may hold targets.

    Attributes
    ----------
    offset
        Its start in the parse view.
    text, low
        The sentence as written and lower-cased (same length: offsets agree).
    in_table
        Whether it is a table row (each number then reads its own cell).
    numbers
        Its numbers still in play, in order (:class:`Number`).
    node
        The heading-tree node it sits under (set by the ``sections`` component).
    """

    __slots__ = ("offset", "text", "low", "in_table", "numbers", "node", "collapsed")

    def __init__(self, offset: int, text: str, low: str, in_table: bool) -> None:
        self.offset = offset
        self.text = text
        self.low = low
        self.in_table = in_table
        self.numbers: list[Number] = []
        self.node = 0
        self.collapsed: str | None = None


class Number:
    """One number expression of a sentence and the fields the components give it.

    The ``cues`` component reads what the words around it say (``comparator``,
    ``direction``, ``kind``, ``backward``, ``own_year``); the resolvers that
    follow set the target's fields (``target_kind``, ``target_comparator``,
    ``target_direction``, ``year``, ``level``, ``codes``) and the rule behind each in
    ``rules`` (field -> rule id). An equivalent or baseline stated next to a target
    is ``attached`` to it (``parent``) and takes its fields. A number dropped as not
    a target gets ``rejected`` (the id of the rule that dropped it).
    """

    __slots__ = (
        "sentence",
        "cand",
        "index",
        "comparator",
        "direction",
        "kind",
        "backward",
        "own_year",
        "pair",
        "cell",
        "scopes",
        "target_kind",
        "target_comparator",
        "target_direction",
        "year",
        "level",
        "codes",
        "code_rules",
        "parent",
        "attached",
        "rejected",
        "rules",
        "targets",
    )

    def __init__(self, sentence: Sentence, cand: Candidate) -> None:
        self.sentence = sentence
        self.cand = cand
        self.index = 0  # its place among the sentence's numbers still in play
        self.comparator: str | None = None
        self.direction: str | None = None
        self.kind = "target"
        self.backward = False
        self.own_year: int | None = None
        self.pair: Number | None = None  # the target a listed equivalent restates
        self.cell: Cell | None = None
        self.scopes: tuple[str, str, str] = ("", "", "")
        self.target_kind = "target"
        self.target_comparator = "eq"
        self.target_direction = "attain"
        self.year: int | None = None
        self.level: str | None = None
        self.codes: tuple[str | None, ...] = (None,)
        self.code_rules: tuple[str, ...] = ("indicator.none",)
        self.parent: Number | None = None
        self.attached = False  # an equivalent or baseline that takes its parent's fields
        self.rejected: str | None = None
        self.rules: dict[str, str] = {}
        self.targets: list[Target] = []

    def __repr__(self) -> str:
        c = self.cand
        state = f" rejected={self.rejected}" if self.rejected else ""
        return f"Number({c.value:g} {c.unit} at {self.sentence.offset + c.start}{state})"


@dataclass(eq=False)
class PlanDoc:
    """A plan being extracted: its text, what the components found, and the caches.

    Attributes
    ----------
    text
        The NFC text.
    meta
        The plan's metadata (``None`` if it could not be read).
    view, outline, tables
        The parse view, heading tree and tables (set by their components).
    sentences
        Layer ``sentences``: the sentences worth reading, in order.
    rejected
        Layer ``rejected``: the numbers dropped as not targets, each with its reason.
    targets
        The targets, in document order (set by ``assemble``).
    headings, reports, heading_levels
        Per-node caches: heading paths, whether a node sits in a report section, the
        level a heading addresses.
    """

    text: str
    meta: DocumentMeta | None = None
    view: ParseView | None = None
    outline: Outline | None = None
    tables: Tables | None = None
    sentences: list[Sentence] = field(default_factory=list)
    rejected: list[Number] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    headings: dict[int, str] = field(default_factory=dict)
    reports: dict[int, bool] = field(default_factory=dict)
    heading_levels: dict[int, str | None] = field(default_factory=dict)
    area_rules: dict[int, str] = field(default_factory=dict)
    clock: Any = None  # the budget of the document and its start (extraction.guard)
    extra: dict[str, Any] = field(default_factory=dict)

    def numbers(self) -> list[Number]:
        """Return every number still in play, in document order."""
        return [n for s in self.sentences for n in s.numbers]

    def reject(self, number: Number, reason: str) -> None:
        """Drop ``number`` as not a target, recording the rule that dropped it."""
        number.rejected = reason
        self.rejected.append(number)
