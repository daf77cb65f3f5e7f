"""The figures of seed section (七) that the area's records give (declared: ``app.kit.figures``):
unions founded, 会籍 changes, elections held and due, homes named, books donated, trainees.
Each opens exactly the records it counts."""

from __future__ import annotations

from app.kit.figures import PERIOD, PERIOD_END, Count, FigureDef, Sum

GRASSROOTS = ("grassroots", "federation")

FIGURES = (
    FigureDef("unions_founded", "新建基层工会", "家", "unit", Count(), {"kind": GRASSROOTS},
              note="成立日期在期内的基层工会和联合基层工会",
              seed="推动非公企业工会“建起来”(新建工会 ▢家)", home="{year}年新建工会"),
    FigureDef("members_joined", "新入会会员", "人", "membership_event", Count(), {"kind": "join"},
              note="期内办理入会的会员(会籍记录“入会”)", seed="动员职工加入工会组织(会员发展 ▢人)",
              home="{year}年新入会"),
    FigureDef("members_transferred_in", "转入会员", "人", "membership_event", Count(),
              {"kind": "transfer_in"}, note="本县工会之间转接的、外县转入的"),
    FigureDef("members_transferred_out", "转出会员", "人", "membership_event", Count(),
              {"kind": "transfer_out"}),
    FigureDef("members_retained", "保留会籍", "人", "membership_event", Count(), {"kind": "retain"},
              note="退休、下岗、失业等保留会籍"),
    FigureDef("members_left", "退会会员", "人", "membership_event", Count(), {"kind": "leave"}),
    FigureDef("members_expelled", "开除会籍", "人", "membership_event", Count(), {"kind": "expel"}),
    FigureDef("elections_held", "完成换届选举", "个", "election", Count(), note="选举日期在期内"),
    FigureDef("elections_due", "任期届满未换届", "个", "election", Count(), {"due_by": PERIOD_END},
              period=False, note="至期末任期已届满、尚无新一届选举的基层工会", home="任期届满未换届"),
    FigureDef("homes_named", "命名职工之家(小家)", "个", "home_award", Count(), {"named_on": PERIOD},
              period=False, seed="“模范职工之家”动态评估管理(命名 ▢个)", home="{year}年命名职工之家"),
    FigureDef("books_donated", "赠送图书", "册", "book_donation", Sum("copies"),
              seed="向基层工会干部和职工书屋赠送图书(▢册)", home="{year}年赠送图书"),
    FigureDef("books_list_price", "赠书码洋", "万元", "book_donation", Sum("list_price_fen", wan=True),
              note="合计 {yuan} 元"),
    FigureDef("training_sessions", "培训班(讲堂)", "期", "training_session", Count()),
    FigureDef("trainees", "培训学员", "人次", "trainee", Count(), note="按开班日期计,一人参加多期计多人次",
              seed="加大对工会干部培训力度(培训 ▢人次)", home="{year}年培训人次"),
)
