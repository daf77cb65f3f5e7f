"""bundle exchange

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-25 12:39:36.010844
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachment_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('mime', sa.String(length=50), server_default='', nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_attachment_blobs'))
    )
    op.create_table('sync_conflicts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('other_row_id', sa.String(length=36), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('local_version', sa.Text(), nullable=False),
    sa.Column('remote_version', sa.Text(), nullable=False),
    sa.Column('winner', sa.String(length=8), nullable=False),
    sa.Column('bundle_id', sa.String(length=36), nullable=False),
    sa.Column('peer_name', sa.String(length=100), nullable=False),
    sa.Column('detected_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('resolved_by', sa.String(length=32), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflicts'))
    )
    with op.batch_alter_table('sync_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflicts_row_id'), ['row_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_conflicts_status'), ['status'], unique=False)

    op.create_table('sync_field_versions',
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('counter', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('table_name', 'row_id', 'field', name=op.f('pk_sync_field_versions'))
    )
    op.create_table('sync_peers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('sign_key_id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('unit_code', sa.String(length=20), nullable=False),
    sa.Column('unit_name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('sign_pub', sa.LargeBinary(), nullable=False),
    sa.Column('enc_pub', sa.LargeBinary(), nullable=False),
    sa.Column('recovery_pub', sa.LargeBinary(), nullable=True),
    sa.Column('card', sa.LargeBinary(), nullable=False),
    sa.Column('fingerprint', sa.String(length=40), nullable=False),
    sa.Column('trusted', sa.Boolean(), nullable=False),
    sa.Column('trusted_at', sa.DateTime(), nullable=True),
    sa.Column('trusted_by', sa.String(length=32), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('out_seq', sa.Integer(), nullable=False),
    sa.Column('out_prev_sha256', sa.String(length=64), nullable=False),
    sa.Column('out_basis_seq', sa.Integer(), nullable=False),
    sa.Column('acked_seq', sa.Integer(), nullable=False),
    sa.Column('acked_at', sa.DateTime(), nullable=True),
    sa.Column('in_seq', sa.Integer(), nullable=False),
    sa.Column('in_prev_sha256', sa.String(length=64), nullable=False),
    sa.Column('known_devices', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_peers')),
    sa.UniqueConstraint('sign_key_id', name=op.f('uq_sync_peers_sign_key_id'))
    )
    with op.batch_alter_table('sync_peers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_peers_unit_code'), ['unit_code'], unique=False)

    op.create_table('attachments',
    sa.Column('record_table', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('mime', sa.String(length=60), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
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
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_attachments_owner_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_sha256'), ['sha256'], unique=False)

    op.create_table('sync_bundles',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('bundle_id', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('peer_id', sa.String(length=36), nullable=False),
    sa.Column('channel_seq', sa.Integer(), nullable=False),
    sa.Column('basis_seq', sa.Integer(), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('username', sa.String(length=32), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('watermark', sa.Integer(), nullable=False),
    sa.Column('verbatim', sa.Text(), nullable=False),
    sa.Column('acked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['peer_id'], ['sync_peers.id'], name=op.f('fk_sync_bundles_peer_id_sync_peers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_bundles'))
    )
    with op.batch_alter_table('sync_bundles', schema=None) as batch_op:
        batch_op.create_index('ix_sync_bundles_bundle_id_direction', ['bundle_id', 'direction'], unique=True)
        batch_op.create_index(batch_op.f('ix_sync_bundles_peer_id'), ['peer_id'], unique=False)

    op.create_table('sync_keys',
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('sign_pub', sa.LargeBinary(), nullable=False),
    sa.Column('enc_pub', sa.LargeBinary(), nullable=False),
    sa.Column('sign_priv_enc', sa.LargeBinary(), nullable=False),
    sa.Column('enc_priv_enc', sa.LargeBinary(), nullable=False),
    sa.Column('recovery_pub', sa.LargeBinary(), nullable=True),
    sa.Column('recovery_priv_enc', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_sync_keys_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_sync_keys'))
    )
    op.create_table('sync_key_slots',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('kdf', sa.String(length=200), nullable=False),
    sa.Column('wrapped', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sync_key_slots_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_sync_key_slots'))
    )


def downgrade() -> None:
    op.drop_table('sync_key_slots')
    op.drop_table('sync_keys')
    with op.batch_alter_table('sync_bundles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_bundles_peer_id'))
        batch_op.drop_index('ix_sync_bundles_bundle_id_direction')

    op.drop_table('sync_bundles')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachments_record_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_change_seq'))

    op.drop_table('attachments')
    with op.batch_alter_table('sync_peers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_peers_unit_code'))

    op.drop_table('sync_peers')
    op.drop_table('sync_field_versions')
    with op.batch_alter_table('sync_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflicts_status'))
        batch_op.drop_index(batch_op.f('ix_sync_conflicts_row_id'))

    op.drop_table('sync_conflicts')
    op.drop_table('attachment_blobs')
