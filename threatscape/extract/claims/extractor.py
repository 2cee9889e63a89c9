"""Claims: direct quotes and reported speech, each with a speaker, cue, stance, content and target.

The chain, in reading order over one article:

1. ``find_quotes`` marks every quotation (straight or curly; unbalanced marks are skipped, never
   raised); ``find_cues`` marks reporting verbs from ``data/cues.yaml`` and "according to".
2. Each quote is given the cue that introduces it (``quote_cue``): the cue whose clause contains
   it ("dismissed Khan as “narcissistic”"), a cue right after it ('," it said') or right before
   it ('said: "'). A quote in the same paragraph as an attributed one shares its speaker; a
   paragraph holding only quotes and no cue, right after an attributed quote, keeps that speaker.
   Quotes with no speaker (editorial framing, scare quotes) give no claim.
3. Every other cue with a reported clause gives an indirect claim ("Afghan officials deny
   involvement"). Cues inside a quote count when a named or nominal subject utters them, so nested
   attribution ("the report said … one Member State noting that …") keeps both claims.
4. Speakers are resolved by ``SpeakerResolver`` (see ``claims.speaker``), stance and target by
   ``claims.cues``.

``Claim.evidence`` covers the sentence(s) with the cue and the quote; ``content`` is the quoted
words (partial quotes of one sentence joined with " … ") or the reported clause.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from threatscape.extract.claims.cues import (
    Cue,
    content_tokens,
    find_cues,
    is_cue_verb,
    quote_cue,
    stance_of,
    target_tokens,
)
from threatscape.extract.claims.frames import trim_tokens
from threatscape.extract.claims.lexicon import CueLexicon, load_cues
from threatscape.extract.claims.quotes import Quote, find_quotes, paragraph_spans
from threatscape.extract.claims.speaker import ActorRegistry, Speaker, SpeakerResolver, phrase_span, subject_token
from threatscape.extract.nlp.doccache import sentence_of, sentences
from threatscape.model import Article, Claim, Evidence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["EXTRACTOR", "extract_claims"]

EXTRACTOR = "claims"  # versioned by threatscape.versions
PARTIAL_JOIN = " … "


@dataclass
class _Item:
    """One claim to build: a cue with its quotes (direct) or without (reported)."""

    pos: int
    cue: Cue | None
    quotes: list[Quote] = field(default_factory=list)
    inherit: Speaker | None = None


@dataclass
class _Context:
    doc: Doc
    article: Article
    actors: ActorRegistry
    resolver: SpeakerResolver
    sentences: list[tuple[int, int]]
    last_target: tuple[int, str | None] = (-1, None)  # (sentence start token, actor)
    quoted: list[int] = field(default_factory=list)  # starts of quotes given to some cue


def extract_claims(
    doc: Doc, article: Article, actors: ActorRegistry, *, lexicon: CueLexicon | None = None
) -> list[Claim]:
    """Every attributed statement in ``article`` (``doc`` is its parsed body), in reading order;
    ``lexicon`` defaults to the packaged one (the pipeline passes that of ``Resources``)."""
    lex = lexicon or load_cues()
    body = article.body
    quotes = find_quotes(body)
    cues = find_cues(doc, quotes, lex)
    ctx = _Context(doc, article, actors, SpeakerResolver(doc, actors, lex), _sentence_spans(doc))
    direct = _direct_items(body, quotes, cues)
    used = {it.cue.token.i for it in direct if it.cue is not None}
    ctx.quoted = sorted(q.start for it in direct for q in it.quotes)
    items = direct + [_Item(c.start, c) for c in cues if c.token.i not in used]
    items.sort(key=lambda it: it.pos)
    claims: list[Claim] = []
    by_paragraph: dict[int, Speaker] = {}
    paragraphs = paragraph_spans(body)
    resolved: dict[int, list[Speaker]] = {}
    for item in items:
        if item.cue is None and item.inherit is None:
            item.inherit = by_paragraph.get(item.quotes[0].paragraph - 1)
        for claim, speaker in _build(item, ctx, resolved):
            claims.append(claim)
            if item.quotes:
                by_paragraph[item.quotes[-1].paragraph] = speaker
                by_paragraph[_paragraph_of(item.quotes[-1].end - 1, paragraphs)] = speaker
    return claims


def _paragraph_of(pos: int, paragraphs: list[tuple[int, int]]) -> int:
    for i, (start, end) in enumerate(paragraphs):
        if start <= pos < end:
            return i
    return -1


def _direct_items(body: str, quotes: list[Quote], cues: list[Cue]) -> list[_Item]:
    """Quotes grouped by the cue that introduces them (cue None: only a paragraph of quotes)."""
    items: dict[tuple[int, int], _Item] = {}
    orphans: list[Quote] = []
    last_by_para: dict[int, Cue] = {}
    for q in quotes:
        cue = quote_cue(q, cues, quotes, body)
        if cue is None:
            cue = last_by_para.get(q.paragraph)
        if cue is None:
            orphans.append(q)
            continue
        last_by_para[q.paragraph] = cue
        key = (cue.token.i, q.start if not _same_sentence(q, cue) else -1)
        items.setdefault(key, _Item(min(cue.start, q.start), cue)).quotes.append(q)
    for q in orphans:
        if _only_quotes(q, quotes, body):
            items[(-1, q.start)] = _Item(q.start, None, [q])
    return list(items.values())


def _same_sentence(q: Quote, cue: Cue) -> bool:
    sent = sentence_of(cue.token)
    return bool(sent.start_char <= q.start < sent.end_char)


def _only_quotes(q: Quote, quotes: list[Quote], body: str) -> bool:
    """True when the quote's paragraph holds nothing but quotations (and punctuation)."""
    start, end = paragraph_spans(body)[q.paragraph]
    rest = list(body[start:end])
    for o in quotes:
        if o.start < end and o.end > start:
            for i in range(max(o.start, start), min(o.end, end)):
                rest[i - start] = " "
    return not any(ch.isalnum() for ch in rest)


def _build(item: _Item, ctx: _Context, resolved: dict[int, list[Speaker]]) -> list[tuple[Claim, Speaker]]:
    """One claim per speaker ("Kabul and New Delhi deny …" gives two)."""
    cue = item.cue
    if item.quotes:
        content = PARTIAL_JOIN.join(ctx.article.body[q.inner_start : q.inner_end].strip(" \n,") for q in item.quotes)
        spans = [(q.start, q.end) for q in item.quotes]
    else:
        assert cue is not None
        toks = cue.frame.content if cue.frame is not None else content_tokens(cue.token, ctx.resolver.lexicon)
        toks = _before_other_quotes(toks, ctx.quoted)
        if not toks:
            return []
        content = ctx.doc[toks[0].i : toks[-1].i + 1].text
        spans = [(toks[0].idx, toks[-1].idx + len(toks[-1]))]
    speakers = ([item.inherit] if item.inherit else []) if cue is None else _speakers(cue, ctx, resolved)
    if not speakers or not content.strip():
        return []
    if cue is not None:
        spans.append((cue.start, cue.start + len(cue.token)))
    start, end = _evidence_bounds(spans, ctx)
    evidence = Evidence(start, end, ctx.article.body[start:end], EXTRACTOR)
    stance = stance_of(cue.token if cue else None, content, ctx.resolver.lexicon, bool(item.quotes))
    content_toks = _content_tokens(item, ctx, spans) if stance == "assert" else []
    out = []
    for n, speaker in enumerate(speakers):
        accused = _accused(content_toks, ctx, speaker) if stance == "assert" else None
        claim = Claim(
            id=_claim_id(ctx.article.id, start, end, cue.start if cue else item.pos, n),
            speaker=speaker.actor,
            speaker_text=speaker.text,
            cue=_cue_text(cue),
            stance="accuse" if accused is not None else stance,
            content=content.strip(),
            direct=bool(item.quotes),
            evidence=evidence,
            target=accused or _target(cue, item, stance, speaker, ctx),
        )
        out.append((claim, speaker))
    return out


UNNAMED = ""  # an accusation whose target the content does not name
OBSERVERS = frozenset({"media", "igo"})  # speakers whose account of violence is reporting, not accusing
BYSTANDERS = frozenset({"civilians"})  # unnamed speakers whose side is known: the people who saw it
ARMED = frozenset({"military", "armed_group", "government"})  # whom bystanders' accounts accuse
_STATE_ACTOR = re.compile(r"^([A-Z]{3})(?:-(?:GOV|MIL|POL))?$")


def _content_tokens(item: _Item, ctx: _Context, spans: list[tuple[int, int]]) -> list[Token]:
    """The tokens of the claim's content: its quotes' words, or the reported clause."""
    if item.quotes:
        quoted = [t for q in item.quotes for t in _tokens_in(ctx, q.inner_start, q.inner_end)]
        if item.cue is not None and item.cue.frame is None and quoted:
            clause = content_tokens(item.cue.token, ctx.resolver.lexicon)  # a partial quote: its clause
            if clause and clause[0].idx <= quoted[0].idx <= clause[-1].idx:
                return clause
        return quoted
    return _tokens_in(ctx, *spans[0])


def _tokens_in(ctx: _Context, start: int, end: int) -> list[Token]:
    """The tokens that start inside ``body[start:end]``."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    return [t for t in span if start <= t.idx < end] if span is not None else []


def _side(actor: str | None, ctx: _Context) -> str | None:
    """Whose side an actor speaks for: a state's institutions are that state ("PAK-POL" -> "PAK"),
    a person or a body the KB does not know the one they belong to; None for a person of no known
    affiliation; ``o:`` for an unaffiliated generic one ("witnesses")."""
    if actor is None:
        return None
    found = next((a for a in ctx.actors.actors if a.id == actor), None)
    if found is not None and found.affiliation and found.affiliation != actor:
        return _side(found.affiliation, ctx)  # "Quetta Police" -> Pakistan's police -> Pakistan
    if actor.startswith("p:"):
        return None
    m = _STATE_ACTOR.match(actor)
    return m.group(1) if m else actor


def _accused(toks: list[Token], ctx: _Context, speaker: Speaker) -> str | None:
    """The named doer of a violent act the content reports ("police shot the protesters", "was
    detained by the police", "attacks carried out by the group") when it is on another side than
    the speaker: reporting it is an accusation (``violent_acts``). None for a speaker of unknown
    side (a person named with no affiliation: an officer may be telling of his own unit's raid)
    and for those who relay what happened rather than take a side (outlets, international
    bodies). Unnamed bystanders (``o:`` actors: witnesses, residents, a relative) accuse only
    forces and armed groups ("police fired on the marchers"), not a crowd ("demonstrators
    breached the barriers")."""
    own = _side(speaker.actor, ctx)
    if own is None or not toks or ctx.resolver.actor_type(own) in OBSERVERS:
        return None
    bystander = own.startswith("o:")  # "witnesses", "a relative": they accuse only those who bear arms
    if bystander and ctx.resolver.actor_type(own) not in BYSTANDERS:
        return None  # a body the KB does not know ("the SNAI"): whose side it speaks for is unknown
    lex = ctx.resolver.lexicon
    words = ctx.doc[toks[0].i : toks[-1].i + 1].text.lower()
    if not bystander and any(w in words for w in lex.backing_words):  # "the attackers were backed by sponsors"
        return _backer(toks, ctx, own) or UNNAMED
    inside = {t.i for t in toks}
    for t in toks:
        lemma = t.lemma_.lower()
        if t.pos_ != "VERB" or lemma not in lex.violent_acts or any(c.dep_ == "neg" for c in t.children):
            continue
        if not bystander and _attack_on_civilians(t, lex):
            return UNNAMED  # "the strikes targeted refugees": whoever made them is accused
        if lemma == "carry" and not any(c.lower_ == "out" for c in t.children):
            continue  # "carried supplies"
        doers = [c for c in t.children if c.dep_ == "nsubj"]
        doers += [g for c in t.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        for d in doers:
            if d.pos_ == "PRON" or d.i not in inside:
                continue
            span = phrase_span(d)
            left = ctx.doc[d.left_edge.i : d.i + 1]  # "Pakistan's Quetta Police": the state's police
            actor = ctx.actors.actor_at(d.idx, d.idx + len(d)) or ctx.actors.actor_at(span.start_char, span.end_char)
            actor = actor or ctx.actors.actor_at(left.start_char, left.end_char)
            side = _side(actor, ctx)
            if actor is None or side is None or side.startswith("o:") or side == own:
                continue
            if not bystander or ctx.resolver.actor_type(actor) in ARMED or ctx.resolver.actor_type(side) in ARMED:
                return actor
    return None


def _attack_on_civilians(verb: Token, lex: CueLexicon) -> bool:
    """ "the airstrikes targeted refugees", "the shelling killed villagers": an attack as the
    subject of a violent act on civilians."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.dep_ in ("acl", "relcl"):
        subjects.append(verb.head)  # "claimed the strikes targeted X", read as object and relative
    subjects = [c for c in subjects if c.lemma_.lower() in lex.attack_nouns]
    objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd") and c.lemma_.lower() in lex.civilian_nouns]
    return bool(subjects and objects)


def _backer(toks: list[Token], ctx: _Context, own: str) -> str | None:
    """The named actor in a backing phrase's content other than the speaker's side, if any."""
    lo, hi = toks[0].idx, toks[-1].idx + len(toks[-1])
    for m in ctx.actors.mentions:
        side = _side(m.actor, ctx)
        if lo <= m.evidence.start < hi and side is not None and not side.startswith("o:") and side != own:
            return m.actor
    return None


def _before_other_quotes(toks: list[Token], quoted: list[int]) -> list[Token]:
    """Reported words stop where a quote attributed on its own begins (the parser may run on)."""
    if not toks:
        return toks
    cut = next((q for q in quoted if q > toks[0].idx), None)
    if cut is None:
        return toks
    return trim_tokens([t for t in toks if t.idx < cut])


def _cue_text(cue: Cue | None) -> str | None:
    if cue is None:
        return None
    return "according to" if cue.according else str(cue.token.text)


def _speakers(cue: Cue, ctx: _Context, resolved: dict[int, list[Speaker]]) -> list[Speaker]:
    key = cue.token.i
    if key not in resolved:
        lex = ctx.resolver.lexicon
        if cue.frame is not None:
            speaker = ctx.resolver.resolve(cue.frame.speaker_head, cue.frame.speaker_span)
            if cue.according:  # a noun cue's speaker is not what a later "he" refers to
                ctx.resolver.remember(speaker, cue.start)
            resolved[key] = [speaker] if speaker is not None else []
            return resolved[key]
        head = subject_token(cue.token, lambda t: is_cue_verb(t, lex))
        speakers = ctx.resolver.resolve_all(head, exclude=cue.token) if head is not None else []
        for speaker in speakers:
            ctx.resolver.remember(speaker, cue.start)
        resolved[key] = speakers
    return resolved[key]


def _target(cue: Cue | None, item: _Item, stance: str, speaker: Speaker, ctx: _Context) -> str | None:
    if cue is not None and cue.frame is None:
        for tok in target_tokens(cue.token, stance):
            actor = _token_actor(tok, ctx, speaker.actor)
            if actor is not None:
                ctx.last_target = (sentence_of(tok).start, actor)
                return actor
    if item.quotes and stance not in ("assert", "claim_responsibility"):
        for m in sorted(ctx.actors.mentions, key=lambda m: m.evidence.start):
            inside = any(q.inner_start <= m.evidence.start < q.inner_end for q in item.quotes)
            if inside and m.actor != speaker.actor:
                return m.actor
    return None


def _token_actor(tok: Token, ctx: _Context, speaker: str | None) -> str | None:
    """The actor a target word names: a mention, else the phrase; a pronoun -> the target named
    earlier in the sentence ("blamed X on Afghanistan, accusing it of ..."), else the last mention."""
    if tok.pos_ == "PRON":
        sent_start, actor = ctx.last_target
        if sent_start == sentence_of(tok).start and actor != speaker:
            return actor
        for m in sorted(ctx.actors.mentions, key=lambda m: m.evidence.start, reverse=True):
            if m.evidence.end <= tok.idx and m.actor != speaker:
                return m.actor
        return None
    span = phrase_span(tok)
    actor = ctx.actors.actor_at(tok.idx, tok.idx + len(tok))
    actor = actor or ctx.actors.actor_at(span.start_char, span.end_char)
    if actor is None and tok.pos_ == "PROPN":
        actor = ctx.actors.resolve_phrase(span.text, span.start_char)
    return actor if actor != speaker else None


def _sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    return [(s.start_char, s.end_char) for s in sentences(doc)]


def _evidence_bounds(spans: list[tuple[int, int]], ctx: _Context) -> tuple[int, int]:
    """The sentences covering every span, trimmed of surrounding whitespace."""
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    for s, e in ctx.sentences:
        if s <= lo < e:
            lo = s
        if s < hi <= e:
            hi = e
    body = ctx.article.body
    while hi > lo and body[hi - 1].isspace():
        hi -= 1
    while lo < hi and body[lo].isspace():
        lo += 1
    return lo, hi


def _claim_id(article_id: str, start: int, end: int, cue_pos: int, speaker_no: int = 0) -> str:
    key = f"{article_id}:{start}:{end}:{cue_pos}" + (f":{speaker_no}" if speaker_no else "")
    digest = hashlib.sha1(key.encode()).hexdigest()
    return "c:" + digest[:16]
