"""F8 基层工会成立登记表: one founding on one A4 page — the enterprise, the 建会 chain's dates and
文号, the committees elected, the legal-person registration — with the opinions of the union
above and of the county, and the 信息采集员's signature (records-and-forms.md §A.7, F8)."""

from __future__ import annotations

from reportlab.lib.units import mm
from sqlalchemy import select

from app.fields.organisation import FOUNDING
from app.models import Unit
from app.models.organisation import UnionFounding
from app.printing.blocks import HeaderLine, Notes, Signatures, Title
from app.printing.document import FormDoc
from app.printing.forms.common import batch_stem, qr_of
from app.printing.grid import Grid, Label, Opinion, Value
from app.printing.registry import FormDef

TITLE = "基层工会成立登记表"
WEIGHTS = [1.25, 1.3, 1.1, 1.2, 1.1, 1.3]
NOTES = [
    "本表由基层工会填写,信息采集员核实后签字,加盖工会公章,连同建会请示、批复、会员大会选举结果报告报上级工会。",
    "统一社会信用代码为 18 位;工会法人的代码以“81”开头。日期按“2020年7月10日”的格式填写。",
    "工会委员会、经费审查委员会、女职工委员会委员按姓氏笔画为序填写。",
]


def build(ctx, item) -> FormDoc:
    f, union, parent = item
    from app.services.organisation.founding import congress_data

    c = congress_data(ctx.session, f.id)
    field = FOUNDING.field

    def shown(key):
        return ctx.shown(field(key), getattr(f, key))

    def cn(d):
        return ctx.shown(field("applied_on"), d)

    count = f"应到 {c['eligible']} 人,实到 {c['present']} 人" if c else ""
    rows = [
        [Label("工会名称"), Value(f.union_name, span=5)],
        [Label("单位名称"), Value(f.enterprise_name, span=3), Label("统一社会信用代码"),
         Value(shown("enterprise_uscc"))],
        [Label("单位性质"), Value(shown("unit_nature")), Label("所属行业"), Value(shown("industry")),
         Label("上级工会"), Value(parent.name if parent else "")],
        [Label("单位地址"), Value(f.address or "", span=5)],
        [Label("职工人数"), Value(str(f.worker_count)), Label("女职工人数"),
         Value(shown("female_worker_count")), Label("农民工人数"), Value(shown("migrant_worker_count"))],
        [Label("会员人数"), Value(shown("recruited_count")), Label("成立日期"), Value(cn(f.founded_on)),
         Label("工会主席"), Value(c.get("chair_name", "") if c else (union.chair_name if union else ""))],
        [Label("建会请示日期"), Value(cn(f.applied_on)), Label("批复文号"), Value(f.approval_no or ""),
         Label("批复日期"), Value(cn(f.approved_on))],
        [Label("筹备组"), Value(f.prep_members or "", span=5)],
        [Label("会员大会日期"), Value(cn(f.congress_on)), Label("到会情况"), Value(count, span=3)],
        [Label("候选人预备人选上级同意"), Value(c.get("candidates_agreed_no", "") if c else "", span=5)],
        [Label("工会委员会委员"), Value(c.get("committee", "") if c else "", span=5)],
        [Label("经费审查委员会委员"), Value(c.get("audit_committee", "") if c else "", span=5)],
        [Label("女职工委员会委员"), Value(f.women_committee or "", span=5)],
        [Label("选举结果批复文号"), Value(f.results_no or "", span=2), Label("任期"),
         Value(f"{c['term_years']}年" if c else "", span=2)],
        [Label("工会统一社会信用代码"), Value(shown("legal_uscc"), span=2), Label("法人资格证书编号"),
         Value(f.legal_cert_no or "", span=2)],
        [Opinion("上级工会审核意见:", span=3), Opinion("县总工会意见:", span=3)],  # stamp room: the grid's
    ]
    number = ctx.office_number(f.id)
    blocks = [
        Title(TITLE),
        HeaderLine("填报单位(盖章):", "填表日期:    年    月    日", f"编号:{number}"),
        Grid(WEIGHTS, rows, size=10.5, min_row=7 * mm),  # one page with the opinions' stamp room
        Signatures(["信息采集员:", "工会主席:", "填表人:"], size=10.5, height=9 * mm),
        Notes(NOTES, copies="本表一式三份,基层工会、上级工会和县总工会各存一份。", size=9),
    ]
    return FormDoc(TITLE, blocks, number, qr_of(FOUNDING, f), record_ids=(f.id,))


def load(session, ids: list[str]) -> list[tuple]:
    founded = {f.id: f for f in session.scalars(select(UnionFounding).where(
        UnionFounding.id.in_(ids), UnionFounding.deleted.is_(False)))}
    out = []
    for i in ids:
        if i in founded:
            f = founded[i]
            out.append((f, session.get(Unit, f.union_id) if f.union_id else None,
                        session.get(Unit, f.parent_id)))
    return out


FORMS = (FormDef("founding_form", TITLE, "union_founding", build=build, load=load,
                 file_stem=batch_stem(TITLE, lambda item: item[0].union_name), number_kind="建会"),)
