"""The table-driven token attributes set exactly what the model's attribute ruler and lemmatizer set."""

from __future__ import annotations

import pytest
from shared_material import shared_root

SEED = shared_root() / "seeds" / "000_ba4cf93637094098.txt"  # a real page when there, else ODD twice
# Multi-token rules ("gon na", "let 's", "y' all"), dependency-conditioned rules (expletive "there",
# pronoun case), spaces and paragraph breaks.
ODD = (
    "Y'all gon na see it. Let's go, c'm on. I ai n't going. There 's a man. You told me I had it.\n\n"
    "  It is   what it is. Gotta go, he got ta leave. Does he have it? Which did they pick?"
)


@pytest.fixture(scope="module")
def pipelines():
    spacy = pytest.importorskip("spacy")
    from threatscape.extract.nlp import MODEL, TOKEN_ATTRIBUTES, load_nlp

    ours = load_nlp()
    model = spacy.load(MODEL)
    model.add_pipe("threatscape_paragraphs", before="parser")  # registered by load_nlp
    assert TOKEN_ATTRIBUTES in ours.pipe_names and "attribute_ruler" not in ours.pipe_names
    return ours, model


def _attrs(doc):
    return [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc]


@pytest.mark.parametrize("text", [ODD, SEED.read_text(encoding="utf-8") if SEED.exists() else ODD])
def test_same_attributes_as_the_model(pipelines, text):
    ours, model = pipelines
    assert _attrs(ours(text)) == _attrs(model(text))
