"""The report from the demo database in HTML, PDF and Markdown, checked as a reader would check it."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from threatscape.cli_report import report
from threatscape.report.build import build_report, resolve_filters
from threatscape.report.render_html import render_html
from threatscape.report.summary import fmt_int
from threatscape.store import Store

PERIOD = ("--from", "2024-01-01", "--to", "2025-12-31")
EXTERNAL = re.compile(r"^(https?:)?//", re.I)


class _Page(HTMLParser):
    """What the tests look at: tags, fetching attributes, citations, ids and sourced elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.fetches: list[str] = []  # src / srcset / poster / data / xlink:href / link href
        self.anchors: list[str] = []
        self.ids: set[str] = set()
        self.sourced: list[tuple[str, str]] = []  # (element, data-articles)
        self.source_articles: set[str] = set()
        self.figures: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        for key in ("src", "srcset", "poster", "data", "xlink:href", "background"):
            if key in a:
                self.fetches.append(a[key])
        if tag in ("link", "use", "image", "iframe", "object", "embed") and a.get("href"):
            self.fetches.append(a["href"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.anchors.append(a["href"][1:])
        if "id" in a:
            self.ids.add(a["id"])
        if "data-articles" in a:
            self.sourced.append((tag, a["data-articles"]))
        if "data-article" in a:
            self.source_articles.add(a["data-article"])
        if tag == "figure":
            self.figures[a.get("data-figure", "")] = a.get("data-articles", "")


@pytest.fixture(scope="module")
def outputs(demo_db: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    files = {}
    for fmt in ("html", "pdf", "md"):
        path = out / f"report.{fmt}"
        result = CliRunner().invoke(
            report, [*PERIOD, "--db", demo_db, "--format", fmt, "-o", str(path)], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
        files[fmt] = path
    return files


def test_html_requests_nothing_outside_the_file(outputs: dict[str, Path]) -> None:
    html = outputs["html"].read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert [f for f in page.fetches if not f.startswith(("#", "data:"))] == []
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.I)
    assert "@import" not in html
    assert html.count("<svg") >= 2  # timeline and network (and the map when assets are built)


def test_every_figure_and_row_names_articles_listed_in_sources(outputs: dict[str, Path]) -> None:
    page = _Page()
    page.feed(outputs["html"].read_text(encoding="utf-8"))
    assert set(page.figures) == {"timeline", "map", "network"}
    assert all(ids.split() for ids in page.figures.values()), page.figures
    cited = {a for _, ids in page.sourced for a in ids.split()}
    assert cited and cited <= page.source_articles
    assert set(page.anchors) <= page.ids  # every footnote lands on a source or section
    assert sum(1 for tag, ids in page.sourced if tag == "tr" and ids) >= 3


def test_headline_numbers_are_the_store_counts(demo_store: Store) -> None:
    filters = resolve_filters(demo_store, "2024-01-01", "2025-12-31")
    built = build_report(demo_store, filters)
    h = built.headline
    assert h.events == sum(r.value for r in h.by_type)
    assert h.fatalities_low <= h.fatalities_best <= h.fatalities_high
    assert h.events > 0 and h.article_ids
    html = render_html(built)
    assert f'id="kpi-events">{fmt_int(h.events)}<' in html


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_first_page_renders_and_holds_the_headline(
    outputs: dict[str, Path], demo_store: Store, tmp_path: Path
) -> None:
    pdf = outputs["pdf"]
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    h = build_report(demo_store, resolve_filters(demo_store, "2024-01-01", "2025-12-31")).headline
    assert "Threat landscape" in text and "Headline figures" in text
    for figure in (
        fmt_int(h.events),
        fmt_int(h.fatalities_best),
        f"{fmt_int(h.fatalities_low)}–{fmt_int(h.fatalities_high)}",
    ):
        assert figure in text, figure
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "40", "-png", str(pdf), str(tmp_path / "p")], check=True)
    png = next(tmp_path.glob("p*.png"))
    from PIL import Image

    with Image.open(png) as im:
        grey = im.convert("L")
        assert grey.size[0] > 200 and grey.getextrema()[0] < 100  # something dark was drawn


def test_markdown_has_every_section_and_numbered_sources(outputs: dict[str, Path]) -> None:
    md = outputs["md"].read_text(encoding="utf-8")
    for heading in (
        "## Headline figures",
        "## Figures",
        "## Actor profiles",
        "## Financing and money flows",
        "## Contested claims",
        "## Notable events",
        "## Sources",
        "## Method",
    ):
        assert heading in md
    cited = {int(n) for n in re.findall(r"\(#src-(\d+)\)", md)}
    listed = {int(n) for n in re.findall(r'<a id="src-(\d+)"></a>', md)}
    assert cited and cited <= listed


def test_pdf_needs_an_output_file(demo_db: str) -> None:
    result = CliRunner().invoke(report, [*PERIOD, "--db", demo_db, "--format", "pdf"])
    assert result.exit_code == 2 and "needs -o" in result.output


def test_bad_dates_and_unknown_actor_are_named(demo_db: str) -> None:
    from threatscape.errors import ConfigError

    for args, words in (
        (["--from", "2024-13-01", "--to", "2024-12-31"], "--from"),
        (["--from", "2024-02-01", "--to", "2024-01-01"], "before"),
        ([*PERIOD, "--actor", "no such group"], "no actor"),
    ):
        result = CliRunner().invoke(report, [*args, "--db", demo_db])
        assert isinstance(result.exception, ConfigError) and words in str(result.exception)


def test_every_financing_row_names_a_payer_or_a_payee(demo_store: Store) -> None:
    built = build_report(demo_store, resolve_filters(demo_store, "2024-01-01", "2025-12-31"))
    assert built.money, "the demo corpus reports money flows"
    assert all(m.payer or m.payee for m in built.money), [(m.amount, m.evidence) for m in built.money]
    per_year = [m.usd_per_year for m in built.money if m.usd_per_year is not None]
    assert per_year == sorted(per_year, reverse=True)
