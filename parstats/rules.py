r"""Vietnamese rules as data: load, check and compile the tables of ``parstats/lang/<code>/``.

Every word that makes a comparator, a unit, a level, a deadline, a kind, a "not a
target", a section's role, an indicator or a document type lives in a CSV table a
Vietnamese speaker can edit in a spreadsheet (``parstats/lang/vi/*.csv``), one row per
phrase::

    id, phrase, value, where, unless_before, unless_after, example, spec

``id``
    Unique across all tables, led by the table's prefix (``level.commune.phuong_xa``);
    the id is what an explained target shows for the rule (``parstats explain``).
``phrase``
    The words, lower case (see *Phrase syntax* below).
``value``
    What the phrase means, from the table's closed vocabulary (a level, a comparator,
    an area ...); empty where the table allows words that only stand in a place.
``where``
    Where the phrase must stand for the row to apply, from the table's list of places
    (``before`` the number, ``after`` it, a table ``cell`` ...); several places are
    separated by ``;``.
``unless_before``, ``unless_after``
    Words that, right before or right after the phrase, stop it from applying
    ("cấp tỉnh" not in "năng lực cạnh tranh cấp tỉnh").
``example``
    A real sentence in which the row fires. The table does not load when an example
    does not fire: the example is the row's test.
``spec``
    The rule of ``docs/TARGETS.md`` the row implements: ``"<section>: <words of its
    row>"`` (``"Fields: level"``, ``"Additions: a centrally-run city's tiers"``).

Some tables add columns of their own (``indicator_rules.csv``: ``context``,
``direction``, ``unless``).

Phrase syntax
-------------
- words are matched as written (``%``, ``.``, ``,``, ``≥`` included), a space is one space;
- ``a|b``: either; ``(a|b)``: either, inside a phrase; ``[x]``: ``x`` or nothing;
- ``\b``: a word ends (or starts) here; ``\(`` ``\)`` ``\[`` ``\]`` ``\|``: the character itself;
- ``…``: other words in between (only in the tables that allow it: indicator rules);
- ``re:<regex>``: a Python regular expression, the escape hatch for the rare rule that
  needs one.

Tables marked *literal* (unit cells, document types) take each phrase as the exact
text of a cell or a heading.

The compiler
------------
:func:`table` loads one table, checks every row and compiles it. The code of
:mod:`parstats.extraction` builds its patterns from the rows
(:meth:`Table.alternation`, :meth:`Table.grouped`, :meth:`Table.mapping`) and the
speed-up filters from the same rows (:meth:`Table.anchors`, :func:`lead`,
:func:`any_in`): a new phrase is found by the filters as by the patterns, so the two
cannot drift. Tables are compiled at first use and cached.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

try:  # Python 3.11+
    import re._parser as _sre_parse  # type: ignore[import-not-found]
    from re import _constants as _sre_c  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

from parstats.errors import InputError

__all__ = [
    "COLUMNS",
    "Row",
    "Table",
    "TableSpec",
    "table",
    "all_tables",
    "lang_dir",
    "phrase_regex",
    "first_chars",
    "expansions",
    "caseless",
    "lead",
    "anchors_of",
    "any_in",
]

COLUMNS: tuple[str, ...] = (
    "id",
    "phrase",
    "value",
    "where",
    "unless_before",
    "unless_after",
    "example",
    "spec",
)
_REQUIRED = ("id", "phrase", "where", "example", "spec")
_SPEC_SECTIONS = ("A target", "Fields", "Reform areas", "Documents", "Additions")


@dataclass(frozen=True)
class TableSpec:
    """What one table may hold.

    Attributes
    ----------
    name
        The file's stem (``levels`` for ``levels.csv``).
    prefix
        What every row id starts with (``level.``).
    places
        The allowed ``where`` values, each with the values a row there may take
        (``None``: any text; ``()``: the value must be empty).
    literal
        The places whose phrases are the exact text of a cell or heading, not phrase
        syntax (a row stands in literal places only, or in none).
    lower
        Texts are lower-cased before the phrases are looked for (the phrases are
        written in lower case).
    gap
        The regex ``…`` stands for; ``None`` where the table does not allow it.
    extra
        Further columns of the table.
    probe
        Per place, the context (a regex) the example is searched in: ``<rows>`` stands
        for the rows of that place, ``<other>`` for those of place ``other``
        (``"cấp <rows>"`` for the words after "cấp").
    grouped
        The places where the rows of one value must stand together (the table is
        compiled there into one alternation with a named group per value, tried in
        row order).
    first_wins
        The places whose rows are tried one by one in order, the first that matches
        deciding (indicator rules): an example must be matched by its row and by no
        row before it.
    vocabulary
        The allowed values where a place says ``None`` (the indicator catalogue).
    """

    name: str
    prefix: str
    places: Mapping[str, tuple[str, ...] | None]
    literal: tuple[str, ...] = ()
    lower: bool = True
    gap: str | None = None
    extra: tuple[str, ...] = ()
    probe: Mapping[str, str] = field(default_factory=dict)
    grouped: tuple[str, ...] = ()
    first_wins: tuple[str, ...] = ()
    vocabulary: Callable[[], Iterable[str]] | None = None


def _indicator_codes() -> Iterable[str]:
    from parstats.catalogue import indicators

    return (*indicators(), "")


def _specs() -> dict[str, TableSpec]:
    from parstats.vocab import AREAS, COMPARATORS, DIRECTIONS, KINDS, LEVELS, UNITS

    tiers = ("province", "district", "commune")
    return {
        spec.name: spec
        for spec in (
            TableSpec(
                "levels",
                "level.",
                {
                    "name": LEVELS,  # a tier's name anywhere in the number's words
                    "after_cap": tiers,  # after "cấp" in a one-tier mention
                    "trailing": tiers,  # a tier named with no "cấp" after "ở"/"tại"/"đối với"
                },
                grouped=("name",),
                probe={
                    "after_cap": r"cấp <rows>\b",
                    "trailing": r"\d\s*%?\s*(?:đối với|tại|ở)\s+<rows>",
                },
            ),
            TableSpec(
                "comparators",
                "comparator.",
                {
                    "before": COMPARATORS + ("",),  # right before the number
                    "after": COMPARATORS,  # right after it ("trở lên")
                    "range": ("range",),  # between the two ends of a range
                    "cell_range": ("range",),  # the same in a bare table cell
                    "filler": ("",),  # between a comparator and its number
                    "lead": COMPARATORS + ("",),  # between a tier and its number
                    "backward": COMPARATORS + ("",),  # after "đạt" ... before the number
                    "cell": COMPARATORS + ("",),  # before a bare table cell's value
                },
                probe={
                    "before": r"<rows>(?:\s+(?:<filler>))*\s*\d",
                    "after": r"\d\s*(?:%\s*)?<rows>",
                    "range": r"\d\s*%?\s*<rows>\s*\d",
                    "cell_range": r"\d\s*<rows>\s*\d",
                    "filler": r"(?:<before>)(?:\s+(?:<filler>))*?\s+<rows>"
                    r"(?:\s+(?:<filler>))*\s*\d",
                    "lead": r"<rows>\s*\d",
                    "backward": r"(?:(?:<backward>)\s+)*?<rows>\s*\d",
                    "cell": r"<rows>\s*\d",
                },
            ),
            TableSpec(
                "directions",
                "direction.",
                {"verb": DIRECTIONS},
                probe={"verb": r"\b<rows>\b"},
            ),
            TableSpec(
                "units",
                "unit.",
                {
                    "after": UNITS,  # the unit word right after a number
                    # a count noun or a measure ("tấn", "triệu USD", "doanh nghiệp"): a
                    # count that is a target only in a plan's goals
                    "amount": ("count",),
                    "rank_word": COMPARATORS,  # the word before a rank, and what it compares
                    "rank_after": ("rank",),  # words after a rank that make it a province's
                    "rank_before": ("rank",),  # words before a rank that name an index
                    "unit_cell": UNITS,  # a unit column's cell
                    "unit_header": ("",),  # a unit column's header
                },
                literal=("unit_cell",),
                probe={
                    "after": r"\d\s*<rows>",
                    "amount": r"\d\s*<rows>\b",
                    "rank_word": r"<rows>\s+(?:từ\s+)?\d",
                    "rank_after": r"(?:<rank_word>)\s+(?:từ\s+)?\d{1,2}.{0,30}?<rows>",
                    "rank_before": r"<rows>.{0,300}?(?:<rank_word>)\s+(?:từ\s+)?\d",
                    "unit_header": r"[|\t]\s*<rows>\.?\s*[|\t]",
                },
            ),
            TableSpec(
                "deadline_cues",
                "deadline.",
                {
                    "after": ("deadline",),  # after the number: "... vào năm 2025"
                    "before": ("deadline",),  # before it: "Đến năm 2025, ..."
                    "period": ("deadline",),  # "giai đoạn 2022-2026": its last year
                    "heading_period": ("deadline",),  # the same in a heading
                    "closing": ("deadline",),  # an item's closing deadline
                    "closing_date": ("deadline",),  # "trước ngày 15/12/2025"
                    "heading": ("deadline",),  # a heading's year: "Đến năm 2025"
                    "column": ("deadline", "past"),  # a table column's header label
                },
                probe={
                    "after": r"\d[^;.\d]{0,40}?\b<rows>\s+năm\s+(?:19|20)\d{2}\b",
                    "before": r"\b<rows>\s+năm\s+(?:19|20)\d{2}\b",
                    "period": r"<rows>\s+(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\b",
                    "heading_period": r"<rows>\s+(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\b",
                    "closing": r"<rows>\s+(?:năm|quý \w+/?\s*(?:năm)?)?\s*(?:19|20)\d{2}\b",
                    "closing_date": r"<rows> \d{1,2}/\d{1,2}/(?:19|20)\d{2}\b",
                    "heading": r"<rows>\s+năm\s+(?:19|20)\d{2}\b",
                    "column": r"<rows>(?:\s+(?:đạt được|đạt|thực hiện))?\s+(?:(?:đến|tới|trong)"
                    r"\s+)?(?:hết\s+)?(?:năm\s+)?(?:19|20)\d{2}",
                },
            ),
            TableSpec(
                "kind_cues",
                "kind.",
                {
                    "baseline": KINDS,  # before a number stated as the current state
                    "equivalent": KINDS,  # before a number that restates a target
                    "subject_verb": ("",),  # "X đạt N": the subject comes before the number
                    "opener": ("",),  # words that open an item without being its subject
                    "respectively": ("",),  # "lần lượt": one tier to each number
                    "each_index": ("",),  # "mỗi chỉ số": one move for each index named
                    "own_verb": ("",),  # a list item with its own verb
                },
                probe={
                    "baseline": r"<rows>(?:\s+\S+){0,4}?\s*\d",
                    "equivalent": r"<rows>(?:\s+(?:với|khoảng|là))?\s*\d",
                    "subject_verb": r"<rows>(?:\s+\S+){0,2}?\s*\d",
                    "opener": r"^[\s\-+•]*<rows>",
                    "own_verb": r"\b<rows>\b",
                },
            ),
            TableSpec(
                "not_targets",
                "not_target.",
                {
                    "survey_before": ("survey",),  # "độ tin cậy 95%": a survey's setting
                    "survey_after": ("survey",),  # "10% số mẫu"
                    "cited_document": ("cited",),  # "Theo Nghị quyết số 76/NQ-CP, ..."
                    "cited_symbol": ("cited",),  # a central body's symbol in that number
                    "result_rank": ("past",),  # "xếp thứ 58/63": a reported place
                    "past": ("past",),  # "đã", "đạt được": a past result
                    "commitment": ("target",),  # words that make a past-looking number a target
                    "internal_body": ("internal",),  # a place among the province's own bodies
                    "footnote": ("footnote",),  # a footnote's or endnote's line: "[5] ...", "^"
                    "statistic": ("statistic",),  # "chiếm 45%": a share reported, not set
                    "past_after": ("past",),  # "... so với cùng kỳ": a result reported
                    "cited_before": ("cited",),  # another body's target quoted
                    "norm_after": ("norm",),  # "80% giá trị hợp đồng": a rule's rate
                    "norm_before": ("norm",),  # "mức hỗ trợ bằng 50%": a rule's rate
                    "condition": ("norm",),  # "trường hợp ... 70%": a rule's condition
                    "option": ("option",),  # "sau khi thực hiện phương án cắt giảm 30%"
                },
                probe={
                    "survey_before": r"<rows>\s*(?:là\s+|bằng\s+|khoảng\s+)?\d",
                    "survey_after": r"%\s*<rows>\b",
                    "cited_document": r"theo\s+<rows>\s+(?:số\s+)?\S+/(?:<cited_symbol>)\b",
                    "cited_symbol": r"theo\s+(?:<cited_document>)\s+(?:số\s+)?\S+/<rows>\b",
                    "result_rank": r"<rows>\s+thứ\s+\d{1,2}/\d{2}\b",
                    "internal_body": r"\d{1,2}\s*(?:cơ quan,? )?<rows>",
                    "footnote": r"(?m)^\W{0,3}<rows>",
                    "statistic": r"<rows>\s+(?:khoảng\s+|gần\s+|hơn\s+|tới\s+)?\d",
                    "past_after": r"\d\s*%?[^.;\d]{0,60}?<rows>",
                    "norm_after": r"\d\s*%\s*(?:của\s+)?<rows>",
                    "norm_before": r"<rows>\s*\d",
                    "condition": r"<rows>[^,;.:]{0,100}?\d",
                    "option": r"<rows>[^,;.:]{0,60}?\d",
                },
            ),
            TableSpec(
                "section_roles",
                "section.",
                {
                    "area": AREAS,  # a heading title that names a reform area
                    # a heading that opens a past section, or the plan's goals
                    "role": ("report", "background", "goals"),
                    # words anywhere in a heading that make its numbers a rule's thresholds
                    "norm": ("norm",),
                    "plan_words": ("plan",),  # words that make such a heading a plan's
                },
                gap=".*",
                probe={"role": r"^<rows>"},
            ),
            TableSpec(
                "area_cues",
                "area_cue.",
                {
                    "title": ("par",),  # a title word that makes a document a PAR document
                    "subject": AREAS,  # a target's own words: the first row that matches
                },
                first_wins=("subject",),
            ),
            TableSpec(
                "indicator_rules",
                "indicator.",
                {
                    "share": None,  # a share, count or cut: the first matching row names it
                    "rank": None,  # a rank: every index named gives its own row
                    "none": ("",),  # words that name no indicator
                },
                gap=".*",
                extra=("context", "direction"),
                first_wins=("share",),
                vocabulary=_indicator_codes,
            ),
            TableSpec(
                "doc_types",
                "doc_type.",
                {
                    "heading": None,  # a type's heading in capitals -> its symbol
                    "local_issuer": None,  # a symbol's last part -> a local body
                    "central_issuer": None,  # a symbol's last part -> a central body
                    "central_header": ("",),  # a header that makes the document national
                },
                literal=("heading", "local_issuer", "central_issuer", "central_header"),
                lower=False,
            ),
        )
    }


@cache
def _all_specs() -> dict[str, TableSpec]:
    return _specs()


def lang_dir(lang: str = "vi") -> Path:
    """Return the folder of a language's rule tables (``parstats/lang/<lang>``)."""
    return Path(__file__).resolve().parent / "lang" / lang


# --------------------------------------------------------------------------- phrases


def phrase_regex(phrase: str, *, gap: str | None = None, where: str = "") -> str:
    r"""Return the regular expression of a phrase (see the module's *Phrase syntax*).

    Parameters
    ----------
    phrase
        The phrase: words, ``a|b``, ``(a|b)``, ``[optional]``, ``\b``, ``…``, or ``re:<regex>``.
    gap
        What ``…`` stands for (``None``: not allowed).
    where
        Named in the error message.

    Raises
    ------
    ValueError
        On unbalanced brackets, a ``…`` where none is allowed, or an invalid regex.
    """
    if phrase.startswith("re:"):
        return phrase[3:]
    out: list[str] = []
    closers: list[str] = []
    i = 0
    while i < len(phrase):
        ch = phrase[i]
        if ch == "\\":
            if i + 1 >= len(phrase):
                raise ValueError(f"{where}a phrase cannot end with '\\'")
            nxt = phrase[i + 1]
            out.append("\\b" if nxt == "b" else re.escape(nxt))
            i += 2
            continue
        if ch in "([":
            out.append("(?:")
            closers.append(")" if ch == "(" else "]")
        elif ch in ")]":
            if not closers or closers.pop() != ch:
                raise ValueError(f"{where}unbalanced {ch!r} in {phrase!r}")
            out.append(")" if ch == ")" else ")?")
        elif ch == "|":
            out.append("|")
        elif ch == "…":
            if gap is None:
                raise ValueError(f"{where}'…' is not allowed in this table")
            out.append(gap)
        else:
            out.append(re.escape(ch))
        i += 1
    if closers:
        raise ValueError(f"{where}unclosed {'(' if closers[-1] == ')' else '['} in {phrase!r}")
    return "".join(out)


def _unless_before(text: str) -> str:
    """Return a negative lookbehind for each alternative of ``text`` and the space after it.

    Each alternative must have a fixed length (a lookbehind's limit); ``re:`` is verbatim.
    """
    if text.startswith("re:"):
        return f"(?<!{text[3:]})"
    return "".join(f"(?<!{phrase_regex(alt)} )" for alt in _top_alternatives(text))


def _unless_after(text: str) -> str:
    """Return a negative lookahead of a space and ``text`` (``re:``: the regex verbatim)."""
    if text.startswith("re:"):
        return f"(?!{text[3:]})"
    return f"(?! (?:{phrase_regex(text)}))"


def _top_alternatives(text: str) -> list[str]:
    r"""Split a phrase at its top-level ``|`` (not inside brackets or after ``\``)."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(text[start:i])
            start = i + 1
        i += 1
    out.append(text[start:])
    return out


# --------------------------------------------------------------------------- analysis


_REPEATS = tuple(
    op
    for op in (
        _sre_c.MAX_REPEAT,
        _sre_c.MIN_REPEAT,
        getattr(_sre_c, "POSSESSIVE_REPEAT", None),
    )
    if op is not None
)


_ATOMIC = getattr(_sre_c, "ATOMIC_GROUP", None)


@cache
def _parse(pattern: str, flags: int = 0):
    return _sre_parse.parse(pattern, flags)


def _first(items, ignore_case: bool) -> tuple[set[str] | None, bool]:
    """Return the characters a match of a parsed sequence can start with, and if it may be empty.

    ``None`` for the set: any character may start it.
    """
    found: set[str] = set()
    for op, av in items:
        chars: set[str] | None
        nullable = False
        if op is _sre_c.LITERAL:
            chars = {chr(av)}
        elif op is _sre_c.IN:
            chars = set()
            for kind, arg in av:
                if kind is _sre_c.LITERAL:
                    chars.add(chr(arg))
                elif kind is _sre_c.RANGE and arg[1] - arg[0] < 256:
                    chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
                else:
                    chars = None
                    break
        elif op is _sre_c.BRANCH:
            chars = set()
            for alt in av[1]:
                sub, empty = _first(alt, ignore_case)
                if sub is None:
                    chars = None
                    break
                chars |= sub
                nullable = nullable or empty
        elif op is _sre_c.SUBPATTERN:
            add_flags = av[1]
            chars, nullable = _first(av[3], ignore_case or bool(add_flags & re.IGNORECASE))
        elif op in _REPEATS:
            lo, _hi, sub = av
            chars, empty = _first(sub, ignore_case)
            nullable = lo == 0 or empty
        elif op in (_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT):
            chars, nullable = set(), True
        elif _ATOMIC is not None and op is _ATOMIC:
            chars, nullable = _first(av, ignore_case)
        else:
            chars = None
        if chars is None:
            return None, False
        if ignore_case:
            chars = {c for ch in chars for c in (ch.lower(), ch.upper())}
        found |= chars
        if not nullable:
            return found, False
    return found, True


@cache
def first_chars(pattern: str, flags: int = 0) -> str | None:
    """Return the characters every match of ``pattern`` starts with (sorted), or ``None``.

    ``None`` where a match may start with any character or be empty.
    """
    parsed = _parse(pattern, flags)
    chars, nullable = _first(list(parsed), bool(flags & re.IGNORECASE))
    if chars is None or nullable or not chars:
        return None
    return "".join(sorted(chars))


def _char_class(chars: str) -> str:
    return "[" + "".join("\\" + c if c in "\\]^-[" else c for c in chars) + "]"


@cache
def lead(pattern: str, flags: int = 0) -> re.Pattern[str]:
    r"""Compile ``pattern`` so that the engine skips the positions no match can start at.

    The engine scans for a match's first character in a fast loop of its own when a
    pattern starts with a character, a class, or alternatives that each start with a
    character; ``pattern`` is compiled as it is if so. Else a leading ``\b`` of each
    alternative is moved after the word character it stands before (``\bđến`` ->
    ``đ(?<!\w.)ến``: the same matches), if that gives such a start. Else the pattern
    is led by a lookahead of the characters its matches start with, which lets the
    engine reject most positions at once instead of trying every branch there. Both
    are derived from the pattern, so a new phrase never falls outside them.
    """
    if _scans_fast(pattern, flags):
        return re.compile(pattern, flags)
    moved = _boundary_moved(pattern)
    if moved is not None and _scans_fast(moved, flags):
        return re.compile(moved, flags)
    chars = first_chars(pattern, flags)
    if chars is None:
        return re.compile(pattern, flags)
    return re.compile(f"(?={_char_class(chars)})(?:{pattern})", flags)


@cache
def word_starts(pattern: str, flags: int = 0) -> re.Pattern[str] | None:
    r"""Return a fast pattern that finds every position a match of ``pattern`` may start at.

    For a ``pattern`` that starts with ``\b`` and whose matches are few literal texts
    (:func:`expansions`, lookarounds left out) each starting with a word character: those
    texts as a tree of their shared beginnings, at a word start (``c(?<!\w.)(?:ác|ấp)``),
    which the engine scans for in its fast loop of first characters. A pattern whose
    alternatives sit in named groups or start with an optional word gets no such scan of
    its own; :func:`finditer` runs it only where this one matches. ``None`` when no such
    pattern can be derived (then run ``pattern`` alone).
    """
    if flags & re.IGNORECASE:
        return None
    items = list(_parse(pattern, flags))
    if not items or items[0] != (_sre_c.AT, _sre_c.AT_BOUNDARY):
        return None
    texts = expansions(pattern, flags)
    if not texts or not all(_WORD_CHAR.match(text) for text in texts):
        return None
    by_first: dict[str, list[str]] = {}
    for text in texts:
        by_first.setdefault(text[0], []).append(text[1:])
    branches = [f"{re.escape(c)}(?<!\\w.){_tree(rests)}" for c, rests in sorted(by_first.items())]
    return re.compile("|".join(branches), flags)


def _tree(texts: list[str]) -> str:
    """Return a regex matching the start of any text that begins with one of ``texts``."""
    if "" in texts:
        return ""  # a shorter text is found: what follows it does not matter
    by_first: dict[str, list[str]] = {}
    for text in texts:
        by_first.setdefault(text[0], []).append(text[1:])
    alternatives = [re.escape(first) + _tree(rests) for first, rests in sorted(by_first.items())]
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


def finditer(
    pattern: re.Pattern[str], starts: re.Pattern[str] | None, text: str
) -> Iterator[re.Match[str]]:
    """Return ``pattern.finditer(text)``, trying ``pattern`` only where ``starts`` matches.

    ``starts`` is :func:`word_starts` of ``pattern`` (``None``: ``pattern`` alone). The
    matches are the same: ``starts`` finds every position a match may start at, and the
    search goes on after each match, as :meth:`re.Pattern.finditer` does.
    """
    if starts is None:
        yield from pattern.finditer(text)
        return
    pos = 0
    search, match = starts.search, pattern.match
    while (hit := search(text, pos)) is not None:
        at = hit.start()
        m = match(text, at)
        if m is None:
            pos = at + 1
        else:
            yield m
            pos = m.end()  # never empty: every match holds its first word


def _scans_fast(pattern: str, flags: int) -> bool:
    """Whether the engine finds ``pattern``'s start with its fast scan (a character prefix).

    As ``re``'s compiler decides: the first item (inside groups) is a character or a
    class, or alternatives that each start with a character; never with IGNORECASE.
    """
    if flags & re.IGNORECASE:
        return False
    items = list(_parse(pattern, flags))
    while items and items[0][0] is _sre_c.SUBPATTERN:
        sub_flags = items[0][1][1]
        if sub_flags & re.IGNORECASE:
            return False
        items = list(items[0][1][3])
    if not items:
        return False
    op, av = items[0]
    if op is _sre_c.LITERAL or op is _sre_c.IN:
        return True
    if op is _sre_c.BRANCH:
        return all(alt and alt[0][0] is _sre_c.LITERAL for alt in av[1])
    return False


_WORD_CHAR = re.compile(r"\w")


def _boundary_moved(pattern: str) -> str | None:
    r"""Return ``pattern`` with each top-level ``\bX`` (X a word character) as ``X(?<!\w.)``.

    ``\b`` before a word character holds where the character before is not one; after
    the character, ``(?<!\w.)`` tests the same. ``None`` when nothing is moved or the
    pattern is not plain enough to split into its alternatives safely.
    """
    body, wrapped = pattern, False
    if pattern.startswith("(?:") and pattern.endswith(")"):
        inner = pattern[3:-1]
        if _split_alternatives(inner) is not None and _balanced(inner):
            body, wrapped = inner, True
    alternatives = _split_alternatives(body)
    if alternatives is None:
        return None
    out, moved = [], False
    for alt in alternatives:
        if alt.startswith("\\b") and len(alt) > 2 and _WORD_CHAR.match(alt[2]):
            alt = alt[2] + "(?<!\\w.)" + alt[3:]
            moved = True
        out.append(alt)
    if not moved:
        return None
    joined = "|".join(out)
    return f"(?:{joined})" if wrapped else joined


def _balanced(text: str) -> bool:
    """Whether the groups of a regex ``text`` close (escapes and classes skipped)."""
    return _depths(text) is not None


def _depths(text: str) -> list[int] | None:
    """Return the group depth before each character of regex ``text`` (``None``: unbalanced).

    A character inside a character class (after its ``[``) gets ``-1``.
    """
    depths, depth, i, in_class = [], 0, 0, False
    while i < len(text):
        ch = text[i]
        step = 2 if ch == "\\" else 1
        depths.extend([-1 if in_class else depth] * step)
        if ch == "\\":
            pass
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if text[i + 1 : i + 2] == "^":
                depths.append(depth)
                i += 1
            if text[i + 1 : i + 2] == "]":
                depths.append(depth)
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
        i += step
    return None if depth or in_class else depths[: len(text)]


def _split_alternatives(text: str) -> list[str] | None:
    """Split a regex at its top-level ``|`` (``None``: unbalanced)."""
    depths = _depths(text)
    if depths is None:
        return None
    out, start, i = [], 0, 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "|" and depths[i] == 0:  # (not inside a class: -1 there)
            out.append(text[start:i])
            start = i + 1
        i += 1
    out.append(text[start:])
    return out


_GAP = "\x00"  # an unknown stretch of text in an expanded match
_MAX_EXPANSIONS = 2048


def _expand(items, limit: int = _MAX_EXPANSIONS) -> list[str] | None:
    """Return every text a parsed sequence matches, unknown stretches as ``_GAP``.

    ``None`` when there are more than ``limit``.
    """
    outs = [""]
    for op, av in items:
        options: list[str] | None
        if op is _sre_c.LITERAL:
            options = [chr(av)]
        elif op is _sre_c.IN:
            lits = [chr(a) for k, a in av if k is _sre_c.LITERAL]
            options = lits if len(lits) == len(av) and len(lits) <= 8 else [_GAP]
        elif op is _sre_c.BRANCH:
            options = []
            for alt in av[1]:
                sub = _expand(alt, limit)
                if sub is None:
                    return None
                options.extend(sub)
        elif op is _sre_c.SUBPATTERN:
            options = _expand(av[3], limit)
            if options is None:
                return None
        elif op in _REPEATS:
            lo, hi, sub = av
            inner = _expand(sub, limit)
            if inner is None:
                return None
            if (lo, hi) == (0, 1):
                options = ["", *inner]
            elif (lo, hi) == (1, 1):
                options = inner
            elif lo == 0:
                options = [_GAP]
            else:
                options = [s + _GAP for s in inner]
        elif op in (_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT):
            options = [""]
        else:
            options = [_GAP]
        outs = [a + b for a in outs for b in options]
        if len(outs) > limit:
            return None
    return outs


_TOKEN = re.compile(r"\w+|[^\w\s\x00]")


def caseless(texts: Iterable[str]) -> str:
    """Return a regex matching any of ``texts`` in any case, without the IGNORECASE flag.

    Each letter becomes a class of its cases (``[đĐ]``): the engine keeps its fast scans,
    which IGNORECASE slows down.
    """
    def one(text: str) -> str:
        out = []
        for ch in text:
            cases = dict.fromkeys((ch.lower(), ch.upper()))
            if len(cases) > 1 and all(len(c) == 1 for c in cases):
                out.append("[" + "".join(cases) + "]")
            else:
                out.append(re.escape(ch))
        return "".join(out)

    return "(?:" + "|".join(one(t) for t in texts) + ")"


def expansions(pattern: str, flags: int = 0) -> list[str] | None:
    r"""Return every text ``pattern`` matches, or ``None`` if they are many or not all literal.

    Zero-width parts (``\b``, lookarounds) are left out.
    """
    texts = _expand(list(_parse(pattern, flags)))
    if texts is None or any(_GAP in t for t in texts):
        return None
    return texts


def _candidates(text: str) -> list[str]:
    """Return the words of an expanded match and its runs of consecutive words, as written."""
    out: dict[str, None] = {}
    for run in text.split(_GAP):
        spans = [m.span() for m in _TOKEN.finditer(run)]
        for i, (start, _) in enumerate(spans):
            for _, end in spans[i : i + 3]:  # words and runs of two or three words
                words = run[start:end]
                if not words.isdigit():  # digits belong to numbers: no use as a filter
                    out[words] = None
    return list(out)


@cache
def _candidate_lists(pattern: str, flags: int) -> list[list[str]] | None:
    """Return the candidate filter words of each text ``pattern`` matches (``None``: too many)."""
    texts = _expand(list(_parse(pattern, flags)))
    return None if texts is None else [_candidates(text) for text in texts]


_PASS_COST = 20  # what a pattern run costs, in word tests, when a filter lets a text pass


def anchors_of(
    patterns: Iterable[str], flags: int = 0, *, sample: Sequence[str] | None = None
) -> tuple[str, ...] | None:
    """Return a few literal words one of which every match of every pattern contains.

    A cheap ``word in text`` test on these words (:func:`any_in`) tells that no
    pattern can match, without running them. The words are chosen greedily: the one
    shared by most matches and seldom found in ordinary text first. How often a word
    is found is measured on ``sample`` (default: the example sentences of every
    Vietnamese rule table): a common word such as "công" lets most texts through,
    "công vụ" few. ``None`` when some match needs no literal word at all (then no such
    test is possible).
    """
    if flags & re.IGNORECASE:
        return None
    alternatives: list[list[str]] = []
    for pattern in patterns:
        token_lists = _candidate_lists(pattern, flags)
        if token_lists is None:
            return None
        if not all(token_lists):
            return None
        # The words every match of the pattern holds, else those of each match.
        shared = [t for t in token_lists[0] if all(t in other for other in token_lists[1:])]
        alternatives.extend([shared] if shared else token_lists)
    texts_sample = _sample_texts() if sample is None else tuple(sample)
    joined = "\x00".join(texts_sample)
    rate: dict[str, float] = {}

    def seen(word: str) -> float:
        # How often ``word`` is found per sample text (occurrences: a cheap, close proxy).
        if word not in rate:
            rate[word] = joined.count(word) / len(texts_sample) if texts_sample else 0.0
        return rate[word]

    chosen: list[str] = []
    open_ = [set(tokens) for tokens in alternatives]
    order: dict[str, int] = {}
    for tokens in alternatives:
        for t in tokens:
            order.setdefault(t, len(order))
    while open_:
        counts: dict[str, int] = {}
        for tokens in open_:
            for t in tokens:
                counts[t] = counts.get(t, 0) + 1
        best, best_key = "", (-1.0, 0, 0)
        # A word's score is at most its count: words are tried by count, until none can win.
        for t in sorted(counts, key=lambda t: (-counts[t], order[t])):
            if counts[t] < best_key[0]:
                break
            key = (counts[t] / (1 + _PASS_COST * seen(t)), len(t), -order[t])
            if key > best_key:
                best, best_key = t, key
        chosen.append(best)
        open_ = [tokens for tokens in open_ if best not in tokens]
    # A chosen word inside another chosen word makes the longer one useless.
    kept = [w for w in chosen if not any(o != w and o in w for o in chosen)]
    return tuple(kept)


@cache
def _sample_texts(lang: str = "vi") -> tuple[str, ...]:
    """Return the lower-cased example sentences of every rule table of a language."""
    out: list[str] = []
    for name in _all_specs():
        path = lang_dir(lang) / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            out.extend((row.get("example") or "").lower() for row in csv.DictReader(handle))
    return tuple(out)


def any_in(words: Sequence[str] | None) -> Callable[[str], bool]:
    """Return a fast test of whether a text holds one of ``words`` (always true for ``None``).

    The test is generated as ``w1 in text or w2 in text ...`` (the words are written as
    Python string literals with :func:`repr`), as fast as the same test written by hand.
    """
    if words is None:
        return lambda text: True
    if not words:
        return lambda text: False
    source = "lambda text: " + " or ".join(f"{w!r} in text" for w in words)
    return eval(source, {"__builtins__": {}})  # noqa: S307 - literals made by repr()


# --------------------------------------------------------------------------- rows and tables


@cache
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.DOTALL)


@dataclass(frozen=True)
class Row:
    """One rule row of a table, checked and compiled.

    Attributes
    ----------
    id, phrase, value, where, unless_before, unless_after, example, spec
        The row's cells (``where`` split at ``;``).
    extra
        The table's further columns.
    regex
        The compiled row: its phrase with its ``unless`` conditions.
    path, line
        Where the row is (``line`` counts the header as line 1).
    """

    id: str
    phrase: str
    value: str
    where: tuple[str, ...]
    unless_before: str
    unless_after: str
    example: str
    spec: str
    extra: Mapping[str, str]
    regex: str
    path: Path
    line: int


@dataclass(frozen=True, eq=False)
class Table:
    """The rows of one rule table, with the patterns and filters built from them."""

    spec: TableSpec
    path: Path
    rows: tuple[Row, ...]
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        """The table's name (its file stem)."""
        return self.spec.name

    def select(
        self, where: str | None = None, value: str | tuple[str, ...] | None = None
    ) -> tuple[Row, ...]:
        """Return the rows for a place (and a value, or one of several), in table order."""
        key = ("select", where, value)
        found = self._cache.get(key)
        if found is None:
            values = (value,) if isinstance(value, str) else value
            found = self._cache[key] = tuple(
                r
                for r in self.rows
                if (where is None or where in r.where) and (values is None or r.value in values)
            )
        return found

    def alternation(
        self, where: str | None = None, value: str | tuple[str, ...] | None = None
    ) -> str:
        """Return ``(?:row1|row2|...)``: the rows' regexes in table order."""
        return "(?:" + "|".join(r.regex for r in self.select(where, value)) + ")"

    def regexes(
        self, where: str | None = None, value: str | tuple[str, ...] | None = None
    ) -> tuple[str, ...]:
        """Return the rows' regexes in table order."""
        return tuple(r.regex for r in self.select(where, value))

    def grouped(
        self,
        where: str,
        group: Callable[[str], str] | None = None,
        values: tuple[str, ...] | None = None,
    ) -> str:
        """Return ``(?P<g1>rows of value 1)|(?P<g2>...)``, in table order.

        ``group`` names each value's group (default: the value itself); the matched
        group's name tells the value (``match.lastgroup``). ``values`` keeps only the
        rows of these values.
        """
        rows = self.select(where, values)
        parts: list[str] = []
        for value in dict.fromkeys(r.value for r in rows):
            name = group(value) if group else value
            body = "|".join(r.regex for r in rows if r.value == value)
            parts.append(f"(?P<{name}>{body})")
        return "|".join(parts)

    def words(self, where: str | None = None, value: str | None = None) -> tuple[str, ...]:
        """Return the phrases as written (for literal tables and word lists)."""
        return tuple(r.phrase for r in self.select(where, value))

    def mapping(self, where: str | None = None) -> dict[str, str]:
        """Return ``{phrase: value}`` for a place (a literal phrase's meaning)."""
        return {r.phrase: r.value for r in self.select(where)}

    def anchors(self, where: str | None = None, value: str | None = None) -> tuple[str, ...] | None:
        """Return the words one of which every match of these rows holds (:func:`anchors_of`)."""
        key = ("anchors", where, value)
        if key not in self._cache:
            self._cache[key] = anchors_of(self.regexes(where, value))
        return self._cache[key]

    def value_of(self, text: str, where: str) -> str | None:
        """Return the value of the row (of place ``where``) that matches all of ``text``.

        ``None`` when no row does. A phrase written as plain words is looked up
        directly; one with alternatives is matched row by row.
        """
        key = ("value_of", where)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = {r.phrase: r.value for r in self.select(where)}
        if text in found:
            return found[text]
        row = self.row_matching(text, where)
        value = found[text] = row.value if row is not None else None
        return value

    def id_of(self, text: str, where: str) -> str | None:
        """Return the id of the first row (of place ``where``) that matches all of ``text``.

        ``text`` is what a pattern built from the rows matched (cached: the same words
        come back again and again).
        """
        key = ("id_of", where)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = {}
        row_id = found.get(text, "")
        if row_id == "":
            row = self.row_matching(text, where)
            row_id = found[text] = row.id if row is not None else None
        return row_id

    def id_at(self, text: str, pos: int, where: str) -> str | None:
        """Return the id of the first row (of place ``where``) that matches ``text`` at ``pos``.

        The row an alternation of the rows, tried in order, matched there.
        """
        for row in self.select(where):
            if _compiled(row.regex).match(text, pos):
                return row.id
        return None

    def row_matching(self, text: str, where: str | None = None) -> Row | None:
        """Return the first row whose regex matches all of ``text`` (which rule found it)."""
        for row in self.select(where):
            if _compiled(row.regex).fullmatch(text):
                return row
        return None


def _check_spec_cell(value: str, where: str, path: Path, line: int) -> None:
    section, sep, key = value.partition(":")
    if not sep or section.strip() not in _SPEC_SECTIONS or not key.strip():
        raise InputError(
            f"{where}spec must be '<section>: <words of its row>' with a section of "
            f"docs/TARGETS.md ({', '.join(_SPEC_SECTIONS)})",
            path=path,
            line=line,
            value=value,
        )


def _read_rows(spec: TableSpec, path: Path) -> tuple[Row, ...]:
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"rule table cannot be read ({exc})", path=path) from exc
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        expected = (*COLUMNS, *spec.extra)
        missing = [c for c in expected if c not in header]
        unknown = [c for c in header if c not in expected]
        if missing or unknown:
            raise InputError(
                f"columns must be {', '.join(expected)}"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unknown {', '.join(unknown)}" if unknown else ""),
                path=path,
                line=1,
            )
        rows: list[Row] = []
        seen: dict[str, int] = {}
        for line_no, raw in enumerate(reader, start=2):
            row = _row(spec, path, line_no, raw)
            if row.id in seen:
                raise InputError(
                    f"duplicate rule id {row.id!r} (first at line {seen[row.id]})",
                    path=path,
                    line=line_no,
                    value=row.id,
                )
            seen[row.id] = line_no
            rows.append(row)
    return tuple(rows)


def _row(spec: TableSpec, path: Path, line: int, raw: Mapping[str, str | None]) -> Row:
    cells = {k: (v or "").strip() for k, v in raw.items() if k is not None}
    if None in raw:
        raise InputError("more cells than columns", path=path, line=line)
    for name in _REQUIRED:
        if not cells.get(name):
            raise InputError(f"'{name}' is empty", path=path, line=line)
    row_id = cells["id"]
    if not row_id.startswith(spec.prefix) or not re.fullmatch(r"[a-z0-9_.]+", row_id):
        raise InputError(
            f"id must start with {spec.prefix!r} and hold only a-z, 0-9, '_' and '.'",
            path=path,
            line=line,
            value=row_id,
        )
    wheres = tuple(w.strip() for w in cells["where"].split(";"))
    value = cells.get("value", "")
    for where in wheres:
        if where not in spec.places:
            raise InputError(
                f"where must be one of {', '.join(spec.places)}",
                path=path,
                line=line,
                value=where,
            )
        allowed = spec.places[where]
        if allowed is None and spec.vocabulary is not None:
            allowed = tuple(spec.vocabulary())
        if allowed is not None and value not in allowed:
            shown = ", ".join(a if a else "(empty)" for a in allowed) or "(empty)"
            raise InputError(
                f"value for where={where} must be one of {shown}", path=path, line=line, value=value
            )
    _check_spec_cell(cells["spec"], "", path, line)
    phrase = cells["phrase"]
    literal = [w in spec.literal for w in wheres]
    if any(literal) and not all(literal):
        raise InputError(
            f"a row stands either in literal places ({', '.join(spec.literal)}) or in none",
            path=path,
            line=line,
            value=cells["where"],
        )
    try:
        if all(literal):
            regex = re.escape(phrase)
        elif spec.gap is not None:
            regex = phrase_regex(phrase, gap=spec.gap)
        else:
            regex = phrase_regex(phrase, gap=spec.gap)
        before = _unless_before(cells["unless_before"]) if cells.get("unless_before") else ""
        after = _unless_after(cells["unless_after"]) if cells.get("unless_after") else ""
        regex = before + regex + after if (before or after) else regex
        _parse(regex)  # a bad regex raises here (compiled when its table's patterns are)
    except (ValueError, re.error) as exc:
        raise InputError(f"bad phrase syntax: {exc}", path=path, line=line, value=phrase) from exc
    return Row(
        id=row_id,
        phrase=phrase,
        value=value,
        where=wheres,
        unless_before=cells.get("unless_before", ""),
        unless_after=cells.get("unless_after", ""),
        example=cells["example"],
        spec=cells["spec"],
        extra={name: cells.get(name, "") for name in spec.extra},
        regex=regex,
        path=path,
        line=line,
    )


def _check_grouped(spec: TableSpec, rows: Sequence[Row]) -> None:
    for where in spec.grouped:
        seen: list[str] = []
        for row in rows:
            if where not in row.where:
                continue
            if seen and row.value != seen[-1] and row.value in seen:
                raise InputError(
                    f"rows of value {row.value!r} (where={where}) must stand together: "
                    "the table is tried in row order, one group per value",
                    path=row.path,
                    line=row.line,
                    value=row.id,
                )
            if not seen or seen[-1] != row.value:
                seen.append(row.value)


def _probe(table: Table, where: str) -> tuple[Callable[[str], bool], re.Pattern[str]]:
    """Return the anchor test and the matcher an example of ``where`` meets.

    The matcher holds each row of the place as a named group ``_r<k>`` (``k``: the
    row's index in the place): a match tells which row the table's matcher found.
    """
    key = ("probe", where)
    found = table._cache.get(key)
    if found is None:
        context = table.spec.probe.get(where, "<rows>")
        rows = "|".join(f"(?P<_r{k}>{r.regex})" for k, r in enumerate(table.select(where)))
        source = context.replace("<rows>", f"(?:{rows})")
        for place in table.spec.places:
            source = source.replace(f"<{place}>", table.alternation(place))
        found = table._cache[key] = (
            any_in(table.anchors(where)),
            lead(source, re.DOTALL) if context == "<rows>" else re.compile(source, re.DOTALL),
        )
    return found


def _first_wins(table: Table, row: Row, text: str) -> bool:
    """Whether ``row`` is the first row of its place (and direction) that matches ``text``."""
    direction = row.extra.get("direction", "")
    for other in table.select(row.where[0]):
        if other.extra.get("direction", "") not in ("", direction):
            continue
        context = other.extra.get("context", "")
        if re.search(other.regex, text, re.DOTALL) and (
            not context or re.search(phrase_regex(context, gap=table.spec.gap), text, re.DOTALL)
        ):
            return other.id == row.id
    return False


def _fires(table: Table, row: Row) -> bool:
    """Whether the table's own matcher finds the row in its example."""
    text = row.example.lower() if table.spec.lower else row.example
    if row.where[0] in table.spec.literal:
        return row.phrase in text
    if row.where[0] in table.spec.first_wins:
        return _first_wins(table, row, text)
    for where in row.where:
        # The table's matcher for this place, led by the lookahead and filtered by the
        # anchors the compiler derives: the row must be found through them.
        may_hold, pattern = _probe(table, where)
        if not may_hold(text):
            return False
        group = f"_r{table.select(where).index(row)}"
        if not any(m.group(group) is not None for m in pattern.finditer(text)):
            return False
    return True


def _load(name: str, lang: str, *, check_examples: bool = True) -> Table:
    spec = _all_specs()[name]
    path = lang_dir(lang) / f"{name}.csv"
    rows = _read_rows(spec, path)
    _check_grouped(spec, rows)
    found = Table(spec, path, rows)
    for row in rows:
        if check_examples and not _fires(found, row):
            raise InputError(
                f"the example of {row.id} does not fire: {row.phrase!r} is not found in "
                f"{row.example!r} where={';'.join(row.where)}",
                path=path,
                line=row.line,
                value=row.id,
            )
    return found


@cache
def _tables(lang: str) -> dict[str, Table]:
    tables = {name: _load(name, lang) for name in _all_specs()}
    seen: dict[str, Row] = {}
    for tbl in tables.values():
        for row in tbl.rows:
            if row.id in seen:
                first = seen[row.id]
                raise InputError(
                    f"duplicate rule id {row.id!r} (first at {first.path.name}, line {first.line})",
                    path=row.path,
                    line=row.line,
                    value=row.id,
                )
            seen[row.id] = row
    return tables


def table(name: str, lang: str = "vi") -> Table:
    """Return the checked, compiled rule table ``parstats/lang/<lang>/<name>.csv``.

    Every table of the language is loaded and checked on first use.

    Raises
    ------
    InputError
        Naming the file and line of a duplicate id, a value outside the table's
        vocabulary, a bad phrase, or an example that does not fire.
    """
    tables = _tables(lang)
    if name not in tables:
        raise InputError(f"no rule table named {name!r}; known: {', '.join(tables)}", value=name)
    return tables[name]


def all_tables(lang: str = "vi") -> tuple[Table, ...]:
    """Return every rule table of a language (ids checked unique across them)."""
    return tuple(_tables(lang).values())
