"""The example register's fields (the one definition every part of the kit reads) and its figures."""

from __future__ import annotations

from app.fields.spec import Field, Kind, Mask, RecordSpec
from app.kit.figures import Distinct, FigureDef, Sum
from tests.kit_example.model import KitExample

EXAMPLE = RecordSpec(
    key="kit_example",
    title="示例活动",
    model=KitExample,
    default_sort="held_on",
    unit_key="union_id",
    period_key="held_on",
    fields=(
        Field("held_on", "活动日期", Kind.DATE, required=True, filter=True, width=11),
        Field("union_id", "主办工会", Kind.REF, ref="unit", required=True, filter=True, width=24),
        Field("name", "活动名称", required=True, max_len=100, search=True, width=24),
        Field("kind", "形式", Kind.CODE, choices=(("talk", "讲座"), ("stand", "咨询台")),
              required=True, filter=True, width=8),
        Field("people", "参加人次", Kind.INT, min_value=0, max_value=100_000, width=8),
        Field("amount_fen", "经费(元)", Kind.MONEY, min_value=0, width=10),
        Field("contact_id_number", "联系人身份证号", Kind.ID_NUMBER, mask=Mask.ID, search=True,
              width=20, section="联系人"),
        Field("contact_phone", "联系电话", Kind.PHONE, mask=Mask.PHONE, width=14, section="联系人"),
        Field("member_id", "联系人(会员)", Kind.REF, ref="member", in_list=False, section="联系人"),
        Field("notes", "备注", Kind.TEXTAREA, max_len=500, in_list=False, section="备注"),
    ),
)

FIGURES = (
    FigureDef("example_events", "示例活动", "场", "kit_example"),
    FigureDef("example_talks", "其中讲座", "场", "kit_example", filters={"kind": "talk"}),
    FigureDef("example_people", "参加", "人次", "kit_example", Sum("people")),
    FigureDef("example_contacts", "联系人", "人", "kit_example", Distinct(("contact_id_number",))),
    FigureDef("example_amount", "经费", "万元", "kit_example", Sum("amount_fen", wan=True),
              note="合计 {yuan} 元"),
)
