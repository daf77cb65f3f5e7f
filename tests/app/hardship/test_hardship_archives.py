"""Archives: entry with the family table, derived figures, checks, and 精准识别 across units."""

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import AppError, PermissionDenied, ValidationFailed
from app.models import AuditEntry, HardshipFamilyMember, Unit
from app.services import records
from app.services.hardship import archives
from tests.app.hardship.helpers import CHILD, HEAD, SPOUSE, archive_values, drive, id_number, make_archive, member_values


def test_create_derives_figures_and_the_proposal(county):
    aid = make_archive(county)
    with county.db.read_session() as s:
        a = archives.get_archive(s, county.actors["clerk"], aid)
        assert (a.gender, a.birth_date, a.name_initials) == ("1", date(1975, 5, 20), "zs")
        assert a.household_size == 3 and a.family_annual_income_fen == 2_640_000
        assert a.rigid_expense_fen == 915_000 and a.per_capita_fen == 47_917
        assert (a.proposed_category, a.category, a.category_overridden) == ("1", "1", False)
        assert a.housing_area_band == "2" and a.employer == "示例县甲厂有限公司"
        assert a.status == "draft" and a.entered_by == "clerk" and a.ethnicity == "01"
        assert "(26,400.00 − 9,150.00) ÷ 12 ÷ 3 = 479.17 元" in a.eligibility_text
        fam = archives.family_members(s, aid)
        assert [(m.name, m.gender, m.birth_date) for m in fam] == [
            ("李四", "2", date(1977, 3, 8)), ("张小明", "1", date(2005, 6, 1))]


def test_links_the_member_register_by_id_number(county):
    with county.session("clerk") as s:
        m = records.create(s, county.actors["clerk"], "member", {
            "name": "张三", "id_number": HEAD, "union_id": county.ids["a"]})
    aid = make_archive(county)
    with county.db.read_session() as s:
        assert archives.get_archive(s, county.actors["clerk"], aid).member_id == m.id


def test_field_errors_name_the_row_and_column(county):
    bad = [member_values("李四", "10", SPOUSE[:-1] + ("0" if SPOUSE[-1] != "0" else "1")),
           member_values("", "本人", CHILD)]
    with county.session("clerk") as s:
        with pytest.raises(ValidationFailed) as exc:
            archives.create_archive(s, county.actors["clerk"], archive_values(county.ids["a"]), members=bad)
    errors = exc.value.errors
    assert "校验位不正确" in errors["members[0].id_number"]
    assert errors["members[1].name"] == "必填"
    assert errors["members[1].relation"] == "户主本人不列入家庭成员表"
    assert "家庭成员第 1 行身份证号" in str(exc.value)


@pytest.mark.parametrize("values, key, message", [
    ({"minor_causes": "1,2,3,9"}, "minor_causes", "最多选三项"),
    ({"main_cause": "6", "minor_causes": "6"}, "minor_causes", "不能与主要致困原因相同"),
    ({"main_cause": "10"}, "cause_other_text", "请写明具体原因"),
    ({"disability_grade": "2"}, "disability_category", "请选择残疾类别"),
    ({"phone": "12345"}, "phone", "手机"),
    ({"hukou_region": "3411"}, "hukou_region", "6 位数字"),
])
def test_form_rules(county, values, key, message):
    with county.session("clerk") as s:
        with pytest.raises(ValidationFailed) as exc:
            archives.create_archive(s, county.actors["clerk"], archive_values(county.ids["a"], **values))
    assert message in exc.value.errors[key]


def test_only_grassroots_unions_hold_archives(county):
    with county.session("clerk") as s:
        with pytest.raises(ValidationFailed, match="不是基层工会"):
            archives.create_archive(s, county.actors["clerk"], archive_values(county.ids["t1"]))


def test_a_grassroots_clerk_files_only_for_their_own_union(county):
    make_archive(county, "a", who="g_clerk", id_no=id_number("341122", date(1980, 1, 1), 11))
    with pytest.raises(PermissionDenied, match="乙厂工会"):
        make_archive(county, "b", who="g_clerk")


def test_the_same_person_in_two_active_archives_is_refused_with_the_other_named(county):
    first = make_archive(county, "a")
    with pytest.raises(ValidationFailed) as exc:  # same 户主, another union of another township
        make_archive(county, "c", members=[], name="张三")
    msg = exc.value.errors["id_number"]
    assert "“张三”困难职工档案" in msg and "甲厂工会" in msg and "的户主" in msg
    other = id_number("341122", date(1980, 2, 2), 15)
    with pytest.raises(ValidationFailed) as exc:  # 户主 here, family member there
        make_archive(county, "d", id_no=SPOUSE, name="李四", members=[], expenses=[])
    assert "的家庭成员" in exc.value.errors["id_number"]
    with pytest.raises(ValidationFailed) as exc:  # family member in both
        make_archive(county, "d", id_no=other, members=[member_values("张小明", "20", CHILD)])
    assert "张小明" in exc.value.errors["members[0].id_number"]
    with pytest.raises(ValidationFailed, match="与户主相同"):
        make_archive(county, "d", id_no=other, members=[member_values("某", "20", other)])
    # once the first household leaves the scheme, the person may be filed again
    drive(county, first)
    from app.services.hardship import workflow

    with county.session("reviewer") as s:
        workflow.act(s, county.actors["reviewer"], first, "exit",
                     {"close_reason": "11", "opinion": "收入提高"})
    assert make_archive(county, "c", members=[])


def test_the_check_covers_every_county_in_the_database(county):
    """At the city, the same person filed in two counties is found."""
    from app.security.actor import Actor

    with county.db.session(Actor.system()) as s:  # as if received from another county's bundle
        other = Unit(name="邻县总工会", kind="county", code="341124", parent_id=None)
        s.add(other)
        s.flush()
        union = Unit(name="邻县某厂工会", kind="grassroots", parent_id=other.id)
        s.add(union)
        s.flush()
        archives.create_archive(s, Actor.system(), archive_values(union.id))
    with pytest.raises(ValidationFailed) as exc:
        make_archive(county, "a")
    assert "邻县某厂工会" in exc.value.errors["id_number"]


def test_update_replaces_the_family_table_and_recomputes(county):
    aid = make_archive(county)
    with county.session("clerk2") as s:
        fam = archives.family_members(s, aid)
        a = archives.update_archive(s, county.actors["clerk2"], aid, {"monthly_income_fen": "2800"},
                                    members=[{"id": fam[0].id, **member_values("李四", "10", SPOUSE, "600")}])
        assert a.household_size == 2 and a.category == "2" and a.last_edited_by == "clerk2"
    with county.db.read_session() as s:
        rows = s.scalars(select(HardshipFamilyMember).where(HardshipFamilyMember.archive_id == aid)).all()
        assert sorted((m.name, m.deleted) for m in rows) == [("张小明", True), ("李四", False)]
        assert s.scalar(select(AuditEntry).where(AuditEntry.object_id == aid,
                                                 AuditEntry.action == "update")) is not None


def test_no_edits_during_review_and_voiding_only_drafts(county):
    aid = make_archive(county)
    drive(county, aid, "submit")
    with county.session("clerk") as s:
        with pytest.raises(AppError, match="审核期间不能修改"):
            archives.update_archive(s, county.actors["clerk"], aid, {"phone": "13900000000"})
        with pytest.raises(AppError, match="只有从未提交的草稿可以作废"):
            archives.void_archive(s, county.actors["clerk"], aid)
    draft = make_archive(county, "d", id_no=id_number("341122", date(1980, 3, 3), 17), members=[])
    with county.session("clerk") as s:
        archives.void_archive(s, county.actors["clerk"], draft)
    assert make_archive(county, "d", id_no=id_number("341122", date(1980, 3, 3), 17), members=[])


def test_preview_gives_the_live_proposal_without_saving(county):
    with county.db.read_session() as s:
        r = archives.preview(s, county.actors["clerk"], archive_values(county.ids["a"], income="2000"),
                             [member_values("李四", "10", SPOUSE, "600")], [], county.ids["a"])
        assert r.category == "2" and r.per_capita_fen == 135_000
        assert archives.preview(s, county.actors["clerk"], {}, [], [], county.ids["a"]) \
            == "填写本人月平均收入后自动计算"


def test_readers_cannot_write(county):
    with county.session("reviewer") as s:
        with pytest.raises(PermissionDenied):
            archives.create_archive(s, county.actors["reviewer"], archive_values(county.ids["a"]))
    with county.session("auditor") as s:
        with pytest.raises(PermissionDenied):
            archives.create_archive(s, county.actors["auditor"], archive_values(county.ids["a"]))


def test_the_archive_form_gets_its_sub_tables_from_the_generic_service(county):
    """``records.child_rows``: the live family members and expenses in the child spec's order,
    as the form edits them, for a user who may read the archive."""
    from app.fields.hardship import FAMILY_MEMBER
    from app.security.actor import Actor

    archive_id = make_archive(county)
    with county.session("clerk") as s:
        stored = archives.family_members(s, archive_id)
        s.get(HardshipFamilyMember, stored[0].id).deleted = True  # a removed row is not shown
    with county.db.read_session() as s:
        clerk = county.actors["clerk"]
        rows = records.child_rows(s, clerk, "hardship_archive", archive_id, "members")
        assert [r["id"] for r in rows] == [m.id for m in archives.family_members(s, archive_id)]
        assert [r["name"] for r in rows] == ["张小明"]
        assert set(rows[0]) == {"id"} | {f.key for f in FAMILY_MEMBER.editable_fields}
        expenses = records.child_rows(s, clerk, "hardship_archive", archive_id, "expenses")
        assert [(r["item"], r["amount_fen"]) for r in expenses] == [("1", 800_000), ("2", 115_000)]
        nobody = Actor(user_id="", username="nobody", role="none")
        with pytest.raises(PermissionDenied):
            records.child_rows(s, nobody, "hardship_archive", archive_id, "members")
