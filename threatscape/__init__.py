"""threatscape: news reports in, a sourced record of armed-group activity and political conflict out.

The library in a few names (imported on first use: ``import threatscape`` loads nothing else)::

    import threatscape

    doc = threatscape.extract_text(open("page.txt").read())        # the export of docs/export-contract.md
    with threatscape.open_store("threatscape.db") as store:
        threatscape.ingest_into(store, ["examples/"])
        report = threatscape.build_report(store, "2024-01-01", "2025-12-31")
    threatscape.write_report(report, "report.html")

The model (``Article``, ``Extraction``, ``Event``, ``Claim`` ...) is ``threatscape.model``; every
error raised on purpose is a ``ThreatscapeError`` (the tree is in ``threatscape.errors``).
"""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from threatscape.api import build_report, extract_text, ingest_into
    from threatscape.errors import ConfigError, InputError, ParseError, StoreError, ThreatscapeError
    from threatscape.export import export_document
    from threatscape.model import (
        Actor,
        Article,
        Claim,
        DateSpan,
        Event,
        Evidence,
        Extraction,
        Place,
        Quantity,
        Relation,
    )
    from threatscape.pipeline import extract_articles, reextract
    from threatscape.report.output import write_report
    from threatscape.settings import Settings, load_settings
    from threatscape.store import Store, open_store

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "Claim",
    "ConfigError",
    "DateSpan",
    "Event",
    "Evidence",
    "Extraction",
    "InputError",
    "ParseError",
    "Place",
    "Quantity",
    "Relation",
    "Settings",
    "Store",
    "StoreError",
    "ThreatscapeError",
    "__version__",
    "build_report",
    "export_document",
    "extract_articles",
    "extract_text",
    "ingest_into",
    "load_settings",
    "open_store",
    "reextract",
    "write_report",
]

_HOME = {
    **dict.fromkeys(("build_report", "extract_text", "ingest_into"), "threatscape.api"),
    **dict.fromkeys(
        ("ConfigError", "InputError", "ParseError", "StoreError", "ThreatscapeError"), "threatscape.errors"
    ),
    "export_document": "threatscape.export",
    **dict.fromkeys(
        ("Actor", "Article", "Claim", "DateSpan", "Event", "Evidence", "Extraction", "Place", "Quantity", "Relation"),
        "threatscape.model",
    ),
    **dict.fromkeys(("extract_articles", "reextract"), "threatscape.pipeline"),
    "write_report": "threatscape.report.output",
    **dict.fromkeys(("Settings", "load_settings"), "threatscape.settings"),
    **dict.fromkeys(("Store", "open_store"), "threatscape.store"),
}


def __getattr__(name: str) -> object:
    if name not in _HOME:
        raise AttributeError(f"module 'threatscape' has no attribute {name!r}")
    value = getattr(_importlib.import_module(_HOME[name]), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
