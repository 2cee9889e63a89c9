"""threatscape.structure: pure functions, raw document -> Article(s).

The chain (each step a small module): ``split`` a dump into articles at repeated headlines,
read each ``header`` (headline, captions, stamps, byline, bullet summary), read the ``body``
without page furniture, take the ``dateline`` off, pick the ``dates``. The vocabulary
(furniture lines, agencies, month names, thresholds) is ``threatscape/data/furniture.yaml``.
"""

from threatscape.structure.article import split_store_token, structure_document
from threatscape.structure.text import article_id, normalise_text

__all__ = ["article_id", "normalise_text", "split_store_token", "structure_document"]
