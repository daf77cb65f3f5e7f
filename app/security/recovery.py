"""The way back in when every administrator is locked out: ``uniondesk-cli user recover NAME``, run
on the PC itself by the operating-system account that owns the data folder.

That account can already change the database file with any SQLite tool, so the command grants it
nothing new; what it adds is that the unlock is done the ordinary way and audited, naming the OS
account. It only lifts a lock-out of a system administrator's account (the administrator then
unlocks or resets everyone else); it does not reveal or reset a password. Against a forgotten
password the remedy is a second administrator (suggested at set-up), who resets it.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from app.errors import AppError, PermissionDenied
from app.security import audit
from app.security.actor import Actor


def os_account() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in the environment (a service account)
        return "(未知)"


def unlock_administrator(db, username: str) -> str:
    """Lift the lock-out of administrator ``username``; returns the OS account that did it."""
    from app.security.users import get_user

    path = Path(db.path)
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        raise PermissionDenied("只有拥有数据文件夹(可写数据库文件)的操作系统账户才能用此方法解锁,"
                               "请用该账户登录本机后再运行")
    who = os_account()
    with db.session(Actor.system()) as s:
        user = get_user(s, username)
        if user.role != "admin":
            raise AppError(f"{username} 不是系统管理员:此方法只用于解锁系统管理员,其他账户请由系统管理员解锁")
        user.failed_logins = 0
        user.locked_until = None
        audit.append(s, action="user_recover", object_type="users", object_id=user.id,
                     username="system", role="",
                     summary=f"本机操作系统账户 {who} 解除系统管理员 {username} 的锁定(管理员恢复途径)")
    return who
