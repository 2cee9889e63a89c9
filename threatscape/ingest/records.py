"""JSON records -> RawDocument: JSONL streamed line by line, or a JSON list of records.

A record is an object ``{"id", "text", "title"?, "url"?, "published"?, "source"?, "byline"?}``.
A line that is not JSON, not an object, or has no non-empty ``text`` yields an ``IngestFailure``
naming ``file:LINE``; the lines after it are still read. Lines are capped at ``max_bytes`` each,
so a corpus of any size streams in bounded memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, BinaryIO

from threatscape.ingest.decode import clean_text, repair_mojibake
from threatscape.model import IngestFailure, RawDocument

__all__ = ["iter_json_records", "iter_jsonl", "normalise_date", "record_to_document"]

READ_CHUNK = 1 << 20  # bytes read at a time while skipping the rest of an over-long line


def normalise_date(value: str | None) -> str | None:
    """ISO 8601 or RFC 2822 date -> YYYY-MM-DD; other strings are kept as given; blank -> None."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return value


def _field(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, (dict, list)):
        return None
    text = clean_text(repair_mojibake(str(value))).strip()
    return text or None


def record_to_document(record: Any, origin: str) -> RawDocument | IngestFailure:
    """One parsed JSON value -> RawDocument(kind="record"), or a failure saying what is wrong."""
    if not isinstance(record, dict):
        return IngestFailure(origin, f"record is a JSON {type(record).__name__}, not an object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return IngestFailure(origin, "record has no text" if text is None else "record has empty text")
    content = clean_text(repair_mojibake(text)).strip()
    if not content:
        return IngestFailure(origin, "record has empty text")
    return RawDocument(
        origin=origin,
        kind="record",
        content=content,
        source_id=_field(record, "id"),
        title=_field(record, "title"),
        url=_field(record, "url"),
        source=_field(record, "source"),
        published=normalise_date(_field(record, "published")),
        byline=_field(record, "byline") or _field(record, "author"),
    )


def _parse_line(raw: bytes, origin: str) -> RawDocument | IngestFailure:
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return IngestFailure(origin, f"line is not valid UTF-8 (byte {exc.start})")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return IngestFailure(origin, f"bad JSON ({exc.msg}, column {exc.colno})")
    except RecursionError:
        return IngestFailure(origin, "bad JSON (nested too deeply)")
    return record_to_document(record, origin)


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while True:
        chunk = stream.readline(READ_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def iter_jsonl(
    stream: BinaryIO, name: str, max_line_bytes: int, *, first_line: int = 1
) -> Iterator[RawDocument | IngestFailure]:
    """Each non-blank line of ``stream`` -> RawDocument or IngestFailure (origin ``name:LINE``);
    ``first_line``: the number of the stream's first line (a slice of a file, ``threatscape batch``)."""
    number = first_line - 1
    while True:
        raw = stream.readline(max_line_bytes + 1)
        if not raw:
            return
        number += 1
        origin = f"{name}:{number}"
        if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield IngestFailure(origin, f"line is longer than the cap of {max_line_bytes} bytes")
            continue
        if not raw.strip():
            continue
        yield _parse_line(raw, origin)


def iter_json_records(text: str, name: str) -> Iterator[RawDocument | IngestFailure]:
    """A JSON document holding one record or a list of records (origin ``name[INDEX]``)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield IngestFailure(name, f"bad JSON ({exc.msg}, line {exc.lineno} column {exc.colno})")
        return
    except RecursionError:
        yield IngestFailure(name, "bad JSON (nested too deeply)")
        return
    if isinstance(value, dict):
        yield record_to_document(value, name)
        return
    if not isinstance(value, list):
        yield IngestFailure(name, f"JSON holds a {type(value).__name__}, not records")
        return
    for index, record in enumerate(value):
        yield record_to_document(record, f"{name}[{index}]")
