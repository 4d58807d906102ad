"""What ``parstats build`` and ``parstats extract`` call to read plans in every format.

The wiring (a later, small step; see ``docs/FORMATS.md``, "Wiring"):

- :func:`plan_files` replaces ``folder.glob("*.txt")``: every plan file of a folder,
  any of ``.pdf .docx .doc .html .htm .txt`` in any letter case, sorted by name;
- :func:`read_plan` replaces ``decode_bytes(read_bytes(path))``: the file's bytes
  (hashed as they are, for the manifest) and its :class:`ConvertedDocument`;
- :func:`provenance` gives the three new ``documents`` columns;
- :func:`locations` gives each target's ``page`` and ``line`` from its start offset.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from parstats.formats.document import ConvertedDocument, Location
from parstats.formats.sniff import is_plan_file

__all__ = ["PlanFile", "Provenance", "locations", "plan_files", "provenance", "read_plan"]


@dataclass(frozen=True)
class PlanFile:
    """A plan file read for the pipeline: its original bytes' hash and size, and its text.

    Attributes
    ----------
    sha256, bytes
        Of the file's bytes as they are (the manifest's check), not of the text.
    document
        The converted document.
    """

    sha256: str
    bytes: int
    document: ConvertedDocument


@dataclass(frozen=True)
class Provenance:
    """The ``documents`` columns a conversion adds.

    Attributes
    ----------
    source_format
        ``"pdf-text"``, ``"pdf-ocr"``, ``"pdf-mixed"``, ``"docx"``, ``"doc"``,
        ``"html"`` or ``"txt"``.
    page_count
        Pages, or ``None`` (NA) for a document without pages.
    conversion
        Libraries and versions used.
    """

    source_format: str
    page_count: int | None
    conversion: str


def plan_files(folder: str | Path) -> list[Path]:
    """Return the plan files of ``folder`` (any plan suffix, any letter case), sorted by name."""
    return sorted(
        (p for p in Path(folder).iterdir() if p.is_file() and is_plan_file(p)),
        key=lambda p: p.name,
    )


def read_plan(path: str | Path, **options: object) -> PlanFile:
    """Read one plan file: hash its bytes, convert it (options as :func:`parstats.formats.convert`).

    Raises
    ------
    InputError
        A missing or empty file, or any :class:`~parstats.formats.errors.FormatError`.
    """
    from parstats.extraction.decode import read_bytes
    from parstats.formats import convert_bytes
    from parstats.io import sha256_bytes

    data = read_bytes(path)
    document = convert_bytes(data, name=str(path), **options)  # type: ignore[arg-type]
    return PlanFile(sha256=sha256_bytes(data), bytes=len(data), document=document)


def provenance(document: ConvertedDocument) -> Provenance:
    """Return the source format, page count and conversion to record for a document."""
    return Provenance(document.source_format, document.page_count, document.conversion)


def locations(document: ConvertedDocument, starts: Iterable[int]) -> list[Location]:
    """Return the page (``None`` if unpaged) and line of each target start offset."""
    return document.locations(int(s) for s in starts)
