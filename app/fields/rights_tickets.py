"""来访 / 12351 tickets (F10 职工来访登记表, the 12351 工单), their chain's history, handovers
(转办单) and replies, and the inputs of each chain step (the desk builds each step's dialog from
``STEP_FIELDS``).

The chain's columns are read-only on the ticket: the steps write them (``app.services.rights.
ticket_chain``); the timers are derived on save and by the steps (``app.services.rights.timers``).
"""

from __future__ import annotations

from app.fields.rights import check_time
from app.fields.spec import Field, Kind, Mask, RecordSpec
from app.models.rights_tickets import RightsHandover, RightsReply, RightsTicket, RightsTicketStep
from app.validation.names import person_name_problem

STATUS_CHOICES = (("registered", "待受理"), ("accepted", "办理中"), ("transferred", "已转办"),
                  ("done", "已办结"), ("visited", "已回访"), ("archived", "已归档"),
                  ("rejected", "不予受理"))
COMPLEXITY_CHOICES = (("normal", "一般"), ("hard", "难点"), ("complex", "特别复杂"))
HANDLING_CHOICES = (("direct", "直接答复"), ("transfer", "转办"), ("assign", "交办"))
VIA_CHOICES = (("paper", "纸质转办单"), ("bundle", "数据包"))
ACTION_CHOICES = (("accept", "受理"), ("answer", "当场答复"), ("reject", "不予受理"),
                  ("handover", "转办/交办"), ("result", "办结"), ("callback", "回访"),
                  ("archive", "归档"), ("extend", "延期"), ("return", "退回重办"),
                  ("renumber", "重新编号"))
P, T = "来访人", "办理"
# the five categories of the national hotline; their sub-items are rows of the same code table
# with the category as parent (an administrator may add sub-items)
CATEGORIES = ("1", "2", "3", "4", "5")
SUB_ITEMS = ("101", "102", "103", "104", "105", "109", "201", "202", "203", "204", "209", "301",
             "302", "303", "304", "305", "306", "309", "401", "402", "409", "501", "502", "509")

TICKET = RecordSpec(
    key="rights_ticket",
    list_lead=("person_name",),  # the list shows the person first
    title="来访和12351工单",
    model=RightsTicket,
    display_key="ticket_no",
    default_sort="received_on",
    fields=(
        Field("ticket_no", "工单号", readonly=True, search=True, width=19,
              help="登记时按“本单位区划代码-诉求-年度-4位序号”编号"),
        Field("received_on", "登记日期", Kind.DATE, required=True, filter=True, width=11),
        Field("received_time", "时间", max_len=5, check=check_time, in_list=False,
              help="来访或来电的时刻,如 09:30"),
        Field("channel", "渠道", Kind.CODE, code_table="rights_channel", required=True, filter=True,
              width=6),
        Field("status", "状态", Kind.CODE, choices=STATUS_CHOICES, readonly=True, filter=True,
              width=8),
        Field("person_name", "姓名", required=True, max_len=50, search=True, width=8, section=P, check=person_name_problem),
        Field("gender", "性别", Kind.CODE, code_table="gender", in_list=False, section=P,
              help="有身份证号时由号码得出"),
        Field("id_number", "身份证号", Kind.ID_NUMBER, mask=Mask.ID, in_list=False, section=P),
        Field("phone", "联系电话", Kind.PHONE, mask=Mask.PHONE, search=True, width=14, section=P),
        Field("employer", "工作单位", max_len=100, width=16, section=P),
        Field("address", "住址", max_len=200, in_list=False, section=P),
        Field("union_id", "受理工会", Kind.REF, ref="unit", filter=True,
              in_list=False, section=P, help="空着为本级总工会"),
        Field("visitors", "来访人数", Kind.INT, required=True, default=1, min_value=1,
              max_value=999, width=5, section=P, help="5 人及以上为集体访"),
        Field("collective", "集体访", Kind.BOOL, readonly=True, filter=True, width=5, section=P,
              help="来访人数 5 人及以上"),
        Field("category", "诉求类别", Kind.CODE, code_table="rights_ticket_category",
              not_offered=SUB_ITEMS, required=True, filter=True, width=8, section=P),
        Field("sub_item", "诉求子项", Kind.CODE, code_table="rights_ticket_category",
              not_offered=CATEGORIES, width=12, section=P, help="须属于所选诉求类别"),
        Field("content", "主要诉求", Kind.TEXTAREA, required=True, max_len=4000, width=30,
              section=P),
        Field("complexity", "复杂程度", Kind.CODE, choices=COMPLEXITY_CHOICES, required=True,
              default="normal", width=6, section=P,
              help="决定办理时限(系统设置中的工作日数)"),
        Field("received_by", "接待人", max_len=50, width=8, section=P),
        Field("petition", "信访事项", Kind.BOOL, readonly=True, in_list=False,
              section=T, help="诉求类别为“信访投诉”:受理告知和办理适用法定期限"),
        Field("accept_due_on", "受理告知期限", Kind.DATE, readonly=True, in_list=False, section=T),
        Field("accepted_on", "受理日期", Kind.DATE, readonly=True, in_list=False, section=T),
        Field("due_on", "办理期限", Kind.DATE, readonly=True, width=11, section=T),
        Field("due_note", "期限说明", readonly=True, in_list=False, section=T),
        Field("extended_days", "延长(日)", Kind.INT, readonly=True, default=0, in_list=False, section=T),
        Field("handling", "处理方式", Kind.CODE, choices=HANDLING_CHOICES, readonly=True,
              width=8, section=T),
        Field("handled_by_unit_id", "承办工会", Kind.REF, ref="unit", readonly=True, width=16,
              section=T),
        Field("result", "办理结果", Kind.TEXTAREA, readonly=True, in_list=False, section=T),
        Field("result_on", "办结日期", Kind.DATE, readonly=True, in_list=False, section=T),
        Field("callback_on", "回访日期", Kind.DATE, readonly=True, in_list=False, section=T),
        Field("satisfaction", "满意度", Kind.CODE, code_table="rights_satisfaction", readonly=True,
              width=6, section=T),
        Field("callback_note", "回访情况", Kind.TEXTAREA, readonly=True, in_list=False, section=T),
        Field("note", "备注", Kind.TEXTAREA, max_len=1000, in_list=False, section=T),
    ),
    unit_key="union_id",
    period_key="received_on",
)

STEP = RecordSpec(
    key="rights_ticket_step",
    title="办理记录",
    model=RightsTicketStep,
    display_key="action",
    default_sort="step_no",
    fields=(
        Field("step_no", "序号", Kind.INT, readonly=True, width=4),
        Field("action", "环节", Kind.CODE, choices=ACTION_CHOICES, readonly=True, width=10),
        Field("from_status", "原状态", Kind.CODE, choices=STATUS_CHOICES, readonly=True, width=8),
        Field("to_status", "新状态", Kind.CODE, choices=STATUS_CHOICES, readonly=True, width=8),
        Field("acted_on", "日期", Kind.DATE, readonly=True, width=11),
        Field("opinion", "意见", Kind.TEXTAREA, readonly=True, width=30),
        Field("level_unit_id", "办理单位", Kind.REF, ref="unit", readonly=True, width=16),
        Field("signer_name", "签字人", readonly=True, width=8),
        Field("actor_name", "经办人", readonly=True, width=8),
        Field("actor_role", "角色", readonly=True, in_list=False),
        Field("actor_unit_id", "经办人单位", Kind.REF, ref="unit", readonly=True, in_list=False),
        Field("actor_username", "用户名", readonly=True, in_list=False),
        Field("data", "环节数据", Kind.TEXTAREA, readonly=True, in_list=False),
    ),
)

MODE_CHOICES = (("transfer", "转办"), ("assign", "交办"))

HANDOVER = RecordSpec(
    key="rights_handover",
    title="转办交办",
    model=RightsHandover,
    display_key="handed_on",
    default_sort="handed_on",
    fields=(
        Field("ticket_id", "工单", Kind.REF, ref="rights_ticket", readonly=True, width=13),
        Field("seq", "次序", Kind.INT, readonly=True, in_list=False),
        Field("mode", "方式", Kind.CODE, choices=MODE_CHOICES, readonly=True, filter=True, width=5),
        Field("target_unit_id", "承办工会", Kind.REF, ref="unit", readonly=True, filter=True,
              width=18),
        Field("handed_on", "转办日期", Kind.DATE, readonly=True, width=11),
        Field("due_on", "反馈期限", Kind.DATE, readonly=True, filter=True, width=11),
        Field("via", "送达方式", Kind.CODE, choices=VIA_CHOICES, readonly=True, filter=True, width=8),
        Field("requirements", "办理要求", Kind.TEXTAREA, readonly=True, in_list=False),
        Field("handed_by", "转办人", readonly=True, width=8),
        Field("withdrawn_on", "收回日期", Kind.DATE, readonly=True, width=11),
    ),
    unit_key="target_unit_id",
    period_key="handed_on",
)

REPLY = RecordSpec(
    key="rights_reply",
    title="办理反馈",
    model=RightsReply,
    display_key="handler",
    default_sort="replied_on",
    fields=(
        Field("handover_id", "转办单", Kind.REF, ref="rights_handover", readonly=True, in_list=False),
        Field("ticket_id", "工单", Kind.REF, ref="rights_ticket", readonly=True, width=13),
        Field("unit_id", "反馈工会", Kind.REF, ref="unit", readonly=True, width=18),
        Field("replied_on", "反馈日期", Kind.DATE, required=True, width=11),
        Field("result", "办理结果", Kind.TEXTAREA, required=True, max_len=4000, width=30),
        Field("handler", "承办人", required=True, max_len=50, width=8,
              help="纸质反馈时填反馈材料上的签字人"),
        Field("via", "反馈方式", Kind.CODE, choices=VIA_CHOICES, readonly=True, width=8),
        Field("entered_by", "录入人", readonly=True, width=8),
    ),
    unit_key="unit_id",
    period_key="replied_on",
)

SPECS = (STEP, HANDOVER, REPLY)

# -- the inputs of each chain step ---------------------------------------------------------------
OPINION = Field("opinion", "意见", Kind.TEXTAREA, max_len=2000)
ACTED_ON = Field("acted_on", "日期", Kind.DATE, help="空着取今天")
RESULT = Field("result", "办理结果", Kind.TEXTAREA, required=True, max_len=4000)
STEP_FIELDS: dict[str, tuple[Field, ...]] = {
    "accept": (Field("complexity", "复杂程度", Kind.CODE, choices=COMPLEXITY_CHOICES,
                     help="空着不变;改变后按新的复杂程度重算办理期限(信访事项按法定期限)"),
               OPINION, ACTED_ON),
    "answer": (RESULT, ACTED_ON),
    "reject": (Field("opinion", "不予受理理由及告知情况", Kind.TEXTAREA, required=True,
                     max_len=2000), ACTED_ON),
    "handover": (Field("mode", "方式", Kind.CODE, choices=MODE_CHOICES, required=True,
                       default="transfer"),
                 Field("target_unit_id", "承办工会", Kind.REF, ref="unit", required=True,
                       help="本县的乡镇、街道或系统工会打印转办单;市总或外县工会通过数据包转去"),
                 Field("due_on", "反馈期限", Kind.DATE, help="空着取工单的办理期限"),
                 Field("requirements", "办理要求", Kind.TEXTAREA, max_len=2000), ACTED_ON),
    "result": (Field("result", "办理结果", Kind.TEXTAREA, max_len=4000,
                     help="已转办的工单空着取承办工会最近一次反馈"), ACTED_ON),
    "callback": (Field("satisfaction", "满意度", Kind.CODE, code_table="rights_satisfaction",
                       required=True),
                 Field("opinion", "回访情况", Kind.TEXTAREA, max_len=2000), ACTED_ON),
    "archive": (OPINION, ACTED_ON),
    "extend": (Field("days", "延长日数", Kind.INT, required=True, min_value=1, max_value=90,
                     help="信访事项办理期限最多延长的日数见系统设置"),
               Field("opinion", "延期理由", Kind.TEXTAREA, required=True, max_len=2000), ACTED_ON),
    "return": (Field("opinion", "退回重办理由", Kind.TEXTAREA, required=True, max_len=2000),
               ACTED_ON),
}
