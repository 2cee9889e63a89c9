"""Claims: direct quotes, reported speech, speakers, stances, targets; invariants under hypothesis.

Unit tests use a tiny stand-in actor registry built from spaCy entities (so they pin the claim
logic, not the actor KB); the seed test runs the real ``extract_actors`` against the seed gold.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shared_material import shared_path

from threatscape.extract.claims import EXTRACTOR, extract_claims
from threatscape.extract.claims.lexicon import load_cues
from threatscape.extract.claims.quotes import find_quotes
from threatscape.model import STANCES, Actor, Article, Claim, Evidence, Mention

ENT_TYPES = {"PERSON": "person", "ORG": "other", "GPE": "state", "NORP": "state"}


class StandInActors:
    """Just enough of ``ArticleActors``: one actor per entity text, mentions at entity spans."""

    def __init__(self) -> None:
        self.actors: list[Actor] = []
        self.mentions: list[Mention] = []

    def add_actor(self, name: str, type: str, country: str | None = None) -> str:
        for a in self.actors:
            if a.name.lower() == name.lower():
                return a.id
        actor_id = "a:" + hashlib.sha1(name.lower().encode()).hexdigest()[:8]
        self.actors.append(Actor(actor_id, name, type, country))
        return actor_id

    def actor_at(self, start: int, end: int) -> str | None:
        for m in self.mentions:
            if m.evidence.start < end and start < m.evidence.end:
                return m.actor
        return None

    def resolve_phrase(self, text: str, start: int | None = None) -> str | None:
        return next((a.id for a in self.actors if a.name.lower() == text.lower()), None)

    def name(self, actor_id: str | None) -> str | None:
        return next((a.name for a in self.actors if a.id == actor_id), None)


@pytest.fixture(scope="module")
def nlp():
    from threatscape.extract.nlp import load_nlp

    return load_nlp()


def run(nlp, body: str) -> tuple[list[Claim], StandInActors]:
    doc = nlp(body)
    reg = StandInActors()
    for ent in doc.ents:
        if ent.label_ in ENT_TYPES:
            actor = reg.add_actor(ent.text, ENT_TYPES[ent.label_])
            reg.mentions.append(Mention(actor, Evidence(ent.start_char, ent.end_char, ent.text)))
    article = Article(id="t:" + hashlib.sha1(body.encode()).hexdigest()[:8], title="", body=body)
    return extract_claims(doc, article, reg), reg


def find(claims: list[Claim], text: str) -> Claim:
    hits = [c for c in claims if text in c.content]
    assert hits, f"no claim containing {text!r} in {[c.content for c in claims]}"
    return hits[0]


# --- quotes ---------------------------------------------------------------------------------


def test_quotes_straight_curly_and_partial():
    body = 'He dismissed Khan as “narcissistic” and "mentally ill". Pakistan’s army’s view.'
    quotes = [body[q.inner_start : q.inner_end] for q in find_quotes(body)]
    assert quotes == ["narcissistic", "mentally ill"]


def test_quote_running_into_next_paragraph_is_open_ended():
    body = "“First paragraph of the quote.\n“Second one,” he said."
    quotes = find_quotes(body)
    assert [body[q.inner_start : q.inner_end] for q in quotes] == ["First paragraph of the quote.", "Second one,"]
    assert quotes[0].open_ended and not quotes[1].open_ended


def test_single_quotes_but_not_apostrophes():
    body = "‘We will fight,’ the commander said. The TTPs’ attacks and Pakistan’s army."
    assert [body[q.inner_start : q.inner_end] for q in find_quotes(body)] == ["We will fight,"]


@given(st.text(alphabet=st.sampled_from(list("ab “”\"‘’'\n.,")), max_size=80))
def test_find_quotes_never_fails_and_spans_are_inside(body):
    for q in find_quotes(body):
        assert 0 <= q.start <= q.inner_start <= q.inner_end <= q.end <= len(body)


# --- direct quotes ----------------------------------------------------------------------------


def test_direct_quote_pronoun_it_is_the_report(nlp):
    body = (
        "The group gets support from Kabul, a United Nations report said on Monday.\n"
        "“The ambition and scale of its attacks had significantly increased,” it said.\n"
        "“The Taliban continued to provide logistical support.”\n"
        "The development comes as Pakistan struggles to contain militancy."
    )
    claims, reg = run(nlp, body)
    first, second, third = (find(claims, t) for t in ("support from Kabul", "ambition", "continued to provide"))
    assert first.speaker is not None and first.speaker_text == "a United Nations report"
    assert second.speaker == first.speaker and second.speaker_text == "it" and second.direct
    assert second.content.startswith("The ambition") and "“" not in second.content
    assert third.speaker == first.speaker and third.cue is None  # a quote-only paragraph keeps the speaker
    assert not any("development comes" in c.content for c in claims)  # editorial framing: no claim


def test_partial_quotes_with_criticism(nlp):
    body = (
        "The military spokesman, Ahmed Chaudhry, dismissed Imran Khan as “narcissistic” and “mentally ill” on Friday."
    )
    claims, reg = run(nlp, body)
    claim = find(claims, "narcissistic")
    assert claim.direct and claim.stance == "criticize" and claim.cue == "dismissed"
    assert "mentally ill" in claim.content
    assert reg.name(claim.target) == "Imran Khan"


def test_quote_after_cue_with_nominal_speaker_and_continuation(nlp):
    body = (
        "“We regard Imran Khan as a national hero,” said a resolution presented at the rally in Peshawar.\n\n"
        "“We demand immediate justice for all political prisoners,” it added."
    )
    claims, reg = run(nlp, body)
    hero, demand = find(claims, "national hero"), find(claims, "We demand")
    assert hero.speaker_text == "a resolution presented at the rally in Peshawar"
    assert hero.speaker is not None and reg.name(hero.speaker) == "resolution"
    assert demand.speaker == hero.speaker and demand.stance == "demand" and demand.cue == "added"


def test_unbalanced_quote_does_not_fail_the_article(nlp):
    body = 'Officials said the road was closed. He called it "a disgrace.\nThe army said it would reopen the road.'
    claims, _ = run(nlp, body)
    assert find(claims, "road was closed").stance == "assert"
    assert find(claims, "would reopen").speaker_text == "The army"


# --- reported speech --------------------------------------------------------------------------


def test_reported_speech_deny_and_insist(nlp):
    body = "Afghan officials deny involvement and insist that the attacks are an internal matter of Islamabad."
    claims, reg = run(nlp, body)
    deny, insist = find(claims, "involvement"), find(claims, "internal matter")
    assert deny.stance == "deny" and deny.speaker_text == "Afghan officials" and not deny.direct
    assert insist.stance == "assert" and insist.speaker == deny.speaker
    assert reg.name(deny.speaker) == "Afghan officials"


def test_blame_and_accuse_target(nlp):
    body = "Pakistan has frequently blamed the violence on Afghanistan, accusing it of sheltering militant groups."
    claims, reg = run(nlp, body)
    accusing = [c for c in claims if c.cue == "accusing"][0]
    assert accusing.stance == "accuse" and reg.name(accusing.speaker) == "Pakistan"
    assert reg.name(accusing.target) == "Afghanistan"


def test_nested_attribution_keeps_both(nlp):
    body = (
        "The report said the Taliban continued to provide support, with one Member State noting that "
        "the family of the group's chief received a monthly payment."
    )
    claims, reg = run(nlp, body)
    outer = [c for c in claims if c.speaker_text == "The report"]
    inner = [c for c in claims if c.speaker_text == "one Member State"]
    assert outer and inner
    assert "monthly payment" in inner[0].content and inner[0].cue == "noting"


def test_according_to_and_stances(nlp):
    body = (
        "According to local police, four gunmen were killed.\n"
        "The Islamic State group claimed responsibility for the market bombing.\n"
        "The minister warned that further attacks were likely.\n"
        "The rebels threatened to attack the capital.\n"
        "Human Rights Watch urged the government to release the detainees.\n"
        "No group has so far claimed responsibility for the ambush."
    )
    claims, _ = run(nlp, body)
    police = find(claims, "four gunmen")
    assert police.cue == "according to" and police.speaker_text == "local police"
    stances = {c.cue: c.stance for c in claims}
    assert stances["claimed"] == "claim_responsibility"
    assert stances["warned"] == "warn"
    assert stances["threatened"] == "threaten"
    assert stances["urged"] == "demand"
    assert sum(c.stance == "claim_responsibility" for c in claims) == 1  # "no group" claims nothing


def test_pronoun_he_is_the_last_person_speaker(nlp):
    body = (
        "Information Minister Attaullah Tarrar said the rally failed.\n“They have ruined their own politics,” he said."
    )
    claims, reg = run(nlp, body)
    quote = find(claims, "ruined")
    assert quote.speaker == find(claims, "rally failed").speaker
    assert quote.speaker_text == "he"


def test_claims_carry_evidence_and_stable_ids(nlp):
    body = "“The road is closed,” the police said. Witnesses said the bridge had collapsed."
    first, _ = run(nlp, body)
    again, _ = run(nlp, body)
    assert [c.id for c in first] == [c.id for c in again]
    assert len({c.id for c in first}) == len(first) == 2
    for c in first:
        assert body[c.evidence.start : c.evidence.end] == c.evidence.text
        assert c.evidence.extractor == EXTRACTOR
    assert find(first, "bridge").speaker_text == "Witnesses"


def test_lexicon_loads_every_stance():
    lex = load_cues()
    assert set(lex.stance_of.values()) <= set(STANCES)
    assert lex.stance_of["say"] == "assert" and lex.stance_of["deny"] == "deny"
    assert lex.phrasal[("claim", "responsibility")] == "claim_responsibility"


def test_conjoined_names_each_get_a_claim(nlp):
    body = "Israel has blamed the rocket fire on Syria and Iran, an allegation denied by Damascus and Tehran."
    claims, _ = run(nlp, body)
    denials = [c for c in claims if c.stance == "deny"]
    assert sorted(c.speaker_text for c in denials) == ["Damascus", "Tehran"]
    assert len({c.id for c in denials}) == 2 and all("rocket fire" in c.content for c in denials)


def test_the_group_is_the_organisation_that_spoke_last(nlp):
    body = (
        "Human Rights Watch said soldiers killed at least 17 villagers in March.\n"
        "The group called for an independent inquiry into the killings."
    )
    claims, _ = run(nlp, body)
    said, called = find(claims, "17 villagers"), find(claims, "independent inquiry")
    assert called.speaker == said.speaker and called.speaker_text == "The group" and called.stance == "demand"


def test_definite_role_is_the_person_named_last(nlp):
    body = (
        "Lahore councillor Farida Malik was detained on Tuesday over fraud charges.\n"
        "The opposition politician said she would keep fighting the case."
    )
    claims, reg = run(nlp, body)
    assert reg.name(find(claims, "keep fighting").speaker) == "Farida Malik"


def test_quote_ending_a_sentence_does_not_take_the_next_sentences_cue(nlp):
    body = "She described the camp as “a place where nobody feels safe.” She asked for more police patrols."
    claims, _ = run(nlp, body)
    asked = [c for c in claims if c.cue == "asked"]
    assert asked and not asked[0].direct and "police patrols" in asked[0].content
    assert find(claims, "nobody feels safe").cue == "described"


def test_reported_words_stop_where_a_separately_attributed_quote_begins(nlp):
    body = (
        "Amina Yusuf told Reuters that the gunmen entered the village before dawn. "
        "“The wounded are still waiting for help,” Yusuf said."
    )
    claims, _ = run(nlp, body)
    told = [c for c in claims if c.cue == "told"][0]
    assert "wounded" not in told.content and told.content.endswith("before dawn")
    quote = find(claims, "wounded are still")
    assert quote.direct and quote.cue == "said" and quote.speaker_text == "Yusuf"


def test_passive_claim_and_quote_attributed_by_according_to(nlp):
    body = (
        "The attack was claimed by the Islamic State group.\n"
        "“This was a barbaric attack on unarmed villagers,” according to a statement from the army."
    )
    claims, _ = run(nlp, body)
    claimed = find(claims, "The attack")
    assert claimed.stance == "claim_responsibility" and claimed.speaker_text == "the Islamic State group"
    quote = find(claims, "barbaric attack")
    assert quote.direct and quote.cue == "according to" and quote.content.endswith("villagers")
    assert quote.speaker_text == "a statement from the army" and quote.stance == "criticize"


# --- invariants -------------------------------------------------------------------------------

WORDS = ["He", "said", "officials", "denied", "“", "”", '"', "‘", "’", "the", "army", "it", "added", ".", ",", "\n"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_any_text_gives_claims_whose_evidence_slices_the_body(nlp, words):
    body = " ".join(words)
    claims, _ = run(nlp, body)
    for c in claims:
        assert body[c.evidence.start : c.evidence.end] == c.evidence.text and c.evidence.text
        assert c.stance in STANCES and c.content.strip()
    assert len({c.id for c in claims}) == len(claims)


# --- the seed --------------------------------------------------------------------------------


def _norm(s: object) -> str:
    s = unicodedata.normalize("NFKC", str(s or "")).lower().replace("’", "'")
    return " ".join(re.sub(r"[^\w\s]", " ", s).split())


@pytest.mark.shared
def test_seed_gold_claims(nlp):
    from threatscape.extract.actors import extract_actors
    from threatscape.resolve.actors import load_actor_kb

    gold = json.loads(shared_path("seeds", "000_ba4cf93637094098.gold.json").read_text(encoding="utf-8"))
    groups = {k: {_norm(a) for a in v} for k, v in gold["actors"].items()}
    text = shared_path("seeds", "000_ba4cf93637094098.txt").read_text(encoding="utf-8")
    bodies = re.findall(r"^(?:KARACHI|ISLAMABAD): (.*?)(?=\n\n\n|\Z)", text, re.S | re.M)
    assert len(bodies) == len(gold["articles"]) == 2
    kb, missed = load_actor_kb(), []
    for body, spec in zip(bodies, gold["articles"], strict=True):
        article = Article(id=spec["title"][:20], title=spec["title"], body=body)
        doc = nlp(body)
        actors = extract_actors(doc, article, kb)
        claims = extract_claims(doc, article, actors)

        def is_actor(ref, group, actors=actors):
            names = {_norm(ref)} | {_norm(n) for a in actors.actors if a.id == ref for n in (a.name, *a.aliases)}
            return bool(names & groups[group])

        for want in spec["claims"]:
            ok = any(
                is_actor(c.speaker, want["speaker"])
                and _norm(want.get("contains", "")) in _norm(c.content)
                and c.stance in want.get("stance", STANCES)
                and ("target" not in want or is_actor(c.target, want["target"]))
                for c in claims
            )
            if not ok:
                missed.append(want)
    assert not missed


def test_the_stance_head_reads_each_claim_of_a_two_statement_sentence_as_its_own_clause(nlp) -> None:
    from threatscape.extract.claims.learned import statement_of

    body = (
        "The interior ministry denied that police had fired on the marchers and said two officers "
        "were hurt by stones. Separately, the governor said the curfew would end on Monday."
    )
    claims, _ = run(nlp, body)
    first = [c for c in claims if c.evidence.start == 0]
    assert sorted(c.cue.split()[0] for c in first if c.cue) == ["denied", "said"]
    texts = {c.cue.split()[0]: statement_of(c, claims) for c in first if c.cue}
    assert "two officers" in texts["said"] and "fired" not in texts["said"]
    assert "fired on the marchers" in texts["denied"] and "two officers" not in texts["denied"]
    assert all(t.startswith("The interior ministry") for t in texts.values())
    (governor,) = [c for c in claims if c.evidence.start > 0]
    assert statement_of(governor, claims) == governor.evidence.text  # alone in its sentence: the sentence
