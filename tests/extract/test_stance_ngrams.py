"""The n-gram partner of the stance experiments: what it reads of a head input."""

from __future__ import annotations

from threatscape.training.stance_experiments import GRAMS, ngrams


def test_words_and_word_pairs_read_the_separator_as_a_bar() -> None:
    assert ngrams("Rebels DENIED [SEP] it") == ["rebels", "denied", "|", "it", "rebels denied", "denied |", "| it"]


def test_character_grams_cross_word_boundaries_and_pad_the_ends() -> None:
    grams = ngrams("no role", chars=(3,))
    chars = [g[1:] for g in grams if g.startswith("#")]
    assert chars == [" no", "no ", "o r", " ro", "rol", "ole", "le "]
    assert "no role" in grams  # the word pair is still there


def test_the_chosen_model_reads_characters_and_the_earlier_one_does_not() -> None:
    assert GRAMS["chars"].chars and not GRAMS["words"].chars
    assert not any(g.startswith("#") for g in ngrams("a b c", GRAMS["words"].chars))
    assert any(g == "#a b" for g in ngrams("a b c", GRAMS["chars"].chars))
