"""Where the tests find the shared folder, and what a test does when something in it is missing.

``../shared`` (the folder beside the repository; ``THREATSCAPE_SHARED`` names another) holds
material the tests read but the repository never stores: the seed page and its gold, the
development pages and their gold, the public test suites in ``data/`` and the scorers in
``tools/``. A user's clone has none of it, so a test that needs it is skipped there. CI sets
``THREATSCAPE_REQUIRE_SHARED=1`` (``.ci/run``): then the same test fails, naming the missing path.

``shared_path(...)`` is the one way a test asks for shared material; tests marked ``shared`` that
skip for another reason are turned into failures under the same variable (``tests/conftest.py``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

SHARED_ENV = "THREATSCAPE_SHARED"
REQUIRE_SHARED_ENV = "THREATSCAPE_REQUIRE_SHARED"
REPO = Path(__file__).resolve().parents[1]

__all__ = ["REQUIRE_SHARED_ENV", "SHARED_ENV", "require_shared", "shared_path", "shared_root"]


def shared_root() -> Path:
    """The shared folder: ``$THREATSCAPE_SHARED``, else ``../shared`` beside the repository."""
    return Path(os.environ.get(SHARED_ENV) or REPO.parent / "shared").resolve()


def require_shared() -> bool:
    return os.environ.get(REQUIRE_SHARED_ENV) == "1"


def missing(what: str) -> NoReturn:
    """Skip the running test for missing shared material, or fail it when CI requires the material."""
    if require_shared():
        pytest.fail(f"{REQUIRE_SHARED_ENV}=1 but {what}", pytrace=False)
    pytest.skip(what)


def shared_path(*parts: str) -> Path:
    """``<shared>/<parts>`` when it exists; otherwise the test skips (or fails, see ``missing``)."""
    path = shared_root().joinpath(*parts)
    if not path.exists():
        missing(f"shared material not found: {path} (the folder beside the repository, or ${SHARED_ENV})")
    return path
