"""The relief ledger: 先建档后帮扶, append-only (service and trigger), reversals, warnings."""

import sqlite3
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from app.clock import today
from app.db.immutable import ImmutableRecord
from app.errors import AppError, ValidationFailed
from app.models import AuditEntry, ReliefEntry
from app.services import records
from app.services.hardship import ledger
from app.services.hardship.ledger import NeedsConfirmation
from tests.app.hardship.helpers import drive, id_number, make_archive

TODAY = today()


def pay(county, who="clerk", confirm=False, goods=(), **values):
    base = {"paid_on": TODAY.isoformat(), "kind": "生活救助", "recipient_kind": "worker",
            "cash_fen": "500", "fund_source": "县总"}
    with county.session(who) as s:
        entries = ledger.record_relief(s, county.actors[who], {**base, **values}, goods=goods,
                                       confirm=confirm)
        return [e.id for e in entries]


@pytest.fixture
def household(county):
    aid = make_archive(county)
    drive(county, aid)
    return aid


def test_relief_needs_an_active_archive(county):
    aid = make_archive(county)
    with pytest.raises(AppError, match="先建档,后帮扶:“张三”的档案草稿"):
        pay(county, archive_id=aid)
    drive(county, aid, "end_publicity")
    with pytest.raises(AppError, match="待党组审批"):
        pay(county, archive_id=aid)
    with pytest.raises(AppError, match="没有有效的困难职工档案"):
        pay(county, recipient_name="王五", recipient_id_number=id_number("341122", date(1980, 5, 5), 33))
    drive(county, aid)
    with pytest.raises(AppError, match="发放日期不能早于建档日期"):
        pay(county, archive_id=aid, paid_on=(TODAY - timedelta(days=1)).isoformat())
    [entry] = pay(county, archive_id=aid)
    with county.db.read_session() as s:
        e = s.get(ReliefEntry, entry)
        assert (e.recipient_name, e.cash_fen, e.unit_id, e.paid_by) == ("张三", 50_000, county.ids["a"], "clerk姓名")


def test_accident_relief_without_an_archive_needs_a_reason_and_an_id(county):
    person = id_number("341122", date(1980, 5, 5), 33)
    values = {"kind": "意外救助", "recipient_name": "王五", "unit_id": county.ids["b"]}
    with pytest.raises(ValidationFailed, match="救助事由"):
        pay(county, **values, recipient_id_number=person)
    with pytest.raises(ValidationFailed, match="身份证号"):
        pay(county, **values, reason="家中失火")
    assert pay(county, **values, reason="家中失火", recipient_id_number=person)


def test_a_payout_by_id_number_is_linked_to_the_household(county, household):
    from tests.app.hardship.helpers import HEAD

    [entry] = pay(county, recipient_name="张三", recipient_id_number=HEAD)
    with county.db.read_session() as s:
        assert s.get(ReliefEntry, entry).archive_id == household


def test_cash_and_goods_lines(county, household):
    ids = pay(county, archive_id=household, kind="节日慰问", cash_fen="300", goods=[
        {"goods_kind": "大米", "goods_unit": "斤", "goods_qty": "50", "goods_value_fen": "150"},
        {"goods_kind": "食用油", "goods_unit": "桶", "goods_qty": "1", "goods_value_fen": "80"}])
    with county.db.read_session() as s:
        rows = [s.get(ReliefEntry, i) for i in ids]
        assert [(e.cash_fen, e.goods_kind, e.goods_qty, e.goods_value_fen) for e in rows] == [
            (30_000, "rice", 50, 15_000), (0, "oil", 1, 8_000)]
    with pytest.raises(ValidationFailed) as exc:
        pay(county, archive_id=household, goods=[{"goods_kind": "面粉", "goods_qty": "10"}])
    assert exc.value.errors == {"goods[0].goods_unit": "请填写物品的计量单位"}
    with pytest.raises(ValidationFailed, match="至少填一项"):
        pay(county, archive_id=household, cash_fen="0")


def test_entries_cannot_be_edited_or_deleted_through_the_service_layer(county, household):
    [entry] = pay(county, archive_id=household)
    with pytest.raises(ImmutableRecord, match="不能修改或删除"):
        with county.session("clerk") as s:
            s.get(ReliefEntry, entry).cash_fen = 1
    with pytest.raises(ImmutableRecord):
        with county.session("clerk") as s:
            s.get(ReliefEntry, entry).deleted = True
    with pytest.raises(ImmutableRecord):
        with county.session("clerk") as s:
            s.delete(s.get(ReliefEntry, entry))
    with county.db.read_session() as s:
        assert s.get(ReliefEntry, entry).cash_fen == 50_000


@pytest.mark.parametrize("sql", ["UPDATE hardship_ledger SET cash_fen = 1",
                                 "DELETE FROM hardship_ledger",
                                 "UPDATE hardship_reviews SET opinion = '改过'",
                                 "DELETE FROM hardship_reviews"])
def test_sqlite_triggers_refuse_changes_made_around_the_app(county, household, sql):
    pay(county, archive_id=household)
    county.db.close()
    conn = sqlite3.connect(county.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(sql)
    conn.close()


def test_a_reversal_negates_the_entry_once(county, household):
    [entry] = pay(county, archive_id=household, cash_fen="800", goods=[
        {"goods_kind": "rice", "goods_unit": "jin", "goods_qty": "50", "goods_value_fen": "150"}])
    with county.session("clerk") as s:
        with pytest.raises(ValidationFailed, match="冲正须写明原因"):
            ledger.reverse_entry(s, county.actors["clerk"], entry, "")
    with county.session("clerk2") as s:
        rev = ledger.reverse_entry(s, county.actors["clerk2"], entry, "金额录错")
        assert (rev.cash_fen, rev.goods_qty, rev.goods_value_fen, rev.reverses_id) == (-80_000, -50, -15_000, entry)
        assert rev.paid_on == TODAY and rev.paid_by == "clerk2姓名"
        rev_id = rev.id
    with county.session("clerk") as s:
        with pytest.raises(AppError, match="已经冲正过"):
            ledger.reverse_entry(s, county.actors["clerk"], entry, "再冲一次")
        with pytest.raises(AppError, match="不能再冲正"):
            ledger.reverse_entry(s, county.actors["clerk"], rev_id, "冲正冲正")
    with county.db.read_session() as s:
        book = ledger.household_ledger(s, county.actors["reviewer"], household)
        assert book.cash_fen == 0 and book.goods_value_fen == 0 and len(book.entries) == 2
        assert book.by_kind == {"living": 0}


def test_the_yearly_cap_warns_and_needs_confirmation(county, household):
    pay(county, archive_id=household, cash_fen="15000")
    with pytest.raises(NeedsConfirmation) as exc:
        pay(county, archive_id=household, cash_fen="5000.01")
    assert "已获救助 15,000.00 元,本次 5,000.01 元,合计 20,000.01 元,超过年度上限 20,000.00 元" in str(exc.value)
    pay(county, archive_id=household, cash_fen="5000")  # exactly at the cap: no warning
    with pytest.raises(NeedsConfirmation):
        pay(county, archive_id=household, cash_fen="1")
    [entry] = pay(county, archive_id=household, cash_fen="1", confirm=True)
    with county.db.read_session() as s:
        a = s.scalar(select(AuditEntry).where(AuditEntry.action == "confirm"))
        assert a.object_id == entry and "超过年度上限" in a.summary


def test_a_second_payout_in_one_campaign_warns(county, household):
    with county.session("clerk") as s:
        c = records.create(s, county.actors["clerk"], "hardship_campaign", {
            "name": "送温暖", "kind": "元旦春节送温暖", "year": TODAY.year})
        campaign = c.id
    pay(county, archive_id=household, campaign_id=campaign, kind="送温暖慰问")
    with pytest.raises(NeedsConfirmation, match="在“送温暖”中已于 .* 获得慰问 500.00 元"):
        pay(county, archive_id=household, campaign_id=campaign, kind="送温暖慰问")
    assert pay(county, archive_id=household, campaign_id=campaign, kind="送温暖慰问", confirm=True)


def test_a_fully_reversed_campaign_payout_does_not_count_as_given(county, household):
    with county.session("clerk") as s:
        campaign = records.create(s, county.actors["clerk"], "hardship_campaign", {
            "name": "送温暖", "kind": "spring", "year": TODAY.year}).id
    [entry] = pay(county, archive_id=household, campaign_id=campaign)
    with county.session("clerk") as s:
        ledger.reverse_entry(s, county.actors["clerk"], entry, "发错对象")
    assert pay(county, archive_id=household, campaign_id=campaign)


def test_unknown_refs_and_future_dates_are_refused(county, household):
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        pay(county, archive_id=household, paid_on=(TODAY + timedelta(days=1)).isoformat())
    with pytest.raises(AppError, match="慰问活动"):
        pay(county, archive_id=household, campaign_id="nope")
    with county.session("clerk") as s:
        assert s.execute(text("SELECT count(*) FROM hardship_ledger")).scalar() == 0
