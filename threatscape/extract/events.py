"""Events: incidents of political violence, protest and strategic developments, ACLED- and
PLOVER-typed, with actors, place, date, tolls, source and evidence (the trigger sentence).

``extract_events(doc, article, actors, claims, quantities, dates, places)`` is a chain of small
steps over each sentence of the parsed body:

1. ``find_triggers``: verbs, nouns and phrases of ``data/events.yaml`` (events_triggers.py);
2. ``is_realis``: drop what did not happen: negated, modal, conditional, planned, threatened,
   called for, denied, generic or habitual mentions, reports about reports;
3. ``classify``: the trigger in its clause -> ACLED type/sub-type and PLOVER type (weapons,
   targets, who captures, how protests were met; events_classify.py); when several triggers
   qualify, the ACLED hierarchy (class rank) picks one per sentence;
4. slots (events_slots.py): actors, place (never the dateline), date (an event in the future
   of the article is a plan: dropped), fatalities, tally (aggregate + count), reported_by;
5. ``_merge``: one event per place and day: a later sentence about the same incident (same type,
   no conflicting date or place) completes the first; a bare toll sentence ("five were killed")
   joins the incident before it in the paragraph.

An event without a place of its own takes the place of the incident before it in its paragraph,
else the country the article is about (precision ``country``). Ids are ``e:`` + a hash of the
article id and the evidence span, so they are stable across runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from threatscape.extract.events_classify import classify
from threatscape.extract.events_lexicon import EventClass, EventLexicon, load_event_lexicon
from threatscape.extract.events_slots import (
    event_actors,
    event_date,
    event_fatalities,
    event_place,
    event_tally,
    listed_places,
    place_role,
    reporting_source,
)
from threatscape.extract.events_triggers import Trigger, embedded_in, find_triggers, is_realis, present_perfect
from threatscape.model import Count, DateSpan, Event, Evidence, Fatalities, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from threatscape.extract.actor_registry import ArticleActors
    from threatscape.model import Article, Claim, Quantity

__all__ = ["EXTRACTOR", "extract_events"]

EXTRACTOR = "events/0.1"
BASE_CONFIDENCE = 0.4
INHERIT_PARAGRAPHS = 2  # an undated incident this close to a dated one shares its date
RECENT_DAYS = 2  # "has captured" without a date: within this many days before publication
TOLL_ONLY = "kill"  # class of a bare toll sentence, absorbed by the incident before it
CLAIMANT_TYPES = frozenset({"armed_group", "other"})  # who can claim an attack
GENERIC = frozenset({"attack", "kill"})  # classes that say no more than "violence happened"
VIOLENT_TYPES = frozenset(
    {"Battles", "Explosions/Remote violence", "Riots", "Protests"}
)  # a generic attack joins these


@dataclass(frozen=True)
class _Context:
    doc: Doc
    article: Article
    actors: ArticleActors
    claims: list[Claim]
    quantities: list[Quantity]
    dates: list[DateSpan]
    places: list[Place]
    lex: EventLexicon


@dataclass(frozen=True)
class _Found:
    event: Event
    cls: str
    paragraph: int
    own_place: bool
    own_date: bool
    noun: bool = False  # named by a noun ("the attack"), often a mention of an earlier incident


def extract_events(
    doc: Doc,
    article: Article,
    actors: ArticleActors,
    claims: list[Claim],
    quantities: list[Quantity],
    dates: list[DateSpan],
    places: list[Place],
) -> list[Event]:
    """The events ``article.body`` reports (``doc`` is its parse), in text order."""
    ctx = _Context(doc, article, actors, claims, quantities, dates, places, load_event_lexicon())
    found: list[_Found] = []
    for sent in doc.sents:
        item = _sentence_event(sent, ctx)
        if item is not None:
            found.extend(_split_by_place(item, sent, ctx))
    merged = _merge(found)
    default = _default_place(ctx)
    return _with_claims([_with_place(f, merged, default) for f in merged], ctx)


def _sentence_event(sent: Span, ctx: _Context) -> _Found | None:
    """The sentence's event: the strongest class among its realis triggers (ACLED hierarchy)."""
    candidates: list[tuple[EventClass, Trigger]] = []
    found = find_triggers(sent, ctx.lex)
    realis = [t for t in found if is_realis(t, ctx.lex)]
    for trig in realis:
        if not embedded_in(trig, realis) and (klass := classify(trig, sent, ctx.actors, ctx.lex)) is not None:
            candidates.append((klass, trig))
    if not candidates:
        return None
    klass = min(candidates, key=lambda c: c[0].rank)[0]
    triggers = [t for k, t in candidates if k.name == klass.name]
    triggers += [t for t in found if t not in triggers]  # "its attacks", "in various clashes"
    date = next((d for t in triggers if (d := event_date(t, sent, ctx.dates, ctx.lex)) is not None), None)
    if date is None and any(present_perfect(t.token) for t in triggers):
        date = _recent(ctx.article)
    if date is not None and date.start and ctx.article.date and date.start > ctx.article.date:
        return None  # after the article: a plan or a deadline, not an incident
    found_event = _foreign_capture(_build(klass, triggers, sent, date, ctx), ctx)
    if not found_event.event.aggregate and date is not None and (date.precision == "year" or date.end is None):
        return None  # ACLED codes nothing vaguer than a month: "began fighting in 2023", "since 2007"
    return found_event


def _split_by_place(item: _Found, sent: Span, ctx: _Context) -> list[_Found]:
    """One event per place: "attacks on Niono, Molodo and Kayes" are three events; a toll is
    split evenly, the remainder to the first (ACLED)."""
    listed = listed_places(sent, ctx.places, ctx.actors)
    if len(listed) < 2 or item.event.aggregate:
        return [item]
    out = []
    toll = item.event.fatalities
    for n, place in enumerate(listed):
        share = None
        if toll is not None and toll.best is not None:
            share = toll.best // len(listed) + (toll.best % len(listed) if n == 0 else 0)
        fat = Fatalities(best=share, low=share, high=share) if share is not None else None
        assert place.evidence is not None
        event = replace(
            item.event,
            id=_event_id(ctx.article.id, item.event.evidence.start, item.event.evidence.end, place.evidence.start),
            location=place,
            fatalities=fat,
        )
        out.append(replace(item, event=event, own_place=True))
    return out


def _foreign_capture(item: _Found, ctx: _Context) -> _Found:
    """A state's forces taking a place in another country overtake it; they do not regain it."""
    ev = item.event
    actor = ctx.actors.get(ev.actor1) if ev.actor1 else None
    if item.cls != "recapture" or actor is None or not actor.country or ev.location is None:
        return item
    where = ctx.actors.kb.country_code(ev.location.country)
    if where is None or where == actor.country:
        return item
    klass = ctx.lex.klass("capture")
    event = replace(ev, type=klass.type, sub_type=klass.sub_type, plover=klass.plover)
    return replace(item, event=event, cls=klass.name)


def _recent(article: Article) -> DateSpan | None:
    """ "have captured" with no date: the days up to the article's date (``range``, not a day)."""
    if not article.date:
        return None
    end = dt.date.fromisoformat(article.date)
    return DateSpan((end - dt.timedelta(days=RECENT_DAYS)).isoformat(), end.isoformat(), "range")


def _first_actors(triggers: list[Trigger], sent: Span, ctx: _Context) -> tuple[str | None, str | None]:
    pairs = [event_actors(t, sent, ctx.actors, ctx.lex) for t in triggers]
    actor1 = next((a for a, _ in pairs if a), None)
    actor2 = next((b for _, b in pairs if b and b != actor1), None)
    return actor1, actor2


def _first_tally(
    triggers: list[Trigger], sent: Span, ctx: _Context, date: DateSpan | None
) -> tuple[bool, Count | None]:
    tallies = [event_tally(t, sent, ctx.quantities, ctx.lex, date) for t in triggers]
    counted = [t for t in tallies if t[1] is not None]
    return counted[0] if counted else (any(a for a, _ in tallies), None)


def _build(klass: EventClass, triggers: list[Trigger], sent: Span, date: DateSpan | None, ctx: _Context) -> _Found:
    trig = triggers[0]
    actor1, actor2 = _first_actors(triggers, sent, ctx)
    place = event_place(trig, sent, ctx.places, ctx.actors)
    aggregate, count = _first_tally(triggers, sent, ctx, date)
    body = ctx.article.body
    start, end = sent.start_char, sent.end_char
    while end > start and body[end - 1].isspace():
        end -= 1
    evidence = Evidence(start, end, body[start:end], EXTRACTOR)
    confidence = BASE_CONFIDENCE + 0.15 * (date is not None) + 0.15 * (place is not None) + 0.1 * (actor1 is not None)
    event = Event(
        id=_event_id(ctx.article.id, start, end),
        type=klass.type,
        sub_type=klass.sub_type,
        evidence=evidence,
        plover=klass.plover,
        actor1=actor1,
        actor2=actor2,
        aggregate=aggregate,
        count=count,
        location=place,
        date=date,
        fatalities=event_fatalities(sent, ctx.quantities),
        reported_by=reporting_source(trig, sent, ctx.claims, ctx.actors),
        confidence=round(min(confidence + 0.1 * (trig.kind == "verb"), 0.95), 2),
    )
    para = body.count("\n", 0, start)
    return _Found(event, klass.name, para, place is not None, date is not None, trig.kind == "noun")


def _event_id(article_id: str, start: int, end: int, place_start: int | None = None) -> str:
    """``e:`` + a hash of the article id and the evidence span (and the place, for a sentence
    naming several places)."""
    key = f"{article_id}:{start}:{end}" + ("" if place_start is None else f":{place_start}")
    return "e:" + hashlib.sha1(key.encode()).hexdigest()[:16]


# ---- one event per place and day ---------------------------------------------------------------
def _same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return True
    if a.country_code and b.country_code and a.country_code != b.country_code:
        return False
    return a.name == b.name or "point" not in (a.precision, b.precision) or a.admin1 == b.name or b.admin1 == a.name


def _same_admin1(a: Place | None, b: Place | None) -> bool:
    """Two towns of one province: the same incident when one of the mentions has no date."""
    return a is not None and b is not None and a.admin1 is not None and a.admin1 == b.admin1


def _same_day(a: DateSpan | None, b: DateSpan | None) -> bool:
    """The same day, or overlapping spans when one of them is vaguer than a day."""
    if a is None or b is None or (a.start == b.start and a.end == b.end):
        return True
    if "day" in (a.precision,) and b.precision == "day" or not (a.start and b.start):
        return False
    return a.start <= (b.end or b.start) and b.start <= (a.end or a.start)


def _absorbs(first: _Found, later: _Found) -> bool:
    a, b = first.event, later.event
    place_ok = _same_place(a.location, b.location) or (
        not (first.own_date and later.own_date) and _same_admin1(a.location, b.location)
    )
    if a.aggregate or b.aggregate or not place_ok or not _same_day(a.date, b.date):
        return False
    if later.cls == TOLL_ONLY and later.paragraph - first.paragraph <= 1 and not later.own_place:
        return True
    if not later.own_place and not later.own_date and (later.cls in GENERIC or later.noun and a.type == b.type):
        return True  # "the attack started at 6:30pm": the incident already reported
    if a.type == b.type == "Explosions/Remote violence":
        return True  # "the blast" then "the suicide bomber": one explosion, the stronger sub-type
    if later.cls in GENERIC and a.type in VIOLENT_TYPES:
        return True  # "Pakistan targeted four locations": the strike already typed
    return (
        a.type == b.type
        and (a.sub_type == b.sub_type or not later.own_date)
        and (not b.actor1 or not a.actor1 or a.actor1 == b.actor1)
    )


def _combine(first: _Found, later: _Found) -> _Found:
    a, b = first.event, later.event
    place = a.location
    if b.location is not None and (place is None or _rank(b.location) < _rank(place)):
        place = b.location
    event = replace(
        a,
        actor1=a.actor1 or b.actor1,
        actor2=a.actor2 or b.actor2,
        location=place,
        date=a.date or b.date,
        fatalities=_join_tolls(a.fatalities, b.fatalities),
        reported_by=a.reported_by or b.reported_by,
    )
    upgrade = first.cls in GENERIC and later.cls not in GENERIC and b.type in VIOLENT_TYPES | {a.type}
    if upgrade or _stronger(later, first):
        event = replace(event, type=b.type, sub_type=b.sub_type, plover=b.plover)  # "the attack" is "the blast"
        first = replace(first, cls=later.cls)
    return replace(
        first, event=event, own_place=first.own_place or later.own_place, own_date=first.own_date or later.own_date
    )


def _stronger(later: _Found, first: _Found) -> bool:
    """A plain blast (IED by default) told later to be a suicide bombing, a drone, a shell: the
    more specific means wins."""
    lex = load_event_lexicon()
    same = first.event.type == later.event.type == "Explosions/Remote violence"
    return same and first.cls == "explosion" and lex.klass(later.cls).rank < lex.klass(first.cls).rank


def _rank(p: Place) -> int:
    return {"point": 0, "admin1": 1, "region": 2, "country": 3}.get(p.precision or "", 4)


def _join_tolls(a: Fatalities | None, b: Fatalities | None) -> Fatalities | None:
    if a is None or b is None or not b.high:
        return a or b
    if not a.high:
        return b
    values = [v for v in (a.low, a.high, b.low, b.high) if v is not None]
    return Fatalities(best=a.best, low=min(values), high=max(values), breakdown=a.breakdown or b.breakdown)


def _merge(found: list[_Found]) -> list[_Found]:
    out: list[_Found] = []
    for item in found:
        for i in range(len(out) - 1, -1, -1):
            if _absorbs(out[i], item):
                out[i] = _combine(out[i], item)
                break
        else:
            mention = item.noun and not item.own_place and not item.own_date and bool(out)
            toll = item.event.fatalities is not None and bool(item.event.fatalities.best)
            if not mention and (item.cls != TOLL_ONLY or toll or item.event.actor1 is not None):
                out.append(_inherit_date(item, out))
    return out


def _inherit_date(item: _Found, before: list[_Found]) -> _Found:
    """A new place in the same story ("In Katsina, one protester was killed") keeps the date of
    the last dated incident of the same type, else of one in the last paragraphs."""
    if item.event.date is not None or item.event.aggregate:
        return item
    dated = [f for f in before if f.own_date and not f.event.aggregate]
    same = [f for f in dated if f.event.type == item.event.type]
    near = [f for f in dated if item.paragraph - f.paragraph <= INHERIT_PARAGRAPHS]
    pool = same or near
    return replace(item, event=replace(item.event, date=pool[-1].event.date)) if pool else item


# ---- claims of responsibility ------------------------------------------------------------------
def _with_claims(events: list[Event], ctx: _Context) -> list[Event]:
    """A claim of responsibility is no new event: it names ``claimed_by`` of the incident it
    follows, and its Actor1 when the text named none or only an unidentified group."""
    out = list(events)
    for claim in ctx.claims:
        if claim.stance != "claim_responsibility" or not claim.speaker or ctx.actors.get(claim.speaker) is None:
            continue
        if ctx.actors.get(claim.speaker).type not in CLAIMANT_TYPES:  # type: ignore[union-attr]
            continue
        before = [i for i, e in enumerate(out) if e.evidence.start <= claim.evidence.start and not e.aggregate]
        if not before:
            continue
        i = before[-1]
        ev = out[i]
        named = ctx.actors.get(ev.actor1) if ev.actor1 else None
        unnamed = named is None or ev.actor1.endswith("-UAG") or named.type in ("other", "media")  # type: ignore[union-attr]
        out[i] = replace(ev, claimed_by=claim.speaker, actor1=claim.speaker if unnamed else ev.actor1)
    return out


# ---- places for events that name none ----------------------------------------------------------
def _default_place(ctx: _Context) -> Place | None:
    """The country the article is about: most places' country, else the actors' focus country."""
    used = [p for p in ctx.places if p.evidence is not None and place_role(p, ctx.doc, ctx.actors) < 2]
    counts = Counter(p.country for p in used or ctx.places if p.country)
    if counts:
        country = counts.most_common(1)[0][0]
        code = next((p.country_code for p in ctx.places if p.country == country), None)
        return Place(name=country, country=country, country_code=code, precision="country")
    entry = ctx.actors.kb.get(ctx.actors.country) if ctx.actors.country else None
    if entry is None:
        return None
    return Place(name=entry.name, country=entry.name, precision="country")


def _with_place(item: _Found, merged: list[_Found], default: Place | None) -> Event:
    if item.event.location is not None:
        return item.event
    before = [f for f in merged if f.paragraph == item.paragraph and f.event.location and f.own_place]
    before = [f for f in before if f.event.evidence.start < item.event.evidence.start]
    place = before[-1].event.location if before else default
    return replace(item.event, location=place) if place is not None else item.event
