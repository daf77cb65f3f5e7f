"""Section (六) statistics on a hand-built county, the records behind each figure, and the CLI."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.cli.main import main
from app.clock import today
from app.kit.figures import drill_value
from app.services import listing, records
from app.services.hardship import aid, ledger, visits, workflow
from app.services.hardship.stats import hardship_stats
from tests.app.hardship.helpers import CHILD, HEAD, drive, id_number, make_archive
from tests.conftest import PASSWORDS

TODAY = today()
PERIOD = (TODAY - timedelta(days=60), TODAY)


def _pay(county, values, goods=(), confirm=False):
    base = {"paid_on": TODAY.isoformat(), "kind": "living", "recipient_kind": "worker", "fund_source": "county"}
    with county.session("clerk") as s:
        return [e.id for e in ledger.record_relief(s, county.actors["clerk"], {**base, **values},
                                                   goods=goods, confirm=confirm)]


@pytest.fixture
def filled(county):
    """H1 (甲厂, 3 people), H2 (丙厂, alone), H3 (丁公司, exited); payouts, visits, 助学, 年审."""
    h1 = make_archive(county, "a")
    h2 = make_archive(county, "c", id_no=id_number("341122", date(1980, 1, 1), 19), members=[])
    h3 = make_archive(county, "d", id_no=id_number("341122", date(1982, 2, 2), 21), members=[])
    for h in (h1, h2, h3):
        drive(county, h)
    _pay(county, {"archive_id": h1, "cash_fen": "1000"}, goods=[
        {"goods_kind": "rice", "goods_unit": "jin", "goods_qty": 50, "goods_value_fen": "150"},
        {"goods_kind": "oil", "goods_unit": "barrel", "goods_qty": 1, "goods_value_fen": "80"}])
    [wrong] = _pay(county, {"archive_id": h2, "cash_fen": "500"})
    with county.session("clerk") as s:
        ledger.reverse_entry(s, county.actors["clerk"], wrong, "发错对象")
    _pay(county, {"kind": "accident", "recipient_name": "王五", "unit_id": county.ids["b"],
                  "recipient_id_number": id_number("341122", date(1985, 5, 5), 33),
                  "cash_fen": "2000", "reason": "家中失火"})
    with county.session("clerk") as s:
        c = records.create(s, county.actors["clerk"], "hardship_campaign", {"name": "送温暖", "kind": "spring",
                                                               "year": TODAY.year}).id
    base = {"campaign_id": c, "visited_on": TODAY.isoformat(), "leader_name": "王主席", "leader_level": "county"}
    with county.session("clerk") as s:
        a = county.actors["clerk"]
        for _ in range(2):  # the same enterprise twice
            visits.record_visit(s, a, {**base, "target_kind": "enterprise", "unit_id": county.ids["b"]},
                                cash="3000", fund_source="city")
        visits.record_visit(s, a, {**base, "target_kind": "worker", "archive_id": h1}, cash="800",
                            goods=[{"goods_kind": "rice", "goods_unit": "jin", "goods_qty": 50,
                                    "goods_value_fen": "150"}], fund_source="city")
        visits.record_visit(s, a, {**base, "target_kind": "model_worker", "target_name": "劳模甲",
                                   "unit_id": county.ids["d"]}, cash="200", fund_source="city")
    with county.session("clerk") as s:
        app_id = records.create(s, county.actors["clerk"], "hardship_study_aid", {
            "year": TODAY.year, "student_name": "张小明", "student_id_number": CHILD, "school": "安徽大学",
            "level": "2", "archive_id": h1}).id
    with county.session("reviewer") as s:
        aid.decide(s, county.actors["reviewer"], app_id, approve=True, opinion="同意")
    with county.session("clerk") as s:
        aid.pay(s, county.actors["clerk"], app_id, paid_on=TODAY, fund_source="acftu")
    with county.session("reviewer") as s:
        workflow.act(s, county.actors["reviewer"], h1, "annual", {"opinion": "无变化"})
        workflow.act(s, county.actors["reviewer"], h3, "exit", {"close_reason": "12", "opinion": "已就业"})
    return {"h1": h1, "h2": h2, "h3": h3}


def stats(county, unit=None):
    with county.db.read_session() as s:
        return hardship_stats(s, county.actors["auditor"], *PERIOD, unit)


def test_the_figures_of_section_six(county, filled):
    r = stats(county)
    v = {f.key: f.value for f in r.figures}
    # cash: 1000 + (500 − 500) + 2000 + 2×3000 + 800 + 200 + 5000 (助学) = 15,000 元
    assert v["relief_cash"] == Decimal("1.50")
    assert "15,000.00 元" in r.figure("relief_cash").note
    assert v["goods_value"] == Decimal("0.04")  # 150 + 80 + 150 = 380 元
    assert v["grain_jin"] == 100 and v["goods_rice_jin"] == 100 and v["goods_oil_barrel"] == 1
    assert r.figure("goods_oil_barrel").unit == "桶"
    assert r.figure("goods_oil_barrel").label == "食用油(桶)"  # never two cards both "食用油"
    assert v["households_helped"] == 1  # H2's payout was reversed in full
    assert v["workers_helped"] == 2  # 张三 (H1) and 王五 (意外救助, no archive)
    assert v["people_covered"] == 3
    assert (v["visits_enterprise"], v["visits_worker"], v["visits_model_worker"], v["visits_frontline"],
            v["visits_total"]) == (1, 1, 1, 0, 4)
    assert (v["archives_opened"], v["archives_rechecked"], v["archives_exited"], v["archives_cancelled"],
            v["archives_in_force"]) == (3, 1, 1, 0, 2)
    assert (v["study_aid_grants"], v["study_aid_amount"]) == (1, Decimal("0.50"))


def test_each_figure_opens_the_records_behind_it(county, filled):
    r = stats(county)
    with county.db.read_session() as s:
        def behind(key):
            query = r.figure(key).query
            return list(s.scalars(listing.rows_select(s, query, actor=county.actors["auditor"])))

        assert [a.id for a in behind("households_helped")] == [filled["h1"]]
        assert sorted(a.id for a in behind("archives_opened")) == sorted(filled.values())
        assert [a.id for a in behind("archives_exited")] == [filled["h3"]]
        assert [a.id for a in behind("archives_rechecked")] == [filled["h1"]]
        cash = behind("relief_cash")
        assert sum(e.cash_fen for e in cash) == 1_500_000 and any(e.reverses_id for e in cash)
        # H2 (ID …19) was paid and reversed in full: not helped, so not behind the figure either
        assert {e.recipient_id_number for e in behind("workers_helped")} == {
            HEAD, id_number("341122", date(1985, 5, 5), 33)}
        for f in r.figures:  # every figure, recomputed from exactly the records it opens
            assert drill_value(s, county.actors["auditor"], f) == f.value, f.key
        assert len(behind("visits_enterprise")) == 2 and len(behind("study_aid_grants")) == 1
        assert sum(e.goods_qty for e in behind("goods_rice_jin")) == 100


def test_reversals_net_out_even_when_recorded_later(county, filled):
    before = stats(county).figure("relief_cash").value
    [entry] = _pay(county, {"kind": "accident", "recipient_name": "赵六", "unit_id": county.ids["b"],
                            "recipient_id_number": id_number("341122", date(1986, 6, 6), 35),
                            "reason": "车祸", "cash_fen": "1234.56",
                            "paid_on": (TODAY - timedelta(days=10)).isoformat()})
    assert stats(county).figure("relief_cash").value == before + Decimal("0.12")
    with county.session("clerk") as s:
        ledger.reverse_entry(s, county.actors["clerk"], entry, "重复登记")
    assert stats(county).figure("relief_cash").value == before


def test_a_unit_and_its_subtree(county, filled):
    r = stats(county, "341122100")  # 城关镇: 甲厂 (H1) and 乙厂 (the enterprise, the accident)
    v = {f.key: f.value for f in r.figures}
    assert r.unit_name == "城关镇工会"
    assert v["relief_cash"] == Decimal("1.48")  # 1000 + 800 + 5000 + 2000 + 6000
    assert (v["archives_opened"], v["households_helped"], v["workers_helped"]) == (1, 1, 2)
    assert (v["visits_enterprise"], v["visits_model_worker"]) == (1, 0)
    other = {f.key: f.value for f in stats(county, "341122101").figures}  # 新集镇: H2 only
    assert (other["relief_cash"], other["archives_opened"], other["households_helped"]) == (0, 1, 0)


def test_an_empty_period(county, filled):
    with county.db.read_session() as s:
        r = hardship_stats(s, county.actors["auditor"], date(2000, 1, 1), date(2000, 12, 31))
    assert all(f.value == 0 for f in r.figures)


def run_cli(county, monkeypatch, capsys, *args):
    county.db.close()
    monkeypatch.setenv("UNIONDESK_PASSWORD", PASSWORDS["reviewer"])
    try:
        code = main(["--db", str(county.path), "--user", "reviewer", "stats", "hardship", *args])
    except SystemExit as exc:  # argparse refuses bad input with exit status 2
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_json_agrees_with_the_service(county, filled, monkeypatch, capsys):
    expected = stats(county).as_dict()
    code, out, _ = run_cli(county, monkeypatch, capsys, "--from", PERIOD[0].isoformat(),
                           "--to", PERIOD[1].isoformat(), "--json")
    assert code == 0
    data = json.loads(out)
    assert data == json.loads(json.dumps(expected))
    figures = {f["key"]: f for f in data["figures"]}
    assert figures["relief_cash"]["value"] == "1.50" and figures["relief_cash"]["unit"] == "万元"
    behind = figures["households_helped"]["records"]  # the drill-down, as a ListQuery
    assert behind["spec"] == "hardship_archive" and behind["filters"]["helped"] == {
        "from": PERIOD[0].isoformat(), "to": PERIOD[1].isoformat()}
    from app.services.listing import ListQuery

    assert ListQuery.from_dict(behind) == stats(county).figure("households_helped").query


def test_cli_text_and_mistakes(county, filled, monkeypatch, capsys):
    code, out, _ = run_cli(county, monkeypatch, capsys, "--from", f"{PERIOD[0].year}年{PERIOD[0].month}月{PERIOD[0].day}日",
                           "--to", PERIOD[1].isoformat(), "--unit", "341122100")
    assert code == 0
    assert "城关镇工会 困难职工帮扶统计" in out and "发放困难职工慰问金(救助金)" in out and "1.48 万元" in out
    assert "走访慰问困难企业" in out and "米、面、油" in out
    code, _, err = run_cli(county, monkeypatch, capsys, "--from", "2020-02-30", "--to", "2020-06-30")
    assert code == 2 and "日期" in err
    code, _, err = run_cli(county, monkeypatch, capsys, "--from", "2020-06-30", "--to", "2020-01-01")
    assert code == 2 and "截止日期不能早于开始日期" in err  # invalid input, as a bad date
    code, _, err = run_cli(county, monkeypatch, capsys, "--from", "2020-01-01", "--to", "2020-06-30",
                           "--unit", "999999")
    assert code == 1 and "找不到单位“999999”" in err
    code, out, _ = run_cli(county, monkeypatch, capsys, "--from", PERIOD[0].isoformat(),
                           "--to", PERIOD[1].isoformat(), "--unit", "城关镇工会")  # by name, as print --union
    assert code == 0 and "城关镇工会 困难职工帮扶统计" in out and "1.48 万元" in out


def test_the_connection_settings_are_restored(county, filled):
    with county.db.read_session() as s:
        raw = s.connection().connection.driver_connection
        before = raw.execute("PRAGMA temp_store").fetchone()[0]
        hardship_stats(s, county.actors["auditor"], *PERIOD)
        assert raw.execute("PRAGMA temp_store").fetchone()[0] == before == 2  # MEMORY, as opened
