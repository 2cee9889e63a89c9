"""The actor and network pages in a real browser (the ``page`` fixture of ``conftest.py``: no
request may leave 127.0.0.1, no console error, a screenshot each)."""

from __future__ import annotations

import re

from playwright.sync_api import Page


def test_open_an_actor_from_the_events_list(page: Page, live_url: str) -> None:
    page.goto(live_url + "/events?actor=TTP")
    page.locator("#events a.actor", has_text="Tehrik-i-Taliban Pakistan").first.click()
    page.wait_for_url(re.compile(r"/actors/TTP$"))
    assert page.inner_text("#actor-name") == "Tehrik-i-Taliban Pakistan"
    assert "Pakistani Taliban" in page.inner_text("#aliases")
    assert page.locator("#relations tbody tr").count() > 0 and page.locator("#claims tbody tr").count() > 0
    page.wait_for_selector("#activity-chart[data-drawn]", timeout=15000)  # Vega drew the months
    assert page.get_attribute("#activity-chart", "data-error") is None
    assert page.locator("#activity-chart canvas").count() == 1


def test_the_network_draws_and_filters_by_predicate(page: Page, live_url: str) -> None:
    page.goto(live_url + "/network")
    page.wait_for_selector("#network[data-nodes]", timeout=15000)
    everything = int(page.get_attribute("#network", "data-nodes") or 0)
    assert everything > 0 and everything == int(page.inner_text("#n-nodes"))
    assert page.locator("#network canvas").count() > 0  # cytoscape's layers
    assert int(page.get_attribute("#network", "data-contested") or 0) > 0
    page.select_option("select[name=predicate]", "shelters")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"predicate=shelters"))
    page.wait_for_selector("#network[data-nodes]", timeout=15000)
    assert int(page.get_attribute("#network", "data-nodes") or 0) == 2 < everything
    assert page.get_attribute("#network", "data-edges") == "1"
    assert page.get_attribute("#network", "data-contested") == "1"  # the shelter claim is contested
