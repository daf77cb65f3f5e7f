"""``db stats``: per record type, live rows, tombstones and a content hash over the synchronised
fields, so that two installations can prove they hold the same data."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from app.db.base import SyncMixin, synced_tables
from app.db.engine import dumps_compact
from app.errors import NotFound
from app.fields.registry import spec_for_table
from app.services.units import find_by_code


@dataclass(frozen=True)
class TableStats:
    table: str
    title: str
    live: int
    tombstones: int
    content_hash: str

    def as_dict(self) -> dict:
        return asdict(self)


def table_stats(session: Session, table, owner_unit_id: str | None = None) -> TableStats:
    cols = [c.name for c in table.columns if c.name not in SyncMixin.LOCAL_COLUMNS]
    sql = f"SELECT {', '.join(cols)} FROM {table.name}"
    params = {}
    if owner_unit_id is not None:
        sql += " WHERE owner_unit_id = :owner"
        params["owner"] = owner_unit_id
    sql += " ORDER BY id"
    digest = hashlib.sha256()
    live = dead = 0
    deleted_idx = cols.index("deleted")
    result = session.connection().exec_driver_sql(sql, params or ())
    for row in result:
        if row[deleted_idx]:
            dead += 1
        else:
            live += 1
        digest.update(dumps_compact(dict(zip(cols, row))).encode("utf-8"))
        digest.update(b"\n")
    spec = spec_for_table(table.name)
    return TableStats(table.name, spec.title if spec else table.name, live, dead, digest.hexdigest())


def db_stats(session: Session, unit_code: str | None = None) -> list[TableStats]:
    owner = None
    if unit_code:
        unit = find_by_code(session, unit_code)
        if unit is None:
            raise NotFound(f"没有区划代码为 {unit_code} 的单位")
        owner = unit.id
    return [table_stats(session, t, owner) for t in synced_tables()]
