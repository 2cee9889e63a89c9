"""The UN Security Council consolidated list (XML root ``CONSOLIDATED_LIST``) -> ``SanctionsList``.

What the format needs (measured on the 2024-09-26 list):
- ``FIRST_NAME`` .. ``FOURTH_NAME`` are numbered slots, not first/last names, and often carry
  stray spaces: the name is the non-empty slots joined by one space.
- People's aliases have ``QUALITY`` Good/Low; organisations' a.k.a./f.k.a.
- Organisation names embed their acronym (``TEHRIK-E TALIBAN PAKISTAN (TTP)``): the acronym
  becomes its own alias and the name loses the parentheses.
- Some dates carry a timezone (``2015-04-07-04:00``): only the date is kept.
- ``COMMENTS1`` cross-references other listings (``leader of ... (QDe.132)``): kept as ``links``.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XMLParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from threatscape.errors import ParseError
from threatscape.resolve.sanctions.entries import Alias, Entry, SanctionsList, content_version, refs_in
from threatscape.resolve.sanctions.normalise import split_acronym

__all__ = ["parse_xml", "read_un_xml"]

_SLOTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_QUALITY = {"good": "good", "low": "low", "a.k.a.": "aka", "f.k.a.": "fka"}
_DATE = re.compile(r"^\s*(\d{4}(?:-\d{2}-\d{2})?)")
_SPACES = re.compile(r"\s+")


def parse_xml(data: bytes, source: str) -> Element:
    """Parse XML safely: entity declarations (external entities, expansion bombs) are refused."""
    try:
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ParseError(
            f"refused unsafe XML ({type(exc).__name__}: the document declares entities; "
            "external entities and entity expansion are not allowed)",
            source=source,
        ) from exc
    except XMLParseError as exc:
        raise ParseError(f"malformed XML: {exc}", source=source) from exc


def _text(el: Element | None) -> str:
    return _SPACES.sub(" ", (el.text or "") if el is not None else "").strip()


def _values(el: Element, path: str) -> tuple[str, ...]:
    return tuple(t for t in (_text(v) for v in el.findall(path)) if t)


def _date(text: str) -> str | None:
    m = _DATE.match(text or "")
    return m.group(1) if m else None


def _birth_dates(el: Element) -> tuple[str, ...]:
    out: list[str] = []
    for dob in el.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        date, year = _date(_text(dob.find("DATE"))), _text(dob.find("YEAR"))
        low, high = _text(dob.find("FROM_YEAR")), _text(dob.find("TO_YEAR"))
        if date:
            out.append(date)
        elif year:
            out.append(year[:4])
        elif low and high:
            out.append(f"{low[:4]}-{high[:4]}")
    return tuple(dict.fromkeys(out))


def _countries(el: Element) -> tuple[str, ...]:
    paths = (
        "NATIONALITY/VALUE",
        "INDIVIDUAL_ADDRESS/COUNTRY",
        "ENTITY_ADDRESS/COUNTRY",
        "INDIVIDUAL_PLACE_OF_BIRTH/COUNTRY",
    )
    return tuple(dict.fromkeys(v for p in paths for v in _values(el, p)))


def _aliases(el: Element, tag: str) -> list[Alias]:
    out: list[Alias] = []
    for alias in el.findall(tag):
        name = _text(alias.find("ALIAS_NAME"))
        quality = _QUALITY.get(_text(alias.find("QUALITY")).lower(), "aka")
        if name:
            out.append(Alias(name, quality))
    return out


def _entry(el: Element, kind: str, list_name: str, source: str) -> Entry:
    ref = _text(el.find("REFERENCE_NUMBER"))
    name = " ".join(t for t in (_text(el.find(s)) for s in _SLOTS) if t)
    if not ref or not name:
        raise ParseError(
            f"a listing without a reference number or name (DATAID {_text(el.find('DATAID'))})", source=source
        )
    aliases = _aliases(el, "INDIVIDUAL_ALIAS" if kind == "person" else "ENTITY_ALIAS")
    if kind == "organization":
        name, acronym = split_acronym(name)
        if acronym:
            aliases.insert(0, Alias(acronym, "acronym"))
        aliases = [a for al in aliases for a in _acronym_aliases(al)]
    comments = _text(el.find("COMMENTS1"))
    original = _text(el.find("NAME_ORIGINAL_SCRIPT"))
    return Entry(
        list=list_name,
        ref=ref,
        type=kind,
        name=name,
        aliases=tuple(dict.fromkeys(aliases)),
        titles=_values(el, "TITLE/VALUE"),
        countries=_countries(el),
        birth_dates=_birth_dates(el),
        listed_on=_date(_text(el.find("LISTED_ON"))),
        comments=comments,
        links=refs_in(comments, ref),
        data={
            "dataid": _text(el.find("DATAID")),
            "list_type": _text(el.find("UN_LIST_TYPE")),
            "original_script": original or None,
            "designation": list(_values(el, "DESIGNATION/VALUE")) or None,
        },
    )


def _acronym_aliases(alias: Alias) -> list[Alias]:
    """An alias that embeds an acronym ("Jamaat ul Ahrar (JuA)") gives both parts."""
    name, acronym = split_acronym(alias.name)
    if acronym is None or alias.quality == "acronym":
        return [alias]
    return [Alias(name, alias.quality), Alias(acronym, "acronym")]


def read_un_xml(data: bytes, source: str, name: str = "un-sc") -> SanctionsList:
    root = parse_xml(data, source)
    if root.tag != "CONSOLIDATED_LIST":
        raise ParseError(f"not a UN consolidated list (root element <{root.tag}>)", source=source)
    entries = [_entry(el, "person", name, source) for el in root.iterfind("INDIVIDUALS/INDIVIDUAL")]
    entries += [_entry(el, "organization", name, source) for el in root.iterfind("ENTITIES/ENTITY")]
    generated = _date(root.get("dateGenerated", ""))
    version = generated or content_version(data)
    return SanctionsList(name=name, version=version, source=source, entries=tuple(entries))
