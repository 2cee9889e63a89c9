"""The web UI in a real browser: Debian's Chromium driven by Playwright against the app served by
uvicorn on a loopback port over the demo database. Every test checks that no request left
127.0.0.1 and that the page logged no error, and saves a screenshot beside its temporary files.

Chromium comes from the system (``apt-get install chromium``, done by ``.ci/run``); Playwright's own
browser download does not work offline. Without it these tests fail, they do not skip.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Chromium is needed at /usr/bin/chromium (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context()
    pg = context.new_page()
    outside: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).hostname != "127.0.0.1" else None)
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    pg.screenshot(path=str(tmp_path / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert errors == [], f"console errors: {errors}"


def test_dashboard_draws_the_map_offline(page: Page, live_url: str) -> None:
    page.goto(live_url + "/")
    page.wait_for_selector("#map[data-points]", timeout=15000)
    assert int(page.get_attribute("#map", "data-points") or 0) > 0
    assert page.locator(".leaflet-marker-pane, .leaflet-overlay-pane").count() > 0
    assert page.locator("#headline b").first.inner_text().strip() != ""


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
