"""``threatscape sanctions``: load lists, diff versions, screen names, review uncertain matches.

Attached to the main group with ``cli.add_command(sanctions)``. Thin commands over
``threatscape.resolve.sanctions`` and ``threatscape.store.sanctions``; errors are
``ThreatscapeError`` (the main entry point prints them). Machine output on stdout, messages on
stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import click

from threatscape.errors import InputError, ThreatscapeError
from threatscape.settings import Settings, load_settings

__all__ = ["FIXTURE", "queue_found_reviews", "sanctions", "stored_lists"]

FIXTURE = "un-sanctions-fixture.xml"
MATCH_COLUMNS = ("query", "verdict", "score", "list", "ref", "name", "explanation")


def _settings(ctx: click.Context, **flags: Any) -> Settings:
    return load_settings((ctx.obj or {}).get("config"), **flags)


def _err(message: str) -> None:
    click.echo(message, err=True)


def stored_lists(settings: Settings) -> Any:
    """The database's sanctions tables when a list has been loaded into it, else None."""
    from threatscape.store.sanctions import SanctionsDB

    lists = SanctionsDB.open(settings.db, settings.db_busy_limit)
    if lists.latest():
        return lists
    lists.close()
    return None


def queue_found_reviews(lists: Any, resources: Any) -> None:
    """Queue the sanctions matches screening found uncertain, and close the lists."""
    if lists is None:
        return
    from threatscape.resolve.sanctions import queue_reviews

    try:
        queued = queue_reviews(lists, resources.reviews)
    finally:
        lists.close()
    if queued:
        _err(f"{queued} possible sanctions matches to review: threatscape sanctions review --db ...")


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns)
    for r in rows:
        table.add_row(*("" if r.get(c) is None else str(r.get(c)) for c in columns))
    Console(width=None if sys.stdout.isatty() else 200).print(table)


def _json(rows: Any) -> None:
    click.echo(json.dumps(rows, ensure_ascii=False, indent=2))


def fixture_path() -> Path:
    """The list bundled with the package (a few real listings, for demos and tests)."""
    return Path(str(resources.files("threatscape.data").joinpath(FIXTURE)))


@click.group()
def sanctions() -> None:
    """Screen actors against sanctions lists (the UN consolidated list and others)."""


def _read_source(source: str, name: str | None, settings: Settings) -> Any:
    from threatscape.resolve.sanctions.lists import read_list, read_list_file

    if source.startswith(("http://", "https://")):
        from threatscape.ingest.fetch import fetch

        fetched = fetch(source, settings)
        return read_list(fetched.content, source, name=name)
    if not Path(source).is_file():
        raise InputError("no such file (give a path or an http(s) URL)", source=source)
    return read_list_file(source, name=name)


@sanctions.command()
@click.argument("source", metavar="FILE_OR_URL")
@click.option("--name", help="List name (default: un-sc for the UN XML, else the file name).")
@click.option("--db", help="Database path or URL (default ./threatscape.db, or THREATSCAPE_DB).")
@click.option("--allow-private", is_flag=True, default=None, help="Let URL fetches reach private addresses.")
@click.option("--timeout", type=float, help="Fetch timeout in seconds.")
@click.pass_context
def load(
    ctx: click.Context, source: str, name: str | None, db: str | None, allow_private: bool | None, timeout: float | None
) -> None:
    """Load a list (UN XML, FollowTheMoney JSON lines or CSV) from FILE_OR_URL; versions are kept.

    \b
    CSV: a header row with ref,type,name and optionally aliases,countries,birth_dates,titles,
    listed_on,comments; type is person or organization; '|' separates values in a cell.
    """
    from threatscape.resolve.sanctions import save_list
    from threatscape.store.sanctions import SanctionsDB

    settings = _settings(ctx, db=db, allow_private=allow_private, timeout=timeout)
    sl = _read_source(source, name, settings)
    people = sum(1 for e in sl.entries if e.type == "person")
    with SanctionsDB.open(settings.db, settings.db_busy_limit) as store:
        new = save_list(store, sl)
    state = "loaded" if new else "already stored:"
    _err(
        f"{state} {sl.name} version {sl.version}: {len(sl.entries)} entries "
        f"({people} people, {len(sl.entries) - people} organisations) -> {settings.db}"
    )


@sanctions.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--name", help="List name (default: the only list stored).")
@click.option("--db", help="Database path or URL.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def diff(ctx: click.Context, old: str | None, new: str | None, name: str | None, db: str | None, fmt: str) -> None:
    """Entries added, removed and changed between versions OLD and NEW (default: the two newest)."""
    from threatscape.resolve.sanctions import diff_entries, stored_entries
    from threatscape.store.sanctions import SanctionsDB

    settings = _settings(ctx, db=db)
    with SanctionsDB.open(settings.db, settings.db_busy_limit) as store:
        name = name or _only_list(store)
        versions = [v.version for v in store.versions(name)]
        if old is None and len(versions) < 2:
            raise ThreatscapeError(f"list {name!r} has {len(versions)} version(s) stored; a diff needs two")
        old = old or versions[-2]
        new = new or versions[-1]
        result = diff_entries(stored_entries(store, name, old), stored_entries(store, name, new))
    if fmt == "json":
        _json({"list": name, "old": old, "new": new} | result.as_dict())
        return
    rows = [{"change": "added", "ref": e.ref, "name": e.name, "fields": ""} for e in result.added]
    rows += [{"change": "removed", "ref": e.ref, "name": e.name, "fields": ""} for e in result.removed]
    rows += [{"change": "changed", "ref": c.ref, "name": c.name, "fields": ", ".join(c.fields)} for c in result.changed]
    _table(rows, ("change", "ref", "name", "fields"))
    _err(
        f"{name} {old} -> {new}: {len(result.added)} added, {len(result.removed)} removed, "
        f"{len(result.changed)} changed"
    )


def _only_list(store: Any) -> str:
    names = sorted({v.name for v in store.versions()})
    if len(names) != 1:
        raise ThreatscapeError(f"{len(names)} lists stored ({', '.join(names) or 'none'}); choose one with --name")
    return names[0]


@sanctions.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--type", "kind", type=click.Choice(["person", "organization"]), help="Screen only this kind.")
@click.option("--country", help="Country the article ties the name to (ISO code or name).")
@click.option("--affiliation", help="Group the article ties the name to.")
@click.option("--born", help="Date or year of birth, when the article gives it.")
@click.option("--list", "list_file", type=click.Path(dir_okay=False), help="Screen against this list file.")
@click.option("--db", help="Database path or URL (its newest lists and review decisions are used).")
@click.option("--limit", type=int, default=3, show_default=True, help="Candidates shown per name.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def match(
    ctx: click.Context,
    names: Sequence[str],
    kind: str | None,
    country: str | None,
    affiliation: str | None,
    born: str | None,
    list_file: str | None,
    db: str | None,
    limit: int,
    fmt: str,
) -> None:
    """Screen NAMES; per name the best candidates with verdict, score, reference and explanation."""
    from threatscape.resolve.sanctions import Query, load_screener, queue_reviews, stored_screener

    settings = _settings(ctx, db=db)
    store = _store_with_lists(settings, explicit=db is not None) if list_file is None else None
    try:
        if store is not None:
            screener = stored_screener(store)
        else:
            path = list_file or str(fixture_path())
            if list_file is None:
                _err(f"note: no list loaded in {settings.db}; screening against the bundled fixture {FIXTURE}")
            screener = load_screener(path)
        rows: list[dict[str, Any]] = []
        for name in names:
            refs: tuple[str, ...] = ()
            if affiliation:
                top = screener.best(Query(affiliation, type="organization"))
                refs = (top.ref,) if top and top.verdict == "match" else ()
            query = Query(name, type=kind, country=country, affiliation=affiliation, affiliation_refs=refs, birth=born)
            found = screener.screen(query, limit=max(1, limit))
            if store is not None:
                queue_reviews(store, found)
            rows += [m.as_dict() for m in found] or [_no_candidate(name)]
    finally:
        if store is not None:
            store.close()
    if fmt == "json":
        _json(rows)
    else:
        _table(rows, MATCH_COLUMNS)


def _no_candidate(name: str) -> dict[str, Any]:
    return {
        "query": name,
        "verdict": "no_match",
        "score": 0.0,
        "list": None,
        "ref": None,
        "name": None,
        "explanation": "no listed name shares a word with the query",
    }


def _store_with_lists(settings: Settings, explicit: bool) -> Any:
    """The database when it exists and holds a list; None otherwise (the fixture is used)."""
    from threatscape.store.sanctions import SanctionsDB

    if not explicit and "://" not in settings.db and not Path(settings.db).exists():
        return None
    store = SanctionsDB.open(settings.db, settings.db_busy_limit)
    if store.latest():
        return store
    store.close()
    return None


@sanctions.command()
@click.option("--scan", is_flag=True, help="First screen the actors stored in the database and queue reviews.")
@click.option("--accept", "accepted", type=int, multiple=True, help="Accept the queued match with this id.")
@click.option("--reject", "rejected", type=int, multiple=True, help="Reject the queued match with this id.")
@click.option("--db", help="Database path or URL.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def review(
    ctx: click.Context, scan: bool, accepted: Sequence[int], rejected: Sequence[int], db: str | None, fmt: str
) -> None:
    """List matches needing review; --accept/--reject ID record decisions, reused on later runs."""
    from threatscape.resolve.sanctions import Match, queue_reviews, screen_actors, stored_screener
    from threatscape.store.sanctions import SanctionsDB

    settings = _settings(ctx, db=db)
    with SanctionsDB.open(settings.db, settings.db_busy_limit) as store:
        if scan:
            found: list[Match] = []
            actors = store.actors()
            screen_actors(actors, stored_screener(store), reviews=found)
            _err(f"screened {len(actors)} actors: {queue_reviews(store, found)} new match(es) to review")
        for decision, ids in (("accept", accepted), ("reject", rejected)):
            for item in ids:
                key = store.review_item(item)
                if key is None:
                    raise InputError(f"no queued match with id {item} (see `threatscape sanctions review`)")
                store.decide(*key, decision)
                _err(f"{decision}ed #{item}: {key[0]!r} -> {key[1]} {key[2]}")
        pending = store.pending()
    rows = [p.row() for p in pending]
    if fmt == "json":
        _json(rows)
    else:
        _table(rows, ("id", "query", "score", "list", "ref", "name", "explanation"))
        _err(f"{len(rows)} match(es) awaiting review")
