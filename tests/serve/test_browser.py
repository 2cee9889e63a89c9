"""The web UI in a real browser (the ``page`` fixture of ``conftest.py``: Debian's Chromium driven
by Playwright; no request may leave 127.0.0.1, no console error, a screenshot each)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page

from threatscape.store import open_store


def test_dashboard_draws_the_map_offline(page: Page, live_url: str, serve_db: str) -> None:
    page.goto(live_url + "/")
    page.wait_for_selector("#map[data-points]", timeout=15000)
    assert int(page.get_attribute("#map", "data-points") or 0) > 0
    with open_store(serve_db) as store:
        listed = store.query_events()
    placed = [e for e in listed if (e.get("location") or {}).get("lat") is not None]
    assert int(page.get_attribute("#map", "data-events") or 0) == len(placed)  # every spot's events drawn
    assert page.locator(".leaflet-marker-pane, .leaflet-overlay-pane").count() > 0
    assert page.locator("#headline b").first.inner_text().strip() != ""
    for table in ("#by-type", "#by-actor", "#by-admin1"):  # htmx swapped the fragments in
        page.wait_for_selector(table + " tbody tr", timeout=15000)
    assert page.locator(".part .loading").count() == 0
    types = page.locator("#by-type tbody tr td:nth-child(2)").all_inner_texts()
    assert sum(int(n.replace(",", "")) for n in types) == len(listed)
    assert int(page.inner_text("#articles-total").replace(",", "")) > 0


def test_filter_by_type_then_open_an_event_and_see_its_evidence(page: Page, live_url: str) -> None:
    page.goto(live_url + "/events")
    everything = int(page.inner_text("#total").replace(",", ""))
    page.fill("input[name=type]", "Battles")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"type=Battles"))
    battles = int(page.inner_text("#total").replace(",", ""))
    assert 0 < battles < everything
    assert set(page.locator("#events tbody tr td:nth-child(2)").all_inner_texts()) == {"Battles"}
    page.locator("#events tbody tr a").first.click()
    page.wait_for_selector("mark.evidence")
    assert len(page.inner_text("mark.evidence")) > 20


def test_export_csv_is_the_filtered_list(page: Page, live_url: str) -> None:
    page.goto(live_url + "/events?type=Battles")
    total = int(page.inner_text("#total").replace(",", ""))
    href = page.get_attribute("#export-csv", "href")
    assert href is not None and "type=Battles" in href
    with page.expect_download() as download:
        page.click("#export-csv")  # the server sends it as an attachment
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == total and {r["event_type"] for r in rows} == {"Battles"}
