"""user add | list | passwd | set | unlock | recover: staff accounts (administrator; recover: the
OS account that owns the data folder, when every administrator is locked out)."""

from __future__ import annotations

import os
import sys

from app.errors import InvalidInput


def register(sub) -> None:
    p = sub.add_parser("user", help="用户管理:add、list、passwd、set、unlock、recover",
                       description="管理本机的用户账户(需要系统管理员登录;修改本人密码除外)。")
    s = p.add_subparsers(dest="user_command", metavar="子命令", required=True)
    a = s.add_parser("add", help="新增用户", description=(
        "新增用户。未给出 --password 时生成一个临时密码并显示;由他人设定的密码须在首次登录时修改。"
        "可进行数据交换的角色(admin、clerk)同时开通本单位密钥:管理员的登录密码用来解锁密钥;"
        "无法开通时显示一行“警告:”说明如何处理。"))
    a.add_argument("name", metavar="NAME", help="用户名")
    a.add_argument("--role", required=True, metavar="ROLE",
                   help="角色:admin 系统管理员 | clerk 经办人 | reviewer 审核人 | approver 审批人 | auditor 审计员 | readonly 只读(也可写中文名)")
    a.add_argument("--password", metavar="PW", help="初始密码")
    a.add_argument("--display-name", metavar="姓名", default="", help="姓名")
    a.add_argument("--unit", metavar="UNIT", help="所在单位(名称、区划代码或编号;默认本单位),"
                                                  "如乡镇工会的审核人写该乡镇工会")
    a.set_defaults(func=run_add)
    ls = s.add_parser("list", help="列出用户", description="列出所有用户及其角色、状态。")
    ls.set_defaults(func=run_list)
    pw = s.add_parser("passwd", help="修改密码", description=(
        "修改密码。NAME 为本人时修改本人密码(原密码即登录密码);为他人时是管理员重置,对方须在下次登录时修改,"
        "并同时为其开通本单位密钥(数据交换)。"
        "新密码取自 --new-password、环境变量 UNIONDESK_NEW_PASSWORD,或提示输入。"))
    pw.add_argument("name", metavar="NAME", help="用户名")
    pw.add_argument("--new-password", metavar="PW", help="新密码")
    pw.set_defaults(func=run_passwd)
    st = s.add_parser("set", help="修改角色、单位或启用/停用", description="修改用户的角色、姓名、所在单位,或启用/停用账户。")
    st.add_argument("name", metavar="NAME")
    st.add_argument("--role", metavar="ROLE")
    st.add_argument("--display-name", metavar="姓名")
    st.add_argument("--unit", metavar="UNIT", help="所在单位(名称、区划代码或编号)")
    g = st.add_mutually_exclusive_group()
    g.add_argument("--active", dest="active", action="store_true", default=None, help="启用")
    g.add_argument("--inactive", dest="active", action="store_false", help="停用")
    st.set_defaults(func=run_set)
    u = s.add_parser("unlock", help="解除锁定", description="解除因密码错误次数过多而锁定的账户。")
    u.add_argument("name", metavar="NAME")
    u.set_defaults(func=run_unlock)
    r = s.add_parser("recover", help="解除系统管理员的锁定(无需登录)", description=(
        "所有系统管理员都被锁定时的恢复途径:在本机上由拥有数据文件夹的操作系统账户运行,无需登录,"
        "解除指定系统管理员账户的锁定,并记入审计日志(写明操作系统账户)。不显示也不重置密码;"
        "忘记密码时请由另一位系统管理员重置。"))
    r.add_argument("name", metavar="NAME", help="系统管理员的用户名")
    r.set_defaults(func=run_recover)


def _role(text: str | None) -> str | None:
    from app.security.roles import role_from_text

    if text is None:
        return None
    role = role_from_text(text)
    if role is None:
        raise InvalidInput(f"角色 {text} 不存在,可选:admin 系统管理员、clerk 经办人、reviewer 审核人、"
                           "approver 审批人、auditor 审计员、readonly 只读")
    return role


def _unlock_for_grant(ctx, actor) -> None:
    """The administrator's login password also unlocks the unit's data key, so that the account
    made or reset now gets its exchange key slot (app.sync.keyslots)."""
    from app.security.roles import Perm, permissions
    from app.sync.keyslots import try_unlock

    if Perm.MANAGE_USERS in permissions(actor.role):
        try_unlock(ctx.db(), actor, ctx.password)


def _warn(notice: str) -> None:
    if notice:
        print(f"警告:{notice}", file=sys.stderr)


def _unit_id(session, text: str | None) -> str | None:
    """The unit a user works in, named as the user list and the unit tree name it."""
    from app.services.units import find_unit

    return find_unit(session, text).id if text else None


def run_add(ctx) -> int:
    from app.security.roles import Perm, permissions, role_label
    from app.security.users import create_user

    actor = ctx.login()
    role = _role(ctx.args.role)
    if Perm.SYNC in permissions(role):
        _unlock_for_grant(ctx, actor)
    with ctx.db().session(actor) as s:
        new = create_user(s, actor, ctx.args.name, role, password=ctx.args.password,
                          display_name=ctx.args.display_name, unit_id=_unit_id(s, ctx.args.unit))
    ctx.out(f"已新增用户 {new.user.username}(角色:{role_label(role)})")
    if new.generated:
        ctx.out(f"临时密码:{new.password}  (请当面交给本人,首次登录须修改)")
    else:
        ctx.out("该用户首次登录时须修改密码")
    _warn(new.key_notice)
    return 0


def run_list(ctx) -> int:
    from sqlalchemy import select

    from app.clock import to_local
    from app.models import Unit
    from app.security.roles import role_label
    from app.security.users import list_users

    actor = ctx.login()
    with ctx.db().session(actor) as s:
        users = list_users(s, actor)
        units = dict(s.execute(select(Unit.id, Unit.name)).all())
        ctx.out(f"{'用户名':<14}{'姓名':<10}{'角色':<8}{'状态':<8}{'最近登录':<14}单位")
        for u in users:
            state = "停用" if not u.active else ("须改密码" if u.must_change_password else "正常")
            last = to_local(u.last_login_at).strftime("%Y-%m-%d %H:%M") if u.last_login_at else "-"
            ctx.out(f"{u.username:<16}{u.display_name:<10}{role_label(u.role):<8}{state:<8}{last:<18}"
                    f"{units.get(u.unit_id, '')}")
    return 0


def run_passwd(ctx) -> int:
    from app.security.users import change_password

    actor = ctx.login(allow_password_change=True)
    new = ctx.args.new_password or os.environ.get("UNIONDESK_NEW_PASSWORD")
    if new is None:
        new = ctx.prompt_password(f"{ctx.args.name} 的新密码:")
        if ctx.prompt_password("再次输入新密码:") != new:
            raise InvalidInput("两次输入的密码不一致")
    own = ctx.args.name == actor.username
    if not own:
        _unlock_for_grant(ctx, actor)
    with ctx.db().session(actor) as s:
        notice = change_password(s, actor, ctx.args.name, new,
                                 old_password=ctx.password if own else None)
    ctx.out("密码已修改" if own else f"已重置 {ctx.args.name} 的密码,对方下次登录时须修改")
    _warn(notice)
    return 0


def run_set(ctx) -> int:
    from app.security.users import update_user

    actor = ctx.login()
    with ctx.db().session(actor) as s:
        update_user(s, actor, ctx.args.name, role=_role(ctx.args.role), active=ctx.args.active,
                    display_name=ctx.args.display_name, unit_id=_unit_id(s, ctx.args.unit))
    ctx.out(f"已更新用户 {ctx.args.name}")
    return 0


def run_recover(ctx) -> int:
    from app.security.recovery import unlock_administrator

    who = unlock_administrator(ctx.db(), ctx.args.name)
    ctx.out(f"已解除系统管理员 {ctx.args.name} 的锁定(操作系统账户 {who},已记入审计日志)")
    return 0


def run_unlock(ctx) -> int:
    from app.security.users import unlock_user

    actor = ctx.login()
    with ctx.db().session(actor) as s:
        unlock_user(s, actor, ctx.args.name)
    ctx.out(f"已解除 {ctx.args.name} 的锁定")
    return 0
