"""值班律师排班表 for a month, on A4 landscape: a calendar of the month (Monday to Sunday, a row
of dates over a morning and an afternoon row per week, holidays marked), each half-day naming its
lawyer and firm, then the month's lawyers with firm, licence number, phone and duties — what is
posted at the reception window. It stands for the duty register's printed list."""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from sqlalchemy import func, select

from app.clock import today
from app.errors import AppError, InvalidInput
from app.models.rights import DutySlot, LawFirm, Lawyer
from app.printing.blocks import HeaderLine, Notes, Title, Together
from app.printing.document import FormDoc
from app.printing.forms.common import safe_stem
from app.printing.grid import Grid, Label, Value
from app.printing.qr import build_payload, content_hash
from app.printing.registry import FormDef, FormOption
from app.services import calendar
from app.services.rights import roster

TITLE = "值班律师排班表"
MONTH = FormOption("month", "--month", "值班排班表:月份,如 2026-10(默认本月)", metavar="年-月",
                   label="月份(年-月)")
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def parse_month(text) -> tuple[int, int]:
    text = str(text or "").strip().replace("年", "-").replace("月", "").replace("/", "-")
    if not text:
        return today().year, today().month
    year, _, month = text.partition("-")
    if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12 and len(year) == 4):
        raise InvalidInput(f"月份“{text}”不正确,请写成 2026-10")
    return int(year), int(month)


def _cell(slots) -> str:
    return "\n".join(f"{s.lawyer}({s.firm.removesuffix('律师事务所')})" for s in slots)


def build(ctx, options: dict) -> FormDoc:
    year, month = parse_month(options.get("month"))
    slots = roster.month_slots(ctx.session, ctx.actor, year, month)
    if not slots:
        raise AppError(f"{year}年{month}月没有值班安排,未打印")
    cal = calendar.WorkCalendar.load(ctx.session)
    rows = [[Label("")] + [Label(w) for w in WEEKDAYS]]
    for week in roster.month_weeks(year, month):
        rows.append([Label("日期")] + [Label(_day(cal, d)) for d in week])
        for half, text in (("am", "上午"), ("pm", "下午")):
            rows.append([Label(text)] + [Value(_cell(slots.get((d, half), [])) if d else "",
                                               size=9) for d in week])
    first, last = min(d for d, _ in slots), max(d for d, _ in slots)
    lawyers = _lawyers(ctx, first, last)
    people = [[Label("律师"), Label("律所", span=2), Label("执业证号", span=2), Label("联系电话"),
               Label("本月值班")]]
    people += [[Value(r.name), Value(r.firm, span=2), Value(r.licence_no, span=2),
                Value(r.phone or ""), Value(f"{r.n}次")] for r in lawyers]
    digest = content_hash([[s.id, s.lawyer, s.day.isoformat(), s.half] for v in slots.values() for s in v])
    number = ctx.office_number(digest)
    blocks = [
        Title(f"{ctx.unit_name}{TITLE}", subtitle=f"({year}年{month}月)"),
        HeaderLine("值班地点:职工服务中心法律援助窗口", "", f"编号:{number}", size=11),
        Grid([0.7] + [1.0] * 7, rows, size=10, min_row=7 * mm),
        Together(Grid([1.0] * 8, people, size=10, min_row=7 * mm)),  # the list stays whole
        Notes(["值班时间:上午 8:30—11:30,下午 14:30—17:30;值班律师到岗后签到,离岗时签退并登记接待人数。",
               "律师因故不能值班的,应提前一个工作日告知并由所在律所另行安排。",
               "法定节假日(表中标“休”)不安排值班;调休上班日按工作日安排。"], size=9),
    ]
    ids = tuple(s.id for v in slots.values() for s in v)
    return FormDoc(TITLE, blocks, number, build_payload("DUTY_ROSTER", digest, digest), landscape=True,
                   record_ids=ids)


def _day(cal, d: date | None) -> str:
    if d is None:
        return ""
    mark = "" if cal.is_workday(d) or d.weekday() >= 5 else "(休)"
    if d.weekday() >= 5 and cal.is_workday(d):
        mark = "(班)"
    return f"{d.month}月{d.day}日{mark}"


def _lawyers(ctx, first: date, last: date):
    return ctx.session.execute(
        select(Lawyer.name, LawFirm.name.label("firm"), Lawyer.licence_no, DutySlot.phone,
               func.count().label("n"))
        .join(DutySlot, DutySlot.lawyer_id == Lawyer.id).join(LawFirm, LawFirm.id == Lawyer.firm_id)
        .where(DutySlot.duty_on.between(first, last), DutySlot.deleted.is_(False))
        .group_by(Lawyer.id).order_by(Lawyer.name)).all()


def sample_options(session) -> dict:
    """The month of the latest duty on or before today (the contract tests print it)."""
    last = session.scalar(select(func.max(DutySlot.duty_on)).where(
        DutySlot.deleted.is_(False), DutySlot.duty_on <= today()))
    last = last or session.scalar(select(func.max(DutySlot.duty_on)).where(DutySlot.deleted.is_(False)))
    return {"month": f"{last.year}-{last.month:02d}"} if last else {}


FORMS = (FormDef("duty_roster", TITLE, "rights_duty", build=build, options=(MONTH,),
                 file_stem=lambda options: safe_stem(TITLE, str(options.get("month") or "")),
                 sample_options=sample_options, number_kind="排班"),)
