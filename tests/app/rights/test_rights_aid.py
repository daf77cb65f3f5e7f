"""Legal-aid cases: the means test against the local standard (a setting), the exemption of a
农民工 claiming wages or work-injury compensation, a verbal application signed, and the case's
one rule — the same from the form as from an Excel batch."""

import pytest

from app.clock import today
from app.errors import ValidationFailed
from app.models.rights import AidCase

BASE = {"applied_on": today().isoformat(), "applicant_name": "李春生", "id_number": "341122198605120312",
        "opponent_name": "示例县宏达建筑有限公司", "matters": "arbitration", "facts": "拖欠工资 8 个月",
        "household_size": "3", "household_income_fen": "4500"}  # 1,500.00 元 a head


def _save(county, who="clerk", **values):
    from app.services import records

    with county.session(who) as s:
        case = records.create(s, county.actors[who], "rights_aid_case", {**BASE, **values})
        return case.id, case.eligibility, case.eligibility_text, case.per_capita_fen


def test_below_the_local_standard_passes_the_means_test(county):
    _, code, text, head = _save(county, cause="06")
    assert (code, head) == ("eligible", 150_000)
    assert "月人均 1,500.00 元,低于本地标准 2,060.00 元" in text


def test_at_or_above_the_standard_fails_unless_a_migrant_worker_claims_wages_or_injury(county):
    rich = {"household_size": "2", "household_income_fen": "6000"}  # 3,000.00 元 a head
    assert _save(county, cause="02", **rich)[1] == "over"  # wages, but not a 农民工
    assert _save(county, cause="01", is_migrant="是", **rich)[1] == "over"  # a 农民工, another claim
    _, code, text, _ = _save(county, cause="02", is_migrant="是", **rich)
    assert (code, text) == ("exempt", "农民工请求支付劳动报酬,免予经济困难审查")
    assert _save(county, cause="04", is_migrant="是", **rich)[1] == "exempt"  # 工伤


def test_the_standard_is_a_setting(county):
    from app.services import settings

    with county.session("admin") as s:
        settings.put(s, county.actors["admin"], "rights_aid_income_yuan", 1500)
    assert _save(county, cause="06")[1] == "over"  # 1,500.00 is not below 1,500.00


def test_no_household_figures_no_assessment(county):
    assert _save(county, cause="06", household_size=None, household_income_fen=None)[1] == "unknown"


def test_a_verbal_application_is_recorded_and_signed(county):
    with pytest.raises(ValidationFailed) as caught:
        _save(county, cause="02", mode="verbal")
    assert "签字" in caught.value.errors["verbal_signed"]
    _save(county, cause="02", mode="verbal", verbal_signed="是")


def test_granting_against_the_means_test_needs_a_reason(county):
    rich = {"household_size": "1", "household_income_fen": "5000", "cause": "06",
            "review_result": "granted", "reviewed_on": today().isoformat()}
    with pytest.raises(ValidationFailed) as caught:
        _save(county, **rich)
    assert caught.value.errors == {"review_opinion": "经济困难审查未通过,准予援助须写明理由"}
    _save(county, review_opinion="申请人系全国劳动模范,经集体研究准予援助", **rich)


def test_a_lawyer_only_after_aid_is_granted_and_a_close_with_its_outcome(county):
    with pytest.raises(ValidationFailed) as caught:
        _save(county, cause="02", lawyer_id=county.ids["lawyer1"])
    assert "准予援助后" in caught.value.errors["lawyer_id"]
    granted = {"cause": "02", "review_result": "granted", "reviewed_on": today().isoformat(),
               "lawyer_id": county.ids["lawyer1"], "aid_form": "arbitration"}
    with pytest.raises(ValidationFailed) as caught:
        _save(county, stage="closed", recovered_fen="36000", **granted)
    assert {"closed_on", "outcome"} <= set(caught.value.errors)
    with pytest.raises(ValidationFailed) as caught:
        _save(county, recovered_fen="36000", **granted)
    assert "结案时登记" in caught.value.errors["recovered_fen"]
    case_id, *_ = _save(county, stage="closed", closed_on=today().isoformat(), outcome="won",
                        recovered_fen="36000", **granted)
    with county.db.read_session() as s:
        case = s.get(AidCase, case_id)
        assert (case.firm_id, case.recovered_fen) == (county.ids["firm"], 3_600_000)  # the lawyer's firm
        assert case.case_no == f"341122-法援-{today().year}-0001"


def test_an_excel_batch_runs_the_same_rule(county):
    from app.kit.register import register
    from app.services import records

    reg = register("rights_aid_case")
    with county.session("clerk") as s:
        rows = [records.clean_or_raise(s, reg.spec, {**BASE, "cause": "02", **extra})
                for extra in ({}, {"mode": "verbal"}, {"review_result": "granted"})]
        errors = records.check_many(s, county.actors["clerk"], reg, rows)
    assert sorted(errors) == [1, 2]
    assert "verbal_signed" in errors[1] and "reviewed_on" in errors[2]
