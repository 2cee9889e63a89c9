"""spaCy helpers: the pipeline (``spacy_pipeline``), table-driven token attributes
(``attributes``), a per-document cache of spaCy properties (``doccache``) and a regex
prefilter (``regex_start``). Importing this package does not import spaCy.
"""

from threatscape.extract.nlp.spacy_pipeline import KB_RULER, MODEL, TOKEN_ATTRIBUTES, load_nlp

__all__ = ["KB_RULER", "MODEL", "TOKEN_ATTRIBUTES", "load_nlp"]
