"""重复人员核查表: the people registered twice (one ID number in two live records of one register,
at the city across its counties), as ``app.services.duplicates.groups`` finds them — for the
city to check and send down as 核查 requests, or a county to clear its own. ID numbers are masked
by role like every list."""

from __future__ import annotations

from reportlab.lib.units import mm

from app.printing.blocks import HeaderLine, Notes, Signatures, Title
from app.printing.document import FormDoc
from app.printing.listtable import Column, ListTable
from app.printing.qr import build_payload, content_hash
from app.printing.registry import FormDef

TITLE = "重复人员核查表"
COLUMNS = [Column("序号", 2.5, fit="line"), Column("身份证号", 9, fit="line"), Column("类别", 5),
           Column("姓名", 4), Column("所属单位", 7, fit="wrap"), Column("工会、编号", 10, fit="wrap")]


def build(ctx, _options: dict) -> FormDoc:
    from app.services.duplicates import groups

    found = groups(ctx.session, ctx.actor)
    rows, n = [], 0
    for g in found:
        n += 1
        for k, m in enumerate(g.matches):
            rows.append((str(n) if k == 0 else "", g.id_number if k == 0 else "", m.title,
                         m.label, m.owner_name, m.detail))
    if not rows:
        rows = [("", "", "", "未发现身份证号相同的记录", "", "")]
    digest = content_hash(rows)
    number = ctx.office_number(digest)
    across = sum(g.across_units for g in found)
    return FormDoc(f"{ctx.unit_name}{TITLE}", [
        Title(f"{ctx.unit_name}{TITLE}", subtitle=f"(共 {len(found)} 人,其中跨单位 {across} 人)"),
        HeaderLine("核查单位(盖章):", "核查日期:    年    月    日", f"编号:{number}"),
        ListTable(COLUMNS, rows, size=10, min_row=7 * mm, totals=False, subtotals=False,
                  tail=[Signatures(["核查人:", "审核人:"])]),
        Notes(["同一身份证号在同一类登记中有两条以上有效记录。请核对是否同一人、是否重复登记。",
               "其他单位的记录由其所属单位处理:市总工会可将本表各项作为核查请求随数据包发给各县(区)。"]),
    ], number, build_payload("LIST", digest, digest), landscape=True)


FORMS = (FormDef("duplicate_report", TITLE, "member", build=build, number_kind="核查"),)
