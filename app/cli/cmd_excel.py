"""excel export | import | template: lists to and from Excel (.xlsx)."""

from __future__ import annotations

from pathlib import Path

from app.errors import AppError, InvalidInput


def register(sub) -> None:
    from app.excel.registry import all_kinds, all_options

    p = sub.add_parser("excel", help="Excel:export、import、template",
                       description="把名单导出为 Excel,下载导入模板,从 Excel 导入。KIND 为数据类型"
                                   "(excel export --list 列出全部)。导出和导入都记入审计日志。")
    s = p.add_subparsers(dest="excel_command", metavar="子命令", required=True)
    e = s.add_parser("export", help="导出名单为 .xlsx",
                     description="导出名单:第 1 行为单位和期间,第 2 行为列名;身份证号、银行卡号为文本;"
                                 "无权查看完整信息的用户导出的是脱敏数据。")
    e.add_argument("kind", nargs="?", metavar="KIND", help="数据类型,如 members、units")
    e.add_argument("--list", action="store_true", help="列出可导出的数据类型")
    e.add_argument("--out", metavar="FILE.xlsx", help="输出文件")
    e.add_argument("--mask", action="store_true", help="即使有权限也导出脱敏数据(对外提供时使用)")
    periods = "、".join(f"{k.key} 按{k.period}" for k in all_kinds() if k.period)
    for o in all_options():
        text = {"from": f"期间起({periods})", "to": "期间止"}.get(o.dest, o.help)
        e.add_argument(o.flag, dest=o.dest, metavar=o.metavar, help=text)
    e.set_defaults(func=run_export)
    i = s.add_parser("import", help="从 .xlsx 导入(先逐行检查)",
                     description="从本程序的导入模板(或导出文件)导入。先检查每一行并列出问题(行、列、原因);"
                                 "有问题或有需确认的提示(如超过年度救助上限)时不写入任何数据并以非零状态退出,"
                                 "加 --accept-valid 则导入检查通过的行并确认提示。全部行在一个事务中写入。")
    i.add_argument("kind", metavar="KIND", help="数据类型,如 members")
    i.add_argument("file", metavar="FILE.xlsx", help="要导入的文件")
    i.add_argument("--dry-run", action="store_true", help="只检查并报告,不写入")
    i.add_argument("--confirm-row", dest="confirm_rows", type=int, action="append", default=[],
                   metavar="行号", help="确认该行确属另一次发放(疑似重复的行须逐行确认才导入),可重复")
    i.add_argument("--update", action="store_true",
                   help="更新已有记录:表中与已有记录(按身份证号识别)不同的行作为修改写入,报告列出每列的改动")
    i.add_argument("--accept-valid", action="store_true",
                   help="有问题的行跳过,导入其余检查通过的行(需确认的提示视为已确认,记入审计日志)")
    i.set_defaults(func=run_import)
    t = s.add_parser("template", help="下载导入模板",
                     description="生成导入模板:带下拉选项、文本格式的身份证号列和填写说明。")
    t.add_argument("kind", metavar="KIND", help="数据类型,如 members")
    t.add_argument("--out", metavar="FILE.xlsx", required=True, help="输出文件")
    t.set_defaults(func=run_template)


def _out(path: str | None) -> Path:
    if not path:
        raise InvalidInput("请用 --out 指定输出的 .xlsx 文件")
    out = Path(path)
    if out.suffix.lower() != ".xlsx":
        raise InvalidInput("输出文件应以 .xlsx 结尾")
    if not out.parent.exists():
        raise AppError(f"文件夹不存在:{out.parent}")
    return out


def run_export(ctx) -> int:
    from app.excel.export import export_kind
    from app.excel.registry import all_kinds, kind

    args = ctx.args
    if args.list:
        for k in all_kinds():
            ctx.out(f"{k.key}  {k.title}")
        return 0
    if not args.kind:
        raise InvalidInput("请指定数据类型(excel export --list 列出全部)")
    k = kind(args.kind)
    out = _out(args.out)
    given = {o.dest for o in _all_options() if getattr(args, o.dest, None)}
    unused = given - {o.dest for o in k.options}
    if unused:
        flags = [o.flag for o in _all_options() if o.dest in unused]
        raise InvalidInput(f"{k.title}的导出不使用这些选项:{'、'.join(flags)}")
    options = {d: getattr(args, d) for d in given}
    actor = ctx.login()
    r = export_kind(ctx.db(), actor, k.key, out, options=options, mask=args.mask)
    ctx.out(f"已导出{k.title} {r.rows:,} 条{'(已脱敏)' if r.masked else ''}:{r.path}")
    return 0


def _all_options():
    from app.excel.registry import all_options

    return all_options()


def run_import(ctx) -> int:
    from app.excel.importer import import_file

    args = ctx.args
    actor = ctx.login()
    report = import_file(ctx.db(), actor, args.kind, args.file, dry_run=args.dry_run,
                         accept_valid=args.accept_valid, update=args.update,
                         confirm_rows=frozenset(args.confirm_rows))
    for line in report.lines():
        ctx.out(line)
    if pending := [r for r in report.doubtful_rows if r not in report.confirmed_rows]:
        ctx.out(f"疑似重复的行(未导入):第 {'、'.join(map(str, pending))} 行;"
                "确属另一次发放的,请逐行加 --confirm-row 行号 后再导入")
    if args.dry_run:
        ctx.out("试运行:未写入任何数据")
    elif report.written or report.updated:
        ctx.out(f"已导入 {report.written:,} 条"
                + (f",更新 {report.updated:,} 条" if report.updated else "") + "(一个事务)"
                + (f",已确认 {len(report.warned_rows):,} 行的提示" if report.warnings else ""))
    elif report.problems and report.writable:
        ctx.out(f"未写入任何数据。确认只导入其余 {len(report.valid) + len(report.updates):,} 条检查通过的记录"
                + ("(含需确认的行)" if report.warnings else "") + ",请加 --accept-valid")
    elif report.warnings and report.writable:
        ctx.out(f"未写入任何数据。有 {len(report.warned_rows):,} 行需要确认(见上面的提示);"
                "确认后导入全部检查通过的记录,请加 --accept-valid")
    else:
        ctx.out("未写入任何数据")
    return 2 if report.problems or (report.warnings and not (report.written or report.updated)) else 0


def run_template(ctx) -> int:
    from app.excel.template import write_template

    out = _out(ctx.args.out)
    actor = ctx.login()
    write_template(ctx.db(), actor, ctx.args.kind, out)
    ctx.out(f"已生成导入模板:{out}")
    return 0
