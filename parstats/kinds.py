"""Document kinds (*loại văn bản*): plan, directive, law, news item, and the rest.

A collection gathered from the web holds far more laws, news items and encyclopedia
articles than plans, and only documents that set commitments should yield targets
(issue 10, "Document kinds"). :func:`classify` gives every text one kind of
:data:`DOCUMENT_KINDS` with the evidence — which cue fired, where, on which words —
and :func:`decide` turns it into the one decision the rest of parstats uses
(``parstats scan`` today; ``extract`` and ``build`` when they filter by kind):
keep the document's targets or not, and why.

The Vietnamese cues are data: ``parstats/lang/vi/document_kinds.csv``, one row per
cue with the kind it votes for, where it must stand, its weight, a real example
and a note. :func:`load_rules` checks every row (a bad row, or an example its own
pattern does not fire on, is an :class:`~parstats.errors.InputError` naming the
file and line). The places a cue can stand (``where``):

``title``
    The document-type heading in capitals and the title lines under it
    (``KẾ HOẠCH`` / ``QUAN TRẮC MÔI TRƯỜNG ...``), Markdown marks removed and
    whitespace collapsed, found in the first :data:`TITLE_SEARCH_CHARS` characters
    (web copies put navigation before it). A letter's ``V/v ...`` line counts too.
``symbol``
    The number's symbol (``982/KH-UBND``) after ``Số:`` or ``Số hiệu:``.
``first_line``
    The first non-blank line (a web page's title).
``head``
    The first :data:`HEAD_CHARS` characters.
``body``
    The first :data:`BODY_CHARS` characters; the cue must occur ``min_count`` times.

Every cue that fires adds its weight to its kind; the kind with the highest total
wins (ties go to the earlier kind of :data:`DOCUMENT_KINDS`). When no kind reaches
:data:`MIN_SCORE` (one weak cue alone decides nothing), a
text with the national motto header is ``other`` (an official document of a type
the table does not know) and any other text is ``article``. Only regular
expressions over the first few kilobytes and a few counts over the body run, so a
document costs well under a millisecond of the extractor's time.
"""

from __future__ import annotations

import csv
import heapq
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple, get_args

from parstats.errors import InputError
from parstats.vn import nfc

DocumentKindName = Literal[
    "plan",
    "decision_commitments",
    "directive",
    "report",
    "legal_norm",
    "article",
    "other",
]
DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKindName)
"""The kinds, in tie-break order."""

COMMITMENT_KINDS: frozenset[str] = frozenset({"plan", "directive", "decision_commitments"})
"""Kinds whose documents set commitments (and so yield targets)."""

WHERE: tuple[str, ...] = ("title", "symbol", "first_line", "head", "body")
RULE_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "where",
    "pattern",
    "case",
    "min_count",
    "weight",
    "example",
    "note",
)

WINDOW_CHARS = 400
"""A cue's match lies within this many characters of one of its speed-up words."""
MIN_SCORE = 4.0
"""A kind needs at least this total to win: one weak cue alone decides nothing."""
TITLE_SEARCH_CHARS = 8000
HEAD_CHARS = 4000
BODY_CHARS = 200_000
_TITLE_MAX_CHARS = 600
_QUOTE_CHARS = 80

RULES_FILE = Path(__file__).resolve().parent / "lang" / "vi" / "document_kinds.csv"

# A document-type heading: the type word in capitals at the start of a line (after
# Markdown marks), not the enacting "QUYẾT ĐỊNH:" line.
_TYPE_WORDS = (
    "KẾ HOẠCH",
    "CHƯƠNG TRÌNH",
    "ĐỀ ÁN",
    "LỘ TRÌNH",
    "QUYẾT ĐỊNH",
    "CHỈ THỊ",
    "CÔNG ĐIỆN",
    "HƯỚNG DẪN",
    "THÔNG BÁO",
    "BÁO CÁO",
    "TỜ TRÌNH",
    "NGHỊ QUYẾT",
    "NGHỊ ĐỊNH",
    "THÔNG TƯ",
    "BỘ LUẬT",
    "LUẬT",
    "PHÁP LỆNH",
    "HIẾN PHÁP",
    "QUY CHẾ",
    "QUY ĐỊNH",
    "ĐIỀU LỆ",
)
_HEADING = re.compile(
    r"^[ \t*#|_>]*(?P<word>" + "|".join(w.replace(" ", r"[ \t]+") for w in _TYPE_WORDS) + r")"
    r"(?![\wÀ-ỹ])(?P<rest>[^\n]*)$",
    re.MULTILINE,
)
_SUBJECT = re.compile(r"^[ \t*#|_>]*(?P<word>V/v|Về[ \t]+việc)\b(?P<rest>[^\n]*)$", re.MULTILINE)


def led_by_break(pattern: re.Pattern[str]) -> re.Pattern[str]:
    r"""Return ``^REST`` (multiline) as ``\n(?:REST)``: the same matches after a line break.

    For the project's own patterns, whose lookarounds (if any) look ahead: the text
    after the line break is the same in both. :func:`after_break` checks a pattern
    from a table first. ``^`` may be written after an inline ``(?m)``.

    Raises
    ------
    ValueError
        If ``pattern`` does not open with ``^`` in multi-line mode.
    """
    source = pattern.pattern
    if source.startswith("(?m)^"):
        rest = source.removeprefix("(?m)^")
    elif source.startswith("^") and pattern.flags & re.MULTILINE:
        rest = source[1:]
    else:
        raise ValueError(f"not a multi-line pattern opening with '^': {source!r}")
    return re.compile(r"\n(?:" + rest + ")", pattern.flags)


# A search for a pattern that opens with "^" tries every position of the text; led by
# the line break it is a scan for a literal character, which the engine does quickly.
_HEADING_LED = led_by_break(_HEADING)
_SUBJECT_LED = led_by_break(_SUBJECT)


def line_matches(
    pattern: re.Pattern[str], led: re.Pattern[str], text: str
) -> Iterator[re.Match[str]]:
    r"""Yield the matches of ``pattern`` (``^REST``, multiline) in ``text``, as ``finditer``.

    ``led`` is the same pattern led by the line break (``\n(?:REST)``): the line starts
    where ``pattern`` matches are found by it, and ``pattern`` is matched there, each
    search after the last match's end (as ``finditer`` goes on). A match cannot be empty
    (``ValueError``: ``finditer`` would then move on by one character).
    """
    match = pattern.match(text, 0)
    at = 0
    while True:
        if match is not None:
            if match.end() == match.start():
                raise ValueError(f"empty match of {pattern.pattern!r}")
            yield match
            at = match.end() - 1  # a line break ending the match may start the next one
        found = led.search(text, at)
        if found is None:
            return
        at = found.start() + 1
        match = pattern.match(text, at)


_ADDRESSEE = re.compile(r"Kính\s+gửi")
_TITLE_STOP = re.compile(
    r"^\W*(?:Căn\s+cứ|Thực\s+hiện|Kính\s+gửi|Theo\s+đề\s+nghị|Xét\s+đề\s+nghị|Ngày\s+\d|"
    r"Chương\s+[IVX\d]|Điều\s+\d|[IVX]+\.\s)",
    re.IGNORECASE,
)
_MARKS = re.compile(r"[*#|_>]+")
_SYMBOL = re.compile(
    r"Số(?:[ \t]+hiệu)?[ \t]*:?[\s*|]{0,12}"
    r"(?P<symbol>\d[\w.]*(?:[/-][\w.Đđ]+)*[/-][\w.Đđ]+(?:-[\w.Đđ]+)*)"
)
_MOTTO = re.compile(r"CỘNG\W+H[OÒ][AÀ]\W+XÃ\W+HỘI\W+CHỦ\W+NGHĨA\W+VIỆT\W+NAM")


@dataclass(frozen=True)
class KindRule:
    """One cue of the table: a pattern that votes for a kind where it stands.

    Attributes
    ----------
    id
        Stable rule id, ``<kind>.<where>.<name>``.
    kind
        The kind it votes for (one of :data:`DOCUMENT_KINDS`).
    where
        Where it must stand (one of :data:`WHERE`).
    pattern
        The compiled regular expression.
    min_count
        How many times it must occur (``body`` cues; 1 elsewhere).
    weight
        What it adds to its kind's score.
    example
        A real example it fires on.
    line
        Line of the table the rule comes from.
    prefilter
        Words derived from the pattern, one of which every match contains: a
        text holding none of them is not searched (the speed-up filter; empty
        when the pattern has no such words).
    folded
        Whether the prefilter words are lower case, to be looked for in the
        lower-cased text (case-insensitive patterns).
    starts
        Words one of which every match starts with (read from the pattern by
        :func:`start_words`; empty when the pattern does not say): the matches
        are then looked for only where one of them stands.
    after_break
        For a pattern that opens with ``^`` (a line's start): the same pattern led
        by the line break instead (:func:`after_break`), which the engine finds
        quickly; ``None`` otherwise.
    anchors
        The start words carried on to the words that follow them in every match
        (:func:`literal_starts`: ``Kế hoạch này`` for ``(?:Kế hoạch|Đề án) này``),
        looked for instead of ``starts`` when there are any.
    """

    id: str
    kind: str
    where: str
    pattern: re.Pattern[str]
    min_count: int
    weight: float
    example: str
    line: int
    prefilter: tuple[str, ...] = ()
    folded: bool = False
    starts: tuple[str, ...] = ()
    after_break: re.Pattern[str] | None = None
    anchors: tuple[str, ...] = ()


@dataclass(frozen=True)
class KindEvidence:
    """A cue that fired on a document.

    Attributes
    ----------
    rule_id
        The rule's id.
    kind
        The kind it voted for.
    where
        Where it fired.
    weight
        What it added.
    offset
        Character offset in the NFC text where the matched words start (for a
        ``title`` cue, where the heading line starts; ``None`` for cues fired on
        metadata).
    quote
        The matched words, whitespace collapsed, at most 80 characters.
    count
        How many times it occurred (``body`` cues count up to their ``min_count``).
    """

    rule_id: str
    kind: str
    where: str
    weight: float
    offset: int | None
    quote: str
    count: int = 1

    def describe(self) -> str:
        """Return one line: ``rule_id (where, +weight): 'quote'``."""
        times = f" x{self.count}" if self.count > 1 else ""
        return f"{self.rule_id} ({self.where}{times}, +{self.weight:g}): {self.quote!r}"


@dataclass(frozen=True)
class DocumentKind:
    """The kind of one document, with the evidence.

    Attributes
    ----------
    kind
        One of :data:`DOCUMENT_KINDS`.
    sets_commitments
        Whether documents of this kind set commitments (plan, directive,
        decision with commitments): only those yield targets by default.
    evidence
        Every cue that fired, in table order (also those that voted for
        another kind).
    rule_ids
        Ids of the cues that voted for the winning kind (or the default's id).
    score
        The winning kind's total weight (0 for a default).
    runner_up
        The next best kind and its score, or ``None``.
    """

    kind: str
    sets_commitments: bool
    evidence: tuple[KindEvidence, ...]
    rule_ids: tuple[str, ...]
    score: float = 0.0
    runner_up: tuple[str, float] | None = None

    @property
    def reason(self) -> str:
        """Return a sentence saying why: the winning cues and their words."""
        if self.rule_ids[0].startswith("default."):
            weak = "; ".join(e.describe() for e in self.evidence)
            return f"{self.kind}: {_DEFAULT_REASONS[self.rule_ids[0]]}" + (
                f"; weak cues: {weak}" if weak else ""
            )
        won = [e for e in self.evidence if e.kind == self.kind]
        cues = "; ".join(e.describe() for e in won)
        against = ""
        if self.runner_up is not None:
            against = f" (next: {self.runner_up[0]} {self.runner_up[1]:g})"
        return f"{self.kind} {self.score:g}{against}: {cues}"


@dataclass(frozen=True)
class KindDecision:
    """What parstats does with a document: its kind, and whether its targets are kept.

    Attributes
    ----------
    kind
        The document's kind with the evidence.
    keep_targets
        Whether targets are extracted from it: its kind sets commitments, or
        ``all_kinds`` was asked for.
    is_plan
        Whether it counts as a plan (a document that sets commitments: plan,
        directive or decision with commitments), whatever ``all_kinds`` says.
    reason
        Why, in words.
    """

    kind: DocumentKind
    keep_targets: bool
    is_plan: bool
    reason: str


_DEFAULT_REASONS = {
    "default.empty": "no text",
    "default.official": "national motto header but no known document-type heading "
    "(no kind reached the minimum score)",
    "default.article": "no official-document cue reached the minimum score "
    "(web text defaults to article)",
}


# --------------------------------------------------------------------------- rules


def _compile(pattern: str, case: str, where: str) -> re.Pattern[str]:
    flags = re.MULTILINE
    if case == "i":
        flags |= re.IGNORECASE
    return re.compile(pattern, flags)


def load_rules(path: str | Path | None = None) -> tuple[KindRule, ...]:
    """Read and check the cue table (default: the package's ``document_kinds.csv``).

    Raises
    ------
    InputError
        Naming the file and line: a missing column, an unknown kind or place, a
        bad count, weight or pattern, a duplicate id, or an example that the row's
        own pattern does not fire on.
    """
    path = Path(path) if path is not None else RULES_FILE
    try:
        handle = open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"cannot read the document-kind cues: {exc.strerror}", path=path) from exc
    with handle as fh:
        reader = csv.DictReader(fh)
        lacking = [c for c in RULE_COLUMNS if c not in (reader.fieldnames or ())]
        if lacking:
            raise InputError(f"lacks columns {lacking}; has {reader.fieldnames}", path=path)
        rules: list[KindRule] = []
        seen: set[str] = set()
        for raw in reader:
            # the row's first line: a quoted cell may hold line breaks
            line = reader.line_num - sum(
                v.count("\n") for v in raw.values() if isinstance(v, str)
            )
            rules.append(_rule(raw, path, line, seen))
    if not rules:
        raise InputError("holds no cue", path=path)
    return tuple(rules)


def _rule(raw: Mapping[str, str | None], path: Path, line: int, seen: set[str]) -> KindRule:
    def cell(name: str) -> str:
        return (raw.get(name) or "").strip()

    rule_id = cell("id")
    if not re.fullmatch(r"[a-z_]+\.[a-z_]+\.[a-z_0-9]+", rule_id):
        raise InputError("id must look like kind.where.name (ASCII)", path=path, line=line,
                         value=rule_id)
    if rule_id in seen:
        raise InputError("id used twice", path=path, line=line, value=rule_id)
    seen.add(rule_id)
    kind, where, case = cell("kind"), cell("where"), cell("case") or "i"
    if kind not in DOCUMENT_KINDS:
        raise InputError(f"kind must be one of {', '.join(DOCUMENT_KINDS)}", path=path,
                         line=line, value=kind)
    if where not in WHERE:
        raise InputError(f"where must be one of {', '.join(WHERE)}", path=path, line=line,
                         value=where)
    if rule_id.split(".")[1] != where:
        raise InputError(f"id must look like kind.where.name, with where = {where!r}",
                         path=path, line=line, value=rule_id)
    if case not in ("i", "exact"):
        raise InputError("case must be i or exact", path=path, line=line, value=case)
    try:
        min_count = int(cell("min_count") or "1")
        weight = float(cell("weight"))
    except ValueError as exc:
        raise InputError(f"min_count must be an integer and weight a number ({exc})",
                         path=path, line=line) from exc
    if min_count < 1 or not weight > 0:
        raise InputError("min_count must be at least 1 and weight above 0", path=path,
                         line=line, value=(min_count, weight))
    try:
        pattern = _compile(nfc_text(cell("pattern")), case, where)
    except re.error as exc:
        raise InputError(f"pattern does not compile: {exc}", path=path, line=line,
                         value=cell("pattern")) from exc
    example = nfc_text(raw.get("example") or "")
    if not example.strip():
        raise InputError("every cue needs a real example", path=path, line=line)
    prefilter = required_words(pattern)
    rule = KindRule(
        rule_id, kind, where, pattern, min_count, weight, example, line,
        prefilter=prefilter, folded=bool(pattern.flags & re.IGNORECASE),
        starts=start_words(pattern),
        after_break=after_break(pattern),
        anchors=literal_starts(pattern),
    )
    if _fire(rule, _view_of_example(example, where)) is None:
        raise InputError(
            f"the example does not fire the row's own pattern (where={where})",
            path=path, line=line, value=example,
        )
    return rule


try:  # the regular-expression parser (``sre_parse`` before Python 3.11)
    from re import _constants as _sre_constants  # type: ignore[attr-defined]
    from re import _parser as _sre_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parser  # type: ignore[no-redef]

try:  # the letters case-insensitive matching folds beyond lower case (Python 3.11+)
    from re import _casefix  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    _casefix = None

_MIN_WORD = 3


def required_words(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Return literal words one of which every match of ``pattern`` contains.

    Read from the parsed pattern: in a sequence, the longest run of literal
    characters (or a group whose alternatives all have one); in an alternation,
    one word per alternative. Lower case for a case-insensitive pattern. Empty
    when no such words of at least three characters exist (then the pattern is
    always searched).
    """
    parsed = _sre_parser.parse(pattern.pattern, pattern.flags & ~re.IGNORECASE)
    words = _words_of_sequence(list(parsed))
    if not words or min(len(w) for w in words) < _MIN_WORD:
        return ()
    if pattern.flags & re.IGNORECASE:
        words = tuple(w.lower() for w in words)
    return tuple(sorted(set(words)))


def _words_of_sequence(items: list[tuple[Any, Any]]) -> tuple[str, ...] | None:
    candidates: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, arg in items + [(None, None)]:
        if op is _sre_constants.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            candidates.append(("".join(run),))
            run = []
        nested: tuple[str, ...] | None = None
        if op is _sre_constants.SUBPATTERN:
            nested = _words_of_sequence(list(arg[-1]))
        elif op is _sre_constants.BRANCH:
            nested = _words_of_branches(arg[1])
        elif op in (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT) and arg[0] >= 1:
            nested = _words_of_sequence(list(arg[2]))
        if nested:
            candidates.append(nested)
    if not candidates:
        return None
    return max(candidates, key=lambda words: min(len(w) for w in words))


def _words_of_branches(branches: list[Any]) -> tuple[str, ...] | None:
    words: list[str] = []
    for branch in branches:
        found = _words_of_sequence(list(branch))
        if not found:
            return None
        words.extend(found)
    return tuple(words)


_MAX_STARTS = 16
_STARTS_CHUNK = 8192  # characters in which :func:`_at_starts` looks for the words at a time
_MIN_START = 2
_EXTRA_CASES = frozenset(_casefix._EXTRA_CASES) if _casefix is not None else None


def start_words(pattern: re.Pattern[str]) -> tuple[str, ...]:
    r"""Return literal words one of which every match of ``pattern`` starts with.

    Read from the parsed pattern: after zero-width anchors (``^``, ``\b``), the
    literal run that opens it, or one per alternative of an opening group (a class
    of a few letters, ``[Pp]``, gives one word per letter). Lower case for a
    case-insensitive pattern (they are looked for in the lower-cased text). Empty
    for a pattern with a lookaround, when some alternative opens with fewer than
    two literal characters, or, case-insensitive, when a word holds a letter that
    matches more than its lower case (``i`` also matches ``ı``, ``s`` also ``ſ``):
    then the windows of :func:`_windows` are searched.
    """
    parsed = _sre_parser.parse(pattern.pattern, pattern.flags)
    if _has_lookaround(list(parsed)):
        return ()
    words = _starts_of(list(parsed))
    if not words or len(words) > _MAX_STARTS or min(len(w) for w in words) < _MIN_START:
        return ()
    if pattern.flags & re.IGNORECASE:
        lowered = tuple(w.lower() for w in words)
        if (
            _EXTRA_CASES is None
            or any(len(w) != len(low) for w, low in zip(words, lowered, strict=True))
            or any(ord(ch) in _EXTRA_CASES for w in lowered for ch in w)
        ):
            return ()
        words = lowered
    return tuple(sorted(set(words)))


def literal_starts(pattern: re.Pattern[str]) -> tuple[str, ...]:
    r"""Return the literal words every match of ``pattern`` starts with, carried on.

    For a case-exact pattern that opens (after zero-width anchors) with a group of
    literal alternatives followed by literal characters (``\b(?:Kế hoạch|Đề án) này``):
    each alternative with what follows (``Kế hoạch này``, ``Đề án này``). Empty
    otherwise (then :func:`start_words` serves).
    """
    if pattern.flags & re.IGNORECASE:
        return ()
    items = list(_sre_parser.parse(pattern.pattern, pattern.flags))
    if _has_lookaround(items):
        return ()
    i = 0
    while i < len(items) and items[i][0] is _sre_constants.AT:
        i += 1
    if i == len(items):
        return ()
    op, arg = items[i]
    if op is _sre_constants.SUBPATTERN and not arg[1] and len(arg[-1]) == 1:
        op, arg = list(arg[-1])[0]
    if op is not _sre_constants.BRANCH:
        return ()
    heads: list[str] = []
    for branch in arg[1]:
        if not branch or any(k is not _sre_constants.LITERAL for k, _ in branch):
            return ()
        heads.append("".join(chr(c) for _, c in branch))
    tail: list[str] = []
    for op, arg in items[i + 1 :]:
        if op is not _sre_constants.LITERAL:
            break
        tail.append(chr(arg))
    if not tail or len(heads) > _MAX_STARTS:
        return ()
    return tuple(sorted({h + "".join(tail) for h in heads}))


def after_break(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    r"""Return ``pattern`` (``^...``, multiline) led by ``\n`` instead of ``^``, or ``None``.

    A match of ``^REST`` at a line start after the text's first is a match of
    ``\n(?:REST)`` one character earlier; led by a literal, it is searched much
    faster. ``None`` when ``pattern`` does not open with ``^`` as its first item
    (``^A|B`` does not), is not multiline, or holds a lookaround.
    """
    if not pattern.flags & re.MULTILINE or not pattern.pattern.startswith("^"):
        return None
    items = list(_sre_parser.parse(pattern.pattern, pattern.flags))
    if not items or items[0] != (_sre_constants.AT, _sre_constants.AT_BEGINNING):
        return None
    if _has_lookaround(items):
        return None
    return led_by_break(pattern)


def _has_lookaround(items: list[tuple[Any, Any]]) -> bool:
    for op, arg in items:
        if op in (_sre_constants.ASSERT, _sre_constants.ASSERT_NOT):
            return True
        if op is _sre_constants.SUBPATTERN and _has_lookaround(list(arg[-1])):
            return True
        if op is _sre_constants.BRANCH and any(_has_lookaround(list(b)) for b in arg[1]):
            return True
        if op in (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT) and _has_lookaround(
            list(arg[2])
        ):
            return True
    return False


def _starts_of(items: list[tuple[Any, Any]]) -> tuple[str, ...] | None:
    """Return the words a sequence's matches start with, or ``None`` (see :func:`start_words`)."""
    i = 0
    while i < len(items) and items[i][0] is _sre_constants.AT:
        i += 1  # "^", "\b": zero width
    if i == len(items):
        return None
    op, arg = items[i]
    if op is _sre_constants.SUBPATTERN:
        if arg[1] & re.IGNORECASE:
            return None  # "(?i:...)": the words' case is not fixed
        return _starts_of(list(arg[-1]))
    if op is _sre_constants.BRANCH:
        words: list[str] = []
        for branch in arg[1]:
            found = _starts_of(list(branch))
            if not found:
                return None
            words.extend(found)
        return tuple(words)
    heads = [""]
    if (
        op is _sre_constants.IN
        and all(k is _sre_constants.LITERAL for k, _ in arg)
        and len(arg) <= 4
    ):
        heads = [chr(c) for _, c in arg]
        i += 1
    run: list[str] = []
    for op, arg in items[i:]:
        if op is not _sre_constants.LITERAL:
            break
        run.append(chr(arg))
    tail = "".join(run)
    if not tail:
        return None
    return tuple(h + tail for h in heads)


@lru_cache(maxsize=1)
def default_rules() -> tuple[KindRule, ...]:
    """Return the package's cue table, read once."""
    return load_rules()


# --------------------------------------------------------------------------- views


def nfc_text(text: str) -> str:
    """Return ``text`` in NFC (cheaply when it already is)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


class _Part(NamedTuple):
    text: str
    offset: int | None  # where ``text`` starts in the document (None: from metadata)
    cleaned: bool = False  # offsets inside ``text`` do not map to the document


@dataclass(frozen=True)
class KindView:
    """The parts of a document the cues look at.

    Attributes
    ----------
    title
        The cleaned title block (type heading and title lines), or ``""``.
    title_offset
        Where the heading line starts in the text (``None``: none, or from metadata).
    symbol
        The number's symbol, or ``""``.
    symbol_offset
        Where it starts.
    first_line
        The first non-blank line and its offset.
    head
        The first :data:`HEAD_CHARS` characters.
    body
        The first :data:`BODY_CHARS` characters.
    official
        Whether the national motto header is in the first :data:`TITLE_SEARCH_CHARS`.
    """

    title: str
    title_offset: int | None
    symbol: str
    symbol_offset: int | None
    first_line: str
    first_line_offset: int
    head: str
    body: str
    official: bool
    _lowered: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    _parts: dict[str, _Part] = field(default_factory=dict, compare=False, repr=False)

    def lowered(self, where: str) -> str:
        """Return the lower-cased text of ``where`` (computed once per view)."""
        cache = self._lowered
        if where not in cache:
            cache[where] = self.part(where).text.lower()
        return cache[where]

    def part(self, where: str) -> _Part:
        """Return the text a cue of ``where`` is matched against, with its offset."""
        found = self._parts.get(where)
        if found is None:
            found = self._parts[where] = self._part(where)
        return found

    def _part(self, where: str) -> _Part:
        if where == "title":
            return _Part(self.title, self.title_offset, cleaned=True)
        if where == "symbol":
            return _Part(self.symbol, self.symbol_offset)
        if where == "first_line":
            return _Part(self.first_line, self.first_line_offset)
        if where == "head":
            return _Part(self.head, 0)
        return _Part(self.body, 0)


def _clean(text: str) -> str:
    return " ".join(_MARKS.sub(" ", text).split())


def find_title(text: str) -> tuple[str, int | None]:
    """Return the cleaned title block (``"KẾ HOẠCH QUAN TRẮC ..."``) and where it starts.

    The first document-type heading in capitals in the first
    :data:`TITLE_SEARCH_CHARS` characters (not the enacting ``QUYẾT ĐỊNH:``
    line), with the lines that follow it up to a blank line after the title or a
    ``Căn cứ`` line; else, in a letter (``Kính gửi``), its ``V/v ...`` subject
    line; else ``("", None)``.
    """
    region = text[:TITLE_SEARCH_CHARS]
    for match in line_matches(_HEADING, _HEADING_LED, region):
        rest = match.group("rest")
        if rest.rstrip(" *_|").endswith(":"):
            continue  # "QUYẾT ĐỊNH:", the enacting line
        if rest.strip(" *_|#") and not _starts_upper(rest):
            continue  # "Quyết định này ...": prose, not a heading
        return _title_block(region, match), match.start()
    subject = next(line_matches(_SUBJECT, _SUBJECT_LED, region[:HEAD_CHARS]), None)
    if subject is not None and _ADDRESSEE.search(region[:HEAD_CHARS]):
        return _clean(subject.group(0))[:_TITLE_MAX_CHARS], subject.start()
    return "", None


def _starts_upper(rest: str) -> bool:
    letters = [ch for ch in _MARKS.sub("", rest) if ch.isalpha()]
    return bool(letters) and letters[0].isupper()


def _title_block(region: str, match: re.Match[str]) -> str:
    lines = [match.group(0)]
    size = len(match.group(0))
    seen_text = bool(_clean(match.group("rest")))
    for raw in _lines(region, match.end() + 1):
        line = _clean(raw)
        if not line:
            if seen_text:
                break
            continue
        if _TITLE_STOP.match(line) or size > _TITLE_MAX_CHARS:
            break
        lines.append(raw)
        size += len(raw)
        seen_text = True
    return _clean(" ".join(lines))[:_TITLE_MAX_CHARS]


def _lines(text: str, start: int = 0) -> Iterator[str]:
    """Yield the lines of ``text[start:]`` one by one (as ``split`` at line breaks, lazily)."""
    find = text.find
    while True:
        end = find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def _first_line(text: str) -> tuple[str, int]:
    pos = 0
    for raw in _lines(text[:HEAD_CHARS]):
        stripped = raw.strip().strip("*|_ \t").strip()
        if stripped:
            return stripped, pos + raw.find(stripped[0])
        pos += len(raw) + 1
    return "", 0


def make_view(text: str, meta: Any = None) -> KindView:
    """Return the parts of ``text`` (NFC) the cues look at.

    Parameters
    ----------
    text
        The document's text in NFC.
    meta
        Optional metadata (a :class:`parstats.metadata.DocumentMeta` or a mapping
        with ``title`` and ``doc_number``): used only where the text has no title
        or no number of its own.
    """
    title, title_offset = find_title(text)
    region = text[:TITLE_SEARCH_CHARS]
    symbol_match = _find_symbol(region)
    symbol = symbol_match.group("symbol") if symbol_match else ""
    symbol_offset = symbol_match.start("symbol") if symbol_match else None
    if not title and meta is not None:
        meta_title = _meta_value(meta, "title")
        if meta_title:
            title, title_offset = _clean(meta_title).upper()[:_TITLE_MAX_CHARS], None
    if not symbol and meta is not None:
        number = _meta_value(meta, "doc_number")
        if number:
            symbol, symbol_offset = number, None
    first, first_offset = _first_line(text)
    return KindView(
        title=title,
        title_offset=title_offset,
        symbol=symbol,
        symbol_offset=symbol_offset,
        first_line=first,
        first_line_offset=first_offset,
        head=text[:HEAD_CHARS],
        body=text[:BODY_CHARS],
        official=_MOTTO.search(region) is not None,
    )


def _find_symbol(region: str) -> re.Match[str] | None:
    """Return the first ``Số: 982/KH-UBND`` whose ``Số`` starts a word."""
    for match in _SYMBOL.finditer(region):
        at = match.start()
        if at == 0 or not region[at - 1].isalnum():
            return match
    return None


def _meta_value(meta: Any, name: str) -> str | None:
    value = meta.get(name) if isinstance(meta, Mapping) else getattr(meta, name, None)
    return str(value) if value else None


def _view_of_example(example: str, where: str) -> KindView:
    """Return the view a rule's example is matched in: the example stands where the rule looks."""
    text = example
    first, offset = _first_line(text)
    return KindView(
        title=_clean(text) if where == "title" else "",
        title_offset=0,
        symbol=text.strip() if where == "symbol" else "",
        symbol_offset=0,
        first_line=first,
        first_line_offset=offset,
        head=text,
        body=text,
        official=False,
    )


# --------------------------------------------------------------------------- classify


def _windows(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Return the stretches of whole lines within :data:`WINDOW_CHARS` of any of ``words``.

    A cue's match holds one of its words and spans less than :data:`WINDOW_CHARS`
    on either side of it, so searching these stretches finds exactly the matches a
    search of the whole text finds, much faster on long texts. Stretches are
    merged and cut at line ends (so ``^`` and ``$`` keep their meaning).
    """
    return list(_iter_windows(text, words))


def _word_spans(text: str, word: str) -> Iterator[tuple[int, int]]:
    """Yield the stretches around the occurrences of ``word``, in order (see :func:`_windows`).

    An occurrence inside the last stretch, farther than :data:`WINDOW_CHARS` from its
    end, is skipped: its stretch adds nothing.
    """
    find, rfind, size, n = text.find, text.rfind, len(word) + WINDOW_CHARS, len(text)
    at = find(word)
    while at >= 0:
        lo = rfind("\n", 0, max(0, at - WINDOW_CHARS)) + 1
        hi = find("\n", at + size)
        if hi < 0:
            hi = n
        yield lo, hi
        at = find(word, max(at + 1, hi - WINDOW_CHARS))


def _iter_windows(text: str, words: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    """Yield the merged stretches of :func:`_windows` one by one, in order.

    Lazily: a caller that has found what it looks for in the first stretches stops
    there, and the occurrences of the words further on are never looked for.
    """
    spans = (
        _word_spans(text, words[0])
        if len(words) == 1
        else heapq.merge(*(_word_spans(text, word) for word in words))
    )
    current: tuple[int, int] | None = None
    for lo, hi in spans:
        if current is not None and lo <= current[1] + 1:
            if hi > current[1]:
                current = (current[0], hi)
        else:
            if current is not None:
                yield current
            current = (lo, hi)
    if current is not None:
        yield current


def _at_starts(
    rule: KindRule, text: str, haystack: str | None = None
) -> tuple[re.Match[str] | None, int] | None:
    """Return the first match of ``rule`` and the count (up to ``min_count``), or ``None``.

    Every match starts with one of ``rule.starts``: the pattern is tried only where
    one of them stands, in text order, each try after the last match's end (what
    ``finditer`` does). The same matches as a search of :func:`_windows`, as long as
    each is shorter than :data:`WINDOW_CHARS` (then it lies inside its word's
    window); ``None`` when one is not (the caller searches the windows). The words
    of a case-insensitive rule are found in ``haystack``, the lower-cased text
    (as long as ``text``). The words are looked for one stretch of
    :data:`_STARTS_CHUNK` characters after the other: once ``min_count`` matches are
    found, the rest of the text is not read.
    """
    find = (text if haystack is None else haystack).find
    needles = _needles(rule.anchors or rule.starts)
    match_at = rule.pattern.match
    need = rule.min_count
    first: re.Match[str] | None = None
    count = 0
    end = -1
    size = len(text)
    lo = 0
    while lo < size:
        hi = lo + _STARTS_CHUNK
        starts: list[int] = []
        for needle, backs in needles:
            # the candidates in [lo, hi): ``back`` before where the needle stands
            first_back, last_back = backs[0], backs[-1]
            stop = hi + last_back + len(needle) - 1
            at = find(needle, lo + first_back, stop)
            while at >= 0:
                for back in backs:
                    if lo <= at - back < hi:
                        starts.append(at - back)
                at = find(needle, at + 1, stop)
        if len(needles) > 1 or len(needles[0][1]) > 1:
            starts.sort()
        for at in starts:
            if at < end:
                continue
            match = match_at(text, at)
            if match is None:
                continue
            if match.end() - at >= WINDOW_CHARS:
                return None
            if first is None:
                first = match
            count += 1
            if count >= need:
                return first, count
            end = max(match.end(), at + 1)
        lo = hi
    return first, count


@lru_cache(maxsize=256)
def _needles(words: tuple[str, ...]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Return what :func:`_at_starts` looks for to find ``words``: ``(needle, backs)`` pairs.

    Each scan of the text for a word costs about the same, whatever the word, so the
    words are found with as few scans as possible: words that all end alike
    (``Kế hoạch này``, ``Đề án này``) with one scan for the ending (``" này"``), words
    that differ only in their first letter (``Phấn``, ``phấn``, from ``[Pp]hấn``) with
    one scan for what follows it (``hấn``); the candidates then stand ``backs``
    characters before each place the needle is found. Needles have at least
    :data:`_MIN_WORD` characters (shorter ones stand in too many other words). The
    pattern, tried at a candidate, rejects the other words a needle finds (``chấn``),
    so the matches are the same.
    """
    ending = _common_ending(words)
    if len(words) > 1 and len(ending) >= _MIN_WORD:
        return ((ending, tuple(sorted({len(w) - len(ending) for w in words}))),)
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[1:], []).append(word)
    out: list[tuple[str, tuple[int, ...]]] = []
    for tail, group in groups.items():
        if len(group) > 1 and len(tail) >= _MIN_WORD:
            out.append((tail, (1,)))
        else:
            out.extend((word, (0,)) for word in group)
    return tuple(out)


def _common_ending(words: tuple[str, ...]) -> str:
    size = min(len(w) for w in words)
    while size and len({w[len(w) - size :] for w in words}) > 1:
        size -= 1
    return words[0][len(words[0]) - size :] if size else ""


def _at_line_starts(rule: KindRule, text: str) -> tuple[re.Match[str] | None, int] | None:
    """Return what :func:`_at_starts` returns, for a pattern that opens with ``^``.

    The line starts where the pattern matches are found by ``rule.after_break``
    (and the text's start by the pattern itself), in text order, each after the last
    match's end. ``None`` when a match is empty or not shorter than
    :data:`WINDOW_CHARS` (the caller searches the windows).
    """
    assert rule.after_break is not None
    match_at, search = rule.pattern.match, rule.after_break.search
    need = rule.min_count
    first: re.Match[str] | None = None
    count = 0
    match = match_at(text, 0)
    at = 0
    while True:
        if match is not None:
            if match.end() <= at or match.end() - at >= WINDOW_CHARS:
                return None
            if first is None:
                first = match
            count += 1
            if count >= need:
                break
            found = search(text, match.end() - 1)
        else:
            found = search(text, at)
        if found is None:
            break
        at = found.start() + 1
        match = match_at(text, at)
        if match is None:
            return None  # cannot be: the same pattern after the same line break
    return first, count


def _fire(rule: KindRule, view: KindView) -> KindEvidence | None:
    part = view.part(rule.where)
    text = part.text
    if not text:
        return None
    count = 0
    first: re.Match[str] | None = None
    need = rule.min_count
    windows: Iterable[tuple[int, int]] = ((0, len(text)),)
    found: tuple[re.Match[str] | None, int] | None = None
    # The words of a case-insensitive rule are lower case: looked for in the lowered text.
    haystack = view.lowered(rule.where) if rule.folded and (rule.prefilter or rule.starts) else text
    led = rule.after_break is not None and rule.where in ("head", "body")
    starts = bool(rule.starts) and (not rule.folded or len(haystack) == len(text))
    short = len(haystack) <= 4 * WINDOW_CHARS
    if rule.prefilter and (short or len(rule.prefilter) == 1 or not (led or starts)):
        # A text without any of the speed-up words has no match: a scan for each rules
        # it out. Worth it on a short part or for a single word; otherwise the search
        # led by the line break, or the scans for the start words (which a match needs
        # too), cost less than scans for words most texts hold ("chính").
        for word in rule.prefilter:
            if word in haystack:
                break
        else:
            return None
    if led:
        found = _at_line_starts(rule, text)
    if found is None and rule.prefilter and not short:
        windows = _iter_windows(haystack, rule.prefilter)
    if found is None and starts:
        # (Lower case that changes the length would move the offsets.)
        found = _at_starts(rule, text, haystack if rule.folded else None)
    if found is not None:
        first, count = found
        windows = ()
    finditer = rule.pattern.finditer
    for lo, hi in windows:
        for match in finditer(text, lo, hi):
            if first is None:
                first = match
            count += 1
            if count >= need:
                break
        if count >= need:
            break
    if first is None or count < need:
        return None
    if part.offset is None:
        offset = None
    elif part.cleaned:
        offset = part.offset
    else:
        offset = part.offset + first.start()
    quote = " ".join(first.group(0).split())
    if len(quote) > _QUOTE_CHARS:
        quote = quote[: _QUOTE_CHARS - 1] + "…"
    return KindEvidence(rule.id, rule.kind, rule.where, rule.weight, offset, quote, count)


def classify(
    text: str, meta: Any = None, *, rules: tuple[KindRule, ...] | None = None
) -> DocumentKind:
    r"""Return the kind of a document with the evidence.

    Parameters
    ----------
    text
        The document's text (normalised to NFC here if it is not already).
    meta
        Optional metadata (``DocumentMeta`` or a mapping with ``title``,
        ``doc_number``), used only where the text gives no title or number.
    rules
        The cue table; default :func:`default_rules`.

    Returns
    -------
    DocumentKind

    Examples
    --------
    >>> classify("KẾ HOẠCH\nCải cách hành chính năm 2026\n").kind
    'plan'
    >>> classify("# Có được cho mượn căn hộ không?\n\nNội dung chính").kind
    'article'
    """
    text = nfc(text)  # (free for the text the reader or the metadata stage normalised)
    rules = default_rules() if rules is None else rules
    if not text.strip():
        return DocumentKind("other", False, (), ("default.empty",))
    view = make_view(text, meta)
    evidence = tuple(e for e in (_fire(rule, view) for rule in rules) if e is not None)
    scores: dict[str, float] = {}
    for item in evidence:
        scores[item.kind] = scores.get(item.kind, 0.0) + item.weight
    if not scores or max(scores.values()) < MIN_SCORE:
        default = "other" if view.official else "article"
        rule_id = "default.official" if view.official else "default.article"
        return DocumentKind(default, default in COMMITMENT_KINDS, evidence, (rule_id,))
    ranked = sorted(scores, key=lambda k: (-scores[k], DOCUMENT_KINDS.index(k)))
    kind = ranked[0]
    runner_up = (ranked[1], scores[ranked[1]]) if len(ranked) > 1 else None
    return DocumentKind(
        kind=kind,
        sets_commitments=kind in COMMITMENT_KINDS,
        evidence=evidence,
        rule_ids=tuple(e.rule_id for e in evidence if e.kind == kind),
        score=scores[kind],
        runner_up=runner_up,
    )


def decide(text: str, meta: Any = None, *, all_kinds: bool = False) -> KindDecision:
    """Return what parstats does with a document: its kind and whether to keep its targets.

    The one decision shared by ``parstats scan`` and (when they filter by kind)
    ``parstats extract`` and ``parstats build``, so that they agree on every
    document.

    Parameters
    ----------
    text
        The document's text.
    meta
        Optional metadata (see :func:`classify`).
    all_kinds
        Keep the targets of every kind (``--all-kinds``).
    """
    kind = classify(text, meta)
    if kind.sets_commitments:
        reason = f"sets commitments: {kind.reason}"
    elif all_kinds:
        reason = f"kept (all kinds asked for) though it sets no commitments: {kind.reason}"
    else:
        reason = f"sets no commitments, targets not extracted: {kind.reason}"
    return KindDecision(
        kind=kind,
        keep_targets=kind.sets_commitments or all_kinds,
        is_plan=kind.sets_commitments,
        reason=reason,
    )
