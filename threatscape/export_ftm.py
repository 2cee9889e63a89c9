"""The record as FollowTheMoney entities, one JSON object a line, for Aleph and the OpenSanctions tools.

Entities are made with ``followthemoney.model`` (every value cleaned by its property's type) and
written as they are read from the store: memory holds the actors' ids and names, not the record.

=================  =============================================================================
threatscape        FollowTheMoney
=================  =============================================================================
actor              ``Person`` (person); ``PublicBody`` (state, government, military);
                   ``Organization`` (armed group, party, IGO, media); ``LegalEntity`` (civilians,
                   other). ``alias``, ``country``, ``classification`` = the actor type
affiliation        ``Membership`` (member -> organisation) or, to an actor that is no
                   organisation, ``UnknownLink`` with role ``affiliated with``
sanctions match    ``Sanction`` on the actor: ``authority`` the list, ``authorityId`` (and for a UN
                   reference ``unscId``) the entry's ref, with the stored entry's programme,
                   listing date and comments
article            ``Article``: title, author, dates, URL, outlet (``publisher``), ``bodyText``
mention            ``Mention`` of an actor in an article (document, resolved, the names used)
event              ``Event`` per fused incident (an event not yet fused: per event): name, dates,
                   ``location`` and an ``Address`` with coordinates, ``involved`` /
                   ``organizer`` actors, ACLED and PLOVER types as ``keywords``, the toll
claim              ``Note`` on the speaker and the target: ``description`` says who said what
relation           ``Membership`` (member_of, leads, to an organisation), ``Associate`` (two
                   people allied or collaborating), else ``UnknownLink`` with the predicate as
                   ``role``; contested ones ``status`` contested
flow               ``Payment`` payer -> beneficiary with amount, currency, ``amountUsd``; a party the
                   text names but no actor resolves is a ``LegalEntity`` of those words; a flow
                   with a party not named at all is a ``Note``
strength figure    ``Note`` on the group
quantity           not exported (the Parquet export has them)
=================  =============================================================================

Evidence: every fact's entity has ``proof`` (its ``Article``), ``sourceUrl`` and ``publisher`` (the
article's), ``summary`` (the sentence, exactly as in the body) and a locator, ``evidence:
characters START-END of article ID (EXTRACTOR)``, in ``description`` (``notes`` for a ``Note``).
Ids are ``ts-KIND-STOREID`` (``:`` becomes ``--``), or ``ts-KIND-`` and a hash of the store's ids
when those do not make a readable FollowTheMoney id: the same store gives the same ids every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import IO, Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from threatscape.errors import ConfigError
from threatscape.store.base import QuerySource
from threatscape.store.records import (
    Selection,
    read_actors,
    read_articles,
    read_facts,
    read_fused_sources,
    read_mentions,
    read_sanction_entry,
)

__all__ = ["SCHEMA_OF_TYPE", "entity_id", "read_entities", "write_ftm"]

SCHEMA_OF_TYPE = {
    "person": "Person",
    "state": "PublicBody",
    "government": "PublicBody",
    "military": "PublicBody",
    "armed_group": "Organization",
    "political_party": "Organization",
    "igo": "Organization",
    "media": "Organization",
    "civilians": "LegalEntity",
    "other": "LegalEntity",
}
_ORGANISATIONS = ("Organization", "PublicBody")
_READABLE = re.compile(r"^[0-9A-Za-z]+(?:[:-][0-9A-Za-z]+)*$")
_UN_REF = re.compile(r"^[A-Z]{2}[ei]\.\d+$")  # a UN Security Council permanent reference (QDi.427)


def entity_id(kind: str, *store_ids: str) -> str:
    """The entity id for the store's id(s) of a thing: readable when one id makes a valid one.

    ``:`` becomes ``--`` (a ``.`` would read as a signature to followthemoney's namespaces); an id
    whose separators are single ``:`` or ``-`` between letters and digits maps back unambiguously,
    any other is hashed."""
    if len(store_ids) == 1 and _READABLE.match(store_ids[0]):
        return f"ts-{kind}-{store_ids[0].replace(':', '--')}"
    digest = hashlib.sha1("\x1f".join(store_ids).encode("utf-8")).hexdigest()[:20]
    return f"ts-{kind}-{digest}"


class _Writer:
    """Entities to JSON lines, with what later entities need to know of the actors written."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.actors: dict[str, tuple[str, str]] = {}  # store id -> entity schema, name
        self.places: set[str] = set()
        self.counts: dict[str, int] = {}

    def emit(self, proxy: EntityProxy) -> None:
        self.out.write(json.dumps(proxy.to_dict(), ensure_ascii=False) + "\n")
        self.counts[proxy.schema.name] = self.counts.get(proxy.schema.name, 0) + 1

    def actor(self, store_id: str | None) -> str | None:
        """The entity id of an exported actor, or ``None``."""
        return entity_id("actor", store_id) if store_id and store_id in self.actors else None

    def name(self, store_id: str | None, fallback: str | None = None) -> str | None:
        known = self.actors.get(store_id or "")
        return known[1] if known else fallback or store_id


def _entity(schema: str, id_: str) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = id_
    return proxy


def _number(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


def _cite(proxy: EntityProxy, fact: dict[str, Any], where: str = "description") -> None:
    """The fact's evidence on its entity: the article, its URL and outlet, the sentence, the span."""
    article = fact["article_id"]
    proxy.add("proof", entity_id("article", article))
    proxy.add("sourceUrl", fact.get("article_url"))
    proxy.add("publisher", fact.get("article_source"))
    ev = fact.get("evidence") or {}
    proxy.add("summary", ev.get("text"))
    if ev:
        extractor = f" ({ev['extractor']})" if ev.get("extractor") else ""
        proxy.add(where, f"evidence: characters {ev.get('start')}-{ev.get('end')} of article {article}{extractor}")


def _dates(proxy: EntityProxy, when: dict[str, Any] | None) -> None:
    when = when or {}
    proxy.add("startDate", when.get("start"))
    proxy.add("endDate", when.get("end"))


# -- actors, their affiliations and sanctions ---------------------------------------------------


def _actors(w: _Writer, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Write the actors; return them (id, affiliation, sanctions) for the links written after."""
    later = []
    for a in rows:
        schema = SCHEMA_OF_TYPE.get(a["type"], "LegalEntity")
        proxy = _entity(schema, entity_id("actor", a["id"]))
        proxy.add("name", a["name"])
        proxy.add("alias", [x for x in a["aliases"] if x != a["name"]])
        proxy.add("country", a.get("country"))
        proxy.add("classification", a["type"])
        w.actors[a["id"]] = (schema, a["name"])
        w.emit(proxy)
        if a.get("affiliation") or a.get("sanctions"):
            later.append({"id": a["id"], "affiliation": a.get("affiliation"), "sanctions": a.get("sanctions")})
    return later


def _affiliation(w: _Writer, actor: str, to: str) -> None:
    member, org = w.actor(actor), w.actor(to)
    if member is None or org is None:
        return
    if w.actors[to][0] in _ORGANISATIONS:
        proxy = _entity("Membership", entity_id("affiliation", actor, to))
        proxy.add("member", member)
        proxy.add("organization", org)
        proxy.add("role", "affiliated with")
    else:
        proxy = _entity("UnknownLink", entity_id("affiliation", actor, to))
        proxy.add("subject", member)
        proxy.add("object", org)
        proxy.add("role", "affiliated with")
    proxy.add("description", "from threatscape's actor knowledge base and the roles the articles give")
    w.emit(proxy)


def _sanction(w: _Writer, conn: Any, actor: str, match: dict[str, Any]) -> None:
    ref, list_name = str(match.get("ref") or ""), str(match.get("list") or "")
    proxy = _entity("Sanction", entity_id("sanction", actor, list_name, ref))
    proxy.add("entity", w.actor(actor))
    proxy.add("authority", list_name)
    proxy.add("authorityId", ref)
    if _UN_REF.match(ref):
        proxy.add("unscId", ref)
    entry = read_sanction_entry(conn, list_name, ref) or {}
    proxy.add("program", (entry.get("data") or {}).get("list_type"))
    proxy.add("listingDate", entry.get("listed_on"))
    proxy.add("reason", entry.get("comments"))
    score = match.get("score")
    proxy.add(
        "description",
        f"threatscape's screening matched the actor to the entry {match.get('name')} ({ref}) of {list_name}"
        + (f", score {score:.2f}" if isinstance(score, int | float) else ""),
    )
    w.emit(proxy)


# -- articles and mentions ------------------------------------------------------------------------


def _article(d: dict[str, Any]) -> EntityProxy:
    proxy = _entity("Article", entity_id("article", d["id"]))
    proxy.add("title", d["title"])
    proxy.add("author", d.get("byline"))
    proxy.add("publishedAt", d.get("published"))
    proxy.add("date", d.get("date"))
    proxy.add("sourceUrl", d.get("url"))
    proxy.add("publisher", d.get("source"))
    proxy.add("bodyText", d["body"])
    proxy.add("summary", list(d.get("summary") or ()))
    if d.get("dateline"):
        proxy.add("notes", f"dateline: {d['dateline']}")
    if d.get("updated"):
        proxy.add("notes", f"updated: {d['updated']}")
    if d.get("source_id"):
        proxy.add("notes", f"source id: {d['source_id']}")
    return proxy


def _mentions(w: _Writer, rows: Iterable[dict[str, Any]]) -> None:
    """One ``Mention`` per article and actor, with every name the article uses for it."""
    for (article, actor), group in groupby(rows, key=lambda r: (r["article_id"], r["actor_id"])):
        resolved = w.actor(actor)
        if resolved is None:
            continue
        names = list(dict.fromkeys(r["text"] for r in group if r.get("text"))) or [w.actors[actor][1]]
        proxy = _entity("Mention", entity_id("mention", article, actor))
        proxy.add("document", entity_id("article", article))
        proxy.add("resolved", resolved)
        proxy.add("name", names)
        proxy.add("detectedSchema", w.actors[actor][0])
        w.emit(proxy)


# -- events ---------------------------------------------------------------------------------------


def _place(w: _Writer, loc: dict[str, Any] | None) -> str | None:
    """Write the ``Address`` of an event's place once; its id (``None`` without a place)."""
    loc = loc or {}
    if not (loc.get("name") or loc.get("country")):
        return None
    parts = [loc.get("name"), loc.get("admin1"), loc.get("country")]
    full = ", ".join(dict.fromkeys(str(p) for p in parts if p))
    key = str(loc["geonameid"]) if loc.get("geonameid") else full
    place_id = entity_id("place", key)
    if place_id not in w.places:
        proxy = _entity("Address", place_id)
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


def _event(w: _Writer, incident: dict[str, Any], sources: list[dict[str, Any]], id_: str) -> None:
    """One ``Event`` for an incident (a fused event's dict, or an event's) and its sources here."""
    loc, when = incident.get("location") or {}, incident.get("date") or {}
    kind = incident.get("sub_type") or incident["type"]
    name = (
        kind + (f" in {loc['name']}" if loc.get("name") else "") + (f", {when['start']}" if when.get("start") else "")
    )
    proxy = _entity("Event", id_)
    proxy.add("name", name + (" (a reported tally)" if incident.get("aggregate") else ""))
    proxy.add("date", when.get("start"))
    _dates(proxy, when)
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
        _cite(proxy, s)
    w.emit(proxy)


def _fused_events(w: _Writer, rows: Iterable[dict[str, Any]]) -> None:
    for fused_id, group in groupby(rows, key=lambda r: r["fused"]["id"]):
        sources = list(group)
        _event(w, sources[0]["fused"], sources, entity_id("event", fused_id))


def _unfused_events(w: _Writer, rows: Iterable[dict[str, Any]]) -> None:
    for ev in rows:
        if ev.get("fused_id") is None:
            _event(w, ev, [ev | {"event_id": ev["id"]}], entity_id("event", ev["id"]))


# -- statements, links, money, strength -----------------------------------------------------------


def _claim(w: _Writer, c: dict[str, Any]) -> None:
    proxy = _entity("Note", entity_id("claim", c["id"]))
    speaker = c.get("speaker_text") or w.name(c.get("speaker")) or "unattributed"
    quoted = f"“{c['content']}”" if c.get("direct") else c["content"]
    proxy.add("description", f"{speaker} ({c.get('cue') or c['stance']}): {quoted}")
    proxy.add("entity", [w.actor(c.get("speaker")), w.actor(c.get("target"))])
    proxy.add("keywords", [c["stance"], "direct quote" if c.get("direct") else "reported speech"])
    if c.get("speaker"):
        proxy.add("notes", f"speaker: {w.name(c['speaker'])}")
    if c.get("target"):
        proxy.add("notes", f"about: {w.name(c['target'])}")
    _cite(proxy, c, "notes")
    w.emit(proxy)


def _relation(w: _Writer, r: dict[str, Any]) -> None:
    subject, obj = w.actor(r["subject"]), w.actor(r["object"])
    if subject is None or obj is None:
        return
    schemas = (w.actors[r["subject"]][0], w.actors[r["object"]][0])
    predicate, id_ = r["predicate"], entity_id("relation", r["id"])
    if predicate in ("member_of", "leads") and schemas[1] in _ORGANISATIONS:
        proxy = _entity("Membership", id_)
        proxy.add("member", subject)
        proxy.add("organization", obj)
        proxy.add("role", "leader" if predicate == "leads" else "member")
    elif predicate in ("allied_with", "collaborates_with") and schemas == ("Person", "Person"):
        proxy = _entity("Associate", id_)
        proxy.add("person", subject)
        proxy.add("associate", obj)
        proxy.add("relationship", predicate.replace("_", " "))
    else:
        proxy = _entity("UnknownLink", id_)
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
    _dates(proxy, r.get("date"))
    proxy.add("recordId", r["id"])
    _cite(proxy, r)
    w.emit(proxy)


def _party(w: _Writer, f: dict[str, Any], side: str) -> str | None:
    """The entity paying or paid: the actor, else a ``LegalEntity`` of the text's words, else None."""
    known = w.actor(f.get(side))
    if known is not None or not f.get(f"{side}_text"):
        return known
    proxy = _entity("LegalEntity", entity_id("party", f["id"], side))
    proxy.add("name", f[f"{side}_text"])
    proxy.add("description", f"the words naming the {side} of a money flow; no actor was resolved from them")
    _cite(proxy, {**f, "evidence": f.get(f"{side}_evidence") or f.get("evidence")})
    w.emit(proxy)
    return proxy.id


def _flow(w: _Writer, f: dict[str, Any]) -> None:
    payer, payee = _party(w, f, "payer"), _party(w, f, "payee")
    amount = f"{_number(f['amount'])} {f.get('currency') or ''}".strip()
    every = "" if f.get("period", "once") == "once" else f" a {f['period']}"
    lines = [
        f"{f.get('direction') or 'moved'}: {amount}{every}",
        f"stance of the statement: {f.get('stance')}" + (", contested" if f.get("contested") else ""),
    ]
    if f.get("reported_by"):
        lines.append(f"reported by {w.name(f['reported_by'])}" + (f" via {w.name(f['via'])}" if f.get("via") else ""))
    if f.get("usd") is not None:
        lines.append(f"USD {_number(f['usd'])} ({f.get('usd_basis')})")
    if payer is not None and payee is not None:
        proxy = _entity("Payment", entity_id("flow", f["id"]))
        proxy.add("payer", payer)
        proxy.add("beneficiary", payee)
        proxy.add("amount", str(f["amount"]))
        proxy.add("currency", f.get("currency"))
        proxy.add("amountUsd", None if f.get("usd") is None else str(f["usd"]))
        proxy.add("purpose", f.get("purpose"))
        proxy.add("date", (f.get("date") or {}).get("start"))
        _dates(proxy, f.get("date"))
        proxy.add("recordId", f["id"])
        proxy.add("description", lines)
        _cite(proxy, f)
    else:  # a Payment needs both parties: the text names at most one
        proxy = _entity("Note", entity_id("flow", f["id"]))
        proxy.add(
            "description", f"money flow: {'; '.join(lines)}" + (f"; purpose {f['purpose']}" if f.get("purpose") else "")
        )
        proxy.add("entity", [payer, payee, w.actor(f.get("reported_by"))])
        _cite(proxy, f, "notes")
    w.emit(proxy)


def _strength(w: _Writer, s: dict[str, Any]) -> None:
    proxy = _entity("Note", entity_id("strength", s["id"]))
    group = w.name(s.get("group"), "a group") or "a group"
    span = f" ({s['low']}-{s['high']})" if s.get("low") is not None and s.get("high") is not None else ""
    by = s.get("estimate_text") or w.name(s.get("estimate_by"))
    words = (s.get("count_evidence") or {}).get("text")
    text = f"{group}: {s['value']} {s['unit']}{span}" + (f" (“{words}”)" if words else "")
    proxy.add("description", text + (f", estimate by {by}" if by else "") + (f", {s['when']}" if s.get("when") else ""))
    proxy.add("entity", [w.actor(s.get("group")), w.actor(s.get("estimate_by"))])
    _cite(proxy, s, "notes")
    w.emit(proxy)


# -- the store -> a file --------------------------------------------------------------------------


def _entities(w: _Writer, conn: Any, sel: Selection) -> None:
    for a in _actors(w, read_actors(conn, sel)):
        if a["affiliation"]:
            _affiliation(w, a["id"], a["affiliation"])
        for match in a["sanctions"] or ():
            _sanction(w, conn, a["id"], match)
    for article in read_articles(conn, sel):
        w.emit(_article(article))
    _mentions(w, read_mentions(conn, sel))
    _fused_events(w, read_fused_sources(conn, sel))
    _unfused_events(w, read_facts(conn, sel, "events"))
    for kind, write in (("claims", _claim), ("relations", _relation), ("flows", _flow), ("strengths", _strength)):
        for fact in read_facts(conn, sel, kind):
            write(w, fact)


def _target(output: str | Path) -> Path:
    path = Path(output)
    if path.is_dir():
        raise ConfigError(f"-o {output}: is a folder; the FollowTheMoney export writes one JSON lines file")
    if not path.parent.is_dir():
        raise ConfigError(f"-o {output}: the folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError(f"-o {output}: not writable")
    return path


def write_ftm(source: QuerySource, output: str | Path, selection: Selection | None = None) -> dict[str, int]:
    """Write the selected record of ``source`` (every article by default) to ``output`` as
    FollowTheMoney entities in JSON lines (``-``: standard output). Returns the entities written
    per schema."""
    sel = selection or Selection()
    if str(output) == "-":
        w = _Writer(sys.stdout)
        with source.reading() as conn:
            _entities(w, conn, sel)
        return w.counts
    path = _target(output)
    part = path.with_name(path.name + ".part")
    try:
        with part.open("w", encoding="utf-8") as out, source.reading() as conn:
            w = _Writer(out)
            _entities(w, conn, sel)
        os.replace(part, path)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        part.unlink(missing_ok=True)
    return w.counts


def read_entities(lines: Iterable[str]) -> Iterator[EntityProxy]:
    """Entities from FollowTheMoney JSON lines, every value cleaned again (for checks and tests)."""
    for line in lines:
        if line.strip():
            yield model.get_proxy(json.loads(line), cleaned=False)
