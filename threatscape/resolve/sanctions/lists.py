"""Sanctions lists in, one plain model out: the UN consolidated XML, FollowTheMoney JSON lines, CSV.

``read_list(data, source)`` sniffs the format and returns a ``SanctionsList``. XML is parsed with
defusedxml: a document that declares entities (external entities, entity-expansion bombs) is
refused with a ``ParseError``. The UN format (``CONSOLIDATED_LIST``) is read in ``lists_un``.

The CSV format (UTF-8, a header row; ``|`` separates several values in one cell)::

    ref,type,name,aliases,countries,birth_dates,titles,listed_on,comments
    XX.001,person,Jane Roe,J. Roe|Jane Doe,PK,1970-01-02,Mufti,2020-01-01,Leader of ...

``ref``, ``type`` (``person`` or ``organization``) and ``name`` are required; the rest optional.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from threatscape.errors import InputError, ParseError
from threatscape.resolve.sanctions.entries import (
    ALIAS_QUALITIES,
    Alias,
    Entry,
    SanctionsList,
    content_version,
    entry_from_dict,
    entry_to_dict,
    refs_in,
)

__all__ = [
    "ALIAS_QUALITIES",
    "CSV_COLUMNS",
    "Alias",
    "Entry",
    "SanctionsList",
    "entry_from_dict",
    "entry_to_dict",
    "read_csv",
    "read_ftm",
    "read_list",
    "read_list_file",
]

CSV_COLUMNS = ("ref", "type", "name", "aliases", "countries", "birth_dates", "titles", "listed_on", "comments")
ENTITY_TYPES = ("person", "organization")
_FTM_TYPES = {
    "Person": "person",
    "Organization": "organization",
    "LegalEntity": "organization",
    "Company": "organization",
    "PublicBody": "organization",
}


def read_list(data: bytes, source: str, name: str | None = None) -> SanctionsList:
    """Parse a list in any supported format (sniffed from the content)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    stem = Path(source.split("?", 1)[0].rstrip("/")).stem or "list"
    if head.startswith(b"<"):
        from threatscape.resolve.sanctions.lists_un import read_un_xml

        return read_un_xml(data, source, name=name or "un-sc")
    if head.startswith(b"{"):
        return read_ftm(data, source, name=name or stem)
    return read_csv(data, source, name=name or stem)


def read_list_file(path: str | Path, name: str | None = None) -> SanctionsList:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the list: {exc.strerror or exc}", source=str(p)) from exc
    return read_list(data, str(p), name=name)


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (cell or "").split("|") if v.strip())


def _csv_entry(row: dict[str, str], list_name: str, where: str) -> Entry:
    ref, kind, name = (row.get(k, "").strip() for k in ("ref", "type", "name"))
    if not ref or not name:
        raise ParseError("a row needs a ref and a name", source=where)
    if kind not in ENTITY_TYPES:
        raise ParseError(f"type must be person or organization, not {kind!r}", source=where)
    comments = (row.get("comments") or "").strip()
    return Entry(
        list=list_name,
        ref=ref,
        type=kind,
        name=name,
        aliases=tuple(Alias(a, "aka") for a in _split(row.get("aliases"))),
        titles=_split(row.get("titles")),
        countries=_split(row.get("countries")),
        birth_dates=_split(row.get("birth_dates")),
        listed_on=(row.get("listed_on") or "").strip() or None,
        comments=comments,
        links=refs_in(comments, ref),
        data={k: v for k, v in row.items() if k and v},
    )


def read_csv(data: bytes, source: str, name: str) -> SanctionsList:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"the CSV list is not UTF-8: {exc.reason}", source=source) from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = {"ref", "type", "name"} - set(reader.fieldnames or ())
    if missing:
        raise ParseError(
            f"not a sanctions list: the CSV lacks column(s) {', '.join(sorted(missing))} "
            f"(expected {', '.join(CSV_COLUMNS)})",
            source=source,
        )
    entries = [_csv_entry(row, name, f"{source}:{i}") for i, row in enumerate(reader, start=2)]
    return SanctionsList(name=name, version=content_version(data), source=source, entries=tuple(entries))


def _ftm_values(props: dict[str, Any], *keys: str) -> list[str]:
    out: list[str] = []
    for key in keys:
        values = props.get(key) or []
        out.extend(str(v).strip() for v in (values if isinstance(values, list) else [values]) if str(v).strip())
    return out


def _ftm_entry(obj: dict[str, Any], list_name: str) -> Entry | None:
    kind = _FTM_TYPES.get(str(obj.get("schema", "")))
    props = obj.get("properties") or {}
    names = _ftm_values(props, "name")
    if kind is None or not names or not obj.get("id"):
        return None
    aliases = [Alias(n, "aka") for n in names[1:] + _ftm_values(props, "alias", "previousName")]
    aliases += [Alias(n, "weak") for n in _ftm_values(props, "weakAlias")]
    notes = " ".join(_ftm_values(props, "notes", "summary", "description"))
    return Entry(
        list=list_name,
        ref=str(obj["id"]),
        type=kind,
        name=names[0],
        aliases=tuple(aliases),
        titles=tuple(_ftm_values(props, "title")),
        countries=tuple(_ftm_values(props, "nationality", "citizenship", "country", "jurisdiction")),
        birth_dates=tuple(_ftm_values(props, "birthDate", "incorporationDate")),
        listed_on=next(iter(_ftm_values(props, "createdAt")), None) or obj.get("first_seen"),
        comments=notes,
        links=refs_in(notes),
        data=obj,
    )


def _json_lines(data: bytes, source: str) -> Iterable[dict[str, Any]]:
    for number, line in enumerate(data.decode("utf-8-sig", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParseError(f"bad JSON line: {exc.msg}", source=f"{source}:{number}") from exc
        if not isinstance(obj, dict):
            raise ParseError("a JSON line is not an object", source=f"{source}:{number}")
        yield obj


def read_ftm(data: bytes, source: str, name: str) -> SanctionsList:
    """FollowTheMoney entities, one JSON object a line (OpenSanctions ``entities.ftm.json``)."""
    entries = [e for obj in _json_lines(data, source) if (e := _ftm_entry(obj, name)) is not None]
    if not entries:
        raise ParseError("no Person or Organization entities in the JSON lines", source=source)
    return SanctionsList(name=name, version=content_version(data), source=source, entries=tuple(entries))
