"""PLOVER event type of a sentence, and who acts on whom, from the dependency parse.

``plover_type(sent, lexicon=...)`` reads the main predicate (the clause a speech verb reports, not the saying):

1. a conditional ("... unless", "if ...") on it is a THREATEN;
2. "will X", "agreed/offered/promised to X": a cooperative X is AGREE, a hostile X THREATEN;
   negated ("refused to", "will not") is REJECT;
3. else the predicate's lemma (``plover_verbs``), or for a light verb ("held talks", "imposed a
   curfew", "lodged a protest") its object noun (``plover_nouns``);
4. failing that, the other verbs of the sentence in order.

``plover_parties(sent, kb)`` gives the country codes (ISO 3166 alpha-3, ``IGO`` for
international organisations) of the source (subject or passive agent) and the target (object,
"to/with/against/on X"). Vocabulary: the PLOVER sections of ``data/events.yaml`` (``PloverLexicon``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from threatscape.extract.events.lexicon import PloverLexicon, load_plover_lexicon

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from threatscape.resolve.actors import ActorKB

__all__ = ["PloverLexicon", "load_plover_lexicon", "plover_parties", "plover_type"]

MAX_DEPTH = 3  # speech verbs and commitment heads followed down this many clauses
IGO_TYPES = frozenset({"igo"})


def _predicate(sent: Span, lex: PloverLexicon) -> Token:
    """The main predicate: the root, or the clause a speech verb reports."""
    pred = sent.root
    for _ in range(MAX_DEPTH):
        if pred.lemma_.lower() not in lex.speech_verbs:
            break
        content = [c for c in pred.children if c.dep_ in ("ccomp", "xcomp")]
        if not content:
            break
        pred = content[0]
    return pred


def _is_negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _is_future(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "shall") for c in tok.children)


def _conditional(tok: Token) -> bool:
    return any(
        c.dep_ in ("advcl", "prep")
        and any(g.lower_ in ("unless", "if") for g in c.subtree if g.dep_ in ("mark", "prep"))
        for c in tok.children
    ) or any(c.lower_ in ("unless",) for c in tok.children)


def _word_type(tok: Token, lex: PloverLexicon) -> str | None:
    """The type of one predicate: its lemma, or its object noun for a light verb."""
    lemma = tok.lemma_.lower()
    if lemma in lex.light_verbs or lemma not in lex.verbs:
        for child in tok.children:
            if child.dep_ in ("dobj", "attr", "nsubjpass", "pobj", "prt", "acomp") or child.dep_ == "prep":
                nouns = [child] + [g for g in child.children if g.dep_ == "pobj"]
                for noun in nouns:
                    found = lex.nouns.get(noun.lemma_.lower()) or lex.nouns.get(noun.lower_)
                    if found:
                        return found
    return lex.verbs.get(lemma)


def _modal_type(pred: Token, lex: PloverLexicon, inner: str | None) -> str | None:
    if _is_negated(pred):
        return "REJECT"
    if inner in lex.cooperative:
        return "AGREE"
    if inner in lex.hostile or inner in ("REQUEST",):
        return "THREATEN"
    return inner


def _commitment(pred: Token, lex: PloverLexicon) -> str | None:
    """ "agreed to X" is AGREE; "offered/promised/ready to X": AGREE for a cooperative X, THREATEN
    for a hostile one; negated ("refused", "not willing") REJECT."""
    if _is_negated(pred):
        return "REJECT"
    if pred.lemma_.lower() in lex.accept_verbs:
        return "AGREE"
    inner = next((c for c in pred.children if c.dep_ in ("xcomp", "ccomp")), None)
    if inner is None:
        return "AGREE"
    return _modal_type(inner, lex, _word_type(inner, lex)) or "AGREE"


def _head_predicate(pred: Token, lex: PloverLexicon) -> Token:
    """ "is willing to withdraw", "would be ready to host": the adjective heads the clause."""
    if pred.lemma_ == "be":
        adj = next((c for c in pred.children if c.dep_ == "acomp" and c.lemma_.lower() in lex.commit_heads), None)
        if adj is not None:
            return adj
    return pred


def plover_type(sent: Span, *, lexicon: PloverLexicon | None = None) -> str | None:
    """The PLOVER event type of a sentence, or None when no predicate says what happened."""
    lex = lexicon or load_plover_lexicon()
    pred = _head_predicate(_predicate(sent, lex), lex)
    lemma = pred.lemma_.lower()
    if lemma in lex.commit_heads:
        return _commitment(pred, lex)
    own = _word_type(pred, lex)
    if any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in pred.children):
        return "REQUEST"  # "X said that Y must withdraw"
    if _is_negated(pred) and (_is_future(pred) or own in lex.cooperative):
        return "REJECT"  # "will not accept", "did not allow"
    if _conditional(pred) and (_is_future(pred) or lemma in lex.threat_verbs):
        return "AGREE" if own in lex.cooperative else "THREATEN"
    if _is_future(pred) and own not in ("THREATEN", "REQUEST"):
        return _modal_type(pred, lex, own)
    if own is not None:
        return own
    for tok in sent:
        if tok.pos_ in ("VERB", "NOUN") and tok.i != pred.i and (found := _word_type(tok, lex)):
            return found
    return None


# ---- parties -----------------------------------------------------------------------------------
def _codes(tokens: list[Token], kb: ActorKB) -> list[str]:
    words = [t.text for t in tokens]
    out: list[str] = []
    for m in kb.match(words, [bool(t.whitespace_) for t in tokens]):
        entry = kb.get(m.target) if m.target and m.kind != "generic" else None
        code = "IGO" if entry is not None and entry.type in IGO_TYPES else entry.country if entry else None
        if code is None and m.kind in ("place", "capital") and m.target:
            found = kb.get(m.target)
            code = found.country if found else None
        if code and code not in out:
            out.append(code)
    if not out:
        for t in tokens:
            code = _demonym_code(t, kb)
            if code:
                out.append(code)
                break
    return out


def _demonym_code(tok: Token, kb: ActorKB) -> str | None:
    """ "Serbian President X", "Palestinians": a demonym names its country (via the KB's
    "<demonym> government" names)."""
    if not tok.text[:1].isupper() or tok.pos_ not in ("ADJ", "PROPN", "NOUN"):
        return None
    for word in (tok.text, tok.text.rstrip("s")):
        for noun in ("government", "military"):
            entry = kb.lookup(f"{word} {noun}")
            if entry is not None and entry.country:
                return str(entry.country)
    return None


def _source_codes(pred: Token, kb: ActorKB) -> list[str]:
    """The subject (or passive agent) of the predicate; a pronoun or nothing: the subject of the
    clause above ("Hungary has said it will support")."""
    node = pred
    for _ in range(MAX_DEPTH + 1):
        subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        agent = next((g for c in node.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        for tok in (agent, subj):
            if tok is not None and (codes := _codes(list(tok.subtree), kb)):
                return codes
        if node.head is node:
            break
        node = node.head
    return []


def plover_parties(sent: Span, kb: ActorKB, *, lexicon: PloverLexicon | None = None) -> tuple[list[str], list[str]]:
    """(source codes, target codes) of the sentence's main predicate."""
    lex = lexicon or load_plover_lexicon()
    pred = _predicate(sent, lex)
    inner = next((c for c in pred.children if c.dep_ == "xcomp"), None) if pred.lemma_ in lex.commit_heads else None
    sources = _source_codes(pred, kb)
    targets: list[str] = []
    for verb in (inner, pred):
        if verb is None or targets:
            continue
        for child in verb.children:
            objs = [child] if child.dep_ in ("dobj", "dative", "attr") else []
            if child.dep_ == "prep" and child.lower_ in lex.target_preps:
                objs = [g for g in child.children if g.dep_ == "pobj"]
            for obj in objs:
                targets += [c for c in _codes(list(obj.subtree), kb) if c not in targets]
    if not targets:
        targets = _rest_codes(pred, kb, sources)
    return sources, targets


def _rest_codes(pred: Token, kb: ActorKB, sources: list[str]) -> list[str]:
    """Fallback target: the first country named in the predicate's clause outside its subject
    ("demanded that the US cancel ...", "is willing to withdraw its troops from Lebanon")."""
    subject = {t.i for c in pred.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    rest = [t for t in pred.subtree if t.i not in subject]
    codes = [c for c in _codes(rest, kb) if c not in sources] or _codes(rest, kb)
    return codes[:2]
