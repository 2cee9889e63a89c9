"""Sanctions screening benchmark: speed on 10,000 mentions and the confusion-set false-positive rate.

``run()`` screens 10,000 mentions against the full UN consolidated list in ../shared/data (real
listed names and aliases, perturbed as the news writes them; the confusion set; and invented
recombinations of unlisted people's names), prints the time, and screens the confusion set
(``tests/fixtures/sanctions/unlisted-names.csv``, real unlisted people and organisations) with and
without the article context (type and country). A false positive is a ``match`` verdict; a
``review`` is counted apart. Called by ``make bench``; never by the tests.
"""

from __future__ import annotations

import csv
import random
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
UN_LIST = ROOT.parent / "shared" / "data" / "un-sc-consolidated-2024-09-26.xml"
CONFUSION = ROOT / "tests" / "fixtures" / "sanctions" / "unlisted-names.csv"
MENTIONS = 10_000
HONORIFICS = ("Mufti", "Mullah", "Maulana", "Sheikh", "Haji", "Dr.")


def confusion_rows() -> list[dict[str, str]]:
    with CONFUSION.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _perturb(name: str, rng: random.Random) -> str:
    words = name.split()
    roll = rng.random()
    if roll < 0.25 and len(words) > 2:
        words.pop(rng.randrange(1, len(words) - 1))  # a middle name dropped
    elif roll < 0.45:
        words.insert(0, rng.choice(HONORIFICS))
    elif roll < 0.65:
        words = [w.replace("ou", "o").replace("ee", "i").replace("u", "oo", 1) for w in words]
    return " ".join(w.title() if w.isupper() else w for w in words)


def make_mentions(entries: list[Any], rows: list[dict[str, str]], n: int = MENTIONS, seed: int = 7) -> list[str]:
    """A deterministic mix: a third listed names, a third unlisted names, a third recombinations."""
    rng = random.Random(seed)
    listed = [name for e in entries for name in (e.name, *(a.name for a in e.aliases))]
    unlisted = [r["name"] for r in rows]
    persons = [r["name"].split() for r in rows if r["type"] == "person"]
    out: list[str] = []
    while len(out) < n:
        kind = len(out) % 3
        if kind == 0:
            out.append(_perturb(rng.choice(listed), rng))
        elif kind == 1:
            out.append(rng.choice(unlisted))
        else:
            out.append(f"{rng.choice(persons)[0]} {rng.choice(persons)[-1]}")
    return out


def confusion_rates(screener: Any, rows: list[dict[str, str]], context: bool) -> dict[str, Any]:
    from threatscape.resolve.sanctions.match import Query

    matches, reviews = [], []
    for r in rows:
        query = Query(r["name"], type=r["type"], country=r["country"] or None) if context else Query(r["name"])
        best = screener.best(query)
        if best and best.verdict == "match":
            matches.append(f"{r['name']} -> {best.ref} {best.name}")
        elif best and best.verdict == "review":
            reviews.append(f"{r['name']} -> {best.ref} {best.name}")
    total = len(rows)
    return {
        "names": total,
        "false_positive_rate": len(matches) / total,
        "review_rate": len(reviews) / total,
        "false_positives": matches,
        "reviews": reviews,
    }


def naive_screen_seconds(entries: list[Any], mentions: list[str]) -> float:
    """The baseline: what plain fuzzy screening costs (no blocking, no normalisation): every
    mention against every listed name and alias with rapidfuzz's ``WRatio``."""
    from rapidfuzz import fuzz, process

    names = [e.name for e in entries] + [a.name for e in entries for a in e.aliases]
    t0 = time.perf_counter()
    for mention in mentions:
        process.extractOne(mention, names, scorer=fuzz.WRatio)
    return time.perf_counter() - t0


def run() -> dict[str, Any]:
    """Run the benchmark, print a summary, return the figures."""
    from threatscape.resolve.sanctions.lists import read_list_file
    from threatscape.resolve.sanctions.match import Query
    from threatscape.resolve.sanctions.screen import Screener

    if not UN_LIST.is_file():
        print(f"sanctions: skipped, {UN_LIST} is absent")
        return {"skipped": f"{UN_LIST} is absent"}
    rows = confusion_rows()
    started = time.perf_counter()
    entries = list(read_list_file(UN_LIST).entries)
    screener = Screener(entries)
    loaded = time.perf_counter()
    mentions = make_mentions(entries, rows)
    verdicts = {"match": 0, "review": 0, "no_match": 0}
    t0 = time.perf_counter()
    for mention in mentions:
        best = screener.best(Query(mention))
        verdicts[best.verdict if best else "no_match"] += 1
    screened = time.perf_counter() - t0
    baseline = naive_screen_seconds(entries, mentions)
    result = {
        "list_entries": len(entries),
        "load_and_index_s": round(loaded - started, 3),
        "mentions": len(mentions),
        "unique_mentions": len(set(mentions)),
        "screen_s": round(screened, 3),
        "ms_per_mention": round(1000 * screened / len(mentions), 3),
        "verdicts": verdicts,
        "naive_fuzzy_s": round(baseline, 3),
        "speedup_vs_naive": round(baseline / screened, 2) if screened else None,
        "confusion_with_context": confusion_rates(screener, rows, context=True),
        "confusion_name_only": confusion_rates(screener, rows, context=False),
    }
    print(
        f"sanctions: {len(mentions)} mentions ({result['unique_mentions']} distinct) screened against "
        f"{len(entries)} UN entries in {screened:.2f} s ({result['ms_per_mention']} ms each; "
        f"load+index {result['load_and_index_s']} s); verdicts {verdicts}"
    )
    print(
        f"sanctions: baseline, naive fuzzy screening (rapidfuzz WRatio of each mention against every listed name, "
        f"same run): {baseline:.2f} s; ratio baseline / threatscape = {result['speedup_vs_naive']}"
    )
    for label in ("confusion_with_context", "confusion_name_only"):
        c = result[label]
        print(
            f"sanctions: {label}: {c['names']} unlisted names, false-positive rate "
            f"{c['false_positive_rate']:.3f}, review rate {c['review_rate']:.3f}"
        )
        for line in c["false_positives"] + c["reviews"]:
            print(f"    {line}")
    return result


if __name__ == "__main__":
    run()
