"""Contested relations: denials in the corpus answer accusations, within and across articles.

Unit tests build extractions by hand (``mark_contested`` is pure and must work on extractions
loaded back from the store, which carry actors, claims and relations but no parse); the corpus
tests run the whole pipeline on the demo corpus and the seed.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from shared_material import shared_path

from threatscape.export import export_article
from threatscape.model import Actor, Article, Claim, Evidence, Extraction, Relation
from threatscape.resolve.contested import contested_links, extraction_from_export, mark_contested

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

ACTORS = (
    Actor("PAK", "Pakistan", "state", "PAK"),
    Actor("PAK-GOV", "Government of Pakistan", "government", "PAK"),
    Actor("AFG", "Afghanistan", "state", "AFG"),
    Actor("AFG-GOV", "Taliban government of Afghanistan", "government", "AFG"),
    Actor("p:zabihullah-mujahid", "Zabihullah Mujahid", "person", None, (), "AFG-GOV"),
    Actor("TTP", "Tehrik-i-Taliban Pakistan", "armed_group", "PAK"),
    Actor("IND-GOV", "Government of India", "government", "IND"),
)


def _article(aid: str, body: str, date: str | None) -> Article:
    return Article(id=aid, title=aid, body=body, published=date)


def _ev(body: str, text: str) -> Evidence:
    start = body.index(text)
    return Evidence(start, start + len(text), text)


def accusation(aid: str = "a1", date: str | None = "2024-03-18", extra: str = "") -> Extraction:
    body = "Pakistan accused the Taliban of sheltering the TTP." + extra
    ev = _ev(body, "Pakistan accused the Taliban of sheltering the TTP.")
    rels = (
        Relation("r:acc", "PAK", "accuses", "AFG-GOV", ev, ("sheltering",), "PAK"),
        Relation("r:shel", "AFG-GOV", "shelters", "TTP", ev, (), "PAK"),
    )
    claims = (
        Claim(
            "c:acc", "PAK", "Pakistan", "accused", "accuse", "the Taliban of sheltering the TTP", False, ev, "AFG-GOV"
        ),
    )
    return Extraction(_article(aid, body, date), ACTORS, claims=claims, relations=rels)


def denial(
    content: str,
    aid: str = "d1",
    date: str | None = "2024-03-19",
    speaker: str = "p:zabihullah-mujahid",
    target: str | None = None,
) -> Extraction:
    body = f"Mujahid denied {content}."
    ev = _ev(body, body)
    claims = (Claim("c:den", speaker, "Mujahid", "denied", "deny", content, False, ev, target),)
    return Extraction(_article(aid, body, date), ACTORS, claims=claims)


def relation(exs: list[Extraction], rid: str) -> Relation:
    return next(r for ex in exs for r in ex.relations if r.id == rid)


def test_denial_naming_the_topic_contests_across_articles():
    exs = mark_contested([accusation(), denial("that Afghan soil shelters any group")])
    acc, shel = relation(exs, "r:acc"), relation(exs, "r:shel")
    assert acc.contested and acc.contested_by == ("c:den",)
    assert shel.contested and shel.contested_by == ("c:den",)  # the alleged act is contested too


def test_generic_denial_contests_only_in_its_own_article():
    assert not relation(mark_contested([accusation(), denial("the claim")]), "r:acc").contested
    body = "Pakistan accused the Taliban of sheltering the TTP. Afghan officials deny the claim."
    same = dataclasses.replace(
        accusation(extra=" Afghan officials deny the claim."),
        claims=(
            Claim(
                "c:den",
                "AFG-GOV",
                "Afghan officials",
                "deny",
                "deny",
                "the claim",
                False,
                _ev(body, "Afghan officials deny the claim."),
                None,
            ),
        ),
    )
    assert relation(mark_contested([same]), "r:acc").contested_by == ("c:den",)


def test_denial_answering_the_accuser_contests_across_articles():
    exs = mark_contested([accusation(), denial("Pakistan's accusation", target="PAK-GOV")])
    assert relation(exs, "r:acc").contested


def test_only_the_accused_party_contests():
    assert not relation(mark_contested([accusation(), denial("sheltering", speaker="IND-GOV")]), "r:acc").contested
    # the accuser denying something is no denial of its own accusation
    assert not relation(mark_contested([accusation(), denial("sheltering", speaker="PAK-GOV")]), "r:acc").contested


def test_dates_too_far_apart_do_not_link():
    exs = mark_contested([accusation(date="2020-01-01"), denial("sheltering", date="2024-03-19")])
    assert not relation(exs, "r:acc").contested
    exs = mark_contested([accusation(date=None), denial("sheltering", date="2024-03-19")])
    assert relation(exs, "r:acc").contested  # undated: nothing says they are far apart


def test_marking_is_pure_and_idempotent():
    exs = [accusation(), denial("harbouring militants")]
    once = mark_contested(exs)
    assert not exs[0].relations[0].contested  # inputs untouched
    assert mark_contested(once) == once
    assert mark_contested([]) == []


def test_stored_exports_can_be_marked_and_give_links():
    exs = [accusation(), denial("harbouring militants")]
    loaded = [extraction_from_export(export_article(ex)) for ex in exs]
    assert loaded[0].relations == exs[0].relations and loaded[1].claims == exs[1].claims
    assert contested_links(loaded) == {"r:acc": ("c:den",), "r:shel": ("c:den",)}
    marked = export_article(mark_contested(loaded)[0])
    assert marked["relations"][0]["contested"] and marked["relations"][0]["contested_by"] == ["c:den"]


# --- the demo corpus and the seed, end to end ------------------------------------------------


@pytest.fixture(scope="module")
def corpus():
    from threatscape import pipeline
    from threatscape.settings import Settings

    files = [EXAMPLES / "islamabadledger_pakistan_feed.rss", EXAMPLES / "southasiawire_2024-2025_feed.jsonl"]
    articles = [a for a in pipeline.read_articles([str(f) for f in files], Settings()) if isinstance(a, Article)]
    return list(pipeline.extract_articles(articles))


def test_demo_accusation_and_denial_are_linked_across_articles(corpus):
    """README pair: ledger-2024-03-18-fo-strikes accuses, saw-2024-03-18-0412 denies."""
    accuser = next(
        ex for ex in corpus if ex.article.url and ex.article.url.endswith("/pakistan-strikes-inside-afghanistan-fo")
    )
    denier = next(ex for ex in corpus if ex.article.source_id == "saw-2024-03-18-0412")
    denying_ids = {c.id for c in denier.claims if c.stance == "deny"} | {r.id for r in denier.relations}
    accusations = [r for r in accuser.relations if r.predicate == "accuses" and r.object == "AFG-GOV"]
    assert accusations, [(r.subject, r.predicate, r.object) for r in accuser.relations]
    linked = [r for r in accusations if r.contested and set(r.contested_by) & denying_ids]
    assert linked, [(r.subject, r.object, r.contested_by) for r in accusations]
    assert "sheltering" in linked[0].qualifiers


def test_demo_corpus_contests_nothing_without_a_denial(corpus):
    for ex in corpus:
        for r in ex.relations:
            assert r.contested == bool(r.contested_by)
            assert r.predicate not in ("denies", "demands") or not r.contested


@pytest.mark.shared
def test_seed_accusations_are_contested_in_both_articles():
    from threatscape import pipeline
    from threatscape.settings import Settings

    articles = [
        a
        for a in pipeline.read_articles([str(shared_path("seeds", "000_ba4cf93637094098.txt"))], Settings())
        if isinstance(a, Article)
    ]
    for ex in pipeline.extract_articles(articles):
        acc = [
            r
            for r in ex.relations
            if r.predicate == "accuses" and r.subject.startswith("PAK") and r.object.startswith("AFG")
        ]
        assert acc and all(r.contested for r in acc), ex.article.title
