"""Which reader a document needs: by file extension, then Content-Type, then its first bytes.

Formats: ``text`` (plain text and page dumps), ``html``, ``feed`` (RSS/Atom/RDF), ``jsonl``
(one JSON record per line) and ``json`` (a list of records).
"""

from __future__ import annotations

import codecs
import re

from threatscape.ingest.decode import detect_bom
from threatscape.ingest.feeds import looks_like_feed

__all__ = ["FORMATS", "format_from_content_type", "format_from_name", "sniff_format"]

FORMATS = ("text", "html", "feed", "jsonl", "json")
HEAD_BYTES = 8192  # bytes of a document examined to sniff its format
_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
}
_CONTENT_TYPES = (
    ("html", "html"),
    ("rss", "feed"),
    ("atom", "feed"),
    ("rdf", "feed"),
    ("xml", "feed"),
    ("ndjson", "jsonl"),
    ("jsonl", "jsonl"),
    ("json-seq", "jsonl"),
    ("json", "json"),
)
_HTML_START = re.compile(r"<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_JSON_OBJECT_LINE = re.compile(r"\{.*\}\s*$")


def format_from_name(name: str) -> str | None:
    """The format a file extension names, or None."""
    lowered = name.lower()
    for extension, fmt in _EXTENSIONS.items():
        if lowered.endswith(extension):
            return fmt
    return None


def format_from_content_type(content_type: str | None) -> str | None:
    """The format an HTTP Content-Type names (text/plain says nothing), or None."""
    if not content_type:
        return None
    media = content_type.split(";", 1)[0].strip().lower()
    for marker, fmt in _CONTENT_TYPES:
        if marker in media:
            return fmt
    return None


def _head_text(head: bytes) -> str:
    bom = detect_bom(head)
    encoding, skip = bom if bom else ("utf-8", 0)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode(head[skip:HEAD_BYTES]).lstrip()


def sniff_format(head: bytes) -> str:
    """The format the first bytes of a document look like; ``text`` when nothing else fits."""
    text = _head_text(head)
    if text.startswith("{"):
        first = text.split("\n", 1)[0]
        return "jsonl" if _JSON_OBJECT_LINE.match(first) or "\n{" in text else "json"
    if text.startswith("["):
        return "json"
    if looks_like_feed(text) and not _HTML_START.search(text[:1024]):
        return "feed"
    if _HTML_START.search(text[:2048]):
        return "html"
    return "text"
