"""Who publishes each index, how to cite it, and how to cite parstats.

The publishers and citation forms follow ``data/raw/indices/SOURCES.md``: PAPI by
CECODES, RTA and UNDP (with VFF-CRT up to the 2022 report), PCI by VCCI, the PAR
Index and SIPAS by the Ministry of Home Affairs (*Bộ Nội vụ*). Reports, profiles,
figures and tables name their sources with :func:`source_line`; the "How to
cite" section of every page is :func:`how_to_cite`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from parstats.display import Html, Text, html_text


@dataclass(frozen=True)
class Publisher:
    """An index and who publishes it.

    Attributes
    ----------
    index
        ``PAR``, ``SIPAS``, ``PAPI``, ``PCI`` or ``PGI``.
    short
        The publisher in a few words (figure captions).
    citation
        How to cite one edition; ``{year}`` is the survey year, ``{next}`` the year after.
    site
        Where the editions are published.
    """

    index: str
    short: Text
    citation: Text
    site: str


PUBLISHERS: dict[str, Publisher] = {
    "PAR": Publisher(
        "PAR",
        Text("Ministry of Home Affairs", "Bộ Nội vụ"),
        Text(
            "Ministry of Home Affairs (Bộ Nội vụ), Báo cáo Chỉ số cải cách hành chính năm "
            "{year} của các bộ, cơ quan ngang bộ, Ủy ban nhân dân các tỉnh, thành phố trực "
            "thuộc trung ương (PAR Index {year}).",
            "Bộ Nội vụ, Báo cáo Chỉ số cải cách hành chính năm {year} của các bộ, cơ quan "
            "ngang bộ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương.",
        ),
        "https://caicachhanhchinh.gov.vn",
    ),
    "SIPAS": Publisher(
        "SIPAS",
        Text("Ministry of Home Affairs", "Bộ Nội vụ"),
        Text(
            "Ministry of Home Affairs (Bộ Nội vụ), Báo cáo Chỉ số hài lòng về sự phục vụ hành "
            "chính năm {year} (SIPAS {year}).",
            "Bộ Nội vụ, Báo cáo Chỉ số hài lòng về sự phục vụ hành chính năm {year} (SIPAS "
            "{year}).",
        ),
        "https://caicachhanhchinh.gov.vn",
    ),
    "PAPI": Publisher(
        "PAPI",
        Text("CECODES, RTA and UNDP", "CECODES, RTA và UNDP"),
        Text(
            "CECODES, VFF-CRT, RTA and UNDP ({next}). The {year} Viet Nam Provincial Governance "
            "and Public Administration Performance Index (PAPI {year}). Hà Nội (from the 2023 "
            "edition: CECODES, RTA and UNDP). papi.org.vn.",
            "CECODES, VFF-CRT, RTA và UNDP ({next}). Chỉ số Hiệu quả Quản trị và Hành chính công "
            "cấp tỉnh ở Việt Nam (PAPI) năm {year}. Hà Nội (từ ấn bản 2023: CECODES, RTA và "
            "UNDP). papi.org.vn.",
        ),
        "https://papi.org.vn",
    ),
    "PCI": Publisher(
        "PCI",
        Text("VCCI", "VCCI"),
        Text(
            "VCCI (Vietnam Chamber of Commerce and Industry). The Viet Nam Provincial "
            "Competitiveness Index {year}. pcivietnam.vn.",
            "Liên đoàn Thương mại và Công nghiệp Việt Nam (VCCI). Chỉ số Năng lực cạnh tranh "
            "cấp tỉnh (PCI) {year}. pcivietnam.vn.",
        ),
        "https://pcivietnam.vn",
    ),
    "PGI": Publisher(
        "PGI",
        Text("VCCI", "VCCI"),
        Text(
            "VCCI. The Provincial Green Index (PGI) {year}. pcivietnam.vn.",
            "VCCI. Chỉ số Xanh cấp tỉnh (PGI) {year}. pcivietnam.vn.",
        ),
        "https://pcivietnam.vn",
    ),
}

PARSTATS_CITATION = Text(
    "parstats contributors. parstats: a research toolkit for comparing Vietnamese provinces' "
    "Public Administration Reform plans, version {version}. See CITATION.cff.",
    "Nhóm phát triển parstats. parstats: bộ công cụ nghiên cứu so sánh kế hoạch cải cách "
    "hành chính của các tỉnh Việt Nam, phiên bản {version}. Xem CITATION.cff.",
)

DERIVED_PAPI = Text(
    "PAPI totals and ranks marked derived are computed by parstats from the published "
    "sub-dimension scores (sum of sub-dimensions and dimensions; rank among the provinces "
    "with a total that year).",
    "Tổng điểm và xếp hạng PAPI ghi là \u201ctính toán\u201d do parstats tính từ điểm các "
    "chỉ số nội dung thành phần đã công bố (cộng các chỉ số thành phần và nội dung; xếp hạng "
    "trong số các tỉnh có tổng điểm năm đó).",
)


def source_line(indices: Iterable[str], *, derived_papi: bool = False) -> Text:
    """Return "Sources: PCI — VCCI; PAPI — CECODES, RTA and UNDP ..." for a caption.

    Parameters
    ----------
    indices
        The indices a figure or table shows (order kept, duplicates dropped).
    derived_papi
        Whether PAPI figures computed from the published sub-dimensions are shown:
        the line then says so.
    """
    names = [i for i in dict.fromkeys(indices) if i in PUBLISHERS]
    if not names:
        return Text("Source: parstats processed data.", "Nguồn: dữ liệu đã xử lý của parstats.")
    en = "; ".join(f"{i} — {PUBLISHERS[i].short.en}" for i in names)
    vi = "; ".join(f"{i} — {PUBLISHERS[i].short.vi}" for i in names)
    text = Text(f"Sources: {en}.", f"Nguồn: {vi}.")
    if derived_papi and "PAPI" in names:
        text = text + Text(
            " PAPI totals and ranks computed by parstats from published sub-dimensions.",
            " Tổng điểm và xếp hạng PAPI do parstats tính từ các chỉ số thành phần đã công bố.",
        )
    return text


PLANS_SOURCE = Text(
    "Source: the plan texts in data/raw/plans (each listed in plans/manifest.csv with its "
    "SHA-256 and where it was obtained); targets extracted by parstats (data/processed/"
    "targets.csv), indicator labels from the parstats catalogue.",
    "Nguồn: văn bản kế hoạch trong data/raw/plans (mỗi tệp ghi trong plans/manifest.csv "
    "kèm SHA-256 và nơi lấy về); chỉ tiêu do parstats trích xuất (data/processed/targets.csv), "
    "tên chỉ tiêu theo danh mục của parstats.",
)


def how_to_cite(
    indices: Iterable[str], language: str, years: Mapping[str, Iterable[int]] | None = None
) -> Html:
    """Return the "How to cite" list: each index shown (with its editions) and parstats.

    Parameters
    ----------
    indices
        The indices the page shows.
    language
        ``"en"``, ``"vi"`` or ``"both"``.
    years
        Survey years shown per index; each citation names the latest edition shown,
        with the span (``YYYY`` when none).
    """
    from parstats import __version__

    items = []
    for index in dict.fromkeys(indices):
        pub = PUBLISHERS.get(index)
        if pub is None:
            continue
        shown = sorted({int(y) for y in (years or {}).get(index, ())})
        year = str(shown[-1]) if shown else "YYYY"
        nxt = str(shown[-1] + 1) if shown else "YYYY+1"
        span = ""
        if len(shown) > 1:
            span = f" (editions {shown[0]}–{shown[-1]} shown here; cite each edition you use)"
        text = Text(pub.citation.en.format(year=year, next=nxt),
                    pub.citation.vi.format(year=year, next=nxt))
        items.append(f"<li><strong>{html.escape(index)}</strong>: {html_text(text, language)} "
                     f'<span class="ps-vi">{html.escape(pub.site)}{html.escape(span)}</span></li>')
    tool = Text(PARSTATS_CITATION.en.format(version=__version__),
                PARSTATS_CITATION.vi.format(version=__version__))
    items.append(f"<li><strong>parstats</strong>: {html_text(tool, language)}</li>")
    lead = Text(
        "Cite each index from its publisher's edition, and parstats for the plan targets, "
        "the joins and the derived figures:",
        "Trích dẫn mỗi chỉ số theo ấn bản của cơ quan công bố, và parstats cho các chỉ tiêu kế "
        "hoạch, phép ghép dữ liệu và các số liệu tính toán:",
    )
    return Html(f'<div class="ps-cite"><p>{html_text(lead, language)}</p><ul>{"".join(items)}'
                "</ul></div>")
