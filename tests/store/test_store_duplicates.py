"""Near-duplicate detection (threatscape.resolve.duplicates), without a database."""

from __future__ import annotations

from conftest import REPUBLISHED, UNRELATED, WIRE
from datasketch import MinHashLSH
from hypothesis import given
from hypothesis import strategies as st

from threatscape.resolve.duplicates import (
    LSH_BANDS,
    LSH_ROWS,
    LSH_THRESHOLD,
    MATCH_THRESHOLD,
    NUM_PERM,
    StoryIndex,
    fingerprint,
    shingles,
    signature,
    signature_from_bytes,
    signature_to_bytes,
)


def test_shingles_fold_case_accents_and_punctuation() -> None:
    assert shingles("Peshawar: the ATTACK, in Bannú") == shingles("peshawar the attack in bannu")
    assert "the attack in" in shingles("Peshawar: the ATTACK, in Bannú")


def test_rerun_wire_copy_is_similar_and_other_report_is_not() -> None:
    assert signature(WIRE).jaccard(signature(REPUBLISHED)) >= MATCH_THRESHOLD
    assert signature(WIRE).jaccard(signature(UNRELATED)) < 0.2


def test_short_text_has_no_fingerprint() -> None:
    assert fingerprint("Two killed in blast.") is None
    assert fingerprint(WIRE) is not None


def test_story_index_links_near_duplicate_to_first_story() -> None:
    index = StoryIndex()
    assert index.query(signature(WIRE)) is None
    index.add("wire", signature(WIRE))
    index.add("other", signature(UNRELATED))
    assert index.query(signature(REPUBLISHED)) == "wire"
    index.add("rerun", signature(REPUBLISHED), "wire")
    assert index.query(signature(REPUBLISHED + " Updated at 10:00.")) == "wire"
    assert index.query(signature(UNRELATED)) == "other"
    assert len(index) == 3


def test_story_index_ignores_a_second_add() -> None:
    index = StoryIndex()
    index.add("a", signature(WIRE))
    index.add("a", signature(WIRE), "elsewhere")
    assert index.query(signature(WIRE)) == "a"


@given(st.text(min_size=1, max_size=400))
def test_signature_bytes_round_trip(text: str) -> None:
    sig = signature(text)
    back = signature_from_bytes(signature_to_bytes(sig))
    assert back.jaccard(sig) == 1.0
    assert (back.hashvalues == sig.hashvalues).all()


def test_lsh_bands_are_the_ones_datasketch_picks_for_the_threshold() -> None:
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (LSH_BANDS, LSH_ROWS)
