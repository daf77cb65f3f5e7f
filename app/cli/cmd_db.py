"""db check | stats: is the file sound, and what does it hold."""

from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("db", help="数据库检查与统计:check、stats", description="数据库完整性检查与内容统计。")
    s = p.add_subparsers(dest="db_command", metavar="子命令", required=True)
    c = s.add_parser("check", help="完整性、外键和架构版本检查(有问题时返回非零)",
                     description="运行 integrity_check、foreign_key_check 并核对架构版本;数据库有问题时退出码非零。")
    c.add_argument("--quick", action="store_true", help="只做快速检查(quick_check)")
    c.set_defaults(func=run_check)
    st = s.add_parser("stats", help="各类记录的有效数、作废数和内容哈希",
                      description="按记录类型列出有效记录数、作废(墓碑)数和同步字段的内容哈希,用于核对两台电脑的数据是否一致。")
    st.add_argument("--unit", metavar="CODE", help="只统计该区划代码单位拥有的记录")
    st.add_argument("--json", action="store_true", help="以 JSON 输出")
    st.set_defaults(func=run_stats)


def run_check(ctx) -> int:
    from app.services.checks import check_file
    from app.services.startup import preflight

    report = check_file(ctx.db_path, quick=ctx.args.quick)
    for line in report.lines():
        ctx.out(line)
    place = preflight(ctx.db_path, integrity=False)  # where it lives and the room left
    for line in place.lines():
        if not line.startswith("信息"):  # the SQLite version is in the report above
            ctx.out(line)
    return 0 if report.ok and place.ok else 1


def run_stats(ctx) -> int:
    from app.services.stats import db_stats

    with ctx.db().read_session() as s:
        stats = db_stats(s, ctx.args.unit)
    if ctx.args.json:
        ctx.out(json.dumps({"unit": ctx.args.unit, "tables": [t.as_dict() for t in stats]},
                           ensure_ascii=False, indent=2))
        return 0
    ctx.out(f"{'记录类型':<10}{'有效':>10}{'作废':>8}  内容哈希")
    for t in stats:
        ctx.out(f"{t.title:<10}{t.live:>10,}{t.tombstones:>8,}  {t.content_hash[:16]}")
    return 0
