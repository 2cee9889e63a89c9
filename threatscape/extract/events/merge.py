"""One event per place and day: merging the per-sentence events of an article.

A later sentence about the same incident (same type, no conflicting date or place) completes the
first; a bare toll sentence ("five were killed") or a passing mention ("the attack") joins the
incident before it; a plain blast later told to be a suicide bombing takes the specific means;
an undated incident in the same story shares the date of the last dated one; "The incident
occurred on ..." dates and places the incident before it; "In a separate incident, ..." opens
another incident, which takes nothing from the one before; an undated earlier incident told as
background ("has previously raided ...") stays an incident of its own, with no date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from threatscape.extract.events.lexicon import EventLexicon
from threatscape.model import DateSpan, Event, Fatalities, Place

__all__ = ["Found", "merge_events"]

INHERIT_PARAGRAPHS = 2  # an undated incident this close to a dated one shares its date
COMPLEX_PARAGRAPHS = 3  # a gun battle told this close after a bombing, with no place of its own, is its fighting
TOLL_ONLY = frozenset({"kill", "died"})  # classes of a bare toll sentence, absorbed by the incident before it
LATER_TOLL = "died"  # "two of them died of their wounds": a toll for the incident before, never one alone
GENERIC = frozenset({"attack", "kill", "died"})  # classes that say no more than "violence happened"
VIOLENT_TYPES = frozenset(
    {"Battles", "Explosions/Remote violence", "Riots", "Protests"}
)  # a generic attack joins these


@dataclass(frozen=True)
class Found:
    """One sentence's event with what the merge needs to know about it."""

    event: Event
    cls: str
    paragraph: int  # paragraphs before it (a run of line breaks ends one)
    own_place: bool
    own_date: bool
    noun: bool = False  # named by a noun ("the attack"), often a mention of an earlier incident
    anaphor: bool = False  # "The incident occurred on ...": restates the incident before it
    separate: bool = False  # "In a separate incident, ...": another incident than the one before
    background: bool = False  # "has previously raided ...", undated: an earlier incident of its own
    protested: bool = False  # "rallied against the arrest of X": the incident a protest is against


def _same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return True
    if a.country_code and b.country_code and a.country_code != b.country_code:
        return False
    if a.name == b.name or a.admin1 == b.name or b.admin1 == a.name:
        return True
    if "point" in (a.precision, b.precision):
        return False
    return not (a.detail <= 1 and b.detail <= 1)  # two districts of other names are two places


def _same_country(a: Place | None, b: Place | None) -> bool:
    return a is None or b is None or not (a.country_code and b.country_code) or a.country_code == b.country_code


def _same_admin1(a: Place | None, b: Place | None) -> bool:
    """Two towns of one province: the same incident when one of the mentions has no date."""
    return a is not None and b is not None and a.admin1 is not None and a.admin1 == b.admin1


def _same_day(a: DateSpan | None, b: DateSpan | None) -> bool:
    """The same day, or overlapping spans when one of them is vaguer than a day."""
    if a is None or b is None or (a.start == b.start and a.end == b.end):
        return True
    if "day" in (a.precision,) and b.precision == "day" or not (a.start and b.start):
        return False
    return a.start <= (b.end or b.start) and b.start <= (a.end or a.start)


def _absorbs(first: Found, later: Found) -> bool:
    if later.protested and not first.background:
        return _protested_again(first, later)
    if later.separate or first.background or later.background:
        return False
    a, b = first.event, later.event
    place_ok = (
        not later.own_place  # no place, or only the speaker's ("an official in Quetta said")
        or _same_place(a.location, b.location)
        or (not (first.own_date and later.own_date) and _same_admin1(a.location, b.location))
    )
    if a.aggregate or b.aggregate or not _same_day(a.date, b.date):
        return False
    if later.anaphor and _same_country(a.location, b.location) and (a.type == b.type or later.cls in GENERIC):
        return True  # "This incident occurred on 21 November near X": when and where, not a new one
    if not place_ok:
        return False
    if later.cls in TOLL_ONLY and later.paragraph - first.paragraph <= 1 and not later.own_place:
        return True
    if not later.own_place and not later.own_date and (later.cls in GENERIC or later.noun and a.type == b.type):
        return True  # "the assault began at 9pm": the incident already reported
    if a.type == b.type == "Explosions/Remote violence":
        return True  # "the blast" then "the suicide bomber": one explosion, the stronger sub-type
    if _complex_attack(first, later):
        return True  # the blast, then the gun battle as troops close in: one event (ACLED)
    if later.cls in GENERIC and a.type in VIOLENT_TYPES and _compatible(first, later):
        return True  # "Pakistan targeted four locations": the strike already typed
    return (
        a.type == b.type
        and (a.sub_type == b.sub_type or not later.own_date)
        and (not b.actor1 or not a.actor1 or a.actor1 == b.actor1)
        and not (first.own_place and later.own_place and not _same_place(a.location, b.location))
    )


def _protested_again(first: Found, later: Found) -> bool:
    """ "Police detained X on Monday ... supporters rallied against the arrest of X": the incident
    protested is the one already reported when it has its type and names its target (or names
    none and no place of its own)."""
    a, b = first.event, later.event
    if a.type != b.type or a.aggregate:
        return False
    return b.actor2 == a.actor2 if b.actor2 is not None else not later.own_place


def _complex_attack(first: Found, later: Found) -> bool:
    """A gun battle told soon after a bombing, with no place of its own, is the bombing's fighting."""
    a, b = first.event, later.event
    near = later.paragraph - first.paragraph <= COMPLEX_PARAGRAPHS
    bombing = a.type == "Explosions/Remote violence" and a.date is not None
    return bombing and near and b.sub_type == "Armed clash" and not later.own_place


def _compatible(first: Found, later: Found) -> bool:
    """A later sentence naming its own place elsewhere, or other perpetrators, is another
    incident ("the raid came days after the army killed 13 militants in Bannu")."""
    a, b = first.event, later.event
    if later.own_place and not _same_place(a.location, b.location):
        return False
    return not (a.actor1 and b.actor1 and a.actor1 != b.actor1)


def _combine(first: Found, later: Found, lex: EventLexicon) -> Found:
    a, b = first.event, later.event
    place = a.location
    if b.location is not None and (place is None or later.own_place and b.location.detail < place.detail):
        place = b.location  # not a speaker's city ("an official in Quetta said"): no place of the incident
    event = replace(
        a,
        actor1=a.actor1 or b.actor1,
        actor2=a.actor2 or b.actor2,
        location=place,
        date=a.date or b.date,
        fatalities=_join_tolls(a.fatalities, b.fatalities, lex),
        reported_by=a.reported_by or b.reported_by,
    )
    upgrade = first.cls in GENERIC and later.cls not in GENERIC and b.type in VIOLENT_TYPES | {a.type}
    if upgrade or _stronger(later, first, lex):
        event = replace(event, type=b.type, sub_type=b.sub_type, plover=b.plover)  # "the attack" is "the blast"
        first = replace(first, cls=later.cls)
    return replace(
        first, event=event, own_place=first.own_place or later.own_place, own_date=first.own_date or later.own_date
    )


def _stronger(later: Found, first: Found, lex: EventLexicon) -> bool:
    """The ACLED hierarchy inside one type for one incident: a protest later met with lethal force
    is *Excessive force*; a plain blast (IED by default) told later to be a suicide bombing, a
    drone, a shell takes that means (other E/RV sub-types are kept: a stray word is no evidence)."""
    if first.event.type != later.event.type or first.cls in GENERIC or later.cls in GENERIC:
        return False
    if first.event.type == "Explosions/Remote violence" and first.cls != "explosion":
        return False
    return lex.klass(later.cls).rank < lex.klass(first.cls).rank


def _join_tolls(a: Fatalities | None, b: Fatalities | None, lex: EventLexicon) -> Fatalities | None:
    """Tolls of one incident told twice: a range over the figures of the same victims; the dead
    of another party ("eight attackers were also killed") go to the breakdown, and the headline
    figure stays that of the victims reported first."""
    if a is None or b is None or not b.high:
        return a or b
    if not a.high:
        return b
    if _other_party(a, b, lex):
        return replace(a, breakdown={**a.breakdown, **b.breakdown})
    values = [v for v in (a.low, a.high, b.low, b.high) if v is not None]
    return Fatalities(best=a.best, low=min(values), high=max(values), breakdown=a.breakdown or b.breakdown)


def _other_party(a: Fatalities, b: Fatalities, lex: EventLexicon) -> bool:
    """The later toll counts the perpetrators' dead while the first counted their victims (named
    or not: "nine people died ... five attackers were also killed")."""
    attackers = lex.attacker_words
    first, later = set(a.breakdown), set(b.breakdown)
    return bool(later) and not first & attackers and later <= attackers


def merge_events(found: list[Found], lex: EventLexicon) -> list[Found]:
    out: list[Found] = []
    floor = 0  # where the incident a separate opener began starts: what came before is another story
    for item in found:
        for i in range(len(out) - 1, floor - 1, -1):
            if _absorbs(out[i], item):
                out[i] = _combine(out[i], item, lex)
                break
        else:
            mention = item.noun and not item.own_place and not item.own_date and len(out) > floor
            mention = mention and not item.background
            toll = item.event.fatalities is not None and bool(item.event.fatalities.best)
            alone = item.cls not in TOLL_ONLY or toll or item.event.actor1 is not None
            if item.separate or (not mention and item.cls != LATER_TOLL and alone):
                if item.separate:
                    floor = len(out)
                out.append(_inherit_date(item, out[floor:]))
    return out


def _inherit_date(item: Found, before: list[Found]) -> Found:
    """A new place in the same story ("In Gombe, two marchers were wounded") keeps the date of
    the last dated incident of the same type, else of one in the last paragraphs."""
    if item.event.date is not None or item.event.aggregate or item.separate or item.background:
        return item  # an earlier incident told as background takes no date from the story
    dated = [f for f in before if f.own_date and not f.event.aggregate]
    same = [f for f in dated if f.event.type == item.event.type]
    near = [f for f in dated if item.paragraph - f.paragraph <= INHERIT_PARAGRAPHS]
    pool = same or near
    return replace(item, event=replace(item.event, date=pool[-1].event.date)) if pool else item
