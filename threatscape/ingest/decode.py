"""Bytes -> clean text: a chain of small steps with named thresholds.

``decode_bytes`` runs, in order:

1. ``detect_bom``: UTF-32 / UTF-16 / UTF-8 byte-order marks decide the encoding outright;
2. ``looks_binary``: NUL bytes (outside UTF-16) mean a binary file;
3. strict UTF-8, or UTF-8 with replacement when valid multi-byte characters far outnumber the
   invalid bytes (a damaged UTF-8 file, not another encoding);
4. the declared encoding (HTTP Content-Type, ``<meta charset>``, XML declaration) if the bytes
   are valid in it;
5. ``guess_encoding``: charset-normalizer's best guess, except that a Mac/ISO sibling of a Windows
   code page becomes that code page when the bytes are valid in it (news text in the wild is
   cp1252/cp1251 far more often than cp1250 or mac_cyrillic, which short texts tend to get);
6. ``repair_mojibake``: UTF-8 that was read as cp1252/latin-1 ("â€™", "Ã©") is put right, run by
   run, only where the run decodes as UTF-8;
7. ``clean_text``: newlines normalised, control characters other than ``\\n`` and ``\\t`` removed;
   a text still dense with control characters is binary.

Failures raise ``InputError`` with a short reason ("empty file", "binary file").
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from threatscape.errors import InputError

__all__ = [
    "clean_text",
    "decode_bytes",
    "declared_encoding",
    "detect_bom",
    "guess_encoding",
    "looks_binary",
    "repair_mojibake",
]

DECLARATION_BYTES = 4096  # where a <meta charset> or <?xml encoding?> is looked for
SNIFF_BYTES = 65_536  # bytes examined when sniffing for binary content or UTF-16 without BOM
UTF16_NUL_SHARE = 0.6  # share of NULs on one byte parity that marks BOM-less UTF-16
MOSTLY_UTF8_RATIO = 4  # valid UTF-8 multi-byte characters per invalid byte to keep UTF-8 anyway
MAX_CONTROL_SHARE = 0.05  # more control characters than this (after decoding) -> binary
# charset-normalizer often picks a Mac or ISO sibling of the Windows code page that news text in
# the wild actually uses (cp1250 for short French, mac_cyrillic for Russian). When its guess is one
# of these and the bytes are valid in the Windows code page, the Windows code page wins.
COHERENCE_MARGIN = 0.1  # how much less language coherence the Windows code page may show and still win
_LATIN = "cp1250 cp1254 cp1257 latin_1 iso8859_2 iso8859_9 iso8859_15 iso8859_16 mac_roman mac_latin2"
_CYRILLIC = "mac_cyrillic iso8859_5 cp855 cp866"
_GREEK = "mac_greek iso8859_7"
WINDOWS_PREFERRED = {
    **dict.fromkeys(_LATIN.split(), "cp1252"),
    **dict.fromkeys(_CYRILLIC.split(), "cp1251"),
    **dict.fromkeys(_GREEK.split(), "cp1253"),
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# A run of characters that UTF-8 bytes become when read as cp1252 or latin-1.
_MOJIBAKE_RUN = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]+"
)
_CHARSET = re.compile(r"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def detect_bom(data: bytes) -> tuple[str, int] | None:
    """The encoding named by a byte-order mark and the mark's length, or None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit on every other byte (ASCII-range UTF-16), else None."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= UTF16_NUL_SHARE * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= UTF16_NUL_SHARE * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """True when the sample holds NUL bytes and is not UTF-16 text."""
    sample = data[:SNIFF_BYTES]
    return b"\x00" in sample and _utf16_without_bom(sample) is None


def _valid_in(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def guess_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess, moved to the Windows code page of its family when that is
    as coherent (or the guess has no language evidence at all) and the bytes are valid in it."""
    matches = from_bytes(data[: SNIFF_BYTES * 4])
    best = matches.best()
    if best is None:
        return None
    preferred = WINDOWS_PREFERRED.get(best.encoding)
    if preferred is None or not _valid_in(data, preferred):
        return best.encoding
    sibling = next((m for m in matches if m.encoding == preferred), None)
    if best.coherence == 0 or (sibling is not None and sibling.coherence >= best.coherence - COHERENCE_MARGIN):
        return preferred
    return best.encoding


def _mojibake_bytes(run: str) -> bytes | None:
    out = bytearray()
    for char in run:
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                return None
            out.append(ord(char))
    return bytes(out)


def _repair_run(match: re.Match[str]) -> str:
    run = match.group(0)
    raw = _mojibake_bytes(run)
    if raw is None:
        return run
    try:
        fixed = raw.decode("utf-8")
    except UnicodeDecodeError:
        return run
    return fixed if len(fixed) < len(run) else run


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-cp1252/latin-1 ("â€™" -> "’", "Ã©" -> "é") where a run decodes cleanly."""
    for _ in range(2):  # twice covers text that was mis-decoded twice
        fixed = _MOJIBAKE_RUN.sub(_repair_run, text)
        if fixed == text:
            break
        text = fixed
    return text


def clean_text(text: str) -> str:
    """Normalise newlines, drop a leading BOM and control characters except newline and tab."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return _CONTROL.sub("", text)


def _control_share(text: str) -> float:
    sample = text[:SNIFF_BYTES]
    if not sample:
        return 0.0
    count = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    return count / len(sample)


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few damaged bytes: valid multi-byte sequences outnumber the invalid bytes."""
    sample = data[: SNIFF_BYTES * 4]
    text = sample.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - sample.count("\ufffd".encode())
    multibyte = sum(1 for c in text if ord(c) > 0x7F and c != "\ufffd")
    return multibyte > MOSTLY_UTF8_RATIO * invalid


def declared_encoding(data: bytes, content_type: str | None = None) -> str | None:
    """The charset a Content-Type header, an HTML ``<meta>`` or an XML declaration names, if known.

    Labels that browsers read as windows-1252 (latin-1, ascii) are returned as cp1252.
    """
    match = _CHARSET.search(content_type or "") or _CHARSET.search(
        data[:DECLARATION_BYTES].decode("ascii", errors="replace")
    )
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1)).name
    except LookupError:
        return None
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def _decode_declared(data: bytes, declared: str | None) -> str | None:
    if declared is None or declared.replace("_", "-") in {"utf-8", "utf-16", "utf-32"}:
        return None  # Unicode declarations are handled by the BOM and UTF-8 steps
    try:
        return data.decode(declared)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_raw(data: bytes, declared: str | None) -> str:
    bom = detect_bom(data)
    if bom is not None:
        encoding, skip = bom
        return data[skip:].decode(encoding, errors="replace")
    utf16 = _utf16_without_bom(data[:SNIFF_BYTES])
    if utf16 is not None:
        return data.decode(utf16, errors="replace")
    if looks_binary(data):
        raise InputError("binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="replace")
    from_declaration = _decode_declared(data, declared)
    if from_declaration is not None:
        return from_declaration
    guessed = guess_encoding(data)
    if guessed is None:
        raise InputError("binary file")
    return data.decode(guessed, errors="replace")


def decode_bytes(data: bytes, *, declared: str | None = None) -> str:
    """Decode a document's bytes to clean text; raise InputError("empty file"/"binary file").

    ``declared`` (see ``declared_encoding``) is used when the bytes are not UTF-8 but are valid in it.
    """
    if not data.strip():
        raise InputError("empty file")
    text = _decode_raw(data, declared)
    text = repair_mojibake(text)
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise InputError("binary file")
    text = clean_text(text)
    if not text.strip():
        raise InputError("empty file")
    return text
