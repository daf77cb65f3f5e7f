"""Sample values read as a county office's records: from the declaration alone, a probe register
gets event names, places, people whose name, sex and ID number agree, counts and amounts fitting
their labels and limits, dates in the period and in their declared order, usual codes."""

import random
from datetime import date, timedelta

from app.demo import names as N
from app.fields.spec import Field, Kind, RecordSpec
from app.kit.register import Register
from app.kit.samples import SampleRun, id_number, sample_values
from app.models import Campaign
from app.services.records import codebook
from app.validation import parse_id_number

PROBE = Register(RecordSpec("sample_probe", "示例", Campaign, period_key="held_on", fields=(
    Field("held_on", "活动日期", Kind.DATE, required=True),
    Field("ends_on", "结束日期", Kind.DATE, not_before="held_on"),
    Field("year", "年度", Kind.YEAR),
    Field("name", "活动名称", max_len=100),
    Field("short", "项目名称", max_len=6),
    Field("place", "活动地点", max_len=100),
    Field("address", "家庭住址", max_len=200),
    Field("employer", "工作单位", max_len=100),
    Field("student_name", "学生姓名", max_len=50),
    Field("student_id", "学生身份证号", Kind.ID_NUMBER),
    Field("student_gender", "学生性别", Kind.CODE, code_table="gender"),
    Field("parent_name", "家长姓名", max_len=50),
    Field("parent_id", "家长身份证号", Kind.ID_NUMBER),
    Field("people", "参加人次", Kind.INT, min_value=0, max_value=100_000),
    Field("days", "培训天数", Kind.INT, min_value=1, max_value=3),
    Field("budget", "经费(元)", Kind.MONEY, min_value=0),
    Field("fee", "学费(元/年)", Kind.MONEY, max_value=400_000),
    Field("ethnicity", "民族", Kind.CODE, code_table="ethnicity"),
)))
START, END = date(2025, 12, 1), date(2026, 11, 30)


def _samples(db, seed=5, n=150):
    with db.read_session() as s:
        run = SampleRun.open(s, random.Random(seed), start=START, end=END)
        raws = [sample_values(s, PROBE, run=run) for _ in range(n)]
        cleaned = [PROBE.spec.clean(r, codebook(s)) for r in raws]
    assert all(errors == {} for _, errors in cleaned), [e for _, e in cleaned if e][:3]
    return raws, [c for c, _ in cleaned]


def test_dates_lie_in_the_period_in_their_declared_order(db):
    _, rows = _samples(db)
    for r in rows:
        assert START <= r["held_on"] <= r["ends_on"] <= END
        assert r["year"] == r["held_on"].year


def test_people_agree_with_their_id_numbers_which_never_repeat(db):
    _, rows = _samples(db)
    numbers = [r[k] for r in rows for k in ("student_id", "parent_id")]
    assert len(set(numbers)) == len(numbers)
    for r in rows:
        student, parent = parse_id_number(r["student_id"]), parse_id_number(r["parent_id"])
        assert student.region == parent.region == "341122"  # the installation's own county
        assert 16 <= (END - student.birth_date).days // 365 <= 22
        assert 22 <= (END - parent.birth_date).days // 365 <= 60
        assert r["student_gender"] == student.gender
        for name in (r["student_name"], r["parent_name"]):
            assert 2 <= len(name) <= 4 and (name[0] in dict(N.SURNAMES) or name[:2] in dict(N.SURNAMES))


def test_texts_fit_their_labels_and_lengths(db):
    _, rows = _samples(db)
    for r in rows:
        assert r["name"].endswith(N.EVENT_TOPICS) and len(r["short"]) <= 6
        assert any(t in r["address"] for t in N.TOWNSHIPS) and r["address"].startswith("示例县")
        assert r["employer"].endswith(N.SUFFIX)
        assert r["place"].endswith(N.VENUES + ("文化站", "会议室"))


def test_counts_and_amounts_fit_their_labels_and_limits(db):
    _, rows = _samples(db)
    for r in rows:
        assert 10 <= r["people"] <= 300 and 1 <= r["days"] <= 3
        assert 500_00 <= r["budget"] <= 20_000_00 and r["budget"] % 100_00 == 0  # whole hundreds
        assert 3000_00 <= r["fee"] <= 4000_00
    assert sum(r["ethnicity"] == "01" for r in rows) > 0.8 * len(rows)  # 汉族, as in the county


def test_the_same_seed_gives_the_same_values(db):
    assert _samples(db, seed=9, n=20)[0] == _samples(db, seed=9, n=20)[0]
    assert _samples(db, seed=9, n=20)[0] != _samples(db, seed=10, n=20)[0]


def test_a_hook_id_number_is_valid_and_of_the_sex_asked_for():
    rng = random.Random(1)
    for day in range(0, 400, 7):
        born = date(2006, 1, 1) + timedelta(days=day)
        info = parse_id_number(id_number(rng, born, male=day % 2 == 0))
        assert info.birth_date == born and info.gender == ("1" if day % 2 == 0 else "2")
