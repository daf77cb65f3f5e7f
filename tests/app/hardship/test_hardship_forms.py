"""The data behind the printed forms (F1–F5 and the 公示 list)."""

from datetime import date

import pytest
from sqlalchemy import select

from app.clock import today
from app.errors import PermissionDenied
from app.models import AuditEntry
from app.services.hardship import forms, ledger
from app.services.listing import ListQuery
from tests.app.hardship.helpers import CHILD, HEAD, SPOUSE, drive, id_number, make_archive, member_values

TODAY = today()
TODDLER = id_number("341122", date(TODAY.year - 3, 1, 1), 44)


@pytest.fixture
def archived(county):
    a = make_archive(county, members=[
        member_values("李四", "10", SPOUSE, "600", identity="1", marital_status="20"),
        member_values("张小明", "20", CHILD), member_values("张小小", "30", TODDLER, identity="5")])
    drive(county, a)
    return a


def test_archive_form_has_every_field_the_family_and_each_levels_opinion(county, archived):
    with county.db.read_session() as s:
        data = forms.archive_form_data(s, county.actors["clerk"], archived)
        no = data["archive_no"]
        again = forms.archive_form_data(s, county.actors["clerk"], no)  # by archive number too
    assert again["id"] == archived and no.startswith(f"341122-困档-{TODAY.year}-")
    f = data["fields"]
    assert f["name"]["text"] == "张三" and f["id_number"]["text"] == HEAD[:6] + "********" + HEAD[-4:]
    assert f["ethnicity"]["text"] == "汉族" and f["work_started_on"]["text_cn"] == "1970年7月1日"
    assert f["category"]["text"] == "深度困难职工家庭" and f["per_capita_fen"]["label"] == "家庭月人均收入"
    assert [m["name"] for m in data["members"]] == ["李四", "张小明", "张小小"]
    assert data["members"][2]["age"] <= 3 and data["members"][0]["relation"] == "配偶"
    assert ("age", "年龄") in data["member_columns"]
    assert data["causes"] == {"main": "患重特大疾病", "minor": ["子女上学"], "other": "",
                              "main_explained": "患重特大疾病", "minor_explained": ["子女上学"]}
    assert any("÷ 12 ÷ 4" in line for line in data["eligibility_lines"])
    ops = data["opinions"]
    assert (ops["grassroots"]["unit"], ops["grassroots"]["signer"], ops["grassroots"]["opinion"]) == (
        "甲厂工会", "甲厂工会主席", "同意上报")
    assert ops["township"]["unit"] == "城关镇工会" and ops["center"]["signer"] == "reviewer姓名"
    assert ops["approve"]["opinion"] == "同意建档" and ops["approve"]["date_cn"].endswith("日")
    assert data["title_unit"] == "示例县总工会" and data["middle_name"] == "城关镇工会"
    assert f["entered_by"]["value"] == "clerk" and f["entered_by"]["text"] == "clerk姓名"  # a person


def test_full_numbers_need_the_reveal_permission_and_are_logged(county, archived):
    with county.db.session(county.actors["auditor"]) as s:
        with pytest.raises(PermissionDenied):
            forms.archive_form_data(s, county.actors["auditor"], archived, reveal=True)
    with county.session("clerk") as s:
        data = forms.archive_form_data(s, county.actors["clerk"], archived, reveal=True)
    assert data["fields"]["id_number"]["text"] == HEAD
    with county.db.read_session() as s:
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "reveal",
                                                 AuditEntry.object_id == archived)) is not None


def test_authorization_lists_the_applicant_and_adult_members(county, archived):
    with county.db.read_session() as s:
        data = forms.authorization_form_data(s, county.actors["clerk"], archived)
    assert [(p["name"], p["relation"]) for p in data["people"]] == [
        ("张三", "本人(申请人)"), ("李四", "配偶"), ("张小明", "子")]
    assert data["people"][1]["id_number"].count("*") == 8 and data["signed"] is True


def test_signoff_sheet_totals_leave_out_reversed_lines(county, archived):
    def pay(cash, **extra):
        with county.session("clerk") as s:
            return ledger.record_relief(s, county.actors["clerk"], {
                "paid_on": TODAY.isoformat(), "kind": "warmth", "recipient_kind": "worker",
                "archive_id": archived, "cash_fen": cash, "fund_source": "county", "batch": "第一批",
                **extra})[0].id
    pay("1000")
    wrong = pay("1409.50", signed_by="李四", proxy_relation="配偶")
    with county.session("clerk") as s:
        ledger.reverse_entry(s, county.actors["clerk"], wrong, "重复")
    pay("409.50", signed_by="李四", proxy_relation="配偶")
    with county.db.read_session() as s:
        sheet = forms.signoff_sheet_data(s, county.actors["clerk"],
                                         ListQuery.of("relief_entry", filters={"batch": "第一批"}),
                                         title="送温暖签收表")
    assert [r["cash"] for r in sheet["rows"]] == ["1,000.00", "409.50"]
    assert sheet["total_fen"] == 140_950 and sheet["total_words"] == "人民币壹仟肆佰零玖元伍角"
    assert sheet["rows"][1]["proxy"] == "李四" and "*" in sheet["rows"][0]["id_number"]


def test_publicity_list(county):
    a = make_archive(county)
    drive(county, a, "publicize")
    with county.db.read_session() as s:
        data = forms.publicity_list_data(s, county.actors["clerk"], [a])
    row = data["rows"][0]
    assert (row["name"], row["category"], row["union"]) == ("张三", "深度困难职工家庭", "甲厂工会")
    assert "*" in row["id_number"] and data["end"] > data["start"] and data["start_cn"]
