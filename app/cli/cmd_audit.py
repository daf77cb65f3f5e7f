"""audit verify | list: the hash-chained audit log."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("audit", help="审计日志:verify、list", description="审计日志的校验与查看。")
    s = p.add_subparsers(dest="audit_command", metavar="子命令", required=True)
    v = s.add_parser("verify", help="校验审计日志哈希链(被改动或删除时返回非零并指出第一条问题记录)",
                     description="逐条校验审计日志的哈希链,并与数据库文件之外的签名检查点(每次导出和每天签名)核对;"
                                 "本单位见证的其他电脑的审计日志若被截断或改写也会列出。发现问题时退出码非零。")
    v.set_defaults(func=run_verify)
    ls = s.add_parser("list", help="查看最近的审计记录(审计员)", description="显示最近的审计记录(需要审计员登录)。")
    ls.add_argument("--limit", type=int, default=30, metavar="N", help="条数,默认 30")
    ls.add_argument("--action", metavar="ACTION", help="只看某类操作,如 login、update、export")
    ls.set_defaults(func=run_list)


def run_verify(ctx) -> int:
    from app.sync.anchors import verify_anchored

    result = verify_anchored(ctx.db())
    if result.ok:
        ctx.out(f"审计日志完好:共 {result.checked:,} 条,哈希链校验通过,"
                f"与本机 {result.checkpoints} 个签名检查点相符")
    else:
        ctx.out(f"审计日志校验失败:{result.reason}(已校验 {result.checked:,} 条)")
        for line in result.problems[1:]:
            ctx.out(f"  {line}")
    for line in result.notes + result.witnesses:
        ctx.out(f"  {line}")
    return 0 if result.ok else 1


def run_list(ctx) -> int:
    from app.services.audit_view import recent_entries

    actor = ctx.login()
    with ctx.db().read_session() as s:
        rows = recent_entries(s, actor, limit=ctx.args.limit, action=ctx.args.action)
    for e in rows:
        mark = "" if e.success else "【失败】"
        ctx.out(f"{e.seq:>7}  {e.local_time}  {e.username:<10} {e.action:<14}{mark}{e.summary}")
    return 0
