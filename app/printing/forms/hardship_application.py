"""F2 困难职工帮扶申请(审批)表 (records-and-forms.md §A.10): the applicant, the 申请事由 with the
applicant's signature, the eligibility working as the engine computed it ("家庭月人均可支配收入 = …
< 2×低保标准 …"), then four stacked opinion cells — 基层工会 (入户调查情况, 初审意见),
乡镇(街道)/系统工会复审, 县困难职工帮扶中心审核 (民政核对结果), 县总工会党组审批 — each filled with
the recorded opinion, signer and date once that step happened, blank for the pen otherwise.

公示情况 is a row of its own between the centre's 审核 and the 党组's 审批: in this office's chain
(Anhui variant, README) the county holds the 公示 after the centre's 审核, so it cannot sit under
the grassroots signer's name and earlier date, as §A.10's (unchecked, [K]) layout would put it.
Blank, it leaves the window, place and result for the pen.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from app.fields.hardship import ARCHIVE, CIVIL_CHECK_CHOICES
from app.printing.blocks import HeaderLine, Notes, Title
from app.printing.document import FormDoc
from app.printing.forms import hardship_common as hc
from app.printing.forms.hardship_archive import SIZE, WEIGHTS, _l, _label, _pair
from app.printing.grid import Grid, Opinion, Value
from app.printing.registry import FormDef
from app.services.form_numbers import APPLICATION_KIND
from app.services.hardship import forms, options
from app.validation import format_cn_date

TITLE = "困难职工帮扶申请(审批)表"
BLANK_DATE = "年    月    日"
BLANK_PUBLICITY = "公示期:    年    月    日至    年    月    日        公示地点:\n公示结果:"
NOTES = ["申请事由由申请人本人填写(或由经办人代写后经本人确认),并由本人签字。",
         "各级意见须由负责人签字并加盖公章;代下级工会录入的意见,以纸质意见上的签字为准。",
         "家庭月人均可支配收入低于当地城市低保标准的为深度困难职工家庭,低于2倍的为相对困难职工家庭。"]
COPIES = "本表一式三份,基层工会、乡镇(街道)或系统工会、县总工会各存一份。"


def _grassroots_text(f: dict, data: dict) -> str:
    op = data["opinions"]["grassroots"]
    lines = ["基层工会初审意见:"]
    if f["investigated_on"]["value"]:
        lines.append(f"入户调查情况:{f['investigation_findings']['text']}(调查人:{f['investigator_1']['text']}、"
                     f"{f['investigator_2']['text']},{f['investigated_on']['text_cn']})")
        lines.append("家庭经济状况核对授权委托书:" + ("已签署" if f["authorization_signed"]["value"] else "未签署"))
    else:
        lines.append("入户调查情况:")
    lines.append("初审意见:" + (op["opinion"] if op else ""))
    return "\n".join(lines)


def _clause(text: str) -> str:
    """A clause to join with others: its own closing punctuation dropped (no "。。" or "。;")."""
    return text.strip().rstrip("。.;;,,、 ")


def _publicity_text(f: dict, data: dict) -> str:
    """公示期 (working days), place, each objection raised and the result, as one sentence."""
    if not f["publicity_start"]["value"]:
        return BLANK_PUBLICITY
    text = (f"{f['publicity_start']['text_cn']}至{f['publicity_end']['text_cn']}"
            f"({f['publicity_days']['text']}个工作日)")
    if f["publicity_place"]["text"]:
        text += f"在{_clause(f['publicity_place']['text'])}"
    text += "公示"
    objections = [o for o in data["opinions"]["objections"] if _clause(o["text"] or "")]
    if objections:
        text += ";公示期间异议:" + ";".join(f"{format_cn_date(o['date'])} {_clause(o['text'])}"
                                          for o in objections)
    if _clause(f["publicity_result"]["text"]):
        text += ";结果:" + _clause(f["publicity_result"]["text"])
    return text + "。"


def _center_text(f: dict, data: dict) -> str:
    op = data["opinions"]["center"]
    check = "民政核对结果:"
    if f["civil_check_result"]["value"]:
        check += dict(CIVIL_CHECK_CHOICES)[f["civil_check_result"]["value"]]
        details = [t for t in (f["civil_check_batch"]["text"] and f"批次 {f['civil_check_batch']['text']}",
                               f["civil_check_sent_on"]["text_cn"] and f"{f['civil_check_sent_on']['text_cn']}送核",
                               f["civil_check_result_on"]["text_cn"] and f"{f['civil_check_result_on']['text_cn']}反馈")
                   if t]
        if details:
            check += "(" + ",".join(details) + ")"
    return "县困难职工帮扶中心审核意见:\n" + check + "\n审核意见:" + (op["opinion"] if op else "")


def _opinion(text: str, op: dict | None) -> Opinion:
    return Opinion(text, span=8, signer=op["signer"] if op else "",
                   date_text=op["date_cn"] if op else BLANK_DATE, min_height=40 * mm)


def build(ctx, archive) -> FormDoc:
    data = forms.archive_values(ctx.session, archive, reveal=ctx.reveal)
    f, ops = data["fields"], data["opinions"]
    number = hc.archive_number(ctx, archive)
    grade = f["category"]["text"] or "(未认定)"
    if f["category_overridden"]["value"]:
        grade += f"(系统认定:{f['proposed_category']['text'] or '不符合'};改定理由:{f['category_reason']['text']})"
    # the reason typed at 提交申请, unless the archive holds one of its own
    reason = f["application_reason"]["text"] or (ops["submit"]["opinion"] if ops["submit"] else "")
    applicant = [
        _pair(data, "name") + _pair(data, "gender") + _pair(data, "ethnicity") + _pair(data, "birth_date"),
        _pair(data, "id_number", 3) + _pair(data, "political_status") + _pair(data, "phone"),
        _pair(data, "employer", 3) + [_label("所属基层工会"), Value(data["union_name"], span=3)],
        _pair(data, "work_status") + _pair(data, "health_status")
        + [_label("*家庭人口"), Value(f"{f['household_size']['text']}人"),
           _label("家庭年度总收入"), Value(hc.yuan(f["family_annual_income_fen"]["value"]))],
        _pair(data, "address", 5) + [_l("per_capita_fen"), Value(hc.yuan(f["per_capita_fen"]["value"]))],
        [_label("*主要致困原因"), Value(data["causes"]["main_explained"], span=3), _label("次要致困原因"),
         Value("、".join(data["causes"]["minor_explained"]), span=3)],
        [Opinion("申请事由:\n" + reason, span=8, stamp=False,
                 signer_label="申请人签字:", date_text=f["applied_on"]["text_cn"] or BLANK_DATE,
                 min_height=30 * mm)],
        [_label("困难类别"), Value(grade, span=7)],
        [_label("认定计算过程"), Value("\n".join(data["eligibility_lines"]) or "(未认定)", span=7,
                                   size=9.5)],
        [_opinion(_grassroots_text(f, data), ops["grassroots"])],
        [_opinion("乡镇(街道)/系统工会复审意见:\n" + (ops["township"]["opinion"] if ops["township"] else ""),
                  ops["township"])],
        [_opinion(_center_text(f, data), ops["center"])],
        [_label("公示情况"), Value(_publicity_text(f, data), span=7, min_height=14 * mm)],
        [_opinion("县总工会党组审批意见:\n" + (ops["approve"]["opinion"] if ops["approve"] else ""),
                  ops["approve"])],
    ]
    blocks = [
        Title(data["title_unit"] + TITLE, size=18),
        HeaderLine(f"填报单位(盖章):{data['union_name']}",
                   f"填表日期:{f['applied_on']['text_cn'] or BLANK_DATE}", f"编号:{number}", size=SIZE),
        *filter(None, [hc.closed_line(ctx, archive)]),
        Grid(WEIGHTS, applicant, size=SIZE, min_row=8 * mm),
        Notes(NOTES, size=9, copies=COPIES),
    ]
    head = hc.KeyLine([("申请人", archive.name), ("身份证号", f["id_number"]["text"]), ("编号", number)])
    return FormDoc(TITLE, blocks, number, hc.qr_of(ARCHIVE, archive), continuation=head,
                   record_ids=(archive.id,))


FORMS = (FormDef("aid_application", TITLE, ARCHIVE.key, build=build, load=hc.load_archives,
                 lookup=hc.lookup_archive, select=hc.select_archives,
                 options=options.ARCHIVE_FILTERS, file_stem=hc.archive_stem(TITLE),
                 number_kind=APPLICATION_KIND),)
