"""The events training corpus (``threatscape/data/training/events/``): records, labels, splits, hash.

A record is one short report we wrote (see the corpus's README.md for how and by whom), labelled
with an ACLED sub-type (or no event) and a PLOVER type. Splits:

- ``test``: the files under ``test/``, written by a writer of their own on countries no training
  writer used, frozen before the first training run and never used for a choice;
- ``valid``: the records under ``train/`` whose group (their minimal ``pair`` id, else their own
  id) falls in the first ``VALID_SHARE`` of sha256 space, so a minimal pair never straddles;
- ``train``: the rest of ``train/``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from threatscape.errors import ConfigError

__all__ = [
    "NO_EVENT",
    "PLOVER_LABELS",
    "SUB_TYPES",
    "SUB_TYPE_LABELS",
    "TYPE_OF",
    "Example",
    "corpus_dir",
    "corpus_sha256",
    "folders_sha256",
    "jsonl_files",
    "load_split",
    "split_of",
]

# ACLED's 25 sub-event types by event type, in codebook order.
SUB_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
TYPE_OF: dict[str, str] = {sub: etype for etype, subs in SUB_TYPES.items() for sub in subs}
SUB_TYPE_LABELS: tuple[str, ...] = tuple(TYPE_OF)  # the 25, in codebook order
NO_EVENT = "none"
PLOVER_LABELS: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
VALID_SHARE = 0.12
SPLITS = ("train", "valid", "test")


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    sub_type: str  # an ACLED sub-type, or NO_EVENT
    plover: str  # a PLOVER type, or NO_EVENT
    country: str
    register: str
    kind: str | None = None
    pair: str | None = None
    spans: dict[str, str] = field(default_factory=dict)

    @property
    def event(self) -> bool:
        return self.sub_type != NO_EVENT

    @property
    def event_type(self) -> str | None:
        return TYPE_OF.get(self.sub_type)

    @property
    def writer(self) -> str:
        return self.id.split("-", 1)[0]


def corpus_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "training" / "events"


def split_of(record_id: str, pair: str | None = None) -> str:
    """``valid`` or ``train`` for a record under ``train/`` (fixed for all time)."""
    digest = hashlib.sha256((pair or record_id).encode("utf-8")).digest()
    return "valid" if int.from_bytes(digest[:4], "big") / 2**32 < VALID_SHARE else "train"


def jsonl_files(root: Path, folder: str) -> list[Path]:
    return sorted((root / folder).glob("*.jsonl"))


def _parse(path: Path, lineno: int, line: str) -> Example:
    where = f"{path.name}:{lineno}"
    try:
        rec = json.loads(line)
        sub = rec["acled_sub_type"] if rec["event"] else NO_EVENT
        if rec["event"] and TYPE_OF.get(sub) != rec["acled_type"]:
            raise ConfigError(f"{where}: {sub!r} is not a sub-type of {rec['acled_type']!r}")
        plover = rec["plover"] or NO_EVENT
        if plover != NO_EVENT and plover not in PLOVER_LABELS:
            raise ConfigError(f"{where}: unknown PLOVER type {plover!r}")
        return Example(
            id=str(rec["id"]),
            text=str(rec["text"]),
            sub_type=sub,
            plover=plover,
            country=str(rec["country"]),
            register=str(rec["register"]),
            kind=rec.get("kind"),
            pair=rec.get("pair"),
            spans=dict(rec.get("spans") or {}),
        )
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ConfigError(f"{where}: not a corpus record ({type(exc).__name__}: {exc})") from exc


def iter_examples(root: Path | None = None) -> Iterator[tuple[str, Example]]:
    """(split, example) for every record of the corpus, file by file in name order."""
    root = root or corpus_dir()
    for folder in ("train", "test"):
        for path in jsonl_files(root, folder):
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    ex = _parse(path, lineno, line)
                    yield ("test" if folder == "test" else split_of(ex.id, ex.pair)), ex


def load_split(name: str, root: Path | None = None) -> list[Example]:
    if name not in SPLITS:
        raise ConfigError(f"unknown corpus split {name!r} (one of {', '.join(SPLITS)})")
    return [ex for split, ex in iter_examples(root) if split == name]


def corpus_sha256(root: Path | None = None, folders: tuple[str, ...] = ("train", "test")) -> str:
    """sha256 over the corpus files (names and bytes, in name order): the corpus's identity."""
    return folders_sha256(root or corpus_dir(), folders)


def folders_sha256(root: Path, folders: tuple[str, ...]) -> str:
    """sha256 over the JSONL files of ``root``'s ``folders`` (names and bytes, in name order)."""
    h = hashlib.sha256()
    for folder in folders:
        for path in jsonl_files(root, folder):
            h.update(f"{folder}/{path.name}\n".encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def describe(root: Path | None = None) -> str:
    """Counts per split, sub-type, writer and country, and the hashes (``python -m ...corpus``)."""
    from collections import Counter

    rows = list(iter_examples(root))
    by_split = Counter(split for split, _ in rows)
    by_label: dict[str, Counter[str]] = {}
    for split, ex in rows:
        by_label.setdefault(ex.sub_type, Counter())[split] += 1
    writers = Counter(ex.writer for _, ex in rows)
    countries = {split: len({ex.country for s, ex in rows if s == split}) for split in SPLITS}
    overlap = {ex.country for s, ex in rows if s == "test"} & {ex.country for s, ex in rows if s != "test"}
    words = sorted(len(ex.text.split()) for _, ex in rows)
    lines = [
        f"examples {len(rows)}: " + ", ".join(f"{s} {by_split[s]}" for s in SPLITS),
        f"writers: {dict(sorted(writers.items()))}",
        f"countries: {countries} (test countries also in train/valid: {sorted(overlap) or 'none'})",
        f"words per example: median {words[len(words) // 2] if words else 0}, "
        f"25-70 words {sum(25 <= w <= 70 for w in words)}, under 25 {sum(w < 25 for w in words)}, "
        f"over 70 {sum(w > 70 for w in words)}",
        f"sha256 all {corpus_sha256(root)}",
        f"sha256 test {corpus_sha256(root, ('test',))}",
        "",
        f"{'sub-type':40} {'train':>6} {'valid':>6} {'test':>6} {'total':>6}",
    ]
    order = [s for subs in SUB_TYPES.values() for s in subs] + [NO_EVENT]
    for label in order:
        c = by_label.get(label, Counter())
        lines.append(f"{label:40} {c['train']:6} {c['valid']:6} {c['test']:6} {sum(c.values()):6}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(describe())
