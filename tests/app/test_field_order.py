"""A date declared ``not_before`` another (结束日期 after 开始日期) is held on every save path: the
single create, an update of either date, and a batch."""

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import ValidationFailed
from app.fields.registry import all_specs
from app.fields.spec import Field, Kind, RecordSpec
from app.models import Campaign
from app.services import records

CAMPAIGN = {"name": "2026年夏送清凉", "kind": "summer", "year": "2026"}


def test_every_declared_order_pairs_two_dates_of_one_record():
    pairs = [(s.key, f.key, f.not_before) for s in all_specs() for f in s.fields if f.not_before]
    assert ("hardship_campaign", "ends_on", "starts_on") in pairs
    for key, later, earlier in pairs:
        spec = next(s for s in all_specs() if s.key == key)
        assert spec.field(later).kind == spec.field(earlier).kind == Kind.DATE, (key, later)


def test_an_order_must_name_a_field_of_the_record():
    with pytest.raises(ValueError, match="starts_on"):
        RecordSpec("x", "示例", object, (Field("ends_on", "结束日期", Kind.DATE, not_before="starts_on"),))


def test_order_errors_need_both_dates_and_allow_the_same_day():
    spec = next(s for s in all_specs() if s.key == "hardship_campaign")
    assert spec.order_errors({"starts_on": date(2026, 7, 1), "ends_on": date(2026, 6, 30)}) == {
        "ends_on": "结束日期不能早于开始日期"}
    assert spec.order_errors({"starts_on": date(2026, 7, 1), "ends_on": date(2026, 7, 1)}) == {}
    assert spec.order_errors({"ends_on": date(2026, 6, 30)}) == {}


def test_create_update_and_batch_refuse_dates_out_of_order(db, clerk):
    with db.session(clerk) as s, pytest.raises(ValidationFailed) as exc:
        records.create(s, clerk, "hardship_campaign",
                       {**CAMPAIGN, "starts_on": "2026-07-10", "ends_on": "2026-07-01"})
    assert exc.value.errors == {"ends_on": "结束日期不能早于开始日期"}
    with db.session(clerk) as s:
        cid = records.create(s, clerk, "hardship_campaign",
                             {**CAMPAIGN, "starts_on": "2026-07-01", "ends_on": "2026-07-10"}).id
    with db.session(clerk) as s, pytest.raises(ValidationFailed):  # the stored end is now earlier
        records.update(s, clerk, "hardship_campaign", cid, {"starts_on": "2026-07-20"})
    with db.session(clerk) as s:
        rows = [{**CAMPAIGN, "starts_on": date(2026, 7, 1), "ends_on": date(2026, 7, 10)},
                {**CAMPAIGN, "starts_on": date(2026, 7, 10), "ends_on": date(2026, 7, 1)}]
        assert records.check_many(s, clerk, "hardship_campaign", rows) == {
            1: {"ends_on": "结束日期不能早于开始日期"}}
        assert s.scalar(select(Campaign.starts_on).where(Campaign.id == cid)) == date(2026, 7, 1)
