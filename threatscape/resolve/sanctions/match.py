"""Comparing one query with one listed name: small comparison functions, weighted, explained.

The shape follows nomenklatura's ``logic_v2``: a name score (``compare_names``) and a list of
context features (``CONTEXT_FEATURES``), each a small function returning a ``Feature`` with its
weight and a one-line explanation; ``score_candidate`` adds them up and ``verdict`` applies the
thresholds. Nothing here knows any particular listed name.

Name score, persons: the mean similarity of the query's words (a word the listing lacks counts
0), less a penalty for listed words the query lacks: a little for omitted middle names (the query
has the listing's first and last words), more for a missing first or last word. One word alone
never identifies a person. Organisations: a weighted Dice coefficient, words weighted by their
rarity among listed organisation names, so "Pakistan" or "Islamic" count less than "Taliban"; a
query with a rare word the listing lacks is capped below review. Acronyms ("TTP") compare only
with acronyms, exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from threatscape.resolve.sanctions.entries import Alias, Entry
from threatscape.resolve.sanctions.normalise import NameForm, country_code, fold, tables

__all__ = [
    "CONTEXT_FEATURES",
    "MATCH_THRESHOLD",
    "REVIEW_THRESHOLD",
    "Feature",
    "NameScore",
    "Query",
    "compare_names",
    "score_candidate",
    "token_similarity",
    "verdict",
]

MATCH_THRESHOLD = 0.85
REVIEW_THRESHOLD = 0.70
SOUNDS_ALIKE = 0.88  # same phonetic key, different spelling
SPELLING_FLOOR = 0.80  # Levenshtein similarity (x0.95) at or above which two words count as one misspelt
_VOWELS = frozenset("aeiouy")
TOKEN_FLOOR = 0.80  # a pair of words under this is not aligned
MIDDLE_OMITTED = 0.05  # the query leaves out a listed middle word (Sirajuddin [Jallaloudine] Haqqani)
MIDDLE_MORE = 0.15  # ... and for each further one
EDGE_MISSING = 0.20  # the query lacks the listing's first or last word
EDGE_MORE = 0.15  # ... and for each further listed word it lacks
SINGLE_WORD_CAP = 0.50  # a one-word person query against a longer listed name
SINGLE_NAME_CAP = 0.75  # ... against a one-word listed name or alias: review at most
UNMATCHED_RARE_CAP = 0.65  # organisation query with rare words the listing lacks
UNMATCHED_RARE_SHARE = 0.20  # ... share of the query's weight that triggers the cap
LISTING_RARE_SHARE = 0.25  # ... or share of the listed name's weight the query lacks
GENERIC_DISCOUNT = 0.1  # weight left to a generic listed word a demonym query leaves out
PARTIAL_CAP = 0.84  # an organisation name with any word unmatched is at most "review"
ALIAS_QUALITY = {"primary": 1.0, "good": 1.0, "aka": 1.0, "acronym": 1.0, "fka": 0.97, "low": 0.80, "weak": 0.80}


@dataclass(frozen=True)
class Query:
    """What is screened: a name and, when known, context from the article."""

    name: str
    type: str | None = None  # person | organization | None (both)
    country: str | None = None  # ISO alpha-2 or a country name
    affiliation: str | None = None  # the group the article ties the actor to
    affiliation_refs: tuple[str, ...] = ()  # listings the affiliation itself matched
    birth: str | None = None  # YYYY or YYYY-MM-DD


@dataclass(frozen=True)
class Feature:
    name: str
    value: float  # contribution to the score, already weighted
    detail: str


@dataclass(frozen=True)
class NameScore:
    score: float
    detail: str
    pairs: tuple[tuple[str, str, float, str], ...] = field(default=())  # query word, listed word, sim, how


def _sounds_alike(a: str, b: str, key_a: str, key_b: str) -> bool:
    """Same phonetic key, same first letter, lengths within one, both ending in a vowel or neither.

    The last two guards keep apart names that differ by an ending (Abdul/Abdullah, Hasan/Hasina).
    """
    if key_a != key_b or len(key_a) < 2 or a[0] != b[0] or abs(len(a) - len(b)) > 1:
        return False
    return (a[-1] in _VOWELS) == (b[-1] in _VOWELS)


def token_similarity(a: str, b: str, key_a: str, key_b: str) -> tuple[float, str]:
    """Similarity of two normalised words and how it was reached."""
    if a == b:
        return 1.0, "same"
    if a.startswith(b) or b.startswith(a):
        return 0.0, ""  # an added ending makes another word (Abdul/Abdullah, Islami/Islamiya)
    if _sounds_alike(a, b, key_a, key_b):
        return SOUNDS_ALIKE, "sounds alike"
    if min(len(a), len(b)) >= 5:
        sim = Levenshtein.normalized_similarity(a, b) * 0.95
        if sim >= SPELLING_FLOOR:
            return round(sim, 3), "similar spelling"
    return 0.0, ""


def _align(q: NameForm, c: NameForm) -> list[tuple[int, int, float, str]]:
    """Greedy one-to-one alignment of query words to listed words, best pairs first."""
    pairs = []
    for i, (a, ka) in enumerate(zip(q.tokens, q.keys, strict=True)):
        for j, (b, kb) in enumerate(zip(c.tokens, c.keys, strict=True)):
            sim, how = token_similarity(a, b, ka, kb)
            if sim >= TOKEN_FLOOR:
                pairs.append((i, j, sim, how))
    pairs.sort(key=lambda p: (-p[2], abs(p[0] - p[1])))
    used_q: set[int] = set()
    used_c: set[int] = set()
    out = []
    for i, j, sim, how in pairs:
        if i not in used_q and j not in used_c:
            used_q.add(i)
            used_c.add(j)
            out.append((i, j, sim, how))
    return out


def _person_score(q: NameForm, c: NameForm, aligned: list[tuple[int, int, float, str]]) -> tuple[float, str]:
    base = sum(p[2] for p in aligned) / len(q.tokens)
    matched_c = {p[1] for p in aligned}
    missing = len(c.tokens) - len(matched_c)
    note = ""
    if missing:
        edges = {0, len(c.tokens) - 1}
        if len(q.tokens) >= 2 and edges <= matched_c:
            base -= MIDDLE_OMITTED + MIDDLE_MORE * (missing - 1)
            note = f"; {missing} middle name(s) omitted"
        else:
            base -= EDGE_MISSING + EDGE_MORE * (missing - 1)
            note = f"; {missing} listed name(s) missing"
    if len(q.tokens) == 1:
        base = min(base, SINGLE_WORD_CAP if len(c.tokens) > 1 else SINGLE_NAME_CAP)
        note += "; one word alone"
    return base, note


def _org_score(
    q: NameForm, c: NameForm, aligned: list[tuple[int, int, float, str]], weights: Mapping[str, float]
) -> tuple[float, str]:
    top = max(weights.values(), default=1.0)
    used_q, used_c = {p[0] for p in aligned}, {p[1] for p in aligned}
    wq = [weights.get(t, top) for t in q.tokens]
    wc = [weights.get(t, top) for t in c.tokens]
    note = ""
    spare: set[int] = set()
    if any(q.tokens[i] in q.demonym for i in used_q):  # "<Demonym> X" may leave out "movement"
        spare = {j for j, t in enumerate(c.tokens) if j not in used_c and t in tables().generic}
        wc = [w * GENERIC_DISCOUNT if j in spare else w for j, w in enumerate(wc)]
        note = "; country from a demonym" + (", generic words left out" if spare else "")
    matched = sum(wq[i] * sim for i, _j, sim, _h in aligned) + sum(wc[j] * sim for _i, j, sim, _h in aligned)
    score = matched / (sum(wq) + sum(wc))
    lack_q = sum(w for i, w in enumerate(wq) if i not in used_q)
    lack_c = sum(w for j, w in enumerate(wc) if j not in used_c and j not in spare)
    if lack_q > UNMATCHED_RARE_SHARE * sum(wq):
        return min(score, UNMATCHED_RARE_CAP), note + "; query words the listing lacks"
    if lack_c > LISTING_RARE_SHARE * sum(wc):
        return min(score, UNMATCHED_RARE_CAP), note + "; listed words the query lacks"
    if lack_q or lack_c:
        return min(score, PARTIAL_CAP), note + "; not every word matched"
    return score, note


def _how(a: str, b: str, how: str) -> str:
    return "spelling variant" if how == "same" and a != b else how


def compare_names(q: NameForm, c: NameForm, person: bool, weights: Mapping[str, float]) -> NameScore:
    """How well the query name covers a listed name (0..1), with the word alignment."""
    if not q.tokens or not c.tokens:
        return NameScore(0.0, "empty name")
    aligned = _align(q, c)
    if not aligned:
        return NameScore(0.0, "no word in common")
    score, note = _person_score(q, c, aligned) if person else _org_score(q, c, aligned, weights)
    pairs = tuple(
        (q.words[i], c.words[j], sim, _how(q.words[i], c.words[j], how)) for i, j, sim, how in sorted(aligned)
    )
    words = ", ".join(f"{a}={b}" if how == "same" else f"{a}~{b} ({how})" for a, b, _s, how in pairs)
    return NameScore(max(0.0, round(score, 3)), f"words {words}{note}", pairs)


def compare_acronym(query: str, alias: Alias, compact: str) -> NameScore | None:
    """An acronym query against an acronym alias: exact (after folding) or nothing."""
    if alias.quality != "acronym":
        return None
    target = "".join(ch for ch in fold(alias.name) if ch.isalnum())
    if compact == target:
        return NameScore(1.0, f"acronym {query} = {alias.name}")
    return None


# -- context features ----------------------------------------------------------------------
TITLE_WEIGHT = 0.10
COUNTRY_MATCH = 0.03
COUNTRY_MISMATCH = -0.15
AFFILIATION_WEIGHT = 0.10
BIRTH_MATCH = 0.05
BIRTH_MISMATCH = -0.25


def title_feature(query: Query, q: NameForm, c: NameForm, entry: Entry) -> Feature | None:
    titles = {w for t in entry.titles for w in fold(t).replace(".", " ").split()} | set(c.titles)
    common = sorted(set(q.titles) & titles)
    if common:
        return Feature("title", TITLE_WEIGHT, f"title {', '.join(common)} also on the listing")
    return None


def country_feature(query: Query, q: NameForm, c: NameForm, entry: Entry) -> Feature | None:
    want = country_code(query.country)
    if want is None or not entry.countries:
        return None
    listed = {c for c in (country_code(x) for x in entry.countries) if c}
    if not listed:
        return None
    if want in listed:
        return Feature("country", COUNTRY_MATCH, f"country {want} on the listing")
    return Feature("country", COUNTRY_MISMATCH, f"country {want} not on the listing ({', '.join(sorted(listed))})")


def affiliation_feature(query: Query, q: NameForm, c: NameForm, entry: Entry) -> Feature | None:
    linked = sorted(set(query.affiliation_refs) & set(entry.links))
    if linked:
        return Feature(
            "affiliation",
            AFFILIATION_WEIGHT,
            f"affiliation {query.affiliation} is {', '.join(linked)}, cited in the listing",
        )
    if query.affiliation and len(query.affiliation) > 2 and fold(query.affiliation) in fold(entry.comments):
        return Feature("affiliation", AFFILIATION_WEIGHT, f"affiliation {query.affiliation} named in the listing")
    return None


def _years(value: str) -> tuple[int, int] | None:
    digits = value.strip()
    if len(digits) >= 9 and digits[4] == "-" and digits[5:9].isdigit():
        return int(digits[:4]), int(digits[5:9])
    return (int(digits[:4]),) * 2 if digits[:4].isdigit() else None


def birth_feature(query: Query, q: NameForm, c: NameForm, entry: Entry) -> Feature | None:
    want = _years(query.birth) if query.birth else None
    spans = [s for s in (_years(b) for b in entry.birth_dates) if s]
    if want is None or not spans:
        return None
    if any(lo - 1 <= want[0] <= hi + 1 for lo, hi in spans):
        return Feature("birth", BIRTH_MATCH, f"born {query.birth}, as listed")
    return Feature("birth", BIRTH_MISMATCH, f"born {query.birth}; listed {', '.join(entry.birth_dates)}")


ContextFeature = Callable[[Query, NameForm, NameForm, Entry], Feature | None]
CONTEXT_FEATURES: tuple[ContextFeature, ...] = (title_feature, country_feature, affiliation_feature, birth_feature)


def score_candidate(
    query: Query, q: NameForm, c: NameForm, entry: Entry, name: NameScore, alias: Alias
) -> tuple[float, str]:
    """The final score (0..1) and the explanation of one candidate."""
    factor = ALIAS_QUALITY.get(alias.quality, 1.0)
    score = name.score * factor
    via = "listed name" if alias.quality == "primary" else f"{alias.quality} alias"
    parts = [f"{via} {alias.name!r}: {name.detail}"]
    if factor < 1.0:
        parts.append(f"{alias.quality}-quality alias x{factor}")
    for feature in CONTEXT_FEATURES:
        found = feature(query, q, c, entry)
        if found is None or (found.value > 0 and name.score * factor < REVIEW_THRESHOLD):
            continue  # context confirms a name that is already close; it never makes one
        score += found.value
        parts.append(f"{found.detail} ({found.value:+.2f})")
    return max(0.0, min(1.0, round(score, 3))), "; ".join(parts)


def verdict(score: float) -> str:
    if score >= MATCH_THRESHOLD:
        return "match"
    return "review" if score >= REVIEW_THRESHOLD else "no_match"
