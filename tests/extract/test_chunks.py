"""Long bodies in chunks: where they are cut, facts mapped back to the body, bounded memory.

The texts are ours (``tests/generated_news.py``). The 5 MB one-line text runs through
``threatscape extract`` with every extractor but with spaCy's blank English pipeline standing in
for the model: the real model needs about eight CPU minutes for 5 MB (measured: 485 s, 1.0 GB
peak, 59,000 facts, all evidence exact); the blank one has the same ``max_length`` and refuses a
5 MB text in one piece just the same. The real model runs the same path on a shorter body with
the chunk size lowered.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from generated_news import one_line_text, page_dump, paragraph
from hypothesis import given, settings
from hypothesis import strategies as st

import threatscape.extract.chunks as chunks
from threatscape.extract.chunks import Chunk, extract_in_chunks, split_chunks
from threatscape.model import Actor, Article, Evidence, Extraction, Mention, Quantity

REPO = Path(__file__).resolve().parents[2]


def _covers(body: str, found: list[Chunk], limit: int) -> None:
    assert [c.start for c in found] == [0] + [c.end for c in found[:-1]]
    assert found[-1].end == len(body)
    assert all(0 < c.end - c.start <= limit for c in found)


# --- where a body is cut ---------------------------------------------------------------------


def test_a_body_within_the_limit_is_one_chunk() -> None:
    assert list(split_chunks("Short text.", 100)) == [Chunk(0, 11)]
    assert list(split_chunks("", 100)) == []


def test_paragraph_breaks_come_first() -> None:
    import random

    rng = random.Random(3)
    body = "\n\n".join(paragraph(rng) for _ in range(60))
    found = list(split_chunks(body, 2000))
    _covers(body, found, 2000)
    assert len(found) > 5
    assert all(body[c.end - 2 : c.end] == "\n\n" for c in found[:-1])


def test_a_one_line_text_is_cut_after_a_sentence() -> None:
    body = one_line_text(50_000)
    found = list(split_chunks(body, 4000))
    _covers(body, found, 4000)
    assert all(body[c.end - 2 : c.end] == ". " for c in found[:-1])


def test_without_sentences_at_a_space_and_without_spaces_hard_at_the_limit() -> None:
    words = " ".join(["word"] * 3000)
    assert all(words[c.end - 1] == " " for c in list(split_chunks(words, 1000))[:-1])
    solid = "x" * 2500
    assert list(split_chunks(solid, 1000)) == [Chunk(0, 1000), Chunk(1000, 2000), Chunk(2000, 2500)]


@pytest.mark.parametrize(
    ("make", "cut"),
    [(lambda: one_line_text(5_000_000), ". "), (lambda: page_dump(45_000_000), "\n\n")],
    ids=["5 MB on one line", "45 MB page dump"],
)
def test_very_long_bodies_split_in_bounded_pieces_quickly(make, cut: str) -> None:
    body = make()
    t0 = time.perf_counter()
    found = list(split_chunks(body, chunks.CHUNK_CHARS))
    assert time.perf_counter() - t0 < 10
    _covers(body, found, chunks.CHUNK_CHARS)
    assert len(found) <= 2 * len(body) // chunks.CHUNK_CHARS + 1  # no tiny chunks: each past half the limit
    assert all(body[c.end - len(cut) : c.end] == cut for c in found[:-1])


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\t")), max_size=400), st.integers(min_value=1, max_value=60))
def test_any_text_is_covered_by_chunks_within_the_limit(body: str, limit: int) -> None:
    found = list(split_chunks(body, limit))
    if body:
        _covers(body, found, limit)
    else:
        assert found == []


# --- facts mapped back -----------------------------------------------------------------------


def _word_facts(doc: str, article: Article) -> Extraction:
    """A stand-in extractor: a mention and a quantity at every "bomb" of the piece it is given."""
    facts, counts = [], []
    at = article.body.find("bomb")
    while at != -1:
        evidence = Evidence(at, at + 4, "bomb", "test/1")
        facts.append(Mention("BOMB", evidence))
        counts.append(Quantity(1, evidence, what=article.id))
        at = article.body.find("bomb", at + 1)
    return Extraction(
        article, actors=(Actor("BOMB", "bomb", "other"),), mentions=tuple(facts), quantities=tuple(counts)
    )


def test_evidence_is_shifted_back_to_the_body_and_actors_merged() -> None:
    body = "\n\n".join(f"Paragraph {i} tells of a bomb in town {i}." for i in range(200))
    article = Article(id="a1", title="t", body=body)
    ex = extract_in_chunks(article, lambda text: text, _word_facts, limit=500)
    assert ex.article is article and [a.id for a in ex.actors] == ["BOMB"]
    assert len(ex.mentions) == body.count("bomb") == 200
    assert [m.evidence.start for m in ex.mentions] == sorted(m.evidence.start for m in ex.mentions)
    for fact in (*ex.mentions, *ex.quantities):
        assert body[fact.evidence.start : fact.evidence.end] == fact.evidence.text == "bomb"
    pieces = {q.what for q in ex.quantities}  # the chunk articles' ids: <id>:<offset>
    assert len(pieces) > 10 and all(p.startswith("a1:") for p in pieces)


def test_a_long_body_goes_through_every_real_extractor_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    from threatscape.export import export_article
    from threatscape.pipeline import extract_articles

    rng = random.Random(11)
    body = "\n\n".join(paragraph(rng, 5) for _ in range(24))
    monkeypatch.setattr(chunks, "CHUNK_CHARS", 2500)
    [ex] = extract_articles([Article(id="long", title="", body=body, published="2025-03-05")])
    exported = export_article(ex)
    facts = [f["evidence"] for key in ("claims", "quantities", "events", "relations") for f in exported[key]]
    assert facts and ex.mentions and ex.places
    spans = [(e["start"], e["end"], e["text"]) for e in facts]
    spans += [(m.evidence.start, m.evidence.end, m.evidence.text) for m in ex.mentions]
    spans += [(p.evidence.start, p.evidence.end, p.evidence.text) for p in ex.places if p.evidence]
    for start, end, text in spans:
        assert body[start:end] == text and text
    assert max(start for start, _, _ in spans) > len(body) - 2500  # facts from the last chunk too
    assert len({a.id for a in ex.actors}) == len(ex.actors)
    ids = [f["id"] for key in ("claims", "events", "relations") for f in exported[key]]
    assert len(set(ids)) == len(ids)


# --- end to end: 5 MB on one line ------------------------------------------------------------

LIGHT_CLI = """
import resource, sys
import spacy
import threatscape.extract.nlp as nlp_module

def blank_english(disable=()):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp

nlp_module.load_nlp = blank_english
from threatscape.cli import main
try:
    main(sys.argv[1:])
finally:
    print(f"max_rss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
"""


def test_a_five_megabyte_one_line_text_goes_through_extract(tmp_path: Path) -> None:
    page = tmp_path / "one-line.txt"
    body = one_line_text(5_000_000, seed=4)
    page.write_text(body, encoding="utf-8")
    t0 = time.perf_counter()
    run = subprocess.run(
        # chunking is under test here, not the learned layer (its cost is measured by make bench)
        [sys.executable, "-c", LIGHT_CLI, "extract", str(page), "--format", "json", "--rules-only"],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPO,
    )
    seconds = time.perf_counter() - t0
    assert run.returncode == 0, run.stderr[-3000:]
    [art] = json.loads(run.stdout)["articles"]
    assert art["body"] == body
    facts = [f for key in ("claims", "quantities", "events", "relations") for f in art[key]]
    assert max(f["evidence"]["start"] for f in facts) > len(body) - chunks.CHUNK_CHARS
    for fact in facts:
        ev = fact["evidence"]
        assert body[ev["start"] : ev["end"]] == ev["text"]
    rss_mb = int(run.stderr.rsplit("max_rss_kb=", 1)[1].split()[0]) // 1024
    print(f"5 MB one line: {seconds:.0f} s, {len(facts)} facts, peak {rss_mb} MB")
    assert rss_mb < 2000, f"peak memory {rss_mb} MB"
