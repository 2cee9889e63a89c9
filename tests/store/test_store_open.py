"""Opening a store: URLs and paths, migrations on open, and errors that name the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, inspect, text

from threatscape.errors import StoreError
from threatscape.model import Article
from threatscape.store import SQLStore, Store, open_store
from threatscape.store.engine import connect_engine, parse_url
from threatscape.store.migrate import head_revision


@contextmanager
def _migrated(store_url: str, revision: str, *, down: bool = False) -> Iterator[Connection]:
    """A connection to the database upgraded (``down``: downgraded) to ``revision``, in one
    transaction committed when the block ends."""
    from alembic import command

    from threatscape.store.migrate import _config

    engine = connect_engine(parse_url(store_url))
    cfg = _config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(cfg, revision)
            yield conn
    finally:
        engine.dispose()


def _revision(store_url: str) -> tuple[str, list[str]]:
    with open_store(store_url) as store, store._engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        return version, sorted(inspect(conn).get_table_names())


def test_reopening_keeps_data_and_migrating_again_is_a_no_op(store_url: str, wire: Article) -> None:
    with open_store(store_url) as store:
        store.add_article(wire)
        store.record_failure("x.html", "empty page")
    first = _revision(store_url)
    assert first == _revision(store_url)
    assert first[0] == head_revision()
    assert {"articles", "actors", "events", "claims", "relations", "quantities", "ingest_failures"} <= set(first[1])
    with open_store(store_url) as store:
        assert store.count_articles() == 1
        assert store.get_article(wire.id) == wire
        assert len(store.failures()) == 1


def test_sqlite_is_configured(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "a.db")) as store, store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("threatscape.db", "sqlite"),
        ("sqlite:///x.db", "sqlite"),
        ("postgresql://u:p@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg2://u:p@h/db", "postgresql+psycopg"),
        ("postgres://u:p@h/db", "postgresql+psycopg"),
    ],
)
def test_urls_are_normalised(given: str, driver: str) -> None:
    assert parse_url(given).drivername == driver


def test_memory_database_works() -> None:
    with open_store(":memory:") as store:
        store.add_article(Article(id="abcdef0123", title="t", body="b"))
        assert store.count_articles() == 1


@pytest.mark.parametrize("bad", ["", "mysql://u:hunter2@localhost/db", "nonsense://", "postgresql://u:hunter2@[::1/x"])
def test_bad_urls_raise_store_error(bad: str) -> None:
    with pytest.raises(StoreError) as info:
        open_store(bad)
    assert "hunter2" not in str(info.value)


def test_unreachable_server_is_named_without_password() -> None:
    with pytest.raises(StoreError) as info:
        open_store("postgresql://someone:hunter2@127.0.0.1:1/nowhere")
    message = str(info.value)
    assert "127.0.0.1:1/nowhere" in message and "hunter2" not in message


def test_wrong_password_is_a_store_error(pg_url: str) -> None:
    from sqlalchemy.engine import make_url

    wrong = make_url(pg_url).set(password="hunter2").render_as_string(hide_password=False)
    with pytest.raises(StoreError) as info:
        open_store(wrong)
    assert "hunter2" not in str(info.value)


def test_sqlite_in_missing_directory(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "x.db"
    with pytest.raises(StoreError, match="missing"):
        open_store(str(path))
    assert not path.parent.exists()  # nothing was created


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="notes.db"):
        open_store(str(path))


def test_locked_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    open_store(str(path)).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with open_store(str(path), busy_limit=0.3) as store, pytest.raises(StoreError, match="busy"):
            store.add_article(Article(id="abcdef0123", title="t", body="b"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_store_implements_the_interface(store: SQLStore) -> None:
    assert isinstance(store, Store)
    assert "hunter2" not in repr(store) and store.name


def test_articles_of_an_older_schema_are_upgraded_without_versions(store_url: str, wire: Article) -> None:
    from sqlalchemy import MetaData, Table, insert

    from threatscape.store.rows import article_row

    with _migrated(store_url, "0003_fused_events") as conn:  # the schema before articles recorded versions
        old = Table("articles", MetaData(), autoload_with=conn)
        row = article_row(wire, wire.id, None)
        conn.execute(insert(old).values({k: v for k, v in row.items() if k in old.c}))
    with open_store(store_url) as store:
        state = store.article_state(wire.id)
        assert state is not None and state.versions is None and state.versions_key is None
        assert store.get_article(wire.id) == wire
        assert store.pending_links() == []
        assert [a.id for a in store.outdated("any-key")] == [wire.id]


def test_fused_events_of_an_older_schema_get_their_spans(store_url: str) -> None:
    """Migration 0008 fills ``span_days`` of the fused events already stored, so the since filter's
    start bound (the longest span) keeps an operation stored before it."""
    from sqlalchemy import MetaData, Table, insert

    with _migrated(store_url, "0007_fused_event_indexes") as conn:
        old = Table("fused_events", MetaData(), autoload_with=conn)
        base = {"type": "Battles", "aggregate": False, "n_reports": 1, "n_sources": 1,
                "refreshed_at": datetime(2024, 4, 1, tzinfo=UTC)}  # fmt: skip
        for id_, start, end in (("op", "2024-01-05", "2024-03-20"), ("day", "2024-03-14", "2024-03-14")):
            data = {"id": id_, "sources": [], "date": {"start": start, "end": end}}
            conn.execute(insert(old).values(base | {"id": id_, "date_start": start, "date_end": end, "data": data}))
    with open_store(store_url) as store:
        assert [r["id"] for r in store.query_events(since="2024-03-15")] == ["op"]
        assert [r["id"] for r in store.query_events(since="2024-03-14")] == ["op", "day"]


def test_fused_events_of_an_older_schema_are_drawn_from_the_window_indexes(store_url: str) -> None:
    """Migration 0009 puts each event's id and coordinates in the window indexes and indexes the
    sources by (fused id, article); the map's points come from events stored before it, and a
    downgrade gives 0008's indexes back."""
    from sqlalchemy import MetaData, Table, insert

    with _migrated(store_url, "0008_fused_event_windows") as conn:
        old = Table("fused_events", MetaData(), autoload_with=conn)
        base = {"type": "Battles", "aggregate": False, "n_reports": 1, "n_sources": 1, "span_days": 0,
                "date_start": "2024-03-14", "date_end": "2024-03-14", "country": "Yemen",
                "refreshed_at": datetime(2024, 4, 1, tzinfo=UTC)}  # fmt: skip
        for id_, lat in (("a", 15.3521), ("b", 15.3524), ("c", 14.8)):
            data = {"id": id_, "sources": [], "date": {"start": "2024-03-14", "end": "2024-03-14"}}
            conn.execute(insert(old).values(base | {"id": id_, "lat": lat, "lon": 44.2, "data": data}))

    def indexes(table: str) -> dict[str, list[str]]:
        engine = connect_engine(parse_url(store_url))
        try:
            with engine.connect() as conn:
                return {i["name"]: i["column_names"] for i in inspect(conn).get_indexes(table)}
        finally:
            engine.dispose()

    with open_store(store_url) as store:
        points = store.event_points(since="2024-03-01")
    assert [(p.lat, p.events, p.event_id) for p in points] == [(14.8, 1, "c"), (15.352, 2, None)]
    window = indexes("fused_events")["ix_fused_events_window"]  # (0010 adds the span after them)
    assert window[window.index("id") :][:3] == ["id", "lat", "lon"]
    assert indexes("fused_event_sources")["ix_fused_event_sources_fused_article"] == ["fused_id", "article_id"]
    with _migrated(store_url, "0008_fused_event_windows", down=True):
        pass
    assert indexes("fused_events")["ix_fused_events_window"][-1] == "fatalities_high"
    assert "ix_fused_event_sources_fused_article" not in indexes("fused_event_sources")
    assert indexes("fused_event_sources")["ix_fused_event_sources_fused_id"] == ["fused_id"]


def test_fused_events_of_an_older_schema_are_rolled_up(store_url: str) -> None:
    """Migration 0010 fills the roll-ups from the fused events stored before it (a quarter of whole
    months then counts them off the roll-ups), puts the span in the window indexes, and a
    downgrade drops them and gives 0009's indexes back."""
    from sqlalchemy import MetaData, Table, insert

    with _migrated(store_url, "0009_fused_event_points") as conn:
        old = Table("fused_events", MetaData(), autoload_with=conn)
        base = {"aggregate": False, "n_reports": 1, "n_sources": 1, "country": "Yemen", "lat": 15.35, "lon": 44.2,
                "refreshed_at": datetime(2024, 4, 1, tzinfo=UTC)}  # fmt: skip
        stored = [("a", "Battles", "2024-02-03", None, 0), ("b", "Battles", "2024-03-14", "2024-03-14", 0),
                  ("c", "Protests", "2024-03-30", "2024-04-02", 3)]  # fmt: skip
        for id_, typ, start, end, span in stored:
            data = {"id": id_, "sources": [], "date": {"start": start, "end": end}}
            row = {"id": id_, "type": typ, "date_start": start, "date_end": end, "span_days": span, "data": data}
            conn.execute(insert(old).values(base | row))

    def tables() -> set[str]:
        engine = connect_engine(parse_url(store_url))
        try:
            with engine.connect() as conn:
                return set(inspect(conn).get_table_names())
        finally:
            engine.dispose()

    with open_store(store_url) as store:
        quarter = {"since": "2024-01", "until": "2024-03"}
        assert [(t.key, t.events) for t in store.tally_events(("type",), **quarter)] == [
            (("Battles",), 2), (("Protests",), 1)]  # fmt: skip
        assert [(p.type, p.events) for p in store.event_points(**quarter)] == [("Battles", 2), ("Protests", 1)]
    with _migrated(store_url, "0009_fused_event_points") as conn:  # the one-day events, in a month, week and 3 days
        counted = "SELECT period, sum(events) FROM fused_periods GROUP BY period ORDER BY period"
        periods = ["2024-01-29/7", "2024-02", "2024-02-03/3", "2024-03", "2024-03-11/7", "2024-03-13/3"]
        assert conn.execute(text(counted)).all() == [(p, 1) for p in periods]
        windows = {i["name"]: i["column_names"] for i in inspect(conn).get_indexes("fused_events")}
        assert windows["ix_fused_events_window"][-1] == "span_days"
    assert {"fused_periods", "fused_period_actors"} <= tables()
    with _migrated(store_url, "0009_fused_event_points", down=True) as conn:
        windows = {i["name"]: i["column_names"] for i in inspect(conn).get_indexes("fused_events")}
        assert windows["ix_fused_events_window"][-1] == "lon"
    assert not {"fused_periods", "fused_period_actors"} & tables()


def test_a_read_only_store_reads_and_the_database_refuses_its_writes(store_url: str, wire: Article) -> None:
    with open_store(store_url) as store:
        store.add_article(wire)
    with open_store(store_url, read_only=True) as ro:
        assert ro.get_article(wire.id) == wire
        with pytest.raises(StoreError, match=r"(?i)read-?only"):
            ro.add_correction(kind="event", fact_id="e1", article_id=wire.id, span=None, field="wrong", value={},
                              author="me")  # fmt: skip
    with open_store(store_url) as store:
        assert store.corrections() == []  # nothing got through


def test_a_read_only_store_does_not_upgrade_an_older_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with _migrated(url, "0007_fused_event_indexes"):
        pass
    with pytest.raises(StoreError, match="0007_fused_event_indexes.*open it once for writing"):
        open_store(url, read_only=True)
    with open_store(url) as store, open_store(url, read_only=True) as ro:
        assert ro.query_events() == store.query_events() == []


def test_the_report_reads_a_read_only_store(store_url: str, wire: Article) -> None:
    """The report's headline (which copies the period's events aside where it can) works on a
    store the database keeps read-only, as the web app's dashboard reads it."""
    from datetime import date

    from threatscape.report.build import build_headline
    from threatscape.report.model import Filters, Period

    with open_store(store_url) as store:
        store.add_article(wire)
    with open_store(store_url, read_only=True) as ro:
        headline, _names = build_headline(ro, Filters(Period(date(2024, 1, 1), date(2024, 12, 31))))
        assert headline.events == headline.events_previous == 0
