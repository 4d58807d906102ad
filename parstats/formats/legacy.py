"""Legacy Vietnamese font encodings: TCVN3 (ABC, ``.VnTime``) and VNI (``VNI-Times``).

Before Unicode, Vietnamese was typed in 8-bit fonts: a PDF or Word file made with
them stores Western (Windows-1252) characters that only the font draws as
Vietnamese letters, so its text reads ``"Céng hoµ x· héi"`` (TCVN3) or
``"Coäng hoøa xaõ hoäi"`` (VNI) instead of ``"Cộng hoà xã hội"``. This module finds
such text and converts it to Unicode (NFC).

The code tables
---------------
Both tables follow UniKey's converter (VnConv, ``ukengine/data.cpp`` of the
UniKey / ibus-unikey project, tables ``TCVN3`` and ``VNI-WIN``), checked against
the TCVN 5712:1993 table of GNU libiconv (``lib/tcvn.h``, code points
0xA1-0xFE). They are written below as data (one Unicode letter and its legacy
form per entry), not copied code.

- **TCVN3 / ABC** (TCVN 5712:1993 VN3): one byte per letter, lower case only.
  Upper-case letters with a tone mark have no code: they are typed in the
  companion upper-case font (``.VnTimeH``, ``.VnArialH``), which draws the
  lower-case codes as capitals. So text in an ``...H`` font is decoded and then
  put in upper case (``upper=True``).
- **VNI Windows**: a base letter followed by one or two mark characters
  (``"a" + "ù"`` is ``"á"``, ``"e" + "ä"`` is ``"ệ"``), and single characters for
  ``đ``, ``ơ``, ``ư`` and the toned ``i`` and ``ỵ``.

Detection
---------
Text is legacy-encoded only if it holds no character above U+00FF other than
the Windows-1252 punctuation these fonts reuse (Unicode Vietnamese always has
``ă``, ``đ``, ``ơ``, ``ư`` or a letter of the U+1Exx block), and if decoding it
gives markedly more Vietnamese letters and fewer stray Latin-1 symbols than it
had (:func:`detect`). A font name (``.Vn...``, ``VNI-...``) settles it
(:func:`encoding_of_font`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from parstats.vn import nfc

__all__ = [
    "LegacyEncoding",
    "decode",
    "detect",
    "encode_tcvn3",
    "encode_vni",
    "encoding_of_font",
    "is_upper_font",
    "syllable_score",
    "tcvn3_runs",
]

LegacyEncoding = Literal["unicode", "tcvn3", "vni"]

# ---------------------------------------------------------------------------
# TCVN3 (ABC). Each pair: the Unicode letter, its TCVN3 character as Windows-1252
# shows it. Order of UniKey's table: for each vowel, plain, acute, grave, hook,
# tilde, dot below.
_TCVN3_PAIRS = (
    "aa á¸ àµ ả¶ ã· ạ¹ "
    "â© ấÊ ầÇ ẩÈ ẫÉ ậË "
    "ă¨ ắ¾ ằ» ẳ¼ ẵ½ ặÆ "
    "đ® "
    "ee éÐ èÌ ẻÎ ẽÏ ẹÑ "
    "êª ếÕ ềÒ ểÓ ễÔ ệÖ "
    "ii íÝ ì× ỉØ ĩÜ ịÞ "
    "oo óã òß ỏá õâ ọä "
    "ô« ốè ồå ổæ ỗç ộé "
    "ơ¬ ớí ờê ởë ỡì ợî "
    "uu úó ùï ủñ ũò ụô "
    "ư\xad ứø ừõ ửö ữ÷ ựù "
    "yy ýý ỳú ỷû ỹü ỵþ "
    "Ă¡ Â¢ Đ§ Ê£ Ô¤ Ơ¥ Ư¦"
)
_TCVN3_FROM_UNICODE: dict[str, str] = {}
for _pair in _TCVN3_PAIRS.split(" "):
    if _pair and not _pair.isascii():
        _TCVN3_FROM_UNICODE[_pair[0]] = _pair[1]
_TCVN3_TO_UNICODE = {legacy: uni for uni, legacy in _TCVN3_FROM_UNICODE.items()}
_TCVN3_TABLE = str.maketrans(_TCVN3_TO_UNICODE)

# ---------------------------------------------------------------------------
# VNI Windows. Marks after the base letter: one set for a plain vowel (and for
# ơ, ư, y), one for â/ê/ô (circumflex with a tone), one for ă (breve with a tone).
# Lower-case marks; the upper-case forms are the same characters in upper case
# ("A" + "Ù" is "Á"), as in UniKey's table.
_VNI_TONES = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRCUMFLEX = {
    "": "â",
    "\u0301": "á",
    "\u0300": "à",
    "\u0309": "å",
    "\u0303": "ã",
    "\u0323": "ä",
}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
# Single characters: đ, ơ, ư and the toned i (and ỵ), which VNI writes as one byte.
_VNI_SINGLE = {
    "đ": "ñ", "Đ": "Ñ", "ơ": "ô", "Ơ": "Ô", "ư": "ö", "Ư": "Ö",
    "í": "í", "Í": "Í", "ì": "ì", "Ì": "Ì", "ỉ": "æ", "Ỉ": "Æ",
    "ĩ": "ó", "Ĩ": "Ó", "ị": "ò", "Ị": "Ò", "ỵ": "î", "Ỵ": "Î",
}  # fmt: skip
_TONE_MARKS = "\u0301\u0300\u0309\u0303\u0323"


def _vni_table() -> dict[str, str]:
    """Return ``{unicode letter: VNI characters}`` for every Vietnamese letter."""
    table: dict[str, str] = {}
    for base in "aeouyAEOUY":
        for tone, mark in _VNI_TONES.items():
            table[unicodedata.normalize("NFC", base + tone)] = base + _case(mark, base)
    for base in "ơưƠƯ":
        for tone, mark in _VNI_TONES.items():
            table[unicodedata.normalize("NFC", base + tone)] = _VNI_SINGLE[base] + _case(mark, base)
    for base in "aeoAEO":
        for tone, mark in _VNI_CIRCUMFLEX.items():
            table[unicodedata.normalize("NFC", base + "\u0302" + tone)] = base + _case(mark, base)
    for base in "aA":
        for tone, mark in _VNI_BREVE.items():
            table[unicodedata.normalize("NFC", base + "\u0306" + tone)] = base + _case(mark, base)
    table.update(_VNI_SINGLE)
    return table


def _case(mark: str, base: str) -> str:
    return mark.upper() if base.isupper() else mark


_VNI_FROM_UNICODE = _vni_table()
# Decoding reads the longest form first: "oâ" (ô) before "o", "ôù" (ớ) before "ô".
_VNI_TO_UNICODE = {legacy: uni for uni, legacy in _VNI_FROM_UNICODE.items()}
_VNI_PATTERN = re.compile(
    "|".join(re.escape(k) for k in sorted(_VNI_TO_UNICODE, key=len, reverse=True))
)

# Characters a legacy font reuses from Windows-1252 beyond Latin-1 (curly quotes,
# dashes, ...): allowed in legacy text, which is otherwise all <= U+00FF.
_CP1252_EXTRA = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))

# A Vietnamese syllable, tone marks removed: onset, vowel nucleus, final consonant.
_ONSET = "ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnpqrstvx]"
_NUCLEUS = (
    "uyêu|uyê|uya|oai|oay|oao|oeo|uây|uôi|ươi|ươu|iêu|yêu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
    "[aăâeêioôơuưy]"
)
_SYLLABLE = re.compile(f"(?:{_ONSET})?(?:{_NUCLEUS})(?:ch|ng|nh|[cmnpt])?")
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_EDGE_PUNCTUATION = "\"'()[]{}<>.,;:!?-–—“”‘’…/*"
_MIN_GAIN = 0.2


def encoding_of_font(font: str | None) -> LegacyEncoding | None:
    """Return the legacy encoding a font name implies, or ``None`` when it implies none.

    ``.VnTime``, ``.VnArialH``, ``VnTimes`` (subset prefixes such as ``ABCDEF+``
    are ignored) are TCVN3; ``VNI-Times``, ``VNI-Helve`` are VNI.
    """
    if not font:
        return None
    name = font.split("+", 1)[-1].lstrip()
    if name.startswith((".Vn", ".VN")) or re.match(r"Vn[A-Z]", name):
        return "tcvn3"
    if name.upper().startswith("VNI"):
        return "vni"
    return None


def is_upper_font(font: str | None) -> bool:
    """Whether a TCVN3 font name is of the upper-case companion font (``.VnTimeH``)."""
    if not font:
        return False
    name = re.split(r"[,\-]", font.split("+", 1)[-1])[0]
    return encoding_of_font(font) == "tcvn3" and name.endswith("H")


def decode(text: str, encoding: LegacyEncoding, *, upper: bool = False) -> str:
    """Return legacy-encoded ``text`` as Unicode (NFC).

    Parameters
    ----------
    text
        The text as read from the file (Windows-1252 characters).
    encoding
        ``"tcvn3"``, ``"vni"`` or ``"unicode"`` (returned unchanged, NFC).
    upper
        The text is in a TCVN3 upper-case font (``.VnTimeH``): put it in upper case.
    """
    if encoding == "tcvn3":
        out = text.translate(_TCVN3_TABLE)
        return nfc(out.upper() if upper else out)
    if encoding == "vni":
        return nfc(_VNI_PATTERN.sub(lambda m: _VNI_TO_UNICODE[m.group(0)], text))
    return nfc(text)


def detect(text: str) -> LegacyEncoding:
    """Return the encoding ``text`` is most likely in: ``"unicode"``, ``"tcvn3"`` or ``"vni"``.

    Legacy only when every character is Latin-1 or Windows-1252 punctuation, and
    decoding it turns more of its words into Vietnamese syllables (one tone mark,
    a known vowel cluster) than as it stands, by a clear margin.
    """
    if text.isascii():
        return "unicode"
    if any(ch > "\u00ff" and ch not in _CP1252_EXTRA for ch in text):
        return "unicode"
    best: LegacyEncoding = "unicode"
    best_score = syllable_score(text)
    for encoding in ("tcvn3", "vni"):
        score = syllable_score(decode(text, encoding))  # type: ignore[arg-type]
        if score > best_score + _MIN_GAIN:
            best, best_score = encoding, score  # type: ignore[assignment]
    return best


def syllable_score(text: str) -> float:
    """Return the share of words with a non-ASCII character that are Vietnamese syllables.

    Words with such a character that are not syllables count against it: the
    result runs from -1 (none is) to 1 (all are); 0 when no word has one.
    """
    good = bad = 0
    for word in text.split():
        word = word.strip(_EDGE_PUNCTUATION)
        if word.isascii():
            continue
        if _is_syllable(word):
            good += 1
        else:
            bad += 1
    return (good - bad) / (good + bad) if good + bad else 0.0


def _is_syllable(word: str) -> bool:
    parts = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in parts if ch in _TONES)
    if tones > 1:
        return False
    skeleton = unicodedata.normalize("NFC", "".join(ch for ch in parts if ch not in _TONES))
    return _SYLLABLE.fullmatch(skeleton) is not None


def encode_tcvn3(text: str) -> str:
    """Return ``text`` in TCVN3 as Windows-1252 characters (for test files and benchmarks).

    Upper-case letters with a tone mark have no TCVN3 code: use
    :func:`tcvn3_runs` to split a text into runs of the normal and the
    upper-case font.

    Raises
    ------
    ValueError
        If ``text`` holds a character TCVN3 cannot write.
    """
    out = []
    for ch in nfc(text):
        if ch in _TCVN3_FROM_UNICODE:
            out.append(_TCVN3_FROM_UNICODE[ch])
        elif ch < "\u0080" or ch in _CP1252_EXTRA:
            out.append(ch)
        else:
            raise ValueError(f"TCVN3 cannot write {ch!r} (U+{ord(ch):04X})")
    return "".join(out)


def tcvn3_runs(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into TCVN3 runs ``(legacy_text, upper_font)`` as a typist would.

    An upper-case letter with a tone mark is typed in the upper-case font as its
    lower-case code; the run goes on over the capitals, digits, spaces and
    punctuation after it, and ends at the next lower-case letter.
    """
    runs: list[tuple[str, bool]] = []
    current: list[str] = []
    upper = False
    for ch in nfc(text):
        needs_upper = ch.isupper() and ch not in _TCVN3_FROM_UNICODE and not ch.isascii()
        if needs_upper and not upper:
            if current:
                runs.append(("".join(current), False))
            current, upper = [], True
        elif upper and ch.islower():
            runs.append(("".join(current), True))
            current, upper = [], False
        current.append(ch.lower() if upper else ch)
    if current:
        runs.append(("".join(current), upper))
    return [(encode_tcvn3(part), up) for part, up in runs]


def encode_vni(text: str) -> str:
    """Return ``text`` in VNI Windows as Windows-1252 characters (for test files).

    Raises
    ------
    ValueError
        If ``text`` holds a character VNI cannot write.
    """
    out = []
    for ch in nfc(text):
        if ch in _VNI_FROM_UNICODE:
            out.append(_VNI_FROM_UNICODE[ch])
        elif ch < "\u0080" or ch in _CP1252_EXTRA or ch == "\u00a0":
            out.append(ch)
        else:
            raise ValueError(f"VNI cannot write {ch!r} (U+{ord(ch):04X})")
    return "".join(out)
