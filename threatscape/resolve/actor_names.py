"""Folding of actor names for matching, driven by ``data/actors/transliteration.yaml``.

``NameFolder.key("Tehreek-e-Taliban Pakistan") == NameFolder.key("Tehrik-i-Taliban Pakistan")``:
diacritics and case go, apostrophes vanish ("'s" stays a word of its own, as spaCy splits it),
joiner particles (-e-, -i-, al-) drop, letter-group rules and a word table fold spellings.
``token`` folds one spaCy token the same way, so token sequences and alias strings meet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import yaml

__all__ = ["NameFolder", "slug"]

_APOSTROPHES = "'’‘`´ʼ"
_POSSESSIVE = re.compile(rf"[{_APOSTROPHES}]s\b", re.I)
_SPLIT = re.compile(r"[^\w]+|_")
_DOUBLED = re.compile(r"(.)\1+")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def slug(name: str) -> str:
    """``"Noor Wali Masoud"`` -> ``"noor-wali-masoud"`` (ASCII, lowercase, hyphens)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text.replace("'", "")).strip("-")


@dataclass(frozen=True)
class NameFolder:
    particles: frozenset[str]
    rules: tuple[tuple[re.Pattern[str], str], ...]
    words: dict[str, str]
    _spelled: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_yaml(cls, text: str) -> NameFolder:
        spec = yaml.safe_load(text)
        rules = tuple((re.compile(a), b) for a, b in spec.get("rules", []))
        folder = cls(frozenset(spec.get("particles", [])), rules, {})
        for target, variants in (spec.get("words") or {}).items():
            for form in (target, *variants):
                folder.words[folder._spell(_plain(str(form)))] = folder._spell(_plain(str(target)))
        return folder

    def _spell(self, word: str) -> str:
        """The spelling rules applied, then doubled letters single (memoised per word)."""
        found = self._spelled.get(word)
        if found is None:
            found = word
            for pattern, repl in self.rules:
                found = pattern.sub(repl, found)
            found = self._spelled[word] = _DOUBLED.sub(r"\1", found)
        return found

    def word(self, word: str) -> str:
        """One plain (casefolded, diacritic-free) word -> its folded form."""
        spelled = self._spell(word)
        return self.words.get(spelled, spelled)

    def key(self, text: str) -> str:
        """The matching key of a name: folded words joined by spaces (a leading "the" dropped)."""
        plain = _POSSESSIVE.sub(" s", _plain(text))
        plain = re.sub(rf"[{_APOSTROPHES}]", "", plain)
        words = [w for w in _SPLIT.split(plain) if w and w not in self.particles]
        if words[:1] == ["the"] and len(words) > 1:
            words = words[1:]
        return " ".join(self.word(w) for w in words)

    def token(self, text: str) -> str | None:
        """Fold one token: its words, ``""`` for a skippable joiner (hyphen, apostrophe,
        particle), ``None`` for punctuation or space that ends a name."""
        plain = _plain(text)
        if plain in ("-", "–") or (plain and all(c in _APOSTROPHES for c in plain)):
            return ""
        if plain in self.particles:
            return ""
        if plain[:1] in _APOSTROPHES and plain[1:] == "s":
            return "s"
        plain = re.sub(rf"[{_APOSTROPHES}]", "", plain)
        words = [w for w in _SPLIT.split(plain) if w]
        if not words:
            return None
        return " ".join(self.word(w) for w in words)
