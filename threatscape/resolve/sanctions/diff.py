"""What changed between two versions of a list: entries added, removed, and changed (which fields)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from threatscape.resolve.sanctions.entries import Entry, entry_to_dict

__all__ = ["COMPARED_FIELDS", "Change", "ListDiff", "diff_entries"]

COMPARED_FIELDS = ("type", "name", "aliases", "titles", "countries", "birth_dates", "listed_on", "comments", "links")


@dataclass(frozen=True)
class Change:
    ref: str
    name: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ListDiff:
    added: tuple[Entry, ...]
    removed: tuple[Entry, ...]
    changed: tuple[Change, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "added": [{"ref": e.ref, "name": e.name, "type": e.type} for e in self.added],
            "removed": [{"ref": e.ref, "name": e.name, "type": e.type} for e in self.removed],
            "changed": [{"ref": c.ref, "name": c.name, "fields": list(c.fields)} for c in self.changed],
        }


def diff_entries(old: Sequence[Entry], new: Sequence[Entry]) -> ListDiff:
    """Entries matched by reference number; ``changed`` names the fields that differ."""
    before = {e.ref: e for e in old}
    after = {e.ref: e for e in new}
    changed = []
    for ref in sorted(before.keys() & after.keys()):
        a, b = entry_to_dict(before[ref]), entry_to_dict(after[ref])
        fields = tuple(f for f in COMPARED_FIELDS if a[f] != b[f])
        if fields:
            changed.append(Change(ref, after[ref].name, fields))
    return ListDiff(
        added=tuple(after[r] for r in sorted(after.keys() - before.keys())),
        removed=tuple(before[r] for r in sorted(before.keys() - after.keys())),
        changed=tuple(changed),
    )
