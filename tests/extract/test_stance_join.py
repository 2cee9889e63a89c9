"""The stance head joined to the rules' stance, and the page-shaped validation scorer."""

from __future__ import annotations

import json
from pathlib import Path

from threatscape.extract.claims.learned import (
    StanceJoin,
    choose,
    head_input,
    join_from_manifest,
    mask_names,
    masked_head_input,
)
from threatscape.model import DateSpan, Event, Evidence, Place
from threatscape.training.pages import Page, load_pages, score_events


def test_the_model_replaces_the_rules_default_only_when_sure() -> None:
    join = StanceJoin(threshold=0.8, only_assert=True)
    assert choose("assert", "accuse", 0.9, join) == "accuse"
    assert choose("assert", "accuse", 0.7, join) == "assert"
    assert choose("deny", "accuse", 0.99, join) == "deny"  # a stance the rules read from the cue stays
    assert choose("deny", "accuse", 0.99, StanceJoin(0.8, only_assert=False)) == "accuse"


def test_join_from_manifest_defaults_to_the_rules() -> None:
    assert join_from_manifest({}).threshold > 1
    join = join_from_manifest({"stance": {"join": {"threshold": 0.6, "only_assert": False}}})
    assert join == StanceJoin(0.6, False)


def test_head_input_names_speaker_and_cue_word_apart_from_the_statement() -> None:
    text = "The ministry said in a statement that the claims were false."
    assert head_input(text, "The ministry", "said in a statement") == f"The ministry [SEP] said [SEP] {text}"
    assert head_input(text, "the army", "According to") == f"the army [SEP] according to [SEP] {text}"
    assert head_input(text, None, None) == f" [SEP]  [SEP] {text}"


def test_masking_replaces_the_capitalised_words_of_names_and_keeps_the_rest() -> None:
    text = "The Rapid Support Forces said its units took the bridge near Khartoum, Ann Wambui said."
    ents = [(0, 24, "ORG"), (text.index("Khartoum"), text.index("Khartoum") + 8, "GPE")]
    ents.append((text.index("Ann"), text.index("Ann") + 10, "PERSON"))
    masked, names = mask_names(text, [*ents, (0, 3, "DATE")])
    assert masked == "Group said its units took the bridge near Place, Name said."
    assert names == {"The Rapid Support Forces": "Group", "Khartoum": "Place", "Ann Wambui": "Name"}
    assert mask_names("the interior ministry", [(0, 21, "ORG")])[0] == "the interior ministry"
    assert masked_head_input(text, "Ann Wambui", "said", ents) == f"Name [SEP] said [SEP] {masked}"


def _event(type_: str, country: str, day: str | None) -> Event:
    date = DateSpan(day, day, "day") if day else None
    place = Place(name=country, country=country, country_code=None, precision="country")
    return Event(id="e", type=type_, sub_type=None, evidence=Evidence(0, 1, "x", "events"), location=place, date=date)


def test_pages_are_scored_by_type_country_and_date() -> None:
    gold = {
        "events": [
            {"type": "Battles", "location": {"country": "Mali"}, "date": {"iso": "2025-07-01"}},
            {"type": "Protests", "location": {"country": "Kenya"}, "date": {"iso": None}},
            {"type": "Riots", "location": {"country": "Kenya"}, "date": {"iso": "2024-06-25"}, "background": True},
        ]
    }
    page = Page("P1", "text", None, None, gold)
    out = [
        _event("Battles", "Mali", "2025-07-02"),  # a day off: found
        _event("Protests", "Kenya", None),  # the gold gives no date: found
        _event("Battles", "Niger", "2025-07-01"),  # wrong country: a false event
    ]
    score = score_events([page], {"P1": out})
    assert (score.found, score.total, score.ok, score.out) == (2, 2, 2, 3)
    assert score_events([page], {"P1": [_event("Battles", "Mali", "2025-07-05")]}).found == 0


def test_load_pages_reads_texts_with_gold(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "PGX.txt").write_text("A page.", encoding="utf-8")
    rows = [{"id": "PGX", "published": {"iso": "2025-01-02"}, "events": []}, {"id": "PGY", "events": []}]
    (tmp_path / "gold-a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    pages = load_pages(tmp_path)
    assert [(p.id, p.published, p.text) for p in pages] == [("PGX", "2025-01-02", "A page.")]


def test_the_packaged_pages_load() -> None:
    pages = load_pages()
    assert len(pages) >= 50
    assert sum(1 for p in pages if not any(not e.get("background") for e in p.gold.get("events", []))) >= 6
