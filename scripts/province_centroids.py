"""Compute the centroids of the 63 pre-2025 provinces from published boundaries.

The boundaries are those of the Highcharts map collection, version 2.3.3 (the npm
package ``@highcharts/map-collection``, file ``countries/vn/vn-all.geo.json``, "based
on data from Natural Earth"): 63 admin-1 polygons in UTM zone 48N, scaled by the
file's ``hc-transform``. Each centroid is the area-weighted centroid of all the
province's polygons (islands included), computed in UTM metres and converted to
latitude and longitude (WGS84), given to 4 decimals (about 11 m; the polygons are
drawn to about 150 m).

The polygon the file labels ``Southeast`` (``hc-key`` ``vn-331``, no ISO code) is Đồng
Nai: it is the only province without a polygon of its own name, and it lies where Đồng
Nai lies (between TP. Hồ Chí Minh, Bình Dương, Bình Phước, Lâm Đồng, Bình Thuận and
Bà Rịa - Vũng Tàu). The script says so in its output.

Usage::

    npm pack @highcharts/map-collection@2.3.3
    tar xzf highcharts-map-collection-2.3.3.tgz package/countries/vn/vn-all.geo.json
    python scripts/province_centroids.py package/countries/vn/vn-all.geo.json

It prints ``gso_code_pre2025,centroid_lat,centroid_lon`` for the registry
(``parstats/data/provinces.csv``) and the distance of each centroid from the label
point Natural Earth records for the province, as a check.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

# WGS84
A = 6378137.0
F = 1 / 298.257223563
K0 = 0.9996
ZONE = 48
UNLABELLED = {"vn-331": "Đồng Nai"}


def utm_to_latlon(easting: float, northing: float, zone: int = ZONE) -> tuple[float, float]:
    """Inverse transverse Mercator, northern hemisphere (Snyder 1987, eqs. 8-12 to 8-25)."""
    e2 = F * (2 - F)
    ep2 = e2 / (1 - e2)
    x = easting - 500000.0
    m = northing / K0
    mu = m / (A * (1 - e2 / 4 - 3 * e2**2 / 64 - 5 * e2**3 / 256))
    e1 = (1 - math.sqrt(1 - e2)) / (1 + math.sqrt(1 - e2))
    phi1 = (
        mu
        + (3 * e1 / 2 - 27 * e1**3 / 32) * math.sin(2 * mu)
        + (21 * e1**2 / 16 - 55 * e1**4 / 32) * math.sin(4 * mu)
        + (151 * e1**3 / 96) * math.sin(6 * mu)
        + (1097 * e1**4 / 512) * math.sin(8 * mu)
    )
    sin1, cos1, tan1 = math.sin(phi1), math.cos(phi1), math.tan(phi1)
    c1 = ep2 * cos1**2
    t1 = tan1**2
    n1 = A / math.sqrt(1 - e2 * sin1**2)
    r1 = A * (1 - e2) / (1 - e2 * sin1**2) ** 1.5
    d = x / (n1 * K0)
    lat = phi1 - (n1 * tan1 / r1) * (
        d**2 / 2
        - (5 + 3 * t1 + 10 * c1 - 4 * c1**2 - 9 * ep2) * d**4 / 24
        + (61 + 90 * t1 + 298 * c1 + 45 * t1**2 - 252 * ep2 - 3 * c1**2) * d**6 / 720
    )
    lon0 = math.radians((zone - 1) * 6 - 180 + 3)
    lon = lon0 + (
        d
        - (1 + 2 * t1 + c1) * d**3 / 6
        + (5 - 2 * c1 + 28 * t1 - 3 * c1**2 + 8 * ep2 + 24 * t1**2) * d**5 / 120
    ) / cos1
    return math.degrees(lat), math.degrees(lon)


def polygons(geometry: dict) -> list[list[list[list[float]]]]:
    """Return the geometry's polygons, each a list of rings."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def centroid(rings: list[list[list[float]]], to_metres) -> tuple[float, float, float]:
    """Area and area-weighted centroid (shoelace) of rings in metres; holes subtract."""
    area = cx = cy = 0.0
    for ring in rings:
        pts = [to_metres(x, y) for x, y in ring]
        if pts[0] != pts[-1]:
            pts.append(pts[0])
        a = sx = sy = 0.0
        for (x0, y0), (x1, y1) in zip(pts[:-1], pts[1:], strict=True):
            cross = x0 * y1 - x1 * y0
            a += cross
            sx += (x0 + x1) * cross
            sy += (y0 + y1) * cross
        area += a / 2
        cx += sx / 6
        cy += sy / 6
    return area, cx, cy


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def main(argv: list[str] | None = None) -> int:
    """Print the registry's centroid columns computed from ``vn-all.geo.json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("geojson", type=Path, help="countries/vn/vn-all.geo.json")
    args = parser.parse_args(argv)
    from parstats.provinces import all_provinces, resolve

    data = json.loads(args.geojson.read_text(encoding="utf-8"))
    t = data["hc-transform"]["default"]
    unit = t["scale"] * t["jsonres"]

    def to_metres(x: float, y: float) -> tuple[float, float]:
        return (x - t["jsonmarginX"]) / unit + t["xoffset"], (y - t["jsonmarginY"]) / unit + t[
            "yoffset"
        ]

    out: dict[str, tuple[float, float, float]] = {}
    for feature in data["features"]:
        p = feature["properties"]
        key = p["hc-key"]
        name = UNLABELLED.get(key)
        if name is None:
            spellings = (p.get("name"), p.get("woe-name"), *(p.get("alt-name") or "").split("|"))
            for candidate in spellings:
                try:
                    name = resolve(candidate).name_vi if candidate else None
                except Exception:  # noqa: BLE001 - try the next spelling
                    name = None
                if name:
                    break
        if name is None:
            print(f"unmatched feature {key} {p.get('name')}", file=sys.stderr)
            return 1
        code = resolve(name).code
        if code in out:
            print(f"two features for {name}", file=sys.stderr)
            return 1
        area = cx = cy = 0.0
        for rings in polygons(feature["geometry"]):
            a, sx, sy = centroid(rings, to_metres)
            area, cx, cy = area + a, cx + sx, cy + sy
        lat, lon = utm_to_latlon(cx / area, cy / area)
        label = (float(p["latitude"]), float(p["longitude"]))
        out[code] = (lat, lon, haversine_km(lat, lon, *label))
        if key in UNLABELLED:
            print(f"# {key} labelled {p.get('name')!r} taken as {name} (the one province left)",
                  file=sys.stderr)
    missing = [q.name_vi for q in all_provinces() if q.code not in out]
    if missing:
        print(f"no polygon for {missing}", file=sys.stderr)
        return 1
    digest = hashlib.sha256(args.geojson.read_bytes()).hexdigest()
    print(f"# {args.geojson.name} sha256 {digest}", file=sys.stderr)
    print("gso_code_pre2025,centroid_lat,centroid_lon,km_from_natural_earth_label_point")
    for q in all_provinces():
        lat, lon, km = out[q.code]
        print(f"{q.code},{lat:.4f},{lon:.4f},{km:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
