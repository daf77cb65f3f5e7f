"""The duty roster: no lawyer twice at one time (against the roster and within one batch), only a
lawyer whose firm's agreement covers the day, signing out after signing in; the month view."""

from datetime import date, timedelta

import pytest

from app.clock import today
from app.errors import ValidationFailed

DAY = today() + timedelta(days=3)


def _slot(county, **values):
    from app.services import records

    with county.session("clerk") as s:
        return records.create(s, county.actors["clerk"], "rights_duty", {
            "duty_on": DAY.isoformat(), "half": "am", **values})


def test_no_lawyer_twice_at_one_time(county):
    slot = _slot(county, lawyer_id=county.ids["lawyer1"])
    assert (slot.firm_id, slot.licence_no, slot.phone) == (county.ids["firm"], "13401201511012345",
                                                           "13912340000")  # as on that day
    with pytest.raises(ValidationFailed) as caught:
        _slot(county, lawyer_id=county.ids["lawyer1"])
    assert "已有值班安排" in caught.value.errors["lawyer_id"]
    _slot(county, lawyer_id=county.ids["lawyer1"], half="pm")  # the afternoon is another time
    _slot(county, lawyer_id=county.ids["lawyer2"])  # another lawyer the same morning


def test_a_batch_that_books_a_lawyer_twice_names_the_row(county):
    from app.kit.register import register
    from app.services import records

    reg = register("rights_duty")
    with county.session("clerk") as s:
        rows = [records.clean_or_raise(s, reg.spec, records.filled(s, reg, {
            "duty_on": DAY, "half": "pm", "lawyer_id": county.ids["lawyer2"]})) for _ in range(2)]
        errors = records.check_many(s, county.actors["clerk"], reg, rows, row_numbers=[3, 4])
    assert list(errors) == [1] and "排了两次" in errors[1]["lawyer_id"] and "第 3 行" in errors[1]["lawyer_id"]


def test_only_while_the_firm_s_agreement_runs(county):
    with pytest.raises(ValidationFailed) as caught:
        _slot(county, lawyer_id=county.ids["lawyer3"])
    assert "合作协议期" in caught.value.errors["lawyer_id"]


def test_signing_out_after_signing_in(county):
    with pytest.raises(ValidationFailed) as caught:
        _slot(county, lawyer_id=county.ids["lawyer1"], signed_in="14:30", signed_out="11:30")
    assert caught.value.errors == {"signed_out": "签退时间应晚于签到时间"}
    with pytest.raises(ValidationFailed) as caught:
        _slot(county, lawyer_id=county.ids["lawyer1"], signed_in="9点")
    assert caught.value.errors == {"signed_in": "应为时:分,如 09:30"}


def test_the_month_view(county):
    from app.services.rights import roster

    _slot(county, lawyer_id=county.ids["lawyer1"])
    _slot(county, lawyer_id=county.ids["lawyer2"], half="pm")
    with county.db.read_session() as s:
        slots = roster.month_slots(s, county.actors["readonly"], DAY.year, DAY.month)
    assert [x.lawyer for x in slots[(DAY, "am")]] == ["周律师"]
    assert [(x.lawyer, x.firm) for x in slots[(DAY, "pm")]] == [("吴律师", "安徽正和律师事务所")]
    weeks = roster.month_weeks(2026, 10)
    assert weeks[0][:3] == [None, None, None] and weeks[0][3] == date(2026, 10, 1)  # a Thursday
    assert all(len(w) == 7 for w in weeks)


def test_the_printed_roster_of_a_month(county, tmp_path):
    from app.printing.registry import PrintRequest
    from app.printing.service import print_form
    from tests.app import pdf_tools

    _slot(county, lawyer_id=county.ids["lawyer1"])
    out = tmp_path / "roster.pdf"
    print_form(county.db, county.actors["clerk"], "duty_roster",
               PrintRequest(options={"month": f"{DAY.year}-{DAY.month:02d}"}), out)
    text = pdf_tools.squeezed(out)
    assert "值班律师排班表" in text and "周律师" in text and "13401201511012345" in text
    assert f"{DAY.month}月{DAY.day}日" in text
