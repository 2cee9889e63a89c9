"""Event triggers in a sentence and the test that they report something that happened.

``find_triggers(sent, lex)`` gives the words (verbs, nouns) and multi-word phrases of the lexicon
(``data/events.yaml``) with their event class. ``is_realis(trigger, lex)`` reads the dependency
parse: negation, modals, conditionals, plans/threats/calls/denials governing the trigger,
infinitives of purpose, habitual adverbs, present-simple generalisations and generic nouns
("any attack", "attack helicopters", "a report on attacks") are not incidents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from threatscape.extract.events.lexicon import EventLexicon

__all__ = [
    "Trigger",
    "date_attachment",
    "embedded_in",
    "find_triggers",
    "governing_verb",
    "is_realis",
    "present_perfect",
    "protested_incident",
    "told_as_background",
]

MAX_CHAIN = 10  # heads walked up from a trigger when looking for what governs it
NOUN_LINKS = frozenset({"dobj", "nsubj", "nsubjpass", "pobj", "prep", "conj", "appos", "attr", "compound", "poss"})
ARGUMENT_LINKS = frozenset({"pobj", "prep", "dobj", "conj", "appos", "compound", "amod", "poss"})
GERUND_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj"})


@dataclass(frozen=True)
class Trigger:
    token: Token  # the head word of the trigger
    start: int  # char offsets of the trigger words in the body
    end: int
    cls: str  # event class name (``classes:`` in the YAML)
    kind: str  # verb, noun or phrase


def find_triggers(sent: Span, lex: EventLexicon) -> list[Trigger]:
    """Every trigger of ``sent``, phrases first; single words inside a phrase are not repeated."""
    found = _phrase_triggers(sent, lex)
    covered = {t.i for trig in found for t in sent.doc.char_span(trig.start, trig.end, alignment_mode="expand") or []}
    for tok in sent:
        if tok.i in covered:
            continue
        lemma = lex.forms.get(tok.lower_, tok.lemma_.lower())
        if tok.pos_ == "VERB" and lemma in lex.verbs and _has_needed_child(tok, lex.needs_child.get(lemma)):
            found.append(Trigger(tok, tok.idx, tok.idx + len(tok.text), lex.verbs[lemma], "verb"))
        elif (
            _noun_like(tok)
            and (lemma in lex.nouns or tok.lower_ in lex.nouns)
            and _has_needed_child(tok, lex.noun_needs_child.get(lemma))
        ):
            cls = lex.nouns.get(lemma) or lex.nouns[tok.lower_]
            found.append(Trigger(tok, tok.idx, tok.idx + len(tok.text), cls, "noun"))
    return sorted(found, key=lambda t: t.start)


def _noun_like(tok: Token) -> bool:
    """A common noun ("the march"), not a month or a name ("In March", "Operation Strike")."""
    if tok.ent_type_ in ("DATE", "TIME", "PERSON", "GPE", "ORG"):
        return False
    return tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and tok.text.islower())


def _phrase_triggers(sent: Span, lex: EventLexicon) -> list[Trigger]:
    text = sent.text.lower()
    out: list[Trigger] = []
    if lex.any_phrase is not None and lex.any_phrase.search(text) is None:
        return out  # one pass for all phrases: most sentences hold none
    for pattern, cls in lex.phrases:
        for m in pattern.finditer(text):
            start, end = sent.start_char + m.start(), sent.start_char + m.end()
            if any(o.start < end and start < o.end for o in out):
                continue
            span = sent.doc.char_span(start, end, alignment_mode="expand")
            if span is not None and len(span):
                out.append(Trigger(span.root, start, end, cls, "phrase"))
    return out


def _has_needed_child(tok: Token, needed: frozenset[str] | None) -> bool:
    if not needed:
        return True
    for child in tok.children:
        if child.lemma_.lower() in needed or child.lower_ in needed:
            return True
        if child.dep_ == "prep" and any(g.lemma_.lower() in needed for g in child.children):
            return True
    return False


def governing_verb(tok: Token) -> Token | None:
    """The verb a noun trigger hangs on ("claimed the attack" -> claimed); a verb is its own."""
    node = tok
    for _ in range(MAX_CHAIN):
        if node.pos_ in ("VERB", "AUX"):
            return node
        if node.dep_ not in NOUN_LINKS or node.head is node:
            return None
        node = node.head
    return None


def is_realis(trig: Trigger, lex: EventLexicon) -> bool:
    """Whether the trigger reports an incident that happened (see module docstring)."""
    tok = trig.token
    gerund = trig.kind == "verb" and tok.dep_ in GERUND_DEPS  # "fighting could resume"
    if (trig.kind == "noun" or gerund) and not _specific_noun(tok, lex):
        return False
    if trig.kind == "verb" and tok.dep_ in ("amod", "compound"):
        return False  # "targeted killings"
    if any(c.dep_ in ("amod", "compound") and c.lemma_.lower() in lex.irrealis_modifiers for c in tok.children):
        return False  # "the planned rally", "a possible attack"
    if _comparison(tok, lex):
        return False  # "one of the deadliest assaults this year": a yardstick, not an incident
    verb = governing_verb(tok.head if gerund else tok)
    if verb is not None and _irrealis_clause(verb, lex):
        return False
    return not _under_irrealis_head(tok, lex)


def _comparison(tok: Token, lex: EventLexicon) -> bool:
    """A noun in "one of the <superlative> X" (or "the worst X since ..."): other incidents the
    reported one is measured against."""
    superlative = any(c.tag_ == "JJS" or c.lower_ in lex.comparison_words for c in tok.children)
    one_of = tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ == "one"
    return superlative and one_of


def _specific_noun(tok: Token, lex: EventLexicon) -> bool:
    if tok.dep_ in ("compound", "amod") and tok.head.pos_ in ("NOUN", "PROPN"):
        return False  # "attack helicopters", "protest movement"
    if any(c.dep_ == "det" and c.lower_ in lex.generic_dets for c in tok.children):
        return False
    plural = tok.tag_ in ("NNS", "NNPS") or tok.lemma_.lower() in lex.mass_nouns
    if plural and not _anchored_plural(tok, lex):
        return False
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ == "in" and not any(c.dep_ in ("det", "poss") for c in tok.children):
        return False  # "in protest over the war", "in retaliation"
    return not (
        tok.dep_ == "pobj"
        and head.lower_ in ("on", "about", "into", "of")
        and head.head.lemma_.lower() in lex.report_nouns
    )


def _anchored_plural(tok: Token, lex: EventLexicon) -> bool:
    """A plural trigger names incidents only when counted, possessed or placed in time
    ("over 600 attacks", "clashes in recent months", "Saturday's protests") or told as earlier
    incidents ("has previously conducted raids"; "previous attacks" alone is a history)."""
    if any(c.dep_ == "nummod" or c.lower_ in lex.tally_words for c in tok.children):
        return True
    if _background_clause(tok, lex) and not any(c.lower_ in lex.comparison_words for c in tok.children):
        return True  # "has previously carried out raids on ...", not "similar raids in the past"
    dates = [e for e in tok.sent.ents if e.label_ == "DATE" and not lex.duration.search(e.text)]
    return any(date_attachment(e.root, tok, lex) == "strong" for e in dates)


def _trigger_chain(tok: Token) -> list[Token]:
    chain = [tok]
    node = tok
    for _ in range(MAX_CHAIN):
        if node.pos_ in ("VERB", "AUX") or node.head is node:
            break
        node = node.head
        chain.append(node)
    if node.dep_ in ("advcl", "conj", "xcomp") and node.head is not node:
        chain.append(node.head)  # "..., killing 45 people" on Sunday
    return chain


def _is_ancestor(node: Token, tok: Token) -> bool:
    return any(a.i == node.i for a in tok.ancestors)


def embedded_in(trig: Trigger, others: list[Trigger]) -> bool:
    """A noun trigger that is an argument of another trigger verb ("arrested for the lynching",
    "killed in the attack") names the same or an earlier incident, not the sentence's own."""
    if trig.kind != "noun":
        return False
    verbs = {o.token.i for o in others if o.kind != "noun" and o.token.i != trig.token.i}
    node = trig.token
    for _ in range(MAX_CHAIN):
        if node.dep_ not in ARGUMENT_LINKS or node.head is node:
            return False
        node = node.head
        if node.i in verbs:
            return True
    return False


def present_perfect(tok: Token) -> bool:
    """ "have captured", "has been killed": a recent incident reported as news."""
    verb = governing_verb(tok)
    if verb is None:
        return False
    return any(c.dep_ == "aux" and c.lower_ in ("has", "have", "'ve") for c in verb.children)


PERFECT_AUX = frozenset({"has", "have", "had", "'ve", "'d"})


def told_as_background(tok: Token, lex: EventLexicon) -> bool:
    """ "has previously conducted raids", "had earlier arrested", "attacked the post before", "in the
    past", "an earlier arrest": an earlier incident told as background to the one reported."""
    if any(c.dep_ == "amod" and c.lower_ in lex.background_modifiers for c in tok.children):
        return True
    return _background_clause(tok, lex)


def _background_clause(tok: Token, lex: EventLexicon) -> bool:
    """The trigger's clause is marked as earlier: "has previously conducted", "had earlier
    arrested", "in the past". Not a claim or report made earlier ("had earlier claimed the
    attack"): that dates the saying, not the incident."""
    verb = governing_verb(tok)
    if verb is None or (verb is not tok and verb.lemma_.lower() in lex.reporting_verbs):
        return False
    perfect = any(c.dep_ == "aux" and c.lower_ in PERFECT_AUX for c in verb.children)
    for child in verb.children:
        word = child.lower_
        marked = word in lex.background_adverbs or (perfect and word in lex.perfect_background_adverbs)
        if child.dep_ == "advmod" and marked and child.n_lefts + child.n_rights == 0:  # not "two days before"
            return True
        if child.dep_ == "prep" and " ".join(t.lower_ for t in child.subtree) in lex.background_phrases:
            return True
    return False


def protested_incident(trig: Trigger, lex: EventLexicon) -> bool:
    """ "gathered to protest the arrests of two leaders", "marched in protest against the detention
    of ...": a noun trigger a protest is against names an earlier incident, which happened whatever
    the protest's mood; not "any arrests", "the planned demolition"."""
    tok = trig.token
    if trig.kind != "noun" or tok.dep_ in ("compound", "amod"):
        return False
    for c in tok.children:
        if (c.dep_ == "det" and c.lower_ in lex.generic_dets) or c.lemma_.lower() in lex.irrealis_modifiers:
            return False
    if tok.dep_ == "dobj":
        protest = tok.head
    elif tok.dep_ == "pobj" and tok.head.lower_ in lex.grievance_preps:
        protest = tok.head.head
    else:
        return False
    lemma = lex.forms.get(protest.lower_, protest.lemma_.lower())
    table = lex.verbs if protest.pos_ == "VERB" else lex.nouns
    return table.get(lemma) == "protest"


def date_attachment(date_tok: Token, trigger: Token, lex: EventLexicon) -> str | None:
    """How a date word relates to a trigger: ``strong`` when its first content head is in the
    trigger's chain (the trigger, the noun's verb), ``weak`` when it dates a speech verb ("said
    on Sunday"), None when it dates something else ("the February 8 vote")."""
    chain = {t.i for t in _trigger_chain(trigger)}
    node = date_tok
    for _ in range(MAX_CHAIN):
        if node.i in chain:
            return "strong"
        transparent = node.ent_type_ in ("DATE", "TIME") or node.lower_ in lex.time_nouns  # "the early hours of"
        if transparent and node.dep_ == "appos":
            while node.dep_ in ("appos", "conj") and node.head is not node:
                node = node.head  # "targeted seven towns - A, B and C - early Tuesday": misparsed as
            node = node.head  # an apposition of the object (or of its list), it dates the object's verb
            continue
        if node is not date_tok and node.pos_ in ("NOUN", "PROPN", "VERB") and not transparent:
            verb = node.pos_ == "VERB"
            speech = node.lemma_ in lex.reporting_verbs or node.lemma_ in lex.reporting_nouns
            if speech or verb and (_is_ancestor(node, trigger) or _is_ancestor(trigger, node)):
                return "weak"  # "said on Sunday", "occurred on May 2, when ...", "a mob which ... on Thursday"
            if not verb and node.lemma_.lower() not in lex.dated_nouns and _is_ancestor(trigger, node):
                return "weak"  # "struck the port and a power station on Sunday": the parser hung the
            return None  # date on the object; a port has no date of its own (a vote or a meeting has)
        if node.head is node:
            return None
        node = node.head
    return None


def _irrealis_clause(verb: Token, lex: EventLexicon) -> bool:
    for child in verb.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ in ("aux", "auxpass") and child.lower_ in lex.modals:
            return True
        if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
            return True
        if child.dep_ == "advmod" and child.lower_ in lex.habitual:
            return True
    if verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return True  # "to target", "to attack": purpose or plan, not an incident
    return _generic_present(verb, lex)


def _generic_present(verb: Token, lex: EventLexicon) -> bool:
    """Present simple without perfect/progressive auxiliaries: a generalisation ("attacks that
    target civilians"), unless it reports speech ("says")."""
    if verb.tag_ not in ("VBZ", "VBP") or verb.lemma_ in lex.present_exempt_verbs:
        return False
    return not any(c.dep_ in ("aux", "auxpass") for c in verb.children) and verb.dep_ in ("relcl", "advcl", "xcomp")


def _under_irrealis_head(tok: Token, lex: EventLexicon) -> bool:
    """A plan, threat, call, fear or denial governs the trigger ("vowed to target", "warned of
    attacks", "denied the attack took place"), not "denied involvement in the attack"."""
    node = last = tok
    for _ in range(MAX_CHAIN):
        if node.head is node or node.dep_ in ("ROOT",):
            return False
        if node.lemma_.lower() in lex.pass_through or (node.dep_ == "prep" and node.lower_ in lex.adjunct_preps):
            return False  # "involvement in the attack", "demanded ... at a rally": the event is real
        dep, last = node.dep_, node
        node = node.head
        if node.lemma_.lower() in lex.irrealis_heads and (
            dep in ("xcomp", "ccomp", "dobj", "acl") or (dep == "prep" and last.lower_ in lex.complement_preps)
        ):
            return True
        last = node
    return False
