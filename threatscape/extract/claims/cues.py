"""Cue verbs and what hangs on them: which quote a cue introduces, the reported clause, stance, target.

Small functions over a parsed spaCy ``Doc``; the lexicon (``data/cues.yaml``) decides which verbs
are cues and what stance they carry. Positions are character offsets into the article body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from threatscape.extract.claims.frames import Frame, according_frame, noun_frame, trim_tokens
from threatscape.extract.claims.lexicon import CueLexicon
from threatscape.extract.claims.quotes import Quote
from threatscape.extract.claims.speaker import noun_before
from threatscape.extract.nlp.doccache import sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = [
    "Cue",
    "content_tokens",
    "find_cues",
    "quote_cue",
    "reports_violation",
    "stance_of",
    "target_tokens",
]

MAX_TAIL_GAP = 80  # chars between a quote's end and a cue after it ('," the UN report said')
MAX_LEAD_GAP = 40  # chars between a cue and a quote after it ('told reporters: "')
LEAD_GAP = re.compile(r"^[\s\w’'.,-]*[:,]?\s*$")
NESTED_SUBJECT_POS = {"NOUN", "PROPN"}
MAX_TAIL_TOKENS = 8  # '," the UN report said': at most this many words between a quote and its cue
TAIL_GAP = re.compile(r"[,\s]*(?:[\w’'.()-]+\s+){0,%d}" % MAX_TAIL_TOKENS)  # noqa: UP031


@dataclass(frozen=True)
class Cue:
    """A reporting verb, "according to" or a noun cue at ``token``; ``quoted`` when inside a quote."""

    token: Token
    quoted: bool = False
    frame: Frame | None = None  # set for "according to X" and noun cues

    @property
    def according(self) -> bool:
        return self.frame is not None and self.token.lower_ == "according"

    @property
    def start(self) -> int:
        return int(self.token.idx)


def _quoted_chars(quotes: list[Quote]) -> set[int]:
    """The character offsets inside some quote's inner span."""
    return {pos for q in quotes for pos in range(q.inner_start, q.inner_end)}


def is_cue_verb(tok: Token, lex: CueLexicon) -> bool:
    if tok.pos_ != "VERB":
        return False
    lemma = tok.lemma_.lower()
    if not lex.is_cue_lemma(lemma):
        return False
    needed = lex.needs_child.get(lemma)
    if needed is None:
        return True
    if "clause:dobj" in needed and any(c.dep_ == "dobj" and _object_clause(c) for c in tok.children):
        return True  # "claimed the strikes targeted refugees": a clause the parser read as an object
    if "subject:document" in needed:
        return any(c.dep_ == "nsubj" and c.lemma_.lower() in lex.document_nouns for c in tok.children)
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.head == tok and f"next:{nxt.lower_}" in needed:
        return True
    return any(c.lemma_.lower() in needed or c.lower_ in needed or f"dep:{c.dep_}" in needed for c in tok.children)


def _object_clause(obj: Token) -> bool:
    """An object with a verb of its own that takes an object ("the strikes targeted refugees"):
    a that-less clause, not a reduced relative ("the bodies found in the river")."""
    return any(
        g.dep_ in ("acl", "relcl") and g.tag_ in ("VBD", "VBN") and any(o.dep_ in ("dobj", "oprd") for o in g.children)
        for g in obj.children
    )


def _has_noun_subject(tok: Token) -> bool:
    subj = [c for c in tok.children if c.dep_ == "nsubj"]
    if subj:
        return subj[0].pos_ in NESTED_SUBJECT_POS
    return tok.dep_ == "acl" and tok.head.pos_ in NESTED_SUBJECT_POS


def find_cues(doc: Doc, quotes: list[Quote], lex: CueLexicon) -> list[Cue]:
    """Cue verbs outside quotes, and inside quotes when a named or nominal subject utters them."""
    cues = []
    inside = _quoted_chars(quotes)
    for tok in doc:
        quoted = tok.idx in inside
        frame = according_frame(tok, lex) or (None if quoted else noun_frame(tok, lex))
        if frame is not None:
            cues.append(Cue(tok, quoted, frame))
            continue
        if not is_cue_verb(tok, lex) or any(c.dep_ == "neg" for c in tok.children):
            continue  # "did not deny", "has not claimed" report no statement
        if quoted and not _has_noun_subject(tok):
            continue  # "we reject ..." inside a quote is the quote's own wording
        cues.append(Cue(tok, quoted))
    return cues


def _subtree_chars(tok: Token) -> tuple[int, int]:
    left, right = tok.left_edge, tok.right_edge
    return int(left.idx), int(right.idx + len(right))


def quote_cue(q: Quote, cues: list[Cue], quotes: list[Quote], body: str) -> Cue | None:
    """The cue that introduces quote ``q`` in its paragraph, or None."""
    around = [c for c in cues if not c.quoted and not (q.start <= c.start < q.end)]
    outside = [c for c in around if c.frame is None]
    tail = _tail_cue(q, [c for c in around if c.frame is None or c.according], body)
    if tail is not None:
        return tail
    embedding = []
    inner_end = q.inner_start + len(body[q.inner_start : q.inner_end].rstrip(" .,;:!?"))
    for c in outside:
        lo, hi = _subtree_chars(c.token)
        if lo <= q.inner_start and inner_end <= hi and sentence_of(c.token).start_char <= q.start:
            embedding.append((hi - lo, c))
    if embedding:
        return min(embedding, key=lambda x: x[0])[1]
    next_quote = min((o.start for o in quotes if o.start > q.start), default=len(body))
    for c in outside:
        gap = body[q.end : c.start]
        if q.end <= c.start < next_quote and len(gap) <= MAX_TAIL_GAP and not re.search(r"\n|[.!?]\s", gap):
            return c
    for c in reversed(outside):
        gap_start = c.start + len(c.token)
        gap = body[gap_start : q.start]
        if c.start < q.start and len(gap) <= MAX_LEAD_GAP and "\n" not in gap and LEAD_GAP.match(gap):
            return c
    return None


def _tail_cue(q: Quote, cues: list[Cue], body: str) -> Cue | None:
    """'“…,” the police said' / '“…?” asked X': a full quote followed at once by its cue."""
    inner = body[q.inner_start : q.inner_end].rstrip()
    after = body[q.end : q.end + 1]
    if not (inner.endswith((",", "?", "!")) or after == ","):
        return None  # '“… end.” He asked …' starts a new sentence
    for c in cues:
        gap = body[q.end : c.start]
        if c.start >= q.end and TAIL_GAP.fullmatch(gap):
            lowered = not inner.endswith(("?", "!")) or not gap.strip(", ") or gap.strip(", ")[0].islower()
            return c if lowered and not re.search(r"[.!?]\s", gap) else None
    return None


def content_tokens(cue: Token, lex: CueLexicon) -> list[Token]:
    """The reported clause of an indirect-speech cue verb (empty when there is none)."""
    comps = [c for c in cue.children if c.dep_ in ("ccomp", "xcomp")]
    if comps:
        toks = [t for c in comps for t in c.subtree]
        return trim_tokens([t for t in toks if not (t.dep_ == "mark" and t.head in comps and t.i == toks[0].i)])
    if any(c.dep_ == "dobj" or c.dep_ == "prep" and c.lower_ in lex.object_preps for c in cue.children if c.i > cue.i):
        skip = {t.i for c in cue.children if _is_side_clause(c, cue) for t in c.subtree}
        return trim_tokens([t for t in cue.subtree if t.i > cue.i and t.i not in skip])
    parenthetical = cue.dep_ in ("ccomp", "parataxis") or cue.dep_ == "conj" and cue.i > cue.head.i
    if parenthetical and cue.head.pos_ in ("VERB", "AUX"):  # "X, the army said, Y" / "X, a report said"
        return _outside_of(cue, cue.head)
    if any(c.dep_ == "agent" for c in cue.children):
        passive = [c for c in cue.children if c.dep_ == "nsubjpass"]
        if passive:  # "the attack was claimed by X"
            return trim_tokens(list(passive[0].subtree))
        if cue.dep_ == "acl":
            return _denied_noun(cue)
    return []


def _denied_noun(cue: Token) -> list[Token]:
    """ "…, a charge denied by Islamabad": the clause the noun sums up, else the noun phrase."""
    noun = cue.head
    before = cue.doc[noun.left_edge.i - 1] if noun.left_edge.i > sentence_of(cue).start else None
    if before is not None and before.text in (",", "—", "–"):
        return trim_tokens(list(cue.doc[sentence_of(cue).start : before.i]))
    return trim_tokens([t for t in noun.subtree if t.i < cue.i])


def _is_side_clause(child: Token, cue: Token) -> bool:
    return child.dep_ in ("conj", "cc", "advcl", "parataxis", "punct", "nsubj") or child.i < cue.i


def _outside_of(cue: Token, clause_head: Token) -> list[Token]:
    """The longest run of the sentence outside the cue's own phrase ("X, the army said, Y")."""
    own = {t.i for t in cue.subtree}
    subject = noun_before(cue)
    if subject is not None:
        own.update(t.i for t in subject.subtree)
    runs: list[list[Token]] = [[]]
    for t in sentence_of(cue):
        if t.i in own:
            runs.append([])
        else:
            runs[-1].append(t)
    return trim_tokens(max(runs, key=lambda r: sum(not t.is_punct for t in r)))


def stance_of(cue: Token | None, content: str, lex: CueLexicon, direct: bool = False) -> str:
    """Stance from the cue (verb and its particles/objects), then, for neutral cues, the content:
    a reported clause with "must"/"should" is a demand, a nested cue lends its stance ("revealed
    that intelligence blamed X"), and marker phrases in the words decide (``content_markers``;
    ``quote_markers`` only for the speaker's own quoted words; then ``content_patterns``). A
    warning that reports a wrong being done accuses."""
    stance = _cue_stance(cue, content, lex)
    if stance == "warn" and reports_violation(content, lex):
        return "accuse"  # "warnings that the army is violating the truce"
    if stance != "assert":
        return stance
    if cue is not None and cue.pos_ == "VERB" and not direct:
        stance = _clause_stance(cue, lex)
        if stance != "assert":
            return stance
    low = content.lower()
    markers = lex.content_markers + (lex.quote_markers if direct else ())
    for marked, words in markers:
        if any(m in low for m in words):
            return marked
    for marked, pattern in lex.content_patterns:
        if pattern.search(content):
            return marked
    return "assert"


def reports_violation(content: str, lex: CueLexicon) -> bool:
    """The content says a wrong is being or was done ("is violating the ceasefire") and does not
    look ahead ("would violate", "if they break the truce")."""
    low = content.lower()
    if not any(v in low for v in lex.violations):
        return False
    return not any(re.search(rf"\b{re.escape(w)}\b", low) for w in lex.future_words)


def _cue_stance(cue: Token | None, content: str, lex: CueLexicon) -> str:
    if cue is None or cue.lower_ == "according":
        return "assert"
    if cue.pos_ == "NOUN":
        return lex.noun_cues.get(cue.lemma_.lower(), "assert")
    lemma = cue.lemma_.lower()
    stance = lex.stance_of.get(lemma, "assert")
    for child in cue.children:
        key = (lemma, child.lemma_.lower())
        if key in lex.phrasal:
            stance = lex.phrasal[key]
            break
    if lemma in lex.dismiss_verbs and _object_lemma(cue) in lex.dismissive_objects:
        stance = "deny"
    if lemma in lex.soft_threats and not any(w in content.lower() for w in lex.hostile_words):
        stance = "assert"
    return stance


def _clause_stance(cue: Token, lex: CueLexicon) -> str:
    """ "said the government must act" -> demand; "revealed that intelligence blamed X" -> accuse."""
    for comp in cue.children:
        if comp.dep_ != "ccomp":
            continue
        aux = [c for c in comp.children if c.dep_ == "aux"]
        first_person = any(s.lower_ in lex.first_person for s in comp.children if s.dep_.startswith("nsubj"))
        modal = any(a.lower_ in lex.demand_modals for a in aux) and not any(a.lower_ == "have" for a in aux)
        if modal and not first_person:
            return "demand"
        if is_cue_verb(comp, lex) and not any(c.dep_ == "neg" for c in comp.children):
            nested = _cue_stance(comp, "", lex)
            if nested != "assert":
                return nested
    return "assert"


def _object_lemma(cue: Token) -> str:
    for child in cue.children:
        if child.dep_ == "dobj":
            return child.lemma_.lower()
    return ""


def target_tokens(cue: Token, stance: str) -> list[Token]:
    """Tokens that may name the target, best first (the blamed, accused, denied, demanded-of)."""
    if stance in ("assert", "claim_responsibility"):
        return []
    out: list[Token] = []
    children = list(cue.children)
    if stance == "accuse":  # "blamed X on Y", "attributed X to Y": Y (the parser may hang it on X)
        scope = [t for c in children if c.dep_ == "prep" or c.dep_ == "dobj" for t in c.subtree] + children
        preps = [t for t in scope if t.dep_ == "prep" and t.lower_ in ("on", "to")]
        out += [p for c in preps for p in c.children if p.dep_ == "pobj"]
    out += [c for c in children if c.dep_ in ("dobj", "dative")]
    for c in children:
        if c.dep_ == "prep" and c.lower_ in ("against", "on", "of", "for", "to"):
            out += [p for p in c.children if p.dep_ == "pobj"]
    for c in children:
        if c.dep_ == "ccomp":
            out += [s for s in c.children if s.dep_ in ("nsubj", "nsubjpass")]
    return out
