"""Closed vocabularies of ``spec/TARGETS.md`` as types, checked at the boundary."""

from __future__ import annotations

from typing import Literal, get_args

from parstats.errors import InputError

Unit = Literal["percent", "count", "rank", "rank_places"]
Comparator = Literal["ge", "gt", "eq", "le", "lt", "range"]
Direction = Literal["increase", "decrease", "attain"]
Kind = Literal["target", "baseline", "equivalent"]
Area = Literal[
    "overall",
    "direction",
    "institutions",
    "procedures",
    "apparatus",
    "civil_service",
    "public_finance",
    "digital_government",
    "impact",
]
Tier = Literal["province", "district", "commune"]
# Level is a tier, ``all``, or two tiers joined by ``+`` (higher tier first).
LEVELS: tuple[str, ...] = (
    "province",
    "district",
    "commune",
    "all",
    "province+district",
    "province+commune",
    "district+commune",
)
Level = Literal[
    "province",
    "district",
    "commune",
    "all",
    "province+district",
    "province+commune",
    "district+commune",
]
IndexName = Literal["PAR", "SIPAS", "PAPI", "PCI", "PGI"]

UNITS: tuple[str, ...] = get_args(Unit)
COMPARATORS: tuple[str, ...] = get_args(Comparator)
DIRECTIONS: tuple[str, ...] = get_args(Direction)
KINDS: tuple[str, ...] = get_args(Kind)
AREAS: tuple[str, ...] = get_args(Area)
INDEX_NAMES: tuple[str, ...] = get_args(IndexName)


def check(value: object, allowed: tuple[str, ...], name: str) -> str:
    """Return ``value`` if it is one of ``allowed``; otherwise raise :class:`InputError`.

    Parameters
    ----------
    value
        The value to check.
    allowed
        The closed vocabulary.
    name
        The field's name, used in the error message.
    """
    if value not in allowed:
        raise InputError(
            f"{name} must be one of {', '.join(allowed)}; got {value!r}", value=value
        )
    return value  # type: ignore[return-value]
