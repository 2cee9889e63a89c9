"""Sanctions review, search and reports in-process: a decision needs the CSRF token and lands in
the same tables the CLI and the screener read; search marks the words it found and leaves hostile
text inert; the report form gives the brief as HTML and PDF downloads."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tests.serve.conftest import HOSTILE_REVIEW, REVIEW_NAMES
from threatscape.cli import cli
from threatscape.serve.app import CSP, create_app
from threatscape.serve.csrf import COOKIE, HEADER
from threatscape.serve.pages import search as search_page
from threatscape.serve.pages.search import snippet
from threatscape.store import open_store
from threatscape.store.sanctions import SanctionsDB

TOKEN_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def review(review_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(review_db)) as c:
        yield c


def _token(client: TestClient) -> str:
    page = client.get("/sanctions/review").text
    found = TOKEN_FIELD.search(page)
    assert found is not None
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
    assert meta is not None and meta.group(1) == found.group(1) == client.cookies.get(COOKIE)
    return found.group(1)


def _cli_pending(db: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(cli, ["sanctions", "review", "--db", db, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return rows


def _item(db: str, query: str) -> int:
    with SanctionsDB.open(db) as store:
        return next(p.id for p in store.pending() if p.query == query)


def test_the_review_page_lists_every_pending_match_with_its_explanation(review: TestClient, review_db: str) -> None:
    response = review.get("/sanctions/review")
    assert response.status_code == 200 and response.headers["content-security-policy"] == CSP
    cookie = response.headers["set-cookie"].lower()
    assert f"{COOKIE}=" in cookie and "samesite=strict" in cookie and "httponly" in cookie
    rows = re.findall(r'<tr data-id="(\d+)">', response.text)
    with SanctionsDB.open(review_db) as store:
        pending = store.pending()
    assert [int(r) for r in rows] == [p.id for p in pending] and len(pending) == len(REVIEW_NAMES) + 1
    for p in pending:
        if p.query in REVIEW_NAMES:
            assert f'<td class="query">{p.query}</td>' in response.text
            assert p.explanation.replace("'", "&#39;") in response.text
    assert "masood~masud (spelling variant)" in response.text  # why the score is what it is


def test_hostile_review_text_is_inert(review: TestClient) -> None:
    html = review.get("/sanctions/review").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;r&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(5)&gt;" in html
    assert HOSTILE_REVIEW["query"] not in html


def test_a_decision_without_the_token_is_refused(review: TestClient, review_db: str) -> None:
    item = _item(review_db, "Noor Wali")
    token = _token(review)
    assert review.post(f"/sanctions/review/{item}", data={"decision": "accept"}).status_code == 403
    wrong = {"decision": "accept", "csrf_token": "x" * 43}
    assert review.post(f"/sanctions/review/{item}", data=wrong).status_code == 403
    assert review.post(f"/api/sanctions/review/{item}", json={"decision": "accept"}).status_code == 403
    bad_header = {HEADER: token[:-1] + ("A" if token[-1] != "A" else "B")}
    assert (
        review.post(f"/api/sanctions/review/{item}", json={"decision": "accept"}, headers=bad_header).status_code == 403
    )
    # the right token without the cookie (another site's form cannot send it): refused too
    fresh = TestClient(review.app)
    assert fresh.post(f"/sanctions/review/{item}", data={"decision": "accept", "csrf_token": token}).status_code == 403
    with SanctionsDB.open(review_db) as store:
        assert store.decisions() == {} and item in [p.id for p in store.pending()]


def test_an_accepted_match_is_kept_where_the_cli_and_the_screener_see_it(review: TestClient, review_db: str) -> None:
    item = _item(review_db, "Noor Wali")
    before = _cli_pending(review_db)
    assert item in [r["id"] for r in before]
    token = _token(review)
    response = review.post(
        f"/sanctions/review/{item}", data={"decision": "accept", "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/sanctions/review"
    with SanctionsDB.open(review_db) as store:
        assert list(store.decisions().values()) == ["accept"]
        assert item not in [p.id for p in store.pending()]
    assert [r["id"] for r in _cli_pending(review_db)] == [r["id"] for r in before if r["id"] != item]
    assert f'<tr data-id="{item}">' not in review.get("/sanctions/review").text
    screened = CliRunner().invoke(
        cli, ["sanctions", "match", "Noor Wali", "--type", "person", "--db", review_db, "--format", "json"]
    )
    assert json.loads(screened.output)[0]["verdict"] == "match"  # the screener reuses the decision


def test_htmx_gets_the_row_back_and_the_api_decides_with_the_header(review: TestClient, review_db: str) -> None:
    token = _token(review)
    amir, masood = _item(review_db, "Amir Khan"), _item(review_db, "Masood Azhar")
    response = review.post(
        f"/sanctions/review/{amir}", data={"decision": "reject", "csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and 'class="decided reject"' in response.text
    listed = review.get("/api/sanctions/review").json()
    assert listed["total"] == len(REVIEW_NAMES) and amir not in [p["id"] for p in listed["pending"]]
    assert listed["csrf_token"] == token
    decided = review.post(f"/api/sanctions/review/{masood}", json={"decision": "reject"}, headers={HEADER: token})
    assert decided.status_code == 200 and decided.json()["ref"] == "QDi.422"
    with SanctionsDB.open(review_db) as store:
        assert sorted(store.decisions().values()) == ["reject", "reject"]
    assert (
        review.post("/api/sanctions/review/99999", json={"decision": "accept"}, headers={HEADER: token}).status_code
        == 404
    )
    assert (
        review.post(f"/api/sanctions/review/{amir}", json={"decision": "maybe"}, headers={HEADER: token}).status_code
        == 400
    )


def test_search_finds_a_demo_article_by_a_word_of_its_body(client: TestClient, serve_db: str) -> None:
    with open_store(serve_db) as store:
        expected = {a.id for a in store.articles(search="cantonment")}
        article = next(a for a in store.articles(search="cantonment") if "cantonment" in a.body)
    assert expected
    html = client.get("/search", params={"q": "cantonment"}).text
    assert f'<span id="total">{len(expected)}</span>' in html
    assert set(re.findall(r'<li data-id="([^"]+)">', html)) == expected
    assert f'href="/articles/{article.id}"' in html
    assert re.search(r'<mark class="hit">cantonment</mark>', html, flags=re.I)
    api = client.get("/api/search", params={"q": "cantonment"}).json()
    assert api["total"] == len(expected)
    for a in api["articles"]:
        assert all(a["snippet"][s:e].lower() == "cantonment" for s, e in a["hits"])


def test_search_pages_through_every_result_once(
    client: TestClient, serve_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_page, "RESULTS", 5)
    with open_store(serve_db) as store:
        expected = [a.id for a in store.articles(search="Pakistan")]
    assert len(expected) > 2 * 5  # three pages or more
    seen: list[str] = []
    page = 1
    while True:
        html = client.get("/search", params={"q": "Pakistan", "page": page}).text
        seen += re.findall(r'<li data-id="([^"]+)">', html)
        if 'rel="next"' not in html:
            break
        page += 1
    assert seen == expected and page == -(-len(expected) // 5)


def test_hostile_text_is_inert_in_search_results(client: TestClient) -> None:
    html = client.get("/search", params={"q": "checkpoint Lashkar"}).text
    assert 'data-id="hostile-1"' in html or "Gunmen" in html
    assert "<script>alert" not in html and "<img src=x" not in html and "<b onmouseover" not in html
    assert 'href="javascript:' not in html and "javascript:alert(document.cookie)" not in html
    assert "&lt;script&gt;" in html  # shown as text
    assert '<mark class="hit">Lashkar</mark>' in html
    # the query itself is echoed escaped
    echoed = client.get("/search", params={"q": '"><script>alert(9)</script>'}).text
    assert "<script>alert(9)" not in echoed


def test_a_snippet_escapes_what_surrounds_its_marks() -> None:
    body = 'Before <b>bold</b> the raid on Bannu & "more" text'
    assert str(snippet(body, ["bannu"])) == (
        'Before &lt;b&gt;bold&lt;/b&gt; the raid on <mark class="hit">Bannu</mark> &amp; &#34;more&#34; text'
    )
    long = "word " * 100 + "Bannu " + "tail " * 100
    cut = str(snippet(long, ["Bannu"]))
    assert cut.startswith("…") and cut.endswith("…") and '<mark class="hit">Bannu</mark>' in cut


def test_the_report_form_gives_the_brief_as_html_and_pdf(client: TestClient) -> None:
    form = client.get("/reports").text
    assert 'action="/reports/brief"' in form and 'name="actor"' in form and 'name="admin1"' in form
    period = {"from": "2024-01-01", "to": "2025-12-31"}
    html = client.get("/reports/brief", params=period | {"format": "html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert html.headers["content-disposition"] == 'attachment; filename="brief-2024-01-01-2025-12-31.html"'
    assert html.headers["content-security-policy"] == CSP  # the app's policy is not loosened for it
    for heading in ("Headline figures", "Actor profiles", "Notable events", "Sources"):
        assert re.search(rf"<h2[^>]*>{heading}</h2>", html.text), heading
    assert "<script>alert" not in html.text
    pdf = client.get("/reports/brief", params=period | {"format": "pdf", "country": "PK"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    bad = client.get("/reports/brief", params={"from": "2025-01-01", "to": "2024-01-01"})
    assert bad.status_code == 400 and "before" in bad.text
