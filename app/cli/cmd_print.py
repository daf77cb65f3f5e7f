"""print: official forms as PDF (A4, embedded Chinese font, 编号 and QR code on every page)."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    from app.printing.registry import all_options

    p = sub.add_parser(
        "print", help="打印表格为 PDF(print --list 列出可打印的表格)",
        description="把记录打印为 PDF 表格(A4,内嵌中文字体,每页有编号和二维码)。"
                    "单条记录的表格用 --id 指定记录(可重复,多条合成一个 PDF),或用筛选条件批量打印;"
                    "名册、公示名单等列表表格用筛选条件选出记录。每次打印都记入审计日志。",
        epilog="例:print member_form --id 34112220180001029 --out 登记表.pdf;"
               "print member_roster --union 城关镇工会 --status 正常 --out 花名册.pdf;"
               "print archive_form --status 已建档 --union 城关镇工会 --out 档案表.pdf;"
               "print hardship_visit_list --from 2026-01-01 --to 2026-06-30 --public --out 走访名单.pdf")
    p.add_argument("form", nargs="?", metavar="FORM", help="表格名称(见 --list)")
    p.add_argument("--list", action="store_true", help="列出可打印的表格:每行一个名称和中文标题")
    p.add_argument("--id", action="append", default=[], metavar="RECORD_ID_OR_NUMBER",
                   help="记录编号,或表格上的编号(会员证号、档案编号)、身份证号;可重复")
    p.add_argument("--out", metavar="FILE.pdf", help="输出的 PDF 文件")
    for o in all_options():
        if o.kind == "flag":
            p.add_argument(o.flag, dest=o.dest, action="store_true", help=o.help)
        else:
            p.add_argument(o.flag, dest=o.dest, metavar=o.metavar, help=o.help)
    p.set_defaults(func=run)


def run(ctx) -> int:
    from app.errors import AppError, InvalidInput
    from app.printing.registry import PrintRequest, all_forms, form

    args = ctx.args
    if args.list:
        for f in all_forms():
            ctx.out(f"{f.name}  {f.title}")
        return 0
    if not args.form:
        raise InvalidInput("请指定要打印的表格名称(uniondesk-cli print --list 列出全部)")
    fd = form(args.form)
    if not args.out:
        raise InvalidInput("请用 --out 指定输出的 PDF 文件")
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise InvalidInput("输出文件应以 .pdf 结尾")
    if not out.parent.exists():
        raise AppError(f"文件夹不存在:{out.parent}")
    options = {o.dest: getattr(args, o.dest) for o in fd.options if getattr(args, o.dest, None)}
    unused = [o.flag for o in _all_given(args) if o.dest not in {x.dest for x in fd.options}]
    if unused:
        raise InvalidInput(f"表格 {fd.name} 不使用这些选项:{'、'.join(unused)}")
    if fd.is_list and args.id:
        raise InvalidInput(f"{fd.title}按筛选条件打印,不使用 --id")
    if args.id and options:
        raise InvalidInput("--id 与筛选条件不能同时使用")
    from app.printing.registry import OptionsNeeded
    from app.printing.service import print_form

    actor = ctx.login()
    try:
        result = print_form(ctx.db(), actor, fd.name, PrintRequest(ids=args.id, options=options), out)
    except OptionsNeeded as exc:  # the core names the options as the dialog does; add their flags
        flags = "、".join(o.flag for o in fd.options if o.dest in exc.options)
        raise InvalidInput(f"{exc.message}(命令行选项:{flags})" if flags else exc.message) from None
    ctx.out(f"已打印{fd.title} {result.forms} 份,共 {result.pages} 页:{result.path}")
    if result.missing_chars:
        ctx.out("注意:以下字符没有可用的字体,打印为空白:" + "".join(sorted(result.missing_chars)))
    return 0


def _all_given(args):
    from app.printing.registry import all_options

    return [o for o in all_options() if getattr(args, o.dest, None)]
