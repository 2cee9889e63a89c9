"""The ``threatscape`` command: one thin function per command over the library.

Library errors (``ThreatscapeError``) become a one-line message and exit code 1 here, in one
place (``main``); tracebacks only with ``--debug``. Machine output goes to stdout, messages to
stderr. Exit codes: 0 ok, 1 error, 2 usage, 3 some inputs failed (the rest was processed).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from threatscape import __version__
from threatscape.cli_batch import batch, load
from threatscape.cli_output import emit, progress_bar, spinner
from threatscape.cli_report import report
from threatscape.cli_sanctions import queue_found_reviews, sanctions, stored_lists
from threatscape.errors import ConfigError, ThreatscapeError
from threatscape.model import Article, IngestFailure
from threatscape.settings import Settings, load_settings

EXIT_PARTIAL = 3
FORMATS = ["table", "json", "jsonl", "csv"]


def _settings(ctx: click.Context, **flags: Any) -> Settings:
    return load_settings(ctx.obj.get("config"), **flags)


def _err(message: str) -> None:
    click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="threatscape")
@click.option("--config", type=click.Path(dir_okay=False), help="Settings file (default ./threatscape.toml).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def cli(ctx: click.Context, config: str | None, debug: bool) -> None:
    """Turn news reports into a sourced record of armed-group activity and political conflict."""
    ctx.ensure_object(dict)
    ctx.obj.update(config=config, debug=debug)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--db", help="Database path or URL (default ./threatscape.db, or THREATSCAPE_DB).")
@click.option("--allow-private", is_flag=True, default=None, help="Let URL fetches reach private/loopback addresses.")
@click.option("--no-extract", is_flag=True, help="Store articles only; skip fact extraction.")
@click.option("--timeout", type=float, help="Fetch timeout in seconds.")
@click.option(
    "--rules-only", is_flag=True, default=None, help="Events from the rules alone, without the learned layer."
)
@click.option(
    "--processes",
    type=int,
    help="Extract in this many processes (default: one per core, or THREATSCAPE_PROCESSES; 1: in this one).",
)
@click.pass_context
def ingest(
    ctx: click.Context,
    inputs: Sequence[str],
    db: str | None,
    allow_private: bool | None,
    no_extract: bool,
    timeout: float | None,
    rules_only: bool | None,
    processes: int | None,
) -> None:
    """Read files, folders, globs, '-' (stdin) or URLs into the database."""
    from threatscape import pipeline
    from threatscape.store import open_store

    settings = _settings(
        ctx, db=db, allow_private=allow_private, timeout=timeout, rules_only=rules_only, processes=processes
    )
    progress = spinner(sys.stderr.isatty())
    count = 0

    def on_item(item: Article | IngestFailure) -> None:
        nonlocal count
        if isinstance(item, IngestFailure):
            _err(f"error: {item.origin}: {item.reason}")
            return
        count += 1
        if progress is not None:
            progress.update(task, description=f"{count} articles: {item.title[:60]}")

    store = open_store(settings.db, settings.db_busy_limit)
    where = store.name
    lists = None if no_extract else stored_lists(settings)
    resources = pipeline.Resources.from_settings(settings, sanctions=settings.db if lists else None)
    try:
        if progress is not None:
            progress.start()
            task = progress.add_task("reading", total=None)
        report = pipeline.ingest(
            inputs,
            store,
            settings,
            extract=not no_extract,
            stdin=sys.stdin.buffer,
            on_item=on_item,
            resources=resources,
            batch=settings.batch_size,
        )
    finally:
        if progress is not None:
            progress.stop()
        store.close()
    queue_found_reviews(lists, resources)
    completed = f"{report.updated} completed, " if report.updated else ""
    _err(
        f"{report.new} new, {report.near_duplicates} near-duplicate, {report.duplicates} already stored, "
        f"{completed}{len(report.failures)} failed -> {where}"
    )
    if report.failures:
        sys.exit(EXIT_PARTIAL)


@cli.command()
@click.option("--db", help="Database path or URL (default ./threatscape.db, or THREATSCAPE_DB).")
@click.option("--since", help="Only articles dated on or after (YYYY[-MM[-DD]]).")
@click.option("--until", help="Only articles dated on or before (YYYY[-MM[-DD]]).")
@click.option(
    "--rules-only", is_flag=True, default=None, help="Events from the rules alone, without the learned layer."
)
@click.option(
    "--processes",
    type=int,
    help="Extract in this many processes (default: one per core, or THREATSCAPE_PROCESSES; 1: in this one).",
)
@click.pass_context
def reextract(
    ctx: click.Context,
    db: str | None,
    since: str | None,
    until: str | None,
    rules_only: bool | None,
    processes: int | None,
) -> None:
    """Extract stored articles again whose facts come from other extractor versions (run it after
    upgrading threatscape or its model); then refresh fused events and contested links.

    Each article is committed with its facts: a run that is stopped loses nothing, and running
    the command again goes on where it stopped."""
    from threatscape import pipeline
    from threatscape.store import open_store

    settings = _settings(ctx, db=db, rules_only=rules_only, processes=processes)
    store = open_store(settings.db, settings.db_busy_limit)
    where = store.name
    lists = stored_lists(settings)
    resources = pipeline.Resources.from_settings(settings, sanctions=settings.db if lists else None)
    bar = progress_bar(sys.stderr.isatty(), "extracting again")
    try:
        report = pipeline.reextract(
            store,
            since=since,
            until=until,
            resources=resources,
            batch=settings.batch_size,
            progress=bar.update if bar is not None else None,
        )
    finally:
        if bar is not None:
            bar.stop()
        store.close()
    queue_found_reviews(lists, resources)
    dates = _dates_phrase(since, until)
    if not report.outdated:
        _err(f"nothing to do: every article{dates} in {where} is extracted with the installed extractors")
    else:
        _err(f"{report.extracted} of {report.outdated} articles{dates} extracted again -> {where}")
    if report.refreshed is not None:
        _err(f"{report.refreshed.fused} fused events, {report.refreshed.contested} relations newly contested")


def _dates_phrase(since: str | None, until: str | None) -> str:
    if since and until:
        return f" dated {since} to {until}"
    if since:
        return f" dated {since} or later"
    return f" dated up to {until}" if until else ""


ARTICLE_COLUMNS = ["id", "date", "title", "source", "url", "dateline", "source_id"]
ARTICLE_TABLE = ["id", "date", "title", "source"]


def _article_row(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "date": a.date,
        "title": a.title,
        "source": a.source,
        "url": a.url,
        "dateline": a.dateline,
        "source_id": a.source_id,
    }


@cli.command()
@click.option("--db", help="Database path or URL.")
@click.option("--search", "-s", help="Full-text query over titles and bodies.")
@click.option("--since", help="Only articles dated on or after (YYYY-MM-DD).")
@click.option("--until", help="Only articles dated on or before (YYYY-MM-DD).")
@click.option("--limit", type=int, help="At most this many.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_context
def articles(
    ctx: click.Context,
    db: str | None,
    search: str | None,
    since: str | None,
    until: str | None,
    limit: int | None,
    fmt: str,
) -> None:
    """List stored articles, newest first."""
    from threatscape.store import open_store

    settings = _settings(ctx, db=db)
    store = open_store(settings.db, settings.db_busy_limit)
    try:
        rows = [_article_row(a) for a in store.articles(search=search, since=since, until=until, limit=limit)]
    finally:
        store.close()
    cols = ARTICLE_TABLE if fmt == "table" else ARTICLE_COLUMNS
    emit(rows, fmt, cols)


@cli.command()
@click.argument("article_id")
@click.option("--db", help="Database path or URL.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def show(ctx: click.Context, article_id: str, db: str | None, fmt: str) -> None:
    """Show one article (an id or a unique prefix of at least 6 characters) and its facts."""
    from threatscape.store import open_store

    settings = _settings(ctx, db=db)
    store = open_store(settings.db, settings.db_busy_limit)
    try:
        article = store.get_article(article_id)
        if article is None:
            raise ThreatscapeError(f"no article {article_id!r} in {settings.db}")
        facts = store.extraction(article.id)
    finally:
        store.close()
    if fmt == "json":
        from threatscape.model import to_dict

        click.echo(json.dumps(to_dict(article) | {"facts": facts}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{article.title}\n")
    for label, value in (
        ("id", article.id),
        ("published", article.published),
        ("updated", article.updated),
        ("source", article.source),
        ("url", article.url),
        ("dateline", article.dateline),
        ("byline", article.byline),
    ):
        if value:
            click.echo(f"{label:>10}: {value}")
    for line in article.summary:
        click.echo(f"  • {line}")
    click.echo("\n" + article.body)
    if facts:
        counts = ", ".join(f"{len(v)} {k}" for k, v in facts.items() if isinstance(v, list))
        click.echo(f"\n[{counts}]")


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json", show_default=True)
@click.option("--allow-private", is_flag=True, default=None, help="Let URL fetches reach private/loopback addresses.")
@click.option("--no-extract", is_flag=True, help="Structure only; leave the fact lists empty.")
@click.option(
    "--sanctions",
    "sanctions_list",
    metavar="LIST",
    help="Screen actors against this list file or database ('none' to skip; default: the bundled list).",
)
@click.option(
    "--rules-only", is_flag=True, default=None, help="Events from the rules alone, without the learned layer."
)
@click.pass_context
def extract(
    ctx: click.Context,
    inputs: Sequence[str],
    fmt: str,
    allow_private: bool | None,
    no_extract: bool,
    sanctions_list: str | None,
    rules_only: bool | None,
) -> None:
    """Ingest and extract in memory (no database) and print the export (docs/export-contract.md)."""
    from threatscape import pipeline
    from threatscape.export import export_article, export_document
    from threatscape.model import Extraction

    settings = _settings(ctx, allow_private=allow_private, rules_only=rules_only)
    failures: list[IngestFailure] = []
    arts: list[Article] = []
    for item in pipeline.read_articles(inputs, settings, stdin=sys.stdin.buffer):
        if isinstance(item, IngestFailure):
            failures.append(item)
            _err(f"error: {item.origin}: {item.reason}")
        else:
            arts.append(item)
    if sanctions_list is None:
        from threatscape.cli_sanctions import fixture_path

        sanctions_list = str(fixture_path())
    resources = pipeline.Resources.from_settings(
        settings, sanctions=None if sanctions_list.lower() == "none" else sanctions_list
    )
    exs = [Extraction(article=a) for a in arts] if no_extract else pipeline.extract_articles(arts, resources)
    if fmt == "jsonl":
        for ex in exs:
            click.echo(json.dumps(export_article(ex), ensure_ascii=False))
    else:
        click.echo(json.dumps(export_document(exs), ensure_ascii=False, indent=1))
    if failures:
        sys.exit(EXIT_PARTIAL)


EXPORT_FORMATS = {
    "parquet": ("threatscape.export_parquet", "write_parquet"),
    "ftm": ("threatscape.export_ftm", "write_ftm"),
}


def _export_writer(fmt: str) -> Any:
    """The library function writing ``fmt``; a ``ConfigError`` when its extra is not installed."""
    import importlib

    module, name = EXPORT_FORMATS[fmt]
    try:
        return getattr(importlib.import_module(module), name)
    except ImportError as exc:
        raise ConfigError(
            f"--format {fmt} needs {exc.name or 'its packages'}: pip install 'threatscape[export]'"
        ) from exc


@cli.command(name="export")
@click.option(
    "--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), required=True,
    help="parquet: one TABLE.parquet per table (pandas, DuckDB, Spark); ftm: FollowTheMoney entities "
    "in JSON lines (Aleph, the OpenSanctions tools).",
)  # fmt: skip
@click.option(
    "-o", "--output", required=True, metavar="PATH",
    help="parquet: the folder to write (made if missing); ftm: the file to write, '-' for stdout.",
)  # fmt: skip
@click.option("--db", help="Database path or URL.")
@click.option("--since", help="Only articles dated on or after (YYYY[-MM[-DD]]), and their facts.")
@click.option("--until", help="Only articles dated on or before (YYYY[-MM[-DD]]), and their facts.")
@click.option("--search", "-s", help="Only the articles this full-text query finds, and their facts.")
@click.pass_context
def export_command(
    ctx: click.Context, fmt: str, output: str, db: str | None, since: str | None, until: str | None, search: str | None
) -> None:
    """Write the stored record for the tools analysts use, every fact with its evidence (the
    article, the sentence and its offsets), streamed: memory does not grow with the database."""
    from threatscape.store import open_store
    from threatscape.store.records import Selection

    settings = _settings(ctx, db=db)
    selection = Selection(since=since, until=until, search=search)
    write = _export_writer(fmt)
    progress = spinner(sys.stderr.isatty())
    store = open_store(settings.db, settings.db_busy_limit)
    try:
        if progress is not None:
            progress.start()
            progress.add_task(f"exporting {fmt}", total=None)
        counts = write(store, output, selection)
    finally:
        if progress is not None:
            progress.stop()
        store.close()
    parts = ", ".join(f"{n} {name}" for name, n in counts.items())
    what = "rows" if fmt == "parquet" else "entities"
    _err(f"{sum(counts.values())} {what} ({parts}) -> {output}")


@cli.group()
def gazetteer() -> None:
    """The offline gazetteer used for geocoding."""


@gazetteer.command("refresh")
@click.argument("countries", nargs=-1, required=True)
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds per download.")
def gazetteer_refresh(countries: Sequence[str], timeout: float) -> None:
    """Download GeoNames country files (e.g. PK AF) to extend the gazetteer (needs a network)."""
    from threatscape.resolve.geonames import refresh_gazetteer

    where = refresh_gazetteer(countries, timeout=timeout)
    _err(
        f"GeoNames files for {', '.join(c.upper() for c in countries)} saved in {where}; "
        "the gazetteer is rebuilt on next use"
    )


EVENT_TABLE = [
    "event_date",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "admin1",
    "fatalities",
    "fatalities_high",
    "n_reports",
]


@cli.command()
@click.option("--db", help="Database path or URL.")
@click.option("--type", "type_", help="ACLED event or sub-event type (Battles, 'Suicide bomb', ...).")
@click.option("--actor", help="Actor id, name or alias (or part of a name).")
@click.option("--country", help="Country name or ISO code.")
@click.option("--admin1", help="First-level region (province, state).")
@click.option("--since", help="Only events on or after (YYYY[-MM[-DD]]).")
@click.option("--until", help="Only events on or before (YYYY[-MM[-DD]]).")
@click.option("--aggregates", is_flag=True, help="Include tallies over a period (never counted as incidents).")
@click.option("--refresh", is_flag=True, help="Fuse the stored events again first (ingest does this).")
@click.option("--limit", type=int, help="At most this many.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "jsonl", "geojson"]),
    default="table",
    show_default=True,
    help="csv uses ACLED's column names; geojson gives points.",
)
@click.pass_context
def events(
    ctx: click.Context,
    db: str | None,
    type_: str | None,
    actor: str | None,
    country: str | None,
    admin1: str | None,
    since: str | None,
    until: str | None,
    aggregates: bool,
    refresh: bool,
    limit: int | None,
    fmt: str,
) -> None:
    """List incidents fused across reports: one row per incident, with every source and the toll range."""
    from threatscape import pipeline
    from threatscape.acled import CSV_COLUMNS, acled_row, geojson
    from threatscape.store import open_store

    settings = _settings(ctx, db=db)
    store = open_store(settings.db, settings.db_busy_limit)
    try:
        if refresh:
            pipeline.refresh(store, force=True)
        rows = store.query_events(
            type=type_,
            actor=actor,
            country=country,
            admin1=admin1,
            since=since,
            until=until,
            aggregate=aggregates,
            limit=limit,
        )
    finally:
        store.close()
    if fmt == "geojson":
        click.echo(json.dumps(geojson(rows), ensure_ascii=False, indent=1))
    elif fmt in ("json", "jsonl"):
        emit(rows, fmt, [])
    else:
        emit([acled_row(r) for r in rows], fmt, CSV_COLUMNS if fmt == "csv" else EVENT_TABLE)


def _money_command(kind: str) -> None:
    """Register ``flows`` or ``strength``: the stored facts of that kind as a table, CSV or JSON."""
    from threatscape.store.money import FLOW_COLUMNS, STRENGTH_COLUMNS

    table = (
        ["article_date", "payer_name", "payer_text", "payee_name", "payee_text", "amount", "currency", "period",
         "usd_per_year", "purpose", "reported_by", "stance"]
        if kind == "flows"
        else ["article_date", "group_name", "value", "low", "high", "unit", "estimate_by", "estimate_text", "when"]
    )  # fmt: skip
    columns = FLOW_COLUMNS if kind == "flows" else STRENGTH_COLUMNS
    doc = (
        "Money flows: who pays whom, how much and how often, for what, reported by whom and with what stance "
        "(an accusation of funding is contested). The CSV has every field of the JSON export, flattened."
        if kind == "flows"
        else "Strength figures: a group's fighters (cadres, recruits, troops), with low/high, whose estimate "
        "and when. The CSV has every field of the JSON export, flattened."
    )

    @cli.command(name=kind, help=doc)
    @click.option("--db", help="Database path or URL.")
    @click.option("--actor", help="Actor id, name or alias: flows it pays or gets; its group's strength.")
    @click.option("--since", help="Only articles dated on or after (YYYY[-MM[-DD]]).")
    @click.option("--until", help="Only articles dated on or before (YYYY[-MM[-DD]]).")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
    @click.pass_context
    def command(
        ctx: click.Context, db: str | None, actor: str | None, since: str | None, until: str | None, fmt: str
    ) -> None:
        from threatscape.store import open_store
        from threatscape.store.money import flow_rows, strength_rows

        settings = _settings(ctx, db=db)
        store = open_store(settings.db, settings.db_busy_limit)
        try:
            with store.reading() as conn:
                rows = (flow_rows if kind == "flows" else strength_rows)(conn, actor=actor, since=since, until=until)
        finally:
            store.close()
        emit(rows, fmt, columns if fmt == "csv" else table)


@cli.command()
@click.option("--db", help="Database path or URL.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes answering requests (each opens the database; more serve more analysts at once).",
)
@click.pass_context
def serve(ctx: click.Context, db: str | None, host: str, port: int, workers: int) -> None:
    """The analyst's web UI over the database, in the browser, offline. Listens on 127.0.0.1 unless
    --host says otherwise; any other address needs THREATSCAPE_TOKEN, which every request must carry."""
    import ipaddress
    import os

    import uvicorn

    from threatscape.serve.app import DB_ENV, create_app

    settings = _settings(ctx, db=db)
    token = os.environ.get("THREATSCAPE_TOKEN") or None
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not token:
        raise click.UsageError(f"--host {host} is reachable from other machines: set THREATSCAPE_TOKEN first")
    app = create_app(settings.db, token=token)  # opened here too: a bad database fails before any worker starts
    _err(f"threatscape serve: http://{host}:{port}/  ({settings.db}{f', {workers} workers' if workers > 1 else ''})")
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    os.environ[DB_ENV] = settings.db  # each worker process builds its own app from it (app_from_environment)
    uvicorn.run("threatscape.serve.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="warning")  # fmt: skip


@cli.group()
def corrections() -> None:
    """Analysts' corrections of events, claims and relations (made in `threatscape serve`)."""


@corrections.command(name="list")
@click.option("--db", help="Database path or URL.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_context
def corrections_list(ctx: click.Context, db: str | None, fmt: str) -> None:
    """Every stored correction, oldest first: which fact, which field, the new value, who, when."""
    from dataclasses import asdict

    from threatscape.store import open_store

    settings = _settings(ctx, db=db)
    store = open_store(settings.db, settings.db_busy_limit)
    try:
        rows = [asdict(c) | {"value": json.dumps(c.value, ensure_ascii=False)} for c in store.corrections()]
    finally:
        store.close()
    emit(rows, fmt, ["seq", "kind", "fact_id", "article_id", "field", "value", "author", "created_at", "note"])


@corrections.command(name="export")
@click.option("--db", help="Database path or URL.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="JSONL file to write.")
@click.pass_context
def corrections_export(ctx: click.Context, db: str | None, output: str) -> None:
    """Write the event corrections as training records of the learned layer (JSON lines in the
    format of threatscape/data/training/events/WRITING.md), so the model can learn from review."""
    from threatscape.store import open_store
    from threatscape.store.corrections import training_records

    settings = _settings(ctx, db=db)
    store = open_store(settings.db, settings.db_busy_limit)
    try:
        with store.reading() as conn:
            records = training_records(conn)
    finally:
        store.close()
    target = Path(output)
    if not target.parent.is_dir():
        raise click.UsageError(f"-o {output}: the folder {target.parent} does not exist")
    target.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    _err(f"{len(records)} training records -> {output}")


_money_command("flows")
_money_command("strength")


@cli.command()
@click.option("--db", help="Database path or URL.")
@click.option("--from", "start", default="1900-01-01", show_default=True, metavar="DATE")
@click.option("--to", "end", default="2100-12-31", show_default=True, metavar="DATE")
@click.pass_context
def summary(ctx: click.Context, db: str | None, start: str, end: str) -> None:
    """One screen on what the database holds: events, tolls, actors, contested claims."""
    from threatscape.report.build import build_report, resolve_filters
    from threatscape.store import open_store

    settings = _settings(ctx, db=db)
    store = open_store(settings.db, settings.db_busy_limit)
    try:
        rep = build_report(store, resolve_filters(store, start, end))
    finally:
        store.close()
    h = rep.headline
    lines = [
        f"{h.articles} articles, {h.events} events ({h.aggregates} reported tallies kept apart), "
        f"fatalities {h.fatalities_low}-{h.fatalities_high} (best {h.fatalities_best})"
    ]
    lines += [
        f"  {r.label}: {r.value} events" + (f", {r.fatalities} killed" if r.fatalities else "") for r in h.by_type
    ]
    if h.by_actor:
        lines.append("most active: " + "; ".join(f"{r.label} ({r.value})" for r in h.by_actor[:5]))
    sanctioned = [
        f"{p.name} ({'; '.join(i.text for i in p.sanctions if i.kind == 'sanctions')})"
        for p in rep.profiles
        if any(i.kind == "sanctions" for i in p.sanctions)
    ]
    if sanctioned:
        lines.append("on sanctions lists: " + "; ".join(sanctioned))
    for pair in rep.contested[:3]:
        lines.append(
            f"contested: {pair.accuser} accuses{' ' + pair.target if pair.target else ''}; {pair.denier} denies"
        )
    for ev in rep.notable[:3]:
        toll = "" if ev.fatalities_best is None else f", {ev.fatalities_best} killed"
        lines.append(
            f"notable: {ev.date or 'undated'} {ev.sub_type or ev.type} in {ev.place}{toll} ({ev.reports} reports)"
        )
    click.echo("\n".join(lines))


cli.add_command(sanctions)
cli.add_command(report)
cli.add_command(batch)
cli.add_command(load)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: ThreatscapeError -> one line on stderr and exit 1."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="threatscape", standalone_mode=False)
    except click.exceptions.Abort:
        _err("Aborted.")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ThreatscapeError as exc:
        if debug:
            raise
        _err(f"error: {exc}")
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)
