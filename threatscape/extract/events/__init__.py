"""Events: who did what to whom, where and when (see ``extractor`` for the chain of steps).

Modules: ``triggers`` (words that report an event), ``classify`` (the ACLED type of a trigger),
``slots`` (actors, place, date, toll), ``merge`` (one event per incident), ``plover`` (the PLOVER
type of a sentence) and ``lexicon`` (the word lists in ``data/events.yaml``).
"""

from threatscape.extract.events.extractor import EXTRACTOR, extract_events

__all__ = ["EXTRACTOR", "extract_events"]
