"""Invariants of the whole extraction, on generated news-like text: every evidence span slices
the body exactly, every fact points at actors the article lists, nothing crashes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threatscape.model import Article, to_dict
from threatscape.pipeline import Resources, extract_articles
from threatscape.structure import article_id

SUBJECTS = [
    "Gunmen",
    "The Pakistani Taliban",
    "Police",
    "A suicide bomber",
    "Protesters",
    "The army",
    "Afghan officials",
    "Zabihullah Mujahid",
    "The TTP",
    "Villagers",
    "Security forces",
]
VERBS = [
    "attacked",
    "killed 12 soldiers in",
    "denied involvement in",
    "said \u201cwe will respond\u201d about",
    "rallied in",
    "abducted 25 students from",
    "shelled",
    "demanded the release of prisoners in",
    "accused Kabul of sheltering militants in",
    "seized",
]
PLACES = ["Peshawar", "Bannu", "North Waziristan", "Quetta", "Kabul", "Khost", "a village", "the border"]
TAILS = [
    " on Sunday",
    " last year",
    " in November 2022",
    "",
    " on 3 March 2025",
    ", officials said",
    ' "',
    " (AFP)",
    " \u2014 dozens were k!lled",
]

sentence = st.builds(
    lambda s, v, p, t: f"{s} {v} {p}{t}.",
    st.sampled_from(SUBJECTS),
    st.sampled_from(VERBS),
    st.sampled_from(PLACES),
    st.sampled_from(TAILS),
)
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
bodies = st.lists(paragraph, min_size=1, max_size=4).map("\n\n".join)

RESOURCES = Resources(sanctions=None)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies, st.sampled_from([None, "2025-03-09", "2024-12-21"]))
def test_every_fact_is_anchored_in_the_body(body: str, published: str | None) -> None:
    article = Article(id=article_id(body), title="Generated", body=body, published=published)
    [ex] = list(extract_articles([article], RESOURCES))
    exported = to_dict(ex)
    actor_ids = {a.id for a in ex.actors}
    for kind in ("claims", "quantities", "events", "relations", "mentions"):
        for fact in exported[kind]:
            ev = fact["evidence"]
            assert body[ev["start"] : ev["end"]] == ev["text"] and ev["text"], (kind, fact)
    for claim in ex.claims:
        assert claim.speaker is None or claim.speaker in actor_ids
    for rel in ex.relations:
        assert {rel.subject, rel.object} <= actor_ids | {None}
    for event in ex.events:
        assert not (event.date and event.date.start and published and event.date.start > published)
