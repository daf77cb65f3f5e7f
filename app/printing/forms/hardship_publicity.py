"""公示名单 of the households in 公示 (建档公示): names, masked ID numbers, unions and grades, and
the window as the review chain stored it — counted in working days on the holiday and 调休 calendar,
with the calendar's note printed when the window reached a year whose holidays are not loaded yet.
Built with the shared ``public_notice``.

The archives chosen (``--union``, ``--from``/``--to`` on the 公示 start) must share one window: one
notice announces one window. When they do not, the refusal carries each window as a ready choice
(its start as 公示开始日期起 and 止, the latest first) for a dialog to offer.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.errors import AppError
from app.kit.options import UNION, dates
from app.models import HardshipArchive
from app.printing.forms.common import safe_stem
from app.printing.forms.public_list import Person, notice_contact, public_notice
from app.printing.registry import FormDef, FormOption, OptionsNeeded
from app.services import listing
from app.services.calendar import Window
from app.services.hardship import forms, options
from app.validation import format_cn_date

TITLE = "困难职工建档公示名单"
EXACT_NOTE = Window(date.min, date.min, 1, ()).note  # what the calendar says when it knew every day
OPTIONS = (
    UNION,
    FormOption("from", "--from", "公示名单:公示开始日期起", "date", "日期", label="公示开始日期起"),
    FormOption("to", "--to", "公示名单:公示开始日期止", "date", "日期", label="公示开始日期止"),
    FormOption("contact", "--contact", "受理异议的联系电话(公示名单)", metavar="电话",
               label="受理异议的联系电话"),
)


def _selected(ctx, options_: dict) -> list[HardshipArchive]:
    query = options.archive_selection(ctx.session, {"union": options_.get("union")},
                                      status="publicizing").query
    start, end = dates(options_)
    q = listing.rows_select(ctx.session, query)
    if start:
        q = q.where(HardshipArchive.publicity_start >= start)
    if end:
        q = q.where(HardshipArchive.publicity_start <= end)
    return list(ctx.session.scalars(q))


def _several_windows(archives: list[HardshipArchive]) -> OptionsNeeded:
    windows = sorted({(a.publicity_start, a.publicity_end) for a in archives})
    listed = "、".join(f"{format_cn_date(s)}至{format_cn_date(e)}" for s, e in windows)
    by_start: dict[date, list[HardshipArchive]] = {}
    for a in archives:
        by_start.setdefault(a.publicity_start, []).append(a)
    choices = [(f"{format_cn_date(s)}至{format_cn_date(max(a.publicity_end for a in group))}"
                f"({len(group)}户)", {"from": s.isoformat(), "to": s.isoformat()})
               for s, group in sorted(by_start.items(), reverse=True)]
    message = (f"所选档案的公示期不同({listed}),一份公示只能有一个公示期;"
               f"请用“{OPTIONS[1].label}”“{OPTIONS[2].label}”选定其中一期,分期打印")
    question = f"所选档案分属 {len(windows)} 个公示期,一份公示只能有一个公示期。请选择要打印的一期:"
    return OptionsNeeded(message, ("from", "to"), choices, default=0, question=question)


def build(ctx, options_: dict):
    archives = _selected(ctx, options_)
    if not archives:
        chosen = any(options_.get(k) for k in ("union", "from", "to"))
        raise AppError(("所选范围内" if chosen else "") + "没有正在公示的困难职工档案,未打印公示名单")
    if len({(a.publicity_start, a.publicity_end) for a in archives}) > 1:
        raise _several_windows(archives)
    data = forms.publicity_list_data(ctx.session, ctx.actor, [a.id for a in archives])
    people = [Person(a.id, r["name"], a.id_number, ctx.codes.label("gender", a.gender), r["union"],
                     r["category"].removesuffix("职工家庭")) for a, r in zip(archives, data["rows"])]
    notes = [n for n in data["notes"] if n != EXACT_NOTE]
    issuer = data["title_unit"] or ctx.unit_name
    intro = ("根据困难职工帮扶工作的有关规定,经基层工会初审、乡镇(街道)或系统工会复审、县困难职工帮扶中心"
             f"审核,现将拟建立困难职工档案的家庭名单(共{len(people)}户)予以公示。")
    return public_notice(ctx=ctx, subject="困难职工建档", people=people, issuer=issuer,
                         window_start=data["start"], window_end=data["end"],
                         contact=notice_contact(ctx, options_), category_title="困难类别",
                         kind="PUBLICITY", intro=intro, window_note=";".join(notes))


def file_stem(options_: dict) -> str:
    return safe_stem(TITLE, options_.get("union") or "")


def sample_options(session) -> dict:
    """The latest 公示 window (one notice announces one window)."""
    from sqlalchemy import func

    start = session.scalar(select(func.max(HardshipArchive.publicity_start)).where(
        HardshipArchive.deleted.is_(False), HardshipArchive.status == "publicizing"))
    return {"from": start.isoformat(), "to": start.isoformat()} if start else {}


FORMS = (FormDef("publicity_list", TITLE, "hardship_archive", build=build, public=True,
                 options=OPTIONS, file_stem=file_stem, sample_options=sample_options,
                 number_kind="建公"),)
