"""Near-duplicate articles: the same wire story on several sites, lightly edited.

A body becomes a set of word shingles (``SHINGLE_WORDS`` consecutive normalised words), hashed into
a MinHash of ``NUM_PERM`` permutations. ``StoryIndex`` puts signatures into a MinHash LSH that
proposes candidates above ``LSH_THRESHOLD``; a candidate counts only when the estimated Jaccard
similarity verifies at ``MATCH_THRESHOLD`` or more. An article that matches joins the story of the
most similar earlier article; otherwise it starts its own story (story id = its article id).

Bodies shorter than ``MIN_SHINGLES`` shingles give no signature (``fingerprint`` returns ``None``):
two one-line items say too little to call them the same story.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
from datasketch import MinHash, MinHashLSH

__all__ = [
    "LSH_BANDS",
    "LSH_ROWS",
    "LSH_THRESHOLD",
    "MATCH_THRESHOLD",
    "MIN_SHINGLES",
    "NUM_PERM",
    "SHINGLE_WORDS",
    "StoryIndex",
    "fingerprint",
    "shingles",
    "signature",
    "signature_from_bytes",
    "signature_to_bytes",
]

NUM_PERM = 128
SHINGLE_WORDS = 3
# A wire story rerun with its own lede, a few edited words and page furniture keeps about 0.6 of
# its 3-word shingles (0.62 for the copies in tests/store/conftest.py); two different reports of
# the same kind of incident in the same province share about 0.05.
LSH_THRESHOLD = 0.4  # candidate recall: well below the match threshold so LSH misses few matches
MATCH_THRESHOLD = 0.5  # estimated Jaccard a candidate must reach to count as the same story
# The bands x rows datasketch picks for LSH_THRESHOLD and NUM_PERM (it takes it ~0.3 s to work that
# out on every new index, so it is written down here; a test checks it still agrees).
LSH_BANDS, LSH_ROWS = 32, 4
MIN_SHINGLES = 10
_SEED = 1
_SCHEME = "affine32"  # datasketch's permutation scheme; stored signatures are only valid with it
_STORED = np.dtype("<u4")  # a signature in the database: NUM_PERM little-endian uint32

_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[str]:
    """The word ``SHINGLE_WORDS``-grams of ``text``, case- and accent-folded."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = _WORD.findall(folded)
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> MinHash:
    """The MinHash of the shingles of ``text``."""
    sig = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    sig.update_batch([s.encode("utf-8") for s in shingles(text)])
    return sig


def fingerprint(text: str) -> MinHash | None:
    """``signature(text)``, or ``None`` when the text is too short to compare."""
    if len(shingles(text)) < MIN_SHINGLES:
        return None
    return signature(text)


def signature_to_bytes(sig: MinHash) -> bytes:
    """The signature as stored in the database (``NUM_PERM`` little-endian uint32)."""
    return np.asarray(sig.hashvalues).astype(_STORED).tobytes()


def signature_from_bytes(data: bytes) -> MinHash:
    """The inverse of ``signature_to_bytes``."""
    values = np.frombuffer(data, dtype=_STORED).astype(np.uint32)
    return MinHash(num_perm=len(values), seed=_SEED, hashvalues=values, scheme=_SCHEME)


class StoryIndex:
    """Signatures of stored articles, grouped into stories.

    Also the store's ``StoryLinker`` (``threatscape.store.base``): ``signature``, ``remember`` and
    ``story_for`` speak the stored form of a signature (``signature_to_bytes``), and ``seen`` is
    how far the store has fed it its rows. One index serves one database.
    """

    def __init__(self) -> None:
        self._lsh = MinHashLSH(num_perm=NUM_PERM, params=(LSH_BANDS, LSH_ROWS))
        self._sigs: dict[str, MinHash] = {}
        self._stories: dict[str, str] = {}
        self.seen = 0

    def __len__(self) -> int:
        return len(self._sigs)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._sigs

    def add(self, article_id: str, sig: MinHash, story_id: str | None = None) -> None:
        """Index ``article_id``; it belongs to ``story_id`` (default: its own story)."""
        if article_id in self._sigs:
            return
        self._lsh.insert(article_id, sig)
        self._sigs[article_id] = sig
        self._stories[article_id] = story_id or article_id

    def query(self, sig: MinHash) -> str | None:
        """The story of the most similar indexed article, if similar enough; else ``None``."""
        best: tuple[float, str] | None = None
        for candidate in self._lsh.query(sig):
            score = sig.jaccard(self._sigs[candidate])
            if score >= MATCH_THRESHOLD and (best is None or (score, candidate) > best):
                best = (score, candidate)
        return self._stories[best[1]] if best else None

    # -- as the store's StoryLinker -------------------------------------------------------------

    def signature(self, body: str) -> bytes | None:
        sig = fingerprint(body)
        return None if sig is None else signature_to_bytes(sig)

    def remember(self, article_id: str, signature: bytes, story_id: str) -> None:
        self.add(article_id, signature_from_bytes(signature), story_id)

    def story_for(self, signature: bytes) -> str | None:
        return self.query(signature_from_bytes(signature))
