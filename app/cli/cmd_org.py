"""org: 基层组织建设's own processes beside the registers' ``record`` commands — a member's 会籍
history and a transfer between two unions of the county, cross-county transfers (the city
forwards, the county takes in), the 建会 chain's steps, 文号 numbering and its PC, and what is due
(terms ending, 职工之家 re-checks). 会籍 events themselves are ``record add membership_event``."""

from __future__ import annotations

from app.cli.common import add_set_option, parse_sets

MEMBER = "会员编号、会员证号或身份证号"


def register(sub) -> None:
    p = sub.add_parser("org", help="基层组织建设:会籍、转接、建会、文号、换届到期",
                       description="会籍记录与转接、跨县转接、建会各环节、文件编号和到期提醒。"
                                   "会籍变动的登记用 record add membership_event(变动类型、日期……)。")
    s = p.add_subparsers(dest="org_command", metavar="子命令", required=True)
    h = s.add_parser("history", help="会员的会籍记录", description=f"列出一名会员的会籍记录。会员可写{MEMBER}。")
    h.add_argument("member", metavar="MEMBER")
    h.set_defaults(func=run_history)
    t = s.add_parser("transfer", help="本县基层工会之间转接会员",
                     description="在同一事务中登记转出和转入:会员离开原基层工会,加入 --to 的基层工会。")
    t.add_argument("member", metavar="MEMBER", help=MEMBER)
    t.add_argument("--to", required=True, metavar="UNION", help="转入的基层工会(名称或编号)")
    t.add_argument("--date", required=True, metavar="DATE", help="转接日期")
    t.add_argument("--doc-no", metavar="NO", help="会员组织关系介绍信编号")
    t.set_defaults(func=run_transfer)
    f = s.add_parser("forward", help="(市总工会)转递跨县转接",
                     description="市总工会:把各县登记的转往外县的会员转递给转入县,并把已转入的转接单办结。")
    f.set_defaults(func=run_forward)
    i = s.add_parser("incoming", help="转入本县的待接收会员", description="列出市总工会转递来、尚未接收的会员。")
    i.set_defaults(func=run_incoming)
    a = s.add_parser("accept", help="接收跨县转入的会员", description="把转接单上的会员接收到本县的一个基层工会。")
    a.add_argument("transfer", metavar="TRANSFER", help="转接单编号(org incoming 列出)")
    a.add_argument("--union", required=True, metavar="UNION", help="接收的基层工会(名称或编号)")
    a.add_argument("--date", metavar="DATE", help="转入日期(默认今天)")
    a.set_defaults(func=run_accept)
    st = s.add_parser("step", help="办理建会的一个环节",
                      description="办理建会的环节:apply 报送请示、approve 批复、prepare 筹备组、recruit 发展会员、"
                                  "congress 会员大会、confirm 批复选举结果、women 女职工委员会、register 法人登记、"
                                  "return 退回请示。环节的内容用 --set 给出(org steps 列出可办理的环节)。")
    st.add_argument("founding", metavar="FOUNDING", help="建会记录编号或拟成立工会名称")
    st.add_argument("step", metavar="STEP")
    add_set_option(st)
    st.set_defaults(func=run_step)
    ss = s.add_parser("steps", help="建会的进度和可办理的环节", description="列出建会已办理的环节和当前可办理的环节。")
    ss.add_argument("founding", metavar="FOUNDING")
    ss.set_defaults(func=run_steps)
    n = s.add_parser("number", help="为文件编文号", description="在本发文字号的编号电脑上为发文登记编文号。")
    n.add_argument("document", metavar="DOCUMENT", help="发文登记编号或标题")
    n.set_defaults(func=run_number)
    o = s.add_parser("take-over", help="由本机编号", description="发文字号改由本机编号(原编号电脑停用时)。")
    o.add_argument("series", metavar="SERIES", help="机关代字,如 示工")
    o.add_argument("--label", required=True, metavar="NAME", help="本机的名称,如“办公室 张三的电脑”")
    o.set_defaults(func=run_take_over)
    d = s.add_parser("due", help="换届到期和职工之家复查", description="列出六个月内任期届满(或已届满)的基层工会和待复查的职工之家。")
    d.set_defaults(func=run_due)


def _member_id(session, text: str) -> str:
    from app.services import records

    return records.resolve_id(session, "member", text)


def run_history(ctx) -> int:
    from app.services.organisation import transfers

    actor = ctx.login()
    with ctx.db().read_session() as s:
        for row in transfers.history(s, actor, _member_id(s, ctx.args.member)):
            ctx.out(f"{row['date']:<10}  {row['kind']:<6} {row['union']}  {row['note']}")
    return 0


def run_transfer(ctx) -> int:
    from app.services.organisation import transfers
    from app.services.units import find_unit

    actor = ctx.login()
    with ctx.db().session(actor) as s:
        union = find_unit(s, ctx.args.to)
        transfers.transfer_within(s, actor, _member_id(s, ctx.args.member), union.id, ctx.args.date,
                                  doc_no=ctx.args.doc_no)
        ctx.out(f"已转入{union.name}")
    return 0


def run_forward(ctx) -> int:
    from app.services.organisation import transfers

    actor = ctx.login()
    with ctx.db().session(actor) as s:
        forwarded, closed = transfers.forward(s, actor)
    ctx.out(f"已转递 {forwarded} 件,办结 {closed} 件(随下次数据包送达转出县和转入县)")
    return 0


def run_incoming(ctx) -> int:
    from app.fields.masking import mask_field
    from app.fields.organisation import TRANSFER
    from app.services.organisation import transfers

    actor = ctx.login()
    with ctx.db().read_session() as s:
        rows = transfers.incoming(s, actor)
        for t in rows:
            ctx.out(f"{t.id}  {t.name} {mask_field(TRANSFER.field('id_number'), t.id_number)}  "
                    f"来自{t.from_county_name}{t.from_union_name}  转往{t.to_place or ''}")
    ctx.out(f"共 {len(rows)} 件")
    return 0


def run_accept(ctx) -> int:
    from app.services.organisation import transfers
    from app.services.units import find_unit

    actor = ctx.login()
    with ctx.db().session(actor) as s:
        union = find_unit(s, ctx.args.union)
        member = transfers.accept(s, actor, ctx.args.transfer, union.id, ctx.args.date)
        ctx.out(f"已接收 {member.name} 转入{union.name}(会员编号 {member.id})")
    return 0


def _founding_id(session, text: str) -> str:
    from app.services import records

    return records.resolve_id(session, "union_founding", text)


def run_step(ctx) -> int:
    from app.services.organisation import founding

    actor = ctx.login()
    key = ctx.args.step
    fields = founding.STEP_FIELDS.get(key)
    if fields is None:
        from app.errors import InvalidInput

        raise InvalidInput(f"没有环节“{key}”。可办理:{'、'.join(founding.STEP_FIELDS)}")
    from app.fields.spec import RecordSpec

    step_spec = RecordSpec(key=f"founding_{key}", title="建会环节", model=object, fields=fields)
    with ctx.db().session(actor) as s:
        values = parse_sets(s, step_spec, ctx.args.set)
        f = founding.act(s, actor, _founding_id(s, ctx.args.founding), key, values)
        ctx.out(f"{f.union_name}:{founding.STATUS_LABELS[f.status]}"
                + (f",批复文号 {f.approval_no}" if key == "approve" else "")
                + (f",选举结果批复文号 {f.results_no}" if key == "confirm" else ""))
    return 0


def run_steps(ctx) -> int:
    from app.services.organisation import founding

    actor = ctx.login()
    with ctx.db().read_session() as s:
        fid = _founding_id(s, ctx.args.founding)
        for row in founding.history(s, actor, fid):
            ctx.out(f"{row.acted_on.isoformat()}  {dict(founding.ACTIONS).get(row.action, row.action)}  "
                    f"{row.actor_name}  {row.opinion or ''}")
        actions = founding.available_actions(s, actor, fid)
        ctx.out("可办理:" + ("、".join(f"{a.key}({a.label})" for a in actions) or "无"))
    return 0


def run_number(ctx) -> int:
    from app.services import records
    from app.services.organisation import documents

    actor = ctx.login()
    with ctx.db().session(actor) as s:
        doc = documents.number(s, actor, records.resolve_id(s, documents.REGISTER, ctx.args.document))
        ctx.out(f"已编号:{doc.doc_no} {doc.title}")
    return 0


def run_take_over(ctx) -> int:
    from app.services import records
    from app.services.organisation import documents

    actor = ctx.login()
    with ctx.db().session(actor) as s:
        series = documents.take_over(s, actor, records.resolve_id(s, documents.SERIES, ctx.args.series),
                                     ctx.args.label)
        ctx.out(f"发文字号“{series.code}”今后由本机(“{series.owner_label}”)编号")
    return 0


def run_due(ctx) -> int:
    from app.security.roles import Perm
    from app.services.organisation import elections, homes

    ctx.login().require(Perm.READ, "查看到期提醒")
    with ctx.db().read_session() as s:
        for d in elections.terms_due(s):
            ctx.out(f"换届{'已逾期' if d.overdue else '将到期'}  {d.union_name}  第{d.term_no}届  "
                    f"任期至 {d.term_ends_on.isoformat()}")
        for r in homes.rechecks_due(s):
            ctx.out(f"职工之家待复查  {r.union_name}  {r.recheck_year}年度")
    return 0
