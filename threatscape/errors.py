"""Exceptions raised by threatscape.

Every error the library raises on purpose derives from ``ThreatscapeError``; the CLI turns it into
a one-line message and a non-zero exit code in one place (``cli.main``).

    ThreatscapeError
    ├── InputError        a document, file, URL or record cannot be read (names it and says why)
    │   ├── FetchError    a URL or feed could not be fetched (timeout, status, size, redirects)
    │   └── UnsafeURLError  a URL was refused (scheme, private or loopback address)
    ├── ParseError        a document was read but its content is malformed (bad JSON line, bad XML)
    ├── StoreError        the database refused an operation or is unreachable
    ├── ConfigError       a setting or option has an invalid value
    └── WorkerError       a worker process stopped before returning its batch (names the batch)
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "FetchError",
    "InputError",
    "ParseError",
    "StoreError",
    "ThreatscapeError",
    "UnsafeURLError",
    "WorkerError",
]


class ThreatscapeError(Exception):
    """Root of every error threatscape raises on purpose."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class InputError(ThreatscapeError):
    """An input (file, URL, stdin, record) cannot be read."""


class FetchError(InputError):
    """Fetching a URL or feed failed."""


class UnsafeURLError(InputError):
    """A URL was refused before any request was made."""


class ParseError(ThreatscapeError):
    """An input was read but its content is malformed."""


class StoreError(ThreatscapeError):
    """The store refused an operation or cannot be reached."""


class ConfigError(ThreatscapeError):
    """A setting has an invalid value."""


class WorkerError(ThreatscapeError):
    """A worker process (``--processes``) stopped before it returned its batch."""
