"""Sanctions screening: link the people and groups in the news to sanctions lists, with reasons.

    entries     the plain model: SanctionsList, Entry, Alias (and their JSON data)
    lists       read a list (UN consolidated XML, FollowTheMoney JSON lines, CSV) -> SanctionsList
    lists_un    the UN XML, parsed with defusedxml (entity declarations refused)
    normalise   names -> comparable forms (transliteration, particles, honorifics, acronyms)
    match       small weighted comparison functions -> score, verdict, explanation
    screen      Screener (blocking index, decisions), screen_actors, load_screener
    diff        what changed between two versions of a list
    stored      lists, decisions and reviews in a database, through the store's small interface

Verdicts: ``match`` (score >= 0.85), ``review`` (>= 0.70), ``no_match``. Only ``match`` (and
reviews a person accepted) reach ``Actor.sanctions`` in the export.
"""

from __future__ import annotations

from threatscape.resolve.sanctions.diff import ListDiff, diff_entries
from threatscape.resolve.sanctions.lists import Alias, Entry, SanctionsList, read_list, read_list_file
from threatscape.resolve.sanctions.match import MATCH_THRESHOLD, REVIEW_THRESHOLD, Query
from threatscape.resolve.sanctions.screen import Match, Screener, load_screener, query_key, screen_actors
from threatscape.resolve.sanctions.stored import queue_reviews, save_list, stored_entries, stored_screener

__all__ = [
    "MATCH_THRESHOLD",
    "REVIEW_THRESHOLD",
    "Alias",
    "Entry",
    "ListDiff",
    "Match",
    "Query",
    "SanctionsList",
    "Screener",
    "diff_entries",
    "load_screener",
    "query_key",
    "queue_reviews",
    "read_list",
    "read_list_file",
    "save_list",
    "screen_actors",
    "stored_entries",
    "stored_screener",
]
