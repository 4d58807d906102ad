"""What extraction may spend on one document, and the check that stops it.

Extraction is linear in the size of a plan: a sentence longer than
:data:`MAX_SENTENCE_CHARS` (an OCR dump, a table without line breaks) is read in
pieces of at most that length, so no number's work grows with its sentence. A
:class:`Budget` caps what one document may hold or take — its length, its number
expressions (each becomes a record, and a target row), its seconds — and
:func:`check` stops the document with :class:`~parstats.errors.DocumentTooLargeError`
when it passes one, naming the limit: a caller extracting many documents reports it
and goes on with the others (``parstats extract``, ``parstats build``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from parstats.errors import DocumentTooLargeError

__all__ = ["MAX_SENTENCE_CHARS", "Budget", "DEFAULT_BUDGET", "start", "check"]

MAX_SENTENCE_CHARS = 4000
"""The longest piece of text read as one sentence (real plans' sentences: under 2,100)."""


@dataclass(frozen=True)
class Budget:
    """The most one document may hold or take.

    Attributes
    ----------
    max_chars
        Characters of its text.
    max_numbers, numbers_per_char
        Number expressions found in it: at most ``max_numbers`` plus
        ``numbers_per_char`` for each character of its text. A plan holds about one per
        thousand characters (the 3,000 texts of the corpus sample: at most 326 in one
        document); a text with one every few characters is a data dump, whose every
        number would become a record and a target row.
    max_seconds
        CPU seconds of extraction.
    """

    max_chars: int = 50_000_000
    max_numbers: int = 20_000
    numbers_per_char: float = 1 / 200
    max_seconds: float = 300.0

    def numbers_limit(self, chars: int) -> int:
        """Return how many number expressions a text of ``chars`` characters may hold."""
        return self.max_numbers + int(chars * self.numbers_per_char)


DEFAULT_BUDGET = Budget()


class _Clock:
    """The budget of one document and when its work started."""

    __slots__ = ("budget", "started", "max_numbers")

    def __init__(self, budget: Budget, chars: int) -> None:
        self.budget = budget
        self.started = time.process_time()
        self.max_numbers = budget.numbers_limit(chars)


def start(budget: Budget, chars: int) -> _Clock:
    """Start the clock of a document of ``chars`` characters; refuse one that is too long."""
    if chars > budget.max_chars:
        raise DocumentTooLargeError(
            f"document too large to extract: {chars:,} characters (the limit is "
            f"{budget.max_chars:,}); split it or raise Budget.max_chars",
            value=chars,
        )
    return _Clock(budget, chars)


def check(clock: _Clock | None, numbers: int = 0, where: str = "") -> None:
    """Stop the document if it holds too many number expressions or took too long."""
    if clock is None:
        return
    budget = clock.budget
    if numbers > clock.max_numbers:
        raise DocumentTooLargeError(
            f"document too large to extract: more than {clock.max_numbers:,} number "
            f"expressions (stopped at {numbers:,}{where}); a plan holds about one per "
            "thousand characters — is it a data dump? Raise Budget.max_numbers to extract "
            "it all the same",
            value=numbers,
        )
    spent = time.process_time() - clock.started
    if spent > budget.max_seconds:
        raise DocumentTooLargeError(
            f"document took too long to extract: {spent:.0f} s{where} (the limit is "
            f"{budget.max_seconds:g} s)",
            value=round(spent, 1),
        )
