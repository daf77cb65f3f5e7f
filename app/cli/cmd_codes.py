"""codes list | add | set: the code tables (字典)."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("codes", help="代码表:list、add、set", description="查看和维护代码表(民族、政治面貌、学历等)。")
    s = p.add_subparsers(dest="codes_command", metavar="子命令", required=True)
    ls = s.add_parser("list", help="列出代码表,或某张表的代码", description="不带参数时列出全部代码表;给出 TABLE 时列出该表的代码。")
    ls.add_argument("table", nargs="?", metavar="TABLE")
    ls.set_defaults(func=run_list)
    a = s.add_parser("add", help="新增代码(系统管理员)", description="在代码表中新增一项。")
    a.add_argument("table", metavar="TABLE")
    a.add_argument("code", metavar="CODE")
    a.add_argument("label", metavar="名称")
    a.set_defaults(func=run_add)
    st = s.add_parser("set", help="修改名称或停用代码(系统管理员)", description="修改代码的名称、排序,或停用/启用(停用的代码不再供新记录选择,已有记录不受影响)。")
    st.add_argument("table", metavar="TABLE")
    st.add_argument("code", metavar="CODE")
    st.add_argument("--label", metavar="名称")
    st.add_argument("--sort", type=int, metavar="N", help="排序号")
    g = st.add_mutually_exclusive_group()
    g.add_argument("--active", dest="active", action="store_true", default=None, help="启用")
    g.add_argument("--inactive", dest="active", action="store_false", help="停用")
    st.set_defaults(func=run_set)


def run_list(ctx) -> int:
    from app.services import codes

    with ctx.db().read_session() as s:
        if ctx.args.table:
            items = codes.list_items(s, ctx.args.table)
            if not items:
                from app.errors import NotFound

                raise NotFound(f"没有代码表 {ctx.args.table}")
            for i in items:
                ctx.out(f"{i.code:<12}{i.label}{'' if i.active else '(已停用)'}")
        else:
            for key, name, n in codes.list_tables(s):
                ctx.out(f"{key:<22}{name}({n} 项)")
    return 0


def run_add(ctx) -> int:
    from app.services import codes

    actor = ctx.login()
    with ctx.db().session(actor) as s:
        codes.add_item(s, actor, ctx.args.table, ctx.args.code, ctx.args.label)
    ctx.out(f"已在 {ctx.args.table} 中新增 {ctx.args.code} {ctx.args.label}")
    return 0


def run_set(ctx) -> int:
    from app.services import codes

    actor = ctx.login()
    with ctx.db().session(actor) as s:
        codes.update_item(s, actor, ctx.args.table, ctx.args.code, label=ctx.args.label,
                          active=ctx.args.active, sort_order=ctx.args.sort)
    ctx.out(f"已更新 {ctx.args.table} 的代码 {ctx.args.code}")
    return 0
