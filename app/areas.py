"""The work areas of the seed document, in its order, each declared once.

This manifest is the only list an area is added to. Every registry reads it: the record specs
(``app.fields.registry``), the registers on the area kit (``app.kit.register``), Excel kinds,
printed forms, named list filters, figures, to-dos, demo steps, CLI commands, the navigation and
pages of the desk, the models that create the tables, and the code tables. Entries are import
paths (``"module"`` or ``"module:NAME"``), so importing this file is cheap and the core never
imports Qt: a page is named by a string that only the desk imports.

A plain register costs a model, a field spec, a migration and one line in ``registers``; its list,
form, Excel, printed card and list, sync, CLI (``record``), demo rows and contract tests come from
the kit. What is special to an area (a review chain, a ledger, a calendar) stays in its services
and is named here through the hooks of its ``Register`` or as its own forms, kinds and page.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class CodeTable:
    """A code table shipped in ``resources/codes/<key>.csv`` (columns code, label[, parent])."""

    key: str
    name: str  # 中文名
    standard: str = ""  # the national standard it follows, or [K] 可配置 / 本地


@dataclass(frozen=True)
class Plan:
    """What an area will hold, shown on its page until it is built (and in its guide)."""

    summary: str
    records: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tab:
    """An area's own tab on the kit's area page, made by the desk with ``factory(ctx)`` and named
    by import path (the core never imports Qt). A tab that lists registers takes their place: the
    kit makes no generic list for them, and a home figure or 待办 naming one opens this tab."""

    key: str
    title: str
    page: str  # "ui.pages.x:Factory"
    icon: str = "document"
    registers: tuple[str, ...] = ()  # the register keys it lists


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    icon: str
    models: tuple[str, ...] = ()  # model modules: importing them registers the tables
    specs: tuple[str, ...] = ()  # modules with ``SPECS``: record specs that are not registers
    registers: tuple[str, ...] = ()  # "module:NAME" of a ``Register`` (or a bare ``RecordSpec``)
    excel: tuple[str, ...] = ()  # modules with ``KINDS``: hand-made Excel kinds
    forms: tuple[str, ...] = ()  # modules with ``FORMS``: hand-laid printed forms
    filters: tuple[str, ...] = ()  # modules that register named list filters on import
    figures: tuple[str, ...] = ()  # "module:NAME" of a tuple of ``FigureDef``
    todos: tuple[str, ...] = ()  # "module:function": (session, actor) -> list[Todo]
    demo: tuple[str, ...] = ()  # "module:function": (DemoContext) -> None, run after members
    cli: tuple[str, ...] = ()  # the area's own CLI command modules (``cmd_*`` names)
    settings: tuple[str, ...] = ()  # "module:NAME" of a tuple of ``app.services.settings.Setting``
    page: str | None = None  # "ui.pages.x:Factory"; None: the kit's area page, or the plan
    # the area's own tabs on the kit's area page (before the generic tabs of other registers)
    tabs: tuple[Tab, ...] = ()
    codes: tuple[CodeTable, ...] = ()
    plan: Plan | None = None
    stats: bool = True  # ``stats AREA`` and the statistics tab (when it has figures)
    stats_note: str = ""  # how the statistics tab's figures are counted (under the cards)

    @property
    def built(self) -> bool:
        """Whether the area has anything to show beyond its plan."""
        return bool(self.page or self.registers or self.tabs)


C = CodeTable
T = Tab
AREAS: tuple[Area, ...] = (
    Area("home", "首页", "home", page="ui.pages.home:HomePage", stats=False),
    Area("epidemic", "疫情防控与复工复产", "shield", plan=Plan(
        "疫情防控物资的入库和发放、企业复工复产情况、来访人员登记和捐赠。",
        ("防疫物资入库台账(物资、规格、数量、来源、金额、凭证号)",
         "防疫物资发放登记(企业、信用代码、乡镇、物资数量、领取人)",
         "企业复工复产情况(职工总数、已返岗人数、复工日期、复工率、防疫措施)",
         "来访人员体温登记(保留期限可设置,到期自动清理)",
         "捐赠登记与接收凭证(款物、金额大写、用途去向)",
         "线上线下招聘会(场次、参会企业、岗位、达成意向)"),
        ("防疫物资发放登记表", "企业复工复产情况统计表", "捐赠接收凭证"),
        ("发放宣传材料 份", "复工复产企业 家", "捐款 元 / 万元", "招聘会 场、企业 家、岗位 个"))),
    Area("honours", "表彰评先", "award", plan=Plan(
        "五一表彰:先进集体和个人的推荐、审批、表彰决定和证书发放。",
        ("先进集体/先进个人推荐(事迹、推荐单位意见)",
         "表彰决定(文号 X工〔2020〕N号,附名单)",
         "证书发放签收(证书编号、奖金)"),
        ("先进集体/个人推荐表", "表彰决定(公文格式)", "证书发放签收表"),
        ("表彰大会日期", "表彰先进集体 个、先进个人 名"))),
    Area("culture", "职工文体活动", "trophy", plan=Plan(
        "职工文体活动和比赛:羽毛球、钓鱼、桥牌、门球、足球、万步有约、读书演讲。",
        ("活动/赛事(项目、主办、日期、地点、预算和实际支出)",
         "代表队与队员名单", "选手报名(年龄组、是否会员)",
         "成绩名次与评分表(去掉最高分和最低分)", "万步有约团队和每周步数"),
        ("选手报名表", "评分表", "获奖证书(批量打印)"),
        ("代表队 支、选手 名", "参赛钓友 名", "桥牌 组", "万步有约团队 支、队员 名"))),
    Area("workforce", "队伍建设与技能人才", "tools", plan=Plan(
        "劳动技能竞赛、送技能培训进企业,以及技能人才库、创新成果库、职工技能培训信息库。",
        ("劳动技能竞赛(工种、参赛人数、获奖人)", "送技能培训进企业(班次、课时、人数)",
         "职工技能培训信息库", "技能人才库(技能等级、证书)", "创新成果库",
         "劳模、五一劳动奖章、工人先锋号推荐"),
        ("劳动模范/五一劳动奖章推荐审批表",),
        ("竞赛 场、参赛 名", "培训 期、人次", "人才库 人、成果 项"))),
    Area(
        "rights", "权益保障与法律援助", "scale",
        models=("app.models.rights", "app.models.rights_tickets"),
        specs=("app.fields.rights_tickets",),
        registers=("app.services.rights.tickets:REGISTER",
                   "app.services.rights.roster:ROSTER",
                   "app.services.rights.aid:REGISTER",
                   "app.services.rights.registers:EVENTS",
                   "app.services.rights.registers:CONSULTATIONS",
                   "app.services.rights.registers:INSPECTIONS",
                   "app.services.rights.roster:FIRMS",
                   "app.services.rights.roster:LAWYERS"),
        forms=("app.printing.forms.rights_visit", "app.printing.forms.rights_handover",
               "app.printing.forms.rights_aid", "app.printing.forms.rights_roster"),
        filters=("app.services.rights.list_filters",),
        figures=("app.services.rights.figures:FIGURES",),
        todos=("app.services.rights.todos:todos",),
        demo=("app.demo.rights:generate_rights",),
        settings=("app.services.rights.settings:SETTINGS",),
        tabs=(T("tickets", "来访和12351工单", "ui.pages.rights.tickets:TicketsTab", "users",
                ("rights_ticket",)),
              T("roster", "值班排班", "ui.pages.rights.roster:RosterTab", "calendar",
                ("rights_duty",)),
              T("events", "普法活动", "ui.pages.rights.events:EventsTab", "document",
                ("rights_event",)),
              T("rights_handover", "转办件", "ui.pages.rights.handovers:HandoversTab", "exchange")),
        stats_note="来访按人次(集体访按实际人数),来电按 12351 工单数,法律咨询按人去重;"
                   "挽回金额按结案日期计入。",
        codes=(C("rights_channel", "工单渠道", "[K] 可配置"),
               C("rights_ticket_category", "12351 诉求类别及子项",
                 "[S] 全总 12351 热线五大类;子项 [K] 可配置(内蒙古细分为 81 项)"),
               C("rights_satisfaction", "回访满意度", "[K] 可配置"),
               C("rights_event_form", "普法活动形式", "[K] 可配置"),
               C("rights_consult_channel", "咨询方式", "[K] 可配置"),
               C("rights_problem", "劳动争议问题类别", "[K] 可配置"),
               C("rights_recheck", "隐患复查结果", "[K] 可配置"),
               C("rights_aid_form", "法律援助形式", "[S] 工会法律援助办法"),
               C("rights_aid_stage", "援助案件办理阶段", "[K] 可配置"),
               C("rights_aid_outcome", "援助案件结案方式", "[K] 可配置")),
    ),
    Area(
        "hardship", "困难职工帮扶", "heart_hand",
        models=("app.models.hardship", "app.models.hardship_relief"),
        specs=("app.fields.hardship", "app.fields.hardship_relief"),
        registers=("app.services.hardship.archives:REGISTER",
                   "app.services.hardship.ledger:REGISTER",
                   "app.services.hardship.visits:CAMPAIGNS",
                   "app.services.hardship.visits:VISITS",
                   "app.services.hardship.aid:REGISTER",
                   "app.services.hardship.plans:REGISTER"),
        excel=("app.excel.kinds.hardship_archives", "app.excel.kinds.hardship_relief"),
        forms=("app.printing.forms.hardship_archive", "app.printing.forms.hardship_application",
               "app.printing.forms.hardship_authorization", "app.printing.forms.hardship_study_aid",
               "app.printing.forms.hardship_signoff", "app.printing.forms.hardship_publicity"),
        filters=("app.services.hardship.list_filters",),
        figures=("app.services.hardship.figures:FIGURES",),
        todos=("app.services.hardship.dashboard:todos",),
        demo=("app.demo.hardship:generate_hardship",),
        settings=("app.services.hardship.settings:SETTINGS",),
        tabs=(T("archives", "档案", "ui.pages.hardship.lists:ArchiveListPage", "document",
                ("hardship_archive",)),
              T("relief", "救助发放", "ui.pages.hardship.relief:ReliefListPage", "heart_hand",
                ("relief_entry",)),
              T("visits", "走访慰问", "ui.pages.hardship.help_tabs:VisitsTab", "users",
                ("hardship_campaign", "hardship_visit")),
              T("aid", "金秋助学", "ui.pages.hardship.help_tabs:AidListPage", "award",
                ("hardship_study_aid",)),
              T("plans", "帮扶计划", "ui.pages.hardship.help_tabs:PlanListPage", "calendar",
                ("hardship_plan",))),
        stats_note="慰问金只计现金,慰问品另列折价,冲正已抵减。与“统计报表”中半年总结使用同一口径。",
        codes=(C("hardship_category", "困难类别", "全总困难职工认定"),
               C("health_status", "健康状况", "困难职工档案表填表说明"),
               C("disability_category", "残疾类别", "GB/T 26341-2010"),
               C("disability_grade", "残疾等级", "GB/T 26341-2010"),
               C("work_status", "工作状态(身份)", "困难职工档案表填表说明"),
               C("model_worker_type", "劳模类型", "困难职工档案表填表说明;[K] 0 非劳模为本地补充"),
               C("housing_type", "住房类型", "困难职工档案表填表说明"),
               C("housing_area_band", "住房建筑面积", "困难职工档案表填表说明"),
               C("hukou_type", "户口类型", "困难职工档案表填表说明;[K] 4 居民户口为本地补充"),
               C("medical_insurance", "医保状况", "[K] 可配置"),
               C("hardship_cause", "致困原因", "困难职工档案表填表说明"),
               C("key_group", "五类重点群体", "困难职工档案表(2016-2020版)"),
               C("four_batches", "“四个一批”措施", "[K] 可配置"),
               C("person_identity", "人员身份", "[K] 可配置"),
               C("contract_term", "劳动合同期限", "困难农民工档案表"),
               C("enterprise_status", "企业状况", "[K] 可配置"),
               C("relief_kind", "帮扶类型", "本地"),
               C("fund_source", "资金来源", "本地"),
               C("goods_kind", "慰问物品", "本地"),
               C("rigid_expense", "刚性支出项目", "[K] 可配置;准予扣除的项目由每年的认定参数列出"),
               C("hardship_exclusion", "不予建档情形", "[S] 认定办法排除条款;[K] 可配置"),
               C("attachment_type", "附件类型", "[S] 建档所需材料清单"),
               C("help_measure", "帮扶措施", "[K] 可配置(一户一策)"),
               C("visit_target", "走访慰问对象", "本地"),
               C("leader_level", "慰问领导级别", "本地"),
               C("study_level", "助学层次", "[S] 金秋助学申请表"),
               C("study_exclusion", "助学排除情形",
                 "[S] 金秋助学通知(军事院校、免费师范、定向生、已获其他资助)"),
               C("close_reason", "脱困及注销原因",
                 "[S] 全国帮扶系统脱困档案库/注销档案库;[K] 可配置"),
               C("goods_unit", "计量单位", "本地"),
               C("campaign_kind", "慰问活动类型", "本地")),
    ),
    Area(
        "organisation", "基层组织建设", "org",
        models=("app.models.core", "app.models.people", "app.models.organisation"),
        specs=("app.fields.organisation",),
        registers=("app.services.units:REGISTER", "app.services.members:REGISTER",
                   "app.services.organisation.membership:REGISTER",
                   "app.services.organisation.founding:REGISTER",
                   "app.services.organisation.elections:REGISTER",
                   "app.services.organisation.documents:SERIES",
                   "app.services.organisation.documents:REGISTER",
                   "app.services.organisation.homes:REGISTER",
                   "app.services.organisation.reading:ROOMS",
                   "app.services.organisation.reading:DONATIONS",
                   "app.services.organisation.reading:LOANS",
                   "app.services.organisation.training:SESSIONS",
                   "app.services.organisation.training:TRAINEES"),
        forms=("app.printing.forms.member_form", "app.printing.forms.member_roster",
               "app.printing.forms.public_list", "app.printing.forms.founding_form",
               "app.printing.forms.union_tree", "app.printing.forms.official_reply"),
        filters=("app.services.organisation.list_filters",),
        figures=("app.services.member_figures:FIGURES", "app.services.organisation.figures:FIGURES"),
        todos=("app.services.organisation.todos:todos",),
        demo=("app.demo.organisation:generate_organisation",),
        cli=("member", "unit", "org"),
        tabs=(T("members", "会员", "ui.pages.organisation:MembersTab", "member", ("member",)),
              T("units", "基层组织", "ui.pages.organisation.unions:UnionsTab", "unit", ("unit",)),
              T("events", "会籍变动", "ui.pages.organisation:EventsTab", "history", ("membership_event",)),
              T("foundings", "建会", "ui.pages.organisation.founding:FoundingTab", "building",
                ("union_founding",)),
              T("elections", "换届选举", "ui.pages.organisation:ElectionsTab", "calendar", ("election",)),
              T("documents", "文号", "ui.pages.organisation.documents:DocumentsTab", "document",
                ("document", "doc_series")),
              T("homes", "职工之家", "ui.pages.organisation:HomesTab", "award", ("home_award",)),
              T("reading", "职工书屋", "ui.pages.organisation:ReadingTab", "document",
                ("reading_room", "book_donation", "book_loan")),
              T("training", "干部培训", "ui.pages.organisation:TrainingTab", "users",
                ("training_session", "trainee"))),
        stats_note="会籍变动按变动日期统计;换届到期按各基层工会最近一届的任期届满日;赠书按赠送日期;"
                   "培训人次按开班日期。",
        codes=(C("member_status", "会籍状态", "[K] 可配置"),
               C("unit_kind", "工会组织类别", "本地"),
               C("unit_nature", "单位性质", "[K] 可配置"),
               C("membership_reason", "会籍变动原因", "[K] 可配置"),
               C("doc_kind", "公文种类", "《党政机关公文处理工作条例》(常用文种)"),
               C("home_level", "职工之家命名级别", "本地"),
               C("home_criterion", "职工之家评分项目", "[K] 可配置;满分写在名称的括号里,如“组织建设(20分)”"),
               C("recheck_result", "复查结论", "[K] 可配置"),
               C("reading_level", "职工书屋级别", "[K] 可配置"),
               C("training_kind", "培训类别", "本地"),
               C("assessment", "考核结果", "[K] 可配置")),
    ),
    Area("poverty", "精准扶贫", "village", plan=Plan(
        "精准扶贫:一户一册一卡、驻村工作队和走访慰问。",
        ("帮扶户(户主、家庭成员、致贫原因、帮扶责任人、措施、年收入)",
         "驻村工作队(队员、驻村天数、走访记录)", "会议和走访慰问记录"),
        ("一户一册一卡",),
        ("会议日期", "走访慰问困难群众 户"))),
    Area("office", "党风廉政与机关管理", "building", plan=Plan(
        "机关管理:考勤(按节假日和调休日历)、请销假审批、经费使用公开和学习教育。",
        ("考勤(上午/下午,正常、迟到、请假、出差、下乡……)", "请假审批和销假",
         "年休假余额", "经费使用公开", "学习教育记录", "节假日调休表(可由市总下发更新)"),
        ("请假审批单",),
        ("学习教育 次", "出勤率 %", "请假 天"))),
    Area("plans", "工作计划与总结", "document", plan=Plan(
        "半年工作总结和工作计划:从各项记录自动算出总结中的每一个数字,并能打开背后的记录。",
        ("工作总结(按期间自动统计各项数字)", "下半年工作计划", "文号登记(X工字〔2020〕N号)"),
        ("工作总结(公文格式)",),
        ("总结中留空的全部数字(见统计报表)",))),
    Area("reports", "统计报表", "chart", stats=False, plan=Plan(
        "统计报表:按期间、乡镇和行业汇总各工作领域的数字,供上报和总结使用。",
        ("按乡镇、行业、月份的汇总表", "上报市总工会的统计表", "每个数字都能打开所统计的记录"),
        ("统计报表(Excel 和 PDF)",))),
    Area("exchange", "数据交换", "exchange", stats=False,
         models=("app.models.sync", "app.models.requests"),
         forms=("app.printing.forms.duplicate_report",),
         todos=("app.sync.todos:exchange_todos",),
         page="ui.pages.exchange:ExchangePage"),
    Area(
        "system", "系统管理", "gear", stats=False,
        models=("app.models.codes", "app.models.security", "app.models.attachments",
                "app.models.calendar", "app.models.form_numbers"),
        specs=("app.fields.users", "app.fields.code_items", "app.fields.attachments",
               "app.fields.calendar"),
        todos=("app.security.users:account_todos",),
        page="ui.pages.system:SystemPage",
        codes=(C("gender", "性别", "GB/T 2261.1-2003"),
               C("ethnicity", "民族", "GB/T 3304-1991"),
               C("political_status", "政治面貌", "GB/T 4762-1984"),
               C("education", "学历", "GB/T 4658(一级类目)"),
               C("marital_status", "婚姻状况", "GB/T 2261.2-2003"),
               C("industry", "国民经济行业(门类)", "GB/T 4754-2017"),
               C("family_relation", "家庭关系", "GB/T 4761-2008(二位代码大类)")),
    ),
)

# A test-only area (tests/kit_example) is added through this variable: the contract tests then
# check a register that exists only as a declaration, exactly as a new area would add one.
EXTRA_ENV = "UNIONDESK_EXTRA_AREAS"


@lru_cache(maxsize=1)
def all_areas() -> tuple[Area, ...]:
    extra: list[Area] = []
    for path in filter(None, os.environ.get(EXTRA_ENV, "").split(",")):
        extra.extend(load(path.strip()))
    return AREAS + tuple(extra)


def area(key: str) -> Area:
    for a in all_areas():
        if a.key == key:
            return a
    raise KeyError(key)


def load(path: str) -> Any:
    """The object an entry names: ``"module:NAME"`` or a whole ``"module"``."""
    module, _, name = path.partition(":")
    mod = importlib.import_module(module)
    return getattr(mod, name) if name else mod


def entries(attr: str) -> list[str]:
    """Every area's entries of one kind, in manifest order (``entries("forms")``)."""
    return [e for a in all_areas() for e in getattr(a, attr)]


def code_tables() -> dict[str, CodeTable]:
    return {c.key: c for a in all_areas() for c in a.codes}


def import_models() -> None:
    """Register every table (``app.models`` calls this once)."""
    for module in entries("models"):
        importlib.import_module(module)
