"""init: create a new installation (unit identity and administrator)."""

from __future__ import annotations

from pathlib import Path

from app.errors import AppError, InvalidInput
from app.fileops import discard

# What opening and initialising a new database may create beside it.
_BESIDE = ("-wal", "-shm", "-journal", ".syncstate", ".lock")


def register(sub) -> None:
    p = sub.add_parser("init", help="新建数据库:本单位信息和系统管理员",
                       description="在 --db 指定的文件(默认用户数据目录)中建立本单位和系统管理员账户。"
                                   "初始化失败(如区划代码或密码不符合要求)时不留下任何文件。")
    p.add_argument("--unit-name", required=True, metavar="NAME", help="单位名称,如 “某某县总工会”")
    p.add_argument("--unit-code", required=True, metavar="CODE", help="6 位行政区划代码(GB/T 2260)")
    p.add_argument("--level", required=True, choices=("county", "city"), help="级别:county 县级,city 市级")
    p.add_argument("--admin-user", required=True, metavar="NAME", help="系统管理员用户名")
    p.add_argument("--admin-password", metavar="PW",
                   help="系统管理员密码(至少 8 位,含大写、小写、数字、符号中的三类);省略时提示输入")
    p.set_defaults(func=run)


def run(ctx) -> int:
    from app.services.setup import check_init_values, init_installation

    path = ctx.db_path
    if path.exists() and path.stat().st_size > 0:
        db = ctx.db()
        if db.initialised:
            raise AppError(f"数据库 {path} 已经初始化过,不能重复初始化")
    password = ctx.args.admin_password
    if password is None:
        password = ctx.prompt_password("系统管理员密码:")
        if ctx.prompt_password("再次输入密码:") != password:
            raise InvalidInput("两次输入的密码不一致")
    values = dict(unit_name=ctx.args.unit_name, unit_code=ctx.args.unit_code, level=ctx.args.level,
                  admin_user=ctx.args.admin_user, admin_password=password)
    check_init_values(**values)  # a typing mistake is found before any file is made
    before = _existing(path)
    try:
        init_installation(ctx.db(create=True), **values)
    except BaseException:
        _remove_new_files(ctx, path, before)
        raise
    ctx.out(f"已初始化:{ctx.args.unit_name}({ctx.args.unit_code}),系统管理员 {ctx.args.admin_user}")
    ctx.out(f"数据库:{path}")
    ctx.out(f"建议再建一个系统管理员账户(uniondesk-cli --user {ctx.args.admin_user} user add 名字 --role admin),"
            "以免唯一的管理员被锁定或忘记密码时无人能管理;锁定时的恢复办法见 uniondesk-cli user recover --help")
    return 0


def _existing(path: Path) -> dict:
    path = path.absolute()
    dirs = []
    parent = path.parent
    while not parent.exists():
        dirs.append(parent)
        parent = parent.parent
    return {"files": {s: Path(str(path) + s).exists() for s in ("", *_BESIDE)},
            "empty": path.exists() and path.stat().st_size == 0, "dirs": dirs}


def _remove_new_files(ctx, path: Path, before: dict) -> None:
    """A failed init on a new (or empty) file leaves nothing behind: ``status`` must not find a
    schema-only file and call it "尚未初始化"."""
    if before["files"][""] and not before["empty"]:
        return  # an existing file: init_installation's one transaction left it as it was
    try:
        ctx.close(succeeded=False)  # release the database and the lock first
        path = path.absolute()
        for suffix, existed in before["files"].items():
            if not existed:
                discard(Path(str(path) + suffix))
        if before["empty"]:
            path.write_bytes(b"")
        for folder in before["dirs"]:  # innermost first
            try:
                folder.rmdir()
            except OSError:
                break
    except OSError:
        from app.cli.main import log_exception_quietly

        log_exception_quietly("removing the files of a failed init")
