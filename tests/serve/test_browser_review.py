"""Sanctions review and search in a real browser (the ``page`` fixture of ``conftest.py``: no
request may leave 127.0.0.1, no console error, a screenshot each)."""

from __future__ import annotations

import re

from playwright.sync_api import Page

from threatscape.store.sanctions import SanctionsDB


def test_accept_a_match_by_clicking_and_it_stays_decided(page: Page, review_url: str, review_db: str) -> None:
    page.goto(review_url + "/sanctions/review")
    row = page.locator("#review tbody tr", has_text="Noor Wali").first
    item = row.get_attribute("data-id")
    assert item is not None and page.locator(f'#review tr[data-id="{item}"]').count() == 1
    with page.expect_response(re.compile(rf"/sanctions/review/{item}$")) as posted:
        row.get_by_role("button", name="Accept").click()
    assert posted.value.status == 200  # htmx, with the token from the page
    page.wait_for_selector(f'#review tr.decided[data-id="{item}"]')
    page.reload()
    page.wait_for_selector("#review tbody tr")
    assert page.locator(f'#review tr[data-id="{item}"]').count() == 0
    assert "Noor Wali" not in page.locator("#review .query").all_inner_texts()
    with SanctionsDB.open(review_db) as store:
        assert list(store.decisions().values()) == ["accept"]
        assert int(item) not in [p.id for p in store.pending()]


def test_search_from_the_nav_box_marks_the_word(page: Page, live_url: str) -> None:
    page.goto(live_url + "/events")
    page.fill("#nav-q", "cantonment")
    page.press("#nav-q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=cantonment"))
    assert int(page.inner_text("#total")) > 0
    marks = page.locator("#results mark.hit").all_inner_texts()
    assert marks and {m.lower() for m in marks} == {"cantonment"}
    page.locator("#results a.title").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert "cantonment" in page.inner_text("main").lower()
