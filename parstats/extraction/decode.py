r"""Reading plan texts: encoding detection, Unicode NFC and line ends.

Plans arrive as UTF-8 (with or without a byte-order mark), UTF-16 with a BOM
(Windows "Unicode" text) or Windows-1258 (the legacy Vietnamese code page).
The rule is simple and stated up front:

1. a BOM decides (UTF-32 and UTF-16 before UTF-8, since their BOMs overlap);
2. NUL bytes without a BOM mean a binary file: refused;
3. strict UTF-8 is tried next;
4. Windows-1258 only when the result is plausible Vietnamese text (it has
   Vietnamese letters, and almost none of the C1 controls or typographic
   symbols a wrongly decoded binary or other code page would produce).

Everything else raises :class:`~parstats.errors.EncodingError` naming the file.
The text is returned in NFC (Windows-1258 decodes to decomposed tone marks)
with ``\\n`` line ends; nothing else changes, so character offsets computed on
the returned text are stable.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from parstats.errors import EncodingError, InputError
from parstats.vn import nfc

Newline = Literal["lf", "crlf", "cr", "mixed", "none"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Letters only Vietnamese uses (after NFC): their presence tells cp1258 text
# from text in another single-byte code page.
_VIETNAMESE_LETTERS = frozenset(
    "ăâđêôơưĂÂĐÊÔƠƯ"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ"
)
# Symbols cp1258 maps from bytes 0x80-0xBF that real Vietnamese text hardly uses
# (curly quotes, dashes, bullets and the ellipsis it does use are left out):
# frequent when binary data or another encoding is read as cp1258.
_SUSPECT = frozenset("€‚ƒ„†‡ˆ‰‹Œ˜™›œŸ¡¢£¤¥¦¨ª¬¯±²³´µ¶¸¹º¼½¾¿×÷")
# Combining tone marks and the letters ă đ ơ ư: how Windows-1258 writes Vietnamese.
# Real Vietnamese has one on most words; other languages almost never.
_CP1258_MARKERS = "\u0300\u0301\u0303\u0309\u0323ăĂđĐơƠưƯ"
_CP1258_MARKER_BYTES = _CP1258_MARKERS.encode("cp1258")
_ASCII_LETTER_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_MIN_MARKED_SHARE = 0.02
_MAX_SUSPECT_SHARE = 0.02
_MAX_CONTROL_SHARE = 0.001
# C0 controls other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
# The same characters as bytes: in UTF-8 and Windows-1258 each is one byte of its own.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])
_ASCII_COMPATIBLE = frozenset({"utf-8", "cp1258"})
# The plausibility check reads this many characters (enough to judge, fast on 50 MB).
_SAMPLE_CHARS = 1 << 20


@dataclass(frozen=True)
class DecodedText:
    r"""A decoded text file.

    Attributes
    ----------
    text
        The text in NFC with ``\\n`` line ends, without the BOM.
    encoding
        ``"utf-8"``, ``"utf-16-le"``, ``"utf-16-be"``, ``"utf-32-le"``,
        ``"utf-32-be"`` or ``"cp1258"``.
    had_bom
        Whether the bytes began with a byte-order mark.
    newline
        The line ends found in the bytes: ``"lf"``, ``"crlf"``, ``"cr"``,
        ``"mixed"`` or ``"none"`` (a single line).
    """

    text: str
    encoding: str
    had_bom: bool
    newline: Newline


def read_bytes(path: str | Path) -> bytes:
    """Return a file's bytes, with a clear :class:`InputError` if it cannot be read."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file (expected a plan text, *.txt)", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, expected a text file", path=path) from None
    except PermissionError:
        raise InputError("permission denied: cannot read the file", path=path) from None


def read_text(path: str | Path) -> str:
    r"""Return the text of a plan file, decoded, in NFC with ``\\n`` line ends.

    Raises
    ------
    InputError
        If the file does not exist, is a folder or is empty.
    EncodingError
        If its encoding cannot be determined.
    """
    return read_decoded(path).text


def read_decoded(path: str | Path) -> DecodedText:
    """Return a plan file decoded, with the encoding and line ends it had."""
    return decode_bytes(read_bytes(path), name=str(path))


def decode_bytes(data: bytes, *, name: str) -> DecodedText:
    """Decode a plan's bytes (see the module docstring for the rule).

    Parameters
    ----------
    data
        The file's bytes.
    name
        The file name, used in error messages.

    Raises
    ------
    InputError
        If ``data`` is empty or holds only white space.
    EncodingError
        If ``data`` is binary, or neither UTF-8 nor plausible Windows-1258.
    """
    if not data.strip():
        what = "empty file" if not data else "file holds only white space"
        raise InputError(f"{what}; expected the text of a plan", path=name)
    raw, encoding, had_bom, composed = _decode(data, name)
    newline = _newline_kind(raw)
    text = raw.replace("\r\n", "\n").replace("\r", "\n") if newline != "lf" else raw
    # Windows-1258 text was composed already to judge it (line ends play no part in
    # NFC: "\r" and "\n" neither change nor combine, so the order does not matter).
    if not composed:
        # ``nfc`` returns the text itself when it is NFC already, and remembers it, so
        # that the stages after this one need not check it again.
        text = nfc(text)
    # Clean bytes of an ASCII-compatible encoding prove clean text, faster than a scan.
    if encoding not in _ASCII_COMPATIBLE or _has_control_byte(data):
        _check_controls(text, name)
    return DecodedText(text=text, encoding=encoding, had_bom=had_bom, newline=newline)


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Encode ``text`` the way Windows-1258 writes Vietnamese (the inverse of decoding).

    Letters with a tone mark have no single byte in Windows-1258: they are
    written as the base letter (``ê``, ``ơ``, ...) followed by a combining tone
    mark. Used to make legacy-encoded test files and benchmark variants.

    Raises
    ------
    UnicodeEncodeError
        If ``text`` holds a character Windows-1258 cannot represent.
    """
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 128:
            out.append(ch)
            continue
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def _decode(data: bytes, name: str) -> tuple[str, str, bool, bool]:
    """Return the decoded text, its encoding, whether it had a BOM and whether it is NFC."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding, True, False
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    f"starts with a {encoding} byte-order mark but byte {exc.start + len(bom)} "
                    f"is not valid {encoding}",
                    path=name,
                ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise EncodingError(
            f"binary file (NUL byte at offset {nul}); expected text in UTF-8, "
            "UTF-16 with a byte-order mark, or Windows-1258",
            path=name,
        )
    try:
        return data.decode("utf-8"), "utf-8", False, False
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"cannot determine the encoding: byte {utf8_error.start} "
            f"(0x{data[utf8_error.start]:02x}) is not UTF-8, and byte {exc.start} "
            f"(0x{data[exc.start]:02x}) is not Windows-1258",
            path=name,
        ) from None
    # The check reads the text in NFC; for all but huge files that is the whole text,
    # which is then returned composed (normalising it once, not twice).
    whole = len(text) <= _SAMPLE_CHARS
    composed = unicodedata.normalize("NFC", text if whole else text[:_SAMPLE_CHARS])
    if not _plausible_vietnamese(composed, data[:_SAMPLE_CHARS]):
        raise EncodingError(
            f"cannot determine the encoding: byte {utf8_error.start} "
            f"(0x{data[utf8_error.start]:02x}) is not UTF-8, and read as Windows-1258 the "
            "text does not look like Vietnamese; save the file as UTF-8",
            path=name,
        )
    return (composed, "cp1258", False, True) if whole else (text, "cp1258", False, False)


def _plausible_vietnamese(composed: str, sample: bytes) -> bool:
    """Whether Windows-1258 text reads as Vietnamese (letters, few odd symbols).

    ``sample`` is the start of the file's bytes and ``composed`` the same text
    decoded and put in NFC. The counts run at C speed rather than once per
    distinct letter: ASCII letters are counted on bytes, and the other letters
    (most of the other characters) as what remains after the few other symbols.
    """
    ascii_part = composed.encode("ascii", "ignore")
    letters = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LETTER_BYTES))
    other_letters = len(composed) - len(ascii_part)
    foreign = 0  # no ASCII character is foreign
    for ch in set(composed):
        if ch.isascii():
            continue
        if not ch.isalpha():
            n = composed.count(ch)
            other_letters -= n
            if ch in _SUSPECT or "\x80" <= ch <= "\x9f":
                foreign += n
        elif ch in _SUSPECT or ch not in _VIETNAMESE_LETTERS:
            foreign += composed.count(ch)
    letters += other_letters
    if not letters:
        return False
    # Windows-1258 writes each character as one byte: the markers are counted as bytes.
    marked = len(sample) - len(sample.translate(None, _CP1258_MARKER_BYTES))
    return marked / letters >= _MIN_MARKED_SHARE and foreign / letters <= _MAX_SUSPECT_SHARE


def _newline_kind(text: str) -> Newline:
    if "\r" not in text:
        # Most files: no carriage return, so nothing to count.
        return "lf" if "\n" in text else "none"
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [k for k, n in (("crlf", crlf), ("cr", cr), ("lf", lf)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"  # type: ignore[return-value]


def _has_control_byte(data: bytes) -> bool:
    """Whether ``data`` holds a byte of :data:`_CONTROL_BYTES`.

    One ``memchr`` per byte value (``in`` with an integer), each far faster than a
    pass of ``translate`` over the data.
    """
    return any(byte in data for byte in _CONTROL_BYTES)


def _check_controls(text: str, name: str) -> None:
    """Refuse text with many C0 control characters (a binary file that happens to decode)."""
    if _CONTROL.search(text) is None:
        return
    controls = len(_CONTROL.findall(text))
    if controls > max(10, _MAX_CONTROL_SHARE * len(text)):
        raise EncodingError(
            f"binary file ({controls} control characters); expected plain text", path=name
        )
