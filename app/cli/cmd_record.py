"""record kinds | fields | list | show | add | set | void | search: any register of any area.

KIND is a register's key or Chinese name (``record kinds`` lists them). Fields are given by key or
Chinese label (``--set 姓名=张三``); a reference by the referenced record's name; a code by its
code or label. Sensitive numbers are shown masked, as in the lists.
"""

from __future__ import annotations

import json

from app.cli.common import add_set_option, pairs, parse_sets

EPILOG = ("例:record list member --where 会籍状态=正常 --unit 城关镇工会 --limit 20;"
          "record add hardship_campaign --set 活动名称=2026年春节送温暖 --set 活动类型=春节送温暖 "
          "--set 年度=2026;record show member 34112219800101001X")


def register(sub) -> None:
    p = sub.add_parser("record", help="任一登记类型的记录:kinds、fields、list、show、add、set、void、search",
                       description="查看、登记、修改、作废任一工作领域的记录(KIND 为登记类型,record kinds 列出全部)。"
                                   "字段可写英文键或中文名;身份证号、手机号等敏感信息脱敏显示。",
                       epilog=EPILOG)
    s = p.add_subparsers(dest="record_command", metavar="子命令", required=True)
    k = s.add_parser("kinds", help="列出登记类型", description="列出全部登记类型:键、名称和所属工作领域。")
    k.set_defaults(func=run_kinds)
    f = s.add_parser("fields", help="列出一种登记的字段", description="列出字段的键、中文名、类型和是否必填。")
    f.add_argument("kind", metavar="KIND")
    f.set_defaults(func=run_fields)
    ls = s.add_parser("list", help="列出记录", description="按条件列出记录(每页最多 --limit 条)。",
                      epilog="例:record list hardship_visit --from 2026-01-01 --to 2026-06-30 --where 慰问对象类别=困难企业")
    ls.add_argument("kind", metavar="KIND")
    _query_options(ls)
    ls.add_argument("--json", action="store_true", help="以 JSON 输出")
    ls.set_defaults(func=run_list)
    sh = s.add_parser("show", help="显示一条记录", description="显示一条记录的全部字段。"
                      "ID 可写记录编号、名称,或身份证号、会员证号、档案编号等。")
    sh.add_argument("kind", metavar="KIND")
    sh.add_argument("id", metavar="ID")
    sh.add_argument("--json", action="store_true", help="以 JSON 输出")
    sh.set_defaults(func=run_show)
    a = s.add_parser("add", help="新增一条记录", description="新增一条记录,字段用 --set 给出(record fields KIND 列出字段)。")
    a.add_argument("kind", metavar="KIND")
    add_set_option(a)
    a.set_defaults(func=run_add)
    st = s.add_parser("set", help="修改一条记录", description="修改记录的部分字段。")
    st.add_argument("kind", metavar="KIND")
    st.add_argument("id", metavar="ID")
    add_set_option(st)
    st.set_defaults(func=run_set)
    v = s.add_parser("void", help="作废一条记录", description="作废一条记录(记录保留在审计日志中,不再出现在列表和统计里)。")
    v.add_argument("kind", metavar="KIND")
    v.add_argument("id", metavar="ID")
    v.set_defaults(func=run_void)
    se = s.add_parser("search", help="查找记录(姓名、身份证号、拼音首字母等)",
                      description="按列表的查询框查找记录:姓名、身份证号、手机号、拼音或首字母等。")
    se.add_argument("kind", metavar="KIND")
    se.add_argument("text", metavar="TEXT")
    se.add_argument("--limit", type=int, default=20, metavar="N", help="最多显示的条数(默认 20)")
    se.set_defaults(func=run_search)


def _query_options(p) -> None:
    p.add_argument("--where", action="append", default=[], metavar="字段=值",
                   help="只列出该字段为该值的记录,可重复;代码可写名称,关联记录写名称")
    p.add_argument("--unit", metavar="UNIT", help="只含该单位及其下级的记录:单位名称、区划代码或编号")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="期间起(按该登记的日期字段)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="期间止")
    p.add_argument("--search", default="", metavar="TEXT", help="与列表查询框相同的查找")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="最多显示的条数(默认 50)")


def _register(text: str):
    from app.kit.register import lookup

    return lookup(text)


def run_kinds(ctx) -> int:
    from app.cli.table import render
    from app.kit.register import all_registers, area_of

    rows = [[r.key, r.name, area_of(r.key).title] for r in all_registers()]
    for line in render(["键", "名称", "工作领域"], rows):
        ctx.out(line)
    return 0


def run_fields(ctx) -> int:
    from app.cli.table import render

    reg = _register(ctx.args.kind)
    rows = [[f.key, f.label, f.kind.value, "是" if f.required else "",
             "系统计算" if f.readonly else ""] for f in reg.spec.fields]
    for line in render(["键", "中文名", "类型", "必填", "说明"], rows):
        ctx.out(line)
    return 0


def _selection(session, reg, args):
    from app.errors import InvalidInput
    from app.kit.options import selection
    from app.services.filters import FilterOption

    where = pairs(reg.spec, args.where, "--where")
    declared = [FilterOption(k, "", "", label=reg.spec.field(k).label, field=k) for k in where]
    options = {**where, "union": args.unit, "from": args.date_from, "to": args.date_to}
    if (args.date_from or args.date_to) and not reg.spec.period_key:
        raise InvalidInput(f"{reg.name}没有可按期间筛选的日期字段")
    chosen = selection(session, reg.key, options, declared)
    return chosen.query.with_search(args.search or ""), chosen.text


def _page(session, actor, query, limit: int):
    from app.fields.registry import spec as spec_by_key
    from app.services import listing
    from app.services.records import codebook

    spec_cols = listing.list_columns(spec_by_key(query.spec_key))
    page = listing.fetch_page(session, actor, query, limit=limit, codes=codebook(session),
                              columns=spec_cols)
    return spec_cols, page


def _print_rows(ctx, cols, page, limit: int, total: int | None = None) -> None:
    from app.cli.table import render

    rows = [[r.id[:8], *r.texts] for r in page.rows]
    for line in render(["编号", *[c.label for c in cols]], rows):
        ctx.out(line)
    shown = f"共 {total:,} 条" if total is not None else f"{len(rows)} 条"
    ctx.out(shown + (f",显示前 {limit} 条" if page.more else ""))


def run_list(ctx) -> int:
    from app.services import listing

    actor = ctx.login()
    reg = _register(ctx.args.kind)
    with ctx.db().read_session() as s:
        query, text = _selection(s, reg, ctx.args)
        cols, page = _page(s, actor, query, ctx.args.limit)
        total = listing.count(s, actor, query)
        if ctx.args.json:
            ctx.out(json.dumps({"kind": reg.key, "selection": text, "total": total,
                                "query": query.as_dict(),
                                "rows": [{"id": r.id, **{c.key: t for c, t in zip(cols, r.texts)}}
                                         for r in page.rows]}, ensure_ascii=False, indent=2))
            return 0
        if text:
            ctx.out(f"{reg.name}({text})")
        _print_rows(ctx, cols, page, ctx.args.limit, total)
    return 0


def run_search(ctx) -> int:
    from app.services.listing import ListQuery

    actor = ctx.login()
    reg = _register(ctx.args.kind)
    with ctx.db().read_session() as s:
        cols, page = _page(s, actor, ListQuery.of(reg.key, search=ctx.args.text), ctx.args.limit)
        _print_rows(ctx, cols, page, ctx.args.limit)
    return 0


def shown_values(session, spec, obj) -> list[tuple[str, str, str]]:
    """(key, label, text) of every field of a record as the lists show it (masked)."""
    from app.fields.masking import mask_field
    from app.fields.spec import Kind
    from app.services import listing
    from app.services.records import codebook

    book = codebook(session)
    out = []
    for f in spec.fields:
        value = getattr(obj, f.key, None)
        if f.kind == Kind.REF and value:
            text = listing.ref_labels(session, f.ref, [value]).get(value, value)
        else:
            text = listing.cell_text(f, mask_field(f, value), book)
        out.append((f.key, f.label, text))
    return out


def show_record(ctx, reg, id_text: str, *, as_json: bool = False) -> int:
    from app.services import records

    actor = ctx.login()
    with ctx.db().read_session() as s:
        record_id = records.resolve_id(s, reg, id_text)
        values = shown_values(s, reg.spec, records.get(s, actor, reg, record_id))
    if as_json:
        ctx.out(json.dumps({"kind": reg.key, "id": record_id, **{k: t for k, _, t in values}},
                           ensure_ascii=False, indent=2))
        return 0
    ctx.out(f"编号:{record_id}")
    for _key, label, text in values:
        ctx.out(f"{label}:{text}")
    return 0


def add_record(ctx, reg, pairs_: list[str], said: str = "已新增{title}“{label}”(编号 {id})") -> int:
    from app.services import records

    actor = ctx.login()
    with ctx.db().session(actor) as s:
        obj = records.create(s, actor, reg, parse_sets(s, reg.spec, pairs_))
        ctx.out(said.format(title=reg.name, label=reg.spec.describe(obj), id=obj.id))
    return 0


def set_record(ctx, reg, id_text: str, pairs_: list[str], said: str = "已修改{title}“{label}”") -> int:
    from app.errors import InvalidInput
    from app.services import records

    if not pairs_:
        raise InvalidInput("请用 --set 字段=值 给出要修改的字段")
    actor = ctx.login()
    with ctx.db().session(actor) as s:
        record_id = records.resolve_id(s, reg, id_text)
        obj = records.update(s, actor, reg, record_id, parse_sets(s, reg.spec, pairs_))
        ctx.out(said.format(title=reg.name, label=reg.spec.describe(obj), id=obj.id))
    return 0


def run_show(ctx) -> int:
    return show_record(ctx, _register(ctx.args.kind), ctx.args.id, as_json=ctx.args.json)


def run_add(ctx) -> int:
    return add_record(ctx, _register(ctx.args.kind), ctx.args.set)


def run_set(ctx) -> int:
    return set_record(ctx, _register(ctx.args.kind), ctx.args.id, ctx.args.set)


def run_void(ctx) -> int:
    from app.services import records

    actor = ctx.login()
    reg = _register(ctx.args.kind)
    with ctx.db().session(actor) as s:
        record_id = records.resolve_id(s, reg, ctx.args.id)
        label = reg.spec.describe(records.get(s, actor, reg, record_id))
        records.void(s, actor, reg, record_id)
        ctx.out(f"已作废{reg.name}“{label}”")
    return 0
