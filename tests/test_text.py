"""Reading plan files: encodings, BOMs, NFC, line ends and clear errors."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from parstats.errors import EncodingError, InputError
from parstats.text import decode_bytes, encode_cp1258, read_decoded, read_text

REPO = Path(__file__).resolve().parents[1]
SAMPLE = (
    "KẾ HOẠCH\nCải cách hành chính nhà nước tỉnh Hưng Yên năm 2023\n"
    "Tối thiểu 80% hồ sơ được giải quyết trực tuyến; “đạt 100%” – Đắk Lắk.\n"
)
@pytest.mark.parametrize(
    ("data", "encoding", "had_bom"),
    [
        (SAMPLE.encode("utf-8"), "utf-8", False),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8", True),
        (SAMPLE.encode("utf-16"), "utf-16-le", True),
        (b"\xfe\xff" + SAMPLE.encode("utf-16-be"), "utf-16-be", True),
        (SAMPLE.encode("utf-32"), "utf-32-le", True),
        (encode_cp1258(SAMPLE), "cp1258", False),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32-bom", "cp1258"],
)
def test_encodings_decode_to_the_same_nfc_text(data, encoding, had_bom):
    decoded = decode_bytes(data, name="plan.txt")
    assert decoded.text == SAMPLE
    assert (decoded.encoding, decoded.had_bom) == (encoding, had_bom)
    assert unicodedata.is_normalized("NFC", decoded.text)


def test_a_whole_seed_plan_survives_cp1258():
    text = read_text(REPO / "data" / "raw" / "plans" / "002_0a79482184b1712a.txt")
    assert decode_bytes(encode_cp1258(text), name="x").text == text


def test_nfd_input_is_composed():
    decoded = decode_bytes(unicodedata.normalize("NFD", SAMPLE).encode(), name="x")
    assert decoded.text == SAMPLE


@pytest.mark.parametrize(
    ("ending", "kind"), [("\r\n", "crlf"), ("\r", "cr"), ("\n", "lf")]
)
def test_line_ends_become_lf(ending, kind):
    data = SAMPLE.replace("\n", ending).encode()
    decoded = decode_bytes(data, name="x")
    assert decoded.text == SAMPLE
    assert decoded.newline == kind


def test_mixed_and_absent_line_ends_are_reported():
    assert decode_bytes(b"a\r\nb\nc", name="x").newline == "mixed"
    assert decode_bytes(b"one line", name="x").newline == "none"


def test_everything_else_is_kept_so_offsets_hold():
    text = "  \tTối thiểu  80%\u00a0hồ sơ\f\n\n|x|\n"
    decoded = decode_bytes(text.encode(), name="x")
    assert decoded.text == text
    assert decoded.text[decoded.text.index("80%") : decoded.text.index("80%") + 3] == "80%"


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"", InputError, "empty file"),
        (b" \n\t\r\n", InputError, "only white space"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", EncodingError, "binary file"),
        (bytes(range(1, 256)), EncodingError, "not Windows-1258"),
        ("Straße über Köln".encode("latin-1"), EncodingError, "does not look like Vietnamese"),
        ("Привет, мир".encode("cp1251"), EncodingError, "does not look like Vietnamese"),
        (b"\xff\xfe" + b"\x00\xd8", EncodingError, "byte-order mark"),
        (b"ab\x01\x02\x03" * 50, EncodingError, "control characters"),
    ],
    ids=["empty", "blank", "png", "random", "latin1", "cyrillic", "bad-utf16", "controls"],
)
def test_undecodable_input_names_the_file(data, error, message):
    with pytest.raises(error, match=message) as info:
        decode_bytes(data, name="plans/bad.txt")
    assert "plans/bad.txt" in str(info.value)


def test_missing_path_and_folder_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="no such file") as info:
        read_text(tmp_path / "nope.txt")
    assert "nope.txt" in str(info.value)
    with pytest.raises(InputError, match="is a folder"):
        read_text(tmp_path)


def test_read_decoded_reports_the_encoding(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(encode_cp1258(SAMPLE).replace(b"\n", b"\r\n"))
    decoded = read_decoded(path)
    assert (decoded.text, decoded.encoding, decoded.newline) == (SAMPLE, "cp1258", "crlf")
