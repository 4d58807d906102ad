"""Small helpers for Vietnamese text: NFC, diacritic folding, slugs and numbers."""

from __future__ import annotations

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


# The string :func:`nfc` returned last. A plan's text is passed through ``nfc`` by
# each stage that may be called on its own (metadata, targets); the same string
# object need not be checked again, character by character, by the next stage.
_last_nfc = ""


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normal form C (composed diacritics)."""
    global _last_nfc
    if text is _last_nfc:
        return text
    out = unicodedata.normalize("NFC", text)
    if len(out) > 4096:  # only whole texts are worth remembering
        _last_nfc = out
    return out


def fold(text: str) -> str:
    """Return ``text`` without diacritics (``"Đắk Lắk"`` -> ``"Dak Lak"``); case is kept."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify(text: str) -> str:
    """Return an ASCII file-name slug: ``"Đắk Lắk"`` -> ``"dak-lak"``.

    Only ``a-z``, ``0-9`` and single hyphens remain; the result never starts or
    ends with a hyphen and is never empty (``"unnamed"`` for text with no letters).
    """
    folded = fold(nfc(text)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return slug or "unnamed"


_NUMBER = re.compile(r"^\s*([+-]?)(\d{1,3}(?:[.\s]\d{3})+|\d+)(?:,(\d+))?\s*$")
_DOT_DECIMAL = re.compile(r"^\s*([+-]?)(\d+)\.(\d{1,2})\s*$")


def parse_number(text: str) -> float:
    """Parse a number written the Vietnamese way: ``"41,17"`` -> 41.17.

    A comma is the decimal mark; ``.`` or a space groups thousands
    (``"1.000"`` -> 1000). A dot followed by one or two digits (``"2.5"``) is
    read as a decimal point, as many web-published plans write it.

    Raises
    ------
    ValueError
        If ``text`` is not a number in either convention.
    """
    match = _NUMBER.match(text)
    if match:
        sign, whole, frac = match.groups()
        whole = re.sub(r"[.\s]", "", whole)
        value = float(f"{whole}.{frac}" if frac else whole)
        return -value if sign == "-" else value
    match = _DOT_DECIMAL.match(text)
    if match:
        sign, whole, frac = match.groups()
        value = float(f"{whole}.{frac}")
        return -value if sign == "-" else value
    raise ValueError(f"not a number: {text!r} (expected e.g. '41,17' or '1.000')")
