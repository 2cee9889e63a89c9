"""``threatscape report``: the threat-landscape brief for a period, as HTML, PDF or Markdown.

The lead attaches it to the group with ``cli.add_command(report)``. Library errors propagate as
``ThreatscapeError`` to ``cli.main``, which prints them on one line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from threatscape.settings import load_settings

__all__ = ["report"]


@click.command()
@click.option("--from", "start", required=True, metavar="DATE", help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "end", required=True, metavar="DATE", help="Last day of the period (YYYY-MM-DD), inclusive.")
@click.option("--country", help="Only events in this country (English name or ISO code).")
@click.option("--admin1", help="Only events in this province/state (admin-1 name as stored).")
@click.option("--actor", help="Only events involving this actor (id, name or alias).")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "md"]), default="html", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Output file (default: stdout; PDF needs a file).",
)
@click.option("--db", help="Database path or URL (default ./threatscape.db, or THREATSCAPE_DB).")
@click.option("--assets", type=click.Path(file_okay=False), help="Map assets folder (default assets/geo).")
@click.pass_context
def report(
    ctx: click.Context,
    start: str,
    end: str,
    country: str | None,
    admin1: str | None,
    actor: str | None,
    fmt: str,
    output: str | None,
    db: str | None,
    assets: str | None,
) -> None:
    """Write the threat-landscape brief for a period: headline figures, actor profiles, financing,
    contested claims, notable events, charts and map, every figure cited to its articles."""
    from threatscape.report.build import build_report, resolve_filters
    from threatscape.store import open_store

    if fmt == "pdf" and not output:
        raise click.UsageError("--format pdf needs -o FILE")
    if output and not Path(output).parent.is_dir():
        raise click.UsageError(f"-o {output}: the folder {Path(output).parent} does not exist")
    settings = load_settings((ctx.obj or {}).get("config"), db=db)
    store = open_store(settings.db, settings.db_busy_limit)
    try:
        filters = resolve_filters(store, start, end, country=country, admin1=admin1, actor=actor)
        built = build_report(store, filters, assets=Path(assets) if assets else None)
    finally:
        store.close()
    from threatscape.report.output import render_report, write_report

    if output:
        write_report(built, output, fmt=fmt)
    else:
        sys.stdout.write(render_report(built, fmt))
    if output:
        click.echo(f"{built.headline.events} events, {len(built.sources)} sources -> {output}", err=True)
