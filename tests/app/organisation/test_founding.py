"""建会: the chain from the enterprise's 请示 to the union's legal-person registration — in order,
no step skipped, each dated not before the one it follows; the two 批复 numbered in the 文号
register; the new union in the unit tree with its first election when the results are approved;
the rules of each step (筹备组 3–5 people, the election's quorum and 差额, a union's credit code
starting 81); and documents attached to a step."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import AppError, PermissionDenied, ValidationFailed
from app.models import Unit
from app.models.organisation import Election
from app.services import records
from app.services.listing import unit_tree
from app.services.organisation import documents, founding

STEPS = {
    "apply": {"acted_on": "2026-01-05", "opinion": "企业行政同意建会"},
    "approve": {"acted_on": "2026-01-12", "signer": "县总工会主席", "series_id": None},
    "prepare": {"acted_on": "2026-01-20", "prep_leader": "王建国", "prep_members": "王建国、李红梅、张志强"},
    "recruit": {"acted_on": "2026-02-10", "recruited_count": 80},
    "congress": {"acted_on": "2026-02-28", "candidates_agreed_no": "同意预备人选的复函", "eligible": 80,
                 "present": 72, "seats": 5, "candidates": 6, "committee": "王建国、李红梅、张志强、赵敏、陈刚",
                 "audit_committee": "刘芳、周杰、吴晓燕", "chair_name": "王建国", "term_years": 5},
    "confirm": {"acted_on": "2026-03-06", "series_id": None},
    "women": {"acted_on": "2026-03-20", "women_committee": "李红梅、赵敏、吴晓燕"},
    "register": {"acted_on": "2026-04-08", "legal_uscc": "81341122MC0000001M", "legal_cert_no": "工法证字第1234号"},
}


def _start(s, clerk) -> str:
    series = records.create(s, clerk, documents.SERIES, {"code": "测工", "name": "测试发文"})
    documents.take_over(s, clerk, series.id, "办公室电脑")
    for key in ("approve", "confirm"):  # the replies are numbered in this series
        STEPS[key]["series_id"] = series.id
    town = s.scalar(select(Unit.id).where(Unit.kind == "township").order_by(Unit.name).limit(1))
    return records.create(s, clerk, founding.REGISTER, {
        "enterprise_name": "示例新材料有限公司", "union_name": "示例新材料有限公司工会", "parent_id": town,
        "worker_count": 120, "female_worker_count": 40, "leaders": "董事长 张某", "wish": "职工要求建会"}).id


def _uscc(first: str = "81") -> str:
    from app.validation.uscc import uscc_check_char

    body = f"{first}341122MC0000001"
    return body + uscc_check_char(body)


def test_the_chain_runs_in_order_and_founds_the_union(db, clerk):
    STEPS["register"]["legal_uscc"] = _uscc()
    with db.session(clerk) as s:
        fid = _start(s, clerk)
        for key in list(STEPS)[1:]:  # nothing before the 请示
            with pytest.raises(PermissionDenied, match="待报请示,不能"):
                founding.act(s, clerk, fid, key, STEPS[key])
        steps = list(STEPS)
        for n, key in enumerate(steps):
            for later in steps[n + 1:]:  # no step can be skipped
                with pytest.raises(PermissionDenied):
                    founding.act(s, clerk, fid, later, STEPS[later])
            f = founding.act(s, clerk, fid, key, STEPS[key])
        assert f.status == "registered"
        assert (f.approval_no, f.results_no) == ("测工〔2026〕1号", "测工〔2026〕2号")
        union = s.get(Unit, f.union_id)
        assert (union.kind, union.parent_id, union.founded_on, union.union_uscc, union.chair_name) == (
            "grassroots", f.parent_id, date(2026, 3, 6), STEPS["register"]["legal_uscc"], "王建国")
        assert any(row[0] == union.id for row in unit_tree(s))  # in the tree
        election = s.get(Election, f.election_id)
        assert (election.union_id, election.term_no, election.election_on, election.term_ends_on) == (
            union.id, 1, date(2026, 2, 28), date(2031, 2, 27))
        history = founding.history(s, clerk, fid)
        assert [h.action for h in history] == steps
        assert [h.acted_on for h in history] == sorted(h.acted_on for h in history)
        reply = s.get(documents.Document, f.approval_doc_id)
        assert reply.title == "关于同意示例新材料有限公司成立工会的批复" and "此复" in reply.body


def test_a_step_is_dated_after_the_one_before_and_follows_its_rules(db, clerk):
    with db.session(clerk) as s:
        fid = _start(s, clerk)
        founding.act(s, clerk, fid, "apply", STEPS["apply"])
        with pytest.raises(ValidationFailed) as e:
            founding.act(s, clerk, fid, "approve", {"acted_on": "2026-01-01"})
        assert e.value.errors == {"acted_on": "批复同意建会日期不能早于报送建会请示日期 2026年1月5日"}
        founding.act(s, clerk, fid, "approve", STEPS["approve"])
        with pytest.raises(ValidationFailed, match="3 至 5 人"):
            founding.act(s, clerk, fid, "prepare", {**STEPS["prepare"], "prep_members": "王建国、李红梅"})
        founding.act(s, clerk, fid, "prepare", STEPS["prepare"])
        with pytest.raises(ValidationFailed, match="不能多于职工人数"):
            founding.act(s, clerk, fid, "recruit", {**STEPS["recruit"], "recruited_count": 500})
        founding.act(s, clerk, fid, "recruit", STEPS["recruit"])
        with pytest.raises(ValidationFailed, match="三分之二"):
            founding.act(s, clerk, fid, "congress", {**STEPS["congress"], "present": 50})
        with pytest.raises(ValidationFailed, match="差额率"):
            founding.act(s, clerk, fid, "congress", {**STEPS["congress"], "candidates": 5})
        founding.act(s, clerk, fid, "congress", STEPS["congress"])
        founding.act(s, clerk, fid, "confirm", STEPS["confirm"])
        founding.act(s, clerk, fid, "women", STEPS["women"])
        with pytest.raises(ValidationFailed, match="以“81”开头"):
            founding.act(s, clerk, fid, "register", {**STEPS["register"], "legal_uscc": _uscc("91")})


def test_a_request_may_be_returned_and_sent_again(db, clerk):
    with db.session(clerk) as s:
        fid = _start(s, clerk)
        founding.act(s, clerk, fid, "apply", STEPS["apply"])
        with pytest.raises(AppError, match="已报送"):
            records.update(s, clerk, founding.REGISTER, fid, {"worker_count": 130})
        f = founding.act(s, clerk, fid, "return", {"opinion": "请补充职工意愿材料", "acted_on": "2026-01-08"})
        assert f.status == "returned"
        records.update(s, clerk, founding.REGISTER, fid, {"worker_count": 130})
        assert founding.act(s, clerk, fid, "apply", {"acted_on": "2026-01-09"}).status == "applied"


def test_the_reply_is_numbered_only_on_the_numbering_pc(db, clerk):
    with db.session(clerk) as s:
        fid = _start(s, clerk)
        founding.act(s, clerk, fid, "apply", STEPS["apply"])
        s.info["device_id"] = "another-pc"
        with pytest.raises(PermissionDenied, match="只在编号电脑“办公室电脑”上编号"):
            founding.act(s, clerk, fid, "approve", STEPS["approve"])


def test_only_the_county_replies_and_a_township_keys_in_its_steps(db, actors):
    from app.security.actor import Actor

    clerk = actors["clerk"]
    with db.session(clerk) as s:
        fid = _start(s, clerk)
        town = records.get(s, clerk, founding.REGISTER, fid).parent_id
    township_clerk = Actor(clerk.user_id, "t_clerk", "clerk", "乡镇经办人", unit_id=town)
    with db.session(township_clerk) as s:
        founding.act(s, township_clerk, fid, "apply", STEPS["apply"])
        with pytest.raises(PermissionDenied, match="须由示例县总工会办理"):
            founding.act(s, township_clerk, fid, "approve", STEPS["approve"])
        actions = [a.key for a in founding.available_actions(s, township_clerk, fid)]
        assert actions == []  # the 批复 (and its 退回) are the county's


def test_a_step_keeps_its_documents(db, clerk):
    with db.session(clerk) as s:
        fid = _start(s, clerk)
        founding.attach(s, clerk, fid, "apply", "建会请示.pdf", b"%PDF-1.4 request")
        with pytest.raises(AppError, match="PDF"):
            founding.attach(s, clerk, fid, "apply", "说明.txt", b"plain text")
        [doc] = founding.attachments(s, clerk, fid)
        assert (doc.file_name, doc.note, doc.mime) == ("建会请示.pdf", "报送建会请示", "application/pdf")
