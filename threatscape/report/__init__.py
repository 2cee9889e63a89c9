"""threatscape.report: the periodic threat-landscape brief, computed from store queries.

    build_report(store, filters) -> Report      the numbers, tables and figures, each sourced
    render_html(report) -> str                  one self-contained HTML file (inline CSS/SVG)
    render_md(report) -> str                    Markdown
    render_pdf(report, path=None) -> bytes      PDF through WeasyPrint

Imports are lazy: importing the package loads no renderer, chart engine or boundary file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from threatscape.report.build import build_report
    from threatscape.report.model import Filters, Period, Report
    from threatscape.report.render_html import render_html
    from threatscape.report.render_md import render_md
    from threatscape.report.render_pdf import render_pdf

__all__ = ["Filters", "Period", "Report", "build_report", "render_html", "render_md", "render_pdf"]

_WHERE = {
    "build_report": "build",
    "Filters": "model",
    "Period": "model",
    "Report": "model",
    "render_html": "render_html",
    "render_md": "render_md",
    "render_pdf": "render_pdf",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(f"threatscape.report.{_WHERE[name]}"), name)
