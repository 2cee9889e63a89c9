"""Fixtures for the sanctions tests: the bundled UN-format fixture and the real UN list in ../shared."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from shared_material import shared_path

from threatscape.cli_sanctions import fixture_path
from threatscape.resolve.sanctions.lists import SanctionsList, read_list_file
from threatscape.resolve.sanctions.screen import Screener

CONFUSION = Path(__file__).resolve().parents[1] / "fixtures" / "sanctions" / "unlisted-names.csv"


@pytest.fixture(scope="session")
def fixture_list() -> SanctionsList:
    return read_list_file(fixture_path())


@pytest.fixture(scope="session")
def fixture_screener(fixture_list: SanctionsList) -> Screener:
    return Screener(fixture_list.entries)


@pytest.fixture(scope="session")
def un_list() -> SanctionsList:
    return read_list_file(shared_path("data", "un-sc-consolidated-2024-09-26.xml"))


@pytest.fixture(scope="session")
def un_screener(un_list: SanctionsList) -> Screener:
    return Screener(un_list.entries)


@pytest.fixture(scope="session")
def confusion_rows() -> list[dict[str, str]]:
    """Real unlisted people and organisations of the regions covered (name, type, country, category)."""
    with CONFUSION.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
