"""Reading a lexicon's data file: the file must hold exactly the keys its lexicon reads.

``read_data("events.yaml", KEYS)`` returns the top-level mapping of ``threatscape/data/events.yaml``
(or of ``path``, for a test or a user's own lexicon). A file that cannot be read or parsed, is not
a mapping, lacks one of ``KEYS`` or holds a key that is not one of them raises ``ConfigError``
naming the file and the key: a misspelt section never loads as an empty list. ``check_keys``
does the same for a nested section ("number_words.small"); its ``optional`` keys may be left out.
"""

from __future__ import annotations

from collections.abc import Collection
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from threatscape.errors import ConfigError

__all__ = ["check_keys", "data_source", "read_data"]


def data_source(name: str, path: str | Path | None = None) -> str:
    """How errors name the file: ``path`` as given, else ``threatscape/data/<name>``."""
    return str(path) if path is not None else f"threatscape/data/{name}"


def read_data(name: str, keys: Collection[str], *, path: str | Path | None = None) -> dict[str, Any]:
    """The mapping in ``threatscape/data/<name>`` (or ``path``), checked against ``keys``."""
    source = data_source(name, path)
    try:
        if path is not None:
            text = Path(path).read_text(encoding="utf-8")
        else:
            text = resources.files("threatscape").joinpath("data", *name.split("/")).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the lexicon: {exc}", source=source) from exc
    return check_keys(data, keys, source=source)


def check_keys(
    section: object, keys: Collection[str], *, source: str, where: str = "", optional: Collection[str] = ()
) -> dict[str, Any]:
    """``section`` as a mapping holding each of ``keys``, perhaps some of ``optional``, and
    nothing else (``where`` names the section in messages)."""
    if not isinstance(section, dict):
        raise ConfigError(f"{repr(where) if where else 'the file'} is not a mapping", source=source)
    prefix = f"{where}." if where else ""
    for key in keys:
        if key not in section:
            raise ConfigError(f"missing key {prefix + key!r}", source=source)
    for key in section:
        if key not in keys and key not in optional:
            raise ConfigError(f"unknown key {prefix + str(key)!r}", source=source)
    return section
