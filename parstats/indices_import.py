"""Import a published index table that parstats does not ship (``parstats indices import``).

The Ministry of Home Affairs publishes the full yearly PAR Index and SIPAS tables
(*Báo cáo Chỉ số cải cách hành chính năm YYYY*); a user who has one as CSV or
Excel imports it here. The steps, each a function:

1. :func:`read_cells` — the sheet as a grid of text cells (CSV or ``.xlsx``);
2. :func:`find_header` — the header row, which need not be the first, with the
   province, score and rank columns in Vietnamese or English
   (``Tỉnh/Thành phố``, ``Điểm``, ``Xếp hạng``, ``Province``, ``Score``, ``Rank``);
3. :func:`parse_rows` — every row checked: province resolvable, no duplicate,
   ranks within 1..63, scores within the index's scale, a source given;
4. :func:`import_table` — the rows written to a *new* file in
   ``data/raw/indices/`` (existing files are never modified) and the processed
   table rebuilt.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from parstats.errors import EncodingError, InputError, UnknownProvinceError
from parstats.indices import RAW_COLUMNS, RawRow, assemble, read_raw, read_raw_file
from parstats.scales import LAST_PRE2025_YEAR, N_RANKED, scale_for
from parstats.vocab import INDEX_NAMES

HEADER_SEARCH_ROWS = 30

_PROVINCE_HEADERS = {
    "tinh thanh pho",
    "tinh tp",
    "tinh thanh",
    "tinh",
    "ten tinh",
    "ten tinh thanh pho",
    "thanh pho",
    "dia phuong",
    "ten dia phuong",
    "don vi",
    "ten don vi",
    "province",
    "provinces",
    "province city",
    "city province",
    "locality",
    "provinces cities",
}
_RANK_PREFIXES = ("xep hang", "thu hang", "hang", "rank", "ranking", "vi thu")
_SCORE_PREFIXES = (
    "diem",
    "tong diem",
    "chi so",
    "ket qua",
    "gia tri",
    "score",
    "index",
    "value",
    "total",
    "par index",
    "sipas",
    "pci",
    "papi",
)
_AGGREGATE_WORDS = (
    "trung binh",
    "average",
    "ca nuoc",
    "toan quoc",
    "national",
    "trung vi",
    "median",
)


@dataclass(frozen=True)
class Cells:
    """A sheet read as text cells.

    Attributes
    ----------
    path
        The file read.
    sheet
        The Excel sheet name, ``None`` for CSV.
    rows
        Rows of cell texts (``""`` for an empty cell); ``rows[0]`` is line/row 1.
    sha256
        Hash of the file's bytes, recorded with every imported figure.
    """

    path: Path
    sheet: str | None
    rows: tuple[tuple[str, ...], ...]
    sha256: str


@dataclass(frozen=True)
class Header:
    """Where the table starts and which columns hold what (0-based columns, 1-based row)."""

    row: int
    province_col: int
    score_col: int | None
    rank_col: int | None
    labels: tuple[str, ...]


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote.

    Attributes
    ----------
    raw_file
        The new file in ``data/raw/indices``.
    n_provinces
        Province rows imported (aggregates not counted).
    n_aggregates
        Aggregate rows imported (e.g. the national average), kept without a province code.
    n_figures
        Figures written (scores plus ranks).
    header_row
        The header's row number in the input.
    blank_rows
        Input row numbers below the header that were entirely empty in the
        province, score and rank columns (not data; listed, not dropped silently).
    processed
        The rebuilt processed table, or ``None`` if not rebuilt.
    """

    raw_file: Path
    n_provinces: int
    n_aggregates: int
    n_figures: int
    header_row: int
    blank_rows: tuple[int, ...]
    processed: Path | None


# --------------------------------------------------------------------------- reading


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    return " ".join(str(value).split())


def _number_text(value: float) -> str:
    """Shortest text for a spreadsheet float, without binary noise (``96.1699999`` -> ``96.17``)."""
    text = repr(round(value, 6))
    return text[:-2] if text.endswith(".0") else text


def read_cells(path: str | Path, sheet: str | None = None) -> Cells:
    """Read a CSV or ``.xlsx`` file as a grid of text cells.

    Parameters
    ----------
    path
        ``.csv`` (UTF-8, or Windows-1258; ``,``, ``;`` or tab separated) or
        ``.xlsx``/``.xlsm``.
    sheet
        Excel sheet name; the first sheet by default.

    Raises
    ------
    InputError
        For an unsupported file type, a missing sheet or an empty file.
    EncodingError
        For a CSV that is neither UTF-8 nor Windows-1258.
    """
    from parstats.io import sha256_bytes

    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", path=path)
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows, sheet_name = _read_excel(path, data, sheet)
    elif suffix in (".csv", ".tsv", ".txt"):
        if sheet is not None:
            raise InputError("--sheet applies to Excel files only", path=path, value=sheet)
        rows, sheet_name = _read_csv(path, data), None
    elif suffix == ".xls":
        raise InputError("old Excel .xls is not read; save the sheet as .xlsx or .csv", path=path)
    else:
        raise InputError(f"expected a .csv or .xlsx file, got {suffix or 'no suffix'!r}", path=path)
    if not any(any(c for c in r) for r in rows):
        raise InputError("the file has no cells with content", path=path)
    return Cells(path=path, sheet=sheet_name, rows=rows, sha256=sha256_bytes(data))


def _read_excel(
    path: Path, data: bytes, sheet: str | None
) -> tuple[tuple[tuple[str, ...], ...], str]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a corrupt file
        raise InputError(f"not a readable .xlsx workbook ({exc})", path=path) from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise InputError(
                f"no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}", path=path, value=sheet
            )
        rows = tuple(tuple(_cell_text(v) for v in row) for row in ws.iter_rows(values_only=True))
        return rows, ws.title
    finally:
        book.close()


def _read_csv(path: Path, data: bytes) -> tuple[tuple[str, ...], ...]:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes almost any byte string
        raise EncodingError("expected UTF-8 or Windows-1258 text", path=path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return tuple(tuple(_cell_text(c) for c in row) for row in reader)


# --------------------------------------------------------------------------- header


def _header_key(text: str) -> str:
    from parstats.vn import fold, nfc

    return " ".join(re.findall(r"[a-z0-9]+", fold(nfc(text)).lower()))


def _classify(label: str) -> str | None:
    key = _header_key(label)
    if not key:
        return None
    if key in _PROVINCE_HEADERS:
        return "province"
    words = key.split()
    for prefix in _RANK_PREFIXES:
        p = prefix.split()
        if words[: len(p)] == p:
            return "rank"
    for prefix in _SCORE_PREFIXES:
        p = prefix.split()
        if words[: len(p)] == p:
            return "score"
    return None


def find_header(cells: Cells) -> Header:
    """Find the header row: the first row naming a province column and a score or rank column.

    Raises
    ------
    InputError
        If no such row is within the first :data:`HEADER_SEARCH_ROWS` rows, or a
        row names two score, rank or province columns.
    """
    for i, row in enumerate(cells.rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, list[int]] = {}
        for j, label in enumerate(row):
            kind = _classify(label)
            if kind:
                found.setdefault(kind, []).append(j)
        if "province" not in found or not ({"score", "rank"} & set(found)):
            continue
        for kind, cols in found.items():
            if len(cols) > 1:
                names = ", ".join(repr(row[c]) for c in cols)
                raise InputError(
                    f"several {kind} columns in the header ({names}); keep one",
                    path=cells.path,
                    line=i + 1,
                )
        return Header(
            row=i + 1,
            province_col=found["province"][0],
            score_col=found.get("score", [None])[0],
            rank_col=found.get("rank", [None])[0],
            labels=row,
        )
    raise InputError(
        f"no header row in the first {HEADER_SEARCH_ROWS} rows: expected a province column "
        "('Tỉnh/Thành phố', 'Province') and a score or rank column ('Điểm', 'Score', "
        "'Xếp hạng', 'Rank')",
        path=cells.path,
    )


# --------------------------------------------------------------------------- rows


def _cell(row: tuple[str, ...], col: int | None) -> str:
    if col is None or col >= len(row):
        return ""
    return row[col].strip()


def parse_score(text: str) -> float:
    """Parse a score cell: ``"86,98"``, ``"86.98"``, ``"86,98%"`` -> 86.98.

    Raises
    ------
    ValueError
        If the cell is not a number.
    """
    from parstats.vn import parse_number

    t = text.strip().rstrip("%").strip()
    if re.fullmatch(r"[+-]?\d+([.,]\d+)?", t):
        return float(t.replace(",", "."))
    return parse_number(t)


def parse_rank(text: str) -> int:
    """Parse a rank cell: ``"12"``, ``"12.0"`` or ``"12/63"`` -> 12.

    Raises
    ------
    ValueError
        If the cell is not a whole number (or ``n/63``).
    """
    t = text.strip()
    m = re.fullmatch(r"(\d+)\s*/\s*(\d+)", t)
    if m:
        if int(m.group(2)) != N_RANKED:
            raise ValueError(f"rank out of {m.group(2)}, expected out of {N_RANKED}")
        return int(m.group(1))
    m = re.fullmatch(r"[+-]?\d+(\.0+)?", t)
    if not m:
        raise ValueError(f"not a whole number: {text!r}")
    return int(float(t))


def _is_aggregate(name: str) -> bool:
    key = _header_key(name)
    return any(word in key for word in _AGGREGATE_WORDS)


@dataclass(frozen=True)
class ParsedTable:
    """The checked figures of one imported table, and what was skipped."""

    rows: tuple[RawRow, ...]
    blank_rows: tuple[int, ...]
    n_provinces: int
    n_aggregates: int


def parse_rows(
    cells: Cells, header: Header, *, index: str, year: int, source: str, file_name: str
) -> ParsedTable:
    """Check every row below the header and return the figures as raw rows.

    Parameters
    ----------
    cells, header
        From :func:`read_cells` and :func:`find_header`.
    index, year, source
        What the table is and where it was published.
    file_name
        Name of the raw file the rows will be written to (for ``raw_refs``).

    Raises
    ------
    InputError
        Naming the input file, row and value: an unknown province, a province
        twice, a non-numeric score, a rank outside 1..63, a score outside the
        index's scale, a missing province, or no rows.
    """
    from parstats.provinces import resolve

    path = cells.path
    where = f"{path.name}" + (f" [{cells.sheet}]" if cells.sheet else "")
    score_scale = scale_for(index, year, "score")
    labels = header.labels
    out: list[RawRow] = []
    seen: dict[str, int] = {}
    blank: list[int] = []
    n_prov = n_agg = 0
    for i in range(header.row, len(cells.rows)):
        lineno = i + 1
        row = cells.rows[i]
        name = _cell(row, header.province_col)
        score_text = _cell(row, header.score_col)
        rank_text = _cell(row, header.rank_col)
        if not (name or score_text or rank_text):
            blank.append(lineno)
            continue
        if not name:
            raise InputError(
                "no province in this row, but a score or rank", path=path, line=lineno,
                value=score_text or rank_text,
            )  # fmt: skip
        if not (score_text or rank_text):
            raise InputError(
                f"{name!r} has neither a score nor a rank", path=path, line=lineno, value=name
            )
        aggregate = _is_aggregate(name)
        if aggregate:
            province, code = f"({name})", None
            n_agg += 1
            if rank_text:
                raise InputError(
                    f"aggregate row {name!r} has a rank; aggregates are not ranked",
                    path=path, line=lineno, value=rank_text,
                )  # fmt: skip
        else:
            try:
                p = resolve(name)
            except UnknownProvinceError as exc:
                raise UnknownProvinceError(exc.reason, path=path, line=lineno, value=name) from None
            if p.code in seen:
                raise InputError(
                    f"duplicate province-year: {p.name_vi} {year} already on row {seen[p.code]}",
                    path=path, line=lineno, value=name,
                )  # fmt: skip
            seen[p.code] = lineno
            province, code = p.name_vi, p.code
            n_prov += 1
        parts = [f"{labels[header.province_col]}={name!r}"]
        figures: list[tuple[str, str]] = []
        if score_text:
            try:
                score = parse_score(score_text)
            except ValueError:
                raise InputError(
                    f"score must be a number (e.g. 86.98 or 86,98), column "
                    f"{labels[header.score_col]!r}",
                    path=path, line=lineno, value=score_text,
                ) from None  # fmt: skip
            if not score_scale.contains(score):
                raise InputError(
                    f"score {score:g} is outside the {index} {year} scale {score_scale.label}",
                    path=path, line=lineno, value=score_text,
                )  # fmt: skip
            parts.append(f"{labels[header.score_col]}={score_text!r}")
            figures.append(("score", _number_text(score)))
        if rank_text:
            try:
                rank = parse_rank(rank_text)
            except ValueError as exc:
                raise InputError(
                    f"rank must be a whole number in 1..{N_RANKED} ({exc})",
                    path=path, line=lineno, value=rank_text,
                ) from None  # fmt: skip
            if not 1 <= rank <= N_RANKED:
                raise InputError(
                    f"rank {rank} is outside 1..{N_RANKED} ({N_RANKED} provinces ranked in {year})",
                    path=path, line=lineno, value=rank_text,
                )  # fmt: skip
            parts.append(f"{labels[header.rank_col]}={rank_text!r}")
            figures.append(("rank", str(rank)))
        snippet = f"{where} row {lineno}: " + " | ".join(parts) + f" (file sha256 {cells.sha256})"
        for measure, value in figures:
            out.append(
                RawRow(
                    index=index,
                    province=province,
                    province_code=code,
                    year=year,
                    measure=measure,
                    value_text=value,
                    source=source,
                    snippet=snippet,
                    file=file_name,
                    line=0,  # set when written
                )
            )
    if not out:
        raise InputError(f"no data rows below the header on row {header.row}", path=path)
    return ParsedTable(tuple(out), tuple(blank), n_prov, n_agg)


def _check_arguments(index: str, year: int, source: str) -> None:
    if index not in INDEX_NAMES:
        raise InputError(f"--index must be one of {', '.join(INDEX_NAMES)}", value=index)
    if not isinstance(year, int) or not 1990 <= year <= LAST_PRE2025_YEAR:
        raise InputError(
            f"--year must be a survey year in 1990..{LAST_PRE2025_YEAR} (the 63 pre-2025 "
            "provinces)",
            value=year,
        )
    if not source or not source.strip():
        raise InputError(
            "a source is required (--source): the report's title, publisher and address"
        )
    if "\n" in source:
        raise InputError("--source must be one line", value=source)


def raw_file_name(index: str, year: int, sha256: str) -> str:
    """Name of the raw file an import writes: ``import_par_2024_<12 hex>.csv``."""
    return f"import_{index.lower()}_{year}_{sha256[:12]}.csv"


def _csv_text(rows: tuple[RawRow, ...]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(RAW_COLUMNS)
    for r in rows:
        writer.writerow([r.index, r.province, r.year, r.measure, r.value_text, r.source, r.snippet])
    return buf.getvalue()


def import_table(
    path: str | Path,
    *,
    index: str,
    year: int,
    source: str,
    sheet: str | None = None,
    directory: Path | None = None,
    rebuild: bool = True,
) -> ImportResult:
    """Import a published index table into ``data/raw/indices`` and rebuild the table.

    Parameters
    ----------
    path
        CSV or ``.xlsx`` with a province column and a score and/or rank column.
    index, year
        The index (``PAR``, ``SIPAS``, ``PAPI``, ``PCI``, ``PGI``) and survey year.
    source
        Where the table was published (required).
    sheet
        Excel sheet name; the first sheet by default.
    directory
        Raw index folder; ``data/raw/indices`` by default.
    rebuild
        Write ``data/processed/indices.parquet`` afterwards.

    Returns
    -------
    ImportResult

    Raises
    ------
    InputError
        On any bad argument or row (nothing is written then), or if the same
        file was imported before.
    """
    from parstats.io import write_text
    from parstats.paths import raw_indices_dir

    _check_arguments(index, year, source)
    source = source.strip()
    directory = raw_indices_dir() if directory is None else Path(directory)
    cells = read_cells(path, sheet)
    header = find_header(cells)
    name = raw_file_name(index, year, cells.sha256)
    target = directory / name
    if target.exists():
        raise InputError(f"this file was already imported as {target.name}", path=cells.path)
    parsed = parse_rows(cells, header, index=index, year=year, source=source, file_name=name)
    # Line numbers in the file to be written: header is line 1.
    rows = tuple(RawRow(**{**r.__dict__, "line": k}) for k, r in enumerate(parsed.rows, start=2))
    # The whole table must still build; files in name order, as build_frame reads them.
    frame = assemble(sorted([*read_raw(directory), *rows], key=lambda r: r.file))
    write_text(target, _csv_text(rows))
    if [r.__dict__ for r in read_raw_file(target)] != [r.__dict__ for r in rows]:
        target.unlink()
        raise InputError("the written file does not read back identically; removed", path=target)
    processed = None
    if rebuild:
        from parstats.indices import processed_path
        from parstats.io import write_frame

        # The frame checked above is the table of the raw files now on disk.
        processed = write_frame(frame, processed_path())
    return ImportResult(
        raw_file=target,
        n_provinces=parsed.n_provinces,
        n_aggregates=parsed.n_aggregates,
        n_figures=len(rows),
        header_row=header.row,
        blank_rows=parsed.blank_rows,
        processed=processed,
    )
