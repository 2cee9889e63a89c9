"""The network page: actors and the relations between them, filtered by predicate and period
(``predicate``, ``since``, ``until``, kept in the URL), contested edges marked. The browser draws
it with cytoscape from ``/api/network`` (the same JSON is the export); ``/api/network.svg`` is
the figure drawn here by the report's ``render_network``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from threatscape.report.build import connection
from threatscape.report.network import Edge, render_network
from threatscape.serve import facts
from threatscape.serve.site import site

__all__ = ["router"]

router = APIRouter()
FILTERS = ("predicate", "since", "until")
EMPTY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="720" height="40" role="img" aria-label="Actor network"><text x="10" y="25">No relation matches.</text></svg>'  # noqa: E501


def _filters(request: Request) -> dict[str, str | None]:
    return {k: (request.query_params.get(k) or None) for k in FILTERS}


def _network(request: Request) -> facts.Network:
    f = _filters(request)
    within = facts.period(f["since"], f["until"])
    with connection(site(request).store) as conn:
        return facts.network(conn, predicate=f["predicate"], within=within)


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request) -> HTMLResponse:
    f = _filters(request)
    net = _network(request)
    with connection(site(request).store) as conn:
        predicates = facts.predicates(conn)
    query = urlencode({k: v for k, v in f.items() if v})
    names = {n["id"]: n["name"] for n in net.nodes}
    return site(request).page("network.html.j2", f=f, net=net, names=names, predicates=predicates, query=query)


@router.get("/api/network")
def api_network(request: Request) -> dict[str, Any]:
    """The relations as a network: ``nodes`` (actors, with their degree) and ``edges`` (subject,
    predicate, object; ``contested``, ``count`` and the ``article_ids`` that state it)."""
    return _network(request).as_dict()


@router.get("/api/network.svg")
def api_network_svg(request: Request) -> Response:
    """The network as an SVG figure (the busiest actors, as the report draws it)."""
    net = _network(request)
    names = {n["id"]: n["name"] for n in net.nodes}
    degree = {n["id"]: n["degree"] for n in net.nodes}
    edges = [Edge(e["source"], e["target"], e["predicate"], e["count"], e["contested"]) for e in net.edges]
    svg = render_network(names, degree, edges) or EMPTY_SVG
    headers = {"Content-Disposition": 'inline; filename="network.svg"'}
    return Response(svg, media_type="image/svg+xml", headers=headers)
