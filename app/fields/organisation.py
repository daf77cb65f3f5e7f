"""基层组织建设: the fields of 会籍 events, 建会, elections, 文号, 模范职工之家, 职工书屋 and
培训 — one definition each (records-and-forms.md §A.7, F7, F8)."""

from __future__ import annotations

from app.fields.spec import ChildSpec, Field, Kind, Mask, RecordSpec
from app.models.organisation import (
    BookDonation,
    BookLoan,
    DocSeries,
    Document,
    Election,
    ElectionCandidate,
    FoundingStep,
    HomeAward,
    HomeAwardScore,
    MembershipEvent,
    MembershipTransfer,
    ReadingRoom,
    Trainee,
    TrainingSession,
    UnionFounding,
)
from app.validation.names import person_name_problem

GRASSROOTS = {"kind": ("grassroots", "federation")}

# -- 会籍 ----------------------------------------------------------------------------------------
# The kinds drive the rules (app.services.organisation.membership): fixed, not a code table.
FIXED = "会籍记录登记后只能更正日期、原因、依据编号和备注;办理有误请作废这一条后重新登记"
EVENT_KINDS = (("join", "入会"), ("transfer_in", "转入"), ("transfer_out", "转出"),
               ("retain", "保留会籍"), ("resume", "恢复会籍"), ("leave", "退会"),
               ("expel", "开除会籍"), ("death", "去世"))

MEMBERSHIP_EVENT = RecordSpec(
    key="membership_event",
    title="会籍变动",
    model=MembershipEvent,
    display_key="kind",
    fields=(
        Field("member_id", "会员", Kind.REF, required=True, ref="member", width=12, set_once=FIXED),
        Field("kind", "变动类型", Kind.CODE, required=True, choices=EVENT_KINDS, filter=True, width=8,
              set_once=FIXED),
        Field("event_date", "变动日期", Kind.DATE, width=11,
              help="入会申请批准、转出转入、退休等的日期;升级前登记的会员的入会日期可能不详"),
        Field("union_id", "所在基层工会", Kind.REF, ref="unit", ref_filter=GRASSROOTS, width=26,
              set_once=FIXED, help="入会、转入:加入的基层工会;其他变动:会员当时所在的基层工会(自动带出)"),
        Field("to_union_id", "转往基层工会(本县)", Kind.REF, ref="unit", ref_filter=GRASSROOTS,
              width=24, in_list=False, section="转出去向", set_once=FIXED),
        Field("to_county_code", "转往县(区)区划代码", max_len=6, digits=True, width=10, set_once=FIXED,
              in_list=False, section="转出去向", help="转往外县(区)时填写 6 位区划代码,经市总工会转递"),
        Field("to_place", "转往单位", max_len=100, width=20, in_list=False, section="转出去向"),
        Field("transfer_id", "跨县转接单", Kind.REF, ref="membership_transfer", readonly=True,
              in_list=False, section="转出去向"),
        Field("reason", "原因", Kind.CODE, code_table="membership_reason", width=8, in_list=False,
              help="保留会籍:退休、下岗、失业等"),
        Field("doc_no", "依据编号", max_len=50, width=14,
              help="入会申请书编号、会员组织关系介绍信编号或处分文号"),
        Field("ordinal", "序号", Kind.INT, readonly=True, in_list=False, width=5),
        Field("notes", "备注", Kind.TEXTAREA, max_len=500, in_list=False, section="备注"),
    ),
    default_sort="event_date",
    unit_key="union_id",
    period_key="event_date",
)

TRANSFER = RecordSpec(
    key="membership_transfer",
    title="跨县会员转接",
    model=MembershipTransfer,
    fields=(
        Field("name", "姓名", required=True, max_len=50, search=True, width=10, check=person_name_problem),
        Field("id_number", "身份证号", Kind.ID_NUMBER, required=True, mask=Mask.ID, search=True, width=20),
        Field("from_county_name", "转出县(区)", required=True, max_len=100, width=14),
        Field("from_county_code", "转出县(区)代码", required=True, max_len=6, digits=True, in_list=False),
        Field("from_union_name", "原基层工会", required=True, max_len=100, width=24),
        Field("to_county_code", "转入县(区)代码", required=True, max_len=6, digits=True, width=10),
        Field("to_place", "转往单位", max_len=100, width=20),
        Field("transferred_on", "转出日期", Kind.DATE, width=11),
        Field("letter_no", "介绍信编号", max_len=50, width=14),
        Field("phone", "手机号码", Kind.PHONE, mask=Mask.PHONE, in_list=False),
        Field("ethnicity", "民族", Kind.CODE, code_table="ethnicity", in_list=False),
        Field("political_status", "政治面貌", Kind.CODE, code_table="political_status", in_list=False),
        Field("education", "学历", Kind.CODE, code_table="education", in_list=False),
        Field("joined_on", "入会日期", Kind.DATE, in_list=False),
        Field("card_no", "会员证号", max_len=30, digits=True, in_list=False),
        Field("source_event_id", "转出记录", required=True, max_len=36, in_list=False),
        Field("source_member_id", "原会员记录", required=True, max_len=36, in_list=False),
        Field("history", "会籍经历", Kind.TEXTAREA, in_list=False),
        Field("status", "转接状态", Kind.CODE, choices=(("forwarded", "待转入"), ("received", "已转入")),
              filter=True, width=8),
        Field("forwarded_on", "转递日期", Kind.DATE, width=11),
        Field("received_on", "转入日期", Kind.DATE, width=11),
        Field("received_union_name", "转入基层工会", max_len=100, width=24),
    ),
    default_sort="forwarded_on",
    period_key="forwarded_on",
)

# -- 文号 ----------------------------------------------------------------------------------------
DOC_SERIES = RecordSpec(
    key="doc_series",
    title="发文字号",
    model=DocSeries,
    display_key="code",
    default_sort="code",
    fields=(
        Field("code", "机关代字", required=True, max_len=20, width=10, search=True,
              help="如“示工”“示工办”:文号为 机关代字〔年份〕序号号"),
        Field("name", "名称", required=True, max_len=50, width=16),
        Field("owner_label", "编号电脑", max_len=50, readonly=True, width=20,
              help="只在这台电脑上编号,两台电脑同时编号也不会编出相同文号;在“文号”页“接管编号”更换"),
        Field("active", "启用", Kind.BOOL, default=True, width=6),
        Field("notes", "备注", Kind.TEXTAREA, max_len=500, in_list=False, section="备注"),
    ),
)

DOCUMENT = RecordSpec(
    key="document",
    title="发文登记",
    model=Document,
    display_key="title",
    default_sort="signed_on",
    fields=(
        Field("doc_no", "文号", max_len=60, readonly=True, search=True, width=18,
              help="编号后自动生成,每年每个发文字号从 1 号起,作废的文号不再使用"),
        Field("series_id", "发文字号", Kind.REF, required=True, ref="doc_series", width=10),
        Field("doc_kind", "文种", Kind.CODE, required=True, code_table="doc_kind", filter=True, width=6),
        Field("title", "标题", required=True, max_len=200, search=True, width=36),
        Field("addressee", "主送机关", max_len=200, width=20),
        Field("signed_on", "成文日期", Kind.DATE, required=True, width=11),
        Field("signer", "签发人", max_len=50, width=8),
        Field("issuer", "发文机关署名", max_len=100, in_list=False, width=20),
        Field("cc", "抄送机关", max_len=200, in_list=False, width=20),
        Field("body", "正文", Kind.TEXTAREA, max_len=20000, in_list=False, section="正文"),
        Field("year", "年份", Kind.YEAR, readonly=True, in_list=False),
        Field("seq", "序号", Kind.INT, readonly=True, in_list=False),
        Field("numbered_on", "编号日期", Kind.DATE, readonly=True, in_list=False),
        Field("record_table", "所涉记录类型", max_len=40, readonly=True, in_list=False),
        Field("record_id", "所涉记录", max_len=36, readonly=True, in_list=False),
        Field("notes", "备注", Kind.TEXTAREA, max_len=500, in_list=False, section="备注"),
    ),
    period_key="signed_on",
)

# -- 建会 ----------------------------------------------------------------------------------------
FOUNDING_STATUSES = (
    ("draft", "待报请示"), ("applied", "待批复"), ("approved", "待成立筹备组"),
    ("preparing", "待发展会员"), ("recruited", "待召开会员大会"), ("elected", "待批复选举结果"),
    ("founded", "待建女职工委员会"), ("women", "待法人资格登记"), ("registered", "已完成"),
    ("returned", "请示已退回"),
)

FOUNDING = RecordSpec(
    key="union_founding",
    title="建会",
    model=UnionFounding,
    display_key="union_name",
    default_sort="applied_on",
    fields=(
        Field("enterprise_name", "企业名称", required=True, max_len=100, search=True, width=26),
        Field("union_name", "拟成立工会名称", required=True, max_len=100, search=True, width=26),
        Field("parent_id", "上级工会", Kind.REF, required=True, ref="unit",
              ref_filter={"kind": ("county", "township", "street", "system")}, width=16),
        Field("status", "进度", Kind.CODE, choices=FOUNDING_STATUSES, readonly=True, filter=True,
              default="draft", width=12),
        Field("enterprise_uscc", "企业统一社会信用代码", Kind.USCC, in_list=False, section="企业情况"),
        Field("unit_nature", "单位性质", Kind.CODE, code_table="unit_nature", in_list=False,
              section="企业情况"),
        Field("industry", "所属行业", Kind.CODE, code_table="industry", in_list=False, section="企业情况"),
        Field("address", "地址", max_len=200, in_list=False, section="企业情况", width=30),
        Field("worker_count", "职工人数", Kind.INT, required=True, min_value=1, max_value=1_000_000,
              section="企业情况", width=8),
        Field("female_worker_count", "女职工人数", Kind.INT, min_value=0, max_value=1_000_000,
              in_list=False, section="企业情况"),
        Field("migrant_worker_count", "农民工人数", Kind.INT, min_value=0, max_value=1_000_000,
              in_list=False, section="企业情况"),
        Field("leaders", "企业党政主要负责人", max_len=200, in_list=False, section="企业情况", width=20),
        Field("wish", "职工入会意愿", Kind.TEXTAREA, max_len=1000, in_list=False, section="企业情况"),
        Field("contact_name", "联系人", max_len=50, in_list=False, section="企业情况"),
        Field("contact_phone", "联系电话", Kind.PHONE, mask=Mask.PHONE, in_list=False, section="企业情况"),
        Field("applied_on", "请示日期", Kind.DATE, readonly=True, width=11, section="进程"),
        Field("approval_no", "批复文号", max_len=60, readonly=True, width=16, section="进程"),
        Field("approved_on", "批复日期", Kind.DATE, readonly=True, in_list=False, section="进程"),
        Field("prep_leader", "筹备组组长", max_len=50, readonly=True, in_list=False, section="进程"),
        Field("prep_members", "筹备组成员", max_len=200, readonly=True, in_list=False, section="进程"),
        Field("recruited_count", "发展会员人数", Kind.INT, readonly=True, in_list=False, section="进程"),
        Field("congress_on", "会员大会日期", Kind.DATE, readonly=True, in_list=False, section="进程"),
        Field("results_no", "选举结果批复文号", max_len=60, readonly=True, in_list=False, section="进程"),
        Field("union_id", "成立的工会", Kind.REF, ref="unit", readonly=True, in_list=False, section="进程"),
        Field("founded_on", "成立日期", Kind.DATE, readonly=True, width=11, section="进程"),
        Field("women_committee", "女职工委员会委员", max_len=200, readonly=True, in_list=False,
              section="进程"),
        Field("legal_uscc", "工会统一社会信用代码", Kind.USCC, readonly=True, in_list=False, section="进程"),
        Field("legal_cert_no", "法人资格证书编号", max_len=50, readonly=True, in_list=False, section="进程"),
        Field("legal_on", "法人资格登记日期", Kind.DATE, readonly=True, in_list=False, section="进程"),
        Field("notes", "备注", Kind.TEXTAREA, max_len=1000, in_list=False, section="备注"),
    ),
    unit_key="parent_id",
    period_key="applied_on",
)

ACTIONS = (("apply", "报送建会请示"), ("approve", "批复同意建会"), ("prepare", "成立筹备组"),
           ("recruit", "发展会员"), ("congress", "召开会员大会"), ("confirm", "批复选举结果"),
           ("women", "成立女职工委员会"), ("register", "法人资格登记"), ("return", "退回请示"))

FOUNDING_STEP = RecordSpec(
    key="union_founding_step",
    title="建会环节",
    model=FoundingStep,
    display_key="action",
    default_sort="step_no",
    fields=(
        Field("founding_id", "建会", Kind.REF, ref="union_founding", required=True),
        Field("step_no", "序号", Kind.INT, required=True),
        Field("action", "环节", Kind.CODE, choices=ACTIONS, required=True),
        Field("from_status", "办理前", Kind.CODE, choices=FOUNDING_STATUSES, required=True),
        Field("to_status", "办理后", Kind.CODE, choices=FOUNDING_STATUSES, required=True),
        Field("acted_on", "日期", Kind.DATE, required=True),
        Field("opinion", "意见", Kind.TEXTAREA),
        Field("actor_name", "经办人", required=True, max_len=50),
        Field("signer_name", "签字人", max_len=50),
    ),
)

# -- 换届选举 -------------------------------------------------------------------------------------
POSITIONS = (("committee", "工会委员会委员"), ("audit", "经费审查委员会委员"), ("women", "女职工委员会委员"))

CANDIDATE = RecordSpec(
    key="election_candidate",
    title="候选人",
    model=ElectionCandidate,
    default_sort="name",
    fields=(
        Field("name", "候选人", required=True, max_len=50, width=10),
        Field("position", "职务", Kind.CODE, required=True, choices=POSITIONS, default="committee", width=14),
        Field("votes", "得票", Kind.INT, required=True, min_value=0, max_value=1_000_000, width=6),
        Field("elected", "当选", Kind.BOOL, default=False, width=5),
    ),
)

ELECTION = RecordSpec(
    key="election",
    title="换届选举",
    model=Election,
    display_key="term_no",
    default_sort="election_on",
    fields=(
        Field("union_id", "基层工会", Kind.REF, required=True, ref="unit", ref_filter=GRASSROOTS, width=26),
        Field("term_no", "届次", Kind.INT, required=True, min_value=1, max_value=99, width=5,
              help="第几届工会委员会"),
        Field("election_on", "选举日期", Kind.DATE, required=True, width=11),
        Field("term_years", "任期(年)", Kind.INT, required=True, min_value=3, max_value=5, default=5,
              width=6, help="基层工会委员会每届任期三年或者五年"),
        Field("term_ends_on", "任期届满", Kind.DATE, readonly=True, width=11, help="选举日期加任期"),
        Field("eligible", "应到会人数", Kind.INT, required=True, min_value=1, max_value=1_000_000,
              width=7, section="到会与选举"),
        Field("present", "实到会人数", Kind.INT, required=True, min_value=0, max_value=1_000_000,
              width=7, section="到会与选举"),
        Field("seats", "应选委员名额", Kind.INT, required=True, min_value=1, max_value=99, width=6,
              section="到会与选举"),
        Field("candidates", "委员候选人数", Kind.INT, required=True, min_value=1, max_value=199, width=6,
              section="到会与选举", help="有候选人名单时按名单计"),
        Field("margin", "差额", Kind.INT, readonly=True, width=5, section="到会与选举",
              help="候选人数减应选名额"),
        Field("chair_name", "主席", max_len=50, width=8, search=True, section="到会与选举"),
        Field("vice_chairs", "副主席", max_len=100, in_list=False, section="到会与选举"),
        Field("approval_no", "批复文号", max_len=60, width=16, search=True, section="批复"),
        Field("approved_on", "批复日期", Kind.DATE, in_list=False, section="批复", not_before="election_on"),
        Field("notes", "备注", Kind.TEXTAREA, max_len=1000, in_list=False, section="备注"),
    ),
    children=(ChildSpec("candidates_list", "候选人及得票", "election_candidate", "election_id", 199),),
    unit_key="union_id",
    period_key="election_on",
)

# -- 模范职工之家 ----------------------------------------------------------------------------------
HOME_KINDS = (("home", "模范职工之家"), ("small", "模范职工小家"))

HOME_SCORE = RecordSpec(
    key="home_award_score",
    title="评分",
    model=HomeAwardScore,
    default_sort="criterion",
    display_key="criterion",
    fields=(
        Field("criterion", "评分项目", Kind.CODE, required=True, code_table="home_criterion", width=24),
        Field("points", "得分", Kind.INT, required=True, min_value=0, max_value=100, width=6),
        Field("note", "扣分说明", max_len=200, width=24),
    ),
)

HOME_AWARD = RecordSpec(
    key="home_award",
    title="职工之家",
    model=HomeAward,
    display_key="award_kind",
    default_sort="applied_on",
    fields=(
        Field("union_id", "基层工会", Kind.REF, required=True, ref="unit", ref_filter=GRASSROOTS, width=26),
        Field("award_kind", "类别", Kind.CODE, required=True, choices=HOME_KINDS, filter=True, width=10),
        Field("level", "命名级别", Kind.CODE, required=True, code_table="home_level", filter=True, width=6),
        Field("team_name", "车间(班组)", max_len=100, width=14, help="职工小家填写所在车间或班组"),
        Field("applied_on", "申报日期", Kind.DATE, required=True, width=11),
        Field("score", "评分", Kind.INT, readonly=True, width=5, help="评分表各项得分之和"),
        Field("named_on", "命名日期", Kind.DATE, not_before="applied_on", width=11, section="命名与复查"),
        Field("naming_no", "命名文号", max_len=60, width=16, search=True, section="命名与复查"),
        Field("recheck_year", "复查年度", Kind.YEAR, width=7, section="命名与复查",
              help="动态评估:命名后每三年复查一次,空着按命名年份加三年"),
        Field("rechecked_on", "复查日期", Kind.DATE, not_before="named_on", in_list=False,
              section="命名与复查"),
        Field("recheck_result", "复查结论", Kind.CODE, code_table="recheck_result", width=8,
              section="命名与复查"),
        Field("notes", "备注", Kind.TEXTAREA, max_len=1000, in_list=False, section="备注"),
    ),
    children=(ChildSpec("scores", "评分表", "home_award_score", "award_id", 30),),
    unit_key="union_id",
    period_key="applied_on",
)

# -- 职工书屋 -------------------------------------------------------------------------------------
READING_ROOM = RecordSpec(
    key="reading_room",
    title="职工书屋",
    model=ReadingRoom,
    fields=(
        Field("union_id", "基层工会", Kind.REF, required=True, ref="unit", width=26),
        Field("name", "书屋名称", required=True, max_len=100, search=True, width=20),
        Field("level", "示范级别", Kind.CODE, code_table="reading_level", filter=True, width=10),
        Field("area", "面积(平方米)", Kind.DECIMAL, min_value=1, max_value=10000, width=8),
        Field("seats", "座位数", Kind.INT, min_value=0, max_value=1000, in_list=False),
        Field("books_held", "藏书(册)", Kind.INT, required=True, min_value=0, max_value=10_000_000,
              width=8),
        Field("opened_on", "建成日期", Kind.DATE, width=11),
        Field("accepted_on", "验收日期", Kind.DATE, not_before="opened_on", width=11),
        Field("acceptance", "验收结论", max_len=200, in_list=False),
        Field("keeps_loans", "登记借阅", Kind.BOOL, default=False, width=6),
        Field("manager", "管理员", max_len=50, in_list=False),
        Field("notes", "备注", Kind.TEXTAREA, max_len=1000, in_list=False, section="备注"),
    ),
    unit_key="union_id",
    period_key="opened_on",
)

BOOK_DONATION = RecordSpec(
    key="book_donation",
    title="赠书",
    model=BookDonation,
    display_key="batch",
    default_sort="donated_on",
    fields=(
        Field("room_id", "职工书屋", Kind.REF, required=True, ref="reading_room", width=20),
        Field("union_id", "基层工会", Kind.REF, ref="unit", readonly=True, width=24),
        Field("donated_on", "赠送日期", Kind.DATE, required=True, width=11),
        Field("batch", "批次", max_len=100, width=14),
        Field("donor", "赠送单位", required=True, max_len=100, width=16),
        Field("titles", "品种(种)", Kind.INT, required=True, min_value=1, max_value=100_000, width=7),
        Field("copies", "数量(册)", Kind.INT, required=True, min_value=1, max_value=1_000_000, width=7),
        Field("list_price_fen", "码洋(元)", Kind.MONEY, required=True, min_value=0, width=10),
        Field("accepted_on", "验收日期", Kind.DATE, not_before="donated_on", width=11),
        Field("accepted_by", "验收人", max_len=50, width=8),
        Field("notes", "书目及备注", Kind.TEXTAREA, max_len=5000, in_list=False, section="书目"),
    ),
    unit_key="union_id",
    period_key="donated_on",
)

BOOK_LOAN = RecordSpec(
    key="book_loan",
    list_lead=("borrower",),  # the list shows the person first
    title="借阅",
    model=BookLoan,
    display_key="book_title",
    default_sort="lent_on",
    fields=(
        Field("room_id", "职工书屋", Kind.REF, required=True, ref="reading_room", width=20),
        Field("union_id", "基层工会", Kind.REF, ref="unit", readonly=True, in_list=False),
        Field("member_id", "借阅会员", Kind.REF, ref="member", width=10),
        Field("borrower", "借阅人", required=True, max_len=50, search=True, width=8),
        Field("book_title", "书名", required=True, max_len=200, search=True, width=24),
        Field("lent_on", "借出日期", Kind.DATE, required=True, width=11),
        Field("due_on", "应还日期", Kind.DATE, not_before="lent_on", width=11),
        Field("returned_on", "归还日期", Kind.DATE, not_before="lent_on", width=11),
    ),
    unit_key="union_id",
    period_key="lent_on",
)

# -- 工会干部培训 / 职工讲堂 --------------------------------------------------------------------------
TRAINING = RecordSpec(
    key="training_session",
    title="培训班",
    model=TrainingSession,
    display_key="title",
    default_sort="starts_on",
    fields=(
        Field("title", "班次名称", required=True, max_len=100, search=True, width=24),
        Field("kind", "类别", Kind.CODE, required=True, code_table="training_kind", filter=True, width=10),
        Field("union_id", "主办工会", Kind.REF, required=True, ref="unit", width=18),
        Field("starts_on", "开班日期", Kind.DATE, required=True, width=11),
        Field("ends_on", "结业日期", Kind.DATE, not_before="starts_on", width=11),
        Field("hours", "课时", Kind.INT, required=True, min_value=1, max_value=500, width=5),
        Field("place", "培训地点", max_len=100, width=16),
        Field("lecturer", "授课人", max_len=100, width=12),
        Field("content", "培训内容", Kind.TEXTAREA, max_len=2000, in_list=False, section="内容"),
    ),
    unit_key="union_id",
    period_key="starts_on",
)

TRAINEE = RecordSpec(
    key="trainee",
    list_lead=("name",),  # the list shows the person first
    title="学员",
    model=Trainee,
    default_sort="held_on",
    fields=(
        Field("session_id", "培训班", Kind.REF, required=True, ref="training_session", width=20),
        Field("member_id", "会员", Kind.REF, ref="member", width=10,
              help="从会员中选择;非会员学员可不选,直接填写姓名"),
        Field("name", "学员姓名", required=True, max_len=50, search=True, width=8),
        Field("union_id", "所在工会", Kind.REF, required=True, ref="unit", width=24),
        Field("post", "职务", max_len=50, width=10),
        Field("held_on", "开班日期", Kind.DATE, readonly=True, width=11),
        Field("hours", "学时", Kind.INT, min_value=0, max_value=500, width=5),
        Field("assessment", "考核结果", Kind.CODE, code_table="assessment", filter=True, width=8),
    ),
    unit_key="union_id",
    period_key="held_on",
)

SPECS = (TRANSFER, FOUNDING_STEP, CANDIDATE, HOME_SCORE)
