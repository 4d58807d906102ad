"""The province registry: the 63 pre-2025 provinces (*tỉnh, thành phố*) and the 2025 merger.

The governance indices (PCI, PAPI, PAR Index, SIPAS) were measured on the 63
provinces that existed before 1 July 2025. Resolution 202/2025/QH15 merged them
into 34 units from that date. This module keeps the old provinces as the unit of
analysis and maps them to the new units explicitly: it never averages old
provinces into a figure for a new one.

The registry is package data (``parstats/data/provinces.csv``, a copy of
``/work/shared/data/indices/provinces.csv``; provenance in
``parstats/data/PROVINCES_SOURCES.md``), read on first use and cached.

Examples
--------
>>> from parstats.provinces import resolve, slug
>>> resolve("Dak Lak").name_vi
'Đắk Lắk'
>>> resolve("TP. HCM").code
'79'
>>> slug("Thừa Thiên Huế")
'thua-thien-hue'
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from parstats.errors import InputError, UnknownProvinceError
from parstats.paths import package_data
from parstats.vn import fold, nfc, slugify

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

REGISTRY_FILE = "provinces.csv"
MERGER_RESOLUTION = "Resolution 202/2025/QH15 (Nghị quyết 202/2025/QH15), effective 1 July 2025"
N_PROVINCES_PRE2025 = 63
N_UNITS_2025 = 34

Status2025 = Literal["unchanged", "merged"]
STATUSES_2025: tuple[str, ...] = ("unchanged", "merged")

_COLUMNS = (
    "gso_code_pre2025",
    "name_vi",
    "name_ascii",
    "pci_id",
    "papi_id",
    "status_2025",
    "new_unit_2025",
    "new_unit_code_2025",
    "code_source",
    "merger_source",
    "new_code_source",
    "region",
    "region_en",
    "region_source",
    "centroid_lat",
    "centroid_lon",
    "centroid_source",
)
SHARED_COLUMNS = _COLUMNS[:11]
"""The columns copied from the project's shared ``provinces.csv``; the others are added here."""

REGIONS: tuple[str, ...] = (
    "Trung du và miền núi phía Bắc",
    "Đồng bằng sông Hồng",
    "Bắc Trung Bộ và duyên hải miền Trung",
    "Tây Nguyên",
    "Đông Nam Bộ",
    "Đồng bằng sông Cửu Long",
)
"""The six socio-economic regions (*vùng kinh tế - xã hội*) of Resolution 81/2023/QH15,
north to south, as the PAR Index and PCI reports group provinces."""


@dataclass(frozen=True)
class Province:
    """One pre-2025 province or centrally-run city (*tỉnh / thành phố trực thuộc trung ương*).

    Attributes
    ----------
    code
        Two-digit GSO code before 2025, e.g. ``"66"`` for Đắk Lắk.
    name_vi
        Name with diacritics (NFC), as in the index spreadsheets, e.g. ``"Đắk Lắk"``.
    name_ascii
        Name without diacritics, e.g. ``"Dak Lak"``.
    pci_id, papi_id
        The province ids used inside the PCI and PAPI spreadsheets.
    status_2025
        ``"unchanged"`` or ``"merged"`` on 1 July 2025.
    new_unit_2025
        The unit the province belongs to from 1 July 2025, e.g. ``"TP. Hồ Chí Minh"``.
    new_unit_code_2025
        The new unit's code where a source gives it (9 units), else ``None``.
    code_source, merger_source, new_code_source
        Where the GSO code, the merger assignment and the new code come from
        (``new_code_source`` is ``None`` when the new code is unknown).
    region, region_en
        The socio-economic region (one of :data:`REGIONS`) and its English label.
    centroid_lat, centroid_lon
        The centroid of the province's area (WGS84 degrees): a derived fact,
        computed from published boundaries (``centroid_source`` says which).
    region_source, centroid_source
        Where the region and the centroid come from.
    """

    code: str
    name_vi: str
    name_ascii: str
    pci_id: int
    papi_id: int
    status_2025: str
    new_unit_2025: str
    new_unit_code_2025: str | None
    code_source: str = field(repr=False)
    merger_source: str = field(repr=False)
    new_code_source: str | None = field(repr=False)
    region: str = ""
    region_en: str = field(default="", repr=False)
    centroid_lat: float = field(default=float("nan"), repr=False)
    centroid_lon: float = field(default=float("nan"), repr=False)
    region_source: str = field(default="", repr=False)
    centroid_source: str = field(default="", repr=False)

    @property
    def name(self) -> str:
        """The canonical name (with diacritics); same as :attr:`name_vi`."""
        return self.name_vi

    @property
    def slug(self) -> str:
        """ASCII file-name slug, e.g. ``"dak-lak"``."""
        return slugify(self.name_vi)

    def __str__(self) -> str:
        return self.name_vi


@dataclass(frozen=True)
class NewUnit:
    """One of the 34 provincial units in place from 1 July 2025.

    Attributes
    ----------
    name
        The unit's name as in the registry, e.g. ``"TP. Hồ Chí Minh"``.
    code
        Its code where a source gives it, else ``None``.
    old_codes
        GSO codes of the pre-2025 provinces it was formed from, in registry order.
    source
        Where the merger assignment comes from (the sources of its old units,
        distinct, ``" ; "``-joined).
    regions
        The socio-economic regions of its old provinces (two when it spans a
        boundary, e.g. Đắk Lắk with Phú Yên), in :data:`REGIONS` order.
    """

    name: str
    code: str | None
    old_codes: tuple[str, ...]
    source: str
    regions: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        """ASCII file-name slug of the unit's name, e.g. ``"tp-ho-chi-minh"``."""
        return slugify(self.name)


# --------------------------------------------------------------------------- registry


def _int_field(row: dict[str, str], name: str, lineno: int, path: Any) -> int:
    text = row[name].strip()
    if not text.isdigit():
        raise InputError(f"{name} must be a positive integer", path=path, line=lineno, value=text)
    return int(text)


def _coordinate(
    row: dict[str, str], name: str, bounds: tuple[float, float], lineno: int, path: Any
) -> float:
    text = row[name].strip()
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{name} must be a number of degrees", path=path, line=lineno,
                         value=text) from None
    if not bounds[0] <= value <= bounds[1]:
        raise InputError(f"{name} must lie in {bounds[0]}..{bounds[1]} (Viet Nam)", path=path,
                         line=lineno, value=text)
    return value


@lru_cache(maxsize=1)
def _registry() -> tuple[Province, ...]:
    path = package_data(REGISTRY_FILE)
    out: list[Province] = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != _COLUMNS:
            raise InputError(f"expected columns {_COLUMNS}, got {reader.fieldnames}", path=path)
        for lineno, row in enumerate(reader, start=2):
            code = row["gso_code_pre2025"].strip()
            if not re.fullmatch(r"\d{2}", code):
                raise InputError("GSO code must be two digits", path=path, line=lineno, value=code)
            region = nfc(row["region"].strip())
            if region not in REGIONS:
                raise InputError(f"region must be one of {REGIONS}", path=path, line=lineno,
                                 value=region)
            lat = _coordinate(row, "centroid_lat", (8.0, 23.5), lineno, path)
            lon = _coordinate(row, "centroid_lon", (102.0, 110.0), lineno, path)
            for name in ("region_source", "centroid_source"):
                if not row[name].strip():
                    raise InputError(f"{name} is empty: every fact needs its source", path=path,
                                     line=lineno)
            status = row["status_2025"].strip()
            if status not in STATUSES_2025:
                raise InputError(
                    f"status_2025 must be one of {STATUSES_2025}",
                    path=path,
                    line=lineno,
                    value=status,
                )
            out.append(
                Province(
                    code=code,
                    name_vi=nfc(row["name_vi"].strip()),
                    name_ascii=row["name_ascii"].strip(),
                    pci_id=_int_field(row, "pci_id", lineno, path),
                    papi_id=_int_field(row, "papi_id", lineno, path),
                    status_2025=status,
                    new_unit_2025=nfc(row["new_unit_2025"].strip()),
                    new_unit_code_2025=row["new_unit_code_2025"].strip() or None,
                    code_source=row["code_source"].strip(),
                    merger_source=row["merger_source"].strip(),
                    new_code_source=row["new_code_source"].strip() or None,
                    region=region,
                    region_en=row["region_en"].strip(),
                    centroid_lat=lat,
                    centroid_lon=lon,
                    region_source=row["region_source"].strip(),
                    centroid_source=row["centroid_source"].strip(),
                )
            )
    for attr in ("code", "name_vi", "pci_id", "papi_id"):
        values = [getattr(p, attr) for p in out]
        if len(set(values)) != len(values):
            raise InputError(f"registry {attr} values are not unique", path=path)
    if len(out) != N_PROVINCES_PRE2025:
        raise InputError(f"expected {N_PROVINCES_PRE2025} provinces, found {len(out)}", path=path)
    return tuple(out)


def all_provinces() -> tuple[Province, ...]:
    """Return the 63 pre-2025 provinces, in GSO-code order."""
    return _registry()


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Province]:
    return {p.code: p for p in _registry()}


def by_code(code: str | int) -> Province:
    """Return the province with GSO code ``code`` (``"01"``, ``"1"`` or ``1``).

    Raises
    ------
    UnknownProvinceError
        If no pre-2025 province has that code.
    """
    key = f"{int(code):02d}" if str(code).strip().isdigit() else str(code)
    try:
        return _by_code()[key]
    except KeyError:
        raise UnknownProvinceError(
            f"{code!r} is not a pre-2025 GSO province code (expected a code in provinces.csv, "
            "01 ... 96)",
            value=code,
        ) from None


def by_pci_id(pci_id: int) -> Province:
    """Return the province whose id in the PCI spreadsheets is ``pci_id``."""
    for p in _registry():
        if p.pci_id == int(pci_id):
            return p
    raise UnknownProvinceError(f"no province has PCI spreadsheet id {pci_id!r}", value=pci_id)


def by_papi_id(papi_id: int) -> Province:
    """Return the province whose id in the PAPI spreadsheets is ``papi_id``."""
    for p in _registry():
        if p.papi_id == int(papi_id):
            return p
    raise UnknownProvinceError(f"no province has PAPI spreadsheet id {papi_id!r}", value=papi_id)


# --------------------------------------------------------------------------- resolve

# Words around a name that do not identify the province: "tỉnh Hưng Yên",
# "Thành phố Cần Thơ", "TP. HCM", "Kien Giang province", "Da Nang City".
_LEADING = (("thanh", "pho"), ("tinh",), ("tp",), ("t", "p"), ("city", "of"), ("province", "of"))
_TRAILING = (("province",), ("city",), ("tinh",))

# Spellings users type that folding alone does not reach (keys are alias keys).
_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "79": ("hcm", "hcmc", "tphcm", "hochiminh", "saigon", "hcm city", "sai gon", "tp hcm"),
    "66": ("daclac", "daklac", "daclak"),
    "67": ("dacnong",),
    "46": ("hue", "thuathienhue", "tt hue", "tthue"),
    "77": ("brvt", "baria", "vungtau", "ba ria vung tau"),
    "01": ("hn",),
    "92": ("cantho",),
}


def _key(text: str) -> str:
    """Return the alias key of ``text``: folded, lower case, no prefix words, no spaces."""
    words = re.findall(r"[a-z0-9]+", fold(nfc(text)).lower())
    changed = True
    while changed and words:
        changed = False
        for lead in _LEADING:
            if len(words) > len(lead) and tuple(words[: len(lead)]) == lead:
                words = words[len(lead) :]
                changed = True
        for trail in _TRAILING:
            if len(words) > len(trail) and tuple(words[-len(trail) :]) == trail:
                words = words[: -len(trail)]
                changed = True
    return "".join(words)


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, Province]:
    index: dict[str, Province] = {}

    def add(alias: str, province: Province) -> None:
        key = _key(alias)
        other = index.get(key)
        if other is not None and other != province:
            raise InputError(f"alias {alias!r} names both {other} and {province}")
        index[key] = province

    for p in _registry():
        for alias in (p.name_vi, p.name_ascii, p.slug):
            add(alias, p)
    for code, aliases in _EXTRA_ALIASES.items():
        for alias in aliases:
            add(alias, _by_code()[code])
    return index


def _suggest(name: str, limit: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process

    key = _key(name)
    names: dict[str, str] = {k: p.name_vi for k, p in _alias_index().items()}
    found = process.extract(key, list(names), scorer=fuzz.ratio, limit=limit * 4)
    out: list[str] = []
    for alias, _score, _ in found:
        if names[alias] not in out:
            out.append(names[alias])
        if len(out) == limit:
            break
    return out


@lru_cache(maxsize=4096)
def _resolve_text(name: str) -> Province:
    key = _key(name)
    hit = _alias_index().get(key)
    if hit is not None:
        return hit
    if key.isdigit() and len(key) <= 2:
        return by_code(key)
    raise UnknownProvinceError(
        f"{name!r} is not a pre-2025 province name; closest: " + ", ".join(_suggest(name)),
        value=name,
    )


def resolve(name: str | Province) -> Province:
    """Return the pre-2025 province a user's spelling names.

    Accepts names with or without diacritics, old and new spellings
    (``"Đắk Lắk"``, ``"Đăk Lăk"``, ``"Đắc Lắc"``, ``"Dak Lak"``), administrative
    prefixes and suffixes (``"tỉnh Hưng Yên"``, ``"Thành phố Cần Thơ"``,
    ``"Kien Giang province"``), abbreviations (``"TP. HCM"``, ``"HCMC"``), English
    names (``"Ho Chi Minh City"``), slugs (``"hung-yen"``) and a two-digit GSO code.
    A 2025 unit's name resolves to the old province it is named after
    (``"TP. Huế"`` -> Thừa Thiên Huế); use :func:`old_units` for all its parts.

    Parameters
    ----------
    name
        The name as typed, or a :class:`Province` (returned unchanged).

    Returns
    -------
    Province

    Raises
    ------
    UnknownProvinceError
        If ``name`` is not a province; the message lists the closest names.
    """
    if isinstance(name, Province):
        return name
    if not isinstance(name, str):
        raise UnknownProvinceError(f"province name must be text, got {name!r}", value=name)
    return _resolve_text(name)


def slug(name_or_province: str | Province) -> str:
    """Return the ASCII file-name slug of a province: ``"Đắk Lắk"`` -> ``"dak-lak"``.

    The name is resolved first, so every spelling of one province gives the
    same slug; ``"national"`` gives ``"national"``.

    Raises
    ------
    UnknownProvinceError
        If the name is not a province.
    """
    if isinstance(name_or_province, str) and _key(name_or_province) == "national":
        return "national"
    return slugify(resolve(name_or_province).name_vi)


# --------------------------------------------------------------------------- 2025 merger


@lru_cache(maxsize=1)
def _new_units() -> dict[str, NewUnit]:
    groups: dict[str, list[Province]] = {}
    for p in _registry():
        groups.setdefault(p.new_unit_2025, []).append(p)
    out: dict[str, NewUnit] = {}
    for name, members in groups.items():
        codes = {p.new_unit_code_2025 for p in members if p.new_unit_code_2025}
        if len(codes) > 1:
            raise InputError(f"new unit {name!r} has several codes: {sorted(codes)}")
        sources = list(dict.fromkeys(p.merger_source for p in members))
        spanned = {p.region for p in members}
        out[name] = NewUnit(
            name=name,
            code=codes.pop() if codes else None,
            old_codes=tuple(p.code for p in members),
            source=" ; ".join(sources),
            regions=tuple(r for r in REGIONS if r in spanned),
        )
    if len(out) != N_UNITS_2025:
        raise InputError(f"expected {N_UNITS_2025} units after 2025, found {len(out)}")
    return out


def new_units() -> tuple[NewUnit, ...]:
    """Return the 34 units in place from 1 July 2025 (Resolution 202/2025/QH15)."""
    return tuple(_new_units().values())


def new_unit(province: str | Province) -> NewUnit:
    """Return the 2025 unit that a pre-2025 province became part of."""
    return _new_units()[resolve(province).new_unit_2025]


def old_units(new_name: str | NewUnit) -> tuple[Province, ...]:
    """Return the pre-2025 provinces that form a 2025 unit, in GSO-code order.

    ``new_name`` may be the unit's registry name (``"TP. Hồ Chí Minh"``) or any
    spelling that resolves to a province the unit is named after (``"HCMC"``,
    ``"Ho Chi Minh City"``, ``"TP. Huế"``).

    Raises
    ------
    UnknownProvinceError
        If no 2025 unit has that name.
    """
    if isinstance(new_name, NewUnit):
        unit = new_name
    else:
        units = _new_units()
        unit = units.get(nfc(new_name).strip())
        if unit is None:
            try:
                unit = units[resolve(new_name).new_unit_2025]
            except UnknownProvinceError:
                raise UnknownProvinceError(
                    f"{new_name!r} is not a 2025 provincial unit; expected one of "
                    + ", ".join(units),
                    value=new_name,
                ) from None
            if _key(unit.name) != _key(new_name) and resolve(new_name).name_vi not in unit.name:
                raise UnknownProvinceError(
                    f"{new_name!r} is a pre-2025 province inside the 2025 unit {unit.name!r}, "
                    "not the name of a 2025 unit",
                    value=new_name,
                )
    by = _by_code()
    return tuple(by[c] for c in unit.old_codes)


# --------------------------------------------------------------------------- regions


def regions() -> tuple[str, ...]:
    """Return the six socio-economic regions, north to south (:data:`REGIONS`)."""
    return REGIONS


def in_region(region: str) -> tuple[Province, ...]:
    """Return the provinces of one socio-economic region, in GSO-code order.

    ``region`` is its Vietnamese name (:data:`REGIONS`), its English label, or
    either without diacritics and case (``"tay nguyen"``, ``"Central Highlands"``).

    Raises
    ------
    InputError
        If ``region`` names none of the six; the message lists them.
    """
    wanted = _key(region)
    for p in _registry():
        if wanted in (_key(p.region), _key(p.region_en)):
            return tuple(q for q in _registry() if q.region == p.region)
    raise InputError(
        f"{region!r} is not a socio-economic region; expected one of {', '.join(REGIONS)}",
        value=region,
    )


def peers(province: str | Province) -> tuple[Province, ...]:
    """Return the other provinces of a province's socio-economic region (its regional peers)."""
    p = resolve(province)
    return tuple(q for q in in_region(p.region) if q.code != p.code)


def distance_km(a: str | Province, b: str | Province) -> float:
    """Great-circle distance between two provinces' centroids, in km (a derived figure)."""
    import math

    p, q = resolve(a), resolve(b)
    lat1, lat2 = math.radians(p.centroid_lat), math.radians(q.centroid_lat)
    dlat, dlon = lat2 - lat1, math.radians(q.centroid_lon - p.centroid_lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


# --------------------------------------------------------------------------- frame and schema


def registry_frame() -> pd.DataFrame:
    """Return the registry as a table, one row per pre-2025 province (key ``province_code``).

    Columns follow :data:`SCHEMA`; missing new-unit codes are ``NA``.
    """
    import pandas as pd

    rows = [
        {
            "province_code": p.code,
            "name_vi": p.name_vi,
            "name_ascii": p.name_ascii,
            "slug": p.slug,
            "pci_id": p.pci_id,
            "papi_id": p.papi_id,
            "status_2025": p.status_2025,
            "new_unit_2025": p.new_unit_2025,
            "new_unit_code_2025": p.new_unit_code_2025,
            "code_source": p.code_source,
            "merger_source": p.merger_source,
            "new_code_source": p.new_code_source,
            "region": p.region,
            "region_en": p.region_en,
            "region_source": p.region_source,
            "centroid_lat": p.centroid_lat,
            "centroid_lon": p.centroid_lon,
            "centroid_source": p.centroid_source,
        }
        for p in _registry()
    ]
    frame = pd.DataFrame(rows)
    for col in frame.columns:
        if col in ("pci_id", "papi_id"):
            frame[col] = frame[col].astype("Int64")
        elif col in ("centroid_lat", "centroid_lon"):
            frame[col] = frame[col].astype("Float64")
        else:
            frame[col] = frame[col].astype("string")
    return frame


def new_units_frame() -> pd.DataFrame:
    """Return the 34-unit view from 1 July 2025: one row per pre-2025 province and its unit.

    Columns ``new_unit_2025``, ``new_unit_code_2025``, ``new_unit_regions`` (the
    regions its old provinces belong to), ``province_code``, ``name_vi``,
    ``region``. No figure of a new unit is computed from its old provinces: index
    values stay on the old provinces, mapped through this table.
    """
    import pandas as pd

    rows = [
        {
            "new_unit_2025": unit.name,
            "new_unit_code_2025": unit.code,
            "new_unit_regions": " | ".join(unit.regions),
            "province_code": p.code,
            "name_vi": p.name_vi,
            "region": p.region,
        }
        for unit in new_units()
        for p in old_units(unit)
    ]
    return pd.DataFrame(rows).astype("string")


def _make_schema() -> Any:
    import pandera.pandas as pa

    text = dict(dtype="string", nullable=False)
    return pa.DataFrameSchema(
        {
            "province_code": pa.Column(
                unique=True,
                checks=pa.Check.str_matches(r"^\d{2}$"),
                description="GSO province code before 2025 (two digits), e.g. 66 = Đắk Lắk",
                **text,
            ),
            "name_vi": pa.Column(unique=True, description="Name with diacritics (NFC)", **text),
            "name_ascii": pa.Column(description="Name without diacritics", **text),
            "slug": pa.Column(unique=True, description="ASCII file-name slug", **text),
            "pci_id": pa.Column(
                "Int64",
                unique=True,
                nullable=False,
                description="Province id in the PCI spreadsheets",
            ),
            "papi_id": pa.Column(
                "Int64",
                unique=True,
                nullable=False,
                description="Province id in the PAPI spreadsheets",
            ),
            "status_2025": pa.Column(
                checks=pa.Check.isin(STATUSES_2025),
                description="merged or unchanged on 1 July 2025 (Resolution 202/2025/QH15)",
                **text,
            ),
            "new_unit_2025": pa.Column(
                description="The provincial unit it belongs to from 1 July 2025 (34 units)", **text
            ),
            "new_unit_code_2025": pa.Column(
                "string",
                nullable=True,
                description="Code of the 2025 unit; NA where no source gives it",
            ),
            "code_source": pa.Column(description="Source of the GSO code", **text),
            "merger_source": pa.Column(description="Source of the 2025 merger assignment", **text),
            "new_code_source": pa.Column(
                "string", nullable=True, description="Source of the 2025 unit code; NA if unknown"
            ),
            "region": pa.Column(
                checks=pa.Check.isin(REGIONS),
                description="Socio-economic region (vùng kinh tế - xã hội) of Resolution "
                "81/2023/QH15, as the PAR Index and PCI reports group provinces",
                **text,
            ),
            "region_en": pa.Column(description="English label of the region", **text),
            "region_source": pa.Column(description="Source of the region", **text),
            "centroid_lat": pa.Column(
                "Float64",
                nullable=False,
                checks=pa.Check.in_range(8.0, 23.5),
                description="Latitude of the centroid of the province's area (WGS84 degrees); "
                "derived from published boundaries, see centroid_source",
            ),
            "centroid_lon": pa.Column(
                "Float64",
                nullable=False,
                checks=pa.Check.in_range(102.0, 110.0),
                description="Longitude of the centroid (WGS84 degrees); derived, see "
                "centroid_source",
            ),
            "centroid_source": pa.Column(
                description="How the centroid was computed and from which boundaries", **text
            ),
        },
        strict=True,
        ordered=True,
        name="provinces",
        description="The 63 pre-2025 provinces, their spreadsheet ids, their 2025 units, "
        "socio-economic regions and centroids",
    )


def __getattr__(name: str) -> Any:
    # SCHEMA needs pandera (and so pandas); build it on first access only.
    if name == "SCHEMA":
        schema = _make_schema()
        globals()["SCHEMA"] = schema
        return schema
    raise AttributeError(f"module 'parstats.provinces' has no attribute {name!r}")
