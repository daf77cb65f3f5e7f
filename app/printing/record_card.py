"""The record card of any register (``<key>_card``), made from its declaration: the spec's sections as
titled bands of a bordered grid — two label/value pairs a row, long text across the row — then the
opinion cells the register's ``Card`` declares (签字, 盖章, 年月日), or signature lines when it
declares none; 编号 and QR as on the hand-laid forms, so ``match_paper`` finds the record again.

A card prints one record on A4 portrait (two pages when the spec is long); several ids, or the
batch a filter chooses (the register's standard options), print one card each into one PDF.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from app.fields.spec import Field, Kind, RecordSpec
from app.printing.blocks import HeaderLine, Notes, Paragraph, Signatures, Title
from app.printing.document import FormDoc
from app.printing.forms.common import batch_stem, field_rows, initials, qr_of, register_options
from app.printing.grid import Cell, Grid, Label, Opinion
from app.printing.registry import FormDef
from app.validation import format_yuan

WEIGHTS = [1.0, 1.65, 1.0, 1.65]  # label, value, label, value
LONG_WIDTH = 24  # a text or reference this wide in a list (名称, 所属工会) takes a whole row
TEXT_HEIGHT = 16 * mm  # room for a long text (备注, 情况记录), written by hand when it is blank
REQUIRED_NOTE = "注:打*号的项目为必填项目。"


def card_title(reg) -> str:
    return reg.card.title or f"{reg.spec.title}登记表"


def is_long(f: Field) -> bool:
    return f.kind in (Kind.TEXTAREA, Kind.CODES) or (
        f.kind in (Kind.TEXT, Kind.REF) and f.width >= LONG_WIDTH)


def layout(spec: RecordSpec) -> tuple:
    """The card's grid as a layout of field keys (``forms.common.field_rows``): per section a band
    (unless its one field says the same, 备注), then the fields two to a row in declared order, a
    long one alone across the row, running text (情况记录) last."""
    sections: dict[str, list[Field]] = {}
    for f in spec.fields:
        sections.setdefault(f.section, []).append(f)
    rows: list[tuple] = []
    for title, fields in sections.items():
        if [f.label for f in fields] != [title]:
            rows.append((Label(title, span=4),))
        pending: list[str] = []
        for f in fields:
            if f.kind == Kind.TEXTAREA:
                continue
            if is_long(f):
                rows.append(((f.key, 3),))
                continue
            pending.append(f.key)
            if len(pending) == 2:
                rows.append(tuple(pending))
                pending = []
        if pending:
            rows.append(((pending[0], 3),))
        rows += [((f.key, 3),) for f in fields if f.kind == Kind.TEXTAREA]
    return tuple(rows)


def shown_values(spec: RecordSpec, record, names: dict[str, str]) -> dict[str, str]:
    """What ``PrintContext.shown`` cannot say alone: a reference as the record's name (``names``,
    read for the whole batch by ``load``), an amount with its unit."""
    out = dict(names)
    for f in spec.fields:
        value = getattr(record, f.key, None)
        if f.kind == Kind.MONEY and value is not None and "元" not in f.label:
            out[f.key] = f"{format_yuan(value)}元"
    return out


def opinion_rows(opinions: tuple[str, ...]) -> list[list[Cell]]:
    """Two opinion cells a row (each wide enough for a 4 cm stamp), the last alone across."""
    cells = [Opinion(f"{text}:", span=2) for text in opinions]
    rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    if rows and len(rows[-1]) == 1:
        rows[-1][0].span = 4
    return rows


def number_of(reg, ctx, record) -> str:
    """The register's own number when it keeps one (issued in the office format at registration),
    else the card's office number, given when it is first printed."""
    own = getattr(record, reg.number.key, None) if reg.number else None
    return own or ctx.office_number(record.id)


def build_card(reg, ctx, item) -> FormDoc:
    record, names = item
    spec = reg.spec
    grid = layout(spec)
    rows = field_rows(ctx, spec, record, grid, shown_values(spec, record, names))
    for items, row in zip(grid, rows):  # field_rows gives one grid row per layout row
        if isinstance(items[0], tuple) and spec.field(items[0][0]).kind == Kind.TEXTAREA:
            row[1].min_height = TEXT_HEIGHT
    rows += opinion_rows(reg.card.opinions)
    title, number = card_title(reg), number_of(reg, ctx, record)
    blocks = [Title(title),
              HeaderLine("填报单位(盖章):", "填表日期:    年    月    日", f"编号:{number}"),
              Grid(WEIGHTS, rows, min_row=9 * mm)]
    if reg.card.status is not None and (status := reg.card.status(ctx.session, record)):
        blocks.insert(2, Paragraph(status, size=12, indent=0))
    if not reg.card.opinions:
        blocks.append(Signatures(["填表人:", "审核人:", "负责人:"]))
    notes = list(reg.card.notes)
    required = REQUIRED_NOTE if any(f.required for f in spec.fields) else ""
    if notes or required:
        blocks.append(Notes(notes, copies=required))
    return FormDoc(title, blocks, number, qr_of(spec, record), record_ids=(record.id,))


def _live(model) -> list:
    return [model.deleted.is_(False)] if hasattr(model, "deleted") else []


def load(spec: RecordSpec, session, ids: list[str]) -> list[tuple]:
    """(record, {reference field: the referenced record's name}) in the order of ``ids``; the
    names of the whole batch in one query per reference field."""
    from sqlalchemy import select

    from app.services.listing import ref_labels

    model = spec.model
    found = {r.id: r for r in session.scalars(select(model).where(model.id.in_(ids), *_live(model)))}
    records = [found[i] for i in ids if i in found]
    refs = [f for f in spec.fields if f.kind == Kind.REF and f.ref]
    names = {f.key: ref_labels(session, f.ref, {getattr(r, f.key) for r in records} - {None})
             for f in refs}
    return [(r, {f.key: names[f.key].get(getattr(r, f.key), "") for f in refs}) for r in records]


def lookup(reg, session, text: str) -> list[str]:
    """Records a typed key names: what ``records.find_ids`` finds (id, name, ID number, the
    register's own lookup), or the 编号 printed on a card of a record without a number."""
    from sqlalchemy import select

    from app.services.records import find_ids

    text = text.strip()
    found = find_ids(session, reg, text)
    prefix = initials(reg.spec.title)
    if found or not text.upper().startswith(prefix) or len(text) != len(prefix) + 10:
        return found
    digits = text[len(prefix):].lower()
    model = reg.spec.model
    return list(session.scalars(select(model.id).where(
        model.id.like(f"{digits[:8]}-{digits[8:]}%"), *_live(model))))


def select_ids(reg, session, options: dict) -> list[str]:
    """The ids of the batch the register's standard options choose, in the list's order."""
    from app.kit.options import selection
    from app.services.listing import rows_select

    query = selection(session, reg.key, options).query
    return list(session.scalars(rows_select(session, query, [reg.spec.model.id])))


def card_form(reg) -> FormDef:
    from functools import partial

    title = card_title(reg)
    return FormDef(f"{reg.key}_card", title, reg.key, build=partial(build_card, reg),
                   load=partial(load, reg.spec), lookup=partial(lookup, reg),
                   select=partial(select_ids, reg), options=register_options(reg.spec),
                   file_stem=batch_stem(title, lambda item: reg.spec.describe(item[0])),
                   number_kind=reg.spec.title[:4])
