"""Charts as SVG without a browser: Vega-Lite through vl-convert, a plain SVG fallback without it.

``timeline_svg`` draws events per week stacked by ACLED event type. vl-convert-python bundles
the Vega engine and renders offline; when it is not installed (or fails) the same chart is drawn
by ``_bars_svg`` here, so the report never needs more than the standard library to show it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape
from typing import Any

from threatscape.report.model import Period

__all__ = ["TYPE_COLOURS", "colour", "timeline_svg", "weekly"]

TYPE_COLOURS = {
    "Battles": "#b4212b",
    "Explosions/Remote violence": "#e8743b",
    "Violence against civilians": "#6a3d9a",
    "Riots": "#3f8f3a",
    "Protests": "#2b6cb0",
    "Strategic developments": "#8c8c8c",
}
OTHER_COLOURS = ("#b58900", "#268bd2", "#2aa198", "#d33682", "#657b83")
FONT = "DejaVu Sans"


def colour(event_type: str, order: Sequence[str] = ()) -> str:
    if event_type in TYPE_COLOURS:
        return TYPE_COLOURS[event_type]
    extra = [t for t in order if t not in TYPE_COLOURS]
    i = extra.index(event_type) if event_type in extra else 0
    return OTHER_COLOURS[i % len(OTHER_COLOURS)]


def weekly(daily: Sequence[tuple[str, str, int]], period: Period) -> list[tuple[str, str, int]]:
    """(Monday of the week, type, events) for every week of the period, zero weeks included."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for day, typ, n in daily:
        d = date.fromisoformat(day)
        counts[((d - timedelta(days=d.weekday())).isoformat(), typ)] += n
    types = sorted({typ for _, typ in counts}) or ["Battles"]
    week = period.start - timedelta(days=period.start.weekday())
    out = []
    while week <= period.end:
        out += [(week.isoformat(), typ, counts.get((week.isoformat(), typ), 0)) for typ in types]
        week += timedelta(days=7)
    return out


def _spec(rows: Sequence[tuple[str, str, int]], types: list[str]) -> dict[str, Any]:
    return {
        "width": 600,
        "height": 190,
        "data": {"values": [{"week": w, "type": t, "events": n} for w, t, n in rows]},
        "mark": {"type": "bar", "width": {"band": 0.85}},
        "encoding": {
            "x": {
                "field": "week",
                "type": "ordinal",
                "title": "Week starting",
                "axis": {"labelAngle": -45, "labelOverlap": "greedy"},
            },
            "y": {
                "field": "events",
                "type": "quantitative",
                "title": "Events",
                "stack": "zero",
                "axis": {"tickMinStep": 1},
            },
            "color": {
                "field": "type",
                "type": "nominal",
                "title": None,
                "scale": {"domain": types, "range": [colour(t, types) for t in types]},
                "legend": {"orient": "bottom", "columns": 3, "labelLimit": 220},
            },
            "order": {"field": "type"},
        },
        "config": {"font": FONT, "view": {"stroke": None}, "axis": {"grid": True, "gridColor": "#e6e6e6"}},
    }


def timeline_svg(rows: Sequence[tuple[str, str, int]]) -> str:
    """Weekly stacked bars of ``rows`` (from ``weekly``) as SVG."""
    types = sorted({t for _, t, _ in rows}, key=lambda t: (t not in TYPE_COLOURS, t))
    try:
        import vl_convert

        return str(vl_convert.vegalite_to_svg(_spec(rows, types)))
    except Exception:  # noqa: BLE001 - any failure of the optional renderer falls back to plain SVG
        return _bars_svg(rows, types)


def _bars_svg(rows: Sequence[tuple[str, str, int]], types: list[str]) -> str:
    weeks = sorted({w for w, _, _ in rows})
    totals = {w: sum(n for w2, _, n in rows if w2 == w) for w in weeks}
    top = max(totals.values(), default=0) or 1
    w, h, left, bottom = 640, 230, 40, 40
    bw = (w - left - 10) / max(len(weeks), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h + 30}" width="{w}" height="{h + 30}">']
    parts.append(f'<g font-family="{FONT}, sans-serif" font-size="9" fill="#444444">')
    for i, week in enumerate(weeks):
        y: float = h - bottom
        for typ in types:
            n = next((n for w2, t, n in rows if w2 == week and t == typ), 0)
            bh = (h - bottom - 10) * n / top
            y -= bh
            if n:
                x = left + i * bw
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw * 0.85:.1f}" height="{bh:.1f}" '
                    f'fill="{colour(typ, types)}"><title>{week} {escape(typ)}: {n}</title></rect>'
                )
        if i % max(1, len(weeks) // 8) == 0:
            parts.append(f'<text x="{left + i * bw:.1f}" y="{h - bottom + 12}">{week}</text>')
    parts.append(f'<text x="4" y="16">{top}</text><text x="4" y="{h - bottom}">0</text>')
    for j, typ in enumerate(types):
        x = left + (j % 3) * 200
        y = h + 4 + (j // 3) * 13
        parts.append(
            f'<rect x="{x}" y="{y - 8}" width="9" height="9" fill="{colour(typ, types)}"/>'
            f'<text x="{x + 13}" y="{y}">{escape(typ)}</text>'
        )
    parts.append("</g></svg>")
    return "".join(parts)
