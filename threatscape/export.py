"""The extraction export of ``docs/export-contract.md`` (version 1), built from model objects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from threatscape.model import EXPORT_VERSION, Evidence, Extraction, Flow, Place, to_dict

__all__ = ["export_article", "export_document"]


def _evidence(e: Evidence | None) -> dict[str, Any] | None:
    if e is None:
        return None
    out: dict[str, Any] = {"start": e.start, "end": e.end, "text": e.text}
    if e.extractor:
        out["extractor"] = e.extractor
    return out


def _place(p: Place | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "name": p.name,
        "admin1": p.admin1,
        "country": p.country,
        "country_code": p.country_code,
        "lat": p.lat,
        "lon": p.lon,
        "precision": p.precision,
        "geonameid": p.geonameid,
    }


def _flow(flow: Flow) -> dict[str, Any]:
    return _fact(flow) | {"usd_per_year": flow.usd_per_year}


def _fact(obj: Any) -> dict[str, Any]:
    d = to_dict(obj)
    for key in ("evidence", "amount_evidence", "payer_evidence", "payee_evidence", "count_evidence"):
        if key in d:
            d[key] = _evidence(getattr(obj, key))
    for key in ("location",):
        if key in d:
            d[key] = _place(getattr(obj, key))
    for key in ("date",):
        if key in d and d[key] is not None:
            d[key].pop("evidence", None)
    return d


def export_article(ex: Extraction) -> dict[str, Any]:
    a = ex.article
    return {
        "id": a.id,
        "source_id": a.source_id,
        "title": a.title,
        "url": a.url,
        "source": a.source,
        "published": a.published,
        "updated": a.updated,
        "dateline": a.dateline,
        "byline": a.byline,
        "summary": list(a.summary),
        "captions": [{"text": c.text, "credit": c.credit} for c in a.captions],
        "body": a.body,
        "actors": [to_dict(x) for x in ex.actors],
        "events": [_fact(x) for x in ex.events],
        "claims": [_fact(x) for x in ex.claims],
        "relations": [_fact(x) for x in ex.relations],
        "quantities": [_fact(x) for x in ex.quantities],
        "flows": [_flow(x) for x in ex.flows],
        "strengths": [_fact(x) for x in ex.strengths],
        "places": [_place(p) | {"evidence": _evidence(p.evidence)} for p in ex.places],  # type: ignore[operator]
    }


def export_document(extractions: Iterable[Extraction]) -> dict[str, Any]:
    return {"version": EXPORT_VERSION, "articles": [export_article(x) for x in extractions]}
