"""Scores of the learned layer on a labelled split: weighted and macro F1 over ACLED's 25 sub-types,
event/no-event F1 and PLOVER accuracy; macro F1 over a label set (the stances). Plain Python (no
scikit-learn), so the test gates need nothing beyond the runtime."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from threatscape.training.corpus import NO_EVENT, SUB_TYPE_LABELS

__all__ = ["EventScores", "macro_f1", "score_predictions"]


@dataclass(frozen=True)
class EventScores:
    n: int
    weighted_f1: float  # over the 25 sub-types, weighted by gold support
    macro_f1: float  # over the sub-types present in the gold
    event_f1: float  # event vs no event
    plover_accuracy: float
    per_class: dict[str, float]

    def line(self) -> str:
        return (
            f"weighted F1 {self.weighted_f1:.3f}, macro F1 {self.macro_f1:.3f}, "
            f"event F1 {self.event_f1:.3f}, PLOVER {self.plover_accuracy:.3f} (n={self.n})"
        )


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def score_predictions(gold: list[str], pred: list[str], gold_plover: list[str], pred_plover: list[str]) -> EventScores:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        if g == p:
            tp[g] += 1
        else:
            fp[p] += 1
            fn[g] += 1
    support = Counter(g for g in gold if g != NO_EVENT)
    per_class = {label: round(_f1(tp[label], fp[label], fn[label]), 4) for label in SUB_TYPE_LABELS if support[label]}
    total = sum(support.values())
    weighted = sum(per_class[label] * support[label] for label in per_class) / total if total else 0.0
    macro = sum(per_class.values()) / len(per_class) if per_class else 0.0
    ev_tp = sum(1 for g, p in zip(gold, pred, strict=True) if g != NO_EVENT and p != NO_EVENT)
    ev_fp = sum(1 for g, p in zip(gold, pred, strict=True) if g == NO_EVENT and p != NO_EVENT)
    ev_fn = sum(1 for g, p in zip(gold, pred, strict=True) if g != NO_EVENT and p == NO_EVENT)
    plover_ok = sum(1 for g, p in zip(gold_plover, pred_plover, strict=True) if g == p)
    return EventScores(
        n=len(gold),
        weighted_f1=round(weighted, 4),
        macro_f1=round(macro, 4),
        event_f1=round(_f1(ev_tp, ev_fp, ev_fn), 4),
        plover_accuracy=round(plover_ok / len(gold), 4) if gold else 0.0,
        per_class=per_class,
    )


def macro_f1(gold: list[str], pred: list[str], labels: tuple[str, ...]) -> tuple[float, dict[str, float]]:
    """Macro F1 over ``labels`` (each counts, present in the gold or not) and the F1 of each."""
    per = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        per[label] = round(_f1(tp, fp, fn), 4)
    return round(sum(per.values()) / len(per), 4), per
