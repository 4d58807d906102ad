"""Map a target's words to an indicator of the catalogue (*chuẩn hóa chỉ tiêu*).

Plans phrase the same measure many ways: "hồ sơ ... xử lý hoàn toàn trực tuyến",
"giải quyết bằng hình thức trực tuyến toàn trình". :data:`RULES` is a readable
table of keyword rules over the Vietnamese wording, checked in order; the first
rule whose patterns all match names the indicator. Rank targets may name several
indices at once ("PAR INDEX, PAPI, ICT INDEX nằm trong nhóm 20"): every index
named gives its own indicator.

Patterns are matched against lower-cased NFC text with diacritics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

__all__ = ["Rule", "RULES", "RANK_RULES", "match_indicator", "match_rank_indicators"]


@dataclass(frozen=True)
class Rule:
    """One keyword rule.

    Attributes
    ----------
    code
        Indicator code of ``parstats/data/indicators.csv``.
    pattern
        Regular expression that must match the target's own words.
    context
        Optional expression that must match somewhere in the whole sentence.
    direction
        Only for targets of this direction (``"decrease"`` for cuts), if set.
    unless
        Optional expression that must not match the target's own words.
    """

    code: str
    pattern: str
    context: str | None = None
    direction: str | None = None
    unless: str | None = None


_TTHC = r"(?:tthc|thủ tục hành chính|thủ tục)"
_ONLINE_PARTIAL = (
    r"mức độ 3(?:,| và| hoặc)\s*(?:mức độ )?4|toàn trình hoặc một phần|toàn trình và một phần"
)
_FULL_ONLINE = r"toàn trình|hoàn toàn trực tuyến|mức độ 4"

# Rank targets: every index the sentence names before the number.
RANK_RULES: tuple[Rule, ...] = (
    Rule("par_index_rank", r"par[\s-]*index|chỉ số (?:cchc|cải cách hành chính)"),
    Rule("papi_rank", r"\bpapi\b|hiệu quả quản trị và hành chính công"),
    Rule("pci_rank", r"\bpci\b|năng lực cạnh tranh"),
    Rule("ict_index_rank", r"ict[\s-]*index|sẵn sàng cho phát triển và ứng dụng"),
    Rule("sipas_rank", r"\bsipas\b|chỉ số hài lòng"),
)

# Shares, counts and cuts, most specific first.
# The share of the dissatisfied ("tỷ lệ ... không hài lòng ... dưới 3%") has no code.
_DISSATISFIED = re.compile(r"(?:không|chưa) hài lòng")
RULES: tuple[Rule, ...] = (
    # Cuts (the value is the size of the cut).
    Rule("psu_budget_spending_reduction", r"chi trực tiếp|chi ngân sách", direction="decrease"),
    Rule(
        "civil_servant_staffing_reduction",
        r"biên chế công chức|biên chế hành chính",
        direction="decrease",
    ),
    Rule(
        "public_service_staff_reduction",
        r"biên chế sự nghiệp|người làm việc|viên chức|biên chế",
        direction="decrease",
    ),
    Rule("public_service_units_reduction", r"đơn vị sự nghiệp|đơn vị", direction="decrease"),
    # Satisfaction.
    Rule(
        "satisfaction_procedures_land_construction_investment",
        r"hài lòng.*(?:đất đai|xây dựng, đầu tư)",
    ),
    Rule("satisfaction_health_education_services", r"hài lòng.*(?:y tế|giáo dục)"),
    Rule("satisfaction_procedures", rf"hài lòng.*(?:giải quyết|{_TTHC})"),
    Rule("satisfaction_administrative_services", r"hài lòng|\bsipas\b"),
    # Institutions.
    Rule("anticorruption_legal_docs_disseminated_share", r"tham nhũng|tiết kiệm, chống lãng phí"),
    Rule("legal_documents_database_updated_share", r"cơ sở dữ liệu quốc gia về pháp luật"),
    Rule("legal_documents_checked_share", r"quyết định.*kiểm tra|kiểm tra ngay sau"),
    Rule(
        "legal_documents_compliant_share",
        r"(?:quy phạm pháp luật|qppl).*(?:trình tự|ban hành đúng|đúng quy định|đảm bảo)"
        r"|(?:trình tự|ban hành đúng).*(?:quy phạm pháp luật|qppl)",
    ),
    # Procedure files and online services.
    Rule("online_or_postal_procedure_files_share", r"bưu chính"),
    Rule("procedure_files_on_system_share", r"hồ sơ.*hệ thống thông tin giải quyết"),
    Rule(
        "internal_procedure_files_electronic_share",
        r"hồ sơ.*luân chuyển|luân chuyển.*hồ sơ|hồ sơ.*chuyển giữa các cơ quan",
    ),
    Rule("on_time_procedure_files_share", r"đúng hạn"),
    Rule("early_procedure_files_share", r"trước hạn"),
    Rule("online_payment_transactions_share", r"giao dịch thanh toán"),
    Rule("online_payment_procedures_share", r"nghĩa vụ tài chính|thanh toán trực tuyến"),
    Rule(
        "digitized_procedure_results_share",
        r"số h(?:óa|oá) (?:hồ sơ, )?kết quả|kết quả giải quyết.*được số h(?:óa|oá)",
    ),
    Rule("online_services_multichannel_share", r"nhiều phương tiện|thiết bị di động"),
    Rule("e_identification_share", r"định danh"),
    Rule("no_resubmission_share", r"cung cấp lại"),
    Rule(
        "procedures_reengineered_share", r"tái cấu trúc quy trình|điện tử hóa mẫu|điện tử hoá mẫu"
    ),
    Rule("internal_procedures_published_share", rf"{_TTHC} nội bộ"),
    Rule(
        "interagency_procedures_linked_share",
        r"thực hiện liên thông|thẩm quyền giải quyết của nhiều",
    ),
    # "văn bản đi ... được ký số và gửi qua Hệ thống quản lý văn bản": signed documents.
    Rule("electronic_documents_share", r"văn bản (?:đi|trao đổi).*(?:được ký số|chữ ký số)"),
    Rule("document_management_software_share", r"quản lý văn bản"),
    Rule("work_files_online_share", r"hồ sơ công việc"),
    Rule("online_procedure_files_share", rf"hồ sơ.*trực tuyến.*(?:{_ONLINE_PARTIAL})"),
    Rule("full_online_procedure_files_share", rf"hồ sơ.*(?:{_FULL_ONLINE})"),
    Rule("online_procedure_files_share", r"hồ sơ.*trực tuyến"),
    Rule(
        "online_procedures_share",
        rf"(?:cung cấp )?trực tuyến.*(?:{_ONLINE_PARTIAL})|{_ONLINE_PARTIAL}",
    ),
    # Reporting regimes are "tích hợp" with the national reporting system: before the portal.
    Rule(
        "reporting_regime_digital_share",
        r"chế độ báo cáo|chỉ tiêu tổng hợp|hệ thống thông tin báo cáo",
    ),
    Rule("national_portal_integration_share", r"tích hợp.*(?:quốc gia)"),
    Rule("online_procedures_level3_share", r"mức độ 3"),
    Rule("full_online_procedures_share", rf"(?:{_FULL_ONLINE})"),
    Rule("online_procedures_share", r"cung cấp trực tuyến|dịch vụ công trực tuyến"),
    # ISO and one-stop shops.
    Rule("e_iso_procedures_share", r"một cửa điện tử.*iso|iso điện tử"),
    Rule("iso_standardized_procedures_share", r"chuẩn hóa.*iso|chuẩn hoá.*iso|iso.*chuẩn hóa"),
    Rule("iso_adoption_share", r"\biso\b|quản lý chất lượng"),
    Rule("e_one_stop_software_share", r"một cửa điện tử"),
    Rule(
        "one_stop_desk_modern_equipment_share",
        r"(?:bộ phận tiếp nhận và trả kết quả|bộ phận một cửa|quầy tiếp nhận"
        r"|trung tâm phục vụ hành chính công|điểm tiếp nhận)"
        r".*(?:trang thiết bị|trang bị)",
    ),
    Rule(
        "one_stop_desk_facilities_standard_share",
        r"bộ phận tiếp nhận và trả kết quả|bộ phận một cửa",
    ),
    Rule("one_stop_shop_implementation_share", r"một cửa"),
    # Civil service.
    Rule("official_email_use_share", r"thư điện tử"),
    # "công chức cấp xã đạt chuẩn ... theo vị trí việc làm": the standard is the predicate.
    Rule("commune_officials_standard_share", r"(?:cán bộ|công chức)[^;]*cấp xã[^;]*đạt chuẩn"),
    Rule("officials_standard_share", r"(?:cán bộ|công chức|viên chức)[^;]*đạt chuẩn"),
    Rule("job_position_structure_compliance_share", r"vị trí việc làm"),
    Rule(
        "division_leaders_international_capability_share",
        r"cấp phòng",
        context=r"quốc tế",
    ),
    Rule(
        "soe_managers_international_capability_share",
        r"doanh nghiệp nhà nước",
        context=r"quốc tế",
    ),
    Rule(
        "dept_leaders_international_capability_share",
        r"cấp sở|sở, ngành|lãnh đạo",
        context=r"quốc tế",
    ),
    Rule("commune_officials_standard_share", r"cấp xã.*(?:chuẩn|trình độ)"),
    Rule("officials_standard_share", r"đạt chuẩn|chuẩn hóa về"),
    Rule("staff_online_work_share", r"(?:cán bộ|công chức).*trao đổi.*công việc"),
    Rule("procedures_standardized_share", rf"chuẩn h(?:óa|oá).*{_TTHC}|{_TTHC}.*chuẩn h(?:óa|oá)"),
    # E-government.
    Rule(
        "digital_inspections_share",
        r"(?:hoạt động|cuộc) kiểm tra.*(?:môi trường số|hệ thống thông tin|trực tuyến)",
    ),
    Rule("shared_systems_protected_share", r"hệ thống thông tin dùng chung"),
    Rule("endpoint_devices_protected_share", r"thiết bị đầu cuối"),
    Rule(
        "staff_management_software_share",
        r"quản lý (?:hồ sơ )?(?:cb|cán bộ|công chức|nhân sự).*phần mềm",
    ),
    Rule(
        "electronic_documents_share",
        r"văn bản.*(?:điện tử|môi trường mạng|chữ ký số|ký số)",
    ),
    # Public finance.
    Rule("economic_psu_conversion_share", r"sự nghiệp kinh tế|công ty cổ phần"),
    Rule("st_psu_autonomy_conversion_share", r"khoa học(?: và)? công nghệ"),
    Rule("self_financing_psu_share", r"tự bảo đảm chi|tự đảm bảo chi"),
    Rule("psu_financial_autonomy_share", r"tự chủ tài chính|tự chủ"),
    Rule("audit_recommendations_resolved_share", r"kiến nghị sau thanh tra|kiểm toán"),
    Rule("public_services_socialization_share", r"xã hội hóa|xã hội hoá"),
    # Direction.
    Rule("inspection_coverage_share", r"kiểm tra"),
)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.DOTALL)


def _branches(pattern: str) -> list[str]:
    """Split a pattern at its top-level ``|``."""
    out, depth, start, escaped = [], 0, 0, False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return out


_GROUP = re.compile(r"\((?:[^()]|\([^()]*\))*\)[?*+]?|\[[^\]]*\][?*+]?|\\[a-zA-Z]|.[?*]")
_LITERAL = re.compile(r"[^\\()\[\]{}|.*+?^$\x00]+")


@cache
def _anchors(pattern: str) -> tuple[str, ...] | None:
    """Literal words one of which any match of ``pattern`` contains (``None``: no such words).

    A cheap ``in`` test on these words skips most rules without running their regex.
    """
    out = []
    for branch in _branches(pattern):
        runs = [r for r in _LITERAL.findall(_GROUP.sub("\x00", branch)) if r.strip()]
        if not runs:
            return None
        out.append(max(runs, key=len))
    return tuple(out)


@dataclass(frozen=True)
class _Compiled:
    """A rule ready to run: compiled patterns and its anchor words."""

    rule: Rule
    pattern: re.Pattern[str]
    context: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    anchors: tuple[str, ...] | None


def _compile(rule: Rule) -> _Compiled:
    return _Compiled(
        rule=rule,
        pattern=_compiled(rule.pattern),
        context=_compiled(rule.context) if rule.context else None,
        unless=_compiled(rule.unless) if rule.unless else None,
        anchors=_anchors(rule.pattern),
    )


_RULES = tuple(_compile(rule) for rule in RULES)
# The rules that apply to each direction, so that the loop below need not ask.
_RULES_FOR = {
    direction: tuple(c for c in _RULES if c.rule.direction in (None, direction))
    for direction in ("attain", "increase", "decrease")
}


def match_indicator(words: str, *, sentence: str = "", direction: str = "attain") -> str | None:
    """Return the indicator code the words of a target name, or ``None``.

    Parameters
    ----------
    words
        The target's own words (its clause), any case.
    sentence
        The whole sentence, for rules with a ``context`` condition.
    direction
        The target's direction; cut rules apply only to ``decrease``.
    """
    words = words.lower()
    if "hài lòng" in words and _DISSATISFIED.search(words):
        return None
    sentence_low: str | None = None
    rules = _RULES_FOR.get(direction)
    if rules is None:
        rules = tuple(c for c in _RULES if c.rule.direction in (None, direction))
    for c in rules:
        if c.anchors is not None:
            for anchor in c.anchors:
                if anchor in words:
                    break
            else:
                continue
        if not c.pattern.search(words):
            continue
        if c.unless is not None and c.unless.search(words):
            continue
        if c.context is not None:
            sentence_low = sentence.lower() if sentence_low is None else sentence_low
            if not c.context.search(sentence_low):
                continue
        return c.rule.code
    return None


def match_rank_indicators(words: str, *, unit: str = "rank") -> tuple[str, ...]:
    """Return the rank indicators named in ``words``, in catalogue order.

    ``unit="rank_places"`` maps a PCI move to ``pci_rank_change``.
    """
    words = words.lower()
    codes = [r.code for r in RANK_RULES if _compiled(r.pattern).search(words)]
    if unit == "rank_places":
        return ("pci_rank_change",) if "pci_rank" in codes else ()
    return tuple(codes)
