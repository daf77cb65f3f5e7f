"""工会组织名册: the tree of unions (本级总工会 → 乡镇、街道、系统工会 → 基层工会), indented by level,
with the grassroots unions and the members counted under every node — 在册会员 (正常 and 保留会籍),
of them women and migrant workers — its chair and founding date. ``--union`` prints a subtree."""

from __future__ import annotations

from reportlab.lib.units import mm
from sqlalchemy import func, select

from app.errors import AppError
from app.kit.options import UNION
from app.models import Member, Unit
from app.printing.blocks import HeaderLine, Notes, Signatures, Title
from app.printing.document import FormDoc
from app.printing.forms.common import safe_stem
from app.printing.listtable import Column, ListTable
from app.printing.qr import build_payload, content_hash
from app.printing.registry import FormDef
from app.services.units import KIND_LABELS, MEMBER_UNIT_KINDS

TITLE = "工会组织名册"
COLUMNS = [Column("序号", 0.5), Column("工会名称", 4.2, align="left", fit="wrap"), Column("类别", 1.2),
           Column("基层工会(个)", 0.9, align="right"), Column("在册会员(人)", 1.0, align="right"),
           Column("其中女会员", 0.9, align="right"), Column("其中农民工", 0.9, align="right"),
           Column("工会主席", 0.9), Column("成立日期", 1.3)]
ACTIVE = ("1", "3")


def tree_counts(session, root_id: str | None = None) -> list[tuple]:
    """(unit, depth, grassroots unions, members, women, migrant workers) for every live unit of
    the subtree of ``root_id`` (default: the whole tree), each node's counts including its
    subtree's."""
    from app.services.listing import unit_tree

    rows = unit_tree(session)
    if root_id is not None:
        start = next((i for i, r in enumerate(rows) if r[0] == root_id), None)
        if start is None:
            raise AppError("找不到该单位")
        base = rows[start][3]
        end = next((i for i in range(start + 1, len(rows)) if rows[i][3] <= base), len(rows))
        rows = [(uid, name, kind, depth - base) for uid, name, kind, depth in rows[start:end]]
    own = {uid: (n, w, m) for uid, n, w, m in session.execute(
        select(Member.union_id, func.count(), func.sum(Member.gender == "2"),
               func.sum(Member.is_migrant_worker))
        .where(Member.deleted.is_(False), Member.status.in_(ACTIVE)).group_by(Member.union_id))}
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_([r[0] for r in rows])))}
    own_counts = [[1 if kind in MEMBER_UNIT_KINDS else 0, *own.get(uid, (0, 0, 0))]
                  for uid, _n, kind, _d in rows]
    totals = [list(c) for c in own_counts]
    stack: list[int] = []  # indices of the open ancestors
    for i, (_uid, _name, _kind, depth) in enumerate(rows):
        del stack[depth:]
        for a in stack:
            totals[a] = [t + (c or 0) for t, c in zip(totals[a], own_counts[i])]
        stack.append(i)
    return [(units[r[0]], r[3], *(int(v or 0) for v in t)) for r, t in zip(rows, totals)]


def build(ctx, options: dict) -> FormDoc:
    from app.services.units import find_unit

    chosen = find_unit(ctx.session, options["union"]) if options.get("union") else None
    rows = tree_counts(ctx.session, chosen.id if chosen else None)
    table = []
    for n, (unit, depth, unions, members, women, migrants) in enumerate(rows, 1):
        table.append((str(n), "\u3000" * depth + unit.name, KIND_LABELS.get(unit.kind, unit.kind),
                      "" if unit.kind in MEMBER_UNIT_KINDS else f"{unions:,}", f"{members:,}",
                      f"{women:,}", f"{migrants:,}", unit.chair_name or "",
                      ctx.shown(_founded(), unit.founded_on)))
    digest = content_hash([[u.id, *t[1:]] for (u, *_), t in zip(rows, table)])
    number = ctx.office_number(digest)
    blocks = [
        Title(TITLE, subtitle=f"({chosen.name})" if chosen else ""),
        HeaderLine("填报单位(盖章):", f"统计日期:{ctx.shown(_founded(), ctx.printed_on)}", f"编号:{number}"),
        ListTable(COLUMNS, table, size=10, min_row=7 * mm, totals=False, count_unit="个",
                  tail=[Signatures(["填表人:", "审核人:", "单位负责人:"])]),
        Notes(["各级工会的基层工会数、会员数含其所有下级工会。", "在册会员为会籍正常和保留会籍的会员。"],
              size=10),
    ]
    return FormDoc(TITLE, blocks, number, build_payload("UNIONTREE", digest, digest), landscape=True,
                   record_ids=tuple(u.id for u, *_ in rows))


def _founded():
    from app.fields.units import UNIT

    return UNIT.field("founded_on")


def file_stem(options: dict) -> str:
    return safe_stem(TITLE, options.get("union") or "")


FORMS = (FormDef("union_tree", TITLE, "unit", build=build, options=(UNION,), file_stem=file_stem,
                 number_kind="名册"),)
