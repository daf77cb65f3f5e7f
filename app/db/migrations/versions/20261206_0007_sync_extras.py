"""sync extras: values a bundle from another schema version carried that this schema has no place
for — columns this program's tables lack, records of tables it does not know — kept aside per
record instead of refusing the bundle, so that nothing sent is lost and a later upgrade that adds
the column or table can re-apply them from here (see ``app.models.sync.SyncExtra``)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_extras',
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=64), nullable=False),
    sa.Column('whole_row', sa.Boolean(), nullable=False),
    sa.Column('columns', sa.Text(), nullable=False),
    sa.Column('dots', sa.Text(), nullable=False),
    sa.Column('vv', sa.Text(), nullable=False),
    sa.Column('bundle_id', sa.String(length=36), nullable=False),
    sa.Column('schema_version', sa.String(length=32), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('table_name', 'row_id', name=op.f('pk_sync_extras'))
    )


def downgrade() -> None:
    op.drop_table('sync_extras')
