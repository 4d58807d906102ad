r"""Clean a plan's text for parsing, not for storage (*làm sạch để phân tích*).

The stored text stays exactly as published (NFC). Parsing needs a calmer view
of it: hard-wrapped lines joined back into paragraphs, table pipes and markdown
emphasis gone, web-page footers dropped. :func:`parse_view` builds that view
together with an offset map, so that every character of the view maps back to
the exact character offset in the NFC text it came from.

The view keeps one logical line (a paragraph or a heading) per ``"\\n"``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

__all__ = [
    "ParseView",
    "parse_view",
    "page_furniture",
    "table_rows",
    "HEADING_MARKER",
    "DEADLINE_LINE",
]

# A line that opens a heading or a list item: "I.", "1.", "1.1.", "a)", "a.", "(1)",
# "-", "+", "•", "o", "Điều 2", "Phần II", and an appendix ("PHỤ LỤC", "Phụ lục 1").
HEADING_MARKER = re.compile(
    r"(?:[IVXL]{1,6}\.|\d{1,2}(?:\.\d{1,2}){0,3}\.|\d{1,2}(?:\.\d{1,2}){1,3}"
    r"|\d{1,2}\)|\(\d{1,2}\)|[a-zđ][).]|[-+•–*o])(?=\s)"
    r"|(?:Điều|Chương|Phần|Mục)\s+(?:\d{1,3}|[IVXL]{1,6})\b"
    r"|PHỤ LỤC(?:\s+(?:\d{1,3}|[IVXL]{1,6}|[A-Z]))?(?=\s|$)|Phụ lục\s+(?:\d{1,3}|[IVXL]{1,6})\b"
)
# Lines of a web page around the document, not part of it.
_FOOTER = re.compile(
    r"(?:Xem (?:nội dung )?(?:đầy đủ|chi tiết|toàn văn)|Tác giả\s*:|Ý kiến bạn đọc"
    r"|Những tin (?:mới|cũ) hơn|Tin (?:liên quan|khác|cùng chuyên mục)|Bài viết liên quan"
    r"|Các tin khác|Chia sẻ(?: bài viết)?\s*:?$"
    r"|Bình luận\s*$|Lượt xem\s*:|Tải về\s*$|In trang\s*$)",
    re.IGNORECASE,
)
_FOOTER_INITIALS = frozenset("XxTtÝýNnCcBbLlIi*_#")
# The characters of a table rule or an empty table row ("|---|---|").
_RULE_CHARS = "|-–_=*+ "
# A web page's list of other articles ("Tin liên quan"): every line after it is a
# link to another page, whose figures are not this document's.
_RELATED = re.compile(
    r"(?:Tin (?:liên quan|khác|cùng chuyên mục)|Những tin (?:mới|cũ) hơn|Bài viết liên quan"
    r"|Các tin khác)\s*:?\s*$",
    re.IGNORECASE,
)
# A bare deadline sub-heading ("Đến năm 2028:") heads the items below it: it is
# never the continuation of the line before. So does a lead-in that opens with its
# deadline and ends with a colon ("Đến hết năm 2030, phấn đấu đạt được những mục tiêu
# sau:").
DEADLINE_LINE = re.compile(
    r"(?:(?:Đến|Tới|Trong|Từ nay đến)(?: hết)? năm|Năm|Giai đoạn) (?:19|20)\d{2}"
    r"(?:\s*[-–]\s*(?:19|20)\d{2})?(?:,[^:\n\d%]{0,80})?\s*:$"
)
_DEADLINE_OPENER = re.compile(
    r"(?:(?:Đến|Tới|Trong|Từ nay đến)(?: hết)? năm|Năm|Giai đoạn) (?:19|20)\d{2}\b"
)
_EMPHASIS = re.compile(r"[*|]+|_{2,}")
# "2021\n- 2025", "05\n- 06%/năm": a period or a range broken before its dash.
_YEAR_DASH = re.compile(r"[-–]\s*(?:\d{4}\b|\d{1,3}(?:[.,]\d+)?\s*%)")
_CONTENT = re.compile(r"[,;\d%]")



@dataclass(frozen=True)
class ParseView:
    """A cleaned view of a text with a map back to the NFC source offsets.

    The map is stored as segments: view characters from ``view_starts[k]`` up to
    the next segment start map one to one onto source characters from
    ``source_starts[k]``. A character the cleaner inserted (a space joining two
    wrapped lines, a line break) is a one-character segment mapped onto the
    source character it replaces.

    Attributes
    ----------
    text
        The cleaned text: one logical line (paragraph or heading) per line.
    view_starts, source_starts
        Segment starts in the view and in the source, increasing.
    source_length
        Length of the source text.
    """

    text: str
    view_starts: tuple[int, ...]
    source_starts: tuple[int, ...]
    source_length: int

    def to_source(self, i: int) -> int:
        """Return the source offset of view position ``i`` (``len(text)`` maps to the end)."""
        if i >= len(self.text):
            return self.source_length
        k = bisect_right(self.view_starts, i) - 1
        if k < 0:
            return 0
        return self.source_starts[k] + (i - self.view_starts[k])

    def to_view(self, j: int) -> int:
        """Return the view position of source offset ``j``.

        Where the cleaner dropped the character at ``j``, a neighbouring kept one's.
        """
        k = bisect_right(self.source_starts, j) - 1
        if k < 0:
            return 0
        end = self.view_starts[k + 1] if k + 1 < len(self.view_starts) else len(self.text)
        return max(0, min(self.view_starts[k] + (j - self.source_starts[k]), end - 1))

    def span_to_source(self, a: int, b: int) -> tuple[int, int]:
        """Return the source span ``[start, end)`` covering view span ``[a, b)``."""
        start = self.to_source(a)
        if b <= a:
            return start, start
        return start, self.to_source(b - 1) + 1


def _clean_line(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """Return the kept pieces of one source line as ``(piece, source_offset)``."""
    pieces: list[tuple[str, int]] = []
    pos = start
    for m in _EMPHASIS.finditer(text, start, end):
        if m.start() > pos:
            pieces.append((text[pos : m.start()], pos))
        if "|" in m.group(0):
            pieces.append((" ", m.start()))
        pos = m.end()
    if pos < end:
        pieces.append((text[pos:end], pos))
    # Trim whitespace at both ends, collapsing inner runs is not needed for parsing.
    while pieces and not pieces[0][0].strip():
        pieces.pop(0)
    while pieces and not pieces[-1][0].strip():
        pieces.pop()
    if not pieces:
        return pieces
    first, off = pieces[0]
    stripped = first.lstrip()
    pieces[0] = (stripped, off + len(first) - len(stripped))
    last, off = pieces[-1]
    pieces[-1] = (last.rstrip(), off)
    return [p for p in pieces if p[0]]


def _find_from(text: str, sub: str, start: int) -> int:
    """Return the offset of ``sub`` in ``text`` from ``start`` on (``len(text)`` if absent)."""
    found = text.find(sub, start)
    return found if found >= 0 else len(text)


def _is_upper_line(line: str) -> bool:
    """All letters upper case (and some letters): a title line such as "I. MỤC TIÊU"."""
    return line.upper() == line and line.lower() != line


def _marker(line: str) -> re.Match[str] | None:
    """Match a heading marker at the start of ``line`` (cheap tests first: most lines have none)."""
    head = line[0]
    if head in "-+•–*o":
        return HEADING_MARKER.match(line) if line[1:2].isspace() else None
    if head == "(":
        return HEADING_MARKER.match(line)  # "(1) ..."
    if head in "ĐCPM":
        # Only "Điều", "Chương", "Phần" or "Mục" can follow ("Các ...", "Đến ..." cannot).
        return HEADING_MARKER.match(line) if line.startswith(_ARTICLE_WORDS) else None
    if head in "IVXL":
        # A Roman numeral ends with a dot within six letters ("Văn ...", "Xây ..." do not).
        return HEADING_MARKER.match(line) if line.find(".", 1, 7) >= 0 else None
    if head.isdigit() or line[1:2] in ").":
        return HEADING_MARKER.match(line)
    return None


def _opens_with_marker(line: str) -> bool:
    """Whether :func:`_marker` matches ``line`` (a bullet is told without the regex)."""
    head = line[0]
    if head in "-+•–*o":
        return line[1:2].isspace()  # what the marker's "(?=\s)" asks of a bullet
    return _marker(line) is not None


def _joins_rest(head: str, length: int, last: str, nxt: str, gap_blank: bool) -> bool | None:
    """Decide whether ``nxt`` continues a logical line (a hard wrap), or ``None``: its case decides.

    The tests of the join decision after the two that :func:`parse_view` makes itself
    (a bare marker alone on its line has its title after it; a wrapped sentence going
    on in lower case continues unless the line ended a sentence). The logical line is
    given by its first physical line ``head`` (up to 80 characters), ``length`` and
    ``last`` character. ``None``: the line continues a logical line of title lines
    (all letters upper case) if it is one too, and any other logical line unless that
    is a short title (:func:`_is_short_title`).
    """
    lead = nxt[0]
    if _opens_with_marker(nxt):
        # "2021\n- 2025": a period broken before its dash, not a list item.
        return last.isdigit() and bool(_YEAR_DASH.match(nxt))
    if last in ".:;!?":
        return False
    if lead in "ĐTNG" and _DEADLINE_OPENER.match(nxt):
        # A capitalised "Đến năm 2025, ..." opens a sentence (or heads the items below
        # it): it does not continue a title line such as "d) Xây dựng đội ngũ ...".
        return False
    if lead.islower() or lead.isdigit() or lead in ",.;:)%":
        # "d) Cải cách chế độ công vụ", a blank line, then "100% cơ quan ...": a title
        # line and the paragraph under it, not one wrapped sentence.
        return not (gap_blank and lead.isdigit() and _is_short_title(head, length))
    if gap_blank:
        return False
    # "11. Sở Khoa học và Công nghệ" then "Chủ trì, ...": a short title line.
    return None


_MAX_BARE_MARKER = 6


def _is_bare_marker(line: str) -> bool:
    """Whether ``line`` is a numbered heading marker and nothing else ("1.", "II.", "a)")."""
    if line[:1] in "-+•–*o":
        return False  # a bullet alone is a list rule or a stray character, not a title's marker
    marker = _marker(line + " ")
    return marker is not None and marker.end() == len(line)


def _is_short_title(head: str, length: int) -> bool:
    """Tell whether a logical line is short and opened by a heading marker, with no comma or number.

    ``head`` is its first physical line (up to 80 characters), ``length`` its length.
    A line with a comma or a number is running text, wrapped early by its indent.
    """
    marker = _marker(head)
    return bool(marker) and length < 60 and not _CONTENT.search(head, marker.end())


_ARTICLE_WORDS = ("Điều", "Chương", "Phần", "Mục", "PHỤ LỤC", "Phụ lục")


# A page number line of a PDF's text: "Trang 3/12", "Trang 3", "Page 3 of 12".
_PAGE_NUMBER = re.compile(r"(?:Trang|TRANG|Page)\s+\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?")

# The same at a line's start, led by the line break (which the engine scans for quickly).
_PAGE_HINT = re.compile(r"\n[ \t]*(?:Trang|TRANG|Page)\s+\d")


def page_furniture(lines: list[str]) -> frozenset[int]:
    """Return the indices of the lines that are a paged text's furniture, not its content.

    Page number lines ("Trang 3/12"), and the copies of a running header or footer
    next to them: a line that is the nearest non-blank neighbour (before or after)
    of at least half the page numbers, and of two or more. Only the copies next to
    page numbers go; the same words elsewhere stay. Empty without page numbers.
    """
    pages = [
        i
        for i, line in enumerate(lines)
        if ("Trang" in line or "TRANG" in line or "Page" in line)
        and _PAGE_NUMBER.fullmatch(line.strip())
    ]
    if len(pages) < 2:
        return frozenset()
    is_page = set(pages)
    beside: dict[str, list[int]] = {}
    for i in pages:
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and not lines[j].strip():
                j += step
            if 0 <= j < len(lines) and j not in is_page and len(lines[j].strip()) <= 100:
                beside.setdefault(lines[j].strip(), []).append(j)
    found = set(pages)
    for where in beside.values():
        if len(where) >= max(2, (len(pages) + 1) // 2):
            found.update(where)
    return frozenset(found)


def table_rows(lines: list[str]) -> frozenset[int]:
    """Return the indices of the lines that are rows of a tab-separated table.

    A row has two tabs or more between cells, its first cell is not a list marker
    (an item "- Tỷ lệ ..." written with tabs is not a row), and a neighbouring line is
    such a row too.
    """
    tabbed = [
        line.count("\t") >= 2 and line.strip().split("\t", 1)[0].strip() not in _LIST_MARKS
        if "\t" in line
        else False
        for line in lines
    ]
    return frozenset(
        i
        for i, t in enumerate(tabbed)
        if t and ((i > 0 and tabbed[i - 1]) or (i + 1 < len(tabbed) and tabbed[i + 1]))
    )


_LIST_MARKS = frozenset({"-", "+", "•", "*", "–", "o", "·"})


def parse_view(text: str) -> ParseView:
    """Build the parse view of an NFC text.

    Parameters
    ----------
    text
        The document text, NFC-normalised.

    Returns
    -------
    ParseView
        Joined logical lines without table pipes, emphasis or page footers, with
        the offset map back to ``text``.
    """
    parts: list[str] = []
    view_starts: list[int] = []
    source_starts: list[int] = []
    # Bound methods and constants, looked up once: the loop runs once per source line.
    add_part, add_view_start, add_source_start = (
        parts.append,
        view_starts.append,
        source_starts.append,
    )
    footer_match, related_match = _FOOTER.match, _RELATED.match
    late = len(text) // 4
    length = 0
    # The logical line being built, as the join decision needs it (see ``_joins``): its
    # first physical line (up to 80 characters), length, last character, whether its
    # first line is a bare marker, and its physical lines whose case is not yet known.
    head = last = ""
    logical_length = 0
    bare = False
    upper: bool | None = None
    unchecked: list[str] = []
    have_line = False
    gap_blank = False
    hard_break = False
    pos = 0
    source_end = -1  # the source offset just after the last view character
    table_row = False
    # Where the next "*", "|" and "__" are (-1: not looked for yet), and the nearest of
    # the three: only a line that holds one needs cleaning, and a search of the text
    # finds them faster than a test of every line. Each is looked for again once the
    # lines have passed it.
    next_star = next_pipe = next_underscores = next_mark = -1
    raws = text.split("\n")
    furniture = page_furniture(raws) if _PAGE_HINT.search(text) is not None else frozenset()
    tab_rows = table_rows(raws) if "\t" in text else frozenset()
    for index, raw in enumerate(raws):
        end = pos + len(raw)
        stripped = raw.strip()
        if not stripped or (furniture and index in furniture):
            # A page's number and running header, where a PDF's pages met, are a gap:
            # the sentence broken there goes on after them.
            gap_blank = True
            pos = end + 1
            continue
        first = stripped[0]
        if (first in _RULE_CHARS and not stripped.strip(_RULE_CHARS)) or (
            len(stripped) < 80
            and first in _FOOTER_INITIALS
            and footer_match(stripped.lstrip("*_# "))
        ):
            # Table pipes and rules on their own line, or a page footer: a break.
            if pos > late and related_match(stripped.strip("*_# ")):
                # Late in the page, a list of other articles ends the document.
                break
            hard_break = True
            pos = end + 1
            continue
        # A table row ("| ... |", or cells separated by tabs as a PDF's text gives
        # them) is a line of its own: it neither continues nor is continued.
        is_row = first == "|" or (tab_rows and index in tab_rows)
        if is_row or table_row:
            hard_break = True
        table_row = is_row
        if next_mark < pos:
            if next_star < pos:
                next_star = _find_from(text, "*", pos)
            if next_pipe < pos:
                next_pipe = _find_from(text, "|", pos)
            if next_underscores < pos:
                next_underscores = _find_from(text, "__", pos)
            next_mark = min(next_star, next_pipe, next_underscores)
        if next_mark < end:
            pieces = _clean_line(text, pos, end)
            if not pieces:
                gap_blank = hard_break = False
                pos = end + 1
                continue
            line = "".join([p for p, _ in pieces]) if len(pieces) != 1 else pieces[0][0]
        else:
            pieces = None  # a plain line: one piece, ``stripped``
            line = stripped
        if have_line:
            # Whether the line continues the logical line (a hard wrap): ``_joins``,
            # with its most common case (a wrapped sentence going on in lower case)
            # settled here.
            if hard_break:
                joined = False
            elif logical_length <= _MAX_BARE_MARKER and bare:
                joined = True
            elif last in ".:;!?":
                # After a sentence's end nothing continues (every test of ``_joins_rest``
                # and the lower-case one below say so).
                joined = False
            else:
                lead = line[0]
                if (
                    lead.islower()
                    and line[1:2] not in ")."
                    and (lead != "o" or line[1] not in " \t")
                ):
                    joined = True
                elif lead in "-+•–*o" and line[1:2].isspace():
                    # A bullet item (``_opens_with_marker``), unless it is "2021\n- 2025",
                    # a period broken before its dash.
                    joined = last.isdigit() and _YEAR_DASH.match(line) is not None
                else:
                    joined = _joins_rest(head, logical_length, last, line, gap_blank)
                    if joined is None:
                        # The case of the logical line decides.
                        if upper is None or (upper and unchecked):
                            upper = all(map(_is_upper_line, unchecked))
                            unchecked = []
                        joined = _is_upper_line(line) if upper else not _is_short_title(
                            head, logical_length
                        )
            # A segment that continues the previous one in the source (the separator
            # replacing the line's own "\n", a line with no indent) adds no segment
            # start: the map stays short.
            if source_end != pos - 1:
                add_view_start(length)
                add_source_start(pos - 1)
            length += 1
            source_end = pos
            if joined:
                add_part(" ")
                logical_length += 1 + len(line)
                if upper is not False:
                    unchecked.append(line)
            else:
                add_part("\n")
                head = line[:80]
                logical_length = len(line)
                bare = logical_length <= _MAX_BARE_MARKER and _is_bare_marker(line)
                upper = None
                unchecked = [line]
        else:
            head = line[:80]
            logical_length = len(line)
            bare = logical_length <= _MAX_BARE_MARKER and _is_bare_marker(line)
            upper = None
            unchecked = [line]
            have_line = True
        last = line[-1]
        if pieces is None:
            off = pos if stripped is raw else end - len(raw.lstrip())  # where it starts
            add_part(line)
            if off != source_end:
                add_view_start(length)
                add_source_start(off)
            length += len(line)
            source_end = off + len(line)
        else:
            for piece, off in pieces:
                add_part(piece)
                if off != source_end:
                    add_view_start(length)
                    add_source_start(off)
                length += len(piece)
                source_end = off + len(piece)
        gap_blank = False
        hard_break = False
        pos = end + 1
    return ParseView(
        text="".join(parts),
        view_starts=tuple(view_starts),
        source_starts=tuple(source_starts),
        source_length=len(text),
    )
