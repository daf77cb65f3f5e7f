"""The seed's (五) blanks from the records: visitors counted in 人次 (a ticket counts its visitors),
calls, distinct workers advised, 普法 场次 by form, aid recovered in 万元 by the closing date;
``stats rights`` prints them. (Every figure's drill-down is checked by tests/contract.)"""

from datetime import date
from decimal import Decimal

from tests.app.rights.helpers import act, new_ticket

PERIOD = (date(2026, 1, 1), date(2026, 6, 30))


def _figures(county):
    from app.kit.figures import area_stats

    with county.db.read_session() as s:
        stats = area_stats(s, county.actors["readonly"], "rights", *PERIOD)
    return {f.key: f.value for f in stats.figures}


def _create(county, key, **values):
    from app.services import records

    with county.session("clerk") as s:
        return records.create(s, county.actors["clerk"], key, values).id


def test_the_seed_blanks_count_what_they_say(county):
    for visitors, channel, on in ((1, "visit", "2026-03-02"), (12, "visit", "2026-03-03"),
                                  (1, "hotline", "2026-03-04"), (1, "hotline", "2026-05-06"),
                                  (3, "visit", "2026-07-01")):  # the last is outside the period
        new_ticket(county, received_on=on, channel=channel, visitors=str(visitors))
    for form, consulted, materials in (("lecture", 10, 200), ("lecture", 5, 100), ("stand", 40, 500)):
        _create(county, "rights_event", held_on="2026-04-10", theme="普法", form=form, place="县职工服务中心",
                audience="100", consulted=str(consulted), materials=str(materials))
    for name, number in (("张三", "341122198001010016"), ("张三", "341122198001010016"), ("李四", None),
                         ("李四", None), ("王五", None)):
        _create(county, "rights_consultation", consulted_on="2026-02-01", channel="visit",
                person_name=name, id_number=number, problem="02", summary="欠薪", answerer_name="陈丽")
    granted = {"applied_on": "2025-12-01", "applicant_name": "赵六", "id_number": "341122198605120312",
               "opponent_name": "某公司", "cause": "02", "matters": "arbitration", "facts": "欠薪",
               "is_migrant": True, "review_result": "granted", "reviewed_on": "2025-12-02",
               "stage": "closed", "outcome": "won"}
    _create(county, "rights_aid_case", closed_on="2026-03-01", recovered_fen="123456.78", **granted)
    _create(county, "rights_aid_case", closed_on="2026-08-01", recovered_fen="10000", **granted)
    _create(county, "rights_aid_case", **{**granted, "applied_on": "2026-02-01", "reviewed_on": "2026-02-02",
                                          "stage": "reviewed",
                                          "outcome": None})
    f = _figures(county)
    assert (f["visitors"], f["calls"], f["collective"], f["tickets"]) == (13, 2, 1, 4)
    assert (f["events"], f["lectures"], f["stands"], f["materials"], f["consulted_at_events"]) \
        == (3, 2, 1, 800, 55)
    assert (f["advised"], f["consultations"]) == (3, 5)  # 张三 by ID number once; 李四 by name once
    assert f["aid_cases"] == 1  # applied in the period and granted
    assert f["aid_recovered"] == Decimal("12.35")  # 123,456.78 元 closed in the period, in 万元


def test_open_tickets_are_counted_now_whatever_the_period(county):
    done = new_ticket(county, category="1", sub_item="102")
    act(county, done, "answer", result="已答复")
    new_ticket(county)
    assert _figures(county)["open_tickets"] == 1


def test_stats_rights_on_the_command_line(county, monkeypatch, capsys):
    import json

    from app.cli.main import main
    from tests.conftest import PASSWORDS

    new_ticket(county, received_on="2026-03-02", visitors="7")
    monkeypatch.setenv("UNIONDESK_PASSWORD", PASSWORDS["readonly"])
    db_path = county.db.path
    code = main(["--db", str(db_path), "--user", "readonly", "stats", "rights", "--from", "2026-01-01",
                 "--to", "2026-06-30", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and {f["key"]: f["value"] for f in out["figures"]}["visitors"] == 7
    assert next(f for f in out["figures"] if f["key"] == "visitors")["records"]["filters"] == {"channel": "visit"}
