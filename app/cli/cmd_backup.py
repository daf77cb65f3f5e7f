"""backup [--out FILE] [--list] | restore FILE: backups with the online backup API, and restoring one."""

from __future__ import annotations

import os
from pathlib import Path

from app.errors import AppError


def register(sub) -> None:
    p = sub.add_parser("backup", help="备份数据库(到备份文件夹或指定位置,如 U 盘)",
                       description="用 SQLite 在线备份接口生成一致的备份,校验完整性并附 .sha256 校验文件。"
                                   "不加 --out 时保存到数据库旁的 backups 文件夹(自动轮换);"
                                   "--out 指定文件或文件夹(如 U 盘),先在本机备份,再复制、写盘并读回核对。需要系统管理员登录。")
    p.add_argument("--out", metavar="FILE", help="备份到该文件,或该文件夹下(如 U 盘 E:\\)")
    p.add_argument("--list", action="store_true", help="列出备份文件夹中的备份,不做新备份")
    p.set_defaults(func=run_backup)
    r = sub.add_parser("restore", help="从备份恢复数据库(先自动备份当前数据)",
                       description="检查备份(完整性、架构版本、本单位)后替换当前数据库;替换前自动备份当前数据,"
                                   "恢复后本机取得新的设备标识,并记入审计日志。需要系统管理员登录;"
                                   "当前数据库损坏或不存在时,按备份中的账户核对密码。")
    r.add_argument("file", metavar="FILE", help="备份文件(.db)")
    r.set_defaults(func=run_restore)


def run_backup(ctx) -> int:
    if ctx.args.list:
        return _list(ctx)
    from app.services.backups import make_backup

    actor = ctx.login()
    out = Path(ctx.args.out) if ctx.args.out else None
    if out is not None and ctx.args.out.endswith(("/", "\\")):
        out.mkdir(parents=True, exist_ok=True)  # "E:\\备份\\" names a folder, even a new one
    made = make_backup(ctx.db(), actor, out)
    ctx.out(f"已备份:{made.path}")
    ctx.out(f"大小:{made.size / 1024 / 1024:,.1f} MB;SHA-256:{made.sha256}(已校验完整性"
            + ("、已读回核对" if made.path != made.local else "") + ")")
    if made.path != made.local:
        ctx.out(f"本机副本:{made.local}")
    return 0


def _list(ctx) -> int:
    from app.config import backups_dir
    from app.db.backup import list_backups, sidecar_matches

    items = list_backups(ctx.db_path)
    ctx.out(f"备份文件夹:{backups_dir(ctx.db_path)}")
    if not items:
        ctx.out("(没有备份)")
        return 0
    kinds = {"periodic": "定期", "pre-migrate": "升级前", "pre-import": "导入前", "pre-restore": "恢复前",
             "manual": "手动"}
    for b in items:
        state = {True: "校验一致", False: "校验不符!", None: "无校验文件"}[sidecar_matches(b.path)]
        ctx.out(f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {kinds.get(b.kind, b.kind):<4}  "
                f"{b.size / 1024 / 1024:>8,.1f} MB  {state}  {b.path.name}")
    return 0


def run_restore(ctx) -> int:
    from app.db.backup import check_database_file
    from app.services import backups

    source = Path(ctx.args.file)
    if not source.is_file():
        raise AppError(f"找不到备份文件 {source}")
    start = ctx.startup()  # the lock, before looking at the current file
    current = check_database_file(ctx.db_path, full=False) if ctx.db_path.exists() else None
    if current is not None and current.ok:
        actor = ctx.login()  # a sound database: its administrator restores (and unit must match)
    else:
        username = ctx.args.user or os.environ.get("UNIONDESK_USER")
        if not username:
            raise AppError("此命令需要登录:请在命令前加 --user 用户名")
        password = os.environ.get("UNIONDESK_PASSWORD")
        if password is None:
            password = ctx.prompt_password(f"用户 {username} 的密码(按备份中的账户核对):")
        actor = backups.actor_from_backup(source, username, password)
        if current is not None:
            ctx.out(f"当前数据库无法使用({';'.join(current.problems)}),按备份中的账户核对身份。")
    result = backups.restore(start, source, actor)
    ctx.out(f"已从备份恢复:{source}")
    if result.pre_restore_backup:
        ctx.out(f"恢复前的数据已备份到:{result.pre_restore_backup}")
    ctx.out(f"本机新的设备标识:{result.new_device_id}(原标识 {result.old_device_id} 已记录)")
    return 0
