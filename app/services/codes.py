"""Code tables: seeded from ``resources/codes``, edited by the administrator."""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.db.bulk import Stamper
from app.db.tracking import reserve_change_seqs
from app.errors import AppError, NotFound
from app.fields.codes import CodeBook, load_code_files, table_names
from app.models import CodeItem
from app.models.codes import builtin_code_id
from app.security import audit
from app.security.roles import Perm


def ensure_builtin_codes(session: Session, actor) -> int:
    """Insert the shipped code items this database does not have yet (first set-up, and new
    tables that arrive with an upgrade). Existing items, edited or not, are left alone."""
    files = load_code_files()
    have = set(session.execute(select(CodeItem.table_key, CodeItem.code)).all())
    rows = []
    for table in files.values():
        for order, e in enumerate(table.entries):
            if (table.key, e.code) not in have:
                rows.append({"id": builtin_code_id(table.key, e.code), "table_key": table.key,
                             "code": e.code, "label": e.label, "parent_code": e.parent,
                             "sort_order": order, "active": True})
    if not rows:
        return 0
    stamper = Stamper(first_seq=reserve_change_seqs(session, len(rows)),
                      device_id=session.info.get("device_id") or "", username=actor.username,
                      owner_unit_id=None, builtin=True)
    session.execute(insert(CodeItem), [stamper.stamp(r) for r in rows])
    audit.append(session, action="codes_seed", actor=actor, object_type="code_items",
                 summary=f"载入内置代码表 {len({r['table_key'] for r in rows})} 张,共 {len(rows)} 项")
    return len(rows)


def list_tables(session: Session) -> list[tuple[str, str, int]]:
    """(table key, 中文名, item count) for every code table in the database."""
    names = table_names()
    rows = session.execute(
        select(CodeItem.table_key, func.count()).where(CodeItem.deleted.is_(False))
        .group_by(CodeItem.table_key)
    ).all()
    return sorted(((t, names.get(t, t), n) for t, n in rows), key=lambda r: r[0])


def list_items(session: Session, table: str) -> list[CodeItem]:
    return list(session.scalars(
        select(CodeItem).where(CodeItem.table_key == table, CodeItem.deleted.is_(False))
        .order_by(CodeItem.sort_order, CodeItem.code)))


def _clean(code: str, label: str) -> tuple[str, str]:
    code, label = code.strip(), label.strip()
    if not code or len(code) > 20 or not all(c.isalnum() or c in "_-." for c in code):
        raise AppError("代码应为 1–20 位字母、数字或 _ - .")
    if not label or len(label) > 100:
        raise AppError("名称不能为空,且不超过 100 个字")
    return code, label


def add_item(session: Session, actor, table: str, code: str, label: str) -> CodeItem:
    actor.require(Perm.MANAGE_CODES, "维护代码表")
    if table not in table_names() and not list_items(session, table):
        raise NotFound(f"没有代码表 {table}")
    code, label = _clean(code, label)
    existing = session.scalar(select(CodeItem).where(CodeItem.table_key == table,
                                                     CodeItem.code == code))
    if existing is not None and not existing.deleted:
        raise AppError(f"代码 {code} 已存在(“{existing.label}”)")
    if any(i.label == label for i in list_items(session, table)):
        raise AppError(f"名称“{label}”已存在")
    order = (session.scalar(select(func.max(CodeItem.sort_order))
                            .where(CodeItem.table_key == table)) or 0) + 1
    if existing is not None:  # re-adding a removed code revives its row (same id everywhere)
        existing.deleted, existing.label, existing.active, existing.sort_order = False, label, True, order
        item = existing
    else:
        item = CodeItem(table_key=table, code=code, label=label, sort_order=order, active=True)
        session.add(item)
    session.flush()
    session.info.pop("codebook", None)
    return item


def update_item(session: Session, actor, table: str, code: str, *, label: str | None = None,
                active: bool | None = None, sort_order: int | None = None) -> CodeItem:
    """Rename, reorder or deactivate an item. Deactivated items stay valid for existing records
    but are no longer offered for new ones; items are never deleted."""
    actor.require(Perm.MANAGE_CODES, "维护代码表")
    item = session.scalar(select(CodeItem).where(CodeItem.table_key == table, CodeItem.code == code,
                                                 CodeItem.deleted.is_(False)))
    if item is None:
        raise NotFound(f"代码表 {table} 中没有代码 {code}")
    if label is not None:
        _, label = _clean(code, label)
        if any(i.label == label and i.code != code for i in list_items(session, table)):
            raise AppError(f"名称“{label}”已存在")
        item.label = label
    if active is not None:
        item.active = active
    if sort_order is not None:
        item.sort_order = sort_order
    session.flush()
    session.info.pop("codebook", None)
    return item


def codebook(session: Session) -> CodeBook:
    from app.services.records import codebook as _cb

    return _cb(session)
