"""The per-doc cache gives exactly what spaCy's own properties give."""

from __future__ import annotations

import pytest

from threatscape.extract.nlp import doccache

TEXT = (
    "Islamabad accused Kabul of sheltering the TTP. Afghan officials denied it.\n\n"
    "Defence Minister Khawaja Asif said talks were impossible. The group rejected the offer!"
)


@pytest.fixture(scope="module")
def doc():
    from threatscape.extract.nlp import load_nlp

    return load_nlp()(TEXT)


def test_same_as_spacy(doc):
    assert doccache.doc_text(doc) == doc.text == TEXT
    assert doccache.sentences(doc) == list(doc.sents)
    assert doccache.doc_entities(doc) == tuple(doc.ents)
    assert all(doccache.sentence_of(tok) == tok.sent for tok in doc)


def test_memo_and_release(doc):
    calls = []
    first = doccache.memo(doc, "test.count", lambda d: calls.append(1) or len(d))
    assert doccache.memo(doc, "test.count", lambda d: calls.append(1) or len(d)) == first == len(doc)
    assert calls == [1]
    doccache.release(doc)
    assert doccache.KEY not in doc.user_data
