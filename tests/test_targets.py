"""Spec cases of docs/TARGETS.md and ANNOTATION_NOTES.md: sentences in, fields out."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parstats.metadata import DocumentMeta
from parstats.targets import TARGET_COLUMNS, Target, extract_targets, targets_frame
from parstats.vocab import AREAS, COMPARATORS, DIRECTIONS, KINDS, LEVELS, UNITS

META_2025 = DocumentMeta(issued="2021-12-10", period_start=2021, period_end=2025)
META_2020 = DocumentMeta(issued="2016-06-03", period_start=2016, period_end=2020)
META_2023 = DocumentMeta(issued="2022-12-23", period_start=2023, period_end=2023)

# (text, meta, expected rows as {field: value}, in order; only the fields given are checked)
CASES = [
    pytest.param(
        "Tối thiểu 80% hồ sơ giải quyết TTHC được luân chuyển bằng phương thức điện tử.",
        META_2025,
        [
            dict(
                value=80,
                unit="percent",
                comparator="ge",
                direction="attain",
                year=2025,
                level="all",
                kind="target",
                indicator="internal_procedure_files_electronic_share",
            )
        ],
        id="toi-thieu-ge",
    ),
    pytest.param(
        "Trên 95% số hồ sơ TTHC được trả kết quả giải quyết đúng hạn; phấn đấu 80% hồ sơ TTHC "
        "trả kết quả trước hạn.",
        META_2023,
        [
            dict(value=95, comparator="gt", indicator="on_time_procedure_files_share", year=2023),
            dict(value=80, comparator="eq", indicator="early_procedure_files_share"),
        ],
        id="tren-gt-and-phan-dau-eq",
    ),
    pytest.param(
        "Mức độ hài lòng của người dân, doanh nghiệp về giải quyết TTHC đạt tối thiểu 90%.",
        META_2025,
        [dict(value=90, comparator="ge", indicator="satisfaction_procedures")],
        id="dat-toi-thieu",
    ),
    pytest.param(
        "Từ 90% trở lên hồ sơ công việc tại cấp tỉnh; 80% trở lên hồ sơ công việc tại cấp huyện "
        "và 60% trở lên hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng.",
        META_2025,
        [
            dict(value=90, comparator="ge", level="province", indicator="work_files_online_share"),
            dict(value=80, comparator="ge", level="district", indicator="work_files_online_share"),
            dict(value=60, comparator="ge", level="commune", indicator="work_files_online_share"),
        ],
        id="levels-per-number",
    ),
    pytest.param(
        "Giảm tối thiểu 2,5% số lượng đơn vị sự nghiệp công lập (tương ứng 15 đơn vị); 0,5% "
        "biên chế sự nghiệp hưởng lương từ ngân sách nhà nước (tương ứng với 100 viên chức) và "
        "1,38% biên chế công chức (tương ứng 23 biên chế) so với năm 2021.",
        META_2023,
        [
            dict(
                value=2.5,
                comparator="ge",
                direction="decrease",
                kind="target",
                indicator="public_service_units_reduction",
                year=2023,
            ),
            dict(
                value=15,
                unit="count",
                comparator="ge",
                direction="decrease",
                kind="equivalent",
                indicator="public_service_units_reduction",
            ),
            dict(
                value=0.5,
                comparator="ge",
                direction="decrease",
                indicator="public_service_staff_reduction",
            ),
            dict(
                value=100,
                unit="count",
                kind="equivalent",
                indicator="public_service_staff_reduction",
            ),
            dict(
                value=1.38,
                comparator="ge",
                direction="decrease",
                indicator="civil_servant_staffing_reduction",
            ),
            dict(
                value=23,
                unit="count",
                kind="equivalent",
                indicator="civil_servant_staffing_reduction",
            ),
        ],
        id="cut-list-and-equivalents",
    ),
    pytest.param(
        "Tiếp tục giảm bình quân 10% biên chế sự nghiệp hưởng lương từ ngân sách nhà nước.",
        META_2025,
        [
            dict(
                value=10,
                comparator="eq",
                direction="decrease",
                indicator="public_service_staff_reduction",
            )
        ],
        id="giam-binh-quan-eq",
    ),
    pytest.param(
        "Kết quả Chỉ số CCHC (PAR INDEX), Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh "
        "(PAPI), Chỉ số sẵn sàng cho phát triển và ứng dụng công nghệ thông tin (ICT INDEX) nằm "
        "trong nhóm 20 địa phương dẫn đầu cả nước. Vị trí xếp hạng Chỉ số PCI của tỉnh tăng từ 2 "
        "đến 5 bậc.",
        META_2023,
        [
            dict(
                value=20, unit="rank", comparator="le", indicator="par_index_rank", area="overall"
            ),
            dict(value=20, unit="rank", comparator="le", indicator="papi_rank"),
            dict(value=20, unit="rank", comparator="le", indicator="ict_index_rank"),
            dict(
                value=2,
                value_high=5,
                unit="rank_places",
                comparator="range",
                direction="increase",
                indicator="pci_rank_change",
            ),
        ],
        id="ranks-one-number-three-indicators",
    ),
    pytest.param(
        "Phấn đấu đạt chỉ số CCHC của tỉnh hàng năm ở mức từ thứ hạng 20 trở lên.",
        META_2020,
        [dict(value=20, unit="rank", comparator="le", indicator="par_index_rank", year=2020)],
        id="thu-hang-tro-len-le",
    ),
    pytest.param(
        "Đầu tư xây dựng Bộ phận tiếp nhận và trả kết quả đến năm 2020 cấp tỉnh đạt 70% "
        "(hiện nay 41,17%); cấp huyện đạt 100% (hiện nay 80%).",
        META_2020,
        [
            dict(
                value=70,
                kind="target",
                level="province",
                year=2020,
                indicator="one_stop_desk_facilities_standard_share",
            ),
            dict(
                value=41.17,
                kind="baseline",
                level="province",
                year=2016,
                comparator="eq",
                indicator="one_stop_desk_facilities_standard_share",
            ),
            dict(value=100, kind="target", level="district"),
            dict(value=80, kind="baseline", level="district", year=2016),
        ],
        id="baselines-hien-nay",
    ),
    pytest.param(
        "25% - 35% số lãnh đạo, quản lý cấp sở, ngành, UBND cấp huyện và tương đương; trên 30% số "
        "lãnh đạo, quản lý cấp phòng, 80% số lãnh đạo, quản lý doanh nghiệp nhà nước có đủ khả "
        "năng làm việc trong môi trường quốc tế.",
        META_2025,
        [
            dict(
                value=25,
                value_high=35,
                comparator="range",
                level="province+district",
                indicator="dept_leaders_international_capability_share",
            ),
            dict(
                value=30,
                comparator="gt",
                indicator="division_leaders_international_capability_share",
            ),
            dict(
                value=80,
                comparator="eq",
                level="all",
                indicator="soe_managers_international_capability_share",
            ),
        ],
        id="range-and-shared-predicate",
    ),
    pytest.param(
        "Tiến hành kiểm tra từ 30% trở lên đối với UBND cấp huyện và tiến hành kiểm tra thực tế "
        "từ 15-20% UBND cấp xã.",
        META_2020,
        [
            dict(
                value=30, comparator="ge", level="district", indicator="inspection_coverage_share"
            ),
            dict(value=15, value_high=20, comparator="range", level="commune"),
        ],
        id="tu-15-20-range",
    ),
    pytest.param(
        "Đảm bảo giai đoạn 2022-2026 thực hiện cắt giảm 5% biên chế công chức, 10% số lượng người "
        "làm việc hưởng lương từ ngân sách nhà nước.",
        META_2023,
        [
            dict(
                value=5,
                comparator="eq",
                direction="decrease",
                year=2026,
                indicator="civil_servant_staffing_reduction",
            ),
            dict(
                value=10,
                comparator="eq",
                direction="decrease",
                year=2026,
                indicator="public_service_staff_reduction",
            ),
        ],
        id="giai-doan-sets-year",
    ),
    pytest.param(
        "Bảo đảm sự hài lòng đối với sự phục vụ của cơ quan hành chính nhà nước đạt trên 80% vào "
        "năm 2020 và ít nhất 90% vào năm 2030.",
        META_2020,
        [
            dict(
                value=80,
                comparator="gt",
                year=2020,
                indicator="satisfaction_administrative_services",
            ),
            dict(
                value=90,
                comparator="ge",
                year=2030,
                indicator="satisfaction_administrative_services",
            ),
        ],
        id="vao-nam-after-number",
    ),
    pytest.param(
        "Năm 2022, hoàn thành việc số hóa kết quả giải quyết TTHC còn hiệu lực tương ứng 50% đối "
        "với kết quả thuộc thẩm quyền của cấp tỉnh và 40% đối với kết quả thuộc thẩm quyền của cấp "
        "huyện và cấp xã; giai đoạn 2023 - 2025, mỗi năm tăng tối thiểu 20% đối với mỗi cấp hành "
        "chính cho đến khi đạt tỷ lệ 100%.",
        META_2025,
        [
            dict(
                value=50,
                kind="target",
                year=2022,
                level="province",
                indicator="digitized_procedure_results_share",
            ),
            dict(value=40, year=2022, level="district+commune"),
            dict(value=20, comparator="ge", direction="increase", year=2025),
            dict(
                value=100,
                comparator="eq",
                direction="attain",
                year=2025,
                indicator="digitized_procedure_results_share",
            ),
        ],
        id="nam-2022-and-tuong-ung-target",
    ),
    pytest.param(
        "100% TTHC cấp tỉnh, cấp huyện và 70% TTHC cấp xã được chuẩn hóa theo quy trình ISO "
        "9001:2015.",
        META_2020,
        [
            dict(
                value=100, level="province+district", indicator="iso_standardized_procedures_share"
            ),
            dict(value=70, level="commune", indicator="iso_standardized_procedures_share"),
        ],
        id="iso-number-is-not-a-target",
    ),
    pytest.param(
        "Cung cấp dịch vụ công trực tuyến mức độ 3 đạt 45% và mức độ 4 đạt 25%; tỷ lệ hồ sơ giải "
        "quyết trực tuyến mức độ 3 và 4 trên tổng số hồ sơ đạt tối thiểu 50%.",
        META_2020,
        [
            dict(value=45, indicator="online_procedures_level3_share"),
            dict(value=25, indicator="full_online_procedures_share"),
            dict(value=50, comparator="ge", indicator="online_procedure_files_share"),
        ],
        id="service-levels-decide-indicator",
    ),
    pytest.param(
        "100% cơ quan hành chính nhà nước cấp tỉnh và huyện quản lý cán bộ bằng phần mềm; 100% "
        "Ủy ban nhân dân cấp xã được triển khai phần mềm một cửa điện tử liên thông giữa cấp xã "
        "với cấp huyện.",
        META_2020,
        [
            dict(value=100, level="province+district", indicator="staff_management_software_share"),
            dict(value=100, level="commune", indicator="e_one_stop_software_share"),
        ],
        id="tier-coordination-stops-at-voi",
    ),
    pytest.param(
        "100% các hệ thống thông tin dùng chung của tỉnh được giám sát và bảo vệ theo mô hình 4 "
        "lớp; 100% các quyết định của UBND tỉnh được kiểm tra ngay sau khi ban hành.",
        META_2023,
        [
            dict(value=100, level="all", indicator="shared_systems_protected_share"),
            dict(value=100, level="province", indicator="legal_documents_checked_share"),
        ],
        id="cua-tinh-vs-ubnd-tinh",
    ),
    pytest.param(
        "Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng hiện nay đạt 30%, phấn đấu đạt "
        "tối thiểu 60%.",
        META_2023,
        [
            dict(
                value=30,
                kind="baseline",
                comparator="eq",
                year=2022,
                indicator="work_files_online_share",
            ),
            dict(
                value=60,
                kind="target",
                comparator="ge",
                year=2023,
                indicator="work_files_online_share",
            ),
        ],
        id="baseline-before-its-target",
    ),
    pytest.param(
        "Chỉ số SIPAS đạt trên 85%; Chỉ số PAR INDEX xếp thứ 15/63 tỉnh, thành phố; Chỉ số PCI "
        "tăng ít nhất 3 bậc.",
        META_2023,
        [
            dict(
                value=85,
                unit="percent",
                comparator="gt",
                indicator="satisfaction_administrative_services",
            ),
            dict(value=15, unit="rank", comparator="eq", indicator="par_index_rank"),
            dict(
                value=3,
                unit="rank_places",
                comparator="ge",
                direction="increase",
                indicator="pci_rank_change",
            ),
        ],
        id="rank-forms",
    ),
    pytest.param(
        "Phấn đấu Chỉ số cải cách hành chính của tỉnh thuộc top 10 cả nước; PAPI trong nhóm 15 "
        "tỉnh dẫn đầu.",
        META_2023,
        [
            dict(value=10, unit="rank", comparator="le", indicator="par_index_rank"),
            dict(value=15, unit="rank", comparator="le", indicator="papi_rank"),
        ],
        id="rank-indices-from-own-clause",
    ),
    pytest.param(
        "Căn cứ Nghị định số 130/2005/NĐ-CP ngày 17 tháng 10 năm 2005; giai đoạn 2021-2025 tập "
        "trung vào 6 nội dung, 3 khâu đột phá, cả 3 cấp, mức độ 3 và 4, ISO 9001:2015, Đề án 468. "
        "Tổng cộng: 12 cơ quan. Số hóa kết quả từ năm 2006 đến năm 2021.",
        META_2025,
        [],
        id="not-targets",
    ),
    # Rules added for the held-out sets (sentences written afresh, not copied).
    pytest.param(
        "- Phấn đấu đạt 92% số văn bản hành chính của UBND tỉnh được ký số.",
        META_2025,
        [dict(value=92, comparator="eq", level="province")],
        id="phan-dau-dat-subject-after",
    ),
    pytest.param(
        "- Phấn đấu đạt 85% công chức cấp xã đạt chuẩn về trình độ chuyên môn.",
        META_2025,
        [dict(value=85, level="commune", indicator="commune_officials_standard_share")],
        id="phan-dau-dat-commune-officials",
    ),
    pytest.param(
        "Tỷ lệ hồ sơ công việc xử lý trên môi trường mạng lần lượt đạt 95% và 75% ở cấp tỉnh, "
        "cấp xã.",
        META_2025,
        [
            dict(value=95, level="province", indicator="work_files_online_share"),
            dict(value=75, level="commune", indicator="work_files_online_share"),
        ],
        id="lan-luot-one-tier-each",
    ),
    pytest.param(
        "- Riêng đối với cấp huyện, tỷ lệ số hóa kết quả giải quyết TTHC mỗi năm tăng ít nhất 10%.",
        META_2025,
        [
            dict(
                value=10,
                comparator="ge",
                direction="increase",
                level="district",
                indicator="digitized_procedure_results_share",
            )
        ],
        id="doi-voi-cap-leading-clause",
    ),
    pytest.param(
        "Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng: cấp tỉnh trên 95%, cấp huyện "
        "từ 85% trở lên, cấp xã ít nhất 65%.",
        META_2025,
        [
            dict(value=95, comparator="gt", level="province", indicator="work_files_online_share"),
            dict(value=85, comparator="ge", level="district", indicator="work_files_online_share"),
            dict(value=65, comparator="ge", level="commune", indicator="work_files_online_share"),
        ],
        id="colon-lead-in-shared-by-list",
    ),
    pytest.param(
        "Số hóa kết quả giải quyết TTHC: cấp tỉnh đạt 95%; cấp xã đạt 60%.",
        META_2025,
        [
            dict(value=95, level="province", indicator="digitized_procedure_results_share"),
            dict(value=60, level="commune", indicator="digitized_procedure_results_share"),
        ],
        id="colon-lead-in-with-dat",
    ),
    pytest.param(
        "- Năm 2024, 90% kết quả giải quyết TTHC thuộc thẩm quyền cấp huyện được số hóa.",
        META_2025,
        [dict(value=90, year=2024, indicator="digitized_procedure_results_share")],
        id="indicator-words-after-number",
    ),
    pytest.param(
        "Tỷ lệ số hóa kết quả giải quyết TTHC đạt 100% đối với cấp tỉnh, 80% đối với UBND cấp xã.",
        META_2025,
        [
            dict(value=100, level="province", indicator="digitized_procedure_results_share"),
            dict(value=80, level="commune", indicator="digitized_procedure_results_share"),
        ],
        id="tier-after-number-doi-voi",
    ),
    pytest.param(
        "Kiểm tra công tác CCHC tối thiểu 40% sở, ngành; 25% UBND cấp huyện và 15% UBND cấp xã.",
        META_2025,
        [
            dict(value=40, comparator="ge", level="province"),
            dict(value=25, comparator="ge", level="district"),
            dict(value=15, comparator="ge", level="commune"),
        ],
        id="one-qualifier-before-list",
    ),
    pytest.param(
        "Đến năm 2025, tỷ lệ số hóa kết quả giải quyết TTHC đạt tối thiểu 70%, hiện nay tỷ lệ "
        "này mới đạt 30%.",
        META_2025,
        [
            dict(value=70, kind="target", comparator="ge", year=2025),
            dict(value=30, kind="baseline", comparator="eq", year=2021),
        ],
        id="baseline-hien-nay-ty-le-nay",
    ),
    pytest.param(
        "| 2 | Hồ sơ công việc cấp huyện xử lý trên môi trường mạng | ≥ 75% |\n"
        "| 3 | Hồ sơ công việc cấp xã xử lý trên môi trường mạng | ≤ 40% |",
        META_2025,
        [
            dict(value=75, comparator="ge", level="district", indicator="work_files_online_share"),
            dict(value=40, comparator="le", level="commune", indicator="work_files_online_share"),
        ],
        id="table-rows-with-signs",
    ),
    pytest.param(
        "Mức độ hài lòng của người dân về giải quyết TTHC từ 90% trở lên; riêng lĩnh vực đất "
        "đai, xây dựng, đầu tư đạt trên 80%.",
        META_2025,
        [
            dict(value=90, indicator="satisfaction_procedures"),
            dict(value=80, indicator="satisfaction_procedures_land_construction_investment"),
        ],
        id="satisfaction-sector-elided-subject",
    ),
    pytest.param(
        "Chỉ số PCI tăng tối thiểu 1 bậc; Chỉ số PAPI tăng ít nhất 2 bậc.",
        META_2025,
        [
            dict(value=1, unit="rank_places", indicator="pci_rank_change"),
            dict(value=2, unit="rank_places", indicator=None),
        ],
        id="rank-move-of-index-without-code",
    ),
    pytest.param(
        "I. KẾT QUẢ THỰC HIỆN NĂM 2023\n"
        "1. Cải cách thủ tục hành chính\n"
        "Tỷ lệ hồ sơ giải quyết đúng hạn là 97%; Chỉ số CCHC xếp thứ 12/63.\n"
        "II. NHIỆM VỤ NĂM 2024\n"
        "Phấn đấu 98% hồ sơ được giải quyết đúng hạn.",
        META_2023,
        [dict(value=98, indicator="on_time_procedure_files_share")],
        id="report-section-not-targets",
    ),
    pytest.param(
        "Năm 2023, toàn tỉnh đã giảm 6 đơn vị sự nghiệp; tỷ lệ hồ sơ trực tuyến đã đạt 55%, "
        "Chỉ số PAR INDEX đã xếp thứ 9/63, tăng 3 bậc so với năm 2022.",
        META_2023,
        [],
        id="past-results-da-dat",
    ),
    pytest.param(
        "Đã hoàn thành 70% kế hoạch năm; phấn đấu cuối năm đạt 96% hồ sơ giải quyết đúng hạn.",
        META_2023,
        [dict(value=96, indicator="on_time_procedure_files_share")],
        id="past-clause-then-commitment-clause",
    ),
    pytest.param(
        "3. Đánh giá, xác định Chỉ số CCHC\n"
        "Phấn đấu Chỉ số CCHC của tỉnh nằm trong nhóm 25 tỉnh dẫn đầu.",
        META_2023,
        [dict(value=25, unit="rank", comparator="le", indicator="par_index_rank")],
        id="task-heading-danh-gia-is-not-a-report",
    ),
    pytest.param(
        "Các thủ tục đã được chuẩn hóa phải bảo đảm 100% được công khai đầy đủ.",
        META_2025,
        [dict(value=100, kind="target", comparator="eq")],
        id="da-with-commitment-stays-target",
    ),
    pytest.param(
        "Tỷ lệ hồ sơ trực tuyến đạt tối thiểu 70% (hiện nay đã đạt 48%).",
        META_2025,
        [dict(value=70, kind="target"), dict(value=48, kind="baseline", year=2021)],
        id="baseline-with-da-kept",
    ),
    pytest.param(
        "Tỷ lệ văn bản điện tử có ký số đạt 95% ở cấp tỉnh và cấp huyện, 85% ở cấp xã.",
        META_2025,
        [
            dict(value=95, level="province+district", indicator="electronic_documents_share"),
            dict(value=85, level="commune"),
        ],
        id="trailing-coordinated-tiers",
    ),
    pytest.param(
        "Tỷ lệ hồ sơ được giải quyết trực tuyến đạt tối thiểu 80%, 65% và 45% ở cấp tỉnh, "
        "cấp huyện và cấp xã.",
        META_2025,
        [
            dict(value=80, comparator="ge", level="province"),
            dict(value=65, comparator="ge", level="district"),
            dict(value=45, comparator="ge", level="commune"),
        ],
        id="list-closed-by-its-tiers",
    ),
    pytest.param(
        "Tỷ lệ hồ sơ nộp trực tuyến lần lượt đạt 70% và 50% tại cấp huyện và cấp xã.",
        META_2025,
        [dict(value=70, level="district"), dict(value=50, level="commune")],
        id="respectively-with-coordinated-tiers",
    ),
    pytest.param(
        "Mức độ hài lòng của người dân đạt trên 90% (năm 2020 đạt 86,5%).",
        META_2025,
        [
            dict(value=90, kind="target", comparator="gt", year=2025),
            dict(
                value=86.5,
                kind="baseline",
                year=2020,
                comparator="eq",
                indicator="satisfaction_administrative_services",
            ),
        ],
        id="past-year-in-parentheses-is-a-baseline",
    ),
    pytest.param(
        "Tỷ lệ hồ sơ đúng hạn đạt 95% (năm 2025 đạt 98%).",
        META_2023,
        [dict(value=95, kind="target"), dict(value=98, kind="target", year=2025)],
        id="later-year-in-parentheses-is-not-a-baseline",
    ),
    pytest.param(
        "Năm 2020, tỉnh đã đạt được nhiều kết quả: Chỉ số PAPI tăng 4 bậc; 96% hồ sơ được giải "
        "quyết đúng hạn; 100% cơ quan sử dụng phần mềm quản lý văn bản.",
        META_2025,
        [],
        id="list-under-a-past-lead-in-is-past",
    ),
    pytest.param(
        "Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 97%; tỷ lệ hồ sơ quá hạn dưới 2%.",
        META_2025,
        [
            dict(value=97, indicator="on_time_procedure_files_share"),
            dict(value=2, comparator="lt", indicator=None),
        ],
        id="own-subject-does-not-inherit-indicator",
    ),
    pytest.param(
        "Tỷ lệ hồ sơ giải quyết đúng hạn ở cấp tỉnh và cấp xã đạt 98%; cấp tỉnh đạt trên 90% "
        "và cấp xã đạt từ 80% trở lên hồ sơ trực tuyến toàn trình.",
        META_2025,
        [
            dict(value=98, level="province+commune", indicator="on_time_procedure_files_share"),
            dict(value=90, level="province"),
            dict(value=80, level="commune"),
        ],
        id="coordinated-tiers-before-their-number-after-the-2025-reform",
    ),
]


def _check(rows: list[Target], expected: list[dict]) -> None:
    assert len(rows) == len(expected), [(t.value, t.indicator) for t in rows]
    for got, want in zip(rows, expected, strict=True):
        for field, value in want.items():
            assert getattr(got, field) == value, (field, got)


@pytest.mark.parametrize(("text", "meta", "expected"), CASES)
def test_spec_cases(text: str, meta: DocumentMeta, expected: list[dict]) -> None:
    rows = extract_targets(text, meta=meta)
    _check(rows, expected)
    for t in rows:
        assert (
            str(int(t.value)) in text[t.start : t.end]
            or f"{t.value:g}".replace(".", ",") in (text[t.start : t.end])
        )


OUTLINE_TEXT = """I. MỤC TIÊU CHUNG
Đến năm 2025, Chỉ số cải cách hành chính tỉnh (PAR Index) nằm trong nhóm 20 tỉnh dẫn đầu.
II. NỘI DUNG
1. Cải cách tổ chức bộ máy
hành chính nhà nước
- Đến năm 2025:
+ Mức độ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước đạt tối
thiểu 90%.
- Đến năm 2030:
+ Mức độ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước đạt tối
thiểu 95%.
|
2. Xây dựng và phát triển Chính
quyền điện tử, Chính quyền số
**100%** văn bản trao đổi giữa các cơ quan được ký số.
"""


def test_heading_context_sets_area_and_year() -> None:
    rows = extract_targets(OUTLINE_TEXT, meta=META_2025)
    got = [(t.value, t.area, t.year) for t in rows]
    assert got == [
        (20, "overall", 2025),
        (90, "apparatus", 2025),
        (95, "apparatus", 2030),
        (100, "digital_government", 2025),
    ]
    assert rows[1].comparator == "ge"  # "tối\nthiểu" joined across the hard wrap
    assert rows[3].indicator == "electronic_documents_share"
    assert "Cải cách tổ chức bộ máy hành chính nhà nước" in rows[1].heading


def test_meta_defaults_to_extracted_metadata() -> None:
    text = "KẾ HOẠCH\nCải cách hành chính năm 2023\n1. Mục tiêu\n100% hồ sơ công việc tại cấp xã."
    rows = extract_targets(text)
    assert [t.value for t in rows] == [100]


def test_targets_frame_columns_and_types() -> None:
    rows = extract_targets(OUTLINE_TEXT, meta=META_2025)
    frame = targets_frame("doc", rows)
    assert tuple(frame.columns) == TARGET_COLUMNS
    assert list(frame["target_no"]) == [1, 2, 3, 4]
    assert frame["value_high"].isna().all()
    assert str(frame["year"].dtype) == "Int64"
    empty = targets_frame("doc", [])
    assert tuple(empty.columns) == TARGET_COLUMNS and len(empty) == 0


_ALPHABET = st.sampled_from(
    list("0123456789%.,;:()-–+|* \n\tabcđ")
    + [
        "tối thiểu ",
        "trên ",
        "đạt ",
        "nhóm ",
        "thứ hạng ",
        "bậc",
        "giảm ",
        "tăng ",
        "hiện nay ",
        "tương ứng ",
        "cấp tỉnh",
        "cấp xã",
        "năm 2025",
        "I. ",
        "a) ",
        "- Đến năm 2030:",
        "hài lòng",
        "đơn vị",
        "phần trăm",
        "Ủy ban nhân dân tỉnh",
        "İ",
        "ẞ",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_never_crashes_and_spans_hold_the_value(text: str) -> None:
    rows = extract_targets(text, meta=META_2025)
    for t in rows:
        assert 0 <= t.start < t.end <= len(text)
        digits = text[t.start : t.end]
        assert any(ch.isdigit() for ch in digits)
        assert t.unit in UNITS and t.comparator in COMPARATORS and t.direction in DIRECTIONS
        assert t.kind in KINDS and t.level in LEVELS and t.area in AREAS


def test_linear_on_a_long_text() -> None:
    unit = (
        "+ Tối thiểu 80% hồ sơ TTHC cấp tỉnh được xử lý trực tuyến, 50% cấp huyện và nhóm 20 tỉnh "
        "dẫn đầu; giảm 10% biên chế (tương ứng 15 biên chế) " * 3 + "\n"
    )
    small, large = unit * 100, unit * 1000
    start = time.process_time()
    n_small = len(extract_targets(small, meta=META_2025))
    t_small = time.process_time() - start
    start = time.process_time()
    n_large = len(extract_targets(large, meta=META_2025))
    t_large = time.process_time() - start
    assert n_large == 10 * n_small
    assert t_large < 25 * max(t_small, 1e-3)  # linear, with room for a noisy machine
    one_line = "số liệu 5% " + "x" * 500_000
    start = time.process_time()
    extract_targets(one_line, meta=META_2025)
    assert time.process_time() - start < 5


TABLE_PLAN = """KẾ HOẠCH năm 2026

II. MỤC TIÊU

| STT | Chỉ tiêu | Năm 2026 | Đến năm 2030 | Đơn vị chủ trì |
|---|---|---|---|---|
| 1 | Tỷ lệ hồ sơ TTHC được xử lý hoàn toàn trực tuyến | ≥ 50% | 90% | Sở Khoa học và Công nghệ |
| 2 | Tỷ lệ TTHC cấp xã được số hóa kết quả giải quyết | 60% | 100% | UBND tỉnh |
"""


def test_table_columns_give_years_and_the_label_gives_the_words() -> None:
    """A ``| ... |`` table: each cell's year is its column's; its words are the row's label."""
    rows = extract_targets(TABLE_PLAN, meta=META_2023)
    got = [(t.value, t.year, t.comparator, t.level, t.indicator) for t in rows]
    assert got == [
        (50.0, 2026, "ge", "all", "full_online_procedure_files_share"),
        # Not "ge" from the cell before, not the agency column's words or tier.
        (90.0, 2030, "eq", "all", "full_online_procedure_files_share"),
        (60.0, 2026, "eq", "commune", "digitized_procedure_results_share"),
        (100.0, 2030, "eq", "commune", "digitized_procedure_results_share"),
    ]
    for t in rows:
        assert TABLE_PLAN[t.start : t.end].startswith(str(int(t.value)))


RESULTS_TABLE_PLAN = """III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026
| STT | Chỉ tiêu | Kết quả năm 2025 | Chỉ tiêu năm 2026 | Cơ quan chủ trì |
|---|---|---|---|---|
| 1 | Tỷ lệ hồ sơ TTHC được xử lý hoàn toàn trực tuyến | 31,2% | ≥ 45% | Văn phòng UBND tỉnh |
| 2 | Tỷ lệ văn bản điện tử được ký số | - | 100% | Sở Khoa học và Công nghệ |
"""


def test_a_results_column_gives_baselines_of_its_year() -> None:
    rows = extract_targets(RESULTS_TABLE_PLAN, meta=DocumentMeta(issued="2025-12-12",
                                                                  period_start=2026,
                                                                  period_end=2026))
    got = [(t.value, t.kind, t.year, t.comparator) for t in rows]
    assert got == [(31.2, "baseline", 2025, "eq"), (45.0, "target", 2026, "ge"),
                   (100.0, "target", 2026, "eq")]


BACKGROUND_PLAN = """I. BỐI CẢNH VÀ SỰ CẦN THIẾT
Năm 2024, tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn trên địa bàn tỉnh đạt 97,3%.
II. THỰC TRẠNG VÀ MỤC TIÊU
Phấn đấu tỷ lệ hồ sơ giải quyết đúng hạn đạt 98%.
III. MỤC TIÊU
Tỷ lệ hồ sơ giải quyết đúng hạn không thấp hơn 99%; không quá 2% số hồ sơ bị yêu cầu bổ sung.
Kiểm tra công tác CCHC tại ít nhất 30% UBND cấp xã và 40% cơ quan chuyên môn thuộc UBND tỉnh.
"""


def test_background_sections_report_the_past_and_own_subjects_are_not_inherited() -> None:
    rows = extract_targets(BACKGROUND_PLAN, meta=META_2025)
    got = [(t.value, t.indicator, t.level) for t in rows]
    assert got == [
        # "Bối cảnh" reports; a heading that also sets goals ("... và mục tiêu") does not.
        (98.0, "on_time_procedure_files_share", "all"),
        (99.0, "on_time_procedure_files_share", "all"),
        # A clause of its own, counting its own noun: not the previous indicator.
        (2.0, None, "all"),
        # One list sharing its verb: the second number keeps the first's indicator.
        (30.0, "inspection_coverage_share", "commune"),
        (40.0, "inspection_coverage_share", "province"),
    ]


SECTIONS_PLAN = """**Phần I. KẾT QUẢ ĐẠT ĐƯỢC NĂM 2025**
**1. Cải cách thủ tục hành chính**
Tỷ lệ hồ sơ giải quyết đúng hạn đạt 97,6%.
**Phần II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026**
**a) Cải cách chế độ công vụ**

100% công chức cấp xã đạt chuẩn về trình độ theo vị trí việc làm.

**b) Xây dựng và phát triển Chính quyền điện tử, Chính quyền số**
- Đến năm 2026:
+ Tỷ lệ hồ sơ TTHC được xử lý hoàn toàn trực tuyến đạt 70%.
+ 100% cuộc kiểm tra của cơ quan quản lý nhà nước được tiến hành qua môi trường số.
+ 100% Trung tâm Phục vụ hành chính công cấp xã được bố trí trụ sở, trang bị đầy đủ máy tính.
+ 100% hồ sơ tiếp nhận tại Trung tâm Phục vụ hành chính công tỉnh, các chi nhánh và \
Trung tâm Phục vụ hành chính công cấp xã được số hóa.
"""


def test_post_2025_plan_sections_tiers_and_indicators() -> None:
    rows = extract_targets(SECTIONS_PLAN, meta=DocumentMeta(issued="2025-12-12",
                                                             period_start=2026, period_end=2026))
    got = [(t.value, t.area, t.level, t.indicator) for t in rows]
    assert got == [
        # "Phần I. KẾT QUẢ ĐẠT ĐƯỢC" is a report: its 97,6% is not a target. A short title
        # line then a blank line and "100% ..." are a heading and its paragraph.
        (100.0, "civil_service", "commune", "commune_officials_standard_share"),
        # An item that states a target does not rename the section's area.
        (70.0, "digital_government", "all", "full_online_procedure_files_share"),
        (100.0, "digital_government", "all", "digital_inspections_share"),
        (100.0, "digital_government", "commune", "one_stop_desk_modern_equipment_share"),
        (100.0, "digital_government", "province+commune", None),
    ]


UNIT_COLUMN_TABLES = (
    "PHỤ LỤC\n"
    "CHỈ TIÊU XÂY DỰNG CHÍNH QUYỀN SỐ GIAI ĐOẠN 2021 - 2025\n\n"
    "| TT | Chỉ tiêu | Đơn vị tính | Thực hiện năm 2020 | 2021 | 2025 | Cơ quan chủ trì |\n"
    "|---|---|---|---|---|---|---|\n"
    "| 1 | Xếp hạng Chỉ số CCHC (PAR INDEX) của tỉnh | Thứ hạng | 42 | Top 40 | Top 20 "
    "| Sở Nội vụ |\n"
    "| 2 | Tỷ lệ TTHC được cung cấp dịch vụ công trực tuyến toàn trình | % | 18,5 | ≥ 25 | 80 "
    "| Sở Thông tin và Truyền thông |\n"
    "\n"
    "STT\tChỉ tiêu\tĐơn vị tính\tNăm 2023\tNăm 2025\tCơ quan chủ trì\n"
    "1\tTỷ lệ hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng\t%\t80\t90\t"
    "Các sở, ban, ngành\n"
)


def test_unit_columns_make_bare_cells_values() -> None:
    """A unit column ("%", "Thứ hạng") gives bare cells their unit, in pipe and tab tables."""
    rows = extract_targets(UNIT_COLUMN_TABLES, meta=META_2025)
    got = [(t.value, t.unit, t.kind, t.year, t.comparator, t.area, t.indicator) for t in rows]
    assert got == [
        (42.0, "rank", "baseline", 2020, "eq", "digital_government", "par_index_rank"),
        (40.0, "rank", "target", 2021, "le", "digital_government", "par_index_rank"),
        (20.0, "rank", "target", 2025, "le", "digital_government", "par_index_rank"),
        (18.5, "percent", "baseline", 2020, "eq", "digital_government",
         "full_online_procedures_share"),
        (25.0, "percent", "target", 2021, "ge", "digital_government",
         "full_online_procedures_share"),
        (80.0, "percent", "target", 2025, "eq", "digital_government",
         "full_online_procedures_share"),
        (80.0, "percent", "target", 2023, "eq", "digital_government", "work_files_online_share"),
        (90.0, "percent", "target", 2025, "eq", "digital_government", "work_files_online_share"),
    ]
    for t in rows:
        span = UNIT_COLUMN_TABLES[t.start : t.end]
        assert f"{t.value:g}" in span.replace(",", ".") and "|" not in span and "\t" not in span


TIER_COLUMNS_AND_ADDRESSEES = """II. CHỈ TIÊU GIAO CHO CÁC CƠ QUAN, ĐỊA PHƯƠNG
1. Công tác chỉ đạo, điều hành
a) Đối với các sở, ban, ngành:
- Chỉ số CCHC năm 2022 tăng tối thiểu 2 bậc so với năm 2021.
b) Đối với Ủy ban nhân dân các huyện, thành phố:
- Hoàn thành 100% nhiệm vụ CCHC năm 2022 của địa phương.
2. Cải cách thủ tục hành chính
| TT | Chỉ tiêu | Các sở, ban, ngành | UBND các huyện, thành phố | UBND các xã, phường, thị trấn |
|---|---|---|---|---|
| 1 | Tỷ lệ hồ sơ TTHC được giải quyết đúng hạn | ≥ 98% | ≥ 97% | ≥ 96% |
3. Cải cách tổ chức bộ máy hành chính nhà nước
a) Sở Y tế, Sở Giáo dục và Đào tạo: giảm tối thiểu 2% số người làm việc so với năm 2021.
b) Các sở, ban, ngành và Ủy ban nhân dân các huyện, thành phố: giảm 1,5% biên chế công chức.
"""


def test_tiers_from_table_columns_headings_and_addressees() -> None:
    meta = DocumentMeta(issued="2022-02-10", period_start=2022, period_end=2022)
    rows = extract_targets(TIER_COLUMNS_AND_ADDRESSEES, meta=meta)
    got = [(t.value, t.level) for t in rows]
    assert got == [
        (2.0, "province"),  # the heading: "Đối với các sở, ban, ngành"
        (100.0, "district"),  # "Đối với Ủy ban nhân dân các huyện, thành phố"
        (98.0, "province"),  # the table's columns
        (97.0, "district"),
        (96.0, "commune"),
        (2.0, "province"),  # the item's addressees: "Sở Y tế, ...:"
        (1.5, "province+district"),
    ]


PAST_AND_SETTINGS = """I. MỤC TIÊU
Năm 2021, Chỉ số CCHC (PAR INDEX) của tỉnh đạt 89,05%, xếp thứ 6/63 tỉnh, thành phố.
Phấn đấu Chỉ số CCHC năm 2023 của huyện nằm trong nhóm 3 đơn vị dẫn đầu khối các huyện.
Tỷ lệ người dân không hài lòng với sự phục vụ tại Bộ phận Một cửa dưới 3%.
Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98% ở cấp tỉnh, 97% ở cấp huyện và 95% ở cấp xã; \
tỷ lệ trả trước hạn đạt từ 70% trở lên (năm 2022 ước đạt 64,3%).
Giảm tối thiểu 2% biên chế công chức và 3% số người làm việc (tương ứng 47 biên chế công \
chức và 412 người làm việc).
Chỉ số PAPI và PCI của tỉnh mỗi chỉ số tăng 3-5 bậc.
II. QUY MÔ KHẢO SÁT
Mẫu được chọn ngẫu nhiên; độ tin cậy 95%, sai số cho phép ±3%; dự phòng bằng 10% số mẫu.
III. KINH PHÍ THỰC HIỆN
Ngân sách tỉnh bảo đảm khoảng 18,3 tỷ đồng, chiếm 75%.
"""


def test_past_results_settings_and_lists() -> None:
    meta = DocumentMeta(issued="2022-12-20", period_start=2023, period_end=2023)
    rows = extract_targets(PAST_AND_SETTINGS, meta=meta)
    got = [(t.value, t.unit, t.kind, t.comparator, t.year, t.level, t.indicator) for t in rows]
    assert got == [
        # 2021 is before the plan was issued: a past result, not a target. A place among
        # the province's own units is a rank in no national index.
        (3.0, "rank", "target", "le", 2023, "all", None),
        # The share of the dissatisfied has no code.
        (3.0, "percent", "target", "lt", 2023, "all", None),
        # Items that differ only in their tier share the qualifier.
        (98.0, "percent", "target", "gt", 2023, "province", "on_time_procedure_files_share"),
        (97.0, "percent", "target", "gt", 2023, "district", "on_time_procedure_files_share"),
        (95.0, "percent", "target", "gt", 2023, "commune", "on_time_procedure_files_share"),
        (70.0, "percent", "target", "ge", 2023, "all", "early_procedure_files_share"),
        (64.3, "percent", "baseline", "eq", 2022, "all", "early_procedure_files_share"),
        (2.0, "percent", "target", "ge", 2023, "all", "civil_servant_staffing_reduction"),
        (3.0, "percent", "target", "ge", 2023, "all", "public_service_staff_reduction"),
        # Each equivalent restates the target in its place in the list.
        (47.0, "count", "equivalent", "ge", 2023, "all", "civil_servant_staffing_reduction"),
        (412.0, "count", "equivalent", "ge", 2023, "all", "public_service_staff_reduction"),
        # One move for each index: only PCI's has a code.
        (3.0, "rank_places", "target", "range", 2023, "all", None),
        (3.0, "rank_places", "target", "range", 2023, "all", "pci_rank_change"),
        # Survey settings and budget shares give no row.
    ]


PAGED_SCAN = """I. MỤC TIÊU
Phấn đấu đến năm 2025, Chỉ số CCHC (PAR INDEX) của tỉnh nằm trong

                                                    Trang 2/7

Kế hoạch CCHC tỉnh Quảng Bình giai đoạn 2021 - 2025

nhóm 15 tỉnh dẫn đầu cả nước.
2.2. Cải cách thủ tục hà nh chính
Tỷ lệ hồ sơ TTHC được giải quyết đúng hạn đạt tối thiểu 98 %.

                                                    Trang 3/7

Kế hoạch CCHC tỉnh Quảng Bình giai đoạn 2021 - 2025

"""


def test_page_furniture_is_dropped_and_a_broken_sentence_goes_on() -> None:
    rows = extract_targets(PAGED_SCAN, meta=META_2025)
    got = [(t.value, t.unit, t.area, t.indicator) for t in rows]
    assert got == [
        (15.0, "rank", "overall", "par_index_rank"),
        (98.0, "percent", "procedures", "on_time_procedure_files_share"),
    ]
    assert "Trang" not in rows[0].sentence and "Kế hoạch CCHC" not in rows[0].sentence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A dash item that starts with "Kết quả" or "Kinh phí" is not a report or budget
        # section; a section "Kết quả cụ thể" may plan.
        ("I. MỤC TIÊU\n- Kết quả Chỉ số SIPAS đạt trên 85%.", [85.0]),
        ("I. MỤC TIÊU\n- Kinh phí chi thường xuyên cho đơn vị sự nghiệp giảm bình quân 10%.",
         [10.0]),
        ("1. Kết quả cụ thể\n- 100% hồ sơ được số hóa.", [100.0]),
        # A period or a comparison base before the number is not a past lead.
        ("- Giai đoạn 2016-2020, tỷ lệ này tăng lên; phấn đấu đạt 98% hồ sơ đúng hạn.", [98.0]),
        ("Giảm tối thiểu 10% biên chế so với năm 2016.", [10.0]),
        # "mẫu đơn" is a form, not a survey sample.
        ("100% mẫu đơn, tờ khai được chuẩn hóa.", [100.0]),
        # A lead agency's verb is not an addressee list; its number stays.
        ("- Sở Nội vụ chủ trì, phối hợp thực hiện mục tiêu sau: 100% hồ sơ đúng hạn.", [100.0]),
    ],
)
def test_section_and_lead_rules_keep_ordinary_targets(text: str, expected: list[float]) -> None:
    meta = DocumentMeta(issued="2022-01-10", period_start=2022, period_end=2022)
    assert [t.value for t in extract_targets(text, meta=meta)] == expected


def test_review_cases_levels_and_equivalents() -> None:
    meta = DocumentMeta(issued="2022-01-10", period_start=2022, period_end=2022)
    rows = extract_targets(
        "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 98%; giảm tối thiểu 10% biên chế công chức "
        "(tương ứng 30 biên chế).",
        meta=meta,
    )
    # One equivalent in its own clause restates that clause's target, not the first one.
    assert [(t.value, t.kind, t.indicator) for t in rows][-1] == (
        30.0, "equivalent", "civil_servant_staffing_reduction"
    )
    centre = extract_targets(
        "100% hồ sơ tiếp nhận tại Trung tâm Phục vụ hành chính công cấp tỉnh được số hóa.",
        meta=meta,
    )
    assert [t.level for t in centre] == ["province"]
    # A list item written with tabs is not a table row.
    item = extract_targets(
        "-\tTỷ lệ hồ sơ giải quyết đúng hạn đạt 98%\tở cấp tỉnh;\t95% ở cấp xã.", meta=meta
    )
    assert [(t.value, t.level) for t in item] == [(98.0, "province"), (95.0, "commune")]


def test_city_tiers_and_closing_deadlines() -> None:
    meta = DocumentMeta(issued="2024-01-10", period_start=2024, period_end=2025)
    rows = extract_targets(
        "a. Tỷ lệ hồ sơ đúng hạn đạt trên 98% ở cấp thành phố, 97% ở cấp quận, huyện và 96% ở "
        "cấp phường, xã, thị trấn, hoàn thành trong năm 2024.\n"
        "(2) Theo Nghị quyết số 76/NQ-CP, đến năm 2030, mức độ hài lòng đạt tối thiểu 95%.\n"
        "(3) Năm 2022, Chỉ số CCHC của tỉnh đạt 81,46%, xếp thứ 58/63 tỉnh, thành phố.\n",
        meta=meta,
    )
    assert [(t.value, t.comparator, t.level, t.year) for t in rows] == [
        (98.0, "gt", "province", 2024),
        (97.0, "gt", "district", 2024),
        (96.0, "gt", "commune", 2024),
    ]


def test_design_review_p2_phuong_xa_names_the_commune_tier() -> None:
    # code-design-review.md P2: "phường, xã" added to the level words never matched,
    # because the hand-written first-letter filter lacked "p".
    rows = extract_targets("Tỷ lệ hồ sơ trực tuyến đạt 90% ở phường, xã.", meta=META_2025)
    assert [(t.value, t.level) for t in rows] == [(90.0, "commune")]
    assert "level=level.trailing_tier>level.commune.phuong_xa" in rows[0].rules


@pytest.mark.parametrize(
    "papi",
    ["Chỉ số PAPI", "Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh"],
    ids=["abbreviation", "full-name"],
)
def test_design_review_p2_a_move_of_indices_named_together_gives_a_row_per_index(
    papi: str,
) -> None:
    # code-design-review.md P2: "Chỉ số PCI và Chỉ số PAPI tăng 3 bậc" got no indicator
    # while the same sentence with PAPI's full name got PCI's: both indices move, and
    # each gets its row (PCI's code; PAPI has no code for a move in its ranking).
    rows = extract_targets(f"Phấn đấu Chỉ số PCI và {papi} tăng 3 bậc.", meta=META_2025)
    assert sorted((t.value, t.unit, t.indicator or "") for t in rows) == [
        (3.0, "rank_places", ""),
        (3.0, "rank_places", "pci_rank_change"),
    ]
    # An index named apart from the move does not move: the nearest one does.
    rows = extract_targets(
        "Phấn đấu Chỉ số PCI thuộc nhóm khá, Chỉ số PAPI tăng 3 bậc.", meta=META_2025
    )
    assert [(t.value, t.indicator) for t in rows] == [(3.0, None)]
