"""Bulk inserts through SQLAlchemy Core / executemany (demo data, code seeds, imports).

Rows written this way skip the ORM flush hook, so they get their sync stamps here; the caller writes
one audit entry for the whole batch.
"""

from __future__ import annotations

from datetime import datetime

from app.clock import utcnow
from app.db.engine import dumps_compact

BUILTIN_DEVICE = "builtin"
BUILTIN_AT = datetime(2026, 1, 1)


class Stamper:
    """Fills the SyncMixin columns of consecutive new rows from a reserved change-seq range.

    ``builtin``: rows shipped with the program (code tables, the holiday calendar), seeded alike
    on every installation — the same version (``{"builtin": 1}``), time and author everywhere, so
    two installations' copies are one version and travel without a merge or a report line."""

    def __init__(self, *, first_seq: int, device_id: str, username: str, owner_unit_id: str | None,
                 builtin: bool = False):
        self.seq = first_seq
        self.device_id = device_id
        self.username = "内置" if builtin else username
        self.owner_unit_id = owner_unit_id
        self.now = BUILTIN_AT if builtin else utcnow()
        self.builtin = builtin
        self._vv_prefix = '{"' + device_id + '":'

    def stamp(self, row: dict, *, owner_unit_id: str | None = ..., ) -> dict:
        seq = self.seq
        self.seq += 1
        row["owner_unit_id"] = self.owner_unit_id if owner_unit_id is ... else owner_unit_id
        row["created_at"] = row["updated_at"] = self.now
        row["created_by"] = row["updated_by"] = self.username
        row["revision"] = 1
        row["change_seq"] = seq
        row["vv"] = '{"builtin":1}' if self.builtin else self._vv_prefix + str(seq) + "}"
        row["deleted"] = False
        return row


def vv_json(device_id: str, seq: int) -> str:
    return dumps_compact({device_id: seq})
