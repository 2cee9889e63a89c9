"""The ingest loop: sources -> raw documents, every failure recorded and the loop going on.

Each source is opened as a byte stream; its format comes from the file extension (or the
Content-Type of a fetched URL), else from its first bytes. JSONL streams line by line whatever its
size; every other format is read up to ``Settings.max_bytes`` and refused beyond it without
reading further.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from threatscape.errors import ThreatscapeError
from threatscape.ingest.decode import declared_encoding, decode_bytes
from threatscape.ingest.failures import failure_from
from threatscape.ingest.feeds import iter_feed
from threatscape.ingest.fetch import fetch
from threatscape.ingest.formats import (
    HEAD_BYTES,
    format_from_content_type,
    format_from_name,
    sniff_format,
)
from threatscape.ingest.inputs import Source, expand_inputs
from threatscape.ingest.pages import read_page
from threatscape.ingest.records import iter_json_records, iter_jsonl
from threatscape.model import IngestFailure, RawDocument
from threatscape.settings import Settings

__all__ = ["iter_documents"]

Item = RawDocument | IngestFailure


class _Prefixed(io.RawIOBase):
    """A binary stream that replays ``head`` before the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _from_bytes(
    data: bytes, fmt: str, origin: str, settings: Settings, url: str | None, content_type: str | None = None
) -> Iterator[Item]:
    if fmt == "feed":
        yield from iter_feed(data, origin, settings, base_url=url)
        return
    if fmt == "jsonl":
        yield from iter_jsonl(io.BytesIO(data), origin, settings.max_bytes)
        return
    text = decode_bytes(data, declared=declared_encoding(data, content_type))
    if fmt == "json":
        yield from iter_json_records(text, origin)
    elif fmt == "html":
        yield read_page(text, origin, url=url)
    else:
        yield RawDocument(origin=origin, kind="text", content=text, url=url)


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes, looping over short reads (pipes, raw streams)."""
    chunks: list[bytes] = []
    while size > 0:
        chunk = stream.read(size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _read_stream(stream: BinaryIO, origin: str, settings: Settings, *, size: int | None) -> Iterator[Item]:
    head = _read_up_to(stream, HEAD_BYTES)
    fmt = format_from_name(origin) or sniff_format(head)
    if fmt == "jsonl":
        yield from iter_jsonl(io.BufferedReader(_Prefixed(head, stream)), origin, settings.max_bytes)
        return
    cap = settings.max_bytes
    if size is not None and size > cap:
        yield IngestFailure(origin, f"file is {size} bytes, over the cap of {cap} bytes")
        return
    data = head + _read_up_to(stream, cap + 1 - len(head))
    if len(data) > cap:
        yield IngestFailure(origin, f"input is larger than the cap of {cap} bytes")
        return
    yield from _from_bytes(data, fmt, origin, settings, None)


def _read_path(path: str, settings: Settings) -> Iterator[Item]:
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is drained
    except OSError as exc:
        yield IngestFailure(path, f"cannot open: {exc.strerror or exc}")
        return
    with stream:
        size = os.fstat(stream.fileno()).st_size
        yield from _read_stream(stream, path, settings, size=size)


def _read_url(url: str, settings: Settings) -> Iterator[Item]:
    fetched = fetch(url, settings)
    fmt = sniff_format(fetched.content[:HEAD_BYTES])
    if fmt == "text":
        fmt = format_from_content_type(fetched.content_type) or format_from_name(fetched.url) or "text"
    yield from _from_bytes(fetched.content, fmt, url, settings, fetched.url, fetched.content_type)


def _read_source(source: Source, settings: Settings, stdin: BinaryIO | None) -> Iterator[Item]:
    if source.kind == "url":
        yield from _read_url(source.ref, settings)
    elif source.kind == "stdin":
        yield from _read_stream(stdin or sys.stdin.buffer, "-", settings, size=None)
    else:
        yield from _read_path(source.ref, settings)


def iter_documents(
    inputs: Sequence[str], settings: Settings, *, stdin: BinaryIO | None = None
) -> Iterator[RawDocument | IngestFailure]:
    """Read every input (paths, folders, globs, "-", http(s) URLs) into raw documents.

    Never raises for bad input: each problem is yielded as an ``IngestFailure`` naming the input
    and the reason, and the iteration goes on with the next input.
    """
    names = (inputs,) if isinstance(inputs, str) else tuple(inputs)  # one name, not its characters
    for source in expand_inputs(names):
        if isinstance(source, IngestFailure):
            yield source
            continue
        try:
            yield from _read_source(source, settings, stdin)
        except ThreatscapeError as exc:
            yield failure_from(exc, source.ref)
        except (OSError, ValueError, RecursionError, MemoryError) as exc:
            yield IngestFailure(source.ref, f"cannot read: {type(exc).__name__}: {exc}".splitlines()[0])
