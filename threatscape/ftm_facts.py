"""FollowTheMoney entities for the facts: incidents (``Event``, with an ``Address``), claims and
strength figures (``Note``), relations (``Membership``, ``Associate``, ``UnknownLink``) and money
flows (``Payment``); each with its evidence (``threatscape.ftm_entities.cite``)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any

from threatscape.ftm_entities import ORGANISATIONS, Sink, add_dates, cite, entity_id, new_entity, number

__all__ = [
    "write_claim",
    "write_flow",
    "write_fused_events",
    "write_relation",
    "write_strength",
    "write_unfused_events",
]


def _place(w: Sink, loc: dict[str, Any] | None) -> str | None:
    """Write the ``Address`` of an event's place once; its id (``None`` without a place)."""
    loc = loc or {}
    if not (loc.get("name") or loc.get("country")):
        return None
    parts = [loc.get("name"), loc.get("admin1"), loc.get("country")]
    full = ", ".join(dict.fromkeys(str(p) for p in parts if p))
    key = str(loc["geonameid"]) if loc.get("geonameid") else full
    place_id = entity_id("place", key)
    if place_id not in w.places:
        proxy = new_entity("Address", place_id)
        proxy.add("full", full)
        proxy.add("state", loc.get("admin1"))
        proxy.add("country", loc.get("country_code") or loc.get("country"))
        if loc.get("lat") is not None and loc.get("lon") is not None:
            proxy.add("latitude", str(loc["lat"]))
            proxy.add("longitude", str(loc["lon"]))
        w.places.add(place_id)
        w.emit(proxy)
    return place_id


def _toll(fat: dict[str, Any] | None) -> str | None:
    if not fat or all(fat.get(k) is None for k in ("best", "low", "high")):
        return None
    return f"fatalities: best {fat.get('best')}, low {fat.get('low')}, high {fat.get('high')}"


def _event(w: Sink, incident: dict[str, Any], sources: list[dict[str, Any]], id_: str) -> None:
    """One ``Event`` for an incident (a fused event's dict, or an event's) and its sources here."""
    loc, when = incident.get("location") or {}, incident.get("date") or {}
    kind = incident.get("sub_type") or incident["type"]
    name = (
        kind + (f" in {loc['name']}" if loc.get("name") else "") + (f", {when['start']}" if when.get("start") else "")
    )
    proxy = new_entity("Event", id_)
    proxy.add("name", name + (" (a reported tally)" if incident.get("aggregate") else ""))
    proxy.add("date", when.get("start"))
    add_dates(proxy, when)
    proxy.add("keywords", [incident["type"], incident.get("sub_type"), incident.get("plover")])
    place = _place(w, loc)
    if place is not None:
        proxy.add("addressEntity", place)
        proxy.add("location", ", ".join(dict.fromkeys(str(p) for p in (loc.get("name"), loc.get("admin1"),
                                                                      loc.get("country")) if p)))  # fmt: skip
        proxy.add("country", loc.get("country_code") or loc.get("country"))
    proxy.add("organizer", w.actor(incident.get("actor1")))
    proxy.add("involved", [w.actor(incident.get(k)) for k in ("actor1", "actor2", "claimed_by")])
    proxy.add("description", _toll(incident.get("fatalities")))
    if incident.get("claimed_by"):
        proxy.add("description", f"claimed by {w.name(incident['claimed_by'])}")
    if incident.get("n_reports"):
        n, events = incident["n_reports"], incident.get("n_sources")
        proxy.add("description", f"{n} report{'' if n == 1 else 's'}, {events} event{'' if events == 1 else 's'} fused")
    proxy.add("recordId", [incident["id"], *(s["event_id"] for s in sources)])
    for s in sources:
        cite(proxy, s)
    w.emit(proxy)


def write_fused_events(w: Sink, rows: Iterable[dict[str, Any]]) -> None:
    for fused_id, group in groupby(rows, key=lambda r: r["fused"]["id"]):
        sources = list(group)
        _event(w, sources[0]["fused"], sources, entity_id("event", fused_id))


def write_unfused_events(w: Sink, rows: Iterable[dict[str, Any]]) -> None:
    for ev in rows:
        if ev.get("fused_id") is None:
            _event(w, ev, [ev | {"event_id": ev["id"]}], entity_id("event", ev["id"]))


# -- statements, links, money, strength -----------------------------------------------------------


def write_claim(w: Sink, c: dict[str, Any]) -> None:
    proxy = new_entity("Note", entity_id("claim", c["id"]))
    speaker = c.get("speaker_text") or w.name(c.get("speaker")) or "unattributed"
    quoted = f"“{c['content']}”" if c.get("direct") else c["content"]
    proxy.add("description", f"{speaker} ({c.get('cue') or c['stance']}): {quoted}")
    proxy.add("entity", [w.actor(c.get("speaker")), w.actor(c.get("target"))])
    proxy.add("keywords", [c["stance"], "direct quote" if c.get("direct") else "reported speech"])
    if c.get("speaker"):
        proxy.add("notes", f"speaker: {w.name(c['speaker'])}")
    if c.get("target"):
        proxy.add("notes", f"about: {w.name(c['target'])}")
    cite(proxy, c, "notes")
    w.emit(proxy)


def write_relation(w: Sink, r: dict[str, Any]) -> None:
    subject, obj = w.actor(r["subject"]), w.actor(r["object"])
    if subject is None or obj is None:
        return
    schemas = (w.actors[r["subject"]][0], w.actors[r["object"]][0])
    predicate, id_ = r["predicate"], entity_id("relation", r["id"])
    if predicate in ("member_of", "leads") and schemas[1] in ORGANISATIONS:
        proxy = new_entity("Membership", id_)
        proxy.add("member", subject)
        proxy.add("organization", obj)
        proxy.add("role", "leader" if predicate == "leads" else "member")
    elif predicate in ("allied_with", "collaborates_with") and schemas == ("Person", "Person"):
        proxy = new_entity("Associate", id_)
        proxy.add("person", subject)
        proxy.add("associate", obj)
        proxy.add("relationship", predicate.replace("_", " "))
    else:
        proxy = new_entity("UnknownLink", id_)
        proxy.add("subject", subject)
        proxy.add("object", obj)
        proxy.add("role", predicate.replace("_", " "))
    phrase = f"{w.name(r['subject'])} {predicate.replace('_', ' ')} {w.name(r['object'])}"
    qualifiers = ", ".join(r.get("qualifiers") or ())
    proxy.add("description", phrase + (f" ({qualifiers})" if qualifiers else ""))
    if r.get("attributed_to"):
        proxy.add("description", f"according to {w.name(r['attributed_to'])}")
    if r.get("contested"):
        proxy.add("status", "contested", quiet=True)
        proxy.add("description", "contested by " + (", ".join(r.get("contested_by") or ()) or "another statement"))
    add_dates(proxy, r.get("date"))
    proxy.add("recordId", r["id"])
    cite(proxy, r)
    w.emit(proxy)


def _party(w: Sink, f: dict[str, Any], side: str) -> str | None:
    """The entity paying or paid: the actor, else a ``LegalEntity`` of the text's words, else None."""
    known = w.actor(f.get(side))
    if known is not None or not f.get(f"{side}_text"):
        return known
    proxy = new_entity("LegalEntity", entity_id("party", f["id"], side))
    proxy.add("name", f[f"{side}_text"])
    proxy.add("description", f"the words naming the {side} of a money flow; no actor was resolved from them")
    cite(proxy, {**f, "evidence": f.get(f"{side}_evidence") or f.get("evidence")})
    w.emit(proxy)
    return proxy.id


def write_flow(w: Sink, f: dict[str, Any]) -> None:
    payer, payee = _party(w, f, "payer"), _party(w, f, "payee")
    amount = f"{number(f['amount'])} {f.get('currency') or ''}".strip()
    every = "" if f.get("period", "once") == "once" else f" a {f['period']}"
    lines = [
        f"{f.get('direction') or 'moved'}: {amount}{every}",
        f"stance of the statement: {f.get('stance')}" + (", contested" if f.get("contested") else ""),
    ]
    if f.get("reported_by"):
        lines.append(f"reported by {w.name(f['reported_by'])}" + (f" via {w.name(f['via'])}" if f.get("via") else ""))
    if f.get("usd") is not None:
        lines.append(f"USD {number(f['usd'])} ({f.get('usd_basis')})")
    if payer is not None and payee is not None:
        proxy = new_entity("Payment", entity_id("flow", f["id"]))
        proxy.add("payer", payer)
        proxy.add("beneficiary", payee)
        proxy.add("amount", str(f["amount"]))
        proxy.add("currency", f.get("currency"))
        proxy.add("amountUsd", None if f.get("usd") is None else str(f["usd"]))
        proxy.add("purpose", f.get("purpose"))
        proxy.add("date", (f.get("date") or {}).get("start"))
        add_dates(proxy, f.get("date"))
        proxy.add("recordId", f["id"])
        proxy.add("description", lines)
        cite(proxy, f)
    else:  # a Payment needs both parties: the text names at most one
        proxy = new_entity("Note", entity_id("flow", f["id"]))
        proxy.add(
            "description", f"money flow: {'; '.join(lines)}" + (f"; purpose {f['purpose']}" if f.get("purpose") else "")
        )
        proxy.add("entity", [payer, payee, w.actor(f.get("reported_by"))])
        cite(proxy, f, "notes")
    w.emit(proxy)


def write_strength(w: Sink, s: dict[str, Any]) -> None:
    proxy = new_entity("Note", entity_id("strength", s["id"]))
    group = w.name(s.get("group"), "a group") or "a group"
    span = f" ({s['low']}-{s['high']})" if s.get("low") is not None and s.get("high") is not None else ""
    by = s.get("estimate_text") or w.name(s.get("estimate_by"))
    words = (s.get("count_evidence") or {}).get("text")
    text = f"{group}: {s['value']} {s['unit']}{span}" + (f" (“{words}”)" if words else "")
    proxy.add("description", text + (f", estimate by {by}" if by else "") + (f", {s['when']}" if s.get("when") else ""))
    proxy.add("entity", [w.actor(s.get("group")), w.actor(s.get("estimate_by"))])
    cite(proxy, s, "notes")
    w.emit(proxy)
