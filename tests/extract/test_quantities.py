"""Quantities: numbers with what they count, money with ISO codes, tolls; never dates or ages."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shared_material import shared_path

from threatscape.extract.nlp import load_nlp
from threatscape.extract.quantities import EXTRACTOR, casualty_counts, extract_quantities, parse_number
from threatscape.model import Article, Quantity, RawDocument


def quantities(text: str, *, parse: bool = True) -> list[Quantity]:
    article = Article(id="t", title="t", body=text, published="2025-03-01")
    return extract_quantities(load_nlp()(text) if parse else None, article)


def only(text: str) -> Quantity:
    found = quantities(text)
    assert len(found) == 1, [q.evidence.text for q in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "what"),
    [
        ("The group carried out over 600 attacks last year.", 600, "over", "attacks"),
        ("The militia has around 10,000 fighters in the hills.", 10000, "around", "fighters"),
        ("At least 38 civilians were killed in the raid.", 38, "at least", "civilians killed"),
        ("Gunmen abducted thirty-two pupils from a madrassa.", 32, None, "pupils abducted"),
        ("Police arrested more than 35 people after the riot.", 35, "over", "people arrested"),
        ("The blast wounded 19 shoppers.", 19, None, "shoppers injured"),
        ("Shelling killed dozens of people near the border.", 12, "dozens", "people killed"),
        ("Tens of thousands of people fled the town.", 10000, "tens of thousands", "people"),
        ("Nearly 3.5 million children need aid.", 3500000, "nearly", "children"),
        ("The death toll rose to 63 on Monday.", 63, None, "death toll"),
        ("Five people died when the ferry capsized.", 5, None, "people killed"),
        ("Officials reported 14 deaths in the district.", 14, None, "deaths"),
    ],
)
def test_counts_with_qualifier_and_counted_noun(text: str, value: float, qualifier: str | None, what: str) -> None:
    q = only(text)
    assert (q.value, q.qualifier, q.what) == (value, qualifier, what)
    assert q.unit is None and q.currency is None


def test_two_counts_in_one_clause_share_the_verb() -> None:
    found = quantities("Last year 383 soldiers and 925 militants were killed in clashes.")
    assert [(q.value, q.what) for q in found] == [(383, "soldiers killed"), (925, "militants killed")]


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("Security forces k!lled 12 terrorists in the raid.", "terrorists killed"),
        ("Troops neutralized 7 insurgents overnight.", "insurgents killed"),
        ("The army said 9 militants were sent to hell.", "militants killed"),
        ("4 soldiers were martyred in the ambush.", "soldiers killed"),
        ("Rebels ki11ed 3 villagers.", "villagers killed"),
    ],
)
def test_censored_and_euphemistic_killing_words(text: str, what: str) -> None:
    assert only(text).what == what


@pytest.mark.parametrize(
    ("text", "value", "what"),
    [
        ("Nine people died and 31 sustained injuries in the crash.", 31, "injuries"),  # casualty noun
        ("A minimum of 27 villagers suffered injuries.", 27, "villagers injured"),
        ("Eight people, including three children, were killed.", 3, "children killed"),
        ("The strike left around 44 more injured.", 44, "injured"),
        ("Six security forces personnel were injured.", 6, "security forces personnel injured"),
        ("The ministry confirmed the killing of more than 60 insurgents.", 60, "insurgents killed"),
        ("Gunmen shot dead seven shepherds near the well.", 7, "shepherds killed"),
        ("The earthquake left 2,300 people dead.", 2300, "people killed"),
        ("Then 2000 people marched to the square.", 2000, "people"),
    ],
)
def test_victim_readings(text: str, value: float, what: str) -> None:
    assert any((q.value, q.what) == (value, what) for q in quantities(text)), [
        (q.value, q.what) for q in quantities(text)
    ]


def test_the_agent_of_a_killing_is_not_its_victim() -> None:
    assert only("200 soldiers attacked the town.").what == "soldiers"


def test_money_takes_iso_code_stated_usd_value_and_period() -> None:
    q = only("The family received a monthly payment of 3 million Afghanis (roughly $43,000).")
    assert (q.value, q.currency, q.usd, q.period) == (3_000_000, "AFN", 43_000, "month")
    assert q.what == "monthly payment"


@pytest.mark.parametrize(
    ("text", "value", "currency", "usd"),
    [
        ("The ransom was $2.5 million.", 2_500_000, "USD", 2_500_000),
        ("The fine was Rs3bn for the company.", 3_000_000_000, "PKR", None),
        ("Militants seized Rs 5,000 from the shop.", 5000, "PKR", None),
        ("The budget rose to 40 billion Indian rupees this year.", 40_000_000_000, "INR", None),
        ("He paid 5,000 euros in cash.", 5000, "EUR", None),
        ("Donors pledged USD 12 million for the camps.", 12_000_000, "USD", 12_000_000),
        ("Salaries of 60,000 naira a month were unpaid.", 60000, "NGN", None),
    ],
)
def test_currencies(text: str, value: float, currency: str, usd: float | None) -> None:
    q = only(text)
    assert (q.value, q.currency, q.unit, q.usd) == (value, currency, currency, usd)


def test_periods_after_the_amount() -> None:
    assert only("Each fighter is paid 20,000 rupees a month.").period == "month"
    assert only("The levy brings in $5 million per year.").period == "year"


def test_percent_and_measure_units() -> None:
    assert (only("Unemployment rose to 9.5% in the spring.").unit, only("Turnout was 48 per cent.").unit) == (
        "percent",
        "percent",
    )
    assert only("The village lies some 140 km east of the capital.").unit == "km"


@pytest.mark.parametrize(
    "text",
    [
        "The report was dated February 6, 2025.",
        "The truce broke down in 2022 after talks failed.",
        "The shooting began at 9:45pm near the bazaar.",
        "It was the 35th report of the monitoring team.",
        "A 35-year-old man was detained by police.",
        "The victim, aged 52, was a shopkeeper.",
        "Call +92 300 1234567 for details.",
        "Article 370 was revoked by parliament.",
        "The M23 rebels advanced while F-16 jets flew over.",
        "One of the guards said nothing.",
        "They met at the Three Oaks Guest House.",
    ],
)
def test_years_dates_times_ordinals_ages_phones_labels_are_not_quantities(text: str) -> None:
    assert quantities(text) == []


def test_casualty_counts_reads_tolls() -> None:
    found = quantities("Officials said 13 people were killed, 27 were wounded and 6 were abducted; 40 houses burned.")
    tolls = {(c.kind, c.value) for c in casualty_counts(found)}
    assert tolls == {("killed", 13), ("injured", 27), ("abducted", 6)}


def test_parse_number() -> None:
    assert parse_number("10,000") == 10000
    assert parse_number("3 million") == 3_000_000
    assert parse_number("two hundred and fifty") == 250
    assert parse_number("a dozen") == 12
    assert parse_number("banana") is None


def test_evidence_names_the_extractor_and_slices_the_body() -> None:
    text = "About 900 people were detained and 15 marchers were killed."
    for q in quantities(text):
        assert text[q.evidence.start : q.evidence.end] == q.evidence.text
        assert q.evidence.extractor == EXTRACTOR


@pytest.mark.shared
def test_seed_quantities_match_gold() -> None:
    from threatscape.structure import structure_document

    seed = shared_path("seeds", "000_ba4cf93637094098.txt")
    raw = RawDocument(origin="seed", kind="text", content=seed.read_text("utf-8"))
    article = structure_document(raw)[0]
    found = extract_quantities(load_nlp()(article.body), article)
    gold = json.loads(seed.with_suffix(".gold.json").read_text("utf-8"))["articles"][0]["quantities"]
    for want in gold:
        hits = [q for q in found if q.value == want["value"]]
        assert hits, want
        q = hits[0]
        if "what_any" in want:
            assert any(w in (q.what or "") for w in want["what_any"]), (want, q)
        if "currency" in want:
            lo, hi = want["usd_between"]
            assert q.currency == want["currency"] and q.usd is not None and lo <= q.usd <= hi
    assert not any(q.value in (2021, 2022, 2024, 35, 6, 13) for q in found)  # years, "35th", dates


PIECES = list("0123456789 ,.$%-:/+ ()") + ["million", " killed ", "over ", "Rs", " dozens of", " May ", "2024"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_no_input_crashes_and_evidence_slices_the_body(text: str) -> None:
    for q in quantities(text, parse=False):
        assert text[q.evidence.start : q.evidence.end] == q.evidence.text
        assert q.value >= 0


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_with_parse(text: str) -> None:
    for q in quantities(text):
        assert text[q.evidence.start : q.evidence.end] == q.evidence.text
