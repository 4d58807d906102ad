"""The vocabulary of index measures: one canonical id per measure, whatever its published name.

Sources publish the same measure under several names (the PCI transparency
sub-index is ``Tính minh bạch`` in 2010-2016, ``Transparency`` in 2013 and
``Sub-Index 3: Transparency`` in 2017-2019) and, now and then, two measures under
one name (a re-hosted PAPI file labels the 2011-2017 poverty-list scores
``Access to Information``). The catalogue ``parstats/data/measures.csv`` says, for
each index, which canonical measure every published name stands for, in which
years, with its labels, kind, unit and scale versions, and whether it is a
measure at all (a note or a group statement is not).

The file has one row per published name. The first row of a measure defines it
(all columns filled); its further rows give more names and may leave the
measure's columns empty (or repeat them exactly). ``years`` limits a name to a
span (``2011-2017``, ``2018-``), empty for every year.

Examples
--------
>>> from parstats.measures import resolve
>>> resolve("PCI", "sub-index: Tính minh bạch").id
'transparency'
>>> resolve("PAPI", "sub-dimension: Access to Information", 2015).id
'transparency.poverty_lists'
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from parstats.errors import InputError
from parstats.paths import package_data

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

CATALOGUE_FILE = "measures.csv"
COLUMNS: tuple[str, ...] = (
    "index",
    "measure_id",
    "kind",
    "parent",
    "label_en",
    "label_vi",
    "unit",
    "scale_versions",
    "is_measure",
    "published_name",
    "years",
    "note",
)
_MEASURE_FIELDS = (
    "kind",
    "parent",
    "label_en",
    "label_vi",
    "unit",
    "scale_versions",
    "is_measure",
    "note",
)


@dataclass(frozen=True)
class PublishedName:
    """A name under which a source published a measure, and the years it means that measure.

    Attributes
    ----------
    name
        The published label, e.g. ``"sub-index: Tính minh bạch"``.
    first, last
        The span of survey years the name stands for this measure; ``None`` is open.
    """

    name: str
    first: int | None
    last: int | None

    def covers(self, year: int | None) -> bool:
        """Whether the name means its measure in ``year`` (``None``: some year)."""
        if year is None:
            return True
        return (self.first is None or year >= self.first) and (
            self.last is None or year <= self.last
        )

    @property
    def span(self) -> str:
        """``"2011-2017"``, ``"2018-"`` or ``""`` (every year)."""
        if self.first is None and self.last is None:
            return ""
        return f"{self.first or ''}-{self.last or ''}"


@dataclass(frozen=True)
class Measure:
    """One canonical measure of one index.

    Attributes
    ----------
    index
        ``PAR``, ``SIPAS``, ``PAPI``, ``PCI`` or ``PGI``.
    id
        Canonical id, unique within the index (``total_unweighted``,
        ``transparency.poverty_lists``, ``sub-index`` ids such as ``transparency``).
    kind
        ``score``, ``rank``, ``total``, ``dimension``, ``sub-dimension``,
        ``sub-index``, ``component``, ``dimension rank``, ``tier``, ``group`` or ``note``.
    parent
        For a sub-dimension its dimension; for a dimension the total it adds up to;
        else ``None``.
    label_en, label_vi
        Labels in English and Vietnamese.
    unit
        Unit of the measure's latest scale version (a row's own unit comes from
        :func:`parstats.scales.scale_for`).
    scale_versions
        The scale versions (:mod:`parstats.scales`) the measure has been published on.
    is_measure
        False for notes and statements that are not measures.
    names
        Every published name of the measure, with its years.
    note
        Where the mapping comes from, what changed.
    """

    index: str
    id: str
    kind: str
    parent: str | None
    label_en: str
    label_vi: str
    unit: str
    scale_versions: tuple[str, ...]
    is_measure: bool
    names: tuple[PublishedName, ...]
    note: str


def name_key(text: str) -> str:
    """Return the matching key of a measure name: NFC, case-folded, one space, straight quotes."""
    from parstats.vn import nfc

    text = nfc(str(text)).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split()).casefold()


def _span(text: str, path: object, line: int) -> tuple[int | None, int | None]:
    text = text.strip()
    if not text:
        return None, None
    m = re.fullmatch(r"(\d{4})?-(\d{4})?|(\d{4})", text)
    if not m or text == "-":
        raise InputError("years must be YYYY, YYYY-YYYY, YYYY- or -YYYY", path=path, line=line,
                         value=text)
    if m.group(3):
        year = int(m.group(3))
        return year, year
    first = int(m.group(1)) if m.group(1) else None
    last = int(m.group(2)) if m.group(2) else None
    if first is not None and last is not None and first > last:
        raise InputError("years run backwards", path=path, line=line, value=text)
    return first, last


@lru_cache(maxsize=1)
def _catalogue() -> dict[tuple[str, str], Measure]:
    from parstats.scales import MEASURE_KINDS, SCALE_UNITS
    from parstats.vn import nfc
    from parstats.vocab import INDEX_NAMES

    path = package_data(CATALOGUE_FILE)
    fields: dict[tuple[str, str], dict[str, str]] = {}
    names: dict[tuple[str, str], list[PublishedName]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise InputError(f"expected the columns {', '.join(COLUMNS)}", path=path, line=1)
        for line, row in enumerate(reader, start=2):
            row = {k: nfc((v or "").strip()) for k, v in row.items()}
            index, mid = row["index"], row["measure_id"]
            if index not in INDEX_NAMES:
                raise InputError(f"index must be one of {INDEX_NAMES}", path=path, line=line,
                                 value=index)
            if not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)*", mid):
                raise InputError("measure_id must be lower-case words joined by _ and .",
                                 path=path, line=line, value=mid)
            key = (index, mid)
            given = {f: row[f] for f in _MEASURE_FIELDS if row[f]}
            if key not in fields:
                missing = [f for f in _MEASURE_FIELDS if f not in ("parent", "note")
                           and f not in given]
                if missing:
                    raise InputError(f"the first row of {index} {mid} must fill {missing}",
                                     path=path, line=line)
                if given["kind"] not in MEASURE_KINDS:
                    raise InputError(f"kind must be one of {MEASURE_KINDS}", path=path,
                                     line=line, value=given["kind"])
                if given["unit"] not in SCALE_UNITS:
                    raise InputError(f"unit must be one of {SCALE_UNITS}", path=path, line=line,
                                     value=given["unit"])
                if given["is_measure"] not in ("true", "false"):
                    raise InputError("is_measure must be true or false", path=path, line=line,
                                     value=given["is_measure"])
                fields[key] = {f: row[f] for f in _MEASURE_FIELDS}
                names[key] = []
            else:
                clash = {f: v for f, v in given.items() if v != fields[key][f]}
                if clash:
                    raise InputError(f"{index} {mid} is defined differently on an earlier row: "
                                     f"{clash}", path=path, line=line)
            if row["published_name"]:
                first, last = _span(row["years"], path, line)
                names[key].append(PublishedName(row["published_name"], first, last))
            elif row["years"]:
                raise InputError("years given without a published_name", path=path, line=line)
    out = {
        key: Measure(
            index=key[0],
            id=key[1],
            kind=f["kind"],
            parent=f["parent"] or None,
            label_en=f["label_en"],
            label_vi=f["label_vi"],
            unit=f["unit"],
            scale_versions=tuple(v.strip() for v in f["scale_versions"].split(";") if v.strip()),
            is_measure=f["is_measure"] == "true",
            names=tuple(names[key]),
            note=f["note"],
        )
        for key, f in fields.items()
    }
    for m in out.values():
        if m.parent is not None and (m.index, m.parent) not in out:
            raise InputError(f"{m.index} {m.id}: parent {m.parent!r} is not a measure", path=path)
    _check_names(out, path)
    return out


def _check_names(catalogue: dict[tuple[str, str], Measure], path: object) -> None:
    """Refuse a published name that means two measures of one index in the same year."""
    seen: dict[tuple[str, str], list[tuple[PublishedName, str]]] = {}
    for m in catalogue.values():
        for n in m.names:
            for other, other_id in seen.get((m.index, name_key(n.name)), []):
                if other_id == m.id:
                    continue
                lo = max(n.first or 0, other.first or 0)
                hi = min(n.last or 9999, other.last or 9999)
                if lo <= hi:
                    raise InputError(
                        f"{m.index} name {n.name!r} means both {other_id} and {m.id} in "
                        f"{lo}-{hi}", path=path
                    )
            seen.setdefault((m.index, name_key(n.name)), []).append((n, m.id))


@lru_cache(maxsize=1)
def _by_name() -> dict[tuple[str, str], tuple[tuple[PublishedName, Measure], ...]]:
    out: dict[tuple[str, str], list[tuple[PublishedName, Measure]]] = {}
    for m in _catalogue().values():
        for n in m.names:
            out.setdefault((m.index, name_key(n.name)), []).append((n, m))
    return {k: tuple(v) for k, v in out.items()}


def catalogue() -> tuple[Measure, ...]:
    """Return every canonical measure, in catalogue order."""
    return tuple(_catalogue().values())


def measures(index: str) -> tuple[Measure, ...]:
    """Return the canonical measures of one index, in catalogue order."""
    return tuple(m for m in _catalogue().values() if m.index == index)


def get(index: str, measure_id: str) -> Measure:
    """Return the canonical measure ``measure_id`` of ``index``.

    Raises
    ------
    InputError
        If the index has no such measure; the message lists its ids.
    """
    try:
        return _catalogue()[(index, measure_id)]
    except KeyError:
        raise InputError(
            f"{index} has no measure {measure_id!r}; measures: "
            + ", ".join(m.id for m in measures(index)),
            value=measure_id,
        ) from None


def canonical(index: str, published: str, year: int) -> Measure:
    """Return the canonical measure a published name stands for in ``year``.

    This is the strict lookup used for every raw row: the name must be in the
    catalogue for that year, or be the canonical id itself.

    Raises
    ------
    InputError
        If the catalogue does not know the name in that year.
    """
    hits = [m for n, m in _by_name().get((index, name_key(published)), ()) if n.covers(year)]
    if len(hits) == 1:
        return hits[0]
    if not hits and (index, published.strip()) in _catalogue():
        return _catalogue()[(index, published.strip())]
    known = _by_name().get((index, name_key(published)), ())
    if known:
        spans = "; ".join(f"{m.id} in {n.span or 'every year'}" for n, m in known)
        raise InputError(
            f"{index} measure {published!r} is in the measure catalogue ({spans}) but not for "
            f"{year}; add a row with its years to parstats/data/measures.csv",
            value=published,
        )
    raise InputError(
        f"{index} measure {published!r} is not in the measure catalogue; add a row naming its "
        "canonical measure to parstats/data/measures.csv (see docs/INDICES_SOURCES.md)",
        value=published,
    )


def _strip_kind(text: str) -> str:
    return re.sub(r"^[a-z -]+:\s*", "", name_key(text))


def resolve(index: str, name: str, year: int | None = None) -> Measure:
    """Return the canonical measure a user names: a canonical id, a published name or a label.

    Tried in order: the canonical id; a published name (case and spacing
    ignored); a published name without its kind prefix (``"Tính minh bạch"``) or
    a label. A name that means different measures in different years needs
    ``year`` or the canonical id.

    Raises
    ------
    InputError
        If nothing matches (the message lists the index's measures) or the name is
        ambiguous (the message lists the candidates and their years).
    """
    from parstats.vocab import INDEX_NAMES

    if index not in INDEX_NAMES:
        raise InputError(f"index must be one of {', '.join(INDEX_NAMES)}", value=index)
    text = str(name).strip()
    exact = _catalogue().get((index, text))
    if exact is not None:
        return exact
    named = [(n, m) for n, m in _by_name().get((index, name_key(text)), ()) if n.covers(year)]
    if not named:
        short = _strip_kind(text)
        named = [
            (n, m)
            for m in measures(index)
            for n in (*m.names, PublishedName(m.label_en, None, None),
                      PublishedName(m.label_vi, None, None))
            if n.covers(year)
            and (_strip_kind(n.name) == short or name_key(n.name) == name_key(text))
        ]
    found = list(dict.fromkeys(m for _, m in named))
    if len(found) == 1:
        return found[0]
    if found:
        spans = "; ".join(
            f"{m.id} ({', '.join(n.span or 'every year' for n, mm in named if mm == m)})"
            for m in found
        )
        raise InputError(
            f"{index} measure {name!r} is ambiguous: {spans}; give the canonical id or a year",
            value=name,
        )
    raise InputError(
        f"{index} has no measure {name!r}; canonical measures: "
        + ", ".join(m.id for m in measures(index) if m.is_measure),
        value=name,
    )


def load_catalogue() -> pd.DataFrame:
    """Return the catalogue as a table, one row per canonical measure and published name."""
    import pandas as pd

    rows = [
        {
            "index": m.index,
            "measure_id": m.id,
            "kind": m.kind,
            "parent": m.parent,
            "label_en": m.label_en,
            "label_vi": m.label_vi,
            "unit": m.unit,
            "scale_versions": "; ".join(m.scale_versions),
            "is_measure": m.is_measure,
            "published_name": n.name,
            "years": n.span,
            "note": m.note,
        }
        for m in _catalogue().values()
        for n in (m.names or (PublishedName("", None, None),))
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype(
        {c: "string" for c in COLUMNS if c != "is_measure"}
    )
