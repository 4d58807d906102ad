"""The province registry: spellings, slugs, the 2025 merger, schema and provenance."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

import pytest

from parstats import provinces
from parstats.errors import UnknownProvinceError
from parstats.paths import package_data
from parstats.provinces import (
    Province,
    all_provinces,
    by_code,
    by_papi_id,
    by_pci_id,
    new_unit,
    new_units,
    old_units,
    registry_frame,
    resolve,
    slug,
)

SPELLINGS = [
    ("Dak Lak", "66"),
    ("Đăk Lăk", "66"),
    ("Đắc Lắc", "66"),
    ("Đắk Lắk", "66"),
    ("DakLak", "66"),
    ("dak-lak", "66"),
    ("tỉnh Hưng Yên", "33"),
    ("Tỉnh Hưng Yên", "33"),
    ("hung-yen", "33"),
    ("HUNG YEN", "33"),
    ("TP. HCM", "79"),
    ("TP.HCM", "79"),
    ("TPHCM", "79"),
    ("HCMC", "79"),
    ("Ho Chi Minh City", "79"),
    ("Thành phố Hồ Chí Minh", "79"),
    ("TP. Hồ Chí Minh", "79"),
    ("Sài Gòn", "79"),
    ("Kien Giang province", "91"),
    ("Kiên Giang", "91"),
    ("Tây Ninh", "72"),
    ("Khánh Hoà", "56"),  # old-style tone placement
    ("Thanh Hoá", "38"),
    ("Thanh Hóa", "38"),
    ("Thừa Thiên - Huế", "46"),
    ("Thua Thien-Hue", "46"),
    ("TP. Huế", "46"),
    ("Ba Ria-Vung Tau", "77"),
    ("Bà Rịa – Vũng Tàu", "77"),
    ("Da Nang City", "48"),
    ("thành phố Cần Thơ", "92"),
    ("  Hà Nội ", "01"),
    ("66", "66"),
    ("1", "01"),
    # decomposed (NFD) input from some PDFs
    ("\u0110a\u0306\u0301k La\u0306\u0301k", "66"),
]


def test_registry_has_the_63_pre2025_provinces():
    provs = all_provinces()
    assert len(provs) == 63
    assert [p.code for p in provs] == sorted(p.code for p in provs)
    assert len({p.pci_id for p in provs}) == 63
    assert len({p.papi_id for p in provs}) == 63
    assert by_code("66").name_vi == "Đắk Lắk"
    assert by_code(33).name_vi == "Hưng Yên"
    assert by_code("91").name_vi == "Kiên Giang"
    assert by_code("72").name_vi == "Tây Ninh"
    assert by_pci_id(57).code == "66"
    assert by_papi_id(66).code == "66"


@pytest.mark.parametrize(("text", "code"), SPELLINGS)
def test_resolve_accepts_what_users_type(text, code):
    assert resolve(text).code == code


def test_resolve_returns_a_province_unchanged():
    p = by_code("33")
    assert resolve(p) is p
    assert isinstance(p, Province)
    with pytest.raises(AttributeError):
        p.name_vi = "x"  # frozen


@pytest.mark.parametrize(
    ("text", "closest"),
    [("Hung Yeen", "Hưng Yên"), ("Kien Gang", "Kiên Giang"), ("Dak Lakk", "Đắk Lắk")],
)
def test_unknown_name_suggests_the_closest(text, closest):
    with pytest.raises(UnknownProvinceError) as info:
        resolve(text)
    assert text in str(info.value)
    assert closest in str(info.value).split("closest:")[1]
    assert info.value.value == text


@pytest.mark.parametrize("bad", ["", "Atlantis", "(63-province average)", "99"])
def test_non_provinces_are_refused(bad):
    with pytest.raises(UnknownProvinceError):
        resolve(bad)


def test_every_spelling_of_every_province_resolves_to_it():
    for p in all_provinces():
        for name in (p.name_vi, p.name_ascii, p.slug, f"tỉnh {p.name_vi}"):
            assert resolve(name).code == p.code, name


def test_slug_is_ascii_and_the_same_for_every_spelling():
    assert slug("Đắk Lắk") == slug("Dak Lak") == slug("Đắc Lắc") == "dak-lak"
    assert slug(by_code("79")) == "tp-ho-chi-minh"
    assert slug("Thừa Thiên Huế") == "thua-thien-hue"
    assert slug("national") == "national"
    slugs = [slug(p) for p in all_provinces()]
    assert len(set(slugs)) == 63
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)
    assert all(resolve(s) == p for s, p in zip(slugs, all_provinces(), strict=True))


def test_2025_merger_maps_63_to_34_explicitly():
    units = new_units()
    assert len(units) == 34
    assert sum(len(u.old_codes) for u in units) == 63
    assert new_unit("Kiên Giang").name == "An Giang"
    assert [p.name_vi for p in old_units("An Giang")] == ["An Giang", "Kiên Giang"]
    hcm = [p.name_vi for p in old_units("TP. Hồ Chí Minh")]
    assert hcm == ["Bình Dương", "Bà Rịa - Vũng Tàu", "TP. Hồ Chí Minh"]
    assert old_units("HCMC") == old_units("TP. Hồ Chí Minh")
    assert [p.name_vi for p in old_units("TP. Huế")] == ["Thừa Thiên Huế"]
    assert {p.name_vi for p in old_units("Hưng Yên")} == {"Hưng Yên", "Thái Bình"}
    assert new_unit("Hà Nội").code == "01"
    assert new_unit("Hưng Yên").code is None  # not given by any source: missing, not guessed
    assert all(u.source for u in units)


def test_old_province_is_not_a_new_unit():
    with pytest.raises(UnknownProvinceError, match="inside the 2025 unit 'An Giang'"):
        old_units("Kiên Giang")
    with pytest.raises(UnknownProvinceError, match="not a 2025 provincial unit"):
        old_units("Atlantis")


def test_registry_frame_validates_against_schema():
    frame = registry_frame()
    provinces.SCHEMA.validate(frame)
    assert frame.shape == (63, 18)
    assert frame["province_code"].is_unique
    assert frame["new_unit_code_2025"].isna().sum() == sum(
        p.new_unit_code_2025 is None for p in all_provinces()
    )
    descriptions = {name: col.description for name, col in provinces.SCHEMA.columns.items()}
    assert all(descriptions.values())


def test_package_copy_matches_recorded_hash():
    note = package_data("PROVINCES_SOURCES.md").read_text(encoding="utf-8")
    recorded = re.findall(r"sha256\s+`([0-9a-f]{64})`", note)
    actual = hashlib.sha256(package_data("provinces.csv").read_bytes()).hexdigest()
    assert actual in recorded


def test_shared_columns_are_the_shared_registry_unchanged(repo):
    import csv

    shared = repo.parent / "shared" / "data" / "indices" / "provinces.csv"
    if not shared.is_file():
        pytest.skip(f"{shared} is absent (the shared data is not beside this checkout)")
    with open(shared, encoding="utf-8", newline="") as fh:
        theirs = [tuple(r) for r in csv.reader(fh)]
    with open(package_data("provinces.csv"), encoding="utf-8", newline="") as fh:
        ours = [tuple(r[: len(provinces.SHARED_COLUMNS)]) for r in csv.reader(fh)]
    assert ours == theirs
    note = package_data("PROVINCES_SOURCES.md").read_text(encoding="utf-8")
    assert hashlib.sha256(shared.read_bytes()).hexdigest() in note


REGION_COUNTS = {
    "Trung du và miền núi phía Bắc": 14,
    "Đồng bằng sông Hồng": 11,
    "Bắc Trung Bộ và duyên hải miền Trung": 14,
    "Tây Nguyên": 5,
    "Đông Nam Bộ": 6,
    "Đồng bằng sông Cửu Long": 13,
}


def test_every_province_has_one_of_the_six_regions_with_its_source():
    counts = {r: len(provinces.in_region(r)) for r in provinces.regions()}
    assert counts == REGION_COUNTS  # Resolution 81/2023/QH15
    assert all("81/2023/QH15" in p.region_source for p in all_provinces())
    assert by_code("22").region == "Đồng bằng sông Hồng"  # Quảng Ninh
    assert by_code("62").region == "Tây Nguyên" and by_code("68").region == "Tây Nguyên"
    assert resolve("Bình Thuận").region == "Bắc Trung Bộ và duyên hải miền Trung"
    assert [p.name_vi for p in provinces.peers("Dak Lak")] == [
        "Kon Tum", "Gia Lai", "Đắk Nông", "Lâm Đồng"
    ]
    assert provinces.in_region("central highlands") == provinces.in_region("Tây Nguyên")
    with pytest.raises(provinces.InputError, match="not a socio-economic region"):
        provinces.in_region("Atlantis")


def test_centroids_are_derived_facts_inside_viet_nam():
    for p in all_provinces():
        assert 8.4 <= p.centroid_lat <= 23.4 and 102.1 <= p.centroid_lon <= 109.5
        assert p.centroid_source.startswith("derived: ")
        assert "vn-all.geo.json" in p.centroid_source
    # north to south and west to east where geography leaves no doubt
    assert resolve("Hà Giang").centroid_lat > resolve("Hà Nội").centroid_lat
    assert resolve("Hà Nội").centroid_lat > resolve("Huế").centroid_lat
    assert resolve("Huế").centroid_lat > resolve("Cà Mau").centroid_lat
    assert resolve("Điện Biên").centroid_lon < resolve("Quảng Ninh").centroid_lon
    # Hà Nội - TP. Hồ Chí Minh: about 1,140 km between the two centroids
    assert 1100 < provinces.distance_km("Hà Nội", "TP. HCM") < 1180
    # each province's centroid is closer to a region peer than to most other provinces
    near = sum(
        min(provinces.distance_km(p, q) for q in provinces.peers(p))
        < sorted(provinces.distance_km(p, q) for q in all_provinces() if q != p)[31]
        for p in all_provinces()
    )
    assert near >= 60
    assert "Southeast" in by_code("75").centroid_source  # the mislabelled polygon, said


def test_the_34_unit_view_maps_through_the_merger():
    frame = provinces.registry_frame()
    units = provinces.new_units_frame()
    assert len(units) == 63 and units["new_unit_2025"].nunique() == 34
    assert set(units["province_code"]) == set(frame["province_code"])
    dak = new_unit("Phú Yên")
    assert dak.name == "Đắk Lắk"
    assert dak.regions == ("Bắc Trung Bộ và duyên hải miền Trung", "Tây Nguyên")
    assert new_unit("Hà Nội").regions == ("Đồng bằng sông Hồng",)


def test_importing_provinces_imports_no_pandas():
    code = (
        "import sys; import parstats.provinces as p; p.resolve('Dak Lak'); p.all_provinces(); "
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
