"""F1 困难职工(家庭)档案表 — the office copy of the national form, on two A4 pages
(records-and-forms.md §A.6, §A.10).

Page 1: the person, work, housing and health, and the household's economics with the eligibility
working. Page 2 (headed again by 职工编号 / 姓名 / 档案编号): the family table with every column of
the national form (three lines per member), the causes, 解困脱困 (五类重点群体, 四个一批), the bank
account, the attachments, 建档人 / 审核人 / 录入人, and the three opinion blocks with signature,
date and room for the stamp; then the 填表说明 with the allowed values (from the code tables, so an
administrator's change shows here) and 本表一式三份. Numbers are printed in full when the user may
see them: this is the copy the office files, not a public one.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from app.fields.hardship import ARCHIVE
from app.printing.blocks import HeaderLine, Notes, PageBreak, Title
from app.printing.document import FormDoc
from app.printing.forms import hardship_common as hc
from app.printing.grid import Cell, Grid, Label, Opinion, Value
from app.printing.registry import FormDef
from app.services.hardship import forms, options

TITLE = "困难职工(家庭)档案表"
SIZE = 10.5  # 五号: a dense form (records-and-forms.md §A.0); captions in 小五
LABEL_SIZE = 9
WEIGHTS = [1.1, 1.5, 1.1, 1.05, 1.1, 1.05, 1.1, 1.5]  # label, value × 4 (1st and 4th wide)
WEIGHTS_2 = [1.5, 1.45, 1.5, 1.45, 1.5, 1.45]  # page 2: label, value × 3
# The family table: three lines per member on a grid of 24 narrow columns (after 序号), each cell
# spanning what its content needs — every column of the national form.
TIERS = (
    (("name", 3), ("relation", 2), ("ethnicity", 2), ("id_number", 5), ("birth_date", 4), ("age", 1),
     ("gender", 1), ("political_status", 3), ("monthly_income_fen", 3)),
    (("model_worker_type", 2), ("health_status", 3), ("disability_category", 2),
     ("disability_grade", 2), ("medical_insurance", 3), ("marital_status", 2), ("hukou_type", 2),
     ("phone", 3), ("identity", 3), ("education", 2)),
    (("enrolled_year", 2), ("study_years", 1), ("work_or_school", 5), ("unit_nature", 3),
     ("enterprise_status", 2), ("industry", 3), ("work_status", 2), ("contract_on", 3),
     ("contract_term", 2), ("notes", 1)),
)
FAMILY_WEIGHTS = [0.7] + [1.0] * 24
HEADINGS = {"monthly_income_fen": "月收入(元)", "age": "年龄", "disability_category": "疾病/残疾类别",
            "contract_on": "劳动合同签订/入伍时间"}
# Allowed values printed in the 填表说明: (caption, code table).
ALLOWED = (("工作状态(身份)", "work_status"), ("劳模类型", "model_worker_type"),
           ("住房类型", "housing_type"), ("健康状况", "health_status"), ("致困原因", "hardship_cause"),
           ("五类重点群体", "key_group"), ("“四个一批”措施", "four_batches"))


def _l(key: str, **kw) -> Cell:
    return Label(hc.archive_label(key), size=LABEL_SIZE, **kw)


def _label(text: str, **kw) -> Cell:
    return Label(text, size=LABEL_SIZE, **kw)


def _v(data: dict, key: str, span: int = 1, **kw) -> Cell:
    return Value(data["fields"][key]["text_cn"], span=span, **kw)


def _pair(data, key, span=1):
    return [_l(key), _v(data, key, span)]


def _section(text: str, span: int = 8) -> list[Cell]:
    return [Label(text, span=span, size=12)]


def page_one(ctx, data: dict) -> Grid:
    """Columns: label, wide value (dates, numbers), label, value, label, value, label, wide value."""
    f = data["fields"]
    cat = [(e.code, e.label.removesuffix("职工家庭"))
           for e in ctx.codes.items("hardship_category", active_only=False)]
    disability = " ".join(t for t in (f["disability_category"]["text"], f["disability_grade"]["text"]) if t)
    rigid = hc.yuan(f["rigid_expense_fen"]["value"])
    if data["expenses"]:
        rigid += "(" + ";".join(f"{e['item']} {e['amount_fen']}元" for e in data["expenses"]) + ")"
    area = f["housing_area"]["text"]
    rows = [
        [_l("national_no"), _v(data, "national_no", 3), _label("*困难类别"),
         Value(hc.choice(cat, f["category"]["value"]), span=3)],
        _pair(data, "name") + _pair(data, "gender") + _pair(data, "ethnicity") + _pair(data, "birth_date"),
        _pair(data, "id_number", 3) + _pair(data, "political_status") + _pair(data, "marital_status"),
        _pair(data, "phone") + _pair(data, "health_status") + [_label("残疾类别"), Value(disability)]
        + _pair(data, "hukou_type"),
        _pair(data, "address", 3) + _pair(data, "other_contact") + _pair(data, "postcode"),
        _pair(data, "employer", 3) + [_label("所属基层工会"), Value(data["union_name"], span=3)],
        _pair(data, "work_started_on") + _pair(data, "industry", 3) + _pair(data, "contract_on"),
        _pair(data, "work_status") + _pair(data, "unit_nature") + _pair(data, "enterprise_status")
        + _pair(data, "contract_term"),
        _pair(data, "model_worker_type") + _pair(data, "single_parent") + _pair(data, "housing_type")
        + [_l("housing_area"), Value(area)],
        _section("家庭经济状况"),
        [_l("monthly_income_fen"), Value(hc.yuan(f["monthly_income_fen"]["value"])),
         _l("other_annual_income_fen"), Value(hc.yuan(f["other_annual_income_fen"]["value"])),
         _label("*家庭人口"), Value(f"{f['household_size']['text']}人"),
         _label("*家庭年度总收入"), Value(hc.yuan(f["family_annual_income_fen"]["value"]))],
        [_l("per_capita_fen"), Value(hc.yuan(f["per_capita_fen"]["value"])),
         _l("rigid_expense_fen"), Value(rigid, span=3, size=9), _label("*户口所在地行政区划"),
         _v(data, "hukou_region")],
        _pair(data, "medical_insurance") + _pair(data, "self_help") + _pair(data, "zero_employment")
        + _pair(data, "exclusions"),
        [_l("accident_costs_fen"), Value(hc.yuan(f["accident_costs_fen"]["value"]))]
        + _pair(data, "accident_event") + _pair(data, "accident_note", 3),
    ]
    return Grid(WEIGHTS, rows, size=SIZE, min_row=7 * mm, pad_y=0.9 * mm)


ON_PAGE_TWO = 7  # family members page 2 holds (a household of 8); the rest go to a 续表 page
ROOMY = 2  # up to this many members the rows keep their full height; more are set tighter


def family_table(data: dict, members: list[dict], first: int = 1, title: str = "家庭成员情况") -> Grid:
    """The family table; its rows adapt to the household: up to ``ROOMY`` members at full
    height, more in a tighter setting, so a household of 8 keeps the 档案表 to two pages."""
    labels = dict(data["member_columns"])
    rows = []
    for t, tier in enumerate(TIERS):
        row = [_label("序号", rowspan=3)] if t == 0 else []
        row += [_label(HEADINGS.get(k, labels[k]), span=n) for k, n in tier]
        rows.append(row)
    for i, m in enumerate(members, first):
        for t, tier in enumerate(TIERS):
            row = [Value(str(i), rowspan=3, align="center")] if t == 0 else []
            row += [Value(str(m[k]) if m[k] not in (None, "") else "", span=n) for k, n in tier]
            rows.append(row)
    if not members:
        rows.append([Value(""), Value("(无共同生活的家庭成员)", span=24, align="center")])
    if len(data["members"]) <= ROOMY:
        return Grid(FAMILY_WEIGHTS, [_section(title, 25)] + rows, size=9, min_row=6 * mm,
                    pad=1.0 * mm, pad_y=0.8 * mm, min_fit=8.0)
    return Grid(FAMILY_WEIGHTS, [_section(title, 25)] + rows, size=7.5, min_row=4.4 * mm,
                pad=0.8 * mm, pad_y=0.3 * mm, min_fit=6.5)


def continuation_pages(data: dict) -> list:
    """The members beyond ``ON_PAGE_TWO``: a 续表 page (or more) after page 2."""
    rest = data["members"][ON_PAGE_TWO:]
    if not rest:
        return []
    return [PageBreak(), Title(data["title_unit"] + TITLE + "(续表)", size=16),
            family_table(data, rest, ON_PAGE_TWO + 1, "家庭成员情况(续)")]


CAUSE_ROWS = 3  # 致困原因 … 解困脱困: at page 1's foot when the family table needs page 2
MOVE_CAUSES = 4  # … for households with more family members than this


def page_two(ctx, data: dict) -> tuple[list, list]:
    """(blocks for the foot of page 1, page 2)."""
    causes = data["causes"]
    files = ";".join(f"{i}. {a['kind']}({a['name']})" for i, a in enumerate(data["attachments"], 1))
    rows = [
        [_label("*主要致困原因"), Value(causes["main"]), _label("次要致困原因"),
         Value("、".join(causes["minor"]), span=3)],
        _pair(data, "cause_other_text", 5),
        _pair(data, "relief_target") + _pair(data, "relief_target_on") + [_label("建档日期"),
                                                                           _v(data, "archived_on")],
        _pair(data, "key_group", 5),
        [_label("“四个一批”措施"), _v(data, "four_batches", 5)],
        _pair(data, "bank_name") + _pair(data, "bank_branch", 3),
        _pair(data, "bank_account", 5),
        [_label("附件"), Value(files or "无", span=5)],
        _pair(data, "prepared_by") + _pair(data, "reviewer_name") + _pair(data, "entered_by"),
        _pair(data, "notes", 5),
    ]
    ops = data["opinions"]
    cells = []
    for title, key in (("基层党组织或行政意见:", None), ("基层工会或办事处意见:", "grassroots"),
                       ("系统工会意见:", "township")):
        op = ops.get(key) if key else None
        text = title + ("\n" + op["opinion"] if op and op["opinion"] else "")
        cells.append(Opinion(text, signer=op["signer"] if op else "",
                             date_text=op["date_cn"] if op else "年    月    日",
                             min_height=42 * mm))
    big = len(data["members"]) > ROOMY  # a big household: the rows under the family table tighter
    def facts(part):
        return Grid(WEIGHTS_2, part, size=SIZE, min_row=(6 if big else 7) * mm,
                    pad_y=(0.6 if big else 0.9) * mm)

    # the opinions never stand alone on a page: the last facts (the people who built and
    # checked the archive) move with them
    # a big household's family table takes the room of the causes, which go to page 1's foot
    moved = CAUSE_ROWS if len(data["members"]) > MOVE_CAUSES else 0
    page_one_foot = [facts(rows[:moved])] if moved else []
    return page_one_foot, [family_table(data, data["members"][:ON_PAGE_TWO]), facts(rows[moved:-2]),
                           hc.Together(facts(rows[-2:]), Grid([1, 1, 1], [cells], size=SIZE),
                                       Notes([], title="", copies=COPIES, size=9))]


COPIES = "本表一式三份,基层工会、乡镇(街道)或系统工会、县总工会各存一份。"


def notes(ctx, size: float = 9) -> Notes:
    cached = ctx.cache.get("archive_notes")
    if cached is None:
        allowed = ";".join(f"{caption}:" + "、".join(e.label for e in ctx.codes.items(table))
                           for caption, table in ALLOWED)
        cached = ctx.cache["archive_notes"] = [
            "打*号的项目为必填项目;身份证号必须是18位(15位旧号码按规则升级);日期按“2009年7月1日”格式填写;"
            "主要致困原因选一项,次要致困原因最多三项,选“其他”的须写明具体原因。",
            "家庭人口为户主加共同生活的家庭成员;家庭月人均收入 =(家庭年度总收入 − 准予扣除的刚性支出)"
            "÷ 12 ÷ 家庭人口;住房面积档次:20平方米及以下、20至50、50至70、70平方米以上。",
            "可填写的值——" + allowed + "。",
        ]
    return Notes(list(cached), size=size)


def build(ctx, archive) -> FormDoc:
    data = forms.archive_values(ctx.session, archive, reveal=ctx.reveal)
    f = data["fields"]
    number = hc.archive_number(ctx, archive)
    foot, second = page_two(ctx, data)
    kind = hc.choice(((False, "困难职工"), (True, "困难农民工")), bool(archive.is_migrant_worker))
    blocks = [
        Title(data["title_unit"] + TITLE, subtitle=f"【{kind}】", size=18, sub_size=12),
        HeaderLine(f"填报单位(盖章):{data['union_name']}", f"填表日期:{f['applied_on']['text_cn']}"
                   if f["applied_on"]["value"] else "填表日期:    年    月    日", f"编号:{number}",
                   size=SIZE),
        *filter(None, [hc.closed_line(ctx, archive)]),
        page_one(ctx, data),
        *foot,
        notes(ctx, 8.5 if foot else 9),
        PageBreak(),
        *second,
        *continuation_pages(data),
    ]
    head = hc.KeyLine([("职工编号", f["national_no"]["text"] or "—"), ("姓名", archive.name),
                       ("档案编号", number)])
    return FormDoc(TITLE, blocks, number, hc.qr_of(ARCHIVE, archive), continuation=head,
                   record_ids=(archive.id,))


FORMS = (FormDef("archive_form", TITLE, ARCHIVE.key, build=build, load=hc.load_archives,
                 lookup=hc.lookup_archive, select=hc.select_archives,
                 options=options.ARCHIVE_FILTERS, file_stem=hc.archive_stem(TITLE),
                 number_kind=hc.ARCHIVE_KIND),)
