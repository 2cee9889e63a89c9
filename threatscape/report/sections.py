"""The report's fact sections: actor profiles, money flows, contested claims, notable events.

Each function turns query rows (``facts``, ``queries``) into model items that carry their
article ids. Actor ids are shown by name through the ``names`` map the builder passes in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, inspect, select, table

from threatscape.report import facts, queries
from threatscape.report.model import ActorProfile, ContestedPair, Filters, MoneyFlow, NotableEvent, ProfileItem
from threatscape.report.queries import GroupCount
from threatscape.report.source import EventSource

__all__ = ["contested_pairs", "money", "notable_events", "profiles"]

VERBS = {
    "supports": "supports",
    "funds": "funds",
    "shelters": "shelters",
    "collaborates_with": "collaborates with",
    "allied_with": "is allied with",
    "leads": "leads",
}
Names = Callable[[str | None], str]
CONTEST_WINDOW_DAYS = 30  # a denial this many days from the accusation answers it
MIN_STRENGTH = 100  # fewer fighters than this is a raiding party, not a group's strength


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _strength(conn: Connection, actor_id: str, f: Filters, name: Names) -> list[ProfileItem]:
    out = []
    for row in facts.strength_reports(conn, actor_id, f.period):
        data = row.data or {}
        if row.value < MIN_STRENGTH:
            continue
        figure = f"{_number(row.low)}–{_number(row.high)}" if row.low and row.high else _number(row.value)
        qualifier = data.get("qualifier")
        words = f"{qualifier + ' ' if qualifier and not (row.low and row.high) else ''}{figure} {row.unit}"
        when = [
            w
            for w in (data.get("when"), (data.get("date") or {}).get("start"), row.date and f"reported {row.date}")
            if w
        ]
        words += f" ({', '.join(when)})" if when else ""
        by = name(row.estimate_by) if row.estimate_by else data.get("estimate_text")
        out.append(ProfileItem(words, by, (row.article_id,), kind="strength"))
    return out


def _relations(conn: Connection, actor_id: str, f: Filters, name: Names) -> tuple[list[ProfileItem], list[ProfileItem]]:
    rels: list[ProfileItem] = []
    leads: list[ProfileItem] = []
    for r in facts.relations_of(conn, actor_id, f.period):
        quals = ", ".join((r.data or {}).get("qualifiers") or [])
        text = f"{name(r.subject)} {VERBS.get(r.predicate, r.predicate)} {name(r.object)}"
        text += f" ({quals})" if quals else ""
        item = ProfileItem(
            text, name(r.attributed_to) if r.attributed_to else None, (r.article_id,), bool(r.contested), r.predicate
        )
        if all(i.text != item.text for i in rels + leads):
            (leads if r.predicate == "leads" else rels).append(item)
    return rels[:8], leads


def _sanctions(actor: facts.ActorRow, screened: bool) -> list[ProfileItem]:
    if actor.sanctions:
        return [
            ProfileItem(
                f"{s.get('list', '?')} {s.get('ref', '')}: listed as “{s.get('name', '')}” "
                f"(match score {float(s.get('score', 0)):.2f})",
                kind="sanctions",
            )
            for s in actor.sanctions
        ]
    text = "No match on the loaded sanctions lists" if screened else "Not screened: no sanctions list is loaded"
    return [ProfileItem(text, kind="sanctions_status")]


def _screened(conn: Connection) -> bool:
    if "sanctions_lists" not in inspect(conn).get_table_names():
        return False
    return bool(conn.execute(select(func.count()).select_from(table("sanctions_lists"))).scalar())


def profiles(
    conn: Connection, f: Filters, rows: list[GroupCount], cites: dict[str, tuple[str, ...]], name: Names, limit: int = 5
) -> list[ActorProfile]:
    """Profiles of the most active actors (civilians and unidentified groups left out)."""
    actors = facts.actor_rows(conn, [r.key for r in rows])
    screened = _screened(conn)
    out: list[ActorProfile] = []
    for row in rows:
        actor = actors.get(row.key)
        if actor is None or actor.type == "civilians" or actor.name.lower().startswith("unidentified"):
            continue
        rels, leads = _relations(conn, actor.id, f, name)
        leads += [
            ProfileItem(f"{person} — {role}", None, (aid,), kind="leader")
            for person, role, aid in facts.leaders(conn, actor.id)
        ]
        out.append(
            ActorProfile(
                actor.id,
                actor.name,
                actor.type,
                actor.country,
                actor.aliases,
                row.events,
                row.fatalities,
                strength=tuple(_strength(conn, actor.id, f, name)),
                leadership=tuple(leads),
                relations=tuple(rels),
                sanctions=tuple(_sanctions(actor, screened)),
                article_ids=cites.get(row.key, ()),
            )
        )
        if len(out) >= limit:
            break
    return out


def money(conn: Connection, f: Filters, name: Names) -> list[MoneyFlow]:
    def party(actor: str | None, words: str | None) -> str | None:
        return name(actor) if actor else words

    out = []
    for r in facts.money_flows(conn, f.period, f.actor):
        data = r.data or {}
        out.append(
            MoneyFlow(
                r.amount,
                r.currency,
                r.usd,
                r.period,
                party(r.payer, data.get("payer_text")),
                party(r.payee, data.get("payee_text")),
                r.purpose,
                r.direction,
                name(r.reported_by) if r.reported_by else None,
                bool(r.contested),
                r.usd_per_year,
                (data.get("amount_evidence") or {}).get("text"),
                r.date,
                (r.article_id,),
                bool(data.get("sanctioned")),
            )
        )
    return out


def _speaker(row: Any, name: Names) -> str:
    return name(row.speaker) if row.speaker else (row.speaker_text or "unnamed source")


def _days_apart(a: str | None, b: str | None) -> int:
    if not a or not b:
        return 0
    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)


def _answers(accusation: Any, denial: Any) -> bool:
    """The denial comes from the accused (or is aimed at the accuser), from another article, soon after."""
    if denial.article_id == accusation.article_id or not denial.speaker:
        return False
    who = denial.speaker == accusation.target or (denial.target is not None and denial.target == accusation.speaker)
    return who and _days_apart(accusation.date, denial.date) <= CONTEST_WINDOW_DAYS


def contested_pairs(conn: Connection, f: Filters, name: Names, limit: int = 10) -> list[ContestedPair]:
    """Accusations beside the denials that answer them (see ``_answers``), one pair per accusation."""
    accusations = facts.claims_by_stance(conn, f.period, ("accuse",))
    denials = facts.claims_by_stance(conn, f.period, ("deny",))
    out: list[ContestedPair] = []
    seen: set[tuple[str, str]] = set()
    for a in accusations:
        match = next((d for d in denials if _answers(a, d)), None)
        if match is None or (a.content, match.content) in seen:
            continue
        seen.add((a.content, match.content))
        out.append(
            ContestedPair(
                _speaker(a, name),
                a.content,
                _speaker(match, name),
                match.content,
                (a.article_id,),
                (match.article_id,),
                name(a.target) if a.target else None,
            )
        )
        if len(out) >= limit:
            break
    return out


def _notable(conn: Connection, src: EventSource, row: Any, why: str, reports: list[str], name: Names) -> NotableEvent:
    place = ", ".join(x for x in (row.location_name, row.admin1, row.country) if x) or "place not given"
    actors = " v ".join(name(a) for a in (row.actor1, row.actor2) if a) or "actors not named"
    ids = tuple(dict.fromkeys([row.article_id, *reports]))
    return NotableEvent(
        str(row.eid),
        row.date_start,
        row.type,
        row.sub_type,
        place,
        actors,
        row.f_best,
        row.f_low,
        row.f_high,
        len(ids),
        ids,
        why,
    )


def _reports(conn: Connection, src: EventSource, row: Any) -> list[str]:
    if src.fused:
        return queries.fused_articles(conn, src, row.eid)
    place = row.location_name or row.admin1 or row.country
    return queries.same_event_articles(conn, src, row.date_start, row.type, place) if place else []


def notable_events(conn: Connection, src: EventSource, f: Filters, name: Names, limit: int = 5) -> list[NotableEvent]:
    """The deadliest events and the most reported ones, each with the reports on it."""
    out: dict[tuple[Any, ...], NotableEvent] = {}

    def key(row: Any) -> tuple[Any, ...]:  # one incident: the fused event, else the day+type+place group
        return (row.eid,) if src.fused else (row.date_start, row.type, row.location_name or row.admin1 or row.country)

    for row in queries.deadliest(conn, src, f, f.period, limit):
        if key(row) not in out:
            out[key(row)] = _notable(conn, src, row, "deadliest", _reports(conn, src, row), name)
    c = src.events.c
    for mr in queries.most_reported(conn, src, f, f.period, limit):
        row = conn.execute(select(src.events).where(c.eid == mr[5])).first()
        if row is None:
            continue
        if key(row) in out:
            out[key(row)] = replace(out[key(row)], why="deadliest, most reported")
        else:
            out[key(row)] = _notable(conn, src, row, "most reported", _reports(conn, src, row), name)
    return list(out.values())
