"""The standard indicator catalogue (``spec/indicators.csv``, shipped as package data)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from parstats.errors import InputError
from parstats.paths import package_data
from parstats.vocab import AREAS, UNITS

CATALOGUE_FILE = "indicators.csv"
_COLUMNS = ("code", "area", "unit", "better", "label_en", "label_vi")


@dataclass(frozen=True)
class Indicator:
    """One standard indicator: what a target measures, comparable across plans.

    Attributes
    ----------
    code
        Stable identifier, e.g. ``"par_index_rank"``.
    area
        The reform area the indicator belongs to (``vocab.AREAS``).
    unit
        ``percent``, ``count``, ``rank`` or ``rank_places``.
    better
        ``higher`` or ``lower``: which way is an improvement.
    label_en, label_vi
        English and Vietnamese labels (*nhãn*).
    """

    code: str
    area: str
    unit: str
    better: str
    label_en: str
    label_vi: str


@lru_cache(maxsize=1)
def indicators() -> dict[str, Indicator]:
    """Return the catalogue as ``{code: Indicator}``, in file order, validated."""
    path = package_data(CATALOGUE_FILE)
    out: dict[str, Indicator] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != _COLUMNS:
            raise InputError(f"expected columns {_COLUMNS}, got {reader.fieldnames}", path=path)
        for lineno, row in enumerate(reader, start=2):
            ind = Indicator(**{k: row[k].strip() for k in _COLUMNS})
            if ind.code in out:
                raise InputError(f"duplicate indicator code {ind.code!r}", path=path, line=lineno)
            if ind.area not in AREAS:
                raise InputError(
                    f"area must be one of {AREAS}", path=path, line=lineno, value=ind.area
                )
            if ind.unit not in UNITS:
                raise InputError(
                    f"unit must be one of {UNITS}", path=path, line=lineno, value=ind.unit
                )
            if ind.better not in ("higher", "lower"):
                raise InputError(
                    "better must be higher or lower", path=path, line=lineno, value=ind.better
                )
            out[ind.code] = ind
    return out


def load_indicators():
    """Return the catalogue as a pandas DataFrame (one row per indicator)."""
    import pandas as pd

    return pd.DataFrame([vars(i) for i in indicators().values()], columns=list(_COLUMNS))
