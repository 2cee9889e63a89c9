"""The report as one self-contained HTML file: inline CSS and SVG, no script, no request outside it.

Everything from articles is escaped and loses its bidirectional controls; a link is written only
for an http(s) address (``safe_text.safe_url``); the page declares a Content-Security-Policy that
allows no script, no request and no form, only its own inline style and data: images.

Citations are footnote numbers linking to the Sources list (``#src-N``); every table row, figure
and summary line also carries the ids of its articles in ``data-articles``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from threatscape.report.model import ProfileItem, Report
from threatscape.report.summary import METHOD, change_text, fmt_int, key_points, title
from threatscape.safe_text import display_text, safe_url

__all__ = ["render_html"]


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("threatscape.report", "templates"),
        autoescape=select_autoescape(["j2"]),
        finalize=_displayed,
    )
    env.filters["safe_url"] = safe_url
    env.filters["num"] = fmt_int
    env.filters["trend"] = lambda d: "" if not d else ("up" if d > 0 else "down")
    return env


def _displayed(value: Any) -> Any:
    """Every value the template prints: text loses its bidirectional controls (markup we built stays)."""
    if isinstance(value, Markup):
        return Markup(display_text(str(value)))
    return display_text(value) if isinstance(value, str) else value


def _css() -> str:
    return resources.files("threatscape.report").joinpath("templates/report.css").read_text(encoding="utf-8")


def _citer(report: Report) -> Any:
    index = {s.article_id: s.number for s in report.sources}

    def cite(ids: tuple[str, ...], total: int = 0) -> Markup:
        numbers = sorted({index[a] for a in ids if a in index})
        if not numbers:
            return Markup("")
        links = ",".join(f'<a href="#src-{n}">{n}</a>' for n in numbers)
        more = f' <span class="more">+{total - len(ids)} more</span>' if total > len(ids) else ""
        data = escape(" ".join(ids))
        return Markup(f'<sup class="cite" data-articles="{data}">[{links}]</sup>{more}')

    return cite


def _itemiser(cite: Any) -> Any:
    def items(rows: tuple[ProfileItem, ...], empty: str) -> Markup:
        if not rows:
            return Markup(f'<span class="who">{escape(empty)}</span>')
        out = []
        for it in rows:
            who = f' <span class="who">per {escape(it.attributed_to)}</span>' if it.attributed_to else ""
            tag = ' <span class="tag">contested</span>' if it.contested else ""
            out.append(f"<li>{escape(it.text)}{who}{tag}{cite(it.article_ids)}</li>")
        return Markup("<ul>" + "".join(out) + "</ul>")

    return items


def render_html(report: Report) -> str:
    """The whole report as an HTML document (a string)."""
    cite = _citer(report)
    template = _environment().get_template("report.html.j2")
    return template.render(
        r=report,
        h=report.headline,
        title=title(report),
        css=Markup(_css()),
        points=key_points(report),
        method=METHOD,
        cite=cite,
        items=_itemiser(cite),
        change=change_text,
    )
