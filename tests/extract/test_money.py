"""Money flows (who pays whom, how much, how often, for what, per whom) and group strength (how
many fighters, per whose estimate, when). The seed's flow and strength are pinned; every other
sentence here is our own."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_material import shared_path

from threatscape.errors import ConfigError
from threatscape.extract.money.lexicon import load_money_lexicon
from threatscape.model import Article, Extraction, RawDocument
from threatscape.pipeline import Resources, extract_articles
from threatscape.structure import article_id, structure_document

RESOURCES = Resources(sanctions=None)


def extract(body: str, published: str = "2024-05-01") -> Extraction:
    [ex] = extract_articles([Article(id=article_id(body), title="t", body=body, published=published)], RESOURCES)
    return ex


def one_flow(body: str, published: str = "2024-05-01"):  # type: ignore[no-untyped-def]
    ex = extract(body, published)
    assert len(ex.flows) == 1, ex.flows
    flow = ex.flows[0]
    for ev in (flow.evidence, flow.amount_evidence, flow.payer_evidence, flow.payee_evidence):
        assert ev is None or body[ev.start : ev.end] == ev.text
    return flow


@pytest.mark.shared
def test_the_seed_flow_and_strength_come_out_exactly() -> None:
    text = shared_path("seeds", "000_ba4cf93637094098.txt").read_text(encoding="utf-8")
    first = structure_document(RawDocument(origin="seed", kind="text", content=text))[0]
    [ex] = extract_articles([first], RESOURCES)
    [flow] = ex.flows
    assert (flow.amount, flow.currency, flow.period, flow.usd, flow.usd_basis) == (
        3_000_000,
        "AFN",
        "month",
        43_000,
        "stated",
    )
    assert flow.payee == "p:noor-wali-mehsud" and flow.payee_text == "the family of [TTP chief] Noor Wali Masoud"
    assert flow.payer == "AFG-GOV"  # the sentence ties the payment to the Taliban's financial support
    assert (flow.reported_by, flow.via, flow.stance, flow.contested) == ("UN-MEMBER-STATE", "UN", "assert", False)
    assert flow.direction == "received" and flow.usd_per_year == 43_000 * 12
    [strength] = ex.strengths
    assert (strength.group, strength.value, strength.unit, strength.qualifier) == ("TTP", 10_000, "fighters", "around")
    assert (strength.estimate_by, strength.estimate_text, strength.when) == (
        "PAK-GOV",
        "Pakistani officials",
        "in the past",
    )


def test_a_ransom_demanded_of_a_family() -> None:
    flow = one_flow("Kidnappers demanded a ransom of 50 million naira from the family of the abducted pastor.")
    assert (flow.purpose, flow.direction, flow.currency, flow.period) == ("ransom", "demanded", "NGN", "once")
    assert flow.payee_text == "Kidnappers" and flow.payer_text == "the family of the abducted pastor"
    assert flow.reported_by is None  # the kidnappers' demand is the flow, not a report of it
    assert flow.usd_basis == "rate 2024" and flow.usd == pytest.approx(50_000_000 / 1478.8, rel=1e-3)


def test_extortion_from_transporters_reported_by_police() -> None:
    flow = one_flow("The militia extorted Rs 2 million from transporters on the highway last month, police said.")
    assert (flow.purpose, flow.direction, flow.currency) == ("extortion", "extorted", "PKR")
    assert flow.payee_text == "The militia" and flow.payer_text == "transporters on the highway"
    assert flow.reported_by == "o:police"


def test_compensation_paid_to_families() -> None:
    flow = one_flow("The provincial government paid Rs 1 million in compensation to the family of each victim.")
    assert (flow.purpose, flow.direction) == ("compensation", "paid")
    assert flow.payer_text == "The provincial government" and flow.payee_text == "the family of each victim"


def test_frozen_assets_belong_to_the_payer_and_the_authority_takes() -> None:
    flow = one_flow(
        "Authorities in the United Arab Emirates froze $4 million in assets belonging to two financiers of al-Shabaab."
    )
    assert flow.direction == "frozen" and (flow.usd, flow.usd_basis) == (4_000_000, "stated")
    assert flow.payee == "ARE-GOV" and flow.payer_text == "two financiers of al-Shabaab"


def test_an_accusation_of_funding_is_not_a_fact_of_funding() -> None:
    flow = one_flow("The interior ministry accused the militia of receiving $2 million a month from a wealthy donor.")
    assert (flow.stance, flow.contested) == ("accuse", True)
    assert flow.payee_text == "the militia" and flow.payer_text == "a wealthy donor" and flow.period == "month"


def test_a_denial_makes_a_flow_contested() -> None:
    ex = extract("Rebel leaders denied receiving $500,000 from the regional government.")
    [flow] = ex.flows
    assert (flow.stance, flow.contested, flow.direction) == ("deny", True, "received")


def test_no_stated_dollars_converts_at_the_rate_of_the_articles_year() -> None:
    early = one_flow("The group collected 10 million rupees in taxes from farmers.", published="2021-03-02")
    late = one_flow("The group collected 10 million rupees in taxes from farmers.", published="2031-03-02")
    assert early.usd_basis == "rate 2021" and early.usd == pytest.approx(10_000_000 / 162.9, rel=1e-3)
    assert late.usd_basis == "rate 2025"  # past the table: its latest year
    assert early.purpose == "taxes" and early.direction == "raised"


def test_a_range_of_fighters_from_two_sources() -> None:
    ex = extract(
        "Al-Shabaab commanders say the group has 8,000 fighters. "
        "Somali army officials put al-Shabaab's strength at about 3,000 fighters."
    )
    figures = [(s.group, s.value, s.estimate_by) for s in ex.strengths]
    assert figures == [("AL-SHABAAB", 8_000, "AL-SHABAAB"), ("AL-SHABAAB", 3_000, "SOM-MIL")]


def test_between_two_counts_is_one_strength_with_low_and_high() -> None:
    [s] = extract("Army officials estimate that al-Shabaab has between 7,000 and 12,000 fighters.").strengths
    assert (s.group, s.low, s.high, s.value, s.unit) == ("AL-SHABAAB", 7_000, 12_000, 12_000, "fighters")


def test_casualties_and_raiding_parties_are_not_strength() -> None:
    ex = extract(
        "Police said 40 militants were killed and 12 fighters were arrested. "
        "Some 200 fighters of al-Shabaab attacked the town at dawn."
    )
    assert ex.strengths == ()


def test_a_bad_money_file_names_the_key(tmp_path: Path) -> None:
    good = Path(__file__).resolve().parents[2] / "threatscape" / "data" / "money.yaml"
    bad = tmp_path / "money.yaml"
    bad.write_text(good.read_text(encoding="utf-8").replace("purposes:", "purpose:"), encoding="utf-8")
    with pytest.raises(ConfigError, match="purpose"):
        load_money_lexicon(bad)


def test_troops_backing_a_group_are_a_strength_figure() -> None:
    [s] = extract(
        "The ADF rebels are backed by some 3,000 troops from neighbouring Uganda, according to UN experts."
    ).strengths
    assert (s.value, s.unit, s.qualifier, s.estimate_by) == (3_000, "troops", "around", "UN-EXPERTS")
    # whose troops: the actor extractor reads bare "troops" as the article's own army, not Uganda's


def test_a_peak_strength_keeps_its_own_time_and_date() -> None:
    ex = extract(
        "According to the army, the ADF currently has around 800 fighters, "
        "far below its peak strength of roughly 12,000 in the early 1990s."
    )
    now, peak = ex.strengths
    assert (now.group, now.value, now.when, now.date) == ("ADF", 800, "currently", None)
    assert (peak.group, peak.value, peak.unit, peak.when) == ("ADF", 12_000, "fighters", "peak")
    assert peak.date is not None and peak.date.start == "1990-01-01"


def test_a_court_fine_is_paid_by_each_person_fined() -> None:
    ex = extract("A tribunal in Kano fined Musa Danladi 2 million naira and Ibrahim Sule 800,000 naira on Friday.")
    assert [(f.amount, f.payer_text, f.payee_text, f.direction, f.purpose) for f in ex.flows] == [
        (2_000_000, "Musa Danladi", "A tribunal in Kano", "fined", "fine"),
        (800_000, "Ibrahim Sule", "A tribunal in Kano", "fined", "fine"),
    ]


def test_a_trade_volume_or_a_loss_is_no_flow() -> None:
    ex = extract(
        "Trade across the border fell to about $900 million last year. "
        "A trader said he had lost more than 300,000 afghanis when the crossing closed."
    )
    assert ex.flows == () and any(q.currency for q in ex.quantities)


def test_a_debt_with_no_party_named_is_a_flow_without_parties() -> None:
    flow = one_flow("About $3 billion of external debt was restructured last year.")
    assert (flow.payer, flow.payer_text, flow.payee, flow.payee_text, flow.purpose) == (None, None, None, None, "debt")


def test_a_flow_to_a_listed_name_is_flagged() -> None:
    listed = str(Path(__file__).resolve().parents[2] / "threatscape" / "data" / "un-sanctions-fixture.xml")
    body = "The group paid $5,000 a month to the family of Noor Wali Mehsud, officials said."
    article = Article(id=article_id(body), title="t", body=body, published="2024-05-01")
    [ex] = extract_articles([article], Resources(sanctions=listed))
    [flow] = ex.flows
    assert flow.payee == "p:noor-wali-mehsud" and flow.sanctioned == ("p:noor-wali-mehsud",)
    [plain] = extract_articles([article], RESOURCES)
    assert plain.flows[0].sanctioned == ()
