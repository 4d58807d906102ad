"""Small text helpers shared by the extraction components."""

from __future__ import annotations

from functools import lru_cache

from parstats.vn import parse_number

__all__ = ["WINDOW", "lower", "collapse", "number_value"]

WINDOW = 300  # characters of context looked at on either side of a number


@lru_cache(maxsize=4096)
def number_value(text: str) -> float | None:
    """Return the number ``text`` writes ("41,17" -> 41.17), or ``None``."""
    try:
        return parse_number(text)
    except ValueError:
        return None


def lower(text: str) -> str:
    """Lower-case ``text`` keeping every character's position (rules are written lower case)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def collapse(text: str) -> str:
    """Return ``text`` with every run of whitespace one space and no space at either end."""
    # Every whitespace character but the ASCII space is unprintable: a printable text
    # without a double space or an end space is already collapsed (most sentences are).
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())
