"""Geocoding: name keys, ranking, the shipped supplement, the GeoNames refresh, place resolution
in article context, and the GeoWebNews quality gate (floors pinned just under what we reach)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import geowebnews as gwn
import httpx
import pytest
from shared_material import shared_path

from threatscape.errors import ConfigError, FetchError
from threatscape.model import Article
from threatscape.resolve.gazetteer import Gazetteer, distance_km, is_abbreviation, load_gazetteer
from threatscape.resolve.gazetteer_names import name_key, strip_feature_word
from threatscape.resolve.gazetteer_sources import DATA_DIR, AliasRow, Entry, load_admin1_centres
from threatscape.resolve.geonames import dump_entries, refresh_gazetteer
from threatscape.resolve.places import EXTRACTOR, backoff_names, context_weights, geocode_names, resolve_places

# ---------------------------------------------------------------- names and ranking (no data files)


def test_name_key_folds_accents_case_hyphens_and_the() -> None:
    assert name_key("Paktiyā") == "paktiya"
    assert name_key("The Khyber-Pakhtunkhwa") == "khyber pakhtunkhwa"
    assert name_key("D.I. Khan") == "d i khan"
    assert name_key("Hawaiʻi") == "hawaii"
    assert strip_feature_word("kurram district") == ("kurram", "region")
    assert strip_feature_word("district") == ("district", None)


def _tiny() -> Gazetteer:
    rows = [
        Entry("Pakistan", "country", "PK", None, 30.0, 70.0, 240_000_000, 1168579, ("Pakistan",)),
        Entry("India", "country", "IN", None, 22.0, 79.0, 1_400_000_000, 1269750, ("India", "Bharat")),
        Entry("Hyderabad", "point", "IN", "Telangana", 17.38, 78.46, 6_800_000, 1, ("Hyderabad",)),
        Entry("Hyderabad", "point", "PK", "Sindh", 25.39, 68.37, 1_700_000, 2, ("Hyderabad",)),
        Entry("Punjab", "admin1", "PK", "Punjab", 31.3, 73.0, 110_000_000, 3, ("Punjab",)),
        Entry("Punjab", "admin1", "IN", "Punjab", 30.9, 75.6, 30_000_000, 4, ("Punjab",)),
        Entry("Kurram", "point", "PK", "Khyber Pakhtunkhwa", 33.3, 70.3, 2_000, 5, ("Kurram",)),
        Entry("Kurram District", "admin2", "PK", "Khyber Pakhtunkhwa", 33.7, 70.2, 600_000, 6, ("Kurram",)),
    ]
    return Gazetteer.build(rows, {"Pakistani": "PK", "Pakistanis": "PK", "Indian": "IN"})


def test_context_country_decides_between_namesakes() -> None:
    gaz = _tiny()
    assert gaz.geocode("Hyderabad").country_code == "IN"  # larger without context
    assert gaz.geocode("Hyderabad", countries=["PK"]).country_code == "PK"
    assert gaz.geocode("Punjab", countries=["IN", "PK"]).country_code == "IN"


def test_feature_word_asks_for_the_district() -> None:
    gaz = _tiny()
    place = gaz.geocode("Kurram district", countries=["PK"])
    assert place is not None and place.precision == "region" and place.geonameid == 6


def test_country_lookup_and_demonyms() -> None:
    gaz = _tiny()
    assert gaz.country("PK").name == "Pakistan"
    assert gaz.country("Bharat").country_code == "IN"
    assert gaz.country("Hyderabad") is None
    assert gaz.demonym("Pakistanis") == "PK"
    assert gaz.geocode("Pakistani").precision == "country"  # demonym as a last resort
    assert gaz.geocode("Atlantis") is None


def test_candidates_most_important_first() -> None:
    names = [(p.name, p.country_code) for p in _tiny().candidates("Hyderabad")]
    assert names == [("Hyderabad", "IN"), ("Hyderabad", "PK")]


def test_distance_km() -> None:
    assert distance_km(34.008, 71.578, 34.528, 69.172) == pytest.approx(227, abs=5)  # Peshawar-Kabul


def _abroad() -> Gazetteer:
    """Namesakes in several countries, abbreviations and a demonym that is also a town's name."""
    rows = [
        Entry("Pakistan", "country", "PK", None, 30.0, 70.0, 240_000_000, 1168579, ("Pakistan",)),
        Entry("United States", "country", "US", None, 39.8, -98.5, 330_000_000, 6252001, ("United States",)),
        Entry("Australia", "country", "AU", None, -25.0, 135.0, 26_000_000, 2077456, ("Australia",)),
        Entry("Norway", "country", "NO", None, 62.0, 10.0, 5_400_000, 3144096, ("Norway",)),
        Entry("Lahore", "point", "PK", "Punjab", 31.55, 74.34, 11_000_000, 11, ("Lahore",)),
        Entry("Multan", "point", "PK", "Punjab", 30.2, 71.47, 1_800_000, 12, ("Multan",)),
        Entry("Dubai", "point", "AE", "Dubai", 25.2, 55.27, 3_000_000, 13, ("Dubai",)),
        Entry("Millbrook", "point", "US", "Ohio", 40.1, -82.9, 900, 14, ("Millbrook",)),
        Entry("Norwegian", "point", "US", "Pennsylvania", 40.7, -76.2, 2_000, 15, ("Norwegian",)),
        Entry("Western Australia", "admin1", "AU", "Western Australia", -27.7, 118.1, 2_700_000, 16, ("Sunset Coast",)),
        Entry("Washington", "admin1", "US", "Washington", 47.1, -120.3, 7_700_000, 17, ("Washington",)),
    ]
    extra = [AliasRow("WA", "Western Australia", "AU", "admin1"), AliasRow("WA", "Washington", "US", "admin1")]
    return Gazetteer.build(rows, {"Norwegian": "NO", "Pakistani": "PK"}, extra)


def test_demonym_is_its_country_not_a_town_of_that_name() -> None:
    gaz = _abroad()
    assert gaz.geocode("Norwegian").name == "Norway"
    assert gaz.geocode("Norwegian", countries=["PK"]).name == "Norway"
    # a story about the United States that never mentions Norway: the town
    assert gaz.geocode("Norwegian", countries=["US"]).country_code == "US"
    assert gaz.geocode("Norwegian", countries=["US", "NO"]).name == "Norway"


def test_abbreviation_read_in_context() -> None:
    assert [is_abbreviation(n) for n in ("SA", "B.C.", "Calif.", "T&T", "St. Louis", "Lahore", "LAHORE")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    gaz = _abroad()
    assert gaz.geocode("WA", countries=["AU"]).name == "Western Australia"
    assert gaz.geocode("WA", countries=["US"]).name == "Washington"


def test_well_known_places() -> None:
    gaz = _abroad()
    assert gaz.is_well_known("Dubai", gaz.geocode("Dubai"))  # a city of millions
    assert not gaz.is_well_known("Millbrook", gaz.geocode("Millbrook"))  # a village
    assert gaz.is_well_known("Washington", gaz.geocode("Washington"))  # a state by its name
    assert gaz.is_well_known("WA", gaz.geocode("WA", countries=["AU"]))  # ... or its abbreviation
    assert not gaz.is_well_known("Sunset Coast", gaz.geocode("Sunset Coast"))  # ... not by a nickname
    assert gaz.is_well_known("Pakistan", gaz.geocode("Pakistan"))


def test_unknown_names_fall_back_to_the_place_the_article_is_about() -> None:
    gaz = _abroad()
    names = ["Lahore", "Multan", "Lahore", "Gaddafi Stadium", "Dubai"]
    places = geocode_names(names, gaz, {"PK": 2.0})
    stadium = places[3]
    # the town the article names most often, no more precise than "around there"
    assert (stadium.name, stadium.country_code, stadium.precision) == ("Lahore", "PK", "region")
    assert places[0].precision == "point" and places[4].name == "Dubai"  # a city abroad stays abroad
    assert geocode_names(["Gaddafi Stadium"], gaz, {"PK": 2.0}, fallback=False) == [None]
    # no town in that country: the country itself
    only_country = geocode_names(["Pakistan", "Gaddafi Stadium"], gaz, {"PK": 2.0})[1]
    assert (only_country.name, only_country.precision) == ("Pakistan", "country")
    assert geocode_names(["Gaddafi Stadium"], gaz, {}) == [None]  # no context, no guess


def test_village_abroad_gives_way_to_the_article_country() -> None:
    gaz = _abroad()
    places = geocode_names(["Multan", "Millbrook"], gaz, {"PK": 2.0})
    assert places[1].country_code == "PK" and places[1].precision == "region"  # not the Ohio village
    # the village is no evidence of context either: with the United States in the article, it stays
    assert geocode_names(["Millbrook"], gaz, {"US": 2.0})[0].name == "Millbrook"
    assert geocode_names(["Millbrook"], gaz, {})[0].name == "Millbrook"  # nothing says otherwise


def test_town_alias_borrowed_from_a_far_larger_place_abroad_is_dropped() -> None:
    rows = [
        Entry("Elmsford", "point", "US", "Ohio", 40.0, -83.0, 20_000, 21, ("Elmsford", "Kestrel", "Elmsforde")),
        Entry("Kestrel", "point", "GB", "England", 52.5, -1.9, 1_000_000, 22, ("Kestrel",)),
        Entry("Dunmore", "point", "US", "Ohio", 40.2, -83.1, 9_000, 23, ("Dunmore", "Kestrel")),
        Entry("Kestrel", "point", "US", "Texas", 30.0, -97.0, 150_000, 24, ("Kestrel",)),
    ]
    gaz = Gazetteer.build(rows, {})
    # the article's country no longer drags the British city's name to Ohio
    assert gaz.geocode("Kestrel", countries=["US"]).geonameid == 24
    assert [p.geonameid for p in gaz.candidates("Kestrel")] == [22, 24]
    assert gaz.geocode("Elmsforde").geonameid == 21  # its own variants stay
    small = Gazetteer.build(rows[:1] + [Entry("Kestrel", "point", "GB", "England", 52.5, -1.9, 90_000, 22, ())], {})
    assert small.geocode("Kestrel", countries=["US"]).geonameid == 21  # not far larger: kept


def test_unrelated_alias_yields_to_a_place_of_that_name() -> None:
    rows = [
        Entry("South Marsh", "point", "US", "Indiana", 41.7, -86.3, 100_000, 31, ("South Marsh", "Northwick")),
        Entry("Northwick", "point", "US", "New York", 41.1, -72.4, 6_000, 32, ("Northwick",)),
        Entry("Kestrelton", "point", "IN", "Maharashtra", 19.0, 72.8, 5_000_000, 33, ("Kestrelton", "Old Harbour")),
        Entry("Old Harbour", "point", "US", "Maine", 44.0, -69.0, 2_000, 34, ("Old Harbour",)),
        Entry(
            "Lake Corvin City", "point", "US", "Utah", 40.0, -111.0, 190_000, 35, ("Lake Corvin City", "Lake Corvin")
        ),
        Entry("Corvin", "point", "US", "Utah", 39.0, -110.0, 3_000, 36, ("Lake Corvin",)),
    ]
    gaz = Gazetteer.build(rows, {})
    assert gaz.geocode("Northwick").geonameid == 32
    assert gaz.geocode("Old Harbour").geonameid == 33  # an old name of a city of millions still wins
    assert gaz.geocode("Lake Corvin").geonameid == 35  # a shortened own name is no unrelated alias


def test_one_island_of_a_two_island_country_is_that_country_in_its_story() -> None:
    rows = [
        Entry("Arlen and Tovar", "country", "ZZ", None, 10.5, -61.3, 1_300_000, 41, ("Arlen and Tovar",)),
        Entry("United States", "country", "US", None, 39.8, -98.5, 330_000_000, 6252001, ("United States",)),
        Entry("Arlen", "point", "US", "Colorado", 37.2, -104.5, 8_000, 42, ("Arlen",)),
        Entry("Tovar", "admin1", "ZZ", "Tovar", 11.2, -60.7, 17_000, 43, ("Tovar",)),
    ]
    gaz = Gazetteer.build(rows, {})
    assert gaz.geocode("Arlen", countries=["ZZ", "US"]).name == "Arlen and Tovar"
    assert gaz.geocode("Tovar", countries=["ZZ"]).name == "Tovar"  # a place of that name in the country stays
    assert gaz.geocode("Arlen", countries=["US"]).geonameid == 42  # the country is not in the story
    assert gaz.geocode("Arlen").geonameid == 42


def test_event_and_institution_names_back_off_only_into_the_story() -> None:
    rows = [
        Entry("Pakistan", "country", "PK", None, 30.0, 70.0, 240_000_000, 1168579, ("Pakistan",)),
        Entry("United States", "country", "US", None, 39.8, -98.5, 330_000_000, 6252001, ("United States",)),
        Entry("Asia", "region", None, None, 29.8, 94.2, 0, 6255147, ("Asia",)),
        Entry("Lahore", "point", "PK", "Punjab", 31.55, 74.34, 11_000_000, 11, ("Lahore",)),
        Entry("Summit", "point", "US", "New Jersey", 40.7, -74.4, 22_000, 51, ("Summit",)),
    ]
    gaz = Gazetteer.build(rows, {})
    found = geocode_names(["Lahore", "Mall of Asia", "University of Lahore", "Asia"], gaz, {"PK": 2.0}, fallback=False)
    assert found[1] is None  # a mall is not the continent it is named after
    assert found[2].name == "Lahore" and found[3].name == "Asia"
    assert geocode_names(["Summit of the Nations"], gaz, {"US": 2.0}, fallback=False) == [None]  # not the town
    assert geocode_names(["Lahore Summit Council"], gaz, {"PK": 2.0}, fallback=False)[0].name == "Lahore"
    assert geocode_names(["Plains of Asia"], gaz, {"PK": 2.0}, fallback=False)[0].name == "Asia"  # no event


def test_namesakes_that_lead_narrowly_still_add_up_to_a_country() -> None:
    rows = [
        Entry("Harwick", "point", "GB", "England", 53.0, -1.5, 150_000, 61, ("Harwick",)),
        Entry("Harwick", "point", "CA", "Ontario", 43.5, -80.0, 40_000, 62, ("Harwick",)),
        Entry("Ellerby", "point", "GB", "England", 52.6, -1.2, 200_000, 63, ("Ellerby",)),
        Entry("Ellerby", "admin1", "BM", "Ellerby", 32.3, -64.8, 6_000, 64, ("Ellerby",)),
        Entry("Stowey", "point", "US", "Michigan", 43.0, -83.6, 30_000, 65, ("Stowey",)),
        Entry("Stowey", "point", "GB", "England", 52.9, -1.6, 6_000, 66, ("Stowey",)),
    ]
    gaz = Gazetteer.build(rows, {})
    # no country named, and neither town leads its namesake by the full margin: together they
    # still make it a story about England, so the small English Stowey beats the larger American one
    assert not gaz.is_confident("Harwick", gaz.geocode("Harwick"), margin=1.0)
    assert [p.geonameid for p in geocode_names(["Harwick", "Ellerby", "Stowey"], gaz, {})] == [61, 63, 66]
    assert geocode_names(["Stowey"], gaz, {})[0].geonameid == 65  # alone, the larger town


def test_a_divided_region_is_found_by_its_parts() -> None:
    rows = [
        Entry("Marovia", "country", "MV", None, 12.0, 30.0, 40_000_000, 71, ("Marovia",)),
        Entry("North Tessaly", "admin1", "MV", "North Tessaly", 14.0, 30.0, 2_000_000, 72, ("North Tessaly",)),
        Entry("South Tessaly", "admin1", "MV", "South Tessaly", 11.0, 30.0, 2_000_000, 73, ("South Tessaly",)),
        Entry("Tessaly", "point", "US", "Texas", 31.0, -97.0, 800, 74, ("Tessaly",)),
        Entry("Kadun", "point", "MV", "North Tessaly", 13.9, 30.1, 90_000, 75, ("Kadun",)),
    ]
    gaz = Gazetteer.build(rows, {})
    whole = geocode_names(["Marovia", "Kadun", "Tessaly"], gaz, {"MV": 2.0}, fallback=False)[2]
    # the middle of North and South Tessaly, not the Texas village nor one of the two parts
    assert (whole.name, whole.country_code, whole.precision) == ("Tessaly", "MV", "region")
    assert whole.lat == pytest.approx(12.5) and whole.lon == pytest.approx(30.0)
    assert gaz.divided("Tessaly", ["US"]) is None  # parts only in a context country
    assert gaz.divided("North Tessaly", ["MV"]) is None  # a part is not divided again
    assert geocode_names(["Tessaly"], gaz, {"US": 2.0})[0].geonameid == 74  # a story about the US: the village


def test_a_populous_district_abroad_is_no_well_known_place() -> None:
    rows = [
        Entry("Pakistan", "country", "PK", None, 30.0, 70.0, 240_000_000, 1168579, ("Pakistan",)),
        Entry("Lahore", "point", "PK", "Punjab", 31.55, 74.34, 11_000_000, 11, ("Lahore",)),
        Entry("Quarrington", "admin2", "AU", "Victoria", -37.0, 145.0, 300_000, 81, ("Quarrington",)),
        Entry("Bramwell", "point", "AU", "Victoria", -37.8, 145.0, 300_000, 82, ("Bramwell",)),
    ]
    gaz = Gazetteer.build(rows, {})
    # a district's people are summed over its area: that many make a town well known, not a district
    assert not gaz.is_well_known("Quarrington", gaz.geocode("Quarrington"))
    assert gaz.is_well_known("Bramwell", gaz.geocode("Bramwell"))
    district = geocode_names(["Lahore", "Quarrington"], gaz, {"PK": 2.0})[1]
    assert (district.name, district.precision) == ("Lahore", "region")  # the story's place, not the district
    assert geocode_names(["Lahore", "Bramwell"], gaz, {"PK": 2.0})[1].geonameid == 82  # a town that size stays


def test_backoff_never_stops_at_a_word_for_a_kind_of_place() -> None:
    assert backoff_names("Cape Dorrel") == []
    assert backoff_names("City Hall") == []
    assert backoff_names("Fort Bellamy Museum") == ["Fort Bellamy"]
    assert backoff_names("Kestrel Point Lighthouse") == ["Kestrel Point", "Kestrel"]


# ---------------------------------------------------------------- the shipped supplement


def test_supplement_rows_are_well_formed() -> None:
    features = {
        "district",
        "tehsil",
        "agency",
        "crossing",
        "village",
        "town",
        "region",
        "valley",
        "cantonment",
        "province",
        "camp",
    }
    with (DATA_DIR / "places.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) > 50
    for row in rows:
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row["name"]
        assert row["feature"] in features, row["name"]
        assert row["country_code"] == "" or len(row["country_code"]) == 2, row["name"]


# ---------------------------------------------------------------- GeoNames refresh (mock transport)

_DUMP_ROW = "\t".join(
    [
        "9999001",
        "Sarana",
        "Sarana",
        "Sarana Kalay",
        "33.51",
        "69.21",
        "P",
        "PPL",
        "AF",
        "",
        "36",
        "",
        "",
        "",
        "0",
        "",
        "2100",
        "Asia/Kabul",
        "2024-01-01",
    ]
)


def _zip(code: str, text: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(f"{code}.txt", text)
    return buf.getvalue()


def test_refresh_downloads_and_dump_is_read(tmp_path: Path) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=_zip("AF", _DUMP_ROW + "\n"))

    client = httpx.Client(transport=httpx.MockTransport(handler))
    out = refresh_gazetteer(["af"], tmp_path, client=client)
    assert seen == ["https://download.geonames.org/export/dump/AF.zip"]
    entries = list(dump_entries(out, {"AF.36": "Paktia"}))
    assert [(e.name, e.admin1, e.kind, e.names) for e in entries] == [
        ("Sarana", "Paktia", "point", ("Sarana", "Sarana Kalay"))
    ]


def test_refresh_rejects_bad_codes_and_bad_responses(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        refresh_gazetteer(["Pakistan"], tmp_path)
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(404)))
    with pytest.raises(FetchError, match="HTTP 404"):
        refresh_gazetteer(["PK"], tmp_path, client=client)
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, content=b"not a zip")))
    with pytest.raises(FetchError, match="not a GeoNames dump"):
        refresh_gazetteer(["PK"], tmp_path, client=client)
    assert not list(tmp_path.glob("*.txt"))


# ---------------------------------------------------------------- the real gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def test_provinces_sit_at_their_area_centre(gaz: Gazetteer) -> None:
    # the middle of Texas's settlements lies far to its south-east, of Western Australia's in its
    # south-west corner: a province is placed at its area centroid (admin1-centres.csv)
    centres = load_admin1_centres()
    assert centres["US-TX"] == pytest.approx((31.5, -99.4), abs=0.3)
    for name, iso in (("Texas", "US-TX"), ("Western Australia", "AU-WA"), ("Balochistan", "PK-BA")):
        place = gaz.geocode(name)
        assert place is not None and place.precision == "admin1"
        assert distance_km(place.lat, place.lon, *centres[iso]) < 1
    # an area across the antimeridian keeps its centre on land, not near longitude 0
    assert abs(centres["RU-CHU"][1]) > 150


def test_seed_places(gaz: Gazetteer) -> None:
    peshawar = gaz.geocode("Peshawar", countries=["PK", "AF"])
    assert (peshawar.admin1, peshawar.country_code, peshawar.precision) == ("Khyber Pakhtunkhwa", "PK", "point")
    assert peshawar.lat == pytest.approx(34.01, abs=0.05) and peshawar.lon == pytest.approx(71.58, abs=0.05)
    sarana = gaz.geocode("Sarana", countries=["AF", "PK"])
    assert (sarana.country, sarana.admin1, sarana.geonameid) == ("Afghanistan", "Paktia", None)  # supplement
    kp = gaz.geocode("Khyber Pakhtunkhwa")
    assert (kp.precision, kp.country) == ("admin1", "Pakistan")
    assert gaz.geocode("KPK") == kp
    kabul = gaz.geocode("Kabul")
    assert (kabul.precision, kabul.country_code) == ("point", "AF")


@pytest.mark.parametrize(
    ("name", "country", "precision"),
    [
        ("Türkiye", "Turkey", "country"),
        ("DRC", "Democratic Republic of the Congo", "country"),
        ("Gaza", "Palestine", "region"),
        ("West Bank", "Palestine", "region"),
        ("Paktia province", "Afghanistan", "admin1"),
        ("North Waziristan", "Pakistan", "region"),
        ("Torkham", "Pakistan", "point"),
        ("Darfur", "Sudan", "region"),
    ],
)
def test_conflict_names(gaz: Gazetteer, name: str, country: str, precision: str) -> None:
    place = gaz.geocode(name)
    assert place is not None and (place.country, place.precision) == (country, precision)


def test_supranational_names_and_press_abbreviations(gaz: Gazetteer) -> None:
    for name, geonameid in [("European", 6255148), ("African", 6255146), ("Asian", 6255147), ("Europe", 6255148)]:
        place = gaz.geocode(name)
        assert (place.geonameid, place.country_code, place.precision) == (geonameid, None, "region"), name
    assert gaz.geocode("Indian Ocean").geonameid == 1545739
    assert gaz.geocode("the Atlantic").geonameid == 3411923
    assert gaz.geocode("Korean Peninsula").geonameid == 11494804
    assert gaz.geocode("T&T").name == "Trinidad and Tobago"
    assert gaz.geocode("St. Lucian").name == "Saint Lucia"  # a demonym of a country newly listed
    assert gaz.geocode("Welsh").name == "United Kingdom"
    assert gaz.geocode("B.C.").name == "British Columbia"
    assert gaz.geocode("NSW").name == "New South Wales"
    assert gaz.geocode("SA").name == "South Africa"
    assert gaz.geocode("SA", countries=["AU"]).name == "South Australia"  # read in the article's context
    assert gaz.country("SA").name == "South Africa"  # the press name, not the code of Saudi Arabia
    assert gaz.country("SA", codes=False).name == "South Africa" and gaz.country("PK", codes=False) is None
    assert gaz.country("PK").name == "Pakistan"


def test_context_reads_abbreviations_as_names(gaz: Gazetteer) -> None:
    weights = context_weights(["SA", "Cape Town"], "Rain in SA, officials in Cape Town said.", gaz)
    assert "ZA" in weights and "SA" not in weights


def test_context_from_mentions_demonyms_and_dateline(gaz: Gazetteer) -> None:
    text = "Afghan officials met Pakistani envoys. The Punjab government and Hyderabad traders objected."
    weights = context_weights(["Punjab", "Hyderabad"], text, gaz, dateline="KARACHI")
    assert weights["AF"] == 1 and weights["PK"] == 2  # two demonyms; the dateline adds Pakistan
    places = geocode_names(["Punjab", "Hyderabad"], gaz, weights)
    assert [p.country_code for p in places] == ["PK", "PK"]


# ---------------------------------------------------------------- resolve_places on a written article

BODY = (
    "Gunmen attacked a checkpoint in Kurram district on Tuesday, officials in Peshawar said. "
    "Afghan border guards closed the Torkham crossing, and Pakistani troops were sent to Parachinar town. "
    "The UN condemned the attack."
)


def test_resolve_places_spans_and_context(gaz: Gazetteer) -> None:
    nlp = pytest.importorskip("threatscape.extract.nlp").load_nlp()
    article = Article(id="t1", title="", body=BODY, dateline="ISLAMABAD")
    places = resolve_places(nlp(BODY), article, gaz)
    for p in places:
        ev = p.evidence
        assert ev is not None and BODY[ev.start : ev.end] == ev.text and ev.extractor == EXTRACTOR
    found = {p.evidence.text: p for p in places if p.evidence}
    assert found["Kurram district"].precision == "region" and found["Kurram district"].country_code == "PK"
    assert found["Peshawar"].admin1 == "Khyber Pakhtunkhwa"
    assert "Parachinar" in {p.name for p in places}
    assert not {"Afghan", "Pakistani", "ISLAMABAD", "Islamabad"} & set(found)  # context only
    assert "UN" not in found  # an acronym is not the village "Un"


FALLBACK_BODY = (
    "Gunmen stormed a police post in Peshawar on Monday. Later they fired at the Zarkhel Teaching Hospital near "
    "the Bara Gate and shelled the Sheenkai valley. The Peshawar Traders Committee condemned the attack, and elders "
    "in Peshawar and Mardan called a strike for Palm Sunday."
)


def test_resolve_places_falls_back_only_for_facilities_and_feature_phrases(gaz: Gazetteer) -> None:
    nlp = pytest.importorskip("threatscape.extract.nlp").load_nlp()
    article = Article(id="t2", title="", body=FALLBACK_BODY)
    found = {p.evidence.text: p for p in resolve_places(nlp(FALLBACK_BODY), article, gaz) if p.evidence}
    valley = found["Sheenkai valley"]  # a valley the gazetteer lacks: around the town the story names
    assert (valley.name, valley.country_code, valley.precision) == ("Peshawar", "PK", "region")
    assert "Palm Sunday" not in found  # a day is no place to guess
    assert not any("Committee" in text for text in found)


# ---------------------------------------------------------------- GeoWebNews gate

# (right country, within 161 km), percent, pinned just under what we reach; floors only rise.
# The issue's goal on the test half (Mordecai3's level) is 97 / 94: not reached yet.
GWN_TEST_FLOORS = {"toponyms": (92.6, 87.5), "all": (93.3, 89.0)}  # the test half, never tuned on
GWN_FLOORS = {"toponyms": (94.5, 89.9), "all": (94.8, 90.6)}  # all of GWN (tune half in-sample)


@pytest.mark.shared
def test_geowebnews_halves_are_fixed_and_disjoint() -> None:
    halves = gwn.split(gwn.read_gwn(shared_path("data", "geowebnews-gwn.xml")))
    assert (len(halves["tune"]), len(halves["test"])) == (105, 95)
    assert not {a.text for a in halves["tune"]} & {a.text for a in halves["test"]}


@pytest.mark.shared
def test_geowebnews_gate() -> None:
    """Floors on the test half and on all of GWN; the tune half (misses read there) is printed."""
    articles = gwn.read_gwn(shared_path("data", "geowebnews-gwn.xml"))
    halves = gwn.split(articles)
    for label, score in gwn.evaluate(halves["tune"]).items():
        print(score.line(f"tune {label}"))
    for name, part, floors in (("test", halves["test"], GWN_TEST_FLOORS), ("all of GWN", articles, GWN_FLOORS)):
        for label, score in gwn.evaluate(part).items():
            print(score.line(f"{name} {label}"))
            country, km = floors[label]
            assert 100 * score.country / score.total >= country, (name, label)
            assert 100 * score.km161 / score.total >= km, (name, label)


def test_a_possessive_province_before_a_district_is_its_own_mention(gaz: Gazetteer) -> None:
    from threatscape.extract.nlp import load_nlp
    from threatscape.model import Article

    body = "Two porters died in a landslide in Sindh's Thatta district and in Khyber Pakhtunkhwa's Chitral district."
    places = resolve_places(load_nlp()(body), Article("p", "", body), gaz)
    named = {p.evidence.text: (p.precision, p.admin1) for p in places if p.evidence}
    assert named["Thatta district"][0] == "region" and named["Sindh"][0] == "admin1"
    assert named["Chitral district"] == ("region", "Khyber Pakhtunkhwa")
