"""Relations between actors: alliance, support, membership, accusations (see ``extractor``).

Modules: ``syntax`` (dependency helpers), ``context`` (the actors around a cue) and ``lexicon``
(``data/relations.yaml``, shared with ``threatscape.resolve.contested``).
"""

from threatscape.extract.relations.extractor import EXTRACTOR, extract_relations

__all__ = ["EXTRACTOR", "extract_relations"]
