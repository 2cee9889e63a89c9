"""Synthetic events and relations for the demo corpus, until the event and relation extractors land.

Each event is tied to a demo article by a fragment of its title and follows what that article
reports (place, date, toll). ``add_demo_facts`` inserts them as stored facts (the export shape in
``data``, the filter columns filled), leaving the facts extracted at ingest untouched.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from threatscape.store import schema as t

BATTLE, ERV, VAC, PROTEST = "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests"

# title fragment, type, sub_type, actor1, actor2, place, admin1, country, lat, lon, date, (best, low, high)
# fmt: off
DEMO_EVENTS: list[tuple[Any, ...]] = [
    ("At least 12 soldiers killed", BATTLE, "Armed clash", "TTP", "PAK-MIL",
     "Makeen", "Khyber Pakhtunkhwa", "Pakistan", 32.63, 69.85, "2024-12-21", (12, 12, 12)),
    ("16 soldiers martyred", BATTLE, "Armed clash", "TTP", "PAK-MIL",
     "Makeen", "Khyber Pakhtunkhwa", "Pakistan", 32.63, 69.85, "2024-12-21", (24, 16, 24)),
    ("Separatists seize train", VAC, "Abduction/forced disappearance", "BLA", "PAK-CIV",
     "Bolan", "Balochistan", "Pakistan", 29.6, 67.6, "2025-03-11", (0, 0, 0)),
    ("Militants hijack passenger train", VAC, "Abduction/forced disappearance", "BLA", "PAK-CIV",
     "Bolan", "Balochistan", "Pakistan", 29.6, 67.6, "2025-03-11", (0, 0, 0)),
    ("Seven policemen killed", BATTLE, "Armed clash", "TTP", "PAK-POL",
     "Dera Ismail Khan", "Khyber Pakhtunkhwa", "Pakistan", 31.83, 70.9, "2025-10-10", (7, 7, 7)),
    ("Suicide bomber kills at least 26", ERV, "Suicide bomb", "BLA", "PAK-CIV",
     "Quetta", "Balochistan", "Pakistan", 30.19, 67.01, "2024-11-09", (26, 26, 26)),
    ("Gunmen kill 42", VAC, "Attack", "PAK-UAG", "PAK-CIV",
     "Kurram", "Khyber Pakhtunkhwa", "Pakistan", 33.88, 70.1, "2024-11-21", (42, 42, 42)),
    ("Govt denies live firing", PROTEST, "Protest with intervention", "PAK-PRO", "PAK-POL",
     "Islamabad", "Islamabad Capital Territory", "Pakistan", 33.69, 73.06, "2024-11-26", (0, 0, 12)),
    ("Balochistan coordinated attacks", VAC, "Attack", "BLA", "PAK-CIV",
     "Musakhel", "Balochistan", "Pakistan", 30.86, 69.82, "2024-08-26", (23, 23, 23)),
    ("Balochistan coordinated attacks", BATTLE, "Armed clash", "BLA", "PAK-MIL",
     "Kalat", "Balochistan", "Pakistan", 29.03, 66.59, "2024-08-26", (14, 14, 30)),
    ("Militants attack naval air station", BATTLE, "Armed clash", "BLA", "PAK-MIL",
     "Turbat", "Balochistan", "Pakistan", 26.0, 63.05, "2024-03-25", (4, 4, 4)),
    ("Pakistan carries out strikes", ERV, "Air/drone strike", "PAK-MIL", "HGB",
     "Barmal", "Paktika", "Afghanistan", 32.7, 69.2, "2024-03-18", (8, 8, 8)),
    ("Taliban deny sheltering", ERV, "Air/drone strike", "PAK-MIL", "AFG-CIV",
     "Barmal", "Paktika", "Afghanistan", 32.7, 69.2, "2024-03-18", (8, 8, 8)),
    ("Taliban say 46 killed", ERV, "Air/drone strike", "PAK-MIL", "AFG-CIV",
     "Barmal", "Paktika", "Afghanistan", 32.7, 69.2, "2024-12-24", (46, 46, 46)),
    ("Bannu cantonment attack", BATTLE, "Armed clash", "JAF", "PAK-MIL",
     "Bannu", "Khyber Pakhtunkhwa", "Pakistan", 32.99, 70.62, "2025-03-04", (18, 18, 18)),
    ("trade claims after night of border", BATTLE, "Armed clash", "PAK-MIL", "AFG-MIL",
     "Angoor Adda", "Khyber Pakhtunkhwa", "Pakistan", 32.35, 69.4, "2025-10-11", (32, 23, 67)),
    ("trade claims after night of border", BATTLE, "Armed clash", "PAK-MIL", "AFG-MIL",
     "Khost", "Khost", "Afghanistan", None, None, "2025-10-11", (9, 9, 9)),
]

# title fragment, subject, predicate, object, attributed_to, contested, qualifiers
DEMO_RELATIONS: list[tuple[Any, ...]] = [
    ("Pakistan carries out strikes", "AFG-GOV", "shelters", "TTP", "PAK-GOV", True, ()),
    ('Pakistan carries out strikes', 'AFG-GOV', 'shelters', 'HGB', 'PAK-GOV', True, ()),
    ('Bannu cantonment attack', 'AFG-GOV', 'supports', 'JAF', 'PAK-MIL', True, ('logistical',)),
    ('At least 12 soldiers killed', 'p:noor-wali-mehsud', 'leads', 'TTP', None, False, ()),
]
# fmt: on


def _article_ids(conn: Connection) -> dict[str, str]:
    return {title: aid for aid, title in conn.execute(select(t.articles.c.id, t.articles.c.title))}


def _find(ids: dict[str, str], fragment: str) -> str:
    return next(aid for title, aid in ids.items() if fragment.lower() in title.lower())


def _event(n: int, e: tuple[Any, ...], article_id: str) -> dict[str, Any]:
    _, typ, sub, a1, a2, place, admin1, country, lat, lon, day, (best, low, high) = e
    data = {
        "id": f"synthetic-ev-{n}",
        "type": typ,
        "sub_type": sub,
        "plover": "ASSAULT",
        "actor1": a1,
        "actor2": a2,
        "aggregate": False,
        "count": None,
        "location": {
            "name": place,
            "admin1": admin1,
            "country": country,
            "lat": lat,
            "lon": lon,
            "precision": "point" if lat is not None else "admin1",
        },
        "date": {"start": day, "end": day, "precision": "day"},
        "fatalities": {"best": best, "low": low, "high": high, "breakdown": {}},
        "reported_by": None,
        "evidence": {"start": 0, "end": 1, "text": "x"},
        "confidence": 0.8,
    }
    return {
        "article_id": article_id,
        "id": data["id"],
        "type": typ,
        "sub_type": sub,
        "plover": "ASSAULT",
        "actor1": a1,
        "actor2": a2,
        "aggregate": False,
        "country": country,
        "admin1": admin1,
        "location_name": place,
        "lat": lat,
        "lon": lon,
        "date_start": day,
        "date_end": day,
        "date_precision": "day",
        "fatalities_best": best,
        "fatalities_low": low,
        "fatalities_high": high,
        "confidence": 0.8,
        "data": data,
        "ev_start": 0,
        "ev_end": 1,
    }


def _relation(n: int, r: tuple[Any, ...], article_id: str) -> dict[str, Any]:
    _, subject, predicate, obj, attributed, contested, quals = r
    data = {
        "id": f"synthetic-rel-{n}",
        "subject": subject,
        "predicate": predicate,
        "object": obj,
        "qualifiers": list(quals),
        "attributed_to": attributed,
        "contested": contested,
        "date": None,
        "evidence": {"start": 0, "end": 1, "text": "x"},
    }
    return {
        "article_id": article_id,
        "id": data["id"],
        "subject": subject,
        "predicate": predicate,
        "object": obj,
        "attributed_to": attributed,
        "contested": contested,
        "date_start": None,
        "date_end": None,
        "data": data,
        "ev_start": 0,
        "ev_end": 1,
    }


def add_demo_facts(conn: Connection) -> None:
    """Insert the synthetic events and relations (inside the caller's transaction)."""
    ids = _article_ids(conn)
    conn.execute(insert(t.events), [_event(n, e, _find(ids, e[0])) for n, e in enumerate(DEMO_EVENTS)])
    conn.execute(insert(t.relations), [_relation(n, r, _find(ids, r[0])) for n, r in enumerate(DEMO_RELATIONS)])
    strength = _find(ids, "At least 12 soldiers killed")
    conn.execute(
        insert(t.quantities),
        [
            {
                "article_id": strength,
                "value": 6000.0,
                "unit": None,
                "what": "fighters",
                "qualifier": "around",
                "currency": None,
                "usd": None,
                "period": None,
                "ev_start": 0,
                "ev_end": 1,
                "data": {
                    "value": 6000.0,
                    "what": "fighters",
                    "qualifier": "around",
                    "evidence": {"start": 0, "end": 12, "text": "around 6,000"},
                },
            }
        ],
    )
    conn.execute(insert(t.article_actors), [{"article_id": strength, "actor_id": "TTP", "ev_start": 5, "ev_end": 8}])
    conn.execute(
        insert(t.claims),
        [
            {
                "article_id": strength,
                "id": "synthetic-claim-0",
                "speaker": "PAK-GOV",
                "speaker_text": "officials",
                "cue": "said",
                "stance": "assert",
                "content": "the group has around 6,000 fighters",
                "direct": False,
                "target": "TTP",
                "data": {},
                "ev_start": 0,
                "ev_end": 40,
            }
        ],
    )
