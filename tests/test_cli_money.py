"""``threatscape flows`` and ``threatscape strength``: the stored facts as a table, CSV and JSON;
the CSV carries every field of the JSON export, flattened."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from threatscape.cli import cli
from threatscape.store.money import FLOW_COLUMNS, STRENGTH_COLUMNS

REPORTS = {
    "ransom.txt": "Kidnappers demanded a ransom of 50 million naira from the family of the abducted pastor.",
    "accuse.txt": "The interior ministry accused the militia of receiving $2 million a month from a wealthy donor.",
    "strength.txt": "Army officials estimate that al-Shabaab has between 7,000 and 12,000 fighters.",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("money")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in REPORTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    path = str(root / "t.db")
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--db", path])
    assert result.exit_code == 0, result.output
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_flows_csv_has_every_field_of_the_json(db: str) -> None:
    rows = list(csv.DictReader(io.StringIO(run("flows", "--db", db, "--format", "csv"))))
    assert list(rows[0]) == FLOW_COLUMNS
    by_purpose = {r["purpose"]: r for r in rows}
    assert by_purpose["ransom"]["payee_text"] == "Kidnappers"
    accused = next(r for r in rows if r["stance"] == "accuse")
    assert (accused["contested"], accused["period"], accused["usd_per_year"]) == ("True", "month", "24000000.0")
    exported = json.loads(run("flows", "--db", db, "--format", "json"))
    assert len(exported) == len(rows)
    for record in exported:
        for key in ("payer_text", "payee_text", "amount", "usd", "usd_basis", "stance", "via", "amount_text"):
            assert key in record
    assert all(r["sentence_text"] in REPORTS.values() for r in rows)  # the sentence is carried as written


def test_strength_csv_and_actor_filter(db: str) -> None:
    rows = list(csv.DictReader(io.StringIO(run("strength", "--db", db, "--format", "csv"))))
    assert list(rows[0]) == STRENGTH_COLUMNS
    [row] = rows
    assert (row["group"], row["low"], row["high"], row["unit"]) == ("AL-SHABAAB", "7000", "12000", "fighters")
    assert json.loads(run("strength", "--db", db, "--actor", "al-Shabaab", "--format", "json"))
    assert json.loads(run("strength", "--db", db, "--actor", "Boko Haram", "--format", "json")) == []
    assert json.loads(run("flows", "--db", db, "--since", "2999", "--format", "json")) == []


def test_a_bad_date_is_named() -> None:
    result = CliRunner().invoke(cli, ["flows", "--since", "last week"])
    assert result.exit_code != 0 and "--since" in str(result.exception)
