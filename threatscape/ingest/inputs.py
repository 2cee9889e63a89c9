"""Input arguments -> sources to read: files, folders (recursive), globs, stdin ("-"), URLs.

Folders are walked recursively in sorted order, skipping hidden files and folders and the
documentation that travels with a corpus (README, LICENSE, CHANGELOG, NOTICE, any extension); a
file named explicitly is always read. A glob that
matches nothing, a path that does not exist, a folder with nothing to read, a special file (FIFO,
socket, device: opening one can block for ever) and a URL with a scheme other than http(s) become
``IngestFailure``s that say so; everything else becomes a ``Source``.
"""

from __future__ import annotations

import glob
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from threatscape.model import IngestFailure

__all__ = ["Source", "expand_inputs"]

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")
_GLOB_CHARS = re.compile(r"[*?[]")
_DOC_FILES = re.compile(r"(readme|license|licence|changelog|notice)(\.[a-z0-9]+)?$", re.IGNORECASE)


def _skipped(name: str) -> bool:
    return name.startswith(".") or _DOC_FILES.match(name) is not None


@dataclass(frozen=True)
class Source:
    """One thing to read: ``kind`` is ``path``, ``url`` or ``stdin``; ``ref`` the path or URL."""

    kind: str
    ref: str


_SPECIAL = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _file(path: str) -> Source | IngestFailure:
    """A regular file (or a link to one) to read; anything else is named and skipped, never opened."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return IngestFailure(path, f"cannot read: {exc.strerror or exc}")
    if stat.S_ISREG(mode):
        return Source("path", path)
    kind = next((name for test, name in _SPECIAL if test(mode)), "a special file")
    return IngestFailure(path, f"skipped: {kind}, not a regular file")


def _walk(folder: Path) -> Iterator[Source | IngestFailure]:
    found = False
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not _skipped(name):
                found = True
                yield _file(os.path.join(root, name))
    if not found:
        yield IngestFailure(str(folder), "folder holds no file to ingest")


def _expand_path(arg: str) -> Iterator[Source | IngestFailure]:
    path = Path(arg)
    if path.is_dir():
        yield from _walk(path)
    elif path.exists():
        yield _file(arg)
    elif _GLOB_CHARS.search(arg):
        matches = sorted(glob.glob(arg, recursive=True))
        if not matches:
            yield IngestFailure(arg, "glob matched no files")
        for match in matches:
            yield from _walk(Path(match)) if Path(match).is_dir() else iter([_file(match)])
    else:
        yield IngestFailure(arg, "no such file or directory")


def expand_inputs(inputs: list[str] | tuple[str, ...]) -> Iterator[Source | IngestFailure]:
    """Each input argument -> the sources it names, in order, or a failure saying why not."""
    for arg in inputs:
        if arg == "-":
            yield Source("stdin", "-")
            continue
        scheme = _SCHEME.match(arg)
        if scheme is not None:
            yield Source("url", arg)  # the fetcher refuses schemes other than http(s)
            continue
        if not arg.strip():
            yield IngestFailure(arg, "empty input name")
            continue
        yield from _expand_path(arg)
