"""Fetch one URL safely: checked scheme and addresses, capped size, counted redirects.

``fetch`` follows redirects itself so that every hop goes through ``check_url``: the scheme must
be http or https and, unless ``Settings.allow_private``, every address the host resolves to must be
public (not private, loopback, link-local, multicast, reserved or unspecified). Link-local
addresses (169.254.0.0/16, fe80::/10, in any IPv6 spelling such as ``::ffff:169.254.169.254``)
and the cloud metadata services are refused even with ``allow_private``: a page or a redirect
must never reach the credentials a cloud machine serves there. The body is streamed and abandoned
as soon as it passes ``Settings.max_bytes``, or when the whole fetch (every hop, headers and body)
has taken longer than ``Settings.fetch_deadline`` seconds: a server that sends one byte just
inside each read timeout is cut off there.

Errors: ``UnsafeURLError`` (refused before any request), ``FetchError`` (timeout, HTTP status >= 400,
size, too many redirects, connection failure).

The address check resolves the host, then httpx resolves it again to connect; in case the DNS
answer changed in between (DNS rebinding), ``_check_peer`` also refuses a response whose
connection reached a non-public address, before its body is read. (The request itself has been
sent by then: a GET without a body.)
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from threatscape.errors import FetchError, UnsafeURLError
from threatscape.settings import Settings

__all__ = ["Fetched", "check_url", "fetch", "resolve_host"]

ALLOWED_SCHEMES = ("http", "https")
Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class Fetched:
    """A fetched response: the final URL (after redirects), the body and its Content-Type."""

    url: str
    content: bytes
    content_type: str | None = None


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (an IP literal resolves to itself, without DNS)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}") from exc
    return sorted({str(info[4][0]) for info in infos})


# Cloud metadata services outside the link-local ranges (AWS IPv6, Alibaba, Oracle's legacy one).
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in ("fd00:ec2::254", "100.100.100.200", "192.0.0.192"))


def _address(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The address, IPv4-mapped, -compatible, 6to4 and Teredo forms unwrapped to their IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip.teredo is not None:
            return ip.teredo[1]
        if int(ip) >> 32 == 0 and int(ip) > 1:  # ::a.b.c.d, the deprecated IPv4-compatible form
            return ipaddress.IPv4Address(int(ip))
    return ip


def never_allowed(address: str) -> bool:
    """Whether ``address`` is link-local or a cloud metadata service (refused even with allow_private)."""
    ip = _address(address)
    return ip.is_link_local or ip in METADATA_ADDRESSES


def _is_public(address: str) -> bool:
    ip = _address(address)
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


def check_url(url: str, settings: Settings, *, resolver: Resolver = resolve_host) -> None:
    """Raise UnsafeURLError unless ``url`` is http(s) and (unless allowed) reaches only public hosts."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURLError(f"malformed URL: {exc}", source=url) from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeURLError(f"scheme {scheme or '(none)'!r} is not allowed (http and https only)", source=url)
    host = parts.hostname
    if not host:
        raise UnsafeURLError("URL has no host", source=url)
    addresses = resolver(host, port or (443 if scheme == "https" else 80))
    if not addresses:
        raise FetchError(f"host {host!r} resolves to no address", source=url)
    for address in addresses:
        if never_allowed(address):
            raise UnsafeURLError(
                f"host {host!r} resolves to non-public address {address}"
                " (link-local or metadata: refused even with allow_private)",
                source=url,
            )
        if not settings.allow_private and not _is_public(address):
            raise UnsafeURLError(
                f"host {host!r} resolves to non-public address {address} (see allow_private)", source=url
            )


def _past_deadline(deadline: float, url: str, settings: Settings) -> None:
    if time.monotonic() > deadline:
        raise FetchError(f"took longer than the deadline of {settings.fetch_deadline:g}s", source=url)


def _read_capped(response: httpx.Response, url: str, settings: Settings, deadline: float) -> bytes:
    max_bytes = settings.max_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"response is {declared} bytes, over the cap of {max_bytes} bytes", source=url)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"response is larger than the cap of {max_bytes} bytes", source=url)
        chunks.append(chunk)
        _past_deadline(deadline, url, settings)
    return b"".join(chunks)


def _check_peer(response: httpx.Response, url: str, settings: Settings) -> None:
    """Refuse a response whose connection reached a non-public address (DNS changed after the check)."""
    stream = response.extensions.get("network_stream")
    if stream is None:
        return
    peer = stream.get_extra_info("server_addr")
    if not (isinstance(peer, tuple) and peer):
        return
    if never_allowed(str(peer[0])):
        raise UnsafeURLError(f"connection reached non-public address {peer[0]} (link-local or metadata)", source=url)
    if not settings.allow_private and not _is_public(str(peer[0])):
        raise UnsafeURLError(f"connection reached non-public address {peer[0]} (see allow_private)", source=url)


def _client(settings: Settings, transport: httpx.BaseTransport | None) -> httpx.Client:
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(settings.timeout),
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": settings.user_agent},
    )


def _get(client: httpx.Client, url: str, settings: Settings, deadline: float) -> Fetched | str:
    """One hop: a Fetched response, or the absolute URL a redirect points to."""
    _past_deadline(deadline, url, settings)
    left = max(deadline - time.monotonic(), 0.001)
    with client.stream("GET", url, timeout=httpx.Timeout(min(settings.timeout, left))) as response:
        _check_peer(response, url, settings)
        if response.is_redirect:
            location = response.headers.get("location")
            if not location:
                raise FetchError(f"HTTP {response.status_code} redirect without a Location", source=url)
            return urljoin(url, location)
        if response.status_code >= 400:
            raise FetchError(f"HTTP {response.status_code}", source=url)
        content = _read_capped(response, url, settings, deadline)
        return Fetched(str(response.url), content, response.headers.get("content-type"))


def fetch(
    url: str,
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
    resolver: Resolver = resolve_host,
) -> Fetched:
    """GET ``url`` with the checks above; raise UnsafeURLError or FetchError (reason names the URL)."""
    current = url
    deadline = time.monotonic() + settings.fetch_deadline
    with _client(settings, transport) as client:
        for _ in range(settings.max_redirects + 1):
            check_url(current, settings, resolver=resolver)
            try:
                result = _get(client, current, settings, deadline)
            except httpx.TimeoutException as exc:
                _past_deadline(deadline, current, settings)  # a read cut short by the deadline says so
                raise FetchError(f"timed out after {settings.timeout:g}s", source=current) from exc
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise FetchError(f"request failed: {message}", source=current) from exc
            if isinstance(result, Fetched):
                return result
            current = result
    raise FetchError(f"more than {settings.max_redirects} redirects", source=url)
