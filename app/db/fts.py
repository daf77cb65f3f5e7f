"""Full-text (FTS5 trigram) indexes that make substring search fast on big tables.

Each index is an external-content FTS5 table over some text columns of one table, kept in step by
triggers. The trigram tokenizer matches any substring of three or more characters (3–4 ms at a
million rows); on SQLite 3.40 it silently returns nothing for shorter queries, so
``app.services.list_search`` uses indexed prefix ranges for those instead.

The same statements serve ``create_all`` (through a DDL event on the base table), the migration
that adds the index to older files, and bulk loads, which drop the triggers while they insert and
rebuild the index once at the end (far cheaper than a million trigger calls).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import DDL, Table, event


@dataclass(frozen=True)
class FtsIndex:
    table: str  # the content table
    columns: tuple[str, ...]  # its text columns copied into the index

    @property
    def name(self) -> str:
        return f"{self.table}_fts"

    @property
    def trigger_names(self) -> tuple[str, str, str]:
        return (f"{self.name}_ai", f"{self.name}_ad", f"{self.name}_au")

    def create_statements(self) -> list[str]:
        """The virtual table and its three triggers (insert, delete, update of indexed columns)."""
        return [
            f"CREATE VIRTUAL TABLE {self.name} USING fts5({', '.join(self.columns)}, "
            f"content='{self.table}', content_rowid='rowid', tokenize='trigram')",
            *self.trigger_statements(),
        ]

    def trigger_statements(self) -> list[str]:
        cols = ", ".join(self.columns)
        new = ", ".join(f"new.{c}" for c in self.columns)
        old = ", ".join(f"old.{c}" for c in self.columns)
        ai, ad, au = self.trigger_names
        delete_old = (f"INSERT INTO {self.name}({self.name}, rowid, {cols}) "
                      f"VALUES ('delete', old.rowid, {old});")
        insert_new = f"INSERT INTO {self.name}(rowid, {cols}) VALUES (new.rowid, {new});"
        return [
            f"CREATE TRIGGER {ai} AFTER INSERT ON {self.table} BEGIN {insert_new} END",
            f"CREATE TRIGGER {ad} AFTER DELETE ON {self.table} BEGIN {delete_old} END",
            f"CREATE TRIGGER {au} AFTER UPDATE OF {cols} ON {self.table} "
            f"BEGIN {delete_old} {insert_new} END",
        ]

    def drop_statements(self) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {t}" for t in self.trigger_names] + [
            f"DROP TABLE IF EXISTS {self.name}"]

    def rebuild_statement(self) -> str:
        return f"INSERT INTO {self.name}({self.name}) VALUES ('rebuild')"


# Members: name, ID number and phone (pinyin keys are searched by indexed prefix instead).
MEMBERS = FtsIndex("members", ("name", "id_number", "phone"))
# 来访 / 12351 tickets: the person's name, phone and the 工单号 (a county's years of calls).
TICKETS = FtsIndex("rights_tickets", ("person_name", "phone", "ticket_no"))
FTS_INDEXES: tuple[FtsIndex, ...] = (MEMBERS, TICKETS)


def for_table(table: str) -> FtsIndex | None:
    for ix in FTS_INDEXES:
        if ix.table == table:
            return ix
    return None


def is_fts_table(name: str) -> bool:
    """The FTS table or one of the shadow tables SQLite keeps for it (``members_fts_data``, …);
    Alembic's comparison with the models must skip these."""
    return any(name == ix.name or name.startswith(ix.name + "_") for ix in FTS_INDEXES)


def alembic_include_name(name, type_, _parent_names) -> bool:
    """For Alembic's ``include_name``: FTS tables are made by hand-written DDL, not by the models."""
    return not (type_ == "table" and is_fts_table(name))


def attach(table: Table) -> None:
    """Create the table's FTS index right after ``create_all`` creates the table itself."""
    ix = for_table(table.name)
    if ix is None:
        raise KeyError(table.name)
    for sql in ix.create_statements():
        event.listen(table, "after_create", DDL(sql))


def suspend_triggers(raw: sqlite3.Connection, table: str) -> Callable[[], None]:
    """Drop the FTS triggers of ``table`` for a bulk load; the returned step recreates them and
    rebuilds the whole index from the table (inside the caller's transaction)."""
    ix = for_table(table)
    if ix is None:
        return lambda: None
    for trigger in ix.trigger_names:
        raw.execute(f"DROP TRIGGER IF EXISTS {trigger}")

    def resume() -> None:
        for sql in ix.trigger_statements():
            raw.execute(sql)
        raw.execute(ix.rebuild_statement())

    return resume
