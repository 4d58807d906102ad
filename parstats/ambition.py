"""How ambitious a plan's targets are (*mức độ tham vọng của chỉ tiêu*).

Four families of measures, each documented where it is computed:

* **against the national programme** (a document whose ``province`` is
  ``national``): gap to the national target for the same indicator, level and
  year, and how many years earlier or later the province asks for the same level
  (:func:`ambition_by_target`);
* **against peers** (other provincial plans setting the same indicator and
  level): mid-rank percentile and robust z-score of the committed value, and of
  the required progress per year where a baseline is known;
* **specificity and coverage**: quantified targets per area, catalogue
  indicators covered, shares of targets with a deadline, a level, a baseline
  (:func:`coverage`);
* **copying**: near-verbatim target sentences shared with another plan or with
  the national programme (:func:`copying`, rapidfuzz).

Orientation
-----------
The catalogue's ``better`` says which way is an improvement (ranks: lower is
better). A target *commits* to a value in that direction only when its
comparator agrees: ``ge``, ``gt``, ``eq`` and ``range`` on a higher-is-better
indicator, ``le``, ``lt``, ``eq`` and ``range`` on a lower-is-better one. The
committed value is the least demanding value the target accepts (for a range,
the bound on the worse side: ``25% - 35%`` commits to 25; ranks 10 to 20 commit
to 20). A cap on a good thing (``le`` on a higher-is-better share) commits to
nothing in the better direction, so its ambition measures are NA. ``gt`` and
``ge`` on the same number are treated alike. All signed measures are oriented
so that **positive means more ambitious**.

Comparability
-------------
Two targets are compared only when indicator, level, unit and direction are all
equal: a level (``attain``) is never compared with a yearly increase, and a
percentage never with a count. Only rows of ``kind == "target"`` are measured;
baselines feed the progress measure, equivalents are restatements. Anything that
cannot be computed is NA, never 0, and says why in a ``*_reason`` column.

**Peers** (:func:`peer_pool`) are, in addition, targets of *other* plans of the same
kind of document (:func:`document_kind`: a province's multi-year programme, a
province's annual plan, a department's or agency's plan) whose deadline is within
:data:`PEER_YEAR_WINDOW` (1) year of the target's, each commitment counted once
(restatements left out). A percentile or robust z needs at least :data:`MIN_PEERS`
(3) peers; below that it is NA and ``peer_reason`` says how many there were.

**One row per commitment**: a target restated in another section or an appendix of
the same plan (:func:`restatements`) keeps its row, marked by ``restates_target_no``,
and is left out of every summary, of every peer pool and of family scores.

**National benchmarks** are the national programmes' targets shipped as
``parstats/data/national_targets.csv`` (each row with its source address and quote;
``NATIONAL_TARGETS_SOURCES.md``), plus any national document in the corpus: the
national target *in force at the target's deadline* (:func:`national_benchmark`).

**Families**: :func:`ambition_by_family` scores a plan's commitments per indicator
family of the catalogue on scales comparable across plans (see there).

**Keys**: :func:`plan_id` gives every document a readable id
(``dak-lak_qd-3478_2021``); every table here carries it with the province and the
plan period.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from parstats.catalogue import indicators
from parstats.vn import nfc
from parstats.vocab import AREAS, COMPARATORS, DIRECTIONS, LEVELS, UNITS

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Mapping, Sequence

    import pandas as pd

NATIONAL = "national"
MAD_SCALE = 1.4826
"""Consistency constant: ``1.4826 * MAD`` estimates the standard deviation of a normal."""
COPY_THRESHOLD = 90.0
"""rapidfuzz ``fuzz.ratio`` (normalised Indel similarity, 0-100) at or above which a
target sentence counts as a near-verbatim copy."""
COPY_MIN_CHARS = 20
"""Texts shorter than this (after normalisation) are not compared: short spans match by chance."""
COMPARE_KEY = ("indicator", "level", "unit", "direction")
"""Targets are comparable only when all of these are equal."""
MIN_PEERS = 3
"""Fewest peers a percentile or robust z rests on; with fewer it is NA, with the reason."""
PEER_YEAR_WINDOW = 1
"""A peer's deadline is at most this many years before or after the target's."""
DOC_KINDS: tuple[str, ...] = (
    "provincial_programme",
    "provincial_annual_plan",
    "department_plan",
    "national",
    "unknown",
)
"""Kinds of document (:func:`document_kind`); peers come from documents of the same kind."""
NATIONAL_FILE = "national_targets.csv"

_AGREES = {
    "higher": frozenset({"ge", "gt", "eq", "range"}),
    "lower": frozenset({"le", "lt", "eq", "range"}),
}
_TARGET_KEY = ["doc", "target_no"]


# --------------------------------------------------------------------------- scalar measures


def commitment(
    value: float, value_high: float | None, comparator: str, better: str | None
) -> float | None:
    """Return the value a target commits to in the indicator's better direction.

    Parameters
    ----------
    value, value_high
        The target's number and, for a range, its upper end.
    comparator
        One of ``vocab.COMPARATORS``.
    better
        ``higher`` or ``lower`` (catalogue); ``None`` when the indicator is unknown.

    Returns
    -------
    float or None
        ``value`` when the comparator agrees with ``better``; for a ``range`` the
        worse-side bound (``value`` if higher is better, ``value_high`` if lower
        is better). ``None`` when the comparator points the other way (a cap on
        a good thing), when ``better`` is unknown, or the needed bound is missing.
    """
    if better not in _AGREES or comparator not in _AGREES[better] or _isna(value):
        return None
    if comparator == "range" and better == "lower":
        return None if _isna(value_high) else float(value_high)
    return float(value)


def peer_percentile(x: float, peers: Sequence[float]) -> float | None:
    r"""Return where ``x`` stands among ``peers``, as a mid-rank percentile (0-100).

    .. math:: p = 100 \cdot \frac{\#\{y < x\} + \tfrac12 \#\{y = x\}}{n}

    over the ``n`` peer values ``y`` (``x`` itself is not among them). Values must
    already be oriented so that larger is more ambitious; 50 is the peers' median,
    100 more ambitious than every peer. ``None`` when there are no peers.
    """
    if len(peers) == 0:
        return None
    below = sum(1 for y in peers if y < x)
    ties = sum(1 for y in peers if y == x)
    return 100.0 * (below + 0.5 * ties) / len(peers)


def robust_z(x: float, peers: Sequence[float]) -> float | None:
    r"""Return the robust z-score of ``x`` against ``peers``.

    .. math:: z = \frac{x - \operatorname{med}(y)}{1.4826 \cdot \operatorname{MAD}(y)},
              \qquad \operatorname{MAD}(y) = \operatorname{med}|y - \operatorname{med}(y)|

    over the peer values ``y`` (``x`` excluded), oriented so that positive is more
    ambitious. ``None`` when there are fewer than two peers or the MAD is 0 (all
    peers set the same value: the scale is undefined, the percentile still says
    where ``x`` stands).
    """
    if len(peers) < 2:
        return None
    med = _median(peers)
    mad = _median([abs(y - med) for y in peers])
    if mad == 0:
        return None
    return (x - med) / (MAD_SCALE * mad)


def progress_per_year(
    target: float, baseline: float, target_year: int, baseline_year: int, better: str
) -> float | None:
    r"""Return the progress per year a target requires from its baseline.

    .. math:: g = s \cdot \frac{v_{target} - v_{baseline}}{t_{target} - t_{baseline}},
              \qquad s = +1 \text{ if higher is better, } -1 \text{ otherwise}

    in the indicator's unit per year (percentage points per year for shares, ranks
    per year for ranks); positive is improvement. ``None`` when the deadline is
    not after the baseline year.
    """
    years = int(target_year) - int(baseline_year)
    if years <= 0:
        return None
    sign = 1.0 if better == "higher" else -1.0
    return sign * (float(target) - float(baseline)) / years


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2.0


def _isna(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (str, int)):  # never missing: spares pandas' scalar test
        return False
    import pandas as pd

    return bool(pd.isna(value))


# --------------------------------------------------------------------------- keys and kinds


_LEADING_NUMBER = re.compile(r"\s*(\d+)")
_LEADING_YEAR = re.compile(r"\s*(\d{4})")


def plan_id(
    province: str | None,
    doc_type: str | None,
    doc_number: str | None,
    issued: str | None,
    period_start: int | None = None,
) -> str:
    """Return a readable plan id: province slug, document type and number, year.

    ``plan_id("Đắk Lắk", "QĐ", "3478/QĐ-UBND", "2021-12-10")`` is
    ``"dak-lak_qd-3478_2021"``. The number is the leading digits of ``doc_number``
    (left out when unknown: ``"tay-ninh_kh_2023"``); the year is the issue year, else
    ``period_start``, else ``"na"``; the type is ``"doc"`` when unknown. A national
    document's province slug is ``national``. ASCII only, so the id is also a file
    name. Two documents may share it: :func:`plan_keys` makes ids unique.
    """
    from parstats.vn import slugify

    place = "national" if province in (None, NATIONAL) or _isna(province) else slugify(province)
    kind = "doc" if _isna(doc_type) or not str(doc_type).strip() else slugify(str(doc_type))
    number = None
    if not _isna(doc_number):
        found = _LEADING_NUMBER.match(str(doc_number))
        number = found.group(1) if found else None
    year = None
    if not _isna(issued):
        found = _LEADING_YEAR.match(str(issued))
        year = found.group(1) if found else None
    if year is None and not _isna(period_start):
        year = str(int(period_start))
    return f"{place}_{kind}{'' if number is None else '-' + number}_{year or 'na'}"


def document_kind(
    province: str | None,
    issuer: str | None,
    period_start: int | None,
    period_end: int | None,
) -> str:
    """Return the kind of a document, from the documents table only.

    * ``national``: the document's province is ``national``;
    * ``department_plan``: the issuer is not the provincial People's Committee
      (*UBND tỉnh / Ủy ban nhân dân tỉnh*), e.g. *Sở Tư pháp tỉnh Tây Ninh*;
    * ``provincial_programme``: issued by the People's Committee for a period of two
      years or more (*chương trình*, *kế hoạch giai đoạn*);
    * ``provincial_annual_plan``: issued by the People's Committee for one year;
    * ``unknown``: issuer or period unknown.
    """
    from parstats.vn import fold

    if province == NATIONAL:
        return "national"
    if _isna(issuer) or _isna(period_start) or _isna(period_end):
        return "unknown"
    folded = fold(nfc(str(issuer))).lower()
    if not ("ubnd" in folded or "uy ban nhan dan" in folded):
        return "department_plan"
    return (
        "provincial_annual_plan"
        if int(period_end) == int(period_start)
        else ("provincial_programme")
    )


KEY_INPUTS: tuple[str, ...] = ("doc", "province", "province_code", "issuer", "doc_type",
                               "doc_number", "issued", "period_start", "period_end")  # fmt: skip
"""The documents' columns :func:`plan_keys` reads."""


def document_keys(columns: Mapping[str, Sequence[Any]]) -> tuple[list[str], list[str]]:
    """Return the ``plan_id`` and ``doc_kind`` of documents given column by column.

    Parameters
    ----------
    columns
        The lists of :data:`KEY_INPUTS` (``doc`` and the metadata :func:`plan_id` and
        :func:`document_kind` read), one value per document, each document once;
        missing values are ``None`` or NA.

    Returns
    -------
    tuple of list
        The documents' unique plan ids (a collision broken as :func:`plan_keys` says)
        and kinds, in the order given.
    """
    ids = [
        plan_id(province, doc_type, doc_number, issued, start)
        for province, doc_type, doc_number, issued, start in zip(
            columns["province"], columns["doc_type"], columns["doc_number"], columns["issued"],
            columns["period_start"], strict=True,
        )
    ]  # fmt: skip
    seen: dict[str, int] = {}
    for i in ids:
        seen[i] = seen.get(i, 0) + 1
    unique = [
        i if seen[i] == 1 else f"{i}_{str(d).split('_')[-1][:8]}"
        for i, d in zip(ids, columns["doc"], strict=True)
    ]
    kinds = [
        document_kind(province, issuer, start, end)
        for province, issuer, start, end in zip(
            columns["province"], columns["issuer"], columns["period_start"],
            columns["period_end"], strict=True,
        )
    ]  # fmt: skip
    return unique, kinds


def plan_keys(documents: pd.DataFrame) -> pd.DataFrame:
    """Return the keys researchers join on, one row per document.

    Columns: ``doc``, ``plan_id`` (:func:`plan_id`; a collision is broken by
    appending the first eight characters of the document's hash part, in ``doc``
    order), ``province``, ``province_code``, ``period_start``, ``period_end``,
    ``doc_kind`` (:func:`document_kind`). Deterministic.
    """
    import pandas as pd

    docs = documents.reindex(columns=list(KEY_INPUTS)).drop_duplicates("doc").sort_values("doc")
    docs = docs.reset_index(drop=True)
    unique, kinds = document_keys({name: docs[name].tolist() for name in KEY_INPUTS})
    out = pd.DataFrame(
        {
            "doc": docs["doc"].astype("string"),
            "plan_id": pd.array(unique, dtype="string"),
            "province": docs["province"].astype("string"),
            "province_code": docs["province_code"].astype("string"),
            "period_start": pd.to_numeric(docs["period_start"]).astype("Int64"),
            "period_end": pd.to_numeric(docs["period_end"]).astype("Int64"),
            "doc_kind": pd.array(kinds, dtype="string"),
        }
    )
    return out


# --------------------------------------------------------------------------- restatements


RESTATEMENT_KEY = ("indicator", "level", "unit", "direction", "comparator", "value",
                   "value_high", "year")  # fmt: skip
"""A target restates an earlier one of the same document when all of these are equal."""


def restatements(targets: pd.DataFrame) -> pd.DataFrame:
    """Link each target restated in the same plan to its first statement.

    A ``kind == "target"`` row restates the first earlier target row (lowest
    ``target_no``) of the same document with the same indicator, level, unit,
    direction, comparator, value(s) and deadline (:data:`RESTATEMENT_KEY`; missing
    values are equal to each other): the same commitment written again in another
    section, a task list or an appendix (Đắk Lắk's plan repeats its online-service
    block under procedures and under e-government). The targets table keeps both
    rows; summaries count the commitment once.

    Returns
    -------
    DataFrame
        ``doc``, ``target_no``, ``restates_target_no``: one row per restating
        target, sorted; empty when nothing is restated. Pure: depends on
        ``targets`` only.
    """
    import pandas as pd

    rows = targets.loc[targets["kind"] == "target", ["doc", "target_no", *RESTATEMENT_KEY]]
    rows = rows.sort_values(["doc", "target_no"], kind="stable")
    kinds = ["target"] * len(rows)
    keys = [_plain(rows[name]) for name in RESTATEMENT_KEY]
    out = restated(rows["doc"].tolist(), rows["target_no"].tolist(), kinds, keys)
    frame = pd.DataFrame(out, columns=["doc", "target_no", "restates_target_no"])
    return frame.astype({"doc": "string", "target_no": "Int64", "restates_target_no": "Int64"})


def restated(
    docs: Sequence[Any],
    numbers: Sequence[Any],
    kinds: Sequence[Any],
    keys: Sequence[Sequence[Any]],
) -> list[tuple[Any, int, int]]:
    """Return ``(doc, target_no, restates_target_no)`` of each restating target.

    The rule of :func:`restatements`, on plain values.

    Parameters
    ----------
    docs, numbers, kinds
        Each target's ``doc``, ``target_no`` and ``kind``, in ``target_no`` order within
        each document (only ``kind == "target"`` rows restate or are restated).
    keys
        The targets' :data:`RESTATEMENT_KEY` values, one sequence per column of the key
        (missing values ``None``).
    """
    first: dict[tuple, int] = {}
    out = []
    for kind, no, full in zip(kinds, numbers, zip(docs, *keys, strict=True), strict=True):
        if kind != "target" or full[1] is None:
            continue  # full[1], the indicator (RESTATEMENT_KEY[0]): unknown is never the same
        if full in first:
            out.append((full[0], int(no), first[full]))
        else:
            first[full] = int(no)
    return out


def _plain(column: pd.Series) -> list[Any]:
    """Return the values of ``column`` as a list, each missing one (NA, NaN) ``None``."""
    values = column.tolist()
    missing = column.isna().to_numpy()
    if missing.any():
        for i in missing.nonzero()[0]:
            values[i] = None
    return values


# --------------------------------------------------------------------------- national benchmarks


_NATIONAL_COLUMNS = {
    "programme_id": "string", "programme": "string", "issued": "Int64", "period_start": "Int64",
    "period_end": "Int64", "precedence": "Int64", "indicator": "string", "level": "string",
    "year": "Int64", "value": "Float64", "comparator": "string", "unit": "string",
    "direction": "string", "source_url": "string", "quote": "string", "note": "string",
}  # fmt: skip


@lru_cache(maxsize=1)
def _read_national() -> Any:
    import pandas as pd

    from parstats.errors import InputError
    from parstats.paths import package_data

    path = package_data(NATIONAL_FILE)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if list(frame.columns) != list(_NATIONAL_COLUMNS):
        raise InputError(f"expected columns {list(_NATIONAL_COLUMNS)}", path=path,
                         value=list(frame.columns))  # fmt: skip
    cat = indicators()
    checks = {"comparator": COMPARATORS, "unit": UNITS, "direction": DIRECTIONS, "level": LEVELS}
    for i, row in frame.iterrows():
        line = int(i) + 2
        for col in ("programme_id", "indicator", "level", "year", "value", "source_url", "quote"):
            if not row[col].strip():
                raise InputError(f"{col} is empty (every benchmark needs it)", path=path,
                                 line=line)  # fmt: skip
        if row["indicator"] not in cat:
            raise InputError("unknown indicator code (see indicators.csv)", path=path,
                             line=line, value=row["indicator"])  # fmt: skip
        if row["unit"] != cat[row["indicator"]].unit:
            raise InputError(f"unit differs from the catalogue's {cat[row['indicator']].unit!r}",
                             path=path, line=line, value=row["unit"])  # fmt: skip
        for col, allowed in checks.items():
            if row[col] not in allowed:
                raise InputError(f"{col} must be one of {allowed}", path=path, line=line,
                                 value=row[col])  # fmt: skip
        if not row["source_url"].startswith(("http://", "https://")):
            raise InputError("source_url must be a web address", path=path, line=line,
                             value=row["source_url"])  # fmt: skip
    frame = frame.replace({"": pd.NA})
    for col, dtype in _NATIONAL_COLUMNS.items():
        frame[col] = pd.to_numeric(frame[col]) if dtype in ("Int64", "Float64") else frame[col]
        frame[col] = frame[col].astype(dtype)
    return frame


def load_national_targets() -> pd.DataFrame:
    """Return the national benchmarks shipped with parstats (``national_targets.csv``).

    One row per national programme, indicator, level and milestone year: the
    programme (``programme_id``, ``programme``, ``issued``, the period it governs
    ``period_start``-``period_end``, ``precedence``), the target (``indicator``,
    ``level``, ``year``, ``value``, ``comparator``, ``unit``, ``direction``) and where
    it was read (``source_url``, ``quote``, ``note``). How it was compiled and what
    was looked for and not found: ``parstats/data/NATIONAL_TARGETS_SOURCES.md``.

    Raises
    ------
    InputError
        A row without source or quote, an unknown indicator, a unit that differs
        from the catalogue's, or a value outside the closed vocabularies.
    """
    return _read_national().copy()


def _benchmarks(frame: pd.DataFrame, national: pd.DataFrame | None) -> pd.DataFrame:
    """Return the national rows to compare with: the shipped table and national documents.

    A national document of the corpus becomes a programme whose id is its ``doc``,
    governing its own period, ahead of the shipped table (``precedence`` 0).
    """
    import pandas as pd

    table = load_national_targets() if national is None else national.copy()
    cat = indicators()
    table["better"] = [cat[i].better if i in cat else pd.NA for i in table["indicator"]]
    table["commitment"] = pd.array(
        [
            _na(commitment(v, None, c, b if isinstance(b, str) else None))
            for v, c, b in zip(table["value"], table["comparator"], table["better"], strict=True)
        ],
        dtype="Float64",
    )
    docs = frame.loc[frame["_national"] & frame["commitment"].notna()]
    if not docs.empty:
        corpus = pd.DataFrame(
            {
                "programme_id": docs["doc"].astype("string"),
                "programme": docs["doc"].astype("string"),
                "period_start": docs["period_start"].astype("Int64"),
                "period_end": docs["period_end"].astype("Int64"),
                "precedence": pd.array([0] * len(docs), dtype="Int64"),
                "indicator": docs["indicator"], "level": docs["level"], "unit": docs["unit"],
                "direction": docs["direction"], "year": docs["year"].astype("Int64"),
                "commitment": docs["commitment"], "better": docs["better"],
                "source_url": pd.array([pd.NA] * len(docs), dtype="string"),
                "_order": docs["target_no"].astype("Int64"),
            }
        )  # fmt: skip
        table = pd.concat([corpus, table.assign(_order=pd.NA)], ignore_index=True)
    else:
        table = table.assign(_order=pd.NA)
    return table.loc[table["commitment"].notna() & table["year"].notna()].reset_index(drop=True)


@dataclass(frozen=True)
class NationalMatch:
    """The national target a plan target is compared with, or why there is none.

    Attributes
    ----------
    programme
        ``programme_id`` of the national document (``None`` when no match).
    year, value
        Its milestone year and committed value.
    rule
        ``same_year``, ``next_milestone`` or ``earlier_milestone`` (see
        :func:`national_benchmark`).
    source
        The page it was read from (NA for a corpus document).
    reason
        Why there is no match (``None`` when there is one).
    """

    programme: str | None
    year: int | None
    value: float | None
    rule: str | None
    source: str | None
    reason: str | None


def _period_words(start: object, end: object) -> str:
    """Return a programme's period for a message; 'period not stated' for a missing end."""
    import pandas as pd

    if pd.isna(start) or pd.isna(end):
        return "(period not stated)"
    return f"{int(start)}-{int(end)}"


def national_benchmark(
    indicator: str, level: str, unit: str, direction: str, year: int, benchmarks: pd.DataFrame
) -> NationalMatch:
    """Return the national target in force at a plan target's deadline ``year``.

    Candidates have the same indicator, level, unit and direction and come from a
    national document whose period covers ``year``. The document of lowest
    ``precedence`` is used (corpus national documents first, then the PAR master
    programmes, then the e-government texts; ``NATIONAL_TARGETS_SOURCES.md``), and
    within it the **next milestone on or after** ``year`` (``same_year`` or
    ``next_milestone``: the 2025 target for a deadline up to 2025, the 2030 one for
    2026-2030); if it has none, its **latest milestone before** ``year``
    (``earlier_milestone``: the nation had already committed to reach it). Ties go
    to the first row. No candidate: ``reason`` says why.
    """
    same = benchmarks.loc[
        (benchmarks["indicator"] == indicator)
        & (benchmarks["unit"] == unit)
        & (benchmarks["direction"] == direction)
    ]
    if same.empty:
        return NationalMatch(None, None, None, None, None,
                             f"no national target for {indicator}")  # fmt: skip
    at_level = same.loc[same["level"] == level]
    if at_level.empty:
        levels = ", ".join(sorted(set(same["level"].dropna())))
        return NationalMatch(None, None, None, None, None,
                             f"national targets for {indicator} are at level {levels}, "
                             f"not {level}")  # fmt: skip
    in_force = at_level.loc[(at_level["period_start"] <= year) & (at_level["period_end"] >= year)]
    if in_force.empty:
        have = "; ".join(
            f"{p} {_period_words(a, b)}"
            for p, a, b in at_level[["programme_id", "period_start", "period_end"]]
            .drop_duplicates()
            .itertuples(index=False, name=None)
        )
        return NationalMatch(None, None, None, None, None,
                             f"no national target for {indicator} ({level}) in force in "
                             f"{year}; national programmes: {have}")  # fmt: skip
    best = in_force["precedence"].min()
    mine = in_force.loc[in_force["precedence"] == best]
    mine = mine.loc[mine["programme_id"] == mine["programme_id"].iloc[0]]
    later = mine.loc[mine["year"] >= year]
    if not later.empty:
        row = later.sort_values(["year", "_order"], kind="stable").iloc[0]
        rule = "same_year" if int(row["year"]) == year else "next_milestone"
    else:
        row = mine.sort_values(["year", "_order"], ascending=[False, True], kind="stable").iloc[0]
        rule = "earlier_milestone"
    source = None if _isna(row["source_url"]) else str(row["source_url"])
    return NationalMatch(str(row["programme_id"]), int(row["year"]), float(row["commitment"]),
                         rule, source, None)  # fmt: skip


# --------------------------------------------------------------------------- per-target frame


def _commitments(targets: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Return the ``kind == "target"`` rows with plan keys, catalogue fields and commitment."""
    import pandas as pd

    cat = indicators()
    keys = plan_keys(documents)
    # The processed targets table carries these keys and marks already; they are
    # computed again here from the documents, so any frame of targets gives the same.
    carried = [c for c in (*keys.columns.drop("doc"), "restates_target_no") if c in targets]
    frame = targets.loc[targets["kind"] == "target"].drop(columns=carried)
    frame["doc"] = frame["doc"].astype("string")
    frame = frame.merge(keys, on="doc", how="left")
    frame = frame.sort_values(["doc", "target_no", "indicator"], kind="stable").reset_index(
        drop=True
    )

    def from_cat(field: str) -> Any:
        return pd.array(
            [
                getattr(cat[i], field) if isinstance(i, str) and i in cat else pd.NA
                for i in frame["indicator"]
            ],
            dtype="string",
        )

    frame["better"] = from_cat("better")
    frame["indicator_area"] = from_cat("area")
    frame["family"] = from_cat("family")
    frame["commitment"] = pd.array(
        [
            commitment(v, vh, c, None if _isna(b) else b)
            for v, vh, c, b in zip(
                frame["value"],
                frame["value_high"],
                frame["comparator"],
                frame["better"],
                strict=True,
            )
        ],
        dtype="Float64",
    )
    sign = frame["better"].map({"higher": 1.0, "lower": -1.0}).astype("Float64")
    frame["_score"] = frame["commitment"] * sign
    frame["_national"] = (frame["province"] == NATIONAL).fillna(False).astype(bool)
    rest = restatements(targets)
    frame["target_no"] = frame["target_no"].astype("Int64")
    frame = frame.merge(rest, on=["doc", "target_no"], how="left")
    frame["restated"] = frame["restates_target_no"].notna().astype("boolean")
    return frame


def _baselines(frame: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Attach the plan's own latest baseline before each target's deadline.

    The baseline is a ``kind == "baseline"`` row of the same document with the
    same indicator, level, unit and direction (a yearly increase has no level
    baseline), whose year is before the target's year (the latest such year;
    ties go to the first in the document).
    """
    import pandas as pd

    keys = ["doc", "indicator", "level", "unit", "direction"]
    base = targets.loc[targets["kind"] == "baseline", [*keys, "year", "value", "target_no"]]
    base = base.rename(
        columns={"year": "baseline_year", "value": "baseline_value", "target_no": "_bno"}
    )
    left = frame[[*keys, "year"]].reset_index()
    pairs = left.merge(base.dropna(subset=["baseline_year", "baseline_value"]), on=keys)
    pairs = pairs.loc[pairs["baseline_year"] < pairs["year"]]
    pairs = pairs.sort_values(["index", "baseline_year", "_bno"], ascending=[True, False, True])
    pairs = pairs.drop_duplicates("index").set_index("index")
    out = frame.copy()
    out["baseline_value"] = pairs["baseline_value"].reindex(out.index).astype("Float64")
    out["baseline_year"] = pairs["baseline_year"].reindex(out.index).astype("Int64")
    out["progress_per_year"] = pd.array(
        [
            pd.NA
            if _isna(c) or _isna(b) or _isna(y) or _isna(by) or _isna(bt)
            else _na(progress_per_year(c, b, y, by, bt))
            for c, b, y, by, bt in zip(
                out["commitment"],
                out["baseline_value"],
                out["year"],
                out["baseline_year"],
                out["better"],
                strict=True,
            )
        ],
        dtype="Float64",
    )
    return out


def _na(value: float | None) -> Any:
    import pandas as pd

    return pd.NA if value is None else value


def _why_not_comparable(row: Any) -> str | None:
    """Why a target cannot be compared (``None`` when it can)."""
    if _isna(row["indicator"]):
        return "no catalogue indicator"
    if _isna(row["commitment"]):
        return "the comparator commits to nothing in the better direction (a cap on a good thing)"
    if _isna(row["level"]):
        return "no level of government"
    if _isna(row["year"]):
        return "no deadline"
    return None


def _national(frame: pd.DataFrame, national: pd.DataFrame | None = None) -> pd.DataFrame:
    """Attach the comparison with the national benchmark in force at each deadline.

    ``national_value`` is the commitment of the national target chosen by
    :func:`national_benchmark` (``national_programme``, ``national_year``,
    ``national_rule``, ``national_source``); ``gap_national = s * (commitment -
    national_value)`` with ``s = +1`` if higher is better, ``-1`` otherwise
    (percentage points for shares, ranks for ranks; positive: more ambitious).
    ``national_year_as_demanding`` is the earliest national milestone (same
    indicator, level, unit and direction, any programme) asking at least as much;
    ``years_vs_national = year - national_year_as_demanding`` (negative: the province
    asks for it earlier). NA for national documents' own targets, with
    ``national_reason`` saying why for every other target without a gap.
    """
    import pandas as pd

    bench = _benchmarks(frame, national)
    out = frame.copy()
    n = len(out)
    cols = {
        "national_programme": ("string", []), "national_value": ("Float64", []),
        "national_year": ("Int64", []), "national_rule": ("string", []),
        "national_source": ("string", []), "national_reason": ("string", []),
        "national_year_as_demanding": ("Int64", []),
    }  # fmt: skip
    key = list(COMPARE_KEY)
    groups = {k: g for k, g in bench.groupby(key, dropna=True, sort=False)}
    for _, row in out.iterrows():
        vals = dict.fromkeys(cols)
        if row["_national"]:
            vals["national_reason"] = "a national document's own target"
        elif (why := _why_not_comparable(row)) is not None:
            vals["national_reason"] = why
        else:
            m = national_benchmark(
                row["indicator"], row["level"], row["unit"], row["direction"], int(row["year"]),
                bench,
            )  # fmt: skip
            vals.update(
                national_programme=m.programme, national_value=m.value, national_year=m.year,
                national_rule=m.rule, national_source=m.source, national_reason=m.reason,
            )  # fmt: skip
            g = groups.get(tuple(row[c] for c in key))
            if g is not None:
                sign = 1.0 if row["better"] == "higher" else -1.0
                demanding = g.loc[g["commitment"] * sign >= row["_score"]]
                if not demanding.empty:
                    vals["national_year_as_demanding"] = int(demanding["year"].min())
        for c in cols:
            cols[c][1].append(pd.NA if vals[c] is None else vals[c])
    for c, (dtype, values) in cols.items():
        out[c] = pd.array(values if n else [], dtype=dtype)
    sign = out["better"].map({"higher": 1.0, "lower": -1.0}).astype("Float64")
    out["gap_national"] = (out["commitment"] - out["national_value"]) * sign
    out["years_vs_national"] = (
        out["year"].astype("Int64") - out["national_year_as_demanding"]
    ).astype("Int64")
    return out


def peer_pool(frame: pd.DataFrame, column: str = "_score") -> dict[tuple, list[tuple]]:
    """Return the commitments peers are drawn from, by comparison key.

    Keys are (indicator, level, unit, direction, doc_kind); values are
    ``(doc, year, value)`` of every provincial (not national) target with a known
    ``column`` and deadline that is not a restatement (:func:`restatements`): each
    commitment once.
    """
    pool: dict[tuple, list[tuple]] = {}
    cols = [*COMPARE_KEY, "doc_kind", "doc", "year", column, "_national", "restated"]
    for *k, doc, year, x, national, restated in (
        frame[cols].astype(object).itertuples(index=False, name=None)
    ):
        if national or restated is True or _isna(x) or _isna(year) or any(_isna(v) for v in k):
            continue
        pool.setdefault(tuple(k), []).append((doc, int(year), float(x)))
    return pool


def _peer_measures(frame: pd.DataFrame, column: str, prefix: str) -> pd.DataFrame:
    """Attach percentile and robust z of ``column`` among peers that are peers.

    Peers of a target (:func:`peer_pool`) are the commitments of *other* documents
    (another plan of the same province included) of the same kind
    (:func:`document_kind`), with the same indicator, level, unit and direction, a
    deadline within :data:`PEER_YEAR_WINDOW` year of the target's and a known
    ``column`` value, restatements left out. With fewer than :data:`MIN_PEERS`
    peers the percentile, z and median are NA and ``{prefix}_reason`` says how many
    there were. Adds ``{prefix}_n_peers`` (``n_peers`` for ``prefix == "peer"``, with
    ``n_peer_docs``, ``peer_median``), ``{prefix}_percentile``, ``{prefix}_robust_z``,
    ``{prefix}_reason``.
    """
    import pandas as pd

    pool = peer_pool(frame, column)
    cols = [*COMPARE_KEY, "doc_kind", "doc", "year", column, "_national"]
    n_peers, n_docs, pct, z, med, reasons = [], [], [], [], [], []
    whys = [
        "a national document's own target" if nat else _why_not_comparable(r)
        for nat, (_, r) in zip(frame["_national"], frame.iterrows(), strict=True)
    ]
    for (*k, kind, doc, year, x, _), why in zip(
        frame[cols].astype(object).itertuples(index=False, name=None), whys, strict=True
    ):
        if why is None and _isna(x):
            why = "no baseline to measure progress from" if prefix == "progress" else "no value"
        if why is None and _isna(kind):
            why = "document kind unknown"
        if why is not None:
            n_peers.append(pd.NA)
            n_docs.append(pd.NA)
            pct.append(pd.NA)
            z.append(pd.NA)
            med.append(pd.NA)
            reasons.append(why)
            continue
        y = int(year)
        peers = [
            (d, v)
            for d, py, v in pool.get((*k, kind), [])
            if d != doc and abs(py - y) <= PEER_YEAR_WINDOW
        ]
        ys = [v for _, v in peers]
        n_peers.append(len(ys))
        n_docs.append(len({d for d, _ in peers}))
        if len(ys) >= MIN_PEERS:
            pct.append(_na(peer_percentile(float(x), ys)))
            zz = robust_z(float(x), ys)
            z.append(_na(zz))
            med.append(_median(ys))
            reasons.append(
                None if zz is not None else "robust z undefined: every peer sets the same value"
            )
        else:
            pct.append(pd.NA)
            z.append(pd.NA)
            med.append(pd.NA)
            reasons.append(
                f"{len(ys)} peer(s) of {MIN_PEERS} needed: {kind.replace('_', ' ')}s with "
                f"{k[0]} ({k[1]}, {k[2]}, {k[3]}) due {y - PEER_YEAR_WINDOW}-"
                f"{y + PEER_YEAR_WINDOW}"
            )
    out = frame.copy()
    out["n_peers" if prefix == "peer" else f"{prefix}_n_peers"] = pd.array(n_peers, dtype="Int64")
    out[f"{prefix}_percentile"] = pd.array(pct, dtype="Float64")
    out[f"{prefix}_robust_z"] = pd.array(z, dtype="Float64")
    out[f"{prefix}_reason"] = pd.array(reasons, dtype="string")
    if prefix == "peer":
        out["n_peer_docs"] = pd.array(n_docs, dtype="Int64")
        sign = out["better"].map({"higher": 1.0, "lower": -1.0}).astype("Float64")
        out["peer_median"] = pd.array(med, dtype="Float64") * sign
    return out


# --------------------------------------------------------------------------- copying


def normalise_text(text: str) -> str:
    """Return ``text`` in NFC, case-folded, whitespace collapsed: the form compared for copying."""
    return " ".join(nfc(text).casefold().split())


@dataclass(frozen=True)
class CopyMatch:
    """The closest text in another document to one target text.

    Attributes
    ----------
    similarity
        rapidfuzz ``fuzz.ratio`` (0-100) with the closest text of another document.
    doc
        That document.
    """

    similarity: float
    doc: str


def _target_texts(frame: pd.DataFrame) -> pd.Series:
    """Return each target's text for copying: ``sentence``, else ``quote``, normalised."""
    import pandas as pd

    sentence = frame["sentence"] if "sentence" in frame else pd.Series(pd.NA, index=frame.index)
    quote = frame["quote"] if "quote" in frame else pd.Series(pd.NA, index=frame.index)
    text = sentence.astype("string").fillna(quote.astype("string"))
    return text.map(normalise_text, na_action="ignore").astype("string")


def closest_texts(
    texts: Sequence[str], docs: Sequence[str], national: Sequence[bool]
) -> list[CopyMatch | None]:
    """Return, for each text, its closest text in another document.

    Similarity is :func:`rapidfuzz.fuzz.ratio` (the normalised Indel similarity,
    ``100 * (1 - indel_distance / (len(a) + len(b)))``). Ties go to a national
    document, then to the first document in sort order. ``None`` where no other
    document has a text.
    """
    import numpy as np
    from rapidfuzz import fuzz, process

    if not texts:
        return []
    scores = process.cdist(list(texts), list(texts), scorer=fuzz.ratio, dtype=np.float32)
    doc_arr = np.asarray(docs, dtype=object)
    same = doc_arr[:, None] == doc_arr[None, :]
    scores[same] = -1.0
    # Tie-break order: national documents first, then by document name.
    order = sorted(range(len(texts)), key=lambda j: (not national[j], docs[j], j))
    scores = scores[:, order]
    best = scores.argmax(axis=1)
    out: list[CopyMatch | None] = []
    for i, j in enumerate(best):
        s = float(scores[i, j])
        out.append(None if s < 0 else CopyMatch(similarity=s, doc=docs[order[j]]))
    return out


def copying(
    targets: pd.DataFrame,
    documents: pd.DataFrame,
    threshold: float = COPY_THRESHOLD,
    min_chars: int = COPY_MIN_CHARS,
) -> pd.DataFrame:
    """Return, per target, its closest sentence in another plan and whether it is a copy.

    The text of a target is its ``sentence`` (its ``quote`` where the sentence is
    missing), NFC, case-folded, whitespace collapsed (:func:`normalise_text`).
    Each distinct text of a document is compared with every distinct text of
    every other document, national programme included, by rapidfuzz
    ``fuzz.ratio``; a text is **copied** when the best score is
    ``>= threshold`` (default 90). A number changed inside an otherwise identical
    sentence still counts as copied: the wording, not the figure, is copied.

    Needs: a text of at least ``min_chars`` characters and at least one other
    document with such a text. Otherwise ``copy_similarity``, ``copied`` and
    ``copied_from`` are NA.

    Returns
    -------
    DataFrame
        ``doc``, ``target_no``, ``indicator``, ``copy_similarity`` (0-100),
        ``copied_from`` (closest document), ``copied`` (bool),
        ``copied_from_national`` (bool: copied, and the closest is national).
    """
    frame = _commitments(targets, documents)
    return _copy_columns(frame, threshold, min_chars)[
        [*_TARGET_KEY, "copy_similarity", "copied_from", "copied", "copied_from_national"]
    ]


def _copy_columns(frame: pd.DataFrame, threshold: float, min_chars: int) -> pd.DataFrame:
    import pandas as pd

    out = frame.copy()
    out["_text"] = _target_texts(out)
    ok = out["_text"].notna() & (out["_text"].str.len() >= min_chars).fillna(False)
    uniq = out.loc[ok, ["doc", "_text", "_national"]].drop_duplicates(["doc", "_text"])
    uniq = uniq.sort_values(["doc", "_text"]).reset_index(drop=True)
    matches = closest_texts(
        list(uniq["_text"]), list(uniq["doc"]), [bool(v) for v in uniq["_national"]]
    )
    national_docs = set(out.loc[out["_national"], "doc"])
    uniq["copy_similarity"] = pd.array(
        [pd.NA if m is None else round(m.similarity, 2) for m in matches], dtype="Float64"
    )
    uniq["copied_from"] = pd.array([pd.NA if m is None else m.doc for m in matches], "string")
    out = out.merge(uniq[["doc", "_text", "copy_similarity", "copied_from"]], how="left")
    out["copied"] = (out["copy_similarity"] >= threshold).astype("boolean")
    from_nat = out["copied_from"].isin(national_docs).astype("boolean")
    out["copied_from_national"] = out["copied"] & from_nat
    out.loc[out["copied"].isna(), "copied_from_national"] = pd.NA
    return out


# --------------------------------------------------------------------------- per-target table


def _per_target(
    targets: pd.DataFrame,
    documents: pd.DataFrame,
    threshold: float = COPY_THRESHOLD,
    min_chars: int = COPY_MIN_CHARS,
    national: pd.DataFrame | None = None,
) -> pd.DataFrame:
    frame = _commitments(targets, documents)
    frame = _baselines(frame, targets)
    frame = _national(frame, national)
    frame = _peer_measures(frame, "_score", "peer")
    frame = _peer_measures(frame, "progress_per_year", "progress")
    return _copy_columns(frame, threshold, min_chars)


_OUTPUT = {
    "doc": "string",
    "target_no": "Int64",
    "indicator": "string",
    "plan_id": "string",
    "start": "Int64",
    "province": "string",
    "province_code": "string",
    "period_start": "Int64",
    "period_end": "Int64",
    "doc_kind": "string",
    "restates_target_no": "Int64",
    "restated": "boolean",
    "area": "string",
    "indicator_area": "string",
    "family": "string",
    "unit": "string",
    "level": "string",
    "direction": "string",
    "comparator": "string",
    "year": "Int64",
    "value": "Float64",
    "value_high": "Float64",
    "better": "string",
    "commitment": "Float64",
    "national_programme": "string",
    "national_year": "Int64",
    "national_value": "Float64",
    "gap_national": "Float64",
    "national_rule": "string",
    "national_source": "string",
    "national_reason": "string",
    "national_year_as_demanding": "Int64",
    "years_vs_national": "Int64",
    "n_peers": "Int64",
    "n_peer_docs": "Int64",
    "peer_median": "Float64",
    "peer_percentile": "Float64",
    "peer_robust_z": "Float64",
    "peer_reason": "string",
    "baseline_value": "Float64",
    "baseline_year": "Int64",
    "progress_per_year": "Float64",
    "progress_n_peers": "Int64",
    "progress_percentile": "Float64",
    "progress_robust_z": "Float64",
    "progress_reason": "string",
    "copy_similarity": "Float64",
    "copied_from": "string",
    "copied": "boolean",
    "copied_from_national": "boolean",
}


def ambition_by_target(
    targets: pd.DataFrame,
    documents: pd.DataFrame,
    threshold: float = COPY_THRESHOLD,
    min_chars: int = COPY_MIN_CHARS,
    national: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the ambition measures of every target (``kind == "target"``), one row each.

    Parameters
    ----------
    targets, documents
        The ``targets`` and ``documents`` tables (``docs/ARCHITECTURE.md``).
    threshold, min_chars
        Copy threshold and minimum text length (:func:`copying`).
    national
        National benchmarks (:func:`load_national_targets`' columns); the shipped
        table by default. National documents of the corpus are added to them.

    Returns
    -------
    DataFrame
        Columns of :data:`SCHEMA`, sorted by ``doc``, ``target_no``, ``indicator``:
        keys (``plan_id``, province, period, ``doc_kind``), the restatement mark
        (``restates_target_no``, ``restated``), the indicator's ``family``, then the
        measures and what they need:

        * ``commitment``: :func:`commitment`; NA for an unknown indicator or a
          comparator against the better direction.
        * ``national_programme``, ``national_year``, ``national_value``,
          ``gap_national``, ``national_rule``, ``national_source``: the national
          target in force at the deadline (:func:`national_benchmark`);
          ``national_reason`` says why when there is none.
        * ``n_peers``, ``n_peer_docs``, ``peer_median``, ``peer_percentile``,
          ``peer_robust_z``: the commitment among peers (same kind of document,
          deadline within a year, each commitment once: :func:`peer_pool`;
          :func:`peer_percentile`, :func:`robust_z`); ``n_peers`` is always shown
          for a comparable target (0 when no other plan sets it), NA when it has no
          commitment, level or deadline; the percentile, z and median need
          :data:`MIN_PEERS` peers, ``peer_reason`` says why they are NA.
        * ``baseline_value``, ``baseline_year``, ``progress_per_year``: the plan's
          own latest earlier baseline (same indicator, level, unit, direction) and
          :func:`progress_per_year`; ``progress_*`` rank it among peers with a
          progress too.
        * ``copy_similarity``, ``copied_from``, ``copied``,
          ``copied_from_national``: :func:`copying`.

        National comparison: ``gap_national = s * (commitment - national_value)``,
        ``s = +1`` if higher is better, ``-1`` if lower (percentage points or
        ranks; positive = more ambitious). ``national_year_as_demanding`` is the
        earliest national milestone (same key) asking at least as much;
        ``years_vs_national = year - national_year_as_demanding`` (negative =
        earlier than the nation).
    """
    frame = _per_target(targets, documents, threshold, min_chars, national)
    return typed_frame(frame, _OUTPUT)


def typed_frame(frame: pd.DataFrame, dtypes: Mapping[str, str]) -> pd.DataFrame:
    """Return ``frame``'s columns ``dtypes`` (in that order, absent ones all NA), cast, re-indexed.

    ``None`` and ``NaN`` become ``NA`` before the cast, so a column of Python
    objects becomes a nullable ``Int64``, ``Float64``, ``string`` or ``boolean``.
    """
    import pandas as pd

    out = pd.DataFrame(index=frame.index)
    for col, dtype in dtypes.items():
        src = frame[col] if col in frame else pd.Series(pd.NA, index=frame.index)
        out[col] = src.astype(object).where(src.notna(), pd.NA).astype(dtype)
    return out.reset_index(drop=True)


def frame_schema(
    table: str,
    description: str,
    dtypes: Mapping[str, str],
    descriptions: Mapping[str, str],
    *,
    checks: Mapping[str, Any],
    required: frozenset[str],
    unique: Sequence[str],
) -> Any:
    """Return a strict, ordered pandera schema with one described column per ``dtypes`` entry.

    Columns in ``required`` are not nullable; ``checks`` maps a column to its check;
    ``unique`` is the table's key.
    """
    import pandera.pandas as pa

    columns = {
        name: pa.Column(
            dtype,
            checks=checks.get(name),
            nullable=name not in required,
            description=descriptions[name],
        )
        for name, dtype in dtypes.items()
    }
    return pa.DataFrameSchema(
        columns,
        strict=True,
        ordered=True,
        unique=list(unique),
        name=table,
        description=description,
    )


# --------------------------------------------------------------------------- summaries


@dataclass(frozen=True)
class GroupSummary:
    """Specificity, coverage and ambition of a set of targets (a plan, an area, a period).

    Counts are real counts (0 when there is nothing); shares and medians over an
    empty set are NA. ``n_*`` count commitments: a target restated in the same plan
    (:func:`restatements`) is counted once, and ``n_restated`` says how many rows were
    left out as restatements.
    """

    n_targets: int
    n_restated: int
    n_indicators: int
    share_with_deadline: Any
    share_with_level: Any
    share_with_baseline: Any
    n_with_peers: int
    median_peer_percentile: Any
    median_peer_robust_z: Any
    n_with_national: int
    mean_gap_national_pp: Any
    mean_gap_national_ranks: Any
    median_years_vs_national: Any
    n_texts: int
    share_texts_copied: Any
    share_texts_copied_from_national: Any


def summarise(frame: pd.DataFrame) -> GroupSummary:
    """Summarise per-target ambition rows (internal columns included) into a :class:`GroupSummary`.

    * ``share_with_deadline``, ``share_with_level``, ``share_with_baseline``:
      share of target rows with a ``year``, a ``level``, a baseline.
    * ``median_peer_percentile``, ``median_peer_robust_z``: over targets with a
      percentile (at least :data:`MIN_PEERS` peers); ``n_with_peers`` counts them.
    * ``mean_gap_national_pp`` (percent targets) and ``mean_gap_national_ranks``
      (rank targets) are kept apart: units are never mixed.
    * ``share_texts_copied``: distinct (document, text) pairs long enough to
      compare that are copies (:func:`copying`), over those compared.
    """
    import pandas as pd

    n_restated = int(frame["restated"].fillna(False).sum()) if "restated" in frame else 0
    if "restated" in frame:
        frame = frame.loc[~frame["restated"].fillna(False).astype(bool)]
    n = len(frame)

    def share(mask: pd.Series) -> Any:
        return pd.NA if n == 0 else float(mask.sum()) / n

    def stat(values: pd.Series, how: str) -> Any:
        values = values.dropna()
        if values.empty:
            return pd.NA
        return float(values.median() if how == "median" else values.mean())

    with_peers = frame.loc[frame["peer_percentile"].notna()]
    texts = frame.loc[frame["copy_similarity"].notna()].drop_duplicates(["doc", "_text"])
    n_texts = len(texts)
    gap = frame["gap_national"]
    return GroupSummary(
        n_targets=n,
        n_restated=n_restated,
        n_indicators=int(frame["indicator"].nunique()),
        share_with_deadline=share(frame["year"].notna()),
        share_with_level=share(frame["level"].notna()),
        share_with_baseline=share(frame["baseline_value"].notna()),
        n_with_peers=len(with_peers),
        median_peer_percentile=stat(with_peers["peer_percentile"], "median"),
        median_peer_robust_z=stat(with_peers["peer_robust_z"], "median"),
        n_with_national=int(gap.notna().sum()),
        mean_gap_national_pp=stat(gap.loc[frame["unit"] == "percent"], "mean"),
        mean_gap_national_ranks=stat(gap.loc[frame["unit"] == "rank"], "mean"),
        median_years_vs_national=stat(frame["years_vs_national"], "median"),
        n_texts=n_texts,
        share_texts_copied=pd.NA if n_texts == 0 else float(texts["copied"].sum()) / n_texts,
        share_texts_copied_from_national=pd.NA
        if n_texts == 0
        else float(texts["copied_from_national"].sum()) / n_texts,
    )


_SUMMARY_TYPES = {
    "n_targets": "Int64",
    "n_restated": "Int64",
    "n_indicators": "Int64",
    "share_with_deadline": "Float64",
    "share_with_level": "Float64",
    "share_with_baseline": "Float64",
    "n_with_peers": "Int64",
    "median_peer_percentile": "Float64",
    "median_peer_robust_z": "Float64",
    "n_with_national": "Int64",
    "mean_gap_national_pp": "Float64",
    "mean_gap_national_ranks": "Float64",
    "median_years_vs_national": "Float64",
    "n_texts": "Int64",
    "share_texts_copied": "Float64",
    "share_texts_copied_from_national": "Float64",
}


_SUMMARY_INPUTS = [
    "doc", "area", "indicator", "unit", "year", "level", "baseline_value", "n_peers",
    "peer_percentile", "peer_robust_z", "gap_national", "years_vs_national",
    "copy_similarity", "copied", "copied_from_national", "_text", "restated",
]  # fmt: skip


def _summaries(frame: pd.DataFrame, groups: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Return one summary row per row of ``groups`` (every group, even with no targets)."""
    import pandas as pd

    frame = frame[_SUMMARY_INPUTS]
    parts = {
        (k if isinstance(k, tuple) else (k,)): g
        for k, g in frame.groupby(on, dropna=True, sort=False)
    }
    empty = frame.iloc[0:0]
    rows = [
        asdict(summarise(parts.get(tuple(key), empty)))
        for key in groups[on].astype(object).itertuples(index=False, name=None)
    ]
    out = pd.DataFrame(rows, columns=list(_SUMMARY_TYPES), index=groups.index)
    for col, dtype in _SUMMARY_TYPES.items():
        out[col] = out[col].astype(dtype)
    return pd.concat([groups, out], axis=1).reset_index(drop=True)


def _documents(documents: pd.DataFrame) -> pd.DataFrame:
    keys = plan_keys(documents)
    cols = ["doc", "plan_id", "province", "province_code", "period_start", "period_end",
            "doc_kind"]  # fmt: skip
    return keys[cols].reset_index(drop=True)


def coverage(
    targets: pd.DataFrame, documents: pd.DataFrame, *, national: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return specificity and catalogue coverage per document and reform area.

    One row per document and area of ``vocab.AREAS`` (every pair, so plans that
    set nothing in an area show it). ``area`` is where the plan put the target
    (its heading); catalogue coverage uses each indicator's own catalogue area.

    Columns
    -------
    ``n_targets``
        Quantified targets (``kind == "target"`` rows) under the area; 0 if none.
    ``n_indicators``
        Distinct indicators among them.
    ``catalogue_indicators``
        Catalogue indicators whose own area is this area.
    ``catalogue_covered``
        Of those, how many the document sets anywhere.
    ``catalogue_coverage``
        ``catalogue_covered / catalogue_indicators``; NA when the area has no
        catalogue indicator.
    ``share_with_deadline``, ``share_with_level``, ``share_with_baseline``
        Shares of the area's targets with a year, a level, a known baseline
        (:func:`ambition_by_target`); NA when ``n_targets == 0``.
    """
    frame = _per_target(targets, documents, national=national)
    return _coverage_frame(frame, documents)


def _coverage_frame(frame: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    cat = indicators()
    per_area = {a: {c for c, i in cat.items() if i.area == a} for a in AREAS}
    docs = _documents(documents)
    frame = frame.loc[~frame["restated"].fillna(False).astype(bool)]
    rows = []
    for doc in docs["doc"]:
        in_doc = frame.loc[frame["doc"] == doc]
        covered = set(in_doc["indicator"].dropna())
        for area in AREAS:
            sub = in_doc.loc[in_doc["area"] == area]
            n = len(sub)
            k = len(per_area[area])
            hit = len(per_area[area] & covered)
            rows.append(
                {
                    "doc": doc,
                    "area": area,
                    "n_targets": n,
                    "n_indicators": int(sub["indicator"].nunique()),
                    "catalogue_indicators": k,
                    "catalogue_covered": hit,
                    "catalogue_coverage": pd.NA if k == 0 else hit / k,
                    "share_with_deadline": pd.NA if n == 0 else sub["year"].notna().mean(),
                    "share_with_level": pd.NA if n == 0 else sub["level"].notna().mean(),
                    "share_with_baseline": pd.NA
                    if n == 0
                    else sub["baseline_value"].notna().mean(),
                }
            )
    out = pd.DataFrame(rows)
    types = {"doc": "string", "area": "string"}
    types |= dict.fromkeys(
        ["n_targets", "n_indicators", "catalogue_indicators", "catalogue_covered"], "Int64"
    )
    types |= dict.fromkeys(
        ["catalogue_coverage", "share_with_deadline", "share_with_level", "share_with_baseline"],
        "Float64",
    )
    return out.astype(types)


def ambition_by_area(
    targets: pd.DataFrame, documents: pd.DataFrame, *, national: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return coverage and ambition per document and reform area.

    The columns of :func:`coverage`, then the ambition part of
    :class:`GroupSummary` (peers, national gaps, copying) over the area's targets.
    """
    frame = _per_target(targets, documents, national=national)
    cov = _coverage_frame(frame, documents)
    amb = _summaries(frame, cov[["doc", "area"]], ["doc", "area"])
    drop = [c for c in _SUMMARY_TYPES if c in cov.columns]
    return cov.merge(amb.drop(columns=drop), on=["doc", "area"], how="left")


def ambition_by_document(
    targets: pd.DataFrame, documents: pd.DataFrame, *, national: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return one row per document: specificity, coverage and ambition summaries.

    Columns: ``doc``, ``plan_id``, ``province``, ``province_code``, ``period_start``,
    ``period_end``, ``doc_kind``, ``catalogue_covered`` (distinct catalogue indicators set),
    ``catalogue_coverage`` (``catalogue_covered`` / catalogue size), then the
    fields of :class:`GroupSummary`. Every document appears, with
    ``n_targets == 0`` and NA shares if it sets no target.
    """
    import pandas as pd

    frame = _per_target(targets, documents, national=national)
    docs = _documents(documents)
    cat = set(indicators())
    covered = [
        len(cat & set(frame.loc[frame["doc"] == d, "indicator"].dropna())) for d in docs["doc"]
    ]
    docs["catalogue_covered"] = pd.array(covered, dtype="Int64")
    docs["catalogue_coverage"] = (docs["catalogue_covered"] / len(cat)).astype("Float64")
    return _summaries(frame, docs, ["doc"])


def ambition_by_province_period(
    targets: pd.DataFrame, documents: pd.DataFrame, *, national: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return one row per province and plan period (``period_start``, ``period_end``).

    All documents of a province covering the same period are pooled (``n_docs``,
    ``docs``, ``plan_ids``); columns are those of :class:`GroupSummary` over their
    targets, each commitment once.
    Documents with an unknown period form their own group (NA period).
    """
    import pandas as pd

    frame = _per_target(targets, documents, national=national)
    docs = _documents(documents)
    keys = ["province", "period_start", "period_end"]
    frame = frame.merge(docs[["doc", "period_start", "period_end"]], on="doc", how="left")
    groups = (
        docs.groupby(keys, dropna=False, sort=True)
        .agg(
            province_code=("province_code", "first"),
            n_docs=("doc", "size"),
            docs=("doc", lambda s: " ".join(sorted(s))),
            plan_ids=("plan_id", lambda s: " ".join(sorted(s))),
        )
        .reset_index()
    )
    groups["n_docs"] = groups["n_docs"].astype("Int64")
    groups["docs"] = groups["docs"].astype("string")
    groups["plan_ids"] = groups["plan_ids"].astype("string")
    frame = frame[_SUMMARY_INPUTS]
    rows = []
    for _, g in groups.iterrows():
        members = g["docs"].split(" ")
        rows.append(asdict(summarise(frame.loc[frame["doc"].isin(members)])))
    out = pd.DataFrame(rows, columns=list(_SUMMARY_TYPES))
    out = out.astype(_SUMMARY_TYPES)
    return pd.concat([groups, out], axis=1)


# --------------------------------------------------------------------------- families


FAMILY_SCALES: dict[str, str] = {
    "mean_gap_national_pp": "mean gap to the national target in force at the deadline, "
    "percentage points (percent indicators; positive = more ambitious than the nation)",
    "mean_peer_percentile": "mean peer percentile (0-100, 50 = peers' median; targets with "
    "3 or more peers)",
    "mean_peer_robust_z": "mean robust z against peers (targets with 3 or more peers and MAD > 0)",
}
"""The family ambition scales of :func:`ambition_by_family` and what each averages."""

_FAMILY_OUTPUT = {
    "plan_id": "string", "doc": "string", "province": "string", "province_code": "string",
    "period_start": "Int64", "period_end": "Int64", "doc_kind": "string", "family": "string",
    "family_label_en": "string", "family_label_vi": "string", "n_targets": "Int64",
    "n_restated": "Int64", "n_gap_national": "Int64", "mean_gap_national_pp": "Float64",
    "mean_gap_national_ranks": "Float64", "n_peer_percentile": "Int64",
    "mean_peer_percentile": "Float64", "n_peer_robust_z": "Int64",
    "mean_peer_robust_z": "Float64", "indicators": "string",
}  # fmt: skip


def ambition_by_family(
    targets: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    in_period_only: bool = True,
    national: pd.DataFrame | None = None,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    r"""Return ambition per plan and indicator family, on scales comparable across plans.

    Plans set different indicators of one family (Kiên Giang 45 % of procedures at
    level 3 by 2020, Hưng Yên 100 % fully online in 2023, Đắk Lắk 80 % of files fully
    online by 2025), so a family's ambition is an average of per-target measures that
    already sit on a common yardstick (:data:`FAMILY_SCALES`), each with its N:

    * ``mean_gap_national_pp`` over ``n_gap_national`` percent targets:
      :math:`\bar g = \frac1n\sum_i s_i (c_i - v^{nat}_i)`, the committed value
      against the national target in force at its deadline (:func:`national_benchmark`),
      in percentage points, higher = more ambitious. Comparable across plans because
      every plan is held to the same national yardstick; it needs no peers.
      (Rank targets are averaged apart, in ``mean_gap_national_ranks``.)
    * ``mean_peer_percentile`` over ``n_peer_percentile`` targets with at least
      :data:`MIN_PEERS` peers (0-100, 50 = peers' median, higher = more ambitious).
    * ``mean_peer_robust_z`` over ``n_peer_robust_z`` targets: robust z against the
      same peers.

    Each commitment counts once (restatements out: ``n_restated``). With
    ``in_period_only`` (default) only deadlines within the plan period count: a
    2030 horizon in a 2021-2025 plan is not what the 2021-2025 change in an index can
    reflect. A scale with no target is NA, never 0.

    Parameters
    ----------
    targets, documents
        The ``targets`` and ``documents`` tables.
    in_period_only
        Keep only targets due within ``period_start``-``period_end``.
    national
        National benchmarks (default: the shipped table).
    table
        A per-target table from :func:`ambition_by_target` to reuse (saves the work).

    Returns
    -------
    DataFrame
        One row per plan (``plan_id``) and family the plan sets a target in (national
        documents left out), sorted by ``plan_id`` and family order of the catalogue:
        keys (``plan_id, doc, province, province_code, period_start, period_end,
        doc_kind``), ``family`` with its labels, ``n_targets``, the scales and their N,
        and the ``indicators`` set.
    """
    import pandas as pd

    from parstats.catalogue import families

    fams = families()
    frame = ambition_by_target(targets, documents, national=national) if table is None else table
    frame = frame.loc[(frame["province"] != NATIONAL).fillna(True) & frame["family"].notna()]
    if in_period_only:
        due = frame["year"]
        frame = frame.loc[
            (due >= frame["period_start"]).fillna(False)
            & (due <= frame["period_end"]).fillna(False)
        ]
    order = {f: i for i, f in enumerate(fams)}
    rows = []
    for (pid, fam), g in frame.groupby(["plan_id", "family"], sort=False):
        restated = g["restated"].fillna(False).astype(bool)
        once = g.loc[~restated]
        pct = once["peer_percentile"].dropna()
        z = once["peer_robust_z"].dropna()
        gap_pp = once.loc[once["unit"] == "percent", "gap_national"].dropna()
        gap_rank = once.loc[once["unit"] == "rank", "gap_national"].dropna()
        first = g.iloc[0]
        rows.append(
            {
                "plan_id": pid, "doc": first["doc"], "province": first["province"],
                "province_code": first["province_code"], "period_start": first["period_start"],
                "period_end": first["period_end"], "doc_kind": first["doc_kind"],
                "family": fam, "family_label_en": fams[fam].label_en,
                "family_label_vi": fams[fam].label_vi, "n_targets": len(once),
                "n_restated": int(restated.sum()), "n_gap_national": len(gap_pp) + len(gap_rank),
                "mean_gap_national_pp": gap_pp.mean() if len(gap_pp) else pd.NA,
                "mean_gap_national_ranks": gap_rank.mean() if len(gap_rank) else pd.NA,
                "n_peer_percentile": len(pct),
                "mean_peer_percentile": pct.mean() if len(pct) else pd.NA,
                "n_peer_robust_z": len(z), "mean_peer_robust_z": z.mean() if len(z) else pd.NA,
                "indicators": " ".join(sorted(set(once["indicator"]))),
                "_order": order.get(fam, len(order)),
            }
        )  # fmt: skip
    out = pd.DataFrame(rows, columns=[*_FAMILY_OUTPUT, "_order"])
    out = out.sort_values(["plan_id", "_order"], kind="stable").drop(columns="_order")
    return typed_frame(out, _FAMILY_OUTPUT)


# --------------------------------------------------------------------------- entry point and schema


def build_frame(
    targets: pd.DataFrame,
    documents: pd.DataFrame,
    indices: pd.DataFrame | None = None,
    *,
    national: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the ``ambition`` table (one row per target), validated by :data:`SCHEMA`.

    ``indices`` is accepted for a uniform signature with :mod:`parstats.delivery`
    and is not used: ambition is read from the plans alone. ``national``: the
    benchmarks (:func:`load_national_targets`, the default).
    """
    del indices
    from parstats.schema import validate

    table = ambition_by_target(targets, documents, national=national)
    return validate(table, _make_schema(), "ambition")


_DESCRIPTIONS = {
    "doc": "Document (file stem)",
    "target_no": "1-based order of the target in its document",
    "indicator": "Catalogue indicator code",
    "plan_id": "Readable plan id: province slug, document type and number, year "
    "(e.g. dak-lak_qd-3478_2021)",
    "province_code": "GSO code of the province; NA for national documents",
    "period_start": "First year of the plan period",
    "period_end": "Last year of the plan period",
    "doc_kind": "provincial_programme, provincial_annual_plan, department_plan, national or "
    "unknown (from issuer and period length); peers come from the same kind",
    "restates_target_no": "target_no of this commitment's first statement in the same plan "
    "(same indicator, level, unit, direction, comparator, value, year); NA if first",
    "restated": "True when this row restates an earlier target: counted once in summaries",
    "family": "The indicator's family in the catalogue (indicator_families.csv)",
    "start": "Character offset of the number in the NFC text; NA if unknown",
    "province": "Province of the document (pre-2025 name) or 'national'",
    "area": "Reform area of the heading the target sits under",
    "indicator_area": "The indicator's own area in the catalogue",
    "unit": "percent, count, rank or rank_places",
    "level": "Tier of government the target applies to",
    "direction": "attain, increase or decrease",
    "comparator": "ge, gt, eq, le, lt or range",
    "year": "Deadline year",
    "value": "The target's number",
    "value_high": "Upper end of a range",
    "better": "Catalogue: which way is an improvement (higher or lower; ranks: lower)",
    "commitment": "Value committed to in the better direction (worse-side bound of a range); "
    "NA for a comparator against the better direction",
    "national_programme": "National programme (national_targets.csv programme_id, or a "
    "national document of the corpus) whose target is compared",
    "national_year": "Milestone year of that national target",
    "national_value": "That national target's committed value",
    "gap_national": "s*(commitment - national_value), s=+1 if higher is better else -1; "
    "percentage points or ranks; positive = more ambitious",
    "national_rule": "same_year, next_milestone (the next national milestone after the deadline) "
    "or earlier_milestone (the programme's latest milestone before it)",
    "national_source": "Address of the page the national target was read from",
    "national_reason": "Why there is no national comparison; NA when there is one",
    "national_year_as_demanding": "Earliest national milestone (same indicator, level, unit, "
    "direction, any programme) asking at least as much",
    "years_vs_national": "year - national_year_as_demanding; negative = the province asks for "
    "it earlier",
    "n_peers": "Peers: commitments of other plans of the same kind, same indicator, level, "
    "unit, direction, deadline within 1 year, restatements excluded; NA if not comparable",
    "n_peer_docs": "Other provincial plans those peer targets come from",
    "peer_median": "Median committed value of the peers (3 or more)",
    "peer_percentile": "100*(#less ambitious + 0.5*#equal)/n_peers; 50 = peers' median; NA "
    "with fewer than 3 peers",
    "peer_robust_z": "s*(commitment - median)/(1.4826*MAD) over peers; NA if <3 peers or MAD=0",
    "peer_reason": "Why peer_percentile or peer_robust_z is NA (the number of peers found)",
    "baseline_value": "The plan's own latest baseline before the deadline (same indicator, "
    "level, unit, direction)",
    "baseline_year": "Year of that baseline",
    "progress_per_year": "s*(commitment - baseline)/(year - baseline_year); unit per year; "
    "positive = improvement",
    "progress_n_peers": "Peers with a known progress per year",
    "progress_percentile": "Percentile of progress_per_year among those peers",
    "progress_robust_z": "Robust z of progress_per_year among those peers",
    "progress_reason": "Why progress_percentile is NA",
    "copy_similarity": "rapidfuzz fuzz.ratio (0-100) with the closest target text of another "
    "document; NA if the text is shorter than 20 characters",
    "copied_from": "Document holding that closest text",
    "copied": "copy_similarity >= 90: a near-verbatim copy",
    "copied_from_national": "Copied, and the closest text is the national programme's",
}


@lru_cache(maxsize=1)
def _make_schema() -> Any:
    import pandera.pandas as pa

    checks = {
        "area": pa.Check.isin(AREAS),
        "indicator_area": pa.Check.isin(AREAS),
        "unit": pa.Check.isin(UNITS),
        "level": pa.Check.isin(LEVELS),
        "direction": pa.Check.isin(DIRECTIONS),
        "comparator": pa.Check.isin(COMPARATORS),
        "better": pa.Check.isin(("higher", "lower")),
        "peer_percentile": pa.Check.in_range(0, 100),
        "progress_percentile": pa.Check.in_range(0, 100),
        "copy_similarity": pa.Check.in_range(0, 100),
        "n_peers": pa.Check.ge(0),
        "doc_kind": pa.Check.isin(DOC_KINDS),
        "national_rule": pa.Check.isin(("same_year", "next_milestone", "earlier_milestone")),
    }
    return frame_schema(
        "ambition",
        "Ambition of each plan target: against the national programme, against peer plans, "
        "progress from baseline, near-verbatim copying",
        _OUTPUT,
        _DESCRIPTIONS,
        checks=checks,
        required=frozenset({"doc", "target_no"}),
        unique=_TARGET_KEY,
    )


def __getattr__(name: str) -> Any:
    # SCHEMA needs pandera (and so pandas); build it on first access only.
    if name == "SCHEMA":
        return _make_schema()
    raise AttributeError(f"module 'parstats.ambition' has no attribute {name!r}")
