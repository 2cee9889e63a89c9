"""The report as PDF: the HTML edition laid out by WeasyPrint (A4, running headers, page numbers).

WeasyPrint needs Pango (``scripts/install-report-deps.sh`` installs it on Debian/Ubuntu). The
document has no external resources; ``url_fetcher`` refuses any that should appear, so making the
PDF never reaches the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from threatscape.errors import ConfigError
from threatscape.report.model import Report
from threatscape.report.render_html import render_html

__all__ = ["render_pdf"]


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"the report fetches nothing (refused {url})")


def render_pdf(report: Report, path: str | Path | None = None) -> bytes:
    """The PDF bytes (also written to ``path`` when given)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango or its libraries are missing
        raise ConfigError(
            f"PDF output needs WeasyPrint and Pango ({exc}); run scripts/install-report-deps.sh or choose --format html"
        ) from exc
    pdf = HTML(string=render_html(report), url_fetcher=_no_fetch).write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf without a target returns the bytes
        raise ConfigError("WeasyPrint produced no PDF")
    if path is not None:
        Path(path).write_bytes(pdf)
    return bytes(pdf)
