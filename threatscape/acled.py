"""Fused events in ACLED's shape: CSV rows under ACLED's column names, and GeoJSON points.

``acled_row(event)`` takes a dict of ``threatscape.store.events.query_events`` and fills the
columns of an ACLED export (``ACLED_COLUMNS``) where threatscape knows the value, leaving the
others empty: no admin2/admin3 or region (no gazetteer level for them yet), no source scale, and
``inter1``/``inter2`` only for actors whose ACLED type follows from threatscape's actor type
(state forces 1, unidentified armed group 3, rioters 5, protesters 6, civilians 7, foreign or
international forces 8); armed groups get no code, since ACLED tells rebels (2) from militias
(3, 4) by goals the text rarely states. Our own columns follow (``EXTRA_COLUMNS``): the fatality
range across reports, the number of source events and of independent reports.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

__all__ = ["ACLED_COLUMNS", "CSV_COLUMNS", "EXTRA_COLUMNS", "acled_row", "geojson"]

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
EXTRA_COLUMNS = ("fatalities_low", "fatalities_high", "n_sources", "n_reports", "id")
CSV_COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS

_PV, _DEM, _SD = "Political violence", "Demonstrations", "Strategic developments"
_DISORDER = {
    "Battles": _PV, "Explosions/Remote violence": _PV, "Violence against civilians": _PV,
    "Protests": _DEM, "Riots": _DEM, "Strategic developments": _SD,
}  # fmt: skip
_DISORDER_SUB = {"Mob violence": _PV, "Excessive force against protesters": f"{_PV}; {_DEM}"}
_INTER_SUFFIX = {"MIL": 1, "POL": 1, "GOV": 1, "UAG": 3, "RIO": 5, "PRO": 6, "CIV": 7}
_INTER_TYPE = {"military": 1, "government": 1, "state": 1, "civilians": 7, "igo": 8}
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3}
_GEO_PRECISION = {"point": 1, "admin1": 3, "region": 3, "country": 3}


def _country(code: str | None) -> Any:
    if not code:
        return None
    import pycountry

    return pycountry.countries.get(alpha_2=code.upper()) or pycountry.countries.get(alpha_3=code.upper())


def _inter(actor: str | None, actor_type: str | None, iso3: str | None) -> int | None:
    """ACLED's actor type code; state forces of another country than the event's are external (8)."""
    if not actor:
        return None
    prefix, _, suffix = actor.rpartition("-")
    code = _INTER_SUFFIX.get(suffix) if len(prefix) == 3 and prefix.isupper() else None
    if code is None:
        code = _INTER_TYPE.get(actor_type or "")
    if code == 1 and iso3 and len(prefix) == 3 and prefix.isupper() and prefix != iso3:
        return 8
    return code


def _time_precision(when: dict[str, Any]) -> int | None:
    if when.get("precision") in _TIME_PRECISION:
        return _TIME_PRECISION[when["precision"]]
    if not when.get("start") or not when.get("end"):
        return None
    days = (date.fromisoformat(when["end"]) - date.fromisoformat(when["start"])).days
    return 1 if days == 0 else 2 if days <= 7 else 3 if days <= 31 else None


def _notes(e: dict[str, Any]) -> str:
    tolls = []
    for s in e["sources"]:
        fat = s.get("fatalities") or {}
        figure = fat.get("best") if fat.get("best") is not None else fat.get("low")
        if figure is not None:
            tolls.append(f"{s.get('outlet') or s['article_id']} ({s.get('published') or 'undated'}): {figure}")
    where = (e.get("location") or {}).get("name") or "an unknown place"
    text = f"{e.get('sub_type') or e['type']} at {where}; {e['n_reports']} independent report(s)."
    return text + (f" Fatalities reported: {'; '.join(tolls)}." if tolls else "")


def _timestamp(value: str | None) -> int | None:
    return int(datetime.fromisoformat(value).timestamp()) if value else None


def acled_row(e: dict[str, Any]) -> dict[str, Any]:
    """One fused event (a ``query_events`` dict) as a row under ACLED's column names."""
    loc, when, fat = e.get("location") or {}, e.get("date") or {}, e.get("fatalities") or {}
    country = _country(loc.get("country_code"))
    iso3 = country.alpha_3 if country else None
    inter1 = _inter(e.get("actor1"), e.get("actor1_type"), iso3)
    inter2 = _inter(e.get("actor2"), e.get("actor2_type"), iso3)
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    unknown = inter1 is None or (e.get("actor2") and inter2 is None)
    interaction = None if unknown else int("".join(map(str, codes))) * (10 if len(codes) == 1 else 1)
    civilians = e["type"] == "Violence against civilians" or 7 in (inter1, inter2)
    outlets = list(dict.fromkeys(s.get("outlet") for s in e["sources"] if s.get("outlet")))
    row = {
        "event_id_cnty": f"{iso3 or 'XXX'}{e['id'].removeprefix('fev-').upper()}",
        "event_date": when.get("start"), "year": int(when["start"][:4]) if when.get("start") else None,
        "time_precision": _time_precision(when),
        "disorder_type": _DISORDER_SUB.get(e.get("sub_type") or "", _DISORDER.get(e["type"])),
        "event_type": e["type"], "sub_event_type": e.get("sub_type"),
        "actor1": e.get("actor1_name"), "assoc_actor_1": None, "inter1": inter1,
        "actor2": e.get("actor2_name"), "assoc_actor_2": None, "inter2": inter2, "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if civilians else None,
        "iso": int(country.numeric) if country else None, "region": None,
        "country": loc.get("country") or (country.name if country else None), "admin1": loc.get("admin1"),
        "admin2": None, "admin3": None, "location": loc.get("name"),
        "latitude": loc.get("lat"), "longitude": loc.get("lon"),
        "geo_precision": _GEO_PRECISION.get(loc.get("precision") or ""),
        "source": "; ".join(outlets) or None, "source_scale": None, "notes": _notes(e),
        "fatalities": fat.get("best") if fat.get("best") is not None else 0, "tags": None,
        "timestamp": _timestamp(e.get("refreshed_at")),
    }  # fmt: skip
    return row | {
        "fatalities_low": fat.get("low"), "fatalities_high": fat.get("high"),
        "n_sources": e.get("n_sources"), "n_reports": e.get("n_reports"), "id": e["id"],
    }  # fmt: skip


def geojson(events: list[dict[str, Any]]) -> dict[str, Any]:
    """A FeatureCollection with one Point per fused event (``null`` geometry when it has no coordinates)."""
    features = []
    for e in events:
        loc = e.get("location") or {}
        has_point = loc.get("lat") is not None and loc.get("lon") is not None
        geometry = {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]} if has_point else None
        features.append({"type": "Feature", "id": e["id"], "geometry": geometry, "properties": acled_row(e)})
    return {"type": "FeatureCollection", "features": features}
