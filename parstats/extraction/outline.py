"""The heading tree of a plan (*đề mục*): sections, items and their context.

A plan is a nest of headings: ``I.``, ``1.``, ``1.1.``, ``a)``, ``-``, ``+``.
Each node carries the reform area (*lĩnh vực cải cách*) its heading names,
inherited down the tree (``overall`` at the root), and the deadline its heading
sets ("- Đến năm 2025:", "Định hướng ... đến năm 2030"), also inherited. A bare
deadline line with no marker ("Đến năm 2028:") heads the items below it until the
next such line or a heading of its parent's rank.
:func:`build_outline` reads the logical lines of a :class:`~parstats.extraction.view.ParseView`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache

from parstats import rules
from parstats.extraction.view import DEADLINE_LINE, HEADING_MARKER

__all__ = [
    "Node",
    "Outline",
    "build_outline",
    "area_of_title",
    "title_year",
    "AREA_TITLES",
    "AREA_WORDS",
]

# Reform areas named by headings (docs/TARGETS.md "Reform areas"), most specific first:
# the rows of ``parstats/lang/vi/section_roles.csv`` (where = area), in table order.
# Department headings of an implementation section ("5. Sở Tài chính") name the area
# that department leads.
_SECTIONS = rules.table("section_roles")
AREA_TITLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (area, re.compile("|".join(_SECTIONS.regexes("area", area))))
    for area in dict.fromkeys(r.value for r in _SECTIONS.select("area"))
)
# A literal "\n" first lets the regex engine skip quickly between lines.
_LINE_MARKER = re.compile(rf"\n(?P<m>{HEADING_MARKER.pattern})")
# A bare deadline line ("Đến năm 2028:") heads the items below it until the next one.
_DEADLINE_HEADING = re.compile(rf"(?m)^(?P<d>{DEADLINE_LINE.pattern.rstrip('$')})[ \t]*$")
# The same after a line break: a literal first character, which the engine scans for
# quickly (``^`` in multi-line mode is tried at every position).
_DEADLINE_AFTER_BREAK = re.compile(rf"(?m)\n(?P<d>{DEADLINE_LINE.pattern.rstrip('$')})[ \t]*$")
_NUMBER_TARGET = re.compile(r"\d+(?:[.,]\d+)?\s*%")
# The first ". ", ": ", "; ", ".\t" or ":\t" ends a heading's title.
# (Written to start with a character class, which the engine scans for quickly.)
_TITLE_END = re.compile(r"[.:;](?: |(?<!;)\t)")
_MAX_SECTION_TITLE = 110
_MAX_ITEM_LINE = 90
_HEAD_CHARS = 200

_DEADLINES = rules.table("deadline_cues")
_YEAR_CUES_SOURCE = (
    rf"(?:{_DEADLINES.alternation('heading')}\s+năm|^năm)\s+((?:19|20)\d{{2}})\b"
    rf"|{_DEADLINES.alternation('heading_period')}\s+(?:19|20)\d{{2}}\s*[-–]\s*((?:19|20)\d{{2}})\b"
)
_YEAR_CUES = rules.lead(_YEAR_CUES_SOURCE)
_may_have_year_cue = rules.any_in(rules.anchors_of([_YEAR_CUES_SOURCE]))


@dataclass(frozen=True)
class Node:
    """One heading of the tree.

    Attributes
    ----------
    marker
        The heading marker as written (``"II."``, ``"1.1."``, ``"a)"``, ``"-"``).
    kind
        Marker family: ``roman``, ``num1``.. ``num4``, ``paren``, ``alpha``,
        ``dash``, ``plus``, ``article``, ``annex`` ("PHỤ LỤC"), ``deadline`` (a bare
        "Đến năm 2028:" line,
        marker ``""``) or ``root``.
    title
        The heading's title: its text up to the first ``.``, ``:`` or ``;``.
    start, end
        Span of the heading's own logical line in the parse view.
    parent
        Index of the parent node (``-1`` for the root).
    depth
        Depth in the tree (root 0).
    area
        Reform area, named by this heading or inherited (``vocab.AREAS``).
    year
        Deadline year set by this heading or inherited, or ``None``.
    """

    marker: str
    kind: str
    title: str
    start: int
    end: int
    parent: int
    depth: int
    area: str
    year: int | None


@dataclass(frozen=True, eq=False)
class Outline:
    """The heading tree of one parse view.

    The tree's shape (markers, spans, parents) is found when it is built; a node's
    title, area and year are read only when asked for (most list items hold no
    target, and reading every title is most of the cost of the tree).

    Attributes
    ----------
    text
        The parse view's text the tree was built from.
    markers, starts, ends, parents, depths, heads
        Per node, in document order (index 0 is the root): the heading marker, the
        span of its logical line, its parent's index, its depth and where its text
        after the marker starts.
    """

    text: str
    markers: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    parents: tuple[int, ...]
    depths: tuple[int, ...]
    heads: tuple[int, ...]
    _cache: dict[int, Node] = field(default_factory=dict, repr=False, compare=False)
    _headings: dict[int, str] = field(default_factory=dict, repr=False, compare=False)

    def node_at(self, pos: int) -> int:
        """Return the index of the node whose section contains view position ``pos``."""
        return max(bisect_right(self.starts, pos) - 1, 0)

    def node(self, index: int) -> Node:
        """Return node ``index`` with its title, area and year resolved."""
        found = self._cache.get(index)
        if found is None:
            found = self._cache[index] = self._resolve(index)
        return found

    @property
    def nodes(self) -> tuple[Node, ...]:
        """All nodes in document order; ``nodes[0]`` is the root."""
        return tuple(self.node(i) for i in range(len(self.markers)))

    def _resolve(self, index: int) -> Node:
        if index == 0:
            return Node("", "root", "", 0, 0, -1, 0, "overall", None)
        parent = self.node(self.parents[index])
        marker = self.markers[index]
        kind = _kind(marker)
        after, end = self.heads[index], self.ends[index]
        # Only a heading's start can hold its title; long item lines are not copied whole.
        rest = self.text[after : min(end, after + _HEAD_CHARS)].strip()
        if kind in ("article", "annex"):
            # "Phần I. KẾT QUẢ ...", "Chương II: ...", "Mục 1 - ...": the title follows.
            rest = rest.lstrip(".:-–— ")
        title, at_number = _title_parts(rest) if rest else ("", False)
        is_section = kind in ("roman", "article", "annex") or kind.startswith("num")
        named = None
        if not title:
            pass  # "d) 100% các quyết định ... được kiểm tra" is content, not a title
        elif at_number and not is_section:
            # "+ Tỷ lệ hồ sơ TTHC được xử lý trực tuyến đạt 70%": an item that states a
            # target is content: its words do not name the section's reform area.
            pass
        elif (
            (is_section and len(title) <= _MAX_SECTION_TITLE)
            or len(rest) <= _MAX_ITEM_LINE
            or (rest[len(title) : len(title) + 1] == ":" and len(title) <= _MAX_ITEM_LINE)
        ):
            named = area_of_title(title)
        area = named or parent.area
        if kind in ("roman", "annex") and named is None:
            area = "overall"
        year = title_year(title) if len(title) <= _MAX_SECTION_TITLE else None
        return Node(
            marker=marker,
            kind=kind,
            title=title,
            start=self.starts[index],
            end=end,
            parent=self.parents[index],
            depth=self.depths[index],
            area=area,
            year=year if year is not None else parent.year,
        )

    def path(self, index: int) -> tuple[Node, ...]:
        """Return the nodes from the top heading down to ``index`` (root excluded)."""
        out: list[Node] = []
        while index > 0:
            out.append(self.node(index))
            index = self.parents[index]
        return tuple(reversed(out))

    def heading(self, index: int, width: int = 60) -> str:
        """Return the heading path as ``" > "``-joined short titles."""
        if width == 60:
            # The path of a node is its parent's and its own label: built once per
            # node, from the parent's (every sentence of a section asks for it).
            found = self._headings.get(index)
            if found is None:
                found = self._headings[index] = self._heading(index)
            return found
        parts = []
        for node in self.path(index):
            if not node.title:
                continue  # an item that is itself the target ("+ 90% ...") adds nothing
            label = f"{node.marker} {node.title}".strip()
            if len(label) > width:
                label = label[: width - 1].rstrip() + "…"
            parts.append(label)
        return " > ".join(parts)


    def _heading(self, index: int) -> str:
        """Return :meth:`heading` (``width`` 60) from the parent's."""
        if index <= 0:
            return ""
        above = self.heading(self.parents[index])
        node = self.node(index)
        if not node.title:
            return above  # an item that is itself the target ("+ 90% ...") adds nothing
        label = f"{node.marker} {node.title}".strip()
        if len(label) > 60:
            label = label[:59].rstrip() + "…"
        return f"{above} > {label}" if above else label


@cache
def _kind(marker: str) -> str:
    if not marker:
        return "deadline"
    if marker in ("-", "–", "•", "*", "o"):
        return "dash"
    if marker.startswith("(") and marker.endswith(")"):
        return "pparen"  # "(1)", under "1)"
    if marker == "+":
        return "plus"
    if marker[0].isalpha() and (
        marker.endswith(")") or (marker[0].islower() and marker[1:] == ".")
    ):
        return "alpha"  # "a)", "đ)", "a." (not the Roman "I.")
    if marker.endswith(")"):
        return "paren"
    if marker[:1].isdigit():
        return f"num{min(marker.rstrip('.').count('.') + 1, 4)}"
    if marker.split()[0] in ("Điều", "Chương", "Phần", "Mục"):
        return "article"
    if marker.split()[0] in ("PHỤ", "Phụ"):
        return "annex"
    return "roman"


def title_of(line: str) -> str:
    """Return a heading's title: its text up to the first ``.``, ``:``, ``;`` or percentage."""
    return _title_parts(line)[0]


def _title_parts(line: str) -> tuple[str, bool]:
    """Return :func:`title_of` and whether a percentage, not punctuation, ended it."""
    end = _TITLE_END.search(line)
    cut = end.start() if end else len(line)
    if end is None and line[-1:] in ".:;":
        cut -= 1
    title = line[:cut]
    if "%" in title:
        # A wrapped heading may run into its first target: the title stops before it.
        number = _NUMBER_TARGET.search(title)
        if number:
            return title[: number.start()].strip(), True
    return title.strip(), False


# The words each area's pattern needs: every match of the pattern contains one of them
# (derived from the rows by :func:`parstats.rules.anchors_of`). A title that lacks all
# of an area's words cannot name it, so its pattern is not run.
AREA_WORDS: dict[str, tuple[str, ...]] = {
    area: rules.anchors_of(_SECTIONS.regexes("area", area)) or ("",) for area, _ in AREA_TITLES
}


# Each area's pattern with the test of its words (``w1 in title or ...``, no generator).
_AREA_TESTS = tuple(
    (area, pattern, rules.any_in(AREA_WORDS[area])) for area, pattern in AREA_TITLES
)
# A title without any area word names no area: one cheap search before the patterns.
_ANY_AREA_WORD = re.compile(
    "|".join(re.escape(w) for w in dict.fromkeys(w for ws in AREA_WORDS.values() for w in ws))
)
# The lookahead holds the first letters of every area pattern: it lets the engine skip
# quickly over positions where no name can start (about twice as fast on titles).
_ANY_AREA = rules.lead(
    "|".join(f"(?P<{area}>{pattern.pattern})" for area, pattern in AREA_TITLES)
)


def area_of_title(title: str) -> str | None:
    """Return the one reform area a heading title names, or ``None``.

    A title that names several areas (a list of all six) names none in particular.
    """
    title = title.lower()
    if not _ANY_AREA_WORD.search(title):
        return None
    # Each area whose words the title holds is tried on its own (a few short
    # searches); the combined scan below runs only for a title naming several.
    found = {
        area for area, pattern, has_word in _AREA_TESTS if has_word(title) and pattern.search(title)
    }
    if len(found) <= 1:
        # No area, or one: the combined scan, which finds the leftmost name of any
        # area and goes on from its end, would find exactly these.
        return found.pop() if found else None
    # Several areas: the combined scan decides, as it always has. Where it sees only
    # one name (the others hidden inside a longer match), that area is the answer.
    seen = {m.lastgroup for m in _ANY_AREA.finditer(title)}
    return seen.pop() if len(seen) == 1 else None


def title_year(title: str) -> int | None:
    """Return the one deadline year a heading title sets ("Đến năm 2025"), or ``None``."""
    title = title.lower()
    if not _may_have_year_cue(title):
        return None
    years = {int(m.group(1) or m.group(2)) for m in _YEAR_CUES.finditer(title)}
    return years.pop() if len(years) == 1 else None


def build_outline(view_text: str) -> Outline:
    """Build the heading tree of a parse view's text (one logical line per line).

    Parameters
    ----------
    view_text
        ``ParseView.text``.

    Returns
    -------
    Outline
        Nodes in document order; their areas and deadline years are resolved when
        first asked for (:meth:`Outline.node`).
    """
    markers: list[str] = [""]
    starts: list[int] = [0]
    ends: list[int] = [0]
    parents: list[int] = [-1]
    depths: list[int] = [0]
    heads: list[int] = [0]
    stack: list[int] = [0]
    kinds: list[str] = ["root"]  # the kinds of the nodes on the stack
    n = len(view_text)
    first = HEADING_MARKER.match(view_text)
    found = [(0, first.group(0), first.end())] if first else []
    found += [(m.start("m"), m.group("m"), m.end()) for m in _LINE_MARKER.finditer(view_text)]
    if ":" in view_text:
        top = _DEADLINE_HEADING.match(view_text)
        deadlines = [(0, "", 0)] if top else []
        deadlines += [
            (m.start("d"), "", m.start("d"))
            for m in _DEADLINE_AFTER_BREAK.finditer(view_text, top.end() if top else 0)
        ]
        if deadlines:
            found = sorted(found + deadlines)
    find = view_text.find
    for pos, marker, after in found:
        end = find("\n", pos)
        if end < 0:
            end = n
        kind = _kind(marker)
        if kind in ("roman", "annex"):
            # A part, or an appendix after the body: a new top-level section.
            del stack[1:]
            del kinds[1:]
        elif kind in kinds:
            k = kinds.index(kind)
            del stack[k:]
            del kinds[k:]
        elif kind.startswith("num") and kind != "num1":
            # "1.1." sits under the nearest "1.", whatever items came between.
            upper = f"num{int(kind[3:]) - 1}"
            if upper in kinds:
                k = kinds.index(upper) + 1
                del stack[k:]
                del kinds[k:]
        if kind == "deadline":
            # A bare line is not inside a list item: it closes the items before it.
            while kinds[-1] in ("dash", "plus"):
                stack.pop()
                kinds.pop()
        markers.append(marker)
        starts.append(pos)
        ends.append(end)
        parents.append(stack[-1])
        depths.append(len(stack))
        heads.append(after)
        stack.append(len(markers) - 1)
        kinds.append(kind)
    return Outline(
        text=view_text,
        markers=tuple(markers),
        starts=tuple(starts),
        ends=tuple(ends),
        parents=tuple(parents),
        depths=tuple(depths),
        heads=tuple(heads),
    )
