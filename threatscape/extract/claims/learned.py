"""The stance head of the learned layer joined to the rules' stance of each claim.

The rules find the claims (speaker, cue, content, evidence) and give each a stance from its cue;
the model's stance head reads the claim's speaker, its cue and its evidence sentence, or its own
clause where that sentence holds another claim (``statement_of``; ``head_input``, the same form
it was trained on) and replaces that stance when it is at
least ``StanceJoin.threshold`` sure of another one (and, with ``only_assert``, only where the
rules fell back to ``assert``). The thresholds come from the artefact's manifest
(``stance.join``, chosen on the stance corpus's ``valid`` split by ``training/tune_stance.py``).
A replaced stance names the model in its evidence's extractor ("claims+<model version>").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from threatscape.extract.nlp.encoder import EventEncoder
    from threatscape.model import Claim

__all__ = [
    "StanceJoin",
    "head_input",
    "head_inputs",
    "join_from_manifest",
    "mask_names",
    "masked_head_input",
    "restance",
    "statement_of",
]

EXTRACTOR = "claims"
# What a run of capitalised words inside a named entity becomes when names are masked: the head
# then reads "Group said its fighters stormed a base in Place", not the setting's own names.
MASK_WORDS = {"PERSON": "Name", "GPE": "Place", "LOC": "Place", "FAC": "Place", "NORP": "National", "ORG": "Group"}
_CAP = r"[A-Z][\w'’-]*"
NAME_RUN = re.compile(rf"{_CAP}(?:\s+(?:(?:of|for|the|and|de|du|al|el)\s+)*{_CAP})*")


@dataclass(frozen=True)
class StanceJoin:
    threshold: float = 1.01  # the model's probability of another stance that replaces the rules' (>1: never)
    only_assert: bool = True  # replace only the rules' default stance


def join_from_manifest(manifest: dict[str, Any]) -> StanceJoin:
    join = (manifest.get("stance") or {}).get("join") or {}
    return StanceJoin(float(join.get("threshold", 1.01)), bool(join.get("only_assert", True)))


def restance(claims: list[Claim], encoder: EventEncoder | None, join: StanceJoin) -> list[Claim]:
    """``claims`` with the stance head's stance where it overrules the rules (one batch)."""
    if not claims or encoder is None or not encoder.has_stance or join.threshold > 1:
        return claims
    preds = encoder.predict_stance(head_inputs(claims))
    out = []
    for claim, pred in zip(claims, preds, strict=True):
        if choose(claim.stance, pred.stance, pred.probability, join) != claim.stance:
            evidence = replace(claim.evidence, extractor=f"{EXTRACTOR}+{encoder.version}")
            claim = replace(claim, stance=pred.stance, evidence=evidence)
        out.append(claim)
    return out


def head_inputs(claims: list[Claim]) -> list[str]:
    """What the stance head reads of each of an article's ``claims`` (``head_input`` of ``statement_of``)."""
    return [head_input(statement_of(c, claims), c.speaker_text, c.cue) for c in claims]


def statement_of(claim: Claim, claims: list[Claim]) -> str:
    """What the head reads as the claim's statement: its evidence sentence, or, where that
    sentence carries another claim too ("denied that ... and said ..."), the claim's own clause:
    its speaker, its cue and its content."""
    ev = claim.evidence
    if not any(o is not claim and o.evidence.start == ev.start and o.cue != claim.cue for o in claims):
        return ev.text
    content = f'"{claim.content}"' if claim.direct else claim.content
    return f"{claim.speaker_text or ''} {claim.cue or ''} {content}".strip()


def head_input(statement: str, speaker: str | None, cue: str | None) -> str:
    """What the stance head reads: the speaker as written, the cue's word and the statement, apart.

    The cue is its first word ("said" of "said in a statement"), or "according to", as the claims
    extractor names it; a missing speaker or cue leaves its place empty.
    """
    word = ""
    if cue:
        word = "according to" if cue.lower().startswith("according") else cue.split()[0]
    return f"{speaker or ''} [SEP] {word} [SEP] {statement}"


def mask_names(text: str, entities: Iterable[tuple[int, int, str]]) -> tuple[str, dict[str, str]]:
    """``text`` with each run of capitalised words inside an entity (start, end, spaCy label:
    offsets into ``text``) of a kind in ``MASK_WORDS`` replaced by that kind's word, and what was
    replaced (name -> word). Lower-case words of an entity stay ("Place's interior ministry")."""
    out, done, names = [], 0, {}
    for start, end, label in sorted(entities):
        word = MASK_WORDS.get(label)
        if word is None or start < done:
            continue
        for m in NAME_RUN.finditer(text, start, end):
            out.append(text[done : m.start()] + word)
            names[m.group()] = word
            done = m.end()
    return "".join(out) + text[done:], names


def masked_head_input(
    statement: str, speaker: str | None, cue: str | None, entities: Iterable[tuple[int, int, str]]
) -> str:
    """``head_input`` with the names masked (``mask_names``), in the speaker as in the statement."""
    text, names = mask_names(statement, entities)
    if speaker:
        for name in sorted(names, key=len, reverse=True):
            speaker = speaker.replace(name, names[name])
    return head_input(text, speaker, cue)


def choose(rules: str, model: str, probability: float, join: StanceJoin) -> str:
    if model == rules or probability < join.threshold or (join.only_assert and rules != "assert"):
        return rules
    return model
