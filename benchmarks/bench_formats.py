"""Speed, accuracy and memory of reading plans as published (``parstats.formats``).

Usage::

    python benchmarks/bench_formats.py [--repeat 3] [--ocr-pages 3] [--dpi 200 300] [--json FILE]

Every input is made from the seed plans (``data/raw/plans``): each seed as a
``.docx``, the text PDF and ``.doc`` LibreOffice makes of it, a portal web page
around it, and an image-only PDF of the first ``--ocr-pages`` pages of one seed.
Printed, with ratios against the ``.txt`` read in the same process:

- text PDFs: pages per second and characters per second through
  ``parstats.formats.convert`` (PDFium), and through ``pdfplumber`` alone, with each
  library's character error rate (CER) against the seed text: the comparison that
  chose PDFium;
- ``.docx``, ``.doc`` (LibreOffice) and web pages: documents and characters per
  second; for web pages, parstats' rules against trafilatura (CER and page-furniture
  words leaked), when trafilatura is installed;
- OCR: pages per second and CER at each ``--dpi``;
- peak memory (maximum resident set size of this process, and of its child
  processes: LibreOffice, Tesseract).

LibreOffice and Tesseract are needed for their parts; without them those parts
are skipped with a message. Speed figures drift with the load of a shared
machine: every timing is repeated ``--repeat`` times and the median is printed.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SCAN_SEED = "002_0a79482184b1712a"
FURNITURE = (
    "Trang chủ", "Giới thiệu", "Tìm kiếm", "Lượt xem", "Chia sẻ", "Tin liên quan", "Gửi ý kiến",
    "Nguyễn Văn A", "Văn bản mới", "Thăm dò", "Cơ quan chủ quản", "Tổng lượt truy cập",
)  # fmt: skip


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate, white space runs collapsed (line breaks differ by layout)."""
    from rapidfuzz.distance import Levenshtein

    ref = " ".join(reference.split())
    return Levenshtein.distance(ref, " ".join(hypothesis.split())) / len(ref)


def median_time(fn, repeat: int) -> float:
    """Median wall seconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its finished children, in MB."""
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 1024 / 1024
    return {
        "self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale, 1),
        "children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale, 1),
    }


def trafilatura_extract(page: str) -> str:
    """Main text by trafilatura (the alternative measured), with the same furniture words."""
    import trafilatura

    from parstats.formats.html import FURNITURE_WORDS

    lower = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'"
    tests = " or ".join(
        f"contains(translate(@class, {lower}), '{w}') or contains(translate(@id, {lower}), '{w}')"
        for w in FURNITURE_WORDS
    )
    text = trafilatura.extract(
        page,
        output_format="txt",
        include_tables=True,
        include_comments=False,
        favor_recall=True,
        deduplicate=False,
        prune_xpath=[f"//*[not(self::body) and ({tests})]"],
    )
    return text or ""


def make_inputs(folder: Path, seeds: dict[str, str]) -> dict[str, list[Path]]:
    """Write every seed as .docx, .html (and, with LibreOffice, .pdf and .doc)."""
    from parstats.formats.office import libreoffice_version
    from parstats.formats.samples import docx_from_text, libreoffice_convert, portal_page

    made: dict[str, list[Path]] = {"docx": [], "html5": [], "table": [], "pdf": [], "doc": []}
    for stem, text in seeds.items():
        made["docx"].append(docx_from_text(text).save(folder / f"{stem}.docx"))
        for layout in ("html5", "table"):
            page = folder / layout / f"{stem}.html"
            page.parent.mkdir(exist_ok=True)
            title = "Kế hoạch cải cách hành chính"
            page.write_text(portal_page(text, title=title, layout=layout), encoding="utf-8")
            made[layout].append(page)
    if libreoffice_version() is None:
        print("LibreOffice not installed: text PDF and .doc figures skipped (make ocr)")
        return made
    for docx in made["docx"]:
        made["pdf"].append(libreoffice_convert(docx, folder / "pdf", "pdf"))
        made["doc"].append(libreoffice_convert(docx, folder / "doc", "doc"))
    return made


def bench_text(seeds: dict[str, str], repeat: int) -> dict[str, float]:
    from parstats.formats import convert

    paths = sorted((REPO / "data" / "raw" / "plans").glob("*.txt"))
    chars = sum(len(t) for t in seeds.values())
    seconds = median_time(lambda: [convert(p) for p in paths], repeat)
    return {"docs_s": len(paths) / seconds, "chars_s": chars / seconds}


def bench_pdf(paths: list[Path], seeds: dict[str, str], repeat: int) -> dict[str, dict]:
    import pdfplumber

    from parstats.formats import convert

    docs = [convert(p, ocr=False) for p in paths]
    pages = sum(d.page_count or 0 for d in docs)
    chars = sum(len(d.text) for d in docs)
    ours = median_time(lambda: [convert(p, ocr=False) for p in paths], repeat)

    def plumber() -> list[str]:
        out = []
        for p in paths:
            with pdfplumber.open(p) as pdf:
                out.append("\n".join(page.extract_text() or "" for page in pdf.pages))
        return out

    plumber_texts = plumber()
    theirs = median_time(plumber, max(1, repeat // 3))
    return {
        "parstats.formats (pypdfium2)": {
            "pages_s": pages / ours,
            "chars_s": chars / ours,
            "cer": max(cer(seeds[p.stem], d.text) for p, d in zip(paths, docs, strict=True)),
        },
        "pdfplumber extract_text": {
            "pages_s": pages / theirs,
            "chars_s": chars / theirs,
            "cer": max(cer(seeds[p.stem], t) for p, t in zip(paths, plumber_texts, strict=True)),
        },
        "pages": pages,
    }


def bench_docs(paths: list[Path], seeds: dict[str, str], repeat: int) -> dict[str, float]:
    from parstats.formats import convert

    docs = [convert(p) for p in paths]
    seconds = median_time(lambda: [convert(p) for p in paths], repeat)
    return {
        "docs_s": len(paths) / seconds,
        "chars_s": sum(len(d.text) for d in docs) / seconds,
        "cer": max(cer(seeds[p.stem], d.text) for p, d in zip(paths, docs, strict=True)),
    }


def bench_html(paths: list[Path], seeds: dict[str, str], repeat: int) -> dict[str, dict]:
    from parstats.formats import convert

    out: dict[str, dict] = {}
    docs = [convert(p) for p in paths]
    seconds = median_time(lambda: [convert(p) for p in paths], repeat)
    out["parstats rules"] = _html_figures(paths, [d.text for d in docs], seeds, seconds)
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        print("trafilatura not installed: the comparison with it is skipped")
        return out
    pages = [p.read_text(encoding="utf-8") for p in paths]
    texts = [trafilatura_extract(page) for page in pages]
    seconds = median_time(lambda: [trafilatura_extract(page) for page in pages], repeat)
    out["trafilatura"] = _html_figures(paths, texts, seeds, seconds)
    return out


def _html_figures(paths, texts, seeds, seconds) -> dict[str, float]:
    leaked = sum(
        1
        for p, t in zip(paths, texts, strict=True)
        for w in FURNITURE
        if w in t and w not in seeds[p.stem]
    )
    return {
        "docs_s": len(paths) / seconds,
        "cer": max(cer(seeds[p.stem], t) for p, t in zip(paths, texts, strict=True)),
        "furniture_words_leaked": leaked,
    }


def bench_ocr(pdf: Path, seed_text: str, pages: int, dpis: list[int], folder: Path) -> dict:
    from parstats.formats import convert
    from parstats.formats.ocr import tesseract_version
    from parstats.formats.samples import scan_pdf

    if tesseract_version() is None:
        print("Tesseract (vie) not installed: OCR figures skipped (make ocr)")
        return {}
    out = {}
    for dpi in dpis:
        scan = scan_pdf(pdf, folder / f"scan{dpi}.pdf", dpi=dpi, pages=range(pages))
        started = time.perf_counter()
        doc = convert(scan, dpi=dpi, progress=False)
        seconds = time.perf_counter() - started
        # The reference is the seed text of the pages scanned (from the text PDF's pages).
        reference = convert(pdf, ocr=False)
        ref = "\n".join(reference.page_text(k + 1) for k in range(pages))
        out[dpi] = {
            "pages_s": pages / seconds,
            "s_per_page": seconds / pages,
            "cer": cer(ref, doc.text),
            "confidence": statistics.mean(p.ocr_confidence or 0 for p in doc.pages),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timings per figure (median)")
    parser.add_argument("--ocr-pages", type=int, default=3, help="pages of the scan to OCR")
    parser.add_argument("--dpi", type=int, nargs="+", default=[200, 300], help="OCR resolutions")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    from parstats.extraction.decode import read_text

    seeds = {p.stem: read_text(p) for p in sorted((REPO / "data/raw/plans").glob("*.txt"))}
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="parstats-bench-formats-") as tmp:
        folder = Path(tmp)
        made = make_inputs(folder, seeds)
        base = bench_text(seeds, args.repeat)
        figures["txt"] = base
        print(
            f"baseline .txt read: {base['docs_s']:.1f} docs/s, "
            f"{base['chars_s'] / 1e6:.2f} M chars/s"
        )
        if made["pdf"]:
            pdf = bench_pdf(made["pdf"], seeds, args.repeat)
            figures["pdf"] = pdf
            print(f"text PDF ({pdf['pages']} pages from {len(made['pdf'])} seeds):")
            for name, f in pdf.items():
                if isinstance(f, dict):
                    print(
                        f"  {name:<30} {f['pages_s']:8.1f} pages/s"
                        f"  {f['chars_s'] / 1e6:6.3f} M chars/s"
                        f"  ({base['chars_s'] / f['chars_s']:6.1f}x slower than .txt)"
                        f"  CER {f['cer']:.4f}"
                    )
        for kind in ("docx", "doc"):
            if made[kind]:
                f = bench_docs(made[kind], seeds, args.repeat if kind == "docx" else 1)
                figures[kind] = f
                print(
                    f".{kind:<4} {f['docs_s']:8.2f} docs/s  {f['chars_s'] / 1e6:6.3f} M chars/s  "
                    f"({base['chars_s'] / f['chars_s']:6.1f}x slower than .txt)  CER {f['cer']:.4f}"
                )
        for layout in ("html5", "table"):
            html = bench_html(made[layout], seeds, args.repeat)
            figures[f"html {layout}"] = html
            for name, f in html.items():
                print(
                    f"web page ({layout} layout), {name:<17} {f['docs_s']:8.1f} docs/s  "
                    f"CER {f['cer']:.4f}  furniture words leaked {f['furniture_words_leaked']}"
                )
        if made["pdf"]:
            pdf_path = next(p for p in made["pdf"] if p.stem == SCAN_SEED)
            ocr = bench_ocr(pdf_path, seeds[SCAN_SEED], args.ocr_pages, args.dpi, folder)
            figures["ocr"] = ocr
            text_pdf = figures["pdf"]["parstats.formats (pypdfium2)"]["pages_s"]  # type: ignore[index]
            for dpi, f in ocr.items():
                print(
                    f"OCR {dpi} dpi: {f['pages_s']:.3f} pages/s ({f['s_per_page']:.1f} s/page, "
                    f"{text_pdf / f['pages_s']:.0f}x slower than a text PDF)  CER {f['cer']:.4f}  "
                    f"mean confidence {f['confidence']:.1f}"
                )
    figures["peak_rss_mb"] = peak_rss_mb()
    print(f"peak memory: {figures['peak_rss_mb']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
