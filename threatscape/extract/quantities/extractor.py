"""Numbers in the body: counts, money, measures, each with what it counts and its evidence.

The chain, each step a small function:

1. ``_phrases``: one regular expression finds number phrases: an optional qualifier ("over",
   "at least"), an optional currency symbol or ISO code, then digits ("10,000", "3.5", "43k"),
   digits with a scale word ("3 million"), number words ("twenty-five", "a dozen") or a vague
   count ("dozens of", "tens of thousands of"), then an optional "%" or currency word ("Afghanis").
2. ``_rejected`` drops what is not a quantity: parts of date expressions, years, clock times,
   ordinals ("35th"), ages ("a 35-year-old", "aged 35"), labels ("Article 370"), numbers glued to
   letters ("M23", "F-16"), phone numbers and long digit runs.
3. ``_describe`` reads the parse: the counted noun ("attacks", "security personnel"), a unit
   ("km", "percent", "day"), and whether the count is the victim of a killing, injury, abduction or
   arrest verb, appended to ``what`` in normal form ("soldiers killed"); censored and euphemistic
   spellings ("k!lled", "martyred", "sent to hell") count as killing.
4. Money gets its ISO code, a stated dollar value ("3 million Afghanis (roughly $43,000)") as
   ``usd`` and a period ("monthly", "a year").

``unit`` is the ISO code for money, ``percent``, a measure (``km``, ``kg``, ``day``), or None for
counts of persons and things. ``what`` is the counted noun, plus ``killed`` / ``injured`` /
``abducted`` / ``arrested`` when the count is the victim of such a verb.
Vague counts take the lower reading used by ACLED ("dozens" 12, "hundreds" 100) and keep the
vague word as the qualifier. ``casualty_counts`` turns quantities into fatality/injury tolls.
The vocabulary lives in ``threatscape/data/quantities.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from threatscape.extract.dates import date_expressions
from threatscape.extract.dates.lexicon import DateLexicon
from threatscape.extract.nlp.doccache import doc_text
from threatscape.extract.quantities.lexicon import QuantityLexicon, load_quantity_lexicon
from threatscape.extract.quantities.parse import (
    after_unit,
    casualty_kind,
    counted_noun,
    money_owner,
    noun_text,
    participle_after,
    period_of,
    tally_text,
)
from threatscape.model import Evidence, Quantity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from threatscape.model import Article

__all__ = ["EXTRACTOR", "CasualtyCount", "casualty_counts", "extract_quantities", "parse_number"]

EXTRACTOR = "quantities"  # versioned by threatscape.versions
MAX_DIGITS = 9  # a run of more digits without separators is an id or a phone number
YEAR_RANGE = (1800, 2100)  # a bare four-digit number in this range is read as a year
CASUALTY_KINDS = ("killed", "injured", "abducted", "arrested")
DURATION_KINDS = ("recent", "ago")  # "over the past 72 hours": the number is a quantity too
PHONE_RE = re.compile(r"\+\d[\d\s().-]{7,}\d|(?<![\d,.])\d{3,5}[\s-]\d{3,4}[\s-]\d{3,4}(?![\d,])")


@dataclass(frozen=True)
class CasualtyCount:
    """A quantity read as a toll: ``kind`` is killed, injured, abducted or arrested."""

    kind: str
    value: float
    qualifier: str | None
    who: str | None  # the counted noun ("soldiers"), None for "deaths" / "death toll"
    quantity: Quantity


@dataclass(frozen=True)
class _Phrase:
    start: int
    end: int
    value: float
    qualifier: str | None
    currency: str | None
    unit: str | None
    number_start: int  # where the digits or number words begin
    words: bool  # written in words


def extract_quantities(
    doc: Doc | None,
    article: Article,
    *,
    lexicon: QuantityLexicon | None = None,
    date_lexicon: DateLexicon | None = None,
) -> list[Quantity]:
    """Every quantity in ``article.body``; ``doc`` is the spaCy parse of that body (or None).
    The lexicons (the date one finds dates to skip) default to the packaged ones; the pipeline
    passes those of ``Resources``."""
    lex = lexicon or load_quantity_lexicon()
    body = article.body
    if doc is not None and doc_text(doc) != body:
        doc = None
    blocked = [(d.start, d.end) for d in date_expressions(body, lexicon=date_lexicon) if d.kind not in DURATION_KINDS]
    blocked += [(m.start(), m.end()) for m in PHONE_RE.finditer(body)]
    found: list[Quantity] = []
    for phrase in _phrases(body, lex):
        if (found and phrase.start < found[-1].evidence.end) or _rejected(phrase, body, blocked, lex, doc):
            continue
        found.append(_quantity(phrase, body, doc, lex))
    return found


def casualty_counts(quantities: list[Quantity], *, lexicon: QuantityLexicon | None = None) -> list[CasualtyCount]:
    """The quantities that are tolls of killed, injured, abducted or arrested people."""
    lex = lexicon or load_quantity_lexicon()
    counts = []
    for q in quantities:
        if not q.what or q.currency or q.unit:
            continue
        words = q.what.split()
        kind, who = None, None
        if words[-1] in CASUALTY_KINDS:
            kind, who = words[-1], " ".join(words[:-1]) or None
        else:
            kind = lex.noun_kind.get(q.what) or lex.noun_kind.get(words[-1])
        if kind:
            counts.append(CasualtyCount(kind, q.value, q.qualifier, who, q))
    return counts


def parse_number(text: str, *, lexicon: QuantityLexicon | None = None) -> float | None:
    """``"10,000"`` -> 10000, ``"3 million"`` -> 3e6, ``"twenty-five"`` -> 25, else None."""
    lex = lexicon or load_quantity_lexicon()
    m = lex.phrase_re.fullmatch(text.strip())
    return _value(m, lex) if m else None


# -- 1. finding phrases -------------------------------------------------------------------------


def _phrases(body: str, lex: QuantityLexicon) -> list[_Phrase]:
    out = []
    for m in lex.phrase_re.finditer(body):
        value = _value(m, lex)
        if value is None:
            continue
        qual = m.group("qual")
        vague = m.group("vague") or m.group("several")
        qualifier = lex.qualifiers[_norm(qual)] if qual else (_norm(vague) if vague else None)
        currency = _currency(m, lex)
        unit = "percent" if m.group("pct") else currency
        num_start = min(
            i for i in (m.start("vague"), m.start("several"), m.start("digits"), m.start("words")) if i >= 0
        )
        out.append(_Phrase(m.start(), m.end(), value, qualifier, currency, unit, num_start, bool(m.group("words"))))
    return out


def _value(m: re.Match[str], lex: QuantityLexicon) -> float | None:
    if m.group("vague"):
        return float(lex.vague_counts[_norm(m.group("vague"))])
    if m.group("several"):
        times = lex.small_scales[m.group("sevscale").lower()]
        return float(lex.vague_multipliers[_norm(m.group("several"))] * times)
    if m.group("digits"):
        value = float(m.group("digits").replace(",", ""))
        scale = m.group("dscale") or m.group("dscale_short")
        return value * lex.digit_scales[scale.lower()] if scale else value
    if m.group("words"):
        return _words_value(m.group("words"), lex)
    return None


def _words_value(text: str, lex: QuantityLexicon) -> float | None:
    total, current = 0, 0
    for word in re.split(r"[\s-]+", text.lower()):
        if word in ("a", "an", "and"):
            continue
        if word in lex.small:
            current += lex.small[word]
        elif word in lex.multipliers:
            current = max(current, 1) * lex.multipliers[word]
        elif word in lex.scales:
            total += max(current, 1) * lex.scales[word]
            current = 0
        else:
            return None
    return float(total + current)


def _currency(m: re.Match[str], lex: QuantityLexicon) -> str | None:
    if m.group("sym"):
        return lex.symbols[m.group("sym")]
    if m.group("isopre"):
        return m.group("isopre").strip()
    if m.group("curword"):
        return lex.currency_words[_norm(m.group("curword"))]
    if m.group("isopost"):
        return m.group("isopost")
    return None


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


# -- 2. rejecting what is not a quantity --------------------------------------------------------


def _rejected(p: _Phrase, body: str, dated: list[tuple[int, int]], lex: QuantityLexicon, doc: Doc | None) -> bool:
    if any(s < p.end and p.number_start < e for s, e in dated) and not p.currency:
        return True
    before = body[max(0, p.number_start - 1) : p.number_start]
    after = body[p.end : p.end + 12]
    if not p.currency and before and (before.isalnum() or before in ".,/:+#-_'"):
        return True  # glued: M23, F-16, 3:30, 20/21
    if re.match(r"\w|[.,:/]\d", after):
        return True  # 35th, 6pm, 1.2.3, 12:30
    return (
        _is_time(after, lex)
        or _is_age(body, p, after, lex)
        or _is_label(body, p.start, lex)
        or _is_year(p, body, doc)
        or _is_long_id(body, p)
        or _is_lone_one(p, body, doc)
        or _is_name(p, body)
    )


def _censored_before(first: Token, lex: QuantityLexicon) -> str | None:
    """A censored verb just before the count ("ki11ed 3 villagers"), which the parser misreads."""
    doc = first.doc
    for tok in reversed(doc[max(0, first.i - 4) : first.i]):
        kind = lex.censored_kind(tok.text)
        if kind or tok.is_sent_start or tok.pos_ not in ("ADV", "DET", "ADP", "ADJ"):
            return kind
    return None


def _is_time(after: str, lex: QuantityLexicon) -> bool:
    word = re.match(r"\s?([A-Za-z.']+)", after)
    return word is not None and word.group(1).lower().rstrip(",;") in lex.time_words


def _is_age(body: str, p: _Phrase, after: str, lex: QuantityLexicon) -> bool:
    tail = after.lower().lstrip("- ")
    if any(tail.startswith(w) for w in lex.age_words):
        return True
    prev = re.search(r"([A-Za-z]+)\s+(?:of\s+)?$", body[max(0, p.start - 12) : p.start])
    return prev is not None and prev.group(1).lower() in lex.age_prefixes


def _is_label(body: str, start: int, lex: QuantityLexicon) -> bool:
    prev = re.search(r"([A-Za-z.]+)\s*$", body[max(0, start - 14) : start])
    return prev is not None and prev.group(1).lower() in lex.label_words


def _is_year(p: _Phrase, body: str, doc: Doc | None) -> bool:
    text = body[p.number_start : p.end]
    if p.currency or p.words or not re.fullmatch(r"\d{4}", text):
        return False
    if not YEAR_RANGE[0] <= int(text) <= YEAR_RANGE[1]:
        return False
    if doc is None:
        return True
    span = doc.char_span(p.number_start, p.end, alignment_mode="expand")
    nxt = doc[span.end] if span is not None and span.end < len(doc) else None
    # "2000 people" is a count; "the 2024 vote" and "in 2024" are years
    return not (nxt is not None and nxt.tag_ == "NNS" and span is not None and span[0].dep_ == "nummod")


def _is_long_id(body: str, p: _Phrase) -> bool:
    digits = body[p.number_start : p.end]
    if re.fullmatch(r"\d+", digits) and len(digits) > MAX_DIGITS:
        return True
    return bool(re.match(r"[\s-]\d{3,}[\s-]\d{3,}", body[p.end : p.end + 12]))


def _is_name(p: _Phrase, body: str) -> bool:
    """A capitalised number word inside a name: "Two Elephant Hotel", "Zero Line"."""
    if not p.words or not body[p.number_start].isupper():
        return False
    sentence_start = re.search(r"(?:^|[.!?:\n][\"'\u201c\u2018]?)\s*$", body[: p.number_start])
    return not sentence_start and bool(re.match(r"[ -][A-Z]", body[p.end : p.end + 2]))


def _is_lone_one(p: _Phrase, body: str, doc: Doc | None) -> bool:
    if not p.words or p.value != 1:
        return False  # "one" is a pronoun more often than a count
    if doc is None:
        return True
    span = doc.char_span(p.number_start, p.end, alignment_mode="expand")
    return span is None or span[-1].dep_ != "nummod"


# -- 3. reading the parse -----------------------------------------------------------------------


def _quantity(p: _Phrase, body: str, doc: Doc | None, lex: QuantityLexicon) -> Quantity:
    end, usd = p.end, (p.value if p.currency == "USD" else None)
    if p.currency and p.currency != "USD":
        conv = lex.usd_re.match(body, p.end)
        if conv:
            usd = float(conv.group("num").replace(",", "")) * lex.digit_scales.get(
                (conv.group("scale") or "").lower(), 1
            )
            end = conv.end()
    what, unit, period = _describe(doc, p, lex) if doc is not None else (None, None, None)
    period = period or _period_after(body, end, lex)
    return Quantity(
        value=p.value,
        evidence=Evidence(p.start, end, body[p.start : end], EXTRACTOR),
        unit=p.unit or unit,
        what=what,
        qualifier=p.qualifier,
        currency=p.currency,
        usd=usd,
        period=period,
    )


def _describe(doc: Doc, p: _Phrase, lex: QuantityLexicon) -> tuple[str | None, str | None, str | None]:
    span = doc.char_span(p.number_start, p.end, alignment_mode="expand")
    if span is None:
        return None, None, None
    last = span[-1]
    if p.currency:
        whole = doc.char_span(p.start, p.end, alignment_mode="expand")
        owner = money_owner(last, whole[0].i if whole is not None else span[0].i, lex)
        return (noun_text(owner, adjectives=True) if owner is not None else None), None, period_of(owner, lex)
    noun = counted_noun(last, doc)
    unit = None
    if noun is not None and noun.lower_ in lex.units:
        unit = lex.units[noun.lower_]
        noun = after_unit(noun, doc)
    kind = (casualty_kind(noun, lex) if noun is not None else None) or casualty_kind(last, lex)
    kind = kind or _censored_before(span[0], lex) or participle_after(noun if noun is not None else last, lex)
    what = noun_text(noun) if noun is not None else tally_text(last, lex)
    if noun is not None and noun.lower_ in lex.noun_kind:
        kind = None  # "11 deaths", "22 injuries" already say it
    parts = [w for w in (what, kind) if w]
    return (" ".join(parts) or None), unit, period_of(noun, lex)


# -- 4. periods ---------------------------------------------------------------------------------


def _period_after(body: str, end: int, lex: QuantityLexicon) -> str | None:
    m = lex.period_re.match(body, end)
    if not m:
        return None
    word = (m.group("word") or m.group("word_adj")).lower()
    return lex.period_adjectives.get(word) or lex.period_nouns.get(word)
