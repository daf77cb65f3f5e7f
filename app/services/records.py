"""Helpers shared by the area services: load a live record, check input against its spec, apply
it, and reveal a masked value (audited)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from app.errors import NotFound, ValidationFailed
from app.fields.codes import CodeBook
from app.fields.spec import RecordSpec
from app.security import audit
from app.security.roles import Perm


def codebook(session: Session) -> CodeBook:
    """The session's CodeBook, loaded once per unit of work."""
    book = session.info.get("codebook")
    if book is None:
        book = session.info["codebook"] = CodeBook.load(session)
    return book


def get_live(session: Session, spec: RecordSpec, record_id: str):
    obj = session.get(spec.model, record_id)
    if obj is None or getattr(obj, "deleted", False):
        raise NotFound(f"找不到该{spec.title}记录(可能已作废)")
    return obj


def clean_or_raise(session: Session, spec: RecordSpec, values: Mapping[str, Any], *,
                   partial: bool = False) -> dict[str, Any]:
    cleaned, errors = spec.clean(values, codebook(session), partial=partial)
    if errors:
        raise ValidationFailed(errors, spec.labels)
    return cleaned


def apply(obj, cleaned: Mapping[str, Any]) -> None:
    for key, value in cleaned.items():
        setattr(obj, key, value)


def reveal(session: Session, actor, spec: RecordSpec, record_id: str, field_key: str,
           reason: str = "") -> Any:
    """The full value of a masked field. Needs the REVEAL permission; every reveal is logged."""
    f = spec.field(field_key)
    actor.require(Perm.REVEAL, f"查看完整的{f.label}")
    obj = get_live(session, spec, record_id)
    audit.append(session, action="reveal", actor=actor, object_type=spec.model.__table__.name,
                 object_id=record_id,
                 summary=f"查看{spec.title}“{spec.describe(obj)}”的完整{f.label}"
                         + (f"(事由:{reason})" if reason else ""))
    return getattr(obj, field_key)


def reveal_entered(session: Session, actor, spec: RecordSpec, field_key: str, value: Any) -> Any:
    """A masked value that a new record's form holds without knowing the record it came from:
    shown in full only with the REVEAL permission, and logged like any reveal."""
    from app.fields.masking import mask_field

    f = spec.field(field_key)
    actor.require(Perm.REVEAL, f"查看完整的{f.label}")
    audit.append(session, action="reveal", actor=actor, object_type=spec.model.__table__.name,
                 summary=f"查看新增{spec.title}中带入的完整{f.label}“{mask_field(f, value)}”")
    return value
