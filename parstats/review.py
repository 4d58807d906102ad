"""The review loop: check the extractor's targets once, keep the fixes (issue 10 §3).

No extractor is perfect. A researcher checks its output in a spreadsheet and the
fixes survive every rebuild, re-extraction and rule change:

1. :func:`review_frame` — the targets to check, lowest confidence first (the
   ``confidence`` column where the extractor gives one, else the rows whose fields
   came from fallback rules first, :data:`FALLBACK_RULES`), each with its document,
   page and line, sentence, every field, and empty ``action`` and ``note`` columns;
   :func:`write_review` writes it as ``.xlsx`` (drop-down lists of the allowed
   values, a hidden ``key`` column) or ``.csv``, every text cell spreadsheet-safe;
2. the researcher marks rows ``keep``, ``drop`` or ``fix`` (editing the fields in
   place), and adds a row ``add`` for a target the extractor missed;
3. :func:`read_review` reads the marked rows back as :class:`Correction` s, every
   field checked against the vocabularies (:mod:`parstats.vocab`, the indicator
   catalogue), errors naming the file, the row and the value;
   :func:`merge_corrections` and :func:`write_corrections` put them into
   ``data/raw/corrections.csv`` (atomically; a later decision on the same target
   replaces an earlier one). The file is also meant to be edited by hand
   (:data:`CORRECTION_COLUMNS`, ``docs/REVIEW.md``);
4. ``parstats build`` calls :func:`read_corrections` and :func:`apply_corrections`:
   every correction is matched to its target by the document's SHA-256 and the
   quoted number (quote and value, on its page and line; the indicator tells apart
   rows read from one number), never by row number, so it survives re-extraction
   and rule changes. A corrected row says so (``origin = corrected``,
   ``correction = fix | add``); a dropped row leaves the targets table and is
   listed in the ``corrections`` table; a correction that no longer finds its
   document, quote or target is ``stale`` there, with the reason, and a
   :class:`~parstats.errors.StaleCorrectionWarning` — never dropped silently.
"""

from __future__ import annotations

import csv
import json
import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parstats.errors import InputError, StaleCorrectionWarning
from parstats.extraction.assemble import FIELD_COLUMNS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from parstats.formats.document import ConvertedDocument

FIELDS: tuple[str, ...] = FIELD_COLUMNS
"""The fields of a target a reviewer can set (``docs/TARGETS.md``)."""

REQUIRED_FIELDS: tuple[str, ...] = ("value", "unit", "comparator", "direction", "area", "kind")
"""Fields the targets table requires: an added row must give them, a fix cannot empty them."""


def _closed_fields() -> dict[str, tuple[str, ...]]:
    """Return the target fields with a closed vocabulary, and their values."""
    from parstats.vocab import AREAS, COMPARATORS, DIRECTIONS, KINDS, LEVELS, UNITS

    return {"unit": UNITS, "comparator": COMPARATORS, "direction": DIRECTIONS,
            "level": LEVELS, "area": AREAS, "kind": KINDS}  # fmt: skip


ACTIONS: tuple[str, ...] = ("keep", "drop", "fix", "add")

KEY_COLUMNS: tuple[str, ...] = ("sha256", "doc", "page", "line", "quote", "value", "indicator")
"""The columns of ``corrections.csv`` that say which target a correction is for."""

CORRECTION_COLUMNS: tuple[str, ...] = (
    "action",
    *KEY_COLUMNS,
    *(f"set_{name}" for name in FIELDS),
    "note",
)
"""The columns of ``data/raw/corrections.csv``, in order (``docs/REVIEW.md``)."""

NA_TEXT = "NA"
"""In a ``set_`` cell of ``corrections.csv``: make the field missing (an empty cell
leaves it unchanged)."""

REVIEW_COLUMNS: tuple[str, ...] = (
    "action",
    "note",
    "doc",
    "page",
    "line",
    "quote",
    "sentence",
    "confidence",
    *FIELDS,
    "heading",
    "rules",
    "origin",
    "correction",
    "plan_id",
    "target_no",
    "key",
)
"""The columns of a review sheet. ``action`` and ``note`` are empty, for the reviewer;
``key`` (hidden in ``.xlsx``) holds the row's target as extracted: do not edit it."""

FALLBACK_RULES: Mapping[str, tuple[str, ...]] = {
    "year": ("deadline.plan_period", "deadline.heading", "deadline.parent"),
    "level": ("level.default",),
    "area": ("area.default",),
    "comparator": ("comparator.default",),
    "indicator": ("indicator.previous",),
}
"""Rules that fill a field when the sentence itself says nothing: a target's deadline
from its plan's period or its heading, the default level, area and comparator, the
previous target's indicator. Without a ``confidence`` column, rows with more such
fields (and rows without an indicator) are reviewed first."""

CORRECTION_RULE = "correction"
"""The rule id a field set by a reviewer gets in ``targets.rules``."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------- corrections


@dataclass(frozen=True)
class Correction:
    """One reviewer's decision on one target (a row of ``corrections.csv``).

    Attributes
    ----------
    line
        Where it was read (the file's line, or the review sheet's row).
    action
        ``keep``, ``drop``, ``fix`` or ``add``.
    sha256
        The document's SHA-256 (``documents.sha256``).
    doc
        The document id when it was written (for people; the SHA-256 decides).
    page, line_no
        The page (``None`` if unpaged) and line the quoted number is on.
    quote
        The quoted number (``targets.quote``: the number and the words after it).
    value
        The number as extracted (keep, drop, fix); ``None`` for add.
    indicator
        The indicator as extracted (tells apart rows read from one number);
        ``None`` if it had none or is not given.
    changes
        ``(field, value)`` pairs: the fields a fix sets or an added row has
        (``None``: missing).
    note
        The reviewer's note.
    """

    line: int
    action: str
    sha256: str
    doc: str | None
    page: int | None
    line_no: int | None
    quote: str
    value: float | None
    indicator: str | None
    changes: tuple[tuple[str, Any], ...] = ()
    note: str | None = None

    @property
    def key(self) -> tuple[Any, ...]:
        """The target the correction is for: one decision per key."""
        if self.action == "add":
            fields = dict(self.changes)
            return ("add", self.sha256, self.page, self.line_no, collapse(self.quote),
                    fields.get("value"), fields.get("indicator"))
        return ("row", self.sha256, self.page, self.line_no, collapse(self.quote), self.value,
                self.indicator)

    def describe(self) -> str:
        """Return ``action 'quote' (doc, page P line L)`` for messages."""
        where = f"page {self.page} line {self.line_no}" if self.page else f"line {self.line_no}"
        return f"{self.action} {self.quote!r} ({self.doc or self.sha256[:12]}, {where})"


def collapse(text: str) -> str:
    """Return ``text`` in NFC with every run of whitespace one space, trimmed."""
    from parstats.vn import nfc

    return " ".join(nfc(text).split())


def _problem(problems: list[tuple[int, str, Any]], line: int, message: str, value: Any) -> None:
    problems.append((line, message, value))


def _raise_problems(problems: list[tuple[int, str, Any]], path: Path, what: str) -> None:
    if not problems:
        return
    shown = "; ".join(
        f"line {line}: {message}" + (f" (got {value!r})" if value is not None else "")
        for line, message, value in problems[:10]
    )
    more = f"; and {len(problems) - 10} more" if len(problems) > 10 else ""
    first = problems[0]
    raise InputError(
        f"{len(problems)} bad {what}: {shown}{more}", path=path, line=first[0], value=first[2]
    )


def _text(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, float) and math.isnan(raw):
        return None
    text = str(raw).strip()
    return text or None


def unneutralise(text: str | None) -> str | None:
    """Undo :func:`neutralise`: a leading ``'`` before a formula character is dropped."""
    if text and len(text) > 1 and text[0] == "'" and text[1] in (*_FORMULA_START, "'"):
        return text[1:]
    return text


def neutralise(text: str | None) -> str | None:
    """Return text a spreadsheet would run as a formula with a leading ``'`` (reversibly).

    As :func:`parstats.io.neutralise_cell` (OWASP), and a text that already starts
    with ``'`` before such a character gets one more, so :func:`unneutralise`
    gives back exactly the text.
    """
    if not text:
        return text
    if text[0] in _FORMULA_START or (text[0] == "'" and text[1:2] in (*_FORMULA_START, "'")):
        return "'" + text
    return text


def parse_number(raw: Any) -> float:
    """Return a number cell: ``80``, ``41.17`` or the Vietnamese ``41,17``.

    Raises
    ------
    ValueError
        If the cell is not a number.
    """
    from parstats.vn import parse_number as vn_number

    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise ValueError(raw)
        return float(raw)
    text = str(raw).strip().rstrip("%").strip()
    try:
        value = float(text)
    except ValueError:
        if not re.fullmatch(r"\d+(?:,\d+)?", text):
            raise
        value = float(vn_number(text))
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def _integer(raw: Any) -> int:
    number = parse_number(raw)
    if number != int(number):
        raise ValueError(raw)
    return int(number)


def check_field(name: str, raw: Any) -> Any:
    """Return a field's value from a cell, checked against its vocabulary; ``None`` if empty.

    Raises
    ------
    ValueError
        With what was expected, if the cell is not a valid value of the field.
    """
    from parstats.catalogue import indicators

    text = _text(raw)
    if text is None or text == NA_TEXT:
        return None
    if name in ("value", "value_high"):
        try:
            return parse_number(raw)
        except ValueError:
            raise ValueError(f"{name} must be a number (80, 41.17 or 41,17)") from None
    if name == "year":
        try:
            year = _integer(raw)
        except ValueError:
            raise ValueError("year must be a whole year such as 2025") from None
        if not 1945 <= year <= 2100:
            raise ValueError("year must be between 1945 and 2100")
        return year
    allowed = _closed_fields().get(name)
    if allowed is not None:
        if text not in allowed:
            raise ValueError(f"{name} must be one of {', '.join(allowed)}")
        return text
    if name == "indicator":
        if text not in indicators():
            raise ValueError(
                "indicator must be a code of parstats/data/indicators.csv (the review "
                "sheet's 'lists' sheet has them all)"
            )
        return text
    raise ValueError(f"{name} is not a field a correction can set")


def _check_changes(
    action: str, changes: Mapping[str, Any], line: int, problems: list[tuple[int, str, Any]]
) -> None:
    if action == "add":
        for name in REQUIRED_FIELDS:
            if changes.get(name) is None:
                _problem(problems, line, f"an added target needs {name}", None)
    elif action == "fix":
        if not changes:
            _problem(problems, line, "fix sets no field: give the new values (or use keep)", None)
        for name in REQUIRED_FIELDS:
            if name in changes and changes[name] is None:
                _problem(problems, line, f"{name} cannot be made missing: the targets table "
                         "requires it", NA_TEXT)
    elif changes:
        names = ", ".join(changes)
        _problem(problems, line, f"{action} sets no field, but {names} is given: use fix", None)


def read_corrections(path: str | Path) -> tuple[Correction, ...]:
    """Return the corrections of a ``corrections.csv``, every row checked.

    The file is UTF-8 (a byte-order mark is accepted), with the columns
    :data:`CORRECTION_COLUMNS` (in any order; ``note`` and the ``set_`` columns
    may be left out). A ``set_`` cell left empty leaves its field unchanged;
    ``NA`` makes it missing.

    Raises
    ------
    InputError
        Naming the file, the line and the value, for a missing column, an unknown
        action, a malformed SHA-256, page or line, an empty quote, a value that is
        not a number, a field outside its vocabulary, an added target without a
        required field, or two rows for the same target.
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = tuple(reader.fieldnames or ())
            rows = list(enumerate(reader, start=2))
    except FileNotFoundError:
        raise InputError("corrections file not found", path=path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 (byte {exc.start}); save it as UTF-8 CSV", path=path) from None
    except csv.Error as exc:
        raise InputError(f"not a readable CSV file ({exc})", path=path) from None
    required = ("action", "sha256", "line", "quote", "value")
    lacking = [c for c in required if c not in columns]
    if lacking:
        raise InputError(
            f"lacks columns {lacking}; the columns are {', '.join(CORRECTION_COLUMNS)}",
            path=path, line=1,
        )
    unknown = [c for c in columns if c and c not in CORRECTION_COLUMNS]
    if unknown:
        raise InputError(
            f"unknown columns {unknown}; the columns are {', '.join(CORRECTION_COLUMNS)}",
            path=path, line=1, value=unknown,
        )
    problems: list[tuple[int, str, Any]] = []
    out: list[Correction] = []
    for line, raw in rows:
        if None in raw:
            _problem(problems, line, f"the row has more cells than the header's {len(columns)}",
                     None)
            continue
        if not any(_text(v) for v in raw.values()):
            continue  # a blank line
        cells = {k: unneutralise(_text(v)) for k, v in raw.items()}
        changes = {}
        for name in FIELDS:
            cell = cells.get(f"set_{name}")
            if cell is None:
                continue
            try:
                changes[name] = check_field(name, cell)
            except ValueError as exc:
                _problem(problems, line, f"set_{name}: {exc}", cell)
        correction = _correction(line, cells, changes, problems)
        if correction is not None:
            out.append(correction)
    _check_duplicates(out, problems)
    _raise_problems(sorted(problems, key=lambda p: p[0]), path, "correction(s)")
    return tuple(out)


def _correction(
    line: int,
    cells: Mapping[str, str | None],
    changes: dict[str, Any],
    problems: list[tuple[int, str, Any]],
) -> Correction | None:
    """Return the correction of one row's cells (problems are collected, not raised)."""
    before = len(problems)
    action = (cells.get("action") or "").lower()
    if action not in ACTIONS:
        _problem(problems, line, f"action must be one of {', '.join(ACTIONS)}", cells.get("action"))
    sha = (cells.get("sha256") or "").lower()
    if not re.fullmatch(r"[0-9a-f]{64}", sha):
        _problem(problems, line, "sha256 must be the document's 64 hex digits (documents.sha256)",
                 cells.get("sha256"))
    quote = cells.get("quote")
    if not quote:
        _problem(problems, line, "quote must be the quoted number (targets.quote)", None)
    page = line_no = None
    for name in ("page", "line"):
        cell = cells.get(name)
        if cell is None:
            if name == "line" and action != "add":
                _problem(problems, line, "line must be the target's line (targets.line)", None)
            continue
        try:
            number = _integer(cell)
            if number < 1:
                raise ValueError(cell)
        except ValueError:
            _problem(problems, line, f"{name} must be a whole number from 1", cell)
            continue
        if name == "page":
            page = number
        else:
            line_no = number
    value: float | None = None
    if action != "add":
        try:
            value = parse_number(cells.get("value")) if cells.get("value") else None
        except ValueError:
            _problem(problems, line, "value must be the number as extracted", cells.get("value"))
        if value is None and cells.get("value") is None:
            _problem(problems, line, "value must be the number as extracted (targets.value)",
                     None)
    indicator = cells.get("indicator")
    if action == "add":
        _check_changes(action, changes, line, problems)
        if quote and changes.get("value") is not None and not _quote_has(quote, changes["value"]):
            _problem(problems, line, f"the quote does not contain the number "
                     f"{format_number(changes['value'])}", quote)
    elif action in ACTIONS:
        _check_changes(action, changes, line, problems)
    if len(problems) > before:
        return None
    return Correction(
        line=line,
        action=action,
        sha256=sha,
        doc=cells.get("doc"),
        page=page,
        line_no=line_no,
        quote=collapse(quote or ""),
        value=value,
        indicator=indicator,
        changes=tuple((name, changes[name]) for name in FIELDS if name in changes),
        note=cells.get("note"),
    )


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _numbers_in(text: str) -> list[tuple[int, int, float]]:
    from parstats.vn import parse_number as vn_number

    out = []
    for m in _NUMBER.finditer(text):
        try:
            out.append((m.start(), m.end(), float(vn_number(m.group(0)))))
        except ValueError:
            continue
    return out


def _quote_has(quote: str, value: float) -> bool:
    return any(math.isclose(v, value, rel_tol=0, abs_tol=1e-9) for _, _, v in _numbers_in(quote))


def _check_duplicates(corrections: Sequence[Correction],
                      problems: list[tuple[int, str, Any]]) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    for c in corrections:
        if c.key in seen:
            _problem(problems, c.line, f"corrects the same target as line {seen[c.key]}; keep one",
                     c.quote)
        else:
            seen[c.key] = c.line


def format_number(value: float | None) -> str:
    """Return a number as ``corrections.csv`` writes it: ``80``, ``41.17``."""
    if value is None:
        return ""
    return f"{value:.15g}"


def correction_row(c: Correction) -> dict[str, str]:
    """Return a correction as a row of ``corrections.csv`` (text cells spreadsheet-safe)."""
    row = dict.fromkeys(CORRECTION_COLUMNS, "")
    row.update(
        action=c.action,
        sha256=c.sha256,
        doc=neutralise(c.doc) or "",
        page="" if c.page is None else str(c.page),
        line="" if c.line_no is None else str(c.line_no),
        quote=neutralise(c.quote) or "",
        value=format_number(c.value),
        indicator=c.indicator or "",
        note=neutralise(c.note) or "",
    )
    for name, value in c.changes:
        if value is None:
            row[f"set_{name}"] = NA_TEXT
        elif name in ("value", "value_high"):
            row[f"set_{name}"] = format_number(value)
        else:
            row[f"set_{name}"] = str(value)
    return row


def write_corrections(path: str | Path, corrections: Sequence[Correction]) -> Path:
    """Write ``corrections.csv`` atomically (UTF-8, newline line ends, every column).

    Text cells that a spreadsheet would run as a formula get a leading ``'``
    (:func:`neutralise`; :func:`read_corrections` removes it again).
    """
    from parstats.io import atomic_open

    with atomic_open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(CORRECTION_COLUMNS), lineterminator="\n")
        writer.writeheader()
        for c in corrections:
            writer.writerow(correction_row(c))
    return Path(path)


@dataclass(frozen=True)
class Merged:
    """Corrections after a review was merged in: what to write, and what changed."""

    corrections: tuple[Correction, ...]
    added: int
    replaced: int


def merge_corrections(existing: Sequence[Correction], new: Sequence[Correction]) -> Merged:
    """Return ``existing`` with ``new`` merged in: a new decision on a target replaces the old."""
    keys = {c.key for c in new}
    kept = [c for c in existing if c.key not in keys]
    replaced = len(existing) - len(kept)
    merged = [*kept, *new]
    return Merged(
        tuple(replace(c, line=i) for i, c in enumerate(merged, start=2)),
        added=len(new) - replaced,
        replaced=replaced,
    )


# --------------------------------------------------------------------------- review sheets


def fallback_count(rules: str | None, indicator: str | None) -> int:
    """Return how many of a target's fields came from fallback rules (:data:`FALLBACK_RULES`).

    A missing indicator counts as one.
    """
    found = 0 if (indicator is not None and indicator == indicator) else 1
    for part in (rules or "").split(";"):
        name, _, rule = part.partition("=")
        weak = FALLBACK_RULES.get(name, ())
        if any(rule == w or rule.startswith(f"{w}>") or rule.endswith(f">{w}") for w in weak):
            found += 1
    return found


def review_frame(
    targets: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    province: str | None = None,
    doc: str | None = None,
    include_reviewed: bool = False,
    limit: int | None = None,
) -> pd.DataFrame:
    """Return the targets to check, lowest confidence first, as a review sheet.

    Parameters
    ----------
    targets, documents
        The processed tables.
    province
        Only this province's documents (any spelling
        :func:`parstats.provinces.resolve` knows, or ``national``).
    doc
        Only this document (its id or its ``plan_id``).
    include_reviewed
        Also the rows already reviewed (``correction`` not missing).
    limit
        At most this many rows.

    Returns
    -------
    DataFrame
        :data:`REVIEW_COLUMNS`; ``action`` and ``note`` empty. Order: ``confidence``
        ascending (missing last), then the number of fields from fallback rules
        (most first, :func:`fallback_count`), then document and ``target_no``.

    Raises
    ------
    InputError
        For an unknown province or document (the message lists the known ones).
    """
    import pandas as pd

    frame = targets
    if province is not None:
        name = _province_name(province)
        frame = frame.loc[frame["province"] == name]
        if frame.empty and name not in set(documents["province"].dropna()):
            known = sorted(set(documents["province"].dropna()))
            raise InputError(f"no document of {name} in the build; provinces: {known}",
                             value=province)
    if doc is not None:
        ids = set(documents["doc"]) | set(documents["plan_id"])
        if doc not in ids:
            raise InputError(
                f"no document {doc!r} in the build; documents: {sorted(documents['doc'])}",
                value=doc,
            )
        frame = frame.loc[(frame["doc"] == doc) | (frame["plan_id"] == doc)]
    if not include_reviewed:
        frame = frame.loc[frame["correction"].isna()]
    frame = frame.copy()
    order = {d: i for i, d in enumerate(documents["doc"])}
    confidence = frame["confidence"].astype("Float64")
    frame["_conf"] = confidence.fillna(2.0).astype(float)
    frame["_fallbacks"] = [
        fallback_count(r, i if isinstance(i, str) else None)
        for r, i in zip(frame["rules"].astype(object).where(frame["rules"].notna(), None),
                        frame["indicator"].astype(object), strict=True)
    ]
    frame["_doc"] = frame["doc"].map(order).fillna(len(order)).astype(int)
    frame = frame.sort_values(
        ["_conf", "_fallbacks", "_doc", "target_no"],
        ascending=[True, False, True, True],
        kind="stable",
    )
    if limit is not None:
        frame = frame.head(limit)
    sha = documents.set_index("doc")["sha256"]
    out = pd.DataFrame(
        {
            "action": pd.array([None] * len(frame), dtype="string"),
            "note": pd.array([None] * len(frame), dtype="string"),
        }
    )
    for name in REVIEW_COLUMNS:
        if name in ("action", "note", "key"):
            continue
        out[name] = frame[name].reset_index(drop=True)
    out["key"] = pd.array(
        [
            json.dumps(_key_of(row, sha[row["doc"]]), ensure_ascii=False, sort_keys=True)
            for _, row in frame.iterrows()
        ],
        dtype="string",
    )
    return out[list(REVIEW_COLUMNS)]


def _key_of(row: Any, sha256: str) -> dict[str, Any]:
    """Return the hidden key of a review row: its target as extracted."""

    def plain(value: Any) -> Any:
        if _isna(value):
            return None
        if hasattr(value, "item"):
            value = value.item()
        return value

    return {
        "sha256": sha256,
        "doc": str(row["doc"]),
        "page": plain(row["page"]),
        "line": plain(row["line"]),
        "quote": str(row["quote"]),
        "value": plain(row["value"]),
        "indicator": plain(row["indicator"]),
        "fields": {name: plain(row[name]) for name in FIELDS},
    }


def _province_name(province: str) -> str:
    from parstats.extraction.metadata import NATIONAL
    from parstats.provinces import resolve

    if province.strip().lower() == NATIONAL:
        return NATIONAL
    return resolve(province).name_vi


def _clean_cell(value: Any) -> Any:
    """Return a cell value openpyxl can write: no XML-illegal control characters."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub(" ", value)
    return value


REVIEW_SUFFIXES: tuple[str, ...] = (".xlsx", ".csv")


def write_review(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a review sheet as ``.xlsx`` or ``.csv`` (by suffix), atomically.

    Text cells pass through :func:`parstats.io.spreadsheet_safe`: a sentence that
    starts with ``=`` (or ``+``, ``-``, ``@``) is text, never a formula. In
    ``.xlsx`` every cell is also written as text or a number, never as a formula;
    ``action`` and the closed fields have drop-down lists of their allowed values
    (sheet ``lists``), the ``key`` column is hidden, and sheet ``how`` says what
    to do.
    """
    from parstats.io import atomic_path, spreadsheet_safe, write_frame

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return write_frame(frame, path)
    if suffix != ".xlsx":
        raise InputError("a review sheet is .xlsx or .csv", path=path, value=suffix)
    safe = spreadsheet_safe(frame)
    with atomic_path(path) as tmp:
        _workbook(safe).save(tmp)
    return path


_HOW = (
    "How to review (docs/REVIEW.md)",
    "",
    "Each row of the sheet 'review' is a target the extractor read, least certain first.",
    "In 'action' write keep (it is right), drop (it is not a target of this document) or "
    "fix (edit the wrong fields in place, in their own cells).",
    "A target the extractor missed: add a row at the bottom with action add, doc, page (if "
    "the document has pages), line, quote (the number and the words after it, as in the "
    "text) and every field (value, unit, comparator, direction, area and kind are required).",
    "Leave rows you did not check empty. Do not edit the hidden column 'key'.",
    "Then run: parstats review --apply <this file>   and   parstats build",
    "The decisions go to data/raw/corrections.csv and are applied at every build.",
)


def _workbook(frame: pd.DataFrame) -> Any:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from parstats.catalogue import indicators

    book = Workbook()
    sheet = book.active
    sheet.title = "review"
    columns = list(frame.columns)
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        values = [_excel_value(v) for v in row]
        sheet.append(values)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
    lists = book.create_sheet("lists")
    vocab = {"action": ACTIONS, **_closed_fields(), "indicator": tuple(indicators())}
    last = max(len(frame) + 200, 1000)
    for k, (name, values) in enumerate(vocab.items(), start=1):
        letter = get_column_letter(k)
        lists.cell(row=1, column=k, value=name).font = Font(bold=True)
        for i, value in enumerate(values, start=2):
            lists.cell(row=i, column=k, value=value)
        if name not in columns:
            continue
        target = get_column_letter(columns.index(name) + 1)
        check = DataValidation(
            type="list",
            formula1=f"lists!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"{name}",
            error=f"{name} must be one of the values of sheet 'lists', column {letter}",
        )
        sheet.add_data_validation(check)
        check.add(f"{target}2:{target}{last}")
    widths = {"action": 8, "note": 20, "doc": 22, "quote": 40, "sentence": 80, "heading": 40,
              "rules": 40, "indicator": 34, "key": 10}
    for k, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(k)].width = widths.get(name, 12)
        if name in ("sentence", "quote"):
            for cell in sheet[get_column_letter(k)][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if "key" in columns:
        sheet.column_dimensions[get_column_letter(columns.index("key") + 1)].hidden = True
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    how = book.create_sheet("how")
    for line in _HOW:
        how.append([line])
    how["A1"].font = Font(bold=True)
    how.column_dimensions["A"].width = 120
    return book


def _excel_value(value: Any) -> Any:
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return _clean_cell(value)


@dataclass(frozen=True)
class ReviewRows:
    """The decisions read from a review sheet."""

    corrections: tuple[Correction, ...]
    fixes_without_change: tuple[int, ...] = field(default=())


def read_review(
    path: str | Path, documents: pd.DataFrame | None = None
) -> ReviewRows:
    """Read the decisions of a review sheet (``.xlsx`` or ``.csv``) as corrections.

    Rows with an empty ``action`` are not read. ``keep``, ``drop`` and ``fix``
    rows are matched to their target through the hidden ``key``; a ``fix`` sets
    the fields whose cells differ from the target as extracted (a ``fix`` that
    changes nothing is read as ``keep``, and said). An ``add`` row gives ``doc``
    (looked up in ``documents`` for its SHA-256), ``page``, ``line``, ``quote``
    and the fields.

    Raises
    ------
    InputError
        Naming the file, the row and the value: an unknown action, a field
        outside its vocabulary, a number that is not one, a damaged key, an
        added target without a required field or of an unknown document.
    """
    path = Path(path)
    rows = _sheet_rows(path)
    sha_of = {} if documents is None else dict(zip(documents["doc"], documents["sha256"],
                                                   strict=True))
    problems: list[tuple[int, str, Any]] = []
    out: list[Correction] = []
    unchanged: list[int] = []
    for line, cells in rows:
        action = (_text(cells.get("action")) or "").lower()
        if not action:
            continue
        if action not in ACTIONS:
            _problem(problems, line, f"action must be one of {', '.join(ACTIONS)} (or empty)",
                     cells.get("action"))
            continue
        correction = (
            _added_row(line, cells, sha_of, problems)
            if action == "add"
            else _marked_row(line, action, cells, problems, unchanged)
        )
        if correction is not None:
            out.append(correction)
    _check_duplicates(out, problems)
    _raise_problems(sorted(problems, key=lambda p: p[0]), path, "review row(s)")
    return ReviewRows(tuple(out), tuple(unchanged))


def _sheet_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """Return ``(row number, cells by column name)`` of a review sheet's data rows."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("review sheet not found", path=path)
    if suffix == ".csv":
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader, None)
                body = list(reader)
        except UnicodeDecodeError:
            raise InputError("not UTF-8; save the sheet as CSV UTF-8", path=path) from None
        if header is None:
            raise InputError("empty file: no header row", path=path)
        cells_rows = [
            (i, {h: unneutralise(_text(v)) for h, v in zip(header, row, strict=False)})
            for i, row in enumerate(body, start=2)
        ]
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise InputError(f"not a readable .xlsx workbook ({exc})", path=path) from None
        try:
            sheet = book["review"] if "review" in book.sheetnames else book.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            header = [str(h) if h is not None else "" for h in next(rows, ())]
            cells_rows = []
            for i, row in enumerate(rows, start=2):
                cells = {h: v for h, v in zip(header, row, strict=False) if h}
                cells = {h: (unneutralise(v) if isinstance(v, str) else v)
                         for h, v in cells.items()}
                cells_rows.append((i, cells))
        finally:
            book.close()
    else:
        raise InputError("a review sheet is .xlsx or .csv", path=path, value=suffix)
    missing = [c for c in ("action", *FIELDS) if c not in header]
    if missing:
        raise InputError(f"not a review sheet: no column {missing}", path=path, line=1)
    return cells_rows


def _cell_fields(
    line: int, cells: Mapping[str, Any], problems: list[tuple[int, str, Any]]
) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    ok = True
    for name in FIELDS:
        raw = cells.get(name)
        try:
            values[name] = check_field(name, raw)
        except ValueError as exc:
            _problem(problems, line, str(exc), raw)
            ok = False
    return values if ok else None


def _marked_row(
    line: int,
    action: str,
    cells: Mapping[str, Any],
    problems: list[tuple[int, str, Any]],
    unchanged: list[int],
) -> Correction | None:
    try:
        key = json.loads(_text(cells.get("key")) or "")
        original = key["fields"]
        sha, quote = key["sha256"], key["quote"]
    except (ValueError, KeyError, TypeError):
        _problem(problems, line, "the hidden column 'key' is missing or damaged: make a new "
                 "sheet with `parstats review`, or add the row with action add", None)
        return None
    changes: dict[str, Any] = {}
    if action == "fix":
        values = _cell_fields(line, cells, problems)
        if values is None:
            return None
        changes = {n: v for n, v in values.items() if not _same(v, original.get(n))}
        for name in REQUIRED_FIELDS:
            if name in changes and changes[name] is None:
                _problem(problems, line, f"{name} cannot be made missing: the targets table "
                         "requires it", None)
                return None
        if not changes:
            unchanged.append(line)
            action = "keep"
    return Correction(
        line=line,
        action=action,
        sha256=sha,
        doc=key.get("doc"),
        page=key.get("page"),
        line_no=key.get("line"),
        quote=collapse(quote),
        value=key.get("value"),
        indicator=key.get("indicator"),
        changes=tuple((n, changes[n]) for n in FIELDS if n in changes),
        note=_text(cells.get("note")),
    )


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float | int) and isinstance(b, float | int):
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9)
    return a == b


def _added_row(
    line: int,
    cells: Mapping[str, Any],
    sha_of: Mapping[str, str],
    problems: list[tuple[int, str, Any]],
) -> Correction | None:
    before = len(problems)
    doc = _text(cells.get("doc"))
    if doc is None or doc not in sha_of:
        known = ", ".join(sorted(sha_of)[:8]) + (" ..." if len(sha_of) > 8 else "")
        _problem(problems, line, f"an added target needs the doc of a built document ({known})",
                 doc)
    quote = _text(cells.get("quote"))
    if not quote:
        _problem(problems, line, "an added target needs its quote: the number and the words "
                 "after it, as in the text", None)
    where: dict[str, int | None] = {"page": None, "line": None}
    for name in where:
        raw = cells.get(name)
        if _text(raw) is None:
            continue
        try:
            where[name] = _integer(raw)
        except ValueError:
            _problem(problems, line, f"{name} must be a whole number", raw)
    values = _cell_fields(line, cells, problems)
    if values is not None:
        for name in REQUIRED_FIELDS:
            if values.get(name) is None:
                _problem(problems, line, f"an added target needs {name}", None)
        if quote and values.get("value") is not None and not _quote_has(quote, values["value"]):
            _problem(problems, line, f"the quote does not contain the number "
                     f"{format_number(values['value'])}", quote)
    if len(problems) > before or values is None:
        return None
    return Correction(
        line=line,
        action="add",
        sha256=sha_of[doc],
        doc=doc,
        page=where["page"],
        line_no=where["line"],
        quote=collapse(quote or ""),
        value=None,
        indicator=None,
        changes=tuple((n, values[n]) for n in FIELDS if values[n] is not None),
        note=_text(cells.get("note")),
    )


# --------------------------------------------------------------------------- applying


@dataclass(frozen=True)
class AppliedCorrections:
    """The targets and documents tables with the corrections applied, and what each did.

    Attributes
    ----------
    targets
        The targets table (``TARGETS_SCHEMA``): dropped rows removed, fixed rows
        changed, added rows appended, keys and restatements computed again.
    documents
        The documents table with ``n_targets`` counted again.
    table
        The ``corrections`` table (``CORRECTIONS_SCHEMA``): one row per correction,
        ``applied`` or ``stale`` with the reason.
    """

    targets: pd.DataFrame
    documents: pd.DataFrame
    table: pd.DataFrame

    @property
    def stale(self) -> pd.DataFrame:
        """The corrections that no longer apply."""
        return self.table.loc[self.table["status"] == "stale"]

    def summary(self) -> str:
        """Return one line: how many corrections were applied, by action, and how many are stale."""
        applied = self.table.loc[self.table["status"] == "applied"]
        counts = applied["action"].value_counts()
        parts = ", ".join(f"{counts[a]} {a}" for a in ACTIONS if a in counts)
        text = f"{len(applied)} applied" + (f" ({parts})" if parts else "")
        if len(self.stale):
            text += f", {len(self.stale)} stale (listed in the corrections table)"
        return text


class QuoteFinder:
    """Where a quote stands in a document's text: through the extractor's parse view.

    ``targets.quote`` is the parse view's text from the number on, whitespace
    collapsed; it is searched in the view with any white space between its words,
    and each match mapped back to its offset, page and line in the document.
    """

    def __init__(self, document: ConvertedDocument) -> None:
        from parstats.extraction.view import parse_view

        self.document = document
        self.view = parse_view(document.text)

    def find(self, quote: str) -> list[tuple[int, int]]:
        """Return ``(view start, view end)`` of every match of ``quote``."""
        words = collapse(quote).split(" ")
        if not words or not words[0]:
            return []
        pattern = re.compile(r"(?=(" + r"\s+".join(re.escape(w) for w in words) + r"))")
        return [(m.start(), m.start() + len(m.group(1))) for m in pattern.finditer(self.view.text)]

    def located(self, quote: str, page: int | None, line: int | None) -> list[tuple[int, int]]:
        """Return the matches of ``quote`` that start on ``page`` and ``line`` (when given)."""
        out = []
        for a, b in self.find(quote):
            where = self.document.location(self.view.to_source(a))
            if line is not None and (where.line != line or where.page != page):
                continue
            out.append((a, b))
        return out

    def view_line(self, a: int) -> str:
        """Return the parse view's line holding view offset ``a`` (a sentence or more)."""
        text = self.view.text
        start = text.rfind("\n", 0, a) + 1
        end = text.find("\n", a)
        return collapse(text[start : end if end >= 0 else len(text)])


def apply_corrections(
    targets: pd.DataFrame,
    documents: pd.DataFrame,
    corrections: Sequence[Correction],
    texts: Mapping[str, ConvertedDocument] | None = None,
) -> AppliedCorrections:
    """Apply reviewers' corrections to the targets table.

    Parameters
    ----------
    targets, documents
        The tables as extracted (:class:`parstats.extract.ExtractionResult`).
    corrections
        :func:`read_corrections`.
    texts
        The converted documents by id (those corrections are for): where an added
        target's quote is found, and whether a stale correction's quote is still in
        the text.

    Returns
    -------
    AppliedCorrections
        A stale correction changes nothing and raises a
        :class:`~parstats.errors.StaleCorrectionWarning` naming it and why.
    """
    from parstats.extract import count_targets, with_keys

    texts = texts or {}
    frame = targets.copy().reset_index(drop=True)
    for name, dtype in (("origin", "string"), ("correction", "string"), ("rules", "string")):
        frame[name] = frame[name].astype(dtype)
    docs_of: dict[str, list[str]] = {}
    for d, sha in zip(documents["doc"], documents["sha256"], strict=True):
        docs_of.setdefault(str(sha), []).append(str(d))
    finders: dict[str, QuoteFinder] = {}
    dropped: set[int] = set()
    claimed: dict[int, int] = {}
    added: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    next_no = frame.groupby("doc")["target_no"].max().to_dict() if len(frame) else {}

    def finder(doc: str) -> QuoteFinder | None:
        if doc not in finders and doc in texts:
            finders[doc] = QuoteFinder(texts[doc])
        return finders.get(doc)

    for c in corrections:
        docs = docs_of.get(c.sha256, [])
        if not docs:
            rows.append(_row(c, None, None, None, "no document of this build has this SHA-256 "
                             "(the plan file was removed or changed)"))
            continue
        for doc in docs:
            if c.action == "add":
                outcome = _add(c, doc, finder(doc), next_no, added)
            else:
                outcome = _change(c, doc, frame, finder(doc), dropped, claimed)
            rows.append(_row(c, doc, *outcome))
    if dropped:
        frame = frame.drop(index=sorted(dropped))
    if added:
        import pandas as pd

        extra = pd.DataFrame(added)
        for column in frame.columns:
            if column not in extra:
                extra[column] = None
        extra = extra[list(frame.columns)].astype(frame.dtypes.to_dict())
        frame = pd.concat([frame, extra], ignore_index=True)
        order = {d: i for i, d in enumerate(documents["doc"])}
        frame["_doc"] = frame["doc"].map(order)
        frame = frame.sort_values(["_doc", "target_no"], kind="stable").drop(columns="_doc")
    frame = frame.reset_index(drop=True)
    documents = count_targets(documents, frame)
    table = corrections_frame(rows)
    for row in rows:
        if row["status"] == "stale":
            warnings.warn(
                f"corrections.csv line {row['file_line']}: {row['action']} {row['quote']!r} "
                f"({row['doc'] or row['sha256'][:12]}) is stale: {row['reason']}",
                StaleCorrectionWarning,
                stacklevel=2,
            )
    return AppliedCorrections(with_keys(frame, documents), documents, table)


def _row(
    c: Correction,
    doc: str | None,
    target_no: int | None,
    changes: str | None,
    reason: str | None,
) -> dict[str, Any]:
    return {
        "file_line": c.line,
        "action": c.action,
        "sha256": c.sha256,
        "doc": doc,
        "quote": c.quote,
        "page": c.page,
        "line": c.line_no,
        "value": c.value if c.action != "add" else dict(c.changes).get("value"),
        "indicator": c.indicator if c.action != "add" else dict(c.changes).get("indicator"),
        "status": "stale" if reason else "applied",
        "target_no": target_no,
        "changes": changes,
        "reason": reason,
        "note": c.note,
    }


def corrections_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Return the ``corrections`` table (``CORRECTIONS_SCHEMA``) of applied-correction rows."""
    import pandas as pd

    from parstats import schema

    columns = list(schema.CORRECTIONS_SCHEMA.columns)
    data = {c: [r.get(c) for r in rows] for c in columns}
    return schema.conform(pd.DataFrame(data, columns=columns), schema.CORRECTIONS_SCHEMA)


def _quote_compatible(a: str, b: str) -> bool:
    a, b = collapse(a), collapse(b)
    return a.startswith(b) or b.startswith(a)


def _isna(value: Any) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _change(
    c: Correction,
    doc: str,
    frame: pd.DataFrame,
    finder: QuoteFinder | None,
    dropped: set[int],
    claimed: dict[int, int],
) -> tuple[int | None, str | None, str | None]:
    """Keep, drop or fix the one target ``c`` is for; return (target_no, changes, reason)."""
    mine = frame.loc[frame["doc"] == doc]
    page = mine["page"].astype("Float64")
    same_place = (mine["line"] == c.line_no) & (
        page.isna() if c.page is None else (page == c.page)
    )
    found = mine.loc[same_place.fillna(False).astype(bool)]
    if len(found):
        match = [
            _same(float(v), c.value) and _quote_compatible(q, c.quote)
            for v, q in zip(found["value"], found["quote"], strict=True)
        ]
        found = found.loc[match]
    if len(found) > 1:
        indicator = found["indicator"].astype(object)
        pick = indicator.isna() if c.indicator is None else indicator == c.indicator
        found = found.loc[pick.astype(bool)]
    if len(found) != 1:
        return None, None, _why_not_found(c, found, finder)
    index = found.index[0]
    row = frame.loc[index]
    number = int(row["target_no"])
    if index in claimed:
        return None, None, f"the same target as line {claimed[index]} (one decision per target)"
    claimed[index] = c.line
    if c.action == "keep":
        frame.loc[index, "correction"] = "keep"
        return number, None, None
    if c.action == "drop":
        dropped.add(index)
        return number, "dropped: " + describe_fields(row), None
    changed = []
    rules = _rules_dict(row["rules"])
    for name, value in c.changes:
        old = row[name]
        old = None if _isna(old) else old
        if not _same(value, old):
            changed.append(f"{name}: {_show(old)} -> {_show(value)}")
        frame.loc[index, name] = value if value is not None else None
        rules[name] = CORRECTION_RULE
    frame.loc[index, "rules"] = ";".join(f"{k}={v}" for k, v in rules.items())
    frame.loc[index, "origin"] = "corrected"
    frame.loc[index, "correction"] = "fix"
    return number, "; ".join(changed) or "no field changed (the row already reads so)", None


def _why_not_found(c: Correction, found: pd.DataFrame, finder: QuoteFinder | None) -> str:
    where = f"page {c.page} line {c.line_no}" if c.page else f"line {c.line_no}"
    if len(found) > 1:
        return (f"{len(found)} targets match at {where} "
                f"(indicators {sorted(map(str, found['indicator']))}); give the indicator")
    if finder is not None and not finder.located(c.quote, c.page, c.line_no):
        if finder.find(c.quote):
            return f"the quote is no longer at {where} of the text (the text's layout changed)"
        return "the quote is not in the document's text any more"
    if c.indicator is not None:
        return (f"no target at {where} with this quote, value {format_number(c.value)} and "
                f"indicator {c.indicator} any more (the extractor reads it differently now); "
                "review it again")
    return (f"no target at {where} with this quote and value {format_number(c.value)} any more "
            "(the extractor no longer reads one there); add it with action add if it is one")


def _add(
    c: Correction,
    doc: str,
    finder: QuoteFinder | None,
    next_no: dict[str, int],
    added: list[dict[str, Any]],
) -> tuple[int | None, str | None, str | None]:
    """Add the target ``c`` gives; return (target_no, changes, reason)."""
    if finder is None:
        return None, None, "the document's text was not read (internal: texts missing)"
    matches = finder.located(c.quote, c.page, c.line_no)
    if not matches:
        if finder.find(c.quote):
            return None, None, "the quote is not at the page and line given"
        return None, None, "the quote is not in the document's text"
    if len(matches) > 1:
        return None, None, f"the quote is found {len(matches)} times; give its page and line"
    a, b = matches[0]
    fields = dict(c.changes)
    value = fields["value"]
    span = next(
        ((x, y) for x, y, v in _numbers_in(finder.view.text[a:b])
         if math.isclose(v, value, rel_tol=0, abs_tol=1e-9)),
        None,
    )
    if span is None:
        return None, None, f"the quote does not contain the number {format_number(value)}"
    start, end = finder.view.span_to_source(a + span[0], a + span[1])
    where = finder.document.location(start)
    number = int(next_no.get(doc, 0)) + 1
    next_no[doc] = number
    row = {
        "doc": doc,
        "target_no": number,
        "start": start,
        "end": end,
        "quote": c.quote,
        "sentence": finder.view_line(a),
        **{name: fields.get(name) for name in FIELDS},
        "rules": ";".join(f"{name}={CORRECTION_RULE}" for name in FIELDS if name in fields),
        "page": where.page,
        "line": where.line,
        "origin": "corrected",
        "correction": "add",
    }
    added.append(row)
    return number, "added: " + describe_fields(row), None


def _rules_dict(rules: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(rules, str):
        for part in rules.split(";"):
            name, _, rule = part.partition("=")
            if name:
                out[name] = rule
    return out


def _show(value: Any) -> str:
    if value is None:
        return "NA"
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def describe_fields(row: Mapping[str, Any]) -> str:
    """Return a target's fields in one line: ``value=80 unit=percent ... indicator=x``."""
    parts = []
    for name in FIELDS:
        value = row.get(name) if hasattr(row, "get") else row[name]
        parts.append(f"{name}={_show(None if _isna(value) else value)}")
    return " ".join(parts)
