"""Per-field change dots: which change (device, counter) last set each field of a record.

Written for every local update by the flush hook (``app.db.tracking``) and carried with each row in
a bundle. On import, a field whose dot the other side has not seen was changed there since the two
versions parted, so edits of different fields merge exactly. A record never updated has no dots:
its fields are as created, which both sides share.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

_UPSERT = ("INSERT INTO sync_field_versions(table_name, row_id, field, device_id, counter) "
           "VALUES (?, ?, ?, ?, ?) ON CONFLICT(table_name, row_id, field) DO UPDATE SET "
           "device_id = excluded.device_id, counter = excluded.counter")


def record(session: Session, table: str, row_id: str, fields: Iterable[str], device: str,
           counter: int) -> None:
    rows = [(table, row_id, f, device, counter) for f in fields]
    if rows:
        session.connection().connection.driver_connection.executemany(_UPSERT, rows)


def write_many(conn, table: str, dots_by_row: dict[str, dict]) -> None:
    """Replace the dots of rows (raw sqlite3 connection, inside the import transaction)."""
    ids = list(dots_by_row)
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        conn.execute(f"DELETE FROM sync_field_versions WHERE table_name = ? AND row_id IN "
                     f"({','.join('?' * len(part))})", [table, *part])
    conn.executemany(_UPSERT, [(table, rid, f, d[0], d[1])
                               for rid, dots in dots_by_row.items() for f, d in dots.items()])


def read_many(conn, table: str, ids: list[str]) -> dict[str, dict]:
    """{row id: {field: [device, counter]}} for the given rows (only rows that have dots)."""
    out: dict[str, dict] = {}
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        for rid, f, d, c in conn.execute(
                f"SELECT row_id, field, device_id, counter FROM sync_field_versions "
                f"WHERE table_name = ? AND row_id IN ({','.join('?' * len(part))})", [table, *part]):
            out.setdefault(rid, {})[f] = [d, c]
    return out


def for_session(session: Session, table: str, row_id: str) -> dict:
    rows = session.execute(text("SELECT field, device_id, counter FROM sync_field_versions "
                                "WHERE table_name = :t AND row_id = :r"), {"t": table, "r": row_id})
    return {f: [d, c] for f, d, c in rows}
