"""How a record type's list and form reach the core.

A register on the area kit gets its binding from its declaration (``RecordBinding.of``): the
generic record service loads, creates, updates and voids it, with the register's rules and
permissions — the page checks nothing itself. Records that are not registers (users, code items)
declare a ``RecordBinding`` with their own service functions. The generic ``ListPage`` and
``RecordFormDialog`` do the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.fields.spec import RecordSpec

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
    # who may change a record (fn(session, actor, id) -> records.Ownership), and the request to
    # its owning unit instead (fn(session, actor, id, action, reason=, changes=)): a county's
    # record at the city is read-only there; its 作废 and 更正 become requests
    ownership: Callable[[Any, Any, str], Any] | None = None
    request: Callable[..., Any] | None = None
    # a record in a review chain: fn(session, actor, id) -> whose step it waits for and since
    # when ("待 示例县总工会 审核人 帮扶中心审核(自 2026年12月1日)"), shown on its status tag
    waiting: Callable[[Any, Any, str], str | None] | None = None
    # a record type never voided (no ``void``): why, and what to do instead — the 作废 button's
    # tooltip ("发放记录不能作废,如有错误请用“冲正”")
    no_void: str = ""

    @property
    def title(self) -> str:
        return self.spec.title

    def can_write(self, actor) -> bool:
        """The core's answer for this record type (the page shows its buttons by it)."""
        from app.services.records import may_write

        return may_write(actor, self.spec.key)

    @classmethod
    def of(cls, register_key: str, key: str, **overrides) -> RecordBinding:
        """The binding of a register: the generic service with the register's hooks, its
        sub-tables loaded by ``records.child_rows`` (``overrides`` replace any part, e.g. a form's
        own ``create``, the list's ``columns``, the ``subtables`` its form edits)."""
        from app.kit.register import register
        from app.services import records, requests

        reg = register(register_key)
        k = reg.key
        edited = overrides.get("subtables")
        children = {c.key: (lambda s, a, rid, c=c.key: records.child_rows(s, a, k, rid, c))
                    for c in reg.spec.children if edited is None or c.key in edited}
        parts: dict[str, Any] = dict(
            spec=reg.spec, key=key, load=lambda s, a, rid: records.get(s, a, k, rid),
            create=(lambda s, a, v: records.create(s, a, k, v)) if reg.creatable or reg.create else None,
            update=(lambda s, a, rid, v: records.update(s, a, k, rid, v))
            if reg.editable or reg.update else None,
            void=(lambda s, a, rid: records.void(s, a, k, rid)) if reg.voidable or reg.void else None,
            load_children=children, derive=reg.derive, tag_columns=reg.tag_columns,
            search_placeholder=reg.hint or cls.search_placeholder,
            ownership=lambda s, a, rid: records.ownership(s, a, k, rid),
            request=lambda s, a, rid, action, **kw: requests.request_change(s, a, k, rid, action, **kw))
        parts.update(overrides)
        return cls(**parts)
