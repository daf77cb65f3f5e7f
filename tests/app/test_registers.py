"""Units, members and code tables through their services."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.errors import AppError, ValidationFailed
from app.fields.codes import CodeBook
from app.fields.registry import all_specs
from app.fields.spec import Kind
from app.models import CodeItem, Member, Unit
from app.services import codes, members, records, units
from app.services.records import codebook

VALID_ID = "11010519491231002X"


def _union(s, kind="grassroots"):
    return s.scalars(select(Unit).where(Unit.kind == kind, Unit.deleted.is_(False))).first()


def test_member_fields_derived_from_the_id_number(db, clerk):
    with db.session(clerk) as s:
        m = records.create(s, clerk, "member", {"name": "张三", "id_number": "110105491231002",
                                             "union_id": _union(s).id, "phone": "139 1234 5678"})
        assert m.id_number == VALID_ID  # the 15-digit number was upgraded
        assert m.gender == "2" and m.birth_date == date(1949, 12, 31)
        assert (m.name_pinyin, m.name_initials) == ("zhangsan", "zs")
        assert m.phone == "13912345678" and m.status == "1" and m.ethnicity == "01"


def test_wrong_check_digit_named_in_the_message(db, clerk):
    with db.session(clerk) as s:
        with pytest.raises(ValidationFailed) as exc:
            records.create(s, clerk, "member", {"name": "李四", "id_number": "110105194912310021",
                                             "union_id": _union(s).id})
    assert exc.value.errors == {"id_number": "校验位不正确,请对照证件逐位核对"}
    assert "身份证号" in str(exc.value)


def test_required_fields_and_codes_checked(db, clerk):
    with db.session(clerk) as s:
        with pytest.raises(ValidationFailed) as exc:
            records.create(s, clerk, "member", {"name": " ", "id_number": VALID_ID, "union_id": _union(s).id,
                                             "ethnicity": "火星族", "joined_on": "2020年2月30日"})
    errors = exc.value.errors
    assert errors["name"] == "必填"
    assert "不在代码表" in errors["ethnicity"] and "民族" in errors["ethnicity"]
    assert "日期不存在" in errors["joined_on"]


def test_code_labels_accepted_as_well_as_codes(db, clerk):
    with db.session(clerk) as s:
        m = records.create(s, clerk, "member", {"name": "王五", "id_number": VALID_ID, "union_id": _union(s).id,
                                             "ethnicity": "回族", "political_status": "中共党员",
                                             "joined_on": "2020.3.5", "is_migrant_worker": "是"})
        assert (m.ethnicity, m.political_status, m.joined_on, m.is_migrant_worker) == (
            "03", "01", date(2020, 3, 5), True)


def test_one_person_one_active_membership(db, clerk):
    with db.session(clerk) as s:
        first, second = s.scalars(select(Unit).where(Unit.kind == "grassroots").limit(2)).all()
        records.create(s, clerk, "member", {"name": "赵六", "id_number": VALID_ID, "union_id": first.id})
    with db.session(clerk) as s:
        with pytest.raises(ValidationFailed, match="已是.*的会员"):
            records.create(s, clerk, "member", {"name": "赵六", "id_number": VALID_ID, "union_id": second.id})
    with db.session(clerk) as s:  # after 转出 the person joins elsewhere on the same record
        old = s.scalars(select(Member).where(Member.id_number == VALID_ID)).one()
        from app.services.organisation import membership

        records.create(s, clerk, membership.REGISTER, {"member_id": old.id, "kind": "transfer_out",
                                                       "event_date": "2026-01-05", "to_union_id": second.id})
    with db.session(clerk) as s:
        with pytest.raises(ValidationFailed, match="已有会员记录.*转出"):  # never a second record
            records.create(s, clerk, "member", {"name": "赵六", "id_number": VALID_ID, "union_id": second.id})
    with db.session(clerk) as s:  # the person joins elsewhere on the same record: 转入
        records.create(s, clerk, membership.REGISTER, {"member_id": old.id, "kind": "transfer_in",
                                                       "event_date": "2026-01-06", "union_id": second.id})
    with db.session(clerk) as s:
        assert s.get(Member, old.id).union_id == second.id


def test_members_only_under_grassroots_unions(db, clerk):
    with db.session(clerk) as s:
        with pytest.raises(ValidationFailed, match="不是基层工会"):
            records.create(s, clerk, "member", {"name": "钱七", "id_number": VALID_ID,
                                             "union_id": _union(s, "township").id})


def test_search_by_name_pinyin_initials_id_and_phone(db, clerk):
    with db.session(clerk) as s:
        m = records.create(s, clerk, "member", {"name": "欧阳娜娜", "id_number": VALID_ID,
                                             "union_id": _union(s).id, "phone": "13700001234"})
        mid = m.id
    with db.read_session() as s:
        for text in ("欧阳娜", "oyn", "ouyangna", "OUYANG", "1101051949", "1370000"):
            ids = [row[0].id for row in members.search_members(s, clerk, text, limit=500)]
            assert mid in ids, text


def test_unit_tree_rules(db, admin):
    with db.session(admin) as s:
        root = s.get(Unit, db.root_unit_id)
        town = records.create(s, admin, "unit", {"name": "新建镇工会", "kind": "乡镇工会", "parent_id": root.id,
                                            "code": "341122107"})
        g = records.create(s, admin, "unit", {"name": "某厂工会", "kind": "grassroots", "parent_id": town.id,
                                         "enterprise_uscc": "91350100M000100Y43", "worker_count": "120"})
        assert g.worker_count == 120
        with pytest.raises(ValidationFailed, match="上级应为"):
            records.create(s, admin, "unit", {"name": "错层", "kind": "township", "parent_id": town.id})
        with pytest.raises(ValidationFailed, match="不能是基层工会"):  # nor under its own child
            records.update(s, admin, "unit", town.id, {"parent_id": g.id})
        with pytest.raises(ValidationFailed, match="校验位"):
            records.create(s, admin, "unit", {"name": "坏代码", "kind": "grassroots", "parent_id": town.id,
                                         "enterprise_uscc": "91350100M000100Y44"})
        with pytest.raises(ValidationFailed, match="区划代码"):
            records.create(s, admin, "unit", {"name": "坏区划", "kind": "township", "parent_id": root.id,
                                         "code": "12"})
        with pytest.raises(AppError, match="不能作废"):
            records.void(s, admin, "unit", root.id)
        with pytest.raises(AppError, match="下级单位"):
            records.void(s, admin, "unit", town.id)
        records.void(s, admin, "unit", g.id)
        records.void(s, admin, "unit", town.id)
        tree_ids = [u.id for u, _ in units.tree(s)]
        assert tree_ids[0] == root.id and town.id not in tree_ids


def test_unit_with_members_cannot_be_voided(db, admin):
    with db.session(admin) as s:
        union_id = s.scalar(select(Member.union_id).limit(1))
        with pytest.raises(AppError, match="会员"):
            records.void(s, admin, "unit", union_id)


def test_code_tables_seeded_and_editable(db, admin, clerk):
    with db.session(admin) as s:
        tables = {t for t, _, _ in codes.list_tables(s)}
        assert {"gender", "ethnicity", "political_status", "education", "hardship_category"} <= tables
        codes.add_item(s, admin, "political_status", "14", "测试党派")
        with pytest.raises(AppError, match="已存在"):
            codes.add_item(s, admin, "political_status", "14", "另一个")
        codes.update_item(s, admin, "ethnicity", "02", active=False)
    with db.session(clerk) as s:
        book = codebook(s)
        assert book.label("political_status", "14") == "测试党派"
        assert "02" not in [e.code for e in book.items("ethnicity")]  # not offered any more…
        assert book.resolve("ethnicity", "蒙古族") == "02"  # …but existing values still read


def test_builtin_codes_have_the_same_id_everywhere(db, fresh_db):
    def ids(handle):
        with handle.session() as s:
            return dict(s.execute(select(CodeItem.table_key + ":" + CodeItem.code, CodeItem.id)).all())
    assert ids(db) == ids(fresh_db)


def test_code_files_match_the_database(db):
    book = CodeBook.from_files()
    with db.session() as s:
        n = s.scalar(select(func.count()).select_from(CodeItem))
    assert n == sum(len(book.items(t, active_only=False)) for t in book.tables())


def test_every_spec_matches_its_model():
    for spec in all_specs():
        columns = set(spec.model.__table__.c.keys())
        for f in spec.fields:
            assert f.key in columns, (spec.key, f.key)
            assert f.label, (spec.key, f.key)
            if f.kind == Kind.CODE:
                assert f.code_table or f.choices, (spec.key, f.key)
        labels = [f.label for f in spec.fields]
        assert len(labels) == len(set(labels)), spec.key


def test_every_code_table_a_spec_names_exists():
    names = set(CodeBook.from_files().tables())
    for spec in all_specs():
        for f in spec.fields:
            if f.code_table:
                assert f.code_table in names, (spec.key, f.key, f.code_table)
