"""Choose how the stance head joins the rules' stance, on the stance corpus's ``valid`` split.

``python -m threatscape.training.tune_stance [--write] [MODEL_DIR]`` runs the claims extractor over
every ``valid`` report, pairs each labelled statement with the claim whose evidence overlaps it
most, and scores the stance macro F1 (over the eight stances, on the statements the rules found)
of the rules alone, the model alone and each ``StanceJoin`` of a small grid. ``--write`` records
the best join in the manifest (``stance.join``). The ``test`` split is never read here.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from threatscape.extract.claims.learned import StanceJoin, choose, head_inputs
from threatscape.training.metrics import macro_f1
from threatscape.training.stance_corpus import STANCES, iter_records

__all__ = ["main"]

THRESHOLDS = (1.01, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.0)


def _pairs(folder: Path) -> tuple[list[tuple[str, str, str, float]], int]:
    """(gold, rules, model, model probability) per statement the rules found, and how many were missed."""
    from threatscape.extract.actors import extract_actors
    from threatscape.extract.claims import extract_claims
    from threatscape.extract.nlp.encoder import EventEncoder
    from threatscape.model import Article
    from threatscape.pipeline import Resources

    res = Resources(rules_only=True)
    encoder = EventEncoder(folder, threads=2)
    records = [rec for split, _, rec in iter_records() if split == "valid"]
    out, missed = [], 0
    for rec, doc in zip(records, res.nlp.pipe(r["text"] for r in records), strict=True):
        article = Article(id=rec["id"], title="", body=rec["text"])
        actors = extract_actors(doc, article, res.actor_kb, lexicon=res.role_lexicon)
        claims = extract_claims(doc, article, actors, lexicon=res.cue_lexicon)
        preds = encoder.predict_stance(head_inputs(claims)) if claims else []
        for st in rec["statements"]:
            start = rec["text"].find(st["text"])
            end = start + len(st["text"])
            overlaps = [(min(end, c.evidence.end) - max(start, c.evidence.start), i) for i, c in enumerate(claims)]
            best = max(overlaps, default=(0, -1))
            if best[0] <= 0:
                missed += 1
                continue
            claim, pred = claims[best[1]], preds[best[1]]
            out.append((st["stance"], claim.stance, pred.stance, pred.probability))
    return out, missed


def _f1(pairs: list[tuple[str, str, str, float]], pick: Any) -> float:
    return macro_f1([g for g, *_ in pairs], [pick(r, m, p) for _, r, m, p in pairs], STANCES)[0]


def main(argv: list[str]) -> int:
    from threatscape.extract.nlp.encoder import default_model_dir

    write = "--write" in argv
    args = [a for a in argv if not a.startswith("--")]
    folder = Path(args[0]) if args else default_model_dir()
    pairs, missed = _pairs(folder)
    print(f"valid statements paired with a claim: {len(pairs)} (no claim found: {missed})")
    print(f"rules alone: macro F1 {_f1(pairs, lambda r, m, p: r):.3f}")
    print(f"model alone: macro F1 {_f1(pairs, lambda r, m, p: m):.3f}")
    best = (-1.0, StanceJoin())
    for only in (True, False):
        for t in THRESHOLDS:
            join = StanceJoin(t, only)
            f1 = _f1(pairs, lambda r, m, p, j=join: choose(r, m, p, j))
            print(f"  {asdict(join)}: {f1:.3f}")
            if f1 > best[0] + 1e-9:
                best = (f1, join)
    print(f"best: {asdict(best[1])} macro F1 {best[0]:.3f}")
    if write:
        path = folder / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest.setdefault("stance", {})["join"] = {**asdict(best[1]), "valid_macro_f1": round(best[0], 4)}
        path.write_text(json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
