"""status: where the database is and what it holds."""

from __future__ import annotations

from sqlalchemy import func, select

from app import APP_TITLE, __version__


def register(sub) -> None:
    p = sub.add_parser("status", help="显示数据库位置、本单位和记录数", description="显示数据库位置、本单位、架构版本和各类记录数。")
    p.set_defaults(func=run)


def run(ctx) -> int:
    from app.db.migrate import current_revision
    from app.models import Installation, Member, Unit
    from app.services.setup import LEVELS

    path = ctx.db_path
    ctx.out(f"{APP_TITLE} {__version__}")
    ctx.out(f"数据库:{path}")
    if not path.exists():
        ctx.out("状态:尚未建立。请运行 uniondesk-cli init 新建单位,或 make run 打开程序。")
        return 0
    db = ctx.db()
    ctx.out(f"架构版本:{current_revision(db)}")
    with db.read_session() as s:
        inst = s.scalar(select(Installation))
        if inst is None:
            ctx.out("状态:尚未初始化")
            return 0
        root = s.get(Unit, inst.root_unit_id)
        ctx.out(f"本单位:{root.name}({root.code},{LEVELS.get(inst.level, inst.level)})")
        ctx.out(f"设备标识:{inst.device_id}")
        units = s.scalar(select(func.count()).select_from(Unit).where(Unit.deleted.is_(False)))
        members = s.scalar(select(func.count()).select_from(Member).where(Member.deleted.is_(False)))
        ctx.out(f"单位:{units:,} 个;会员:{members:,} 名")
    return 0
