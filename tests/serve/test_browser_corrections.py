"""A correction made in the browser (Chromium, the ``page`` fixture) shows on the event, in the
events list and in the CSV export of the same filter."""

from __future__ import annotations

import csv
import io
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Page

from threatscape.serve.app import create_app

from .conftest import _free_port


@pytest.fixture
def writable_url(serve_db: str, tmp_path: Path) -> Iterator[str]:
    db = tmp_path / "copy.db"
    shutil.copy(serve_db, db)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_a_toll_corrected_in_the_browser_shows_in_the_list_and_the_export(page: Page, writable_url: str) -> None:
    page.goto(writable_url + "/events?type=Battles")
    page.locator("#events tbody tr a").first.click()
    page.wait_for_selector("#correct-form", state="attached")
    page.click("details.correct summary")
    page.select_option("select[name=field]", "toll")
    page.fill("input[name=best]", "41")
    page.fill("input[name=by]", "browser analyst")
    page.click("#correct-form button[type=submit]")
    page.wait_for_selector("#corrected")
    assert page.inner_text("#toll").startswith("41")
    page.goto(writable_url + "/events?type=Battles")
    assert "41" in page.locator("#events tbody tr td:nth-child(7)").all_inner_texts()
    with page.expect_download() as download:
        page.click("#export-csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert "41" in {r["fatalities"] for r in rows}
