"""会员花名册: a filtered list of members on A4 landscape, headers repeated on every page, "本页小计"
of heads per page and the total on the last, with the signatures of whoever compiled and checked it.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from app.errors import AppError
from app.fields.members import MEMBER
from app.kit.options import selection
from app.models import Member
from app.printing.blocks import HeaderLine, Notes, Signatures, Title
from app.printing.document import FormDoc
from app.printing.forms.common import safe_stem
from app.printing.listtable import Column, ListTable
from app.printing.qr import build_payload, content_hash
from app.printing.registry import FormDef
from app.services.members import MEMBER_FILTERS, roster_select

TITLE = "会员花名册"
COLUMNS = [
    Column("序号", 0.45), Column("姓名", 0.85), Column("性别", 0.45), Column("出生年月", 1.0),
    Column("民族", 0.7), Column("政治面貌", 0.85), Column("学历", 1.25),
    Column("身份证号", 1.75), Column("手机号码", 1.15), Column("所属基层工会", 2.2, align="left"),
    Column("入会日期", 1.35), Column("会籍状态", 0.8),
]
KEYS = ("name", "gender", "birth_date", "ethnicity", "political_status", "education",
        "id_number", "phone", "union_id", "joined_on", "status")


def member_rows(ctx, options: dict):
    """(selection, rows of (member columns…, union name)) for the member list forms."""
    s = ctx.session
    chosen = selection(s, MEMBER.key, options, MEMBER_FILTERS, paper=True)
    cols = [Member.id] + [getattr(Member, k) for k in KEYS]
    rows = s.execute(roster_select(s, chosen.query, cols)).all()
    if not rows:
        raise AppError("没有符合条件的会员,未打印")
    return chosen, rows


def build(ctx, options: dict) -> FormDoc:
    chosen, rows = member_rows(ctx, options)
    f = MEMBER.field
    table, digest_rows = [], []
    for n, r in enumerate(rows, 1):
        birth = r.birth_date
        table.append((
            str(n), r.name, ctx.shown(f("gender"), r.gender),
            # 出生年月 with a masked ID only masked too: it is 6 of the 8 digits the mask hides
            (f"{birth.year}年{birth.month}月" if ctx.reveal else ctx.shown(f("birth_date"), birth))
            if birth else "",
            ctx.shown(f("ethnicity"), r.ethnicity), ctx.shown(f("political_status"), r.political_status),
            ctx.shown(f("education"), r.education), ctx.shown(f("id_number"), r.id_number),
            ctx.shown(f("phone"), r.phone), r.union_name, ctx.shown(f("joined_on"), r.joined_on),
            ctx.shown(f("status"), r.status),
        ))
        digest_rows.append([r.id, *table[-1][1:]])
    digest = content_hash(digest_rows)
    number = ctx.office_number(digest)
    scope = chosen.text
    blocks = [
        Title(TITLE, subtitle=f"({scope})" if scope else ""),
        HeaderLine("填报单位(盖章):", "填表日期:    年    月    日", f"编号:{number}"),
        # the note stays with the total and the signatures: never a page of its own
        ListTable(COLUMNS, table, size=10, min_row=7.5 * mm, count_unit="人",
                  tail=[Signatures(["填表人:", "审核人:", "单位负责人:"]),
                        Notes([], title="", copies="注:会籍状态以填表日期为准。本表一式两份,"
                              "基层工会和上级工会各存一份。", size=10)]),
    ]
    return FormDoc(TITLE, blocks, number, build_payload("ROSTER", digest, digest), landscape=True,
                   record_ids=tuple(r.id for r in rows))


def file_stem(options: dict) -> str:
    return safe_stem(TITLE, options.get("union") or "")


FORMS = (FormDef("member_roster", TITLE, "member", build=build, options=MEMBER_FILTERS,
                 file_stem=file_stem, number_kind="花名"),)
