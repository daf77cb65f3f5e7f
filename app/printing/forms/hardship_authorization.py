"""F3 家庭经济状况核对授权委托书 (records-and-forms.md §A.6, §A.10): the declaration that authorises
the civil-affairs 核对 of 户籍、车辆、房产、社保、公积金、存款、证券、纳税、工商登记, then one line per
adult of the household (the applicant first) to sign and fingerprint, the date. The rows left
blank are struck through under "以下空白", so no name can be added after the family has signed.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from app.fields.hardship import ARCHIVE
from app.printing.blocks import HeaderLine, Notes, Paragraph, Signatures, Spacer, Title
from app.printing.document import FormDoc
from app.printing.forms import hardship_common as hc
from app.printing.listtable import Column, ListTable
from app.printing.registry import FormDef
from app.services.hardship import forms, options

TITLE = "家庭经济状况核对授权委托书"
ROWS = 7  # lines on the sheet; the unused ones are struck through
COLUMNS = [Column("序号", 0.5), Column("姓名", 1.1), Column("身份证号", 2.2),
           Column("与申请人关系", 1.2), Column("本人签字", 1.5), Column("手印", 1.1)]
NOTES = ["共同生活的家庭成员中年满18周岁的,均须本人签字并按手印;不能到场的,由本人另行签署后附后。",
         "核对结果仅用于困难职工家庭的认定和复核,不作他用。"]


def declaration(data: dict) -> str:
    county = data["title_unit"]
    checks = "、".join(data["checks"])
    return (f"{county}困难职工帮扶中心:\n"
            f"本人{data['applicant']}因家庭生活困难,申请困难职工帮扶。为核实家庭经济状况,本人及下列共同生活的"
            f"家庭成员自愿授权并委托{county}困难职工帮扶中心,通过民政部门居民家庭经济状况核对机构,"
            f"依法查询、核对本人及家庭成员的{checks}等信息。\n"
            "本人及家庭成员承诺所申报的家庭人口、收入和财产情况真实、完整;如有隐瞒、虚报,"
            "愿承担相应责任,并退回已领取的帮扶资金。")


def build(ctx, archive) -> FormDoc:
    data = forms.authorization_values(ctx.session, archive, reveal=ctx.reveal)
    number = hc.archive_number(ctx, archive)
    rows = [(str(i), p["name"], p["id_number"], p["relation"], None, None)
            for i, p in enumerate(data["people"], 1)]
    blocks = [
        Title(TITLE, size=22),
        HeaderLine(f"申请人:{archive.name}({hc.union_name(ctx.session, archive.union_id)})", "",
                   f"编号:{number}"),
        Spacer(2 * mm),
        Paragraph(declaration(data), size=14, leading=1.6),
        Spacer(4 * mm),
        ListTable(COLUMNS, rows, size=12, min_row=12 * mm, totals=False, subtotals=False,
                  min_rows=max(ROWS, len(rows))),
        Spacer(4 * mm),
        Signatures(["申请人(授权人)签字:", "经办人:"], size=14),
        Paragraph("年      月      日", size=14, indent=0, align="right"),
        Notes(NOTES, size=10.5, copies="本委托书一式两份,困难职工帮扶中心和民政核对机构各存一份。"),
    ]
    return FormDoc(TITLE, blocks, number, hc.qr_of(ARCHIVE, archive), record_ids=(archive.id,))


FORMS = (FormDef("authorization_form", TITLE, ARCHIVE.key, build=build, load=hc.load_archives,
                 lookup=hc.lookup_archive, select=hc.select_archives,
                 options=options.ARCHIVE_FILTERS, file_stem=hc.archive_stem(TITLE),
                 number_kind="授权"),)
