"""Attribution frames without a reporting verb: "according to X" and noun cues ("X's warning that …").

Each frame gives the speaker's head token, the words naming the speaker and the reported words.
The parser often mis-attaches the words around "according to", so that frame is cut by commas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from threatscape.extract.claims.lexicon import CueLexicon
from threatscape.extract.nlp.doccache import sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["Frame", "according_frame", "noun_frame", "trim_tokens"]

CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}  # reported words need one ("This is" is not content)
CLAUSE_DEPS = ("acl", "ccomp", "relcl")


@dataclass(frozen=True)
class Frame:
    speaker_head: Token
    speaker_span: Span
    content: list[Token]
    stance: str | None = None


def trim_tokens(toks: list[Token]) -> list[Token]:
    """Sorted tokens without edge punctuation; empty when no content word is left."""
    toks = sorted(toks, key=lambda t: t.i)
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].dep_ == "cc"):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space or toks[-1].dep_ == "cc"):
        toks = toks[:-1]
    if not any(t.pos_ in CONTENT_POS for t in toks):
        return []
    return toks


def according_frame(tok: Token, lex: CueLexicon) -> Frame | None:
    """ "According to X, Y." / "Y, according to X." -> speaker X, content Y."""
    if tok.lower_ != "according":
        return None
    doc, sent = tok.doc, sentence_of(tok)
    if tok.i + 2 >= sent.end or doc[tok.i + 1].lower_ != "to":
        return None
    start = end = tok.i + 2
    while end < sent.end and doc[end].text not in (",", ";", ".", "!", "?", "—", "–"):
        end += 1
    pobj = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj" and start <= c.i < end]
    if pobj:  # "According to the survey Kenya's harvest …": the speaker ends with its phrase
        end = min(end, max(t.i for t in pobj[0].subtree if t.dep_ not in ("relcl", "appos") or t == pobj[0]) + 1)
    if end == start:
        return None
    speaker = doc[start:end]
    head = pobj[0] if pobj else speaker.root
    at_start = tok.i - sent.start <= 1
    before = list(doc[sent.start : tok.i])
    if len(before) <= 3 and before and before[0].lower_ in lex.demonstratives and sent.start > 0:
        before = list(sentence_of(doc[sent.start - 1]))  # "This is according to X": the previous sentence
    content = trim_tokens(list(doc[end : sent.end]) if at_start else before)
    if not content:
        return None
    return Frame(head, speaker, content)


def noun_frame(tok: Token, lex: CueLexicon) -> Frame | None:
    """ "warnings from Hezbollah that Israel is violating …", "Islamabad's calls for …"."""
    stance = lex.noun_cues.get(tok.lemma_.lower())
    if tok.pos_ != "NOUN" or stance is None:
        return None
    speaker: Token | None = None
    content: list[Token] = []
    for child in tok.children:
        if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN"):
            speaker = child
        elif child.dep_ == "prep" and child.lower_ in lex.speaker_preps:
            pobj = [g for g in child.children if g.dep_ == "pobj"]
            speaker = pobj[0] if pobj else speaker
            content += _clause_after(pobj[0]) if pobj and not content else []
        elif child.dep_ in CLAUSE_DEPS and child.i > tok.i and _has_that(child):
            content = list(child.subtree)
        elif child.dep_ == "prep" and child.lower_ == "for" and stance == "demand":
            content = list(child.subtree)[1:]
    content = trim_tokens([t for t in content if not (t.lower_ == "that" and t.dep_ == "mark")])
    if speaker is None or not content:
        return None
    doc = tok.doc
    span = doc[speaker.left_edge.i : speaker.i + 1]
    return Frame(speaker, span, content, stance)


def _has_that(clause: Token) -> bool:
    return any(c.lower_ == "that" and c.dep_ == "mark" for c in clause.children) or clause.dep_ == "acl"


def _clause_after(noun: Token) -> list[Token]:
    """ "warnings from Hezbollah that …": the parser may hang the clause on the speaker noun."""
    for child in noun.children:
        if child.dep_ in CLAUSE_DEPS and _has_that(child) and child.i > noun.i:
            return list(child.subtree)
    return []
