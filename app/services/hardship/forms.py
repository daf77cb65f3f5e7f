"""Everything each printed form needs, as plain data (F1–F5 and the 公示 list).

The printing engine (``app/printing``) lays these out; nothing here knows about pages. Values come
as ``{"label", "value", "text"}`` per field, with ID, phone and bank numbers masked unless
``reveal`` is asked for — which needs the REVEAL permission and is written to the audit log.
The ``*_values`` builders take the record and ``reveal`` as decided by their caller: the print
service, which checked the permission and logs the print itself (with whether it was masked).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import today
from app.errors import AppError
from app.fields.hardship import ARCHIVE, EXPENSE, FAMILY_MEMBER
from app.fields.hardship_relief import STUDY_AID
from app.fields.masking import mask, mask_field
from app.fields.spec import Kind, Mask, RecordSpec, display_value
from app.models import HardshipArchive, HardshipAttachment, HardshipReview, Member, ReliefEntry, Unit, User
from app.security import audit
from app.security.roles import Perm
from app.services import listing, records
from app.services.hardship import scope
from app.services.hardship.archives import OTHER_CAUSE, expenses, family_members, find_archive
from app.services.listing import ListQuery
from app.validation import age_on, amount_in_words_with_prefix, format_cn_date, format_yuan, mask_id_number

OPINION_LEVELS = (("grassroots", "基层工会意见"), ("township", "乡镇(街道)/系统工会意见"),
                  ("center", "县困难职工帮扶中心审核意见"), ("approve", "县总工会党组审批意见"))


def _reveal(session, actor, reveal: bool, what: str, obj_type: str, obj_id: str) -> None:
    if reveal:
        actor.require(Perm.REVEAL, "查看完整的身份证号、电话和银行卡号")
        audit.append(session, action="reveal", actor=actor, object_type=obj_type, object_id=obj_id,
                     summary=f"取{what}的完整信息(打印或导出)")


def record_values(session, spec: RecordSpec, obj, reveal: bool) -> dict[str, dict]:
    book = records.codebook(session)
    out = {}
    for f in spec.fields:
        value = getattr(obj, f.key)
        if f.kind == Kind.REF and value:
            unit = session.get(Unit, value) if f.ref == "unit" else None
            text = unit.name if unit is not None else str(value)
        else:
            text = display_value(f, value, book)
        masked = not reveal and f.mask and text
        if masked:
            text = mask_field(f, value)
        if f.kind == Kind.DATE and value and not masked:
            text_cn = format_cn_date(value)
        else:
            text_cn = text
        out[f.key] = {"label": f.label, "value": value, "text": text, "text_cn": text_cn}
    return out


def _opinions(session, archive) -> dict[str, dict | None]:
    rows = list(session.scalars(select(HardshipReview).where(HardshipReview.archive_id == archive.id)
                                .order_by(HardshipReview.step_no)))
    last_submit = max((r.step_no for r in rows if r.action == "submit"), default=0)
    current = [r for r in rows if r.step_no > last_submit]
    out: dict[str, dict | None] = {}
    for key, title in OPINION_LEVELS:
        row = next((r for r in reversed(current) if r.action == key), None)
        if row is None:
            out[key] = None
            continue
        unit = session.get(Unit, row.level_unit_id) if row.level_unit_id else None
        out[key] = {"title": title, "unit": unit.name if unit else "", "opinion": row.opinion or "",
                    "signer": row.signer_name or row.actor_name, "entered_by": row.actor_name,
                    "date": row.acted_on, "date_cn": format_cn_date(row.acted_on)}
    objections = [{"date": r.acted_on, "text": r.opinion} for r in current if r.action == "objection"]
    out["objections"] = objections  # type: ignore[assignment]
    submitted = next((r for r in reversed(rows) if r.action == "submit"), None)
    out["submit"] = ({"opinion": submitted.opinion or "", "date": submitted.acted_on,  # type: ignore[assignment]
                      "date_cn": format_cn_date(submitted.acted_on)} if submitted else None)
    return out


def _cause(book, code: str | None, other: str | None) -> str:
    """A cause as printed: its label, and for 其他 the explanation typed with it (其他(…))."""
    label = book.label("hardship_cause", code) if code else ""
    if code == OTHER_CAUSE and (other or "").strip():
        return f"{label}({other.strip()})"
    return label


def archive_form_data(session: Session, actor, key: str, *, reveal: bool = False) -> dict:
    """F1 困难职工(家庭)档案表 and F2 帮扶申请审批表: every field, the family table, rigid expenses,
    causes, the opinion of each review level, the eligibility working, attachments."""
    archive = find_archive(session, actor, key)
    _reveal(session, actor, reveal, f"困难职工档案“{archive.name}”", "hardship_archives", archive.id)
    return archive_values(session, archive, reveal=reveal)


def archive_values(session: Session, archive: HardshipArchive, *, reveal: bool) -> dict:
    """What ``archive_form_data`` returns, for an archive already found (dates in the family table
    are written 1977年1月26日, as on paper)."""
    book = records.codebook(session)
    chain = scope.unit_chain(session, archive.union_id)
    on = archive.applied_on or today()
    members = []
    for m in family_members(session, archive.id):
        row = {k: v["text_cn"] for k, v in record_values(session, FAMILY_MEMBER, m, reveal).items()}
        row["age"] = age_on(m.birth_date, on)
        members.append(row)
    expense_rows = [{k: v["text"] for k, v in record_values(session, EXPENSE, e, True).items()}
                    for e in expenses(session, archive.id)]
    minor = [c for c in (archive.minor_causes or "").split(",") if c]
    attachments = session.scalars(select(HardshipAttachment).where(
        HardshipAttachment.archive_id == archive.id, HardshipAttachment.deleted.is_(False)))
    fields = record_values(session, ARCHIVE, archive, reveal)
    if archive.entered_by:  # stored as the account (the four-eyes rule compares it); printed as a person
        who = session.scalar(select(User.display_name).where(User.username == archive.entered_by))
        if who:
            fields["entered_by"] = {**fields["entered_by"], "text": who, "text_cn": who}
    return {
        "id": archive.id,
        "archive_no": archive.archive_no or "",
        "title_unit": scope.county_of(chain).name,
        "union_name": chain[0].name,
        "middle_name": scope.middle_of(chain).name,
        "fields": fields,
        "member_columns": [(f.key, f.label) for f in FAMILY_MEMBER.fields] + [("age", "年龄")],
        "members": members,
        "expenses": expense_rows,
        "causes": {"main": _cause(book, archive.main_cause, None),
                   "minor": [_cause(book, c, None) for c in minor],
                   # with what 其他 means, for a form without a row of its own for it (F2)
                   "main_explained": _cause(book, archive.main_cause, archive.cause_other_text),
                   "minor_explained": [_cause(book, c, archive.cause_other_text) for c in minor],
                   "other": archive.cause_other_text or ""},
        "category": book.label("hardship_category", archive.category) if archive.category else "",
        "eligibility_lines": (archive.eligibility_text or "").splitlines(),
        "opinions": _opinions(session, archive),
        "attachments": [{"kind": book.label("attachment_type", a.kind), "name": a.name,
                         "sha256": a.sha256} for a in attachments],
        "printed_on": today(),
    }


def authorization_form_data(session: Session, actor, key: str, *, reveal: bool = False,
                            adult_age: int = 18) -> dict:
    """F3 家庭经济状况核对授权委托书: the applicant and every adult member, to sign and fingerprint."""
    archive = find_archive(session, actor, key)
    _reveal(session, actor, reveal, f"困难职工档案“{archive.name}”", "hardship_archives", archive.id)
    return authorization_values(session, archive, reveal=reveal, adult_age=adult_age)


def authorization_values(session: Session, archive: HardshipArchive, *, reveal: bool,
                         adult_age: int = 18) -> dict:
    book = records.codebook(session)
    on = archive.applied_on or today()
    show = (lambda n: n) if reveal else mask_id_number
    people = [{"name": archive.name, "id_number": show(archive.id_number), "relation": "本人(申请人)"}]
    people += [{"name": m.name, "id_number": show(m.id_number),
                "relation": book.label("family_relation", m.relation)}
               for m in family_members(session, archive.id) if age_on(m.birth_date, on) >= adult_age]
    return {"id": archive.id, "archive_no": archive.archive_no or "", "applicant": archive.name,
            "people": people, "signed": archive.authorization_signed,
            "checks": ("户籍", "车辆", "房产", "社保", "公积金", "存款", "证券", "纳税", "工商登记"),
            "title_unit": scope.county_of(scope.unit_chain(session, archive.union_id)).name}


def study_aid_form_data(session: Session, actor, aid_id: str, *, reveal: bool = False) -> dict:
    """F4 金秋助学申请表."""
    aid = records.get_live(session, STUDY_AID, aid_id)
    actor.require(Perm.READ, "查看金秋助学申请")
    _reveal(session, actor, reveal, f"金秋助学申请“{aid.student_name}”", "hardship_study_aid", aid.id)
    return study_aid_values(session, aid, reveal=reveal)


def study_aid_values(session: Session, aid, *, reveal: bool) -> dict:
    archive = session.get(HardshipArchive, aid.archive_id) if aid.archive_id else None
    granted = aid.granted_fen or 0
    return {"id": aid.id, "fields": record_values(session, STUDY_AID, aid, reveal),
            "archive_no": archive.archive_no if archive else "非建档",
            "household_size": archive.household_size if archive else None,
            "per_capita": format_yuan(archive.per_capita_fen) if archive and archive.per_capita_fen is not None else "",
            "granted": format_yuan(granted), "granted_words": amount_in_words_with_prefix(granted)
            if granted else ""}


def signoff_sheet_data(session: Session, actor, query: ListQuery, *, reveal: bool = False,
                       title: str = "") -> dict:
    """F5 送温暖慰问金(品)发放签收表 (see ``signoff_values``)."""
    actor.require(Perm.READ, "查看发放记录")
    _reveal(session, actor, reveal, "慰问金发放签收表", "hardship_ledger", "")
    return signoff_values(session, query, reveal=reveal, title=title)


def _payout_key(e: ReliefEntry) -> tuple:
    """Lines one person signs for once: one visit, or one recipient's lines of one day, campaign,
    batch and kind (the cash line and a line per kind of goods)."""
    if e.visit_id:
        return ("visit", e.visit_id)
    who = e.archive_id or e.recipient_id_number or (e.unit_id, e.recipient_name)
    proxy = (e.signed_by, e.proxy_relation) if e.proxy_relation else None
    return ("line", e.paid_on, e.campaign_id, e.batch, e.kind, e.recipient_kind, who, proxy)


def _phones(session: Session, entries: list[ReliefEntry]) -> dict[str, str]:
    """Contact numbers by archive id and by ID number (the archive's, else the member's)."""
    out: dict[str, str] = {}
    archive_ids = sorted({e.archive_id for e in entries if e.archive_id})
    numbers = sorted({e.recipient_id_number for e in entries if e.recipient_id_number})
    for i in range(0, len(archive_ids), 500):
        out.update({a: p for a, p in session.execute(select(HardshipArchive.id, HardshipArchive.phone).where(
            HardshipArchive.id.in_(archive_ids[i:i + 500]))) if p})
    for i in range(0, len(numbers), 500):
        out.update({n: p for n, p in session.execute(select(Member.id_number, Member.phone).where(
            Member.id_number.in_(numbers[i:i + 500]), Member.deleted.is_(False))) if p})
    return out


def signoff_values(session: Session, query: ListQuery, *, reveal: bool, title: str = "") -> dict:
    """One row per payout still standing (reversed lines and reversals left out): the recipient,
    cash, goods by (kind, unit) label, who collected it for them, a contact number; totals of cash
    in figures and 大写 and of each kind of goods."""
    book = records.codebook(session)
    standing = query.with_filters({**query.filter_map, "reversals": "exclude"})
    entries = list(session.scalars(listing.rows_select(session, standing)))
    phones = _phones(session, entries)
    by_key: dict[tuple, dict] = {}
    goods_totals: dict[tuple[str, str], int] = {}
    for e in entries:
        row = by_key.get(_payout_key(e))
        if row is None:
            unit = session.get(Unit, e.unit_id) if e.unit_id else None
            number = e.recipient_id_number or ""
            phone = phones.get(e.archive_id or "") or phones.get(number, "")
            row = by_key[_payout_key(e)] = {
                "name": e.recipient_name, "id_number": number if reveal else mask_id_number(number)
                if number else "", "category": book.label("visit_target", e.recipient_kind),
                "recipient_kind": e.recipient_kind,
                "unit": unit.name if unit else "", "cash_fen": 0, "goods": {},
                "proxy": e.signed_by if e.proxy_relation else "", "proxy_relation": e.proxy_relation or "",
                "phone": phone if reveal else mask(Mask.PHONE, phone) if phone else "",
                "note": "", "entry_ids": []}
        row["cash_fen"] += e.cash_fen
        if e.goods_kind:
            k = (book.label("goods_kind", e.goods_kind), book.label("goods_unit", e.goods_unit))
            row["goods"][k] = row["goods"].get(k, 0) + e.goods_qty
            goods_totals[k] = goods_totals.get(k, 0) + e.goods_qty
        if e.note and e.note not in row["note"]:
            row["note"] = "；".join(filter(None, (row["note"], e.note)))
        row["entry_ids"].append(e.id)
    rows = list(by_key.values())
    total = 0
    for i, row in enumerate(rows, 1):
        row["no"] = i
        row["cash"] = format_yuan(row["cash_fen"]) if row["cash_fen"] else ""
        row["goods_text"] = "、".join(f"{k}{q}{u}" for (k, u), q in row["goods"].items())
        total += row["cash_fen"]
    return {"title": title, "rows": rows, "total_fen": total, "total": format_yuan(total),
            "total_words": amount_in_words_with_prefix(total),
            "goods_totals": [{"kind": k, "unit": u, "qty": q} for (k, u), q in goods_totals.items()],
            "printed_on": today()}


def publicity_list_data(session: Session, actor, archive_ids: Sequence[str]) -> dict:
    """The 公示 list: names, masked ID numbers, unions, grades, and the window's dates."""
    actor.require(Perm.READ, "查看公示名单")
    book = records.codebook(session)
    archives = [session.get(HardshipArchive, i) for i in archive_ids]
    if any(a is None or a.deleted for a in archives):
        raise AppError("公示名单中有找不到的档案")
    rows = []
    for i, a in enumerate(archives, 1):
        union = session.get(Unit, a.union_id)
        rows.append({"no": i, "name": a.name, "id_number": mask_id_number(a.id_number),
                     "union": union.name if union else "", "household_size": a.household_size,
                     "category": book.label("hardship_category", a.category) if a.category else "",
                     "per_capita": format_yuan(a.per_capita_fen) if a.per_capita_fen is not None else "",
                     "main_cause": book.label("hardship_cause", a.main_cause)})
    starts = {a.publicity_start for a in archives if a.publicity_start}
    ends = {a.publicity_end for a in archives if a.publicity_end}
    return {"rows": rows,
            "start": min(starts) if starts else None, "end": max(ends) if ends else None,
            "start_cn": format_cn_date(min(starts)) if starts else "",
            "end_cn": format_cn_date(max(ends)) if ends else "",
            "notes": sorted({a.publicity_note for a in archives if a.publicity_note}),
            "title_unit": scope.county_of(scope.unit_chain(session, archives[0].union_id)).name
            if archives else ""}
