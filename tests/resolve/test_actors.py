"""The actor knowledge base: aliases, transliterations, euphemisms, metonymy, demonym + noun."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threatscape.model import ACTOR_TYPES
from threatscape.resolve.actor_names import slug
from threatscape.resolve.actors import load_actor_kb, unknown_id


@pytest.fixture(scope="module")
def kb():
    return load_actor_kb()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tehreek-e-Taliban Pakistan", "TTP"),
        ("Tehrik-i-Taliban Pakistan", "TTP"),
        ("Tahreek-e-Taliban Pakistan", "TTP"),
        ("Tehrik-e Taliban Pakistan", "TTP"),
        ("the Pakistani Taliban", "TTP"),
        ("TTP", "TTP"),
        ("Fitna al-Khawarij", "TTP"),  # the Pakistani state's name for the TTP
        ("Fitna al Hindustan", "BLA"),
        ("Noor Wali Masoud", "p:noor-wali-mehsud"),
        ("Noor Wali Mahsud", "p:noor-wali-mehsud"),
        ("Al-Qaida in the Indian Subcontinent", "AQIS"),
        ("Tehreek-e-Jihad Pakistan", "TJP"),
        ("Pakistan Tehrik-e-Insaaf", "PTI"),
        ("Jaish-i-Fursan", "JAF"),
        ("Jaish al-Fursan", "JAF"),
        ("Lashkar-e-Tayyiba", "LET"),
        ("Jaish-e-Muhammad", "JEM"),
        ("Hizbullah", "HEZBOLLAH"),
        ("al-Shabab", "AL-SHABAAB"),
        ("Ansar Allah", "HOUTHIS"),
        ("Islamic State-Khorasan", "ISKP"),
        ("UN Security Council", "UNSC"),
        ("Analytical Support and Sanctions Monitoring Team", "UN-MT"),
    ],
)
def test_names_variants_and_euphemisms_resolve(kb, text, expected):
    entry = kb.lookup(text)
    assert entry is not None and entry.id == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kabul", "AFG-GOV"),
        ("Islamabad", "PAK-GOV"),
        ("Afghan officials", "AFG-GOV"),
        ("the Afghan Taliban", "AFG-GOV"),
        ("Taliban administration", "AFG-GOV"),
        ("Islamic Emirate of Afghanistan", "AFG-GOV"),
        ("Pakistani officials", "PAK-GOV"),
        ("Government of Pakistan", "PAK-GOV"),
        ("Pakistan's foreign office", "PAK-MFA"),
        ("Pakistan’s Foreign Office", "PAK-MFA"),
        ("Pakistani military", "PAK-MIL"),
        ("Pakistan Army", "PAK-MIL"),
        ("ISPR", "PAK-MIL"),
        ("Nigerian police", "NGA-POL"),
        ("Israeli forces", "ISR-MIL"),
        ("Sudanese army", "SDN-MIL"),
        ("Pakistan", "PAK"),
        ("Burkina Faso", "BFA"),
        ("Kenyan government", "KEN-GOV"),
    ],
)
def test_states_governments_militaries(kb, text, expected):
    entry = kb.lookup(text)
    assert entry is not None and entry.id == expected


def test_generic_institutions_need_the_country_in_focus(kb):
    assert kb.lookup("security forces") is None
    assert kb.lookup("security forces", country="PAK").id == "PAK-MIL"
    assert kb.lookup("the army", country="PK").id == "PAK-MIL"
    assert kb.lookup("the government", country="Nigeria").id == "NGA-GOV"
    assert kb.lookup("police", country="KEN").id == "KEN-POL"


@pytest.mark.parametrize(
    "text, country, expected",
    [
        ("the Defense Ministry", "COL", "COL-MOD"),
        ("the Defence Ministry", "COL", "COL-MOD"),
        ("Ministry of Defense of Colombia", None, "COL-MOD"),
        ("Kenya's interior ministry", None, "KEN-MOI"),
        ("the Home Ministry", "IND", "IND-MOI"),
        ("the Ministry of External Affairs", "IND", "IND-MFA"),
        ("Foreign Office of Pakistan", None, "PAK-MFA"),
        ("Lebanon's health ministry", None, "LBN-MOH"),
    ],
)
def test_a_ministry_is_its_own_actor_of_the_government(kb, text, country, expected):
    # who spoke stays the ministry; its side is the state's through the government
    entry = kb.lookup(text, country=country)
    assert entry is not None and entry.id == expected
    assert entry.type == "government" and entry.affiliation == expected[:3] + "-GOV"


def test_ministry_spellings_name_one_actor(kb):
    assert kb.lookup("Colombian Defense Ministry").name == "Ministry of Defence of Colombia"
    assert kb.lookup("defence ministry") is None  # generic: only with the country in focus


def test_acronyms_are_case_sensitive(kb):
    assert kb.lookup("ttp") is None
    words = ["the", "ttp", "and", "TTP"]
    assert [(m.start, m.target) for m in kb.match(words, [True] * 4)] == [(3, "TTP")]


def test_unknown_names_are_not_found(kb):
    assert kb.lookup("Bannu Cantonment") is None
    assert kb.lookup("a resolution presented at the rally") is None
    assert kb.lookup("") is None


def test_match_keeps_hyphenated_names_whole(kb):
    words = [
        "the",
        "Tehreek",
        "-",
        "e",
        "-",
        "Taliban",
        "Pakistan",
        "and",
        "Al",
        "-",
        "Qaeda",
        "in",
        "the",
        "Indian",
        "Subcontinent",
        ",",
        "Tehrik",
        "-",
        "e",
        "Jihad",
        "Pakistan",
    ]
    spaces = [
        True,
        False,
        False,
        False,
        False,
        True,
        True,
        True,
        False,
        False,
        True,
        True,
        True,
        True,
        False,
        True,
        False,
        False,
        True,
        True,
        False,
    ]
    found = [(m.start, m.end, m.target) for m in kb.match(words, spaces)]
    assert found == [(1, 7, "TTP"), (8, 15, "AQIS"), (16, 21, "TJP")]


def test_match_does_not_extend_over_a_plain_hyphen(kb):
    words = ["India", "-", "Pakistan", "border"]
    found = [(m.start, m.end, m.target) for m in kb.match(words, [False, False, True, False])]
    assert found == [(0, 1, "IND"), (2, 3, "PAK")]


def test_subdivisions_are_places_without_actor(kb):
    words = ["in", "Khyber", "Pakhtunkhwa", "province"]
    (m,) = kb.match(words, [True, True, True, False])
    assert (m.start, m.end, m.target, m.kind) == (1, 3, "PAK", "place")
    assert kb.lookup("Khyber Pakhtunkhwa") is None


def test_entries_are_well_formed(kb):
    for entry in kb.entries.values():
        assert entry.type in ACTOR_TYPES, entry
        assert entry.affiliation is None or kb.get(entry.affiliation) is not None, entry
        assert entry.country is None or kb.get(entry.country) is not None, entry


def test_every_country_has_its_institutions(kb):
    import pycountry

    for c in pycountry.countries:
        for suffix in ("", "-GOV", "-MIL", "-POL"):
            assert kb.get(c.alpha_3 + suffix) is not None, c.alpha_3 + suffix


def test_unknown_ids_are_stable_slugs():
    assert unknown_id("Sohail Afridi", "person") == "p:sohail-afridi"
    assert unknown_id("Baloch Yakjehti Committee", "other") == "o:baloch-yakjehti-committee"
    assert slug("Pedro Sánchez") == "pedro-sanchez"


def test_load_is_cached():
    assert load_actor_kb() is load_actor_kb()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=30))
def test_match_returns_ordered_disjoint_spans(words):
    kb = load_actor_kb()
    spans = kb.match(words, [True] * len(words))
    ends = -1
    for m in spans:
        assert ends <= m.start < m.end <= len(words)
        ends = m.end


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_lookup_never_raises(text):
    load_actor_kb().lookup(text, country="PAK")
