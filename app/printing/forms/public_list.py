"""公示名单: a public notice listing people with masked ID numbers and the dates of the notice
window, closed by the issuing union and the date, with room for the stamp.

``public_notice`` is the reusable part: hardship builds its 建档公示 and 救助公示 with its own rows
(and an amount column, which then gets page subtotals and a total in figures and 大写). The form
registered here lists members chosen by the member filters, e.g. a 新会员 notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.errors import AppError
from app.fields.masking import mask_name
from app.printing.blocks import Closing, Paragraph, Spacer, Title
from app.printing.document import FormDoc
from app.printing.forms.common import safe_stem
from app.printing.forms.member_roster import member_rows
from app.printing.listtable import Column, ListTable
from app.printing.qr import build_payload, content_hash
from app.printing.registry import FormDef, FormOption
from app.services.members import MEMBER_FILTERS
from app.validation import format_cn_date, mask_id_number

TITLE = "公示名单"


@dataclass
class Person:
    """One line of a notice. ``id_number`` is given in full and always printed masked."""

    record_id: str
    name: str
    id_number: str = ""
    gender: str = ""
    unit: str = ""
    category: str = ""
    amount_fen: int | None = None


def notice_contact(ctx, options: dict) -> str:
    """The phone a 公示 gives for objections: the print's own, else the installation's setting."""
    from app.services import settings

    return (options.get("contact") or "").strip() or str(settings.get(ctx.session, "notice_phone") or "")


def public_notice(*, subject: str, people: list[Person], issuer: str, window_start: date,
                  window_end: date, contact: str = "", category_title: str = "",
                  amount_title: str = "", declared_total: int | None = None, kind: str = "NOTICE",
                  mask_names: bool = False, intro: str = "", window_note: str = "", ctx=None) -> FormDoc:
    """A 公示 notice. With ``amount_title`` the amounts get page subtotals and a checked total;
    ``window_note`` follows the window's dates (how they were counted, when that needs saying)."""
    if not people:
        raise AppError("公示名单为空,未打印")
    if window_end < window_start:
        raise AppError("公示截止日期不能早于开始日期")
    if not contact:  # a 公示 nobody can answer is no 公示
        raise AppError("公示须写明受理异议的联系电话:请在打印选项中填写,或由管理员在系统设置中填写"
                       "“公示受理异议的联系电话”")
    cols = [Column("序号", 0.55), Column("姓名", 1.0), Column("性别", 0.55),
            Column("身份证号", 2.0), Column("所属单位", 2.8, align="left")]
    if category_title:
        cols.append(Column(category_title, 1.2))
    if amount_title:
        cols.append(Column(amount_title, 1.2, align="right", money=True, words=True))
    rows = []
    for n, p in enumerate(people, 1):
        row = [str(n), mask_name(p.name) if mask_names else p.name, p.gender,
               mask_id_number(p.id_number) if p.id_number else "", p.unit]
        if category_title:
            row.append(p.category)
        if amount_title:
            row.append(p.amount_fen)
        rows.append(tuple(row))
    declared = {len(cols) - 1: declared_total} if amount_title and declared_total is not None else None
    # a list of names needs no head counts; a list of amounts gets page subtotals and the total
    table = ListTable(cols, rows, size=11, declared=declared, totals=bool(amount_title),
                      subtotals=bool(amount_title))
    text = intro or (f"根据有关规定,现将{subject}名单(共{len(people)}人)予以公示。")
    text += f"公示期自{format_cn_date(window_start)}起至{format_cn_date(window_end)}止。"
    if window_note:
        text += f"({window_note})"
    text += f"公示期间,如有异议,请以书面、电话等形式向{issuer}反映"
    text += f"(联系电话:{contact})。"
    text += "反映情况应实事求是,并请提供真实姓名和联系方式。"
    digest = content_hash([[p.record_id, p.name, p.id_number, p.amount_fen] for p in people]
                          + [[subject, window_start, window_end]])
    number = ctx.office_number(digest) if ctx is not None else ""  # none outside a print job
    blocks = [Title(f"{subject}公示" if subject else TITLE), Spacer(2), Paragraph(text, size=14),
              Spacer(8), table, Closing(issuer, format_cn_date(window_start))]
    return FormDoc(TITLE, blocks, number, build_payload(kind, digest, digest),
                   record_ids=tuple(p.record_id for p in people))


def build(ctx, options: dict) -> FormDoc:
    from app.fields.members import MEMBER
    from app.validation import DateError, parse_date

    _, rows = member_rows(ctx, options)
    try:
        start = parse_date(options.get("window_start") or ctx.printed_on)
        end = parse_date(options["window_end"]) if options.get("window_end") else start
    except DateError as exc:
        raise AppError(f"公示日期:{exc}") from None
    gender = MEMBER.field("gender")
    people = [Person(r.id, r.name, r.id_number, ctx.shown(gender, r.gender), r.union_name)
              for r in rows]
    return public_notice(ctx=ctx, subject=options.get("subject") or "新入会会员", people=people,
                         issuer=ctx.unit_name, window_start=start, window_end=end,
                         contact=notice_contact(ctx, options), kind="PUBLIC")


def file_stem(options: dict) -> str:
    return safe_stem(TITLE, options.get("subject") or "")


OPTIONS = MEMBER_FILTERS + (
    FormOption("subject", "--subject", "公示事项,如“2020年度新入会会员”(公示名单)", metavar="事项",
               label="公示事项"),
    FormOption("window_start", "--window-start", "公示开始日期(公示名单,默认今天)", "date", "日期",
               label="公示开始日期"),
    FormOption("window_end", "--window-end", "公示截止日期(公示名单)", "date", "日期", label="公示截止日期"),
    FormOption("contact", "--contact", "受理异议的联系电话(公示名单)", metavar="电话",
               label="受理异议的联系电话"),
)
FORMS = (FormDef("public_list", TITLE, "member", build=build, public=True, options=OPTIONS,
                 file_stem=file_stem, number_kind="公示"),)
