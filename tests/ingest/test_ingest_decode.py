"""decode_bytes: BOMs, cp1252, mojibake, binary and empty input."""

from __future__ import annotations

import pytest

from threatscape.errors import InputError
from threatscape.ingest.decode import clean_text, declared_encoding, decode_bytes, repair_mojibake

QUOTE = "The commander said \u201cthe caf\u00e9 in Goma was hit\u201d \u2014 it\u2019s the third attack this week."


def as_mojibake(text: str) -> str:
    """UTF-8 bytes read as cp1252, undefined bytes kept as latin-1 (what browsers and editors do)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_unicode_encodings_with_and_without_bom(encoding: str) -> None:
    assert decode_bytes(QUOTE.encode(encoding)) == QUOTE


def test_utf16_bom_text_is_not_taken_for_binary_despite_nul_bytes() -> None:
    data = ("Line one\nLine two\n" * 50).encode("utf-16")
    assert b"\x00" in data
    assert decode_bytes(data).startswith("Line one\nLine two")


def test_cp1252_curly_quotes_and_accents_come_out_right() -> None:
    assert decode_bytes(QUOTE.encode("cp1252")) == QUOTE


def test_cp1252_short_accented_text_is_not_read_as_cp1250() -> None:
    text = "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00e0 la fa\u00e7ade"
    assert decode_bytes(text.encode("cp1252")) == text


def test_cyrillic_single_byte_text_keeps_its_encoding() -> None:
    text = "Боевики атаковали блокпост на границе, сообщили официальные лица."
    assert decode_bytes(text.encode("cp1251")) == text


def test_mojibake_is_repaired() -> None:
    broken = as_mojibake(QUOTE)
    assert "â€™" in broken and "Ã©" in broken
    assert decode_bytes(broken.encode("utf-8")) == QUOTE


def test_latin1_mojibake_with_c1_controls_is_repaired() -> None:
    broken = QUOTE.encode("utf-8").decode("latin-1")
    assert decode_bytes(broken.encode("utf-8")) == QUOTE


def test_repair_leaves_correct_accented_text_alone() -> None:
    text = "Pr\u00e9sident Tshisekedi a d\u00e9clar\u00e9 \u00e0 Kinshasa: \u00ab non \u00bb. \u00c0 bient\u00f4t."
    assert repair_mojibake(text) == text


def test_clean_text_drops_control_characters_but_keeps_newlines_and_tabs() -> None:
    assert clean_text("a\x00b\x07c\r\nd\te\rf\x1b") == "abc\nd\te\nf"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", "\ufeff  ".encode()])
def test_empty_input(data: bytes) -> None:
    with pytest.raises(InputError, match="empty file"):
        decode_bytes(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(100) + b"stream",
        bytes(range(1, 32)) * 40,
    ],
    ids=["png", "pdf-with-nul", "control-characters"],
)
def test_binary_input(data: bytes) -> None:
    with pytest.raises(InputError, match="binary file"):
        decode_bytes(data)


def test_damaged_utf8_stays_utf8() -> None:
    data = QUOTE.encode("utf-8") + b" One byte went bad: \xc5 here." + QUOTE.encode("utf-8")
    assert decode_bytes(data) == QUOTE + " One byte went bad: \ufffd here." + QUOTE


def test_central_european_cp1250_is_not_forced_to_cp1252() -> None:
    text = "Příliš žluťoučký kůň úpěl ďábelské ódy. Vojáci zaútočili na město."
    assert decode_bytes(text.encode("cp1250")) == text


@pytest.mark.parametrize(
    ("head", "content_type", "expected"),
    [
        (b'<html><head><meta charset="windows-1256">', None, "cp1256"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">', None, "koi8-r"),
        (b'<?xml version="1.0" encoding="ISO-8859-2"?><rss>', None, "iso8859-2"),
        (b"<html>", "text/html; charset=ISO-8859-1", "cp1252"),  # what browsers do with latin-1
        (b'<meta charset="no-such-charset">', None, None),
        (b"plain text", None, None),
    ],
)
def test_declared_encoding(head: bytes, content_type: str | None, expected: str | None) -> None:
    assert declared_encoding(head, content_type) == expected


def test_declared_encoding_decides_when_the_bytes_fit_it() -> None:
    text = "Ответственность за нападение на пост взяла на себя группировка."
    data = text.encode("koi8-r")
    assert decode_bytes(data, declared="koi8-r") == text
    assert decode_bytes(QUOTE.encode("utf-8"), declared="cp1256") == QUOTE  # valid UTF-8 wins over a declaration
