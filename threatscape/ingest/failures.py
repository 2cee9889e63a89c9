"""Errors -> IngestFailure: one line, without repeating the origin the failure already names."""

from __future__ import annotations

from threatscape.errors import ThreatscapeError
from threatscape.model import IngestFailure

__all__ = ["failure_from"]


def failure_from(exc: ThreatscapeError, origin: str) -> IngestFailure:
    """An IngestFailure for ``origin`` whose reason is ``exc``'s first line, minus an ``origin: `` prefix."""
    lines = str(exc).splitlines()
    message = lines[0] if lines else type(exc).__name__
    prefix = f"{origin}: "
    return IngestFailure(origin, message[len(prefix) :] if message.startswith(prefix) else message)
