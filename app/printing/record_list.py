"""The printed list of any register (``<key>_list``), made from its declaration: "<unit><title>名单"
with the selection in the subtitle (dates written 2026年1月1日), one column per list field
(``Register.paper_columns`` when the register names fewer), the header repeated on every page,
page subtotals and the total of the numbers and amounts (amounts also in 大写), and the signatures
of whoever made and checked it.

ID, phone and bank numbers are masked as ``PrintContext.shown`` masks them: by role, and always on a
public copy (the ``--public`` switch). The page turns to landscape and the type gets smaller only as
far as the columns need; ID and phone numbers never break, long names wrap.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from app.errors import AppError
from app.fields.spec import Field, Kind
from app.printing.blocks import HeaderLine, Notes, Signatures, Title
from app.printing.document import MARGIN_X, FormDoc
from app.printing.forms.common import register_options, safe_stem
from app.printing.listtable import PAD_X, Column, ListTable
from app.printing.qr import build_payload, content_hash
from app.printing.registry import PUBLIC_COPY, FormDef, asks_public
from app.validation import format_yuan

LINE_KINDS = (Kind.ID_NUMBER, Kind.PHONE, Kind.MOBILE, Kind.BANK_ACCOUNT, Kind.USCC, Kind.DATE,
              Kind.MONEY, Kind.INT, Kind.YEAR, Kind.DECIMAL)  # never broken over two lines
WRAP_KINDS = (Kind.TEXT, Kind.TEXTAREA, Kind.REF, Kind.CODES)  # names: wrapped, every row alike
SIZES = ((False, 10.5), (True, 10.5), (True, 10.0), (True, 9.5), (True, 9.0), (True, 8.5),
         (True, 8.0))  # (landscape, size) tried in turn until the columns fit
WRAP_FLOOR = 4.0  # ems a wrapped column keeps when the table must be squeezed
SLACK = 0.3  # ems more than measured: a text that just fits must not wrap on a rounding error
PUBLIC_NOTE = "注:本表为公开副本,身份证号、手机号码、银行卡号只显示部分。"


def list_title(reg) -> str:
    return f"{reg.name}名单"


def em(text: str) -> float:
    """Width in ems: a Chinese character is one, a digit or Latin letter a little over half."""
    return sum(1.0 if ord(c) > 0x2E7F else 0.56 for c in text)


def fields_of(reg) -> list[Field]:
    keys = reg.paper_columns or [f.key for f in reg.spec.list_fields]
    table = reg.spec.model.__table__
    return [reg.spec.field(k) for k in keys if k in table.c]


def cell(ctx, f: Field, value, refs: dict):
    """A row's value: fen and counts as numbers (the table sums them), the rest as printed text."""
    if f.kind in (Kind.MONEY, Kind.INT):
        return value
    if f.kind == Kind.REF:
        return refs.get(f.key, {}).get(value, "") if value else ""
    return ctx.shown(f, value)


@dataclass
class Need:
    """What a column needs, in ems of the table's type: on one line (``line``) or wrapped."""

    column: Column
    ems: float
    floor: float  # what it keeps when squeezed


def need(f: Field, texts: list[str]) -> Need:
    """A field's column, as wide as its printed texts need (``texts``: one a row)."""
    label = em(f.label)
    head = label if label <= 4 else max(3.0, label / 2)  # a long caption takes two lines
    widths = sorted(em(t) for t in texts if t) or [0.0]
    money, number = f.kind == Kind.MONEY, f.kind == Kind.INT
    if f.kind in LINE_KINDS or all(t.isascii() for t in texts):  # numbers and codes (档案编号)
        ems, fit = widths[-1], "line"
    elif f.kind in WRAP_KINDS:
        ems, fit = min(widths[int(len(widths) * 0.9)], 12.0), "wrap"  # a rare long name wraps
    else:
        ems, fit = widths[-1], "auto"
    ems = max(ems, head, 1.5) + SLACK
    align = "right" if money or number else "left" if fit == "wrap" else "center"
    column = Column(f.label, ems, align=align, money=money, words=money, number=number, fit=fit)
    return Need(column, ems, ems if fit == "line" else min(ems, max(head, WRAP_FLOOR)))


def page_setup(needs: list[Need]) -> tuple[bool, float, list[Column]]:
    """(landscape, type size, columns): the first page and size the columns fit; if none, the
    smallest, with wrapped columns squeezed before a number is set smaller."""
    pad = 2 * PAD_X
    for wide, size in SIZES:
        width = (landscape(A4) if wide else A4)[0] - 2 * MARGIN_X
        if sum(n.ems for n in needs) * size + len(needs) * pad <= width:
            cut = 0.0
            break
    else:
        room = (width - len(needs) * pad) / size  # ems at the smallest size, landscape
        spare = sum(n.ems - n.floor for n in needs)
        cut = min(1.0, max(0.0, sum(n.ems for n in needs) - room) / spare) if spare else 0.0
    # a weight is the column's width with its padding, so a column gets the ems it needs inside
    return wide, size, [replace(n.column, weight=n.ems - (n.ems - n.floor) * cut + pad / size)
                        for n in needs]


def build_list(reg, ctx, options: dict) -> FormDoc:
    from app.kit.options import selection
    from app.services.listing import ref_labels, rows_select

    s, spec, fields = ctx.session, reg.spec, fields_of(reg)
    chosen = selection(s, reg.key, options, paper=True)
    model = spec.model
    rows = s.execute(rows_select(s, chosen.query, [model.id, *(getattr(model, f.key) for f in fields)],
                                 actor=ctx.actor)).all()
    if not rows:
        raise AppError(f"没有符合条件的{reg.name}记录,未打印{list_title(reg)}")
    refs = {f.key: ref_labels(s, f.ref, {r[i + 1] for r in rows if r[i + 1]})
            for i, f in enumerate(fields) if f.kind == Kind.REF and f.ref}
    table = [(str(n), *(cell(ctx, f, v, refs) for f, v in zip(fields, r[1:])))
             for n, r in enumerate(rows, 1)]
    texts = [[format_yuan(v) if f.kind == Kind.MONEY and v is not None else str(v or "")
              for v in col] for f, col in zip(fields, list(zip(*table))[1:])]
    ems = max(em(str(len(rows))), 2.0) + SLACK
    needs = [Need(Column("序号", ems, fit="line"), ems, ems)] + [need(f, t) for f, t in zip(fields, texts)]
    wide, size, columns = page_setup(needs)
    digest = content_hash([[r[0], *t[1:]] for r, t in zip(rows, table)])
    number = ctx.office_number(digest)
    blocks = [
        Title(f"{ctx.unit_name}{list_title(reg)}", subtitle=f"({chosen.text})" if chosen.text else ""),
        HeaderLine("填报单位(盖章):", "填表日期:    年    月    日", f"编号:{number}"),
        ListTable(columns, table, size=size, min_row=7 * mm, count_unit="条",
                  tail=[Signatures(["制表人:", "审核人:", "单位负责人:"])]),
    ]
    if asks_public(options):
        blocks.append(Notes([], title="", copies=PUBLIC_NOTE, size=10))
    return FormDoc(f"{ctx.unit_name}{list_title(reg)}", blocks, number,
                   build_payload("LIST", digest, digest), landscape=wide,
                   record_ids=tuple(r[0] for r in rows))


def list_form(reg) -> FormDef:
    from functools import partial

    title = list_title(reg)
    return FormDef(f"{reg.key}_list", title, reg.key, build=partial(build_list, reg),
                   options=register_options(reg.spec) + (PUBLIC_COPY,),
                   file_stem=lambda options: safe_stem(title, options.get("union") or ""),
                   number_kind=reg.spec.title[:2] + "名单")
