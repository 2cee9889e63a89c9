"""The slots of an event found in one sentence: actors, place, date, tolls, tally, source.

Each is a small function over the trigger, its sentence and the other extractors' output:

- ``event_actors``: the agent (subject, "by" agent, possessor) and the target (object, "on X"),
  resolved with the article's actor registry; "its attacks" is the armed group in focus; "the two
  countries" the last two states named;
- ``event_place``: the place named in the sentence nearest the trigger (never the dateline: the
  places extractor leaves it out), preferring a town over a province over a country;
- ``event_date``: the date expression nearest the trigger in the sentence; "the reporting period"
  takes the last date range before it;
- ``event_fatalities``: the killed-counts of the sentence: best (their sum when they name
  different groups, "383 soldiers and 925 militants"), low, high and the breakdown by group;
- ``event_tally``: "over 600 attacks", "various clashes" over a period -> aggregate with count;
- ``reporting_source``: the speaker of the claim covering the trigger, or "according to X".
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import TYPE_CHECKING

from threatscape.extract.dates import date_for_span
from threatscape.extract.events.classify import _object_of, agent_token
from threatscape.extract.events.triggers import date_attachment
from threatscape.extract.quantities import casualty_counts
from threatscape.model import Count, DateSpan, Fatalities, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from threatscape.extract.actors.registry import ArticleActors
    from threatscape.extract.events.lexicon import EventLexicon
    from threatscape.extract.events.triggers import Trigger
    from threatscape.extract.quantities.lexicon import QuantityLexicon
    from threatscape.model import Claim, Quantity

__all__ = [
    "listed_places",
    "event_actors",
    "event_date",
    "event_fatalities",
    "event_place",
    "event_tally",
    "pair_actors",
    "reporting_source",
]

TALLY_MIN_DAYS = 7  # a plural trigger dated over a longer range is a tally over a period
SOURCE_STANCES = frozenset({"assert", "claim_responsibility", "accuse", "warn"})  # statements that report facts


def _actor_of(tok: Token | None, actors: ArticleActors, lex: EventLexicon) -> str | None:
    if tok is None:
        return None
    if tok.lower_ in lex.actor_pronouns:
        return actors.group_in_focus(tok.idx)
    left = min((c.idx for c in tok.children if c.dep_ in ("compound", "amod", "poss")), default=tok.idx)
    found = actors.actor_at(left, tok.idx + len(tok.text))
    if found is None:
        sub = list(tok.subtree)
        found = actors.actor_at(sub[0].idx, sub[-1].idx + len(sub[-1].text))
    return found


def _participant(tok: Token, lex: EventLexicon) -> Token | None:
    """ "X demanded ... at a rally": the subject of the verb a noun trigger is the setting of."""
    node = tok
    for _ in range(4):
        if node.head is node:
            return None
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            if node.lemma_ in lex.source_verbs:
                return None  # "..., the UN said": the source, not a participant
            return next((c for c in node.children if c.dep_ == "nsubj"), None)
    return None


def _protester(tok: Token, actors: ArticleActors) -> str | None:
    """Protesters are the party or group in the subject ("the opposition led by the PTI"), not
    the state whose name qualifies it."""
    sub = list(tok.subtree)
    start, end = sub[0].idx, sub[-1].idx + len(sub[-1].text)
    for m in actors.mentions:
        a = actors.get(m.actor)
        if start <= m.evidence.start < end and a is not None and a.type not in ("state", "government", "military"):
            return a.id
    return None


def pair_actors(sent: Span, actors: ArticleActors, lex: EventLexicon) -> tuple[str, str] | None:
    """ "the two countries": the last two states (or their governments) named before."""
    low = sent.text.lower()
    if not any(p in low for p in lex.pair_anaphors):
        return None
    seen: list[str] = []
    for m in reversed(actors.mentions):
        a = actors.get(m.actor)
        if m.evidence.start < sent.start_char and a is not None and a.type == "state" and a.id not in seen:
            seen.append(a.id)
        if len(seen) == 2:
            return seen[1], seen[0]
    return None


def event_actors(trig: Trigger, sent: Span, actors: ArticleActors, lex: EventLexicon) -> tuple[str | None, str | None]:
    pair = pair_actors(sent, actors, lex)
    if pair is not None:
        return pair
    agent_tok = agent_token(trig.token) or _participant(trig.token, lex)
    agent = _actor_of(agent_tok, actors, lex)
    partner = next((c for c in agent_tok.children if c.dep_ == "conj"), None) if agent_tok is not None else None
    if trig.cls in ("protest", "riot") and agent_tok is not None:
        agent = _protester(agent_tok, actors) or agent
    target = _actor_of(_object_of(trig.token), actors, lex) or _actor_of(
        partner, actors, lex
    )  # "X and Y exchanged fire"
    if agent is None and trig.kind == "noun":
        between = [c for c in trig.token.children if c.dep_ == "prep" and c.lower_ == "between"]
        objs = [g for b in between for g in b.subtree if g.dep_ in ("pobj", "conj")]
        ids = [i for i in (_actor_of(o, actors, lex) for o in objs) if i]
        if ids:
            return ids[0], ids[1] if len(ids) > 1 and ids[1] != ids[0] else target
    return agent, (target if target != agent else None)


def place_role(place: Place, doc: Doc, actors: ArticleActors, lex: EventLexicon) -> int:
    """0: a place used as one ("in Kabul"); 1: neutral; 2: a name used as an actor ("US strikes",
    "Israel withdrew"): not where something happened."""
    assert place.evidence is not None
    span = doc.char_span(place.evidence.start, place.evidence.end, alignment_mode="expand")
    if span is None or not len(span):
        return 1
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ in lex.locative_preps:
        return 0
    if root.dep_ in ("compound", "appos") and root.head.lemma_.lower() in lex.place_heads:
        return 0
    if actors.actor_at(place.evidence.start, place.evidence.end) is not None:
        return 2
    if root.dep_ in ("nsubj", "poss", "amod", "compound") and root.head.lemma_.lower() not in lex.place_heads:
        return 2  # "US strikes", "Israel's army"
    return 1


def _demonym_place(sent: Span, actors: ArticleActors, lex: EventLexicon) -> Place | None:
    """ "on a Ukrainian city", "hit Iranian military targets": the country the demonym names."""
    for tok in sent:
        heads = lex.place_heads | lex.target_heads
        if tok.dep_ not in ("amod", "compound") or not tok.text[:1].isupper() or tok.head.lemma_.lower() not in heads:
            continue
        entry = actors.kb.lookup(f"{tok.text} government")
        state = actors.kb.get(entry.country) if entry is not None and entry.country else None
        if state is not None:
            return Place(name=state.name, country=state.name, precision="country")
    return None


def listed_places(sent: Span, places: list[Place], actors: ArticleActors, lex: EventLexicon) -> list[Place]:
    """Towns the sentence lists as one coordination ("Niono, Molodo and Kayes"), in order."""
    points = [p for p in places if p.evidence and sent.start_char <= p.evidence.start < sent.end_char]
    points = [p for p in points if p.precision in ("point", "admin1") and place_role(p, sent.doc, actors, lex) < 2]
    roots: dict[int, Place] = {}
    for p in points:
        assert p.evidence is not None
        span = sent.doc.char_span(p.evidence.start, p.evidence.end, alignment_mode="expand")
        if span is not None and len(span):
            roots[span.root.i] = p
    linked = [
        p
        for i, p in roots.items()
        if any(t.i in roots for t in sent.doc[i].children if t.dep_ in ("conj", "appos"))
        or (sent.doc[i].dep_ in ("conj", "appos") and sent.doc[i].head.i in roots)
    ]
    names: list[Place] = []
    for p in linked:
        if p.name not in [q.name for q in names]:
            names.append(p)
    return names


def event_place(
    trig: Trigger, sent: Span, places: list[Place], actors: ArticleActors, lex: EventLexicon
) -> Place | None:
    """The place named in the sentence where the event happened: a place used as one, the most
    precise, the nearest the trigger."""
    inside = [p for p in places if p.evidence and sent.start_char <= p.evidence.start < sent.end_char]
    roles = {id(p): place_role(p, sent.doc, actors, lex) for p in inside}
    countries = Counter(p.country_code for p in inside if p.country_code)
    inside = [p for p in inside if roles[id(p)] < 2]
    if not inside:
        return _demonym_place(sent, actors, lex)

    main = countries.most_common(1)[0][0] if countries else None

    def key(p: Place) -> tuple[int, int, int, int]:
        assert p.evidence is not None
        odd = int(main is not None and countries[main] > 1 and p.country_code != main)
        return (odd, p.detail, roles[id(p)], abs(p.evidence.start - trig.start))

    return min(inside, key=key)


def event_date(trig: Trigger, sent: Span, dates: list[DateSpan], lex: EventLexicon) -> DateSpan | None:
    """The date attached to the trigger's clause, else one dating the report ("said on Sunday"),
    else "the reporting period" as the last range before; never a date of something else."""
    inside = [d for d in dates if d.start and d.evidence and sent.start_char <= d.evidence.start < sent.end_char]
    by_kind: dict[str | None, list[DateSpan]] = {"strong": [], "weak": [], None: []}
    for d in inside:
        assert d.evidence is not None
        span = sent.doc.char_span(d.evidence.start, d.evidence.end, alignment_mode="expand")
        kind = date_attachment(span.root, trig.token, lex) if span is not None and len(span) else None
        by_kind[kind].append(d)
    for kind in ("strong", "weak"):
        if by_kind[kind]:
            return date_for_span(by_kind[kind], sent.start_char, sent.end_char, focus=trig.start)
    low = sent.text.lower()
    if any(p in low for p in lex.period_nouns):
        ranges = [
            d for d in dates if d.evidence and d.evidence.end <= sent.start_char and d.precision == "range" and d.start
        ]
        return ranges[-1] if ranges else None
    return None


def _singular_victims(sent: Span, counted: set[int], lex: EventLexicon) -> list[tuple[str, int]]:
    """Victims of a killing named one at a time ("killing the headmaster", "a guard and two
    gunmen were killed"): one death each, unless a count already covers the word."""
    out: list[tuple[str, int]] = []
    for tok in sent:
        if tok.lemma_.lower() not in lex.kill_lemmas or tok.pos_ != "VERB" or _in_earlier_clause(tok, lex):
            continue
        for victim in (c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")):
            for v in (victim, *(c for c in victim.subtree if c.dep_ == "conj" and c.head.i == victim.i)):
                singular = v.tag_ in ("NN", "NNP") and not any(c.dep_ == "nummod" for c in v.children)
                if (
                    singular
                    and v.idx not in counted
                    and (v.pos_ == "PROPN" or v.lemma_.lower() not in lex.mass_victims)
                ):
                    out.append((v.lemma_.lower(), 1))
    return out


def event_fatalities(
    sent: Span, quantities: list[Quantity], lex: EventLexicon, quantity_lexicon: QuantityLexicon
) -> Fatalities:
    """Deaths the sentence reports: counts (summed when they name different groups), plus victims
    named one by one; 0 when it reports none (ACLED: no mention of deaths is 0)."""
    counts = [
        c
        for c in casualty_counts(quantities, lexicon=quantity_lexicon)
        if c.kind == "killed" and sent.start_char <= c.quantity.evidence.start < sent.end_char
    ]
    counted = {t.idx for c in counts for t in sent.doc.char_span(*_span_of(c.quantity), alignment_mode="expand") or []}
    counts = [
        c
        for c in counts
        if not _part_of_total(c.quantity, sent)
        and not _set_off_in_total(c.quantity, quantities, sent)
        and not _earlier_incident(c.quantity, sent, lex)
    ]
    lows = {id(c): _range_low(c.quantity, quantities, sent) for c in counts}
    groups = [(c.who, lows[id(c)] or int(c.value)) for c in counts] + _singular_victims(sent, counted, lex)
    if not groups:
        return Fatalities(best=0, low=0, high=0)
    values = [v for _, v in groups]
    breakdown = {who: v for who, v in groups if who and who not in lex.generic_victims}
    joined = len(groups) > 1 and len({who for who, _ in groups}) == len(groups)
    best = sum(values) if joined else values[0]
    keep = breakdown if joined or len(groups) == 1 else {}
    highs = [int(c.value) for c in counts if lows[id(c)]]
    return Fatalities(best=best, low=min(values), high=max([*values, *highs, best]), breakdown=keep)


RANGE_GAP = re.compile(r"\s*(?:to|or|-|\u2013|and)\s*", re.I)


def _range_low(q: Quantity, quantities: list[Quantity], sent: Span) -> int | None:
    """ "at least 45 to 50 people", "between 30 and 40 civilians": the lower figure of a range
    whose upper one is the toll (ACLED codes the lowest)."""
    text = sent.doc.text
    for other in quantities:
        ev = other.evidence
        if sent.start_char <= ev.start and ev.end <= q.evidence.start and other.value < q.value:
            gap = text[ev.end : q.evidence.start]
            if RANGE_GAP.fullmatch(gap) and (gap.strip().lower() != "and" or _between_before(text, ev.start)):
                return int(other.value)
    return None


def _between_before(text: str, start: int) -> bool:
    return text[max(0, start - 9) : start].strip().lower().endswith("between")


def _part_of_total(q: Quantity, sent: Span) -> bool:
    """ "Seven people, including two women": the two are among the seven, not more."""
    span = sent.doc.char_span(q.evidence.start, q.evidence.end, alignment_mode="expand")
    return span is not None and any(a.lower_ in ("including", "among") for a in span.root.ancestors)


SET_OFF = re.compile(r"[^\u2014\u2013(.;]{0,25}\s[\u2014\u2013(]\s?[^\u2014\u2013().;]{0,60}")


def _set_off_in_total(q: Quantity, quantities: list[Quantity], sent: Span) -> bool:
    """ "Eight villagers — three boys and a nurse among them — were buried": counts set off by
    dashes or a bracket right after a larger count are its parts, not more dead."""
    text = sent.doc.text
    return any(
        sent.start_char <= o.evidence.start
        and o.evidence.end <= q.evidence.start
        and o.value > q.value
        and SET_OFF.fullmatch(text[o.evidence.end : q.evidence.start])
        for o in quantities
    )


def _earlier_incident(q: Quantity, sent: Span, lex: EventLexicon) -> bool:
    """ "The blast came a day after two soldiers were killed in a raid", "followed clashes in which
    four people died": a count inside the clause of the incident this one came after."""
    span = sent.doc.char_span(q.evidence.start, q.evidence.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and _in_earlier_clause(span.root, lex)


def _in_earlier_clause(tok: Token, lex: EventLexicon) -> bool:
    for node in (tok, *tok.ancestors):
        head = node.head.lemma_.lower()
        marked = any(c.dep_ == "mark" and c.lower_ in ("after", "since") for c in node.children)
        if node.dep_ == "advcl" and marked and head in lex.sequence_verbs:
            return True
        if node.dep_ == "dobj" and head == "follow":
            return True
        after = any(c.dep_ == "prep" and c.lower_ in ("after", "since") for c in node.head.children)
        if head in lex.sequence_verbs and after and (node.dep_ == "conj" or node.lower_ in ("after", "since")):
            return True  # "came a day after a commander and two fighters were killed" (as the parser reads it)
    return False


def _span_of(q: Quantity) -> tuple[int, int]:
    return q.evidence.start, q.evidence.end + 40  # the count and the noun it counts


def event_tally(
    trig: Trigger, sent: Span, quantities: list[Quantity], lex: EventLexicon, date: DateSpan | None
) -> tuple[bool, Count | None]:
    """(aggregate, count): a plural trigger counted ("over 600 attacks") or marked as a tally
    ("various clashes") over a period longer than a day."""
    tok = trig.token
    if trig.kind == "verb" or tok.tag_ not in ("NNS", "NNPS"):
        return False, None
    for q in quantities:
        ev = q.evidence
        counted = q.what and tok.lower_ in q.what.split()
        if sent.start_char <= ev.start < sent.end_char and counted and q.value > 1:
            return True, Count(int(q.value), q.qualifier)
    if any(c.lower_ in lex.tally_words for c in tok.children) or _long_period(date):
        return True, None
    return False, None


def _long_period(date: DateSpan | None) -> bool:
    """A year, or a range of more than ``TALLY_MIN_DAYS`` ("the night between Friday and
    Saturday" dates one incident; "from July to December" a tally)."""
    if date is None or date.precision not in ("year", "range"):
        return False
    if date.precision == "year" or not (date.start and date.end):
        return True
    return (dt.date.fromisoformat(date.end) - dt.date.fromisoformat(date.start)).days > TALLY_MIN_DAYS


def reporting_source(trig: Trigger, sent: Span, claims: list[Claim], actors: ArticleActors) -> str | None:
    covering = [
        c
        for c in claims
        if c.speaker and c.stance in SOURCE_STANCES and c.evidence.start <= trig.start < c.evidence.end
    ]
    if covering:
        return min(covering, key=lambda c: c.evidence.end - c.evidence.start).speaker
    m = re.search(r"\baccording to\b", sent.text, flags=re.I)
    if m:
        start = sent.start_char + m.end()
        return actors.actor_at(start, min(sent.end_char, start + 60))
    return None
