"""unit list | add | set: the tree of union units."""

from __future__ import annotations

from app.cli.common import add_set_option, resolve_ref
from app.fields.units import UNIT


def register(sub) -> None:
    p = sub.add_parser("unit", help="单位:list、add、set", description="查看和维护本级总工会下的单位树。")
    s = p.add_subparsers(dest="unit_command", metavar="子命令", required=True)
    ls = s.add_parser("list", help="按层级列出单位", description="按层级列出单位及登记会员数。")
    ls.add_argument("--no-grassroots", action="store_true", help="不列出基层工会")
    ls.set_defaults(func=run_list)
    a = s.add_parser("add", help="新增单位", description="新增单位,例如:unit add --set name=城关镇工会 --set kind=township --set parent_id=341122")
    add_set_option(a, UNIT)
    a.set_defaults(func=run_add)
    st = s.add_parser("set", help="修改单位", description="修改单位的字段。")
    st.add_argument("unit", metavar="UNIT", help="单位名称、区划代码或编号")
    add_set_option(st, UNIT)
    st.set_defaults(func=run_set)


def run_list(ctx) -> int:
    from app.services import units

    with ctx.db().read_session() as s:
        counts = units.member_counts(s)
        for unit, depth in units.tree(s, include_grassroots=not ctx.args.no_grassroots):
            n = counts.get(unit.id)
            extra = f"  会员 {n:,}" if n else ""
            code = f"  [{unit.code}]" if unit.code else ""
            ctx.out(f"{'  ' * depth}{unit.name}({units.KIND_LABELS.get(unit.kind, unit.kind)}){code}{extra}")
    return 0


def _unit():
    from app.kit.register import register

    return register("unit")


def run_add(ctx) -> int:
    from app.cli.cmd_record import add_record

    return add_record(ctx, _unit(), ctx.args.set, said="已新增单位 {label}(编号 {id})")


def run_set(ctx) -> int:
    from app.cli.cmd_record import set_record

    with ctx.db().read_session() as s:
        unit_id = resolve_ref(s, ctx.args.unit)
    return set_record(ctx, _unit(), unit_id, ctx.args.set, said="已修改单位 {label}")
