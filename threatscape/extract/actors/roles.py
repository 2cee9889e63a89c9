"""Roles next to person names: titles before, appositions after, "the X's chief, NAME".

Driven by ``data/actors/roles.yaml`` (``RoleLexicon``, in ``actors.lexicon``). Functions take a spaCy ``Doc`` and
token offsets and return a ``RoleSpan`` (tokens ``start:end`` of the role) or ``None``:

- ``title_before``: "TTP chief Noor Wali Masoud", "Information Minister Attaullah Tarrar",
  "[TTP chief] Noor Wali Masoud", "Lt. Gen. Ahmed Sharif Chaudhry";
- ``apposition_after``: "Sohail Afridi, the chief minister of Khyber Pakhtunkhwa, ...";
- ``role_before_comma``: "the military's media chief, Lt. Gen. Ahmed Sharif Chaudhry".

``person_role`` picks the role of a person mention and sets the person's affiliation in the
article registry from it (``role_affiliation``): an actor named in the role ("TTP chief"), else
the institution a title implies for the country the role names or the country in focus
("Lebanese President" -> ``LBN-GOV``, "Lt. Gen." -> the focus country's military).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from threatscape.extract.actors.lexicon import RoleLexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from threatscape.extract.actors.registry import ArticleActors

__all__ = [
    "RoleSpan",
    "apposition_after",
    "person_role",
    "role_affiliation",
    "role_before_comma",
    "title_before",
]

MAX_ROLE_TOKENS = 10
CLOSERS = frozenset({",", ";", ".", "(", ")", ":", "—", "–", "\n"})


@dataclass(frozen=True)
class RoleSpan:
    start: int
    end: int


def _titled(doc: Doc, start: int, end: int, lex: RoleLexicon) -> bool:
    return any(lex.is_title(t.text) for t in doc[start:end])


def title_before(doc: Doc, start: int, lex: RoleLexicon) -> RoleSpan | None:
    """Title words (and the capitalised or KB words among them) right before a name."""
    i = start
    while i > 0 and start - i < MAX_ROLE_TOKENS:
        tok = doc[i - 1]
        if (
            tok.text in ("[", "]", ".")
            or lex.is_title(tok.text)
            or tok.lower_ == "former"
            or tok.text[:1].isupper()
            and not tok.is_sent_start
            and tok.pos_ in ("PROPN", "NOUN", "ADJ")
            or tok.text in ("-", "’s", "'s")
            and i - 1 > 0
        ):
            i -= 1
        else:
            break
    while i < start and doc[i].text in ("]", ".", "-", "’s", "'s"):
        i += 1
    end = start
    while end > i and doc[end - 1].text in ("[", "]"):
        end -= 1
    if i >= end or not lex.is_title(doc[end - 1].text):
        return None
    while doc[i].text == "[":
        i += 1
    return RoleSpan(i, end) if _titled(doc, i, end, lex) else None


def apposition_after(doc: Doc, end: int, lex: RoleLexicon) -> RoleSpan | None:
    """ ", the chief minister of Khyber Pakhtunkhwa," after a name: a titled noun phrase."""
    if end >= len(doc) - 1 or doc[end].text != ",":
        return None
    i = end + 1
    if doc[i].lower_ in ("and", "or", "but", "while", "as"):
        return None
    if doc[i].lower_ in lex.determiners:
        i += 1
    j = i
    while j < len(doc) and j - i < MAX_ROLE_TOKENS and doc[j].text not in CLOSERS:
        if doc[j].pos_ in ("VERB", "AUX", "PRON") or doc[j].lower_ in ("who", "which", "that"):
            return None
        j += 1
    if j == i or (j < len(doc) and doc[j].text not in CLOSERS):
        return None
    return RoleSpan(i, j) if _titled(doc, i, j, lex) else None


def role_before_comma(doc: Doc, start: int, lex: RoleLexicon) -> RoleSpan | None:
    """ "the military's media chief, NAME": a titled phrase ending at a comma before the name."""
    if start < 2 or doc[start - 1].text != ",":
        return None
    end = start - 1
    if not lex.is_title(doc[end - 1].text):
        return None
    i = end - 1
    while i > 0 and end - i < MAX_ROLE_TOKENS:
        tok = doc[i - 1]
        if (
            tok.lower_ in lex.determiners
            or tok.text in CLOSERS
            or tok.pos_ in ("VERB", "AUX", "ADP")
            and tok.lower_ not in lex.role_links
        ):
            break
        i -= 1
    return RoleSpan(i, end)


def person_role(doc: Doc, reg: ArticleActors, start: int, end: int, actor_id: str) -> str | None:
    """The role next to a person's name, setting the person's affiliation from it."""
    lex = reg._lex
    title = title_before(doc, start, lex)
    head = title.start if title is not None else start
    spans = [s for s in (role_before_comma(doc, head, lex), apposition_after(doc, end, lex), title) if s is not None]
    if not spans:
        return None
    for span in spans:
        affiliation = role_affiliation(doc, reg, span)
        if affiliation:
            reg.set_affiliation(actor_id, affiliation)
            break
    return doc[spans[0].start : spans[0].end].text.strip("[] ")


def role_affiliation(doc: Doc, reg: ArticleActors, span: RoleSpan) -> str | None:
    words = [t.text for t in doc[span.start : span.end]]
    for m in reg.kb.match(words, [bool(t.whitespace_) for t in doc[span.start : span.end]]):
        actor_id = reg._target_id(m)
        entry = reg.kb.get(actor_id) if actor_id else None
        if entry is not None and entry.type not in ("person", "state"):
            return reg._register(entry.id, None)
    countries = [c for w in words if w[:1].isupper() and (c := reg.kb.country_code(w.rstrip("’'s")))]
    country = countries[0] if countries else reg.country
    if country is None:
        return None
    text = " ".join(w.lower().strip(".") for w in words)
    for phrase, inst in sorted(reg._lex.implied.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{re.escape(phrase)}\b", text) and reg.kb.get(f"{country}-{inst}"):
            return reg._register(f"{country}-{inst}", None)
    return reg._register(f"{countries[0]}-GOV", None) if countries else None
