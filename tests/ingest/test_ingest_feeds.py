"""RSS/Atom feeds: full-content items, link following through the fetcher, failing feeds."""

from __future__ import annotations

from pathlib import Path

from ingest_loopback import FIXTURES, Loopback, Reply

from threatscape.ingest import iter_documents
from threatscape.model import IngestFailure, RawDocument
from threatscape.settings import Settings

RSS_TYPE = "application/rss+xml"


def run(inputs: list[str], settings: Settings | None = None) -> list[RawDocument | IngestFailure]:
    return list(iter_documents(inputs, settings or Settings()))


def link_feed(links: list[str], title: str = "Frontier Wire") -> bytes:
    items = "".join(
        f"<item><title>Item {n}</title><link>{link}</link><pubDate>Wed, 05 Mar 2025 06:00:00 GMT</pubDate>"
        f"<description>Teaser {n}.</description></item>"
        for n, link in enumerate(links, start=1)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'.encode()


def test_full_content_items_are_records_without_fetching() -> None:
    path = str(FIXTURES / "feed_full.xml")
    first, second = run([path])
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.origin == f"{path}#item-1"
    assert first.content == (
        "Gunmen ambushed a military supply convoy near Boulkessi on Sunday, the army said.\n"
        "Residents reported heavy gunfire for several hours."
    )
    assert (first.title, first.url, first.published, first.source, first.byline) == (
        "Convoy ambushed near Boulkessi",
        "https://sahel-monitor.example/2025/02/convoy-ambushed",
        "2025-02-10",
        "Sahel Monitor",
        "Moussa Traoré",
    )
    assert second.content.startswith("The military government announced on Tuesday")
    assert "\nOpposition parties" in second.content
    assert second.published == "2025-02-11"


def test_atom_feed_with_content() -> None:
    (doc,) = run([str(FIXTURES / "feed_atom.atom")])
    assert isinstance(doc, RawDocument)
    assert doc.content.startswith("Artillery shelling hit residential districts")
    assert doc.url == "https://horn-watch.example/khartoum-north"
    assert (doc.source, doc.published) == ("Horn Watch", "2025-01-20")


def test_feed_declaring_entities_is_refused() -> None:
    path = str(FIXTURES / "feed_entities.xml")
    assert run([path]) == [IngestFailure(path, "feed declares XML entities (refused)")]


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "config.xml"
    path.write_text("<?xml version='1.0'?><config><a>1</a></config>")
    (failure,) = run([str(path)])
    assert isinstance(failure, IngestFailure) and failure.reason.startswith("no feed items found")


def test_short_items_follow_their_links_as_pages(loopback: Loopback, local: Settings) -> None:
    loopback.routes["/feed"] = Reply(200, link_feed([loopback.url("/story"), loopback.url("/bare")]), RSS_TYPE)
    loopback.routes["/story"] = Reply(200, (FIXTURES / "article.html").read_bytes())
    bare = "<html><body><p>The ceasefire held overnight in the border districts, residents said.</p></body></html>"
    loopback.routes["/bare"] = Reply(200, bare.encode())
    story, plain = run([loopback.url("/feed")], local)
    assert isinstance(story, RawDocument) and isinstance(plain, RawDocument)
    assert story.origin == loopback.url("/story")
    assert story.title == "Eleven killed as militants storm Bannu cantonment"  # the page's own metadata wins
    assert story.published == "2025-03-05"
    assert "LAKKI MARWAT: Eleven people" in story.content
    assert plain.content.startswith("The ceasefire held overnight")
    assert (plain.title, plain.published) == ("Item 2", "2025-03-05")  # the item fills what the page lacks
    assert loopback.hits == ["/feed", "/story", "/bare"]


def test_failing_item_links_are_failures_and_the_rest_go_on(loopback: Loopback, local: Settings) -> None:
    links = [loopback.url("/broken"), loopback.url("/slow"), loopback.url("/loop/0"), "ftp://x/y", loopback.url("/ok")]
    loopback.routes["/feed.xml"] = Reply(200, link_feed(links), RSS_TYPE)
    loopback.routes["/broken"] = Reply(500, b"")
    loopback.routes["/slow"] = Reply(200, b"", delay=1.5)
    loopback.routes["/loop/*"] = lambda path: Reply(302, headers={"Location": path + "x"})
    loopback.routes["/ok"] = Reply(200, b"<html><body><p>Troops withdrew from the town on Friday.</p></body></html>")
    settings = Settings(allow_private=True, timeout=0.5, max_redirects=3)
    items = run([loopback.url("/feed.xml")], settings)
    assert [type(i).__name__ for i in items] == ["IngestFailure"] * 4 + ["RawDocument"]
    assert items[0] == IngestFailure(loopback.url("/broken"), "HTTP 500")
    assert items[1] == IngestFailure(loopback.url("/slow"), "timed out after 0.5s")
    assert items[2] == IngestFailure(loopback.url("/loop/0"), "more than 3 redirects")
    assert "is not allowed (http and https only)" in items[3].reason


def test_item_links_to_private_hosts_are_refused(loopback: Loopback, tmp_path: Path) -> None:
    feed = tmp_path / "wire.rss"
    feed.write_bytes(link_feed([loopback.url("/story"), "http://10.0.0.1/internal"]))
    items = run([str(feed)])
    assert all(isinstance(i, IngestFailure) and "non-public address" in i.reason for i in items)
    assert [i.origin for i in items] == [loopback.url("/story"), "http://10.0.0.1/internal"]
    assert loopback.hits == []


def test_feed_url_that_fails(loopback: Loopback, local: Settings) -> None:
    loopback.routes["/500.xml"] = Reply(500, b"oops", RSS_TYPE)
    loopback.routes["/slow.xml"] = Reply(200, link_feed([]), RSS_TYPE, delay=1.5)
    loopback.routes["/r/*"] = lambda path: Reply(301, headers={"Location": path + "r"})
    settings = Settings(allow_private=True, timeout=0.5, max_redirects=4)
    urls = [loopback.url("/500.xml"), loopback.url("/slow.xml"), loopback.url("/r/")]
    assert run(urls, settings) == [
        IngestFailure(urls[0], "HTTP 500"),
        IngestFailure(urls[1], "timed out after 0.5s"),
        IngestFailure(urls[2], "more than 4 redirects"),
    ]


def test_feed_with_undecodable_encoding_declaration_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "bad.rss"
    path.write_bytes(b'<?xml version="1.0" encoding="u\xc5f-8"?><rss version="2.0"><channel><title>x')
    (failure,) = run([str(path)])
    assert isinstance(failure, IngestFailure) and failure.origin == str(path)
    assert failure.reason.startswith(("unreadable feed", "no feed items found"))


def test_relative_item_links_resolve_against_the_feed_url(loopback: Loopback, local: Settings) -> None:
    loopback.routes["/news/feed"] = Reply(200, link_feed(["story-1"]), RSS_TYPE)
    body = b"<html><body><p>Police said the curfew would be lifted on Sunday morning.</p></body></html>"
    loopback.routes["/news/story-1"] = Reply(200, body)
    (doc,) = run([loopback.url("/news/feed")], local)
    assert isinstance(doc, RawDocument) and doc.origin == loopback.url("/news/story-1")


def test_feed_external_dtd_and_embedded_references_are_never_fetched(loopback: Loopback, tmp_path: Path) -> None:
    loopback.routes["/*"] = Reply(200, b"<!ENTITY x 'fetched'>")
    long_text = "Militia fighters took control of the market town after two days of clashes. " * 8
    feed = tmp_path / "dtd.xml"
    feed.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{loopback.url("/evil.dtd")}">'
        '<rss version="2.0"><channel><title>T</title><item><title>A</title>'
        f'<description><![CDATA[<p>{long_text}</p><img src="{loopback.url("/img.png")}">'
        f'<iframe src="{loopback.url("/frame")}"></iframe>]]></description></item></channel></rss>'
    )
    page = tmp_path / "page.html"
    page.write_text(
        f'<html><head><script src="{loopback.url("/s.js")}"></script><link rel="stylesheet" '
        f'href="{loopback.url("/c.css")}"></head><body><p>{long_text}</p><img src="{loopback.url("/i.png")}">'
        f'<iframe src="{loopback.url("/f")}"></iframe></body></html>'
    )
    items = run([str(feed), str(page)], Settings(allow_private=True, timeout=1.0))
    assert [type(i) for i in items] == [RawDocument, RawDocument]
    assert all(i.content.startswith("Militia fighters") for i in items)  # type: ignore[union-attr]
    assert loopback.hits == []
