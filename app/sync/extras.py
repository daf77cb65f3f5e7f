"""Values kept aside from bundles of other schema versions (``sync_extras``, model ``SyncExtra``):
the columns a known table lacks here, and whole records of tables this program does not know.

One entry per record, the newest version seen: an incoming entry replaces the kept one unless the
kept one's version vector is the same or later (a replayed or older copy changes nothing). Writes
go through the import's own connection, inside its one transaction.
"""

from __future__ import annotations

import orjson

from app.sync import merge

_UPSERT = ("INSERT INTO sync_extras(table_name, row_id, whole_row, columns, dots, vv, bundle_id, "
           "schema_version, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
           "ON CONFLICT(table_name, row_id) DO UPDATE SET whole_row = excluded.whole_row, "
           "columns = excluded.columns, dots = excluded.dots, vv = excluded.vv, "
           "bundle_id = excluded.bundle_id, schema_version = excluded.schema_version, "
           "received_at = excluded.received_at")


def _vv(text) -> dict:
    try:
        value = orjson.loads(text) if isinstance(text, str) else {}
    except orjson.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) and all(type(v) is int for v in value.values()) else {}


def whole_rows(columns: list[str], batch: list) -> tuple[list[tuple], int]:
    """Rows of a table this program does not know as entries (row id, vv, every column, dots);
    and how many rows were not readable (not an array of the listed width with a text id)."""
    i_id, i_vv, width = columns.index("id"), columns.index("vv"), len(columns) + 1
    out, bad = [], 0
    for row in batch:
        if type(row) is not list or len(row) != width or type(row[i_id]) is not str \
                or not 0 < len(row[i_id]) <= 64:
            bad += 1
            continue
        dots = row[-1] if isinstance(row[-1], dict) else {}
        out.append((row[i_id], row[i_vv], dict(zip(columns, row[:-1])), dots))
    return out, bad


def keep(conn, table: str, entries: list[tuple], *, whole_row: bool, bundle_id: str,
         schema_version: str, now: str) -> int:
    """Store ``entries`` (row id, vv text, {column: value}, {column: dot}) unless a same or later
    version is kept already; returns how many were written."""
    kept = {}
    ids = [e[0] for e in entries]
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        kept.update(conn.execute(f"SELECT row_id, vv FROM sync_extras WHERE table_name = ? AND row_id "
                                 f"IN ({','.join('?' * len(part))})", [table, *part]))
    rows = []
    for rid, vv, columns, dots in entries:
        if rid in kept and merge.compare(_vv(kept[rid]), _vv(vv)) in ("gt", "eq"):
            continue
        rows.append((table, rid, int(whole_row), orjson.dumps(columns).decode(),
                     orjson.dumps(dots).decode(), vv if isinstance(vv, str) else "{}", bundle_id,
                     schema_version, now))
    conn.executemany(_UPSERT, rows)
    return len(rows)
