"""stats AREA: an area's declared figures for a period (the half-year summary's blanks)."""

from __future__ import annotations

import json


def _date(text: str):
    from app.validation import DateError, parse_date

    try:
        return parse_date(text)
    except DateError as exc:
        import argparse

        raise argparse.ArgumentTypeError(str(exc)) from None


def _areas():
    """Areas with figures, in the seed's order."""
    from app.areas import all_areas

    return [a for a in all_areas() if a.stats and a.figures]


def register(sub) -> None:
    areas = _areas()
    p = sub.add_parser("stats", help="工作统计:" + "、".join(f"{a.key}({a.title})" for a in areas),
                       description="按期间和单位统计各工作领域的数字,用于填写工作总结中的空白。"
                                   "每项数字附有明细查询条件(--json 中的 records),与界面中点开数字看到的记录一致。")
    s = p.add_subparsers(dest="stats_command", metavar="工作领域", required=True)
    for a in areas:
        h = s.add_parser(a.key, help=a.title, description=f"统计期间内“{a.title}”的各项数字。")
        h.add_argument("--from", dest="date_from", required=True, type=_date, metavar="DATE",
                       help="开始日期(含),如 2020-01-01 或 2020年1月1日")
        h.add_argument("--to", dest="date_to", required=True, type=_date, metavar="DATE",
                       help="截止日期(含),如 2020-06-30")
        h.add_argument("--unit", metavar="UNIT", help="只统计该单位及其下级(默认本级全部):写区划代码、"
                       "单位名称或单位编号(与 print --union 相同),系统工会等没有区划代码的单位写名称")
        h.add_argument("--json", action="store_true", help="以 JSON 输出(含每项的明细查询条件)")
        h.set_defaults(func=run, area=a)


def run(ctx) -> int:
    from app.cli.table import width
    from app.kit.figures import area_stats

    actor = ctx.login()
    a = ctx.args.area
    with ctx.db().read_session() as s:
        result = area_stats(s, actor, a.key, ctx.args.date_from, ctx.args.date_to, ctx.args.unit)
    if ctx.args.json:
        ctx.out(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return 0
    ctx.out(f"{result.unit_name} {a.title}统计 {result.date_from.isoformat()} 至 {result.date_to.isoformat()}")
    cols = max((width(f.label) for f in result.figures), default=0)
    for f in result.figures:
        note = f"({f.note})" if f.note else ""
        ctx.out(f"  {f.label}{' ' * (cols - width(f.label))}  {f.text:>12} {f.unit}{note}")
    return 0
