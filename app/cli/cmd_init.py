"""init: create a new installation (unit identity and administrator)."""

from __future__ import annotations

from app.errors import AppError


def register(sub) -> None:
    p = sub.add_parser("init", help="新建数据库:本单位信息和系统管理员",
                       description="在 --db 指定的文件(默认用户数据目录)中建立本单位和系统管理员账户。")
    p.add_argument("--unit-name", required=True, metavar="NAME", help="单位名称,如 “某某县总工会”")
    p.add_argument("--unit-code", required=True, metavar="CODE", help="6 位行政区划代码(GB/T 2260)")
    p.add_argument("--level", required=True, choices=("county", "city"), help="级别:county 县级,city 市级")
    p.add_argument("--admin-user", required=True, metavar="NAME", help="系统管理员用户名")
    p.add_argument("--admin-password", metavar="PW",
                   help="系统管理员密码(至少 8 位,含大写、小写、数字、符号中的三类);省略时提示输入")
    p.set_defaults(func=run)


def run(ctx) -> int:
    from app.services.setup import init_installation

    path = ctx.db_path
    if path.exists() and path.stat().st_size > 0:
        db = ctx.db()
        if db.initialised:
            raise AppError(f"数据库 {path} 已经初始化过,不能重复初始化")
    password = ctx.args.admin_password
    if password is None:
        password = ctx.prompt_password("系统管理员密码:")
        if ctx.prompt_password("再次输入密码:") != password:
            raise AppError("两次输入的密码不一致")
    db = ctx.db(create=True)
    init_installation(db, unit_name=ctx.args.unit_name, unit_code=ctx.args.unit_code,
                      level=ctx.args.level, admin_user=ctx.args.admin_user, admin_password=password)
    ctx.out(f"已初始化:{ctx.args.unit_name}({ctx.args.unit_code}),系统管理员 {ctx.args.admin_user}")
    ctx.out(f"数据库:{path}")
    return 0
