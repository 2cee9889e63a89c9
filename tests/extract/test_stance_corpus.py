"""The stance corpus: its frozen test split, its loader and its checker."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from threatscape.errors import ConfigError
from threatscape.training.stance_corpus import STANCES, load_statements, stance_corpus_dir, stance_sha256

# sha256 of the stance corpus's test/ files, frozen before the first training run
TEST_SPLIT_SHA256 = "68a433cab8fe862081e98add813a38b81af797de4aefbd9551c079ff677b29df"
CHECKER = Path(__file__).resolve().parents[2] / "scripts" / "stance_check.py"


def test_test_split_is_frozen() -> None:
    assert stance_sha256(folders=("test",)) == TEST_SPLIT_SHA256, "the frozen stance test split changed"


def test_splits_are_large_enough_and_apart() -> None:
    train, valid, test = (load_statements(s) for s in ("train", "valid", "test"))
    assert len(train) + len(valid) >= 3000 and len(test) >= 600
    assert {st.stance for st in train} == set(STANCES) == {st.stance for st in test}
    assert not {st.country for st in test} & {st.country for st in train + valid}
    assert not {st.id.rsplit("/", 1)[0] for st in valid} & {st.id.rsplit("/", 1)[0] for st in train}


def test_every_file_passes_the_checker() -> None:
    files = sorted(str(p) for p in stance_corpus_dir().glob("*/*.jsonl"))
    out = subprocess.run([sys.executable, str(CHECKER), *files], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-2000:]


def test_the_checker_names_a_bad_record(tmp_path: Path) -> None:
    rec = {
        "id": "x-01-001",
        "text": "The army said it shelled the ridge.",
        "country": "Kenya",
        "register": "wire",
        "statements": [
            {
                "text": "The army said it shelled the ridge.",
                "speaker": "The navy",
                "speaker_name": None,
                "speaker_kind": "military",
                "cue": "said",
                "stance": "boast",
                "target": None,
                "direct": False,
            }
        ],
        "hard": None,
        "pair": None,
    }
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(CHECKER), str(path)], capture_output=True, text=True)
    assert out.returncode == 1
    assert "unknown stance 'boast'" in out.stdout and "speaker='The navy'" in out.stdout


def test_a_malformed_record_is_named(tmp_path: Path) -> None:
    (tmp_path / "train").mkdir()
    (tmp_path / "train" / "z-01.jsonl").write_text('{"id": "z-01-001", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="z-01.jsonl:1"):
        load_statements("train", tmp_path)
