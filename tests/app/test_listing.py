"""Spec-driven lists: filters, the search paths (prefix for 1–2 characters, trigram index for 3+),
keyset pages, counts, masking and permissions."""

import re
import sqlite3
from datetime import date

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied
from app.fields.members import MEMBER
from app.models import Member, Unit
from app.services import list_search, listing, members, records
from app.services.listing import ListQuery, Range
from app.services.records import codebook

FULL_ID = re.compile(r"\d{17}[\dX]")


def _all_ids(s, actor, query, limit=37):
    """Every row of a query, page by page (a small page size to cross many boundaries)."""
    ids, after = [], None
    while True:
        page = listing.fetch_page(s, actor, query, after=after, limit=limit)
        ids += [r.id for r in page.rows]
        if not page.more:
            return ids
        after = page.rows[-1].key


def _live(s):
    return list(s.scalars(select(Member).where(Member.deleted.is_(False))))


def _search(s, actor, text):
    return {r.id for r in listing.fetch_page(s, actor, ListQuery.of("member", search=text),
                                             limit=10_000).rows}


def test_keyset_pages_visit_every_row_once_in_order(db, clerk):
    with db.read_session() as s:
        people = {m.id: m for m in _live(s)}
        ids = _all_ids(s, clerk, ListQuery.of("member"))
        assert len(ids) == len(set(ids)) == len(people) == 300
        pinyins = [people[i].name_pinyin for i in ids]
        assert pinyins == sorted(pinyins)  # names sort by their pinyin
    # a nullable column, descending: NULLs last, every row still exactly once
    with db.session(clerk) as w:
        for m in w.scalars(select(Member).limit(25)):
            m.joined_on = None
    with db.read_session() as s:
        ids = _all_ids(s, clerk, ListQuery.of("member", sort="joined_on", descending=True))
        joined = [s.get(Member, i).joined_on for i in ids]
    assert len(ids) == len(set(ids)) == 300
    dated = [d for d in joined if d is not None]
    assert dated == sorted(dated, reverse=True) and joined[-25:] == [None] * 25


def test_filters_equal_in_range_and_count(db, clerk):
    with db.read_session() as s:
        people = _live(s)
        union = next(m.union_id for m in people if m.is_migrant_worker)
        cases = [
            ({"gender": "2"}, lambda m: m.gender == "2"),
            ({"status": ("1", "3")}, lambda m: m.status in ("1", "3")),
            ({"is_migrant_worker": True, "union_id": union},
             lambda m: m.is_migrant_worker and m.union_id == union),
            ({"joined_on": Range(date(2010, 1, 1), date(2015, 12, 31))},
             lambda m: m.joined_on and date(2010, 1, 1) <= m.joined_on <= date(2015, 12, 31)),
        ]
        for filters, keep in cases:
            query = ListQuery.of("member", filters=filters)
            expected = {m.id for m in people if keep(m)}
            assert expected, filters
            assert set(_all_ids(s, clerk, query)) == expected
            assert listing.count(s, clerk, query) == len(expected)


def test_two_character_names_use_the_prefix_index(db, clerk):
    with db.read_session() as s:
        person = next(m for m in _live(s) if len(m.name) >= 2)
        text = person.name[:2]
        sources = listing.search_sources(MEMBER, text)
        assert {x.how for x in sources} == {"prefix"}
        found = _search(s, clerk, text)
        assert found == {m.id for m in _live(s) if m.name.startswith(text)}
        # why: the trigram index alone finds nothing for fewer than three characters
        raw = s.connection().exec_driver_sql(
            "SELECT count(*) FROM members_fts WHERE members_fts MATCH ?", (f'"{text}"',)).scalar()
        assert raw == 0


def test_three_characters_and_more_use_the_trigram_index(db, clerk):
    with db.read_session() as s:
        person = next(m for m in _live(s) if len(m.name) == 3)
        sources = listing.search_sources(MEMBER, person.name)
        assert [x.how for x in sources] == ["fts"]
        assert person.id in _search(s, clerk, person.name)
        # a substring in the middle of an ID number (three to eight digits)
        tail = person.id_number[-6:]
        assert "fts" in {x.how for x in listing.search_sources(MEMBER, tail)}
        found = _search(s, clerk, tail)
        assert person.id in found
        assert all(tail in m.id_number or tail in (m.phone or "") or m.id_number.startswith(tail)
                   for m in (s.get(Member, i) for i in found))


def test_pinyin_initials_full_pinyin_id_and_phone(db, clerk):
    with db.read_session() as s:
        person = next(m for m in _live(s) if len(m.name) == 3 and m.phone)
        initials = _search(s, clerk, person.name_initials.upper())
        assert person.id in initials
        assert all(s.get(Member, i).name_initials.startswith(person.name_initials) for i in initials)
        assert person.id in _search(s, clerk, person.name_pinyin)
        assert _search(s, clerk, person.id_number) == {person.id}
        assert _search(s, clerk, person.id_number.lower()) == {person.id}  # x or X
        assert person.id in _search(s, clerk, person.id_number[:10])
        assert _search(s, clerk, person.phone) == {m.id for m in _live(s) if m.phone == person.phone}


def test_zhang_san_found_by_zs_and_zhangsan(db, clerk):
    with db.session(clerk) as s:
        union = s.scalars(select(Unit).where(Unit.kind == "grassroots")).first()
        zs = records.create(s, clerk, "member", {"name": "张三", "id_number": "11010519491231002X",
                                              "union_id": union.id})
    with db.read_session() as s:
        assert zs.id in _search(s, clerk, "zs")
        assert zs.id in _search(s, clerk, "zhangsan")
        assert zs.id in _search(s, clerk, "张三")
        assert zs.id in _search(s, clerk, "ＺＳ")  # full-width letters typed with a Chinese IME


def test_both_plans_give_the_same_rows(db, clerk, monkeypatch):
    with db.read_session() as s:
        person = _live(s)[0]
        texts = [person.name_initials[:1], person.name[:1], person.id_number[:6], person.name]
        narrow = {t: _all_ids(s, clerk, ListQuery.of("member", search=t)) for t in texts}
        monkeypatch.setattr(list_search, "BROAD_MATCHES", 1)  # every search now "matches many"
        for t in texts:
            assert _all_ids(s, clerk, ListQuery.of("member", search=t)) == narrow[t], t
            assert narrow[t]


def test_the_index_follows_edits_and_voided_records_disappear(db, clerk):
    with db.session(clerk) as s:
        person = s.scalars(select(Member).limit(1)).one()
        old = person.name
        records.update(s, clerk, "member", person.id, {"name": "欧阳明月"})
    with db.read_session() as s:
        assert person.id in _search(s, clerk, "阳明月")
        assert len(old) < 3 or person.id not in _search(s, clerk, old)
        before = listing.count(s, clerk, ListQuery.of("member"))
    with db.session(clerk) as s:
        records.void(s, clerk, "member", person.id)
    with db.read_session() as s:
        assert person.id not in _search(s, clerk, "阳明月")
        assert listing.count(s, clerk, ListQuery.of("member")) == before - 1
    _check_index(db, clerk)


def _check_index(db, actor):
    """FTS5's own check that the index holds exactly the table's rows (raises when it does not)."""
    with db.session(actor) as w:
        w.connection().exec_driver_sql(
            "INSERT INTO members_fts(members_fts, rank) VALUES ('integrity-check', 1)")


def test_the_index_is_rebuilt_after_the_demo_bulk_load(db, clerk):
    _check_index(db, clerk)  # the template's members were bulk-loaded with the triggers off
    with db.read_session() as s:
        person = next(m for m in _live(s) if len(m.name) == 3)
        assert person.id in _search(s, clerk, person.name)


def test_the_index_check_catches_a_stale_index(db_path):
    raw = sqlite3.connect(db_path)
    raw.execute("DROP TRIGGER members_fts_au")
    raw.execute("UPDATE members SET name = '改名测试' WHERE rowid = 1")
    with pytest.raises(sqlite3.DatabaseError):
        raw.execute("INSERT INTO members_fts(members_fts, rank) VALUES ('integrity-check', 1)")
    raw.close()


def test_sensitive_columns_are_masked_and_labels_shown(db, clerk):
    with db.read_session() as s:
        page = listing.fetch_page(s, clerk, ListQuery.of("member"), limit=300, codes=codebook(s))
        cols = [c.key for c in listing.list_columns(MEMBER)]
        assert not any(FULL_ID.search(t) for r in page.rows for t in r.texts)
        row = page.rows[0]
        person = s.get(Member, row.id)
        assert row.texts[cols.index("id_number")] == person.id_number[:6] + "********" + person.id_number[-4:]
        assert "****" in row.texts[cols.index("phone")]
        union = s.get(Unit, person.union_id)
        assert row.texts[cols.index("union_id")] == union.name
        assert row.texts[cols.index("gender")] in ("男", "女")
        assert row.texts[cols.index("status")] in ("正常", "保留会籍", "转出")


def test_numbers_show_thousands_separators(db, clerk):
    with db.session(clerk) as s:
        unit = s.scalars(select(Unit).where(Unit.kind == "grassroots")).first()
        unit.worker_count = 12345
    with db.read_session() as s:
        query = ListQuery.of("unit", filters={"id": (unit.id,)})
        row = listing.fetch_page(s, clerk, query).rows[0]
        cols = listing.list_columns(listing.spec_by_key("unit"))
        i = [c.key for c in cols].index("worker_count")
        assert row.texts[i] == "12,345" and cols[i].align == "right"


def test_years_are_declared_as_years_and_never_get_a_thousands_separator():
    from app.excel import cells
    from app.fields.registry import all_specs
    from app.fields.spec import Field, Kind, clean_value, display_value

    years = [f for s in all_specs() for f in s.fields if f.key == "year" or f.key.endswith("_year")]
    assert len(years) >= 4 and all(f.kind == Kind.YEAR for f in years), [
        (f.key, f.kind) for f in years if f.kind != Kind.YEAR]
    year = listing.spec_by_key("hardship_study_aid").field("year")
    assert listing.cell_text(year, 2026) == "2026"  # the list
    assert display_value(year, 2026) == "2026"  # print
    assert cells.exporter(year, None, reveal=False)(2026) == 2026  # Excel: a number …
    assert cells.number_format(year) == "0"  # … without a separator
    assert clean_value(year, "2026年") == clean_value(year, " 2026 ") == 2026
    with pytest.raises(ValueError, match="年份"):
        clean_value(year, "明年")
    with pytest.raises(ValueError, match="不能小于"):
        clean_value(year, "26")
    count = Field("n", "人数", Kind.INT)
    assert listing.cell_text(count, 2026) == "2,026"  # a quantity keeps its separator


def test_small_tables_search_substrings(db, admin):
    with db.read_session() as s:
        unit = s.scalars(select(Unit).where(Unit.kind == "grassroots")).first()
        word = unit.enterprise_name[2:5]
        rows = listing.fetch_page(s, admin, ListQuery.of("unit", search=word), limit=1000).rows
        assert unit.id in {r.id for r in rows}
        assert {x.how for x in listing.search_sources(listing.spec_by_key("unit"), word)} == {"contains"}


def test_listing_checks_permissions(db, actors):
    with db.read_session() as s:
        with pytest.raises(PermissionDenied):
            listing.fetch_page(s, actors["clerk"], ListQuery.of("user"))
        assert listing.count(s, actors["admin"], ListQuery.of("user")) == 6
        assert listing.count(s, actors["readonly"], ListQuery.of("member")) == 300


def test_cli_search_uses_the_same_index(db, clerk):
    with db.read_session() as s:
        person = next(m for m in _live(s) if len(m.name) == 3)
        found = members.search_members(s, clerk, person.name_initials)
        assert person.id in {m.id for m, _union in found}


def test_unit_subtree_and_a_list_narrowed_to_it(db, clerk):
    from app.services.units import subtree_ids

    with db.read_session() as s:
        township = s.scalars(select(Unit).where(Unit.kind == "township")).first()
        ids = set(s.scalars(subtree_ids(township.id)))
        children = set(s.scalars(select(Unit.id).where(Unit.parent_id == township.id)))
        assert children and ids == {township.id} | children
        query = ListQuery.of("member", unit=township.id)
        listed = listing.all_ids(s, clerk, query)
        expected = set(s.scalars(select(Member.id).where(Member.union_id.in_(children),
                                                         Member.deleted.is_(False))))
        assert expected and set(listed) == expected
        assert listing.count(s, clerk, query) == len(expected)


def test_migration_adds_the_index_to_an_older_file(tmp_path):
    """A file written by the first schema gets the search index, filled, when it is opened."""
    from app.db import migrate
    from app.db.engine import open_database
    from tests.conftest import migrate_file

    path = tmp_path / "old.db"
    migrate_file(path, "0001")
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO units (id, name, kind, active, sort_order, created_at, created_by, "
                "updated_at, updated_by, revision, change_seq, vv, deleted) VALUES "
                "('u1', '某工会', 'grassroots', 1, 0, '2020-01-01', '', '2020-01-01', '', 1, 1, '{}', 0)")
    raw.execute("INSERT INTO members (id, name, name_pinyin, name_initials, id_number, gender, "
                "birth_date, union_id, status, is_migrant_worker, is_model_worker, created_at, "
                "created_by, updated_at, updated_by, revision, change_seq, vv, deleted) VALUES "
                "('m1', '司马相如', 'simaxiangru', 'smxr', '11010519491231002X', '2', '1949-12-31', "
                "'u1', '1', 0, 0, '2020-01-01', '', '2020-01-01', '', 1, 2, '{}', 0)")
    raw.commit()
    raw.close()
    db = open_database(path)
    try:
        with db.read_session() as s:
            hits = s.connection().exec_driver_sql(
                "SELECT rowid FROM members_fts WHERE members_fts MATCH '\"马相如\"'").all()
        assert len(hits) == 1
        assert migrate.current_revision(db) == migrate.head_revision()
    finally:
        db.close()


@pytest.mark.parametrize("kind", ["initials", "name", "id"])
def test_search_pages_come_in_pinyin_order_across_pages(db, clerk, kind, monkeypatch):
    """Every plan (covering index and sorted, walked in sort order, looked up and sorted) pages
    through exactly the matching rows, in (pinyin, rowid) order."""
    with db.read_session() as s:
        rows = s.connection().exec_driver_sql(
            "SELECT rowid, id, name_pinyin, name_initials, name, id_number, phone FROM members "
            "WHERE deleted = 0").all()
    text = {"initials": rows[0][3][:1], "name": rows[0][4][:1], "id": rows[0][5][:4]}[kind]
    keep = {"initials": lambda r: r[3].startswith(text) or r[2].startswith(text),
            "name": lambda r: r[4].startswith(text),
            "id": lambda r: text in r[5] or text in (r[6] or "")}[kind]
    expected = [r[1] for r in sorted((r for r in rows if keep(r)), key=lambda r: (r[2], r[0]))]
    assert len(expected) > 7
    for broad in (10_000, 1):
        monkeypatch.setattr(list_search, "BROAD_MATCHES", broad)
        with db.read_session() as s:
            assert _all_ids(s, clerk, ListQuery.of("member", search=text), limit=7) == expected


def test_named_filters_need_no_page_imported_first():
    # 乡镇 / 一年未更新 / 从未帮扶 once existed only after the hardship page module was imported;
    # a fresh interpreter that imports nothing but the listing service finds them too.
    import subprocess
    import sys

    from tests.crash_harness import ROOT, child_env

    script = ("import sys; from app.services import listing; "
              "print(all(listing._named_filter('hardship_archive', k) for k in "
              "('township_id', 'year', 'stale', 'never_helped')), 'ui' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, encoding="utf-8", env=child_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]
