"""A built report written out: HTML or Markdown text, or a PDF file."""

from __future__ import annotations

from pathlib import Path

from threatscape.errors import ConfigError
from threatscape.report.model import Report

__all__ = ["FORMATS", "render_report", "write_report"]

FORMATS = ("html", "md", "pdf")
_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".pdf": "pdf"}


def render_report(report: Report, fmt: str = "html") -> str:
    """The report as one self-contained HTML page (``html``) or Markdown (``md``)."""
    if fmt == "html":
        from threatscape.report.render_html import render_html

        return render_html(report)
    if fmt == "md":
        from threatscape.report.render_md import render_md

        return render_md(report)
    raise ConfigError(f"a report renders as text in html or md, not {fmt!r}")


def write_report(report: Report, path: str | Path, *, fmt: str | None = None) -> Path:
    """Write ``report`` to ``path`` as ``fmt`` (``html``, ``md`` or ``pdf``; default: from the
    file's suffix, else HTML). Returns the path."""
    path = Path(path)
    fmt = fmt or _SUFFIXES.get(path.suffix.lower(), "html")
    if fmt not in FORMATS:
        raise ConfigError(f"a report is written as {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "pdf":
        from threatscape.report.render_pdf import render_pdf

        render_pdf(report, path)
    else:
        path.write_text(render_report(report, fmt), encoding="utf-8")
    return path
