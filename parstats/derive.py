r"""PAPI figures computed from published ones: dimension scores, unweighted totals and ranks.

PAPI publishes sub-dimension scores for every province and year; its own
aggregation is additive (``data/raw/indices/SOURCES.md``):

.. math:: D_{pd t} = \sum_{s \in d} S_{p s t}, \qquad
          T_{p t} = \sum_{d} D_{p d t}

a dimension score is the sum of its sub-dimension scores, and the unweighted
total the sum of the dimension scores (6 dimensions up to 2017, 8 from 2018).
The sums are exact decimal sums of the published cells (no rounding). The
ranks are those of the unweighted total among the provinces with one that
year (1 = highest; ties share the best rank, as the publishers rank), for the
years with a total for at least 57 provinces (:data:`MIN_RANKED`).

Every figure here is ``origin="derived"``, carries its ``formula`` and the
sources and raw rows of its inputs. A province-year missing any sub-dimension
that the year has (elsewhere) gets no dimension score, and then no total: a
derived figure is never computed from part of its inputs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from parstats.indices import Figure

INDEX = "PAPI"
TOTAL = "total_unweighted"
RANK = "rank"
MIN_RANKED = 57
"""Ranks are derived only for a year with a total for at least this many provinces (90% of
63): a rank among a few announced provinces is no rank among the provinces."""


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _short(measure_id: str) -> str:
    return measure_id.rsplit(".", 1)[-1]


def _sum_figure(parts: list[Figure], measure_id: str, formula: str) -> Figure:
    """Return a derived figure: the exact decimal sum of ``parts`` (one province-year)."""
    from parstats.indices import Figure

    total = sum((Decimal(p.text) for p in parts), Decimal(0))
    text = format(total, "f")
    terms = " + ".join(f"{_short(p.measure_id)} {p.text}" for p in parts)
    first = parts[0]
    return Figure(
        index=INDEX,
        province_code=first.province_code,
        province=first.province,
        year=first.year,
        measure=measure_id,
        measure_id=measure_id,
        origin="derived",
        kind="derived",
        value=float(total),
        text=text,
        texts=[text],
        sources=list(dict.fromkeys(s for p in parts for s in p.sources)),
        snippets=[f"{measure_id} = {terms} = {text}"],
        refs=[r for p in parts for r in p.refs],
        formula=formula,
        slack=sum(p.slack or 0.5 * 10.0 ** -p.places for p in parts),
    )


def _preferred(figures: list[Figure], kind: str) -> dict[tuple, Figure]:
    """Return the preferred numeric PAPI figures of one measure kind, by province, year, id."""
    from parstats.measures import measures

    ids = {m.id for m in measures(INDEX) if m.kind == kind}
    out = {}
    for f in figures:
        if (
            f.index == INDEX
            and f.measure_id in ids
            and f.preferred
            and f.province_code is not None
            and f.value is not None
            and not f.out_of_scale
        ):
            out[(f.province_code, f.province, f.year, f.measure_id)] = f
    return out


def dimensions(figures: list[Figure]) -> list[Figure]:
    """Return derived PAPI dimension scores: each the sum of its sub-dimension scores."""
    from parstats.measures import get

    subs = _preferred(figures, "sub-dimension")
    expected: dict[tuple[int, str], set[str]] = {}
    have: dict[tuple[str, str, int, str], dict[str, Figure]] = {}
    for (code, province, year, sid), f in subs.items():
        dim = get(INDEX, sid).parent
        expected.setdefault((year, dim), set()).add(sid)
        have.setdefault((code, province, year, dim), {})[sid] = f
    out = []
    for (_code, _province, year, dim), parts in sorted(have.items()):
        wanted = sorted(expected[(year, dim)])
        if set(parts) != set(wanted):
            continue
        ordered = [parts[s] for s in wanted]
        formula = (
            f"sum of the {len(wanted)} sub-dimension scores of {dim}: "
            + " + ".join(_short(s) for s in wanted)
        )
        out.append(_sum_figure(ordered, dim, formula))
    return out


def totals(dims: list[Figure]) -> list[Figure]:
    """Return derived PAPI unweighted totals: the sum of a year's derived dimension scores."""
    expected: dict[int, set[str]] = {}
    have: dict[tuple[str, str, int], dict[str, Figure]] = {}
    for f in dims:
        expected.setdefault(f.year, set()).add(f.measure_id)
        have.setdefault((f.province_code, f.province, f.year), {})[f.measure_id] = f
    out = []
    for (_code, _province, year), parts in sorted(have.items()):
        wanted = sorted(expected[year])
        if set(parts) != set(wanted):
            continue
        formula = (
            f"unweighted sum of the {len(wanted)} dimension scores ("
            + " + ".join(wanted)
            + "), each the sum of its sub-dimension scores"
        )
        total = _sum_figure([parts[d] for d in wanted], TOTAL, formula)
        total.refs = [r for d in wanted for r in parts[d].refs]
        out.append(total)
    return out


def ranks(figures: list[Figure], derived_totals: list[Figure]) -> list[Figure]:
    """Return derived PAPI ranks: the rank of each province's unweighted total in its year.

    The total used is the one precedence prefers (:func:`parstats.indices.choose`)
    among the published totals and the derived one.
    """
    from parstats.indices import Figure, choose

    candidates: dict[tuple[str, str, int], list[Figure]] = {}
    for f in [*figures, *derived_totals]:
        if f.index == INDEX and f.measure_id == TOTAL and f.province_code is not None:
            candidates.setdefault((f.province_code, f.province, f.year), []).append(f)
    chosen: dict[int, list[Figure]] = {}
    for (_code, _province, year), group in sorted(candidates.items()):
        choice = choose(group)
        if choice.preferred is None or group[choice.preferred].value is None:
            continue
        chosen.setdefault(year, []).append(group[choice.preferred])
    out = []
    for year, totals_ in sorted(chosen.items()):
        n = len(totals_)
        if n < MIN_RANKED:
            continue
        values = [t.value for t in totals_]
        sources = list(dict.fromkeys(s for t in totals_ for s in t.sources))
        formula = (
            f"rank of the unweighted total among the {n} provinces with a PAPI {year} total "
            "(1 = highest; ties share the best rank)"
        )
        for t in totals_:
            place = 1 + sum(v > t.value for v in values)
            out.append(
                Figure(
                    index=INDEX,
                    province_code=t.province_code,
                    province=t.province,
                    year=year,
                    measure=RANK,
                    measure_id=RANK,
                    origin="derived",
                    kind="derived",
                    value=float(place),
                    text=str(place),
                    texts=[str(place)],
                    sources=sources,
                    snippets=[
                        f"unweighted total {t.text} ({t.origin}) is the {_ordinal(place)} "
                        f"highest of {n}"
                    ],
                    refs=list(t.refs),
                    formula=formula,
                )
            )
    return out


def derive_papi(figures: list[Figure]) -> list[Figure]:
    """Return every derived PAPI figure: dimension scores, unweighted totals and ranks.

    ``figures`` are the settled published figures (``preferred`` set).
    """
    dims = dimensions(figures)
    tots = totals(dims)
    return [*dims, *tots, *ranks(figures, tots)]
