"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('ts', sa.String(length=32), nullable=False),
    sa.Column('username', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.String(length=36), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_object_id'), ['object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_object_type'), ['object_type'], unique=False)

    op.create_table('local_state',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_local_state'))
    )
    op.create_table('units',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=True),
    sa.Column('parent_id', sa.String(length=36), nullable=True),
    sa.Column('union_uscc', sa.String(length=18), nullable=True),
    sa.Column('enterprise_name', sa.String(length=100), nullable=True),
    sa.Column('enterprise_uscc', sa.String(length=18), nullable=True),
    sa.Column('unit_nature', sa.String(length=10), nullable=True),
    sa.Column('industry', sa.String(length=10), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('worker_count', sa.Integer(), nullable=True),
    sa.Column('female_worker_count', sa.Integer(), nullable=True),
    sa.Column('migrant_worker_count', sa.Integer(), nullable=True),
    sa.Column('reported_member_count', sa.Integer(), nullable=True),
    sa.Column('chair_name', sa.String(length=50), nullable=True),
    sa.Column('chair_phone', sa.String(length=20), nullable=True),
    sa.Column('founded_on', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
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
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_units_owner_unit_id_units')),
    sa.ForeignKeyConstraint(['parent_id'], ['units.id'], name=op.f('fk_units_parent_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units'))
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index('ix_units_kind_name', ['kind', 'name'], unique=False)
        batch_op.create_index(batch_op.f('ix_units_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_units_parent_id'), ['parent_id'], unique=False)

    op.create_table('code_items',
    sa.Column('table_key', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('parent_code', sa.String(length=20), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
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
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_code_items_owner_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_items')),
    sa.UniqueConstraint('table_key', 'code', name=op.f('uq_code_items_table_key_code'))
    )
    with op.batch_alter_table('code_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_code_items_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_code_items_owner_unit_id'), ['owner_unit_id'], unique=False)

    op.create_table('installation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('root_unit_id', sa.String(length=36), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('previous_device_ids', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['root_unit_id'], ['units.id'], name=op.f('fk_installation_root_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installation'))
    )
    op.create_table('members',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('name_pinyin', sa.String(length=120), nullable=False),
    sa.Column('name_initials', sa.String(length=20), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('gender', sa.String(length=1), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('ethnicity', sa.String(length=4), nullable=True),
    sa.Column('political_status', sa.String(length=4), nullable=True),
    sa.Column('education', sa.String(length=4), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('union_id', sa.String(length=36), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=True),
    sa.Column('post', sa.String(length=50), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('card_no', sa.String(length=30), nullable=True),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('is_migrant_worker', sa.Boolean(), nullable=False),
    sa.Column('is_model_worker', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
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
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_members_owner_unit_id_units')),
    sa.ForeignKeyConstraint(['union_id'], ['units.id'], name=op.f('fk_members_union_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_members_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index('ix_members_id_number', ['id_number'], unique=False)
        batch_op.create_index('ix_members_name', ['name'], unique=False)
        batch_op.create_index('ix_members_name_initials', ['name_initials'], unique=False)
        batch_op.create_index('ix_members_name_pinyin', ['name_pinyin'], unique=False)
        batch_op.create_index(batch_op.f('ix_members_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index('ix_members_phone', ['phone'], unique=False)
        batch_op.create_index('ix_members_union_id_name', ['union_id', 'name'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=32), nullable=False),
    sa.Column('display_name', sa.String(length=50), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('unit_id', sa.String(length=36), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('password_changed_at', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_users_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    # The audit log is append-only (same statements as app.models.security.AUDIT_TRIGGERS).
    op.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
               "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END")
    op.execute("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
               "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END")


def downgrade() -> None:
    op.drop_table('users')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index('ix_members_union_id_name')
        batch_op.drop_index('ix_members_phone')
        batch_op.drop_index(batch_op.f('ix_members_owner_unit_id'))
        batch_op.drop_index('ix_members_name_pinyin')
        batch_op.drop_index('ix_members_name_initials')
        batch_op.drop_index('ix_members_name')
        batch_op.drop_index('ix_members_id_number')
        batch_op.drop_index(batch_op.f('ix_members_change_seq'))

    op.drop_table('members')
    op.drop_table('installation')
    with op.batch_alter_table('code_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_code_items_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_code_items_change_seq'))

    op.drop_table('code_items')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_parent_id'))
        batch_op.drop_index(batch_op.f('ix_units_owner_unit_id'))
        batch_op.drop_index('ix_units_kind_name')
        batch_op.drop_index(batch_op.f('ix_units_change_seq'))

    op.drop_table('units')
    op.drop_table('local_state')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_object_type'))
        batch_op.drop_index(batch_op.f('ix_audit_log_object_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
