"""All extractors over one parsed article, in dependency order -> ``Extraction``.

Actors first (everything else refers to them), then claims, quantities, dates and places;
relations and events; money flows and strength last, linked from the facts before them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from threatscape.extract.actors import extract_actors
from threatscape.extract.claims import extract_claims
from threatscape.extract.claims.learned import restance
from threatscape.extract.dates import extract_dates
from threatscape.extract.events import extract_events
from threatscape.extract.money import link_money
from threatscape.extract.nlp.doccache import release
from threatscape.extract.quantities import extract_quantities
from threatscape.extract.relations import extract_relations
from threatscape.model import Article, Extraction
from threatscape.resolve.places import resolve_places

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract_document"]


def extract_document(doc: Doc, article: Article, resources: Any) -> Extraction:
    """Every fact in ``article`` (``doc`` is its parsed body); ``resources`` (a ``Resources``)
    holds the shared KBs and the lexicons, which are passed to each extractor."""
    try:
        return _extract(doc, article, resources)
    finally:
        release(doc)


def _extract(doc: Doc, article: Article, res: Any) -> Extraction:
    actors = extract_actors(doc, article, res.actor_kb, lexicon=res.role_lexicon)
    claims = extract_claims(doc, article, actors, lexicon=res.cue_lexicon)
    join = getattr(res, "stance_join", None)
    if join is not None:
        claims = restance(claims, res.event_encoder, join)
    quantities = extract_quantities(doc, article, lexicon=res.quantity_lexicon, date_lexicon=res.date_lexicon)
    dates = extract_dates(doc, article, lexicon=res.date_lexicon)
    places = resolve_places(doc, article, res.gazetteer)
    relations = extract_relations(doc, article, actors, claims, dates, lexicon=res.relation_lexicon)
    events = extract_events(
        doc,
        article,
        actors,
        claims,
        quantities,
        dates,
        places,
        lexicon=res.event_lexicon,
        quantity_lexicon=res.quantity_lexicon,
        encoder=res.event_encoder,
        thresholds=res.event_thresholds,
    )
    money = getattr(res, "money_lexicon", None)
    flows, strengths = link_money(
        doc, article, actors.mentions, actors.actors, claims, quantities, relations, dates, lexicon=money
    )
    return Extraction(
        article=article,
        actors=tuple(actors.actors),
        mentions=tuple(actors.mentions),
        claims=tuple(claims),
        quantities=tuple(quantities),
        dates=tuple(dates),
        places=tuple(places),
        relations=tuple(relations),
        events=tuple(events),
        flows=tuple(flows),
        strengths=tuple(strengths),
    )
