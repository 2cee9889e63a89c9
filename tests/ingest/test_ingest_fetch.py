"""fetch: URL rules, redirects, size cap, timeouts, status codes (loopback server and httpx transport)."""

from __future__ import annotations

import httpx
import pytest
from ingest_loopback import Loopback, Reply

from threatscape.errors import FetchError, UnsafeURLError
from threatscape.ingest.fetch import check_url, fetch
from threatscape.settings import Settings

PUBLIC = "93.184.215.14"  # a public address for the fake resolver; never contacted


def public_resolver(host: str, port: int) -> list[str]:
    return [PUBLIC]


def refuse_transport(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request should be made, got {request.url}")


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/feed.xml", "gopher://example.org/", "javascript:alert(1)"]
)
def test_non_http_schemes_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURLError, match="not allowed"):
        fetch(url, Settings(), transport=httpx.MockTransport(refuse_transport))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://localhost/",
    ],
)
def test_private_addresses_are_refused_before_any_request(url: str) -> None:
    with pytest.raises(UnsafeURLError, match="non-public address"):
        fetch(url, Settings(), transport=httpx.MockTransport(refuse_transport))


def test_any_private_address_among_several_is_refused() -> None:
    with pytest.raises(UnsafeURLError, match="10.1.2.3"):
        check_url("http://mixed.example/", Settings(), resolver=lambda h, p: [PUBLIC, "10.1.2.3"])


def test_public_address_passes_and_private_allowed_with_setting() -> None:
    check_url("https://news.example/a", Settings(), resolver=public_resolver)
    check_url("http://10.0.0.1/", Settings(allow_private=True))


def test_redirect_to_private_address_is_refused_at_the_hop() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://10.0.0.1/admin"})

    def resolver(host: str, port: int) -> list[str]:
        return ["10.0.0.1"] if host == "10.0.0.1" else [PUBLIC]

    with pytest.raises(UnsafeURLError, match="10.0.0.1"):
        fetch("http://news.example/", Settings(), transport=httpx.MockTransport(handler), resolver=resolver)
    assert seen == ["http://news.example/"]


def test_transport_fetch_sends_user_agent_and_returns_content_type() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["user-agent"] == "ua-test/1"
        return httpx.Response(200, content=b"<html>hi</html>", headers={"Content-Type": "text/html"})

    settings = Settings(user_agent="ua-test/1")
    fetched = fetch("http://news.example/a", settings, transport=httpx.MockTransport(handler), resolver=public_resolver)
    assert fetched.content == b"<html>hi</html>"
    assert fetched.content_type == "text/html"
    assert fetched.url == "http://news.example/a"


def test_loopback_fetch_follows_redirects_and_reports_final_url(loopback: Loopback, local: Settings) -> None:
    loopback.routes["/old"] = Reply(301, headers={"Location": "/new"})
    loopback.routes["/new"] = Reply(200, b"moved here", "text/plain")
    fetched = fetch(loopback.url("/old"), local)
    assert fetched.content == b"moved here"
    assert fetched.url == loopback.url("/new")
    assert loopback.hits == ["/old", "/new"]
    assert loopback.user_agents[0] == local.user_agent


def test_loopback_is_refused_without_allow_private(loopback: Loopback) -> None:
    loopback.routes["/"] = Reply(200, b"secret")
    with pytest.raises(UnsafeURLError):
        fetch(loopback.url("/"), Settings())
    assert loopback.hits == []


def test_http_500_is_a_fetch_error(loopback: Loopback, local: Settings) -> None:
    loopback.routes["/feed"] = Reply(500, b"boom")
    with pytest.raises(FetchError, match="HTTP 500"):
        fetch(loopback.url("/feed"), local)


def test_endless_redirects_stop_at_the_cap(loopback: Loopback, local: Settings) -> None:
    loopback.routes["/loop/*"] = lambda path: Reply(302, headers={"Location": f"/loop/{len(path)}x"})
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch(loopback.url("/loop/0"), local)
    assert len(loopback.hits) == local.max_redirects + 1


def test_slow_server_times_out(loopback: Loopback) -> None:
    loopback.routes["/slow"] = Reply(200, b"late", delay=1.5)
    with pytest.raises(FetchError, match="timed out after 0.3s"):
        fetch(loopback.url("/slow"), Settings(allow_private=True, timeout=0.3))


def test_response_over_the_size_cap_is_refused(loopback: Loopback) -> None:
    loopback.routes["/big"] = Reply(200, b"x" * 5000, "text/plain")
    with pytest.raises(FetchError, match="over the cap of 1000 bytes"):
        fetch(loopback.url("/big"), Settings(allow_private=True, max_bytes=1000))


def test_streamed_body_without_length_stops_at_the_cap() -> None:
    produced: list[int] = []

    def chunks():  # an endless body: the fetcher must stop reading
        while True:
            produced.append(1)
            yield b"y" * 100

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=chunks())

    with pytest.raises(FetchError, match="larger than the cap of 1000 bytes"):
        fetch(
            "http://news.example/",
            Settings(max_bytes=1000),
            transport=httpx.MockTransport(handler),
            resolver=public_resolver,
        )
    assert len(produced) <= 11


def test_connection_that_reaches_a_private_address_is_refused(loopback: Loopback) -> None:
    # The resolver says public, the connection lands on 127.0.0.1: what DNS rebinding looks like.
    loopback.routes["/"] = Reply(200, b"internal secrets")
    with pytest.raises(UnsafeURLError, match="connection reached non-public address 127.0.0.1"):
        fetch(loopback.url("/"), Settings(), resolver=public_resolver)
