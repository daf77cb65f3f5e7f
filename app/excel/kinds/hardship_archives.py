"""archives: 困难职工档案 to and from Excel — one row per household on the first sheet (every field of
the national form; the derived and workflow columns are exported, never imported), and two more
sheets, "家庭成员" and "刚性支出", one row per person or item, each naming its household by the
户主身份证号 (and 户主姓名, checked). A clerk fills the household once and lists its members
underneath on the second sheet, as on paper; sorting or filtering a sheet does not break the link.

An import creates draft archives (草稿): the review chain runs in this installation. A row whose
户主 already heads an archive here, closed ones included, is that archive (``batch.check_households``):
与已有记录相同 when it says what the archive says, else refused — so an export imported again
brings no 已脱困 or 已注销 household back as a new draft.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from app.excel.registry import CheckResult, ChildSheet, ExcelKind
from app.fields.hardship import ARCHIVE, EXPENSE, FAMILY_MEMBER
from app.fields.spec import RecordSpec
from app.models import HardshipArchive, HardshipExpense, HardshipFamilyMember
from app.services import listing
from app.services.hardship import batch, options

# On a sheet the employer may be left empty: the grassroots union's enterprise is taken, as in the form.
SHEET = RecordSpec(ARCHIVE.key, ARCHIVE.title, HardshipArchive, tuple(
    replace(f, required=False) if f.key == "employer" else f for f in ARCHIVE.fields),
    display_key=ARCHIVE.display_key)
COLUMNS = tuple(f.key for f in ARCHIVE.fields)
MEMBER_COLUMNS = tuple(f.key for f in FAMILY_MEMBER.fields)
EXPENSE_COLUMNS = tuple(f.key for f in EXPENSE.fields)
A = HardshipArchive


def _ids(session, options_: dict):
    return listing.rows_select(session, options.archive_selection(session, options_).query, [A.id]) \
        .order_by(None)


def select_rows(session, options_: dict):
    parsed = options.archive_selection(session, options_)
    q = listing.rows_select(session, parsed.query, [getattr(A, k) for k in COLUMNS])
    return session.execute(q.execution_options(yield_per=2000)), parsed.text


def _child_rows(model, columns):
    def rows(session, options_: dict):
        M = model
        q = (select(A.id_number, A.name, *[getattr(M, k) for k in columns]).join(A, A.id == M.archive_id)
             .where(M.deleted.is_(False), A.id.in_(_ids(session, options_)))
             .order_by(A.name, A.id, *([M.sort_order] if model is HardshipFamilyMember else [M.item])))
        return session.execute(q.execution_options(yield_per=2000))
    return rows


class ArchiveImporter:
    HELP = ("导入的档案均为“草稿”,须在本系统中提交并走完审核流程;状态、困难类别、档案编号等由系统生成,"
            "文件中的这些列不导入。",
            "同一身份证号只能出现在一个有效档案中(户主或家庭成员,跨单位检查),本文件中也不能重复。",
            "户主已有档案的行(包括已脱困、已注销的档案)不导入:与该档案完全相同的计为“与已有记录相同”"
            "(如重新导入本程序导出的名单),不同的列出不同之处;已脱困、已注销的户重新申请,请在系统中新建档案。")

    def check(self, db, actor, rows):
        unchanged: list[int] = []
        with db.read_session() as s:
            errors = batch.check_households(s, actor, [values for _, values in rows],
                                            row_numbers=[n for n, _ in rows], unchanged=unchanged)
        return CheckResult({rows[i][0]: e for i, e in errors.items()}, {},
                           unchanged=[rows[i][0] for i in unchanged])

    def write(self, session, actor, rows, *, source, checked: bool = False):
        return batch.add_households(session, actor, [values for _, values in rows], source=source,
                                    checked=checked)


KINDS = (ExcelKind(
    "archives", "困难职工档案", SHEET, COLUMNS, select_rows,
    options=options.ARCHIVE_FILTERS, importer=ArchiveImporter(), period="建档日期",
    children=(
        ChildSheet("家庭成员", FAMILY_MEMBER, MEMBER_COLUMNS, "id_number", "户主身份证号", "户主姓名",
                   "members", _child_rows(HardshipFamilyMember, MEMBER_COLUMNS)),
        ChildSheet("刚性支出", EXPENSE, EXPENSE_COLUMNS, "id_number", "户主身份证号", "户主姓名",
                   "expenses", _child_rows(HardshipExpense, EXPENSE_COLUMNS)),
    )),)
