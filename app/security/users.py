"""Accounts: creation, password changes, login with lock-out. Every step is in the audit log."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.errors import AppError, AuthError, InvalidInput, NotFound
from app.models import User
from app.security import audit
from app.security.actor import Actor
from app.security.passwords import check_password_policy, generate_password, hash_password, needs_rehash, verify_password
from app.security.roles import ROLES, Perm, role_label

USERNAME_RE = re.compile(r"^[\w.\-]{2,32}$")


def actor_for(user: User) -> Actor:
    return Actor(user_id=user.id, username=user.username, role=user.role,
                 display_name=user.display_name or user.username, unit_id=user.unit_id,
                 must_change_password=user.must_change_password)


def username_key(username: str) -> str:
    """How user names are compared: width- and case-folded (``Clerk`` and ``ｃｌｅｒｋ`` are
    ``clerk``), so no two accounts look alike and a login finds the account however typed."""
    import unicodedata

    return unicodedata.normalize("NFKC", username.strip()).casefold()


def find_user(session: Session, username: str) -> User | None:
    """The account named ``username`` as compared by ``username_key`` (an office has a few dozen)."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is not None:
        return user
    key = username_key(username)
    return next((u for u in session.scalars(select(User)) if username_key(u.username) == key), None)


def get_user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"没有用户 {username}")
    return user


@dataclass(frozen=True)
class NewUser:
    user: User
    password: str  # the initial password (generated when none was given)
    generated: bool
    key_notice: str = ""  # why the account got no exchange key slot, and what to do ('' if fine)


def check_new_account(session: Session, username: str, role: str, password: str | None) -> None:
    """The checks of ``create_user`` before anything is written (the GUI runs them before it asks
    for the administrator's password to grant the exchange key)."""
    username = username.strip()
    if not USERNAME_RE.match(username):
        raise InvalidInput("用户名应为 2–32 个字母、数字、汉字或 _ . -")
    if role not in ROLES:
        raise InvalidInput(f"角色 {role} 不存在,可选:"
                           + "、".join(f"{k}({v[0]})" for k, v in ROLES.items()))
    if (same := find_user(session, username)) is not None:
        raise AppError(f"用户名 {username} 已存在" if same.username == username else
                       f"用户名 {username} 与已有的 {same.username} 相同(用户名不区分大小写和全角半角)")
    if password is not None and (reason := check_password_policy(password, username)):
        raise InvalidInput(reason)


def create_user(session: Session, actor: Actor, username: str, role: str, *,
                password: str | None = None, display_name: str = "", unit_id: str | None = None,
                chosen_by_self: bool = False) -> NewUser:
    """Create an account. A password set by someone else must be changed at first login."""
    actor.require(Perm.MANAGE_USERS, "管理用户")
    username = username.strip()
    check_new_account(session, username, role, password)
    generated = password is None
    if generated:
        password = generate_password()
    user = User(username=username, role=role, display_name=display_name or username,
                unit_id=unit_id or session.info.get("root_unit_id"),
                password_hash=hash_password(password), must_change_password=not chosen_by_self,
                password_changed_at=utcnow())
    session.add(user)
    session.flush()
    # Sync hook: an account that may exchange data gets a key slot for its initial password when
    # the creating administrator has the data key unlocked (app.sync.keyslots); otherwise a notice
    # that says what to do, for the caller to show.
    from app.sync.keyslots import on_user_created

    notice = on_user_created(session, actor, user, password)
    audit.append(session, action="user_create", actor=actor, object_type="users", object_id=user.id,
                 summary=f"新增用户 {username}({role_label(role)})",
                 detail={"after": {"username": username, "role": role,
                                   "must_change_password": user.must_change_password}})
    return NewUser(user, password, generated, notice)


def list_users(session: Session, actor: Actor) -> list[User]:
    actor.require(Perm.MANAGE_USERS, "查看用户列表")
    return list(session.scalars(select(User).order_by(User.created_at, User.username)))


def change_password(session: Session, actor: Actor, username: str, new_password: str,
                    old_password: str | None = None) -> str:
    """Own password (old one required), or an administrator's reset (user must change it again).
    Returns '' or, for a reset that could not grant the exchange key slot, the notice saying what
    to do (``NewUser.key_notice``)."""
    user = get_user(session, username)
    own = actor.user_id == user.id
    if own:
        if old_password is None or not verify_password(user.password_hash, old_password):
            raise AuthError("原密码不正确")
        if old_password == new_password:
            raise InvalidInput("新密码不能与原密码相同")
    else:
        actor.require(Perm.MANAGE_USERS, "重置其他用户的密码")
    if reason := check_password_policy(new_password, username):
        raise InvalidInput(reason)
    user.password_hash = hash_password(new_password)
    # Sync hook: re-wrap the user's key slot under the new password (app.sync.keyslots).
    from app.sync.keyslots import on_password_changed

    notice = on_password_changed(session, actor, user, new_password, old_password if own else None)
    user.must_change_password = not own
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    audit.append(session, action="password_change" if own else "password_reset", actor=actor,
                 object_type="users", object_id=user.id,
                 summary=("修改本人密码" if own else f"重置用户 {username} 的密码(须在首次登录时修改)"))
    return notice


def update_user(session: Session, actor: Actor, username: str, *, role: str | None = None,
                active: bool | None = None, display_name: str | None = None,
                unit_id: str | None = None) -> User:
    actor.require(Perm.MANAGE_USERS, "管理用户")
    user = get_user(session, username)
    before, after = {}, {}
    for key, value in (("role", role), ("active", active), ("display_name", display_name),
                       ("unit_id", unit_id)):
        if value is not None and getattr(user, key) != value:
            if key == "role" and value not in ROLES:
                raise InvalidInput(f"角色 {value} 不存在")
            before[key], after[key] = getattr(user, key), value
            setattr(user, key, value)
    if user.id == actor.user_id and (after.get("active") is False or "role" in after):
        raise AppError("不能停用自己的账户或修改自己的角色")
    if before:
        audit.append(session, action="user_update", actor=actor, object_type="users",
                     object_id=user.id, summary=f"修改用户 {username}",
                     detail={"before": before, "after": after})
    return user


def unlock_user(session: Session, actor: Actor, username: str) -> None:
    actor.require(Perm.MANAGE_USERS, "解锁用户")
    user = get_user(session, username)
    user.failed_logins = 0
    user.locked_until = None
    audit.append(session, action="user_unlock", actor=actor, object_type="users",
                 object_id=user.id, summary=f"解锁用户 {username}")


_DUMMY_HASH: list[str] = []


def dummy_hash() -> str:
    """A hash of a random password with the current parameters: an unknown user name is checked
    against it, so that it costs the same time as an existing account."""
    if not _DUMMY_HASH:
        import secrets

        _DUMMY_HASH.append(hash_password(secrets.token_urlsafe(24)))
    return _DUMMY_HASH[0]


def failed_login_message(session: Session) -> str:
    """The one answer to every failed login — unknown name, wrong password, locked account — so
    that it tells nobody which names exist, how many tries are left or whether a lock is on."""
    from app.services import settings

    return (f"用户名或密码错误(连续输错 {settings.get(session, 'lockout_attempts')} 次的账户将锁定 "
            f"{settings.get(session, 'lockout_minutes')} 分钟)")


def authenticate(db, username: str, password: str) -> Actor:
    """Check a login. Failures count towards the lock-out and are audited; committed either way.

    Every failure gets the same message and costs one password hash (a dummy one for an unknown
    name); a locked account answers like a wrong password, even to the right one; a disabled
    account says so only after the right password."""
    from app.services import settings

    with db.session(Actor.system()) as s:
        user = find_user(s, username)
        now = utcnow()
        message = failed_login_message(s)
        right = verify_password(user.password_hash if user is not None else dummy_hash(), password)
        if user is None:
            audit.append(s, action="login", success=False, role="", username=username[:32],
                         summary="登录失败:用户不存在")
        elif user.locked_until and user.locked_until > now:
            audit.append(s, action="login", success=False, role="", username=user.username,
                         object_type="users", object_id=user.id, summary="登录失败:账户锁定中")
        elif not right:
            limit = settings.get(s, "lockout_attempts")
            user.failed_logins += 1
            if user.failed_logins >= limit:
                minutes = settings.get(s, "lockout_minutes")
                user.locked_until = now + timedelta(minutes=minutes)
                user.failed_logins = 0
                summary = f"登录失败:密码错误,账户锁定 {minutes} 分钟"
            else:
                summary = f"登录失败:密码错误(第 {user.failed_logins} 次)"
            audit.append(s, action="login", success=False, role="", username=user.username,
                         object_type="users", object_id=user.id, summary=summary)
        elif not user.active:
            audit.append(s, action="login", success=False, role="", username=user.username,
                         object_type="users", object_id=user.id, summary="登录失败:账户已停用")
            message = "该账户已停用,请联系系统管理员"
        else:
            user.failed_logins = 0
            user.locked_until = None
            user.last_login_at = now
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            audit.append(s, action="login", actor=actor_for(user), object_type="users",
                         object_id=user.id, summary="登录成功")
            return actor_for(user)
    raise AuthError(message)


def password_expired(db, actor: Actor) -> bool:
    from app.services import settings

    with db.session(actor) as s:
        days = settings.get(s, "password_max_age_days")
        user = s.get(User, actor.user_id)
        return bool(days and user and user.password_changed_at
                    and utcnow() - user.password_changed_at > timedelta(days=days))


def logout(db, actor: Actor, reason: str = "退出登录") -> None:
    with db.session(actor) as s:
        audit.append(s, action="logout", actor=actor, summary=reason)


def account_todos(session: Session, actor) -> list:
    """系统管理 on the home page's 待办: accounts locked after wrong passwords."""
    from app.services.dashboard import Target, Todo

    if not actor.can(Perm.MANAGE_USERS):
        return []
    locked = session.scalar(select(func.count()).select_from(User).where(
        User.active.is_(True), User.locked_until.is_not(None), User.locked_until > utcnow())) or 0
    if not locked:
        return []
    return [Todo(f"{locked} 个账户因密码输错被锁定,可在“系统管理 › 用户”中解锁", "warn",
                 Target("system", "users"))]


def load_user(session: Session, actor, user_id: str) -> User:
    """An account by its record id (the users list opens it)."""
    actor.require(Perm.MANAGE_USERS, "查看用户")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("找不到该用户")
    return user
