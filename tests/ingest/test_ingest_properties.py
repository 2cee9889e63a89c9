"""Invariant: whatever the bytes, the ingester yields RawDocument or IngestFailure and never raises."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threatscape.ingest import iter_documents
from threatscape.ingest.decode import decode_bytes
from threatscape.model import IngestFailure, RawDocument
from threatscape.settings import Settings

EXTENSIONS = ["", ".txt", ".html", ".jsonl", ".json", ".xml", ".rss", ".bin"]
PREFIXES = [
    b"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff\x00<",
    b"<!doctype html><html><body><p>",
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>',
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">',
    b'{"id": 1, "text": "',
    b'[{"id": 1, "text": "',
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
]
SETTINGS = Settings(max_bytes=4096, timeout=0.5, max_redirects=1)

documents = st.builds(lambda p, body: p + body, st.sampled_from(PREFIXES), st.binary(max_size=3000))
texty = st.builds(
    lambda p, body: p + body.encode("utf-8", errors="surrogatepass"),
    st.sampled_from(PREFIXES),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=600),
)


def check(items: list[object]) -> None:
    for item in items:
        assert isinstance(item, RawDocument | IngestFailure), item
        if isinstance(item, IngestFailure):
            assert item.reason and "\n" not in item.reason
            assert not item.reason.startswith("cannot read:"), item  # an unexpected error path was hit
        else:
            assert item.content.strip()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(documents, texty), extension=st.sampled_from(EXTENSIONS))
def test_no_file_bytes_crash_the_ingester(data: bytes, extension: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{extension}"
        path.write_bytes(data)
        check(list(iter_documents([str(path)], SETTINGS)))


@settings(max_examples=200, deadline=None)
@given(data=st.one_of(documents, texty))
def test_no_stdin_bytes_crash_the_ingester(data: bytes) -> None:
    check(list(iter_documents(["-"], SETTINGS, stdin=io.BytesIO(data))))


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2000))
def test_decoded_text_has_no_control_characters(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except Exception as exc:  # only the two documented reasons may stop decoding
        assert str(exc) in {"empty file", "binary file"}
        return
    assert text.strip()
    controls = [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]
    assert controls == []
