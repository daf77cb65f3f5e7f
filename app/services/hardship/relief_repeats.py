"""Lines of an imported payout list that repeat the ledger (issue: re-importing the exported
ledger doubled every payout).

Lines are compared within one recipient and day: the household (``ledger._household_key``: its
archive, or the head's ID number), else the recipient as written (a 困难企业 by its union and
name, a 劳模 without ID number …), so lines of every recipient kind are recognised.

- **The same line**: every column a payout list carries (``LIST_COLUMNS``) as in a live line of
  the ledger — the app's own export imported again. Not imported: counted as 与已有记录相同. Each
  ledger line stands for one row of the file (a second copy of it is a probable duplicate).
- A **probable duplicate**: a line identical in recipient, date, kind and amounts (cash, goods,
  quantity, value) to a line already in the ledger (reversed or not) — or to an earlier line of
  the same file — but not the same in every column. It is refused unless the user confirms that
  very row (a second identical payout on one day does happen, rarely; the whole-file "accept"
  never confirms it).
- A **reversal** (negative amounts, as the export writes a 冲正 line): imported as the reversal of
  its original — the one line of the household on that day, of that kind, with the negated
  amounts, not yet reversed — or refused with the reason (no such line, already reversed, no
  reason given).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.models import ReliefEntry
from app.services.hardship import ledger

AMOUNTS = ("cash_fen", "goods_kind", "goods_qty", "goods_value_fen")
# the columns of a payout list (the Excel kind's sheet): a line the same in all of them is the same line
LIST_COLUMNS = ("paid_on", "kind", "recipient_kind", "archive_id", "recipient_name",
                "recipient_id_number", "unit_id", "campaign_id", "cash_fen", "goods_kind",
                "goods_unit", "goods_qty", "goods_value_fen", "fund_source", "batch", "paid_by",
                "signed_by", "proxy_relation", "reason", "note")


def line_key(line: dict) -> tuple:
    """Whose line it is: the household, else the recipient as written."""
    return ledger._household_key(line) or (
        "recipient", line.get("recipient_kind"), line.get("unit_id") or "", line.get("recipient_name") or "",
        line.get("recipient_id_number") or "")


def _filter(key: tuple):
    if key[0] != "recipient":
        return ledger._household_filter(key)
    _, kind, unit_id, name, number = key
    return ((ReliefEntry.recipient_kind == kind) & (func.coalesce(ReliefEntry.unit_id, "") == unit_id)
            & (ReliefEntry.recipient_name == name)
            & (func.coalesce(ReliefEntry.recipient_id_number, "") == number))


def _full(line) -> tuple:
    """Every column of a payout list, blanks as None (a line of the file or of the ledger)."""
    get = line.get if isinstance(line, dict) else (lambda k: getattr(line, k))
    return tuple(None if (v := get(k)) == "" else v for k in LIST_COLUMNS)


def is_reversal(line: dict) -> bool:
    return any((line.get(k) or 0) < 0 for k in ("cash_fen", "goods_qty", "goods_value_fen"))


def _shape(line, negate: bool = False) -> tuple:
    sign = -1 if negate else 1
    get = line.get if isinstance(line, dict) else (lambda k: getattr(line, k))
    return (get("kind"), sign * (get("cash_fen") or 0), get("goods_kind") or None,
            sign * (get("goods_qty") or 0), sign * (get("goods_value_fen") or 0))


def file_line(index: int) -> str:
    """How the line a file's ``index``-th row becomes is named before it has an id."""
    return f"file-{index}"


@dataclass
class Day:
    """A household's ledger on one day: lines by id with their shape, and the reversed ids;
    every live ledger line (reversals too) by id with all its columns, until a row of the file
    is recognised as it."""

    lines: dict[str, tuple] = field(default_factory=dict)
    reversed: set[str] = field(default_factory=set)
    unclaimed: dict[str, tuple] = field(default_factory=dict)


@dataclass
class Repeats:
    """Tracks the ledger and the file's earlier lines while a file is checked in order."""

    session: object
    days: dict[tuple, Day] = field(default_factory=dict)

    def _day(self, key, on) -> Day:
        if (key, on) not in self.days:
            day = Day()
            for e in self.session.scalars(select(ReliefEntry).where(
                    _filter(key), ReliefEntry.paid_on == on)):
                if not e.deleted:
                    day.unclaimed[e.id] = _full(e)
                if e.reverses_id:
                    day.reversed.add(e.reverses_id)
                else:
                    day.lines[e.id] = _shape(e)
            self.days[key, on] = day
        return self.days[key, on]

    def same(self, key, line: dict) -> str | None:
        """The id of the live ledger line ``line`` is the same as in every column (not yet taken
        by an earlier row of the file), else None; that line is then taken."""
        day = self._day(key, line["paid_on"])
        full = _full(line)
        twin = next((i for i, f in day.unclaimed.items() if f == full), None)
        if twin is not None:
            del day.unclaimed[twin]
        return twin

    def duplicate(self, key, line: dict, index: int, confirmed: bool = False) -> str | None:
        """The message for a probable duplicate of a payout already in the ledger or the file,
        else None. The line (the file's ``index``-th) then counts as given for the lines after it
        unless it is a duplicate the user did not confirm (it will not be written)."""
        day = self._day(key, line["paid_on"])
        shape = _shape(line)
        # a reversed line counts too: its export's reversal line is refused as already reversed,
        # so taking the line again would pay it a second time
        twin = next((i for i, s in day.lines.items() if s == shape), None)
        if twin is None or confirmed:
            day.lines[file_line(index)] = shape
        if twin is None:
            return None
        where = "本文件前面的一行" if twin.startswith("file-") else "台账中已有的一条记录"
        return (f"疑似重复:与{where}的领取人、发放日期、帮扶类型和金额相同(其他列不尽相同);"
                "确属另一次发放的,请逐行确认后导入")

    def original(self, key, line: dict) -> tuple[str | None, str]:
        """(id of the line a reversal line reverses — ``file_line(j)`` for the file's own ``j``-th
        line —, "") or (None, why it cannot be imported)."""
        if len((line.get("reason") or "").strip()) < 2:
            return None, "冲正记录须写明冲正原因(救助事由列)"
        day = self._day(key, line["paid_on"])
        wanted = _shape(line, negate=True)
        found = [i for i, s in day.lines.items() if s == wanted]
        open_ = [i for i in found if i not in day.reversed]
        if not found:
            return None, (f"冲正记录:台账中没有该户 {line['paid_on'].isoformat()} 金额相同的原发放记录,"
                          "不能导入;请在系统中对原记录办理冲正")
        if not open_:
            return None, "冲正记录:原发放记录已经冲正过,本行未导入"
        day.reversed.add(open_[0])
        return open_[0], ""
