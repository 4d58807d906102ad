"""Word ``.docx`` to text: paragraphs, list numbers, tables and footnotes (*văn bản Word*).

Read with the standard library (``zipfile``, ``xml.etree``), no Word library:

- a numbered paragraph gets its label as Word would draw it ("1.", "a)", "II.",
  "-"), from ``word/numbering.xml`` (counters per list and level, restarts of
  deeper levels, ``lvlText`` templates such as ``"%1.%2."``), also where the
  numbering comes from the paragraph's style;
- a table row is one line, ``| cell | cell |`` (a cell's paragraphs joined by a
  space), the form :mod:`parstats.clean` and :mod:`parstats.targets` read as a
  table row;
- a footnote reference is ``[^n]`` in the text and each footnote follows the
  body as a line ``[^n]: text`` after a ``"---"`` line;
- deleted revisions and field instructions are left out, inserted revisions and
  field results kept; text boxes are read where they stand; headers and footers
  (page furniture) are not read;
- runs in legacy Vietnamese fonts (``.VnTime``, ``VNI-Times``) are converted to
  Unicode (:mod:`parstats.formats.legacy`); text in no named legacy font is
  converted too when the document as a whole reads as legacy-encoded;
- pages: where Word recorded its page layout (``lastRenderedPageBreak``), or the
  document has hard page breaks, the page starts are kept; otherwise the
  document has no pages.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from parstats.formats import legacy
from parstats.formats.document import ConvertedDocument
from parstats.formats.errors import CorruptDocumentError, EmptyDocumentError, NotWordDocumentError
from parstats.vn import nfc

__all__ = ["convert_docx"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_PAGE = "\x0c"  # a page boundary while the text is built (removed after)
_FOOTNOTE_RULE = "---"
# Word's bullet glyphs in the Symbol and Wingdings fonts (private use area).
_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓", "o": "o"}
_MAX_PART = 200 * 1024 * 1024  # a zip member larger than this is refused (a zip bomb)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Numbering:
    """Numbering definitions and the running counters of each list."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId -> levels
    starts: dict[tuple[str, int], int] = field(default_factory=dict)  # overrides
    abstract_of: dict[str, str] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)  # abstractNumId -> counters

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or num_id == "0":
            return ""
        key = self.abstract_of.get(num_id, num_id)
        counts = self.counters.setdefault(key, [0] * 9)
        if not 0 <= ilvl < 9:
            return ""
        level = levels.get(ilvl, _Level())
        start = self.starts.get((num_id, ilvl), level.start)
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] >= start else start
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        if level.fmt == "bullet":
            return _BULLETS.get(level.text, level.text or "•")
        if level.fmt == "none":
            return ""

        def fill(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, _Level())
            value = counts[k] if counts[k] else self.starts.get((num_id, k), lv.start)
            return _format_number(value, lv.fmt)

        return re.sub(r"%([1-9])", fill, level.text)


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        n = value
        while n > 0:
            n, r = divmod(n - 1, 26)
            letters = chr(ord("a") + r) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(n: int) -> str:
    out = []
    for value, digits in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


@dataclass
class _Styles:
    fonts: dict[str, str] = field(default_factory=dict)  # styleId -> font (with basedOn)
    numbering: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId -> numPr
    default_font: str | None = None


@dataclass
class _State:
    numbering: _Numbering
    styles: _Styles
    footnotes: dict[str, str]
    notes_used: list[tuple[int, str]] = field(default_factory=list)
    legacy_chars: dict[str, int] = field(default_factory=dict)
    rendered_breaks: int = 0


def convert_docx(
    data: bytes, name: str, *, source_format: str = "docx", conversion: str | None = None
) -> ConvertedDocument:
    """Convert a ``.docx`` file's bytes to a :class:`ConvertedDocument`.

    Raises
    ------
    CorruptDocumentError
        If the zip archive is damaged.
    NotWordDocumentError
        If it is a zip archive without ``word/document.xml``.
    EmptyDocumentError
        If the document has no text.
    """
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise CorruptDocumentError(
            f"not a readable Word file: the zip archive is damaged ({exc})", path=name
        ) from None
    with archive:
        names = archive.namelist()
        main = _main_part(archive, names)
        if main is None:
            shown = ", ".join(sorted(names)[:5]) + (", ..." if len(names) > 5 else "")
            raise NotWordDocumentError(
                f"a zip archive but not a Word document: it has no word/document.xml "
                f"(it holds {len(names)} file(s): {shown})",
                path=name,
            )
        body = _parse(archive, main, name)
        numbering = _read_numbering(archive, names, name)
        styles = _read_styles(archive, names, name)
        footnotes = _read_notes(archive, names, name)
    state = _State(numbering, styles, footnotes)
    root = body.find(f"{W}body")
    if root is None:
        raise NotWordDocumentError("word/document.xml has no body", path=name)
    lines = list(_block(root, state))
    text = "\n".join(lines)
    if state.notes_used:
        text += (
            "\n" + _FOOTNOTE_RULE + "\n" + "\n".join(f"[^{n}]: {t}" for n, t in state.notes_used)
        )
    warnings: list[str] = []
    # Text in no named legacy font, but legacy as a whole: an old document whose
    # fonts were renamed or substituted.
    plain = _PAGE_OR_NOTHING.sub("", text)
    detected = legacy.detect(plain)
    if detected != "unicode":
        text = legacy.decode(text, detected)
        state.legacy_chars[detected] = state.legacy_chars.get(detected, 0) + len(plain)
        warnings.append(f"text in no legacy font name reads as {detected}: converted to Unicode")
    if state.legacy_chars:
        used = ", ".join(f"{k} ({v} characters)" for k, v in sorted(state.legacy_chars.items()))
        warnings.append(f"runs typed in legacy Vietnamese fonts converted to Unicode: {used}")
    text, starts = _pages(nfc(text), paged=state.rendered_breaks > 0)
    if not text.strip():
        raise EmptyDocumentError("the Word document has no text", path=name)
    encoding = (
        max(state.legacy_chars, key=lambda k: state.legacy_chars[k])
        if state.legacy_chars
        else "unicode"
    )
    if starts:
        warnings.append("pages as Word last laid the document out (lastRenderedPageBreak)")
    return ConvertedDocument(
        path=name,
        text=text,
        page_starts=starts,
        source_format=source_format,  # type: ignore[arg-type]
        conversion=conversion or "parstats.formats.docx (zipfile + ElementTree)",
        warnings=tuple(warnings),
        encoding=encoding,
    )


_PAGE_OR_NOTHING = re.compile(_PAGE)


def _pages(text: str, paged: bool) -> tuple[str, tuple[int, ...]]:
    """Remove the page marks; return the text and the page starts (empty when not ``paged``)."""
    if _PAGE not in text:
        return text, ()
    text = text.replace("\n" + _PAGE + "\n", _PAGE + "\n")  # a break alone on its line
    out: list[str] = []
    starts = [0]
    at = 0
    for k, part in enumerate(text.split(_PAGE)):
        if k:
            if part.startswith("\n") and out:
                out[-1] += "\n"  # the break ended a line: the page starts on the next one
                at += 1
                part = part[1:]
            starts.append(at)
        out.append(part)
        at += len(part)
    joined = "".join(out)
    if not paged:
        return joined, ()
    return joined, tuple(sorted({s for s in starts if s < len(joined)} | {0}))


def _main_part(archive: zipfile.ZipFile, names: list[str]) -> str | None:
    if "word/document.xml" in names:
        return "word/document.xml"
    # A document saved by some tools names its main part in [Content_Types].xml.
    if "[Content_Types].xml" in names:
        types = archive.read("[Content_Types].xml").decode("utf-8", errors="replace")
        m = re.search(
            r'PartName="/([^"]+)"\s+ContentType="application/vnd\.openxmlformats-officedocument'
            r'\.wordprocessingml\.document\.main\+xml"',
            types,
        )
        if m and m.group(1) in names:
            return m.group(1)
    return None


def _parse(archive: zipfile.ZipFile, part: str, name: str) -> ET.Element:
    info = archive.getinfo(part)
    if info.file_size > _MAX_PART:
        raise CorruptDocumentError(
            f"{part} would unpack to {info.file_size} bytes (more than {_MAX_PART}): refused",
            path=name,
        )
    try:
        return ET.fromstring(archive.read(part))
    except (ET.ParseError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise CorruptDocumentError(f"{part} cannot be read ({exc})", path=name) from None


def _read_numbering(archive: zipfile.ZipFile, names: list[str], name: str) -> _Numbering:
    out = _Numbering()
    if "word/numbering.xml" not in names:
        return out
    root = _parse(archive, "word/numbering.xml", name)
    abstract: dict[str, dict[int, _Level]] = {}
    for a in root.iter(f"{W}abstractNum"):
        levels: dict[int, _Level] = {}
        for lvl in a.iter(f"{W}lvl"):
            level = _Level(
                fmt=_val(lvl.find(f"{W}numFmt")) or "decimal",
                text=_val(lvl.find(f"{W}lvlText")) or "",
                start=int(_val(lvl.find(f"{W}start")) or 1),
            )
            levels[int(lvl.get(f"{W}ilvl", "0"))] = level
        abstract[a.get(f"{W}abstractNumId", "")] = levels
    for num in root.iter(f"{W}num"):
        num_id = num.get(f"{W}numId", "")
        abstract_id = _val(num.find(f"{W}abstractNumId")) or ""
        out.levels[num_id] = abstract.get(abstract_id, {})
        # Lists sharing an abstract definition share counters, unless one restarts.
        out.abstract_of[num_id] = abstract_id
        for override in num.iter(f"{W}lvlOverride"):
            start = _val(override.find(f"{W}startOverride"))
            if start is not None:
                out.starts[(num_id, int(override.get(f"{W}ilvl", "0")))] = int(start)
                out.abstract_of[num_id] = f"{abstract_id}/{num_id}"
    return out


def _read_styles(archive: zipfile.ZipFile, names: list[str], name: str) -> _Styles:
    out = _Styles()
    if "word/styles.xml" not in names:
        return out
    root = _parse(archive, "word/styles.xml", name)
    defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    out.default_font = _font(defaults)
    based: dict[str, str] = {}
    fonts: dict[str, str] = {}
    for style in root.iter(f"{W}style"):
        sid = style.get(f"{W}styleId", "")
        parent = style.find(f"{W}basedOn")
        if parent is not None:
            based[sid] = _val(parent) or ""
        font = _font(style.find(f"{W}rPr/{W}rFonts"))
        if font:
            fonts[sid] = font
        num = style.find(f"{W}pPr/{W}numPr")
        if num is not None:
            num_id = _val(num.find(f"{W}numId"))
            if num_id:
                out.numbering[sid] = (num_id, int(_val(num.find(f"{W}ilvl")) or 0))
    for sid in set(based) | set(fonts):
        seen = set()
        cur: str | None = sid
        while cur and cur not in seen:
            seen.add(cur)
            if cur in fonts:
                out.fonts[sid] = fonts[cur]
                break
            cur = based.get(cur)
    return out


def _read_notes(archive: zipfile.ZipFile, names: list[str], name: str) -> dict[str, str]:
    notes: dict[str, str] = {}
    for part, tag in (("word/footnotes.xml", "footnote"), ("word/endnotes.xml", "endnote")):
        if part not in names:
            continue
        root = _parse(archive, part, name)
        for note in root.iter(f"{W}{tag}"):
            if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            dummy = _State(_Numbering(), _Styles(), {})
            text = " ".join(
                line
                for p in note.iter(f"{W}p")
                if (line := _paragraph(p, dummy, number=False).strip())
            )
            notes[f"{tag}:{note.get(f'{W}id', '')}"] = text
    return notes


def _val(el: ET.Element | None) -> str | None:
    return None if el is None else el.get(f"{W}val")


def _font(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    return el.get(f"{W}ascii") or el.get(f"{W}hAnsi") or el.get(f"{W}cs")


def _block(container: ET.Element, state: _State):
    """Yield the lines of a body, a cell or a text box, in document order."""
    for child in container:
        tag = child.tag
        if tag == f"{W}p":
            yield _paragraph(child, state)
        elif tag == f"{W}tbl":
            yield from _table(child, state)
        elif tag in (f"{W}sdt", f"{W}customXml"):
            content = child.find(f"{W}sdtContent") if tag == f"{W}sdt" else child
            if content is not None:
                yield from _block(content, state)
        elif tag == f"{_MC}AlternateContent":
            choice = child.find(f"{_MC}Choice")
            if choice is not None:
                yield from _block(choice, state)


def _table(tbl: ET.Element, state: _State):
    for tr in tbl.findall(f"{W}tr"):
        cells: list[str] = []
        for tc in tr.findall(f"{W}tc"):
            props = tc.find(f"{W}tcPr")
            span = int(_val(props.find(f"{W}gridSpan")) or 1) if props is not None else 1
            merged = (
                props is not None
                and props.find(f"{W}vMerge") is not None
                and (_val(props.find(f"{W}vMerge")) in (None, "continue"))
            )
            lines = [] if merged else [ln for ln in _block(tc, state) if ln.strip()]
            cell = " ".join(" ".join(ln.replace(_PAGE, " ").split()) for ln in lines)
            cells.append(cell.replace("|", "/"))
            cells.extend([""] * (span - 1))
        if any(c for c in cells):
            yield "| " + " | ".join(cells) + " |"


def _paragraph(p: ET.Element, state: _State, *, number: bool = True) -> str:
    ppr = p.find(f"{W}pPr")
    style = _val(ppr.find(f"{W}pStyle")) if ppr is not None else None
    font = state.styles.fonts.get(style or "", state.styles.default_font)
    label = ""
    if number:
        num = ppr.find(f"{W}numPr") if ppr is not None else None
        num_id: str | None = None
        ilvl = 0
        if num is not None:
            num_id = _val(num.find(f"{W}numId"))
            ilvl = int(_val(num.find(f"{W}ilvl")) or 0)
        elif style in state.styles.numbering:
            num_id, ilvl = state.styles.numbering[style]
        if num_id:
            label = state.numbering.label(num_id, ilvl)
    parts: list[str] = []
    _inline(p, state, font, parts, [False])
    text = "".join(parts)
    return f"{label} {text}" if label and text.strip() else text


def _inline(
    el: ET.Element, state: _State, font: str | None, out: list[str], in_field: list[bool]
) -> None:
    for child in el:
        tag = child.tag
        if tag == f"{W}r":
            _run(child, state, font, out, in_field)
        elif tag in (f"{W}hyperlink", f"{W}ins", f"{W}smartTag", f"{W}fldSimple", f"{W}customXml"):
            _inline(child, state, font, out, in_field)
        elif tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                _inline(content, state, font, out, in_field)
        elif tag == f"{_MC}AlternateContent":
            choice = child.find(f"{_MC}Choice")
            if choice is not None:
                _inline(choice, state, font, out, in_field)


def _run(
    r: ET.Element, state: _State, font: str | None, out: list[str], in_field: list[bool]
) -> None:
    rpr = r.find(f"{W}rPr")
    run_font = font
    if rpr is not None:
        rstyle = _val(rpr.find(f"{W}rStyle"))
        run_font = _font(rpr.find(f"{W}rFonts")) or state.styles.fonts.get(rstyle or "", font)
    pieces: list[str] = []
    for child in r:
        tag = child.tag
        if tag == f"{W}fldChar":
            kind = child.get(f"{W}fldCharType")
            in_field[0] = kind == "begin" or (in_field[0] and kind not in ("separate", "end"))
        elif in_field[0]:
            continue  # a field's instruction ("PAGE", "HYPERLINK ..."), not its result
        elif tag == f"{W}t":
            pieces.append(child.text or "")
        elif tag == f"{W}tab":
            pieces.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            pieces.append(_PAGE if child.get(f"{W}type") == "page" else "\n")
        elif tag == f"{W}lastRenderedPageBreak":
            state.rendered_breaks += 1
            pieces.append(_PAGE)
        elif tag == f"{W}noBreakHyphen":
            pieces.append("-")
        elif tag == f"{W}sym":
            char = child.get(f"{W}char", "")
            pieces.append(_BULLETS.get(chr(int(char, 16)), "") if char else "")
        elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
            kind = "footnote" if tag == f"{W}footnoteReference" else "endnote"
            note = state.footnotes.get(f"{kind}:{child.get(f'{W}id', '')}")
            if note is not None:
                n = len(state.notes_used) + 1
                state.notes_used.append((n, note))
                pieces.append(f"[^{n}]")
        elif tag == f"{W}drawing" or tag == f"{W}pict" or tag == f"{_MC}AlternateContent":
            for box in child.iter(f"{W}txbxContent"):
                pieces.append("\n" + "\n".join(_block(box, state)) + "\n")
                break
    text = "".join(pieces)
    encoding = legacy.encoding_of_font(run_font)
    if encoding is not None and text:
        state.legacy_chars[encoding] = state.legacy_chars.get(encoding, 0) + len(text)
        text = legacy.decode(text, encoding, upper=legacy.is_upper_font(run_font))
    out.append(text)
