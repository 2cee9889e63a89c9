"""Actor mentions on real-shaped text: KB names, metonymy, roles, short forms, "the group"."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shared_material import shared_path

from threatscape.extract.actors import EXTRACTOR, extract_actors
from threatscape.extract.nlp import load_nlp
from threatscape.model import Article
from threatscape.resolve.actors import load_actor_kb

BODY = (
    "Islamabad has accused Kabul of sheltering the Tehreek-e-Taliban Pakistan (TTP), "
    "which claimed a suicide blast in Kabul last week. Afghan officials deny the charge.\n\n"
    "Defence Minister Khawaja Asif said the group would be defeated. Ali Amin Gandapur, the chief "
    "minister of Khyber Pakhtunkhwa, called for talks, while security forces raided hideouts.\n\n"
    "The Tehrik-i-Taliban Pakistan, led by Noor Wali Masoud, rejected the offer. Asif said talks "
    "with the militants were impossible."
)


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def kb():
    return load_actor_kb()


def _extract(nlp, kb, body, dateline=None):
    return extract_actors(nlp(body), Article(id="t", title="", body=body, dateline=dateline), kb)


@pytest.fixture(scope="module")
def reg(nlp, kb):
    return _extract(nlp, kb, BODY)


def _at(reg, phrase, nth=0):
    start = [m.start() for m in re.finditer(re.escape(phrase), reg.body)][nth]
    return reg.actor_at(start, start + len(phrase))


def test_ruler_keeps_kb_names_whole_with_ids(nlp):
    doc = nlp("KARACHI: The Tehreek-e-Taliban Pakistan and Pakistan Tehreek-e-Insaf met Noor Wali Masoud.")
    ents = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
    assert ("Tehreek-e-Taliban Pakistan", "ORG", "TTP") in ents
    assert ("Pakistan Tehreek-e-Insaf", "ORG", "PTI") in ents
    assert ("Noor Wali Masoud", "PERSON", "p:noor-wali-mehsud") in ents


def test_paragraph_starts_still_start_sentences(nlp):
    doc = nlp("The army said so\n\nTroops moved in")
    assert next(t for t in doc if t.text == "Troops").is_sent_start


def test_capitals_are_governments_only_when_they_act(reg):
    assert _at(reg, "Islamabad") == "PAK-GOV"
    assert _at(reg, "Kabul") == "AFG-GOV"
    assert _at(reg, "Kabul", 1) is None  # "a suicide blast in Kabul" is a place


def test_transliterations_are_one_actor_with_every_surface_form(reg):
    assert _at(reg, "Tehreek-e-Taliban Pakistan") == "TTP"
    assert _at(reg, "Tehrik-i-Taliban Pakistan") == "TTP"
    ttp = next(a for a in reg.actors if a.id == "TTP")
    assert {"Tehreek-e-Taliban Pakistan", "TTP", "Tehrik-i-Taliban Pakistan"} <= {ttp.name, *ttp.aliases}


def test_roles_and_affiliations(reg):
    roles = {m.evidence.text: m.role for m in reg.mentions if m.role}
    assert roles.get("Khawaja Asif") == "Defence Minister"
    assert roles.get("Ali Amin Gandapur") == "chief minister of Khyber Pakhtunkhwa"
    asif = next(a for a in reg.actors if a.id == "p:khawaja-asif")
    assert asif.type == "person" and asif.affiliation == "PAK-GOV"
    assert not any(a.name == "Khyber Pakhtunkhwa" for a in reg.actors)


def test_short_forms_join_the_full_name(reg):
    assert _at(reg, "Asif said") == "p:khawaja-asif"
    assert sum(a.type == "person" and "Asif" in a.name for a in reg.actors) == 1


def test_group_anaphors_and_generic_nouns_use_the_focus(reg):
    assert _at(reg, "the group") == "TTP"
    assert _at(reg, "security forces") == "PAK-MIL"
    assert reg.resolve_phrase("the militants", start=reg.body.index("the militants")) == "TTP"
    assert reg.resolve_phrase("the group", start=0) is None  # nothing named before


def test_resolve_phrase(reg):
    assert reg.resolve_phrase("Afghan officials") == "AFG-GOV"
    assert reg.resolve_phrase("Gandapur") == "p:ali-amin-gandapur"
    assert reg.resolve_phrase("the Taliban's Ministry of Information") == "AFG-GOV"  # the one actor named
    assert reg.resolve_phrase("a resolution presented at the rally") is None


def test_add_actor_is_stable_across_articles(nlp, kb):
    one = _extract(nlp, kb, "Mahrang Baloch led the march.")
    two = _extract(nlp, kb, "Police arrested Mahrang Baloch on Saturday.")
    assert one.add_actor("Mahrang Baloch", "person") == two.add_actor("Mahrang Baloch", "person")
    assert one.add_actor("Pakistani Taliban", "armed_group") == "TTP"
    new = one.add_actor("Sindh Rangers", "military", country="PK")
    assert new == "o:sindh-rangers" and one.get(new).country == "PAK"


def test_evidence_slices_the_body(reg):
    assert reg.mentions
    for m in reg.mentions:
        assert reg.body[m.evidence.start : m.evidence.end] == m.evidence.text
        assert m.evidence.extractor == EXTRACTOR
    assert {m.actor for m in reg.mentions} <= {a.id for a in reg.actors}


def test_doc_must_be_the_body(nlp, kb):
    with pytest.raises(ValueError):
        extract_actors(nlp("other text"), Article(id="t", title="", body="Body"), kb)


def _norm(s):
    s = unicodedata.normalize("NFKC", str(s or "")).lower().replace("’", "'")
    return " ".join(re.sub(r"[^\w\s]", " ", s).split())


def _seed_bodies():
    text = shared_path("seeds", "000_ba4cf93637094098.txt").read_text(encoding="utf-8")
    first, second = text.split("\n\n\nPakistan opposition rallies", 1)
    return [
        ("KARACHI", first.split("KARACHI: ", 1)[1].strip()),
        ("ISLAMABAD", second.split("ISLAMABAD: ", 1)[1].strip()),
    ]


@pytest.mark.shared
def test_seed_articles_find_every_gold_actor(nlp, kb):
    gold = json.loads(shared_path("seeds", "000_ba4cf93637094098.gold.json").read_text(encoding="utf-8"))
    groups = {k: {_norm(x) for x in v} for k, v in gold["actors"].items()}
    for (dateline, body), art in zip(_seed_bodies(), gold["articles"], strict=True):
        reg = _extract(nlp, kb, body, dateline)
        names = [{_norm(a.name), *(_norm(x) for x in a.aliases)} for a in reg.actors]
        missing = [g for g in art["actors"] if not any(n & groups[g] for n in names)]
        assert not missing, f"{dateline}: {missing}"


@pytest.mark.shared
def test_seed_roles(nlp, kb):
    (_, first), (_, second) = _seed_bodies()
    reg = _extract(nlp, kb, first, "KARACHI")
    noor = reg.get("p:noor-wali-mehsud")
    assert noor is not None and noor.affiliation == "TTP"
    assert any(m.role == "TTP chief" for m in reg.mentions if m.actor == noor.id)
    reg2 = _extract(nlp, kb, second, "ISLAMABAD")
    assert reg2.resolve_phrase("Khan") == "p:imran-khan"
    roles = {m.actor: m.role for m in reg2.mentions if m.role}
    assert roles["p:attaullah-tarrar"] == "Information Minister"
    assert roles["p:sohail-afridi"] == "chief minister of Khyber Pakhtunkhwa"
    assert reg2.get("p:ahmed-sharif-chaudhry").affiliation == "PAK-MIL"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("abc TTP Kabul-e-,.\n’'()[]Khan")), max_size=120))
def test_any_text_gives_valid_evidence(nlp, kb, body):
    reg = _extract(nlp, kb, body)
    for m in reg.mentions:
        assert body[m.evidence.start : m.evidence.end] == m.evidence.text


def test_provincial_institutions(nlp, kb):
    body = "The Sindh government and Punjab police said gunmen attacked protesters in Quetta."
    reg = _extract(nlp, kb, body)
    sindh = reg.get("o:sindh-government")
    assert sindh is not None and sindh.type == "government" and sindh.affiliation == "PAK-GOV"
    assert _at(reg, "Punjab police") == "PAK-POL"
    assert _at(reg, "gunmen") == "PAK-UAG"
    assert reg.get("PAK-PRO").type == "civilians"


def test_affiliations_name_actors_of_the_article(reg):
    ids = {a.id for a in reg.actors}
    assert all(a.affiliation in ids for a in reg.actors if a.affiliation)
