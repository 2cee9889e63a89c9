"""The dashboard in a real browser (the ``page`` fixture: no request off 127.0.0.1, no console
error): the timeline is drawn and brushing it sets the period; a click on a shaded province
filters the dashboard by that admin-1; each time the headline counts what the list counts."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page

# a point inside a shaded province that nothing (a marker, a cluster) covers, or null
FIND_PROVINCE = """() => {
  for (const path of document.querySelectorAll("#map path.shaded")) {
    const box = path.getBoundingClientRect();
    for (let i = 1; i < 12; i++) {
      for (let j = 1; j < 12; j++) {
        const x = box.left + (box.width * i) / 12, y = box.top + (box.height * j) / 12;
        if (document.elementFromPoint(x, y) === path) {
          return { x: x, y: y, admin1: path.dataset.admin1 };
        }
      }
    }
  }
  return null;
}"""


def _count(page: Page, selector: str) -> int:
    return int(page.inner_text(selector).replace(",", ""))


def _listed(page: Page, live_url: str, query: str) -> int:
    page.goto(live_url + "/events?" + query)
    return _count(page, "#total")


def test_the_timeline_is_drawn_and_a_brush_sets_the_period(page: Page, live_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(live_url + "/")
    page.wait_for_selector("#timeline[data-drawn=chart]", timeout=15000)
    assert page.locator("#timeline canvas, #timeline svg").count() == 1
    everything = _count(page, "#events-total")
    assert int(page.get_attribute("#timeline", "data-events") or -1) == everything
    box = page.locator("#timeline canvas, #timeline svg").first.bounding_box()
    assert box is not None
    y = box["y"] + 60
    page.mouse.move(box["x"] + box["width"] * 0.5, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=10)
    page.mouse.up()
    page.wait_for_url(re.compile(r"since=\d{4}-\d{2}-\d{2}.*until=\d{4}-\d{2}-\d{2}"), timeout=10000)
    params = parse_qs(urlsplit(page.url).query)
    since, until = params["since"][0], params["until"][0]
    assert since < until
    page.wait_for_selector("#timeline[data-events]", timeout=15000)
    brushed = _count(page, "#events-total")
    assert int(page.get_attribute("#timeline", "data-events") or -1) == brushed
    assert brushed < everything  # the undated events, at least, are out of any range
    assert brushed == _listed(page, live_url, f"since={since}&until={until}")


def test_a_click_on_a_province_filters_the_dashboard_by_it(page: Page, live_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(live_url + "/")
    page.wait_for_selector("#map[data-provinces][data-points][data-countries-drawn]", timeout=15000)
    assert int(page.get_attribute("#map", "data-provinces") or 0) > 1
    spot = page.evaluate(FIND_PROVINCE)
    assert spot is not None, "no shaded province free to click"
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_url(re.compile(r"admin1="), timeout=10000)
    assert parse_qs(urlsplit(page.url).query)["admin1"] == [spot["admin1"]]
    shown = _count(page, "#events-total")
    page.wait_for_selector("#map[data-provinces]", timeout=15000)
    assert page.get_attribute("#map", "data-provinces") == "1"  # only that province has events now
    assert shown > 0 and shown == _listed(page, live_url, urlsplit(page.url).query)
