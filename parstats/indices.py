"""Provincial governance indices (PCI, PAPI, PAR Index, SIPAS, PGI) with provenance.

Every CSV file in ``data/raw/indices/`` holds published figures, one a row, in the
columns ``index, province, year, measure, value, source, snippet`` and, optionally,
``source_kind`` (see ``data/raw/indices/SOURCES.md``). :func:`build_frame` reads
them all and returns the tidy ``indices`` table:

- every row carries its canonical measure (``measure_id``, :mod:`parstats.measures`)
  beside the name it was published under (``measure``);
- values are stored as published: where a raw file rounds a value and its snippet
  holds the full cell (``observations.csv`` rounds to 2 decimals), the full cell is
  the value; rounding is for display only;
- figures that agree (:func:`parstats.precedence.agree`) under one published name
  become one row listing every source (``n_sources`` > 1);
- figures of one canonical measure that disagree are kept side by side, each
  flagged ``conflict``; ``preferred`` marks the one the precedence of
  :mod:`parstats.precedence` chooses (official dataset > official report >
  derived > press), and none when the best sources disagree among themselves;
- PAPI dimension scores, unweighted totals and ranks computed from the published
  sub-dimension scores are rows of their own, ``origin="derived"``, with the
  ``formula``;
- numbers are in ``value``; tiers and notes (``"Khá"``, ``"not scored"``) only
  in ``value_text``, which always holds the published text;
- aggregates such as ``(63-province average)`` keep a null ``province_code`` and
  ``is_aggregate`` set;
- each row carries the scale of its index-year-measure (:mod:`parstats.scales`).

:func:`panel` gives a province × year table of one measure (by canonical id or any
published name); :func:`conflicts` lists every disagreement and how it was settled.
:func:`derive_ranks` computes ranks from scores, marked ``origin="derived"``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from parstats.errors import (
    DroppedRowsWarning,
    InputError,
    ParstatsWarning,
    SchemaError,
    UnknownProvinceError,
)
from parstats.paths import processed_dir, raw_indices_dir
from parstats.precedence import (
    DECLARABLE_KINDS,
    SOURCE_KINDS,
    agree,
    decimals,
    rank,
    significant,
    source_kind,
    tolerance,
)
from parstats.scales import (
    MEASURE_KINDS,
    SCALE_UNITS,
    Scale,
    check_comparable,
    comparable_segments,
    scale_for,
)
from parstats.vocab import INDEX_NAMES
from parstats.warn import warn_user

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.provinces import Province

__all__ = [
    "ConflictWarning",
    "RAW_COLUMNS",
    "build_frame",
    "check_comparable",
    "comparable_segments",
    "conflicts",
    "derive_ranks",
    "for_province",
    "load",
    "panel",
    "processed_path",
    "raw_files",
    "write_processed",
]

RAW_COLUMNS: tuple[str, ...] = (
    "index",
    "province",
    "year",
    "measure",
    "value",
    "source",
    "snippet",
)
RAW_KIND_COLUMN = "source_kind"
"""Optional eighth raw column: the source's kind when its address does not say it."""
PROCESSED_NAME = "indices.parquet"
SEP = "\n"  # joins several sources / snippets / raw references in one cell
ORIGINS: tuple[str, ...] = ("published", "derived")
YEAR_RANGE = (1990, 2100)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

COLUMNS: tuple[str, ...] = (
    "index",
    "province_code",
    "province",
    "is_aggregate",
    "year",
    "measure",
    "measure_id",
    "measure_label",
    "measure_kind",
    "is_measure",
    "value",
    "value_text",
    "unit",
    "scale_min",
    "scale_max",
    "scale_version",
    "scale_note",
    "origin",
    "formula",
    "source_kind",
    "conflict",
    "preferred",
    "n_sources",
    "sources",
    "snippets",
    "raw_refs",
    "note",
)


class ConflictWarning(ParstatsWarning):
    """Sources disagree; the message lists which value was used and which were overridden."""


# Caveats documented in data/raw/indices/SOURCES.md, attached to the rows they concern.
# Keyed by (index, province_code, year); attached to the score and rank rows read from
# the spreadsheet concerned (source path ".../PCI/PCI YYYY.xlsx").
_KNOWN_NOTES: dict[tuple[str, str, int], str] = {
    ("PCI", "79", 2019): (
        "withheld (N/A) on pcivietnam.vn; the figure is from the VCCI spreadsheet "
        "(PCI 2019.xlsx), which has 67.16, rank 14 (SOURCES.md)"
    ),
    **{
        ("PCI", "01", year): (
            "the source spreadsheet repeats the Hà Nội row; one copy kept (SOURCES.md)"
        )
        for year in (2017, 2018, 2019)
    },
}


# --------------------------------------------------------------------------- reading raw


@dataclass(frozen=True)
class RawRow:
    """One published figure as read from a raw file, checked but not yet collapsed.

    Attributes
    ----------
    index, year, measure, value_text, source, snippet
        The raw fields (NFC, stripped).
    province
        Canonical name (``name_vi``) or, for aggregates, the bracketed label.
    province_code
        GSO code, ``None`` for aggregates.
    file, line
        Where the row was read (file name inside ``data/raw/indices``, 1-based line).
    measure_id
        The canonical measure (:func:`parstats.measures.canonical`).
    published
        The value as published: the full cell from the snippet where the raw
        ``value`` is a rounding of it (:func:`unrounded`), else ``value_text``.
    source_kind
        ``official_dataset``, ``official_report`` or ``press``
        (:mod:`parstats.precedence`).
    """

    index: str
    province: str
    province_code: str | None
    year: int
    measure: str
    value_text: str
    source: str
    snippet: str
    file: str
    line: int
    measure_id: str = ""
    published: str = ""
    source_kind: str = "press"


def raw_files(directory: Path | None = None) -> tuple[Path, ...]:
    """Return the raw index files (every ``*.csv`` in ``data/raw/indices``), sorted by name."""
    directory = raw_indices_dir() if directory is None else Path(directory)
    return tuple(sorted(p for p in directory.glob("*.csv") if p.is_file()))


def is_aggregate_label(name: str) -> bool:
    """Return whether a province cell is an aggregate label such as ``(63-province average)``."""
    text = name.strip()
    return text.startswith("(") and text.endswith(")")


def parse_value(text: str) -> float | None:
    """Return the number in a published value cell, or ``None`` for text (tiers, notes).

    ``.`` is the decimal point in the raw files (``"86.98"``; ``"90.10"``).
    """
    stripped = text.strip()
    if _NUMBER.fullmatch(stripped):
        return float(stripped)
    return None


_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_YEAR = re.compile(r"\d{4}")


_CELL = re.compile(r"=\s*([+-]?\d+\.\d+)(?![\d.])")


def unrounded(value_text: str, snippet: str) -> str | None:
    """Return the full published cell behind a rounded raw value, if the snippet holds it.

    ``observations.csv`` gives ``value`` rounded to 2 decimals and keeps the cell
    in ``snippet`` (``"... Transparency=4.958939"``). The cell is returned when
    exactly one ``=NUMBER`` in the snippet has more decimals than ``value_text``
    and rounds to it; otherwise ``None`` (the value is as published).

    Examples
    --------
    >>> unrounded("4.96", "PAPI 2011-2019.xlsx row 'An Giang': Transparency=4.958939")
    '4.958939'
    >>> unrounded("64.99", "row 'Kien Giang': Điểm=64.99") is None
    True
    """
    number = parse_value(value_text)
    if number is None or "=" not in snippet:
        return None
    places = decimals(value_text)
    if places == 0:  # a whole number (a rank) is not a rounding
        return None
    found = {
        m.group(1)
        for m in _CELL.finditer(snippet)
        if decimals(m.group(1)) > places
        and abs(float(m.group(1)) - number) <= 0.5 * 10.0**-places + 1e-9
    }
    return significant(found.pop()) if len(found) == 1 else None


def _check_text(fields: dict[str, str], path: Path, line: int) -> None:
    for name, text in fields.items():
        bad = _CONTROL.search(text)
        if bad:
            raise InputError(
                f"{name} holds a control character ({bad.group()!r}); raw index files hold "
                "plain text only",
                path=path,
                line=line,
                value=text,
            )


# Any character that may need NFC composition (combining marks, decomposed text) or that
# is a control character; a record without one is NFC already and clean.
_CONTROL_OR_MARK = re.compile(r"[\x00-\x1f\x7f-\x9f\u0300-\u036f\u1100-\u11ff]")


@lru_cache(maxsize=4096)
def _canonical(index: str, measure: str, year: int) -> Any:
    from parstats.measures import canonical

    return canonical(index, measure, year)


def read_raw_file(path: Path) -> list[RawRow]:
    """Read and check one raw index file.

    Raises
    ------
    InputError
        Naming the file, line and value, if a column is missing or a row has an
        unknown index or province, a bad year, a measure the catalogue does not
        know, an empty value, no source, an unknown source kind or a control
        character.
    """
    from parstats.provinces import resolve
    from parstats.vn import nfc

    path = Path(path)
    rows: list[RawRow] = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = tuple(next(reader, ()))
        if header not in (RAW_COLUMNS, (*RAW_COLUMNS, RAW_KIND_COLUMN)):
            raise InputError(
                f"expected the columns {', '.join(RAW_COLUMNS)} (and optionally "
                f"{RAW_KIND_COLUMN}); got {', '.join(header)}; to add a published table, use "
                "`parstats indices import`",
                path=path,
                line=1,
            )
        width = len(header)
        for cells in reader:
            line = reader.line_num
            if len(cells) != width:
                if not any(c.strip() for c in cells):
                    continue  # a blank line carries no figure
                raise InputError(
                    f"expected {width} fields, got {len(cells)}", path=path, line=line,
                    value=cells,
                )
            if _CONTROL_OR_MARK.search("".join(cells)):
                f = {k: nfc(v.strip()) for k, v in zip(header, cells, strict=True)}
                _check_text(f, path, line)
            else:  # no combining mark, no control character: NFC already
                f = {k: v.strip() for k, v in zip(header, cells, strict=True)}
            if f["index"] not in INDEX_NAMES:
                raise InputError(
                    f"index must be one of {', '.join(INDEX_NAMES)}",
                    path=path,
                    line=line,
                    value=f["index"],
                )
            if not _YEAR.fullmatch(f["year"]) or not (
                YEAR_RANGE[0] <= int(f["year"]) <= YEAR_RANGE[1]
            ):
                raise InputError(
                    f"year must be a four-digit year in {YEAR_RANGE[0]}..{YEAR_RANGE[1]}",
                    path=path,
                    line=line,
                    value=f["year"],
                )
            try:
                found = _canonical(f["index"], f["measure"], int(f["year"]))
            except InputError as exc:
                raise InputError(exc.reason, path=path, line=line, value=f["measure"]) from None
            if not f["value"]:
                raise InputError(
                    "value is empty (a figure or published text expected)", path=path, line=line
                )
            if not f["source"]:
                raise InputError(
                    "source is empty: every figure needs a web address or document",
                    path=path,
                    line=line,
                )
            kind = f.get(RAW_KIND_COLUMN) or source_kind(f["source"])
            if kind not in DECLARABLE_KINDS:
                raise InputError(
                    f"{RAW_KIND_COLUMN} must be one of {', '.join(DECLARABLE_KINDS)} or empty",
                    path=path,
                    line=line,
                    value=kind,
                )
            if is_aggregate_label(f["province"]):
                province, code = f["province"], None
            else:
                try:
                    p = resolve(f["province"])
                except UnknownProvinceError as exc:
                    raise UnknownProvinceError(
                        exc.reason, path=path, line=line, value=f["province"]
                    ) from None
                province, code = p.name_vi, p.code
            snippet = f["snippet"]
            rows.append(
                RawRow(
                    index=f["index"],
                    province=province,
                    province_code=code,
                    year=int(f["year"]),
                    measure=f["measure"],
                    value_text=f["value"],
                    source=f["source"],
                    snippet=f["snippet"],
                    file=path.name,
                    line=line,
                    measure_id=found.id,
                    published=(unrounded(f["value"], snippet) if "=" in snippet else None)
                    or f["value"],
                    source_kind=kind,
                )
            )
    return rows


def _file_keys(directory: Path | None = None) -> tuple[tuple[str, str], ...]:
    """(name, sha256) of every raw index file: what the table is built from."""
    from parstats.io import sha256_file

    return tuple((path.name, sha256_file(path)) for path in raw_files(directory))


def read_raw(directory: Path | None = None) -> list[RawRow]:
    """Read every raw index file, in file-name then line order."""
    directory = raw_indices_dir() if directory is None else Path(directory)
    rows: list[RawRow] = []
    for key in _file_keys(directory):
        # Keyed on the file's name and bytes: a copy elsewhere with the same bytes
        # gives the same rows; any change to the bytes reads the file again.
        if key not in _RAW_CACHE:
            if len(_RAW_CACHE) >= 32:
                _RAW_CACHE.clear()
            _RAW_CACHE[key] = tuple(read_raw_file(directory / key[0]))
        rows.extend(_RAW_CACHE[key])
    return rows


_RAW_CACHE: dict[tuple[str, str], tuple[RawRow, ...]] = {}
_TABLE_CACHE: dict[tuple, pd.DataFrame] = {}
"""Assembled tables by the (name, sha256) of their raw files and the package data they
depend on: the same files give the same table, so an import's check and the rebuild that
follows assemble it once."""


def _table_key(files: tuple[tuple[str, str], ...]) -> tuple:
    from parstats.io import sha256_file
    from parstats.paths import package_data

    data = tuple(sha256_file(package_data(n)) for n in ("measures.csv", "source_kinds.csv"))
    return (files, data)


def _remember(key: tuple, frame: pd.DataFrame) -> None:
    if len(_TABLE_CACHE) >= 2:
        _TABLE_CACHE.pop(next(iter(_TABLE_CACHE)))
    _TABLE_CACHE[key] = frame.copy()


# --------------------------------------------------------------------------- figures


@dataclass
class Figure:
    """One row of the table under construction: a value and everything behind it.

    ``value`` is the number (``None`` for text); ``text`` the published text it
    was read from (the most precise of ``texts``); ``refs`` the raw rows behind it.
    """

    index: str
    province_code: str | None
    province: str
    year: int
    measure: str
    measure_id: str
    origin: str
    kind: str
    value: float | None
    text: str
    texts: list[str]
    sources: list[str]
    snippets: list[str]
    refs: list[tuple[str, int]]
    formula: str | None = None
    notes: list[str] | None = None
    conflict: bool = False
    preferred: bool = True
    out_of_scale: bool = False
    slack: float = 0.0

    @property
    def key(self) -> tuple[str, str | None, str, int, str]:
        """The canonical key: index, province code, province, year, measure id."""
        return (self.index, self.province_code, self.province, self.year, self.measure_id)

    @property
    def places(self) -> int:
        """Decimals of the published text (the figure's precision)."""
        return decimals(self.text)

    def agrees(self, other: Figure) -> bool:
        """Whether two figures are the same figure (:mod:`parstats.precedence`).

        A derived sum carries the rounding of its inputs (``slack``: half a unit in
        the last digit of each input), so it agrees with any figure within that.
        """
        if self.value is None or other.value is None:
            if self.value is not None or other.value is not None:
                return False
            return _text_key(self.text) == _text_key(other.text)
        if self.slack or other.slack:
            return abs(self.value - other.value) < max(
                tolerance(self.places, other.places), self.slack + other.slack
            )
        return agree(self.value, self.places, other.value, other.places)

    def describe(self) -> str:
        """``48.881 (press: https://...)``: the value, its source kind and first source."""
        more = f" and {len(self.sources) - 1} more" if len(self.sources) > 1 else ""
        return f"{self.text} ({self.kind}: {self.sources[0]}{more})"


def _text_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _figure_from(members: list[RawRow]) -> Figure:
    """One published figure from the raw rows that agree on it (the most precise text first)."""
    if len(members) == 1:
        m = members[0]
        return Figure(
            index=m.index,
            province_code=m.province_code,
            province=m.province,
            year=m.year,
            measure=m.measure,
            measure_id=m.measure_id,
            origin="published",
            kind=m.source_kind,
            value=parse_value(m.published),
            text=m.published,
            texts=[m.published],
            sources=[m.source],
            snippets=[m.snippet] if m.snippet else [],
            refs=[(m.file, m.line)],
        )
    best = max(members, key=lambda r: (decimals(r.published), -rank(r.source_kind)))
    kinds = sorted({m.source_kind for m in members}, key=rank)
    return Figure(
        index=best.index,
        province_code=best.province_code,
        province=best.province,
        year=best.year,
        measure=best.measure,
        measure_id=best.measure_id,
        origin="published",
        kind=kinds[0],
        value=parse_value(best.published),
        text=best.published,
        texts=_unique([best.published, *(m.published for m in members)]),
        sources=_unique([m.source for m in members]),
        snippets=_unique([m.snippet for m in members if m.snippet]),
        refs=[(m.file, m.line) for m in members],
    )


def _published_figures(rows: list[RawRow]) -> list[Figure]:
    """Group raw rows by published key; rows that agree on the value make one figure."""
    groups: dict[tuple, list[list[RawRow]]] = {}
    for row in rows:
        key = (row.index, row.province_code, row.province, row.year, row.measure)
        clusters = groups.get(key)
        if clusters is None:
            groups[key] = [[row]]
            continue
        number = parse_value(row.published)
        for cluster in clusters:
            head = cluster[0]
            other = parse_value(head.published)
            if number is None or other is None:
                same = number is None and other is None and _text_key(
                    head.published
                ) == _text_key(row.published)
            else:
                same = agree(number, decimals(row.published), other, decimals(head.published))
            if same:
                cluster.append(row)
                break
        else:
            clusters.append([row])
    return [_figure_from(c) for clusters in groups.values() for c in clusters]


# --------------------------------------------------------------------------- precedence


@dataclass(frozen=True)
class Choice:
    """How the figures of one canonical key were settled.

    Attributes
    ----------
    preferred
        Position of the preferred figure, ``None`` when the best sources disagree.
    conflict
        Whether the figures disagree at all.
    note
        What disagrees and what was chosen, ``None`` without a conflict.
    """

    preferred: int | None
    conflict: bool
    note: str | None


def _order(f: Figure) -> tuple[int, int, int]:
    return (rank(f.kind), -f.places, 0 if f.origin == "published" else 1)


def choose(figures: list[Figure]) -> Choice:
    """Settle the figures of one canonical key by precedence (:mod:`parstats.precedence`).

    The best-ranked figure is preferred (the most precise among equals). When a
    figure disagrees with it, the key is a conflict; when a figure of the same
    rank disagrees with it, nothing is preferred (the sources that count most
    disagree among themselves).
    """
    usable = [i for i, f in enumerate(figures) if not f.out_of_scale]
    if not usable:
        return Choice(None, False, None)
    ordered = sorted(usable, key=lambda i: _order(figures[i]))
    best = figures[ordered[0]]
    against = [figures[i] for i in ordered[1:] if not figures[i].agrees(best)]
    if not against:
        return Choice(ordered[0], False, None)
    listed = "; ".join(f.describe() for f in [best, *against])
    tied = [f for f in against if rank(f.kind) == rank(best.kind)]
    if tied:
        return Choice(
            None,
            True,
            f"sources disagree: {listed}; sources of the same precedence ({best.kind}) "
            "disagree, so no value is preferred",
        )
    return Choice(
        ordered[0],
        True,
        f"sources disagree: {listed}; {best.text} preferred ({best.kind} outranks "
        + ", ".join(_unique([f.kind for f in against]))
        + ")",
    )


def _settle(figures: list[Figure]) -> None:
    """Set ``conflict``, ``preferred`` and the conflict note of every figure, key by key."""
    by_key: dict[tuple, list[Figure]] = {}
    for f in figures:
        by_key.setdefault(f.key, []).append(f)
    for group in by_key.values():
        if len(group) == 1:
            f = group[0]
            f.conflict = False
            f.preferred = not f.out_of_scale
            if f.notes:
                f.notes = [n for n in f.notes if not n.startswith("sources disagree")]
            continue
        choice = choose(group)
        for i, f in enumerate(group):
            f.conflict = choice.conflict
            f.preferred = choice.preferred == i
            notes = [n for n in (f.notes or []) if not n.startswith("sources disagree")]
            if choice.note:
                notes.insert(0, choice.note)
            f.notes = notes


# --------------------------------------------------------------------------- records


def _compress_refs(refs: list[tuple[str, int]]) -> str:
    """``file:2-30`` runs of consecutive lines, one a line (:data:`SEP`)."""
    if len(refs) == 1:
        return f"{refs[0][0]}:{refs[0][1]}"
    out: list[str] = []
    by_file: dict[str, list[int]] = {}
    for name, line in refs:
        by_file.setdefault(name, []).append(line)
    for name, lines in by_file.items():
        lines = sorted(set(lines))
        start = prev = lines[0]
        for line in [*lines[1:], None]:
            if line is not None and line == prev + 1:
                prev = line
                continue
            out.append(f"{name}:{start}" if start == prev else f"{name}:{start}-{prev}")
            if line is not None:
                start = prev = line
    return SEP.join(out)


@lru_cache(maxsize=8192)
def _measure_and_scale(index: str, year: int, measure: str, measure_id: str) -> tuple[Any, Scale]:
    from parstats.measures import get

    return get(index, measure_id), scale_for(index, year, measure)


def _record(f: Figure) -> dict[str, Any]:
    measure, scale = _measure_and_scale(
        f.index, f.year, f.measure if f.origin == "published" else f.measure_id, f.measure_id
    )
    notes = list(f.notes or [])
    value = f.value
    if value is not None and scale.numeric and not scale.contains(value):
        notes.append(
            f"published cell {f.text!r} lies outside the scale {scale.label}; kept in "
            "value_text, value left missing"
        )
        value = None
    if value is not None and not scale.numeric:
        value = None  # a tier or note that happens to look like a number
    if f.origin == "published" and f.province_code is not None and measure.kind in (
        "score",
        "rank",
    ):
        known = _KNOWN_NOTES.get((f.index, f.province_code, f.year))
        if known and any(f"{f.index}/{f.index} {f.year}" in s for s in f.sources):
            notes.append(known)
    high = scale.high
    if f.origin == "derived" and measure.kind == "rank" and f.formula:
        n = re.search(r"among the (\d+) provinces", f.formula)
        high = float(n.group(1)) if n else high
    return {
        "index": f.index,
        "province_code": f.province_code,
        "province": f.province,
        "is_aggregate": f.province_code is None,
        "year": f.year,
        "measure": f.measure,
        "measure_id": f.measure_id,
        "measure_label": measure.label_en,
        "measure_kind": measure.kind,
        "is_measure": measure.is_measure,
        "value": value,
        "value_text": SEP.join(f.texts),
        "unit": scale.unit,
        "scale_min": scale.low,
        "scale_max": high,
        "scale_version": scale.version,
        "scale_note": scale.note,
        "origin": f.origin,
        "formula": f.formula,
        "source_kind": f.kind,
        "conflict": f.conflict,
        "preferred": f.preferred,
        "n_sources": len(f.sources),
        "sources": SEP.join(f.sources),
        "snippets": SEP.join(f.snippets),
        "raw_refs": _compress_refs(f.refs),
        "note": "; ".join(notes) or None,
    }


def _mark_out_of_scale(figures: list[Figure]) -> None:
    """Flag figures outside their scale, so precedence never prefers them."""
    for f in figures:
        if f.value is None:
            continue
        _, scale = _measure_and_scale(
            f.index, f.year, f.measure if f.origin == "published" else f.measure_id, f.measure_id
        )
        f.out_of_scale = scale.numeric and not scale.contains(f.value)


def _collapse(rows: list[RawRow]) -> list[dict[str, Any]]:
    """Raw rows to table records: published figures, derived PAPI figures, settled."""
    from parstats.derive import derive_papi

    figures = _published_figures(rows)
    _mark_out_of_scale(figures)
    _settle(figures)
    figures.extend(derive_papi(figures))
    _settle(figures)
    return [_record(f) for f in figures]


_DTYPES = {
    "index": "string",
    "province_code": "string",
    "province": "string",
    "is_aggregate": "bool",
    "year": "Int64",
    "measure": "string",
    "measure_id": "string",
    "measure_label": "string",
    "measure_kind": "string",
    "is_measure": "bool",
    "value": "Float64",
    "value_text": "string",
    "unit": "string",
    "scale_min": "Float64",
    "scale_max": "Float64",
    "scale_version": "string",
    "scale_note": "string",
    "origin": "string",
    "formula": "string",
    "source_kind": "string",
    "conflict": "bool",
    "preferred": "bool",
    "n_sources": "Int64",
    "sources": "string",
    "snippets": "string",
    "raw_refs": "string",
    "note": "string",
}

SORT_KEYS = [
    "index",
    "year",
    "province_code",
    "province",
    "measure_id",
    "origin",
    "measure",
    "value_text",
    "sources",
]


def frame_from_records(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Return the typed, deterministically sorted table for collapsed records."""
    import pandas as pd

    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    frame = frame.astype(_DTYPES)
    frame = frame.sort_values(SORT_KEYS, na_position="last", kind="mergesort")
    return frame.reset_index(drop=True)


def assemble(rows: list[RawRow]) -> pd.DataFrame:
    """Collapse checked raw rows into the validated ``indices`` table."""
    frame = frame_from_records(_collapse(rows))
    return validate(frame)


def build_frame(directory: Path | None = None) -> pd.DataFrame:
    """Build the ``indices`` table from every raw index file.

    Parameters
    ----------
    directory
        Where the raw files are; ``data/raw/indices`` by default.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, validated against :data:`SCHEMA`, sorted by index,
        year, province code, measure (same input, same bytes).

    Raises
    ------
    InputError
        A bad raw row, with file, line and value.
    SchemaError
        If the assembled table breaks the schema.
    """
    key = _table_key(_file_keys(directory))
    cached = _TABLE_CACHE.get(key)
    if cached is not None:
        return cached.copy()
    frame = assemble(read_raw(directory))
    _remember(key, frame)
    return frame


# --------------------------------------------------------------------------- schema


def _make_schema() -> Any:
    import pandera.pandas as pa

    def col(dtype: str, description: str, nullable: bool = False, **kw: Any) -> Any:
        return pa.Column(dtype, nullable=nullable, description=description, **kw)

    return pa.DataFrameSchema(
        {
            "index": col(
                "string",
                "Index: PAR (Chỉ số cải cách hành chính), SIPAS, PAPI, PCI or PGI",
                checks=pa.Check.isin(INDEX_NAMES),
            ),
            "province_code": col(
                "string",
                "Pre-2025 GSO province code; NA for aggregates such as the 63-province average",
                nullable=True,
                checks=pa.Check.str_matches(r"^\d{2}$"),
            ),
            "province": col(
                "string", "Province name (registry name_vi) or the aggregate's bracketed label"
            ),
            "is_aggregate": col("bool", "True for aggregates (averages), which are not provinces"),
            "year": col(
                "Int64",
                "Survey year the index describes (PAR 2023 was published in 2024)",
                checks=pa.Check.in_range(*YEAR_RANGE),
            ),
            "measure": col(
                "string",
                "The measure's name as published (score, rank, 'dimension: NAME', 'total (...)' "
                "...); for a derived row its canonical id",
            ),
            "measure_id": col(
                "string",
                "Canonical measure within the index (parstats/data/measures.csv): one id for "
                "every name the measure was published under",
            ),
            "measure_label": col("string", "English label of the canonical measure"),
            "measure_kind": col(
                "string",
                "Kind of the canonical measure (score, rank, total, dimension, sub-dimension, "
                "sub-index, ...)",
                checks=pa.Check.isin(MEASURE_KINDS),
            ),
            "is_measure": col(
                "bool", "False for notes and statements that are not measures ('not scored')"
            ),
            "value": col(
                "Float64",
                "The figure as a number, unrounded (as published); NA for text (tiers, notes) or "
                "a cell outside the scale",
                nullable=True,
            ),
            "value_text": col(
                "string",
                "The value as published, newline-separated when sources print it differently "
                "(the full spreadsheet cell where the raw file rounds it and its snippet has it)",
            ),
            "unit": col(
                "string",
                "points, percent, rank, category or text",
                checks=pa.Check.isin(SCALE_UNITS),
            ),
            "scale_min": col("Float64", "Lower bound of the scale; NA if unknown", nullable=True),
            "scale_max": col(
                "Float64",
                "Upper bound of the scale; NA if unknown; for a derived rank, the number of "
                "provinces ranked",
                nullable=True,
            ),
            "scale_version": col(
                "string",
                "Comparability segment: values of different versions must not share an axis",
            ),
            "scale_note": col("string", "What the scale is and where its bounds come from"),
            "origin": col(
                "string",
                "published (as in a source) or derived (computed by parstats from published "
                "figures; see formula)",
                checks=pa.Check.isin(ORIGINS),
            ),
            "formula": col(
                "string", "How a derived value was computed; NA for published values", True
            ),
            "source_kind": col(
                "string",
                "Best kind among the sources: official_dataset > official_report > derived > "
                "press (the precedence applied to conflicts)",
                checks=pa.Check.isin(SOURCE_KINDS),
            ),
            "conflict": col(
                "bool",
                "True when the values for this index, province, year and canonical measure "
                "disagree; all are kept",
            ),
            "preferred": col(
                "bool",
                "True for the one value of its index, province, year and canonical measure that "
                "parstats uses by default (precedence; none when the best sources disagree)",
            ),
            "n_sources": col(
                "Int64", "Number of distinct sources giving this value", checks=pa.Check.ge(1)
            ),
            "sources": col(
                "string",
                "Sources (web address or github:OWNER/REPO@COMMIT PATH), newline-separated; for a "
                "derived value the sources of its inputs",
                checks=pa.Check.str_length(min_value=1),
            ),
            "snippets": col(
                "string", "The text or cell each value was read from, newline-separated"
            ),
            "raw_refs": col(
                "string",
                "FILE:LINE (or FILE:FIRST-LAST) of each raw row behind this value "
                "(data/raw/indices), newline-separated",
                checks=pa.Check.str_length(min_value=1),
            ),
            "note": col("string", "Caveats: conflicts, withheld values, out-of-scale cells", True),
        },
        checks=[
            pa.Check(
                lambda df: df["is_aggregate"] == df["province_code"].isna(),
                error="is_aggregate must be true exactly when province_code is NA",
            ),
            pa.Check(
                lambda df: (df["origin"] == "derived") == df["formula"].notna(),
                error="a derived row has a formula, a published row none",
            ),
        ],
        strict=True,
        ordered=True,
        name="indices",
        description=(
            "Provincial governance index figures, one per index, province, year, published "
            "measure and distinct value, each with its canonical measure and sources; derived "
            "PAPI figures marked with their formula"
        ),
    )


def validate(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate ``frame`` against :data:`SCHEMA`; raise :class:`SchemaError` with the failures."""
    import pandera.errors

    try:
        return _schema().validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(10).to_string()
        raise SchemaError(f"indices table breaks its schema:\n{cases}") from None


@lru_cache(maxsize=1)
def _schema() -> Any:
    return _make_schema()


def __getattr__(name: str) -> Any:
    # SCHEMA needs pandera; build it on first access only.
    if name == "SCHEMA":
        schema = _schema()
        globals()["SCHEMA"] = schema
        return schema
    raise AttributeError(f"module 'parstats.indices' has no attribute {name!r}")


# --------------------------------------------------------------------------- processed file


def processed_path() -> Path:
    """Return ``data/processed/indices.parquet``."""
    return processed_dir() / PROCESSED_NAME


def _is_fresh(path: Path, directory: Path | None = None) -> bool:
    if not path.exists():
        return False
    files = raw_files(directory)
    built = path.stat().st_mtime
    return all(f.stat().st_mtime <= built for f in files)


def write_processed(path: Path | None = None, directory: Path | None = None) -> Path:
    """Rebuild the ``indices`` table from the raw index files and write it (atomically).

    Only this one file is written; ``parstats build`` (:func:`parstats.build.build`)
    rebuilds the whole processed package, which is what an import needs.

    Parameters
    ----------
    path
        Output file; ``data/processed/indices.parquet`` by default (``.csv`` also works).
    directory
        Raw index folder; ``data/raw/indices`` by default.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    from parstats.io import write_frame

    target = processed_path() if path is None else Path(path)
    return write_frame(build_frame(directory), target)


def _ref_files(cell: str) -> set[str]:
    return {r.rsplit(":", 1)[0] for r in cell.split(SEP)}


def load(*, rebuild: bool = False) -> pd.DataFrame:
    """Return the ``indices`` table.

    Reads ``data/processed/indices.parquet`` if it exists, is newer than every
    raw index file and has the same set of raw files behind it; otherwise builds
    the table in memory from ``data/raw/indices`` (nothing is written).

    Parameters
    ----------
    rebuild
        Build from the raw files even if the processed file is fresh.
    """
    path = processed_path()
    if not rebuild and _is_fresh(path):
        from parstats.processed import read_parquet_file

        frame = read_parquet_file(path)  # a damaged file says so (run `parstats build`)
        if list(frame.columns) == list(COLUMNS):
            refs = set().union(*(_ref_files(cell) for cell in frame["raw_refs"].unique()))
            if refs == {p.name for p in raw_files()}:
                return validate(frame.astype(_DTYPES))
    return build_frame()


# --------------------------------------------------------------------------- views

HEADLINE: dict[str, str] = {
    "PAR": "score",
    "SIPAS": "score",
    "PAPI": "total_unweighted",
    "PCI": "score",
    "PGI": "score",
}
"""Each index's headline score (canonical measure): PAPI's is the unweighted total,
published for 2011-2017 and derived from the sub-dimensions for every year to 2024 (the
weighted 2019 total is another measure and never shares its axis)."""


def headline_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Return each index's headline score and its rank, one preferred value per province-year.

    The rows a province's trajectory is drawn from (reports, plots): the measure of
    :data:`HEADLINE` and ``rank``, the value precedence prefers
    (``preferred``), published or derived (``origin`` says which; a derived value
    is a separate segment of a plot, like a change of scale).
    """
    headline = frame["index"].map(HEADLINE)
    wanted = (frame["measure_id"] == headline) | (frame["measure_id"] == "rank")
    return frame.loc[wanted.fillna(False) & frame["preferred"]]



def _name_key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _select(frame: pd.DataFrame, index: str | None, measure: str | None) -> pd.DataFrame:
    """Rows of one index and one measure (canonical id or any published name)."""
    mask = frame["index"].notna()
    if index is not None:
        if index not in INDEX_NAMES:
            raise InputError(f"index must be one of {', '.join(INDEX_NAMES)}", value=index)
        mask &= frame["index"] == index
    if measure is not None:
        if index is not None and "measure_id" in frame.columns:
            from parstats.measures import resolve

            mask &= frame["measure_id"] == resolve(index, measure).id
        else:
            wanted = _name_key(measure)
            mask &= frame["measure"].map(_name_key) == wanted
    return frame.loc[mask]


def for_province(
    province: str | Province, index: str | None = None, *, frame: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return every index row of one province, by index, year and measure.

    Parameters
    ----------
    province
        Any spelling :func:`parstats.provinces.resolve` accepts.
    index
        Restrict to one index.
    frame
        The table to read; :func:`load` by default.
    """
    from parstats.provinces import resolve

    p = resolve(province)
    frame = load() if frame is None else frame
    rows = _select(frame, index, None)
    return rows.loc[rows["province_code"] == p.code].reset_index(drop=True)


_RANK_KINDS = ("rank", "dimension rank")


@dataclass(frozen=True)
class Settled:
    """One value per province-year of a panel, and what was overridden to get there.

    Attributes
    ----------
    rows
        One row per province-year (the value used).
    overridden
        Rows not used because a higher-precedence source disagrees.
    unresolved
        Rows of province-years left missing: sources of equal precedence disagree.
    """

    rows: pd.DataFrame
    overridden: pd.DataFrame
    unresolved: pd.DataFrame


def _precedence_order(rows: pd.DataFrame) -> pd.Series:
    kinds = rows["source_kind"] if "source_kind" in rows.columns else None
    if kinds is None:
        return rows["origin"].map({"published": 0, "derived": 2}).fillna(3).astype(int)
    return kinds.map(lambda k: rank(k) if k in SOURCE_KINDS else len(SOURCE_KINDS))


def _first_text(cell: Any) -> str:
    return str(cell).split(SEP, 1)[0]


def _same(a: pd.Series, b: pd.Series) -> bool:
    """Whether two table rows hold the same published figure (:func:`parstats.precedence.agree`)."""
    import pandas as pd

    if pd.isna(a["value"]) or pd.isna(b["value"]):
        return _name_key(_first_text(a["value_text"])) == _name_key(_first_text(b["value_text"]))
    return agree(
        float(a["value"]),
        decimals(_first_text(a["value_text"])),
        float(b["value"]),
        decimals(_first_text(b["value_text"])),
    )


def settle(
    rows: pd.DataFrame, by: str | list[str], referee: pd.DataFrame | None = None
) -> Settled:
    """Choose one value per key by precedence (:mod:`parstats.precedence`).

    Parameters
    ----------
    rows
        Rows of the ``indices`` table.
    by
        The key: a province column (then with ``year``), or a list of columns.
    referee
        Rows left out of the choice (the derived values when only published ones
        are wanted); they settle a tie (see below), nothing else.

    Rows of one key are ranked by source kind, then precision (more decimals
    first), then published before derived. The first is used; a row that
    disagrees with it is *overridden* when of lower rank. When a row of equal
    rank disagrees, the key is *unresolved* (left out) — unless exactly one of
    the tied values agrees with the referee's value for the key (the sum of an
    official dataset's sub-dimensions, say), which is then used.
    """
    keys = [by, "year"] if isinstance(by, str) else list(by)
    if rows.empty:
        return Settled(rows, rows, rows)
    order = rows.assign(
        _rank=_precedence_order(rows).to_numpy(),
        _places=[-decimals(_first_text(t)) for t in rows["value_text"]],
        _derived=(rows["origin"] != "published").to_numpy(),
    ).sort_values([*keys, "_rank", "_places", "_derived"], kind="mergesort")
    sizes = order.groupby(keys, sort=False, dropna=False)[keys[-1]].transform("size")
    keep = list(order.index[(sizes == 1).to_numpy()])
    over: list[Any] = []
    open_: list[Any] = []
    multi = order.loc[(sizes > 1).to_numpy()]
    if not multi.empty:
        judges = _referees(referee, keys)
        figures = _plain(multi)
        key_values = list(zip(*(multi[k].tolist() for k in keys), strict=True))
        start = 0
        for end in range(1, len(figures) + 1):
            if end < len(figures) and _key_eq(key_values[end], key_values[start]):
                continue
            group = figures[start:end]
            _settle_group(group, judges.get(key_values[start]), keep, over, open_)
            start = end
    helper = ["_rank", "_places", "_derived"]
    return Settled(
        rows.loc[keep],
        order.loc[over].drop(columns=helper),
        order.loc[open_].drop(columns=helper),
    )


def _key_eq(a: tuple, b: tuple) -> bool:
    """Key equality where missing equals missing (groupby with dropna=False)."""
    import pandas as pd

    return all(x == y or (pd.isna(x) and pd.isna(y)) for x, y in zip(a, b, strict=True))


@dataclass(frozen=True)
class _Plain:
    """The fields of one table row that precedence and agreement need."""

    label: Any
    rank: int
    value: float | None
    text: str


def _plain(frame: pd.DataFrame) -> list[_Plain]:
    import pandas as pd

    values = frame["value"].astype("Float64").to_numpy(dtype=object, na_value=None)
    return [
        _Plain(i, int(r), None if v is None or pd.isna(v) else float(v), _first_text(t))
        for i, r, v, t in zip(frame.index, frame["_rank"], values, frame["value_text"],
                              strict=True)
    ]


def _plain_same(a: _Plain, b: _Plain) -> bool:
    if a.value is None or b.value is None:
        return a.value is None and b.value is None and _name_key(a.text) == _name_key(b.text)
    return agree(a.value, decimals(a.text), b.value, decimals(b.text))


def _settle_group(
    group: list[_Plain], judge: _Plain | None, keep: list, over: list, open_: list
) -> None:
    best = group[0]
    against = [g for g in group[1:] if not _plain_same(best, g)]
    if not any(g.rank == best.rank for g in against):
        keep.append(best.label)
        over.extend(g.label for g in against)
        return
    tied = [g for g in group if g.rank == best.rank]
    backed = [g for g in tied if judge is not None and _plain_same(judge, g)]
    if not backed or any(not _plain_same(backed[0], g) for g in backed):
        open_.extend(g.label for g in group)
        return
    keep.append(backed[0].label)
    over.extend(g.label for g in group if not _plain_same(backed[0], g))


def _referees(referee: pd.DataFrame | None, keys: list[str]) -> dict[tuple, _Plain]:
    """Return the best referee row of each key (by precedence), for breaking ties."""
    if referee is None or referee.empty:
        return {}
    order = referee.assign(_rank=_precedence_order(referee).to_numpy()).sort_values(
        [*keys, "_rank"], kind="mergesort"
    )
    first = order.drop_duplicates(keys, keep="first")
    plain = _plain(first)
    key_values = zip(*(first[k].tolist() for k in keys), strict=True)
    return dict(zip(key_values, plain, strict=True))


def _conflict_lines(settled: Settled, label: str, limit: int = 10) -> list[str]:
    lines = []
    for _, r in settled.overridden.head(limit).iterrows():
        used = settled.rows.loc[
            (settled.rows[label] == r[label]) & (settled.rows["year"] == r["year"])
        ].iloc[0]
        lines.append(
            f"  {r[label]} {r['year']}: used {_first_text(used['value_text'])} "
            f"({used.get('source_kind', used['origin'])}), overrode "
            f"{_first_text(r['value_text'])} ({r.get('source_kind', r['origin'])}: "
            f"{_first_text(r['sources'])})"
        )
    for (name, year), g in settled.unresolved.groupby([label, "year"]):
        lines.append(
            f"  {name} {year}: left missing, sources of equal precedence disagree: "
            + "; ".join(f"{_first_text(t)} ({_first_text(s)})"
                        for t, s in zip(g["value_text"], g["sources"], strict=True))
        )
    more = len(settled.overridden) - limit
    if more > 0:
        lines.append(f"  ... and {more} more (parstats indices conflicts)")
    return lines


def panel(
    index: str,
    measure: str = "score",
    *,
    frame: pd.DataFrame | None = None,
    by: Literal["name", "code"] = "name",
    origin: Literal["published", "derived"] | None = None,
    conflicts: Literal["precedence", "raise", "missing"] = "precedence",
    errors: Literal["warn", "raise", "ignore"] = "warn",
) -> pd.DataFrame:
    """Return a province × year table of one measure of one index.

    Aggregate rows are left out (they are not provinces). Province-years with
    no figure are missing (``NA``), never filled.

    Parameters
    ----------
    index
        ``PAR``, ``SIPAS``, ``PAPI``, ``PCI`` or ``PGI``.
    measure
        The canonical id (``"total_unweighted"``, ``"transparency"``) or any name
        the measure was published under (``"sub-index: Tính minh bạch"``,
        ``"Sub-Index 3: Transparency"``; case and spacing are ignored); see
        :mod:`parstats.measures`.
    frame
        The table to read; :func:`load` by default (it may include the output of
        :func:`derive_ranks`).
    by
        Label rows by province ``name`` (``name_vi``) or GSO ``code``.
    origin
        ``"published"`` or ``"derived"`` values only. By default a province-year
        takes its published value, and the derived one (PAPI sums of published
        sub-dimensions) only where none is published or a published one is
        outranked (:mod:`parstats.precedence`); the derived cells are listed in
        ``attrs["derived"]``. Ranks are never mixed: a frame with both published and
        derived ranks needs ``origin``.
    conflicts
        ``"precedence"`` (default) takes the value of the highest-precedence
        source (official dataset > official report > derived > press) and warns
        (:class:`ConflictWarning`) with what it overrode; province-years whose best
        sources disagree among themselves are left missing. ``"raise"`` refuses any
        disagreement and names it; ``"missing"`` leaves every disagreeing cell NA
        and warns.
    errors
        What to do when the years span several scale versions
        (see :func:`parstats.scales.check_comparable`).

    Returns
    -------
    pandas.DataFrame
        Rows are provinces, columns are years; numbers for numeric measures,
        text for tiers and notes. ``attrs`` holds ``measure_id``, ``scale_versions``
        (the versions spanned, in year order) and ``derived`` (the derived cells).
    """
    frame = load() if frame is None else frame
    rows = _select(frame, index, measure)
    rows = rows.loc[~rows["is_aggregate"]]
    if rows.empty:
        listing = (
            sorted(_select(frame, index, None)["measure_id"].dropna().unique())
            if "measure_id" in frame.columns
            else sorted(_select(frame, index, None)["measure"].unique())
        )
        raise InputError(
            f"no {index} rows with measure {measure!r}; measures available: "
            + ", ".join(listing[:40]),
            value=measure,
        )
    origins = set(rows["origin"])
    kinds = set(rows["measure_kind"]) if "measure_kind" in rows.columns else set()
    if origin is None and len(origins) > 1 and (
        kinds & set(_RANK_KINDS) or "measure_id" not in rows.columns
    ):
        counts = rows["origin"].value_counts().to_dict()
        raise InputError(
            f"{index} {measure}: the frame mixes published and derived values ({counts}); "
            "pass origin='published' or origin='derived'"
        )
    referee = None
    if origin is not None:
        referee = rows.loc[rows["origin"] != origin]
        rows = rows.loc[rows["origin"] == origin]
    label = "province" if by == "name" else "province_code"
    settled = settle(rows, label, referee)
    clashing = len(settled.overridden) + len(settled.unresolved)
    if clashing and conflicts == "raise":
        clash = rows.loc[rows.set_index([label, "year"]).index.isin(
            list(settled.overridden.set_index([label, "year"]).index)
            + list(settled.unresolved.set_index([label, "year"]).index)
        ), [label, "year", "value_text", "sources"]]
        n_keys = len(clash[[label, "year"]].drop_duplicates())
        raise InputError(
            f"{index} {measure}: sources disagree for {n_keys} province-year(s); "
            "values are kept side by side, not chosen:\n"
            + clash.to_string(index=False)
            + "\npass conflicts='precedence' to use the highest-precedence source, or "
            "conflicts='missing' to leave them out of the panel"
        )
    chosen = settled.rows
    if clashing and conflicts == "missing":
        bad = set(settled.overridden.set_index([label, "year"]).index) | set(
            settled.unresolved.set_index([label, "year"]).index
        )
        keys = list(zip(chosen[label], chosen["year"], strict=True))
        chosen = chosen.loc[[k not in bad for k in keys]]
        warn_user(
            f"{index} {measure}: {len(bad)} province-year(s) where sources disagree left "
            "missing in the panel",
            DroppedRowsWarning
        )
    elif clashing:
        warn_user(
            f"{index} {measure}: sources disagree for {clashing} value(s); the "
            "highest-precedence source is used (official dataset > official report > derived "
            "> press):\n" + "\n".join(_conflict_lines(settled, label)),
            ConflictWarning,
        )
    segment_rows = chosen.assign(measure=chosen["measure_id"]) if "measure_id" in chosen else chosen
    check_comparable(segment_rows, errors=errors)
    numeric = chosen["unit"].isin(["points", "percent", "rank"]).all()
    values = "value" if numeric else "value_text"
    table = chosen.pivot(index=label, columns="year", values=values)
    left_out = settled.unresolved if conflicts == "precedence" else rows
    table = table.reindex(
        index=sorted(set(table.index) | set(left_out[label])),
        columns=sorted(set(table.columns) | set(left_out["year"].astype(int))),
    )  # a province-year left missing for a disagreement still shows, as missing
    table = table.sort_index(axis=0).sort_index(axis=1)
    table.columns.name = "year"
    versions = (
        chosen.sort_values("year", kind="mergesort")["scale_version"].drop_duplicates().tolist()
    )
    derived = chosen.loc[chosen["origin"] == "derived"]
    table.attrs = {
        "index": index,
        "measure_id": str(chosen["measure_id"].iloc[0]) if "measure_id" in chosen else measure,
        "scale_versions": tuple(versions),
        "derived": tuple(zip(derived[label], derived["year"].astype(int), strict=True)),
    }
    return table


def conflicts(
    frame: pd.DataFrame | None = None,
    *,
    index: str | None = None,
    province: str | None = None,
) -> pd.DataFrame:
    """Return every disagreement in the table and how precedence settled it.

    One row per figure of a key (index, province, year, canonical measure) whose
    figures disagree, ``preferred`` first: ``index, province, year, measure_id,
    value_text, origin, source_kind, preferred, sources, note``. A key whose
    figures all have ``preferred`` false is unresolved (the best sources disagree).

    Parameters
    ----------
    frame
        The table; :func:`load` by default.
    index, province
        Restrict to one index, one province (any spelling).
    """
    frame = load() if frame is None else frame
    rows = frame.loc[frame["conflict"]]
    if index is not None:
        rows = _select(rows, index, None)
    if province is not None:
        from parstats.provinces import resolve

        rows = rows.loc[rows["province_code"] == resolve(province).code]
    columns = [
        "index", "province", "year", "measure_id", "measure", "value_text", "origin",
        "source_kind", "preferred", "sources", "note",
    ]  # fmt: skip
    rows = rows.assign(_first=~rows["preferred"]).sort_values(
        ["index", "year", "province_code", "measure_id", "_first", "source_kind"],
        kind="mergesort",
    )
    return rows.loc[:, columns].reset_index(drop=True)


# --------------------------------------------------------------------------- derived ranks


def derive_ranks(
    index: str,
    year: int,
    measure: str = "score",
    *,
    frame: pd.DataFrame | None = None,
    higher_is_better: bool = True,
    allow_partial: bool = False,
) -> pd.DataFrame:
    """Compute ranks from published scores; every row is marked ``origin="derived"``.

    Ties get the best rank they share (``method="min"``, as the publishers rank).
    The result has the columns of the ``indices`` table and can be concatenated
    with it; :func:`panel` then asks which origin to use.

    Parameters
    ----------
    index, year, measure
        Which published scores to rank (``measure``: canonical id or published name).
    frame
        The table to read; :func:`load` by default.
    higher_is_better
        Rank 1 for the highest score (all indices here) or the lowest.
    allow_partial
        Rank fewer than the 63 provinces (the rank is then among the provinces
        with a published score, and says so in ``note``). Without it, a year
        without a score for every province raises.

    Raises
    ------
    InputError
        If scores are missing for some provinces (unless ``allow_partial``) or
        sources disagree on a score.
    """
    import pandas as pd

    from parstats.scales import N_RANKED

    frame = load() if frame is None else frame
    rows = _select(frame, index, measure)
    rows = rows.loc[
        (rows["year"] == year) & ~rows["is_aggregate"] & (rows["origin"] == "published")
    ]
    if rows["conflict"].any():
        clash = rows.loc[rows["conflict"], ["province", "value_text", "sources"]]
        raise InputError(
            f"{index} {year} {measure}: sources disagree, ranks cannot be derived:\n"
            + clash.to_string(index=False)
        )
    if "preferred" in rows.columns:
        rows = rows.loc[rows["preferred"]]
    rows = rows.loc[rows["value"].notna()]
    if rows.empty:
        raise InputError(f"no numeric {index} {year} {measure!r} rows to rank")
    n = len(rows)
    if n < N_RANKED and not allow_partial:
        raise InputError(
            f"{index} {year} {measure!r}: published for {n} of {N_RANKED} provinces; ranks "
            "from a partial list are not ranks among all provinces (pass allow_partial=True "
            "to rank among these only)"
        )
    ranks = rows["value"].rank(method="min", ascending=not higher_is_better).astype("Int64")
    scale: Scale = scale_for(index, year, "rank")
    note = f"rank derived by parstats from {measure!r} (method=min), not published"
    if n < N_RANKED:
        note += f"; among the {n} provinces with a published score only"
    out = rows.assign(
        measure="rank",
        measure_id="rank",
        measure_label=f"{index} rank (1 = best)",
        measure_kind="rank",
        is_measure=True,
        value=ranks.astype("Float64"),
        value_text=ranks.astype("string"),
        unit=scale.unit,
        scale_min=scale.low,
        scale_max=float(n) if n < N_RANKED else scale.high,
        scale_version=scale.version,
        scale_note=scale.note,
        origin="derived",
        formula=f"rank of {measure} among the {n} provinces with a value (method=min)",
        source_kind="derived",
        conflict=False,
        preferred=True,
        note=note,
    )
    out = out.astype(_DTYPES).loc[:, list(COLUMNS)]
    out = out.sort_values(SORT_KEYS, kind="mergesort").reset_index(drop=True)
    return validate(pd.DataFrame(out))
