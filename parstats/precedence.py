"""Which source wins when sources disagree, and when two figures are the same figure.

Precedence (best first), applied by default wherever parstats needs one value:

1. ``official_dataset`` — the publisher's own data file (the VCCI PCI and the
   PAPI spreadsheets, re-hosted);
2. ``official_report`` — the publisher's report or portal (the PAPI report, the
   PCI and PAPI portals, the Ministry of Home Affairs);
3. ``derived`` — computed by parstats from an official dataset by the
   publisher's own formula (a PAPI dimension is the sum of its sub-dimensions);
4. ``press`` — everything else: newspapers, provincial portals, government news.

A source's kind comes from the ``source_kind`` column of its raw file when
given (``parstats indices import --source-kind``), else from the first pattern of
``parstats/data/source_kinds.csv`` its address matches, else ``press``.

Two published figures *agree* when they are the same number as printed: equal
when given to the same number of decimals, and otherwise less than one unit in
the last digit of the less precise one apart (a figure given as 45.61 agrees
with 45.619611: rounding and truncation both occur in announcements). No
agreement is asked beyond 0.0001 (files that store 4.958939 and 4.9589390001
hold the same figure).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, get_args

from parstats.errors import InputError
from parstats.paths import package_data

SourceKind = Literal["official_dataset", "official_report", "derived", "press"]
SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)
"""Source kinds, best first (their order is the precedence)."""
DECLARABLE_KINDS: tuple[str, ...] = ("official_dataset", "official_report", "press")
"""Kinds a raw file or an import may declare (``derived`` is parstats' own)."""
KINDS_FILE = "source_kinds.csv"
AGREEMENT_FLOOR = 1e-4
"""Figures closer than this are the same figure, whatever their printed precision."""


@dataclass(frozen=True)
class KindRule:
    """One row of ``source_kinds.csv``: sources matching ``pattern`` are of ``kind``."""

    pattern: re.Pattern[str]
    kind: str
    publisher: str
    note: str


@lru_cache(maxsize=1)
def rules() -> tuple[KindRule, ...]:
    """Return the source-kind rules of ``parstats/data/source_kinds.csv``, in file order."""
    path = package_data(KINDS_FILE)
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for line, row in enumerate(reader, start=2):
            if row["kind"] not in DECLARABLE_KINDS:
                raise InputError(f"kind must be one of {DECLARABLE_KINDS}", path=path, line=line,
                                 value=row["kind"])
            try:
                pattern = re.compile(row["pattern"])
            except re.error as exc:
                raise InputError(f"not a regular expression ({exc})", path=path, line=line,
                                 value=row["pattern"]) from None
            out.append(KindRule(pattern, row["kind"], row["publisher"], row["note"]))
    return tuple(out)


@lru_cache(maxsize=4096)
def source_kind(source: str) -> str:
    """Return the kind of a source from its address (``press`` when no rule matches)."""
    for rule in rules():
        if rule.pattern.search(source):
            return rule.kind
    return "press"


def rank(kind: str) -> int:
    """Return the precedence rank of a source kind (0 = best)."""
    return SOURCE_KINDS.index(kind)


def check_kind(kind: str) -> str:
    """Return ``kind`` if a raw file or an import may declare it, else raise :class:`InputError`."""
    if kind not in DECLARABLE_KINDS:
        raise InputError(f"source kind must be one of {', '.join(DECLARABLE_KINDS)}", value=kind)
    return kind


def decimals(text: str) -> int:
    """Return the number of digits after the decimal point in a number's text (``"90.10"`` -> 2)."""
    text = text.strip()
    return len(text.split(".", 1)[1]) if "." in text else 0


def tolerance(decimals_a: int, decimals_b: int) -> float:
    """Return the distance below which two figures are the same figure (module docstring)."""
    unit = 10.0 ** -min(decimals_a, decimals_b)
    return max(unit / 2 if decimals_a == decimals_b else unit, AGREEMENT_FLOOR)


def agree(a: float, decimals_a: int, b: float, decimals_b: int) -> bool:
    """Whether two published numbers are the same figure (module docstring)."""
    return abs(a - b) < tolerance(decimals_a, decimals_b) - 1e-9


def significant(text: str) -> str:
    """Return a number's text without binary noise: at most 15 significant digits.

    Spreadsheets hold 15 significant digits; the 16th and 17th digits that a double
    read from a file shows (``33.624604000000005``) are the noise of binary
    floating point, not part of the published figure. Texts of 15 digits or fewer
    are returned unchanged (trailing zeros kept: ``"90.10"`` stays).

    Examples
    --------
    >>> significant("33.624604000000005")
    '33.624604'
    >>> significant("90.10")
    '90.10'
    """
    digits = text.strip().lstrip("+-").replace(".", "").lstrip("0")
    if len(digits) <= 15:
        return text
    out = format(float(text), ".15g")
    if "e" in out or "E" in out:
        from decimal import Decimal

        out = format(Decimal(out), "f")
    return out
