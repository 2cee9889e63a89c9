"""Gates that fail, never skip: with THREATSCAPE_REQUIRE_SHARED=1 a test needing ../shared fails
when the material is missing, and says what is missing; without it the test is skipped.

Each case runs pytest in a subprocess with THREATSCAPE_SHARED pointed at an empty folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from shared_material import REQUIRE_SHARED_ENV, SHARED_ENV

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


def _pytest(*args: str, shared: Path, require: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != REQUIRE_SHARED_ENV}
    env[SHARED_ENV] = str(shared)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), str(TESTS), os.environ.get("PYTHONPATH")]))
    if require:
        env[REQUIRE_SHARED_ENV] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )


def test_missing_material_fails_under_require_and_names_it(tmp_path: Path) -> None:
    test, material = "tests/test_dev_gate.py", "dev/texts"
    required = _pytest(test, shared=tmp_path, require=True)
    assert required.returncode == 1, required.stdout[-2000:]
    assert f"{REQUIRE_SHARED_ENV}=1 but shared material not found: {tmp_path / material}" in required.stdout
    assert " skipped" not in required.stdout.splitlines()[-1]

    optional = _pytest(test, shared=tmp_path, require=False)
    assert optional.returncode == 0, optional.stdout[-2000:]
    last = optional.stdout.strip().splitlines()[-1]
    assert "skipped" in last and "passed" not in last and "failed" not in last
    assert str(tmp_path / material) in optional.stdout  # the skip reason names it too


def test_a_shared_test_skipping_by_its_own_check_fails_under_require(tmp_path: Path) -> None:
    """The conftest hook: a ``shared`` test that skips another way (``skipif``) fails as well."""
    case = tmp_path / "test_case.py"
    case.write_text(
        "import pytest\n\n"
        "@pytest.mark.shared\n"
        "@pytest.mark.skipif(True, reason='the scorer is not here')\n"
        "def test_needs_material():\n    pass\n\n"
        "@pytest.mark.skipif(True, reason='not shared material')\n"
        "def test_unrelated():\n    pass\n",
        encoding="utf-8",
    )
    args = ("--rootdir", str(REPO), "-c", str(REPO / "pyproject.toml"))  # and tests/conftest.py as a plugin
    required = _pytest(*args, "-p", "conftest", str(case), shared=tmp_path, require=True)
    assert required.returncode == 1, required.stdout[-2000:]
    assert "but this shared test skipped" in required.stdout and "the scorer is not here" in required.stdout
    assert "1 skipped" in required.stdout  # only the shared test turns into a failure
    assert _pytest(*args, "-p", "conftest", str(case), shared=tmp_path, require=False).returncode == 0
