"""Toponyms in an article body -> geocoded ``Place`` rows with evidence.

The chain, each step a small function:

1. ``find_mentions``: GPE/LOC/FAC entities plus capitalised "X district/province/city/town/
   village/area/tehsil/valley/agency" phrases, longest span first, no overlaps;
2. ``context_weights``: the countries the article is about, from country mentions, demonyms
   ("Pakistani", "Afghans": context only, never places) and, weakly, the dateline (where the story
   was filed, not where events happened: the dateline itself is never returned as a place);
3. ``geocode_names``: two passes; the second adds the countries of the places the first pass
   resolved (a full vote for a place without doubt, less for one that leads its namesakes abroad
   only narrowly) and the provinces it resolved without doubt, so "Punjab" next to "Lahore" stays
   in Pakistan; a name with no reading in the article's countries may be a region known by its
   parts there ("Kordofan": ``Gazetteer.divided``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from threatscape.model import Article, Evidence, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from threatscape.resolve.gazetteer import Gazetteer

__all__ = [
    "EXTRACTOR",
    "Mention",
    "backoff_names",
    "context_weights",
    "find_mentions",
    "geocode_names",
    "resolve_places",
]

EXTRACTOR = "places"  # versioned by threatscape.versions
ENTITY_LABELS = frozenset({"GPE", "LOC", "FAC"})
# the small English model often labels towns as ORG ("officials in Peshawar"): such mentions are
# kept only when they resolve inside a context country or to a country/province
WEAK_LABELS = frozenset({"ORG"})
FALLBACK_LABELS = frozenset({"FAC", "LOC", "feature"})  # mentions the context fallback may place
ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP"})
COUNTRY_MENTION_WEIGHT = 2.0
DEMONYM_WEIGHT = 1.0
DATELINE_WEIGHT = 1.0
RESOLVED_PLACE_WEIGHT = 1.0  # second pass: per place the first pass resolved into a country
CONFIDENT_MARGIN = 1.0  # first-pass score lead over any other country's best candidate: a full vote

_FEATURE_PHRASE = re.compile(  # the lookahead only makes non-capital positions fail at once
    r"(?=[A-Z])\b((?:[A-Z][\w'’\-]+\s+){1,3})(district|province|city|town|village|area|tehsil|valley|agency|crossing)\b"
)
_LEADING = re.compile(r"^(?:the|The)\s+")
_POSSESSIVE = re.compile(r"(?:'s|’s|')$")
_DIRECTIONS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "upper",
        "lower",
        "greater",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
    ]
)
# words that make a name an event's or an institution's, which can be held or sit anywhere
_EVENT_WORDS = frozenset(
    [
        "summit",
        "mall",
        "university",
        "college",
        "academy",
        "institute",
        "school",
        "cup",
        "games",
        "olympics",
        "championship",
        "championships",
        "conference",
        "council",
        "congress",
        "forum",
        "festival",
        "expo",
        "show",
        "league",
    ]
)
# words that make a FAC/LOC entity a body or a day, not a place (no context fallback for them)
_NO_PLACE_WORDS = frozenset(
    [
        "committee",
        "movement",
        "party",
        "front",
        "union",
        "association",
        "organisation",
        "organization",
        "alliance",
        "army",
        "brigade",
        "militia",
        "police",
        "forces",
        "ministry",
        "department",
        "agency",
        "court",
        "tribunal",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "day",
        "eve",
    ]
)
# words that say what kind of place a name is: alone they are no place ("Cape Peron" does not
# back off to "Cape", nor "City Hall" to "City")
_GENERIC_WORDS = frozenset(
    [
        "bay",
        "beach",
        "cape",
        "city",
        "crossroads",
        "fort",
        "hall",
        "harbour",
        "harbor",
        "hill",
        "island",
        "lake",
        "mount",
        "mountain",
        "park",
        "point",
        "port",
        "river",
        "saint",
        "st",
        "street",
        "town",
    ]
)
_CAPITALISED = re.compile(r"(?=[A-Z])\b[A-Z][a-z]+\b")


@dataclass(frozen=True)
class Mention:
    """A toponym candidate: ``text`` is ``body[start:end]``; ``name`` is what is looked up."""

    start: int
    end: int
    text: str
    name: str
    weak: bool = False  # from a WEAK_LABELS entity
    label: str = "GPE"  # the entity label, or "feature" for a feature phrase ("Kurram district")


def _clean(text: str) -> str:
    return _POSSESSIVE.sub("", _LEADING.sub("", text.strip())).strip()


def _trim_end(body: str, start: int, end: int) -> int:
    """End of the span without trailing punctuation or a possessive ("Quetta," "Kabul's"); a final
    dot stays (entity spans include it only for abbreviations: "U.S.", "Calif.")."""
    text = _POSSESSIVE.sub("", body[start:end].rstrip(",;:!?\"'’ ")).rstrip(',;:!?" ')
    return start + len(text) if text else end


_POSSESSIVE_WORD = re.compile(r"['’]s\s+")


def _after_possessive(body: str, start: int, end: int) -> int:
    """Where a feature phrase's name begins: after the last possessive ("Punjab's Gurdaspur
    district" is Gurdaspur district, in Punjab: the province is a mention of its own)."""
    last = None
    for m in _POSSESSIVE_WORD.finditer(body, start, end):
        last = m
    return last.end() if last is not None else start


def find_mentions(doc: Doc, body: str, gaz: Gazetteer | None = None) -> list[Mention]:
    """Entity and feature-phrase mentions in ``body`` order; longer spans win overlaps.

    With ``gaz``, demonyms and demonym-headed phrases ("Afghan", "Somali town") are dropped:
    they are country context, not places."""
    spans = [(e.start_char, e.end_char, False, e.label_) for e in doc.ents if e.label_ in ENTITY_LABELS]
    spans += [
        (_after_possessive(body, m.start(1), m.end(1)), m.end(2), False, "feature")
        for m in _FEATURE_PHRASE.finditer(body)
    ]
    spans += [(e.start_char, e.end_char, True, e.label_) for e in doc.ents if e.label_ in WEAK_LABELS]
    taken: list[tuple[int, int, bool, str]] = []
    for start, end, weak, label in sorted(spans, key=lambda s: (s[2], s[0] - s[1], s[0])):
        if body[start:end] and not any(start < e and s < end for s, e, _, _ in taken):
            taken.append((start, end, weak, label))
    mentions = []
    for start, end_, weak, label in sorted(taken):
        end = _trim_end(body, start, end_)
        text = body[start:end]
        name = _clean(text)
        if not name or not name[0].isupper():
            continue
        if gaz is not None and (gaz.demonym(name) or gaz.demonym(name.split()[0]) and len(name.split()) == 2):
            continue
        mentions.append(Mention(start, end, text, name, weak, label))
    return mentions


def context_weights(
    names: Iterable[str], text: str, gaz: Gazetteer, *, dateline: str | None = None
) -> dict[str, float]:
    """ISO2 -> weight from country mentions, demonyms in ``text`` and the dateline."""
    weights: dict[str, float] = defaultdict(float)
    for name in names:
        country = gaz.country(name, codes=False)  # "SA" in text is South Africa, not the code of Saudi Arabia
        if country is not None and country.country_code:
            weights[country.country_code] += COUNTRY_MENTION_WEIGHT
    for word in _CAPITALISED.findall(text):
        if code := gaz.demonym(word):
            weights[code] += DEMONYM_WEIGHT
    for part in (dateline or "").split(","):  # "BENI, North Kivu Province, Democratic Republic of Congo"
        place = gaz.geocode(part.strip(), countries=_ranked(weights)) if part.strip() else None
        if place is not None and place.country_code:
            weights[place.country_code] += DATELINE_WEIGHT
    return weights


def _ranked(weights: dict[str, float]) -> list[str]:
    """Country codes by weight, heaviest first (ties: first seen)."""
    return sorted(weights, key=lambda code: -weights[code])


def backoff_names(name: str) -> list[str]:
    """Shorter names that locate a name the gazetteer lacks, most specific first:
    "Northern Europe" -> "Europe"; "University of California" -> "California";
    "Colchester General Hospital" -> "Colchester General", "Colchester"."""
    words = name.split()
    out = []
    if len(words) > 1 and words[0].lower() in _DIRECTIONS:
        out.append(" ".join(words[1:]))
    if " of " in name:
        out.append(name.rsplit(" of ", 1)[1])
    out += [" ".join(words[:n]) for n in range(len(words) - 1, 0, -1)]
    return [n for n in out if n and n[0].isupper() and n.lower().rstrip(".") not in _DIRECTIONS | _GENERIC_WORDS]


def _event_word(name: str) -> str | None:
    """The word that makes ``name`` an event's or an institution's ("Summit of the Americas",
    "Mall of Asia", "University of St. Thomas"), else None."""
    return next((w for w in name.lower().split() if w in _EVENT_WORDS), None)


def _geocode_backoff(name: str, gaz: Gazetteer, countries: Sequence[str]) -> Place | None:
    """The first backoff name that resolves inside a context country (or to a country/continent).

    An event or institution is held anywhere ("the Summit of the Americas" in Lima, "the Mall of
    Asia" in Manila): its name backs off only to a place in one of the article's first countries,
    never to a country or continent it names nor to its own head word ("Summit", a town in New Jersey)."""
    event = _event_word(name)
    for shorter in backoff_names(name):
        if event is not None and event in shorter.lower().split():
            continue
        place = gaz.geocode(shorter, countries=countries)
        if place is None:
            continue
        if place.country_code in countries[:3] and (event is None or place.precision != "country"):
            return place
        if event is None and (place.precision == "country" or place.country_code is None):
            return place
    return None


def _context_place(gaz: Gazetteer, second: dict[str, float], found: Sequence[Place | None]) -> Place | None:
    """Where the article is, as far as it says: in its heaviest country (second-pass weight), the
    town it names most often (first named wins ties), at ``region`` precision (somewhere around
    it, not the town itself); else the province it names most often; else the country itself."""
    ranked = [c for c in _ranked(second) if second[c] > 0]
    if not ranked:
        return None
    inside = [p for p in found if p is not None and p.country_code == ranked[0]]
    for precision in ("point", "admin1"):
        named = [p for p in inside if p.precision == precision]
        if named:
            top = max(named, key=lambda p: (named.count(p), -named.index(p)))
            return replace(top, precision="region") if precision == "point" else top
    return gaz.country(ranked[0])


def geocode_names(
    names: Sequence[str], gaz: Gazetteer, weights: dict[str, float], *, fallback: bool | Sequence[bool] = True
) -> list[Place | None]:
    """Geocode ``names`` in context: a first pass, then a second with the first pass's sure places;
    names the gazetteer lacks back off to a shorter name ("Colchester General Hospital").

    With ``fallback`` (true, or one flag a name: the names that may fall back), where the article
    is (``_context_place``: no more precise than around its most-named town) stands for a name the
    gazetteer lacks (a stadium, an estate, a village) and for a little-known namesake in a country
    the article is not about ("Rockingham" in a story about England is not the town in North
    Carolina; ``Gazetteer.is_well_known``)."""
    ranked = _ranked(weights)
    first = [gaz.geocode(name, countries=ranked) for name in names]
    second = defaultdict(float, weights)
    admin1s: set[str] = set()
    for name, place in zip(names, first, strict=True):
        if place is None or place.precision == "country" or not place.country_code:
            continue
        if weights and place.country_code not in weights and not gaz.is_well_known(name, place):
            continue  # a village abroad is no evidence of what the article is about
        # a place that leads other countries' namesakes by less than the margin is weaker
        # evidence, in proportion: "Bolton" and "Southampton" together say England
        lead = gaz.lead(name, place, countries=ranked)
        second[place.country_code] += RESOLVED_PLACE_WEIGHT * min(1.0, lead / CONFIDENT_MARGIN)
        if lead >= CONFIDENT_MARGIN and place.precision == "admin1" and place.admin1:
            admin1s.add(place.admin1)
    countries = _ranked(second)
    found = [
        gaz.geocode(name, countries=countries, admin1s=tuple(admin1s)) or _geocode_backoff(name, gaz, countries)
        for name in names
    ]
    astray = [
        place is None or (second.get(place.country_code or "", 0) <= 0 and not gaz.is_well_known(name, place))
        for name, place in zip(names, found, strict=True)
    ]
    for k, name in enumerate(names):
        if astray[k] and (whole := gaz.divided(name, [c for c in countries[:3] if second[c] > 0])) is not None:
            found[k], astray[k] = whole, False
    allowed = [fallback] * len(names) if isinstance(fallback, bool) else list(fallback)
    if not any(allowed):
        return found
    unplaced = [ok and lost for ok, lost in zip(allowed, astray, strict=True)]
    context = _context_place(gaz, second, [p for p, u in zip(found, unplaced, strict=True) if not u])
    return [context if u and context is not None else p for p, u in zip(found, unplaced, strict=True)]


def _acronym_clash(name: str, place: Place) -> bool:
    """An organisation's acronym matched a place by case ("UN" is not the village Un)."""
    return name.isupper() and len(name) <= 4 and place.name != name and place.name.upper() == name


def _may_fall_back(mention: Mention, doc: Doc) -> bool:
    """A facility, natural place or feature phrase, not named as a body ("Yakjehti Committee") or
    a day ("Palm Sunday"), that spaCy never also labels a person, organisation or group elsewhere
    in the article: an actor's name is no place to guess."""
    if mention.label not in FALLBACK_LABELS or _NO_PLACE_WORDS & set(re.findall(r"[a-z]+", mention.name.lower())):
        return False
    return not any(e.label_ in ACTOR_LABELS and e.text.strip() == mention.name for e in doc.ents)


def resolve_places(doc: Doc, article: Article, gaz: Gazetteer) -> list[Place]:
    """Every toponym in ``article.body`` that the gazetteer knows, with its evidence span."""
    body = article.body
    mentions = find_mentions(doc, body, gaz)
    strong = [m for m in mentions if not m.weak]
    weights = context_weights((m.name for m in strong), body, gaz, dateline=article.dateline)
    # the context fallback only for facilities, natural places and feature phrases ("the Khyber
    # Teaching Hospital", "Tirah valley"): spaCy's GPE entities on real pages include words that
    # are no places ("Some") and names of sides ("Rwanda-backed"), placed by guess they mislead
    fallback = [_may_fall_back(m, doc) for m in strong]
    places = dict(zip(strong, geocode_names([m.name for m in strong], gaz, weights, fallback=fallback), strict=True))
    top = set(_ranked(weights)[:3])
    for m in mentions:
        if m.weak:
            place = gaz.geocode(m.name, countries=_ranked(weights))
            if place is not None and (place.country_code in top or place.precision in ("country", "admin1")):
                places[m] = place
    out = []
    for mention in mentions:
        if (place := places.get(mention)) is not None and not _acronym_clash(mention.name, place):
            ev = Evidence(mention.start, mention.end, mention.text, extractor=EXTRACTOR)
            out.append(replace(place, evidence=ev))
    return out
