"""``parstats indices``: import a table, show a province's figures, list conflicts, rebuild."""

from __future__ import annotations

import argparse
import re
from typing import Any

INDEX_CHOICES = ("PAR", "SIPAS", "PAPI", "PCI", "PGI")  # = parstats.vocab.INDEX_NAMES
SOURCE_KIND_CHOICES = ("official_dataset", "official_report", "press")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def register(subparsers: Any) -> None:
    """Add ``indices import``, ``indices show``, ``indices conflicts`` and ``indices build``."""
    parser = subparsers.add_parser(
        "indices",
        help="governance indices: import a table, show a province, list conflicts, rebuild",
        description="Provincial governance indices (PAR Index, SIPAS, PAPI, PCI, PGI), sourced.",
    )
    sub = parser.add_subparsers(dest="indices_command", metavar="ACTION", required=True)

    imp = sub.add_parser(
        "import",
        help="import a published CSV/Excel table into data/raw/indices",
        description=(
            "Import a published table: wide (one row per province, a column per measure: "
            "score, rank, dimensions, sub-indices; Vietnamese or English headers, header row "
            "detected) or long (one row per figure: province, year, measure, value, and "
            "optionally source and snippet, kept for every row). It is checked, written to a "
            "new file in data/raw/indices (existing files are never changed), the figures "
            "that disagree with earlier ones are listed with how precedence settles them, and "
            "the whole of data/processed is rebuilt."
        ),
    )
    imp.add_argument("file", help="the .csv or .xlsx file")
    imp.add_argument("--index", required=True, choices=INDEX_CHOICES, help="which index")
    imp.add_argument(
        "--year", type=int, help="survey year the table describes (required for a wide table)"
    )
    imp.add_argument(
        "--source",
        help="where it was published (title, publisher, address); required unless every row "
        "of a long table names its source",
    )
    imp.add_argument(
        "--source-kind",
        choices=SOURCE_KIND_CHOICES,
        help="precedence of the source when sources disagree (default: from its address; "
        "press when unknown)",
    )
    imp.add_argument("--sheet", help="Excel sheet name (default: the first sheet)")
    imp.add_argument(
        "--no-rebuild",
        action="store_true",
        help="do not rebuild data/processed (run `parstats build` later)",
    )
    imp.set_defaults(func=run_import)

    show = sub.add_parser("show", help="print one province's index figures with their sources")
    show.add_argument("--province", required=True, help="province name (any spelling) or GSO code")
    show.add_argument("--index", choices=INDEX_CHOICES, help="only this index")
    show.add_argument(
        "--measure", help="only this measure (canonical id or published name, e.g. score, rank)"
    )
    show.add_argument("--sources", action="store_true", help="also print each figure's sources")
    show.set_defaults(func=run_show)

    con = sub.add_parser(
        "conflicts",
        help="list every figure on which sources disagree, and which one is used",
        description=(
            "List every index, province, year and measure whose sources disagree, each value "
            "with its source and kind, and the one used by default (precedence: official "
            "dataset > official report > derived > press)."
        ),
    )
    con.add_argument("--index", choices=INDEX_CHOICES, help="only this index")
    con.add_argument("--province", help="only this province (any spelling)")
    con.set_defaults(func=run_conflicts)

    build = sub.add_parser(
        "build", help="rebuild data/processed (the same as `parstats build`)"
    )
    build.set_defaults(func=run_build)


def printable(text: object) -> str:
    r"""Return ``text`` with control characters shown as escapes (``\x1b``), never sent raw."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def run_import(args: argparse.Namespace) -> int:
    """Run ``parstats indices import``."""
    from parstats.indices_import import import_table

    result = import_table(
        args.file,
        index=args.index,
        year=args.year,
        source=args.source,
        source_kind=args.source_kind,
        sheet=args.sheet,
        rebuild=not args.no_rebuild,
    )
    for line in result.summary():
        print(printable(line))
    if result.processed is not None:
        print("rebuilt data/processed")
    else:
        print("data/processed not rebuilt: run `parstats build`")
    return 0


def _rebuild_package() -> None:
    """Rebuild the whole processed package, so indices, delivery and datapackage.json agree."""
    from parstats.build import build

    result = build()
    tables = ", ".join(f"{t.name} {t.rows}" for t in result.tables)
    print(f"rebuilt data/processed ({tables})")


def run_show(args: argparse.Namespace) -> int:
    """Run ``parstats indices show``."""
    from parstats.indices import for_province
    from parstats.provinces import resolve

    province = resolve(args.province)
    rows = for_province(province, args.index)
    if args.measure:
        wanted = args.measure.casefold()
        rows = rows.loc[
            (rows["measure"].str.casefold() == wanted)
            | (rows["measure_id"].str.casefold() == wanted)
        ]
        if rows.empty:
            from parstats.indices import load

            known = sorted(set(load()["measure_id"].dropna()))
            print(
                f"{province.name_vi} (GSO {province.code}): 0 figures with measure "
                f"{printable(args.measure)!r}; canonical measures: {', '.join(known)}"
            )
            return 0
    print(f"{province.name_vi} (GSO {province.code}): {len(rows)} figures")
    for r in rows.itertuples(index=False):
        flags = " [CONFLICT]" if r.conflict else ""
        flags += " [derived]" if r.origin == "derived" else ""
        note = f"  ({r.note})" if isinstance(r.note, str) else ""
        value = r.value_text.replace("\n", " | ")
        print(printable(f"{r.index:5} {r.year} {r.measure}: {value} {r.unit}{flags}{note}"))
        if args.sources:
            for src in r.sources.split("\n"):
                print(f"        source: {printable(src)}")
    return 0


def run_conflicts(args: argparse.Namespace) -> int:
    """Run ``parstats indices conflicts``."""
    from parstats.indices import conflicts

    rows = conflicts(index=args.index, province=args.province)
    keys = rows[["index", "province", "year", "measure_id"]].drop_duplicates()
    print(f"{len(keys)} figures on which sources disagree ({len(rows)} values)")
    for (index, province, year, measure_id), group in rows.groupby(
        ["index", "province", "year", "measure_id"], sort=False
    ):
        state = "used" if group["preferred"].any() else "unresolved, none used"
        print(printable(f"{index} {year} {province} {measure_id}: {state}"))
        for r in group.itertuples(index=False):
            mark = "*" if r.preferred else " "
            source = r.sources.split("\n")[0]
            print(printable(f"  {mark} {r.value_text.split(chr(10))[0]:>12}  {r.source_kind:16} "
                            f"{r.origin:9} {source}"))
    return 0


def run_build(args: argparse.Namespace) -> int:
    """Run ``parstats indices build``."""
    _rebuild_package()
    return 0
