"""relief, visits, aid: the help given, to Excel; payout lists (relief) also from Excel.

relief — the ledger, one row per line as stored (cash and/or one kind of goods), reversals
included as their own negative rows. Imported lists are checked line by line with the ledger's
rules (先建档,后帮扶 refuses; the yearly cap and a second payout in one campaign, counting the
earlier rows of the file, are warnings that accepting the import confirms), then written in one
transaction with one audit entry. A household is named by its 档案编号, or by the 身份证号 of its
head. A line the same in every column as a line of the ledger (any recipient: a household, a
困难企业 …) is that line: counted as 与已有记录相同, never written, so the export imported again
doubles nothing. One identical only in recipient, date, kind and amounts to a line of the ledger
(or earlier in the file) is a probable duplicate, refused unless that row is confirmed; a reversal line (negative amounts) imports as the reversal
of its original, or is refused with the reason (``app.services.hardship.relief_repeats``).

visits (走访慰问) and aid (金秋助学) are exported only: both are recorded through their own steps
(the visit with what it gave, the application with its decision and payment).
"""

from __future__ import annotations

from dataclasses import replace

from app.excel.registry import CheckResult, ExcelKind
from app.fields.hardship_relief import LEDGER, STUDY_AID, VISIT
from app.fields.spec import RecordSpec
from app.models import ReliefEntry, StudyAid, Visit
from app.services import listing
from app.services.hardship import batch, options, relief_repeats

# every column of a line: a row the same as a ledger line in all of them is that line (not imported)
RELIEF_COLUMNS = relief_repeats.LIST_COLUMNS
# a reversal line (negative amounts, as exported) imports as the reversal of its original
_REVERSIBLE = {"min_value": -999_999_999_99}
_SHEET_CHANGES = {
    "cash_fen": _REVERSIBLE, "goods_value_fen": _REVERSIBLE, "goods_qty": {"min_value": -1_000_000},
    "archive_id": {"label": "档案编号", "help": "已建档户的困难职工档案编号;空着时按领取人身份证号查找"},
    "paid_by": {"required": False, "help": "空着时为导入的用户"},
}
RELIEF = RecordSpec(LEDGER.key, LEDGER.title, ReliefEntry, tuple(
    replace(LEDGER.field(k), **_SHEET_CHANGES.get(k, {})) for k in RELIEF_COLUMNS),
    display_key=LEDGER.display_key)


def _rows(session, parsed, model, keys, per: int = 2000):
    q = listing.rows_select(session, parsed.query, [getattr(model, k) for k in keys])
    return session.execute(q.execution_options(yield_per=per)), parsed.text


def relief_rows(session, options_: dict):
    return _rows(session, options.ledger_selection(session, options_), ReliefEntry, RELIEF_COLUMNS, 5000)


VISIT_COLUMNS = tuple(f.key for f in VISIT.fields)


def visit_rows(session, options_: dict):
    return _rows(session, options.visit_selection(session, options_), Visit, VISIT_COLUMNS)


AID_COLUMNS = tuple(f.key for f in STUDY_AID.fields)


def aid_rows(session, options_: dict):
    return _rows(session, options.aid_selection(session, options_), StudyAid, AID_COLUMNS)


class ReliefImporter:
    HELP = ("每行为一条发放记录:现金和/或一种物品;同一户同时发放现金和几种物品的,可分几行填写。",
            "困难职工须先建档(填档案编号,或填户主身份证号由系统查找已建档档案);意外救助可未建档,但须写明救助事由和身份证号。",
            "超过年度救助上限、同一慰问活动中重复慰问的行会列为“需确认”;确认导入后记入审计日志。",
            "各列都与台账中已有记录相同的行(如重新导入本程序导出的台账)计为“与已有记录相同”,不再登记;"
            "只是领取人、日期、类型、金额与已有记录(或本文件前面的行)相同的行为疑似重复,须逐行确认才导入。",
            "冲正行(负数金额,须写明原因)作为对原发放记录的冲正导入;找不到原记录或已冲正的不导入。")

    confirms_rows = True  # its check takes the rows confirmed one by one (probable duplicates)

    def check(self, db, actor, rows, *, confirm_rows=frozenset()):
        with db.read_session() as s:
            found = batch.check_relief(s, actor, [values for _, values in rows],
                                       {i for i, (n, _) in enumerate(rows) if n in confirm_rows})
        return CheckResult({rows[i][0]: e for i, e in found.errors.items()},
                           {rows[i][0]: w for i, w in found.warnings.items()},
                           unchanged=[rows[i][0] for i in found.unchanged],
                           doubtful={rows[i][0]: d for i, d in found.doubtful.items()})

    def write(self, session, actor, rows, *, source, confirmed=(), confirmed_rows=(), checked=False):
        # the ledger's rules (repeats within the period, the household's state) always run again
        return batch.add_relief(session, actor, [values for _, values in rows], source=source,
                                confirmed=list(confirmed),
                                confirmed_lines={i for i, (n, _) in enumerate(rows) if n in confirmed_rows})


KINDS = (
    ExcelKind("relief", "救助发放", RELIEF, RELIEF_COLUMNS, relief_rows, options=options.LEDGER_FILTERS,
              importer=ReliefImporter(), period="发放日期"),
    ExcelKind("visits", "走访慰问", VISIT, VISIT_COLUMNS, visit_rows, options=options.VISIT_FILTERS,
              period="走访日期"),
    ExcelKind("aid", "金秋助学", STUDY_AID, AID_COLUMNS, aid_rows, options=options.AID_FILTERS,
              period="申请日期"),
)
