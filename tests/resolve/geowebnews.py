"""GeoWebNews (../shared/data/geowebnews-gwn.xml) as a geocoding gate: resolution, not recognition.

Every gold toponym string of an article is geocoded in that article's context (the other gold
toponyms, the demonyms in its text) by ``threatscape.resolve.places.geocode_names``. Scored on the
toponyms that carry a GeoNames id: *right country* (the gold place's country, found by its GeoNames
id in the gazetteer or else by the gazetteer point nearest to the gold coordinates; an exact
GeoNames id match also counts) and *within 161 km* of the gold coordinates.

The articles are split once, by a fixed hash, into a *tune* half and a *test* half (``half``):
the sha256 of the article's text, first byte even -> tune, odd -> test (105 articles with 719
scored toponyms / 95 articles with 906). Misses are read, and the geocoder tuned, on the tune half
only; the test half is measured to check, never to choose.

Run alone: ``python tests/resolve/geowebnews.py`` prints the figures of both halves;
``-v`` adds the frequent misses of the tune half.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

SHARED = Path(os.environ.get("THREATSCAPE_SHARED") or Path(__file__).resolve().parents[2] / ".." / "shared")
GWN = SHARED / "data" / "geowebnews-gwn.xml"
# adjectives and names inside organisation names ("Irish", "Russian Higher School of Economics"):
# GeoWebNews annotates them, but they are not toponyms a geocoder is asked to resolve.
NON_TOPONYM_TYPES = frozenset({"Non_Literal_Modifier", "Embedded_Non_Lit"})
HALVES = ("tune", "test")


@dataclass(frozen=True)
class GoldToponym:
    name: str
    type: str
    geonameid: int | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class GoldArticle:
    text: str
    toponyms: tuple[GoldToponym, ...]


@dataclass
class Score:
    total: int = 0
    country: int = 0
    km161: int = 0

    def line(self, label: str) -> str:
        return (
            f"{label}: {self.total} toponyms, right country {100 * self.country / self.total:.1f}%, "
            f"within 161 km {100 * self.km161 / self.total:.1f}%"
        )


def _float(el: ElementTree.Element, tag: str) -> float | None:
    text = el.findtext(tag)
    return float(text) if text else None


def read_gwn(path: Path = GWN) -> list[GoldArticle]:
    root = ElementTree.parse(path).getroot()
    articles = []
    for art in root.iter("article"):
        tops = []
        for t in art.iter("toponym"):
            gid = t.findtext("geonamesID")
            tops.append(
                GoldToponym(
                    name=t.findtext("extractedName") or "",
                    type=t.findtext("type") or "",
                    geonameid=int(gid) if gid else None,
                    lat=_float(t, "latitude"),
                    lon=_float(t, "longitude"),
                )
            )
        articles.append(GoldArticle(text=art.findtext("text") or "", toponyms=tuple(tops)))
    return articles


def half(article: GoldArticle) -> str:
    """``"tune"`` or ``"test"``: the parity of the first byte of the sha256 of the article's text."""
    return HALVES[hashlib.sha256(article.text.encode("utf-8")).digest()[0] % 2]


def split(articles: list[GoldArticle]) -> dict[str, list[GoldArticle]]:
    """The articles of each half, in file order."""
    return {h: [a for a in articles if half(a) == h] for h in HALVES}


def evaluate(articles: list[GoldArticle]) -> dict[str, Score]:
    from threatscape.resolve.gazetteer import distance_km, load_gazetteer
    from threatscape.resolve.places import context_weights, geocode_names

    gaz = load_gazetteer()
    scores = {"toponyms": Score(), "all": Score()}
    for art in articles:
        located = [t for t in art.toponyms if t.lat is not None]
        names = [t.name for t in located]
        places = geocode_names(names, gaz, context_weights(names, art.text, gaz))
        for gold, place in zip(located, places, strict=True):
            if gold.geonameid is None or gold.lat is None or gold.lon is None:
                continue
            ref = gaz.by_geonameid(gold.geonameid) or gaz.nearest(gold.lat, gold.lon)
            ok_country = place is not None and (
                place.geonameid == gold.geonameid or (ref is not None and place.country_code == ref.country_code)
            )
            ok_km = (
                place is not None
                and place.lat is not None
                and place.lon is not None
                and distance_km(gold.lat, gold.lon, place.lat, place.lon) <= 161
            )
            for label in ("all", "toponyms"):
                if label == "toponyms" and gold.type in NON_TOPONYM_TYPES:
                    continue
                scores[label].total += 1
                scores[label].country += ok_country
                scores[label].km161 += ok_km
    return scores


def failures(articles: list[GoldArticle], limit: int = 60) -> Counter[str]:
    """Debugging aid: the most frequent (gold name -> our answer) misses beyond 161 km."""
    from threatscape.resolve.gazetteer import distance_km, load_gazetteer
    from threatscape.resolve.places import context_weights, geocode_names

    gaz = load_gazetteer()
    out: Counter[str] = Counter()
    for art in articles:
        located = [t for t in art.toponyms if t.lat is not None]
        names = [t.name for t in located]
        for gold, place in zip(located, geocode_names(names, gaz, context_weights(names, art.text, gaz)), strict=True):
            if gold.geonameid is None or gold.type in NON_TOPONYM_TYPES or gold.lat is None or gold.lon is None:
                continue
            if place is None or distance_km(gold.lat, gold.lon, place.lat or 0, place.lon or 0) > 161:
                got = "None" if place is None else f"{place.name}/{place.country_code}/{place.precision}"
                out[f"{gold.name} ({gold.lat:.1f},{gold.lon:.1f}) -> {got}"] += 1
    return Counter(dict(out.most_common(limit)))


if __name__ == "__main__":
    import sys
    import time

    t0 = time.perf_counter()
    halves = split(read_gwn())
    for name, arts in halves.items():
        for label, score in evaluate(arts).items():
            print(score.line(f"{name} {label}"))
    print(f"{time.perf_counter() - t0:.1f} s")
    if "-v" in sys.argv:
        for k, v in failures(halves["tune"]).items():
            print(v, k)
