"""The plain model of a sanctions list: ``SanctionsList``, its ``Entry``s and their ``Alias``es.

Readers (``lists``, ``lists_un``) make them; matching and screening read them; the database keeps
them as ``entry_to_dict`` data (``entry_from_dict`` reads it back).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, fields
from typing import Any

__all__ = [
    "ALIAS_QUALITIES",
    "Alias",
    "Entry",
    "SanctionsList",
    "content_version",
    "entry_from_dict",
    "entry_to_dict",
    "refs_in",
]

# alias qualities, as the lists give them: UN individuals Good/Low, UN entities a.k.a./f.k.a.
ALIAS_QUALITIES = ("good", "low", "aka", "fka", "acronym", "weak")
_REF = re.compile(r"\b[A-Z]{2}[ie]\.\d{3}\b")


@dataclass(frozen=True)
class Alias:
    name: str
    quality: str  # one of ALIAS_QUALITIES


@dataclass(frozen=True)
class Entry:
    """One listed person or organisation."""

    list: str
    ref: str
    type: str  # person | organization
    name: str
    aliases: tuple[Alias, ...] = ()
    titles: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # nationality, addresses, places of birth: names or ISO codes
    birth_dates: tuple[str, ...] = ()  # YYYY, YYYY-MM-DD or YYYY-YYYY (a range)
    listed_on: str | None = None
    comments: str = ""
    links: tuple[str, ...] = ()  # other listings the comments cross-reference (QDe.132 ...)
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class SanctionsList:
    name: str
    version: str
    source: str
    entries: tuple[Entry, ...]


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """An entry as JSON-ready data (``entry_from_dict`` reverses it)."""
    out = {f.name: getattr(entry, f.name) for f in fields(Entry)}
    out["aliases"] = [{"name": a.name, "quality": a.quality} for a in entry.aliases]
    for key in ("titles", "countries", "birth_dates", "links"):
        out[key] = list(out[key])
    return out


def entry_from_dict(data: dict[str, Any]) -> Entry:
    aliases = tuple(Alias(str(a["name"]), str(a["quality"])) for a in data.get("aliases") or [])
    return Entry(
        list=str(data["list"]),
        ref=str(data["ref"]),
        type=str(data["type"]),
        name=str(data["name"]),
        aliases=aliases,
        titles=tuple(data.get("titles") or ()),
        countries=tuple(data.get("countries") or ()),
        birth_dates=tuple(data.get("birth_dates") or ()),
        listed_on=data.get("listed_on"),
        comments=str(data.get("comments") or ""),
        links=tuple(data.get("links") or ()),
        data=dict(data.get("data") or {}),
    )


def refs_in(text: str, own: str = "") -> tuple[str, ...]:
    """Reference numbers of other listings mentioned in ``text``, in order, once each."""
    seen = dict.fromkeys(r for r in _REF.findall(text or "") if r != own)
    return tuple(seen)


def content_version(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()[:16]
