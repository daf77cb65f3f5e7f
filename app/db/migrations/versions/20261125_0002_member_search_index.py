"""member search: FTS5 trigram index over name, ID number and phone; covering indexes for
name and pinyin-initials prefixes sorted by pinyin

Revision ID: 0002
Revises: 0004
Create Date: 2026-11-25
"""
from alembic import op

from app.db.fts import MEMBERS

revision = '0002'
down_revision = '0004'  # re-chained at merge: the branches were written side by side
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The same statements create_all runs (app/db/fts.py); then index the rows already there.
    for sql in MEMBERS.create_statements():
        op.execute(sql)
    op.execute(MEMBERS.rebuild_statement())
    # plain CREATE/DROP INDEX (a batch operation could rebuild the table and lose the triggers)
    op.drop_index('ix_members_name', table_name='members')
    op.drop_index('ix_members_name_initials', table_name='members')
    op.create_index('ix_members_name_sort', 'members', ['name', 'name_pinyin', 'deleted'])
    op.create_index('ix_members_initials_sort', 'members', ['name_initials', 'name_pinyin', 'deleted'])


def downgrade() -> None:
    op.drop_index('ix_members_initials_sort', table_name='members')
    op.drop_index('ix_members_name_sort', table_name='members')
    op.create_index('ix_members_name_initials', 'members', ['name_initials'])
    op.create_index('ix_members_name', 'members', ['name'])
    for sql in MEMBERS.drop_statements():
        op.execute(sql)
