"""A JSONL corpus of any size made from the demo corpus's articles (``examples/``), for the batch
tests: each record is one demo article with its places swapped for others of a list, a closing
sentence quoting a resident of a generated name and city, and its date moved by some days, so
every record is another article (another id) that still reads as news, and the variants of one
demo article are near-duplicates of one another (story linking is exercised too).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path

from threatscape.model import Article
from threatscape.pipeline import read_articles
from threatscape.settings import Settings

__all__ = ["EXAMPLES", "demo_articles", "write_corpus"]

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Places swapped among themselves (each group alike: districts, cities, crossings)
PLACE_GROUPS = (
    ("Bannu", "Lakki Marwat", "Tank", "Dera Ismail Khan", "Kurram", "Bajaur", "Mardan", "Swat"),
    ("Peshawar", "Quetta", "Karachi", "Lahore"),
    ("Chaman", "Torkham"),
)
FIRST = ("Ayesha", "Bilal", "Farah", "Hamid", "Iqbal", "Junaid", "Kamran", "Nadia", "Omar", "Sana")
LAST = ("Afridi", "Baloch", "Durrani", "Khattak", "Marwat", "Qureshi", "Rind", "Shinwari", "Wazir", "Yousafzai")
CITIES = ("Peshawar", "Quetta", "Islamabad", "Karachi", "Lahore")


@cache
def demo_articles() -> tuple[Article, ...]:
    return tuple(a for a in read_articles([str(EXAMPLES)], Settings()) if isinstance(a, Article))


def _swap_places(body: str, shift: int) -> str:
    for group in PLACE_GROUPS:
        mapping = {p: group[(i + shift) % len(group)] for i, p in enumerate(group)}
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, group)) + r")\b")
        body = pattern.sub(lambda m, mapping=mapping: mapping[m.group(1)], body)
    return body


def _record(article: Article, k: int) -> dict[str, str]:
    reporter = f"{FIRST[k % len(FIRST)]} {LAST[(k // len(FIRST)) % len(LAST)]}"
    city = CITIES[(k // 100) % len(CITIES)]
    body = _swap_places(article.body, k) + f"\n\n{reporter}, a shopkeeper in {city}, said the markets stayed open."
    published = dt.date.fromisoformat(article.date or "2025-01-01") + dt.timedelta(days=(7 * k) % 60)
    return {
        "id": f"gen-{k}",
        "title": _swap_places(article.title, k),
        "text": body,
        "published": published.isoformat(),
        "source": article.source or "generated",
    }


def write_corpus(path: Path, n: int, *, bad_lines: bool = True) -> Path:
    """``n`` records (the demo articles in turn, variant ``k`` of each) to ``path``; with
    ``bad_lines``, a line that is not JSON and a record without text among them."""
    arts = demo_articles()
    lines = [json.dumps(_record(arts[k % len(arts)], k)) for k in range(n)]
    if bad_lines and n > 4:
        lines.insert(n // 3, "{this line is not JSON")
        lines.insert(2 * n // 3, json.dumps({"id": "empty", "text": "  "}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
