"""权益保障与法律援助 registers (records-and-forms.md §A.5, F6): 普法活动台账, 法律咨询登记,
劳动安全监督检查, 合作律所, 值班律师 and the 值班排班, 工会法律援助申请与案件台账. The tickets are
``app.fields.rights_tickets``."""

from __future__ import annotations

import re

from app.fields.spec import Field, Kind, Mask, RecordSpec
from app.models.rights import AidCase, DutySlot, LawFirm, Lawyer, RightsConsultation, RightsEvent, RightsInspection
from app.validation.names import person_name_problem

_HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def check_time(value: str) -> str | None:
    """A clock time as 09:30 (签到 / 来访时间)."""
    return None if _HHMM.fullmatch(value) else "应为时:分,如 09:30"


def _licence(value: str) -> str | None:
    return None if value.isdigit() and len(value) == 17 else "律师执业证号应为 17 位数字"


EVENT = RecordSpec(
    key="rights_event",
    title="普法活动",
    model=RightsEvent,
    display_key="theme",
    default_sort="held_on",
    fields=(
        Field("held_on", "活动日期", Kind.DATE, required=True, filter=True, width=11),
        Field("theme", "活动主题", required=True, max_len=200, search=True, width=30),
        Field("form", "活动形式", Kind.CODE, code_table="rights_event_form", required=True,
              filter=True, width=10),
        Field("place", "地点(企业)", required=True, max_len=100, search=True, width=24),
        Field("union_id", "所在工会", Kind.REF, ref="unit", filter=True, width=20,
              help="送法进企业时选企业工会,便于按乡镇统计"),
        Field("speaker", "主讲人", max_len=100, width=10),
        Field("audience", "参与人数(人次)", Kind.INT, default=0, min_value=0, max_value=100_000,
              width=8),
        Field("consulted", "现场咨询(人次)", Kind.INT, default=0, min_value=0, max_value=100_000,
              width=8, help="活动现场提供法律咨询的人次"),
        Field("materials", "发放资料(份)", Kind.INT, default=0, min_value=0, max_value=1_000_000,
              width=8),
        Field("note", "活动情况", Kind.TEXTAREA, max_len=2000, in_list=False),
    ),
    unit_key="union_id",
    period_key="held_on",
)

ANSWERER_CHOICES = (("staff", "工作人员"), ("lawyer", "值班律师"))

CONSULTATION = RecordSpec(
    key="rights_consultation",
    list_lead=("person_name",),  # the list shows the person first
    title="法律咨询",
    model=RightsConsultation,
    display_key="person_name",
    default_sort="consulted_on",
    fields=(
        Field("consulted_on", "咨询日期", Kind.DATE, required=True, filter=True, width=11),
        Field("channel", "咨询方式", Kind.CODE, code_table="rights_consult_channel", required=True,
              filter=True, width=6),
        Field("member_id", "会员", Kind.REF, ref="member", in_list=False,
              help="咨询人是会员时选择,姓名、身份证号和电话随之填入"),
        Field("person_name", "咨询人", required=True, max_len=50, search=True, width=8),
        Field("id_number", "身份证号", Kind.ID_NUMBER, mask=Mask.ID, search=True, width=20,
              help="有身份证号时按人去重统计“为多少名职工提供法律咨询”"),
        Field("phone", "联系电话", Kind.PHONE, mask=Mask.PHONE, search=True, width=14),
        Field("employer", "工作单位", max_len=100, width=20),
        Field("union_id", "所属工会", Kind.REF, ref="unit", in_list=False),
        Field("problem", "问题类别", Kind.CODE, code_table="rights_problem", required=True,
              filter=True, width=10),
        Field("summary", "咨询摘要", Kind.TEXTAREA, required=True, max_len=2000, width=30),
        Field("answer", "答复意见", Kind.TEXTAREA, max_len=2000, in_list=False),
        Field("answerer_kind", "答复人类别", Kind.CODE, choices=ANSWERER_CHOICES, required=True,
              default="staff", filter=True, width=8),
        Field("answerer_name", "答复人", required=True, max_len=50, width=8),
        Field("lawyer_id", "值班律师", Kind.REF, ref="rights_lawyer", in_list=False,
              help="由值班律师答复时选择"),
        Field("referred", "转法律援助", Kind.BOOL, default=False, filter=True, width=6),
    ),
    unit_key="union_id",
    period_key="consulted_on",
)

INSPECTION = RecordSpec(
    key="rights_inspection",
    title="劳动安全监督检查",
    model=RightsInspection,
    display_key="enterprise",
    default_sort="inspected_on",
    fields=(
        Field("inspected_on", "检查日期", Kind.DATE, required=True, filter=True, width=11),
        Field("enterprise", "被检查企业", required=True, max_len=100, search=True, width=24),
        Field("enterprise_uscc", "统一社会信用代码", Kind.USCC, width=20),
        Field("union_id", "企业工会", Kind.REF, ref="unit", filter=True, in_list=False),
        Field("inspectors", "检查人员", required=True, max_len=200, width=16),
        Field("hazard_count", "发现隐患(处)", Kind.INT, default=0, min_value=0, max_value=999,
              width=6),
        Field("hazards", "隐患情况", Kind.TEXTAREA, max_len=2000, in_list=False),
        Field("demands", "整改意见", Kind.TEXTAREA, max_len=2000, in_list=False),
        Field("deadline", "整改期限", Kind.DATE, not_before="inspected_on", filter=True, width=11),
        Field("recheck_on", "复查日期", Kind.DATE, not_before="inspected_on", width=11),
        Field("recheck_result", "复查结果", Kind.CODE, code_table="rights_recheck", filter=True,
              width=8),
        Field("note", "备注", Kind.TEXTAREA, max_len=1000, in_list=False),
    ),
    unit_key="union_id",
    period_key="inspected_on",
)

FIRM = RecordSpec(
    key="rights_firm",
    title="合作律所",
    model=LawFirm,
    default_sort="name",
    fields=(
        Field("name", "律所名称", required=True, max_len=100, search=True, width=24),
        Field("uscc", "统一社会信用代码", Kind.USCC, width=20),
        Field("head", "负责人", max_len=50, width=8),
        Field("phone", "联系电话", Kind.PHONE, width=14),
        Field("address", "地址", max_len=200, in_list=False),
        Field("agreement_from", "协议起始日期", Kind.DATE, width=11),
        Field("agreement_to", "协议截止日期", Kind.DATE, not_before="agreement_from", filter=True,
              width=11),
        Field("fee_fen", "年度费用(元)", Kind.MONEY, min_value=0, width=10),
        Field("fee_note", "费用说明", max_len=200, in_list=False),
        Field("active", "合作中", Kind.BOOL, default=True, filter=True, width=6),
    ),
    period_key="agreement_from",
)

LAWYER = RecordSpec(
    key="rights_lawyer",
    title="值班律师",
    model=Lawyer,
    default_sort="name",
    fields=(
        Field("name", "律师姓名", required=True, max_len=50, search=True, width=8, check=person_name_problem),
        Field("firm_id", "所在律所", Kind.REF, ref="rights_firm", required=True, filter=True,
              width=24),
        Field("licence_no", "执业证号", required=True, max_len=17, digits=True, check=_licence,
              search=True, width=18),
        Field("phone", "联系电话", Kind.PHONE, width=14),
        Field("specialty", "擅长领域", max_len=100, width=16),
        Field("active", "在册", Kind.BOOL, default=True, filter=True, width=6),
    ),
)

HALF_CHOICES = (("am", "上午"), ("pm", "下午"))

DUTY = RecordSpec(
    key="rights_duty",
    title="律师值班",
    model=DutySlot,
    display_key="duty_on",
    default_sort="duty_on",
    fields=(
        Field("duty_on", "值班日期", Kind.DATE, required=True, filter=True, width=11),
        Field("half", "时段", Kind.CODE, choices=HALF_CHOICES, required=True, filter=True, width=5),
        Field("lawyer_id", "值班律师", Kind.REF, ref="rights_lawyer", required=True, filter=True,
              width=8),
        Field("firm_id", "律所", Kind.REF, ref="rights_firm", readonly=True, width=20,
              help="随值班律师填入"),
        Field("licence_no", "执业证号", readonly=True, width=18, help="随值班律师填入"),
        Field("phone", "联系电话", Kind.PHONE, width=14, help="空着取律师登记的电话"),
        Field("place", "值班地点", max_len=100, width=14),
        Field("signed_in", "签到时间", max_len=5, check=check_time, width=6),
        Field("signed_out", "签退时间", max_len=5, check=check_time, width=6),
        Field("received", "接待人数", Kind.INT, default=0, min_value=0, max_value=999, width=6),
        Field("note", "值班记录", Kind.TEXTAREA, max_len=1000, in_list=False),
    ),
    period_key="duty_on",
)

MODE_CHOICES = (("written", "书面申请"), ("verbal", "口头申请"))
REVIEW_CHOICES = (("granted", "准予援助"), ("refused", "不予援助"))
ELIGIBILITY_CHOICES = (("eligible", "符合经济困难标准"), ("exempt", "免予经济困难审查"),
                       ("over", "超过经济困难标准"), ("unknown", "收入情况不全"))
A, O, C, R = "申请人", "对方当事人", "案件情况", "审查与办理"

AID_CASE = RecordSpec(
    key="rights_aid_case",
    list_lead=("applicant_name",),  # the list shows the person first
    title="法律援助案件",
    model=AidCase,
    display_key="applicant_name",
    default_sort="applied_on",
    fields=(
        Field("case_no", "受理号", readonly=True, search=True, width=18,
              help="登记时按“本单位区划代码-法援-年度-4位序号”编号"),
        Field("applied_on", "申请日期", Kind.DATE, required=True, filter=True, width=11),
        Field("mode", "申请方式", Kind.CODE, choices=MODE_CHOICES, required=True, default="written",
              filter=True, width=8),
        Field("verbal_signed", "口头申请笔录已经申请人签字", Kind.BOOL, default=False, in_list=False,
              help="口头申请须当场记录,并由申请人签字或按手印"),
        Field("applicant_name", "申请人", required=True, max_len=50, search=True, width=8, section=A),
        Field("gender", "性别", Kind.CODE, code_table="gender", readonly=True, width=4, section=A,
              help="由身份证号得出"),
        Field("birth_date", "出生日期", Kind.DATE, readonly=True, in_list=False, section=A,
              help="由身份证号得出"),
        Field("ethnicity", "民族", Kind.CODE, code_table="ethnicity", in_list=False, section=A),
        Field("id_number", "身份证号", Kind.ID_NUMBER, required=True, mask=Mask.ID, search=True,
              width=20, section=A),
        Field("hukou", "户籍所在地", max_len=100, in_list=False, section=A),
        Field("address", "住址", max_len=200, in_list=False, section=A),
        Field("phone", "联系电话", Kind.PHONE, mask=Mask.PHONE, in_list=False, section=A),
        Field("employer", "工作单位", max_len=100, width=20, section=A),
        Field("union_id", "所属工会", Kind.REF, ref="unit", filter=True, in_list=False, section=A),
        Field("is_member", "工会会员", Kind.BOOL, default=False, in_list=False, section=A),
        Field("is_migrant", "农民工", Kind.BOOL, default=False, filter=True, width=6, section=A),
        Field("monthly_income_fen", "本人月收入", Kind.MONEY, min_value=0, in_list=False, section=A),
        Field("household_size", "家庭人口", Kind.INT, min_value=1, max_value=30, in_list=False,
              section=A),
        Field("household_income_fen", "家庭月收入", Kind.MONEY, min_value=0, in_list=False,
              section=A),
        Field("per_capita_fen", "家庭月人均收入", Kind.MONEY, readonly=True, in_list=False,
              section=A, help="家庭月收入 ÷ 家庭人口,四舍五入到分"),
        Field("agent_name", "代理人", max_len=50, in_list=False, section=A),
        Field("agent_relation", "与申请人关系", max_len=20, in_list=False, section=A),
        Field("agent_phone", "代理人电话", Kind.PHONE, mask=Mask.PHONE, in_list=False, section=A),
        Field("opponent_name", "对方单位(当事人)", required=True, max_len=100, search=True, width=20,
              section=O),
        Field("opponent_uscc", "统一社会信用代码", Kind.USCC, in_list=False, section=O),
        Field("opponent_address", "对方地址", max_len=200, in_list=False, section=O),
        Field("opponent_rep", "法定代表人", max_len=50, in_list=False, section=O),
        Field("opponent_phone", "对方电话", Kind.PHONE, in_list=False, section=O),
        Field("cause", "案由", Kind.CODE, code_table="rights_problem", required=True, filter=True,
              width=10, section=C),
        Field("amount_fen", "涉案金额", Kind.MONEY, min_value=0, width=10, section=C),
        Field("matters", "申请事项", Kind.CODES, code_table="rights_aid_form", required=True,
              in_list=False, section=C),
        Field("facts", "案情与理由", Kind.TEXTAREA, required=True, max_len=4000, in_list=False,
              section=C),
        Field("evidence", "证据清单", Kind.TEXTAREA, max_len=2000, in_list=False, section=C),
        Field("ticket_id", "来源工单", Kind.REF, ref="rights_ticket", in_list=False, section=C),
        Field("eligibility", "经济困难审查", Kind.CODE, choices=ELIGIBILITY_CHOICES, readonly=True,
              filter=True, width=12, section=R),
        Field("eligibility_text", "审查依据", Kind.TEXTAREA, readonly=True, in_list=False, section=R),
        Field("review_result", "审查意见", Kind.CODE, choices=REVIEW_CHOICES, filter=True, width=8,
              section=R),
        Field("review_opinion", "审查理由", Kind.TEXTAREA, max_len=1000, in_list=False, section=R),
        Field("reviewed_on", "审查日期", Kind.DATE, not_before="applied_on", in_list=False,
              section=R),
        Field("reviewer", "审批人", max_len=50, in_list=False, section=R),
        Field("aid_form", "援助形式", Kind.CODE, code_table="rights_aid_form", filter=True, width=8,
              section=R),
        Field("firm_id", "承办律所", Kind.REF, ref="rights_firm", in_list=False, section=R),
        Field("lawyer_id", "承办律师", Kind.REF, ref="rights_lawyer", width=8, section=R),
        Field("assigned_on", "指派日期", Kind.DATE, not_before="applied_on", in_list=False,
              section=R),
        Field("stage", "办理阶段", Kind.CODE, code_table="rights_aid_stage", required=True,
              default="applied", filter=True, width=8, section=R),
        Field("closed_on", "结案日期", Kind.DATE, not_before="applied_on", filter=True, width=11,
              section=R),
        Field("outcome", "结案方式", Kind.CODE, code_table="rights_aid_outcome", filter=True,
              width=10, section=R),
        Field("recovered_fen", "挽回金额", Kind.MONEY, default=0, min_value=0, width=10, section=R),
        Field("note", "备注", Kind.TEXTAREA, max_len=1000, in_list=False, section=R),
    ),
    unit_key="union_id",
    period_key="applied_on",
)
