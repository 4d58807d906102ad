"""Score extracted targets against hand-annotated gold rows (*đánh giá*).

A gold row is located in its document by its ``quote`` (found in the NFC text
with whitespace collapsed, mapped back to real offsets) and, inside the quote,
by the first number equal to its ``value``. A prediction matches a gold row when
the document and value agree and the prediction's span ``[start, end)`` covers
that number. Matching is one-to-one; where one number carries several indicator
rows, rows with the same indicator are paired first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from parstats.errors import InputError
from parstats.extraction.assemble import FIELD_COLUMNS
from parstats.vn import nfc, parse_number

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Evaluation", "GoldSpan", "SCORED_FIELDS", "evaluate", "locate_gold"]

# The fields of a target the guideline defines, after its value.
SCORED_FIELDS: tuple[str, ...] = FIELD_COLUMNS[1:]
_NUMERIC_FIELDS = ("value_high", "year")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class GoldSpan:
    """Where a gold row's number sits in its document.

    Attributes
    ----------
    start, end
        Span of the number in the NFC text, or ``-1`` when the quote or the
        number was not found.
    """

    start: int
    end: int

    @property
    def found(self) -> bool:
        """Whether the gold number was located."""
        return self.start >= 0


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Scores of predictions against gold rows.

    Attributes
    ----------
    precision, recall, f1
        Matching scores over all documents.
    n_gold, n_pred, n_matched
        Row counts.
    field_accuracy
        ``{field: share of matched rows where prediction equals gold}`` for
        :data:`SCORED_FIELDS`.
    per_doc
        One row per document: ``n_gold``, ``n_pred``, ``n_matched``, precision,
        recall, f1.
    unmatched_gold
        Gold rows no prediction matched (``located`` says whether the quote was found).
    spurious
        Predictions that matched no gold row.
    mismatches
        One row per matched pair and differing field: ``doc``, ``quote``,
        ``field``, ``gold``, ``pred``.
    """

    precision: float
    recall: float
    f1: float
    n_gold: int
    n_pred: int
    n_matched: int
    field_accuracy: Mapping[str, float]
    per_doc: pd.DataFrame
    unmatched_gold: pd.DataFrame
    spurious: pd.DataFrame
    mismatches: pd.DataFrame

    def summary(self) -> str:
        """Return the headline figures as a few lines of text."""
        lines = [
            f"precision {self.precision:.3f}  recall {self.recall:.3f}  f1 {self.f1:.3f}"
            f"  (gold {self.n_gold}, predicted {self.n_pred}, matched {self.n_matched})",
            "field accuracy among matched rows:",
        ]
        lines += [f"  {k:<11} {v:.3f}" for k, v in self.field_accuracy.items()]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """Return the figures (not the tables of rows) as plain JSON-ready values (NaN as None)."""
        return {
            "precision": _plain(self.precision),
            "recall": _plain(self.recall),
            "f1": _plain(self.f1),
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
            "n_matched": self.n_matched,
            "field_accuracy": {k: _plain(v) for k, v in self.field_accuracy.items()},
            "per_doc": [
                {k: _plain(v) for k, v in row.items()}
                for row in self.per_doc.to_dict(orient="records")
            ],
        }


def _plain(value: object) -> object:
    """Return a JSON-ready scalar: NaN becomes ``None``, NumPy numbers become Python ones."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _collapsed(text: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space; return the text and each char's source offset."""
    chars: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _WS.finditer(text):
        for k in range(pos, m.start()):
            chars.append(text[k])
            offsets.append(k)
        chars.append(" ")
        offsets.append(m.start())
        pos = m.end()
    for k in range(pos, len(text)):
        chars.append(text[k])
        offsets.append(k)
    return "".join(chars), offsets


def _as_float(text: str) -> float | None:
    try:
        return parse_number(text)
    except ValueError:
        return None


def locate_gold(collapsed: str, offsets: list[int], quote: str, value: float) -> GoldSpan:
    """Locate a gold row's number in a document.

    Parameters
    ----------
    collapsed, offsets
        The document's NFC text with whitespace collapsed, and the source offset
        of each of its characters.
    quote
        The gold quote.
    value
        The gold value.
    """
    q = _WS.sub(" ", nfc(str(quote))).strip()
    at = collapsed.find(q)
    if at < 0 or not q:
        return GoldSpan(-1, -1)
    for m in _NUMBER.finditer(q):
        number = _as_float(m.group(0))
        if number is None:
            # "9001:2015", "1.000,5": try the leading part alone.
            number = _as_float(m.group(0).split(".")[0])
        if number is not None and math.isclose(number, float(value), abs_tol=1e-9):
            a = at + m.start()
            b = at + m.end()
            return GoldSpan(offsets[a], offsets[b - 1] + 1)
    return GoldSpan(-1, -1)


def _same(field: str, gold: object, pred: object) -> bool:
    import pandas as pd

    g_na, p_na = pd.isna(gold), pd.isna(pred)
    if g_na or p_na:
        return bool(g_na and p_na)
    if field in _NUMERIC_FIELDS:
        try:
            return math.isclose(float(gold), float(pred), abs_tol=1e-9)
        except (TypeError, ValueError):
            return False
    return str(gold).strip() == str(pred).strip()


def _check_columns(frame: pd.DataFrame, needed: tuple[str, ...], name: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InputError(f"{name} lacks columns {missing}")


def evaluate(gold: pd.DataFrame, pred: pd.DataFrame, texts: Mapping[str, str]) -> Evaluation:
    """Score predicted targets against gold rows.

    Parameters
    ----------
    gold
        Gold rows (``data/raw/gold/targets.csv`` columns: ``doc``, ``quote``,
        ``value`` and the scored fields).
    pred
        Predicted rows with ``doc``, ``start``, ``end``, ``value`` and the scored fields.
    texts
        ``{doc: text}`` for every document of ``gold``; texts are NFC-normalised here.

    Returns
    -------
    Evaluation
    """
    import pandas as pd

    _check_columns(gold, ("doc", "quote", "value"), "gold")
    _check_columns(pred, ("doc", "start", "end", "value"), "pred")
    gold = gold.reset_index(drop=True)
    pred = pred.reset_index(drop=True)
    spans: list[GoldSpan] = []
    cache: dict[str, tuple[str, list[int]]] = {}
    for row in gold.itertuples(index=False):
        doc = str(row.doc)
        if doc not in texts:
            raise InputError(f"no text for document {doc!r}", value=doc)
        if doc not in cache:
            cache[doc] = _collapsed(nfc(texts[doc]))
        spans.append(locate_gold(*cache[doc], row.quote, float(row.value)))

    pred_by_doc: dict[str, list[int]] = {}
    for j, doc in enumerate(pred["doc"].astype(str)):
        pred_by_doc.setdefault(doc, []).append(j)
    p_start = pred["start"].astype("Int64").to_numpy(dtype=object)
    p_end = pred["end"].astype("Int64").to_numpy(dtype=object)
    p_value = pred["value"].astype("Float64").to_numpy(dtype=object)
    p_ind = pred["indicator"].to_numpy(dtype=object) if "indicator" in pred else [None] * len(pred)
    g_ind = gold["indicator"].to_numpy(dtype=object) if "indicator" in gold else [None] * len(gold)

    def candidates(i: int) -> list[int]:
        span = spans[i]
        if not span.found:
            return []
        out = []
        for j in pred_by_doc.get(str(gold.at[i, "doc"]), []):
            if pd.isna(p_start[j]) or pd.isna(p_end[j]) or pd.isna(p_value[j]):
                continue
            if not math.isclose(float(p_value[j]), float(gold.at[i, "value"]), abs_tol=1e-9):
                continue
            if int(p_start[j]) <= span.start and int(p_end[j]) >= span.end:
                out.append(j)
        return out

    cands = [candidates(i) for i in range(len(gold))]
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for same_indicator in (True, False):
        for i, js in enumerate(cands):
            if i in pairs:
                continue
            for j in js:
                if j in used:
                    continue
                if same_indicator and not _same("indicator", g_ind[i], p_ind[j]):
                    continue
                pairs[i] = j
                used.add(j)
                break

    fields = [f for f in SCORED_FIELDS if f in gold.columns and f in pred.columns]
    correct = dict.fromkeys(fields, 0)
    mismatch_rows = []
    for i, j in pairs.items():
        for f in fields:
            if _same(f, gold.at[i, f], pred.at[j, f]):
                correct[f] += 1
            else:
                mismatch_rows.append(
                    {
                        "doc": gold.at[i, "doc"],
                        "quote": gold.at[i, "quote"],
                        "field": f,
                        "gold": None if pd.isna(gold.at[i, f]) else str(gold.at[i, f]),
                        "pred": None if pd.isna(pred.at[j, f]) else str(pred.at[j, f]),
                    }
                )
    n_match = len(pairs)
    accuracy = {f: (correct[f] / n_match if n_match else math.nan) for f in fields}

    def prf(n_g: int, n_p: int, n_m: int) -> tuple[float, float, float]:
        p = n_m / n_p if n_p else math.nan
        r = n_m / n_g if n_g else math.nan
        f = 2 * p * r / (p + r) if n_p and n_g and (p + r) else 0.0
        return p, r, f

    docs = sorted(set(gold["doc"].astype(str)) | set(pred["doc"].astype(str)))
    per_doc_rows = []
    for doc in docs:
        gi = [i for i in range(len(gold)) if str(gold.at[i, "doc"]) == doc]
        n_m = sum(1 for i in gi if i in pairs)
        n_p = len(pred_by_doc.get(doc, []))
        p, r, f = prf(len(gi), n_p, n_m)
        per_doc_rows.append(
            {
                "doc": doc,
                "n_gold": len(gi),
                "n_pred": n_p,
                "n_matched": n_m,
                "precision": p,
                "recall": r,
                "f1": f,
            }
        )
    per_doc = pd.DataFrame(
        per_doc_rows, columns=["doc", "n_gold", "n_pred", "n_matched", "precision", "recall", "f1"]
    )
    unmatched = gold.loc[[i for i in range(len(gold)) if i not in pairs]].copy()
    unmatched["located"] = [spans[i].found for i in unmatched.index]
    spurious = pred.loc[[j for j in range(len(pred)) if j not in used]].copy()
    mismatches = pd.DataFrame(mismatch_rows, columns=["doc", "quote", "field", "gold", "pred"])
    p, r, f = prf(len(gold), len(pred), n_match)
    return Evaluation(
        precision=p,
        recall=r,
        f1=f,
        n_gold=len(gold),
        n_pred=len(pred),
        n_matched=n_match,
        field_accuracy=accuracy,
        per_doc=per_doc,
        unmatched_gold=unmatched,
        spurious=spurious,
        mismatches=mismatches,
    )
