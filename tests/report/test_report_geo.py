"""Boundaries: province lookup by point and by name, FATA within Khyber Pakhtunkhwa, the map SVG."""

from __future__ import annotations

import json
from pathlib import Path

from threatscape.report.geo import load_boundaries
from threatscape.report.maps import map_data, render_map
from threatscape.report.queries import Location


def _square(iso: str, cc: str, name: str, x0: float, y0: float, size: float, alt: str = "") -> dict:
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return {
        "type": "Feature",
        "properties": {"iso": iso, "cc": cc, "name": name, "alt": alt},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _assets(tmp_path: Path) -> Path:
    features = [
        _square("PK-KP", "PK", "Khyber Pakhtunkhwa", 70, 32, 2, "North-West Frontier Province"),
        _square("PK-TA", "PK", "Federally Administered Tribal Areas", 68, 32, 2),
        _square("PK-BA", "PK", "Balochistan", 64, 26, 6, "Baluchistan"),
    ]
    (tmp_path / "full").mkdir()
    for name in ("admin1-display.json", "full/PK.json"):
        (tmp_path / name).write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return tmp_path


def test_points_and_names_find_their_province(tmp_path: Path) -> None:
    b = load_boundaries(_assets(tmp_path))
    assert b is not None
    assert b.locate("PK", 70.6, 33.0) == "PK-KP"
    assert b.locate("PK", 69.0, 33.0) == "PK-KP"  # former FATA
    assert b.locate("PK", 67.0, 30.2) == "PK-BA"
    assert b.locate("PK", 80.0, 10.0) is None
    assert b.lookup_name("PK", "North-West Frontier Province") == "PK-KP"
    assert b.lookup_name("PK", "FATA") == "PK-KP"
    assert b.lookup_name("PK", "Baluchistan Province") == "PK-BA"
    assert b.lookup_name("AF", "Balochistan") is None


def test_map_shades_provinces_and_sizes_points(tmp_path: Path) -> None:
    b = load_boundaries(_assets(tmp_path))
    assert b is not None
    locs = [
        Location("Pakistan", "Khyber Pakhtunkhwa", "Bannu", 33.0, 70.6, 3, 20),
        Location("Pakistan", "Balochistan", None, None, None, 2, 0),
        Location(None, None, None, None, None, 1, 0),
    ]
    data = map_data(b, locs)
    assert data.counts == {"PK-KP": 3, "PK-BA": 2} and data.unplaced == 1
    svg = render_map(b, data)
    assert svg is not None and svg.startswith("<svg") and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert svg.count("<circle") == 2  # one place, one legend mark
    assert "Khyber Pakhtunkhwa (3)" in svg


def test_natural_earth_assets_when_built(assets: Path) -> None:
    b = load_boundaries(assets)
    assert b is not None and len(b.provinces) > 4000
    assert "PK-TA" not in b.by_iso
    assert b.locate("PK", 70.62, 32.99) == "PK-KP"  # Bannu
    assert b.locate("PK", 69.85, 32.63) == "PK-KP"  # Makeen, South Waziristan (former FATA)
    assert b.locate("PK", 67.01, 30.19) == "PK-BA"  # Quetta
    assert b.locate("AF", 69.2, 32.7) == "AF-PIA"  # Barmal, Paktika
    assert b.lookup_name("AF", "Paktia") == "AF-PKA"
