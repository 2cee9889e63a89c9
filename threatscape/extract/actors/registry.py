"""The per-article actor registry that mentions, claims, events and relations resolve against.

``ArticleActors`` holds the article's actors (``Actor``, aliases = every surface form seen) and
mentions (``Mention`` with ``Evidence`` spans into the body). It resolves free phrases
(``resolve_phrase``): "the group" to the armed group in focus, short forms to the full name
("Khan" -> Imran Khan), KB names and demonym + noun phrases, generic institution nouns to the
country in focus. Built by ``threatscape.extract.actors.mentions.extract_actors``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from threatscape.extract.actors.lexicon import RoleLexicon, load_role_lexicon
from threatscape.model import Actor, Evidence, Mention
from threatscape.resolve.actors import ActorKB, KBMatch, unknown_id

__all__ = ["EXTRACTOR", "ArticleActors", "clean_surface"]

EXTRACTOR = "mentions"  # versioned by threatscape.versions
_WORDS = re.compile(r"\w+(?:[’']\w+)?|[^\w\s]")
_POSSESSIVE = re.compile(r"(?<=\w)[’']s\b")


class ArticleActors:
    """The actors of one article and where they are mentioned (mutable while extracting)."""

    def __init__(
        self, body: str, kb: ActorKB, country: str | None = None, *, lexicon: RoleLexicon | None = None
    ) -> None:
        self.body = body
        self.kb = kb
        self.country = country  # ISO3 of the country in focus
        self.actors: list[Actor] = []
        self.mentions: list[Mention] = []
        self._pos: dict[str, int] = {}
        self._keys: dict[str, str] = {}  # folded name/alias -> id
        self._lex = lexicon or load_role_lexicon()

    # ---- registry --------------------------------------------------------------------------
    def get(self, actor_id: str) -> Actor | None:
        pos = self._pos.get(actor_id)
        return None if pos is None else self.actors[pos]

    def add_actor(self, name: str, type: str, country: str | None = None) -> str:
        """The id of the actor ``name`` names, registering it (KB id, article short form, or a
        new ``p:``/``o:`` id); ``name`` joins its aliases."""
        known = self._known(name, person=type == "person")
        if known is not None:
            self._register(known, name)
            return known
        entry = self.kb.lookup(name)
        if entry is not None and (type != "person" or entry.type == "person"):
            return self._register(entry.id, name)
        actor_id = unknown_id(name, type)
        if actor_id not in self._pos:
            self._store(Actor(actor_id, name.strip(), type, self.kb.country_code(country)))
        return self._register(actor_id, name)

    def _register(self, actor_id: str, surface: str | None) -> str:
        """Make sure ``actor_id`` is among the actors (from the KB if needed) and ``surface``
        among its aliases; returns ``actor_id``."""
        if actor_id not in self._pos:
            entry = self.kb.get(actor_id)
            if entry is None:
                return actor_id
            self._store(Actor(entry.id, entry.name, entry.type, entry.country, (), entry.affiliation))
            if entry.affiliation:  # affiliations name actors of the same article
                self._register(entry.affiliation, None)
        if surface:
            surface = clean_surface(surface)
            actor = self.get(actor_id)
            if actor is not None and surface and surface != actor.name and surface not in actor.aliases:
                self.actors[self._pos[actor_id]] = replace(actor, aliases=(*actor.aliases, surface))
            self._keys.setdefault(self.kb.folder.key(surface), actor_id)
        return actor_id

    def _store(self, actor: Actor) -> None:
        self._pos[actor.id] = len(self.actors)
        self.actors.append(actor)
        self._keys.setdefault(self.kb.folder.key(actor.name), actor.id)

    def set_affiliation(self, actor_id: str, affiliation: str) -> None:
        actor = self.get(actor_id)
        if actor is not None and not actor.affiliation and affiliation != actor_id:
            entry = self.kb.get(affiliation)
            country = actor.country or (entry.country if entry else None)
            self.actors[self._pos[actor_id]] = replace(actor, affiliation=affiliation, country=country)

    def add_mention(self, actor_id: str, start: int, end: int, role: str | None = None, *, alias: bool = True) -> None:
        """A mention of ``actor_id`` at ``body[start:end]``; the text joins the actor's aliases
        unless ``alias`` is false (anaphors such as "the group")."""
        text = self.body[start:end]
        self._register(actor_id, text if alias else None)
        self.mentions.append(Mention(actor_id, Evidence(start, end, text, EXTRACTOR), role))

    def _known(self, name: str, *, person: bool) -> str | None:
        key = self.kb.folder.key(clean_surface(name))
        if not key:
            return None
        if key in self._keys:
            return self._keys[key]
        return self._person_by_part(key) if person else None

    def _person_by_part(self, key: str) -> str | None:
        """The one article person whose name contains all the words of ``key``."""
        words = set(key.split())
        hits = {
            a.id
            for a in self.actors
            if a.type == "person" and any(words <= set(self.kb.folder.key(n).split()) for n in (a.name, *a.aliases))
        }
        return hits.pop() if len(hits) == 1 else None

    # ---- queries ---------------------------------------------------------------------------
    def actor_at(self, start: int, end: int) -> str | None:
        """Id of the actor mentioned overlapping ``body[start:end]`` (largest overlap wins)."""
        best, best_overlap = None, 0
        for m in self.mentions:
            overlap = min(end, m.evidence.end) - max(start, m.evidence.start)
            if overlap > best_overlap or (
                overlap == 0 == best_overlap
                and best is None
                and start == end
                and m.evidence.start <= start < m.evidence.end
            ):
                best, best_overlap = m.actor, overlap
        return best

    def group_in_focus(self, before: int | None = None) -> str | None:
        """The armed group last mentioned before ``before`` (or most mentioned overall)."""
        groups = [m for m in self.mentions if (a := self.get(m.actor)) is not None and a.type == "armed_group"]
        if before is not None:
            earlier = [m for m in groups if m.evidence.end <= before]
            return max(earlier, key=lambda m: m.evidence.start).actor if earlier else None
        counts = Counter(m.actor for m in groups)
        return counts.most_common(1)[0][0] if counts else None

    def resolve_phrase(self, text: str, start: int | None = None) -> str | None:
        """A free phrase -> actor id: "the group" -> the group in focus; article names and short
        forms; the KB (demonym + noun, generic nouns with the country in focus); else the one
        actor the phrase names, or its possessor ("the army's media wing")."""
        phrase = " ".join(text.split()).strip(' ,.;:"“”')
        if not phrase:
            return None
        if phrase.lower() in self._lex.group_anaphors or f"the {phrase.lower()}" in self._lex.group_anaphors:
            return self.group_in_focus(start)
        known = self._known(phrase, person=True)
        if known is not None:
            return known
        entry = self.kb.lookup(phrase, country=self.country)
        if entry is not None:
            return self._register(entry.id, phrase)
        return self._inner_actor(phrase)

    def _inner_actor(self, phrase: str) -> str | None:
        """The one actor a phrase names; failing that, its possessor ("the Taliban's ministry")."""
        found = self._named_in(phrase)
        if found is None and _POSSESSIVE.search(phrase):
            found = self._named_in(_POSSESSIVE.sub(" 's", phrase))
        return found

    def _named_in(self, phrase: str) -> str | None:
        tokens = [(m.group(), m.end() < len(phrase) and phrase[m.end()].isspace()) for m in _WORDS.finditer(phrase)]
        words = [t for t, _ in tokens]
        ids: list[str] = []
        for m in self.kb.match(words, [s for _, s in tokens]):
            actor_id = self._target_id(m)
            if actor_id is not None:
                ids.append(actor_id)
        persons = {i for i in ids if i.startswith("p:")}
        distinct = set(ids)
        chosen = persons.pop() if len(persons) == 1 else distinct.pop() if len(distinct) == 1 else None
        return self._register(chosen, None) if chosen else None

    def _target_id(self, m: KBMatch) -> str | None:
        if m.kind == "place" or not m.target:
            return None
        if m.kind == "generic":
            return f"{self.country}-{m.target}" if self.country else None
        return m.target


def clean_surface(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
    return re.sub(r"[’']s?$", "", text).strip(' ,.;:"“”()[]')
