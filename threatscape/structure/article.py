"""One raw document -> its Article(s): the chain split -> header -> body -> dates.

Publication date, in order of trust: the metadata the input gave (``RawDocument.published``);
the store token `` date YYYY-MM-DD`` opening a dump (first article only); a stamp labelled
Published/Posted; a date in the URL path (``/2024/11/03/``, ``/20241225...``); an unlabelled
date line in the header under the headline (only when a headline was found, so sidebar dates
above a page without one are never taken); else the "Updated" date, the only date the page
prints. Dates in captions, before the headline, or inside the story are never used.

A document whose only text is one line (an alert, a wire flash, a one-sentence brief, with or
without a final stop) is an article with that line as its body, not a headline without a story.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from threatscape.errors import ParseError
from threatscape.model import Article, RawDocument
from threatscape.structure.body import finish_body, read_body
from threatscape.structure.dates import parse_date, read_stamp, url_date
from threatscape.structure.header import (
    Draft,
    find_body_start,
    guess_title,
    read_cluster,
    read_header,
    title_above,
)
from threatscape.structure.lines import is_furniture, join_wrapped
from threatscape.structure.rules import Rules, load_rules
from threatscape.structure.split import Segment, split_dump
from threatscape.structure.text import article_id, clean_line, normalise_text

__all__ = ["split_store_token", "structure_document"]

_TOKEN = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2})\b[ \t]*")
_KINDS = ("text", "record")
_SURROGATE = re.compile("[\ud800-\udfff]")  # a lone half of a UTF-16 pair: a JSON "\\ud800" escape
_TEXT_FIELDS = ("content", "title", "url", "source", "source_id", "published", "byline")


def _valid_unicode(raw: RawDocument) -> RawDocument:
    """``raw`` with each lone surrogate in its text fields replaced by U+FFFD.

    Such a character cannot be encoded, hashed or stored; JSON can carry one (``"\\ud800"``).
    """
    bad = {
        f: _SURROGATE.sub("\ufffd", v)
        for f in _TEXT_FIELDS
        if isinstance(v := getattr(raw, f), str) and _SURROGATE.search(v)
    }
    return replace(raw, **bad) if bad else raw


def split_store_token(content: str) -> tuple[str | None, str]:
    """The store's `` date YYYY-MM-DD`` token opening a dump (its date, or None) and the rest."""
    m = _TOKEN.match(content)
    if not m:
        return None, content
    return m[1], content[m.end() :]


def _title_line(lines: list[str], title: str, limit: int) -> int | None:
    """Index of the last printing of a given title among the first ``limit`` lines."""
    key = normalise_text(title)
    hits = [i for i, line in enumerate(lines[:limit]) if line and normalise_text(line) == key]
    return hits[-1] if hits else None


def _read_segment(lines: list[str], seg: Segment, given_title: str | None, rules: Rules) -> Draft:
    """Fill a draft with the header of one segment; ``draft.decks`` then holds the body lines."""
    draft = Draft(title=given_title or "")
    cluster = seg.cluster
    above = None if cluster is None else title_above(lines, seg.start, cluster.first, rules)
    if cluster is not None and above is not None and not given_title:
        draft.title = lines[above]
        head = above + 1
        dates = True
    elif seg.cluster is not None:
        draft.title = draft.title or seg.cluster.title
        read_cluster(lines, seg.cluster.first, seg.cluster.last, draft, rules)
        head = seg.cluster.last + 1
        dates = True
    elif given_title:
        found = _title_line(lines, given_title, seg.start + rules.threshold("repeat_window"))
        head = seg.start if found is None else found + 1
        dates = True
    else:
        body = find_body_start(lines, seg.start, seg.end, rules)
        title_at = guess_title(lines, seg.start, body, rules)
        draft.title = lines[title_at] if title_at is not None else ""
        head = seg.start if title_at is None else title_at + 1
        dates = title_at is not None
    body_at = read_header(lines, head, seg.end, draft, rules, dates=dates)
    paragraphs = draft.decks + read_body(lines, body_at, seg.end, draft, rules, dates=dates)
    draft.decks = paragraphs
    return draft


def _article(raw: RawDocument, draft: Draft, token: str | None, rules: Rules, *, first: bool) -> Article | None:
    """The finished Article; the page's own metadata (date, byline) only applies to its first story."""
    result = finish_body(draft.decks, draft.title, rules)
    if not result.paragraphs:
        return None
    body = "\n\n".join(result.paragraphs)
    given = parse_date(raw.published, rules) if first else None
    from_url = url_date(raw.url) if first else None
    published = given or token or draft.published or from_url or draft.plain or _filed_day(result.filed)
    return Article(
        id=article_id(body),
        title=draft.title,
        body=body,
        source_id=raw.source_id,
        url=raw.url or None,
        source=raw.source or None,
        published=published or draft.updated,
        updated=draft.updated,
        dateline=result.dateline,
        byline=(raw.byline or "").strip()
        if first and raw.byline and raw.byline.strip()
        else draft.byline or result.byline,
        summary=tuple(draft.summary),
        captions=tuple(draft.captions),
        origin=raw.origin,
    )


def _filed_day(filed: tuple[int, int, int | None] | None) -> str | None:
    """The dateline's day as the article's date when the page gives no other, if it has a year
    ("QUETTA, March 11, 2025 (Reuters)"); "Aug 12 (PTI)" alone names no year and dates nothing."""
    if filed is None or filed[2] is None:
        return None
    try:
        return dt.date(filed[2], filed[0], filed[1]).isoformat()
    except ValueError:
        return None


def _one_line_article(
    raw: RawDocument, lines: list[str], token: str | None, given_title: str | None, rules: Rules
) -> Article | None:
    """The article of a document whose only text line the header took for a headline: that line is
    the body (the title stays the given one, if any). None when there is not exactly one such line."""
    text = [x for x in lines if x and not is_furniture(x, rules) and read_stamp(x, rules) is None]
    if len(text) != 1 or not any(c.isalpha() for c in text[0]):
        return None
    article = _article(raw, Draft(decks=text), token, rules, first=True)
    return None if article is None else replace(article, title=given_title or "")


def structure_document(raw: RawDocument) -> list[Article]:
    """The articles in one raw document, in page order.

    ``text`` documents are page dumps and may hold several articles; a ``record`` is one article
    whose given metadata (title, published, byline, url, source, source_id) wins over what the
    text suggests, unless empty. Raises ``ParseError`` naming ``raw.origin`` when no article text
    is found or the kind is not one this stage reads.
    """
    if raw.kind not in _KINDS:
        raise ParseError(f"cannot structure a {raw.kind!r} document (expected text or record)", source=raw.origin)
    rules = load_rules()
    raw = _valid_unicode(raw)
    token, content = split_store_token(raw.content or "")
    lines = join_wrapped([clean_line(x) for x in content.splitlines()], rules)
    given_title = clean_line(raw.title or "") or None
    segments = split_dump(lines, rules)
    if raw.kind == "record":  # one article: keep only its headline printings
        segments = [Segment(0, len(lines), segments[0].cluster)]
    articles: list[Article] = []
    for n, seg in enumerate(segments):
        draft = _read_segment(lines, seg, given_title if n == 0 else None, rules)
        article = _article(raw, draft, token if n == 0 else None, rules, first=n == 0)
        if article is not None:
            articles.append(article)
    if not articles:
        one = _one_line_article(raw, lines, token, given_title, rules)
        articles = [] if one is None else [one]
    if not articles:
        raise ParseError("no article text found", source=raw.origin)
    return articles
