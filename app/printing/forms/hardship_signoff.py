"""F5 送温暖慰问金(品)发放签收表 (records-and-forms.md §A.10): a public list on A4 landscape of the
payouts of a campaign, a batch and/or a period (and a union's subtree), one line per payout that
one person signs for: 序号, 姓名, 身份证号 (masked: a public copy), 慰问类别, 单位或乡镇, 慰问金, the
goods as one column per kind and unit (大米(斤), 食用油(桶)…), 领取人签字, 代领人及关系, 联系电话
(masked), 备注. Every page carries its 本页小计; the last one the grand total in figures and
人民币大写, then the signatures of 经办人 / 审核人 / 分管领导 / 主要负责人. The engine refuses to
print when the figures, the 大写, the rows, the page subtotals or a declared batch total disagree.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from app.errors import AppError
from app.printing.blocks import HeaderLine, Notes, Signatures, Title
from app.printing.document import FormDoc
from app.printing.forms.common import safe_stem
from app.printing.listtable import Column, ListTable
from app.printing.qr import build_payload, content_hash
from app.printing.registry import FormDef, FormOption
from app.services.hardship import forms, options
from app.validation import AmountError, format_cn_date, parse_amount, yuan_to_fen

TITLE = "慰问金(品)发放签收表"
MAX_GOODS_COLUMNS = 4  # more kinds of goods than this share one text column
DECLARED = FormOption("declared_total", "--declared-total",
                      "签收表:批次核定的慰问金总额(元),与明细合计不一致时拒绝打印", metavar="金额",
                      label="核定慰问金总额(元)")
COPIES = "本表一式三份,财务、存档、上级工会各一份。"
ENTERPRISE = "enterprise"  # visit_target: a payout to an enterprise, not to a person


def _declared(options_: dict) -> int | None:
    raw = options_.get("declared_total")
    if not raw:
        return None
    try:
        return yuan_to_fen(parse_amount(raw))
    except AmountError as exc:
        raise AppError(f"{DECLARED.label}:{exc}") from None


def _title(ctx, parsed, options_: dict) -> tuple[str, str]:
    """(title, subtitle): the campaign's name, else the batch, else the period under the title."""
    if options_.get("campaign"):
        campaign = options.campaign_of(ctx.session, options_["campaign"])
        return f"{ctx.unit_name}{campaign.name}{TITLE}", ""
    if options_.get("batch"):
        return f"{ctx.unit_name}{str(options_['batch']).strip()}{TITLE}", ""
    return f"{ctx.unit_name}{TITLE}", f"({parsed.text})" if parsed.text else ""


def _dates(rows: list[dict], entries_by_id: dict) -> str:
    days = sorted({entries_by_id[i] for r in rows for i in r["entry_ids"]})
    if not days:
        return ""
    if days[0] == days[-1]:
        return format_cn_date(days[0])
    return f"{format_cn_date(days[0])}至{format_cn_date(days[-1])}"


def _counter(rows: list[dict]):
    """What a subtotal or the total adds up: the workers who sign in person (人) and the
    enterprises visited (家企业), counted apart as the 走访 statistics count them."""
    firms = [r["recipient_kind"] == ENTERPRISE for r in rows]

    def count(indices: range) -> str:
        n_firms = sum(firms[i] for i in indices)
        people = len(indices) - n_firms
        if n_firms and people:
            return f"{people}人、{n_firms}家企业"
        return f"{n_firms}家企业" if n_firms else f"{people}人"

    return count


def build(ctx, options_: dict) -> FormDoc:
    from sqlalchemy import select

    from app.models import ReliefEntry

    parsed = options.ledger_selection(ctx.session, options_, paper=True)
    data = forms.signoff_values(ctx.session, parsed.query, reveal=False)
    rows = data["rows"]
    if not rows:
        raise AppError("所选范围内没有发放记录,未打印签收表")
    order = {e.label: i for i, e in enumerate(ctx.codes.items("goods_kind", active_only=False))}
    units = {e.label: i for i, e in enumerate(ctx.codes.items("goods_unit", active_only=False))}
    kinds = sorted(((g["kind"], g["unit"]) for g in data["goods_totals"]),
                   key=lambda ku: (order.get(ku[0], 99), units.get(ku[1], 99)))
    numeric = kinds if len(kinds) <= MAX_GOODS_COLUMNS else kinds[:MAX_GOODS_COLUMNS - 1]
    other = kinds[len(numeric):]
    # weights in mm of the 261 mm a landscape A4 gives (three kinds of goods): an ID number (18
    # characters) and a phone number (11) fit on one line at the table's size, or shrink a little
    # when more goods columns share the width — never break; names wrap, every row alike
    columns = [Column("序号", 9), Column("姓名", 20, fit="wrap"), Column("身份证号", 36, fit="line"),
               Column("慰问类别", 17, fit="wrap"), Column("单位或乡镇", 36, align="left", fit="wrap"),
               Column("慰问金(元)", 19, align="right", money=True, words=True, fit="line")]
    columns += [Column(f"{k}({u})", 13.5, align="right", number=True, fit="line") for k, u in numeric]
    if other or not kinds:
        columns.append(Column("其他慰问品" if other else "慰问品", 21, fit="wrap"))
    columns += [Column("领取人签字", 22), Column("代领人及关系", 24, fit="wrap"),
                Column("联系电话", 24, fit="line"), Column("备注", 14, align="left", fit="wrap")]
    table = []
    for r in rows:
        goods = [r["goods"].get(k) for k in numeric]
        extra = (["、".join(f"{k}{r['goods'][(k, u)]}{u}" for k, u in other if (k, u) in r["goods"])]
                 if other or not kinds else [])
        proxy = f"{r['proxy']}({r['proxy_relation']})" if r["proxy"] else ""
        table.append((str(r["no"]), r["name"], r["id_number"], r["category"], r["unit"], r["cash_fen"],
                      *goods, *extra, None, proxy, r["phone"], r["note"]))
    cash_col = 5
    declared = _declared(options_)
    ids = [i for r in rows for i in r["entry_ids"]]
    days = dict(ctx.session.execute(select(ReliefEntry.id, ReliefEntry.paid_on).where(
        ReliefEntry.id.in_(ids))).all()) if len(ids) < 30_000 else {}
    digest = content_hash([[r["entry_ids"], r["cash_fen"], sorted(r["goods"].items())] for r in rows])
    number = ctx.office_number(digest)
    title, subtitle = _title(ctx, parsed, options_)
    blocks = [
        Title(title, subtitle=subtitle, size=20),
        HeaderLine(f"发放单位(盖章):{ctx.unit_name}", f"发放日期:{_dates(rows, days)}", f"编号:{number}"),
        ListTable(columns, table, size=10, min_row=9 * mm, count=_counter(rows),
                  declared={cash_col: declared} if declared is not None else None,
                  tail=[Signatures(["经办人:", "审核人:", "分管领导:", "主要负责人:"])]),
        Notes([], title="", copies=COPIES, size=10),
    ]
    return FormDoc(TITLE, blocks, number, build_payload("SIGNOFF", digest, digest), landscape=True,
                   record_ids=tuple(ids))


def file_stem(options_: dict) -> str:
    return safe_stem("签收表", options_.get("campaign") or options_.get("batch") or "")


def sample_options(session) -> dict:
    """The campaign that paid someone last: the sheet a clerk prints after a 送温暖 round."""
    from sqlalchemy import select

    from app.models import ReliefEntry

    campaign = session.scalar(select(ReliefEntry.campaign_id).where(
        ReliefEntry.deleted.is_(False), ReliefEntry.campaign_id.is_not(None))
        .order_by(ReliefEntry.paid_on.desc()).limit(1))
    return {"campaign": campaign} if campaign else {"from": "2000-01-01"}


FORMS = (FormDef("relief_signoff", "送温暖慰问金(品)发放签收表", "relief_entry", build=build, public=True,
                 options=options.LEDGER_FILTERS + (DECLARED,), file_stem=file_stem,
                 needs_any=("campaign", "batch", "from", "to"), needs_what="要打印的发放",
                 sample_options=sample_options, number_kind="签收"),)
