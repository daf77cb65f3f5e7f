"""form_numbers: the register of office numbers (编号) given to printed forms — per county, form
kind and year (341122-困档-2026-0012), never reused. Only a new table: older databases gain it empty
and give numbers from the next print on.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('form_numbers',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('county_code', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('form', sa.String(length=40), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('owner_unit_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('vv', sa.Text(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'],
                            name=op.f('fk_form_numbers_owner_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_numbers')))
    with op.batch_alter_table('form_numbers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_numbers_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_numbers_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_numbers_owner_unit_id'), ['owner_unit_id'],
                              unique=False)
        batch_op.create_index('ix_form_numbers_series', ['county_code', 'kind', 'year'], unique=False)
        batch_op.create_index('ix_form_numbers_subject', ['kind', 'subject'], unique=False)


def downgrade() -> None:
    op.drop_table('form_numbers')
