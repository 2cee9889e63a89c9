"""Reading the parse around a number: what it counts, its unit, and whether it is a toll.

Helpers for ``extract/quantities/extractor.py``. ``casualty_kind`` says whether a count is the victim of a
killing, injury, abduction or arrest: the object of an active verb, the subject of a passive or
intransitive one ("five people died"), a victim complement ("leaving 20 dead"), "among the dead";
euphemistic phrases and censored spellings come from ``threatscape/data/quantities.yaml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from threatscape.extract.quantities.lexicon import QuantityLexicon

__all__ = [
    "after_unit",
    "casualty_kind",
    "counted_noun",
    "money_owner",
    "noun_text",
    "participle_after",
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
        while head.dep_ == "compound" and head.head.i > head.i and head.head.pos_ == "NOUN":
            head = head.head  # "four security forces personnel"
        return head
    nxt = doc[num.i + 1] if num.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "of":
        objs = [c for c in nxt.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")]
        return objs[0] if objs else None
    if nxt is not None and nxt.text == "-" and num.i + 2 < len(doc) and doc[num.i + 2].pos_ == "NOUN":
        return doc[num.i + 2]  # "14-point accord"
    subject_or_object = num.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
    if nxt is not None and nxt.pos_ == "NOUN" and nxt.tag_ in ("NNS", "NN") and not subject_or_object:
        return nxt  # the parser missed the nummod
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


def noun_text(noun: Token, *, adjectives: bool = False) -> str:
    """The counted noun with the compound nouns (and adjectives) right before it: "security personnel"."""
    if noun.text == "-" or not noun.text.strip():
        return ""
    deps = ("compound", "amod") if adjectives else ("compound",)
    doc, start = noun.doc, noun.i
    while start > 0 and doc[start - 1].dep_ in deps and start - 1 < doc[start - 1].head.i <= noun.i:
        start -= 1
    return " ".join(t.text if t.pos_ == "PROPN" else t.lower_ for t in doc[start : noun.i + 1])


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


def money_owner(tok: Token, first: int, lex: QuantityLexicon) -> Token | None:
    """The noun an amount (tokens ``first``..``tok``) is the value of ("a payment of 3 million Afghanis")."""
    node = tok
    for _ in range(4):
        if node.head is node:
            return None
        node = node.head
        inside = first <= node.i <= tok.i  # "Rs" in "Rs 5,000"
        if node.pos_ == "NOUN" and not inside and node.lower_ not in lex.currency_words and not node.like_num:
            return node
        if node.pos_ in ("VERB", "AUX"):
            return None
    return None


def casualty_kind(tok: Token, lex: QuantityLexicon, depth: int = 0) -> str | None:
    """killed / injured / abducted / arrested when ``tok`` (a count or its noun) is the victim."""
    node = tok
    for _ in range(3):
        if node.dep_ not in ("conj", "appos") or node.head is node:
            break
        node = node.head
    head = node.head
    kind = None
    if node.dep_ in ("nsubjpass", "dobj", "obj", "attr", "oprd"):
        kind = _verb_kind(head, lex) or _complement_kind(head, lex)
    elif node.dep_ == "nsubj":
        kind = _verb_kind(head, lex)
        passive = any(c.dep_ == "auxpass" for c in head.children)
        if kind and not (head.lemma_.lower() in lex.intransitive or _verb_phrase(head, lex) or passive):
            kind = None
        kind = kind or _light_kind(head, lex)
    elif node.dep_ == "pobj" and head.lower_ in ("including", "among") and depth < 2 and head.head is not head:
        target = head.head  # "seven people, including two women, died"; "among the dead"
        kind = lex.noun_kind.get(target.lower_) or _verb_kind(target, lex) or casualty_kind(target, lex, depth + 1)
    elif node.dep_ == "pobj" and head.lower_ == "of":
        kind = _verb_kind(head.head, lex) or lex.noun_kind.get(head.head.lower_)
        if not kind and depth < 2 and head.head is not head:  # "a minimum of 15 people sustained"
            kind = casualty_kind(head.head, lex, depth + 1)
    if kind:
        return kind
    for child in node.children:
        if child.dep_ in ("acl", "relcl", "amod"):
            kind = _verb_kind(child, lex)
            if kind:
                return kind
    return None


def participle_after(tok: Token, lex: QuantityLexicon) -> str | None:
    """A victim participle right after the count: "around 38 more injured", "7,000 others wounded"."""
    doc = tok.doc
    for nxt in doc[tok.i + 1 : min(len(doc), tok.i + 3)]:
        if nxt.lower_ in lex.count_fillers:
            continue
        if nxt.tag_ in ("VBN", "JJ"):
            return lex.lemma_kind.get(nxt.lemma_.lower()) or lex.lemma_kind.get(nxt.lower_)
        return None
    return None


def _light_kind(verb: Token, lex: QuantityLexicon) -> str | None:
    for child in verb.children:
        if child.dep_ in ("dobj", "obj"):
            kind = lex.light_kind.get((verb.lemma_.lower(), child.lemma_.lower()))
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
