"""Decisions on ``edit`` conflicts, and when a decision is stale.

- A conflict is decided on the versions it showed. When the record has moved on since (a later
  edit, another conflict's resolution, a newer version from another PC), a resolution made on the
  old view is refused and the conflict is shown again with the current values beside its two
  versions (``current_vv`` of the view; ``ConflictMoved``): an older conflict never silently puts
  back values a newer decision replaced.
- A resolution writes the decided fields with a new field dot each (even a value kept as it was),
  so edits made elsewhere after it merge field by field instead of all becoming conflicts, and a
  ``SyncResolution`` that travels with the record: an installation that queued the same conflict,
  or an older one of the same record (its versions at or below the decision's vector), closes it
  for the decided fields when the decision arrives (``settle``).
"""

from __future__ import annotations

import orjson

from app.errors import AppError
from app.sync.merge import compare, vv_max


class ConflictMoved(AppError):
    """The record changed after the conflict was shown: show it again before deciding."""


def base_of(local: dict, remote: dict) -> dict:
    """The vector of the provisional result both versions were merged into."""
    return vv_max(_vv(local), _vv(remote))


def _vv(version: dict) -> dict:
    try:
        return orjson.loads(version.get("vv") or "{}")
    except orjson.JSONDecodeError:
        return {}


def check_seen(current_vv: str, local: dict, remote: dict, seen: str | None) -> None:
    """Refuse a decision made on an older view of the record (``seen``: the vector the view
    showed as current; None: the conflict's own versions)."""
    now = orjson.loads(current_vv or "{}")
    shown = orjson.loads(seen) if seen else base_of(local, remote)
    if compare(now, shown) != "eq":
        raise ConflictMoved("该记录在这个冲突之后又被修改或处理过,请按当前内容重新核对后再处理"
                            "(已重新显示,“当前”一列是记录现在的值)")


def record(session, table: str, row_id: str, owner_id: str | None, base: dict, fields: list[str],
           summary: str) -> None:
    """The travelling note of a decision (owned, like the record, by its unit)."""
    from app.models import SyncResolution

    session.add(SyncResolution(table_name=table, row_id=row_id, owner_unit_id=owner_id,
                               base=orjson.dumps(dict(sorted(base.items()))).decode(),
                               fields=orjson.dumps(sorted(fields)).decode(), summary=summary[:200]))


def settle(conn) -> int:
    """Close the open edit conflicts (or the fields of them) a decision that arrived covers: one
    on the same record made on a vector at or above the conflict's. ``conn``: sqlite3 or a
    SQLAlchemy connection. Returns how many conflicts closed."""
    run = conn.exec_driver_sql if hasattr(conn, "exec_driver_sql") else conn.execute
    open_ = run("SELECT c.id, c.table_name, c.row_id, c.fields, c.local_version, c.remote_version "
                "FROM sync_conflicts c WHERE c.kind = 'edit' AND c.status = 'open' AND EXISTS "
                "(SELECT 1 FROM sync_resolutions r WHERE r.row_id = c.row_id "
                "AND r.table_name = c.table_name)").fetchall()
    closed = 0
    for cid, table, row_id, fields, local, remote in open_:
        base = base_of(orjson.loads(local), orjson.loads(remote))
        left = set(orjson.loads(fields))
        who = ""
        for r_base, r_fields, by in run(
                "SELECT base, fields, created_by FROM sync_resolutions WHERE table_name = ? AND "
                "row_id = ? AND deleted = 0", (table, row_id)).fetchall():
            if compare(orjson.loads(r_base), base) in ("gt", "eq") and left & set(orjson.loads(r_fields)):
                left -= set(orjson.loads(r_fields))
                who = by
        if not left:
            run("UPDATE sync_conflicts SET status = 'superseded', resolution = ? WHERE id = ?",
                (f"已在另一台电脑上处理({who})", cid))
            closed += 1
        elif left != set(orjson.loads(fields)):
            run("UPDATE sync_conflicts SET fields = ? WHERE id = ?",
                (orjson.dumps(sorted(left)).decode(), cid))
    return closed
