"""member add | set | search | show: the member register (the ``record`` commands of the register
``member``, with the words members are named by)."""

from __future__ import annotations

from app.cli.common import add_set_option
from app.fields.members import MEMBER

KEYS = "会员编号、会员证号或身份证号"


def register(sub) -> None:
    p = sub.add_parser("member", help="会员:add、set、search、show", description="登记、修改和查找会员。")
    s = p.add_subparsers(dest="member_command", metavar="子命令", required=True)
    a = s.add_parser("add", help="登记会员", description="登记会员,例如:member add --set 姓名=张三 --set 身份证号=... --set 所属基层工会=某某公司工会")
    add_set_option(a, MEMBER)
    a.set_defaults(func=run_add)
    st = s.add_parser("set", help="修改会员", description=f"修改会员信息。会员可写{KEYS}(与 print --id 相同)。")
    st.add_argument("id", metavar="ID", help=KEYS)
    add_set_option(st, MEMBER)
    st.set_defaults(func=run_set)
    f = s.add_parser("search", help="查找会员(姓名、身份证号、手机号、拼音或首字母)",
                     description="按姓名、身份证号、手机号、全拼或拼音首字母查找会员(敏感信息脱敏显示)。")
    f.add_argument("text", metavar="TEXT")
    f.add_argument("--limit", type=int, default=20, metavar="N")
    f.set_defaults(func=run_search)
    sh = s.add_parser("show", help="显示一名会员", description="显示一名会员的全部字段(敏感信息脱敏)。"
                      f"会员可写{KEYS}(与 print --id 相同)。")
    sh.add_argument("id", metavar="ID", help=KEYS)
    sh.set_defaults(func=run_show)


def _member():
    from app.kit.register import register

    return register("member")


def run_add(ctx) -> int:
    from app.cli.cmd_record import add_record

    return add_record(ctx, _member(), ctx.args.set, said="已登记会员 {label}(编号 {id})")


def run_set(ctx) -> int:
    from app.cli.cmd_record import set_record

    return set_record(ctx, _member(), ctx.args.id, ctx.args.set, said="已修改会员 {label}")


def run_show(ctx) -> int:
    from app.cli.cmd_record import show_record

    return show_record(ctx, _member(), ctx.args.id)


def run_search(ctx) -> int:
    from app.fields.masking import mask_field
    from app.services import members

    actor = ctx.login()
    with ctx.db().read_session() as s:
        rows = members.search_members(s, actor, ctx.args.text, limit=ctx.args.limit)
        for m, union_name in rows:
            ctx.out(f"{m.id}  {m.name:<6} {mask_field(MEMBER.field('id_number'), m.id_number)}  "
                    f"{mask_field(MEMBER.field('phone'), m.phone) or '':<12} {union_name}")
        ctx.out(f"共 {len(rows)} 条" + ("(已达上限)" if len(rows) == ctx.args.limit else ""))
    return 0
