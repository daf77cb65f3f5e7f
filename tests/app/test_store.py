"""The store: pragmas, schema versions and migrations, the sync-ready columns."""

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, select

from app.db import migrate
from app.db.base import Base, synced_tables
from app.db.engine import open_database, sqlite_has_wal_reset_fix
from app.errors import DatabaseError
from app.models import Member, Unit
from app.models.organisation import MembershipEvent
from app.services import records


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_writer_pragmas(db):
    with db.raw_connection() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_one_writer_connection_and_read_only_readers(db):
    with db.raw_connection() as a, db.raw_connection() as b:
        assert a is b  # every writer session shares the single connection
    with db.read_session() as s:
        with pytest.raises(Exception, match="readonly|read-only|attempt to write"):
            s.connection().exec_driver_sql("UPDATE units SET name = name")


def test_wal_reset_fix_detection():
    assert not sqlite_has_wal_reset_fix("3.40.1")
    assert sqlite_has_wal_reset_fix("3.51.3")
    assert sqlite_has_wal_reset_fix("3.50.7")
    assert not sqlite_has_wal_reset_fix("3.50.6")
    assert sqlite_has_wal_reset_fix("3.44.6")
    assert sqlite_has_wal_reset_fix("3.52.0")


def test_migrations_from_an_empty_file_match_the_models(tmp_path):
    """Running every migration on an empty file gives exactly the schema create_all gives."""
    path = tmp_path / "migrated.db"
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        from alembic import command

        command.upgrade(cfg, "head")
        from app.db.fts import alembic_include_name

        context = MigrationContext.configure(conn, opts={"include_name": alembic_include_name})
        diffs = compare_metadata(context, Base.metadata)
    assert diffs == []
    fresh = tmp_path / "created.db"
    open_database(fresh, create=True).close()

    def schema(p):
        c = sqlite3.connect(p)
        rows = c.execute("SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                         "ORDER BY type, name").fetchall()
        c.close()
        return rows

    assert schema(path) == schema(fresh)
    assert ("trigger", "audit_log_no_delete", "audit_log") in schema(path)
    assert ("table", "members_fts", "members_fts") in schema(path)
    assert ("trigger", "members_fts_au", "members") in schema(path)


def test_a_newer_schema_is_refused_and_left_untouched(db_path):
    c = sqlite3.connect(db_path)
    c.execute("UPDATE alembic_version SET version_num = '9999_future'")
    c.commit()
    c.close()
    before = _sha(db_path)
    with pytest.raises(DatabaseError, match="较新版本"):
        open_database(db_path)
    assert _sha(db_path) == before
    assert not Path(str(db_path) + "-wal").exists()


def test_a_foreign_file_is_refused(tmp_path):
    other = tmp_path / "other.db"
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE notes (x)")
    c.commit()
    c.close()
    with pytest.raises(DatabaseError, match="不是工会工作台数据库"):
        open_database(other)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError):
        open_database(junk)


def test_missing_file_is_not_created_without_init(tmp_path):
    with pytest.raises(DatabaseError, match="init"):
        open_database(tmp_path / "nope.db")
    assert not (tmp_path / "nope.db").exists()


NEXT_REVISION = '''
"""test-only: a later schema"""
from alembic import op
import sqlalchemy as sa

revision = "0999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("nickname", sa.String(20), nullable=True))


def downgrade():
    with op.batch_alter_table("members") as batch:
        batch.drop_column("nickname")
'''


def test_an_older_database_is_backed_up_then_upgraded(db_path, tmp_path, monkeypatch):
    head = migrate.head_revision()
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts)
    (scripts / "versions" / "0999_test.py").write_text(NEXT_REVISION.format(head=head), encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    migrate.script_directory.cache_clear()
    try:
        with sqlite3.connect(db_path) as c:
            n_members = c.execute("SELECT count(*) FROM members").fetchone()[0]
        db = open_database(db_path)
        try:
            assert migrate.current_revision(db) == "0999"
            with db.raw_connection() as c:
                cols = [r[1] for r in c.execute("PRAGMA table_info(members)")]
                assert "nickname" in cols
                assert c.execute("SELECT count(*) FROM members").fetchone()[0] == n_members
        finally:
            db.close()
        backups = list((db_path.parent / "backups").glob(f"*pre-migrate-{head}*.db"))
        assert len(backups) == 1
        with sqlite3.connect(backups[0]) as c:
            assert c.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
            assert c.execute("SELECT count(*) FROM members").fetchone()[0] == n_members
    finally:
        migrate.script_directory.cache_clear()


def test_every_record_table_is_sync_ready():
    names = {t.name for t in synced_tables()}
    assert {"units", "members", "code_items"} <= names
    for t in synced_tables():
        for col in ("id", "owner_unit_id", "created_at", "created_by", "updated_at", "updated_by",
                    "revision", "change_seq", "vv", "deleted"):
            assert col in t.c, (t.name, col)
        assert str(t.c.id.type) == "VARCHAR(36)"


def _seq(db):
    with db.raw_connection() as c:
        return int(c.execute("SELECT value FROM local_state WHERE key='change_seq'").fetchone()[0])


def test_change_sequence_grows_on_insert_update_and_delete(db, clerk):
    with db.session(clerk) as s:
        union = s.scalars(select(Unit).where(Unit.kind == "grassroots")).first()
        m = records.create(s, clerk, "member", {"name": "王小明", "id_number": "11010519491231002X",
                                             "union_id": union.id})
        mid = m.id
    with db.session(clerk) as s:
        m = s.get(Member, mid)
        seq_created, rev_created = m.change_seq, m.revision
        # the member, then its opening 会籍 event (入会): the last change number taken
        join = s.scalar(select(MembershipEvent).where(MembershipEvent.member_id == mid))
        assert seq_created + 1 == join.change_seq == _seq(db) and rev_created == 1
        assert m.created_by == "clerk" and m.owner_unit_id == db.root_unit_id
        assert json.loads(m.vv) == {db.device_id: seq_created}
    with db.session(clerk) as s:
        records.update(s, clerk, "member", mid, {"phone": "13912345678"})
    with db.session(clerk) as s:
        m = s.get(Member, mid)
        assert m.change_seq > seq_created and m.revision == 2
        seq_updated = m.change_seq
        assert json.loads(m.vv) == {db.device_id: seq_updated}
    with db.session(clerk) as s:
        records.void(s, clerk, "member", mid)
    with db.session(clerk) as s:
        m = s.get(Member, mid)
        assert m.deleted and m.change_seq > seq_updated and m.revision == 3


def test_records_are_never_hard_deleted(db, clerk):
    with pytest.raises(RuntimeError, match="tombstoned"):
        with db.session(clerk) as s:
            s.delete(s.scalars(select(Member)).first())
    with db.raw_connection() as c:
        assert c.execute("SELECT count(*) FROM members").fetchone()[0] == 300


def test_a_write_without_an_acting_user_is_refused(db):
    with pytest.raises(RuntimeError, match="acting user"):
        with db.session() as s:
            s.scalars(select(Member)).first().name = "某人"


def test_failed_transaction_writes_nothing(db, clerk):
    before = _seq(db)
    with pytest.raises(ZeroDivisionError):
        with db.session(clerk) as s:
            records.update(s, clerk, "member", s.scalars(select(Member.id)).first(), {"phone": "13800000000"})
            1 / 0
    assert _seq(db) == before
