"""Developer-written page dumps in other outlets' formats (tests/fixtures/structure/*.txt)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from threatscape.model import Article, RawDocument
from threatscape.structure import structure_document

FURNITURE = (
    "Short Url",
    "Follow",
    "ADVERTISEMENT",
    "Also Read",
    "Related article",
    "Facebook",
    "WhatsApp",
    "Copy link",
    "px",
    "[to top",
    "exit_to_app",
    "chevron_right",
    "text_fields",
    "bookmark_border",
    "All rights reserved",
    "@",
    "Tel:",
    "Reporting by",
    "Our Standards",
    "You May Also Like",
    "Published",
    "Updated",
    "(PTI)",
    "(Reuters)",
    "(AP)",
    "By Maria",
)

Page = Callable[..., list[Article]]


def _clean(article: Article) -> None:
    for junk in FURNITURE:
        assert junk not in article.body, f"{junk!r} left in body of {article.title!r}"


def test_dawn_style_agency_dateline_and_store_token(page: Page) -> None:
    [a] = page("dawn_agency_dateline.txt")
    assert a.title == "Two policemen martyred as militants storm checkpost near Peshawar"
    assert a.published == "2025-03-04"  # store token and stamp; not the render date in the header
    assert a.updated == "2025-03-05"
    assert a.dateline == "PESHAWAR"
    assert a.summary == (
        "Attack on checkpost repulsed after two-hour exchange of fire",
        "Two policemen and three attackers killed, officials say",
    )
    assert a.body.startswith("Two policemen were killed and four others injured")
    assert "Police rescue abducted engineer" not in a.body  # related headline under "Also Read"
    assert "Search operation under way" in a.body  # a sub-heading stays as body text
    assert a.body.rstrip().endswith("taken into custody for questioning, according to the police.")
    _clean(a)


def test_reuters_style_caption_date_is_not_the_article_date(page: Page) -> None:
    [a] = page("reuters_caption_date.txt")
    assert a.title == "Gunmen kill five in attack on market in central Mali"
    assert a.published == "2025-03-04"
    assert a.updated is None  # "Updated 2 hours ago" gives no date
    assert a.dateline == "BAMAKO"
    assert a.byline == "Jane Roe and Ali Traore"
    assert [c.credit for c in a.captions] == ["REUTERS/File Photo"]
    assert a.body.startswith("Gunmen on motorcycles killed at least five people")
    assert a.body.count("No group has claimed responsibility") == 1  # duplicated paragraph kept once
    assert "Celebrity chef" not in a.body  # trailer after "You May Also Like"
    _clean(a)


def test_byline_and_day_first_numeric_stamps(page: Page) -> None:
    [a] = page("byline_published_footer.txt")
    assert a.title == "Protesters clash with police over fuel price rise in capital"
    assert a.byline == "Maria Santos"
    assert (a.published, a.updated) == ("2025-05-12", "2025-05-13")  # DD/MM/YYYY
    assert a.dateline is None
    assert a.body.startswith("Police fired tear gas at hundreds of protesters")
    assert len(a.body.split("\n\n")) == 3
    _clean(a)


def test_two_arab_news_style_articles_split_at_repeated_headlines(page: Page) -> None:
    first, second = page("two_articles_arab_style.txt")
    assert first.title == "Ceasefire talks resume in Doha as mediators push for prisoner swap"
    assert first.published is None and first.updated is None  # relative "Updated ... ago" only
    assert first.captions[0].credit == "AFP/File"  # the caption's November 2024 date is ignored
    assert first.dateline == "DOHA" and len(first.summary) == 2
    assert first.body.startswith("Negotiators resumed indirect talks")
    assert "Flood waters" not in first.body
    assert second.title == "Flood waters recede in northern districts after week of heavy rain"
    assert (second.updated, second.dateline, len(second.summary)) == ("2025-03-03", "ISLAMABAD", 1)
    assert second.body.startswith("Flood waters began to recede")
    for a in (first, second):
        _clean(a)
        assert a.title not in a.body
        assert "example.news" not in a.body


def test_sidebar_timestamps_and_icon_words_are_ignored(page: Page) -> None:
    [a] = page("sidebar_icons_ap.txt")
    assert a.title == "Roadside bomb kills three soldiers near border town"
    assert a.published is None  # the sidebar's ISO timestamps belong to other stories
    assert a.dateline == "ISLAMABAD"
    assert a.body.startswith("A roadside bomb struck a military vehicle")
    assert a.body.count("The blast hit the vehicle") == 1
    _clean(a)


@pytest.mark.parametrize(
    "name",
    ["dawn_agency_dateline.txt", "reuters_caption_date.txt", "byline_published_footer.txt", "sidebar_icons_ap.txt"],
)
def test_record_kind_with_given_metadata_wins(page: Page, name: str) -> None:
    [text] = page(name)
    raw = RawDocument(
        origin=name,
        kind="record",
        content=text.body,
        title="Given title",
        published="2020-01-02T10:00:00Z",
        byline="Given Author",
        url="https://example.org/x",
        source="Example",
        source_id="rec-1",
    )
    [a] = structure_document(raw)
    assert (a.title, a.published, a.byline) == ("Given title", "2020-01-02", "Given Author")
    assert (a.url, a.source, a.source_id, a.origin) == ("https://example.org/x", "Example", "rec-1", name)
    assert a.body == text.body


def test_headlines_printed_once_above_a_stamp_split_a_digest(page: Page) -> None:
    first, second = page("stamped_headlines_digest.txt")
    assert first.title == "Army says six militants killed in raid on hideout in northern hills"
    assert (first.published, first.dateline, first.byline) == ("2025-06-02", "QUETTA", "Staff Reporter")
    assert first.body.startswith("Security forces killed six militants")
    assert "Court adjourns" not in first.body
    assert second.title == "Court adjourns hearing on detained opposition leader until next week"
    assert (second.published, second.updated, second.dateline) == ("2025-06-03", "2025-06-03", "LAHORE")
    assert second.body.startswith("A court on Monday adjourned")
