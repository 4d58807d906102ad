"""Hypothesis fuzz of the plans manifest reader: any bytes give rows or a clear InputError.

Whatever the file holds, :func:`parstats.build.read_manifest` either returns
rows whose ``file`` stays inside ``data/raw/plans`` (a plan file of
:data:`~parstats.formats.sniff.PLAN_SUFFIXES`, no ``..``,
no absolute path, no control character), with a 64-digit hash and a size, or
raises :class:`~parstats.errors.InputError` naming the manifest; never another
exception (audit D9, D16).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from parstats.build import MANIFEST_COLUMNS, read_manifest
from parstats.errors import InputError
from parstats.formats.sniff import PLAN_SUFFIXES

HEADER = [*MANIFEST_COLUMNS, "province", "period_start", "period_end"]
NAME_PARTS = st.sampled_from(
    ["..", ".", "", "/", "\\", "plan", "Kế hoạch", "a b", "\x1b[2J", "\x00", "C:", "~",
     ".txt", ".TXT", ".pdf", "sub", "\u202e", "%2e%2e"]
)
NAMES = st.one_of(
    st.lists(NAME_PARTS, min_size=1, max_size=6).map("".join),
    st.lists(NAME_PARTS, min_size=1, max_size=4).map("/".join),
    st.text(max_size=20),
)
DIGESTS = st.one_of(st.just("a" * 64), st.text("0123456789abcdefABCDEF", max_size=70),
                    st.text(max_size=10))
SIZES = st.one_of(st.integers(0, 10**9).map(str), st.text(max_size=6),
                  st.just("١٢٣"), st.just("-1"))
YEARS = st.one_of(st.just(""), st.integers(1990, 2040).map(str), st.text(max_size=5))


@st.composite
def manifests(draw: st.DrawFn) -> bytes:
    """A manifest as a spreadsheet or a hand might save it: rows of odd cells, odd bytes."""
    rows = draw(st.lists(
        st.tuples(NAMES, DIGESTS, SIZES, st.text(max_size=8), st.text(max_size=6), YEARS, YEARS),
        max_size=6,
    ))
    header = draw(st.one_of(st.just(HEADER), st.permutations(HEADER),
                            st.lists(st.sampled_from(HEADER), max_size=8)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    for row in rows:
        cells = list(row)[: len(header)]
        if draw(st.booleans()):
            cells.append("extra")  # a row longer than the header
        writer.writerow(cells)
    data = buffer.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])))
    if draw(st.booleans()):
        data += draw(st.binary(max_size=20))
    return data


def _check(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plans = Path(tmp) / "data" / "raw" / "plans"
        plans.mkdir(parents=True)
        path = plans / "manifest.csv"
        path.write_bytes(data)
        try:
            rows = read_manifest(path)
        except InputError as exc:
            assert exc.path == path and str(exc).startswith(str(path))
            return
        for row in rows:
            assert row.file.lower().endswith(PLAN_SUFFIXES)
            assert not os.path.isabs(row.file) and ".." not in row.file.split("/")
            assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in row.file)
            resolved = (plans / row.file).resolve()
            assert plans.resolve() in resolved.parents
            assert len(row.sha256) == 64 and row.bytes >= 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests())
@example(b"\xef\xbb\xbffile,sha256,bytes,source\r\nplan.txt," + b"a" * 64 + b",1,x\r\n")
@example(b"file,sha256,bytes,source\n/etc/hostname," + b"a" * 64 + b",1,x\n")
@example(b"file,sha256,bytes,source\n../../x.txt," + b"a" * 64 + b",1,x\n")
@example(b"file,sha256,bytes,source\n.pdf," + b"a" * 64 + b",0,\n")  # a PDF plan row
def test_any_manifest_gives_confined_rows_or_an_input_error(data: bytes):
    _check(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_rows_or_an_input_error(data: bytes):
    _check(data)
