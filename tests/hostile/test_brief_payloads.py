"""Hostile article text in every output: links only to http(s), no live tag or handler, a CSP in the
HTML brief, escaped Markdown, no bidirectional spoofing in titles, no terminal markup from titles.

The articles are our own: a short report whose title, body and URL carry script tags, event-handler
attributes, Markdown and terminal link syntax, ``javascript:``/``data:`` URLs and U+202E.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from threatscape.cli import cli
from threatscape.safe_text import display_text, escape_markdown, safe_url

PAYLOAD = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> [open](javascript:alert(3)) "
    "[link=javascript:alert(4)]terminal[/link] \u202eexe.txt"
)
URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    " https://news.example.org/hostile",
]
BODY = (
    "Gunmen killed {n} police officers at a checkpoint in Bannu, Pakistan, on Tuesday, officials said. "
    "The Tehreek-e-Taliban Pakistan said it carried out the attack. {payload} A spokesman for the "
    "group said <b onclick=alert(5)>its fighters</b> would strike again."
)


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("hostile")
    records = [
        {
            "id": f"hostile-{i}",
            "title": f"Checkpoint attack {PAYLOAD}",
            "text": BODY.format(n=["four", "five", "six", "seven", "eight"][i], payload=PAYLOAD),
            "url": url,
            "published": f"2025-03-0{i + 1}",
        }
        for i, url in enumerate(URLS)
    ]
    src = tmp / "hostile.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = str(tmp / "h.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(src), "--db", db], catch_exceptions=False).exit_code == 0
    out: dict[str, str] = {}
    for fmt in ("html", "md"):
        path = tmp / f"brief.{fmt}"
        args = ["report", "--from", "2025-01-01", "--to", "2025-12-31", "--db", db, "--format", fmt, "-o", str(path)]
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        out[fmt] = path.read_text(encoding="utf-8")
    listing = runner.invoke(cli, ["articles", "--db", db], catch_exceptions=False)
    out["terminal"] = listing.stdout
    return out


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_brief_links_only_to_http_or_fragments(briefs: dict[str, str]) -> None:
    parser = _Tags()
    parser.feed(briefs["html"])
    hrefs = [a["href"] or "" for _, a in parser.tags if "href" in a]
    assert hrefs, "the brief has no link at all"
    assert all(h.startswith("#") or re.match(r"https?://", h) for h in hrefs), hrefs
    assert "https://news.example.org/hostile" in hrefs  # a real address stays a link


def test_html_brief_has_no_live_script_or_handler_and_declares_a_csp(briefs: dict[str, str]) -> None:
    parser = _Tags()
    parser.feed(briefs["html"])
    assert not [t for t, _ in parser.tags if t == "script"]
    handlers = [(t, k) for t, attrs in parser.tags for k in attrs if k.lower().startswith("on")]
    assert not handlers, handlers
    csp = [
        a.get("content") or ""
        for t, a in parser.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "script-src 'none'" in csp[0] and "default-src 'none'" in csp[0]
    assert "alert(1)" in briefs["html"]  # the payload is shown as text, not dropped silently


def test_markdown_brief_holds_no_raw_tag_or_link_from_an_article(briefs: dict[str, str]) -> None:
    md = briefs["md"]
    # our own markup: source anchors, article-id comments, <https://...> autolinks
    ours = re.compile(r'<a id="src-\d+"></a>|<!--[^>]*-->|<https?://[^>\s]+>')
    leftover = ours.sub("", md)
    assert not re.search(r"<[a-zA-Z/!]", leftover), re.findall(r"<[a-zA-Z/!][^>]{0,30}", leftover)[:5]
    assert not re.search(r"(?<!\\)\]\((javascript|data):", md) and "<javascript:" not in md and "<data:" not in md
    assert "&lt;script&gt;" in md


def test_titles_lose_bidirectional_controls_in_every_output(briefs: dict[str, str]) -> None:
    for fmt, text in briefs.items():
        assert "\u202e" not in text, fmt
        assert "exe.txt" in text, fmt


def test_terminal_listing_prints_markup_in_titles_as_text(briefs: dict[str, str]) -> None:
    # rich reads "[link=...]" in a plain string as a hyperlink; a title must stay the words it is
    assert "[link=javascript:alert(4)]terminal[/link]" in briefs["terminal"]
    assert "\x1b]8;" not in briefs["terminal"]


@pytest.mark.parametrize(
    "url, expected",
    [
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("\x01 javascript:alert(1)", None),
        ("data:text/html;base64,AAAA", None),
        ("vbscript:msgbox", None),
        ("//evil.example/", None),
        ("https:evil.example", None),
        ("", None),
        (None, None),
        ("  HTTPS://news.example.org/a?b=1  ", "HTTPS://news.example.org/a?b=1"),
        ("http://news.example.org/x", "http://news.example.org/x"),
    ],
)
def test_safe_url_keeps_only_http_and_https(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_markdown_escape_and_display_text() -> None:
    assert escape_markdown("[x](javascript:y) <b>") == "\\[x\\](javascript:y) &lt;b&gt;"
    assert escape_markdown("a | b & c") == "a \\| b &amp; c"
    assert display_text("ab\u202ecd\u2066e\u2069") == "abcde"


def test_the_stored_body_keeps_its_bidi_controls(tmp_path: Path) -> None:
    body = "Police said a bomb exploded in Quetta on Monday. \u202eA second device was found."
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps({"id": "b1", "title": "Blast \u202ein Quetta", "text": body}) + "\n", encoding="utf-8")
    db = str(tmp_path / "b.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(src), "--db", db], catch_exceptions=False).exit_code == 0
    from threatscape.store import open_store

    store = open_store(db)
    try:
        (listed,) = store.articles()
        article = store.get_article(listed.id)
    finally:
        store.close()
    assert article is not None and article.body.count("\u202e") == 1  # offsets into the body never move
