"""FollowTheMoney entities for the actors, their affiliations and sanctions matches, the articles
and the mentions of actors in them; the ids, and the ``Sink`` that writes entities as JSON lines.

The mapping of the whole record is in ``threatscape.export_ftm``; the facts' entities are
``threatscape.ftm_facts``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from itertools import groupby
from typing import IO, Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from threatscape.store.records import read_sanction_entry

__all__ = [
    "ORGANISATIONS",
    "SCHEMA_OF_TYPE",
    "Sink",
    "add_dates",
    "article_entity",
    "cite",
    "entity_id",
    "new_entity",
    "number",
    "write_actors",
    "write_affiliation",
    "write_mentions",
    "write_sanction",
]

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
ORGANISATIONS = ("Organization", "PublicBody")
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


class Sink:
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


def new_entity(schema: str, id_: str) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = id_
    return proxy


def number(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


def cite(proxy: EntityProxy, fact: dict[str, Any], where: str = "description") -> None:
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


def add_dates(proxy: EntityProxy, when: dict[str, Any] | None) -> None:
    when = when or {}
    proxy.add("startDate", when.get("start"))
    proxy.add("endDate", when.get("end"))


# -- actors, their affiliations and sanctions ---------------------------------------------------


def write_actors(w: Sink, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Write the actors; return them (id, affiliation, sanctions) for the links written after."""
    later = []
    for a in rows:
        schema = SCHEMA_OF_TYPE.get(a["type"], "LegalEntity")
        proxy = new_entity(schema, entity_id("actor", a["id"]))
        proxy.add("name", a["name"])
        proxy.add("alias", [x for x in a["aliases"] if x != a["name"]])
        proxy.add("country", a.get("country"))
        proxy.add("classification", a["type"])
        w.actors[a["id"]] = (schema, a["name"])
        w.emit(proxy)
        if a.get("affiliation") or a.get("sanctions"):
            later.append({"id": a["id"], "affiliation": a.get("affiliation"), "sanctions": a.get("sanctions")})
    return later


def write_affiliation(w: Sink, actor: str, to: str) -> None:
    member, org = w.actor(actor), w.actor(to)
    if member is None or org is None:
        return
    if w.actors[to][0] in ORGANISATIONS:
        proxy = new_entity("Membership", entity_id("affiliation", actor, to))
        proxy.add("member", member)
        proxy.add("organization", org)
        proxy.add("role", "affiliated with")
    else:
        proxy = new_entity("UnknownLink", entity_id("affiliation", actor, to))
        proxy.add("subject", member)
        proxy.add("object", org)
        proxy.add("role", "affiliated with")
    proxy.add("description", "from threatscape's actor knowledge base and the roles the articles give")
    w.emit(proxy)


def write_sanction(w: Sink, conn: Any, actor: str, match: dict[str, Any]) -> None:
    ref, list_name = str(match.get("ref") or ""), str(match.get("list") or "")
    proxy = new_entity("Sanction", entity_id("sanction", actor, list_name, ref))
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


def article_entity(d: dict[str, Any]) -> EntityProxy:
    proxy = new_entity("Article", entity_id("article", d["id"]))
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


def write_mentions(w: Sink, rows: Iterable[dict[str, Any]]) -> None:
    """One ``Mention`` per article and actor, with every name the article uses for it."""
    for (article, actor), group in groupby(rows, key=lambda r: (r["article_id"], r["actor_id"])):
        resolved = w.actor(actor)
        if resolved is None:
            continue
        names = list(dict.fromkeys(r["text"] for r in group if r.get("text"))) or [w.actors[actor][1]]
        proxy = new_entity("Mention", entity_id("mention", article, actor))
        proxy.add("document", entity_id("article", article))
        proxy.add("resolved", resolved)
        proxy.add("name", names)
        proxy.add("detectedSchema", w.actors[actor][0])
        w.emit(proxy)
