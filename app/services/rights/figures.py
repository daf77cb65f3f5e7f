"""The figures of seed section (五), declared (``app.kit.figures``): what the half-year summary fills
in, the area's statistics tab, ``stats rights`` and the home cards read. Each opens exactly the
records it counts.

How they count (each figure's note says it too):
- 普法: events held in the period (场); of them lectures (场) and consultation stands (次);
  materials handed out (份) and people consulted at the events (人次) summed over them;
- 接待来访职工 (人次): 来访 tickets registered in the period, each counting its visitors (a
  collective visit of 12 counts 12);
- 来电 (次): 12351 tickets registered in the period;
- 为▢名职工提供法律咨询: distinct people among the period's consultations — by ID number, by name
  where none was taken (two namesakes without ID numbers count once);
- 法律援助案件 (件): applications of the period granted aid; 挽回 (万元): the amounts recovered by
  cases closed in the period.
"""

from __future__ import annotations

from app.kit.figures import PERIOD, Distinct, FigureDef, Sum

E, C, T, A, I = ("rights_event", "rights_consultation", "rights_ticket", "rights_aid_case",
                 "rights_inspection")
OPEN = ("registered", "accepted", "transferred")

FIGURES = (
    FigureDef("events", "普法活动(学法用法宣传活动)", "场", E, seed="开展学法用法宣传活动▢场"),
    FigureDef("lectures", "法律知识讲座", "场", E, filters={"form": "lecture"},
              seed="组织专家深入企业开展法律知识讲座▢场"),
    FigureDef("stands", "法律咨询活动", "次", E, filters={"form": "stand"},
              seed="开展法律咨询活动▢次"),
    FigureDef("materials", "发放各类宣传资料", "份", E, Sum("materials"), seed="发放各类宣传资料▢余份"),
    FigureDef("consulted_at_events", "活动中提供法律咨询服务", "人次", E, Sum("consulted"),
              seed="提供法律咨询服务▢人次"),
    FigureDef("audience", "普法活动参与", "人次", E, Sum("audience")),
    FigureDef("visitors", "接待来访职工", "人次", T, Sum("visitors"), {"channel": "visit"},
              note="来访工单的来访人数之和(集体访按实际人数计)", seed="共接待来访职工▢人次",
              home="{year}年接待来访"),
    FigureDef("calls", "12351热线来电", "次", T, filters={"channel": "hotline"}, seed="来电▢次"),
    FigureDef("collective", "其中集体访", "批次", T, filters={"channel": "visit", "collective": True},
              note="来访人数 5 人及以上"),
    FigureDef("tickets", "登记工单(全部渠道)", "件", T),
    FigureDef("petitions", "其中信访投诉", "件", T, filters={"category": "3"}),
    FigureDef("open_tickets", "在办工单", "件", T, filters={"status": OPEN}, period=False,
              note="当前待受理、办理中和已转办的工单(不按期间)", home="在办工单"),
    FigureDef("advised", "提供法律咨询服务的职工", "名", C,
              Distinct(("id_number", "person_name")),
              note="按身份证号去重;未登记身份证号的按姓名", seed="为▢名职工提供了法律咨询服务"),
    FigureDef("consultations", "法律咨询", "人次", C),
    FigureDef("aid_cases", "受理法律援助案件(准予援助)", "件", A, filters={"review_result": "granted"},
              note="期内申请、经审查准予援助的案件"),
    FigureDef("aid_recovered", "为职工挽回经济损失", "万元", A, Sum("recovered_fen", wan=True),
              {"closed_on": PERIOD}, period=False, note="期内结案案件的挽回金额合计 {yuan} 元"),
    FigureDef("inspections", "劳动安全监督检查", "家次", I),
    FigureDef("hazards", "发现安全隐患", "处", I, Sum("hazard_count")),
)
