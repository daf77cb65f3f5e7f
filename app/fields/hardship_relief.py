"""Help given to households: relief ledger, 送温暖 campaigns and visits, 金秋助学, help plans."""

from __future__ import annotations

from app.fields.spec import Field, Kind, Mask, RecordSpec
from app.models import Campaign, HelpPlan, HelpPlanNote, ReliefEntry, StudyAid, Visit
from app.validation.names import person_name_problem

LEDGER = RecordSpec(
    key="relief_entry",
    list_lead=("recipient_name",),  # the list shows the person first
    title="救助发放",
    model=ReliefEntry,
    display_key="recipient_name",
    default_sort="paid_on",
    fields=(
        Field("paid_on", "发放日期", Kind.DATE, required=True, filter=True, width=11),
        Field("kind", "帮扶类型", Kind.CODE, code_table="relief_kind", required=True, filter=True,
              width=10),
        Field("recipient_kind", "对象类别", Kind.CODE, code_table="visit_target", required=True,
              default="worker", filter=True, width=8),
        Field("archive_id", "困难职工档案", Kind.REF, ref="hardship_archive", width=16,
              help="困难职工家庭须先建档(意外救助可先救助,须写明理由)"),
        Field("recipient_name", "领取人(户主)", required=True, max_len=100, search=True, width=10),
        Field("recipient_id_number", "身份证号", Kind.ID_NUMBER, mask=Mask.ID, search=True, width=20),
        Field("unit_id", "所属工会", Kind.REF, ref="unit", filter=True, width=24),
        Field("campaign_id", "慰问活动", Kind.REF, ref="hardship_campaign", filter=True, width=20),
        Field("visit_id", "走访记录", Kind.REF, ref="hardship_visit", in_list=False),
        Field("aid_id", "助学申请", Kind.REF, ref="hardship_study_aid", in_list=False),
        Field("cash_fen", "现金(元)", Kind.MONEY, default=0, width=10),
        Field("goods_kind", "物品", Kind.CODE, code_table="goods_kind", width=8),
        Field("goods_unit", "单位", Kind.CODE, code_table="goods_unit", width=5),
        Field("goods_qty", "数量", Kind.INT, default=0, min_value=0, max_value=1_000_000, width=6),
        Field("goods_value_fen", "物品折价(元)", Kind.MONEY, default=0, width=10),
        Field("fund_source", "资金来源", Kind.CODE, code_table="fund_source", required=True,
              filter=True, width=8),
        Field("batch", "批次", max_len=100, filter=True, width=16),
        Field("paid_by", "经办人", required=True, max_len=50, width=8),
        Field("signed_by", "签收人", max_len=50, width=8, help="本人签收填本人;代领填代领人姓名"),
        Field("proxy_relation", "代领人与户主关系", max_len=20, in_list=False, width=8),
        Field("reason", "救助事由", Kind.TEXTAREA, max_len=1000, in_list=False, width=30,
              help="意外救助(未建档)和冲正必须填写"),
        Field("reverses_id", "冲正的原记录", Kind.REF, ref="relief_entry", readonly=True,
              in_list=False),
        Field("note", "备注", Kind.TEXTAREA, max_len=500, in_list=False, width=20),
    ),
    unit_key="unit_id",
    period_key="paid_on",
)

CAMPAIGN = RecordSpec(
    key="hardship_campaign",
    title="慰问活动",
    model=Campaign,
    default_sort="starts_on",
    fields=(
        Field("name", "活动名称", required=True, max_len=100, search=True, width=30),
        Field("kind", "活动类型", Kind.CODE, code_table="campaign_kind", required=True, filter=True,
              width=12),
        Field("year", "年度", Kind.YEAR, required=True, min_value=2000, max_value=2100, filter=True,
              width=6),
        Field("starts_on", "开始日期", Kind.DATE, width=11),
        Field("ends_on", "结束日期", Kind.DATE, not_before="starts_on", width=11),
        Field("notes", "说明", Kind.TEXTAREA, max_len=1000, in_list=False),
    ),
    period_key="starts_on",
)

VISIT = RecordSpec(
    key="hardship_visit",
    list_lead=("target_name",),  # the list shows the person first
    title="走访慰问",
    model=Visit,
    display_key="target_name",
    default_sort="visited_on",
    fields=(
        Field("campaign_id", "慰问活动", Kind.REF, ref="hardship_campaign", filter=True, width=20),
        Field("visited_on", "走访日期", Kind.DATE, required=True, filter=True, width=11),
        Field("leader_name", "慰问领导", required=True, max_len=50, search=True, width=8),
        Field("leader_title", "领导职务", max_len=100, width=16),
        Field("leader_level", "领导级别", Kind.CODE, code_table="leader_level", required=True,
              filter=True, width=8),
        Field("target_kind", "慰问对象类别", Kind.CODE, code_table="visit_target", required=True,
              filter=True, width=8),
        Field("archive_id", "困难职工档案", Kind.REF, ref="hardship_archive", width=16),
        Field("unit_id", "所属工会(企业)", Kind.REF, ref="unit", width=24),
        Field("target_name", "慰问对象", required=True, max_len=100, search=True, width=16),
        Field("target_id_number", "身份证号", Kind.ID_NUMBER, mask=Mask.ID, width=20),
        Field("notes", "情况记录", Kind.TEXTAREA, max_len=1000, in_list=False),
    ),
    unit_key="unit_id",
    period_key="visited_on",
)

AID_STATUS_CHOICES = (("applied", "已申请"), ("approved", "已批准"), ("rejected", "未批准"),
                      ("paid", "已发放"))

STUDY_AID = RecordSpec(
    key="hardship_study_aid",
    list_lead=("student_name",),  # the list shows the person first
    title="金秋助学",
    model=StudyAid,
    display_key="student_name",
    default_sort="student_name",
    fields=(
        Field("year", "年度", Kind.YEAR, required=True, min_value=2000, max_value=2100, filter=True,
              width=6),
        Field("status", "状态", Kind.CODE, choices=AID_STATUS_CHOICES, readonly=True, filter=True,
              width=8),
        Field("student_name", "学生姓名", required=True, max_len=50, search=True, width=8, check=person_name_problem,
              section="学生"),
        Field("student_id_number", "学生身份证号", Kind.ID_NUMBER, required=True, mask=Mask.ID,
              search=True, width=20, section="学生"),
        Field("student_gender", "性别", Kind.CODE, code_table="gender", readonly=True, width=4,
              section="学生"),
        Field("exam_no", "考生号", max_len=20, digits=True, width=14, section="学生"),
        Field("school", "录取院校", required=True, max_len=100, width=20, section="学生"),
        Field("major", "专业", max_len=100, width=14, section="学生"),
        Field("level", "层次", Kind.CODE, code_table="study_level", required=True, filter=True,
              width=8, section="学生"),
        Field("study_years", "学制(年)", Kind.INT, min_value=1, max_value=8, width=4, section="学生"),
        Field("tuition_fen", "学费标准(元/年)", Kind.MONEY, width=10, section="学生"),
        Field("archive_id", "家长困难职工档案", Kind.REF, ref="hardship_archive", width=16,
              section="家长", help="档案是家长(建档职工)的,不是学生的"),
        Field("parent_name", "家长姓名", required=True, max_len=50, search=True, width=8, check=person_name_problem,
              section="家长"),
        Field("parent_id_number", "家长身份证号", Kind.ID_NUMBER, required=True, mask=Mask.ID,
              width=20, section="家长"),
        Field("parent_unit", "家长工作单位", max_len=100, in_list=False, section="家长"),
        Field("union_id", "所属工会", Kind.REF, ref="unit", filter=True, in_list=False, section="家长"),
        Field("hardship_cause", "致困原因(非建档)", max_len=200, in_list=False, section="家长"),
        Field("other_aid", "已获其他资助", Kind.BOOL, default=False, width=6, section="其他"),
        Field("other_aid_text", "其他资助情况", max_len=200, in_list=False, section="其他"),
        Field("exclusions", "排除情形", Kind.CODES, code_table="study_exclusion", in_list=False,
              section="其他"),
        Field("requested_fen", "申请金额", Kind.MONEY, width=10, section="其他"),
        Field("standard_fen", "当年标准", Kind.MONEY, readonly=True, width=10, section="其他"),
        Field("granted_fen", "批准金额", Kind.MONEY, readonly=True, width=10, section="其他"),
        Field("account_name", "银行户名", max_len=50, in_list=False, section="银行账户"),
        Field("bank_name", "开户银行", max_len=100, in_list=False, section="银行账户"),
        Field("bank_account", "银行卡号", Kind.BANK_ACCOUNT, mask=Mask.BANK, in_list=False,
              section="银行账户"),
        Field("grassroots_opinion", "基层工会意见", Kind.TEXTAREA, max_len=1000, in_list=False,
              section="意见"),
        Field("county_opinion", "县总工会审核意见", Kind.TEXTAREA, readonly=True, in_list=False,
              section="意见"),
        Field("publicity_result", "公示结果", max_len=200, in_list=False, section="意见"),
        Field("applied_on", "申请日期", Kind.DATE, width=11, section="意见"),
        Field("decided_on", "审核日期", Kind.DATE, readonly=True, width=11, section="意见"),
        Field("decided_by", "审核人", readonly=True, in_list=False, section="意见"),
    ),
    unit_key="union_id",
    period_key="applied_on",
)

PLAN_STATUS_CHOICES = (("active", "实施中"), ("done", "已完成"), ("stopped", "已终止"))
# the archive states a help plan may be made for (审核通过 or 已建档): the rule and the pickers
PLANNABLE = ("center_ok", "publicizing", "publicized", "archived")

HELP_PLAN = RecordSpec(
    key="hardship_plan",
    title="帮扶计划",
    model=HelpPlan,
    display_key="cadre_name",
    default_sort="next_review_on",
    default_descending=False,  # the next visit due soonest on top
    fields=(
        Field("archive_id", "困难职工档案", Kind.REF, ref="hardship_archive", required=True, width=16,
              ref_filter={"status": PLANNABLE}),
        Field("cadre_name", "帮扶责任人", required=True, max_len=50, search=True, width=8),
        Field("cadre_unit", "责任人单位", max_len=100, width=20),
        Field("cadre_phone", "联系电话", Kind.PHONE, mask=Mask.PHONE, width=14),
        Field("analysis", "困难分析", Kind.TEXTAREA, max_len=2000, in_list=False),
        Field("measures", "帮扶措施", Kind.CODES, code_table="help_measure", required=True, width=24),
        Field("target_on", "完成时限", Kind.DATE, not_before="next_review_on", width=11),
        Field("next_review_on", "下次回访日期", Kind.DATE, filter=True, width=11),
        Field("status", "状态", Kind.CODE, choices=PLAN_STATUS_CHOICES, readonly=True, filter=True,
              width=8),
        Field("outcome", "帮扶成效", Kind.TEXTAREA, readonly=True, in_list=False),
        Field("finished_on", "完成日期", Kind.DATE, readonly=True, width=11),
    ),
)

PLAN_NOTE = RecordSpec(
    key="hardship_plan_note",
    title="帮扶进展",
    model=HelpPlanNote,
    display_key="noted_on",
    default_sort="noted_on",
    fields=(
        Field("noted_on", "日期", Kind.DATE, required=True, width=11),
        Field("text", "进展情况", Kind.TEXTAREA, required=True, max_len=2000, width=40),
        Field("author", "记录人", readonly=True, width=8),
    ),
)

SPECS = (LEDGER, CAMPAIGN, VISIT, STUDY_AID, HELP_PLAN, PLAN_NOTE)
