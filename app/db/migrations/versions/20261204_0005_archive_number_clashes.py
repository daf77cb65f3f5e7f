"""archive numbers may clash across PCs: the unique index on hardship_archives.archive_no becomes
a plain one, so an import from another PC of the same county that approved an archive under the
same serial is stored and queued as a 档案编号重复 conflict instead of failing the whole bundle

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0002'
branch_labels = None
depends_on = None

WHERE = sa.text("archive_no IS NOT NULL")


def upgrade() -> None:
    op.drop_index('ix_hardship_archives_archive_no', table_name='hardship_archives')
    op.create_index('ix_hardship_archives_archive_no', 'hardship_archives', ['archive_no'],
                    sqlite_where=WHERE)


def downgrade() -> None:
    op.drop_index('ix_hardship_archives_archive_no', table_name='hardship_archives')
    op.create_index('ix_hardship_archives_archive_no', 'hardship_archives', ['archive_no'],
                    unique=True, sqlite_where=WHERE)
