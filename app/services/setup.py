"""First set-up of an installation: its unit identity, the code tables and the administrator."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from app.errors import AppError, InvalidInput, ValidationFailed
from app.models import Installation
from app.security import audit
from app.security.actor import Actor
from app.security.passwords import check_password_policy
from app.security.users import USERNAME_RE, create_user
from app.services import calendar, codes, units

LEVELS = {"county": "县(区)总工会", "city": "市总工会"}


def validate_identity(unit_name: str, unit_code: str, level: str) -> dict[str, str]:
    errors = {}
    if not unit_name.strip() or len(unit_name.strip()) > 100:
        errors["unit_name"] = "单位名称不能为空,且不超过 100 个字"
    if not re.fullmatch(r"\d{6}", unit_code.strip()):
        errors["unit_code"] = "行政区划代码应为 6 位数字(GB/T 2260,例如 341122)"
    elif unit_code[:2] not in _PROVINCES:
        errors["unit_code"] = f"行政区划代码前两位 {unit_code[:2]} 不是有效的省级代码"
    elif level == "city" and not unit_code.endswith("00"):
        errors["unit_code"] = "市级单位的区划代码应以 00 结尾(例如 341100)"
    elif level == "county" and unit_code.endswith("00"):
        errors["unit_code"] = "县级单位的区划代码不应以 00 结尾"
    if level not in LEVELS:
        errors["level"] = "级别应为 county(县级)或 city(市级)"
    return errors


_PROVINCES = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
              "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
              "63", "64", "65"}


def check_init_values(*, unit_name: str, unit_code: str, level: str, admin_user: str,
                      admin_password: str) -> None:
    """The checks of ``init_installation`` that need no database (the CLI runs them before it
    creates the file, so a typing mistake leaves nothing behind)."""
    if errors := validate_identity(unit_name, unit_code, level):
        raise ValidationFailed(errors, {"unit_name": "单位名称", "unit_code": "行政区划代码",
                                        "level": "级别"})
    if not USERNAME_RE.match(admin_user.strip()):
        raise InvalidInput("管理员用户名应为 2–32 个字母、数字、汉字或 _ . -")
    if reason := check_password_policy(admin_password, admin_user):
        raise InvalidInput(f"管理员密码不符合要求:{reason}")


def init_installation(db, *, unit_name: str, unit_code: str, level: str, admin_user: str,
                      admin_password: str) -> Actor:
    """Create the root unit, this device's identity, the code tables and the administrator, in one
    transaction. Returns the administrator as an actor."""
    check_init_values(unit_name=unit_name, unit_code=unit_code, level=level,
                      admin_user=admin_user, admin_password=admin_password)
    system = Actor.system()
    device_id = str(uuid.uuid4())
    db.device_id = device_id
    with db.session(system) as s:
        if s.scalar(select(Installation)) is not None:
            raise AppError("该数据库已经初始化过,不能重复初始化")
        root = units.create_root(s, unit_name.strip(), unit_code.strip(), level)
        s.info["root_unit_id"] = root.id
        s.add(Installation(id=1, root_unit_id=root.id, level=level, device_id=device_id))
        codes.ensure_builtin_codes(s, system)
        calendar.ensure_seeded(s, system)
        admin = create_user(s, system, admin_user.strip(), "admin", password=admin_password,
                            display_name="系统管理员", unit_id=root.id, chosen_by_self=True).user
        # Sync hook: the unit's exchange keys, sealed with a data key wrapped for the admin.
        from app.sync.keys import provision_at_setup

        provision_at_setup(s, db, admin, admin_password, root.id, level)
        audit.append(s, action="init", actor=system, object_type="installation",
                     object_id=root.id,
                     summary=f"初始化:{unit_name}({unit_code},{LEVELS[level]}),管理员 {admin_user}")
    db.load_identity()
    from app.security.users import actor_for

    return actor_for(admin)


def refresh_builtin_codes(db) -> int:
    """After an upgrade, add the code tables and holiday years that the new version ships."""
    if not db.initialised:
        return 0
    with db.session(Actor.system()) as s:
        return codes.ensure_builtin_codes(s, Actor.system()) + calendar.ensure_seeded(s, Actor.system())
