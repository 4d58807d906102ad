"""Formula parsing and design matrices shared by every model in :mod:`parstats.models`.

The formula language is deliberately small, so that every term can be explained
in an error message:

``y ~ a + b + C(region) + `name with spaces` - 1``

* a term is a numeric column, a categorical ``C(column)`` (dummies, first level
  dropped), or a back-quoted column name;
* an intercept is included unless the formula has ``0`` or ``- 1``, or fixed
  effects are absorbed (the intercept is then part of the fixed effects);
* interactions (``:``, ``*``) and transformations (``I()``, ``np.log``) are not
  supported: build the column first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from parstats.errors import DroppedRowsWarning, ModelError, SmallSampleWarning
from parstats.vocab import check
from parstats.warn import warn_user

#: Below this many observations a :class:`~parstats.errors.SmallSampleWarning` is raised.
SMALL_N = 30
#: Below this many clusters the wild cluster bootstrap is the default.
FEW_CLUSTERS = 30

_TERM = re.compile(r"^(?:`(?P<quoted>[^`]+)`|C\((?P<cat>[^()]+)\)|(?P<name>[A-Za-z_][\w.]*))$")


@dataclass(frozen=True)
class Formula:
    """A parsed formula: response, terms and whether there is an intercept."""

    text: str
    response: str
    terms: tuple[str, ...]
    categorical: tuple[bool, ...]
    intercept: bool

    @property
    def columns(self) -> tuple[str, ...]:
        """Data columns the formula reads, response first."""
        return (self.response, *self.terms)


def _split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside back-quotes and parentheses."""
    parts, depth, quoted, current = [], 0, False, []
    for ch in text:
        if ch == "`":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        if ch == sep and depth == 0 and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _parse_term(raw: str, formula: str) -> tuple[str, bool]:
    match = _TERM.match(raw.strip())
    if match is None:
        raise ModelError(
            f"unsupported term {raw.strip()!r} in formula {formula!r}: use a column name, "
            "`a quoted name` or C(column); interactions and transformations are not "
            "supported, so build the column in the data first"
        )
    if match["cat"] is not None:
        return match["cat"].strip().strip("`"), True
    return (match["quoted"] if match["quoted"] is not None else match["name"]), False


def parse_formula(formula: str) -> Formula:
    """Parse ``"y ~ x1 + x2"`` into a :class:`Formula`.

    Parameters
    ----------
    formula
        ``response ~ term + term ...``; ``- 1`` or ``0`` removes the intercept.

    Raises
    ------
    ModelError
        When there is no ``~``, no response, or an unsupported term.
    """
    if not isinstance(formula, str) or formula.count("~") != 1:
        raise ModelError(f"formula must look like 'y ~ x1 + x2'; got {formula!r}")
    lhs, rhs = formula.split("~")
    response, cat = _parse_term(lhs, formula)
    if cat:
        raise ModelError(f"the response of {formula!r} cannot be categorical C(...)")
    intercept = True
    terms: list[str] = []
    categorical: list[bool] = []
    rhs = re.sub(r"-\s*1\b", "+ 0", rhs)
    if re.search(r"(?<![`\w])-", rhs):
        raise ModelError(f"only '- 1' may be subtracted in formula {formula!r}")
    for raw in _split_top(rhs, "+"):
        token = raw.strip()
        if token in ("0",):
            intercept = False
            continue
        if token == "1":
            continue
        if not token:
            raise ModelError(f"empty term in formula {formula!r}")
        name, is_cat = _parse_term(token, formula)
        if name in terms:
            raise ModelError(f"term {name!r} appears twice in formula {formula!r}")
        terms.append(name)
        categorical.append(is_cat)
    return Formula(formula, response, tuple(terms), tuple(categorical), intercept)


@dataclass(frozen=True, eq=False)
class Design:
    """Numeric arrays of one model, after dropping incomplete rows.

    ``X`` holds the regressors (fixed effects excluded); ``Q`` is an orthonormal
    basis of the fixed-effect dummies (``n × k_fe``), so that
    :math:`M_D = I - QQ'` partials them out (Frisch–Waugh–Lovell).
    """

    formula: Formula
    y: np.ndarray
    X: np.ndarray
    names: tuple[str, ...]
    Q: np.ndarray
    k_fe: int
    clusters: np.ndarray | None
    n_clusters: int | None
    index: pd.Index
    n_dropped: int
    frame: pd.DataFrame
    fe_nested: tuple[str, ...] = ()
    k_fe_nonnested: int | None = None

    @property
    def nobs(self) -> int:
        """Number of observations used."""
        return int(self.y.shape[0])

    @property
    def k(self) -> int:
        """Number of estimated parameters, fixed effects included."""
        return self.X.shape[1] + self.k_fe

    def k_ssc(self, fixef_k: str = "nested") -> int:
        r"""Return the K of the CR1 small-sample factor under convention ``fixef_k``.

        ``"full"`` counts every fixed-effect level (:attr:`k`, the LSDV/``areg``
        count). ``"nested"`` leaves out fixed effects nested in the clusters (every
        level inside one cluster), counting them as one constant, as R fixest
        (``fixef.K = "nested"``), pyfixest (``k_fixef = "nonnested"``), Stata
        ``reghdfe`` and ``xtreg, fe`` do: :math:`K = k_X + \operatorname{rank}([1, D_{nn}])`
        with :math:`D_{nn}` the dummies of the fixed effects *not* nested in the
        clusters. The two agree when no fixed effect is nested.
        """
        check(fixef_k, FIXEF_K, "fixef_k")
        if fixef_k == "full" or self.k_fe_nonnested is None:
            return self.k
        return self.X.shape[1] + self.k_fe_nonnested

    def partial(self, a: np.ndarray) -> np.ndarray:
        """Return :math:`M_D a`, ``a`` with the fixed effects partialled out."""
        if self.k_fe == 0:
            return a
        return a - self.Q @ (self.Q.T @ a)


def _check_columns(data: pd.DataFrame, needed: list[str]) -> None:
    if not isinstance(data, pd.DataFrame):
        raise ModelError(f"data must be a pandas DataFrame; got {type(data).__name__}")
    missing = [c for c in dict.fromkeys(needed) if c not in data.columns]
    if missing:
        raise ModelError(
            f"column(s) {', '.join(map(repr, missing))} not in the data; "
            f"available: {', '.join(map(str, data.columns))}"
        )
    if data.empty:
        raise ModelError("the data has no rows (N=0): nothing to fit")
    empty = [c for c in dict.fromkeys(needed) if data[c].isna().all()]
    if empty:
        raise ModelError(
            f"column(s) {', '.join(map(repr, empty))} are entirely missing "
            f"(all {len(data)} rows NA): no model can use them"
        )


def complete_rows(data: pd.DataFrame, needed: list[str], what: str = "model") -> pd.DataFrame:
    """Return the rows of ``data`` complete on ``needed``, warning about the others.

    Raises
    ------
    ModelError
        When a column is absent or entirely missing, or no row is complete.

    Warns
    -----
    DroppedRowsWarning
        Saying how many rows were dropped and how many were missing per column.
    """
    needed = list(dict.fromkeys(needed))
    _check_columns(data, needed)
    na = data[needed].isna()
    bad = na.any(axis=1)
    n_bad = int(bad.sum())
    if n_bad:
        per_col = {c: int(n) for c, n in na.sum().items() if n}
        detail = ", ".join(f"{c} ({n})" for c, n in per_col.items())
        warn_user(
            f"{what}: dropped {n_bad} of {len(data)} rows with missing values in {detail}",
            DroppedRowsWarning
        )
    kept = data.loc[~bad, needed]
    if kept.empty:
        raise ModelError(f"{what}: no row is complete on {', '.join(needed)} (N=0)")
    return kept


def _numeric(col: pd.Series, name: str) -> np.ndarray:
    if pd.api.types.is_bool_dtype(col):
        return col.to_numpy(dtype=float)
    if not pd.api.types.is_numeric_dtype(col):
        raise ModelError(
            f"column {name!r} is not numeric (dtype {col.dtype}); "
            f"write C({name}) to use it as a categorical regressor"
        )
    values = col.to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        rows = col.index[bad]
        shown = ", ".join(
            f"row {r!r} ({values[i]:g})"
            for r, i in zip(rows[:5], np.flatnonzero(bad)[:5], strict=False)
        )
        more = f" and {int(bad.sum()) - 5} more" if bad.sum() > 5 else ""
        raise ModelError(
            f"column {name!r} has {int(bad.sum())} non-finite value(s) (inf or -inf): "
            f"{shown}{more}; a model needs finite numbers: replace them or set them to NA "
            "(missing rows are dropped with a warning)"
        )
    return values


def _dummies(col: pd.Series, name: str, drop_first: bool) -> tuple[np.ndarray, list[str]]:
    codes, levels = pd.factorize(col, sort=True)
    mat = np.zeros((len(col), len(levels)))
    mat[np.arange(len(col)), codes] = 1.0
    names = [f"C({name})[{lvl}]" for lvl in levels]
    if drop_first:
        return mat[:, 1:], names[1:]
    return mat, names


def _collinear_terms(X: np.ndarray, Xraw: np.ndarray, names: tuple[str, ...]) -> list[str]:
    """Name each column that is (numerically) a combination of earlier ones or of the FE."""
    msgs = []
    kept: list[int] = []
    for j in range(X.shape[1]):
        raw_norm = np.linalg.norm(Xraw[:, j])
        if raw_norm == 0 or np.linalg.norm(X[:, j]) <= 1e-9 * raw_norm:
            msgs.append(f"{names[j]} (constant within the fixed effects or all zero)")
            continue
        trial = X[:, [*kept, j]]
        scaled = trial / np.linalg.norm(trial, axis=0)
        sv = np.linalg.svd(scaled, compute_uv=False)
        if sv[-1] <= 1e-9 * sv[0]:
            coef = np.linalg.lstsq(X[:, kept], X[:, j], rcond=None)[0]
            with_ = [names[kept[i]] for i in np.flatnonzero(np.abs(coef) > 1e-8)]
            msgs.append(f"{names[j]} (a combination of {', '.join(with_)})")
            continue
        kept.append(j)
    return msgs


def build_design(
    data: pd.DataFrame,
    formula: str | Formula,
    *,
    fe: tuple[str, ...] | list[str] = (),
    cluster: str | None = None,
    extra: tuple[str, ...] = (),
    what: str = "model",
) -> Design:
    """Build the arrays of a linear model, dropping incomplete rows with a warning.

    Parameters
    ----------
    data
        One row per observation.
    formula
        See :func:`parse_formula`.
    fe
        Columns whose levels are absorbed as fixed effects (dummies partialled out).
    cluster
        Column identifying clusters for cluster-robust inference.
    extra
        Further columns that must be complete (e.g. permutation strata).
    what
        Name used in messages.

    Raises
    ------
    ModelError
        Missing or all-missing columns, no complete rows, non-numeric regressors,
        collinear regressors (named), no residual degrees of freedom (N ≤ K),
        or fewer than two clusters.
    """
    f = formula if isinstance(formula, Formula) else parse_formula(formula)
    fe = tuple(fe)
    needed = [*f.columns, *fe, *([cluster] if cluster else []), *extra]
    frame = complete_rows(data, needed, what)
    n_dropped = len(data) - len(frame)
    n = len(frame)
    y = _numeric(frame[f.response], f.response)
    clusters = None
    G = None
    if cluster:
        clusters = pd.factorize(frame[cluster], sort=True)[0]
        G = int(clusters.max()) + 1
        if G < 2:
            raise ModelError(
                f"{what}: only one cluster in {cluster!r} (N={n}): cluster-robust inference "
                "needs at least two clusters"
            )
    cols, names = [], []
    intercept = f.intercept and not fe
    if intercept:
        cols.append(np.ones((n, 1)))
        names.append("Intercept")
    for term, is_cat in zip(f.terms, f.categorical, strict=True):
        if is_cat:
            mat, dnames = _dummies(
                frame[term],
                term,
                drop_first=intercept or bool(fe) or any(f.categorical[: f.terms.index(term)]),
            )
            cols.append(mat)
            names.extend(dnames)
        else:
            cols.append(_numeric(frame[term], term)[:, None])
            names.append(term)
    X = np.hstack(cols) if cols else np.empty((n, 0))
    if X.shape[1] == 0:
        raise ModelError(f"formula {f.text!r} has no regressor to estimate")
    Q = np.empty((n, 0))
    if fe:
        D = np.hstack([_dummies(frame[c], c, drop_first=False)[0] for c in fe])
        u, s, _ = np.linalg.svd(D, full_matrices=False)
        Q = u[:, s > 1e-10 * s[0]]
    k_fe = Q.shape[1]
    Xt = X - Q @ (Q.T @ X) if k_fe else X
    problems = _collinear_terms(Xt, X, tuple(names))
    if problems:
        raise ModelError(
            f"perfectly collinear regressors in {f.text!r}"
            + (f" with fixed effects {', '.join(fe)}" if fe else "")
            + ": "
            + "; ".join(problems)
            + ". Drop or combine them."
        )
    fe_nested: tuple[str, ...] = ()
    k_fe_nonnested = None
    if fe and cluster:
        fe_nested = tuple(
            c for c in fe if frame.groupby(c, sort=False)[cluster].nunique().max() == 1
        )
        rest = [c for c in fe if c not in fe_nested]
        parts = [np.ones((n, 1))] + [_dummies(frame[c], c, drop_first=False)[0] for c in rest]
        k_fe_nonnested = int(np.linalg.matrix_rank(np.hstack(parts)))
    k = X.shape[1] + k_fe
    if n <= k:
        raise ModelError(
            f"{what}: N={n} observations but {k} parameters "
            f"({X.shape[1]} coefficients + {k_fe} fixed-effect levels): no residual "
            "degrees of freedom, so no honest fit is possible. Add observations or drop terms."
        )
    _check_response_varies(y, Q, intercept, f.response, fe, what, n)
    return Design(
        f, y, X, tuple(names), Q, k_fe, clusters, G, frame.index, n_dropped, frame,
        fe_nested, k_fe_nonnested,
    )  # fmt: skip


def _check_response_varies(
    y: np.ndarray,
    Q: np.ndarray,
    intercept: bool,
    name: str,
    fe: tuple[str, ...],
    what: str,
    n: int,
) -> None:
    """Refuse a response with no variation left to explain (audit D11).

    The variation is that of ``y`` after the fixed effects (``M_D y``), or around its
    mean with an intercept, or ``y`` itself without either. When it is zero to
    machine precision every slope is 0 with a standard error of rounding noise, and
    a *t* test on it is meaningless (it can report p < 0.01).
    """
    if Q.shape[1]:
        left = y - Q @ (Q.T @ y)
    elif intercept:
        left = y - y.mean()
    else:
        left = y
    scale = max(float(np.linalg.norm(y)), float(np.abs(y).max(initial=0.0)) * math.sqrt(n))
    if float(np.linalg.norm(left)) <= 1e-10 * scale or scale == 0.0:
        where = f" within the fixed effects {', '.join(fe)}" if fe else ""
        value = f" (every value is {y[0]:g})" if np.all(y == y[0]) else ""
        raise ModelError(
            f"{what}: the response {name!r} does not vary{where}{value} over the N={n} "
            "rows used; there is nothing to model (a test would report noise as significant)"
        )


def warn_small(what: str, n: int, G: int | None = None, *, advice: str = "") -> str | None:
    """Warn (and return the note) when ``n`` or the cluster count ``G`` is small."""
    parts = []
    if n < SMALL_N:
        parts.append(f"N={n} observations")
    if G is not None and G < FEW_CLUSTERS:
        parts.append(f"G={G} clusters")
    if not parts:
        return None
    msg = f"{what}: inference from {' and '.join(parts)}; read it with care" + (
        f" ({advice})" if advice else ""
    )
    warn_user(msg, SmallSampleWarning)
    return msg


#: Conventions for counting fixed effects in the CR1 small-sample factor.
FIXEF_K: tuple[str, ...] = ("nested", "full")
