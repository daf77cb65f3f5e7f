"""Installation settings declared as data (name, type, default, Chinese label), stored in
``local_state``. The core's are ``SETTINGS``; a work area declares its own in the manifest
(``Area.settings``: a tuple of ``Setting``, e.g. the rights area's time limits), and
``all_settings`` reads both, grouped as the settings page shows them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.errors import AppError
from app.security import audit
from app.security.roles import Perm


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    default: int | str
    minimum: int | None = None
    maximum: int | None = None
    group: str = "安全设置"  # the box the settings page shows it in


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("lockout_attempts", "连续输错密码几次后锁定账户", 5, 3, 10),
        Setting("lockout_minutes", "账户锁定时长(分钟)", 10, 1, 1440),
        Setting("idle_lock_minutes", "无操作自动锁屏(分钟)", 10, 1, 120),
        Setting("password_max_age_days", "密码有效期(天,0 表示不限)", 90, 0, 3650),
        # every 公示 names where objections go: this number when a print gives none
        Setting("notice_phone", "公示受理异议的联系电话", ""),
    )
}

_PREFIX = "setting."


@lru_cache(maxsize=1)
def all_settings() -> dict[str, Setting]:
    """The core's settings, then every area's (``Area.settings``), in manifest order."""
    from app.areas import entries, load

    out = dict(SETTINGS)
    for path in entries("settings"):
        for s in load(path):
            if s.key in out:
                raise RuntimeError(f"two settings are named {s.key}")
            out[s.key] = s
    return out


def get(session: Session, key: str):
    spec = all_settings()[key]
    raw = session.execute(text("SELECT value FROM local_state WHERE key = :k"),
                          {"k": _PREFIX + key}).scalar()
    if raw is None:
        return spec.default
    return int(raw) if isinstance(spec.default, int) else raw


def put(session: Session, actor, key: str, value) -> None:
    actor.require(Perm.MANAGE_USERS, "修改系统设置")
    spec = all_settings().get(key)
    if spec is None:
        raise AppError(f"没有名为 {key} 的设置项")
    if isinstance(spec.default, int):
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise AppError(f"{spec.label}应为整数") from None
        if (spec.minimum is not None and value < spec.minimum) or (
                spec.maximum is not None and value > spec.maximum):
            raise AppError(f"{spec.label}应在 {spec.minimum} 到 {spec.maximum} 之间")
    old = get(session, key)
    session.execute(
        text("INSERT INTO local_state(key, value) VALUES (:k, :v) "
             "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
        {"k": _PREFIX + key, "v": str(value)},
    )
    audit.append(session, action="setting", actor=actor, object_type="setting", object_id=key,
                 summary=f"修改设置 {spec.label}:{old} → {value}",
                 detail={"before": {key: old}, "after": {key: value}})
