"""Analysts' corrections: stored apart from the extracted facts, never overwriting them.

A correction names a fact (``kind`` ``event``, ``claim`` or ``relation``; its id; its article and
evidence span), a ``field`` and the new ``value``, who made it and when. It is applied wherever
the fact is read for an analyst: events before fusion (``apply_to_events``, so the fused events,
the events list, its exports and the brief all show it), claims when the brief reads them
(``apply_to_claims``). Corrections survive ``threatscape reextract``: a fact extracted again
keeps its id when its span does not move, and otherwise is found by its article and an
overlapping evidence span of the same kind.

Fields and values (JSON):

- ``type``: ``{"type": ..., "sub_type": ...}`` (ACLED names);
- ``place``: ``{"name", "admin1", "country", "country_code", "lat", "lon"}`` (name required);
- ``date``: ``{"start": "YYYY-MM-DD", "end": ..., "precision": "day"|"month"|...}``;
- ``toll``: ``{"best": n, "low": n, "high": n}``;
- ``speaker``: ``{"speaker": actor id}``; ``stance``: ``{"stance": ...}`` (claims);
- ``wrong``: ``{}``: the fact is not so; it is left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from threatscape.errors import ConfigError
from threatscape.model import DateSpan, Event, Fatalities, Place
from threatscape.store import schema as t

__all__ = [
    "FIELDS",
    "Correction",
    "add_correction",
    "apply_to_claims",
    "apply_to_events",
    "drop_wrong_relations",
    "read_corrections",
    "training_records",
]

FIELDS = {
    "event": ("type", "place", "date", "toll", "wrong"),
    "claim": ("speaker", "stance", "wrong"),
    "relation": ("wrong",),
}
STANCES = ("assert", "accuse", "deny", "demand", "criticize", "warn", "threaten", "claim_responsibility")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Correction:
    seq: int
    kind: str
    fact_id: str
    article_id: str
    ev_start: int | None
    ev_end: int | None
    field: str
    value: dict[str, Any]
    author: str
    created_at: str
    note: str | None = None

    def fits(self, kind: str, fact_id: str, article_id: str, start: int | None, end: int | None) -> bool:
        """Whether this correction is about that fact: the same id, or (the fact extracted again
        under another id) the same article and an overlapping span of the same kind."""
        if kind != self.kind or article_id != self.article_id:
            return False
        if fact_id == self.fact_id:
            return True
        if None in (start, end, self.ev_start, self.ev_end):
            return False
        return start < self.ev_end and self.ev_start < end  # type: ignore[operator]


def _check(kind: str, field: str, value: dict[str, Any]) -> dict[str, Any]:
    if kind not in FIELDS:
        raise ConfigError(f"cannot correct a {kind!r} (an event, a claim or a relation)")
    if field not in FIELDS[kind]:
        raise ConfigError(f"a {kind}'s {field!r} cannot be corrected (one of: {', '.join(FIELDS[kind])})")
    if field == "type" and not str(value.get("type") or "").strip():
        raise ConfigError("a type correction needs the ACLED event type")
    if field == "place" and not str(value.get("name") or "").strip():
        raise ConfigError("a place correction needs the place's name")
    if field == "date":
        for key in ("start", "end"):
            if value.get(key) and not _DAY.fullmatch(str(value[key])):
                raise ConfigError(f"date {key} must be YYYY-MM-DD, not {value[key]!r}")
        if not value.get("start"):
            raise ConfigError("a date correction needs its start day")
    if field == "toll":
        for key in ("best", "low", "high"):
            if value.get(key) is not None and (not isinstance(value[key], int) or value[key] < 0):
                raise ConfigError(f"toll {key} must be a whole number of at least 0, not {value[key]!r}")
    if field == "stance" and value.get("stance") not in STANCES:
        raise ConfigError(f"stance must be one of {', '.join(STANCES)}")
    if field == "speaker" and not str(value.get("speaker") or "").strip():
        raise ConfigError("a speaker correction needs the actor id")
    return value


def add_correction(
    conn: Connection,
    *,
    kind: str,
    fact_id: str,
    article_id: str,
    span: tuple[int, int] | None,
    field: str,
    value: dict[str, Any],
    author: str,
    note: str | None = None,
) -> None:
    """Store one correction (inside the caller's write transaction)."""
    if not author.strip():
        raise ConfigError("a correction needs who makes it")
    conn.execute(
        insert(t.corrections).values(
            kind=kind,
            fact_id=fact_id,
            article_id=article_id,
            ev_start=span[0] if span else None,
            ev_end=span[1] if span else None,
            field=field,
            value=_check(kind, field, dict(value)),
            author=author.strip(),
            note=note,
            created_at=datetime.now(UTC),
        )
    )


def read_corrections(conn: Connection, kind: str | None = None) -> list[Correction]:
    """Every stored correction (of ``kind``), oldest first: a later one on the same field wins."""
    c = t.corrections.c
    query = select(t.corrections).order_by(c.seq)
    if kind:
        query = query.where(c.kind == kind)
    out = []
    for r in conn.execute(query):
        at = r.created_at.isoformat() if hasattr(r.created_at, "isoformat") else str(r.created_at)
        out.append(
            Correction(
                r.seq,
                r.kind,
                r.fact_id,
                r.article_id,
                r.ev_start,
                r.ev_end,
                r.field,
                dict(r.value or {}),
                r.author,
                at,
                r.note,
            )
        )
    return out


def _corrected_event(event: Event, fixes: Sequence[Correction]) -> Event | None:
    for fix in fixes:
        v = fix.value
        if fix.field == "wrong":
            return None
        if fix.field == "type":
            event = replace(event, type=str(v["type"]), sub_type=v.get("sub_type") or None)
        elif fix.field == "place":
            event = replace(
                event,
                location=Place(
                    name=str(v["name"]),
                    admin1=v.get("admin1") or None,
                    country=v.get("country") or None,
                    country_code=v.get("country_code") or None,
                    lat=v.get("lat"),
                    lon=v.get("lon"),
                    precision="point" if v.get("lat") is not None else "region",
                ),
            )
        elif fix.field == "date":
            event = replace(event, date=DateSpan(v["start"], v.get("end") or v["start"], v.get("precision") or "day"))
        elif fix.field == "toll":
            best = v.get("best")
            event = replace(event, fatalities=Fatalities(best, v.get("low", best), v.get("high", best)))
    return event


def apply_to_events(
    rows: Sequence[tuple[str, str | None, Event]], fixes: Sequence[Correction]
) -> list[tuple[str, str | None, Event]]:
    """The stored events with the corrections applied (an event marked wrong left out)."""
    if not fixes:
        return list(rows)
    out = []
    for article_id, story_id, event in rows:
        mine = [f for f in fixes if f.fits("event", event.id, article_id, event.evidence.start, event.evidence.end)]
        fixed = _corrected_event(event, mine) if mine else event
        if fixed is not None:
            out.append((article_id, story_id, fixed))
    return out


def apply_to_claims(rows: Sequence[Any], fixes: Sequence[Correction]) -> list[Any]:
    """Claim rows (with ``id``, ``article_id``, ``speaker``, ``stance`` and perhaps ``ev_start``/
    ``ev_end``) with the corrections applied, as objects with the same attributes; a claim marked
    wrong left out."""
    from types import SimpleNamespace

    if not fixes:
        return list(rows)
    out: list[Any] = []
    for row in rows:
        d = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
        mine = [
            f
            for f in fixes
            if f.fits("claim", str(d.get("id")), str(d.get("article_id")), d.get("ev_start"), d.get("ev_end"))
        ]
        if any(f.field == "wrong" for f in mine):
            continue
        for f in mine:
            if f.field in ("speaker", "stance"):
                d[f.field] = f.value[f.field]
        out.append(SimpleNamespace(**d))
    return out


def drop_wrong_relations(rows: Sequence[Any], fixes: Sequence[Correction]) -> list[Any]:
    """Relation rows (with ``id``, ``article_id``, ``ev_start``, ``ev_end``) without those an
    analyst marked wrong."""
    wrong = [f for f in fixes if f.kind == "relation" and f.field == "wrong"]
    if not wrong:
        return list(rows)
    return [
        r
        for r in rows
        if not any(f.fits("relation", str(r.id), str(r.article_id), r.ev_start, r.ev_end) for f in wrong)
    ]


def training_records(conn: Connection) -> list[dict[str, Any]]:
    """The event corrections as records of the learned layer's training corpus
    (``threatscape/data/training/events/WRITING.md``): the evidence sentence, with the corrected
    type, or as a non-event (``kind`` ``other``) when the analyst marked it wrong. The source's
    register is not known; ``wire`` stands for it. The last correction of each fact's type wins."""
    fixes = read_corrections(conn, "event")
    if not fixes:
        return []
    events = {
        (r.article_id, r.id): dict(r.data or {})
        for r in conn.execute(select(t.events.c.article_id, t.events.c.id, t.events.c.data))
    }
    bodies: dict[str, str] = {i: b for i, b in conn.execute(select(t.articles.c.id, t.articles.c.body))}
    by_fact: dict[tuple[str, str], list[Correction]] = {}
    for fix in fixes:
        by_fact.setdefault((fix.article_id, fix.fact_id), []).append(fix)
    out = []
    for (article_id, fact_id), mine in by_fact.items():
        data = events.get((article_id, fact_id), {})
        body = bodies.get(article_id) or ""
        ev = data.get("evidence") or {}
        start, end = ev.get("start", mine[0].ev_start), ev.get("end", mine[0].ev_end)
        if start is None or end is None or not body:
            continue
        wrong = any(f.field == "wrong" for f in mine)
        typed = [f for f in mine if f.field == "type"]
        placed = [f for f in mine if f.field == "place"]
        country = (placed[-1].value.get("country") if placed else None) or (data.get("location") or {}).get("country")
        record: dict[str, Any] = {
            "id": f"analyst-{mine[-1].seq:06d}",
            "text": body[start:end],
            "event": not wrong,
            "acled_type": None if wrong else (typed[-1].value["type"] if typed else data.get("type")),
            "acled_sub_type": None if wrong else (typed[-1].value.get("sub_type") if typed else data.get("sub_type")),
            "plover": None if wrong else data.get("plover"),
            "country": country or "unknown",
            "register": "wire",
            "spans": {},
            "pair": None,
            "kind": "other" if wrong else None,
        }
        out.append(record)
    return out
