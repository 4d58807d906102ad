"""The standard indicator catalogue (``spec/indicators.csv``, shipped as package data).

Every indicator belongs to exactly one **family** (``family`` column), a grouping
researchers use across plans that set different but related indicators: online
public services, one-stop and reception, satisfaction, digital records, civil-service
training, index ranks, ... The families and their English and Vietnamese labels are
``parstats/data/indicator_families.csv`` (:func:`families`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from parstats.errors import InputError
from parstats.paths import package_data
from parstats.vocab import AREAS, UNITS

CATALOGUE_FILE = "indicators.csv"
FAMILIES_FILE = "indicator_families.csv"
_COLUMNS = ("code", "area", "unit", "better", "label_en", "label_vi", "family")
_FAMILY_COLUMNS = ("family", "label_en", "label_vi", "description")


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
    family
        The indicator family (:func:`families`), e.g. ``"online_public_services"``.
    """

    code: str
    area: str
    unit: str
    better: str
    label_en: str
    label_vi: str
    family: str


@dataclass(frozen=True)
class Family:
    """A family of indicators (*nhóm chỉ tiêu*) compared across plans.

    Attributes
    ----------
    family
        Stable identifier, e.g. ``"online_public_services"``.
    label_en, label_vi
        English and Vietnamese labels.
    description
        What the family holds, in English.
    """

    family: str
    label_en: str
    label_vi: str
    description: str


@lru_cache(maxsize=1)
def families() -> dict[str, Family]:
    """Return the indicator families as ``{family: Family}``, in file order, validated."""
    path = package_data(FAMILIES_FILE)
    out: dict[str, Family] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != _FAMILY_COLUMNS:
            raise InputError(
                f"expected columns {_FAMILY_COLUMNS}, got {reader.fieldnames}", path=path
            )
        for lineno, row in enumerate(reader, start=2):
            fam = Family(**{k: row[k].strip() for k in _FAMILY_COLUMNS})
            if not fam.family or fam.family in out:
                raise InputError("empty or duplicate family", path=path, line=lineno, value=fam)
            out[fam.family] = fam
    return out


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
            known = families()
            if ind.family not in known:
                raise InputError(
                    f"family must be one of {tuple(known)} ({FAMILIES_FILE})",
                    path=path,
                    line=lineno,
                    value=ind.family,
                )
            out[ind.code] = ind
    return out


def load_indicators():
    """Return the catalogue as a pandas DataFrame (one row per indicator, ``family`` included)."""
    import pandas as pd

    return pd.DataFrame([vars(i) for i in indicators().values()], columns=list(_COLUMNS))


def load_families():
    """Return the indicator families as a DataFrame, with how many indicators each holds.

    Columns: ``family, label_en, label_vi, description, n_indicators``.
    """
    import pandas as pd

    counts: dict[str, int] = {}
    for ind in indicators().values():
        counts[ind.family] = counts.get(ind.family, 0) + 1
    frame = pd.DataFrame([vars(f) for f in families().values()], columns=list(_FAMILY_COLUMNS))
    frame["n_indicators"] = [counts.get(f, 0) for f in frame["family"]]
    return frame


def family_of(code: str) -> str | None:
    """Return the family of indicator ``code``, or ``None`` for an unknown code."""
    ind = indicators().get(code)
    return None if ind is None else ind.family
