"""The filters a list offers where text is typed — the command line (``--union``, ``--status``,
``--from``) and the print and export dialogs — turned into the one ``ListQuery``, with a
description for title rows ("城关镇工会 · 会籍状态:正常 · 入会日期 2020-01-01 至 2020-06-30").

Every register gets the same three: ``union`` (a unit and its subtree), ``from`` / ``to`` (its
period); a register or form adds options that name a field (``FilterOption.field``): a code is
typed as its code or label, a reference as the referenced record's name, and an option may
declare words for several values ("在办": every open status).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.errors import InvalidInput
from app.services.filters import FilterOption
from app.services.listing import ListQuery, Range

UNION = FilterOption("union", "--union", "只含该单位(含下级工会)的记录:单位名称、区划代码或编号",
                     metavar="单位", label="只含该单位")


def year_order(this_year: int, years=(), *, back: int = 10, ahead: int = 0) -> list[int]:
    """The years a 年度 picker lists: the current year first (what a clerk picks nine times in
    ten), then the years ahead (``ahead``: plans and campaigns made for next year; and any year
    ahead that ``years``, the years records have, holds), then the past, newest first."""
    every = set(years) | set(range(this_year - back + 1, this_year + ahead + 1))
    later = sorted(y for y in every if y > this_year)
    return [this_year, *later, *sorted((y for y in every if y < this_year), reverse=True)]


def period_options(spec) -> tuple[FilterOption, ...]:
    """--from / --to on the spec's period field (none when it has no period)."""
    if not spec.period_key:
        return ()
    what = spec.field(spec.period_key).label
    return (FilterOption("from", "--from", f"{what}起", "date", "日期", label=f"{what}起"),
            FilterOption("to", "--to", f"{what}止", "date", "日期", label=f"{what}止"))


def standard_options(spec, *extra: FilterOption) -> tuple[FilterOption, ...]:
    """What every list of a register offers: the unit (if records belong to one), the period (if
    it has one), and the register's own options."""
    from app.services.listing import has_unit

    return ((UNION,) if has_unit(spec) else ()) + tuple(extra) + period_options(spec)


@dataclass(frozen=True)
class Selection:
    query: ListQuery
    text: str  # the selection in words, for title rows ("" when everything)
    start: date | None
    end: date | None


def dates(options: dict) -> tuple[date | None, date | None]:
    from app.validation import DateError, parse_date

    out = []
    for key, label in (("from", "起始日期"), ("to", "截止日期")):
        raw = options.get(key)
        try:
            out.append(parse_date(raw) if raw not in (None, "") else None)
        except DateError as exc:
            raise InvalidInput(f"{label}:{exc}") from None
    if out[0] and out[1] and out[0] > out[1]:
        raise InvalidInput("起始日期不能晚于截止日期")
    return out[0], out[1]


def period_text(label: str, start: date | None, end: date | None, *, paper: bool = False) -> str:
    """"入会日期 2020-01-01 至 2020-06-30" for title rows of a sheet; on ``paper`` the dates are
    written as on a form: "走访日期:2026年1月1日至2026年6月30日"."""
    if paper:
        from app.validation import format_cn_date as cn

        if start and end:
            return f"{label}:{cn(start)}至{cn(end)}"
        if start:
            return f"{label}:{cn(start)}起"
        return f"{label}:截至{cn(end)}" if end else ""
    if start and end:
        return f"{label} {start.isoformat()} 至 {end.isoformat()}"
    if start:
        return f"{label} {start.isoformat()} 起"
    return f"{label} 截至 {end.isoformat()}" if end else ""


def ref_id(session, spec_key: str, text: str) -> tuple[str, str]:
    """(id, name) of the live record of ``spec_key`` named ``text`` (its id or display name)."""
    from sqlalchemy import or_, select

    from app.errors import AppError
    from app.fields.registry import spec as spec_by_key

    ref = spec_by_key(spec_key)
    if spec_key == "unit":
        from app.services.units import find_unit

        unit = find_unit(session, text)
        return unit.id, unit.name
    t = ref.model.__table__
    name = t.c[ref.display_key]
    rows = session.execute(select(t.c.id, name).where(
        t.c.deleted.is_(False), or_(t.c.id == text, name == text)).limit(3)).all()
    if not rows:
        raise AppError(f"找不到{ref.title}“{text}”(写名称或编号)")
    if len(rows) > 1:
        raise AppError(f"有 {len(rows)} 个名为“{text}”的{ref.title},请改用编号")
    return rows[0][0], str(rows[0][1])


def _value(session, spec, option: FilterOption, raw) -> tuple[Any, str]:
    """The filter value an option's text stands for, and how a title row says it."""
    from app.fields.spec import Kind, clean_value, display_value
    from app.services.records import codebook

    text = str(raw).strip()
    label = option.label or option.help
    if option.words and text in option.words:
        return option.words[text], f"{label}:{text}"
    if not spec.has(option.field):
        return text, f"{label}:{text}"
    f = spec.field(option.field)
    if f.kind == Kind.REF:
        rid, name = ref_id(session, f.ref, text)
        return rid, name
    try:
        value = clean_value(f, text, codebook(session))
    except ValueError as exc:
        if f.is_coded:
            from app.fields.spec import offered_choices

            choices = "、".join(lbl for _, lbl in offered_choices(f, codebook(session)))
            raise InvalidInput(f"“{text}”不是有效的{f.label}。可选:{choices}") from None
        raise InvalidInput(f"{label}:{exc}") from None
    if f.kind == Kind.YEAR:
        return value, f"{value}年度"
    return value, f"{f.label}:{display_value(f, value, codebook(session))}"


def selection(session, spec_key: str, options: dict, declared: Sequence[FilterOption] = (), *,
              paper: bool = False, **filters) -> Selection:
    """The ListQuery the typed options choose (and ``filters`` added as they are); ``paper``:
    the description writes dates as a printed form does (2026年1月1日)."""
    from app.fields.registry import spec as spec_by_key

    spec = spec_by_key(spec_key)
    unit = None
    if options.get("union"):
        from app.services.units import find_unit

        unit = find_unit(session, str(options["union"]))
    start, end = dates(options)
    parts = [unit.name if unit else ""]
    chosen = dict(filters)
    for o in declared:
        raw = options.get(o.dest)
        if o.field and raw not in (None, ""):
            chosen[o.field], shown = _value(session, spec, o, raw)
            parts.append(shown)
    if (start or end) and spec.period_key:
        parts.append(period_text(spec.field(spec.period_key).label, start, end, paper=paper))
    query = ListQuery.of(spec_key, filters=chosen, unit=unit.id if unit else None,
                         period=Range(start, end) if spec.period_key else None)
    return Selection(query, " · ".join(p for p in parts if p), start, end)
