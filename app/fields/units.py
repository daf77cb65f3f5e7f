"""Union units: the installation's own federation and the tree of unions under it."""

from __future__ import annotations

from app.fields.spec import Field, Kind, Mask, RecordSpec
from app.models import Unit


def _check_division_code(code: str) -> str | None:
    if not code.isdigit() or len(code) not in (6, 9, 12):
        return "区划代码应为 6 位(县级)、9 位(乡镇街道)或 12 位(村居)数字"
    return None


UNIT = RecordSpec(
    key="unit",
    title="单位",
    model=Unit,
    fields=(
        Field("name", "单位名称", required=True, max_len=100, search=True, width=30),
        Field("kind", "单位类型", Kind.CODE, required=True, code_table="unit_kind", filter=True,
              width=12),
        Field("parent_id", "上级单位", Kind.REF, ref="unit", width=24,
              help="乡镇、街道和系统工会的上级是本级总工会;基层工会的上级是所属乡镇、街道或系统工会"),
        Field("code", "区划代码", max_len=12, check=_check_division_code, digits=True, width=12,
              help="县级 6 位 GB/T 2260 代码;乡镇街道 9 位统计用区划代码"),
        Field("union_uscc", "工会统一社会信用代码", Kind.USCC, width=20, in_list=False,
              section="组织信息"),
        Field("enterprise_name", "所在企业(单位)", max_len=100, search=True, width=30,
              section="组织信息"),
        Field("enterprise_uscc", "企业统一社会信用代码", Kind.USCC, width=20, in_list=False,
              section="组织信息"),
        Field("unit_nature", "单位性质", Kind.CODE, code_table="unit_nature", filter=True,
              in_list=False, section="组织信息"),
        Field("industry", "所属行业", Kind.CODE, code_table="industry", filter=True, in_list=False,
              section="组织信息", width=20),
        Field("address", "地址", max_len=200, in_list=False, section="组织信息", width=30),
        Field("worker_count", "职工人数", Kind.INT, min_value=0, max_value=1_000_000,
              section="人数", width=8),
        Field("female_worker_count", "女职工人数", Kind.INT, min_value=0, max_value=1_000_000,
              section="人数", in_list=False, width=8),
        Field("migrant_worker_count", "农民工人数", Kind.INT, min_value=0, max_value=1_000_000,
              section="人数", in_list=False, width=8),
        Field("reported_member_count", "会员人数(上报)", Kind.INT, min_value=0,
              max_value=1_000_000, section="人数", width=8,
              help="基层工会上报的会员数;会员名册中实际登记的人数另行统计"),
        Field("chair_name", "工会主席", max_len=50, search=True, section="负责人", width=10),
        Field("chair_phone", "主席电话", Kind.PHONE, mask=Mask.PHONE, section="负责人", width=14),
        Field("founded_on", "成立日期", Kind.DATE, section="组织信息", in_list=False, width=11),
        Field("active", "有效", Kind.BOOL, default=True, filter=True, width=6,
              help="撤销或合并的工会设为无效,历史记录保留"),
        Field("sort_order", "排序号", Kind.INT, default=0, in_list=False, width=6),
        Field("notes", "备注", Kind.TEXTAREA, max_len=1000, in_list=False, section="备注", width=30),
    ),
    default_sort="sort_order",
    unit_key="parent_id",
    period_key="founded_on",
)
