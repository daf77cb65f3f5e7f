"""Numbers from a register's series (``Numbering``): 2026-0001, 341122-2026-00017 …"""

from __future__ import annotations

import re
import string
from datetime import date

from sqlalchemy import select


def _prefix_and_width(pattern: str, values: dict, unit_code: str) -> tuple[str, int, str]:
    """(text before {seq}, its width, text after) with {year} and {unit_code} filled in."""
    head, seq, tail = pattern.partition("{seq")
    if not seq:
        raise ValueError(f"numbering pattern {pattern!r} has no {{seq}}")
    spec, _, tail = tail.partition("}")
    width = int(re.sub(r"\D", "", spec) or 0)
    fill = {"year": values.get("_year"), "unit_code": unit_code}
    fmt = string.Formatter()
    return fmt.vformat(head, (), fill), width, fmt.vformat(tail, (), fill)


def describe(pattern: str, unit: str = "本单位区划代码") -> str:
    """The pattern as a number field's help text says it: "{unit_code}-诉求-{year}-{seq:04d}" is
    “本单位区划代码-诉求-年度-4位序号”."""
    def one(m: re.Match) -> str:
        name, _, spec = m.group(1).partition(":")
        if name == "seq":
            width = int(re.sub(r"\D", "", spec) or 0)
            return f"{width}位序号" if width else "序号"
        return {"unit_code": unit, "year": "年度"}.get(name, m.group(0))
    return re.sub(r"\{([^}]*)\}", one, pattern)


def next_numbers(session, reg, rows: list[dict]) -> list[str]:
    """A fresh number for each row (in order): one more than the highest taken in its series."""
    from app.clock import today
    from app.models import Unit

    n = reg.number
    root = session.get(Unit, session.info.get("root_unit_id")) if session.info.get("root_unit_id") else None
    unit_code = (root.code if root else "") or ""
    col = reg.spec.model.__table__.c[n.key]
    taken: dict[tuple[str, str], int] = {}
    out = []
    for row in rows:
        when = row.get(n.date_key) if n.date_key else None
        year = when.year if isinstance(when, date) else today().year
        head, width, tail = _prefix_and_width(n.pattern, {"_year": year}, unit_code)
        key = (head, tail)
        if key not in taken:
            found = session.scalars(select(col).where(col.like(f"{_escape(head)}%{_escape(tail)}",
                                                               escape="\\"))).all()
            taken[key] = max((_seq(v, head, tail) for v in found), default=0)
        taken[key] += 1
        out.append(f"{head}{taken[key]:0{width}d}{tail}")
    return out


def _seq(value: str | None, head: str, tail: str) -> int:
    middle = (value or "")[len(head):len(value or "") - len(tail) if tail else None]
    return int(middle) if middle.isdigit() else 0


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def numbered_registers() -> dict:
    """Registers whose model marks its number as an issued serial (``__number_key__``) and whose
    ``Numbering`` issues it, by table: a clash of two PCs' numbers is renumbered through here."""
    from app.kit.register import all_registers

    out = {}
    for reg in all_registers():
        model = reg.spec.model
        if reg.number is not None and getattr(model, "__number_key__", None) == reg.number.key:
            out[model.__tablename__] = reg
    return out


def renumber(session, actor, reg, record_id: str, reason: str) -> tuple[str, str]:
    """Give a record the next free number of its series (two PCs of one office numbered two
    records alike between exchanges): returns (old, new); audited with the reason."""
    from app.security import audit
    from app.services import records

    actor.require(reg.write, "重新编号")
    obj = records.get_live(session, reg.spec, record_id)
    key = reg.number.key
    old = getattr(obj, key)
    new = next_numbers(session, reg, [records.stored_values(reg.spec, obj)])[0]
    setattr(obj, key, new)
    session.flush()
    audit.append(session, action="renumber", actor=actor, object_type=reg.spec.model.__tablename__,
                 object_id=obj.id, summary=f"{reg.name}重新编号:{old} → {new}({reason})")
    return old, new
