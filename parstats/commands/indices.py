"""``parstats indices``: import a published index table, show a province's figures, rebuild."""

from __future__ import annotations

import argparse
from typing import Any

INDEX_CHOICES = ("PAR", "SIPAS", "PAPI", "PCI", "PGI")  # = parstats.vocab.INDEX_NAMES


def register(subparsers: Any) -> None:
    """Add ``indices import``, ``indices show`` and ``indices build``."""
    parser = subparsers.add_parser(
        "indices",
        help="governance indices: import a table, show a province, rebuild",
        description="Provincial governance indices (PAR Index, SIPAS, PAPI, PCI, PGI), sourced.",
    )
    sub = parser.add_subparsers(dest="indices_command", metavar="ACTION", required=True)

    imp = sub.add_parser(
        "import",
        help="import a published CSV/Excel table into data/raw/indices",
        description=(
            "Import a table with a province column and a score and/or rank column "
            "(Vietnamese or English headers, header row detected). It is checked, "
            "written to a new file in data/raw/indices (existing files are never "
            "changed), and the whole of data/processed is rebuilt."
        ),
    )
    imp.add_argument("file", help="the .csv or .xlsx file")
    imp.add_argument("--index", required=True, choices=INDEX_CHOICES, help="which index")
    imp.add_argument("--year", required=True, type=int, help="survey year the table describes")
    imp.add_argument(
        "--source", required=True, help="where it was published (title, publisher, address)"
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
    show.add_argument("--measure", help="only this measure (e.g. score, rank)")
    show.add_argument("--sources", action="store_true", help="also print each figure's sources")
    show.set_defaults(func=run_show)

    build = sub.add_parser(
        "build", help="rebuild data/processed (the same as `parstats build`)"
    )
    build.set_defaults(func=run_build)


def run_import(args: argparse.Namespace) -> int:
    """Run ``parstats indices import``."""
    from parstats.indices_import import import_table

    result = import_table(
        args.file,
        index=args.index,
        year=args.year,
        source=args.source,
        sheet=args.sheet,
        rebuild=False,
    )
    print(
        f"imported {result.n_figures} figures ({result.n_provinces} provinces, "
        f"{result.n_aggregates} aggregates; header on row {result.header_row}) "
        f"into {result.raw_file}"
    )
    if result.blank_rows:
        print(f"  empty rows not imported: {', '.join(map(str, result.blank_rows))}")
    if not args.no_rebuild:
        _rebuild_package()
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
        rows = rows.loc[rows["measure"].str.casefold() == args.measure.casefold()]
    print(f"{province.name_vi} (GSO {province.code}): {len(rows)} figures")
    for r in rows.itertuples(index=False):
        flags = " [CONFLICT]" if r.conflict else ""
        note = f"  ({r.note})" if isinstance(r.note, str) else ""
        print(f"{r.index:5} {r.year} {r.measure}: {r.value_text} {r.unit}{flags}{note}")
        if args.sources:
            for src in r.sources.split("\n"):
                print(f"        source: {src}")
    return 0


def run_build(args: argparse.Namespace) -> int:
    """Run ``parstats indices build``."""
    _rebuild_package()
    return 0
