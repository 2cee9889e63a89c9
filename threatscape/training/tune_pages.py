"""Choose the joining of the learned layer and the rules on page-shaped text we wrote.

``python -m threatscape.training.tune_pages [--write|--release] [MODEL_DIR]`` reads the validation pages
(``threatscape.training.pages``), parses each once, runs the extractors once, then runs the event
extractor under the rules alone, the released joining, the joining chosen on the corpus's
``valid`` split and a grid of ``LearnedThresholds`` (the model's predictions cached per sentence),
and prints the events F1 of each. ``--write`` records the best in the artefact's manifest as
``thresholds_pages``; ``--release`` also ships it (``thresholds``). Releasing is a decision made
with the held-out figures in view (see ``learned.CONSERVATIVE``), not by this script. Neither the
corpus's ``test`` split nor the development pages are read.
"""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from threatscape.extract.events.learned import CONSERVATIVE, LearnedThresholds
from threatscape.training.pages import Page, PageScore, load_pages, score_events

__all__ = ["main"]

GRID = {  # each list from the released (rules decide) end; ties go to the earlier, more conservative
    "veto": (1.01, 0.9, 0.7, 0.5, 0.4),
    "retype": (1.01, 0.5, 0.2, 0.0),
    "agree": (0.0, 0.25, 0.5),
    "add": (1.01, 0.97, 0.95, 0.93, 0.9),
    "precise": (0.0, 0.2),
}


class _CachedEncoder:
    """The encoder's predictions, computed once per sentence text."""

    def __init__(self, encoder: Any) -> None:
        self.encoder = encoder
        self.version = encoder.version
        self.manifest = encoder.manifest
        self.cache: dict[str, Any] = {}

    def predict(self, texts: list[str]) -> list[Any]:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            self.cache.update(zip(todo, self.encoder.predict(todo), strict=True))
        return [self.cache[t] for t in texts]


@dataclass
class _Prepared:
    page_id: str
    args: tuple[Any, ...]  # what extract_events takes before its keywords


def _prepare(pages: list[Page], res: Any) -> list[_Prepared]:
    from threatscape.extract.actors import extract_actors
    from threatscape.extract.claims import extract_claims
    from threatscape.extract.dates import extract_dates
    from threatscape.extract.quantities import extract_quantities
    from threatscape.model import IngestFailure
    from threatscape.pipeline import read_articles
    from threatscape.resolve.places import resolve_places
    from threatscape.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pages.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for p in pages:
                f.write(json.dumps({"id": p.id, "text": p.text, "url": p.url, "published": p.published}) + "\n")
        articles = [a for a in read_articles([str(path)], Settings()) if not isinstance(a, IngestFailure)]
    out = []
    for article in articles:
        doc = res.nlp(article.body)
        actors = extract_actors(doc, article, res.actor_kb, lexicon=res.role_lexicon)
        claims = extract_claims(doc, article, actors, lexicon=res.cue_lexicon)
        quantities = extract_quantities(doc, article, lexicon=res.quantity_lexicon, date_lexicon=res.date_lexicon)
        dates = extract_dates(doc, article, lexicon=res.date_lexicon)
        places = resolve_places(doc, article, res.gazetteer)
        out.append(_Prepared(str(article.source_id), (doc, article, actors, claims, quantities, dates, places)))
    return out


def _score(
    prepared: list[_Prepared], pages: list[Page], res: Any, encoder: Any, th: LearnedThresholds | None
) -> PageScore:
    from threatscape.extract.events import extract_events

    by_page: dict[str, list[Any]] = {}
    for item in prepared:
        events = extract_events(
            *item.args,
            lexicon=res.event_lexicon,
            quantity_lexicon=res.quantity_lexicon,
            encoder=encoder if th is not None else None,
            thresholds=th,
        )
        by_page.setdefault(item.page_id, []).extend(events)
    return score_events(pages, by_page)


def main(argv: list[str]) -> int:
    from threatscape.extract.nlp.encoder import EventEncoder, default_model_dir
    from threatscape.pipeline import Resources

    release = "--release" in argv
    write = "--write" in argv or release
    args = [a for a in argv if not a.startswith("--")]
    folder = Path(args[0]) if args else default_model_dir()
    pages = load_pages()
    if not pages:
        print("no validation pages found", file=sys.stderr)
        return 2
    res = Resources(rules_only=True)
    encoder = _CachedEncoder(EventEncoder(folder, threads=2))
    prepared = _prepare(pages, res)
    print(f"{len(pages)} pages, {len(prepared)} articles")
    rules = _score(prepared, pages, res, encoder, None)
    print(f"rules alone:        {rules.line()}")
    released = _score(prepared, pages, res, encoder, CONSERVATIVE)
    print(f"conservative:       {released.line()}")
    valid_th = encoder.manifest.get("thresholds_valid")
    if valid_th:
        chosen = _score(prepared, pages, res, encoder, LearnedThresholds(**valid_th))
        print(f"chosen on valid:    {chosen.line()}")
    best: tuple[float, LearnedThresholds, PageScore] | None = None
    keys = list(GRID)
    for values in itertools.product(*(GRID[k] for k in keys)):
        th = LearnedThresholds(**dict(zip(keys, values, strict=True)))
        score = _score(prepared, pages, res, encoder, th)
        if best is None or score.f1 > best[0] + 1e-9:
            best = (score.f1, th, score)
            print(f"  better: {asdict(th)} {score.line()}")
    assert best is not None
    print(f"best on pages:      {asdict(best[1])} {best[2].line()}")
    if write:
        path = folder / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["thresholds_pages"] = {
            **asdict(best[1]),
            "pages_f1": round(best[0], 4),
            "rules_f1": round(rules.f1, 4),
        }
        if release:
            manifest["thresholds"] = asdict(best[1])
            manifest["thresholds_release"] = "pages"
            print("released: the joining chosen on the pages")
        path.write_text(json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
