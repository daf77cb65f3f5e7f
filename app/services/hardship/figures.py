"""The figures of seed section (六), declared (``app.kit.figures``): what the half-year summary
fills in, the area's statistics tab, ``stats hardship`` and the home cards read.

What is counted (each figure's note says it too):
- money and goods: every ledger line dated in the period, reversals included, so a corrected
  payout nets out (a reversal carries the date of the line it reverses);
- 救助困难职工家庭 (户): archives whose net relief in the period is positive;
- 救助困难职工 (人): distinct ID numbers of workers whose net relief in the period is positive —
  one person per household, the 户主 or applicant, 意外救助 before an archive included;
- visits: distinct enterprises / people visited in the period (a second visit counts once);
- archives: opened (建档), re-checked (年审), exited (脱困), cancelled (注销) in the period, and those
  in force at its end;
- 金秋助学: applications approved (or paid) with a decision date in the period, and their grants.
"""

from __future__ import annotations

from app.kit.figures import PERIOD, PERIOD_END, Distinct, FigureDef, Sum

A, L, V, S = "hardship_archive", "relief_entry", "hardship_visit", "hardship_study_aid"
IN_REVIEW = ("applied", "grassroots_ok", "township_ok", "center_ok", "publicizing", "publicized")
GRAIN = ("rice", "flour", "oil")  # 米、面、油

FIGURES = (
    FigureDef("relief_cash", "发放困难职工慰问金(救助金)", "万元", L, Sum("cash_fen", wan=True),
              {"with_cash": True}, note="现金合计 {yuan} 元,已扣除冲正",
              seed="县总工会共发放困难职工慰问金▢万元"),
    FigureDef("goods_value", "慰问品折价", "万元", L, Sum("goods_value_fen", wan=True),
              note="物品折价合计 {yuan} 元"),
    FigureDef("grain_jin", "米、面、油", "斤", L, Sum("goods_qty"),
              {"goods_kind": GRAIN, "goods_unit": "jin"},
              note="以斤计量的大米、面粉、食用油;其他计量单位另列", seed="米、面、油▢多斤"),
    FigureDef("goods", "{goods_kind}({goods_unit})", "{goods_unit}", L, Sum("goods_qty"),
              by=("goods_kind", "goods_unit")),
    FigureDef("relief_total", "救助金额(现金与物品折价)", "万元", L,
              Sum(("cash_fen", "goods_value_fen"), wan=True),
              note="现金与物品折价合计 {yuan} 元,冲正已抵减", home="{year}年救助金额"),
    FigureDef("households_helped", "救助困难职工家庭", "户", A, filters={"helped": PERIOD},
              period=False, note="期内净获救助的建档家庭(扣除冲正后仍有现金、物品折价或物品数量)"),
    FigureDef("workers_helped", "救助困难职工", "人", L, Distinct(("recipient_id_number",)),
              {"recipient_kind": "worker", "person_helped": PERIOD},
              note="按身份证号去重的困难职工(户主或申请人,每户一人),含未建档的意外救助",
              seed="救助困难职工共▢人"),
    FigureDef("people_covered", "覆盖家庭人口", "人", A, Sum("household_size"),
              {"helped": PERIOD}, period=False, note="上述建档家庭的家庭人口之和"),
    FigureDef("visits_enterprise", "走访慰问困难企业", "家", V, Distinct(("unit_id", "target_name")),
              {"target_kind": "enterprise"}, note="期内走访的不同企业数(同一企业多次走访计一次)",
              seed="走访慰问困难企业▢家"),
    FigureDef("visits_worker", "走访慰问困难职工", "人", V,
              Distinct(("archive_id", "target_id_number", "target_name")), {"target_kind": "worker"},
              note="期内走访的不同职工数(同一对象多次走访计一次)", seed="走访慰问困难职工▢人"),
    FigureDef("visits_model_worker", "走访慰问困难劳模", "人", V,
              Distinct(("target_id_number", "target_name")), {"target_kind": "model_worker"},
              note="期内走访的不同劳模数(同一对象多次走访计一次)", seed="困难劳模▢人"),
    FigureDef("visits_frontline", "走访慰问一线职工", "人", V,
              Distinct(("target_id_number", "target_name")), {"target_kind": "frontline"},
              note="期内走访的不同一线职工数(同一对象多次走访计一次)"),
    FigureDef("visits_total", "走访慰问人次(家次)", "次", V),
    FigureDef("archives_opened", "新建档困难职工家庭", "户", A),
    FigureDef("archives_rechecked", "年审困难职工家庭", "户", A, filters={"rechecked": PERIOD},
              period=False),
    FigureDef("archives_exited", "脱困", "户", A, filters={"status": "exited", "closed_on": PERIOD},
              period=False),
    FigureDef("archives_cancelled", "注销档案", "户", A,
              filters={"status": "cancelled", "closed_on": PERIOD}, period=False),
    FigureDef("archives_in_force", "期末在档困难职工家庭", "户", A, filters={"in_force_on": PERIOD_END},
              period=False, note="期末已建档且未脱困、未注销的家庭", home="在档困难职工"),
    FigureDef("archives_in_review", "审核中档案", "件", A, filters={"status": IN_REVIEW},
              period=False, note="当前已提交、尚未党组审批的档案(不按期间)", home="审核中档案"),
    FigureDef("study_aid_grants", "金秋助学资助学生", "人", S,
              filters={"status": ("approved", "paid"), "decided_on": PERIOD}, period=False,
              home="{year}年金秋助学"),
    FigureDef("study_aid_amount", "金秋助学金", "万元", S, Sum("granted_fen", wan=True),
              {"status": ("approved", "paid"), "decided_on": PERIOD}, period=False,
              note="批准金额合计 {yuan} 元"),
)
