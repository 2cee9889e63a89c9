"""The rules and the learned layer joined, sentence by sentence (``extract/events/learned.py``).

Predictions are built by hand here, so each rule of ``decide`` is tested without a model."""

from __future__ import annotations

import pytest

from threatscape.errors import ConfigError
from threatscape.extract.events.learned import (
    CONSERVATIVE,
    LearnedThresholds,
    class_for,
    decide,
    thresholds_from_manifest,
)
from threatscape.extract.events.lexicon import load_event_lexicon
from threatscape.extract.nlp.encoder import Prediction

LEX = load_event_lexicon()
OPEN = LearnedThresholds(veto=0.8, retype=0.5, agree=0.3, add=0.9, precise=0.0)


def pred(dist: dict[str, float], plover: str | None = "ASSAULT") -> Prediction:
    full = {**dist, "none": dist.get("none", 0.0)}
    best = max(full, key=lambda k: full[k])
    return Prediction(best, full[best], full["none"], plover, full)


def test_rules_alone_without_a_prediction() -> None:
    clash = LEX.klass("clash")
    assert decide(clash, False, True, None, LEX, OPEN).klass is clash


def test_the_model_vetoes_a_rule_event_it_is_sure_is_none() -> None:
    clash = LEX.klass("clash")
    d = decide(clash, False, True, pred({"none": 0.9, "Armed clash": 0.05, "Attack": 0.05}), LEX, OPEN)
    assert d.klass is None and d.source == "model"


def test_a_precise_cue_survives_the_veto() -> None:
    suicide = LEX.klass("suicide")
    d = decide(suicide, True, True, pred({"none": 0.9, "Suicide bomb": 0.1}), LEX, OPEN)
    assert d.klass is suicide


def test_the_model_retypes_when_its_sub_type_holds_the_event_mass() -> None:
    clash = LEX.klass("clash")
    d = decide(clash, False, True, pred({"Attack": 0.85, "Armed clash": 0.1, "none": 0.05}), LEX, OPEN)
    assert d.klass is not None and d.klass.sub_type == "Attack" and d.confidence == pytest.approx(0.85)


def test_agreement_keeps_the_rules_class() -> None:
    clash = LEX.klass("clash")
    d = decide(clash, False, True, pred({"Armed clash": 0.4, "Attack": 0.5, "none": 0.1}), LEX, OPEN)
    assert d.klass is clash and d.source == "rules+model"


def test_the_model_adds_an_event_only_where_no_trigger_was_dropped() -> None:
    sure = pred({"Peaceful protest": 0.95, "none": 0.05}, plover="PROTEST")
    added = decide(None, False, False, sure, LEX, OPEN)
    assert added.klass is not None and added.klass.sub_type == "Peaceful protest" and added.klass.plover == "PROTEST"
    assert decide(None, False, True, sure, LEX, OPEN).klass is None  # the rules dropped it as irrealis
    assert decide(None, False, False, pred({"Peaceful protest": 0.6, "none": 0.4}), LEX, OPEN).klass is None


def test_conservative_thresholds_leave_whether_and_which_to_the_rules() -> None:
    clash = LEX.klass("clash")
    kept = decide(clash, False, True, pred({"Attack": 0.98, "Armed clash": 0.02}), LEX, CONSERVATIVE)
    assert kept.klass is clash and kept.confidence == pytest.approx(0.02)
    assert decide(None, False, False, pred({"Attack": 0.999, "none": 0.001}), LEX, CONSERVATIVE).klass is None
    assert decide(clash, False, True, pred({"none": 0.995, "Armed clash": 0.005}), LEX, CONSERVATIVE).klass is clash


def test_every_sub_type_has_a_class() -> None:
    from threatscape.training.corpus import TYPE_OF

    for sub_type, etype in TYPE_OF.items():
        klass = class_for(sub_type, LEX)
        assert klass is not None and klass.type == etype, sub_type


def test_thresholds_from_the_manifest() -> None:
    assert thresholds_from_manifest({}) == CONSERVATIVE
    assert thresholds_from_manifest({"thresholds": {"veto": 0.5}}).veto == 0.5
    with pytest.raises(ConfigError, match="unknown thresholds"):
        thresholds_from_manifest({"thresholds": {"vetoo": 0.5}})
