"""HTML -> main text and metadata, without fetching or running anything the page embeds.

``read_page`` asks trafilatura for the main text and metadata (title, date, author, site name,
canonical URL). When trafilatura finds no main text (a truncated or skeletal page), it falls back
to ``html_to_text`` over the whole page, which keeps block boundaries as newlines and drops
scripts, styles and embedded frames. Nothing is fetched: images, iframes and scripts are ignored.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree
from trafilatura import bare_extraction

from threatscape.errors import ParseError
from threatscape.model import RawDocument

__all__ = ["html_to_text", "read_page"]

MIN_FALLBACK_CHARS = 20  # below this, a page's text is not worth keeping
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "pre",
        "table",
        "dd",
        "dt",
        "figcaption",
        "hr",
    ]
)
_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "template", "svg", "head")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _block_text(root: lxml.html.HtmlElement) -> str:
    parts: list[str] = []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() in _BLOCKS:
            parts.append("\n")
        if element.text and tag:
            parts.append(element.text)
        if element is not root and element.tail:
            parts.append(element.tail)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _parse(html: str) -> lxml.html.HtmlElement | None:
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        return etree.fromstring(html, parser)
    except ValueError:  # a str carrying an XML encoding declaration: hand lxml UTF-8 bytes
        utf8 = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8")
        return etree.fromstring(html.encode("utf-8", errors="replace"), utf8)


def html_to_text(html: str) -> str:
    """All visible text of an HTML page or fragment, one block per line."""
    try:
        root = _parse(html)
    except (etree.LxmlError, ValueError):
        return ""
    if root is None:
        return ""
    for element in list(root.iter(*_DROP)):
        element.drop_tree()
    return _block_text(root)


def _extract(html: str, url: str | None) -> dict[str, str | None]:
    document = bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        include_tables=True,
        as_dict=False,
    )
    if document is None:
        return {}
    fields = ("text", "title", "author", "date", "sitename", "url")
    return {name: getattr(document, name, None) for name in fields}


def read_page(html: str, origin: str, *, url: str | None = None) -> RawDocument:
    """One HTML page -> RawDocument(kind="record"); ParseError when it holds no readable text."""
    try:
        meta = _extract(html, url)
    except Exception:  # noqa: BLE001 - trafilatura/lxml fail in many ways on broken markup; fall back
        meta = {}
    text = (meta.get("text") or "").strip()
    if not text:
        text = html_to_text(html)
        if len(text) < MIN_FALLBACK_CHARS:
            raise ParseError("no readable text in HTML", source=origin)
    date = meta.get("date")
    return RawDocument(
        origin=origin,
        kind="record",
        content=text,
        title=meta.get("title") or None,
        url=meta.get("url") or url,
        source=meta.get("sitename") or None,
        published=date if date and _DATE.fullmatch(date) else None,
        byline=meta.get("author") or None,
    )
