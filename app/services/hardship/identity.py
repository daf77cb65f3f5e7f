"""精准识别: one person, one active archive.

The same ID number may appear only once across all active archives (not closed, not voided), as
户主 or as family member, in every unit of the database: at the city, the check finds the same
person filed in two counties. The message names the other archive so the clerk can sort it out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationFailed
from app.models import HardshipArchive, HardshipFamilyMember, Unit
from app.validation import mask_id_number

CLOSED = ("exited", "cancelled")


@dataclass(frozen=True)
class Conflict:
    id_number: str
    person_name: str
    role: str  # 户主 | 家庭成员
    archive_id: str
    archive_name: str
    archive_no: str | None
    status: str
    union_name: str

    def message(self, status_labels: dict[str, str]) -> str:
        no = f"编号 {self.archive_no}," if self.archive_no else ""
        return (f"身份证号 {mask_id_number(self.id_number)}({self.person_name})已是“{self.archive_name}”"
                f"困难职工档案({no}{self.union_name},{status_labels.get(self.status, self.status)})"
                f"的{self.role},同一人只能在一个有效档案中")


def find_conflicts(session: Session, id_numbers: Iterable[str],
                   exclude_archive_id: str | None = None) -> list[Conflict]:
    ids = sorted({i for i in id_numbers if i})
    if not ids:
        return []
    live = (HardshipArchive.deleted.is_(False), HardshipArchive.status.notin_(CLOSED))
    heads = select(HardshipArchive.id_number, HardshipArchive.name, HardshipArchive.id,
                   HardshipArchive.name, HardshipArchive.archive_no, HardshipArchive.status,
                   Unit.name).join(Unit, Unit.id == HardshipArchive.union_id).where(
        HardshipArchive.id_number.in_(ids), *live)
    members = select(HardshipFamilyMember.id_number, HardshipFamilyMember.name, HardshipArchive.id,
                     HardshipArchive.name, HardshipArchive.archive_no, HardshipArchive.status,
                     Unit.name).join(HardshipArchive,
                                     HardshipArchive.id == HardshipFamilyMember.archive_id).join(
        Unit, Unit.id == HardshipArchive.union_id).where(
        HardshipFamilyMember.id_number.in_(ids), HardshipFamilyMember.deleted.is_(False), *live)
    if exclude_archive_id:
        heads = heads.where(HardshipArchive.id != exclude_archive_id)
        members = members.where(HardshipArchive.id != exclude_archive_id)
    out = [Conflict(*row[:2], "户主", *row[2:]) for row in session.execute(heads)]
    out += [Conflict(*row[:2], "家庭成员", *row[2:]) for row in session.execute(members)]
    return out


def check_unique_people(session: Session, head_id: str, member_ids: list[str],
                        archive_id: str | None) -> None:
    """Refuse an ID number that repeats inside the household or appears in another active
    archive; errors are keyed like the form's fields."""
    from app.fields.hardship import STATUS_CHOICES

    errors: dict[str, str] = {}
    seen = {head_id: "id_number"}
    for i, n in enumerate(member_ids):
        key = f"members[{i}].id_number"
        if n in seen:
            errors[key] = f"身份证号与{'户主' if seen[n] == 'id_number' else '另一位家庭成员'}相同"
        seen.setdefault(n, key)
    labels = dict(STATUS_CHOICES)
    for c in find_conflicts(session, [head_id, *member_ids], archive_id):
        errors.setdefault(seen.get(c.id_number, "id_number"), c.message(labels))
    if errors:
        raise ValidationFailed(errors, {"id_number": "身份证号"} | {
            k: f"家庭成员第 {int(k[8:k.index(']')]) + 1} 行身份证号" for k in errors if k.startswith("members[")})
