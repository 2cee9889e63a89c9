"""A trigger in its clause -> the ACLED event class (type, sub-type) and PLOVER type.

Rules over the parse, in order (each a small function):

- explosions, attacks and killings take the E/RV sub-type of the weapon named in the sentence
  (suicide > air/drone > shelling/missile > IED > grenade); a drone or missile that was shot down
  or intercepted is *Disrupted weapons use*;
- attacks and killings without such a weapon: *Armed clash* when the target could fight back
  (soldiers, police, posts, militants: ``armed_targets`` or an armed actor), *Attack* on civilians;
- captures: of a place by state forces -> *Government regains territory*; of persons -> arrests
  (state) or abduction; of weapons -> *Disrupted weapons use*;
- protests: police firing on them -> *Excessive force*; dispersal, tear gas, arrests ->
  *Protest with intervention*; protesters burning or ransacking -> *Violent demonstration*;
- agreements need a signing/reaching verb; a truce that broke down is a change of activity;
- an operation against an armed side (militants, their camps, a named armed group) is an
  *Armed clash*; against anything else (drug labs, crops) no event.
Returns None when the trigger, in context, is no event ("strike" by workers is a protest; an
"agreement" nobody reached is policy talk).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from threatscape.extract.events.triggers import Trigger, governing_verb
from threatscape.extract.nlp.doccache import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from threatscape.extract.actors.registry import ArticleActors
    from threatscape.extract.events.lexicon import EventClass, EventLexicon

__all__ = ["classify", "weapon_sub_type"]

VIOLENT = frozenset({"attack", "kill", "explosion", "airstrike", "shelling"})


def _has(text: str, words: tuple[str, ...] | frozenset[str]) -> bool:
    """A word of ``words`` starts at a word boundary in ``text`` (a substring test first)."""
    return any(w in text and _word_start(w).search(text) is not None for w in words)


@lru_cache(maxsize=1024)
def _word_start(word: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(word)}")


def weapon_sub_type(text: str, lex: EventLexicon) -> str | None:
    """The E/RV sub-type of the first weapon family (by precedence) named in ``text``."""
    low = text.lower()
    for sub_type, words in lex.weapons:
        if _has(low, words):
            return sub_type
    return None


def _object_of(tok: Token) -> Token | None:
    """What a trigger acts on: the direct object, the passive subject, "attack on X"."""
    for child in tok.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            return child
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("on", "against", "of", "at", "in"):
            for g in child.children:
                if g.dep_ == "pobj":
                    return g
    if tok.dep_ == "acl" or (tok.dep_ == "amod" and tok.head.pos_ == "NOUN"):
        return tok.head  # "soldiers killed in ...", "the attacked convoy"
    prep = tok.head
    if tok.dep_ == "pobj" and prep.lower_ in ("under", "into") and prep.head.lemma_ in ("come", "be", "fall"):
        # "the post came under attack": the subject of "came" is what was attacked
        return next((c for c in prep.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return None


def _target_kind(obj: Token | None, actors: ArticleActors, lex: EventLexicon) -> str | None:
    if obj is None:
        return None
    actor = actors.actor_at(obj.left_edge.idx, obj.idx + len(obj.text))
    a = actors.get(actor) if actor else None
    if a is not None and a.type in ("military", "armed_group"):
        return "armed"
    if a is not None and a.type == "civilians":
        return "civilian"
    for child in obj.children:  # "a convoy of aid trucks", "a military convoy"
        mods = [child] if child.dep_ in ("compound", "amod") else [g for g in child.children if child.lower_ == "of"]
        for mod in mods:
            for word in {mod.lemma_.lower()} | {c.lemma_.lower() for c in mod.children if c.dep_ == "compound"}:
                if word in lex.civilian_targets:
                    return "civilian"
                if word in lex.armed_targets:
                    return "armed"
    words = {obj.lemma_.lower(), obj.lower_} | {
        c.lemma_.lower() for c in obj.children if c.dep_ in ("compound", "amod")
    }
    if words & lex.armed_targets:
        return "armed"
    if words & lex.civilian_targets:
        return "civilian"
    return None


def _violent(trig: Trigger, sent: Span, actors: ArticleActors, lex: EventLexicon) -> str | None:
    low = sent.text.lower()
    if lex.disruption.search(low) and lex.disrupted_weapon.search(low) and not _has(low, lex.aircraft_words):
        return "disrupted"  # a drone shot down, a missile intercepted, a bomb defused
    obj = _object_of(trig.token)
    agent = agent_token(trig.token)
    if agent is not None and agent.lemma_.lower() in lex.mob_words:
        return "mob"
    if agent is not None and any(w in agent.lower_ for w in lex.protester_words):
        return "riot"  # "protesters threw stones at police"
    if obj is not None and obj.lemma_.lower() in lex.protester_objects:
        return "excessive"
    weapon = weapon_sub_type(doc_text(sent.doc)[trig.start : trig.end], lex) or weapon_sub_type(sent.text, lex)
    if trig.token.lemma_ == "strike" and weapon is None and not _armed_striker(trig, actors, lex):
        return None  # "an earthquake struck", "the incident struck the region"
    seized = lex.recovered.search(low) is not None  # "killed six militants and recovered explosives"
    if weapon is not None and not (seized and trig.cls in ("kill", "attack")):
        return {v.sub_type: k for k, v in lex.classes.items() if v.type == "Explosions/Remote violence"}.get(weapon)
    if trig.cls in ("explosion", "airstrike", "shelling"):
        return trig.cls
    kind = _target_kind(obj, actors, lex)
    if kind == "armed":
        return "clash"
    if kind == "civilian" or trig.cls == "attack":
        return "attack"
    return "kill"


def _clash(trig: Trigger, lex: EventLexicon) -> str:
    """Protesters or a mob clashing with police is a riot, not a battle; so is police
    "returning fire" at stone-throwers (the clause names its other side before it)."""
    agent = agent_token(trig.token)
    if agent is not None and any(w in agent.lower_ for w in lex.protester_words):
        return "riot"
    if trig.kind == "phrase" and _has(trig.token.sent.text.lower(), lex.protester_words):
        return "riot"
    if agent is None and _protest_told(trig.token.sent, lex):
        return "riot"  # "marches across the country ... but clashes broke out in Nantes"
    return "clash"


def _protest_told(sent: Span, lex: EventLexicon) -> bool:
    """The sentence or the one before it tells of a protest (its words: march, rally, protesters)."""
    doc = sent.doc
    before = doc[sent.start - 1].sent if sent.start > 0 else None
    text = " ".join(s.text.lower() for s in (before, sent) if s is not None)
    return _has(text, lex.protest_context_words)


def _armed_striker(trig: Trigger, actors: ArticleActors, lex: EventLexicon) -> bool:
    """ "US strikes on a port", "Israel struck targets": a state or armed actor strikes."""
    tok = trig.token
    cands = [c for c in tok.children if c.dep_ in ("compound", "poss", "amod", "nsubj")]
    if any(c.dep_ == "prep" and c.lower_ in ("on", "against") for c in tok.children) and trig.kind != "verb":
        return True
    for c in cands:
        a_id = actors.actor_at(c.idx, c.idx + len(c.text))
        a = actors.get(a_id) if a_id else None
        if a is not None and (a.type in lex.state_types or a.type == "armed_group"):
            return True
    return False


def _capture(trig: Trigger, actors: ArticleActors, lex: EventLexicon) -> str | None:
    obj = _object_of(trig.token)
    if obj is not None and obj.lemma_.lower() in lex.weapon_objects:
        return "disrupted"
    if obj is not None and (obj.lemma_.lower() in lex.person_objects or obj.ent_type_ == "PERSON"):
        return "abduction"
    if obj is not None and not _territorial(obj, lex):
        return None  # "seized 1.2 million pills", "captured two trucks": no ground changes hands
    agent = agent_token(trig.token)
    a_id = actors.actor_at(agent.idx, agent.idx + len(agent.text)) if agent is not None else None
    a = actors.get(a_id) if a_id else None
    if a is not None and a.type in lex.state_types:
        return "recapture"
    if trig.kind == "verb" and obj is None and trig.token.lemma_ == "seize":
        return None
    return "capture"


def _territorial(obj: Token, lex: EventLexicon) -> bool:
    """A capture's object that is ground: a named place, a place or position noun, or a pronoun."""
    if obj.pos_ in ("PROPN", "PRON") or obj.ent_type_ in ("GPE", "LOC", "FAC"):
        return True
    return obj.lemma_.lower() in lex.territory_objects or obj.lower_ in lex.territory_objects


def agent_token(tok: Token) -> Token | None:
    """Who acts: the subject, the passive "by" agent, the subject of the clause an -ing
    participle hangs on ("..., killing 45"), or a noun's possessor/compound actor."""
    node = tok
    for _ in range(3):
        for child in node.children:
            if child.dep_ in ("nsubj", "poss"):
                return child
            if child.dep_ == "agent":
                return next((g for g in child.children if g.dep_ == "pobj"), None)
            if child.dep_ == "prep" and child.lower_ == "by" and node.pos_ == "NOUN":
                return next((g for g in child.children if g.dep_ == "pobj"), None)
        if node.dep_ in ("advcl", "conj", "xcomp", "acl") and node.head is not node:
            node = node.head
        else:
            break
    return None


def _protest(sent: Span, lex: EventLexicon) -> str:
    low = sent.text.lower()
    forces = _has(low, lex.force_words)
    if forces and _has(low, lex.lethal_words):
        return "excessive"
    if _has(low, lex.riot_words) or _has(low, lex.throw_verbs) and _has(low, lex.thrown_objects):
        return "riot"
    if forces and _has(low, lex.repression_words):
        return "intervention"
    return "protest"


def _agreement(trig: Trigger, lex: EventLexicon) -> str | None:
    verb = governing_verb(trig.token)
    lemma = verb.lemma_.lower() if verb is not None else ""
    if lemma in lex.break_verbs or any(c.lemma_ in lex.collapse_words for c in trig.token.head.children):
        return "change"
    if trig.kind == "verb" or lemma in lex.agreement_verbs:
        return "agreement"
    return None


def classify(trig: Trigger, sent: Span, actors: ArticleActors, lex: EventLexicon) -> EventClass | None:
    """The event class of ``trig`` in ``sent``, or None when it names no event."""
    cls: str | None = trig.cls
    if cls == "clash":
        cls = _clash(trig, lex)
    elif cls in VIOLENT:
        cls = _violent(trig, sent, actors, lex)
    elif cls in ("capture",):
        cls = _capture(trig, actors, lex)
    elif cls in ("protest", "riot") and trig.token.lemma_ != "unrest":
        cls = "riot" if cls == "riot" else _protest(sent, lex)
    elif cls == "agreement":
        cls = _agreement(trig, lex)
    elif cls == "operation":  # "operations against rebel camps": a fight; "against coca labs": none
        cls = "clash" if _target_kind(_object_of(trig.token), actors, lex) == "armed" else None
    elif (
        cls == "change"
        and trig.kind == "phrase"
        and not _has(sent.text.lower(), ("truce", "ceasefire", "talks", "peace"))
    ):
        cls = None if "dissolv" not in sent.text.lower() and "disband" not in sent.text.lower() else cls
    elif cls == "transfer" and not _has(sent.text.lower(), lex.transfer_force_words):
        cls = None  # "this withdrawal" from a treaty or a bloc: no territory changes hands
    elif cls == "destruction":
        low = sent.text.lower()
        cls = "riot" if _has(low, lex.protester_words) else cls
    return lex.klass(cls) if cls else None
