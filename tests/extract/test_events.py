"""Events: typing, realis filtering, slots and tallies on developer-written news sentences, and
the seed's five gold events end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from event_extraction import events_of
from shared_material import shared_path

from threatscape.extract.events.plover import plover_type
from threatscape.pipeline import Resources


@pytest.fixture(scope="module")
def res() -> Resources:
    return Resources()


@pytest.mark.parametrize(
    "body",
    [
        "Analysts said the group might transform into a regional threat.",
        "Greater facilitation among these groups in terms of the provision of suicide bombers and fighters "
        "might transform the latter into an extra-regional threat.",
        "The militants vowed to target security forces across the province.",
        "Officials denied that troops attacked the village.",
        "The minister warned of attacks on polling stations if the vote goes ahead.",
        "The government plans to hold talks and will sign an agreement next month.",
        "Attack helicopters and protest movements were discussed in the report.",
        "If the ceasefire collapses, fighting could resume.",
        "The TTP has carried out attacks across the country for years.",
        "Security has been tightened ahead of the planned rally on Friday.",
        "The two sides accused each other of flouting the truce.",
        "Attacks on aid workers are unacceptable, the UN chief said.",
    ],
)
def test_no_event_from_speculation_plans_threats_denials(res: Resources, body: str) -> None:
    assert events_of(res, body) == []


def test_ambush_of_soldiers_is_an_armed_clash_with_toll_place_and_day(res: Resources) -> None:
    (ev,) = events_of(res, "Gunmen killed five soldiers in an ambush near Bannu on Monday, police said.")
    assert (ev.type, ev.sub_type, ev.plover) == ("Battles", "Armed clash", "ASSAULT")
    assert ev.fatalities is not None and ev.fatalities.best == 5
    assert ev.date is not None and (ev.date.start, ev.date.precision) == ("2025-03-03", "day")
    assert ev.location is not None and ev.location.name == "Bannu"
    assert not ev.aggregate


def test_drone_strike_on_civilians_is_remote_violence(res: Resources) -> None:
    events = events_of(res, "A drone strike killed 12 civilians in a village in Kunar province on Tuesday.")
    assert [(e.type, e.sub_type) for e in events] == [("Explosions/Remote violence", "Air/drone strike")]
    assert events[0].location is not None and events[0].location.country == "Afghanistan"


def test_suicide_bombing_beats_plain_blast_in_one_incident(res: Resources) -> None:
    body = "A blast hit a market in Quetta on Sunday. The attacker was a suicide bomber, officials said."
    events = events_of(res, body, "2025-03-03")
    assert [e.sub_type for e in events] == ["Suicide bomb"]


def test_protest_met_with_tear_gas_is_protest_with_intervention(res: Resources) -> None:
    body = "Thousands of students protested in Dhaka on Friday, and police fired tear gas to disperse them."
    (ev,) = events_of(res, body)
    assert (ev.type, ev.sub_type, ev.plover) == ("Protests", "Protest with intervention", "PROTEST")


def test_police_killing_protesters_is_excessive_force(res: Resources) -> None:
    (ev,) = events_of(res, "Police shot dead three protesters in Lagos on Thursday.")
    assert ev.sub_type == "Excessive force against protesters"


def test_tally_over_a_period_is_aggregate_with_count(res: Resources) -> None:
    (ev,) = events_of(res, "Militants carried out more than 300 attacks in the province last year.")
    assert ev.aggregate and ev.count is not None and (ev.count.value, ev.count.qualifier) == (300, "over")
    assert ev.date is not None and ev.date.precision == "year"


def test_vague_toll_takes_acled_lower_reading(res: Resources) -> None:
    (ev,) = events_of(res, "Dozens of people were killed when rebels shelled the town of Kidal on Sunday.")
    assert ev.fatalities is not None and ev.fatalities.best == 12
    assert ev.sub_type == "Shelling/artillery/missile attack"


def test_background_incident_keeps_its_own_date(res: Resources) -> None:
    body = "Rebels captured the town of Goma in November 2012, an official recalled on Sunday."
    (ev,) = events_of(res, body)
    assert ev.date is not None and ev.date.start == "2012-11-01"


def test_dateline_is_not_the_event_location(res: Resources) -> None:
    (ev,) = events_of(res, "KARACHI: A roadside bomb killed two policemen in Lakki Marwat district on Monday.")
    assert ev.location is not None and ev.location.name != "Karachi"


def test_ids_are_stable_and_evidence_slices_the_body(res: Resources) -> None:
    body = "Police arrested 40 opposition activists in Istanbul on Saturday."
    first, second = events_of(res, body), events_of(res, body)
    assert [e.id for e in first] == [e.id for e in second] and first[0].id.startswith("e:")
    ev = first[0].evidence
    assert body[ev.start : ev.end] == ev.text and first[0].sub_type == "Arrests"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The government demanded that the rebels lay down their arms.", "REQUEST"),
        ("The two countries agreed to hold talks next month.", "AGREE"),
        ("Police arrested 40 protesters outside parliament.", "COERCE"),
        ("The rebels threatened to shell the capital unless their leader is freed.", "THREATEN"),
        ("The foreign minister condemned the bombing.", "ACCUSE"),
        ("The army rejected the offer of a truce.", "REJECT"),
    ],
)
def test_plover_type_of_sentence(res: Resources, sentence: str, expected: str) -> None:
    assert plover_type(res.nlp(sentence)[:]) == expected


@pytest.mark.shared
def test_seed_events_pass_the_seed_check() -> None:
    root = Path(__file__).resolve().parents[2]
    seed = shared_path("seeds", "000_ba4cf93637094098.txt")
    gold = shared_path("seeds", "000_ba4cf93637094098.gold.json")
    checker = shared_path("tools", "seed_check.py")
    out = subprocess.run(
        [sys.executable, "-m", "threatscape", "extract", str(seed), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    )
    export = root / ".pytest_cache" / "seed-events.json"
    export.parent.mkdir(exist_ok=True)
    export.write_text(out.stdout, encoding="utf-8")
    check = subprocess.run(
        [sys.executable, str(checker), str(export), str(gold), "--min", "0"],
        capture_output=True,
        text=True,
    )
    event_lines = [line for line in check.stdout.splitlines() if "] event:" in line]
    assert len(event_lines) == 5 and all(line.startswith("ok") for line in event_lines), event_lines
    assert json.loads(out.stdout)["version"] == 1


def test_claim_of_responsibility_names_the_perpetrator_not_a_new_event(res: Resources) -> None:
    body = (
        "A bomb exploded at a checkpoint in Quetta on Monday, killing two policemen. "
        "The Pakistani Taliban claimed responsibility for the attack."
    )
    (ev,) = events_of(res, body)
    assert ev.claimed_by == "TTP" and ev.actor1 == "TTP"
    assert ev.fatalities is not None and ev.fatalities.best == 2


@pytest.mark.parametrize(
    ("body", "sub_type"),
    [
        ("Protesters torched vehicles and clashed with police in Nairobi on Tuesday.", "Violent demonstration"),
        ("The army said it had defused a roadside bomb in Kandahar on Friday.", "Disrupted weapons use"),
        ("Gunmen abducted 30 villagers in Zamfara state on Sunday.", "Abduction/forced disappearance"),
        ("Troops recaptured the town of Bunia from the militia on Saturday.", "Government regains territory"),
        (
            "Russian forces captured the village of Pishchane in Ukraine on Sunday.",
            "Non-state actor overtakes territory",
        ),
        ("The government and the rebels signed a peace agreement in Addis Ababa on Thursday.", "Agreement"),
        (
            "Israeli warplanes struck targets in southern Lebanon on Wednesday, killing three people.",
            "Air/drone strike",
        ),
        ("Two people were injured when a grenade was hurled at a police station in Imphal on Tuesday.", "Grenade"),
        ("Police fired tear gas at stone-throwing demonstrators in Srinagar on Friday.", "Violent demonstration"),
        ("Hamas fighters and Israeli troops exchanged fire in Khan Younis on Monday.", "Armed clash"),
        (
            "A roadside bomb struck a military vehicle near Miranshah on Wednesday, killing three soldiers.",
            "Remote explosive/landmine/IED",
        ),
        ("Troops killed six militants in a raid in Bannu on Monday and recovered explosives.", "Armed clash"),
    ],
)
def test_sub_types_of_common_reports(res: Resources, body: str, sub_type: str) -> None:
    assert [e.sub_type for e in events_of(res, body)] == [sub_type]


def test_one_event_per_listed_place_with_the_toll_split(res: Resources) -> None:
    body = "Gunmen attacked police posts in Lahore, Karachi and Peshawar on Tuesday, killing seven policemen."
    events = events_of(res, body)
    names = [e.location.name for e in events if e.location]
    assert len(events) >= 2 and len(set(names)) == len(events) and names[0] == "Lahore"
    tolls = [e.fatalities.best or 0 for e in events if e.fatalities]
    assert sum(tolls) == 7 and tolls[0] == max(tolls)
    assert len({e.id for e in events}) == len(events)


def test_protest_met_with_lethal_force_later_in_the_story_is_one_excessive_force_event(res: Resources) -> None:
    body = (
        "Thousands of opposition supporters marched through Dhaka on Saturday demanding new elections. "
        "Police fired tear gas and rubber bullets to disperse the crowd, and at least two protesters were killed."
    )
    (ev,) = events_of(res, body, "2025-03-10")
    assert ev.sub_type == "Excessive force against protesters"
    assert ev.fatalities is not None and ev.fatalities.best == 2
    assert ev.date is not None and ev.date.start == "2025-03-08"


def test_a_sentence_restating_the_incident_dates_and_places_it(res: Resources) -> None:
    body = (
        "Gunmen killed five farmers in Zamfara state, police said on Thursday. "
        "The attack took place on 27 February, when the farmers were working in fields near Gusau."
    )
    events = [e for e in events_of(res, body) if not e.aggregate]
    assert len(events) == 1
    assert events[0].date is not None and events[0].date.start == "2025-02-27"


def test_a_later_incident_told_after_the_first_stays_apart(res: Resources) -> None:
    body = (
        "Gunmen killed five farmers in Zamfara state on Thursday, police said. "
        "The attack came days after soldiers killed 13 bandits in Katsina state."
    )
    events = [e for e in events_of(res, body) if not e.aggregate]
    assert len(events) == 2


def test_a_time_misparsed_as_an_apposition_still_dates_the_attack(res: Resources) -> None:
    body = "Militants attacked three towns—Dori, Djibo and Arbinda—early Sunday morning, the army said."
    events = [e for e in events_of(res, body, published="2025-03-04") if not e.aggregate]
    assert events and all(e.date is not None and e.date.start == "2025-03-02" for e in events)


@pytest.mark.parametrize(
    ("body", "best", "high"),
    [
        ("The bombing killed at least 45 to 50 people in Kurram, officials said.", 45, 50),
        ("Between 30 and 40 villagers were killed when gunmen stormed Tumbi, residents said.", 30, 40),
        ("Gunmen killed three to five people at a checkpoint near Gao, the army said.", 3, 5),
    ],
)
def test_a_toll_given_as_a_range_takes_the_lower_figure(res: Resources, body: str, best: int, high: int) -> None:
    (event,) = [e for e in events_of(res, body) if not e.aggregate]
    assert event.fatalities is not None
    assert (event.fatalities.best, event.fatalities.low, event.fatalities.high) == (best, best, high)


def test_a_victim_gunned_down_is_one_death(res: Resources) -> None:
    (event,) = events_of(res, "A trader was gunned down by unidentified men in Quetta on Sunday, police said.")
    assert event.fatalities is not None and event.fatalities.best == 1


def test_wounded_who_later_died_are_the_incidents_toll(res: Resources) -> None:
    body = (
        "A roadside bomb struck an army truck near Cotija on Monday, wounding six soldiers, the army said. "
        "Two of the soldiers later died from their injuries."
    )
    (event,) = events_of(res, body)
    assert event.type == "Explosions/Remote violence" and event.fatalities is not None
    assert event.fatalities.best == 2


def test_deaths_in_hospital_alone_are_no_event(res: Resources) -> None:
    assert events_of(res, "Three people died in hospital after eating contaminated food in Lahore.") == []


def test_the_incident_it_came_after_keeps_its_dead(res: Resources) -> None:
    body = (
        "A grenade exploded at a busy market in Srinagar on Sunday, wounding 12 shoppers, police said. "
        "The blast came a day after a senior rebel commander and two fighters were killed in a gunfight nearby."
    )
    grenade = [e for e in events_of(res, body) if e.sub_type == "Grenade"]
    assert grenade and grenade[0].fatalities is not None and grenade[0].fatalities.best == 0


def test_an_incident_told_relative_to_the_one_before_takes_that_day_moved(res: Resources) -> None:
    body = (
        "Gunmen killed four farmers in Zamfara state on Monday, police said. "
        "Two days later, the attackers returned and burned the village of Gidan Goga."
    )
    dates = sorted(e.date.start for e in events_of(res, body) if e.date is not None)
    assert dates == ["2025-03-03", "2025-03-05"]


def test_a_relative_day_without_an_incident_before_gives_no_date(res: Resources) -> None:
    (event,) = events_of(res, "Two days later, gunmen burned the village of Gidan Goga in Zamfara state.")
    assert event.date is None


@pytest.mark.parametrize(
    "body",
    [
        "Police seized 300 kilograms of heroin and two trucks at a checkpoint near Quetta on Monday, officials said.",
        "Militants captured two army trucks and a radio near Gao on Monday, the army said.",
    ],
)
def test_a_seizure_of_goods_takes_no_ground(res: Resources, body: str) -> None:
    assert not [e for e in events_of(res, body) if e.type == "Battles"]


def test_a_capture_of_a_base_or_a_named_town_is_territory(res: Resources) -> None:
    (base,) = events_of(res, "Insurgents overran an army base in Mopti region on Monday, residents said.")
    assert base.sub_type == "Non-state actor overtakes territory"
    (town,) = events_of(res, "The rebels took control of Bunagana on Monday, residents said.")
    assert town.sub_type == "Non-state actor overtakes territory"


def test_a_date_the_parser_hangs_on_the_object_dates_the_strike(res: Resources) -> None:
    body = (
        "Warplanes struck the port of Hodeidah and a nearby power station on Sunday, killing nine people, "
        "officials said."
    )
    (event,) = events_of(res, body)
    assert event.date is not None and event.date.start == "2025-03-02"


def test_a_date_of_a_vote_or_meeting_is_not_the_attacks(res: Resources) -> None:
    (event,) = events_of(res, "Gunmen killed two guards ahead of the vote on Sunday in Kano, police said.")
    assert event.date is None


def test_returned_fire_makes_two_armed_sides(res: Resources) -> None:
    body = (
        "Smugglers opened fire on the soldiers near Ruwaished on Monday, who returned fire, "
        "killing four of the smugglers, the army said."
    )
    (event,) = events_of(res, body)
    assert (event.type, event.sub_type) == ("Battles", "Armed clash")


def test_police_returning_fire_at_stone_throwers_is_a_riot(res: Resources) -> None:
    (event,) = events_of(
        res, "Protesters threw stones at police, who returned fire with rubber bullets in Nairobi on Tuesday."
    )
    assert event.type == "Riots"


def test_the_district_named_after_a_provincial_lead_places_the_incident(res: Resources) -> None:
    body = (
        "Militants blew up a railway bridge in Pakistan's Balochistan province on Tuesday, officials said.\n\n"
        "The bridge stands in a gorge of the Bolan district, on the line to Sibi."
    )
    events = [e for e in events_of(res, body) if not e.aggregate]
    assert events and events[0].location is not None
    assert events[0].location.admin1 == "Balochistan" and events[0].location.precision in ("point", "region")


def test_the_gun_battle_after_a_bombing_is_the_same_incident(res: Resources) -> None:
    body = (
        "A car bomb exploded at the gate of an army camp in Bannu on Tuesday, killing five soldiers, police said.\n\n"
        "Gunmen then tried to storm the camp.\n\n"
        "Troops killed six attackers in the gunfight that followed, the army said."
    )
    events = [e for e in events_of(res, body) if not e.aggregate]
    assert len(events) == 1 and events[0].type == "Explosions/Remote violence"


def test_x_district_of_y_province_places_the_event_in_the_district(res: Resources) -> None:
    (ev,) = events_of(res, "Gunmen killed five labourers at a brick kiln in Kech district of Balochistan on Friday.")
    assert ev.location is not None and ev.location.name.startswith("Kech") and ev.location.admin1 == "Balochistan"


def test_a_separate_incident_is_its_own_event_with_no_borrowed_date(res: Resources) -> None:
    body = (
        "Soldiers defused a roadside bomb near Sopore on Monday, police said.\n\n"
        "In a separate incident, a border guard was badly hurt in an IED blast in Rajasthan's Barmer district. "
        "The troops defused two more devices on the track after dawn."
    )
    events = events_of(res, body, published="2025-06-11")
    first, *later = [e for e in events if e.sub_type == "Disrupted weapons use"]
    assert first.date is not None and first.date.start == "2025-06-09"
    blast = next(e for e in events if e.sub_type == "Remote explosive/landmine/IED")
    assert blast.location is not None and blast.location.name.startswith("Barmer") and blast.date is None
    assert len(later) == 1 and later[0].date is None  # the separate incident's, not Monday's


def test_blasts_in_two_districts_are_two_events(res: Resources) -> None:
    body = (
        "A soldier was wounded in a mine blast in Kupwara district. "
        "Later, two policemen were hurt in an IED blast in Dantewada district."
    )
    assert len([e for e in events_of(res, body) if e.sub_type == "Remote explosive/landmine/IED"]) == 2


def test_a_vehicle_bomb_with_a_dash_set_list_of_victims_and_the_attackers_dead(res: Resources) -> None:
    body = (
        "At least nine people — four women and three children — lost their lives and 15 were injured "
        "after militants rammed an explosives-laden truck into the gate of the police lines in Bannu on "
        "Friday evening. Five attackers were also killed in the gunfight that followed, officials said."
    )
    (ev,) = events_of(res, body, published="2025-03-08")
    assert ev.sub_type == "Suicide bomb" and ev.date is not None and ev.date.start == "2025-03-07"
    assert ev.fatalities is not None and (ev.fatalities.best, ev.fatalities.low) == (
        9,
        9,
    )  # the parts are not more dead
    assert ev.fatalities.breakdown.get("attackers") == 5  # the attackers' dead: the breakdown, not a rival count


def test_a_speakers_city_does_not_make_a_second_incident(res: Resources) -> None:
    body = (
        "Militants blew up a rail track and fired on a passenger train in the Mach area of Balochistan on "
        "Wednesday, killing seven, police said. "
        "A security official in Islamabad said that at least four of the attackers had been killed as troops closed in."
    )
    (ev,) = [e for e in events_of(res, body, published="2025-05-08") if not e.aggregate]
    assert ev.location is not None and ev.location.name == "Mach"
    assert ev.fatalities is not None and ev.fatalities.best == 7 and ev.fatalities.breakdown.get("attackers") == 4


@pytest.mark.parametrize(
    ("dateline", "day"),
    [
        ("MULTAN, 9 June 2025 (APP) -", "2025-06-08"),  # the dateline dates the story: "on Sunday" is the day before
        ("Multan, Jun 9 (PTI)", None),  # no year and no other date: nothing is placed, nothing invented
    ],
)
def test_a_dateline_day_anchors_the_story_only_with_its_year(res: Resources, dateline: str, day: str | None) -> None:
    from threatscape.model import RawDocument
    from threatscape.pipeline import extract_articles
    from threatscape.structure import structure_document

    text = (
        "Robbers kill two guards at a bank\n\n"
        f"{dateline} Armed robbers on Sunday shot dead two guards at a bank branch in Multan and fled with "
        "the cash, police said.\n\nThe police have registered a case against unknown men.\n"
    )
    (article,) = structure_document(RawDocument(origin="dateline.txt", kind="text", content=text))
    (extraction,) = extract_articles([article], res)
    (event,) = [e for e in extraction.events if e.fatalities and e.fatalities.best == 2]
    assert (event.date.start if event.date else None) == day
    assert article.dateline is not None and article.dateline.lower() == "multan"


def test_marching_against_a_policy_is_a_protest_but_a_parade_is_not(res: Resources) -> None:
    (march,) = events_of(res, "Thousands of teachers marched across Lahore on Tuesday against a freeze on their pay.")
    assert march.sub_type == "Peaceful protest" and march.date is not None
    assert not events_of(res, "Cadets marched in the Independence Day parade in Islamabad on Friday.")


def test_clashes_with_no_named_side_after_a_march_are_a_riot_but_not_in_a_war(res: Resources) -> None:
    body = (
        "Thousands of farmers marched across France on Monday against the new water levy. "
        "The day was calm in most towns, but clashes broke out in the centre of Lyon."
    )
    assert {e.sub_type for e in events_of(res, body)} >= {"Violent demonstration"}
    assert all(e.sub_type != "Armed clash" for e in events_of(res, body))
    war = events_of(res, "Heavy clashes broke out near the airport in Khartoum on Monday, residents said.")
    assert [e.sub_type for e in war] == ["Armed clash"]
