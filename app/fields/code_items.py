"""Items of the code tables (the administrator's 代码表 page)."""

from __future__ import annotations

from app.fields.spec import Field, Kind, RecordSpec
from app.models import CodeItem

CODE_ITEM = RecordSpec(
    key="code_item",
    title="代码项",
    model=CodeItem,
    display_key="label",
    default_sort="sort_order",
    fields=(
        Field("table_key", "代码表", required=True, max_len=40, readonly=True, width=16),
        Field("code", "代码", required=True, max_len=20, search=True, width=10),
        Field("label", "名称", required=True, max_len=100, search=True, width=20),
        Field("sort_order", "排序号", Kind.INT, default=0, width=6),
        Field("active", "启用", Kind.BOOL, default=True, filter=True, width=6,
              help="停用的代码不再供新记录选择,已有记录不受影响"),
    ),
)

SPECS = (CODE_ITEM,)
