"""News-like text of any length, written from our own phrase lists (deterministic, seeded).

For the long-text tests: ``one_line_text`` is one paragraph with no line break at all (a scrape
that lost its newlines); ``page_dump`` is many short articles back to back, each with a
headline, a byline, a stamp and paragraphs, the shape of the demo corpus's page dumps.
"""

from __future__ import annotations

import random

SUBJECTS = [
    "Gunmen on motorcycles",
    "Police in the district",
    "The provincial government",
    "Protesters from the traders' union",
    "A roadside bomb",
    "Security forces",
    "Local elders",
    "The Pakistani Taliban",
    "Rescue workers",
    "The interior ministry",
    "Villagers",
    "An armed group",
]
ACTS = [
    "attacked a police post in",
    "killed {n} soldiers near",
    "arrested {n} suspects in",
    "marched peacefully through",
    "blocked the main highway outside",
    "exploded beside a passing convoy near",
    "announced a ceasefire covering",
    "reopened the schools of",
    "abducted {n} workers from a quarry in",
    "shelled the hills above",
    "held talks with tribal leaders in",
    "reported heavy rain and flooding across",
]
PLACES = [
    "Peshawar",
    "Quetta",
    "Bannu",
    "North Waziristan",
    "Khost",
    "Dera Ismail Khan",
    "Kurram",
    "Lakki Marwat",
    "Chaman",
    "Mardan",
    "Swat",
    "Gwadar",
]
TAILS = [
    " on Monday",
    " late on Friday",
    " on 3 March 2025",
    ", officials said",
    ", according to a police statement",
    ", a spokesman told reporters",
    " after a week of tension",
    "",
]
NUMBERS = ["two", "three", "five", "seven", "12", "18", "24", "40"]


def sentence(rng: random.Random) -> str:
    act = rng.choice(ACTS).format(n=rng.choice(NUMBERS))
    return f"{rng.choice(SUBJECTS)} {act} {rng.choice(PLACES)}{rng.choice(TAILS)}."


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def one_line_text(chars: int, seed: int = 1) -> str:
    """At least ``chars`` characters of sentences joined by single spaces: one line, no newline."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < chars:
        parts.append(sentence(rng))
        size += len(parts[-1]) + 1
    return " ".join(parts)


def article(rng: random.Random, n: int) -> str:
    """One article of a page dump: headline, byline, stamp, then four to six paragraphs."""
    place = rng.choice(PLACES)
    headline = f"{rng.choice(SUBJECTS)} {rng.choice(ACTS).format(n=rng.choice(NUMBERS))} {place} ({n})"
    day = 1 + n % 28
    paras = [paragraph(rng, rng.randint(3, 5)) for _ in range(rng.randint(4, 6))]
    paras[0] = f"{place.upper()}: {paras[0]}"
    return "\n\n".join([headline, "By Staff Reporter", f"Published March {day}, 2025", *paras])


def page_dump(chars: int, seed: int = 2) -> str:
    """At least ``chars`` characters of articles separated by blank lines, then a site footer."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < chars:
        parts.append(article(rng, len(parts) + 1))
        size += len(parts[-1]) + 3
    return "\n\n\n".join([*parts, "Contact us: desk@example.com | All rights reserved"]) + "\n"
