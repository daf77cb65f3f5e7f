"""Who may change a record: only its owning unit (DESIGN.md §5).

``owner_unit_id`` names the unit whose installation created a record — the same id on every PC of
that unit (``app.services.units.root_unit_id``). A record owned by another unit is read-only here:
the city holds every county's records but changes none of them; its 作废, 合并 or 更正 becomes a
request to the owner (``app.services.requests``). Built-in reference rows (no owner) stay with the
services that manage them.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.errors import PermissionDenied


class OwnedElsewhere(PermissionDenied):
    """A change refused because another unit owns the record; ``owner_id`` names that unit."""

    def __init__(self, message: str, owner_id: str):
        super().__init__(message)
        self.owner_id = owner_id


def owned_here(session: Session, owner_id: str | None) -> bool:
    return owner_id is None or owner_id == session.info.get("root_unit_id")


def owner_name(session: Session, owner_id: str | None) -> str:
    from app.models import Unit

    unit = session.get(Unit, owner_id) if owner_id else None
    return unit.name if unit is not None else "另一单位"


def require_owned(session: Session, owner_id: str | None, what: str) -> None:
    """Refuse a change of a record another unit owns, naming the owner and the way to ask."""
    if not owned_here(session, owner_id):
        name = owner_name(session, owner_id)
        raise OwnedElsewhere(f"该{what}属于{name},只能由{name}修改或作废。可以向其提出更正或作废"
                             "请求,请求随下一个数据包发给该单位,由其处理后结果会发回", owner_id)
