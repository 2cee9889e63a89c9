"""Extractor versions: every extraction file is covered, versions follow code and data, facts carry them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from threatscape.model import Article
from threatscape.versions import (
    EXTRACTORS,
    NOT_EXTRACTION,
    PACKAGE,
    SHARED,
    ExtractorFiles,
    compute_versions,
    extractor_versions,
    files_of,
    versions_key,
)


def _covered(patterns: tuple[str, ...]) -> set[Path]:
    return set(files_of(patterns))


def test_every_extract_module_is_in_some_extractor() -> None:
    covered = _covered(SHARED.files).union(*(_covered(spec.files) for spec in EXTRACTORS.values()))
    modules = set(files_of(("extract/**/*.py",)))
    assert modules, "no modules found under threatscape/extract/"
    missing = sorted(p.relative_to(PACKAGE).as_posix() for p in modules - covered)
    assert not missing, f"add these to an extractor's files in threatscape/versions.py: {missing}"


def test_every_data_file_is_in_some_extractor_or_listed_as_not_extraction() -> None:
    covered = _covered(NOT_EXTRACTION).union(*(_covered(spec.files) for spec in EXTRACTORS.values()))
    data = set(files_of(("data/**/*",)))
    missing = sorted(p.relative_to(PACKAGE).as_posix() for p in data - covered)
    assert not missing, f"threatscape/versions.py: put these in an extractor's files or NOT_EXTRACTION: {missing}"
    both = set(files_of(NOT_EXTRACTION)) & set().union(*(_covered(s.files) for s in EXTRACTORS.values()))
    assert not both, f"listed both as extraction data and not: {sorted(map(str, both))}"


def test_every_pattern_matches_a_file_and_every_used_extractor_exists() -> None:
    for name, spec in {"shared": SHARED, **EXTRACTORS}.items():
        for pattern in spec.files:
            assert files_of((pattern,)), f"{name}: {pattern!r} matches no file (moved?)"
        assert set(spec.uses) <= set(EXTRACTORS), name
    for pattern in NOT_EXTRACTION:
        assert files_of((pattern,)), f"NOT_EXTRACTION: {pattern!r} matches no file"


def test_versions_are_short_hex_and_stable() -> None:
    versions = extractor_versions()
    assert set(versions) == set(EXTRACTORS)
    assert all(len(v) == 8 and int(v, 16) >= 0 for v in versions.values())
    assert compute_versions(EXTRACTORS) == versions
    assert versions_key(versions) == versions_key(dict(reversed(list(versions.items()))))
    assert versions_key(versions) != versions_key(versions | {"events": "00000000"})


def test_nothing_is_hashed_at_import() -> None:
    code = "import threatscape.versions as v, threatscape.pipeline; print(v._installed.cache_info().currsize)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def _tree(root: Path, code: str, data: str) -> None:
    (root / "x").mkdir(exist_ok=True)
    (root / "x" / "rule.py").write_text(code, encoding="utf-8")
    (root / "x" / "words.yaml").write_text(data, encoding="utf-8")
    (root / "x" / "base.py").write_text("SHARED = 1\n", encoding="utf-8")


TABLE = {
    "low": ExtractorFiles(("x/rule.py", "x/words.yaml")),
    "high": ExtractorFiles(("x/base.py",), uses=("low",)),
}
CODE = '"""Doc."""\n\n\ndef f(x):\n    """Say."""\n    return x + 1  # one\n'


@pytest.mark.parametrize(
    ("code", "data", "changed"),
    [
        (CODE, "a: 1\n", False),
        ('"""Other doc."""\ndef f(x):\n    return (x\n        + 1)\n', "a: 1\n", False),  # docs, comments, format
        (CODE.replace("+ 1", "+ 2"), "a: 1\n", True),
        (CODE, "a: 2\n", True),
    ],
)
def test_a_version_follows_code_and_data_and_what_it_uses(tmp_path: Path, code: str, data: str, changed: bool) -> None:
    shared = ExtractorFiles(("x/base.py",))
    _tree(tmp_path, CODE, "a: 1\n")
    before = compute_versions(TABLE, shared, tmp_path)
    _tree(tmp_path, code, data)
    after = compute_versions(TABLE, shared, tmp_path)
    assert (before["low"] != after["low"]) is changed
    assert (before["high"] != after["high"]) is changed  # "high" reads what "low" extracts


def test_a_circle_of_uses_is_refused(tmp_path: Path) -> None:
    _tree(tmp_path, CODE, "")
    table = {"a": ExtractorFiles(("x/rule.py",), uses=("b",)), "b": ExtractorFiles(("x/rule.py",), uses=("a",))}
    with pytest.raises(ValueError, match="circle"):
        compute_versions(table, ExtractorFiles(()), tmp_path)


def test_every_extracted_fact_names_its_extractor_and_version() -> None:
    from threatscape.model import to_dict
    from threatscape.pipeline import Resources, extract_articles
    from threatscape.structure import article_id

    body = (
        "Militants killed three policemen in an attack on a checkpoint in Bannu on Sunday, police said. "
        'The Tehreek-e-Taliban Pakistan claimed responsibility. "We will respond," the army said on 3 March 2025.'
    )
    [ex] = extract_articles([Article(article_id(body), "Bannu attack", body, published="2025-03-09")], Resources())
    labels = {f"{name}/{version}" for name, version in extractor_versions().items()}
    exported = to_dict(ex)
    seen = set()
    for kind in ("mentions", "claims", "quantities", "dates", "places", "events", "relations"):
        for fact in exported[kind]:
            name, plus, model = fact["evidence"]["extractor"].partition("+")
            assert name in labels, (kind, fact["evidence"])
            assert not plus or (kind == "events" and model), (kind, fact["evidence"])  # "+<model version>"
            seen.add(fact["evidence"]["extractor"].partition("/")[0])
    assert {"mentions", "claims", "quantities", "dates", "places", "events"} <= seen
