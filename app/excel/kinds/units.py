"""units: the unions under this federation to and from Excel (the federation itself, made at
set-up, is neither exported nor imported)."""

from __future__ import annotations

from sqlalchemy import select

from app.errors import ValidationFailed
from app.excel.registry import ExcelKind
from app.fields.units import UNIT
from app.models import Unit
from app.services import records, units
from app.services.filters import FilterOption

COLUMNS = tuple(f.key for f in UNIT.fields)
OPTIONS = (
    FilterOption("from", "--from", "成立日期起", "date", "日期", label="成立日期起"),
    FilterOption("to", "--to", "成立日期止", "date", "日期", label="成立日期止"),
)


def select_rows(session, options: dict):
    """Units in tree order (a parent before its children, so the file imports in order)."""
    from app.kit.options import dates, period_text

    start, end = dates(options)
    out = []
    for unit, _depth in units.tree(session):
        if unit.parent_id is None:
            continue
        if start and (unit.founded_on is None or unit.founded_on < start):
            continue
        if end and (unit.founded_on is None or unit.founded_on > end):
            continue
        out.append(tuple(getattr(unit, k) for k in COLUMNS))
    return out, period_text("成立日期", start, end)


def unit_names(session) -> dict[str, str]:
    return dict(session.execute(select(Unit.id, Unit.name).where(Unit.deleted.is_(False))).all())


class _Rollback(Exception):
    pass


def _create_all(session, actor, rows, errors: dict | None = None) -> int:
    """Create the rows in order; ``@row:N`` parents become the id created from row N. With
    ``errors`` each row is tried in a savepoint and its errors collected instead of raised."""
    from app.excel.importer import ROW_REF

    created: dict[str, str] = {}
    for row_no, values in rows:
        values = dict(values)
        parent = values.get("parent_id") or ""
        if parent.startswith(ROW_REF):
            if parent not in created:
                if errors is None:
                    raise ValidationFailed({"parent_id": "上级单位未能导入"}, UNIT.labels)
                errors[row_no] = {"parent_id": f"上级单位(第 {parent[len(ROW_REF):]} 行)未通过检查"}
                continue
            values["parent_id"] = created[parent]
        if errors is None:
            unit = records.create(session, actor, "unit", values)
        else:
            try:
                with session.begin_nested():
                    unit = records.create(session, actor, "unit", values)
            except ValidationFailed as exc:
                errors[row_no] = exc.errors
                continue
        created[f"{ROW_REF}{row_no}"] = unit.id
    return len(created)


class UnitImporter:
    """Few rows: each is tried through the generic ``records.create`` inside a transaction that is rolled
    back, so the service's own rules decide; a name already in use is refused too."""

    def check(self, db, actor, rows):
        errors: dict[int, dict[str, str]] = {}
        existing: set[str] = set()
        fresh = []
        for row_no, values in rows:
            if values["name"] in existing:
                errors[row_no] = {"name": f"与本文件中前面的“{values['name']}”重名"}
            else:
                existing.add(values["name"])
                fresh.append((row_no, values))
        try:
            with db.session(actor) as s:
                taken = set(s.scalars(select(Unit.name).where(Unit.deleted.is_(False))))
                for row_no, values in fresh:
                    if values["name"] in taken:
                        errors[row_no] = {"name": f"已有名为“{values['name']}”的单位"}
                _create_all(s, actor, [r for r in fresh if r[0] not in errors], errors)
                raise _Rollback
        except _Rollback:
            pass
        return errors

    def write(self, session, actor, rows, *, source):
        from app.security import audit

        n = _create_all(session, actor, rows)
        audit.append(session, action="import", actor=actor, object_type="units",
                     summary=f"从 Excel 导入单位 {n:,} 个(来源:{source})",
                     detail={"count": n, "source": source})
        return n


KINDS = (ExcelKind("units", "单位", UNIT, COLUMNS, select_rows, {"parent_id": unit_names},
                   options=OPTIONS, importer=UnitImporter(), import_perm="manage_units",
                   period="成立日期"),)
