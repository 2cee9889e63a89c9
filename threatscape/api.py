"""Two conveniences of the public API (``threatscape/__init__.py``) over the stages it names.

extract_text(text, ...)             one text (a page dump, or one article) -> the export dict
build_report(store, start, end)     the periodic report for a period, from plain values
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from threatscape.errors import ParseError
from threatscape.export import export_document
from threatscape.model import RawDocument
from threatscape.pipeline import IngestReport, Resources, extract_articles, ingest
from threatscape.report.build import build_report as build_filtered_report
from threatscape.report.build import resolve_filters
from threatscape.report.model import Report
from threatscape.settings import Settings, load_settings
from threatscape.store import QuerySource, Store
from threatscape.structure import structure_document

__all__ = ["build_report", "extract_text", "ingest_into"]


def extract_text(
    text: str,
    *,
    title: str | None = None,
    published: str | None = None,
    url: str | None = None,
    source: str | None = None,
    sanctions: str | None = None,
    resources: Resources | None = None,
) -> dict[str, Any]:
    """Every fact in ``text`` as the export of ``docs/export-contract.md``.

    Without a ``title`` the text is read as a page dump (it may hold several articles; headlines,
    datelines and page furniture are recognised); with one, it is one article's body. Actors are
    screened against ``sanctions`` (a list file or a database) when given. Raises ``ParseError``
    when no article text is found."""
    kind = "record" if title else "text"
    raw = RawDocument("text", kind, text, title=title, url=url, source=source, published=published)
    articles = structure_document(raw)
    if not articles:
        raise ParseError("no article text found", source="text")
    return export_document(extract_articles(articles, resources or Resources(sanctions=sanctions)))


def ingest_into(
    store: Store,
    inputs: Sequence[str],
    *,
    settings: Settings | None = None,
    extract: bool = True,
    resources: Resources | None = None,
) -> IngestReport:
    """Read files, folders, globs or URLs into ``store`` and extract their facts, as
    ``threatscape ingest`` does (``settings`` default: ``THREATSCAPE_*`` and ``threatscape.toml``)."""
    settings = settings or load_settings()
    res = resources or Resources.from_settings(settings)
    return ingest(inputs, store, settings, extract=extract, resources=res, batch=settings.batch_size)


def build_report(
    store: QuerySource,
    start: str | dt.date,
    end: str | dt.date,
    *,
    country: str | None = None,
    admin1: str | None = None,
    actor: str | None = None,
    assets: str | Path | None = None,
) -> Report:
    """The periodic report for ``start``..``end`` (inclusive), optionally for one country,
    admin-1 region or actor (an id, name or alias); ``threatscape.report.build_report`` with its
    ``Filters`` made from these plain values."""
    filters = resolve_filters(store, str(start), str(end), country=country, admin1=admin1, actor=actor)
    return build_filtered_report(store, filters, assets=Path(assets) if assets else None)
