"""Bulk inserts through SQLAlchemy Core / executemany (demo data, code seeds, imports).

Rows written this way skip the ORM flush hook, so they get their sync stamps here; the caller writes
one audit entry for the whole batch.
"""

from __future__ import annotations

from app.clock import utcnow
from app.db.engine import dumps_compact


class Stamper:
    """Fills the SyncMixin columns of consecutive new rows from a reserved change-seq range."""

    def __init__(self, *, first_seq: int, device_id: str, username: str, owner_unit_id: str | None):
        self.seq = first_seq
        self.device_id = device_id
        self.username = username
        self.owner_unit_id = owner_unit_id
        self.now = utcnow()
        self._vv_prefix = '{"' + device_id + '":'

    def stamp(self, row: dict, *, owner_unit_id: str | None = ..., ) -> dict:
        seq = self.seq
        self.seq += 1
        row["owner_unit_id"] = self.owner_unit_id if owner_unit_id is ... else owner_unit_id
        row["created_at"] = row["updated_at"] = self.now
        row["created_by"] = row["updated_by"] = self.username
        row["revision"] = 1
        row["change_seq"] = seq
        row["vv"] = self._vv_prefix + str(seq) + "}"
        row["deleted"] = False
        return row


def vv_json(device_id: str, seq: int) -> str:
    return dumps_compact({device_id: seq})
