"""``parstats rules check``: load and check the Vietnamese rule tables, and fire every example."""

from __future__ import annotations

import argparse
import sys

# The places whose rows the extractor names in a target's ``rules`` (or a dropped number's
# reason): there, a row's example run through the extractor must show the row's id.
ATTRIBUTED: dict[str, tuple[str, ...]] = {
    "levels": ("name",),
    "comparators": ("before", "after", "range"),
    "directions": ("verb",),
    "units": ("after", "rank_word"),
    "deadline_cues": ("after", "before", "period", "closing", "closing_date"),
    "kind_cues": ("baseline", "equivalent"),
    "not_targets": ("survey_before", "survey_after", "past", "result_rank", "cited_symbol"),
    "indicator_rules": ("share", "rank"),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``rules`` sub-command."""
    parser = subparsers.add_parser(
        "rules",
        help="check the rule tables of parstats/lang (after editing one)",
        description=(
            "Load every rule table of parstats/lang/<lang>/*.csv and check each row (id, value, "
            "where, phrase syntax, spec, and that its example fires through the table's own "
            "matcher); then run each example through the whole extractor and check that the "
            "row's id is among the rules of its targets. Exit 1 on the first load error or any "
            "example that does not show its rule."
        ),
    )
    parser.add_argument("action", choices=("check",), help="what to do")
    parser.add_argument("--lang", default="vi", help="language code (default vi)")
    parser.set_defaults(func=run)


def unattributed(lang: str = "vi") -> list[tuple[str, str]]:
    """Return ``(row id, example)`` of the rows whose example does not show the row's id."""
    from parstats import rules
    from parstats.extraction import extract_document
    from parstats.extraction.metadata import DocumentMeta

    meta = DocumentMeta(issued="2021-12-10", period_start=2021, period_end=2025)
    missing = []
    for table in rules.all_tables(lang):
        places = ATTRIBUTED.get(table.name, ())
        for row in table.rows:
            if not row.value or not any(w in places for w in row.where):
                continue
            doc = extract_document(row.example, meta=meta)
            ids = {n.rejected for n in doc.rejected}
            for target in doc.targets:
                for part in target.rules.split(";"):
                    ids.update(part.split("=", 1)[1].split(">"))
            if row.id not in ids:
                missing.append((row.id, row.example))
    return missing


def run(args: argparse.Namespace) -> int:
    """Check the tables; return the exit code."""
    from parstats import rules

    tables = rules.all_tables(args.lang)  # raises InputError naming file and line
    for table in tables:
        print(f"{table.path.name:<22} {len(table.rows):4d} rows")
    missing = unattributed(args.lang)
    for row_id, example in missing:
        print(f"parstats rules: {row_id}: its example does not fire through the extractor: "
              f"{example!r}", file=sys.stderr)
    if missing:
        return 1
    print(f"ok: {sum(len(t.rows) for t in tables)} rows, every example fires")
    return 0
