"""Document metadata (*thông tin văn bản*) read from a plan's own text.

A Vietnamese administrative document opens with a fixed header: the issuing
body (*cơ quan ban hành*), the number and symbol (``Số: 3478/QĐ-UBND``), the
place and date (``Đắk Lắk, ngày 10 tháng 12 năm 2021``), the document type in
capitals (``QUYẾT ĐỊNH``, ``KẾ HOẠCH``) and the title. Plans copied from web
pages often lose part of that header, so every field falls back on general
clues from the body ("trên địa bàn tỉnh X", the number's symbol, the year the
plan is about). Nothing here knows about particular documents: the rules must
hold on plans never seen before.

A manifest row may supply fields the text does not give (an *override*); it
never replaces what the text says, and a contradiction is reported as a
:class:`MetadataConflictWarning`.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import lru_cache

from parstats import rules
from parstats.errors import InputError, ParstatsWarning, UnknownProvinceError
from parstats.kinds import led_by_break, line_matches
from parstats.vn import fold, nfc

NATIONAL = "national"
"""The ``province`` value of documents issued by central government."""

# Document types (*loại văn bản*): heading in capitals -> symbol in the number; the
# issuing bodies named by the last part of a number's symbol ("KH-UBND"), local ones
# (which take the province after them) and central ones (which make the document
# national); and the headers of central bodies. The rows of
# ``parstats/lang/vi/doc_types.csv``.
_DOC_TYPES_TABLE = rules.table("doc_types")
DOC_TYPES: dict[str, str] = _DOC_TYPES_TABLE.mapping("heading")
_LOCAL_ISSUERS: dict[str, str] = _DOC_TYPES_TABLE.mapping("local_issuer")
_CENTRAL_ISSUERS: dict[str, str] = _DOC_TYPES_TABLE.mapping("central_issuer")
_CENTRAL_HEADERS = _DOC_TYPES_TABLE.words("central_header")

# The five centrally-run cities are "thành phố", every other unit a "tỉnh".
_CITIES = frozenset({"Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "TP. Hồ Chí Minh"})

# How much of the text is searched for the header fields, for the heading of a
# plan attached to a decision (after the decision's signature block), and by the
# body heuristics (real plans are far shorter; this bounds the time on huge files).
_HEADER_CHARS = 4000
_HEADINGS_CHARS = 20000
_BODY_CHARS = 500_000

# Fields in the order of the documents table; the override may set any of them.
META_FIELDS: tuple[str, ...] = (
    "doc_number",
    "doc_type",
    "issuer",
    "province",
    "issued",
    "period_start",
    "period_end",
    "title",
)


class MetadataConflictWarning(ParstatsWarning):
    """A manifest override that contradicts what the document's text says."""


@dataclass(frozen=True)
class DocumentMeta:
    """Metadata of one plan.

    Attributes
    ----------
    doc_number
        Number and symbol (*số, ký hiệu*), e.g. ``"3478/QĐ-UBND"``; ``None`` when
        the text leaves the number blank.
    doc_type
        Symbol of the document type (``"QĐ"``, ``"KH"``, ``"CT"``, ...).
    issuer
        The issuing body, e.g. ``"UBND tỉnh Đắk Lắk"``.
    province
        Pre-2025 province name as in the province registry, or ``"national"``.
    issued
        Issue date as ISO text: ``"2021-12-10"``, ``"2020-05"`` or ``"2023"``.
    period_start, period_end
        First and last year the plan covers (an annual plan: the same year).
    title
        The plan's own title (*trích yếu*), e.g. ``"Kế hoạch cải cách hành
        chính nhà nước tỉnh Hưng Yên năm 2023"``.
    from_override
        Names of the fields taken from the manifest override, in table order.
    """

    doc_number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    province: str | None = None
    issued: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    title: str | None = None
    from_override: tuple[str, ...] = ()


@dataclass(frozen=True)
class Heading:
    """A document-type heading line (``KẾ HOẠCH``) and the title that follows it.

    Attributes
    ----------
    doc_type
        Symbol of the type (``"KH"``).
    word
        The heading as written, in capitals (``"KẾ HOẠCH"``).
    title
        The title lines after it, joined with single spaces ("" if none).
    attached
        Whether a "(Ban hành kèm theo ...)" line follows: the heading opens a
        document issued by a decision earlier in the same text.
    offset
        Character offset of the heading line.
    """

    doc_type: str
    word: str
    title: str
    attached: bool
    offset: int


# --------------------------------------------------------------------------- provinces


def _province_api():
    """Return the :mod:`parstats.provinces` module (the registry of the 63 provinces)."""
    from parstats import provinces

    return provinces


@lru_cache(maxsize=1)
def province_names() -> tuple[str, ...]:
    """Return the registry's 63 pre-2025 province names, as written in the registry."""
    return tuple(p.name_vi for p in _province_api().all_provinces())


@lru_cache(maxsize=4096)
def canonical_province(name: str) -> str | None:
    """Return the registry's name for ``name`` (any spelling the registry accepts).

    ``"Hung Yên"``, ``"HƯNG YÊN"`` -> ``"Hưng Yên"``; ``"national"`` stays.
    ``None`` if ``name`` is not a province.
    """
    name = " ".join(nfc(name).split())
    if not name:
        return None
    if name.casefold() == NATIONAL:
        return NATIONAL
    canon = _names_by_key().get(_key(name))
    if canon:
        return canon
    try:
        return _province_api().resolve(name).name_vi
    except (UnknownProvinceError, LookupError, ValueError):
        return None


@lru_cache(maxsize=1)
def _names_by_key() -> dict[str, str]:
    return {_key(name): name for name in province_names()}


def _key(name: str) -> str:
    """Comparison key of a place name: folded, lower case, no punctuation or "tp"."""
    folded = fold(nfc(name)).casefold()
    folded = re.sub(r"^(?:tp\.?|thanh pho)\s*", "", folded)
    return re.sub(r"[^a-z0-9]+", "", folded)


def _bare(name: str) -> str:
    """Registry name without a "TP." prefix (``"TP. Hồ Chí Minh"`` -> ``"Hồ Chí Minh"``)."""
    return re.sub(r"^TP\.?\s*", "", name)


@lru_cache(maxsize=1)
def _province_pattern() -> re.Pattern[str]:
    """Regex matching any province name at the start of folded text (case-insensitive)."""
    alternatives = []
    for name in sorted(province_names(), key=len, reverse=True):
        words = fold(_bare(name)).split()
        alternatives.append(r"[\s\-–]*".join(re.escape(w) for w in words if w != "-"))
    return re.compile(rf"(?:{'|'.join(alternatives)})\b", re.IGNORECASE)


# "tỉnh", "thành phố", "TP." before a capitalised word: where a province name may follow.
_UNIT_WORD = re.compile(r"\b(?:tỉnh|thành\s+phố|tp\.?)\s*(?=[^\W\d_])", re.IGNORECASE)
_NAME_WINDOW = 40


@dataclass(frozen=True)
class ProvinceMention:
    """A province named in a text: its registry name and the span of "tỉnh X"."""

    province: str
    start: int
    end: int


def province_mentions(text: str) -> list[ProvinceMention]:
    """Return the provinces named as "tỉnh X"/"thành phố X"/"TP. X" in ``text``, in order.

    A name counts only when written with a capital (``tỉnh Hòa Bình``, not the
    common noun "hòa bình"); spelling variants that fold to the registry's name
    ("Hung Yên", "Đăk Lăk") count.
    """
    out: list[ProvinceMention] = []
    pattern = _province_pattern()
    for unit in _UNIT_WORD.finditer(text):
        window = text[unit.end() : unit.end() + _NAME_WINDOW]
        if not window[:1].isupper():
            continue
        match = pattern.match(fold(window))
        if match:
            canon = canonical_province(match.group(0))
            if canon:
                out.append(ProvinceMention(canon, unit.start(), unit.end() + match.end()))
    return out


def _province_mentions(text: str) -> list[str]:
    return [m.province for m in province_mentions(text)]


# --------------------------------------------------------------------------- header parts


_NUMBER_LINE = re.compile(
    r"(?m)^[\s*_|]*Số\s*:?\s*(?P<num>[0-9][0-9A-Za-z.]*)?\s*"
    r"(?P<symbol>/\s*[A-ZĐa-z0-9][A-ZĐa-zđ0-9\-/.]*)"
)
# A search for a pattern that opens with "^" tries every position of the text; led by
# the line break it is a scan for a literal character, which the engine does quickly
# (``kinds.line_matches`` gives the same matches, in the same order).
_NUMBER_AFTER_BREAK = led_by_break(_NUMBER_LINE)


def _first_at_line_start(
    pattern: re.Pattern[str], led: re.Pattern[str], text: str
) -> re.Match[str] | None:
    """Return ``pattern.search(text)`` for a pattern that opens with ``^`` (multi-line)."""
    return next(line_matches(pattern, led, text), None)


_ANNEX_NUMBER = re.compile(
    r"kèm\s+theo\s+(?:Quyết\s+định|Nghị\s+quyết|Chỉ\s+thị)\s+số\s*"
    r"(?P<num>[0-9][0-9A-Za-z.]*)?\s*(?P<symbol>/\s*[A-ZĐ][A-ZĐa-zđ0-9\-/.]*[A-ZĐa-zđ0-9])"
)


# A web page that republishes a plan says in its lead who issued it, when and with what
# number: "Ngày 03/02/2026, Ủy ban nhân dân tỉnh Lạng Sơn ban hành Kế hoạch số 24/KH-UBND".
# (The word boundary is a lookbehind after the first letter: the engine then scans for
# that letter quickly instead of trying the pattern at every position.)
_NEWS_LEAD = re.compile(
    r"[Nn](?<!\w[Nn])gày\s+(?P<day>\d{1,2})\s*[/.\-]\s*(?P<month>\d{1,2})\s*[/.\-]\s*(?P<year>\d{4})\s*,"
    r"(?P<who>(?:[^.;\n]|\.(?=\S)|\n(?!\s*\n)){3,200}?)\bban\s+hành\s+"
    r"(?:Kế\s+hoạch|Quyết\s+định|Chương\s+trình|Đề\s+án|Chỉ\s+thị|Nghị\s+quyết)\s+số\s*"
    r"(?P<num>[0-9][0-9A-Za-z.]*)\s*(?P<symbol>/\s*[A-ZĐ][A-ZĐa-zđ0-9\-/.]*[A-ZĐa-zđ0-9])"
)


# A local body issues the plan a page republishes; a lead about the Government or a
# ministry cites another document.
_LOCAL_ISSUER = re.compile(r"(?i)ủy ban|uỷ ban|ubnd|\bsở\b|tỉnh|thành phố|huyện|thị xã")
_CENTRAL_ISSUER = re.compile(r"(?i)chính phủ|thủ tướng|\bbộ\b|quốc hội")
_LEAD_CHARS = 1500  # a page's lead comes first


def _news_lead(text: str) -> re.Match[str] | None:
    """Return the lead of a page that republishes a local plan, or ``None``.

    "Ngày 03/02/2026, UBND tỉnh ... ban hành Kế hoạch số 24/KH-UBND ..." in the
    page's first characters; not a lead about the Government or a ministry.
    """
    lead = _NEWS_LEAD.search(text[:_LEAD_CHARS])
    if lead is None:
        return None
    who = lead.group("who")
    if _CENTRAL_ISSUER.search(who) or not _LOCAL_ISSUER.search(who):
        return None
    return lead


@dataclass(frozen=True)
class DocNumber:
    """A parsed number line: the full number (or ``None`` if blank) and its symbol."""

    number: str | None
    symbol: str
    lead: bool = False  # read from a republishing page's lead, not a "Số:" line


def find_doc_number(text: str) -> DocNumber | None:
    """Return the document's own number from its ``Số:`` line.

    ``"Số: 3478/QĐ-UBND"`` -> ``3478/QĐ-UBND``; ``"Số: 64 /KH-UBND"`` ->
    ``64/KH-UBND``; ``"Số: /QĐ-UBND"`` (left blank for the signature) -> number
    ``None``, symbol ``QĐ-UBND``. Without a ``Số:`` line, the number of the
    decision an attached plan was issued with ("Ban hành kèm theo Quyết định
    số ...") is used, then the number a republishing web page's lead gives
    ("Ngày 03/02/2026, UBND tỉnh ... ban hành Kế hoạch số 24/KH-UBND"). ``None``
    if none is present.
    """
    head = text[:_HEADER_CHARS]
    match = (
        _first_at_line_start(_NUMBER_LINE, _NUMBER_AFTER_BREAK, head)
        or _ANNEX_NUMBER.search(text[:_HEADINGS_CHARS])
        or _news_lead(text)
    )
    if not match:
        return None
    symbol = re.sub(r"\s+", "", match.group("symbol")).strip("/.")
    num = match.group("num")
    return DocNumber(
        number=f"{num}/{symbol}" if num else None,
        symbol=symbol,
        lead=match.re is _NEWS_LEAD,
    )


def type_from_symbol(symbol: str) -> str | None:
    """Return the document type in a number's symbol: ``"QĐ-UBND"`` -> ``"QĐ"``.

    A year segment (``"12/2021/QĐ-UBND"``) is skipped.
    """
    for part in symbol.split("/"):
        head = re.match(r"[^\W\d_]+", part)
        if head and len(head.group(0)) <= 5:
            return head.group(0)
    return None


@dataclass(frozen=True)
class SymbolIssuer:
    """The body a number's symbol names (``"KH-UBND"`` -> UBND) and whether it is central."""

    name: str
    central: bool


def issuer_from_symbol(symbol: str) -> SymbolIssuer | None:
    """Return the body named at the end of a symbol.

    ``"KH-UBND"`` -> ``UBND`` (local); ``"QĐ-TTg"`` -> ``Thủ tướng Chính phủ`` (central).
    """
    tail = re.split(r"[-/]", symbol)[-1]
    if tail in _LOCAL_ISSUERS:
        return SymbolIssuer(_LOCAL_ISSUERS[tail], central=False)
    if tail in _CENTRAL_ISSUERS:
        return SymbolIssuer(_CENTRAL_ISSUERS[tail], central=True)
    return None


# A type word alone on its line, or followed on the same line by the title
# ("KẾ HOẠCH Cải cách hành chính năm 2023"); never "QUYẾT ĐỊNH:" (the operative part).
_HEADING_LINE = re.compile(
    r"(?m)^[ \t*_|#]*(?P<word>"
    + "|".join(map(re.escape, DOC_TYPES))
    + r")(?:[ \t*_]+(?P<rest>[^\s:*_][^\n]{0,250}?))?[ \t*_]*$"
)
# The same after a line break: a literal first character, which the engine scans for
# quickly (``^`` in multi-line mode is tried at every position). Headings are one line.
_HEADING_AFTER_BREAK = led_by_break(_HEADING_LINE)
_TITLE_STOP = re.compile(
    r"^(?:\(|\*\(|Căn\s+cứ|CĂN\s+CỨ|Thực\s+hiện|Theo\s+đề\s+nghị|Xét\s+đề\s+nghị|"
    r"[IVX]+\.\s|CHỦ\s+TỊCH|BỘ\s+TRƯỞNG|THỦ\s+TƯỚNG|ỦY\s+BAN|UỶ\s+BAN|HỘI\s+ĐỒNG|Điều\s+\d)"
)


def find_headings(text: str) -> list[Heading]:
    """Return every document-type heading line with the title lines after it.

    The title runs from the first non-blank line after the heading to the next
    blank line, a "(Ban hành kèm theo ...)" note, a "Căn cứ" preamble, a
    signatory line in capitals or a numbered section.
    """
    out: list[Heading] = []
    top = _HEADING_LINE.match(text)
    matches = [top] if top else []
    matches += _HEADING_AFTER_BREAK.finditer(text, top.end() if top else 0)
    for match in matches:
        # ``start``: where the heading's line starts (after the line break matched).
        start = match.start() if match is top else match.start() + 1
        lines = text[match.end() : match.end() + 4000].split("\n", 12)[1:12]
        title_lines: list[str] = [match.group("rest")] if match.group("rest") else []
        attached = False
        for line in lines:
            clean = line.strip().strip("*_|").strip()
            if not clean:
                if title_lines:
                    break
                continue
            if _TITLE_STOP.match(clean) or len(clean) > 300:
                attached = bool(re.match(r"\*?\(\s*Ban\s+hành\s+kèm", clean))
                break
            title_lines.append(clean)
        if not attached:
            after = text[match.end() : match.end() + 600]
            attached = bool(re.search(r"\(\s*Ban\s+hành\s+kèm\s+theo", after))
        word = match.group("word")
        out.append(
            Heading(
                doc_type=DOC_TYPES[word],
                word=word,
                title=" ".join(" ".join(title_lines).split()),
                attached=attached,
                offset=start,
            )
        )
    return out


def main_heading(headings: list[Heading]) -> Heading | None:
    """Return the heading whose title is the plan's title.

    A decision that issues a plan (*ban hành kèm theo*) carries the plan after
    it; the plan's heading is the one wanted. Otherwise the first heading.
    """
    if not headings:
        return None
    for heading in headings[1:]:
        if heading.attached and heading.title:
            return heading
    return headings[0]


def _sentence_case(text: str) -> str:
    """Lower-case an all-capitals title, restoring province names' capitals."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or any(ch.islower() for ch in letters):
        return text
    names = _lower_names()
    return names.pattern.sub(lambda m: names.by_lower[m.group(0)], text.lower())


@dataclass(frozen=True)
class _LowerNames:
    pattern: re.Pattern[str]
    by_lower: dict[str, str]


@lru_cache(maxsize=1)
def _lower_names() -> _LowerNames:
    """Province names in lower case, and a regex finding them (longest first)."""
    by_lower = {_bare(name).lower(): _bare(name) for name in province_names()}
    ordered = sorted(by_lower, key=len, reverse=True)
    return _LowerNames(re.compile(r"\b(?:" + "|".join(map(re.escape, ordered)) + r")\b"), by_lower)


def compose_title(heading: Heading) -> str | None:
    """Return the title as one phrase: ``KẾ HOẠCH`` + ``Cải cách ...`` -> ``Kế hoạch cải cách ...``.

    "Về việc ban hành X" under a decision gives X itself.
    """
    title = _sentence_case(heading.title).strip(" .;:")
    word = heading.word.capitalize()
    if not title:
        return None
    issued = re.match(r"^(?:v[eề]\s+vi[eệ]c\s+)?ban\s+hành\s+(?P<rest>.+)$", title, re.I)
    if issued and heading.doc_type == "QĐ":
        rest = issued.group("rest")
        return rest[0].upper() + rest[1:]
    if fold(title).casefold().startswith(fold(word).casefold() + " "):
        return title[0].upper() + title[1:]
    return f"{word} {title[0].lower()}{title[1:]}"


_DATE = re.compile(
    r"ngày\s*(?P<day>\d{1,2})?\s*tháng\s*(?P<month>\d{1,2})?\s*năm\s*(?P<year>\d{4})"
)
_NUMERIC_DATE = re.compile(
    r"ngày\s*(?P<day>\d{1,2})\s*[/.\-]\s*(?P<month>\d{1,2})\s*[/.\-]\s*(?P<year>\d{4})"
)
_PLACE_DATE = re.compile(
    r"(?m)^[ \t*_|]*(?P<place>[^\W\d_][^\n,;:]{1,40}?)\s*,\s*ngày\b"
)
_PLACE_DATE_AFTER_BREAK = led_by_break(_PLACE_DATE)


@dataclass(frozen=True)
class PlaceDate:
    """The "Đắk Lắk, ngày 10 tháng 12 năm 2021" line: place and ISO date text."""

    place: str | None
    issued: str | None


def iso_date(year: int, month: int | None, day: int | None) -> str:
    """Return ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, as far as the parts are valid."""
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    if day is not None:
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            pass
    return f"{year:04d}-{month:02d}"


def _date_text(match: re.Match[str]) -> str:
    day, month = match.group("day"), match.group("month")
    return iso_date(
        int(match.group("year")),
        int(month) if month else None,
        int(day) if day else None,
    )


def find_place_date(text: str) -> PlaceDate:
    """Return the place and date of issue from the document's header.

    The date may be split over lines, partly blank ("ngày tháng 5 năm
    2020" -> ``"2020-05"``) or numeric ("ngày 10/12/2021"). Without a place
    line, the first full date before the first heading is used (dates in the
    "Căn cứ" preamble are never used).
    """
    head = text[:_HEADER_CHARS]
    for match in line_matches(_PLACE_DATE, _PLACE_DATE_AFTER_BREAK, head):
        at = match.end() - len("ngày")
        date_match = _DATE.match(head, at) or _NUMERIC_DATE.match(head, at)
        if date_match:
            return PlaceDate(place=match.group("place").strip(), issued=_date_text(date_match))
    first_heading = _first_at_line_start(_HEADING_LINE, _HEADING_AFTER_BREAK, head)
    before = head[: first_heading.start()] if first_heading else ""
    date_match = _DATE.search(before)
    return PlaceDate(place=None, issued=_date_text(date_match) if date_match else None)


_PERIOD = re.compile(
    r"(?:giai\s+đoạn\s+|kỳ\s+)?(?P<a>(?:19|20)\d\d)\s*[-–—]\s*(?P<b>(?:19|20)\d\d)"
)
# "năm" in any case. Written letter by letter (each class holds what ignoring case
# matches: nothing else lower-cases to n, ă or m): a pattern that opens with a class of
# two letters is scanned for quickly, one that ignores case is tried at every position.
_YEAR = re.compile(r"[Nn][Ăă][Mm]\s+(?P<y>(?:19|20)\d\d)\b")
# A year after these words is a reference or a horizon, not the plan's own year.
_NOT_OWN_YEAR = ("đến", "từ", "sau", "trước", "với", "tới", "đoạn")


# A report on one year that also sets the plan of the next ("kết quả ... năm 2025 và
# phương hướng, nhiệm vụ năm 2026").
_REPORT_THEN_PLAN = re.compile(
    r"kết quả\b.*?\bnăm\s+(?P<done>(?:19|20)\d\d)\b.*?"
    r"\b(?:phương hướng|nhiệm vụ|kế hoạch|mục tiêu)\b[^\d]{0,40}?\bnăm\s+(?P<next>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    """The years a plan covers."""

    start: int
    end: int


def _word_before(text: str, end: int) -> str:
    """Return the word just before offset ``end``, case-folded ("" at the start)."""
    words = text[max(0, end - 24) : end].split()
    return words[-1].casefold() if words else ""


def period_from_title(title: str) -> Period | None:
    """Return the period a title names, the first one if it names several.

    ``"... giai đoạn 2021-2025, định hướng đến năm 2030"`` -> 2021-2025;
    ``"... năm 2023"`` -> 2023-2023; ``"Kế hoạch ... năm 2023 thực hiện Chương
    trình giai đoạn 2021-2025"`` -> 2023-2023. A horizon ("đến năm 2030") is
    not the period. A report that also plans the next year ("Báo cáo kết quả ... năm
    2025 và phương hướng, nhiệm vụ năm 2026") covers the year it plans: 2026-2026.
    """
    ahead = _REPORT_THEN_PLAN.search(title)
    if ahead is not None and int(ahead.group("next")) > int(ahead.group("done")):
        # "Báo cáo kết quả ... năm 2025 và phương hướng, nhiệm vụ năm 2026": the years
        # its plan covers are the coming ones; the year reported on is past.
        year = int(ahead.group("next"))
        return Period(year, year)
    found: list[tuple[int, Period]] = []
    for match in _PERIOD.finditer(title):
        a, b = int(match.group("a")), int(match.group("b"))
        if a <= b:
            found.append((match.start(), Period(a, b)))
            break
    for match in _YEAR.finditer(title):
        if _word_before(title, match.start()) not in _NOT_OWN_YEAR:
            year = int(match.group("y"))
            found.append((match.start(), Period(year, year)))
            break
    return min(found, key=lambda f: f[0])[1] if found else None


def _years(text: str) -> Iterator[re.Match[str]]:
    """Yield the matches of :data:`_YEAR` in ``text``, as ``finditer`` does.

    A scan for a class of letters costs the regex engine far more than ``str.find``
    costs a scan for a word. A text without "Ă" and "ăM" writes every "năm" of a match
    with "ăm" (after N or n): the matches are then tried only where "ăm" stands.
    """
    if "Ă" in text or "ăM" in text:
        yield from _YEAR.finditer(text)
        return
    match_at, find = _YEAR.match, text.find
    at = find("ăm", 1)
    while at >= 0:
        match = match_at(text, at - 1)
        if match is None:
            at = find("ăm", at + 1)
            continue
        yield match
        at = find("ăm", match.end() + 1)


def own_year_from_body(text: str) -> int | None:
    """Return the year a title-less plan is about: its most frequent stand-alone "năm YYYY".

    Years after "đến", "từ", "so với" ... and inside "ngày ... tháng ... năm"
    dates are ignored; ties go to the later year.
    """
    dates = {m.start("year") for m in _DATE.finditer(text)}
    counts: Counter[int] = Counter()
    for match in _years(text):
        if match.start("y") in dates:
            continue
        prefix = _word_before(text, match.start())
        if prefix in _NOT_OWN_YEAR or prefix.isdigit():
            continue
        counts[int(match.group("y"))] += 1
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


# A type word where a word starts. The word boundary is tested just after the first
# letter ("(?<!\w.)", the same as a "\b" before it): a pattern that opens with the
# words' first letters lets the engine scan for them quickly, where a leading "\b"
# would be tried at every position of the body.
_SELF_REFERENCE = re.compile(
    r"(?P<word>"
    + "|".join(
        re.escape(w[0]) + r"(?<!\w.)" + re.escape(w[1:])
        for w in (w.capitalize() for w in DOC_TYPES)
    )
    + r")(?:\s+(?:này|đến|của\s+(?:Sở|đơn\s+vị|cơ\s+quan))\b|\s*[.;,)]|[ \t]*$)",
    re.MULTILINE,
)


def type_from_body(text: str) -> str | None:
    """Return the type a header-less text gives itself.

    Only self-references count: "Kế hoạch này", "thực hiện Kế hoạch đến các
    phòng", a type word followed by punctuation; never "Kế hoạch số ...",
    "Đề án Hỗ trợ ..." or "Sở Kế hoạch và Đầu tư", which name other documents.
    """
    counts = Counter(
        DOC_TYPES[m.group("word").upper()] for m in _SELF_REFERENCE.finditer(text)
    )
    if not counts:
        return None
    return max(counts, key=lambda s: (counts[s], s))


def _header_block(text: str) -> str:
    """Return the lines before the first heading or number line (the issuer block)."""
    head = text[:_HEADER_CHARS]
    stops = [
        m.start()
        for m in (
            _first_at_line_start(_HEADING_LINE, _HEADING_AFTER_BREAK, head),
            _first_at_line_start(_NUMBER_LINE, _NUMBER_AFTER_BREAK, head),
        )
        if m
    ]
    end = min(stops) if stops else 0
    block = head[:end]
    motto = re.search(r"CỘNG\s+HÒA|CỘNG\s+HOÀ", block)
    return block[: motto.start()] if motto else block


@dataclass(frozen=True)
class Issuer:
    """The issuing body named in the header block, and its province if local."""

    name: str | None
    province: str | None
    national: bool


def issuer_from_header(text: str) -> Issuer:
    """Return the issuing body from the header block ("ỦY BAN NHÂN DÂN / TỈNH ĐẮK LẮK")."""
    block = " ".join(_header_block(text).replace("|", " ").replace("*", " ").split())
    if not block:
        return Issuer(None, None, False)
    upper = block.upper()
    for central in _CENTRAL_HEADERS:
        if upper.startswith(central):
            return Issuer(central.capitalize().replace("chính phủ", "Chính phủ"), None, True)
    mentions = province_mentions(block)
    province = mentions[0].province if mentions else None
    if re.match(r"^BỘ\s", upper) and not province:
        return Issuer(_proper_case(block.split("-")[0].strip()), None, True)
    if province is None:
        return Issuer(None, None, False)
    # "UBND TỈNH X / SỞ TƯ PHÁP": the body under the province's name issued it.
    below = block[mentions[0].end :].strip(" -–_.:|")
    if re.match(r"^[^\W\d_]", below) and not re.match(r"^(?:Số|CỘNG)\b", below, re.I):
        body = _proper_case(below)
    elif re.match(r"^(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN|^UBND", upper):
        body = "UBND"
    elif re.match(r"^HỘI\s+ĐỒNG\s+NHÂN\s+DÂN|^HĐND", upper):
        body = "HĐND"
    else:
        body = _proper_case(block[: mentions[0].start].strip())
    return Issuer(_local_issuer(body, province), province, False)


def _proper_case(name: str) -> str:
    """Write an organisation's name in capitals as a name: ``"SỞ TƯ PHÁP"`` -> ``"Sở Tư pháp"``.

    Vietnamese capitalises the kind of body and the first word of its name.
    Text already in mixed case is kept.
    """
    name = " ".join(name.split())
    if name.upper() != name:
        return name
    words = name.lower().split()
    return " ".join(w.capitalize() if i < 2 else w for i, w in enumerate(words))


def _local_issuer(body: str, province: str) -> str:
    """``("UBND", "Đắk Lắk")`` -> ``"UBND tỉnh Đắk Lắk"`` (``thành phố`` for the 5 cities)."""
    unit = "thành phố" if province in _CITIES else "tỉnh"
    return f"{body} {unit} {_bare(province)}"


# --------------------------------------------------------------------------- assembly


_IN_AREA = re.compile(r"trên\s+địa\s+bàn\s+\S+(?:\s+\S+){1,4}")


def _province_from_text(
    text: str, header: Issuer, title: str | None, place: str | None
) -> str | None:
    """Return the province: issuer header, title, place line, "trên địa bàn", most named."""
    if header.province:
        return header.province
    if header.national:
        return NATIONAL
    if title:
        in_title = _province_mentions(title)
        if in_title:
            return in_title[0]
    if place:
        canon = canonical_province(place)
        if canon and canon != NATIONAL:
            return canon
    in_area = _province_mentions(" ".join(_IN_AREA.findall(text)))
    counts = Counter(in_area) if in_area else Counter(_province_mentions(text))
    if counts:
        return max(counts, key=lambda p: (counts[p], -text.find(_bare(p))))
    return None


def metadata_from_text(text: str) -> DocumentMeta:
    """Return the metadata the text itself gives (no override).

    Parameters
    ----------
    text
        The plan's text (NFC is applied here too).
    """
    text = nfc(text)
    body = text[:_BODY_CHARS]
    number = find_doc_number(text)
    headings = find_headings(text[:_HEADINGS_CHARS])
    heading = main_heading(headings)
    title = compose_title(heading) if heading else None
    place_date = find_place_date(text)
    header = issuer_from_header(text)

    doc_type = type_from_symbol(number.symbol) if number else None
    if doc_type is None and headings:
        doc_type = headings[0].doc_type
    if doc_type is None:
        doc_type = type_from_body(body)

    province = _province_from_text(body, header, title, place_date.place)
    issuer = header.name
    signer = issuer_from_symbol(number.symbol) if issuer is None and number else None
    if signer is not None and signer.central:
        issuer = signer.name
        province = province if header.province else NATIONAL
    elif signer is not None and province and province != NATIONAL:
        issuer = _local_issuer(signer.name, province)

    period = period_from_title(title) if title else None
    if period is None and heading is None:
        year = own_year_from_body(body)
        period = Period(year, year) if year else None
    issued = place_date.issued
    if issued is None and number is not None and number.lead:
        # The date of the page's lead that gave the number.
        lead = _news_lead(text)
        if lead is not None:
            issued = _date_text(lead)
    if issued is None and period is not None and period.start == period.end:
        issued = f"{period.start:04d}"

    return DocumentMeta(
        doc_number=number.number if number else None,
        doc_type=doc_type,
        issuer=issuer,
        province=province,
        issued=issued,
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        title=title,
    )


def _override_value(name: str, raw: str, *, path: str | None) -> object:
    """Convert one override cell to the field's type, raising :class:`InputError` if invalid."""
    value = " ".join(nfc(raw).split())
    if name in ("period_start", "period_end"):
        if not re.fullmatch(r"(?:19|20)\d\d", value):
            raise InputError(f"{name} must be a four-digit year", path=path, value=raw)
        return int(value)
    if name == "province":
        canon = canonical_province(value)
        if canon is None:
            raise UnknownProvinceError(
                "province must be a pre-2025 province name or 'national'", path=path, value=raw
            )
        return canon
    if name == "issued" and not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value):
        raise InputError("issued must be YYYY, YYYY-MM or YYYY-MM-DD", path=path, value=raw)
    return value


def apply_override(
    meta: DocumentMeta, override: Mapping[str, str] | None, *, path: str | None = None
) -> DocumentMeta:
    """Fill the fields the text left empty from ``override``.

    A non-empty override that differs from what the text says is reported with
    :class:`MetadataConflictWarning`; the text wins. Keys that are not metadata
    fields (``file``, ``sha256``, ``source``, ...) are ignored.
    """
    if not override:
        return meta
    changes: dict[str, object] = {}
    used: list[str] = []
    for name in META_FIELDS:
        raw = override.get(name)
        if raw is None or not str(raw).strip():
            continue
        value = _override_value(name, str(raw), path=path)
        current = getattr(meta, name)
        if current is None:
            changes[name] = value
            used.append(name)
        elif current != value:
            where = f"{path}: " if path else ""
            warnings.warn(
                f"{where}manifest gives {name}={value!r} but the text says {current!r}; "
                "keeping the text",
                MetadataConflictWarning,
                stacklevel=3,
            )
    return replace(meta, **changes, from_override=tuple(used)) if used else meta


def extract_metadata(
    text: str, *, override: Mapping[str, str] | None = None, path: str | None = None
) -> DocumentMeta:
    r"""Return a plan's metadata: what its text says, completed by ``override``.

    Parameters
    ----------
    text
        The plan's text.
    override
        Manifest values (columns named as :data:`META_FIELDS`) used only where
        the text gives nothing; empty strings are ignored.
    path
        File name used in warnings and errors.

    Returns
    -------
    DocumentMeta
        With ``from_override`` listing the fields the override supplied.

    Examples
    --------
    >>> meta = extract_metadata("Số: 64 /KH-UBND\nKiên Giang, ngày 03 tháng 6 năm 2016\n")
    >>> meta.doc_number, meta.issued, meta.province
    ('64/KH-UBND', '2016-06-03', 'Kiên Giang')
    """
    return apply_override(metadata_from_text(text), override, path=path)


def meta_fields() -> tuple[str, ...]:
    """Return the names of :class:`DocumentMeta`'s metadata fields (without ``from_override``)."""
    return tuple(f.name for f in fields(DocumentMeta) if f.name != "from_override")
