"""Reading the parse around a number: what it counts, its unit, and whether it is a toll.

Helpers for ``extract/quantities.py``. ``casualty_kind`` says whether a count is the victim of a
killing, injury, abduction or arrest: the object of an active verb, the subject of a passive or
intransitive one ("five people died"), a victim complement ("leaving 20 dead"), "among the dead";
euphemistic phrases and censored spellings come from ``threatscape/data/quantities.yaml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from threatscape.extract.quantity_lexicon import QuantityLexicon

__all__ = [
    "after_unit",
    "casualty_kind",
    "counted_noun",
    "money_owner",
    "noun_text",
    "period_of",
    "tally_text",
]


def counted_noun(num: Token, doc: Doc) -> Token | None:
    head = num.head
    if (
        head.i > num.i
        and head.pos_ in ("NOUN", "PROPN")
        and num.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod")
    ):
        return head
    nxt = doc[num.i + 1] if num.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "of":
        objs = [c for c in nxt.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")]
        return objs[0] if objs else None
    if nxt is not None and nxt.text == "-" and num.i + 2 < len(doc) and doc[num.i + 2].pos_ == "NOUN":
        return doc[num.i + 2]  # "14-point accord"
    if nxt is not None and nxt.pos_ == "NOUN" and nxt.tag_ in ("NNS", "NN") and not nxt.is_punct:
        return nxt
    return None


def after_unit(unit_tok: Token, doc: Doc) -> Token | None:
    head = unit_tok.head
    if head.i > unit_tok.i and head.pos_ == "NOUN":
        return head  # "12 kg IED"
    for child in unit_tok.children:
        if child.lower_ == "of":
            objs = [c for c in child.children if c.dep_ == "pobj" and c.pos_ == "NOUN"]
            if objs:
                return objs[0]  # "500 kg of explosives"
    return None


def noun_text(noun: Token) -> str:
    left = [c for c in noun.lefts if c.dep_ == "compound" and c.i == noun.i - 1]
    if noun.text == "-" or not noun.text.strip():
        return ""
    words = [c.lower_ for c in left] + [noun.lower_ if noun.pos_ != "PROPN" else noun.text]
    return " ".join(words)


def tally_text(num: Token, lex: QuantityLexicon) -> str | None:
    """The tally ("the death toll rose to 50"): the tally noun subject of the verb governing the number."""
    node = num
    for _ in range(3):
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.lemma_.lower() in lex.tally_nouns:
                    return noun_text(child)
            return None
    return None


def money_owner(tok: Token, lex: QuantityLexicon) -> Token | None:
    """The noun an amount is the value of ("a monthly payment of 3 million Afghanis")."""
    node = tok
    for _ in range(4):
        if node.head is node:
            return None
        node = node.head
        if node.pos_ == "NOUN" and node.lower_ not in lex.currency_words and not node.like_num:
            return node
        if node.pos_ in ("VERB", "AUX"):
            return None
    return None


def casualty_kind(tok: Token, lex: QuantityLexicon) -> str | None:
    node = tok
    for _ in range(3):
        if node.dep_ not in ("conj", "appos") or node.head is node:
            break
        node = node.head
    head = node.head
    if node.dep_ in ("nsubjpass", "dobj", "obj", "attr", "oprd"):
        kind = _verb_kind(head, lex)
        return kind or _complement_kind(head, lex)
    if node.dep_ == "nsubj":
        kind = _verb_kind(head, lex)
        if kind and (head.lemma_.lower() in lex.intransitive or _verb_phrase(head, lex)):
            return kind
        if any(c.dep_ == "auxpass" for c in head.children):
            return kind
    if node.dep_ == "pobj" and head.lower_ in ("of", "among"):
        kind = _verb_kind(head.head, lex) or lex.noun_kind.get(head.head.lower_)
        if kind:
            return kind
    for child in node.children:
        if child.dep_ in ("acl", "relcl", "amod") and child.i > node.i:
            kind = _verb_kind(child, lex)
            if kind:
                return kind
    return None


def _complement_kind(verb: Token, lex: QuantityLexicon) -> str | None:
    """A victim complement: "leaving 20 people dead", "left 11 injured"."""
    for child in verb.children:
        if child.dep_ in ("oprd", "xcomp", "acomp", "ccomp", "advcl") and child.i > verb.i:
            kind = _verb_kind(child, lex) or lex.noun_kind.get(child.lower_)
            if kind:
                return kind
    return None


def _verb_kind(tok: Token, lex: QuantityLexicon) -> str | None:
    kind = lex.lemma_kind.get(tok.lemma_.lower()) or lex.lemma_kind.get(tok.lower_)
    return kind or _verb_phrase(tok, lex) or lex.censored_kind(tok.text)


def _verb_phrase(tok: Token, lex: QuantityLexicon) -> str | None:
    doc = tok.doc
    text = " ".join(t.lower_ for t in doc[tok.i : min(len(doc), tok.i + 5)])
    for phrase, kind in lex.phrase_kind:
        if text == phrase or text.startswith(phrase + " "):
            return kind
    return None


def period_of(noun: Token | None, lex: QuantityLexicon) -> str | None:
    if noun is None:
        return None
    for child in noun.lefts:
        if child.lower_ in lex.period_adjectives:
            return lex.period_adjectives[child.lower_]
    return None
