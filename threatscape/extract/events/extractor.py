"""Events: incidents of political violence, protest and strategic developments, ACLED- and
PLOVER-typed, with actors, place, date, tolls, source and evidence (the trigger sentence).

``extract_events(doc, article, actors, claims, quantities, dates, places)`` is a chain of small
steps over each sentence of the parsed body:

1. ``find_triggers``: verbs, nouns and phrases of ``data/events.yaml`` (triggers.py);
2. ``is_realis``: drop what did not happen: negated, modal, conditional, planned, threatened,
   called for, denied, generic or habitual mentions, reports about reports;
3. ``classify``: the trigger in its clause -> ACLED type/sub-type and PLOVER type (weapons,
   targets, who captures, how protests were met; classify.py); when several triggers
   qualify, the ACLED hierarchy (class rank) picks one per sentence;
4. slots (slots.py): actors, place (never the dateline; a place named as an actor, "US
   strikes", is no place), date attached to the trigger's clause (an event in the future of the
   article is a plan: dropped; nothing vaguer than a month unless a tally; an earlier incident
   told as background, "has previously raided", with no date of its own carries none),
   fatalities (ACLED:
   lowest reading of vague words, 0 when none are reported), tally (aggregate + count),
   reported_by; a sentence listing several places gives one event per place, the toll split;
5. ``merge_events`` (merge.py): one event per place and day;
6. claims of responsibility fill ``claimed_by`` (and an unnamed Actor1): no new event.

An event without a place of its own takes the place of the incident before it in its paragraph,
else the country the article is about (precision ``country``). Ids are ``e:`` + a hash of the
article id and the evidence span, so they are stable across runs. PLOVER typing of any sentence
(verbal events too) is ``plover.plover_type``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from threatscape.extract.dates import sequence_shift, shifted
from threatscape.extract.events.classify import classify
from threatscape.extract.events.learned import (
    Decision,
    LearnedThresholds,
    anchor_token,
    decide,
    sentence_predictions,
    wants_prediction,
)
from threatscape.extract.events.lexicon import EventClass, EventLexicon, load_event_lexicon
from threatscape.extract.events.merge import Found, merge_events
from threatscape.extract.events.slots import (
    event_actors,
    event_date,
    event_fatalities,
    event_place,
    event_tally,
    listed_places,
    place_role,
    reporting_source,
)
from threatscape.extract.events.triggers import (
    Trigger,
    embedded_in,
    find_triggers,
    is_realis,
    present_perfect,
    protested_incident,
    told_as_background,
)
from threatscape.extract.quantities.lexicon import QuantityLexicon, load_quantity_lexicon
from threatscape.model import Count, DateSpan, Event, Evidence, Fatalities, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from threatscape.extract.actors.registry import ArticleActors
    from threatscape.extract.nlp.encoder import EventEncoder, Prediction
    from threatscape.model import Article, Claim, Quantity

__all__ = ["EXTRACTOR", "RuleView", "extract_events", "rule_view"]

EXTRACTOR = "events"  # versioned by threatscape.versions
BASE_CONFIDENCE = 0.4
RECENT_DAYS = 2  # "has captured" without a date: within this many days before publication
FOCUS_WEIGHT = 1.5  # votes of the actors' country when guessing the country an article is about
CLAIMANT_TYPES = frozenset({"armed_group", "other"})  # who can claim an attack
PARAGRAPH_BREAK = re.compile(r"\n+")


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
    quantity_lex: QuantityLexicon
    predictions: dict[int, Prediction] | None = None  # the learned layer's, by sentence start
    thresholds: LearnedThresholds = LearnedThresholds()
    model_version: str | None = None
    views: dict[int, RuleView] | None = None  # each sentence's rule view, by its start


def extract_events(
    doc: Doc,
    article: Article,
    actors: ArticleActors,
    claims: list[Claim],
    quantities: list[Quantity],
    dates: list[DateSpan],
    places: list[Place],
    *,
    lexicon: EventLexicon | None = None,
    quantity_lexicon: QuantityLexicon | None = None,
    encoder: EventEncoder | None = None,
    thresholds: LearnedThresholds | None = None,
) -> list[Event]:
    """The events ``article.body`` reports (``doc`` is its parse), in text order. ``lexicon`` and
    ``quantity_lexicon`` default to the packaged ones (the pipeline passes those of ``Resources``).
    With ``encoder`` (the learned layer) its sentence predictions join the rules (``learned.py``);
    without it the rules decide alone."""
    lex = lexicon or load_event_lexicon()
    qlex = quantity_lexicon or load_quantity_lexicon()
    th = thresholds or LearnedThresholds()
    views = {sent.start_char: rule_view(sent, actors, lex) for sent in doc.sents}
    predictions = None
    if encoder is not None:  # one batch: the sentences whose outcome the model can change
        wanted = [sent for sent in doc.sents if wants_prediction(bool(views[sent.start_char].found), th)]
        predictions = sentence_predictions(wanted, encoder)
    ctx = _Context(
        doc,
        article,
        actors,
        claims,
        quantities,
        dates,
        places,
        lex,
        qlex,
        predictions,
        th,
        encoder.version if encoder is not None else None,
        views,
    )
    found: list[Found] = []
    for sent in doc.sents:
        item = _sentence_event(sent, ctx)
        if item is not None:
            found.extend(_split_by_place(item, sent, ctx))
        found.extend(_protested(sent, ctx))
    merged = _elaborated_places(merge_events(_sequence_dates(found), ctx.lex), ctx)
    default = _default_place(ctx)
    return _with_claims([_with_place(f, merged, default) for f in merged], ctx)


@dataclass(frozen=True)
class RuleView:
    """What the rules see in one sentence: every trigger, the realis ones with their class, the
    strongest class (ACLED hierarchy) and whether a precise cue (a phrase trigger) gave it."""

    found: list[Trigger]
    candidates: list[tuple[EventClass, Trigger]]
    klass: EventClass | None
    precise: bool


def rule_view(sent: Span, actors: ArticleActors, lex: EventLexicon) -> RuleView:
    candidates: list[tuple[EventClass, Trigger]] = []
    found = find_triggers(sent, lex)
    realis = [t for t in found if is_realis(t, lex)]
    for trig in realis:
        if embedded_in(trig, realis) or protested_incident(trig, lex):
            continue  # an incident the sentence names inside another, or the one a protest is against
        if (klass := classify(trig, sent, actors, lex)) is not None:
            candidates.append((klass, trig))
    best = min(candidates, key=lambda c: c[0].rank)[0] if candidates else None
    precise = any(t.kind == "phrase" for k, t in candidates if best is not None and k.name == best.name)
    return RuleView(found, candidates, best, precise)


def _sentence_event(sent: Span, ctx: _Context) -> Found | None:
    """The sentence's event: the strongest class among its realis triggers (ACLED hierarchy)."""
    view = ctx.views[sent.start_char] if ctx.views is not None else rule_view(sent, ctx.actors, ctx.lex)
    found, candidates = view.found, view.candidates
    pred = ctx.predictions.get(sent.start_char) if ctx.predictions is not None else None
    decision = decide(view.klass, view.precise, bool(found), pred, ctx.lex, ctx.thresholds)
    if decision.klass is None:
        return None
    klass = decision.klass
    triggers = [t for k, t in candidates if k.name == klass.name] or [t for _, t in candidates]
    if not triggers:  # the model's own event: its slots hang on the sentence's main verb
        anchor = anchor_token(sent)
        triggers = [Trigger(anchor, anchor.idx, anchor.idx + len(anchor.text), klass.name, "model")]
    background = any(told_as_background(t.token, ctx.lex) for t in triggers)
    triggers += [t for t in found if t not in triggers]  # "its attacks", "in various clashes"
    date = next((d for t in triggers if (d := event_date(t, sent, ctx.dates, ctx.lex)) is not None), None)
    if date is None and not background and any(present_perfect(t.token) for t in triggers):
        date = _recent(ctx.article)
    if date is not None and date.start and ctx.article.date and date.start > ctx.article.date:
        return None  # after the article: a plan or a deadline, not an incident
    found_event = _foreign_capture(_build(klass, triggers, sent, date, ctx, decision), ctx)
    if background and date is None:  # an earlier incident with no date of its own: it carries none
        found_event = replace(found_event, background=True)
    if not found_event.event.aggregate and date is not None and (date.precision == "year" or date.end is None):
        return None  # ACLED codes nothing vaguer than a month: "began fighting in 2023", "since 2007"
    return found_event


def _protested(sent: Span, ctx: _Context) -> list[Found]:
    """ "The rally was held to protest the arrests of two union leaders": the incident a protest is
    against is one of its own, earlier than the protest. It takes no date but one inside its own
    words ("Monday's arrest"); the protest's date ("marched on Friday in protest at ...") is not its."""
    view = ctx.views[sent.start_char] if ctx.views is not None else rule_view(sent, ctx.actors, ctx.lex)
    out: list[Found] = []
    for trig in view.found:
        if not protested_incident(trig, ctx.lex) or (klass := classify(trig, sent, ctx.actors, ctx.lex)) is None:
            continue
        words = list(trig.token.subtree)
        lo, hi = words[0].idx, words[-1].idx + len(words[-1].text)
        own = [d for d in ctx.dates if d.start and d.evidence and lo <= d.evidence.start < hi]
        date = own[0] if own and own[0].end is not None and own[0].precision != "year" else None
        item = _build(klass, [trig], sent, date, ctx, part=trig.start)
        out.append(replace(item, background=date is None, protested=True))
    return out


def _sequence_dates(found: list[Found]) -> list[Found]:
    """ "Two days later, gunmen ...", "Hours later, police ...": an undated incident placed
    relative to the dated incident told before it takes that day moved by the offset."""
    out: list[Found] = []
    last: DateSpan | None = None
    for item in found:
        ev = item.event
        shift = sequence_shift(ev.evidence.text) if ev.date is None and last is not None else None
        day = shifted(last, shift) if last is not None and shift is not None else None
        if day is not None:  # "hours later" (no shift) may tell more of the same incident
            item = replace(item, event=replace(ev, date=day), own_date=shift != 0)
        if item.event.date is not None and item.own_date and not item.event.aggregate:
            last = item.event.date
        out.append(item)
    return out


ELABORATING_PREPS = frozenset({"in", "at", "near"})  # "was stopped in the Bolan district"


def _elaborated_places(merged: list[Found], ctx: _Context) -> list[Found]:
    """An incident placed only in a province or a country ("in Balochistan province") that the next sentences,
    before any other incident, place more precisely inside it ("The train was stopped in the Bolan
    district") takes that place: news leads name the province, the second sentence the district."""
    out = []
    for n, item in enumerate(merged):
        loc = item.event.location
        vague = loc is None or loc.precision == "country" or (loc.precision == "admin1" and item.own_place)
        if vague and not item.event.aggregate:
            end = merged[n + 1].event.evidence.start if n + 1 < len(merged) else len(ctx.article.body)
            start = item.event.evidence.end
            for p in ctx.places:
                ev = p.evidence
                if loc is None:
                    inside = True
                elif loc.precision == "admin1":
                    inside = p.admin1 == loc.admin1 and p.country_code == loc.country_code
                else:
                    inside = loc.country_code is not None and p.country_code == loc.country_code
                if ev is None or not start <= ev.start < end or not inside:
                    continue
                if p.precision not in ("point", "region") or ctx.article.body.count("\n", start, ev.start) > 3:
                    continue
                span = ctx.doc.char_span(ev.start, ev.end, alignment_mode="expand")
                if span is not None and len(span) and _located_in(span.root):
                    item = replace(item, event=replace(item.event, location=p))
                    break
        out.append(item)
    return out


def _located_in(root: Token) -> bool:
    """ "in the Bolan district", "near Mach", "in a stretch of the Bolan district"."""
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.dep_ == "pobj":
        root = root.head.head  # "a stretch of", "the outskirts of"
    return root.dep_ == "pobj" and root.head.lower_ in ELABORATING_PREPS


def _split_by_place(item: Found, sent: Span, ctx: _Context) -> list[Found]:
    """One event per place: "attacks on Niono, Molodo and Kayes" are three events; a toll is
    split evenly, the remainder to the first (ACLED)."""
    listed = listed_places(sent, ctx.places, ctx.actors, ctx.lex)
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


def _foreign_capture(item: Found, ctx: _Context) -> Found:
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


def _build(
    klass: EventClass,
    triggers: list[Trigger],
    sent: Span,
    date: DateSpan | None,
    ctx: _Context,
    decision: Decision | None = None,
    part: int | None = None,
) -> Found:
    trig = triggers[0]
    actor1, actor2 = _first_actors(triggers, sent, ctx)
    place = event_place(trig, sent, ctx.places, ctx.actors, ctx.lex)
    aggregate, count = _first_tally(triggers, sent, ctx, date)
    body = ctx.article.body
    start, end = sent.start_char, sent.end_char
    while end > start and body[end - 1].isspace():
        end -= 1
    learned = decision is not None and decision.source != "rules" and ctx.model_version is not None
    extractor = f"{EXTRACTOR}+{ctx.model_version}" if learned else EXTRACTOR
    evidence = Evidence(start, end, body[start:end], extractor)
    confidence = BASE_CONFIDENCE + 0.15 * (date is not None) + 0.15 * (place is not None) + 0.1 * (actor1 is not None)
    confidence = round(min(confidence + 0.1 * (trig.kind == "verb"), 0.95), 2)
    pred = ctx.predictions.get(sent.start_char) if ctx.predictions is not None else None
    if learned and decision is not None and decision.confidence is not None:
        confidence = decision.confidence  # the model's calibrated probability of the sub-type
    plover = (pred.plover or klass.plover) if pred is not None else klass.plover
    event = Event(
        id=_event_id(ctx.article.id, start, end, part),
        type=klass.type,
        sub_type=klass.sub_type,
        evidence=evidence,
        plover=plover,
        actor1=actor1,
        actor2=actor2,
        aggregate=aggregate,
        count=count,
        location=place,
        date=date,
        fatalities=event_fatalities(sent, ctx.quantities, ctx.lex, ctx.quantity_lex),
        reported_by=reporting_source(trig, sent, ctx.claims, ctx.actors),
        confidence=confidence,
    )
    para = len(PARAGRAPH_BREAK.findall(body, 0, start))  # a blank line or a line break: one paragraph
    anaphor = _restates_incident(sent, ctx.lex)
    separate = sent.text.lstrip(" \"“‘'").lower().startswith(ctx.lex.separate_openers)
    own_place = place is not None and not _speakers_place(place, sent, ctx.lex)
    found = Found(event, klass.name, para, own_place, date is not None, trig.kind == "noun", anaphor)
    return replace(found, separate=True) if separate else found


def _speakers_place(place: Place, sent: Span, lex: EventLexicon) -> bool:
    """ "A security official in Quetta said ...": the place tells where the speaker is. It stays
    the event's place when the sentence gives no other, but it is no evidence that the sentence
    tells an incident of its own (the merge may join it to the one before)."""
    if place.evidence is None:
        return False
    span = sent.doc.char_span(place.evidence.start, place.evidence.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    prep = root.head
    return bool(
        root.dep_ == "pobj" and prep.lower_ in ("in", "from", "at") and prep.head.lemma_.lower() in lex.speaker_nouns
    )


def _restates_incident(sent: Span, lex: EventLexicon) -> bool:
    """ "The incident occurred on 21 November, when gunmen ...", "This attack took place near the
    market": the sentence's subject points back at an incident ("the/this" + an incident noun) and
    its verb only says it happened, so it dates or places the incident already reported."""
    root = sent.root
    verb = root.lemma_.lower()
    if verb not in lex.occurrence_verbs or (verb == "take" and not any(c.lower_ == "place" for c in root.children)):
        return False
    for subj in (c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")):
        det = next((c for c in subj.children if c.dep_ == "det"), None)
        if det is not None and det.lower_ in ("the", "this", "that") and subj.lemma_.lower() in lex.incident_anaphors:
            return True
    return False


def _event_id(article_id: str, start: int, end: int, part_start: int | None = None) -> str:
    """``e:`` + a hash of the article id and the evidence span (and where the part starts, the
    place or the trigger, for a sentence telling several events)."""
    key = f"{article_id}:{start}:{end}" + ("" if part_start is None else f":{part_start}")
    return "e:" + hashlib.sha1(key.encode()).hexdigest()[:16]


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
    """The country the article is about: the countries of the places it names as places, and
    the country its actors are from (``FOCUS_WEIGHT`` votes)."""
    used = [p for p in ctx.places if p.evidence is not None and place_role(p, ctx.doc, ctx.actors, ctx.lex) < 2]
    votes: dict[str, float] = {}
    for p in used or ctx.places:
        if p.country:
            votes[p.country] = votes.get(p.country, 0.0) + 1
    entry = ctx.actors.kb.get(ctx.actors.country) if ctx.actors.country else None
    if entry is not None:
        focus = next(
            (p.country for p in ctx.places if p.country and ctx.actors.kb.country_code(p.country) == entry.id), None
        )
        key = focus or entry.name
        votes[key] = votes.get(key, 0.0) + FOCUS_WEIGHT
    if not votes:
        return None
    country = max(votes, key=lambda c: votes[c])
    code = next((p.country_code for p in ctx.places if p.country == country), None)
    return Place(name=country, country=country, country_code=code, precision="country")


def _with_place(item: Found, merged: list[Found], default: Place | None) -> Event:
    if item.event.location is not None:
        return item.event
    before = [f for f in merged if f.paragraph == item.paragraph and f.event.location and f.own_place]
    before = [f for f in before if f.event.evidence.start < item.event.evidence.start]
    place = before[-1].event.location if before else default
    return replace(item.event, location=place) if place is not None else item.event
