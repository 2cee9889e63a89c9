"""Incidents of the bundled demo corpus as an analyst would record them (issue #11's pins).

The August 2024 attacks in Musakhel are reported on the day (a feed item) and mentioned in
passing three months later (a page dump on another attack): one incident in Balochistan,
Pakistan, over the night of 25 to 26 August, however many reports tell it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _events(db: Path, since: str, until: str) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "threatscape", "events", "--db", str(db), "--since", since, "--until", until,
         "--format", "json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return list(json.loads(out.stdout))


def test_the_musakhel_attacks_are_one_incident_in_balochistan(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    inputs = [EXAMPLES / "islamabadledger_pakistan_feed.rss", EXAMPLES / "industimes_2024-11_page-dump.txt"]
    subprocess.run([sys.executable, "-m", "threatscape", "ingest", *map(str, inputs), "--db", str(db)], check=True)
    musakhel = [
        e for e in _events(db, "2024-08-01", "2024-08-31") if "Musa Khel" in (e["location"] or {}).get("name", "")
    ]
    assert len(musakhel) == 1, musakhel
    (incident,) = musakhel
    assert incident["location"]["country_code"] == "PK" and incident["location"]["admin1"] == "Balochistan"
    assert (incident["date"]["start"], incident["date"]["end"]) == ("2024-08-25", "2024-08-26")
    assert incident["n_reports"] == 2  # the day's report and November's passing mention
    assert incident["fatalities"]["best"] >= 50


def test_a_district_name_in_context_stays_in_the_articles_country() -> None:
    from threatscape.pipeline import Resources

    gaz = Resources().gazetteer
    assert gaz.geocode("Musakhel district", countries=["PK"]).country_code == "PK"
    assert gaz.geocode("Musakhel district", countries=["AF"]).country_code == "AF"


JAFFAR = ["frontierpost_2025-03-11_jaffar-express-wire.txt", "gulfcourier_2025-03-11_jaffar-express-wire.html"]


def test_the_jaffar_express_hijacking_is_one_incident_in_bolan_with_the_militants_dead(tmp_path: Path) -> None:
    db = tmp_path / "jaffar.db"
    inputs = [str(EXAMPLES / name) for name in JAFFAR]
    subprocess.run([sys.executable, "-m", "threatscape", "ingest", *inputs, "--db", str(db)], check=True)
    around = [e for e in _events(db, "2025-03-01", "2025-03-31") if not e["aggregate"]]
    assert len(around) == 1, around  # no second incident at the dateline or the speaker's city
    (incident,) = around
    assert incident["location"]["admin1"] == "Balochistan"
    assert incident["location"]["name"] in ("Kachhi", "Bolan", "Kachhi District", "Bolan District")
    assert (incident["date"]["start"], incident["date"]["end"]) == ("2025-03-11", "2025-03-11")
    assert incident["n_sources"] == 2  # the wire story and its copy
    out = subprocess.run(
        [sys.executable, "-m", "threatscape", "extract", inputs[0], "--format", "json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    (article,) = json.loads(out.stdout)["articles"]
    (event,) = [e for e in article["events"] if e["date"] and e["date"]["start"] == "2025-03-11"]
    assert event["fatalities"]["breakdown"].get("militants") == 16  # "at least 16 militants had been killed"
