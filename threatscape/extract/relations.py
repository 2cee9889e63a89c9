"""Relations between actors: who supports, funds, shelters, leads, attacks or accuses whom.

``extract_relations(doc, article, actors, claims, dates)`` is a chain of small readers over one
parsed article; the words they react to are data (``data/relations.yaml``, documented there):

1. Claims: an accusation, denial, demand or criticism is a relation from the speaker to the
   claim's target; what an accusation alleges ("of sheltering ...") is kept as its qualifiers.
2. Verbs over the dependency parse: "Iran funds the Houthis", "the convoy was attacked by gunmen",
   "accusing Kabul of sheltering militant groups" (no subject: the accused does it).
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
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from threatscape.errors import ConfigError
from threatscape.extract.dates import date_for_span
from threatscape.model import Article, Claim, DateSpan, Evidence, Relation

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from threatscape.extract.actor_registry import ArticleActors

__all__ = ["EXTRACTOR", "RelationLexicon", "extract_relations", "load_relation_lexicon", "topics_in"]

EXTRACTOR = "relations/0.1"
GIVER_SENTENCES = 1  # a payment with no named payer takes the giver of a relation this close
ORG_TYPES = frozenset({"armed_group", "government", "state", "military", "political_party", "igo"})
RELATIVE_PRONOUNS = frozenset({"which", "who", "that", "whom"})
PAIR_ANAPHORS = frozenset({"two", "both"})
SUBJECT_DEPS = ("nsubj", "csubj")
RELATIVE_CLAUSE = re.compile(r" (?:that|which|who|whom) ")


# ---- lexicon --------------------------------------------------------------------------------
@dataclass(frozen=True)
class RelationLexicon:
    """Lookup tables for relation extraction (see ``threatscape/data/relations.yaml``)."""

    verbs: dict[str, str]
    prep_verbs: dict[tuple[str, str], str]
    nouns: dict[str, str]
    symmetric: dict[str, str]
    provide_verbs: frozenset[str]
    receive_verbs: frozenset[str]
    part_nouns: frozenset[str]
    reverse_part_nouns: frozenset[str]
    leader_nouns: frozenset[str]
    leader_modifiers: frozenset[str]
    member_types: frozenset[str]
    qualifiers: frozenset[str]
    qualifier_predicates: dict[str, str]
    stance_predicates: dict[str, str]
    topics: dict[str, tuple[str, tuple[str, ...]]]  # qualifier -> (predicate, words)
    generic_objects: frozenset[str]
    window_days: int


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data.get(key) or ())


@lru_cache(maxsize=1)
def load_relation_lexicon() -> RelationLexicon:
    """The relation lexicon, read from the package data on first use."""
    try:
        text = resources.files("threatscape.data").joinpath("relations.yaml").read_text("utf-8")
        data = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"threatscape/data/relations.yaml: {exc}") from exc
    verbs: dict[str, str] = {}
    prep_verbs: dict[tuple[str, str], str] = {}
    for key, pred in (data.get("verbs") or {}).items():
        verb, _, prep = str(key).partition(" ")
        if prep:
            prep_verbs[(verb, prep)] = str(pred)
        else:
            verbs[verb] = str(pred)
    topics = {
        str(q): (str(t["predicate"]), tuple(str(w).lower() for w in t.get("words") or ()))
        for q, t in (data.get("content_topics") or {}).items()
    }
    contested = data.get("contested") or {}
    return RelationLexicon(
        verbs=verbs,
        prep_verbs=prep_verbs,
        nouns={str(k): str(v) for k, v in (data.get("nouns") or {}).items()},
        symmetric={str(k): str(v) for k, v in (data.get("symmetric") or {}).items()},
        provide_verbs=_words(data, "provide_verbs"),
        receive_verbs=_words(data, "receive_verbs"),
        part_nouns=_words(data, "part_nouns"),
        reverse_part_nouns=_words(data, "reverse_part_nouns"),
        leader_nouns=_words(data, "leader_nouns"),
        leader_modifiers=_words(data, "leader_modifiers"),
        member_types=_words(data, "member_types"),
        qualifiers=_words(data, "qualifiers"),
        qualifier_predicates={str(k): str(v) for k, v in (data.get("qualifier_predicates") or {}).items()},
        stance_predicates={str(k): str(v) for k, v in (data.get("stance_predicates") or {}).items()},
        topics=topics,
        generic_objects=_words(contested, "generic_objects"),
        window_days=int(contested.get("window_days", 180)),
    )


def topics_in(text: str, lex: RelationLexicon) -> tuple[str, ...]:
    """The allegation topics ("sheltering", "funding") whose words occur in ``text``, read up to
    a relative clause that follows one ("sheltering groups [that launch attacks]")."""
    padded = " " + " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split()) + " "
    found: list[str] = []
    for clause in RELATIVE_CLAUSE.split(padded):
        found += [
            q for q, (_, words) in lex.topics.items() if q not in found and any(f" {w} " in clause + " " for w in words)
        ]
        if found:
            break
    return tuple(found)


# ---- working state --------------------------------------------------------------------------
@dataclass
class _Found:
    subject: str
    predicate: str
    object: str
    start: int
    end: int
    focus: int
    qualifiers: tuple[str, ...] = ()
    attributed_to: str | None = None


@dataclass
class _Ctx:
    doc: Doc
    article: Article
    actors: ArticleActors
    claims: list[Claim]
    lex: RelationLexicon
    found: list[_Found] = field(default_factory=list)

    def add(self, subject: str | None, predicate: str, obj: str | None, tok: Token, **kw: Any) -> None:
        if subject and obj and subject != obj:
            sent = tok.sent
            self.found.append(_Found(subject, predicate, obj, sent.start_char, sent.end_char, tok.idx, **kw))


# ---- entry point ----------------------------------------------------------------------------
def extract_relations(
    doc: Doc, article: Article, actors: ArticleActors, claims: list[Claim], dates: list[DateSpan]
) -> list[Relation]:
    """Every relation between two actors in ``article`` (``doc`` is its parsed body)."""
    if doc.text != article.body:
        raise ValueError("extract_relations needs the doc of article.body")
    ctx = _Ctx(doc, article, actors, list(claims), load_relation_lexicon())
    _claim_relations(ctx)
    for tok in doc:
        _token_relations(tok, ctx)
    _role_relations(ctx)
    return _finish(ctx, dates)


def _token_relations(tok: Token, ctx: _Ctx) -> None:
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX") and (
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
def _claim_relations(ctx: _Ctx) -> None:
    body = ctx.article.body
    for claim in ctx.claims:
        predicate = ctx.lex.stance_predicates.get(claim.stance)
        if predicate is None or claim.speaker is None:
            continue
        obj = claim.target or _claim_object(claim, predicate, ctx)
        if obj is None or obj == claim.speaker:
            continue
        ev = claim.evidence
        quals = topics_in(claim.content, ctx.lex) if predicate in ("accuses", "denies") else ()
        focus = max(ev.start, body.find(claim.content, ev.start, ev.end))
        ctx.found.append(_Found(claim.speaker, predicate, obj, ev.start, ev.end, focus, quals, claim.speaker))


def _claim_object(claim: Claim, predicate: str, ctx: _Ctx) -> str | None:
    assert claim.speaker is not None
    """A denial without a target answers the last accusation against the speaker; otherwise
    the first other actor named in the content."""
    ev = claim.evidence
    if predicate == "denies":
        party = _party(claim.speaker, ctx)
        accusers = [
            f.subject
            for f in ctx.found
            if f.predicate == "accuses" and _party(f.object, ctx) & party and f.start <= ev.start
        ]
        if accusers:
            return accusers[-1]
    start = ctx.article.body.find(claim.content, ev.start, ev.end)
    lo, hi = (start, start + len(claim.content)) if start >= 0 else (ev.start, ev.end)
    for m in ctx.actors.mentions:
        if lo <= m.evidence.start and m.evidence.end <= hi and m.actor != claim.speaker:
            return m.actor
    return None


def _party(actor_id: str, ctx: _Ctx) -> set[str]:
    """An actor and, for a state or its government, the country: "Afghanistan" is accused,
    "Afghan officials" deny."""
    actor = ctx.actors.get(actor_id)
    if actor is not None and actor.type in ("state", "government") and actor.country:
        return {actor_id, f"state:{actor.country}"}
    return {actor_id}


def _accused_at(pos: int, ctx: _Ctx) -> str | None:
    """The target of an accusation whose content holds ``pos`` ("accusing it of sheltering")."""
    for claim in ctx.claims:
        if claim.stance != "accuse" or claim.target is None:
            continue
        ev = claim.evidence
        start = ctx.article.body.find(claim.content, ev.start, ev.end)
        if 0 <= start <= pos < start + len(claim.content):
            return claim.target
    return None


# ---- actors of parse tokens -----------------------------------------------------------------
def _actor(tok: Token, ctx: _Ctx) -> str | None:
    """The actor a noun (phrase head) names: a mention over it, the phrase, or its "of" part."""
    if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
        tok = tok.head.head
    hit = ctx.actors.actor_at(tok.idx, tok.idx + len(tok.text))
    if hit is not None:
        return hit
    if tok.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    left = tok.left_edge if tok.left_edge.i <= tok.i else tok
    hit = ctx.actors.actor_at(left.idx, tok.idx + len(tok.text)) if left.i < tok.i else None
    if hit is None and tok.pos_ != "PRON":
        hit = ctx.actors.resolve_phrase(ctx.doc[left.i : tok.i + 1].text, tok.idx)
    if hit is None:
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                objs = [c for c in prep.children if c.dep_ == "pobj"]
                return _actor(objs[0], ctx) if objs else None
    return hit


def _actors(tok: Token | None, ctx: _Ctx) -> list[str]:
    """The actors of a noun and its conjuncts ("TTP, the Afghan Taliban and AQIS")."""
    if tok is None:
        return []
    out: list[str] = []
    for t in (tok, *tok.conjuncts):
        actor = _actor(t, ctx)
        if actor is not None and actor not in out:
            out.append(actor)
    return out


def _child(tok: Token, deps: tuple[str, ...], words: tuple[str, ...] = ()) -> Token | None:
    for c in tok.children:
        if c.dep_ in deps and (not words or c.lower_ in words):
            return c
    return None


def _pobj(tok: Token, preps: tuple[str, ...]) -> Token | None:
    prep = _child(tok, ("prep", "dative", "agent"), preps)
    return _child(prep, ("pobj",)) if prep is not None else None


def _subject(verb: Token) -> Token | None:
    """The subject of a verb, through control and coordination ("continued to provide")."""
    tok = verb
    for _ in range(6):
        subj = _child(tok, SUBJECT_DEPS)
        if subj is not None:
            return subj
        if tok.dep_ not in ("xcomp", "conj", "advcl") or tok.head is tok:
            return None
        tok = tok.head
    return None


def _agent(verb: Token, ctx: _Ctx) -> list[str]:
    """Who does what the verb says: its subject, a passive's "by" phrase, or the accused."""
    if _child(verb, ("nsubjpass",)) is not None:
        return _actors(_pobj(verb, ("by",)), ctx)
    subject = _subject(verb)
    if subject is None:
        accused = _accused_at(verb.idx, ctx)
        return [accused] if accused else []
    return _actors(subject, ctx)


def _patient(verb: Token, prep: str | None, ctx: _Ctx) -> list[str]:
    if _child(verb, ("nsubjpass",)) is not None:
        return _actors(_child(verb, ("nsubjpass",)), ctx)
    for v in (verb, *verb.conjuncts):
        obj = _pobj(v, (prep,)) if prep else _child(v, ("dobj",))
        if obj is not None:
            return _actors(obj, ctx)
    return []


def _qualifiers(tok: Token, lex: RelationLexicon) -> tuple[str, ...]:
    out: list[str] = []
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "advmod", "nmod"):
            for t in (c, *c.conjuncts):
                word = t.lower_[:-2] if t.pos_ == "ADV" and t.lower_.endswith("ly") else t.lower_
                if word in lex.qualifiers and word not in out:
                    out.append(word)
    return tuple(out)


def _emit(ctx: _Ctx, givers: list[str], predicate: str, takers: list[str], tok: Token, quals: tuple[str, ...]) -> None:
    extra = {ctx.lex.qualifier_predicates[q] for q in quals if q in ctx.lex.qualifier_predicates}
    for giver in givers:
        for taker in takers:
            for pred in (predicate, *sorted(extra - {predicate})):
                ctx.add(giver, pred, taker, tok, qualifiers=quals)


# ---- verbs and nouns ------------------------------------------------------------------------
def _verb_relation(verb: Token, lemma: str, ctx: _Ctx) -> None:
    preps = [c.lower_ for c in verb.children if (lemma, c.lower_) in ctx.lex.prep_verbs]
    prep = preps[0] if preps else None
    predicate = ctx.lex.prep_verbs[(lemma, prep)] if prep else ctx.lex.verbs[lemma]
    _emit(ctx, _agent(verb, ctx), predicate, _patient(verb, prep, ctx), verb, _qualifiers(verb, ctx.lex))


def _governor(noun: Token) -> tuple[Token | None, bool]:
    """The verb a relation noun is the object of, and whether it came through "with"."""
    tok = noun
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ in ("dobj", "nsubjpass"):
        return tok.head, False
    if tok.dep_ == "pobj" and tok.head.lower_ == "with" and tok.head.head.pos_ in ("VERB", "AUX"):
        return tok.head.head, True
    return None, False


def _noun_relation(noun: Token, predicate: str, ctx: _Ctx) -> None:
    quals = _qualifiers(noun, ctx.lex)
    givers = _actors(_child(noun, ("poss",)) or _pobj(noun, ("from", "by")), ctx)
    takers = _actors(_pobj(noun, ("for", "to", "on", "against")), ctx)
    verb, via_with = _governor(noun)
    lemma = verb.lemma_.lower() if verb is not None else ""
    if verb is not None and lemma in ctx.lex.provide_verbs:
        givers = givers or _agent(verb, ctx)
        recipient = _child(verb, ("dobj",)) if via_with else _pobj(verb, ("to", "for", "on", "against"))
        takers = takers or _actors(recipient or _child(verb, ("dative",)), ctx)
    elif verb is not None and lemma in ctx.lex.receive_verbs:
        takers = takers or _actors(_subject(verb), ctx)
        givers = givers or _actors(_pobj(verb, ("from",)), ctx) or _recent_giver(noun, ctx)
    _emit(ctx, givers, predicate, takers, noun, quals)


def _recent_giver(tok: Token, ctx: _Ctx) -> list[str]:
    """The giver of the last support-like relation within ``GIVER_SENTENCES`` before ``tok``."""
    sents = list(ctx.doc.sents)
    idx = next((i for i, s in enumerate(sents) if s.start <= tok.i < s.end), 0)
    floor = sents[max(0, idx - GIVER_SENTENCES)].start_char
    for f in reversed(ctx.found):
        if f.predicate in ("supports", "funds", "shelters") and floor <= f.focus < tok.idx:
            return [f.subject]
    return []


def _symmetric_relation(noun: Token, predicate: str, ctx: _Ctx) -> None:
    """Parties of a set: "collaboration between A, B and C", "the two to be allies",
    "A's alliance with B", "A is an ally of B"."""
    parties = _actors(_pobj(noun, ("between", "among", "amongst")), ctx)
    if len(parties) < 2:
        head = noun.head if noun.dep_ == "attr" else None
        subj = _subject(head) if head is not None else _child(noun, ("poss",))
        if noun.dep_ == "appos":
            subj = noun.head
        if subj is not None and subj.lower_ in PAIR_ANAPHORS:
            parties = _last_two(subj, ctx)
        else:
            parties = _actors(subj, ctx) + _actors(_pobj(noun, ("with", "of")), ctx)
    for i, a in enumerate(parties):
        for b in parties[i + 1 :]:
            ctx.add(a, predicate, b, noun)


def _last_two(tok: Token, ctx: _Ctx) -> list[str]:
    """ "The two": the last two organisations named since the previous sentence, except whoever
    the sentence attributes the belief to."""
    sents = list(ctx.doc.sents)
    idx = next((i for i, s in enumerate(sents) if s.start <= tok.i < s.end), 0)
    floor = sents[max(0, idx - 1)].start_char
    speaker = _speaker_at(tok.idx, ctx)
    out: list[str] = []
    for m in reversed(ctx.actors.mentions):
        actor = ctx.actors.get(m.actor)
        near = floor <= m.evidence.start and m.evidence.end <= tok.idx
        if near and actor is not None and actor.type in ORG_TYPES and m.actor not in (speaker, *out):
            out.append(m.actor)
    return out[:2] if len(out) >= 2 else []


def _part_relation(noun: Token, reverse: bool, ctx: _Ctx) -> None:
    """ "X, a faction of Y" / "X is a wing of Y" / "X, described as a faction of Y"."""
    whole = _actors(_pobj(noun, ("of",)), ctx)
    if noun.dep_ == "appos":
        part = _actors(noun.head, ctx)
    elif noun.dep_ == "attr":
        part = _actors(_subject(noun.head), ctx)
    elif noun.dep_ == "pobj" and noun.head.lower_ == "as":
        verb = noun.head.head
        part = _actors(_child(verb, ("dobj", "nsubjpass")) or (verb.head if verb.dep_ == "acl" else None), ctx)
    else:
        return
    if reverse:
        _emit(ctx, whole, "supports", part, noun, ())
    else:
        _emit(ctx, part, "member_of", whole, noun, ())


# ---- roles ----------------------------------------------------------------------------------
def _role_relations(ctx: _Ctx) -> None:
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
        tok = ctx.doc.char_span(m.evidence.start, m.evidence.end, alignment_mode="expand")
        if tok is not None:
            ctx.add(person.id, predicate, org.id, tok.root)


def _leader_role(role: str, name: str, aliases: tuple[str, ...], lex: RelationLexicon) -> bool:
    words = [w.strip("’'s,.()[]") for w in role.lower().replace("’s", "").replace("'s", "").split()]
    if not words or words[-1] not in lex.leader_nouns:
        return False
    names = {w for n in (name, *aliases) for w in n.lower().split()}
    return all(w in names or w in lex.leader_modifiers or w in ("the", "its", "their") for w in words[:-1])


# ---- finishing ------------------------------------------------------------------------------
def _speaker_at(pos: int, ctx: _Ctx) -> str | None:
    """The speaker of the claim whose content holds ``pos`` (the narrowest), else of the claim
    whose evidence holds it and whose content starts nearest before it."""
    body, best, best_key = ctx.article.body, None, (2, 0)
    for c in ctx.claims:
        ev = c.evidence
        if not c.speaker or not ev.start <= pos < ev.end:
            continue
        start = body.find(c.content, ev.start, ev.end)
        inside = 0 <= start <= pos < start + len(c.content)
        key = (0, len(c.content)) if inside else (1, pos - start if 0 <= start <= pos else len(body))
        if best is None or key < best_key:
            best, best_key = c.speaker, key
    return best


def _finish(ctx: _Ctx, dates: list[DateSpan]) -> list[Relation]:
    """One relation per (subject, predicate, object, source), qualifiers merged, in order."""
    body, out = ctx.article.body, dict[tuple[str, str, str, str | None], Relation]()
    for f in ctx.found:
        source = f.attributed_to or _speaker_at(f.focus, ctx)
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


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while end > start and body[end - 1].isspace():
        end -= 1
    while start < end and body[start].isspace():
        start += 1
    return start, end
