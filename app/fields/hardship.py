"""困难职工档案 (national 困难职工档案表, records-and-forms.md §A.6): the archive, its family table,
rigid expenses, attachments, review history, and the yearly eligibility parameters.

Labels are the form's own captions, so the printed form and the national system read the same.
Workflow columns are read-only here: they are written by the workflow actions, whose inputs are
declared below as ``STEP_FIELDS`` (the UI builds each action's dialog from them).
"""

from __future__ import annotations

from app.fields.spec import ChildSpec, Field, Kind, Mask, RecordSpec
from app.models import HardshipArchive, HardshipAttachment, HardshipExpense, HardshipFamilyMember, HardshipParams, HardshipReview
from app.validation.names import person_name_problem

HEAD_RELATIONS = ("01", "02")  # 本人 / 户主: the archive itself, never a row of the family table

# close_reason codes: 1x end a hardship (脱困), 2x cancel an archive (注销); the workflow checks the
# first digit, the dialogs offer only the step's own kind
EXIT_REASONS = ("11", "12", "13", "19")
CANCEL_REASONS = ("21", "22", "23", "24", "29")

STATUS_CHOICES = (
    ("draft", "草稿"), ("applied", "待基层初审"), ("grassroots_ok", "待乡镇复审"),
    ("township_ok", "待帮扶中心审核"), ("center_ok", "待公示"), ("publicizing", "公示中"),
    ("publicized", "待党组审批"), ("archived", "已建档"), ("returned", "已退回"),
    ("exited", "已脱困"), ("cancelled", "已注销"),
)
CIVIL_CHECK_CHOICES = (("match", "相符"), ("partial", "部分不符"), ("mismatch", "不符"))


def _digits(n: int, what: str):
    def check(value: str) -> str | None:
        return None if value.isdigit() and len(value) == n else f"{what}应为 {n} 位数字"
    return check


P, W, H, E, C, R, B, A = ("基本信息", "工作信息", "住房与健康", "经济状况", "致困原因", "解困脱困",
                          "银行账户", "申请与审核")

ARCHIVE = RecordSpec(
    unit_key="union_id",
    period_key="archived_on",
    key="hardship_archive",
    list_lead=("name", "id_number"),  # the list shows the person first
    title="困难职工档案",
    model=HardshipArchive,
    default_sort="name",
    # a 草稿 keeps what is known (the union, 姓名, 身份证号); the rest is required on 提交申请
    draft_required=("union_id", "name", "id_number"),
    fields=(
        Field("archive_no", "档案编号", readonly=True, search=True, width=16,
              help="党组审批通过时按“县区划代码-困档-年度-4位序号”编号,如 341122-困档-2026-0012;"
                   "建档前已打印档案表的,沿用表上的编号"),
        Field("national_no", "职工编号", max_len=30, digits=True, in_list=False, width=16,
              help="全国工会帮扶工作管理系统中的职工编号(录入国家系统后填写)"),
        Field("status", "状态", Kind.CODE, choices=STATUS_CHOICES, readonly=True, filter=True, width=10),
        Field("category", "困难类别", Kind.CODE, code_table="hardship_category", readonly=True,
              filter=True, width=14, help="默认取系统认定结果;改定须写明理由"),
        Field("proposed_category", "系统认定类别", Kind.CODE, code_table="hardship_category",
              readonly=True, in_list=False, width=14),
        Field("category_overridden", "人工改定类别", Kind.BOOL, readonly=True, in_list=False, width=6),
        Field("category_reason", "改定理由", Kind.TEXTAREA, readonly=True, in_list=False, width=30),
        Field("per_capita_fen", "家庭月人均收入", Kind.MONEY, readonly=True, width=12,
              help="(家庭年可支配收入 − 准予扣除的刚性支出)÷ 12 ÷ 家庭人口,四舍五入到分"),
        Field("eligibility_text", "认定计算过程", Kind.TEXTAREA, readonly=True, in_list=False, width=40),
        Field("is_migrant_worker", "困难农民工", Kind.BOOL, default=False, filter=True, width=8),
        Field("union_id", "所属基层工会", Kind.REF, required=True, ref="unit",
              ref_filter={"kind": ("grassroots", "federation")}, filter=True, width=28),
        # -- person
        Field("name", "姓名", required=True, max_len=50, search=True, width=10, section=P, check=person_name_problem),
        Field("id_number", "身份证号", Kind.ID_NUMBER, required=True, mask=Mask.ID, search=True,
              width=20, section=P, help="必须是 18 位;15 位旧号码自动升级"),
        Field("gender", "性别", Kind.CODE, code_table="gender", readonly=True, width=5, section=P,
              help="由身份证号得出"),
        Field("birth_date", "出生日期", Kind.DATE, readonly=True, mask=Mask.BIRTH, width=11, section=P,
              help="由身份证号得出"),
        Field("ethnicity", "民族", Kind.CODE, code_table="ethnicity", required=True, default="01",
              in_list=False, section=P),
        Field("political_status", "政治面貌", Kind.CODE, code_table="political_status",
              required=True, in_list=False, section=P),
        Field("marital_status", "婚姻状况", Kind.CODE, code_table="marital_status", required=True,
              in_list=False, section=P),
        Field("hukou_type", "户口类型", Kind.CODE, code_table="hukou_type", required=True,
              in_list=False, section=P),
        Field("phone", "手机号码", Kind.MOBILE, required=True, mask=Mask.PHONE, search=True,
              width=14, section=P),
        Field("other_contact", "其他联系方式", max_len=50, in_list=False, section=P),
        Field("postcode", "邮政编码", max_len=6, check=_digits(6, "邮政编码"), digits=True,
              in_list=False, section=P),
        Field("address", "家庭住址", required=True, max_len=200, in_list=False, width=30, section=P),
        Field("single_parent", "是否单亲", Kind.BOOL, default=False, in_list=False, section=P),
        Field("model_worker_type", "劳模类型", Kind.CODE, code_table="model_worker_type",
              required=True, default="0", filter=True, in_list=False, section=P),
        # -- work
        Field("work_status", "工作状态(身份)", Kind.CODE, code_table="work_status", required=True,
              filter=True, in_list=False, section=W),
        Field("employer", "工作单位", required=True, max_len=100, in_list=False, width=24, section=W,
              help="空着时取所属基层工会的企业名称"),
        Field("unit_nature", "单位性质", Kind.CODE, code_table="unit_nature", in_list=False, section=W),
        Field("enterprise_status", "企业状况", Kind.CODE, code_table="enterprise_status",
              in_list=False, section=W),
        Field("industry", "所属行业", Kind.CODE, code_table="industry", required=True,
              in_list=False, section=W),
        Field("work_started_on", "工作时间", Kind.DATE, required=True, in_list=False, section=W,
              help="参加工作时间,如 2009年7月1日"),
        Field("contract_on", "劳动合同签订时间", Kind.DATE, in_list=False, section=W,
              help="困难农民工填写"),
        Field("contract_term", "合同期限", Kind.CODE, code_table="contract_term", in_list=False,
              section=W),
        # -- housing and health
        Field("housing_type", "住房类型", Kind.CODE, code_table="housing_type", required=True,
              in_list=False, section=H),
        Field("housing_area", "建筑面积(平方米)", Kind.DECIMAL, min_value=0, max_value=10000,
              in_list=False, section=H),
        Field("housing_area_band", "住房面积档次", Kind.CODE, code_table="housing_area_band",
              in_list=False, section=H, help="填了建筑面积时自动得出"),
        Field("health_status", "健康状况", Kind.CODE, code_table="health_status", required=True,
              in_list=False, section=H),
        Field("disability_category", "残疾类别", Kind.CODE, code_table="disability_category",
              in_list=False, section=H),
        Field("disability_grade", "残疾等级", Kind.CODE, code_table="disability_grade",
              in_list=False, section=H),
        Field("medical_insurance", "医保状况", Kind.CODE, code_table="medical_insurance",
              required=True, in_list=False, section=H),
        # -- economics
        Field("monthly_income_fen", "本人月平均收入", Kind.MONEY, required=True, in_list=False,
              section=E),
        Field("other_annual_income_fen", "家庭其他(非薪资)年收入", Kind.MONEY, required=True,
              default=0, in_list=False, section=E),
        Field("family_annual_income_fen", "家庭年度总收入", Kind.MONEY, readonly=True, in_list=False,
              section=E, help="本人月收入×12 + 家庭成员月收入合计×12 + 家庭其他年收入"),
        Field("household_size", "家庭人口", Kind.INT, readonly=True, width=6, section=E,
              help="户主加家庭成员表的人数(家庭成员表只列共同生活的成员)"),
        Field("rigid_expense_fen", "刚性支出合计", Kind.MONEY, readonly=True, in_list=False, section=E,
              help="刚性支出表各项年度金额之和(认定时只扣准予扣除的项目)"),
        Field("hukou_region", "户口所在地行政区划", required=True, max_len=6, digits=True,
              check=_digits(6, "行政区划代码"), in_list=False, section=E, help="GB/T 2260 六位代码"),
        Field("self_help", "是否有一定自救能力", Kind.BOOL, default=False, in_list=False, section=E),
        Field("zero_employment", "是否为零就业家庭", Kind.BOOL, default=False, in_list=False,
              section=E),
        Field("accident_event", "因灾因事故等致伤残或死亡", Kind.BOOL, default=False, in_list=False,
              section=E, help="家庭成员因公、自然灾害、重大事故、疫情或公共安全事件伤残或死亡"),
        Field("accident_costs_fen", "年度意外或重病支出", Kind.MONEY, in_list=False, section=E,
              help="超过家庭年收入的规定比例(默认 80%)即为意外致困"),
        Field("accident_note", "意外情况说明", Kind.TEXTAREA, max_len=500, in_list=False, section=E),
        Field("exclusions", "不予建档情形", Kind.CODES, code_table="hardship_exclusion",
              in_list=False, section=E),
        # -- causes
        Field("main_cause", "主要致困原因", Kind.CODE, code_table="hardship_cause", required=True,
              filter=True, width=14, section=C),
        Field("minor_causes", "次要致困原因", Kind.CODES, code_table="hardship_cause",
              in_list=False, section=C, help="最多三项,不含主要原因"),
        Field("cause_other_text", "其他致困原因说明", max_len=200, in_list=False, section=C,
              help="选了“其他”时必填"),
        # -- 解困脱困
        Field("relief_target", "是否为解困脱困对象", Kind.BOOL, default=False, in_list=False, section=R),
        Field("relief_target_on", "确定时间", Kind.DATE, in_list=False, section=R),
        Field("key_group", "五类重点群体", Kind.CODE, code_table="key_group", in_list=False, section=R),
        Field("four_batches", "“四个一批”措施", Kind.CODES, code_table="four_batches",
              in_list=False, section=R),
        # -- bank
        Field("bank_name", "开户银行", max_len=50, in_list=False, section=B),
        Field("bank_branch", "支行名称", max_len=100, in_list=False, section=B),
        Field("bank_account", "银行卡号", Kind.BANK_ACCOUNT, mask=Mask.BANK, in_list=False,
              width=22, section=B),
        # -- application and sign-off
        Field("application_reason", "申请事由", Kind.TEXTAREA, max_len=2000, in_list=False, section=A),
        Field("applied_on", "申请日期", Kind.DATE, in_list=False, section=A),
        Field("prepared_by", "建档人", max_len=50, in_list=False, section=A),
        Field("reviewer_name", "审核人", readonly=True, in_list=False, section=A),
        Field("entered_by", "录入人", readonly=True, in_list=False, section=A),
        Field("notes", "备注", Kind.TEXTAREA, max_len=1000, in_list=False, section=A, width=30),
        Field("investigator_1", "入户调查人一", readonly=True, in_list=False, section=A),
        Field("investigator_2", "入户调查人二", readonly=True, in_list=False, section=A),
        Field("investigated_on", "入户调查日期", Kind.DATE, readonly=True, in_list=False, section=A),
        Field("investigation_findings", "入户调查情况", Kind.TEXTAREA, readonly=True, in_list=False,
              section=A),
        Field("authorization_signed", "已签核对授权委托书", Kind.BOOL, readonly=True, in_list=False,
              section=A),
        Field("civil_check_batch", "民政核对批次", readonly=True, in_list=False, section=A),
        Field("civil_check_sent_on", "民政核对送达日期", Kind.DATE, readonly=True, in_list=False,
              section=A),
        Field("civil_check_result", "民政核对结果", Kind.CODE, choices=CIVIL_CHECK_CHOICES,
              readonly=True, in_list=False, section=A),
        Field("civil_check_result_on", "民政核对结果日期", Kind.DATE, readonly=True, in_list=False,
              section=A),
        Field("publicity_start", "公示开始", Kind.DATE, readonly=True, in_list=False, section=A),
        Field("publicity_days", "公示工作日数", Kind.INT, readonly=True, in_list=False, section=A),
        Field("publicity_end", "公示截止", Kind.DATE, readonly=True, in_list=False, section=A),
        Field("publicity_place", "公示地点", readonly=True, in_list=False, section=A),
        Field("publicity_note", "公示日期说明", readonly=True, in_list=False, section=A),
        Field("publicity_result", "公示结果", readonly=True, in_list=False, section=A),
        Field("archived_on", "建档日期", Kind.DATE, readonly=True, width=11, section=A),
        Field("last_recheck_on", "最近年审日期", Kind.DATE, readonly=True, in_list=False, section=A),
        Field("closed_on", "脱困/注销日期", Kind.DATE, readonly=True, in_list=False, section=A),
        Field("close_reason", "脱困/注销原因", Kind.CODE, code_table="close_reason", readonly=True,
              in_list=False, section=A),
        Field("close_note", "脱困/注销说明", Kind.TEXTAREA, readonly=True, in_list=False, section=A),
    ),
    children=(
        ChildSpec("members", "家庭成员", "hardship_family_member", "archive_id"),
        ChildSpec("expenses", "刚性支出", "hardship_expense", "archive_id"),
        ChildSpec("attachments", "附件", "hardship_attachment", "archive_id"),
    ),
)

FAMILY_MEMBER = RecordSpec(
    key="hardship_family_member",
    title="家庭成员",
    model=HardshipFamilyMember,
    default_sort="sort_order",
    fields=(
        Field("name", "姓名", required=True, max_len=50, width=8, check=person_name_problem),
        Field("relation", "与户主关系", Kind.CODE, code_table="family_relation", required=True, width=8,
              not_offered=HEAD_RELATIONS),
        Field("ethnicity", "民族", Kind.CODE, code_table="ethnicity", required=True, default="01",
              width=6),
        Field("id_number", "身份证号", Kind.ID_NUMBER, required=True, mask=Mask.ID, width=20),
        Field("birth_date", "出生日期", Kind.DATE, readonly=True, mask=Mask.BIRTH, width=11),
        Field("gender", "性别", Kind.CODE, code_table="gender", readonly=True, width=4),
        Field("political_status", "政治面貌", Kind.CODE, code_table="political_status", width=8),
        Field("monthly_income_fen", "月收入", Kind.MONEY, required=True, default=0, width=10),
        Field("model_worker_type", "劳模类型", Kind.CODE, code_table="model_worker_type",
              required=True, default="0", width=8),
        Field("health_status", "健康状况", Kind.CODE, code_table="health_status", required=True,
              width=10),
        Field("disability_category", "疾病/残疾类别", Kind.CODE, code_table="disability_category",
              width=8),
        Field("disability_grade", "残疾等级", Kind.CODE, code_table="disability_grade", width=8),
        Field("medical_insurance", "医保状况", Kind.CODE, code_table="medical_insurance",
              required=True, width=10),
        Field("marital_status", "婚姻状况", Kind.CODE, code_table="marital_status", required=True,
              width=6),
        Field("hukou_type", "户口类型", Kind.CODE, code_table="hukou_type", required=True, width=6),
        Field("phone", "手机", Kind.MOBILE, mask=Mask.PHONE, width=12),
        Field("identity", "人员身份", Kind.CODE, code_table="person_identity", required=True, width=8),
        Field("education", "当前学历", Kind.CODE, code_table="education", width=8),
        Field("enrolled_year", "入学年份", Kind.YEAR, min_value=1950, max_value=2100, width=6),
        Field("study_years", "年制", Kind.INT, min_value=1, max_value=10, width=4),
        Field("work_or_school", "单位或学校", max_len=100, width=20),
        Field("unit_nature", "单位性质", Kind.CODE, code_table="unit_nature", width=10),
        Field("enterprise_status", "企业状况", Kind.CODE, code_table="enterprise_status", width=8),
        Field("industry", "所属行业", Kind.CODE, code_table="industry", width=12),
        Field("work_status", "工作状态", Kind.CODE, code_table="work_status", width=8),
        Field("contract_on", "劳动合同签订/入伍时间", Kind.DATE, width=11),
        Field("contract_term", "合同期限", Kind.CODE, code_table="contract_term", width=8),
        Field("notes", "备注", max_len=200, width=16),
    ),
)

EXPENSE = RecordSpec(
    key="hardship_expense",
    title="刚性支出",
    model=HardshipExpense,
    display_key="item",
    default_sort="item",
    fields=(
        Field("item", "支出项目", Kind.CODE, code_table="rigid_expense", required=True, width=14),
        Field("amount_fen", "年度金额", Kind.MONEY, required=True, width=12),
        Field("note", "说明", max_len=200, width=24),
    ),
)

ATTACHMENT = RecordSpec(
    key="hardship_attachment",
    title="档案附件",
    model=HardshipAttachment,
    default_sort="kind",
    fields=(
        Field("kind", "附件类型", Kind.CODE, code_table="attachment_type", required=True, width=14),
        Field("name", "附件名称", required=True, max_len=200, width=30),
        Field("sha256", "内容哈希", readonly=True, in_list=False, width=20),
        Field("size", "大小(字节)", Kind.INT, readonly=True, width=10),
        Field("mime", "文件类型", readonly=True, width=12),
    ),
)

ACTION_CHOICES = (
    ("submit", "提交申请"), ("grassroots", "基层工会初审"), ("township", "乡镇/系统工会复审"),
    ("center", "帮扶中心审核"), ("publicize", "开始公示"), ("objection", "登记异议"),
    ("end_publicity", "公示结束"), ("approve", "党组审批"), ("return", "退回"),
    ("annual", "年审"), ("exit", "脱困"), ("cancel", "注销"), ("category", "改定困难类别"),
    ("renumber", "重新编号"),
)

REVIEW = RecordSpec(
    key="hardship_review",
    title="审核记录",
    model=HardshipReview,
    display_key="action",
    default_sort="step_no",
    fields=(
        Field("step_no", "序号", Kind.INT, readonly=True, width=4),
        Field("action", "环节", Kind.CODE, choices=ACTION_CHOICES, readonly=True, width=12),
        Field("from_status", "原状态", Kind.CODE, choices=STATUS_CHOICES, readonly=True, width=10),
        Field("to_status", "新状态", Kind.CODE, choices=STATUS_CHOICES, readonly=True, width=10),
        Field("acted_on", "日期", Kind.DATE, readonly=True, width=11),
        Field("opinion", "意见", Kind.TEXTAREA, readonly=True, width=30),
        Field("level_unit_id", "意见单位", Kind.REF, ref="unit", readonly=True, width=20),
        Field("signer_name", "签字人", readonly=True, width=8),
        Field("actor_name", "经办人", readonly=True, width=8),
        Field("actor_role", "角色", readonly=True, width=8),
        Field("actor_unit_id", "经办人单位", Kind.REF, ref="unit", readonly=True, in_list=False),
        Field("actor_username", "用户名", readonly=True, in_list=False),
        Field("data", "环节数据", Kind.TEXTAREA, readonly=True, in_list=False),
    ),
)

PARAMS = RecordSpec(
    key="hardship_params",
    title="困难职工认定参数",
    model=HardshipParams,
    display_key="year",
    default_sort="year",
    fields=(
        Field("unit_id", "县(区)总工会", Kind.REF, ref="unit", required=True,
              ref_filter={"kind": ("county",)}, width=20),
        Field("year", "年度", Kind.YEAR, required=True, min_value=2000, max_value=2100, width=6),
        Field("dibao_monthly_fen", "城市低保标准(元/月)", Kind.MONEY, required=True, min_value=1,
              width=10),
        Field("rigid_items", "准予扣除的刚性支出", Kind.CODES, code_table="rigid_expense", width=30),
        Field("accident_ratio_pct", "意外致困支出比例(%)", Kind.INT, required=True, default=80,
              min_value=1, max_value=100, width=6),
        Field("exclusions", "适用的不予建档情形", Kind.CODES, code_table="hardship_exclusion",
              width=30),
        Field("min_age", "建档最低年龄", Kind.INT, min_value=0, max_value=100, width=6,
              help="如“16岁以下不予建档”填 16;不限则空着"),
        Field("max_age", "建档最高年龄", Kind.INT, min_value=0, max_value=120, width=6,
              help="如“60岁以上不予建档”填 60;不限则空着"),
        Field("yearly_cap_fen", "每户年度救助上限", Kind.MONEY, width=10,
              help="超过时登记前提示确认;不限则空着"),
        Field("publicity_days", "公示工作日数", Kind.INT, required=True, default=5, min_value=1,
              max_value=30, width=6),
        Field("study_univ_archived_fen", "助学标准:建档·高校", Kind.MONEY, required=True, default=0),
        Field("study_high_archived_fen", "助学标准:建档·高中", Kind.MONEY, required=True, default=0),
        Field("study_univ_other_fen", "助学标准:非建档·高校", Kind.MONEY, required=True, default=0),
        Field("study_high_other_fen", "助学标准:非建档·高中", Kind.MONEY, required=True, default=0),
        Field("notes", "文件依据", Kind.TEXTAREA, max_len=1000, width=30),
    ),
)

SPECS = (ARCHIVE, FAMILY_MEMBER, EXPENSE, ATTACHMENT, REVIEW, PARAMS)

# Inputs of each workflow action (cleaned with ``clean_value``; the UI builds dialogs from them).
OPINION = Field("opinion", "意见", Kind.TEXTAREA, max_len=2000)
ACTED_ON = Field("acted_on", "日期", Kind.DATE, help="纸质意见上的签署日期;空着取今天")
SIGNER = Field("signer_name", "签字人", max_len=50,
               help="代下级工会录入纸质意见时必填:纸质意见上的负责人签字")
STEP_FIELDS: dict[str, tuple[Field, ...]] = {
    "submit": (OPINION, ACTED_ON),
    "grassroots": (
        Field("investigator_1", "入户调查人一", required=True, max_len=50),
        Field("investigator_2", "入户调查人二", required=True, max_len=50),
        Field("investigated_on", "入户调查日期", Kind.DATE, required=True),
        Field("investigation_findings", "入户调查情况", Kind.TEXTAREA, required=True, max_len=2000),
        Field("authorization_signed", "已签家庭经济状况核对授权委托书", Kind.BOOL, required=True),
        OPINION, ACTED_ON, SIGNER),
    "township": (OPINION, ACTED_ON, SIGNER),
    "center": (
        Field("civil_check_batch", "民政核对批次", max_len=50),
        Field("civil_check_sent_on", "民政核对送达日期", Kind.DATE, required=True),
        Field("civil_check_result", "民政核对结果", Kind.CODE, choices=CIVIL_CHECK_CHOICES,
              required=True),
        Field("civil_check_result_on", "民政核对结果日期", Kind.DATE, required=True),
        OPINION, ACTED_ON),
    "publicize": (
        Field("publicity_start", "公示开始日期", Kind.DATE, required=True),
        Field("publicity_days", "公示工作日数", Kind.INT, min_value=1, max_value=30,
              help="空着取当年参数(默认 5 个工作日)"),
        Field("publicity_place", "公示地点", max_len=100),
        OPINION, ACTED_ON),
    "objection": (Field("opinion", "异议内容及核实情况", Kind.TEXTAREA, required=True, max_len=2000),
                  ACTED_ON),
    "end_publicity": (Field("publicity_result", "公示结果", required=True, max_len=200,
                            default="公示无异议"), OPINION, ACTED_ON),
    "approve": (OPINION, ACTED_ON),
    "return": (Field("opinion", "退回理由", Kind.TEXTAREA, required=True, max_len=2000), ACTED_ON,
               SIGNER),
    "annual": (OPINION, ACTED_ON),
    "exit": (Field("close_reason", "脱困原因", Kind.CODE, code_table="close_reason", required=True,
                   not_offered=CANCEL_REASONS),
             Field("opinion", "脱困说明", Kind.TEXTAREA, required=True, max_len=2000), ACTED_ON),
    "cancel": (Field("close_reason", "注销原因", Kind.CODE, code_table="close_reason", required=True,
                     not_offered=EXIT_REASONS),
               Field("opinion", "注销说明", Kind.TEXTAREA, required=True, max_len=2000), ACTED_ON),
}
