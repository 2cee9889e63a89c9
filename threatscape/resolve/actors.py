"""The actor knowledge base: named actors, countries' institutions, and a name matcher.

Knowledge lives in ``threatscape/data/actors/``:

- ``entries.yaml``: armed groups, parties, IGOs and their bodies, media, key persons, and extra
  names for countries' institutions (``AFG-GOV`` is the Taliban; ``PAK-MIL`` is also "ISPR").
- ``countries.csv`` + pycountry: every country as ``ISO3`` (state) with ``ISO3-GOV``,
  ``ISO3-MIL`` and ``ISO3-POL`` (police, typed ``military``) actors, named from demonyms and the
  nouns in ``state_nouns.yaml`` ("Pakistani officials", "Government of Pakistan"); capitals are
  metonyms of the government ("Kabul continues to support" = ``AFG-GOV``).
- ``transliteration.yaml``: how spellings fold before matching (Tehreek/Tehrik, -e-/-i-, Masoud/Mehsud).

``load_actor_kb()`` builds it once per process. ``ActorKB.lookup`` resolves a free phrase,
``ActorKB.match`` finds KB names in a token sequence (used by the pipeline's KB entity ruler and
by mention extraction). Acronyms match case-sensitively, other names case-insensitively but only
when a word of the span is capitalised; generic phrases ("security forces", "the army") name the
institution of the country in focus and match only through ``lookup(..., country=...)`` or as
``generic`` matches.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from threatscape.resolve.actor_names import NameFolder, slug

__all__ = ["ActorKB", "KBEntry", "KBMatch", "load_actor_kb"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"
MAX_ACRONYM_TOKENS = 5
PLACE_STOPWORDS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "central",
        "northern",
        "southern",
        "eastern",
        "western",
        "capital",
        "centre",
        "center",
        "upper",
        "lower",
        "greater",
        "coast",
        "islands",
        "island",
        "national",
        "federal",
        "city",
        "district",
        "border",
    ]
)
OF_NOUNS = (
    "government",
    "military",
    "armed forces",
    "army",
    "police",
    "foreign ministry",
    "foreign office",
    "ministry of foreign affairs",
    "ministry of interior",
    "ministry of the interior",
    "ministry of defence",
    "ministry of defense",
    "ministry of health",
    "ministry of home affairs",
    "ministry of external affairs",
)


@dataclass(frozen=True)
class KBEntry:
    id: str
    name: str
    type: str
    country: str | None
    aliases: tuple[str, ...]
    affiliation: str | None


@dataclass(frozen=True)
class KBMatch:
    """Tokens ``start:end`` name ``target``.

    ``kind``: ``name`` (an entry), ``capital`` (a capital: the government if used as an agent),
    ``place`` (a country subdivision, no actor; ``target``: the ISO3 of its country if unique),
    ``generic`` (``target`` is an institution suffix such as ``MIL``, to be completed with the
    country in focus).
    """

    start: int
    end: int
    target: str | None
    kind: str


@dataclass(frozen=True)
class _Target:
    id: str | None
    kind: str


def _is_acronym(alias: str) -> bool:
    return (
        " " not in alias
        and len(alias) <= 8
        and not re.search(r"[a-z]{3}", alias)
        and (sum(c.isupper() for c in alias) >= 2 or any(c.isdigit() for c in alias))
    )


class ActorKB:
    """Entries by id plus indexes from folded names (and exact acronyms) to entries."""

    def __init__(self, folder: NameFolder) -> None:
        self.folder = folder
        self.entries: dict[str, KBEntry] = {}
        self._index: dict[str, _Target] = {}
        self._prefixes: set[str] = set()
        self._acronyms: dict[str, str] = {}
        self._generic: dict[str, str] = {}
        self._codes: dict[str, str] = {}  # folded country names / ISO2 / ISO3 -> ISO3
        self._token_keys: dict[str, str | None] = {}

    # ---- building -------------------------------------------------------------------------
    def add_entry(self, entry: KBEntry) -> None:
        old = self.entries.get(entry.id)
        if old is not None:
            entry = KBEntry(
                old.id,
                old.name or entry.name,
                old.type or entry.type,
                old.country or entry.country,
                tuple(dict.fromkeys(old.aliases + entry.aliases)),
                old.affiliation or entry.affiliation,
            )
        self.entries[entry.id] = entry
        for alias in (entry.name, *entry.aliases):
            self.add_name(alias, entry.id)

    def add_name(self, alias: str, target: str | None, kind: str = "name") -> None:
        if _is_acronym(alias) and kind == "name":
            self._acronyms.setdefault(alias, target or "")
            return
        key = self.folder.key(alias)
        if not key or key in self._index:
            return
        self._index[key] = _Target(target, kind)
        words = key.split()
        for i in range(1, len(words) + 1):
            self._prefixes.add(" ".join(words[:i]))

    def add_generic(self, phrase: str, suffix: str) -> None:
        key = self.folder.key(phrase)
        if key:
            self._generic.setdefault(key, suffix)
            words = key.split()
            for i in range(1, len(words) + 1):
                self._prefixes.add(" ".join(words[:i]))

    def add_country_code(self, name: str, iso3: str) -> None:
        self._codes.setdefault(self.folder.key(name) or name, iso3)

    # ---- queries --------------------------------------------------------------------------
    def get(self, actor_id: str) -> KBEntry | None:
        return self.entries.get(actor_id)

    def country_code(self, country: str | None) -> str | None:
        """ISO3 for an ISO2/ISO3 code or a country name, else None."""
        if not country:
            return None
        if country.upper() in self.entries and len(country) == 3:
            return country.upper()
        return self._codes.get(self.folder.key(country) or country.upper()) or self._codes.get(country)

    def lookup(self, text: str, *, country: str | None = None) -> KBEntry | None:
        """The entry a phrase names: alias/transliteration-tolerant; demonym+noun; generic
        institution nouns ("security forces") only with ``country``."""
        raw = re.sub(r"^(?:the|a|an|one)\s+", "", text.strip(), flags=re.I)
        raw = re.sub(r"[’']s?$", "", raw).strip(' ,.;:"“”()[]')
        if raw in self._acronyms:
            return self.entries.get(self._acronyms[raw])
        key = self.folder.key(raw)
        target = self._index.get(key)
        if target is not None and target.id and target.kind != "place":
            return self.entries.get(target.id)
        suffix = self._generic.get(key)
        code = self.country_code(country)
        if suffix and code:
            return self.entries.get(f"{code}-{suffix}")
        return None

    def token_key(self, text: str) -> str | None:
        """Folded key of one token: words, "" for skippable joiners, None for a break."""
        cache = self._token_keys
        if text not in cache:
            cache[text] = self.folder.token(text)
        return cache[text]

    def match(self, words: Sequence[str], spaces: Sequence[bool] | None = None) -> list[KBMatch]:
        """Non-overlapping longest KB matches in a token sequence (``spaces[i]``: a space follows)."""
        keys = [self.token_key(w) for w in words]
        found: list[KBMatch] = []
        i, n = 0, len(words)
        while i < n:
            m = self._match_at(words, keys, spaces, i)
            if m is None:
                i += 1
                continue
            found.append(m)
            i = m.end
        return found

    def _match_at(
        self, words: Sequence[str], keys: list[str | None], spaces: Sequence[bool] | None, i: int
    ) -> KBMatch | None:
        best = self._acronym_at(words, spaces, i)
        if not keys[i]:
            return best
        parts: list[str] = []
        j = i
        while j < len(words) and keys[j] is not None:
            if keys[j]:
                parts.append(keys[j] or "")
                joined = " ".join(parts)
                if joined not in self._prefixes:
                    break
                hit = self._name_hit(words, i, j + 1, joined)
                if hit is not None and (best is None or hit.end > best.end):
                    best = hit
            j += 1
        if best is not None and best.kind != "generic":
            best = self._extend_left(words, keys, spaces, best)
        return best

    def _name_hit(self, words: Sequence[str], i: int, end: int, key: str) -> KBMatch | None:
        capitalised = any(w[:1].isupper() or w[:1].isdigit() for w in words[i:end])
        target = self._index.get(key)
        if target is not None and capitalised and (end - i > 1 or words[i][:1].isupper() or words[i][:1].isdigit()):
            if target.kind == "place" and end < len(words) and words[end][:1].isupper():
                return None
            return KBMatch(i, end, target.id, target.kind)
        suffix = self._generic.get(key)
        if suffix is not None:
            return KBMatch(i, end, suffix, "generic")
        return None

    def _acronym_at(self, words: Sequence[str], spaces: Sequence[bool] | None, i: int) -> KBMatch | None:
        text, best = "", None
        for j in range(i, min(i + MAX_ACRONYM_TOKENS, len(words))):
            text += words[j]
            if text in self._acronyms:
                best = KBMatch(i, j + 1, self._acronyms[text] or None, "name")
            if spaces is not None and spaces[j]:
                break
        return best

    def _extend_left(
        self, words: Sequence[str], keys: list[str | None], spaces: Sequence[bool] | None, m: KBMatch
    ) -> KBMatch:
        start = m.start
        while start > 0 and keys[start - 1] == "":
            if words[start - 1] not in ("-", "–"):
                start -= 1  # a particle: "al Qaeda", "Al-Qaeda"
            elif (
                start > 1
                and keys[start - 2] == ""
                and words[start - 2] not in ("-", "–")
                and (spaces is None or not spaces[start - 2])
            ):
                start -= 2
            else:
                break
        return KBMatch(start, m.end, m.target, m.kind) if start != m.start else m


# ---- loading --------------------------------------------------------------------------------
def _data(name: str) -> str:
    return (DATA_DIR / name).read_text(encoding="utf-8")


def _country_rows() -> dict[str, dict[str, Any]]:
    import pycountry

    rows: dict[str, dict[str, Any]] = {}
    for c in pycountry.countries:
        names = [getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)]
        names = [x for x in names if x and "," not in x]
        rows[c.alpha_3] = {
            "name": names[0] if names else c.name,
            "iso2": c.alpha_2,
            "demonyms": [],
            "capitals": [],
            "aliases": names,
        }
    lines = [ln for ln in _data("countries.csv").splitlines() if ln and not ln.startswith("#")]
    for rec in csv.DictReader(lines):
        row = rows.setdefault(rec["iso3"], {"iso2": None, "aliases": []})
        row["name"] = rec["name"]
        for field in ("demonyms", "capitals", "aliases"):
            extra = [x.strip() for x in (rec[field] or "").split("|") if x.strip()]
            row[field] = list(dict.fromkeys(row.get(field, []) + extra))
    return rows


def _add_country(kb: ActorKB, iso3: str, row: dict[str, Any], nouns: dict[str, Any]) -> None:
    name = row["name"]
    names = list(dict.fromkeys([name, *row["aliases"]]))
    kb.add_entry(KBEntry(iso3, name, "state", iso3, tuple(names[1:]), None))
    for n in (*names, *row["demonyms"]):
        kb.add_country_code(n, iso3)
    kb.add_country_code(iso3, iso3)
    if row.get("iso2"):
        kb.add_country_code(row["iso2"], iso3)
    modifiers = [*row["demonyms"], *names, *(f"{n}'s" for n in names)]
    for n in nouns["state"]["nouns"]:
        for mod in row["demonyms"]:
            kb.add_name(f"{mod} {n}", iso3)
    for group, spec in nouns.items():
        if group == "state":
            continue
        aid = f"{iso3}-{spec['suffix']}"
        base = [f"{row['demonyms'][0]} {spec['nouns'][0]}"] if row["demonyms"] else []
        affiliation = f"{iso3}-{spec['affiliation']}" if spec.get("affiliation") else None
        kb.add_entry(KBEntry(aid, spec["label"].format(name=name), spec["type"], iso3, tuple(base), affiliation))
        for noun in spec["nouns"]:
            for mod in modifiers:
                kb.add_name(f"{mod} {noun}", aid)
        for noun in OF_NOUNS:
            if noun in spec["nouns"] or noun == group:
                for n in names:
                    kb.add_name(f"{noun} of {n}", aid)
        for phrase in spec["generic"]:
            kb.add_generic(phrase, spec["suffix"])


def _add_places(kb: ActorKB, rows: dict[str, dict[str, Any]]) -> None:
    for iso3, row in rows.items():
        for capital in row.get("capitals", []):
            kb.add_name(capital, f"{iso3}-GOV", kind="capital")
    import pycountry

    iso3_of = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    countries_of: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        countries_of.setdefault(kb.folder.key(sub.name), set()).add(sub.country_code)
    for sub in pycountry.subdivisions:
        name = re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", sub.name).strip()
        if name.lower() in PLACE_STOPWORDS or not name[:1].isupper():
            continue
        if any(w.lower() in PLACE_STOPWORDS for w in name.split()) and " " not in name:
            continue
        unique = len(countries_of.get(kb.folder.key(sub.name), ())) == 1
        kb.add_name(name, iso3_of.get(sub.country_code) if unique else None, kind="place")


def _entry_from(rec: dict[str, Any]) -> KBEntry:
    return KBEntry(
        str(rec["id"]),
        str(rec.get("name") or ""),
        str(rec.get("type") or ""),
        rec.get("country"),
        tuple(str(a) for a in rec.get("aliases") or ()),
        rec.get("affiliation"),
    )


@lru_cache(maxsize=1)
def load_actor_kb() -> ActorKB:
    """The knowledge base, built once per process from the data files and pycountry."""
    kb = ActorKB(NameFolder.from_yaml(_data("transliteration.yaml")))
    for rec in yaml.safe_load(_data("entries.yaml")):
        kb.add_entry(_entry_from(rec))
    rows = _country_rows()
    nouns = yaml.safe_load(_data("state_nouns.yaml"))
    for iso3, row in rows.items():
        _add_country(kb, iso3, row, nouns)
    _add_places(kb, rows)
    return kb


def unknown_id(name: str, type: str) -> str:
    """Stable id of an actor the KB does not know: ``p:`` + slug for persons, ``o:`` + slug else."""
    return ("p:" if type == "person" else "o:") + slug(name)


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
