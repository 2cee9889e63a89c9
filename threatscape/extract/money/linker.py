"""Money flows and group strength, from the amounts and counts the quantity extractor found.

Flows. For each amount of money, the parse is climbed from the amount to the word that moves it
(a verb, or a noun such as "payment" or "ransom"); that word's direction (``data/money.yaml``)
says which party is which: *give* words ("paid", "offered") make the subject the payer and the
"to"/"for" object the payee; *get* words ("received", "demanded", "extorted") make the subject
the payee and the "from" object the payer; *take* words ("seized", "froze") make the subject the
taker (payee) and "from"/"of"/"belonging to" the owner (payer). A party is an actor when a
mention lies in its words, else unnamed with its words kept ("a Gulf donor"); "the family of X"
is X's. A funding relation in the same sentence fills a missing party. Who reports the flow is
the innermost statement holding the amount (or whose speaker names it just before: "with one
Member State noting that ..."), its stance the flow's; a relaying statement around it is
``via``. USD is the stated value, else the amount at the reference rate of the article's year.

An amount with no party, no word that moves it and no purpose (a trade volume, a loss, a
cost) is not a flow; it stays a quantity. The brief's financing table (who pays whom) lists the
flows that name a payer or a payee; ``threatscape flows`` and the export list them all.

Strength. A count of fighters (cadres, recruits, members, troops) is a group's strength when it
hangs on a verb of having or estimating, or the sentence speaks of ranks or strength, and never
when it hangs on a casualty or arrest verb. Its group is the armed group (or force) named nearest
in the sentence, else in the sentence before; two counts joined as a range ("between 3,000 and
5,000") are one strength with low and high.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from threatscape.extract.money.lexicon import MoneyLexicon, load_money_lexicon
from threatscape.model import (
    Actor,
    Article,
    Claim,
    DateSpan,
    Evidence,
    Extraction,
    Flow,
    Mention,
    Quantity,
    Relation,
    Strength,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["flag_sanctioned", "link_money"]

EXTRACTOR = "money"
CLIMB = 6  # steps from an amount up the parse to the word that moves it
MAX_PARTY_TOKENS = 12
FUNDING = ("funds", "supports")
GROUP_TYPES = ("armed_group",)
FORCE_TYPES = ("armed_group", "military", "state", "government")
CONTESTED_STANCES = ("accuse", "deny")
HAPPENINGS = {"killing", "killings", "bombing", "bombings", "death", "deaths", "attack", "attacks", "blast"}
STRENGTH_NOUNS = {"strength", "peak", "ranks", "manpower", "force"}
NOW_WORDS = ("currently", "now", "today", "at present", "still")
ESTIMATING = {"put", "estimate", "reckon", "assess", "believe", "count", "place", "say", "claim"}
_CLAUSE_DEPS = {"relcl", "acl", "punct", "appos", "cc", "conj", "advcl", "parataxis"}


@dataclass(frozen=True)
class _Party:
    actor: str | None
    text: str
    evidence: Evidence


def link_money(
    doc: Doc,
    article: Article,
    mentions: Sequence[Mention],
    actors: Sequence[Actor],
    claims: Sequence[Claim],
    quantities: Sequence[Quantity],
    relations: Sequence[Relation],
    dates: Sequence[DateSpan],
    lexicon: MoneyLexicon | None = None,
) -> tuple[list[Flow], list[Strength]]:
    """The flows and strengths of one article (``doc`` is its parsed body)."""
    lex = lexicon or load_money_lexicon()
    ctx = _Context(doc, article, mentions, {a.id: a for a in actors}, claims, relations, dates, lex)
    flows = [f for q in quantities if q.currency for f in [ctx.flow(q)] if f is not None]
    return flows, ctx.strengths([q for q in quantities if not q.currency])


def flag_sanctioned(ex: Extraction) -> Extraction:
    """``ex`` with each flow's ``sanctioned`` set to its parties on a loaded list (screening runs
    after extraction, so this runs after it)."""
    listed = {a.id for a in ex.actors if a.sanctions}
    if not ex.flows:
        return ex
    flows = tuple(replace(f, sanctioned=tuple(p for p in (f.payer, f.payee) if p and p in listed)) for f in ex.flows)
    return replace(ex, flows=flows)


def _fact_id(prefix: str, article: Article, start: int, end: int) -> str:
    return prefix + hashlib.sha256(f"{article.id}\0{start}\0{end}".encode()).hexdigest()[:16]


class _Context:
    def __init__(
        self,
        doc: Doc,
        article: Article,
        mentions: Sequence[Mention],
        actors: dict[str, Actor],
        claims: Sequence[Claim],
        relations: Sequence[Relation],
        dates: Sequence[DateSpan],
        lex: MoneyLexicon,
    ) -> None:
        self.doc, self.article, self.body = doc, article, article.body
        self.mentions = sorted(mentions, key=lambda m: m.evidence.start)
        self.actors, self.claims, self.relations, self.dates, self.lex = actors, claims, relations, dates, lex

    # -- shared ---------------------------------------------------------------------------

    def _evidence(self, start: int, end: int) -> Evidence:
        return Evidence(start, end, self.body[start:end], EXTRACTOR)

    def _sent_evidence(self, sent: Span) -> Evidence:
        text = self.body[sent.start_char : sent.end_char]
        return self._evidence(sent.start_char, sent.start_char + len(text.rstrip()))

    def _sentence(self, start: int) -> Span | None:
        token = self._token_at(start)
        return token.sent if token is not None else None

    def _token_at(self, start: int) -> Token | None:
        for token in self.doc:
            if token.idx <= start < token.idx + max(len(token.text), 1):
                return token
            if token.idx > start:
                return token
        return None

    def _root(self, start: int, end: int) -> Token | None:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span.root if span is not None and len(span) else self._token_at(start)

    def _mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.evidence.start < end and m.evidence.end > start]

    def _date_in(self, sent: Span) -> DateSpan | None:
        for d in self.dates:
            if d.evidence is not None and sent.start_char <= d.evidence.start < sent.end_char and d.start:
                return replace(d, evidence=None)
        return None

    def _source(self, start: int, sent: Span, mover: Token | None = None) -> tuple[Claim | None, Claim | None]:
        """The statement that reports what lies at ``start``, and the one relaying it (or None).

        A statement whose cue is the word moving the money ("kidnappers demanded a ransom") is
        the flow itself, not a report of it."""
        own = mover.lower_ if mover is not None else None
        claims = [c for c in self.claims if not (own and c.cue and c.cue.lower() == own)]
        holding = [c for c in claims if c.evidence.start <= start < c.evidence.end]
        naming: list[tuple[int, Claim]] = []
        for c in claims:
            if not c.speaker or not c.speaker_text or c.evidence.end < sent.start_char:
                continue
            at = self.body.rfind(c.speaker_text, sent.start_char, start)
            if at >= 0 and c.evidence.start < sent.end_char:
                naming.append((at, c))
        holding.sort(key=lambda c: c.evidence.end - c.evidence.start)
        inner = max(naming, key=lambda x: x[0])[1] if naming else (holding[0] if holding else None)
        if inner is None:
            return None, None
        outer = next((c for c in reversed(holding) if c.speaker and c.speaker != inner.speaker), None)
        return inner, outer

    # -- parties --------------------------------------------------------------------------

    def _party(self, token: Token) -> _Party:
        """The words of the noun phrase headed by ``token`` (without trailing clauses) and the actor
        mentioned in them; "the family of X" names X."""
        tokens = [token]
        for child in token.children:
            if child.dep_ in _CLAUSE_DEPS and child.i > token.i:
                continue
            subtree = list(child.subtree)
            if any(t.like_num or t.pos_ == "NUM" for t in subtree) and child.dep_ not in ("prep", "nummod"):
                continue  # a misparse that hangs the amount (or another party's) on this name
            tokens.extend(subtree)
        lo, hi = min(t.i for t in tokens), max(t.i for t in tokens)
        hi = min(hi, lo + MAX_PARTY_TOKENS - 1)
        while hi > lo and self.doc[hi].is_punct and self.doc[hi].text not in ")]":
            hi -= 1
        start, end = self.doc[lo].idx, self.doc[hi].idx + len(self.doc[hi].text)
        kin = self._kin_before(start)
        if kin is not None:
            start = kin
        text = self.body[start:end]
        found = self._mentions_in(start, end)
        actor = found[-1].actor if found else None
        if found and token.lemma_.lower() not in self.lex.kin and len(found) > 1:
            head = [m for m in found if m.evidence.start <= token.idx < m.evidence.end]
            actor = head[0].actor if head else actor
        return _Party(actor, text, self._evidence(start, end))

    def _is_party(self, token: Token) -> bool:
        """Whether "for X" names who gets the money: an actor, or someone's family."""
        return token.lemma_.lower() in self.lex.kin or bool(self._mentions_in(token.left_edge.idx, token.idx + 1))

    def _is_happening(self, token: Token) -> bool:
        """A parse that makes "the killing of ..." a payer: an event is no party."""
        return token.lemma_.lower() in self.lex.casualty_words or token.lower_ in HAPPENINGS

    def _kin_before(self, start: int) -> int | None:
        """Where "the family of [TTP chief] " (any kin word) begins, when it ends at ``start``."""
        m = self.lex.kin_re.search(self.body, max(0, start - 80), start)
        return m.start() if m is not None else None

    def _named(self, actor: str | None, sent: Span) -> _Party | None:
        if actor is None:
            return None
        for m in self._mentions_in(sent.start_char, sent.end_char):
            if m.actor == actor:
                return _Party(actor, m.evidence.text, replace(m.evidence, extractor=EXTRACTOR))
        name = self.actors[actor].name if actor in self.actors else actor
        return _Party(actor, name, self._evidence(sent.start_char, sent.end_char))

    def _climb(self, root: Token) -> tuple[list[Token], Token | None, tuple[str, str] | None]:
        """The tokens from the amount up to the word that moves it, that word and its role."""
        path, token = [root], root
        found: tuple[int, Token, tuple[str, str]] | None = None
        for _ in range(CLIMB):
            word = self.lex.directions.get(token.lower_) or self.lex.directions.get(token.lemma_.lower())
            if word is not None and token is not root:
                if token.pos_ in ("VERB", "AUX"):  # "received a payment": the verb says who pays
                    return path, token, word
                found = found or (len(path), token, word)
            elif token.pos_ in ("VERB", "AUX") and found is not None:
                break  # a verb that moves nothing ("said"): the noun below it is the mover
            if token.head is token:
                break
            token = token.head
            path.append(token)
        if found is not None:
            return path[: found[0]], found[1], found[2]
        return path, None, None

    def flow(self, q: Quantity) -> Flow | None:
        sent = self._sentence(q.evidence.start)
        root = self._root(q.evidence.start, q.evidence.end)
        if sent is None or root is None:
            return None
        path, mover, word = self._climb(root)
        role, direction = word if word else (None, None)
        subject = agent = None
        objects: dict[str, Token] = {}
        if mover is not None:
            subject, agent = self._subject(mover)
        nodes = list(path)
        for node in path:  # "paid Rs 1m in compensation to X", "$4m in assets belonging to X"
            for child in node.children:
                if child.dep_ == "prep" and child not in path and child.lower_ in ("in", "as", "of"):
                    nodes.extend(c for c in child.children if c.dep_ == "pobj")
        for node in nodes:
            for child in node.children:
                if child.dep_ == "prep" and child.lower_ in ("from", "to", "for", "by", "of") and child not in path:
                    pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if pobj is not None:
                        objects.setdefault(child.lower_, pobj)
                elif child.dep_ == "dative" and child not in path:
                    pobj = next((c for c in child.children if c.dep_ == "pobj"), child)
                    objects.setdefault("to", pobj)
                elif child.dep_ == "dobj" and child not in path and node is mover:
                    objects.setdefault("dobj", child)
                elif child.dep_ == "acl" and child.lemma_ in ("belong", "own"):
                    for prep in child.children:
                        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                        if pobj is not None:
                            objects.setdefault("owner", pobj)
                elif child.dep_ == "poss" and child not in path:
                    objects.setdefault("poss", child)
                elif child.dep_ == "nmod" and child not in path and child.pos_ == "PROPN":
                    objects.setdefault("nmod", child)  # "fined Khan 1 million rupees" (parsed as a modifier)
        payer = payee = None
        if role == "give":
            payer = subject or agent
            payee = objects.get("to") or objects.get("dobj")
            beneficiary = objects.get("for")
            if payee is None and beneficiary is not None and self._is_party(beneficiary):
                payee = beneficiary
        elif role == "get":
            payee = subject or agent
            payer = objects.get("from")
        elif role == "take" and direction == "fined":  # "fined Khan 1 million rupees": Khan pays
            payee = subject or agent
            named = next((n for n in path[1:] if n.pos_ == "PROPN" and n is not mover), None)  # "... and Bibi 500,000"
            payer = named or objects.get("to") or objects.get("nmod") or objects.get("dobj")
        elif role == "take":
            payee = subject or agent
            payer = (
                objects.get("from")
                or objects.get("owner")
                or objects.get("poss")
                or objects.get("of")
                or objects.get("dobj")
            )  # "the court fined Khan 1 million rupees"
        payer_p = self._party(payer) if payer is not None and not self._is_happening(payer) else None
        payee_p = self._party(payee) if payee is not None and not self._is_happening(payee) else None
        payer_p, payee_p = self._fill_from_relations(payer_p, payee_p, sent)
        purpose = self._purpose(q, sent)
        if payer_p is None and payee_p is None and direction is None and purpose is None:
            return None  # no party, no word that moves it, no purpose: a trade volume, a loss, a cost
        inner, outer = self._source(q.evidence.start, sent, mover)
        stance = inner.stance if inner is not None else "assert"
        if stance not in ("assert", "accuse", "deny", "claim_responsibility"):
            stance = "assert"
        usd, basis = q.usd, ("stated" if q.usd is not None else None)
        if usd is None and q.currency:
            year = int(self.article.date[:4]) if self.article.date else None
            converted = self.lex.usd(q.value, q.currency, year)
            if converted is not None:
                usd, basis = round(converted[0], 2), f"rate {converted[1]}"
        return Flow(
            id=_fact_id("f:", self.article, q.evidence.start, q.evidence.end),
            amount=q.value,
            evidence=self._sent_evidence(sent),
            amount_evidence=replace(q.evidence, extractor=EXTRACTOR),
            currency=q.currency,
            usd=usd,
            usd_basis=basis,
            period=q.period or _period_word(path) or "once",
            payer=payer_p.actor if payer_p else None,
            payer_text=payer_p.text if payer_p else None,
            payer_evidence=payer_p.evidence if payer_p else None,
            payee=payee_p.actor if payee_p else None,
            payee_text=payee_p.text if payee_p else None,
            payee_evidence=payee_p.evidence if payee_p else None,
            purpose=purpose,
            direction=direction,
            reported_by=inner.speaker if inner is not None else None,
            via=outer.speaker if outer is not None else None,
            stance=stance,
            contested=stance in CONTESTED_STANCES or self._denied(payer_p, payee_p, sent),
            date=self._date_in(sent),
        )

    def _subject(self, verb: Token) -> tuple[Token | None, Token | None]:
        """The active subject of ``verb`` (looking through conjoined and complement verbs) and the
        passive agent ("by X")."""
        agent = None
        for child in verb.children:
            if child.dep_ == "agent":
                agent = next((c for c in child.children if c.dep_ == "pobj"), None)
        token: Token | None = verb
        for _ in range(3):
            if token is None:
                break
            subj = next((c for c in token.children if c.dep_ in ("nsubj",)), None)
            if subj is not None:
                return subj, agent
            if token.dep_ == "conj":
                token = token.head
            elif token.dep_ == "pcomp" and token.head.dep_ == "prep":  # "accused X of receiving"
                owner = token.head.head
                dobj = next((c for c in owner.children if c.dep_ == "dobj"), None)
                return dobj, agent
            elif token.dep_ in ("xcomp", "acl"):
                token = token.head
            else:
                break
        return None, agent

    def _fill_from_relations(
        self, payer: _Party | None, payee: _Party | None, sent: Span
    ) -> tuple[_Party | None, _Party | None]:
        for rel in self.relations:
            if rel.predicate not in FUNDING or not (sent.start_char <= rel.evidence.start < sent.end_char):
                continue
            if payee is not None and payee.actor not in (None, rel.object):
                continue
            if payer is not None and payer.actor not in (None, rel.subject):
                continue
            if payer is None:
                payer = self._named(rel.subject, sent)
            if payee is None:
                payee = self._named(rel.object, sent)
            break
        return payer, payee

    def _denied(self, payer: _Party | None, payee: _Party | None, sent: Span) -> bool:
        """Whether a funding relation between the two parties is contested in the corpus so far."""
        ids = {p.actor for p in (payer, payee) if p is not None and p.actor}
        return any(
            r.contested and {r.subject, r.object} <= ids | {None} and r.predicate in FUNDING for r in self.relations
        )

    def _purpose(self, q: Quantity, sent: Span) -> str | None:
        text = sent.text.lower()
        amount = q.evidence.start - sent.start_char
        best: tuple[int, str] | None = None
        for phrase, purpose in self.lex.purposes.items():
            for at in _whole_words(text, phrase):
                if best is None or abs(at - amount) < best[0]:
                    best = (abs(at - amount), purpose)
        return best[1] if best else None

    # -- strength -------------------------------------------------------------------------

    def strengths(self, counts: Iterable[Quantity]) -> list[Strength]:
        out: list[Strength] = []
        pending = sorted(counts, key=lambda q: q.evidence.start)
        used: set[int] = set()
        for n, q in enumerate(pending):
            if n in used or q.value < 1:
                continue
            sent = self._sentence(q.evidence.start)
            root = self._root(q.evidence.start, q.evidence.end)
            unit = self._unit(q) or (self._strength_of(root) if root is not None else None)
            if unit is None or sent is None or root is None or not self._is_strength(root, sent):
                continue
            low = high = None
            end = q.evidence.end
            nxt = pending[n + 1] if n + 1 < len(pending) else None
            if nxt is not None and self._range(q, nxt):
                low, high, end = int(q.value), int(nxt.value), nxt.evidence.end
                used.add(n + 1)
            inner, _outer = self._source(q.evidence.start, sent)
            by, by_text = (inner.speaker, inner.speaker_text) if inner is not None else self._estimator(root)
            group = self._whose(root) or self._group(q.evidence.start, sent, unit)
            out.append(
                Strength(
                    id=_fact_id("s:", self.article, q.evidence.start, end),
                    value=int(high if high is not None else q.value),
                    unit=unit,
                    evidence=self._sent_evidence(sent),
                    count_evidence=self._evidence(q.evidence.start, end),
                    group=group,
                    low=low,
                    high=high,
                    qualifier=q.qualifier,
                    estimate_by=by,
                    estimate_text=by_text,
                    when=(when := self._when(sent, q.evidence.start)),
                    date=None if when in NOW_WORDS else self._date_near(sent, q.evidence.start),
                )
            )
        return out

    def _estimator(self, root: Token) -> tuple[str | None, str | None]:
        """Who puts the figure, when no statement holds it: the subject of an estimating verb
        above the count ("army officials put its strength at 3,000")."""
        token = root
        for _ in range(CLIMB):
            if token.pos_ == "VERB" and token.lemma_.lower() in ESTIMATING:
                subj, _agent = self._subject(token)
                if subj is None:
                    return None, None
                party = self._party(subj)
                return party.actor, party.text
            if token.head is token:
                break
            token = token.head
        return None, None

    def _whose(self, root: Token) -> str | None:
        """The force named in "troops from neighbouring Uganda", "fighters of the ADF"."""
        noun = root if root.pos_ in ("NOUN", "PROPN") else root.head
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in ("from", "of"):
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        found = self._mentions_in(pobj.left_edge.idx, pobj.idx + len(pobj.text))
                        if found:
                            return found[-1].actor
        return None

    def _strength_of(self, root: Token) -> str | None:
        """ "its peak strength of roughly 25,000": a count with no noun of its own, of a word of
        strength, counts fighters."""
        prep = root.head
        if prep.lower_ == "of" and prep.head.lemma_.lower() in STRENGTH_NOUNS:
            return "fighters"
        return None

    def _date_near(self, sent: Span, start: int) -> DateSpan | None:
        near = [
            d
            for d in self.dates
            if d.evidence is not None and sent.start_char <= d.evidence.start < sent.end_char and d.start
        ]
        if not near:
            return None
        return replace(min(near, key=lambda d: abs(d.evidence.start - start) if d.evidence else 0), evidence=None)

    def _unit(self, q: Quantity) -> str | None:
        words = (q.what or "").lower().split()
        return self.lex.strength_units.get(words[-1]) if words else None

    def _range(self, q: Quantity, nxt: Quantity) -> bool:
        between = self.body[q.evidence.end : nxt.evidence.start].strip().lower()
        return between in ("and", "to", "-", "–", "or") and nxt.what == q.what and nxt.value > q.value

    def _is_strength(self, root: Token, sent: Span) -> bool:
        noun = root if root.pos_ in ("NOUN", "PROPN") else root.head
        governor = noun.head.head if noun.head.dep_ in ("prep", "agent") else noun.head  # "backed by 4,000 troops"
        tokens = [noun, noun.head, governor, *noun.children, *root.children]
        if any(t.lemma_.lower() in self.lex.casualty_words or t.lower_ in self.lex.casualty_words for t in tokens):
            return False
        if any(
            t.lemma_.lower() in self.lex.strength_verbs or t.lower_ in self.lex.strength_verbs
            for t in (noun.head, governor)
        ):
            return True
        text = sent.text.lower()
        return any(w in text for w in self.lex.strength_words)

    def _group(self, start: int, sent: Span, unit: str) -> str | None:
        kinds = FORCE_TYPES if unit == "troops" else GROUP_TYPES
        here = [
            m
            for m in self._mentions_in(sent.start_char, sent.end_char)
            if self.actors.get(m.actor) and self.actors[m.actor].type in kinds
        ]
        if here:
            return min(here, key=lambda m: abs(m.evidence.start - start)).actor
        before = [
            m
            for m in self.mentions
            if m.evidence.end <= sent.start_char
            and self.actors.get(m.actor)
            and self.actors[m.actor].type in kinds
            and sent.start_char - m.evidence.end < 400
        ]
        return before[-1].actor if before else None

    def _when(self, sent: Span, start: int) -> str | None:
        """The time words of the sentence nearest the count."""
        text, at = sent.text.lower(), start - sent.start_char
        found = [(abs(i - at), p) for p in self.lex.strength_times for i in _whole_words(text, p)]
        return min(found)[1] if found else None


def _whole_words(text: str, phrase: str) -> list[int]:
    """Where ``phrase`` stands in ``text`` as whole words."""
    out, at = [], text.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        if (at == 0 or not text[at - 1].isalnum()) and (end >= len(text) or not text[end].isalnum()):
            out.append(at)
        at = text.find(phrase, at + 1)
    return out


def _period_word(path: list[Token]) -> str | None:
    for token in path:
        for child in token.children:
            word = child.lower_
            if word in ("monthly", "annual", "annually", "yearly", "weekly", "daily"):
                return {"monthly": "month", "weekly": "week", "daily": "day"}.get(word, "year")
    return None
