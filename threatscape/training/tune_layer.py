"""Choose the thresholds that join the learned layer to the rules, on the corpus's ``valid`` split.

``python -m threatscape.training.tune_layer [MODEL_DIR]`` runs the rules (triggers, realis,
classes) and the model over every ``valid`` report once, then searches a grid of
``LearnedThresholds`` for the best weighted F1 over the 25 sub-types of the report-level label
(the sentence event the model is surest of, else no event), and writes the choice into the
artefact's manifest (``thresholds_valid``) together with the thresholds it ships with
(``thresholds``: ``--release valid`` or, by default, ``learned.CONSERVATIVE``; see there why).
The ``test`` split is never read.
Also prints the rules alone and the model alone on ``valid`` for comparison.
"""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from threatscape.extract.events.learned import CONSERVATIVE, LearnedThresholds, decide
from threatscape.training.corpus import NO_EVENT, Example, load_split
from threatscape.training.metrics import EventScores, score_predictions

__all__ = ["main", "tune"]

GRID = {
    "veto": (0.4, 0.5, 0.6, 0.75, 0.9),
    "retype": (0.0, 0.2, 0.35, 0.5, 0.8),
    "agree": (0.05, 0.25, 0.5, 0.8, 1.01),
    "add": (0.5, 0.7, 0.8, 0.9, 0.95, 1.01),
    "precise": (0.0, 0.05, 0.2),
}


@dataclass
class _Sentence:
    view: Any  # RuleView
    pred: Any  # Prediction


def _views(examples: list[Example], folder: Path | None) -> tuple[list[list[_Sentence]], Any]:
    from threatscape.extract.actors import extract_actors
    from threatscape.extract.events.extractor import rule_view
    from threatscape.extract.events.learned import sentence_predictions
    from threatscape.extract.events.lexicon import load_event_lexicon
    from threatscape.extract.nlp import load_nlp
    from threatscape.extract.nlp.encoder import EventEncoder
    from threatscape.model import Article
    from threatscape.resolve.actors import load_actor_kb

    nlp, kb, lex = load_nlp(), load_actor_kb(), load_event_lexicon()
    encoder = EventEncoder(folder, threads=2)
    out = []
    for ex, doc in zip(examples, nlp.pipe(ex.text for ex in examples), strict=True):
        article = Article(id=ex.id, title="", body=ex.text)
        actors = extract_actors(doc, article, kb)
        preds = sentence_predictions(doc.sents, encoder)
        out.append([_Sentence(rule_view(s, actors, lex), preds.get(s.start_char)) for s in doc.sents])
    return out, lex


def _label(sentences: list[_Sentence], lex: Any, th: LearnedThresholds | None) -> str:
    """The report's label: with the model, the sentence event it is surest of (the report's main
    event); with the rules alone, the strongest class by the ACLED hierarchy."""
    found = []
    for s in sentences:
        pred = s.pred if th is not None else None
        d = decide(s.view.klass, s.view.precise, bool(s.view.found), pred, lex, th or LearnedThresholds())
        if d.klass is not None:
            found.append((d.confidence if d.confidence is not None else 0.0, -d.klass.rank, d.klass.sub_type))
    if not found:
        return NO_EVENT
    return max(found)[2] if th is not None else max(found, key=lambda f: f[1])[2]


def _score(examples: list[Example], labels: list[str]) -> EventScores:
    gold = [ex.sub_type for ex in examples]
    return score_predictions(gold, labels, gold, gold)  # PLOVER not scored here


def tune(examples: list[Example], folder: Path | None) -> tuple[LearnedThresholds, dict[str, Any]]:
    views, lex = _views(examples, folder)
    rules = _score(examples, [_label(v, lex, None) for v in views])
    model = _score(
        examples,
        [
            max((s.pred for s in v if s.pred), key=lambda p: 1 - p.no_event).sub_type
            if any(s.pred for s in v)
            else NO_EVENT
            for v in views
        ],
    )
    best: tuple[float, LearnedThresholds, EventScores] | None = None
    for values in itertools.product(*GRID.values()):
        th = LearnedThresholds(**dict(zip(GRID, values, strict=True)))
        scores = _score(examples, [_label(v, lex, th) for v in views])
        key = scores.weighted_f1 + 0.25 * scores.event_f1
        if best is None or key > best[0]:
            best = (key, th, scores)
    assert best is not None
    report = {"rules_only": asdict(rules), "model_max_sentence": asdict(model), "joined": asdict(best[2])}
    return best[1], report


def main(argv: list[str] | None = None) -> int:
    import argparse

    from threatscape.extract.nlp.encoder import default_model_dir

    parser = argparse.ArgumentParser(prog="python -m threatscape.training.tune_layer")
    parser.add_argument("folder", nargs="?", type=Path, default=default_model_dir())
    parser.add_argument(
        "--release",
        choices=("conservative", "valid"),
        default="conservative",
        help="thresholds the artefact ships with: the valid split's choice, or learned.CONSERVATIVE",
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    folder = args.folder
    valid = load_split("valid")
    th, report = tune(valid, folder)
    for name, scores in report.items():
        print(
            f"valid, {name}: weighted F1 {scores['weighted_f1']:.3f}, macro {scores['macro_f1']:.3f}, "
            f"event F1 {scores['event_f1']:.3f}"
        )
    released = th if args.release == "valid" else CONSERVATIVE
    print(f"chosen on valid: {asdict(th)}; released ({args.release}): {asdict(released)}")
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["thresholds_valid"] = asdict(th)
    manifest["thresholds"] = asdict(released)
    manifest["thresholds_release"] = args.release
    manifest.setdefault("metrics", {})["valid_layer"] = report
    path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
