"""A register's sub-tables (``RecordSpec.children``: an election's candidates, a 职工之家's scoring
sheet) saved by the generic service with their parent: the form sends each sub-table as a list of
rows under its ``ChildSpec`` key; a row with an ``id`` changes that row, one without is added,
a stored row the list no longer holds is voided. The cleaned rows sit in the parent's values
under the same key while its ``derive`` and rule run (a count, a sum, a majority), and are
written after the parent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from app.errors import ValidationFailed


def split(spec, values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list | None]]:
    """(the parent's own values, each sub-table's raw rows — None when not given)."""
    head = dict(values)
    return head, {c.key: head.pop(c.key, None) for c in spec.children}


def clean(session, spec, raw: Mapping[str, list | None]) -> dict[str, list[dict]]:
    """The given sub-tables' rows cleaned by their specs (a row keeps its ``id``); the messages
    keyed ``key[i].field`` as the form shows them in the row's cell."""
    from app.fields.registry import spec as spec_by_key
    from app.services.records import codebook

    book = codebook(session)
    out, errors, labels = {}, {}, {}
    for child in spec.children:
        rows = raw.get(child.key)
        if rows is None:
            continue
        child_spec = spec_by_key(child.spec_key)
        if child.max_rows is not None and len(rows) > child.max_rows:
            errors[child.key] = f"{child.title}最多 {child.max_rows} 行"
        cleaned_rows = []
        for i, row in enumerate(rows):
            cleaned, errs = child_spec.clean(row, book)
            for k, msg in errs.items():
                errors[f"{child.key}[{i}].{k}"] = msg
                labels[f"{child.key}[{i}].{k}"] = f"{child.title}第 {i + 1} 行{child_spec.field(k).label}"
            if row.get("id"):
                cleaned["id"] = row["id"]
            cleaned_rows.append(cleaned)
        out[child.key] = cleaned_rows
    if errors:
        raise ValidationFailed(errors, labels | spec.labels)
    return out


def stored(session, spec, parent_id: str) -> dict[str, list[dict]]:
    """A record's live sub-table rows as values (for a rule that needs them on an edit that did
    not send them)."""
    from app.fields.registry import spec as spec_by_key

    out = {}
    for child in spec.children:
        child_spec = spec_by_key(child.spec_key)
        table = child_spec.model.__table__
        rows = session.execute(select(table).where(table.c[child.parent_key] == parent_id,
                                                   table.c.deleted.is_(False))).mappings()
        out[child.key] = [{"id": r["id"], **{f.key: r[f.key] for f in child_spec.fields}} for r in rows]
    return out


def write(session, spec, parent, values: Mapping[str, Any]) -> None:
    """Save the sub-tables present in ``values`` under ``parent``."""
    from app.fields.registry import spec as spec_by_key
    from app.services.records import apply

    for child in spec.children:
        if child.key not in values:
            continue
        child_spec = spec_by_key(child.spec_key)
        model = child_spec.model
        current = {r.id: r for r in session.scalars(select(model).where(
            getattr(model, child.parent_key) == parent.id, model.deleted.is_(False)))}
        kept = set()
        for row in values[child.key]:
            row = dict(row)
            obj = current.get(row.pop("id", None) or "")
            if obj is None:
                obj = model(**{child.parent_key: parent.id})
                session.add(obj)
            else:
                kept.add(obj.id)
            apply(obj, {k: v for k, v in row.items() if getattr(obj, k, None) != v})
        for rid, obj in current.items():
            if rid not in kept:
                obj.deleted = True
    session.flush()


def keys(spec) -> set[str]:
    return {c.key for c in spec.children}
