"""The actor network as SVG: who fought whom (events) and who supports, funds or shelters whom.

Nodes sit on a circle, busiest first; node area follows the actor's events in the period. Lines:
conflict (events between the two, width by count) in red; reported support-type relations in
green with an arrowhead, dashed when the relation is contested.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Edge", "render_network"]

WIDTH, HEIGHT = 720, 470
LABEL_CHARS = 24
CONFLICT = "#b4212b"
SUPPORT = "#2f7d4a"
MAX_NODES = 14
FONT = "DejaVu Sans, Liberation Sans, sans-serif"


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    kind: str  # "conflict" or a relation predicate (supports, funds, shelters, ...)
    weight: int = 1
    contested: bool = False


def _layout(nodes: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Nodes on an ellipse, leaving room for labels at the sides."""
    rx, ry = WIDTH / 2 - 200, HEIGHT / 2 - 45
    n = max(len(nodes), 1)
    return {
        node: (
            WIDTH / 2 + rx * math.cos(2 * math.pi * i / n - math.pi / 2),
            HEIGHT / 2 + ry * math.sin(2 * math.pi * i / n - math.pi / 2),
        )
        for i, node in enumerate(nodes)
    }


def _edge(e: Edge, pos: dict[str, tuple[float, float]], top: int) -> str:
    (x1, y1), (x2, y2) = pos[e.a], pos[e.b]
    if e.kind == "conflict":
        width = 1 + 5 * e.weight / max(top, 1)
        return (
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{CONFLICT}" '
            f'stroke-opacity="0.55" stroke-width="{width:.1f}"><title>{e.weight} events</title></line>'
        )
    mx, my = (x1 + x2) / 2 + (y2 - y1) * 0.15, (y1 + y2) / 2 - (x2 - x1) * 0.15
    dash = ' stroke-dasharray="5 3"' if e.contested else ""
    label = f"{e.kind}{' (contested)' if e.contested else ''}"
    return (
        f'<path d="M{x1:.1f},{y1:.1f} Q{mx:.1f},{my:.1f} {x2:.1f},{y2:.1f}" fill="none" stroke="{SUPPORT}" '
        f'stroke-width="1.6"{dash} marker-end="url(#arrow)"><title>{escape(label)}</title></path>'
        f'<text x="{mx:.1f}" y="{my:.1f}" text-anchor="middle" font-family="{FONT}" font-size="8.5" '
        f'font-style="italic" fill="{SUPPORT}">{escape(label)}</text>'
    )


def _node(name: str, x: float, y: float, events: int, top: int) -> str:
    r = 5 + 13 * math.sqrt(events / max(top, 1))
    c = WIDTH / 2
    label = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
    anchor = "start" if x > c + 5 else "end" if x < c - 5 else "middle"
    dx = r + 4 if anchor == "start" else -(r + 4) if anchor == "end" else 0
    dy = -(r + 4) if y < HEIGHT / 2 and anchor == "middle" else (r + 12 if anchor == "middle" else 4)
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#3b2f63" fill-opacity="0.85">'
        f"<title>{escape(name)}: {events} events</title></circle>"
        f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}" font-family="{FONT}" font-size="10.5" '
        f'font-weight="bold" fill="#222222">{escape(label)}</text>'
    )


def render_network(names: dict[str, str], activity: dict[str, int], edges: Sequence[Edge]) -> str | None:
    """The network SVG for the actors in ``edges`` (the busiest ``MAX_NODES``), or None if it is empty."""
    involved: dict[str, int] = {}
    for e in edges:
        for node in (e.a, e.b):
            involved[node] = activity.get(node, 0)
    nodes = sorted(involved, key=lambda n: (-involved[n], names.get(n, n)))[:MAX_NODES]
    keep = [e for e in edges if e.a in nodes and e.b in nodes and e.a != e.b]
    if not keep:
        return None
    pos = _layout(nodes)
    top_edge = max((e.weight for e in keep if e.kind == "conflict"), default=1)
    top_node = max(involved[n] for n in nodes) or 1
    body = [_edge(e, pos, top_edge) for e in keep]
    body += [_node(names.get(n, n), *pos[n], involved[n], top_node) for n in nodes]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="Actor network">'
        f'<defs><marker id="arrow" viewBox="0 0 10 10" refX="14" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{SUPPORT}"/></marker></defs>'
        f"{''.join(body)}</svg>"
    )
