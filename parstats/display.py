"""Tables, figures and sections for people: labels, rounding, signs, captions, downloads.

The report template, the province profiles and the exploration notebooks show
parstats tables through these objects instead of raw DataFrames:

- :class:`Text` holds one phrase in English and Vietnamese; :func:`pick` and
  :func:`html_text` choose by the report's ``language`` (``"en"``, ``"vi"`` or
  ``"both"``).
- :class:`Table` renders a frame with labelled columns, numbers rounded per
  column, a dash for a missing value (with "no data" on hover), text that wraps
  instead of being cut, no index column, long tables collapsed behind a count,
  a caption naming the sources, and a CSV download (a ``data:`` link, so it
  works from ``file://``); :func:`workbook` puts several tables in one Excel file.
- :class:`CaptionedFigure` renders a matplotlib figure as SVG with alt text, a
  caption naming its sources, and the facts of its axes (``data-axes``: which
  are ranks, inverted, integer, their range) for tests and screen readers.
- :class:`Section` is a titled part of a page; without content it collapses to
  one line saying what is missing.

Every text cell written to CSV or Excel goes through
:func:`parstats.io.spreadsheet_safe` (no formula from outside text). All text
shown in HTML is escaped.
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

Language = Literal["both", "en", "vi"]
LANGUAGES: tuple[str, ...] = get_args(Language)
MISSING = "—"
"""What a table cell shows for a missing value (with a phrase on hover)."""
COLLAPSE_AFTER = 12
"""Tables with more rows than this are shown behind a "show all N rows" switch."""
LABELS_FILE = "report_labels.csv"


def check_language(language: Any) -> str:
    """Return ``language`` if it is ``"both"``, ``"en"`` or ``"vi"``.

    Raises
    ------
    InputError
        Otherwise, listing the allowed values.
    """
    from parstats.vocab import check

    return check(language, LANGUAGES, "language")


# --------------------------------------------------------------------------- words


@dataclass(frozen=True)
class Text:
    """One phrase in English and Vietnamese.

    Attributes
    ----------
    en, vi
        The phrase in each language (Vietnamese NFC).
    """

    en: str
    vi: str

    def __str__(self) -> str:
        return self.en

    def __add__(self, other: Text | str) -> Text:
        if isinstance(other, Text):
            return Text(self.en + other.en, self.vi + other.vi)
        return Text(self.en + other, self.vi + other)


def same(text: str) -> Text:
    """Return ``text`` as a :class:`Text` that reads the same in both languages."""
    return Text(text, text)


def pick(text: Text | str, language: str, sep: str = " · ") -> str:
    """Return ``text`` in ``language`` as plain text (``"both"``: English, ``sep``, Vietnamese)."""
    if not isinstance(text, Text):
        return str(text)
    if language == "vi":
        return text.vi
    if language == "en" or text.en == text.vi:
        return text.en
    return f"{text.en}{sep}{text.vi}"


def html_text(text: Text | str, language: str, *, block: bool = False) -> str:
    """Return ``text`` in ``language`` as escaped HTML; ``"both"`` puts Vietnamese second, muted.

    Parameters
    ----------
    text
        The phrase.
    language
        ``"en"``, ``"vi"`` or ``"both"``.
    block
        With ``"both"``, put the Vietnamese on its own line (table cells).
    """
    if not isinstance(text, Text):
        return html.escape(str(text))
    en, vi = html.escape(text.en), html.escape(text.vi)
    if language == "vi":
        return vi
    if language == "en" or text.en == text.vi:
        return en
    joiner = "<br>" if block else " "
    return f'{en}{joiner}<span class="ps-vi" lang="vi">{vi}</span>'


@lru_cache(maxsize=1)
def _labels() -> dict[tuple[str, str], Text]:
    import csv

    from parstats.errors import InputError
    from parstats.paths import package_data
    from parstats.vn import nfc

    path = package_data(LABELS_FILE)
    out: dict[tuple[str, str], Text] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), start=2):
            key = (row["vocab"], row["code"])
            if key in out:
                raise InputError(f"label {key} defined twice", path=path, line=lineno)
            out[key] = Text(nfc(row["label_en"]), nfc(row["label_vi"]))
    return out


def label(vocab: str, code: Any) -> Text | None:
    """Return the label of a code of a closed vocabulary (``area``, ``level``, ``status`` ...).

    Indicators and families are labelled from the catalogue (:func:`indicator_label`,
    :func:`family_label`). ``None`` for a missing code; an unknown code is shown as it is.
    """
    if is_missing(code):
        return None
    found = _labels().get((vocab, str(code)))
    return found if found is not None else same(str(code))


def indicator_label(code: Any) -> Text | None:
    """Return an indicator's label from the catalogue (``parstats/data/indicators.csv``)."""
    if is_missing(code):
        return None
    from parstats.catalogue import indicators

    found = indicators().get(str(code))
    return Text(found.label_en, found.label_vi) if found else same(str(code))


def family_label(code: Any) -> Text | None:
    """Return an indicator family's label (``parstats/data/indicator_families.csv``)."""
    if is_missing(code):
        return None
    from parstats.catalogue import families

    found = families().get(str(code))
    return Text(found.label_en, found.label_vi) if found else same(str(code))


# --------------------------------------------------------------------------- numbers


def is_missing(value: Any) -> bool:
    """Return whether ``value`` is missing (``None``, ``NA``, ``NaN``)."""
    if value is None:
        return True
    if isinstance(value, str | Text):
        return False
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number(value: Any, decimals: int = 2, language: str = "en", *, sign: bool = False) -> str:
    """Format a number for reading: rounded to ``decimals``, ``"—"`` when missing.

    Integers (and whole floats with ``decimals == 0``) have no decimal part;
    Vietnamese uses a decimal comma and a dot between thousands (``41,17``; ``1.234``).
    Rounding is for display only: stored values stay as published.

    Parameters
    ----------
    value
        The number.
    decimals
        Digits after the decimal mark.
    language
        ``"vi"`` for the Vietnamese marks; otherwise English.
    sign
        Show ``+`` before a positive number (changes).
    """
    if is_missing(value):
        return MISSING
    x = float(value)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    text = f"{x:{'+' if sign else ''},.{decimals}f}"
    if text.lstrip("+-") == f"{0:.{decimals}f}":
        text = f"{0:.{decimals}f}"  # no "-0.00"
    text = text.replace("-", "−")
    if language == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def integer(value: Any, language: str = "en") -> str:
    """Format a count, a rank or a year: no decimals, ``"—"`` when missing."""
    if is_missing(value):
        return MISSING
    x = float(value)
    if x != int(x):
        return number(x, 2, language)
    return str(int(x))


def year_span(start: Any, end: Any) -> str:
    """Return ``"2016–2020"``, ``"2023"`` or ``"—"``."""
    if is_missing(start):
        return MISSING
    if is_missing(end) or int(end) == int(start):
        return str(int(start))
    return f"{int(start)}–{int(end)}"


def commitment(
    comparator: Any, value: Any, value_high: Any = None, unit: Any = None, language: str = "en"
) -> str:
    """Return a target as people write it: ``"≥ 80%"``, ``"≤ 20 (rank)"``, ``"2–3 places"``.

    Comparator codes become signs (``ge`` ≥, ``gt`` >, ``eq`` =, ``le`` ≤, ``lt`` <);
    a range is ``low–high``.
    """
    if is_missing(value):
        return MISSING
    decimals = 0 if float(value) == int(float(value)) else 2
    low = number(value, decimals, language)
    unit_text = "" if is_missing(unit) else pick(label("unit", unit), language, " / ")
    suffix = unit_text if unit_text == "%" else (f" {unit_text}" if unit_text else "")
    if comparator == "range" and not is_missing(value_high):
        hi = number(value_high, 0 if float(value_high) == int(float(value_high)) else 2, language)
        return f"{low}–{hi}{suffix}"
    sign = "" if is_missing(comparator) else pick(label("comparator", comparator), language)
    if comparator == "range":
        sign = ""
    return f"{sign} {low}{suffix}".strip()


# --------------------------------------------------------------------------- tables


ColumnKind = Literal["text", "number", "integer", "change", "html"]


@dataclass(frozen=True)
class Column:
    """One column of a :class:`Table`.

    Attributes
    ----------
    key
        The column of the table's frame.
    header
        What the column is called.
    kind
        ``text`` (wraps), ``number`` (rounded to ``decimals``), ``integer`` (counts,
        ranks, years), ``change`` (signed number) or ``html`` (already escaped
        markup; the CSV gets ``csv_key``).
    decimals
        For ``number`` and ``change``.
    hint
        Shown on hover over the header: units, scale, what the figure is.
    csv_key
        For ``html`` columns: the frame column holding the plain text for the CSV.
    """

    key: str
    header: Text
    kind: ColumnKind = "text"
    decimals: int = 2
    hint: Text | None = None
    csv_key: str | None = None


def _cell_text(value: Any, column: Column, language: str) -> str:
    if is_missing(value):
        return MISSING
    if isinstance(value, Text):
        return pick(value, language, " / ")
    if column.kind == "number":
        return number(value, column.decimals, language)
    if column.kind == "change":
        return number(value, column.decimals, language, sign=True)
    if column.kind == "integer":
        return integer(value, language)
    return str(value)


def _cell_html(value: Any, column: Column, language: str, missing: Text) -> str:
    if column.kind == "html" and not is_missing(value):
        return f'<td class="ps-text">{value}</td>'
    if is_missing(value):
        tip = html.escape(pick(missing, language, " / "))
        return f'<td class="ps-missing" title="{tip}">{MISSING}</td>'
    if isinstance(value, Text):
        shown = html_text(value, language, block=True)
        tip = html.escape(pick(value, language, " / "))
        return f'<td class="ps-text" title="{tip}">{shown}</td>'
    text = _cell_text(value, column, language)
    if column.kind in ("number", "integer", "change"):
        return f'<td class="ps-num">{html.escape(text)}</td>'
    escaped = html.escape(text)
    return f'<td class="ps-text" title="{escaped}">{escaped}</td>'


def _data_uri(payload: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


@dataclass(frozen=True, eq=False)
class Table:
    """A table for people, with its sources and a CSV download.

    Attributes
    ----------
    name
        ASCII name of the CSV file (and of the Excel sheet), e.g. ``"kien-giang_2019_targets"``.
    title
        What the table shows.
    frame
        One row per line shown; cells may be :class:`Text`.
    columns
        The columns shown, in order.
    sources
        The caption: where the figures come from.
    language
        ``"en"``, ``"vi"`` or ``"both"``.
    empty
        What to say when the frame has no row.
    missing
        What a dash means (shown on hover).
    collapse_after
        More rows than this are shown behind a switch with the count.
    note
        A sentence shown under the table (optional).
    show_title
        Show :attr:`title` above the table (off when a section's heading says it).
    """

    name: str
    title: Text
    frame: pd.DataFrame
    columns: tuple[Column, ...]
    sources: Text
    language: str = "both"
    empty: Text = field(default_factory=lambda: Text("No rows.", "Không có dòng nào."))
    missing: Text = field(default_factory=lambda: Text("no data", "không có dữ liệu"))
    collapse_after: int = COLLAPSE_AFTER
    note: Text | None = None
    show_title: bool = True

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def headers(self) -> list[str]:
        """The column headers in the table's language (CSV and Excel headers)."""
        return [pick(c.header, self.language, " / ") for c in self.columns]

    def data(self) -> pd.DataFrame:
        """Return the table as text and numbers for CSV and Excel (unrounded numbers).

        Labels are in the table's language (``"both"``: ``"English / Tiếng Việt"``);
        missing values are empty cells; text cells are neutralised against
        spreadsheet formulas (:func:`parstats.io.spreadsheet_safe`).
        """
        import pandas as pd

        from parstats.io import spreadsheet_safe

        out = {}
        for column, header in zip(self.columns, self.headers, strict=True):
            key = column.csv_key or column.key
            values = self.frame[key] if key in self.frame.columns else [None] * len(self.frame)
            cells = []
            for value in values:
                if is_missing(value):
                    cells.append(None)
                elif isinstance(value, Text):
                    cells.append(pick(value, self.language, " / "))
                elif column.kind in ("number", "change"):
                    cells.append(float(value))
                elif column.kind == "integer":
                    x = float(value)
                    cells.append(int(x) if x == int(x) else x)
                else:
                    cells.append(str(value))
            out[header] = pd.Series(cells, dtype="object")
        return spreadsheet_safe(pd.DataFrame(out, columns=self.headers))

    def csv_bytes(self) -> bytes:
        """Return the CSV file (UTF-8 with a byte-order mark, so Excel reads Vietnamese)."""
        text = self.data().to_csv(index=False, lineterminator="\n")
        return ("\ufeff" + text).encode("utf-8")

    def csv_link(self) -> str:
        """Return an ``<a download>`` link to the table as CSV (a ``data:`` URI)."""
        uri = _data_uri(self.csv_bytes(), "text/csv;charset=utf-8")
        word = html_text(Text("Download CSV", "Tải CSV"), self.language)
        return (
            f'<a class="ps-download" download="{html.escape(self.name)}.csv" '
            f'href="{uri}">{word}</a>'
        )

    def html(self, heading: int | None = 3) -> str:
        """Return the table as an HTML ``<figure>`` with caption, download and collapse."""
        lang = self.language
        title = html_text(self.title, lang)
        head = (f"<h{heading} class=\"ps-table-title\">{title}</h{heading}>"
                if heading and self.show_title else "")
        if self.frame.empty:
            return (
                f'<div class="ps-empty-table">{head}<p class="ps-empty">'
                f"{html_text(self.empty, lang)}</p></div>"
            )
        ths = []
        for c in self.columns:
            tip = f' title="{html.escape(pick(c.hint, lang, " / "))}"' if c.hint else ""
            cls = "ps-num" if c.kind in ("number", "integer", "change") else "ps-text"
            ths.append(f'<th class="{cls}"{tip} data-sort="{c.kind}">'
                       f"{html_text(c.header, lang, block=True)}</th>")
        rows = []
        for _, row in self.frame.iterrows():
            cells = "".join(
                _cell_html(row[c.key] if c.key in row.index else None, c, lang, self.missing)
                for c in self.columns
            )
            rows.append(f"<tr>{cells}</tr>")
        table = (
            f'<div class="ps-table-wrap"><table class="ps-table"><thead><tr>{"".join(ths)}'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
        )
        n = len(self.frame)
        if n > self.collapse_after:
            count = Text(f"Show all {n} rows", f"Xem cả {n} dòng")
            table = (
                f'<details class="ps-collapse"><summary>{html_text(count, lang)}</summary>'
                f"{table}</details>"
            )
        note = f'<p class="ps-note">{html_text(self.note, lang)}</p>' if self.note else ""
        caption = (
            f'<figcaption class="ps-caption">{html_text(self.sources, lang)} '
            f"{self.csv_link()}</figcaption>"
        )
        return (
            f'<figure class="ps-figure-table" data-table="{html.escape(self.name)}" '
            f'data-rows="{n}">{head}{table}{note}{caption}</figure>'
        )

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        return f"Table({self.name!r}, {len(self.frame)} rows)"


# --------------------------------------------------------------------------- workbooks


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in '[]:*?/\\')[:31] or "table"
    candidate, n = base, 2
    while candidate in used:
        suffix = f"_{n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate


def workbook(tables: Sequence[Table], about: Sequence[tuple[str, str]] = ()) -> bytes:
    """Return one Excel file holding every table (a sheet each) and an ``about`` sheet.

    The file is deterministic: the same tables give the same bytes (fixed
    timestamps inside the zip and the document properties). Text cells are
    neutralised against formulas (:func:`parstats.io.spreadsheet_safe`).

    Parameters
    ----------
    tables
        The tables, in sheet order.
    about
        ``(field, value)`` rows of the first sheet: what the file is, sources, citation.
    """
    import datetime
    import io
    import zipfile

    from openpyxl import Workbook

    from parstats.io import neutralise_cell

    wb = Workbook()
    info = wb.active
    info.title = "about"
    for key, value in about:
        info.append([neutralise_cell(key), neutralise_cell(value)])
    used = {"about"}
    for table in tables:
        sheet = wb.create_sheet(_sheet_name(table.name, used))
        frame = table.data()
        sheet.append([neutralise_cell(h) for h in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([None if is_missing(v) else v for v in row])
    fixed = datetime.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    raw = io.BytesIO()
    wb.save(raw)
    # openpyxl stamps each zip entry with the time of writing: rewrite with a fixed one.
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _fixed_core(data)
            info_ = zipfile.ZipInfo(item.filename, date_time=(2000, 1, 1, 0, 0, 0))
            info_.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info_, data)
    return out.getvalue()


def _fixed_core(data: bytes) -> bytes:
    import re

    stamp = b"2000-01-01T00:00:00Z"
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2",
                  data)


def workbook_link(
    tables: Sequence[Table], name: str, language: str, about: Sequence[tuple[str, str]] = ()
) -> str:
    """Return an ``<a download>`` link to :func:`workbook` of ``tables`` (``name.xlsx``)."""
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    uri = _data_uri(workbook(tables, about), mime)
    word = html_text(
        Text(f"Download all the data of this page as one Excel file ({len(tables)} sheets)",
             f"Tải toàn bộ dữ liệu của trang này thành một tệp Excel ({len(tables)} trang tính)"),
        language,
    )
    return f'<a class="ps-download" download="{html.escape(name)}.xlsx" href="{uri}">{word}</a>'


# --------------------------------------------------------------------------- figures


SVG_DPI = 96
"""Figures are drawn at this resolution as SVG: sharp at any zoom."""


def axis_facts(fig: Figure) -> list[dict[str, Any]]:
    """Return what a figure's plotting functions recorded about its axes.

    Each axis drawn by :mod:`parstats.plots` may carry ``parstats_axis`` (a dict:
    ``panel``, ``kind`` such as ``"rank"`` or ``"score"``); the facts add whether
    the y axis is inverted, its limits and whether its tick labels are integers.
    """
    out = []
    for ax in fig.axes:
        meta = getattr(ax, "parstats_axis", None)
        if not meta:
            continue
        low, high = ax.get_ylim()
        ticks = [t for t in ax.get_yticks() if min(low, high) <= t <= max(low, high)]
        facts = dict(meta)
        facts.update(
            inverted=bool(ax.yaxis_inverted()),
            ylim=[round(float(low), 3), round(float(high), 3)],
            ticks=[round(float(t), 6) for t in ticks],
            integer_ticks=all(float(t).is_integer() for t in ticks),
        )
        out.append(facts)
    return out


def figure_svg(fig: Figure) -> bytes:
    """Return ``fig`` as SVG bytes with text kept as text (small, searchable, sharp)."""
    import io

    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "parstats"}):
        fig.savefig(buf, format="svg", dpi=SVG_DPI, bbox_inches="tight",
                    metadata={"Date": None, "Creator": "parstats"})
    return buf.getvalue()


@dataclass(frozen=True, eq=False)
class CaptionedFigure:
    """A matplotlib figure with alt text, a caption naming its sources, and axis facts.

    Attributes
    ----------
    figure
        The figure (built without pyplot).
    caption
        What the figure shows.
    sources
        Where its figures come from.
    alt
        A short description for screen readers and when images are off.
    name
        ASCII name (the ``id`` of the figure on the page).
    language
        ``"en"``, ``"vi"`` or ``"both"``.
    """

    figure: Figure
    caption: Text
    sources: Text
    alt: Text
    name: str
    language: str = "both"

    def html(self) -> str:
        """Return ``<figure>`` with the SVG as an image, its alt text, caption and axis facts."""
        lang = self.language
        svg = figure_svg(self.figure)
        width = self.figure.get_figwidth() * SVG_DPI
        facts = html.escape(json.dumps(axis_facts(self.figure), ensure_ascii=False))
        alt = html.escape(pick(self.alt, lang, " / "))
        return (
            f'<figure class="ps-figure" id="{html.escape(self.name)}">'
            f'<img src="{_data_uri(svg, "image/svg+xml")}" alt="{alt}" '
            f'style="max-width:100%;width:{width:.0f}px" data-axes="{facts}">'
            f'<figcaption class="ps-caption">{html_text(self.caption, lang)} '
            f'<span class="ps-sources">{html_text(self.sources, lang)}</span></figcaption>'
            "</figure>"
        )

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        return f"CaptionedFigure({self.name!r})"


# --------------------------------------------------------------------------- sections


Part = Any  # Table | CaptionedFigure | Html


@dataclass(frozen=True)
class Html:
    """Markup that is already escaped (built by parstats, never from raw outside text)."""

    markup: str

    def html(self) -> str:
        """Return the markup."""
        return self.markup

    def _repr_html_(self) -> str:
        return self.markup


def paragraph(text: Text, language: str, cls: str = "") -> Html:
    """Return ``text`` as one paragraph per language (``"both"``: English, then Vietnamese)."""
    attr = f' class="{cls}"' if cls else ""
    if language == "both" and text.en != text.vi:
        return Html(
            f'<p{attr} lang="en">{html.escape(text.en)}</p>'
            f'<p{attr} lang="vi">{html.escape(text.vi)}</p>'
        )
    chosen = text.vi if language == "vi" else text.en
    return Html(f'<p{attr} lang="{"vi" if language == "vi" else "en"}">{html.escape(chosen)}</p>')


@dataclass(frozen=True, eq=False)
class Section:
    """A titled part of a page; without content, one line saying what is missing.

    Attributes
    ----------
    id
        ASCII anchor.
    title
        The heading.
    parts
        Tables, figures and paragraphs, in order (anything with ``html()``).
    missing
        What is missing; shown as the whole section when ``parts`` is empty.
    language
        ``"en"``, ``"vi"`` or ``"both"``.
    intro
        A sentence under the heading (only when there is content).
    """

    id: str
    title: Text
    parts: tuple[Part, ...]
    missing: Text | None = None
    language: str = "both"
    intro: Text | None = None

    @property
    def empty(self) -> bool:
        """Whether the section has nothing to show."""
        return not self.parts

    def html(self) -> str:
        """Return ``<section>``: heading and parts, or one line when empty."""
        lang = self.language
        title = html_text(self.title, lang)
        if self.empty:
            why = html_text(self.missing or Text("nothing to show.", "không có nội dung."), lang)
            return (
                f'<section class="ps-section ps-collapsed" id="{html.escape(self.id)}">'
                f'<p class="ps-empty-line"><strong>{title}:</strong> {why}</p></section>'
            )
        intro = paragraph(self.intro, lang, "ps-intro").html() if self.intro else ""
        body = "".join(part.html() for part in self.parts)
        return (
            f'<section class="ps-section" id="{html.escape(self.id)}"><h2>{title}</h2>'
            f"{intro}{body}</section>"
        )

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_markdown_(self) -> str | None:
        return None

    def __repr__(self) -> str:
        return f"Section({self.id!r}, {len(self.parts)} parts)"


def sections_html(sections: Iterable[Section]) -> str:
    """Return the markup of several sections, in order."""
    return "".join(s.html() for s in sections)


STYLE = """
.ps-page{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
  color:#1f2328;line-height:1.5;max-width:1180px}
.ps-vi{color:#57606a;font-style:italic}
.ps-section{margin:1.6rem 0}
.ps-section h2{border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
.ps-collapsed{margin:.4rem 0}
.ps-empty-line{color:#57606a;margin:.2rem 0}
.ps-summary{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.8rem 1.1rem}
.ps-summary p{margin:.45rem 0;max-width:62rem}
ul.ps-keys{display:flex;flex-wrap:wrap;gap:.6rem;margin:.7rem 0 .2rem;padding:0 !important;
  list-style:none !important}
ul.ps-keys li{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.35rem .7rem;
  min-width:9rem;list-style:none !important;margin:0 !important}
.ps-keys .ps-key-value{display:block;font-size:1.25rem;font-weight:600}
.ps-keys .ps-key-label{display:block;font-size:.8rem;color:#57606a}
.ps-table-wrap{overflow-x:auto;max-width:100%}
table.ps-table{border-collapse:collapse;font-size:.88rem;margin:.3rem 0;width:auto}
table.ps-table th,table.ps-table td{border:none;border-bottom:1px solid #d8dee4 !important;
  padding:.3rem .55rem !important;vertical-align:top !important}
table.ps-table th{background:#f6f8fa;text-align:left !important;font-weight:600}
table.ps-table td.ps-num,table.ps-table th.ps-num{text-align:right !important;
  font-variant-numeric:tabular-nums;white-space:nowrap !important}
table.ps-table td.ps-text{text-align:left !important;white-space:normal !important;
  overflow-wrap:anywhere;max-width:30rem !important;min-width:6rem}
table.ps-table td.ps-missing{color:#8c959f;text-align:center !important}
table.ps-table tbody tr:nth-child(odd){background:#fff}
table.ps-table tbody tr:nth-child(even){background:#fafbfc}
table.ps-table th[data-sort]{cursor:default}
.ps-caption{font-size:.82rem;color:#57606a;margin:.3rem 0 .2rem;max-width:70rem}
.ps-download{display:inline-block;margin-left:.4rem;font-size:.82rem}
.ps-figure,.ps-figure-table{margin:.8rem 0 !important}
.ps-figure img{height:auto;border:1px solid #eaeef2}
.ps-note{font-size:.85rem;color:#57606a}
.ps-empty{color:#57606a}
details.ps-collapse>summary{cursor:pointer;color:#0969da;margin:.3rem 0}
.ps-cite{font-size:.88rem}
.ps-cite li{margin:.2rem 0}
.ps-nav a{margin-right:.2rem}
"""


def style() -> Html:
    """Return the page's ``<style>`` block (shown once per page)."""
    return Html(f"<style>{STYLE}</style>")
