"""Stance read from what a neutral cue reports, with the real actor knowledge base: a party telling of
another side's violence accuses it, observers only report; backing and sponsorship are accusations;
a deadline set for others is a demand; a warning that a wrong is being done accuses; "witness
accounts" are the witnesses speaking. Sentences are our own."""

from __future__ import annotations

import pytest

from threatscape.model import Article, Claim
from threatscape.pipeline import Resources, extract_articles


@pytest.fixture(scope="module")
def res() -> Resources:
    return Resources()


def claims_of(res: Resources, body: str) -> list[Claim]:
    (extraction,) = extract_articles([Article("stance", "", body, published="2025-06-04")], res)
    return list(extraction.claims)


def claim_with(claims: list[Claim], words: str) -> Claim:
    hits = [c for c in claims if words in c.content]
    assert hits, f"no claim with {words!r} in {[c.content for c in claims]}"
    return hits[0]


def test_a_rights_group_telling_of_police_shootings_accuses_the_police(res: Resources) -> None:
    claims = claims_of(
        res,
        "Human Rights Watch said police shot dozens of marchers in the chest during the fuel-price "
        "protests in Nairobi last week.",
    )
    claim = claim_with(claims, "shot dozens")
    assert claim.stance == "accuse" and claim.target == "KEN-POL"


def test_a_group_saying_its_leader_was_detained_by_the_police_accuses_them(res: Resources) -> None:
    claims = claims_of(
        res,
        "The Baloch Yakjehti Committee said on Sunday that its organiser had been detained by the "
        "Counter Terrorism Department in Turbat overnight.",
    )
    assert claim_with(claims, "detained by").stance == "accuse"


def test_a_force_telling_of_its_own_operation_does_not_accuse(res: Resources) -> None:
    claims = claims_of(res, "Pakistan's military said on Tuesday that the Frontier Corps killed six militants in Zhob.")
    assert claim_with(claims, "killed six").stance == "assert"


@pytest.mark.parametrize(
    "body",
    [
        # an outlet relays an arrest
        "Police arrested fourteen men over the arson attack on the market, Dawn reported on Friday.",
        # unnamed witnesses tell what happened
        "According to residents, demonstrators stormed the district office and set cars alight.",
        # the doer is not named
        "A senior police official said gunmen killed two traffic wardens in Dera Ismail Khan.",
    ],
)
def test_observers_and_unnamed_doers_only_report(res: Resources, body: str) -> None:
    assert all(c.stance == "assert" for c in claims_of(res, body))


def test_saying_a_group_is_backed_by_a_neighbour_accuses(res: Resources) -> None:
    claims = claims_of(
        res, "Mali's army said the raiders were backed by foreign sponsors and armed by smugglers across the border."
    )
    assert claim_with(claims, "backed by").stance == "accuse"


def test_a_deadline_set_for_the_other_side_is_a_demand(res: Resources) -> None:
    claims = claims_of(
        res,
        "The provincial governor said on Monday that the two clans have been given ten days to hand "
        "over their heavy weapons to the district police.",
    )
    assert claim_with(claims, "ten days to hand").stance == "demand"


def test_a_day_count_that_is_no_deadline_stays_an_assertion(res: Resources) -> None:
    claims = claims_of(res, "The mayor said the water shortage would last in the days to come.")
    assert claim_with(claims, "days to come").stance == "assert"


def test_a_warning_that_a_truce_is_being_broken_accuses_but_a_warning_ahead_warns(res: Resources) -> None:
    claims = claims_of(
        res,
        "The rebel command warned that government troops are violating the truce around Kidal. "
        "The mediators warned that any new offensive would violate the truce.",
    )
    assert claim_with(claims, "are violating").stance == "accuse"
    assert claim_with(claims, "would violate").stance == "warn"


def test_eyewitness_accounts_are_the_eyewitnesses_speaking(res: Resources) -> None:
    claims = claims_of(res, "Eyewitness accounts suggested that the fire spread through the camp within minutes.")
    claim = claim_with(claims, "fire spread")
    assert claim.speaker == "o:eyewitnesses" and claim.speaker_text == "Eyewitness accounts"


def test_witnesses_telling_of_police_fire_accuse_the_police(res: Resources) -> None:
    claims = claims_of(res, "Witnesses in Lagos said Nigerian police fired live rounds at the crowd outside the court.")
    assert claim_with(claims, "fired live rounds").stance == "accuse"


def test_a_that_less_clause_read_as_an_object_is_still_a_claim_and_strikes_on_refugees_accuse(
    res: Resources,
) -> None:
    claims = claims_of(
        res, "Kabul's defence ministry claimed the raids targeted “displaced families” sheltering near Khost."
    )
    (claim,) = [c for c in claims if c.cue == "claimed"]
    assert claim.stance == "accuse" and "displaced families" in claim.content


def test_a_reduced_relative_after_claimed_is_no_claim(res: Resources) -> None:
    claims = claims_of(res, "Relatives claimed the bodies found in the river near Jalalabad on Monday.")
    assert not [c for c in claims if c.cue == "claimed"]


def test_a_party_saying_shelling_killed_villagers_accuses(res: Resources) -> None:
    claims = claims_of(res, "Sudan's army said the shelling killed villagers in two hamlets near El Obeid.")
    assert claim_with(claims, "shelling killed").stance == "accuse"


def test_a_ministry_speaks_as_itself_and_sides_with_its_state(res: Resources) -> None:
    claims = claims_of(
        res,
        "Gunmen attacked a police convoy near Popayán in southwestern Colombia on Monday. The Defense "
        "Ministry said the rebels of the Central General Staff carried out the ambush.",
    )
    claim = claim_with(claims, "carried out the ambush")
    assert claim.speaker == "COL-MOD"
    assert claim.stance == "accuse"  # a state body naming an armed group's attack
