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
cannot be computed is NA, never 0.
"""

from __future__ import annotations

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
    import pandas as pd

    return value is None or bool(pd.isna(value))


# --------------------------------------------------------------------------- per-target frame


def _commitments(targets: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Return the ``kind == "target"`` rows with province, catalogue fields and commitment."""
    import pandas as pd

    cat = indicators()
    docs = documents[["doc", "province"]].drop_duplicates("doc")
    frame = targets.loc[targets["kind"] == "target"].merge(docs, on="doc", how="left")
    frame = frame.sort_values(["doc", "target_no", "indicator"], kind="stable").reset_index(
        drop=True
    )
    frame["better"] = pd.array(
        [cat[i].better if isinstance(i, str) and i in cat else pd.NA for i in frame["indicator"]],
        dtype="string",
    )
    frame["indicator_area"] = pd.array(
        [cat[i].area if isinstance(i, str) and i in cat else pd.NA for i in frame["indicator"]],
        dtype="string",
    )
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


def _national(frame: pd.DataFrame) -> pd.DataFrame:
    """Attach the comparison with the national programme to provincial targets.

    ``national_value`` is the commitment of the national target with the same
    indicator, level, unit, direction and year (the first in document order if
    the programme states it twice); ``gap_national = s * (commitment -
    national_value)`` with ``s = +1`` if higher is better, ``-1`` otherwise
    (percentage points for shares, ranks for ranks; positive: more ambitious).
    ``national_year`` is the earliest national deadline, same key, whose value is
    at least as demanding as the province's; ``years_vs_national = year -
    national_year`` (negative: the province asks for it earlier). NA for national
    documents' own targets, when the corpus has no national document, or when no
    national target matches.
    """
    import pandas as pd

    key = list(COMPARE_KEY)
    nat = frame.loc[frame["_national"] & frame["_score"].notna()]
    nat = nat[[*key, "year", "doc", "target_no", "commitment", "_score"]]
    out = frame.copy()
    out["national_doc"] = pd.array([pd.NA] * len(out), dtype="string")
    out["national_value"] = pd.array([pd.NA] * len(out), dtype="Float64")
    out["national_year"] = pd.array([pd.NA] * len(out), dtype="Int64")
    groups = {k: g for k, g in nat.groupby(key, dropna=True, sort=False)}
    for i, row in out.loc[~out["_national"] & out["_score"].notna()].iterrows():
        k = tuple(row[c] for c in key)
        if any(_isna(v) for v in k) or k not in groups:
            continue
        g = groups[k]
        if not _isna(row["year"]):
            same = g.loc[g["year"] == row["year"]]
            if not same.empty:
                first = same.sort_values(["doc", "target_no"]).iloc[0]
                out.at[i, "national_value"] = first["commitment"]
                out.at[i, "national_doc"] = first["doc"]
        demanding = g.loc[(g["_score"] >= row["_score"]) & g["year"].notna()]
        if not demanding.empty:
            out.at[i, "national_year"] = int(demanding["year"].min())
    sign = out["better"].map({"higher": 1.0, "lower": -1.0}).astype("Float64")
    out["gap_national"] = (out["commitment"] - out["national_value"]) * sign
    out["years_vs_national"] = (out["year"].astype("Int64") - out["national_year"]).astype("Int64")
    return out


def _peer_measures(frame: pd.DataFrame, column: str, prefix: str) -> pd.DataFrame:
    """Attach percentile and robust z of ``column`` among comparable provincial peers.

    Peers of a target are the provincial (not national) targets of *other*
    documents (another plan of the same province included) with the same
    indicator, level, unit and direction and a known ``column`` value, whatever
    their deadline: a 2025 and a 2030 target are both peers (the progress per
    year is the deadline-adjusted comparison). Adds ``{prefix}_n_peers``, ``{prefix}_percentile``,
    ``{prefix}_robust_z``; for ``prefix == "peer"`` the count is ``n_peers`` and
    ``n_peer_docs`` and ``peer_median`` are added too.
    """
    import pandas as pd

    cols = [*COMPARE_KEY, "doc", column, "_national"]
    records = list(frame[cols].astype(object).itertuples(index=False, name=None))
    pool: dict[tuple, list[tuple[str, float]]] = {}
    for *k, doc, x, national in records:
        if not national and not _isna(x) and not any(_isna(v) for v in k):
            pool.setdefault(tuple(k), []).append((doc, float(x)))
    n_peers, n_docs, pct, z, med = [], [], [], [], []
    for *k, doc, x, _ in records:
        comparable = not _isna(x) and not any(_isna(v) for v in k)
        peers = [(d, y) for d, y in pool.get(tuple(k), []) if d != doc] if comparable else []
        ys = [y for _, y in peers]
        n_peers.append(len(ys) if comparable else pd.NA)
        n_docs.append(len({d for d, _ in peers}) if comparable else pd.NA)
        pct.append(_na(peer_percentile(float(x), ys)) if ys else pd.NA)
        z.append(_na(robust_z(float(x), ys)) if ys else pd.NA)
        med.append(_median(ys) if ys else pd.NA)
    out = frame.copy()
    out["n_peers" if prefix == "peer" else f"{prefix}_n_peers"] = pd.array(n_peers, dtype="Int64")
    out[f"{prefix}_percentile"] = pd.array(pct, dtype="Float64")
    out[f"{prefix}_robust_z"] = pd.array(z, dtype="Float64")
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
) -> pd.DataFrame:
    frame = _commitments(targets, documents)
    frame = _baselines(frame, targets)
    frame = _national(frame)
    frame = _peer_measures(frame, "_score", "peer")
    frame = _peer_measures(frame, "progress_per_year", "progress")
    return _copy_columns(frame, threshold, min_chars)


_OUTPUT = {
    "doc": "string",
    "target_no": "Int64",
    "indicator": "string",
    "start": "Int64",
    "province": "string",
    "area": "string",
    "indicator_area": "string",
    "unit": "string",
    "level": "string",
    "direction": "string",
    "comparator": "string",
    "year": "Int64",
    "value": "Float64",
    "value_high": "Float64",
    "better": "string",
    "commitment": "Float64",
    "national_doc": "string",
    "national_value": "Float64",
    "gap_national": "Float64",
    "national_year": "Int64",
    "years_vs_national": "Int64",
    "n_peers": "Int64",
    "n_peer_docs": "Int64",
    "peer_median": "Float64",
    "peer_percentile": "Float64",
    "peer_robust_z": "Float64",
    "baseline_value": "Float64",
    "baseline_year": "Int64",
    "progress_per_year": "Float64",
    "progress_n_peers": "Int64",
    "progress_percentile": "Float64",
    "progress_robust_z": "Float64",
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
) -> pd.DataFrame:
    """Return the ambition measures of every target (``kind == "target"``), one row each.

    Parameters
    ----------
    targets, documents
        The ``targets`` and ``documents`` tables (``docs/ARCHITECTURE.md``).
    threshold, min_chars
        Copy threshold and minimum text length (:func:`copying`).

    Returns
    -------
    DataFrame
        Columns of :data:`SCHEMA`, sorted by ``doc``, ``target_no``, ``indicator``.
        Measures and what they need:

        * ``commitment``: :func:`commitment`; NA for an unknown indicator or a
          comparator against the better direction.
        * ``national_value``, ``gap_national``, ``national_year``,
          ``years_vs_national``: see the national comparison below; NA without a
          national document or a matching national target.
        * ``n_peers``, ``n_peer_docs``, ``peer_median``, ``peer_percentile``,
          ``peer_robust_z``: the commitment among comparable targets of other
          provincial plans (:func:`peer_percentile`, :func:`robust_z`);
          ``n_peers`` is 0 when the target is comparable but no other plan sets
          it, NA when it has no commitment or no level.
        * ``baseline_value``, ``baseline_year``, ``progress_per_year``: the plan's
          own latest earlier baseline (same indicator, level, unit, direction) and
          :func:`progress_per_year`; ``progress_*`` rank it among peers with a
          progress too.
        * ``copy_similarity``, ``copied_from``, ``copied``,
          ``copied_from_national``: :func:`copying`.

        National comparison: ``national_value`` is the national target with the
        same indicator, level, unit, direction and year; ``gap_national =
        s * (commitment - national_value)``, ``s = +1`` if higher is better,
        ``-1`` if lower (percentage points or ranks; positive = more ambitious).
        ``national_year`` is the earliest national deadline (same key) asking at
        least as much; ``years_vs_national = year - national_year`` (negative =
        earlier than the nation).
    """
    frame = _per_target(targets, documents, threshold, min_chars)
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
    empty set are NA. ``n_*`` count target rows unless said otherwise.
    """

    n_targets: int
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
    * ``median_peer_percentile``, ``median_peer_robust_z``: over targets with peers.
    * ``mean_gap_national_pp`` (percent targets) and ``mean_gap_national_ranks``
      (rank targets) are kept apart: units are never mixed.
    * ``share_texts_copied``: distinct (document, text) pairs long enough to
      compare that are copies (:func:`copying`), over those compared.
    """
    import pandas as pd

    n = len(frame)

    def share(mask: pd.Series) -> Any:
        return pd.NA if n == 0 else float(mask.sum()) / n

    def stat(values: pd.Series, how: str) -> Any:
        values = values.dropna()
        if values.empty:
            return pd.NA
        return float(values.median() if how == "median" else values.mean())

    with_peers = frame.loc[frame["n_peers"].fillna(0) > 0]
    texts = frame.loc[frame["copy_similarity"].notna()].drop_duplicates(["doc", "_text"])
    n_texts = len(texts)
    gap = frame["gap_national"]
    return GroupSummary(
        n_targets=n,
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
    "copy_similarity", "copied", "copied_from_national", "_text",
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
    import pandas as pd

    cols = ["doc", "province", "province_code", "period_start", "period_end"]
    docs = documents.reindex(columns=cols).drop_duplicates("doc").sort_values("doc")
    for col in ("doc", "province", "province_code"):
        docs[col] = docs[col].astype("string")
    for col in ("period_start", "period_end"):
        docs[col] = pd.to_numeric(docs[col]).astype("Int64")
    return docs.reset_index(drop=True)


def coverage(targets: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
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
    frame = _per_target(targets, documents)
    return _coverage_frame(frame, documents)


def _coverage_frame(frame: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    cat = indicators()
    per_area = {a: {c for c, i in cat.items() if i.area == a} for a in AREAS}
    docs = _documents(documents)
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


def ambition_by_area(targets: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Return coverage and ambition per document and reform area.

    The columns of :func:`coverage`, then the ambition part of
    :class:`GroupSummary` (peers, national gaps, copying) over the area's targets.
    """
    frame = _per_target(targets, documents)
    cov = _coverage_frame(frame, documents)
    amb = _summaries(frame, cov[["doc", "area"]], ["doc", "area"])
    drop = [c for c in _SUMMARY_TYPES if c in cov.columns]
    return cov.merge(amb.drop(columns=drop), on=["doc", "area"], how="left")


def ambition_by_document(targets: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Return one row per document: specificity, coverage and ambition summaries.

    Columns: ``doc``, ``province``, ``province_code``, ``period_start``,
    ``period_end``, ``catalogue_covered`` (distinct catalogue indicators set),
    ``catalogue_coverage`` (``catalogue_covered`` / catalogue size), then the
    fields of :class:`GroupSummary`. Every document appears, with
    ``n_targets == 0`` and NA shares if it sets no target.
    """
    import pandas as pd

    frame = _per_target(targets, documents)
    docs = _documents(documents)
    cat = set(indicators())
    covered = [
        len(cat & set(frame.loc[frame["doc"] == d, "indicator"].dropna())) for d in docs["doc"]
    ]
    docs["catalogue_covered"] = pd.array(covered, dtype="Int64")
    docs["catalogue_coverage"] = (docs["catalogue_covered"] / len(cat)).astype("Float64")
    return _summaries(frame, docs, ["doc"])


def ambition_by_province_period(targets: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Return one row per province and plan period (``period_start``, ``period_end``).

    All documents of a province covering the same period are pooled (``n_docs``,
    ``docs``); columns are those of :class:`GroupSummary` over their targets.
    Documents with an unknown period form their own group (NA period).
    """
    import pandas as pd

    frame = _per_target(targets, documents)
    docs = _documents(documents)
    keys = ["province", "period_start", "period_end"]
    frame = frame.merge(docs[["doc", "period_start", "period_end"]], on="doc", how="left")
    groups = (
        docs.groupby(keys, dropna=False, sort=True)
        .agg(
            province_code=("province_code", "first"),
            n_docs=("doc", "size"),
            docs=("doc", lambda s: " ".join(sorted(s))),
        )
        .reset_index()
    )
    groups["n_docs"] = groups["n_docs"].astype("Int64")
    groups["docs"] = groups["docs"].astype("string")
    frame = frame[_SUMMARY_INPUTS]
    rows = []
    for _, g in groups.iterrows():
        members = g["docs"].split(" ")
        rows.append(asdict(summarise(frame.loc[frame["doc"].isin(members)])))
    out = pd.DataFrame(rows, columns=list(_SUMMARY_TYPES))
    out = out.astype(_SUMMARY_TYPES)
    return pd.concat([groups, out], axis=1)


# --------------------------------------------------------------------------- entry point and schema


def build_frame(
    targets: pd.DataFrame, documents: pd.DataFrame, indices: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return the ``ambition`` table (one row per target), validated by :data:`SCHEMA`.

    ``indices`` is accepted for a uniform signature with :mod:`parstats.delivery`
    and is not used: ambition is read from the plans alone.
    """
    del indices
    from parstats.schema import validate

    return validate(ambition_by_target(targets, documents), _make_schema(), "ambition")


_DESCRIPTIONS = {
    "doc": "Document (file stem)",
    "target_no": "1-based order of the target in its document",
    "indicator": "Catalogue indicator code",
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
    "national_doc": "National document with a target for the same indicator, level, unit, "
    "direction and year",
    "national_value": "That national target's committed value",
    "gap_national": "s*(commitment - national_value), s=+1 if higher is better else -1; "
    "percentage points or ranks; positive = more ambitious",
    "national_year": "Earliest national deadline (same indicator, level, unit, direction) "
    "asking at least as much",
    "years_vs_national": "year - national_year; negative = the province asks for it earlier",
    "n_peers": "Comparable targets in other provincial plans (same indicator, level, unit, "
    "direction); NA if not comparable",
    "n_peer_docs": "Other provincial plans those peer targets come from",
    "peer_median": "Median committed value of the peers",
    "peer_percentile": "100*(#less ambitious + 0.5*#equal)/n_peers; 50 = peers' median",
    "peer_robust_z": "s*(commitment - median)/(1.4826*MAD) over peers; NA if <2 peers or MAD=0",
    "baseline_value": "The plan's own latest baseline before the deadline (same indicator, "
    "level, unit, direction)",
    "baseline_year": "Year of that baseline",
    "progress_per_year": "s*(commitment - baseline)/(year - baseline_year); unit per year; "
    "positive = improvement",
    "progress_n_peers": "Peers with a known progress per year",
    "progress_percentile": "Percentile of progress_per_year among those peers",
    "progress_robust_z": "Robust z of progress_per_year among those peers",
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
