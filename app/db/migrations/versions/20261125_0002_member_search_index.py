"""member search index (FTS5 trigram over name, ID number and phone)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
from alembic import op

from app.db.fts import MEMBERS

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The same statements create_all runs (app/db/fts.py); then index the rows already there.
    for sql in MEMBERS.create_statements():
        op.execute(sql)
    op.execute(MEMBERS.rebuild_statement())


def downgrade() -> None:
    for sql in MEMBERS.drop_statements():
        op.execute(sql)
