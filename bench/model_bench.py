"""The learned event layer's cost: the classifier alone, and its share of end-to-end extraction.

* classifier alone: the int8 ONNX model on one thread over the demo corpus's sentences (batches
  of 32, as the extractor sends them), in sentences per second; the same-run baseline is spaCy's
  ``nlp.pipe`` over the same sentences (the parser the extractor runs anyway);
* end to end: ``extract_articles`` with the model and with ``rules_only`` on the same articles,
  against plain ``nlp.pipe`` on the same bodies; the model's share of the time is
  (with model - rules only) / with model.
"""

from __future__ import annotations

import time
from typing import Any

from bench.extract_bench import corpus

ROUNDS = 2


def _best(fn: Any) -> float:
    return min(fn() for _ in range(ROUNDS))


def run(min_words: int = 60_000) -> dict[str, Any]:
    import spacy

    from threatscape.extract.nlp import MODEL
    from threatscape.extract.nlp.encoder import EventEncoder
    from threatscape.pipeline import Resources, extract_articles

    arts = corpus(min_words)
    bodies = [a.body for a in arts]
    words = sum(len(b.split()) for b in bodies)
    nlp = spacy.load(MODEL)
    sentences = [s.text.strip() for doc in nlp.pipe(bodies[: len(bodies) // 4]) for s in doc.sents]
    sentences = [s for s in sentences if len(s.split()) >= 4]

    encoder = EventEncoder(threads=1)
    encoder.predict(sentences[:64])  # warm up

    def classify() -> float:
        t = time.perf_counter()
        encoder.predict(sentences)
        return time.perf_counter() - t

    def parse_sentences() -> float:
        t = time.perf_counter()
        for _ in nlp.pipe(sentences, batch_size=32):
            pass
        return time.perf_counter() - t

    t_model, t_parse = _best(classify), _best(parse_sentences)

    learned, rules = Resources(), Resources(rules_only=True)
    for res in (learned, rules):
        _ = (res.nlp, res.actor_kb, res.gazetteer, res.event_encoder)
        list(extract_articles(arts[:10], res))

    def end_to_end(res: Resources) -> float:
        t = time.perf_counter()
        assert sum(1 for _ in extract_articles(arts, res)) == len(arts)
        return time.perf_counter() - t

    def plain() -> float:
        t = time.perf_counter()
        for _ in nlp.pipe(bodies):
            pass
        return time.perf_counter() - t

    t_plain = _best(plain)
    t_learned = _best(lambda: end_to_end(learned))
    t_rules = _best(lambda: end_to_end(rules))
    result = {
        "sentences": len(sentences),
        "classifier_sps": len(sentences) / t_model,
        "parser_sps": len(sentences) / t_parse,
        "words": words,
        "plain_wps": words / t_plain,
        "learned_wps": words / t_learned,
        "rules_wps": words / t_rules,
        "ratio_learned_plain": t_plain / t_learned,
        "model_share": max(0.0, (t_learned - t_rules) / t_learned),
    }
    print(f"model: classifier alone, 1 thread, {len(sentences)} sentences in batches of 32")
    print(f"  int8 ONNX classifier: {result['classifier_sps']:,.0f} sentences/s (goal >= 100)")
    print(f"  spaCy nlp.pipe on the same sentences: {result['parser_sps']:,.0f} sentences/s")
    print(f"  ratio classifier / parser: {result['classifier_sps'] / result['parser_sps']:.2f}")
    print(f"model: end to end, {len(arts)} articles, {words} words, 1 process")
    print(f"  plain nlp.pipe(texts): {result['plain_wps']:,.0f} words/s")
    print(f"  threatscape with the model: {result['learned_wps']:,.0f} words/s")
    print(f"  threatscape rules only: {result['rules_wps']:,.0f} words/s")
    print(f"  ratio with the model / plain nlp.pipe: {result['ratio_learned_plain']:.2f} (goal >= 0.6)")
    print(f"  the model's share of extraction time: {result['model_share']:.0%}")
    return result
