"""member add | set | search | show: the member register."""

from __future__ import annotations

from app.cli.common import add_set_option, parse_sets
from app.fields.members import MEMBER


def register(sub) -> None:
    p = sub.add_parser("member", help="会员:add、set、search、show", description="登记、修改和查找会员。")
    s = p.add_subparsers(dest="member_command", metavar="子命令", required=True)
    a = s.add_parser("add", help="登记会员", description="登记会员,例如:member add --set 姓名=张三 --set 身份证号=... --set 所属基层工会=某某公司工会")
    add_set_option(a, MEMBER)
    a.set_defaults(func=run_add)
    st = s.add_parser("set", help="修改会员", description="修改会员信息。会员可写会员编号、会员证号或身份证号(与 print --id 相同)。")
    st.add_argument("id", metavar="ID", help="会员编号、会员证号或身份证号")
    add_set_option(st, MEMBER)
    st.set_defaults(func=run_set)
    f = s.add_parser("search", help="查找会员(姓名、身份证号、手机号、拼音或首字母)",
                     description="按姓名、身份证号、手机号、全拼或拼音首字母查找会员(敏感信息脱敏显示)。")
    f.add_argument("text", metavar="TEXT")
    f.add_argument("--limit", type=int, default=20, metavar="N")
    f.set_defaults(func=run_search)
    sh = s.add_parser("show", help="显示一名会员", description="显示一名会员的全部字段(敏感信息脱敏)。"
                      "会员可写会员编号、会员证号或身份证号(与 print --id 相同)。")
    sh.add_argument("id", metavar="ID", help="会员编号、会员证号或身份证号")
    sh.set_defaults(func=run_show)


def run_add(ctx) -> int:
    from app.services import members, records

    actor = ctx.login()
    with ctx.db().session(actor) as s:
        m = records.create(s, actor, "member", parse_sets(s, MEMBER, ctx.args.set))
        ctx.out(f"已登记会员 {m.name}(编号 {m.id})")
    return 0


def run_set(ctx) -> int:
    from app.services import members, records

    actor = ctx.login()
    with ctx.db().session(actor) as s:
        member_id = members.resolve_member_id(s, ctx.args.id)
        m = records.update(s, actor, "member", member_id, parse_sets(s, MEMBER, ctx.args.set))
        ctx.out(f"已修改会员 {m.name}")
    return 0


def run_search(ctx) -> int:
    from app.fields.masking import mask_field
    from app.services import members, records

    actor = ctx.login()
    with ctx.db().read_session() as s:
        rows = members.search_members(s, actor, ctx.args.text, limit=ctx.args.limit)
        for m, union_name in rows:
            ctx.out(f"{m.id}  {m.name:<6} {mask_field(MEMBER.field('id_number'), m.id_number)}  "
                    f"{mask_field(MEMBER.field('phone'), m.phone) or '':<12} {union_name}")
        ctx.out(f"共 {len(rows)} 条" + ("(已达上限)" if len(rows) == ctx.args.limit else ""))
    return 0


def run_show(ctx) -> int:
    from app.fields.masking import mask_field
    from app.fields.spec import display_value
    from app.services import members, records
    from app.services.records import codebook

    actor = ctx.login()
    with ctx.db().read_session() as s:
        m = records.get(s, actor, "member", members.resolve_member_id(s, ctx.args.id))
        book = codebook(s)
        for f in MEMBER.fields:
            value = getattr(m, f.key)
            if f.key == "union_id":
                from app.models import Unit

                value = s.get(Unit, value).name
                ctx.out(f"{f.label}:{value}")
                continue
            ctx.out(f"{f.label}:{display_value(f, mask_field(f, value), book)}")
    return 0
