"""Who is acting: every service call that reads or changes business data gets one."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import PermissionDenied
from app.security.roles import PERM_LABELS, Perm, permissions, role_label


@dataclass(frozen=True)
class Actor:
    user_id: str
    username: str
    role: str
    display_name: str = ""
    unit_id: str | None = None
    must_change_password: bool = False

    @classmethod
    def system(cls) -> Actor:
        """The program itself (first set-up, migrations): every permission, audited as 'system'."""
        return cls(user_id="", username="system", role="system", display_name="系统")

    @property
    def role_label(self) -> str:
        return "系统" if self.role == "system" else role_label(self.role)

    def can(self, perm: Perm) -> bool:
        return self.role == "system" or perm in permissions(self.role)

    def require(self, perm: Perm, action: str = "") -> None:
        if not self.can(perm):
            what = action or PERM_LABELS.get(perm, str(perm))
            raise PermissionDenied(f"当前用户 {self.username}({self.role_label})无权{what}。")
