"""stats hardship: the figures of seed section (六) for a period (the half-year summary's blanks)."""

from __future__ import annotations

import json


def _date(text: str):
    from app.validation import DateError, parse_date

    try:
        return parse_date(text)
    except DateError as exc:
        import argparse

        raise argparse.ArgumentTypeError(str(exc)) from None


def register(sub) -> None:
    p = sub.add_parser("stats", help="工作统计:hardship(困难职工帮扶)",
                       description="按期间和单位统计各项工作数据,用于填写工作总结中的数字。")
    s = p.add_subparsers(dest="stats_command", metavar="子命令", required=True)
    h = s.add_parser("hardship", help="困难职工帮扶:慰问金、米面油、走访、建档、助学",
                     description="统计期间内的困难职工帮扶数据:慰问金(万元,已扣除冲正)、米面油(斤)、"
                                 "救助户数和人数、走访慰问困难企业和职工及劳模、新建档/年审/脱困/注销、"
                                 "金秋助学。每项附有明细查询条件(--json 中的 records)。")
    h.add_argument("--from", dest="date_from", required=True, type=_date, metavar="DATE",
                   help="开始日期(含),如 2020-01-01 或 2020年1月1日")
    h.add_argument("--to", dest="date_to", required=True, type=_date, metavar="DATE",
                   help="截止日期(含),如 2020-06-30")
    h.add_argument("--unit", metavar="UNIT", help="只统计该单位及其下级(默认本级全部):写区划代码、"
                   "单位名称或单位编号(与 print --union 相同),系统工会等没有区划代码的单位写名称")
    h.add_argument("--json", action="store_true", help="以 JSON 输出(含每项的明细查询条件)")
    h.set_defaults(func=run_hardship)


def run_hardship(ctx) -> int:
    from app.services.hardship.stats import hardship_stats

    actor = ctx.login()
    with ctx.db().read_session() as s:
        result = hardship_stats(s, actor, ctx.args.date_from, ctx.args.date_to, ctx.args.unit)
    if ctx.args.json:
        ctx.out(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return 0
    ctx.out(f"{result.unit_name} 困难职工帮扶统计 {result.date_from.isoformat()} 至 {result.date_to.isoformat()}")
    width = max(len(f.label) for f in result.figures)
    for f in result.figures:
        pad = " " * (2 * (width - len(f.label)))
        note = f"({f.note})" if f.note else ""
        ctx.out(f"  {f.label}{pad}  {f.text:>12} {f.unit}{note}")
    return 0
