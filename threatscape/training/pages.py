"""Page-shaped validation: news pages we wrote, with gold facts, to make choices on text shaped
like what users ingest (``threatscape/data/training/pages/valid/``: ``texts/<id>.txt`` and
``gold-*.jsonl`` in the record format of the development set's README).

``load_pages(folder)`` reads them; ``score_events(gold, extractions)`` scores events tolerantly,
as the development set's scorer does: a gold event is found when a single-incident event of the
same ACLED type (or an accepted alternative) is in the same country and, where the gold gives a
full date, overlaps it within a day; precision is the share of single-incident events that
match some gold event. The pages serve choices (``tune_layer --pages``); they are never a
training set and never a reported figure.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from threatscape.model import Event

__all__ = ["PageScore", "Page", "default_pages_dir", "load_pages", "score_events"]


@dataclass(frozen=True)
class Page:
    id: str
    text: str
    published: str | None
    url: str | None
    gold: dict[str, Any]


@dataclass(frozen=True)
class PageScore:
    found: int
    total: int
    ok: int
    out: int

    @property
    def recall(self) -> float:
        return self.found / self.total if self.total else 0.0

    @property
    def precision(self) -> float:
        return self.ok / self.out if self.out else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        return (
            f"events F1 {self.f1:.3f} (recall {self.found}/{self.total} {self.recall:.2f}, "
            f"precision {self.ok}/{self.out} {self.precision:.2f})"
        )


def default_pages_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "training" / "pages" / "valid"


def load_pages(folder: Path | None = None) -> list[Page]:
    """Every page of ``folder`` that has both a text and a gold record, in id order."""
    root = folder or default_pages_dir()
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted(root.glob("gold*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: invalid JSON ({exc.msg})") from exc
            gold[str(rec["id"])] = rec
    pages = []
    for pid in sorted(gold):
        text_path = root / "texts" / f"{pid}.txt"
        if text_path.is_file():
            rec = gold[pid]
            published = (rec.get("published") or {}).get("iso")
            pages.append(Page(pid, text_path.read_text(encoding="utf-8"), published, rec.get("url"), rec))
    return pages


def _norm(s: object) -> str:
    s = unicodedata.normalize("NFKD", str(s or "")).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


ALIASES = {
    "drc": "democratic republic of the congo",
    "dr congo": "democratic republic of the congo",
    "democratic republic of congo": "democratic republic of the congo",
    "burma": "myanmar",
    "turkiye": "turkey",
    "the philippines": "philippines",
    "usa": "united states",
    "us": "united states",
    "united states of america": "united states",
    "uk": "united kingdom",
    "gaza": "palestine",
    "gaza strip": "palestine",
    "west bank": "palestine",
    "state of palestine": "palestine",
    "palestinian territories": "palestine",
    "syrian arab republic": "syria",
    "russian federation": "russia",
}


def _countries(value: object) -> set[str]:
    out = set()
    for part in re.split(r"[/,;]| and ", str(value or "")):
        name = _norm(re.sub(r"\(.*?\)", "", part))
        if name:
            out.add(ALIASES.get(name, name))
    return out


def _gold_range(date: dict[str, Any] | None) -> tuple[dt.date, dt.date] | None:
    iso = (date or {}).get("iso") or ""
    parts = iso.split("/")
    try:
        lo = dt.date.fromisoformat(parts[0]) if len(parts[0]) == 10 else None
        hi = dt.date.fromisoformat(parts[-1]) if len(parts[-1]) == 10 else lo
    except ValueError:
        return None
    return (lo, hi) if lo and hi else None


def _date_ok(gold: dict[str, Any], event: Event) -> bool:
    rng = _gold_range(gold.get("date"))
    if rng is None:
        return True
    if event.date is None or not event.date.start:
        return False
    start = dt.date.fromisoformat(event.date.start[:10])
    end = dt.date.fromisoformat((event.date.end or event.date.start)[:10])
    return start <= rng[1] + dt.timedelta(days=1) and end >= rng[0] - dt.timedelta(days=1)


def matches(gold: dict[str, Any], event: Event) -> bool:
    types = {gold.get("type")} | set(gold.get("acceptable_alt_types") or [])
    if event.type not in types:
        return False
    want = _countries((gold.get("location") or {}).get("country"))
    got = _countries(event.location.country if event.location is not None else None)
    if want and not want & got:
        return False
    return _date_ok(gold, event)


def score_events(pages: Iterable[Page], events_by_page: dict[str, list[Event]]) -> PageScore:
    found = total = ok = out = 0
    for page in pages:
        events = [e for e in events_by_page.get(page.id, []) if not e.aggregate]
        gold = page.gold.get("events") or []
        for g in gold:
            if not g.get("background"):
                total += 1
                found += any(matches(g, e) for e in events)
        out += len(events)
        ok += sum(any(matches(g, e) for g in gold) for e in events)
    return PageScore(found, total, ok, out)
