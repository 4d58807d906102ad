"""What the numbers of one list share.

``equivalents``: a list of equivalents pairs with the targets before it, in order
("giảm 2% ... và 3% ... (tương ứng 47 ... và 412 ...)"). ``governing``: a
qualifier or verb before a list governs the items after it ("giảm tối thiểu a%;
b% và c%", "tối thiểu 30% A; 30% B và 20% C"), unless an item has a verb of its
own; an equivalent takes its parent target's comparator and direction, a
baseline is ``eq``/``attain``.
"""

from __future__ import annotations

import re

from parstats.extraction.cues import KINDS, may_be_equivalent
from parstats.extraction.doc import Number, PlanDoc
from parstats.extraction.level import TIER_ONLY_GAP
from parstats.extraction.pipeline import component

__all__ = ["respective_equivalents", "equivalents", "governing"]

# The words after one equivalent and before the next of a list: "47 biên chế công chức và".
_EQUIVALENT_GAP = re.compile(r"[^\d;.()]{0,40}?(?:,|\bvà\b)\s*")


# A list item with its own verb does not share the qualifier of the one before it.
_OWN_VERB = re.compile(rf"\b{KINDS.alternation('own_verb')}\b|.{{60}}")


def respective_equivalents(sentence: str, numbers: list[Number]) -> None:
    """Pair a list of equivalents with the targets before it, in order (``Number.pair``).

    "giảm 2% biên chế công chức và 3% số người làm việc (tương ứng 47 biên chế công
    chức và 412 người làm việc)": 47 restates the 2%, 412 the 3%. The counts that
    follow an equivalent in its list become equivalents too.
    """
    if len(numbers) < 3 or not may_be_equivalent(sentence):
        return
    i = 0
    while i < len(numbers):
        if numbers[i].kind != "equivalent":
            i += 1
            continue
        group = [i]
        while group[-1] + 1 < len(numbers):
            nxt = numbers[group[-1] + 1]
            gap = sentence[numbers[group[-1]].cand.end : nxt.cand.start]
            if (
                nxt.cand.unit != "count"
                or nxt.kind != "target"
                or not _EQUIVALENT_GAP.fullmatch(gap)
            ):
                break
            group.append(group[-1] + 1)
        clause = sentence.rfind(";", 0, numbers[i].cand.start)
        targets = [
            k for k in range(i) if numbers[k].kind == "target" and numbers[k].cand.start > clause
        ]
        if len(group) > 1 and len(targets) >= len(group):
            for g, t in zip(group, targets[-len(group) :], strict=True):
                numbers[g].kind = "equivalent"
                numbers[g].pair = numbers[t]
                numbers[g].rules["kind"] = "kind.equivalent_list"
        i = group[-1] + 1


@component("equivalents", requires=("number.kind",), assigns=("number.pair",))
def equivalents(doc: PlanDoc) -> None:
    """Pair the listed equivalents of every sentence with their targets."""
    for sentence in doc.sentences:
        respective_equivalents(sentence.low, sentence.numbers)


def _between(sentence: str, numbers: list[Number], i: int, j: int) -> str:
    """Return the words between numbers ``i`` and ``j`` ("" where either is missing)."""
    if i < 0 or j >= len(numbers):
        return ""
    return sentence[numbers[i].cand.end : numbers[j].cand.start]


@component(
    "governing",
    requires=("number.kind", "number.cell", "number.comparator", "number.direction",
              "number.parent"),
    assigns=("number.target_comparator", "number.target_direction"),
)
def governing(doc: PlanDoc) -> None:
    """Resolve every number's comparator and direction: its own, or its list's."""
    for sentence in doc.sentences:
        numbers = sentence.numbers
        low = sentence.low
        lead: Number | None = None  # the number whose qualifier governs those after it
        for i, number in enumerate(numbers):
            c = number.cand
            comparator, direction = number.comparator, number.direction
            inherited: Number | None = None
            # "giảm tối thiểu a%; b% và c%": the verb governs the numbers that follow it.
            between_prev = _between(low, numbers, i - 1, i)
            if (
                comparator is None
                and direction is None
                and lead is not None
                and number.kind == "target"
                and not number.backward
                and len(between_prev) <= 80
                and (lead.direction is not None or lead.cand.unit == c.unit)
                and number.cell is None
            ):
                comparator, direction = lead.comparator, lead.direction
                inherited = lead
            if number.kind == "target" and (
                number.direction is not None
                or (
                    # "tối thiểu 30% A; 30% B và 20% C" (every item takes it); a "trên 30% A,
                    # 80% B" item stays bare, as the seed gold reads it.
                    number.comparator in ("ge", "le")
                    and c.unit != "rank"
                    and not _OWN_VERB.search(_between(low, numbers, i, i + 1))
                )
                # "trên 98% ở cấp tỉnh, 97% ở cấp huyện": items that differ only in their tier.
                or (
                    number.comparator in ("gt", "lt")
                    and TIER_ONLY_GAP.fullmatch(_between(low, numbers, i, i + 1))
                )
            ):
                lead = number
            if number.rejected is not None:
                continue
            found = number.rules
            if number.attached and number.kind == "equivalent":
                # A restated target keeps its target's comparator and direction.
                parent = number.parent
                comparator, direction = parent.target_comparator, parent.target_direction
                found["comparator"] = "list.parent>" + parent.rules["comparator"]
                found["direction"] = "list.parent>" + parent.rules["direction"]
            elif number.attached or number.target_kind == "baseline":
                # The current state: what it is, not a commitment.
                comparator, direction = "eq", "attain"
                found["comparator"], found["direction"] = "kind.baseline", "kind.baseline"
            elif inherited is not None:
                found["comparator"] = "list.governing>" + inherited.rules["comparator"]
                found["direction"] = "list.governing>" + inherited.rules["direction"]
            number.target_comparator = comparator or "eq"
            number.target_direction = direction or "attain"
