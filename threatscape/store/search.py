"""Full-text search over article titles and bodies, safe for any user-typed string.

SQLite uses the ``articles_fts`` FTS5 table: the search string is cut into words and
``"quoted phrases"``, each sent as an FTS5 string literal, so nothing the user types is ever FTS5
syntax (``AND(``, ``"``, ``*``, ``NEAR`` cannot break the query). All parts must match; a bare
``or`` lets either side do, as in ``websearch_to_tsquery``. PostgreSQL hands the string, as a bound
parameter, to ``websearch_to_tsquery('english', ...)``, which accepts any text; the expression is
the one the GIN index of the initial migration is built on.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Integer, func, literal_column, text

from threatscape.store.schema import articles

__all__ = ["fts5_query", "search_clause"]

_PART = re.compile(r'"([^"]*)"|([^"\s]+)')
_WORD = re.compile(r"\w+")


def fts5_query(search: str) -> str | None:
    """An FTS5 MATCH expression for ``search``, or ``None`` if it has no words.

    Words and ``"phrases"`` must all match; a bare ``or`` between two of them makes either do, and
    a bare ``and`` is ignored, as PostgreSQL's ``websearch_to_tsquery`` reads them.
    """
    terms: list[str] = []
    joins: list[str] = []
    pending_or = False
    for phrase, word in _PART.findall(search):
        words = _WORD.findall(phrase or word)
        if not words:
            continue
        if not phrase and "".join(words).lower() in ("or", "and"):
            pending_or = pending_or or "".join(words).lower() == "or"
            continue
        if terms:
            joins.append("OR" if pending_or else "AND")
        terms.append('"' + " ".join(words) + '"')  # "foo-bar" is the phrase "foo bar"
        pending_or = False
    if not terms:
        return None
    return terms[0] + "".join(f" {j} {term}" for j, term in zip(joins, terms[1:], strict=True))


def search_clause(dialect: str, search: str) -> ColumnElement[bool] | None:
    """A WHERE clause on ``articles`` for ``search``; ``None`` when the string has no words at all."""
    search = search.replace("\x00", " ")  # PostgreSQL refuses NUL in text; it is no word anyway
    if not _WORD.search(search):
        return None
    if dialect == "sqlite":
        query = fts5_query(search)
        if query is None:
            return None
        matches = (
            text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts")
            .bindparams(fts=query)
            .columns(rowid=Integer)
        )
        return articles.c.seq.in_(matches)
    document = func.to_tsvector(
        literal_column("'english'::regconfig"),
        articles.c.title.op("||")(literal_column("' '")).op("||")(articles.c.body),
    )
    return document.bool_op("@@")(func.websearch_to_tsquery(literal_column("'english'::regconfig"), search))
