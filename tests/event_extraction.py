"""The event extractor alone over one body, as the event tests call it: actors, claims, places,
quantities and dates first, with a module's shared ``Resources``."""

from __future__ import annotations

from threatscape.extract.actors import extract_actors
from threatscape.extract.claims import extract_claims
from threatscape.extract.dates import extract_dates
from threatscape.extract.events import extract_events
from threatscape.extract.quantities import extract_quantities
from threatscape.model import Article, Event
from threatscape.pipeline import Resources
from threatscape.resolve.places import resolve_places


def events_of(res: Resources, body: str, published: str = "2025-03-05") -> list[Event]:
    article = Article(id="t" + str(abs(hash(body))), title="t", body=body, published=published)
    doc = res.nlp(body)
    actors = extract_actors(doc, article, res.actor_kb)
    claims = extract_claims(doc, article, actors)
    places = resolve_places(doc, article, res.gazetteer)
    return extract_events(
        doc, article, actors, claims, extract_quantities(doc, article), extract_dates(doc, article), places
    )
