"""Actors: who an article names, resolved to stable ids, with roles (see ``mentions``).

Modules: ``mentions`` (the extractor), ``registry`` (the per-article ``ArticleActors``) and
``roles`` (titles and affiliations, from ``data/actors/roles.yaml``).
"""

from threatscape.extract.actors.mentions import EXTRACTOR, ArticleActors, extract_actors

__all__ = ["EXTRACTOR", "ArticleActors", "extract_actors"]
