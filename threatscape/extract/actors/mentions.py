"""Actor mentions: who an article names, resolved to stable actor ids, with roles.

``extract_actors(doc, article, kb)`` walks a parsed body (``doc.text == article.body``) as a
chain of small steps:

1. KB names (``ActorKB.match``): groups, parties, IGOs, persons, "Pakistani officials"; country
   names and capitals only when used as agents, not as places ("Kabul continues to support" is
   the Afghan government, "a blast in Kabul" is not); generic "security forces", "the government"
   name the institution of the country in focus (the most named country).
2. Persons from NER, longest names first, so short forms join the full one ("Khan" -> Imran Khan);
   titles and honorifics are split off into the mention's ``role``; roles also come from
   appositions ("Sohail Afridi, the chief minister of ...") and give ``affiliation``.
3. Organisations from NER the KB does not know, typed by keywords (``roles.yaml``).
4. Surnames of persons already seen, and "the group" / "the militants" for the armed group in focus.

``ArticleActors`` is the per-article registry the claim, event and relation extractors resolve
phrases against. Unknown actors get ids ``p:<slug>`` (persons) or ``o:<slug>``.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

from threatscape.extract.actors.lexicon import RoleLexicon
from threatscape.extract.actors.registry import EXTRACTOR, ArticleActors
from threatscape.extract.actors.roles import apposition_after, person_role, title_before
from threatscape.extract.nlp.doccache import doc_entities, doc_text, memo
from threatscape.resolve.actors import ActorKB, KBMatch

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from threatscape.model import Article

__all__ = ["EXTRACTOR", "ArticleActors", "extract_actors"]

MAX_NAME_TOKENS = 8


# ---- extraction -----------------------------------------------------------------------------
def extract_actors(doc: Doc, article: Article, kb: ActorKB, *, lexicon: RoleLexicon | None = None) -> ArticleActors:
    """Every actor the body names, with mentions (evidence spans into ``article.body``);
    ``lexicon`` defaults to the packaged one (the pipeline passes that of ``Resources``)."""
    if doc_text(doc) != article.body:
        raise ValueError("extract_actors needs the doc of article.body")
    matches = kb.match([t.text for t in doc], [bool(t.whitespace_) for t in doc])
    reg = ArticleActors(article.body, kb, _focus_country(kb, matches, article), lexicon=lexicon)
    taken = [False] * len(doc)
    _add_kb_mentions(doc, reg, matches, taken)
    _add_ner_persons(doc, reg, taken)
    _add_ner_orgs(doc, reg, taken)
    _add_surnames(doc, reg, taken)
    _add_group_anaphors(doc, reg)
    reg.mentions.sort(key=lambda m: (m.evidence.start, m.evidence.end))
    return reg


def _focus_country(kb: ActorKB, matches: list[KBMatch], article: Article) -> str | None:
    counts: Counter[str] = Counter()
    for m in matches:
        entry = kb.get(m.target) if m.target and m.kind != "generic" else None
        if entry is not None and entry.country and entry.type not in ("media", "igo", "other"):
            counts[entry.country] += 1
    if article.dateline:
        entry = kb.lookup(article.dateline)
        if entry is not None and entry.country:
            counts[entry.country] += 1
    return counts.most_common(1)[0][0] if counts else None


def _is_locative(doc: Doc, start: int, end: int, lex: RoleLexicon) -> bool:
    """A place name used as a place: object of a locative preposition ("from" only after a
    non-source head: "fled from Kabul", not "support from Kabul"), a compound modifier, a
    dateline ("KARACHI:")."""
    tok = doc[end - 1]
    if end < len(doc) and doc[end].text == ":" and tok.text.isupper():
        return True
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "compound" or (tok.dep_ == "appos" and tok.head.ent_type_ == "GPE"):
        return True
    return tok.dep_ == "pobj" and _locative_prep(tok.head, lex.locative_preps, lex)


def _locative_prep(prep: Token, preps: frozenset[str], lex: RoleLexicon) -> bool:
    if prep.lower_ == "from":
        return prep.head.lemma_.lower() not in lex.source_heads
    return prep.lower_ in preps


def _add_kb_mentions(doc: Doc, reg: ArticleActors, matches: list[KBMatch], taken: list[bool]) -> None:
    prev_end, prev = -1, None
    for m in matches:
        entry = reg.kb.get(m.target) if m.target and m.kind != "generic" else None
        place, prev = prev if prev is not None and prev.kind == "place" and prev.end == m.start else None, m
        if m.kind == "place":
            _take(taken, m.start, m.end)
            continue
        if m.kind == "generic" and place is not None:
            _add_regional(doc, reg, place, m)
            continue
        if m.kind == "generic":
            if m.start == prev_end or reg.country is None or _modified(doc, m.start, taken):
                continue  # "UN officials": the name before covers it; "hospital officials"
            actor_id: str | None = f"{reg.country}-{m.target}"
        else:
            actor_id = m.target
        placelike = m.kind == "capital" or (entry is not None and entry.type == "state")
        if placelike and _is_locative(doc, m.start, m.end, reg._lex):
            _take(taken, m.start, m.end)
            continue
        if actor_id is None or reg.kb.get(actor_id) is None:
            continue
        prev_end = m.end
        role = person_role(doc, reg, m.start, m.end, actor_id) if actor_id.startswith("p:") else None
        reg.add_mention(actor_id, doc[m.start].idx, _end_char(doc, m.end), role)
        _take(taken, m.start, m.end)


def _modified(doc: Doc, start: int, taken: list[bool]) -> bool:
    """A generic noun under a noun modifier ("hospital officials", "Quetta police") is not the
    national institution."""
    return start > 0 and doc[start - 1].pos_ in ("NOUN", "PROPN") and not taken[start - 1]


def _add_regional(doc: Doc, reg: ArticleActors, place: KBMatch, m: KBMatch) -> None:
    """A provincial government ("the Sindh government"), affiliated with the national one;
    provincial police or forces ("Punjab police") are the national ones, as ACLED codes them."""
    country = place.target or reg.country
    national = reg.kb.get(f"{country}-{m.target}") if country else None
    if national is None or national.type not in ("government", "military"):
        return
    if national.type == "military":
        reg.add_mention(national.id, doc[place.start].idx, _end_char(doc, m.end))
        return
    end = m.end - 1 if doc[m.end - 1].lower_ in reg._lex.official_nouns and m.end - m.start > 1 else m.end
    actor_id = reg.add_actor(doc[place.start : end].text, national.type, country)
    reg.add_mention(actor_id, doc[place.start].idx, _end_char(doc, m.end))
    reg.set_affiliation(actor_id, reg._register(national.id, None))


def _take(taken: list[bool], start: int, end: int) -> None:
    for i in range(start, end):
        taken[i] = True


def _end_char(doc: Doc, end: int) -> int:
    tok = doc[end - 1]
    return tok.idx + len(tok.text)


def _strip_honorifics(ent: Span, lex: RoleLexicon) -> tuple[int, int]:
    """The name inside a PERSON entity: a first name the recogniser left out joins ("Deputy
    Mayor Sara [Okafor]"), honorifics and titles go, "-led" and possessives go."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start > 0 and ent.start - start < 2 and _first_name_like(doc[start - 1], lex):
        before = doc[start - 2] if start > 1 else None
        if before is not None and before.is_title and not lex.is_title(before.text) and before.is_alpha:
            break  # "Minister of Foreign Affairs [Lena Park]": not a first name
        start -= 1
    while start < end - 1 and (doc[start].lower_.strip(".") in lex.honorifics or doc[start].text == "."):
        start += 1
    while end > start and doc[end - 1].text in ("’s", "'s", "’", "'", "-"):
        end -= 1
    for i in range(start + 1, end):  # "Omar Abdullah-led"
        if doc[i].text == "-" and doc[i + 1 : end].text.islower() if i + 1 < end else False:
            return start, i
    return start, end


def _first_name_like(tok: Token, lex: RoleLexicon) -> bool:
    low = tok.lower_.strip(".")
    return (
        tok.pos_ == "PROPN"
        and tok.is_alpha
        and tok.is_title
        and not tok.ent_type_
        and low not in lex.honorifics
        and not lex.is_title(low)
    )


def _usable(doc: Doc, start: int, end: int, taken: list[bool], lex: RoleLexicon) -> bool:
    """A name worth an actor: capitalised, no digits or quotes, not a place or facility
    ("Marriott Hotel"), not a place-like use ("in Quetta"), not a stop word ("Videos")."""
    if end <= start or end - start > MAX_NAME_TOKENS or any(taken[start:end]):
        return False
    text = doc[start:end].text
    if not text[:1].isupper() or len(text) < 2 or re.search(r"[\d\n\"“”/|@#]", text):
        return False
    words = text.lower().split()
    if words[-1] in lex.place_words or (len(words) == 1 and words[0] in lex.not_names):
        return False
    return not _is_placelike(doc, start, end, lex)


def _is_placelike(doc: Doc, start: int, end: int, lex: RoleLexicon) -> bool:
    tok = doc[end - 1]
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "pobj" and _locative_prep(tok.head, lex.name_locative_preps, lex):
        return True
    return doc[start:end].text in memo(doc, "mentions.place_names", _place_names)


def _place_names(doc: Doc) -> frozenset[str]:
    return frozenset(e.text for e in doc_entities(doc) if e.label_ in ("GPE", "LOC", "FAC"))


def _add_ner_persons(doc: Doc, reg: ArticleActors, taken: list[bool]) -> None:
    ents = [e for e in doc_entities(doc) if e.label_ == "PERSON" and not e.ent_id_]
    for ent in sorted(ents, key=lambda e: -(e.end - e.start)):
        start, end = _strip_honorifics(ent, reg._lex)
        if not _usable(doc, start, end, taken, reg._lex) or (doc[start:end].text.isupper() and end - start == 1):
            continue
        _add_person(doc, reg, start, end, taken)
        stripped = doc[ent.start : start]
        if len(stripped) and all(t.lower_ in reg._lex.name_honorifics for t in stripped):
            reg._register(reg.mentions[-1].actor, doc[ent.start : end].text)  # "Syed Zaman Shah"


def _add_person(doc: Doc, reg: ArticleActors, start: int, end: int, taken: list[bool]) -> None:
    actor_id = reg.add_actor(doc[start:end].text, "person")
    role = person_role(doc, reg, start, end, actor_id)
    reg.add_mention(actor_id, doc[start].idx, _end_char(doc, end), role)
    _take(taken, start, end)
    if role:
        _take_role(doc, taken, start, end)


def _take_role(doc: Doc, taken: list[bool], start: int, end: int) -> None:
    """Words of a title before a name are not organisations ("Information Minister")."""
    i = start
    while i > 0 and doc[i - 1].text[:1].isupper() and start - i < 4:
        i -= 1
    _take(taken, i, start)


def _org_type(text: str, lex: RoleLexicon) -> str:
    low = text.lower()
    for type_, words in lex.org_types:
        if any(p.search(low) for p in _word_patterns(words)):
            return type_
    return "other"


@lru_cache(maxsize=64)
def _word_patterns(words: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """``\bword\b`` for each word, compiled once per lexicon list."""
    return tuple(re.compile(rf"\b{re.escape(w)}\b") for w in words)


def _add_ner_orgs(doc: Doc, reg: ArticleActors, taken: list[bool]) -> None:
    for ent in doc_entities(doc):
        if ent.label_ not in ("ORG", "NORP") or ent.ent_id_:
            continue
        start, end = ent.start, ent.end
        while start < end and doc[start].lower_ == "the":
            start += 1
        while end > start and doc[end - 1].text in ("’s", "'s"):
            end -= 1
        if not _usable(doc, start, end, taken, reg._lex):
            continue
        text = doc[start:end].text
        entry = reg.kb.lookup(text, country=reg.country)
        known = entry.id if entry is not None else reg._known(text, person=True)
        if known is not None:
            reg.add_mention(known, doc[start].idx, _end_char(doc, end))
        elif ent.label_ == "ORG" and _org_worthy(doc, start, end, reg._lex):
            type_ = _org_type(text, reg._lex)
            if type_ == "other" and _person_like(doc, start, end, reg._lex):
                _add_person(doc, reg, start, end, taken)
                continue
            _add_org(doc, reg, start, end, type_, taken)
        _take(taken, start, end)


def _add_org(doc: Doc, reg: ArticleActors, start: int, end: int, type_: str, taken: list[bool]) -> None:
    """An organisation the KB does not know; state bodies ("Health Ministry") are affiliated
    with the government, military or police of the country in focus."""
    text = doc[start:end].text
    country = reg.country if type_ in ("government", "military") else None
    actor_id = reg.add_actor(text, type_, country)
    reg.add_mention(actor_id, doc[start].idx, _end_char(doc, end))
    _add_acronym(doc, reg, end, actor_id, taken)
    if country is not None:
        inst = "GOV" if type_ == "government" else "POL" if "police" in text.lower() else "MIL"
        if reg.kb.get(f"{country}-{inst}") is not None:
            reg.set_affiliation(actor_id, reg._register(f"{country}-{inst}", None))


def _person_like(doc: Doc, start: int, end: int, lex: RoleLexicon) -> bool:
    """An ORG entity that reads as a person: 2-4 capitalised words, titled or speaking."""
    span = doc[start:end]
    if not 2 <= len(span) <= 4 or not all(t.is_alpha and t.is_title for t in span):
        return False
    speaks = end < len(doc) and doc[end].lemma_ in lex.speaking_verbs
    return speaks or title_before(doc, start, lex) is not None or apposition_after(doc, end, lex) is not None


def _org_worthy(doc: Doc, start: int, end: int, lex: RoleLexicon) -> bool:
    """Multi-word names; single words only when not a title and named twice or defined."""
    if end - start > 1:
        return True
    text = doc[start].text
    if lex.is_title(text):
        return False
    defined = end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")"
    return defined or len(re.findall(rf"\b{re.escape(text)}\b", doc_text(doc))) > 1


def _add_acronym(doc: Doc, reg: ArticleActors, end: int, actor_id: str, taken: list[bool]) -> None:
    """ "Pakistan Meteorological Department (PMD)": the acronym names the same actor."""
    if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")" and doc[end + 1].text.isupper():
        tok = doc[end + 1]
        reg.add_mention(actor_id, tok.idx, tok.idx + len(tok.text))
        taken[tok.i] = True


def _add_surnames(doc: Doc, reg: ArticleActors, taken: list[bool]) -> None:
    """Later bare surnames of the article's persons ("Khan" after "Imran Khan")."""
    surnames: dict[str, str | None] = {}
    for a in reg.actors:
        if a.type == "person" and len(a.name.split()) > 1:
            last = a.name.split()[-1]
            surnames[last] = None if last in surnames and surnames[last] != a.id else a.id
    if not any(surnames.values()):
        return
    for tok in doc:
        actor_id = surnames.get(tok.text)
        if actor_id and not taken[tok.i] and tok.pos_ == "PROPN":
            reg.add_mention(actor_id, tok.idx, tok.idx + len(tok.text))
            taken[tok.i] = True


def _add_group_anaphors(doc: Doc, reg: ArticleActors) -> None:
    text = doc_text(doc)
    low = text.lower()
    for phrase, pattern in zip(reg._lex.group_anaphors, _word_patterns(reg._lex.group_anaphors), strict=True):
        if phrase not in low:
            continue  # a plain substring test first: most phrases are absent
        for m in pattern.finditer(low):
            group = reg.group_in_focus(m.start())
            if group is not None and reg.actor_at(m.start(), m.end()) is None:
                reg.add_mention(group, m.start(), m.end(), alias=False)
