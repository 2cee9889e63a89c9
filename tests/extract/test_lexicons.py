"""The extractors' lexicons: every data file loads, a missing or unknown key is a ConfigError that
names the file and the key, and the pipeline hands each extractor the lexicon ``Resources`` holds."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml

from threatscape.errors import ConfigError
from threatscape.extract import document
from threatscape.extract.actors.lexicon import load_role_lexicon
from threatscape.extract.claims.lexicon import load_cues
from threatscape.extract.dates.lexicon import load_date_lexicon
from threatscape.extract.events.lexicon import load_event_lexicon, load_plover_lexicon
from threatscape.extract.quantities.lexicon import load_quantity_lexicon
from threatscape.extract.relations.lexicon import load_relation_lexicon
from threatscape.model import Article
from threatscape.pipeline import Resources

# (data file, its loader, a top-level key the loader needs)
LOADERS: list[tuple[str, Callable[..., Any], str]] = [
    ("events.yaml", load_event_lexicon, "time_nouns"),
    ("events.yaml", load_plover_lexicon, "plover_verbs"),
    ("cues.yaml", load_cues, "cues"),
    ("quantities.yaml", load_quantity_lexicon, "usd_lead_words"),
    ("dates.yaml", load_date_lexicon, "number_words"),
    ("relations.yaml", load_relation_lexicon, "relative_pronouns"),
    ("actors/roles.yaml", load_role_lexicon, "determiners"),
]
IDS = [f"{name}:{loader.__name__}" for name, loader, _ in LOADERS]


def _packaged(name: str) -> dict[str, Any]:
    text = resources.files("threatscape").joinpath("data", *name.split("/")).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "lexicon.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "loader", "key"), LOADERS, ids=IDS)
def test_the_packaged_file_loads_and_a_copy_loads_the_same(tmp_path, name, loader, key):
    packaged = loader()
    assert loader() is packaged  # read once
    copy = loader(_write(tmp_path, _packaged(name)))
    assert copy is not packaged
    assert repr(copy) == repr(packaged)


@pytest.mark.parametrize(("name", "loader", "key"), LOADERS, ids=IDS)
def test_a_missing_key_is_an_error_naming_file_and_key(tmp_path, name, loader, key):
    data = _packaged(name)
    del data[key]
    path = _write(tmp_path, data)
    with pytest.raises(ConfigError, match=f"missing key '{key}'") as err:
        loader(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize(("name", "loader", "key"), LOADERS, ids=IDS)
def test_an_unknown_key_is_an_error_naming_file_and_key(tmp_path, name, loader, key):
    data = {**_packaged(name), "tiem_nouns": ["hour"]}
    path = _write(tmp_path, data)
    with pytest.raises(ConfigError, match="unknown key 'tiem_nouns'") as err:
        loader(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize(
    ("name", "loader", "section", "change", "message"),
    [
        ("quantities.yaml", load_quantity_lexicon, "number_words", "drop:small", "missing key 'number_words.small'"),
        ("quantities.yaml", load_quantity_lexicon, "periods", "add:hours", "unknown key 'periods.hours'"),
        ("relations.yaml", load_relation_lexicon, "contested", "drop:window_days", "'contested.window_days'"),
    ],
)
def test_nested_sections_are_checked_too(tmp_path, name, loader, section, change, message):
    data = _packaged(name)
    op, key = change.split(":")
    if op == "drop":
        del data[section][key]
    else:
        data[section][key] = {}
    with pytest.raises(ConfigError, match=message):
        loader(_write(tmp_path, data))


def test_an_unreadable_or_non_mapping_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_cues(tmp_path / "absent.yaml")
    path = tmp_path / "list.yaml"
    path.write_text("- cues\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a mapping"):
        load_cues(path)


def test_resources_load_each_lexicon_once():
    res = Resources()
    for attr in (
        "role_lexicon",
        "cue_lexicon",
        "quantity_lexicon",
        "date_lexicon",
        "relation_lexicon",
        "event_lexicon",
        "plover_lexicon",
    ):
        assert getattr(res, attr) is getattr(res, attr)


def test_extract_document_passes_the_resources_lexicons():
    """Each extractor gets the lexicon object ``Resources`` holds, not one it loads itself."""
    res = mock.Mock()
    article = Article(id="a1", title="", body="Text.")
    names = [
        "extract_actors",
        "extract_claims",
        "extract_quantities",
        "extract_dates",
        "resolve_places",
        "extract_relations",
        "extract_events",
        "release",
    ]
    with mock.patch.multiple(document, **{n: mock.DEFAULT for n in names}) as fakes:
        for n in names:
            fakes[n].return_value = mock.MagicMock() if n == "extract_actors" else []
        document.extract_document(mock.Mock(), article, res)
    kwargs = {n: fakes[n].call_args.kwargs for n in names}
    assert kwargs["extract_actors"] == {"lexicon": res.role_lexicon}
    assert kwargs["extract_claims"] == {"lexicon": res.cue_lexicon}
    assert kwargs["extract_quantities"] == {"lexicon": res.quantity_lexicon, "date_lexicon": res.date_lexicon}
    assert kwargs["extract_dates"] == {"lexicon": res.date_lexicon}
    assert kwargs["extract_relations"] == {"lexicon": res.relation_lexicon}
    assert kwargs["extract_events"] == {
        "lexicon": res.event_lexicon,
        "quantity_lexicon": res.quantity_lexicon,
        "encoder": res.event_encoder,
        "thresholds": res.event_thresholds,
    }
