"""The record as FollowTheMoney entities, one JSON object a line, for Aleph and the OpenSanctions tools.

Entities are made with ``followthemoney.model`` (every value cleaned by its property's type) and
written as they are read from the store: memory holds the actors' ids and names, not the record.

=================  =============================================================================
threatscape        FollowTheMoney
=================  =============================================================================
actor              ``Person`` (person); ``PublicBody`` (state, government, military);
                   ``Organization`` (armed group, party, IGO, media); ``LegalEntity`` (civilians,
                   other). ``alias``, ``country``, ``classification`` = the actor type
affiliation        ``Membership`` (member -> organisation) or, to an actor that is no
                   organisation, ``UnknownLink`` with role ``affiliated with``
sanctions match    ``Sanction`` on the actor: ``authority`` the list, ``authorityId`` (and for a UN
                   reference ``unscId``) the entry's ref, with the stored entry's programme,
                   listing date and comments
article            ``Article``: title, author, dates, URL, outlet (``publisher``), ``bodyText``
mention            ``Mention`` of an actor in an article (document, resolved, the names used)
event              ``Event`` per fused incident (an event not yet fused: per event): name, dates,
                   ``location`` and an ``Address`` with coordinates, ``involved`` /
                   ``organizer`` actors, ACLED and PLOVER types as ``keywords``, the toll
claim              ``Note`` on the speaker and the target: ``description`` says who said what
relation           ``Membership`` (member_of, leads, to an organisation), ``Associate`` (two
                   people allied or collaborating), else ``UnknownLink`` with the predicate as
                   ``role``; contested ones ``status`` contested
flow               ``Payment`` payer -> beneficiary with amount, currency, ``amountUsd``; a party the
                   text names but no actor resolves is a ``LegalEntity`` of those words; a flow
                   with a party not named at all is a ``Note``
strength figure    ``Note`` on the group
quantity           not exported (the Parquet export has them)
=================  =============================================================================

Evidence: every fact's entity has ``proof`` (its ``Article``), ``sourceUrl`` and ``publisher`` (the
article's), ``summary`` (the sentence, exactly as in the body) and a locator, ``evidence:
characters START-END of article ID (EXTRACTOR)``, in ``description`` (``notes`` for a ``Note``).
Ids are ``ts-KIND-STOREID`` (``:`` becomes ``--``), or ``ts-KIND-`` and a hash of the store's ids
when those do not make a readable FollowTheMoney id: the same store gives the same ids every time.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from threatscape.errors import ConfigError
from threatscape.ftm_entities import (
    Sink,
    article_entity,
    write_actors,
    write_affiliation,
    write_mentions,
    write_sanction,
)
from threatscape.ftm_facts import (
    write_claim,
    write_flow,
    write_fused_events,
    write_relation,
    write_strength,
    write_unfused_events,
)
from threatscape.store.base import QuerySource
from threatscape.store.records import (
    Selection,
    read_actors,
    read_articles,
    read_facts,
    read_fused_sources,
    read_mentions,
)

__all__ = ["read_entities", "write_ftm"]


# -- the store -> a file --------------------------------------------------------------------------


def _entities(w: Sink, conn: Any, sel: Selection) -> None:
    for a in write_actors(w, read_actors(conn, sel)):
        if a["affiliation"]:
            write_affiliation(w, a["id"], a["affiliation"])
        for match in a["sanctions"] or ():
            write_sanction(w, conn, a["id"], match)
    for article in read_articles(conn, sel):
        w.emit(article_entity(article))
    write_mentions(w, read_mentions(conn, sel))
    write_fused_events(w, read_fused_sources(conn, sel))
    write_unfused_events(w, read_facts(conn, sel, "events"))
    for kind, write in (
        ("claims", write_claim),
        ("relations", write_relation),
        ("flows", write_flow),
        ("strengths", write_strength),
    ):
        for fact in read_facts(conn, sel, kind):
            write(w, fact)


def _target(output: str | Path) -> Path:
    path = Path(output)
    if path.is_dir():
        raise ConfigError(f"-o {output}: is a folder; the FollowTheMoney export writes one JSON lines file")
    if not path.parent.is_dir():
        raise ConfigError(f"-o {output}: the folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError(f"-o {output}: not writable")
    return path


def write_ftm(source: QuerySource, output: str | Path, selection: Selection | None = None) -> dict[str, int]:
    """Write the selected record of ``source`` (every article by default) to ``output`` as
    FollowTheMoney entities in JSON lines (``-``: standard output). Returns the entities written
    per schema."""
    sel = selection or Selection()
    if str(output) == "-":
        w = Sink(sys.stdout)
        with source.reading() as conn:
            _entities(w, conn, sel)
        return w.counts
    path = _target(output)
    part = path.with_name(path.name + ".part")
    try:
        with part.open("w", encoding="utf-8") as out, source.reading() as conn:
            w = Sink(out)
            _entities(w, conn, sel)
        os.replace(part, path)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        part.unlink(missing_ok=True)
    return w.counts


def read_entities(lines: Iterable[str]) -> Iterator[EntityProxy]:
    """Entities from FollowTheMoney JSON lines, every value cleaned again (for checks and tests)."""
    for line in lines:
        if line.strip():
            yield model.get_proxy(json.loads(line), cleaned=False)
