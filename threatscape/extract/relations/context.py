"""The working state of relation extraction and the readers that turn parse tokens into actors.

``RelationContext`` holds one article's parse, actors, claims and the relations found so far;
``actors_of`` / ``agent_of`` / ``patient_of`` read who a noun names and who does what a verb
says; ``speaker_at`` and ``accused_at`` read attribution from the article's claims.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from threatscape.extract.nlp.doccache import sentence_of
from threatscape.extract.relations.lexicon import RelationLexicon
from threatscape.extract.relations.syntax import child, pobj, subject
from threatscape.model import Article, Claim

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from threatscape.extract.actors.registry import ArticleActors

__all__ = [
    "Found",
    "RelationContext",
    "accused_at",
    "actors_of",
    "agent_of",
    "emit",
    "party_of",
    "passive",
    "patient_of",
    "speaker_at",
]


@dataclass
class Found:
    subject: str
    predicate: str
    object: str
    start: int
    end: int
    focus: int
    qualifiers: tuple[str, ...] = ()
    attributed_to: str | None = None


@dataclass
class RelationContext:
    doc: Doc
    article: Article
    actors: ArticleActors
    claims: list[Claim]
    lex: RelationLexicon
    found: list[Found] = field(default_factory=list)

    def add(self, subject: str | None, predicate: str, obj: str | None, tok: Token, **kw: Any) -> None:
        if subject and obj and subject != obj:
            sent = sentence_of(tok)
            self.found.append(Found(subject, predicate, obj, sent.start_char, sent.end_char, tok.idx, **kw))


def party_of(actor_id: str, ctx: RelationContext) -> set[str]:
    """An actor and, for a state or its government, the country: "Afghanistan" is accused,
    "Afghan officials" deny."""
    actor = ctx.actors.get(actor_id)
    if actor is not None and actor.type in ("state", "government") and actor.country:
        return {actor_id, f"state:{actor.country}"}
    return {actor_id}


def accused_at(pos: int, ctx: RelationContext) -> str | None:
    """The target of an accusation whose content holds ``pos`` ("accusing it of sheltering")."""
    for claim in ctx.claims:
        if claim.stance != "accuse" or claim.target is None:
            continue
        ev = claim.evidence
        start = ctx.article.body.find(claim.content, ev.start, ev.end)
        if 0 <= start <= pos < start + len(claim.content):
            return claim.target
    return None


def actor_of(tok: Token, ctx: RelationContext) -> str | None:
    """The actor a noun (phrase head) names: a mention over it, over the phrase ("TTP fighters"),
    the phrase resolved ("the group"), or its "of"/"from" part ("troops from Rwanda")."""
    if tok.lower_ in ctx.lex.relative_pronouns and tok.head.dep_ == "relcl":
        tok = tok.head.head
    hit = ctx.actors.actor_at(tok.idx, tok.idx + len(tok.text))
    origin = pobj(tok, ("from",))
    if hit is not None and origin is not None and tok.text.islower():
        return actor_of(origin, ctx) or hit  # "troops from Rwanda": not the troops in focus
    if hit is not None:
        return hit
    if tok.pos_ == "PROPN":  # a name no mention covers: a KB name, or no actor ("Government Girls School")
        name = ctx.doc[tok.left_edge.i : tok.i + 1].text if tok.left_edge.i <= tok.i else tok.text
        entry = ctx.actors.kb.lookup(name) or ctx.actors.kb.lookup(tok.text)
        return ctx.actors.add_actor(entry.name, entry.type, entry.country) if entry is not None else None
    if tok.pos_ not in ("NOUN", "PRON") or tok.lemma_.lower() in ctx.lex.place_nouns:
        return None  # a school or market is no actor
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in ctx.lex.bearer_nouns:  # "TTP fighters", "the group"
        left = tok.left_edge if tok.left_edge.i <= tok.i else tok
        hit = ctx.actors.actor_at(left.idx, tok.idx + len(tok.text)) if left.i < tok.i else None
        hit = hit or ctx.actors.resolve_phrase(ctx.doc[left.i : tok.i + 1].text, tok.idx)
    if hit is None:
        part = pobj(tok, ("of", "from"))  # "the family of X", "troops from X"
        return actor_of(part, ctx) if part is not None else None
    return hit


def actors_of(tok: Token | None, ctx: RelationContext) -> list[str]:
    """The actors of a noun and its conjuncts ("TTP, the Afghan Taliban and AQIS")."""
    if tok is None:
        return []
    out: list[str] = []
    for t in (tok, *tok.conjuncts):
        actor = actor_of(t, ctx)
        if actor is not None and actor not in out:
            out.append(actor)
    return out


def passive(verb: Token) -> bool:
    """A passive clause ("was attacked by") or participle ("militants trained by Iran")."""
    return child(verb, ("nsubjpass",)) is not None or (verb.dep_ == "acl" and verb.tag_ == "VBN")


def agent_of(verb: Token, ctx: RelationContext) -> list[str]:
    """Who does what the verb says: its subject, a passive's "by" phrase, or the accused."""
    if passive(verb):
        by, origin = pobj(verb, ("by",)), pobj(verb, ("from",))
        if by is not None and origin is not None and by.text.islower():
            return actors_of(origin, ctx) or actors_of(by, ctx)  # "backed by troops from Rwanda"
        return actors_of(by, ctx)
    subj = subject(verb)
    if subj is None:
        accused = accused_at(verb.idx, ctx)
        return [accused] if accused else []
    return actors_of(subj, ctx)


def patient_of(verb: Token, prep: str | None, ctx: RelationContext) -> list[str]:
    if passive(verb):
        return actors_of(child(verb, ("nsubjpass",)) or verb.head, ctx)
    for v in (verb, *verb.conjuncts):
        obj = pobj(v, (prep,)) if prep else child(v, ("dobj",))
        if obj is not None and obj.lower_ in ctx.lex.reciprocals:
            return agent_of(verb, ctx)  # "A and B accused each other": both ways
        if obj is not None:
            return actors_of(obj, ctx)
    return []


def emit(
    ctx: RelationContext, givers: list[str], predicate: str, takers: list[str], tok: Token, quals: tuple[str, ...]
) -> None:
    extra = {ctx.lex.qualifier_predicates[q] for q in quals if q in ctx.lex.qualifier_predicates}
    for giver in givers:
        for taker in takers:
            for pred in (predicate, *sorted(extra - {predicate})):
                ctx.add(giver, pred, taker, tok, qualifiers=quals)


def speaker_at(pos: int, ctx: RelationContext) -> str | None:
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
