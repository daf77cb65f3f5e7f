"""Rows an earlier version stored with an unreadable version vector (``vv`` not JSON, or not an
object of device id → non-negative counter). Such a row jammed every export of its table (the
export read the vector and stopped with an internal error, exit 70). The start-up, once per
program version, gives each such row a fresh vector of this device and a new change number: it is
then an ordinary local version, sent with the next bundle (a peer that holds another version of it
sees two concurrent versions and queues a conflict, as for any edit made on both sides). One
audit entry per table names the rows.
"""

from __future__ import annotations

import json

from sqlalchemy import text

from app import __version__
from app.db.base import synced_tables
from app.security import audit
from app.security.actor import Actor

CHECKED_KEY = "vv_checked_version"

_BAD = """CASE WHEN vv IS NULL OR NOT json_valid(vv) THEN 1
               WHEN json_type(vv) != 'object' THEN 1
               WHEN EXISTS (SELECT 1 FROM json_each({t}.vv)
                            WHERE type != 'integer' OR value < 0) THEN 1
               ELSE 0 END = 1"""


def bad_version_vectors(session) -> dict[str, list[str]]:
    out = {}
    for t in synced_tables():
        ids = [r[0] for r in session.execute(text(f"SELECT id FROM {t.name} WHERE {_BAD.format(t=t.name)}"))]
        if ids:
            out[t.name] = ids
    return out


def repair_version_vectors(db, *, force: bool = False) -> int:
    """Once per program version (or ``force``): fix the rows; returns how many were fixed."""
    with db.session(Actor.system()) as s:
        done = s.execute(text("SELECT value FROM local_state WHERE key = :k"), {"k": CHECKED_KEY}).scalar()
        if done == __version__ and not force:
            return 0
        fixed = 0
        for table, ids in bad_version_vectors(s).items():
            for row_id in ids:
                seq = int(s.execute(text(
                    "INSERT INTO local_state(key, value) VALUES ('change_seq', 1) ON CONFLICT(key) "
                    "DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING CAST(value AS INTEGER)"))
                    .scalar_one())
                s.execute(text(f"UPDATE {table} SET vv = :vv, change_seq = :seq WHERE id = :id"),
                          {"vv": json.dumps({db.device_id: seq}, separators=(",", ":")), "seq": seq,
                           "id": row_id})
            fixed += len(ids)
            audit.append(s, action="repair_version_vectors", object_type=table,
                         summary=f"修复 {len(ids)} 条版本向量无法读取的记录(较早版本写入),"
                                 "这些记录将随下一个数据包重新发出",
                         detail={"table": table, "ids": ids[:200], "count": len(ids)})
        s.execute(text("INSERT INTO local_state(key, value) VALUES (:k, :v) ON CONFLICT(key) "
                       "DO UPDATE SET value = excluded.value"), {"k": CHECKED_KEY, "v": __version__})
    return fixed
