"""Files of a batch folder, local or behind an fsspec URL, each written whole or not at all.

On a local disk a file is written under a temporary name and renamed into place (atomic on
POSIX); on an object store (S3, GCS, Azure) one upload is atomic already. So a reader, and the
done marker of a partition written last, never see half a file, even when two attempts of one
partition race (a worker presumed dead that was only slow).
"""

from __future__ import annotations

import os
import uuid
from typing import Any

__all__ = ["DONE", "done_partitions", "exists", "folder", "put_file", "read_file"]

DONE = "_DONE"  # the marker a partition's folder holds once all its tables are written


def folder(out: str) -> tuple[Any, str]:
    """The filesystem and root path of the batch folder ``out``."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(out)
    return fs, root.rstrip("/")


def put_file(out: str, name: str, data: bytes) -> None:
    """Write ``data`` to ``out/name`` (its folder made as needed), atomically."""
    fs, root = folder(out)
    path = f"{root}/{name}"
    parent = path.rpartition("/")[0]
    fs.makedirs(parent, exist_ok=True)
    from fsspec.implementations.local import LocalFileSystem

    if isinstance(fs, LocalFileSystem):
        tmp = f"{path}.tmp-{uuid.uuid4().hex}"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    else:
        fs.pipe_file(path, data)


def read_file(out: str, name: str) -> bytes:
    fs, root = folder(out)
    return fs.cat_file(f"{root}/{name}")  # type: ignore[no-any-return]


def exists(out: str, name: str) -> bool:
    fs, root = folder(out)
    return bool(fs.exists(f"{root}/{name}"))


def done_partitions(out: str, marker: str) -> set[str]:
    """The names of the partition folders of ``out`` that hold ``marker`` (one listing)."""
    fs, root = folder(out)
    return {path.rstrip("/").split("/")[-2] for path in fs.glob(f"{root}/part-*/{marker}")}
