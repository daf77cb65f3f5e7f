"""the city and the second PC: requests to the unit that owns a record (change_requests and their
answers, travelling records), the decisions on edit conflicts that travel with the record they
settled (sync_resolutions), a name for each PC of a unit (installation.device_name and the peers'
sync_peers.device_name) and the signing key a bundle was sent or received under
(sync_bundles.local_key_id), so that a copied database that enrols as a PC of its own keeps the
original's history apart from its own channels

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def _sync_columns() -> list:
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('change_seq', sa.Integer(), nullable=False),
        sa.Column('vv', sa.Text(), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('owner_unit_id', sa.String(length=36), nullable=True),
    ]


def _create(name: str, columns: list, indexes: list[str], fks: list[tuple[str, str]] = ()) -> None:
    op.create_table(
        name, *columns, *_sync_columns(),
        sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'],
                                name=op.f(f'fk_{name}_owner_unit_id_units')),
        *[sa.ForeignKeyConstraint([col], [ref], name=op.f(f'fk_{name}_{col}_{ref.split(".")[0]}'))
          for col, ref in fks],
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')))
    with op.batch_alter_table(name, schema=None) as batch_op:
        for col in ['change_seq', 'owner_unit_id', *indexes]:
            batch_op.create_index(batch_op.f(f'ix_{name}_{col}'), [col], unique=False)


def upgrade() -> None:
    _create('change_request_answers', [
        sa.Column('decision', sa.String(length=10), nullable=False),
        sa.Column('note', sa.Text(), nullable=False)], [])
    _create('change_requests', [
        sa.Column('action', sa.String(length=10), nullable=False),
        sa.Column('target_table', sa.String(length=40), nullable=False),
        sa.Column('target_id', sa.String(length=36), nullable=False),
        sa.Column('target_owner_id', sa.String(length=36), nullable=False),
        sa.Column('target_label', sa.String(length=200), nullable=False),
        sa.Column('survivor_id', sa.String(length=36), nullable=True),
        sa.Column('changes', sa.Text(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False)],
        ['target_id', 'target_owner_id'], [('target_owner_id', 'units.id')])
    _create('sync_resolutions', [
        sa.Column('table_name', sa.String(length=40), nullable=False),
        sa.Column('row_id', sa.String(length=36), nullable=False),
        sa.Column('base', sa.Text(), nullable=False),
        sa.Column('fields', sa.Text(), nullable=False),
        sa.Column('summary', sa.String(length=200), nullable=False)], ['row_id'])
    # plain ALTER TABLE ADD COLUMN (NOT NULL needs the server default): no table rebuild
    op.add_column('installation', sa.Column('device_name', sa.String(length=50), nullable=False,
                                            server_default=''))
    op.add_column('sync_bundles', sa.Column('local_key_id', sa.String(length=32), nullable=False,
                                            server_default=''))
    op.add_column('sync_peers', sa.Column('device_name', sa.String(length=50), nullable=False,
                                          server_default=''))


def downgrade() -> None:
    for table, column in (('sync_peers', 'device_name'), ('sync_bundles', 'local_key_id'),
                          ('installation', 'device_name')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
    for name in ('sync_resolutions', 'change_requests', 'change_request_answers'):
        op.drop_table(name)
