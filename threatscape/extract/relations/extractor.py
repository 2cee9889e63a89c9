"""Relations between actors: who supports, funds, shelters, leads, attacks or accuses whom.

``extract_relations(doc, article, actors, claims, dates)`` is a chain of small readers over one
parsed article; the words they react to are data (``data/relations.yaml``, documented there):

1. Claims: an accusation, denial, demand or criticism is a relation from the speaker to the
   claim's target; what an accusation alleges ("of sheltering ...") is kept as its qualifiers;
   "A and B accused each other" goes both ways; "a charge that Kabul rejects" is a denial.
2. Verbs over the dependency parse: "Iran funds the Houthis", "the convoy was attacked by gunmen",
   "accusing Kabul of sheltering militant groups" (no subject: the accused does it); negated,
   purpose and intended acts ("vowed to attack") give none. "Iran-backed rebels", "UN-funded".
3. Relation nouns: "X gets financial and logistical support from Kabul", "the Taliban provide TTP
   with financial support", "the family of X received a monthly payment" (giver from context),
   "collaboration between A, B and C", "believe the two to be allies", "X, a faction of Y".
4. Roles from mentions: "TTP chief Noor Wali Mehsud" leads TTP; other roles give member_of.

A relation found inside a claim's evidence is attributed to the claim's speaker. Every relation
carries the sentence (or claim) it was read from as evidence and the date governing that span.
Contested marking is corpus-wide: ``threatscape.resolve.contested.mark_contested``.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import TYPE_CHECKING

from threatscape.extract.dates import date_for_span
from threatscape.extract.nlp.doccache import doc_text, sentences
from threatscape.extract.relations.context import (
    Found,
    RelationContext,
    actors_of,
    agent_of,
    emit,
    party_of,
    passive,
    patient_of,
    speaker_at,
)
from threatscape.extract.relations.lexicon import RelationLexicon, load_relation_lexicon, topics_in
from threatscape.extract.relations.syntax import child, governor, pobj, qualifiers, subject
from threatscape.model import Article, Claim, DateSpan, Evidence, Relation

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from threatscape.extract.actors.registry import ArticleActors

__all__ = ["EXTRACTOR", "extract_relations"]

EXTRACTOR = "relations"  # versioned by threatscape.versions
GIVER_SENTENCES = 1  # a payment with no named payer takes the giver of a relation this close
ORG_TYPES = frozenset({"armed_group", "government", "state", "military", "political_party", "igo"})
ROLE_WINDOW = 80  # characters between a role and the name it is written next to


# ---- entry point ----------------------------------------------------------------------------
def extract_relations(
    doc: Doc,
    article: Article,
    actors: ArticleActors,
    claims: list[Claim],
    dates: list[DateSpan],
    *,
    lexicon: RelationLexicon | None = None,
) -> list[Relation]:
    """Every relation between two actors in ``article`` (``doc`` is its parsed body); ``lexicon``
    defaults to the packaged one (the pipeline passes that of ``Resources``)."""
    if doc_text(doc) != article.body:
        raise ValueError("extract_relations needs the doc of article.body")
    ctx = RelationContext(doc, article, actors, list(claims), lexicon or load_relation_lexicon())
    _claim_relations(ctx)
    for tok in doc:
        _token_relations(tok, ctx)
    _role_relations(ctx)
    return _finish(ctx, dates)


def _token_relations(tok: Token, ctx: RelationContext) -> None:
    lemma = tok.lemma_.lower()
    if tok.lower_ in ctx.lex.hyphen_participles and tok.i >= 2 and tok.nbor(-1).text == "-":
        _hyphen_relation(tok, ctx.lex.hyphen_participles[tok.lower_], ctx)
    elif lemma in ctx.lex.denial_verbs and tok.dep_ == "relcl" and tok.head.lower_ in ctx.lex.generic_objects:
        _answer_relation(tok, ctx)
    elif tok.pos_ in ("VERB", "AUX") and (
        lemma in ctx.lex.verbs or any((lemma, c.lower_) in ctx.lex.prep_verbs for c in tok.children)
    ):
        _verb_relation(tok, lemma, ctx)
    elif tok.pos_ in ("NOUN", "PROPN"):
        if lemma in ctx.lex.symmetric:
            _symmetric_relation(tok, ctx.lex.symmetric[lemma], ctx)
        if lemma in ctx.lex.nouns and lemma not in ctx.lex.symmetric:
            _noun_relation(tok, ctx.lex.nouns[lemma], ctx)
        if lemma in ctx.lex.part_nouns or lemma in ctx.lex.reverse_part_nouns:
            _part_relation(tok, lemma in ctx.lex.reverse_part_nouns, ctx)


# ---- claims ---------------------------------------------------------------------------------
def _claim_relations(ctx: RelationContext) -> None:
    body = ctx.article.body
    for claim in ctx.claims:
        predicate = ctx.lex.stance_predicates.get(claim.stance)
        if predicate is None or claim.speaker is None:
            continue
        if claim.target is None and claim.content.lower().startswith(ctx.lex.reciprocal_content):
            _reciprocal_claim(claim, predicate, ctx)
            continue
        obj = claim.target or _claim_object(claim, predicate, ctx)
        if obj is None or obj == claim.speaker:
            continue
        ev = claim.evidence
        quals = topics_in(claim.content, ctx.lex) if predicate in ("accuses", "denies") else ()
        focus = max(ev.start, body.find(claim.content, ev.start, ev.end))
        ctx.found.append(Found(claim.speaker, predicate, obj, ev.start, ev.end, focus, quals, claim.speaker))


def _reciprocal_claim(claim: Claim, predicate: str, ctx: RelationContext) -> None:
    """ "Russia and Ukraine's diplomats accused each other": every party named by the speaker
    phrase does it to every other."""
    ev, text = claim.evidence, claim.speaker_text or ""
    start = ctx.article.body.find(text, ev.start, ev.end) if text else -1
    named = [m.actor for m in ctx.actors.mentions if 0 <= start <= m.evidence.start < start + len(text)]
    fellows = [c.speaker for c in ctx.claims if c.evidence == ev and c.content == claim.content and c.speaker]
    parties = list(dict.fromkeys([*named, *fellows]))  # conjoined speakers are separate claims
    for a in parties:
        for b in parties:
            if a != b:
                ctx.found.append(Found(a, predicate, b, ev.start, ev.end, max(start, ev.start), (), a))


def _claim_object(claim: Claim, predicate: str, ctx: RelationContext) -> str | None:
    assert claim.speaker is not None
    """A denial without a target answers the last accusation against the speaker; otherwise
    the first other actor named in the content."""
    ev = claim.evidence
    if predicate == "denies":
        party = party_of(claim.speaker, ctx)
        accusers = [
            f.subject
            for f in ctx.found
            if f.predicate == "accuses" and party_of(f.object, ctx) & party and f.start <= ev.start
        ]
        if accusers:
            return accusers[-1]
    start = ctx.article.body.find(claim.content, ev.start, ev.end)
    lo, hi = (start, start + len(claim.content)) if start >= 0 else (ev.start, ev.end)
    for m in ctx.actors.mentions:
        if lo <= m.evidence.start and m.evidence.end <= hi and m.actor != claim.speaker:
            return m.actor
    return None


def _hyphen_relation(tok: Token, predicate: str, ctx: RelationContext) -> None:
    """ "Iran-backed Houthi rebels": Iran supports the Houthis; "PTI-led alliance": PTI leads it."""
    before = tok.nbor(-2)
    if not (before.whitespace_ == "" and tok.nbor(-1).whitespace_ == ""):
        return
    giver = ctx.actors.actor_at(before.idx, before.idx + len(before.text))
    head = tok.head
    while head.pos_ not in ("NOUN", "PROPN") and head.head is not head and head.i > tok.i:
        head = head.head
    if head.i <= tok.i:
        return
    after = tok.i + 1
    taker = ctx.actors.actor_at(ctx.doc[after].idx, head.idx + len(head.text)) if after <= head.i else None
    taker = taker or _group_noun(head, giver, ctx)
    if giver and taker:
        ctx.add(giver, predicate, taker, tok)


def _group_noun(tok: Token, giver: str | None, ctx: RelationContext) -> str | None:
    """ "rebels", "militants": the armed group in focus (not the giver), when the phrase names
    no actor."""
    found = ctx.actors.resolve_phrase(f"the {tok.text}", tok.idx)
    if tok.lemma_.lower() not in ctx.lex.fighter_nouns or found not in (None, giver):
        return found if found != giver else None
    for m in sorted(ctx.actors.mentions, key=lambda m: (m.evidence.start > tok.idx, -m.evidence.start)):
        actor = ctx.actors.get(m.actor)
        if m.actor != giver and actor is not None and actor.type == "armed_group":
            return m.actor  # the last group named before, else the first after
    return None


def _answer_relation(verb: Token, ctx: RelationContext) -> None:
    """ "Pakistan blames ... militants based in Afghanistan, a charge that Kabul rejects" (or "a
    claim denied by Kabul"): the denier answers the speaker of the accusation."""
    accusations = [
        c for c in ctx.claims if c.stance == "accuse" and c.speaker and c.evidence.start <= verb.idx < c.evidence.end
    ]
    deniers = agent_of(verb, ctx) if passive(verb) else actors_of(subject(verb), ctx)
    if not accusations:
        return
    quals = topics_in(accusations[0].content, ctx.lex)
    for denier in deniers:
        ctx.add(denier, "denies", accusations[0].speaker, verb, qualifiers=quals, attributed_to=denier)


# ---- verbs and nouns ------------------------------------------------------------------------
def _verb_relation(verb: Token, lemma: str, ctx: RelationContext) -> None:
    preps = [c.lower_ for c in verb.children if (lemma, c.lower_) in ctx.lex.prep_verbs]
    prep = preps[0] if preps else None
    predicate = ctx.lex.prep_verbs[(lemma, prep)] if prep else ctx.lex.verbs[lemma]
    if _unreal(verb, predicate):
        return
    emit(ctx, agent_of(verb, ctx), predicate, patient_of(verb, prep, ctx), verb, qualifiers(verb, ctx.lex))


def _unreal(verb: Token, predicate: str) -> bool:
    """A negated verb ("should not blame"), a purpose clause ("resources to fight them"), or an
    attack only intended ("vowed to attack", "plans to strike")."""
    if child(verb, ("neg",)) is not None:
        return True
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    return infinitive and (predicate == "attacks" or verb.dep_ in ("acl", "advcl", "relcl"))


def _noun_relation(noun: Token, predicate: str, ctx: RelationContext) -> None:
    quals = qualifiers(noun, ctx.lex)
    done_by = child(noun, ("acl",))  # "attacks carried out by X", "support provided by X"
    givers = actors_of(child(noun, ("poss",)) or pobj(noun, ("from", "by")), ctx)
    givers = givers or (actors_of(pobj(done_by, ("by",)), ctx) if done_by is not None else [])
    takers = actors_of(pobj(noun, ("for", "to", "on", "against")), ctx)
    verb, via_with = governor(noun)
    lemma = verb.lemma_.lower() if verb is not None else ""
    if verb is not None and lemma in ctx.lex.provide_verbs:
        givers = givers or agent_of(verb, ctx)
        recipient = child(verb, ("dobj",)) if via_with else pobj(verb, ("to", "for", "on", "against"))
        takers = takers or actors_of(recipient or child(verb, ("dative",)), ctx)
    elif verb is not None and lemma in ctx.lex.receive_verbs:
        takers = takers or actors_of(subject(verb), ctx)
        givers = givers or actors_of(pobj(verb, ("from",)), ctx) or _recent_giver(noun, ctx)
    emit(ctx, givers, predicate, takers, noun, quals)


def _recent_giver(tok: Token, ctx: RelationContext) -> list[str]:
    """The giver of the last support-like relation within ``GIVER_SENTENCES`` before ``tok``."""
    sents = sentences(ctx.doc)
    idx = next((i for i, s in enumerate(sents) if s.start <= tok.i < s.end), 0)
    floor = sents[max(0, idx - GIVER_SENTENCES)].start_char
    for f in reversed(ctx.found):
        if f.predicate in ("supports", "funds", "shelters") and floor <= f.focus < tok.idx:
            return [f.subject]
    return []


def _symmetric_relation(noun: Token, predicate: str, ctx: RelationContext) -> None:
    """Parties of a set: "collaboration between A, B and C", "the two to be allies",
    "A's alliance with B", "A is an ally of B"."""
    parties = actors_of(pobj(noun, ("between", "among", "amongst")), ctx)
    if len(parties) < 2:
        subj = _set_owner(noun)
        if subj is not None and subj.lower_ in ctx.lex.pair_anaphors:
            parties = _last_two(subj, ctx)
        else:
            parties = actors_of(subj, ctx) + actors_of(pobj(noun, ("with", "of")), ctx)
    for i, a in enumerate(parties):
        for b in parties[i + 1 :]:
            ctx.add(a, predicate, b, noun)


def _set_owner(noun: Token) -> Token | None:
    """Who a set noun is said of: "A is an ally of B", "A, an ally of B", "A's alliance with B",
    "A was hit during a clash with B"."""
    if noun.dep_ == "appos":
        return noun.head
    if noun.dep_ == "attr":
        return subject(noun.head)
    owner = child(noun, ("poss",))
    if owner is None and noun.dep_ == "pobj" and noun.head.head.pos_ in ("VERB", "AUX"):
        verb = noun.head.head
        return child(verb, ("nsubjpass",)) or subject(verb)
    return owner


def _last_two(tok: Token, ctx: RelationContext) -> list[str]:
    """ "The two": the last two organisations named since the previous sentence, except whoever
    the sentence attributes the belief to."""
    sents = sentences(ctx.doc)
    idx = next((i for i, s in enumerate(sents) if s.start <= tok.i < s.end), 0)
    floor = sents[max(0, idx - 1)].start_char
    speaker = speaker_at(tok.idx, ctx)
    out: list[str] = []
    for m in reversed(ctx.actors.mentions):
        actor = ctx.actors.get(m.actor)
        near = floor <= m.evidence.start and m.evidence.end <= tok.idx
        if near and actor is not None and actor.type in ORG_TYPES and m.actor not in (speaker, *out):
            out.append(m.actor)
    return out[:2] if len(out) >= 2 else []


def _part_relation(noun: Token, reverse: bool, ctx: RelationContext) -> None:
    """ "X, a faction of Y" / "X is a wing of Y" / "X, described as a faction of Y"."""
    whole = actors_of(pobj(noun, ("of",)), ctx)
    if noun.dep_ == "appos":
        part = actors_of(noun.head, ctx)
    elif noun.dep_ == "attr":
        part = actors_of(subject(noun.head), ctx)
    elif noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.head.head.lemma_.lower() in ctx.lex.naming_verbs:
        verb = noun.head.head
        part = actors_of(child(verb, ("dobj", "nsubjpass")) or (verb.head if verb.dep_ == "acl" else None), ctx)
    else:
        return
    if reverse:
        emit(ctx, whole, "supports", part, noun, ())
    else:
        emit(ctx, part, "member_of", whole, noun, ())


# ---- roles ----------------------------------------------------------------------------------
def _role_relations(ctx: RelationContext) -> None:
    """ "TTP chief Noor Wali Mehsud" leads TTP; "BLA spokesman X" is a member of the BLA."""
    for m in ctx.actors.mentions:
        person = ctx.actors.get(m.actor)
        if not m.role or person is None or person.type != "person" or not person.affiliation:
            continue
        org = ctx.actors.get(person.affiliation)
        if org is None:
            continue
        if _leader_role(m.role, org.name, org.aliases, ctx.lex):
            predicate = "leads"
        elif org.type in ctx.lex.member_types:
            predicate = "member_of"
        else:
            continue
        start, end = _role_span(m.role, m.evidence.start, m.evidence.end, ctx.article.body)
        ctx.found.append(Found(person.id, predicate, org.id, start, end, m.evidence.start))


def _role_span(role: str, start: int, end: int, body: str) -> tuple[int, int]:
    """The name with its role when the role is written next to it ("TTP chief Noor Wali")."""
    before = body.rfind(role, max(0, start - ROLE_WINDOW), start)
    if before >= 0:
        return before, end
    after = body.find(role, end, end + ROLE_WINDOW)
    return (start, after + len(role)) if after >= 0 else (start, end)


def _leader_role(role: str, name: str, aliases: tuple[str, ...], lex: RelationLexicon) -> bool:
    words = [w.strip("’',.()[]") for w in role.lower().replace("’s", "").replace("'s", "").split()]
    if not words or words[-1] not in lex.leader_nouns:
        return False
    names = {w for n in (name, *aliases) for w in n.lower().split()}
    return all(w in names or w in lex.leader_modifiers or w in ("the", "its", "their") for w in words[:-1])


# ---- finishing ------------------------------------------------------------------------------
def _finish(ctx: RelationContext, dates: list[DateSpan]) -> list[Relation]:
    """One relation per (subject, predicate, object, source), qualifiers merged, in order."""
    body, out = ctx.article.body, dict[tuple[str, str, str, str | None], Relation]()
    for f in ctx.found:
        if _vague(f.subject, ctx) or _vague(f.object, ctx):
            continue
        source = f.attributed_to or speaker_at(f.focus, ctx)
        source = None if source is not None and _vague(source, ctx) else source
        key = (f.subject, f.predicate, f.object, source)
        if key in out:
            old = out[key]
            merged = old.qualifiers + tuple(q for q in f.qualifiers if q not in old.qualifiers)
            out[key] = replace(old, qualifiers=merged)
            continue
        start, end = _trim(body, f.start, f.end)
        digest = hashlib.sha1(f"{ctx.article.id}:{start}:{'|'.join(map(str, key))}".encode()).hexdigest()
        out[key] = Relation(
            id="r:" + digest[:16],
            subject=f.subject,
            predicate=f.predicate,
            object=f.object,
            evidence=Evidence(start, end, body[start:end], EXTRACTOR),
            qualifiers=f.qualifiers,
            attributed_to=source,
            date=date_for_span(dates, start, end, focus=f.focus),
        )
    return sorted(out.values(), key=lambda r: (r.evidence.start, r.predicate))


def _vague(actor_id: str, ctx: RelationContext) -> bool:
    """An unknown actor named by a common noun phrase ("the statement", "Initial intelligence")
    relates nobody; known organisations of type ``other`` (NGOs) do."""
    actor = ctx.actors.get(actor_id)
    if actor is None or actor.type != "other" or not actor_id.startswith("o:"):
        return False
    return not any(c.isupper() for c in actor.name[1:])  # a common noun phrase, not a name


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while end > start and body[end - 1].isspace():
        end -= 1
    while start < end and body[start].isspace():
        start += 1
    return start, end
