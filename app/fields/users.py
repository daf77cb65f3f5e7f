"""Staff accounts (the administrator's 用户管理 page)."""

from __future__ import annotations

from app.fields.spec import Field, Kind, RecordSpec
from app.models import User
from app.security.roles import ROLES

USER = RecordSpec(
    key="user",
    title="用户",
    model=User,
    display_key="username",
    default_sort="username",
    fields=(
        Field("username", "用户名", required=True, max_len=32, search=True, width=12),
        Field("display_name", "姓名", max_len=50, search=True, width=10),
        Field("role", "角色", Kind.CODE, required=True,
              choices=tuple((k, label) for k, (label, _) in ROLES.items()), filter=True, width=10),
        Field("unit_id", "所属单位", Kind.REF, ref="unit", width=24),
        Field("active", "启用", Kind.BOOL, default=True, filter=True, width=6),
        Field("must_change_password", "须改密码", Kind.BOOL, readonly=True, width=8),
        Field("locked_until", "锁定至", Kind.DATETIME, readonly=True, width=16),
        Field("last_login_at", "最近登录", Kind.DATETIME, readonly=True, width=16),
    ),
)

SPECS = (USER,)
