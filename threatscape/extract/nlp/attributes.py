"""POS, morphology and lemmas by table lookup: the model's ``attribute_ruler`` and rule
``lemmatizer`` in one pass over token arrays.

The model's attribute ruler runs a ``Matcher`` over every token and sets each match's attributes
token by token; almost all of its ~180 rules look at one token's tag, lower-case form,
dependency label and space flag. ``TokenAttributes`` evaluates those rules once per distinct
(tag, lower, dep, is_space) and caches the merged result, so a document costs one dictionary
lookup per token. Rules spanning several tokens ("gon na", "let 's") are checked where their
first token matches. Rules apply in the ruler's order, later ones overriding earlier ones, as in
``AttributeRuler.set_annotations``; the result is identical to running the two components.

Lemmas then come from the model's own lemmatizer, once per (orth, pos, morphology), the key of
its own cache: a token that already has a lemma (set by a rule) keeps it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.pipeline import AttributeRuler, Lemmatizer
    from spacy.tokens import Doc

__all__ = ["TokenAttributes"]

# Token attributes a rule may test, in the order of a cache key.
KEY_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")
# Token attributes a rule may set, in the order of the arrays written back.
SET_ATTRS = ("POS", "MORPH", "LEMMA", "TAG", "DEP")

Key = tuple[int, int, int, int]


class _Predicate:
    """One token of a rule's pattern: every attribute test must hold (Matcher semantics)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        unknown = set(spec) - set(KEY_ATTRS)
        if unknown:
            raise ValueError(f"attribute rule tests unsupported attributes {sorted(unknown)}")
        self.tests = [(KEY_ATTRS.index(attr), value) for attr, value in spec.items()]

    def holds(self, values: tuple[str | bool, ...]) -> bool:
        return all(_test(values[pos], want) for pos, want in self.tests)


def _test(value: str | bool, want: Any) -> bool:
    if not isinstance(want, dict):
        return value == want
    for op, arg in want.items():
        if op == "IN" and value not in arg:
            return False
        if op == "NOT_IN" and value in arg:
            return False
        if op == "REGEX" and not (isinstance(value, str) and re.search(arg, value)):
            return False
        if op not in ("IN", "NOT_IN", "REGEX"):
            raise ValueError(f"attribute rule uses unsupported operator {op!r}")
    return True


class TokenAttributes:
    """A pipeline component standing in for ``attribute_ruler`` (and ``lemmatizer``, if given)."""

    def __init__(self, ruler: AttributeRuler, lemmatizer: Lemmatizer | None = None) -> None:
        import numpy
        from spacy.attrs import IDS

        self.strings = ruler.vocab.strings
        self.lemmatizer = lemmatizer
        self.key_ids = [IDS[a] for a in KEY_ATTRS]
        self.set_ids = [IDS[a] for a in SET_ATTRS]
        self.lemma_col = SET_ATTRS.index("LEMMA")
        # Per rule, in order: the normalised attributes it sets (column -> value) and its target.
        self.rule_values: list[dict[int, int]] = []
        single: list[tuple[int, _Predicate]] = []
        multi: list[tuple[int, list[_Predicate], int]] = []
        for rule, (patterns, attrs, index) in enumerate(zip(_patterns(ruler), ruler.attrs, ruler.indices, strict=True)):
            cols = {self.set_ids.index(attr): value for attr, value in attrs.items() if attr in self.set_ids}
            if len(cols) != len(attrs):
                raise ValueError(f"attribute rule {rule} sets unsupported attributes")
            self.rule_values.append(cols)
            for pattern in patterns:
                preds = [_Predicate(spec) for spec in pattern]
                if len(preds) == 1 and index in (0, -1):
                    single.append((rule, preds[0]))
                else:
                    multi.append((rule, preds, index % len(preds)))
        self.single = single
        self.multi = multi
        self._rules: dict[Key, tuple[tuple[int, ...], tuple[tuple[int, int], ...]]] = {}
        # Merged rule results, one row per distinct rule list: keep the token's value or set new.
        self._merged: dict[tuple[int, ...], int] = {}
        self._keep: Any = numpy.zeros((0, len(SET_ATTRS)), dtype=bool)
        self._new: Any = numpy.zeros((0, len(SET_ATTRS)), dtype=numpy.uint64)
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        import numpy

        keys = [tuple(row) for row in doc.to_array(self.key_ids).tolist()]
        found = [self._rules.get(k) or self._match_key(k) for k in keys]
        rules_at = [rules for rules, _ in found]
        if self.multi:
            self._add_multi(found, rules_at)
        values: Any = doc.to_array(self.set_ids)
        index = [self._merge(rules) for rules in rules_at]
        keep, new = self._keep[index], self._new[index]
        values = numpy.where(keep, values, new)
        doc.from_array(self.set_ids, values)
        if self.lemmatizer is not None:
            self._lemmatize(doc, values.tolist())
        return doc

    def _match_key(self, key: Key) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]]:
        tag, lower, dep, space = key
        values = (self.strings[tag], self.strings[lower], self.strings[dep], bool(space))
        rules = tuple(rule for rule, pred in self.single if pred.holds(values))
        parts = tuple(
            (m, j) for m, (_, preds, _) in enumerate(self.multi) for j, pred in enumerate(preds) if pred.holds(values)
        )
        self._rules[key] = (rules, parts)
        return rules, parts

    def _add_multi(self, found: list[Any], rules_at: list[tuple[int, ...]]) -> None:
        n = len(found)
        for i, (_, parts) in enumerate(found):
            for m, j in parts:
                if j != 0:
                    continue
                rule, preds, index = self.multi[m]
                if i + len(preds) <= n and all((m, k) in found[i + k][1] for k in range(1, len(preds))):
                    rules_at[i + index] = tuple(sorted({*rules_at[i + index], rule}))

    def _merge(self, rules: tuple[int, ...]) -> int:
        """The row of ``_keep``/``_new`` holding what ``rules`` set, applied in order."""
        import numpy

        found = self._merged.get(rules)
        if found is None:
            out: list[int | None] = [None] * len(SET_ATTRS)
            for rule in rules:
                for col, value in self.rule_values[rule].items():
                    out[col] = value
            found = self._merged[rules] = len(self._merged)
            keep = numpy.array([[v is None for v in out]], dtype=bool)
            new = numpy.array([[0 if v is None else v for v in out]], dtype=numpy.uint64)
            self._keep = numpy.concatenate([self._keep, keep])
            self._new = numpy.concatenate([self._new, new])
        return found

    def _lemmatize(self, doc: Doc, rows: list[list[int]]) -> None:
        """What ``Lemmatizer.__call__`` does (no overwrite). A rule or lookup lemma depends only on
        the token's text, POS and morphology, so it is computed once per (orth, pos, morph)."""
        import numpy
        from spacy.attrs import LEMMA, ORTH

        assert self.lemmatizer is not None
        memoise = self.lemmatizer.mode in ("rule", "lookup")
        pos_col, morph_col = SET_ATTRS.index("POS"), SET_ATTRS.index("MORPH")
        orths = doc.to_array([ORTH]).tolist()
        lemmas = []
        for i, row in enumerate(rows):
            lemma = row[self.lemma_col]
            if lemma == 0:
                key = (orths[i], row[pos_col], row[morph_col])
                lemma = self._lemmas.get(key, 0)
                if lemma == 0:
                    lemma = self.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                    if memoise:
                        self._lemmas[key] = lemma
            lemmas.append(lemma)
        values: Any = numpy.array(lemmas, dtype=numpy.uint64)
        doc.from_array([LEMMA], values)


def _patterns(ruler: AttributeRuler) -> list[Any]:
    """The ruler's token patterns, one list per rule, in the order of ``ruler.attrs``."""
    return [entry["patterns"] for entry in ruler.patterns]
