"""How a record type's list and form reach its area service.

A page declares one ``RecordBinding`` per record type: the spec (fields, labels, masks) plus the
service functions that load, create, update and void a record. The generic ``ListPage`` and
``RecordFormDialog`` do the rest, so a new area's page is mostly this declaration.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.fields.spec import RecordSpec
from app.security.roles import Perm

# fn(session, actor, record_id) -> ORM object
Loader = Callable[[Any, Any, str], Any]
# fn(session, actor, values) -> ORM object (values may hold child lists under ChildSpec keys)
Creator = Callable[[Any, Any, Mapping[str, Any]], Any]
Updater = Callable[[Any, Any, str, Mapping[str, Any]], Any]
Voider = Callable[[Any, Any, str], None]


@dataclass(frozen=True)
class RecordBinding:
    spec: RecordSpec
    key: str  # where the list remembers its filters ("organisation.member")
    load: Loader | None = None
    create: Creator | None = None
    update: Updater | None = None
    void: Voider | None = None
    write_permission: Perm = Perm.WRITE
    columns: tuple[str, ...] | None = None  # list columns (default: the spec's in_list fields)
    tag_columns: tuple[str, ...] = ("status", "active")  # shown as coloured tags
    # live derived values in the form: fn(cleaned values) fills in e.g. gender and birth date
    derive: Callable[[dict[str, Any]], None] | None = None
    defaults: Callable[[], dict[str, Any]] | None = None  # initial values of a new record
    # children: ChildSpec key -> fn(session, actor, parent_id) -> list of row dicts
    load_children: Mapping[str, Callable[[Any, Any, str], list[dict]]] = field(default_factory=dict)
    # the child record specs by ChildSpec.spec_key, when not in the registry (tests, plug-ins)
    child_specs: Mapping[str, RecordSpec] = field(default_factory=dict)
    search_placeholder: str = "名称 / 编号"
    # the ChildSpec keys edited as sub-tables in the form (None: all; files have their own tab)
    subtables: tuple[str, ...] | None = None

    @property
    def title(self) -> str:
        return self.spec.title

    def can_write(self, actor) -> bool:
        return actor.can(self.write_permission)
