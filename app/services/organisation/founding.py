"""建会: founding a grassroots union in an enterprise (records-and-forms.md §A.7, F8), a review
chain run by ``app.kit.chain``. No step can be skipped:

    报送建会请示 (企业情况、职工人数、党政负责人、职工意愿)
      → 批复同意建会 (the county's 批复, numbered in the 文号 register)  [退回请示 possible]
      → 成立筹备组 (3–5 people)
      → 发展会员
      → 召开会员大会 (选举工会委员会、经费审查委员会; 候选人预备人选经上级同意)
      → 批复选举结果 (a second 批复; the union is founded: it appears in the unit tree, with its
                      first election on the 换届选举 register)
      → 成立女职工委员会
      → 法人资格登记 (统一社会信用代码 81…, certificate)

The enterprise's own steps are keyed in by a 经办人 of the union the new one will sit under or of
a union above it; the two 批复 are the county's (a 经办人 or 审批人 of the county itself). Each
step is dated (not before the step it follows) and may carry its documents as attachments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import AppError, ValidationFailed
from app.fields.organisation import ACTIONS, FOUNDING, FOUNDING_STATUSES
from app.fields.spec import Field, Kind
from app.kit import chain
from app.kit.chain import Step
from app.kit.register import Register
from app.models import Unit
from app.models.organisation import DocSeries, Document, FoundingStep, UnionFounding
from app.security.roles import Perm
from app.services import records
from app.services.organisation import documents, elections
from app.validation import format_cn_date

STATUS_LABELS = dict(FOUNDING_STATUSES)
STRIP = ("请示", "批复", "筹备组", "发展会员", "会员大会", "选举结果批复", "女职工委员会", "法人登记")
_STRIP_POS = {"draft": 0, "returned": 0, "applied": 1, "approved": 2, "preparing": 3, "recruited": 4,
              "elected": 5, "founded": 6, "women": 7, "registered": 8}

OPINION = Field("opinion", "说明", Kind.TEXTAREA, max_len=2000)
ACTED_ON = Field("acted_on", "日期", Kind.DATE, help="纸质材料上的日期;空着取今天")
SERIES = Field("series_id", "发文字号", Kind.REF, ref="doc_series",
               help="批复的文号从该发文字号编出;空着取第一个启用的发文字号")
DOC = Field("doc_id", "已编号的批复", Kind.REF, ref="document",
            help="批复已在发文登记中编号的,选它;否则在本机编号")
SIGNER = Field("signer", "签发人", max_len=50)
NAMES = "(姓名之间用顿号分隔)"

STEP_FIELDS: dict[str, tuple[Field, ...]] = {
    "apply": (ACTED_ON, OPINION),
    "approve": (SERIES, DOC, SIGNER, ACTED_ON, OPINION),
    "prepare": (Field("prep_leader", "筹备组组长", required=True, max_len=50),
                Field("prep_members", f"筹备组成员{NAMES}", required=True, max_len=200,
                      help="连同组长共 3 至 5 人"), ACTED_ON, OPINION),
    "recruit": (Field("recruited_count", "发展会员人数", Kind.INT, required=True, min_value=1,
                      max_value=1_000_000), ACTED_ON, OPINION),
    "congress": (Field("candidates_agreed_no", "候选人预备人选上级同意文号", required=True, max_len=60,
                       help="工会委员会和经费审查委员会候选人预备人选事先报上级工会同意"),
                 Field("eligible", "应到会人数", Kind.INT, required=True, min_value=1, max_value=1_000_000),
                 Field("present", "实到会人数", Kind.INT, required=True, min_value=0, max_value=1_000_000),
                 Field("seats", "应选委员名额", Kind.INT, required=True, min_value=1, max_value=99),
                 Field("candidates", "委员候选人数", Kind.INT, required=True, min_value=1, max_value=199),
                 Field("committee", f"当选工会委员会委员{NAMES}", required=True, max_len=300),
                 Field("audit_committee", f"当选经费审查委员会委员{NAMES}", required=True, max_len=200),
                 Field("chair_name", "工会主席", required=True, max_len=50),
                 Field("term_years", "任期(年)", Kind.INT, required=True, min_value=3, max_value=5, default=5),
                 ACTED_ON, OPINION),
    "confirm": (SERIES, DOC, SIGNER, ACTED_ON, OPINION),
    "women": (Field("women_committee", f"女职工委员会委员{NAMES}", required=True, max_len=200),
              ACTED_ON, OPINION),
    "register": (Field("legal_uscc", "工会统一社会信用代码", Kind.USCC, required=True),
                 Field("legal_cert_no", "工会法人资格证书编号", required=True, max_len=50), ACTED_ON, OPINION),
    "return": (Field("opinion", "退回理由", Kind.TEXTAREA, required=True, max_len=2000), ACTED_ON),
}

W = (Perm.WRITE,)  # the 批复 too: the office keys in and numbers what the leadership signed
STEPS = (
    Step("apply", "报送建会请示", ("draft", "returned"), "applied", W, "chain"),
    Step("approve", "批复同意建会", ("applied",), "approved", W, "county", exact=True),
    Step("prepare", "成立筹备组", ("approved",), "preparing", W, "chain"),
    Step("recruit", "发展会员", ("preparing",), "recruited", W, "chain"),
    Step("congress", "召开会员大会", ("recruited",), "elected", W, "chain"),
    Step("confirm", "批复选举结果", ("elected",), "founded", W, "county", exact=True),
    Step("women", "成立女职工委员会", ("founded",), "women", W, "chain"),
    Step("register", "法人资格登记", ("women",), "registered", W, "chain"),
)
FORWARD = {"applied": "approve"}
# the step each open status waits for (``app.kit.waiting``): every status but 法人登记 moves on
WAITS = {"draft": "apply", "returned": "apply", **{s.from_statuses[0]: s.key for s in STEPS[1:]}}
STRIP_STEPS = {s.key: i for i, s in enumerate(STEPS)}  # each step's place on the strip


def strip_position(status: str) -> int:
    """The strip step a founding in ``status`` works on (the count of steps taken)."""
    return _STRIP_POS[status]


def strip_marks(status: str) -> tuple[int, int | None]:
    """(the last strip step done, the step the founding waits for): the one ``waiting_text`` names."""
    from app.kit.waiting import strip_marks as marks

    return marks(CHAIN, status, _STRIP_POS[status] - 1, STRIP_STEPS, WAITS)


def _level_unit(units: list[Unit], level: str) -> Unit:
    if level == "county":
        return next((u for u in units if u.kind in ("county", "city")), units[-1])
    return units[0]


def names(text: str) -> list[str]:
    return [n.strip() for n in text.replace(",", "、").replace(",", "、").replace(" ", "、").split("、") if n.strip()]


# -- what each step does ---------------------------------------------------------------------------
def _apply(session, actor, f: UnionFounding, vals, units):
    f.applied_on = vals["acted_on"]
    return {}


def _reply(session, actor, f: UnionFounding, vals, title: str, body: str) -> Document:
    """The county's 批复: a document already numbered, or one registered and numbered now."""
    if vals.get("doc_id"):
        doc = records.get_live(session, documents.DOCUMENT, vals["doc_id"])
        if not doc.doc_no:
            raise ValidationFailed({"doc_id": "所选文件尚未编号"}, {"doc_id": DOC.label})
        return doc
    series_id = vals.get("series_id") or session.scalar(
        select(DocSeries.id).where(DocSeries.deleted.is_(False), DocSeries.active.is_(True))
        .order_by(DocSeries.code).limit(1))
    if series_id is None:
        raise AppError("还没有发文字号:请先在“文号”页登记本会的机关代字(如“示工”)")
    parent = session.get(Unit, f.parent_id)
    return documents.issue(session, actor, {
        "series_id": series_id, "doc_kind": "03", "title": title,
        "addressee": parent.name if parent is not None and parent.kind != "county" else f.enterprise_name,
        "body": body, "signed_on": vals["acted_on"], "signer": vals.get("signer")},
        concerns=("union_foundings", f.id))


def approval_text(f: UnionFounding) -> tuple[str, str]:
    title = f"关于同意{f.enterprise_name}成立工会的批复"
    asked = format_cn_date(f.applied_on) if f.applied_on else ""
    body = (f"你单位{asked}《关于成立{f.union_name}的请示》收悉。经研究，同意成立“{f.union_name}”，"
            "并成立工会筹备组。\n"
            "请依照《中华人民共和国工会法》和《中国工会章程》积极发展会员，候选人预备人选报我会同意后"
            "召开会员大会，选举产生工会委员会和经费审查委员会，选举结果报我会审批。\n此复。")
    return title, body


def results_text(f: UnionFounding, congress: Mapping) -> tuple[str, str]:
    title = f"关于同意{f.union_name}第一届委员会选举结果的批复"
    body = (f"你单位《关于{f.union_name}第一次会员大会选举结果的报告》收悉。经研究，同意选举结果：\n"
            f"{congress.get('chair_name', '')}同志任{f.union_name}主席；"
            f"{congress.get('committee', '')}同志为工会委员会委员；"
            f"{congress.get('audit_committee', '')}同志为经费审查委员会委员。\n"
            "请按照规定成立女职工委员会，办理工会法人资格登记。\n此复。")
    return title, body


def _approve(session, actor, f: UnionFounding, vals, units):
    title, body = approval_text(f)
    doc = _reply(session, actor, f, vals, title, body)
    f.approval_doc_id, f.approval_no, f.approved_on = doc.id, doc.doc_no, vals["acted_on"]
    return {"doc_id": doc.id, "doc_no": doc.doc_no}


def _prepare(session, actor, f: UnionFounding, vals, units):
    people = names(vals["prep_members"])
    if vals["prep_leader"] not in people:
        people.insert(0, vals["prep_leader"])
    if not 3 <= len(people) <= 5:
        raise ValidationFailed({"prep_members": f"筹备组应由 3 至 5 人组成(连同组长现为 {len(people)} 人)"},
                               {"prep_members": "筹备组成员"})
    f.prep_leader, f.prep_members = vals["prep_leader"], "、".join(people)
    return {"members": people}


def _recruit(session, actor, f: UnionFounding, vals, units):
    if vals["recruited_count"] > f.worker_count:
        raise ValidationFailed({"recruited_count": f"发展会员人数不能多于职工人数({f.worker_count})"},
                               {"recruited_count": "发展会员人数"})
    f.recruited_count = vals["recruited_count"]
    return {"recruited_count": vals["recruited_count"]}


CONGRESS_KEYS = ("candidates_agreed_no", "eligible", "present", "seats", "candidates", "committee",
                 "audit_committee", "chair_name", "term_years")


def _congress(session, actor, f: UnionFounding, vals, units):
    """The election the congress held, checked by the election register's own rules (quorum,
    差额) before the results go up for approval."""
    if vals["eligible"] > (f.recruited_count or 0):
        raise ValidationFailed({"eligible": f"应到会人数不能多于会员人数({f.recruited_count})"},
                               {"eligible": "应到会人数"})
    probe = {k: vals[k] for k in ("eligible", "present", "seats", "candidates", "term_years")}
    if errors := elections.count_errors(probe):
        raise ValidationFailed(errors, {f.key: f.label for f in STEP_FIELDS["congress"]})
    elected = names(vals["committee"])
    if len(elected) > vals["seats"]:
        raise ValidationFailed({"committee": f"当选委员 {len(elected)} 名,多于应选名额 {vals['seats']}"},
                               {"committee": "工会委员会委员"})
    f.congress_on = vals["acted_on"]
    return {k: vals[k] for k in CONGRESS_KEYS}


def congress_data(session: Session, founding_id: str) -> dict:
    row = session.scalar(select(FoundingStep.data).where(
        FoundingStep.founding_id == founding_id, FoundingStep.action == "congress")
        .order_by(FoundingStep.step_no.desc()).limit(1))
    return orjson.loads(row) if row else {}


def _confirm(session, actor, f: UnionFounding, vals, units):
    """The union is founded: it joins the unit tree under its parent, with its first election."""
    congress = congress_data(session, f.id)
    title, body = results_text(f, congress)
    doc = _reply(session, actor, f, vals, title, body)
    union = records.create(session, actor, "unit", {
        "name": f.union_name, "kind": "grassroots", "parent_id": f.parent_id,
        "enterprise_name": f.enterprise_name, "enterprise_uscc": f.enterprise_uscc,
        "unit_nature": f.unit_nature, "industry": f.industry, "address": f.address,
        "worker_count": f.worker_count, "female_worker_count": f.female_worker_count,
        "migrant_worker_count": f.migrant_worker_count, "reported_member_count": f.recruited_count,
        "chair_name": congress.get("chair_name"), "founded_on": vals["acted_on"]})
    election = records.create(session, actor, elections.REGISTER, {
        "union_id": union.id, "term_no": 1, "election_on": f.congress_on,
        "term_years": congress.get("term_years", 5), "eligible": congress.get("eligible"),
        "present": congress.get("present"), "seats": congress.get("seats"),
        "candidates": congress.get("candidates"), "chair_name": congress.get("chair_name"),
        "approval_no": doc.doc_no, "approved_on": vals["acted_on"],
        "notes": f"建会选举。工会委员会委员:{congress.get('committee', '')};"
                 f"经费审查委员会委员:{congress.get('audit_committee', '')};"
                 f"候选人预备人选经上级同意:{congress.get('candidates_agreed_no', '')}"})
    f.union_id, f.founded_on, f.results_no, f.election_id = union.id, vals["acted_on"], doc.doc_no, election.id
    return {"union_id": union.id, "doc_no": doc.doc_no, "election_id": election.id}


def _women(session, actor, f: UnionFounding, vals, units):
    f.women_committee = "、".join(names(vals["women_committee"]))
    return {"women_committee": f.women_committee}


def _register(session, actor, f: UnionFounding, vals, units):
    if not vals["legal_uscc"].startswith("81"):
        raise ValidationFailed({"legal_uscc": "工会法人的统一社会信用代码以“81”开头(登记管理机关为工会)"},
                               {"legal_uscc": "工会统一社会信用代码"})
    f.legal_uscc, f.legal_cert_no, f.legal_on = vals["legal_uscc"], vals["legal_cert_no"], vals["acted_on"]
    records.update(session, actor, "unit", f.union_id, {"union_uscc": vals["legal_uscc"]})
    return {"legal_uscc": vals["legal_uscc"], "legal_cert_no": vals["legal_cert_no"]}


def _return(session, actor, f, vals, units):
    return {"returned_from": f.status}


CHAIN = chain.Chain(
    spec=FOUNDING, steps=tuple(replace(s, fields=STEP_FIELDS[s.key]) for s in STEPS),
    status_labels=STATUS_LABELS, step_model=FoundingStep, record_key="founding_id",
    level_unit=_level_unit, forward=FORWARD, return_fields=STEP_FIELDS["return"], return_label="退回请示",
    effects={"apply": _apply, "approve": _approve, "prepare": _prepare, "recruit": _recruit,
             "congress": _congress, "confirm": _confirm, "women": _women, "register": _register,
             "return": _return},
    action_labels=dict(ACTIONS))


def act(session: Session, actor, founding_id: str, key: str, values: Mapping[str, Any] | None = None):
    return chain.act(session, actor, CHAIN, founding_id, key, values)


def available_actions(session: Session, actor, founding_id: str):
    f = records.get_live(session, FOUNDING, founding_id)
    return chain.available_actions(session, actor, CHAIN, f)


def history(session: Session, actor, founding_id: str) -> list[FoundingStep]:
    return chain.history(session, actor, CHAIN, founding_id)


def waiting_text(session: Session, actor, founding_id: str) -> str | None:
    """“待 示例县总工会 经办人 批复同意建会(自 2026年12月1日)”, or None once registered."""
    from app.kit.waiting import waiting_on

    actor.require(Perm.READ, "查看建会")
    f = records.get_live(session, FOUNDING, founding_id)
    found = waiting_on(session, CHAIN, f, WAITS)
    return found.text() if found else None


def attach(session: Session, actor, founding_id: str, step_key: str, file_name: str, data: bytes):
    """A document of one step (the 请示, the minutes, the certificate …), kept with the founding."""
    from app.services.units import require_in_chain
    from app.sync.attachments import add_attachment

    f = records.get_live(session, FOUNDING, founding_id)
    require_in_chain(session, actor, f.parent_id, "上传建会材料")
    label = dict(ACTIONS).get(step_key)
    if label is None:
        raise AppError("没有该建会环节")
    return add_attachment(session, actor, "union_foundings", f.id, file_name, data, note=label)


def attachments(session: Session, actor, founding_id: str) -> list:
    from app.sync.attachments import attachments_of

    actor.require(Perm.READ, "查看建会材料")
    return attachments_of(session, "union_foundings", founding_id)


def _locked(f: UnionFounding) -> str | None:
    return None if f.status in ("draft", "returned") else "建会请示已报送,企业情况不能再改(退回后可改)"


def _void(session: Session, founding: UnionFounding) -> None:
    if founding.status not in ("draft", "returned"):
        raise AppError("已报送的建会请示不能作废")


def _sample(session: Session, rng, values: dict) -> dict:
    parent = session.scalar(select(Unit.id).where(Unit.kind.in_(("township", "street")),
                                                  Unit.deleted.is_(False)).order_by(Unit.id)
                            .offset(rng.randint(0, 10)).limit(1))
    enterprise = values.get("enterprise_name") or "某公司"
    return {**values, "parent_id": parent or values.get("parent_id"), "union_name": f"{enterprise}工会"}


REGISTER = Register(FOUNDING, initial={"status": "draft"}, locked=_locked, before_void=_void,
                    sample=_sample, excel_key="union_foundings", importable=False,
                    search_hint="企业名称 / 工会名称", tag_columns=("status",))
