"""A backup follows every large change and every 切换用户, and a restore can show what the backup
holds beside the database now (issue 16, point 6)."""

from app.db.backup import LARGE_CHANGE, after_large_change, backup_on_switch, list_backups
from app.services.backups import compare_counts


def _kinds(db):
    return [b.kind for b in list_backups(db.path)]


def test_a_large_change_and_a_switch_of_user_are_followed_by_a_backup(db):
    assert after_large_change(db, LARGE_CHANGE - 1, "excel") is None
    made = after_large_change(db, LARGE_CHANGE, "excel")
    assert made is not None and "after-excel" in _kinds(db)
    assert backup_on_switch(db) is not None and "switch-user" in _kinds(db)


def test_demo_data_is_followed_by_a_backup(fresh_db):
    from sqlalchemy import select

    from app.demo.generator import generate
    from app.models import User
    from app.security.users import actor_for

    with fresh_db.session() as s:
        admin = actor_for(s.scalar(select(User).where(User.username == "admin")))
    generate(fresh_db, admin, members=600, seed=1)
    assert "after-demo" in _kinds(fresh_db)


def test_the_restore_dialog_compares_record_counts(db, clerk):
    from sqlalchemy import select

    from app.models import Member
    from app.services import records

    backup = backup_on_switch(db)
    with db.session(clerk) as s:
        records.void(s, clerk, "member", s.scalar(select(Member.id).where(Member.deleted.is_(False))))
    members = next(r for r in compare_counts(db, backup) if r.title == "会员")
    assert members.backup == members.current + 1
