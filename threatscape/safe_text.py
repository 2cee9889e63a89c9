"""Article text made safe to show: the one check every output uses for links, and display text
stripped of the controls that spoof it.

A link from an article (its URL, a source's address) is written only when it is ``http`` or
``https``, read the way a browser reads it: leading spaces and control characters dropped, tabs
and line breaks inside the scheme ignored, case folded. So ``javascript:``, ``JaVaScRiPt:``,
``java<TAB>script:`` and ``data:text/html,...`` never become a link; they may still be shown as text.

Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) reorder what a reader
sees ("txt.exe" shown as "exe.txt"); display text (titles, names) loses them. Stored bodies keep
them, so evidence offsets never move.
"""

from __future__ import annotations

import re

__all__ = ["BIDI_CONTROLS", "display_text", "escape_markdown", "safe_url"]

SAFE_SCHEMES = frozenset({"http", "https"})
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_BIDI_RE = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
# what a URL parser drops before reading a scheme: C0 controls and space at the ends, tab/LF/CR anywhere
_EDGE = "".join(chr(c) for c in range(0x21))
_INNER_RE = re.compile("[\t\n\r]")
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]!|])")


def safe_url(url: str | None) -> str | None:
    """``url`` when a browser would open it as http(s), else None (no scheme, or any other scheme)."""
    if not url:
        return None
    cleaned = _INNER_RE.sub("", _BIDI_RE.sub("", url).strip(_EDGE))
    m = _SCHEME_RE.match(cleaned)
    if m is None or m.group(1).lower() not in SAFE_SCHEMES or not cleaned[m.end() :].startswith("//"):
        return None
    return cleaned


def display_text(text: str | None) -> str:
    """``text`` for a title, name or label: bidirectional controls removed."""
    return _BIDI_RE.sub("", text or "")


def escape_markdown(text: object) -> str:
    """Article text for a Markdown document: HTML and link syntax escaped, so nothing renders live."""
    s = display_text(str(text if text is not None else "")).replace("&", "&amp;")
    return _MD_SPECIAL.sub(r"\\\1", s).replace("<", "&lt;").replace(">", "&gt;")
