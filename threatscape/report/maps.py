"""The event map as SVG: admin-1 provinces shaded by event count, points sized by fatalities.

Drawn directly (no browser, no tiles): an equirectangular projection scaled by the cosine of the
middle latitude, clipped to the countries where the period's events happened, neighbours in grey.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from threatscape.report.geo import Boundaries, Province, country_code
from threatscape.report.queries import Location

__all__ = ["MapData", "map_data", "render_map"]

WIDTH = 680
SHADES = ("#fdeee6", "#fcc5ab", "#f99474", "#e8553b", "#b4212b")  # few -> many events
POINT_FILL = "#3b2f63"
MAX_RADIUS = 16.0
PAD = 0.06  # share of the extent added around it
FONT = "DejaVu Sans, Liberation Sans, sans-serif"
MAX_LABELS = 10
MIN_SPAN = 6.0  # degrees: the map never shows less than this across


@dataclass(frozen=True)
class MapData:
    counts: dict[str, int]  # province ISO code -> events
    points: list[tuple[Location, str | None]]  # located places and their province
    countries: set[str]
    unplaced: int  # events with neither coordinates nor a known province


def map_data(bounds: Boundaries, locs: Sequence[Location]) -> MapData:
    """Events per province: by coordinates where known (point in polygon), else by admin-1 name."""
    counts: Counter[str] = Counter()
    points: list[tuple[Location, str | None]] = []
    countries: set[str] = set()
    unplaced = 0
    for loc in locs:
        cc = country_code(loc.country)
        iso = None
        if loc.lat is not None and loc.lon is not None:
            iso = bounds.locate(cc, loc.lon, loc.lat)
            points.append((loc, iso))
        iso = iso or bounds.lookup_name(cc, loc.admin1)
        if iso:
            counts[iso] += loc.events
            countries.add(iso.split("-")[0])
        elif cc:
            countries.add(cc)
        else:
            unplaced += loc.events
    return MapData(dict(counts), points, countries, unplaced)


class _Projection:
    def __init__(self, box: tuple[float, float, float, float]) -> None:
        x0, y0, x1, y1 = box
        dx, dy = (x1 - x0) * PAD, (y1 - y0) * PAD
        self.x0, self.y0, self.x1, self.y1 = x0 - dx, y0 - dy, x1 + dx, y1 + dy
        self.k = math.cos(math.radians((self.y0 + self.y1) / 2))
        self.scale = WIDTH / max((self.x1 - self.x0) * self.k, 1e-6)
        self.height = round((self.y1 - self.y0) * self.scale)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.x0) * self.k * self.scale, (self.y1 - lat) * self.scale

    def path(self, p: Province) -> str:
        parts = []
        for poly in p.polygons:
            for ring in poly:
                pts = [self.xy(x, y) for x, y in ring]
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
        return "".join(parts)


def _extent(provinces: list[Province], points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """The box around the provinces with events and the points, widened to ``MIN_SPAN`` degrees."""
    xs = [x for p in provinces for x in (p.bbox[0], p.bbox[2])] + [x for x, _ in points]
    ys = [y for p in provinces for y in (p.bbox[1], p.bbox[3])] + [y for _, y in points]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    wx, wy = max(0.0, MIN_SPAN - (x1 - x0)) / 2, max(0.0, MIN_SPAN - (y1 - y0)) / 2
    return x0 - wx, y0 - wy, x1 + wx, y1 + wy


def _shade(n: int, top: int) -> str:
    if n <= 0:
        return "#ffffff"
    step = min(len(SHADES) - 1, int(len(SHADES) * math.log1p(n) / math.log1p(max(top, 1)) - 1e-9))
    return SHADES[max(step, 0)]


def _overlaps(b: tuple[float, float, float, float], proj: _Projection) -> bool:
    return b[2] >= proj.x0 and b[0] <= proj.x1 and b[3] >= proj.y0 and b[1] <= proj.y1


def _province_layer(bounds: Boundaries, data: MapData, proj: _Projection) -> list[str]:
    top = max(data.counts.values(), default=1)
    out = []
    for p in bounds.provinces:
        if not _overlaps(p.bbox, proj):
            continue
        inside = p.cc in data.countries
        fill = _shade(data.counts.get(p.iso, 0), top) if inside else "#eceae6"
        stroke = "#8a8580" if inside else "#d2cfca"
        title = f"{p.name}: {data.counts.get(p.iso, 0)} events" if inside else p.name
        out.append(
            f'<path d="{proj.path(p)}" fill="{fill}" stroke="{stroke}" stroke-width="0.6" '
            f'data-iso="{p.iso}"><title>{escape(title)}</title></path>'
        )
    return out


def _labels(bounds: Boundaries, data: MapData, proj: _Projection) -> list[str]:
    out: list[str] = []
    placed: list[tuple[float, float, float]] = []
    for iso, n in sorted(data.counts.items(), key=lambda kv: -kv[1])[:MAX_LABELS]:
        p = bounds.by_iso.get(iso)
        if p is None:
            continue
        x, y = proj.xy(*p.label_point())
        text = f"{escape(p.name)} ({n})"
        half = 3.1 * len(text)  # about half the label's width at 10px
        x = min(max(x, half + 4), WIDTH - half - 4)
        if any(abs(y - py) < 12 and abs(x - px) < half + ph for px, py, ph in placed):
            continue  # would overlap a busier province's label; its tooltip still names it
        placed.append((x, y, half))
        attrs = f'x="{x:.0f}" y="{y:.0f}" text-anchor="middle" font-family="{FONT}" font-size="10" font-weight="bold"'
        out.append(
            f'<text {attrs} fill="#ffffff" stroke="#ffffff" stroke-width="3" stroke-opacity="0.85">{text}</text>'
            f'<text {attrs} fill="#1d1d1f">{text}</text>'
        )
    return out


def _points(data: MapData, proj: _Projection) -> list[str]:
    top = max((loc.fatalities for loc, _ in data.points), default=0)
    out = []
    for loc, _iso in sorted(data.points, key=lambda li: -li[0].fatalities):
        x, y = proj.xy(loc.lon or 0.0, loc.lat or 0.0)
        r = 2.5 + (MAX_RADIUS - 2.5) * math.sqrt(loc.fatalities / top) if top else 3.0
        fill = POINT_FILL if loc.fatalities else "none"
        label = f"{loc.name or loc.admin1}: {loc.events} events, {loc.fatalities} killed"
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}" fill-opacity="0.55" '
            f'stroke="{POINT_FILL}" stroke-width="0.9"><title>{escape(label)}</title></circle>'
        )
    return out


def _legend(data: MapData, height: int) -> str:
    top = max(data.counts.values(), default=1)
    y = height - 24
    font = f'font-family="{FONT}" font-size="9" fill="#444444"'
    cells = [f'<text x="10" y="{y - 4}" {font}>Events per province (log scale)</text>']
    for i, shade in enumerate(SHADES):
        cells.append(
            f'<rect x="{10 + i * 30}" y="{y}" width="30" height="9" fill="{shade}" '
            'stroke="#8a8580" stroke-width="0.4"/>'
        )
    cells.append(f'<text x="10" y="{y + 19}" {font}>1</text>')
    cells.append(f'<text x="{10 + len(SHADES) * 30}" y="{y + 19}" text-anchor="end" {font}>{top}</text>')
    x = 30 + len(SHADES) * 30
    cells.append(
        f'<circle cx="{x}" cy="{y + 4}" r="4" fill="{POINT_FILL}" fill-opacity="0.55" stroke="{POINT_FILL}"/>'
        f'<text x="{x + 8}" y="{y + 8}" {font}>circle area: reported fatalities at the place (hollow: none)</text>'
    )
    return "".join(cells)


def render_map(bounds: Boundaries, data: MapData) -> str | None:
    """The map SVG, or None when no event could be placed on it."""
    shaded = [bounds.by_iso[iso] for iso in data.counts if iso in bounds.by_iso]
    points = [(loc.lon, loc.lat) for loc, _ in data.points if loc.lon is not None and loc.lat is not None]
    if not shaded and not points:
        return None
    proj = _Projection(_extent(shaded, points))
    h = proj.height + 30
    body = [*_province_layer(bounds, data, proj), *_points(data, proj), *_labels(bounds, data, proj)]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}" '
        f'role="img" aria-label="Map of events by province">'
        f'<defs><clipPath id="map-clip"><rect width="{WIDTH}" height="{proj.height}"/></clipPath></defs>'
        f'<rect width="{WIDTH}" height="{proj.height}" fill="#f6f8fa"/>'
        f'<g clip-path="url(#map-clip)">{"".join(body)}</g>{_legend(data, h)}</svg>'
    )
