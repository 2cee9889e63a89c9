"""Who is speaking: the subject of a cue verb, resolved to an article actor.

Resolution order (first that answers wins):

1. the grammatical speaker of the cue: ``nsubj``; the agent of a passive ("was said by X"); the
   antecedent of a relative "who"; the noun an ``acl`` cue hangs on ("one Member State noting");
   a noun phrase right before the cue ("…, a UN report said"); the subject of the verb a
   ``conj``/``advcl``/``xcomp`` cue depends on ("…, accusing it of …");
2. a pronoun (he/she/it/they) -> the most recent earlier speaker of a compatible kind, else the
   most recent earlier actor mention of a compatible type;
3. a named actor in the phrase: its head, an apposition, the registry's ``resolve_phrase``, then a
   possessor/compound/"of" modifier ("the UN report", "the army's spokesman");
4. "the report" / "the statement" -> the speaker of an earlier text of that kind;
5. any other nominal ("officials", "witnesses", "a resolution presented at the rally") -> a new
   article actor (``add_actor``) with a short name and a type from the lexicon.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from threatscape.extract.claims.lexicon import CueLexicon
from threatscape.extract.nlp.doccache import sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from threatscape.model import Actor, Mention

__all__ = ["ActorRegistry", "Speaker", "SpeakerResolver", "phrase_span"]

SUBJECT_DEPS = ("nsubj", "csubj")
INHERIT_DEPS = ("conj", "advcl", "xcomp", "pcomp")
DROP_FROM_PHRASE = ("relcl", "appos", "advcl", "parataxis")
NAME_ENT_TYPES = {"PERSON": "person", "ORG": "other", "GPE": "state", "NORP": "other"}
MAX_INHERIT_DEPTH = 3
MAX_APPOSITIVE_SEGMENTS = 2
ANAPHOR_WINDOW = 1500  # characters back that "the group" / "the minister" may refer
SPEAKING_BODIES = {"armed_group", "other", "igo", "political_party", "media", None}
NOUN_PHRASE_POS = {"DET", "ADJ", "NOUN", "PROPN", "ADP", "NUM", "PART", "PUNCT", "CCONJ"}


class ActorRegistry(Protocol):
    """What claims need from ``threatscape.extract.actors.mentions.ArticleActors``."""

    actors: list[Actor]
    mentions: list[Mention]

    def actor_at(self, start: int, end: int) -> str | None: ...

    def resolve_phrase(self, text: str, start: int | None = None) -> str | None: ...

    def add_actor(self, name: str, type: str, country: str | None = None) -> str: ...


@dataclass(frozen=True)
class Speaker:
    actor: str | None
    text: str
    start: int
    end: int
    kind: str  # person / thing / plural
    head_lemma: str = ""


def _is_definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children)


def phrase_span(head: Token, drop: tuple[str, ...] = DROP_FROM_PHRASE) -> Span:
    """The noun phrase of ``head`` without relative clauses, appositions and edge punctuation."""
    doc = head.doc
    dropped: set[int] = set()
    for child in head.children:
        if child.dep_ in drop:
            dropped.update(t.i for t in child.subtree)
    kept = [t.i for t in head.subtree if t.i not in dropped]
    lo, hi = min(kept), max(kept)
    # keep the phrase contiguous around the head: stop at the first dropped token on each side
    for i in range(head.i, lo - 1, -1):
        if i in dropped:
            lo = i + 1
            break
    for i in range(head.i, hi + 1):
        if i in dropped:
            hi = i - 1
            break
    while lo < head.i and (doc[lo].is_punct or doc[lo].is_space or doc[lo].dep_ == "cc"):
        lo += 1
    while hi > head.i and (doc[hi].is_punct or doc[hi].is_space or doc[hi].dep_ == "cc"):
        hi -= 1
    return doc[lo : hi + 1]


def noun_before(cue: Token) -> Token | None:
    """A noun phrase ending right before the cue and opening after a comma or a quote."""
    if cue.i == 0:
        return None
    prev = cue.doc[cue.i - 1]
    if prev.pos_ not in ("NOUN", "PROPN", "PRON") or prev.is_sent_start and prev.pos_ != "PRON":
        return None
    head = prev
    while head.head.i < cue.i and head.head.i > head.i and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head
    left = head.left_edge.i
    if left == sentence_of(cue).start or cue.doc[left - 1].is_punct or cue.doc[left - 1].is_quote:
        return head
    return None


def _stray_subject(cue: Token) -> Token | None:
    """ "officials have in the past said": the parser hung the subject on the auxiliary."""
    for i in range(cue.i - 1, sentence_of(cue).start - 1, -1):
        tok = cue.doc[i]
        if tok.pos_ == "VERB":
            return None
        if tok.dep_ == "nsubj" and tok.head.pos_ == "AUX" and tok.head.i < cue.i:
            return tok
    return None


def appositive_before(cue: Token) -> Token | None:
    """ "…, Omar Farouk, one of the shopkeepers, told Reuters": the named segment before the cue."""
    doc, start = cue.doc, sentence_of(cue).start
    end = cue.i - 1
    if end <= start or doc[end].text != ",":
        return None
    segments = []
    for _ in range(MAX_APPOSITIVE_SEGMENTS):
        j = end - 1
        while j > start and doc[j].text != ",":
            j -= 1
        seg = doc[j + 1 : end] if doc[j].text == "," else doc[j:end]
        if not len(seg) or any(t.pos_ not in NOUN_PHRASE_POS for t in seg):
            break
        segments.append(seg)
        if doc[j].text != ",":
            break
        end = j
    for seg in reversed(segments):
        names = [t for t in seg if t.pos_ == "PROPN" and t.ent_type_ in NAME_ENT_TYPES]
        if names:
            return names[-1]
    return None


def subject_token(cue: Token, is_cue: Callable[[Token], bool], depth: int = 0) -> Token | None:
    """The token naming whoever utters ``cue`` (see the module docstring, step 1).

    A cue without a subject of its own borrows one: from the nearest cue verb above it ("he
    maintained X had endured … and urged …"), else from the verb it hangs on.
    """
    children = list(cue.children)
    for child in children:
        if child.dep_ == "agent":
            pobj = [g for g in child.children if g.dep_ == "pobj"]
            if pobj:
                return pobj[0]
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in children):
        return None  # "X was accused": X is not the speaker
    for child in children:
        if child.dep_ in SUBJECT_DEPS:
            if child.lower_ in ("who", "which", "that") and cue.dep_ == "relcl":
                return cue.head
            return child
    if cue.dep_ == "acl" and cue.head.pos_ in ("NOUN", "PROPN") and cue.head.i < cue.i:
        return cue.head
    before = noun_before(cue) or appositive_before(cue) or _stray_subject(cue)
    if before is not None:
        return before
    if cue.dep_ not in INHERIT_DEPS or depth >= MAX_INHERIT_DEPTH:
        return None
    node = cue  # up through coordination and complements only: "he maintained X had endured … and urged"
    while node.dep_ in ("conj", "ccomp") and node.head != node:
        node = node.head
        if is_cue(node):
            return subject_token(node, is_cue, depth + 1)
    if cue.head.pos_ in ("VERB", "AUX"):
        return subject_token(cue.head, is_cue, depth + 1)
    return None


@dataclass
class SpeakerResolver:
    """Resolves speakers in reading order and remembers them for later pronouns."""

    doc: Doc
    actors: ActorRegistry
    lexicon: CueLexicon
    history: list[tuple[int, Speaker]] = field(default_factory=list)

    def remember(self, speaker: Speaker | None, pos: int) -> None:
        if speaker is not None and speaker.actor is not None:
            self.history.append((pos, speaker))

    def resolve_all(self, head: Token, exclude: Token | None = None) -> list[Speaker]:
        """Every speaker a subject names: "Kabul and New Delhi" -> two (names only)."""
        names = [c for c in head.conjuncts if c.pos_ == "PROPN" and c.i > head.i]
        if head.pos_ != "PROPN" or not names:
            speaker = self.resolve(head, exclude=exclude)
            return [speaker] if speaker is not None else []
        spans = [phrase_span(head, DROP_FROM_PHRASE + ("conj", "cc"))] + [phrase_span(c) for c in names]
        found = [self.resolve(tok, span) for tok, span in zip([head, *names], spans, strict=True)]
        return [s for s in found if s is not None]

    def resolve(self, head: Token, span: Span | None = None, exclude: Token | None = None) -> Speaker | None:
        """The speaker named by ``head`` (a subject token), or None when it cannot be resolved.

        ``span`` fixes the words naming the speaker; ``exclude`` is the cue, kept out of them.
        """
        if head.lower_ in self.lexicon.nobody or any(c.dep_ == "det" and c.lower_ == "no" for c in head.children):
            return None  # "no group has claimed ..."
        kind_of_pronoun = self.lexicon.pronoun_kind.get(head.lower_)
        if head.pos_ == "PRON":
            if kind_of_pronoun is None:
                return None  # "we", "I", "who" without antecedent
            actor = self._antecedent(kind_of_pronoun, head.idx)
            return Speaker(actor, head.text, head.idx, head.idx + len(head), kind_of_pronoun)
        if span is None:
            span = phrase_span(head)
            if exclude is not None and span.start <= exclude.i < span.end:
                span = span.doc[span.start : exclude.left_edge.i] if exclude.i > head.i else span
        actor = self._definite_anaphor(head, span)
        if actor is None:
            actor, span = self._named_actor(head, span)
        if actor is None:
            actor = self._document_anaphor(head)
        if actor is None:
            actor = self._nominal_actor(head, span)
        return Speaker(actor, span.text, span.start_char, span.end_char, self._kind(head, actor), head.lemma_)

    def _kind(self, head: Token, actor: str | None) -> str:
        if actor is not None and self.actor_type(actor) == "person":
            return "person"
        if head.ent_type_ == "PERSON" or head.lemma_.lower() in self.lexicon.person_nouns:
            return "plural" if head.tag_ in ("NNS", "NNPS") else "person"
        return "plural" if head.tag_ in ("NNS", "NNPS") else "thing"

    def actor_type(self, actor: str) -> str | None:
        for a in self.actors.actors:
            if a.id == actor:
                return a.type
        return None

    def _antecedent(self, kind: str, before: int) -> str | None:
        for pos, sp in reversed(self.history):
            if pos < before and self._compatible(kind, sp.kind):
                return sp.actor
        for mention in sorted(self.actors.mentions, key=lambda m: m.evidence.start, reverse=True):
            if mention.evidence.end <= before:
                is_person = self.actor_type(mention.actor) == "person"
                if (kind == "person") == is_person:
                    return mention.actor
        return None

    @staticmethod
    def _compatible(pronoun: str, speaker: str) -> bool:
        if pronoun == "person":
            return speaker == "person"
        if pronoun == "thing":
            return speaker == "thing"
        return speaker in ("plural", "thing")

    def _named_actor(self, head: Token, span: Span) -> tuple[str | None, Span]:
        doc = self.doc
        if head.lemma_.lower() in self.lexicon.person_nouns:  # "the army chief, Asim Munir": the person
            person, wide = self._appos_actor(head, span)
            person = person or self._person_in(span)
            if person is not None:
                return person, wide
        name = [t for t in head.subtree if t.dep_ in ("compound", "flat") and t.head == head] + [head]
        lo, hi = min(t.i for t in name), max(t.i for t in name)
        actor = self.actors.actor_at(doc[head.i].idx, doc[head.i].idx + len(head))
        actor = actor or self.actors.actor_at(doc[lo].idx, doc[hi].idx + len(doc[hi]))
        if actor is not None:
            return actor, span
        found, wider = self._appos_actor(head, span)
        named = head.pos_ == "PROPN" and head.ent_type_ in ("PERSON", "")
        if found is not None and (not named or self.actor_type(found) == "person"):
            return found, wider  # "Dembélé, spokesman for the Armed Forces" is not the Armed Forces
        found = self.actors.resolve_phrase(span.text, span.start_char)
        if found is not None:
            return found, span
        return self._modifier_actor(head), span

    def _person_in(self, span: Span) -> str | None:
        """A named person inside a role phrase ("a spokesman for the Taliban, Zabihullah Mujahid")."""
        for m in self.actors.mentions:
            inside = span.start_char <= m.evidence.start and m.evidence.end <= span.end_char
            if inside and self.actor_type(m.actor) == "person":
                return m.actor
        return None

    def _appos_actor(self, head: Token, span: Span) -> tuple[str | None, Span]:
        for child in head.children:
            if child.dep_ == "appos":
                appos = phrase_span(child)
                found = self.actors.actor_at(appos.start_char, appos.end_char)
                if found is not None:
                    return found, self.doc[min(span.start, appos.start) : max(span.end, appos.end)]
        return None, span

    def _modifier_actor(self, head: Token) -> str | None:
        """ "the army's spokesman", "the UN report", "a report of the UN" -> that actor."""
        lemma = head.lemma_.lower()
        if lemma not in self.lexicon.person_nouns and lemma not in self.lexicon.document_nouns:
            return None
        for child in head.children:
            if child.dep_ in ("poss", "compound", "nmod", "npadvmod") or (
                child.dep_ == "prep" and child.lower_ in ("of", "for", "from")
            ):
                sub = list(child.subtree)
                found = self.actors.actor_at(sub[0].idx, sub[-1].idx + len(sub[-1]))
                if found is not None:
                    return found
        return None

    def _definite_anaphor(self, head: Token, span: Span) -> str | None:
        """ "the group said" -> the organisation that spoke last; "the opposition politician said"
        -> the person named last (both within ``ANAPHOR_WINDOW`` characters)."""
        if not _is_definite(head) or any(t.pos_ == "PROPN" for t in span):
            return None
        lemma = head.lemma_.lower()
        if lemma in self.lexicon.group_nouns:
            for pos, sp in reversed(self.history):
                near = 0 <= head.idx - pos <= ANAPHOR_WINDOW
                if near and sp.kind != "person" and self.actor_type(sp.actor or "") in SPEAKING_BODIES:
                    return sp.actor
        if lemma in self.lexicon.definite_roles and head.tag_ == "NN":
            people = [
                m
                for m in self.actors.mentions
                if m.evidence.end <= head.idx
                and head.idx - m.evidence.start <= ANAPHOR_WINDOW
                and self.actor_type(m.actor) == "person"
            ]
            if people:
                return max(people, key=lambda m: m.evidence.start).actor
        return None

    def _document_anaphor(self, head: Token) -> str | None:
        if head.lemma_.lower() not in self.lexicon.document_nouns:
            return None
        if not _is_definite(head):
            return None
        for pos, sp in reversed(self.history):
            if pos < head.idx and sp.head_lemma.lower() == head.lemma_.lower():
                return sp.actor
        for pos, sp in reversed(self.history):  # "the statement" of whoever spoke last
            if 0 <= head.idx - pos <= ANAPHOR_WINDOW and sp.kind == "thing":
                return sp.actor
        return None

    def _nominal_actor(self, head: Token, span: Span) -> str | None:
        lemma = head.lemma_.lower()
        if head.pos_ == "PROPN":
            kind = NAME_ENT_TYPES.get(head.ent_type_, "other")
            titled = any(t.lower_.strip(".") in self.lexicon.titles for t in head.lefts if t.dep_ == "compound")
            return self.actors.add_actor(span.text.strip(), "person" if titled else kind)
        if head.pos_ != "NOUN":
            return None
        if lemma in self.lexicon.source_nouns:  # "eyewitness accounts": the eyewitnesses speak
            people = [t for t in head.lefts if t.dep_ in ("compound", "amod") and t.pos_ == "NOUN"]
            if people:
                name = _plural(people[-1].lemma_.lower())
                return self.actors.add_actor(name, self.lexicon.nominal_types.get(people[-1].lemma_.lower(), "other"))
        actor_type = self.lexicon.nominal_types.get(lemma, "other")
        return self.actors.add_actor(nominal_name(head, self.lexicon), actor_type)


def _plural(noun: str) -> str:
    """ "eyewitness" -> "eyewitnesses", "survivor" -> "survivors" (enough for people nouns)."""
    return noun + ("es" if noun.endswith(("s", "sh", "ch", "x")) else "s")


def nominal_name(head: Token, lex: CueLexicon) -> str:
    """A short actor name for a nominal speaker: "the participants of the rally" -> "participants"."""
    left = [
        t for t in head.lefts if t.dep_ in ("amod", "compound", "nmod", "poss") and t.lower_ not in lex.name_determiners
    ]
    return " ".join([t.text for t in left] + [head.text])
