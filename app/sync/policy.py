"""What the exchange needs to know about each travelling table, declared once.

- Fields never merged automatically: those of kind ID_NUMBER, BANK_ACCOUNT and MONEY in the
  table's RecordSpec, the keys ``name`` and ``status``, the tombstone flag, and any listed in the
  model's ``__sync_protected__``.
- ``__immutable__ = True`` on a model marks an append-only table (a money ledger): the same id with
  different content is an integrity alarm, never an overwrite.
- ``__person_key__ = "id_number"`` on a model: a new record whose key matches another live record
  is a possible duplicate person.
- ``__number_key__ = "archive_no"`` on a model: an official serial issued on one PC (档案编号, 文号);
  an incoming record whose number another live record holds is a ``number`` clash, stored and
  queued for renumbering (two PCs of one county may issue the same serial between exchanges).
- ``__recipients__ = ("from_county_code", "to_county_code")`` on a model: its rows go only to the
  peers those columns name (``addressed``).
- A register's ``derive`` (``app.kit.register``) fills a record's derived columns (pinyin,
  gender); a column an older bundle lacks is derived with it on import (``app.sync.shapes``).
- Which rows go to which peer, and which a sender may change (city mode, office PCs).
"""

from __future__ import annotations

from functools import cache

from app.db.base import Base, SyncMixin, synced_tables
from app.fields.registry import spec_for_table
from app.fields.spec import Kind

PROTECTED_KINDS = (Kind.ID_NUMBER, Kind.BANK_ACCOUNT, Kind.MONEY)
PROTECTED_KEYS = frozenset({"name", "status", "deleted"})
# Fields kept only as bookkeeping (never compared as user content).
META = SyncMixin.META_COLUMNS - {"deleted"}


@cache
def model_for(table: str):
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table:
            return mapper.class_
    return None


@cache
def protected_fields(table: str) -> frozenset[str]:
    spec = spec_for_table(table)
    keys = set(PROTECTED_KEYS)
    if spec is not None:
        keys |= {f.key for f in spec.fields if f.kind in PROTECTED_KINDS}
    keys |= set(getattr(model_for(table), "__sync_protected__", ()))
    return frozenset(keys)


def is_immutable(table: str) -> bool:
    return bool(getattr(model_for(table), "__immutable__", False))


def person_key(table: str) -> str | None:
    return getattr(model_for(table), "__person_key__", None)


def number_key(table: str) -> str | None:
    return getattr(model_for(table), "__number_key__", None)


def recipients(table: str) -> tuple[str, ...]:
    """Columns of a table naming the units (by region code) its rows are addressed to
    (``__recipients__``): such a row goes only to a peer it names (a cross-county transfer the
    city forwards goes to the two counties, not to every county)."""
    return tuple(getattr(model_for(table), "__recipients__", ()))


def route_column(table: str) -> str | None:
    """``__route_key__`` on a model: a column naming the unit a row is for (a request to the
    county that owns a record). Such rows go to that unit's installations only, not to every
    county the sender exchanges with."""
    return getattr(model_for(table), "__route_key__", None)


def blob_column(table: str) -> str | None:
    """The column of a table that names an attachment blob by SHA-256 (``__blob_column__``):
    bundles carry those blobs, and a row is refused when its blob is neither sent nor present."""
    return getattr(model_for(table), "__blob_column__", None)


def bundle_columns(table) -> list[str]:
    """Columns a row carries in a bundle: all but the local change counter."""
    return [str(c.name) for c in table.columns if c.name not in SyncMixin.LOCAL_COLUMNS]


def export_order() -> list:
    """Units first (owners of everything), then code items (values other rows use), then the
    rest in dependency order."""
    tables = synced_tables()
    first = [t for t in tables if t.name == "units"] + [t for t in tables if t.name == "code_items"]
    return first + [t for t in tables if t not in first]


# -- scope and ownership ------------------------------------------------------------------------
def same_unit(own_code: str, peer_code: str) -> bool:
    """Two installations of one unit (office PCs) replicate everything."""
    return bool(own_code) and own_code == peer_code


def owner_refusal(*, sender_code: str, sender_level: str, sender_name: str, same: bool,
                  owner_id: str | None, owner_code: str | None) -> str | None:
    """Why a sender may not change a row with this owner (None when it may). A county changes only
    its own records; the city sends its own records and the built-in reference rows."""
    if same:
        return None
    if owner_id is None:
        return None if sender_level == "city" else "内置代码等公共数据只能由市总工会下发"
    if owner_code is None:
        return "记录的归属单位不明"
    if owner_code == sender_code:
        return None
    return f"该记录属于区划代码 {owner_code} 的单位,{sender_name}无权修改"


def of_people(table: str) -> bool:
    """A register of people (a person key) or of what happens to them (``__people__``: a
    member's 会籍 events, a trainee, a loan)."""
    return bool(person_key(table) or getattr(model_for(table), "__people__", False))


def travels(table_name: str, sender_level: str, peer_level: str) -> bool:
    """The city sends down its own records and reference data, but not registers of people:
    a county has no business with the city's members."""
    return not (sender_level == "city" and peer_level == "county" and of_people(table_name))
