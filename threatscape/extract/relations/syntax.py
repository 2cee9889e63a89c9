"""Small readers of a dependency parse for relation extraction: children, prepositional
objects, subjects through control and coordination, qualifiers, governing verbs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from threatscape.extract.relations.lexicon import RelationLexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["child", "governor", "pobj", "qualifiers", "subject"]

SUBJECT_DEPS = ("nsubj", "csubj")
MAX_CLIMB = 6  # xcomp/conj/advcl links followed up to a subject


def child(tok: Token, deps: tuple[str, ...], words: tuple[str, ...] = ()) -> Token | None:
    """The first child with one of ``deps`` (and, if given, one of ``words``)."""
    for c in tok.children:
        if c.dep_ in deps and (not words or c.lower_ in words):
            return c
    return None


def pobj(tok: Token, preps: tuple[str, ...]) -> Token | None:
    """The object of a preposition ``preps`` hanging on ``tok`` ("support [from] Kabul")."""
    prep = child(tok, ("prep", "dative", "agent"), preps)
    return child(prep, ("pobj",)) if prep is not None else None


def subject(verb: Token) -> Token | None:
    """The subject of a verb, through control and coordination ("continued to provide"), or the
    noun an active participle describes ("groups fighting alongside the army")."""
    tok = verb
    for _ in range(MAX_CLIMB):
        subj = child(tok, SUBJECT_DEPS)
        if subj is not None:
            return subj
        if tok.dep_ == "acl" and tok.tag_ != "VBN":  # "groups fighting alongside X"
            return tok.head.head if tok.head.dep_ == "appos" else tok.head
        if tok.dep_ not in ("xcomp", "conj", "advcl") or tok.head is tok:
            return None
        tok = tok.head
    return None


def qualifiers(tok: Token, lex: RelationLexicon) -> tuple[str, ...]:
    """Listed modifiers of a relation word, coordinated ones too ("financial and logistical");
    adverbs count as their adjective ("financially")."""
    out: list[str] = []
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "advmod", "nmod"):
            for t in (c, *c.conjuncts):
                word = t.lower_[:-2] if t.pos_ == "ADV" and t.lower_.endswith("ly") else t.lower_
                if word in lex.qualifiers and word not in out:
                    out.append(word)
    return tuple(out)


def governor(noun: Token) -> tuple[Token | None, bool]:
    """The verb a relation noun is the object of, and whether it came through "with"."""
    tok = noun
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ in ("dobj", "nsubjpass"):
        return tok.head, False
    if tok.dep_ == "pobj" and tok.head.lower_ == "with" and tok.head.head.pos_ in ("VERB", "AUX"):
        return tok.head.head, True
    return None, False
