"""Earlier incidents told as background ("has previously conducted operations against ...", "had
earlier arrested ...", the arrests a rally protests): each is an event of its own carrying no date,
never the report's date nor that of the incident the article reports. Sentences are our own."""

from __future__ import annotations

import pytest
from event_extraction import events_of

from threatscape.model import Event
from threatscape.pipeline import Resources


@pytest.fixture(scope="module")
def res() -> Resources:
    return Resources()


def _day(ev: Event) -> str | None:
    return ev.date.start if ev.date is not None and ev.date.precision == "day" else None


def test_perfect_tense_operations_told_as_background_are_an_undated_event(res: Resources) -> None:
    body = (
        "Soldiers killed six rebels in a gunfight near Jolo on Thursday, the army said. "
        "Troops have previously conducted operations against rebel camps in the hills of Sulu province."
    )
    dated, earlier = events_of(res, body)
    assert (dated.type, _day(dated)) == ("Battles", "2025-02-27")
    assert earlier.type == "Battles" and earlier.evidence.text.startswith("Troops have previously")
    assert earlier.date is None  # neither Thursday nor the report's day


def test_past_perfect_earlier_arrests_are_their_own_undated_event(res: Resources) -> None:
    body = "Police dispersed a rally in Dhaka on Friday. Officers had earlier arrested three opposition leaders."
    rally, arrests = events_of(res, body)
    assert (rally.type, _day(rally)) == ("Protests", "2025-02-28")
    assert (arrests.type, arrests.sub_type, arrests.date) == ("Strategic developments", "Arrests", None)


def test_an_earlier_arrest_is_not_joined_to_the_days_arrest(res: Resources) -> None:
    body = "Police detained a journalist in Lahore on Sunday. Officers had earlier arrested two of his colleagues."
    events = events_of(res, body)
    assert [(e.sub_type, _day(e)) for e in events] == [("Arrests", "2025-03-02"), ("Arrests", None)]
    assert events[1].date is None


def test_the_arrests_a_rally_protests_are_earlier_and_undated(res: Resources) -> None:
    body = (
        "Police detained the party chief in Karachi on Monday. "
        "The rally in Karachi was held to protest the arrests of union leaders Ali Khan and Omar Shah."
    )
    events = events_of(res, body)
    arrests = [e for e in events if e.sub_type == "Arrests"]
    assert [_day(e) for e in arrests] == ["2025-03-03", None]
    assert arrests[1].date is None and "union leaders" in arrests[1].evidence.text


def test_a_detention_protested_on_a_day_does_not_take_the_protests_day(res: Resources) -> None:
    body = "Hundreds of students marched in Lahore on Friday in protest against the detention of two classmates."
    arrests = [e for e in events_of(res, body) if e.sub_type == "Arrests"]
    assert len(arrests) == 1 and arrests[0].date is None


def test_a_protested_arrest_already_reported_stays_one_incident(res: Resources) -> None:
    body = (
        "Police arrested the opposition leader Imran Aziz in Multan on Monday. "
        "On Tuesday his supporters rallied against the arrest of Imran Aziz."
    )
    arrests = [e for e in events_of(res, body) if e.sub_type == "Arrests"]
    assert [_day(e) for e in arrests] == ["2025-03-03"]


@pytest.mark.parametrize(
    "body",
    [
        "Soldiers were carrying out an operation against poppy fields in Helmand province.",
        "The insurgents have staged similar assaults in the past to seize towns in the region.",
        "The militia has carried out previous attacks across the country.",
    ],
)
def test_no_event_from_operations_on_things_or_a_history_of_attacks(res: Resources, body: str) -> None:
    assert events_of(res, body) == []


def test_an_earlier_claim_dates_the_saying_not_a_new_incident(res: Resources) -> None:
    body = (
        "Gunmen attacked a police post in Zhob district on Saturday, killing two policemen. "
        "The group had earlier claimed responsibility for the attack."
    )
    (ev,) = events_of(res, body, "2025-03-03")
    assert _day(ev) == "2025-03-01"


def test_an_operation_against_an_armed_group_on_a_day_is_an_armed_clash(res: Resources) -> None:
    (ev,) = events_of(res, "A police operation against a drug gang in Recife left nine people dead on Tuesday.")
    assert (ev.type, ev.sub_type, _day(ev)) == ("Battles", "Armed clash", "2025-03-04")
    assert ev.fatalities is not None and ev.fatalities.best == 9
