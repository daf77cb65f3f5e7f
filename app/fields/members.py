"""The union member register (会员实名制, F7 会员登记表)."""

from __future__ import annotations

from datetime import date

from app.fields.spec import PLAUSIBLE_DATES, Field, Kind, Mask, RecordSpec
from app.models import Member
from app.validation.names import person_name_problem

MOVED = "所属工会和会籍状态由会籍变动得出:请在会员的“会籍记录”中办理转出、转入、保留会籍或退会"

MEMBER = RecordSpec(
    key="member",
    title="会员",
    model=Member,
    fields=(
        Field("name", "姓名", required=True, max_len=50, search=True, width=10, check=person_name_problem),
        Field("id_number", "身份证号", Kind.ID_NUMBER, required=True, mask=Mask.ID, search=True,
              width=20, aliases=("身份证号码", "公民身份号码", "身份证"), help="18 位公民身份号码;15 位旧号码自动升级,港澳台居民居住证亦可"),
        Field("gender", "性别", Kind.CODE, code_table="gender", readonly=True, filter=True,
              width=5, help="由身份证号第 17 位得出"),
        Field("birth_date", "出生日期", Kind.DATE, readonly=True, mask=Mask.BIRTH, width=11,
              help="由身份证号第 7–14 位得出"),
        Field("ethnicity", "民族", Kind.CODE, code_table="ethnicity", default="01", width=8,
              in_list=False),
        Field("political_status", "政治面貌", Kind.CODE, code_table="political_status",
              filter=True, width=10, in_list=False),
        Field("education", "学历", Kind.CODE, code_table="education", width=10, in_list=False,
              aliases=("文化程度",)),
        Field("phone", "手机号码", Kind.PHONE, mask=Mask.PHONE, search=True, width=14,
              aliases=("联系电话", "手机号", "电话")),
        Field("union_id", "所属基层工会", Kind.REF, required=True, ref="unit",
              ref_filter={"kind": ("grassroots", "federation")}, filter=True, width=30,
              set_once=MOVED, aliases=("所属工会", "基层工会", "工会名称", "工作单位", "所在单位")),
        Field("department", "部门", max_len=100, width=12, in_list=False, section="工作信息"),
        Field("post", "岗位", max_len=50, width=10, in_list=False, section="工作信息",
              aliases=("职务", "岗位(职务)")),
        Field("joined_on", "入会日期", Kind.DATE, width=11, section="会籍", aliases=("入会时间",),
              date_range=(date(1925, 5, 1), PLAUSIBLE_DATES[1]),  # 中华全国总工会 founded 1925
              set_once="入会日期记在会籍记录的“入会”一条上,请在会籍记录中更正"),
        Field("card_no", "会员证号", max_len=30, digits=True, width=18, section="会籍",
              aliases=("会员证编号",)),
        Field("status", "会籍状态", Kind.CODE, code_table="member_status", required=True,
              default="1", filter=True, width=8, section="会籍", set_once=MOVED,
              help="新登记的会员为“正常”;此后由会籍变动(转出、保留会籍、退会……)得出"),
        Field("hukou_type", "户籍类型", Kind.CODE, code_table="hukou_type", width=8, in_list=False,
              section="会籍"),
        Field("is_migrant_worker", "农民工", Kind.BOOL, default=False, filter=True, width=6,
              aliases=("是否农民工",),
              section="会籍"),
        Field("is_model_worker", "劳模", Kind.BOOL, default=False, filter=True, width=6,
              in_list=False, section="会籍"),
        Field("notes", "备注", Kind.TEXTAREA, max_len=1000, in_list=False, section="备注", width=30),
    ),
    unit_key="union_id",
    period_key="joined_on",
)
