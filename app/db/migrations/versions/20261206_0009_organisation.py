"""organisation (基层组织建设): members' 会籍 events, the cross-county transfers the city forwards,
the 文号 register (series and documents), 建会 with its steps, elections with their candidates,
职工之家 with scoring sheets, 职工书屋 (rooms, donations, loans), training sessions and trainees;
members.hukou_type (户籍类型, F7).

Every member already here is carried over with its opening events: 入会 in its union on its
入会日期 (ordinal 1), and, when its status is not 正常, the event that gives that status (ordinal 2,
date, reason and destination 不详). Their ids derive from the member's id (the UUID's version nibble set to 8; the
second event also moves the variant character from 8–b to c–f), their stamps from the member's
and their version vector is empty, so every PC that upgrades makes the same rows: when one PC
sends them (each gets a local change number, so a new PC filled by a full bundle has them too),
the other finds them unchanged.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('doc_series',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('owner_device_id', sa.String(length=36), nullable=True),
    sa.Column('owner_label', sa.String(length=50), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
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
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_doc_series_owner_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_doc_series'))
    )
    with op.batch_alter_table('doc_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_doc_series_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_doc_series_owner_unit_id'), ['owner_unit_id'], unique=False)

    op.create_table('elections',
    sa.Column('union_id', sa.String(length=36), nullable=False),
    sa.Column('term_no', sa.Integer(), nullable=False),
    sa.Column('election_on', sa.Date(), nullable=False),
    sa.Column('term_years', sa.Integer(), nullable=False),
    sa.Column('term_ends_on', sa.Date(), nullable=False),
    sa.Column('eligible', sa.Integer(), nullable=False),
    sa.Column('present', sa.Integer(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('candidates', sa.Integer(), nullable=False),
    sa.Column('margin', sa.Integer(), nullable=False),
    sa.Column('chair_name', sa.String(length=50), nullable=True),
    sa.Column('vice_chairs', sa.String(length=100), nullable=True),
    sa.Column('approval_no', sa.String(length=60), nullable=True),
    sa.Column('approved_on', sa.Date(), nullable=True),
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
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_elections_owner_unit_id_units')),
    sa.ForeignKeyConstraint(['union_id'], ['units.id'], name=op.f('fk_elections_union_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elections'))
    )
    with op.batch_alter_table('elections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_elections_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_elections_election_on'), ['election_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_elections_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_elections_term_ends_on'), ['term_ends_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_elections_union_id'), ['union_id'], unique=False)

    op.create_table('home_awards',
    sa.Column('union_id', sa.String(length=36), nullable=False),
    sa.Column('award_kind', sa.String(length=8), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('team_name', sa.String(length=100), nullable=True),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('named_on', sa.Date(), nullable=True),
    sa.Column('naming_no', sa.String(length=60), nullable=True),
    sa.Column('recheck_year', sa.Integer(), nullable=True),
    sa.Column('rechecked_on', sa.Date(), nullable=True),
    sa.Column('recheck_result', sa.String(length=8), nullable=True),
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
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_home_awards_owner_unit_id_units')),
    sa.ForeignKeyConstraint(['union_id'], ['units.id'], name=op.f('fk_home_awards_union_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_home_awards'))
    )
    with op.batch_alter_table('home_awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_home_awards_applied_on'), ['applied_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_home_awards_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_home_awards_named_on'), ['named_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_home_awards_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_home_awards_union_id'), ['union_id'], unique=False)

    op.create_table('membership_transfers',
    sa.Column('source_event_id', sa.String(length=36), nullable=False),
    sa.Column('source_member_id', sa.String(length=36), nullable=False),
    sa.Column('from_county_code', sa.String(length=6), nullable=False),
    sa.Column('from_county_name', sa.String(length=100), nullable=False),
    sa.Column('from_union_name', sa.String(length=100), nullable=False),
    sa.Column('to_county_code', sa.String(length=6), nullable=False),
    sa.Column('to_place', sa.String(length=100), nullable=True),
    sa.Column('transferred_on', sa.Date(), nullable=True),
    sa.Column('letter_no', sa.String(length=50), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('ethnicity', sa.String(length=4), nullable=True),
    sa.Column('political_status', sa.String(length=4), nullable=True),
    sa.Column('education', sa.String(length=4), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('card_no', sa.String(length=30), nullable=True),
    sa.Column('history', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('received_union_name', sa.String(length=100), nullable=True),
    sa.Column('forwarded_on', sa.Date(), nullable=True),
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
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_membership_transfers_owner_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_transfers'))
    )
    with op.batch_alter_table('membership_transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_transfers_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_transfers_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_transfers_source_event_id'), ['source_event_id'], unique=False)

    op.create_table('reading_rooms',
    sa.Column('union_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=True),
    sa.Column('area', sa.String(length=20), nullable=True),
    sa.Column('seats', sa.Integer(), nullable=True),
    sa.Column('books_held', sa.Integer(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('acceptance', sa.String(length=200), nullable=True),
    sa.Column('keeps_loans', sa.Boolean(), nullable=False),
    sa.Column('manager', sa.String(length=50), nullable=True),
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
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_reading_rooms_owner_unit_id_units')),
    sa.ForeignKeyConstraint(['union_id'], ['units.id'], name=op.f('fk_reading_rooms_union_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reading_rooms'))
    )
    with op.batch_alter_table('reading_rooms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reading_rooms_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_reading_rooms_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reading_rooms_union_id'), ['union_id'], unique=False)

    op.create_table('training_sessions',
    sa.Column('union_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=True),
    sa.Column('lecturer', sa.String(length=100), nullable=True),
    sa.Column('content', sa.Text(), nullable=True),
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
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_training_sessions_owner_unit_id_units')),
    sa.ForeignKeyConstraint(['union_id'], ['units.id'], name=op.f('fk_training_sessions_union_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_sessions'))
    )
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_sessions_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_sessions_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_sessions_starts_on'), ['starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_sessions_union_id'), ['union_id'], unique=False)

    op.create_table('book_donations',
    sa.Column('room_id', sa.String(length=36), nullable=False),
    sa.Column('union_id', sa.String(length=36), nullable=False),
    sa.Column('donated_on', sa.Date(), nullable=False),
    sa.Column('batch', sa.String(length=100), nullable=True),
    sa.Column('donor', sa.String(length=100), nullable=False),
    sa.Column('titles', sa.Integer(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('list_price_fen', sa.Integer(), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('accepted_by', sa.String(length=50), nullable=True),
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
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_book_donations_owner_unit_id_units')),
    sa.ForeignKeyConstraint(['room_id'], ['reading_rooms.id'], name=op.f('fk_book_donations_room_id_reading_rooms')),
    sa.ForeignKeyConstraint(['union_id'], ['units.id'], name=op.f('fk_book_donations_union_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_book_donations'))
    )
    with op.batch_alter_table('book_donations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_book_donations_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_book_donations_donated_on'), ['donated_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_book_donations_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_book_donations_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_book_donations_union_id'), ['union_id'], unique=False)

    op.create_table('book_loans',
    sa.Column('room_id', sa.String(length=36), nullable=False),
    sa.Column('union_id', sa.String(length=36), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=True),
    sa.Column('borrower', sa.String(length=50), nullable=False),
    sa.Column('book_title', sa.String(length=200), nullable=False),
    sa.Column('lent_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('returned_on', sa.Date(), nullable=True),
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
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_book_loans_member_id_members')),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_book_loans_owner_unit_id_units')),
    sa.ForeignKeyConstraint(['room_id'], ['reading_rooms.id'], name=op.f('fk_book_loans_room_id_reading_rooms')),
    sa.ForeignKeyConstraint(['union_id'], ['units.id'], name=op.f('fk_book_loans_union_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_book_loans'))
    )
    with op.batch_alter_table('book_loans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_book_loans_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_book_loans_lent_on'), ['lent_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_book_loans_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_book_loans_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_book_loans_union_id'), ['union_id'], unique=False)

    op.create_table('documents',
    sa.Column('series_id', sa.String(length=36), nullable=False),
    sa.Column('doc_kind', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('addressee', sa.String(length=200), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('signer', sa.String(length=50), nullable=True),
    sa.Column('issuer', sa.String(length=100), nullable=True),
    sa.Column('cc', sa.String(length=200), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.Column('doc_no', sa.String(length=60), nullable=True),
    sa.Column('numbered_on', sa.Date(), nullable=True),
    sa.Column('numbered_device', sa.String(length=36), nullable=True),
    sa.Column('record_table', sa.String(length=40), nullable=True),
    sa.Column('record_id', sa.String(length=36), nullable=True),
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
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_documents_owner_unit_id_units')),
    sa.ForeignKeyConstraint(['series_id'], ['doc_series.id'], name=op.f('fk_documents_series_id_doc_series')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_doc_no'), ['doc_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_series_id'), ['series_id'], unique=False)
        batch_op.create_index('ix_documents_series_id_year_seq', ['series_id', 'year', 'seq'], unique=False)

    op.create_table('election_candidates',
    sa.Column('election_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('position', sa.String(length=12), nullable=False),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.Column('elected', sa.Boolean(), nullable=False),
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
    sa.ForeignKeyConstraint(['election_id'], ['elections.id'], name=op.f('fk_election_candidates_election_id_elections')),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_election_candidates_owner_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_election_candidates'))
    )
    with op.batch_alter_table('election_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_election_candidates_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_election_candidates_election_id'), ['election_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_election_candidates_owner_unit_id'), ['owner_unit_id'], unique=False)

    op.create_table('home_award_scores',
    sa.Column('award_id', sa.String(length=36), nullable=False),
    sa.Column('criterion', sa.String(length=8), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
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
    sa.ForeignKeyConstraint(['award_id'], ['home_awards.id'], name=op.f('fk_home_award_scores_award_id_home_awards')),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_home_award_scores_owner_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_home_award_scores'))
    )
    with op.batch_alter_table('home_award_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_home_award_scores_award_id'), ['award_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_home_award_scores_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_home_award_scores_owner_unit_id'), ['owner_unit_id'], unique=False)

    op.create_table('membership_events',
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=True),
    sa.Column('union_id', sa.String(length=36), nullable=False),
    sa.Column('to_union_id', sa.String(length=36), nullable=True),
    sa.Column('to_county_code', sa.String(length=6), nullable=True),
    sa.Column('to_place', sa.String(length=100), nullable=True),
    sa.Column('transfer_id', sa.String(length=36), nullable=True),
    sa.Column('reason', sa.String(length=8), nullable=True),
    sa.Column('doc_no', sa.String(length=50), nullable=True),
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
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_membership_events_member_id_members')),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_membership_events_owner_unit_id_units')),
    sa.ForeignKeyConstraint(['to_union_id'], ['units.id'], name=op.f('fk_membership_events_to_union_id_units')),
    sa.ForeignKeyConstraint(['transfer_id'], ['membership_transfers.id'], name=op.f('fk_membership_events_transfer_id_membership_transfers')),
    sa.ForeignKeyConstraint(['union_id'], ['units.id'], name=op.f('fk_membership_events_union_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_events'))
    )
    with op.batch_alter_table('membership_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_events_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index('ix_membership_events_member_id_ordinal', ['member_id', 'ordinal'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_events_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index('ix_membership_events_stats', ['event_date', 'kind', 'union_id', 'deleted'], unique=False)

    op.create_table('trainees',
    sa.Column('session_id', sa.String(length=36), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('union_id', sa.String(length=36), nullable=False),
    sa.Column('post', sa.String(length=50), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=True),
    sa.Column('assessment', sa.String(length=8), nullable=True),
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
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_trainees_member_id_members')),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_trainees_owner_unit_id_units')),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_trainees_session_id_training_sessions')),
    sa.ForeignKeyConstraint(['union_id'], ['units.id'], name=op.f('fk_trainees_union_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainees'))
    )
    with op.batch_alter_table('trainees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainees_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_trainees_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_trainees_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_trainees_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_trainees_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_trainees_union_id'), ['union_id'], unique=False)

    op.create_table('union_foundings',
    sa.Column('enterprise_name', sa.String(length=100), nullable=False),
    sa.Column('enterprise_uscc', sa.String(length=18), nullable=True),
    sa.Column('union_name', sa.String(length=100), nullable=False),
    sa.Column('parent_id', sa.String(length=36), nullable=False),
    sa.Column('unit_nature', sa.String(length=10), nullable=True),
    sa.Column('industry', sa.String(length=10), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('worker_count', sa.Integer(), nullable=False),
    sa.Column('female_worker_count', sa.Integer(), nullable=True),
    sa.Column('migrant_worker_count', sa.Integer(), nullable=True),
    sa.Column('leaders', sa.String(length=200), nullable=True),
    sa.Column('wish', sa.Text(), nullable=True),
    sa.Column('contact_name', sa.String(length=50), nullable=True),
    sa.Column('contact_phone', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=True),
    sa.Column('approval_doc_id', sa.String(length=36), nullable=True),
    sa.Column('approval_no', sa.String(length=60), nullable=True),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('prep_leader', sa.String(length=50), nullable=True),
    sa.Column('prep_members', sa.String(length=200), nullable=True),
    sa.Column('recruited_count', sa.Integer(), nullable=True),
    sa.Column('congress_on', sa.Date(), nullable=True),
    sa.Column('election_id', sa.String(length=36), nullable=True),
    sa.Column('results_no', sa.String(length=60), nullable=True),
    sa.Column('union_id', sa.String(length=36), nullable=True),
    sa.Column('founded_on', sa.Date(), nullable=True),
    sa.Column('women_committee', sa.String(length=200), nullable=True),
    sa.Column('legal_uscc', sa.String(length=18), nullable=True),
    sa.Column('legal_cert_no', sa.String(length=50), nullable=True),
    sa.Column('legal_on', sa.Date(), nullable=True),
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
    sa.ForeignKeyConstraint(['approval_doc_id'], ['documents.id'], name=op.f('fk_union_foundings_approval_doc_id_documents')),
    sa.ForeignKeyConstraint(['election_id'], ['elections.id'], name=op.f('fk_union_foundings_election_id_elections')),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_union_foundings_owner_unit_id_units')),
    sa.ForeignKeyConstraint(['parent_id'], ['units.id'], name=op.f('fk_union_foundings_parent_id_units')),
    sa.ForeignKeyConstraint(['union_id'], ['units.id'], name=op.f('fk_union_foundings_union_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_union_foundings'))
    )
    with op.batch_alter_table('union_foundings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_union_foundings_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_union_foundings_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_union_foundings_parent_id'), ['parent_id'], unique=False)

    op.create_table('union_founding_steps',
    sa.Column('founding_id', sa.String(length=36), nullable=False),
    sa.Column('step_no', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=False),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('acted_on', sa.Date(), nullable=False),
    sa.Column('opinion', sa.Text(), nullable=True),
    sa.Column('level_unit_id', sa.String(length=36), nullable=True),
    sa.Column('actor_username', sa.String(length=64), nullable=False),
    sa.Column('actor_name', sa.String(length=50), nullable=False),
    sa.Column('actor_role', sa.String(length=16), nullable=False),
    sa.Column('actor_unit_id', sa.String(length=36), nullable=True),
    sa.Column('signer_name', sa.String(length=50), nullable=True),
    sa.Column('data', sa.Text(), nullable=False),
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
    sa.ForeignKeyConstraint(['actor_unit_id'], ['units.id'], name=op.f('fk_union_founding_steps_actor_unit_id_units')),
    sa.ForeignKeyConstraint(['founding_id'], ['union_foundings.id'], name=op.f('fk_union_founding_steps_founding_id_union_foundings')),
    sa.ForeignKeyConstraint(['level_unit_id'], ['units.id'], name=op.f('fk_union_founding_steps_level_unit_id_units')),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_union_founding_steps_owner_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_union_founding_steps'))
    )
    with op.batch_alter_table('union_founding_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_union_founding_steps_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_union_founding_steps_founding_id'), ['founding_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_union_founding_steps_owner_unit_id'), ['owner_unit_id'], unique=False)

    # plain ALTER TABLE ADD COLUMN: no rebuild of the members table (and its search triggers)
    op.add_column('members', sa.Column('hukou_type', sa.String(length=4), nullable=True))
    op.execute("CREATE TRIGGER union_founding_steps_no_update BEFORE UPDATE ON union_founding_steps "
               "BEGIN SELECT RAISE(ABORT, 'founding steps is append-only'); END")
    op.execute("CREATE TRIGGER union_founding_steps_no_delete BEFORE DELETE ON union_founding_steps "
               "BEGIN SELECT RAISE(ABORT, 'founding steps is append-only'); END")
    _carry_members_over()


# (status, kind of the event that gives it) for a member registered in another state than 正常
CARRIED = (("2", "transfer_out"), ("3", "retain"), ("4", "leave"), ("5", "expel"), ("6", "death"))
SEQ = "(SELECT COALESCE(MAX(CAST(value AS INTEGER)), 0) FROM local_state WHERE key = 'change_seq')"
STAMPS = (f"owner_unit_id, created_at, created_by, updated_at, updated_by, 1, "
          f"{SEQ} + ROW_NUMBER() OVER (ORDER BY rowid), '{{}}', 0")
COLUMNS = ("id, member_id, ordinal, kind, event_date, union_id, notes, owner_unit_id, created_at, "
           "created_by, updated_at, updated_by, revision, change_seq, vv, deleted")


def _counted() -> None:
    """The local change counter past the change numbers the events just took."""
    op.execute("INSERT INTO local_state (key, value) SELECT 'change_seq', m FROM "
               "(SELECT MAX(change_seq) AS m FROM membership_events) WHERE m IS NOT NULL "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value")


def _carry_members_over() -> None:
    op.execute(f"INSERT INTO membership_events ({COLUMNS}) "
               f"SELECT substr(id, 1, 14) || '8' || substr(id, 16), id, 1, 'join', joined_on, union_id, "
               f"NULL, {STAMPS} FROM members ORDER BY rowid")
    _counted()
    cases = " ".join(f"WHEN '{status}' THEN '{kind}'" for status, kind in CARRIED)
    op.execute(f"INSERT INTO membership_events ({COLUMNS}, reason, to_place) "
               f"SELECT substr(id, 1, 14) || '8' || substr(id, 16, 4) || "
               f"CASE substr(id, 20, 1) WHEN '8' THEN 'c' WHEN '9' THEN 'd' WHEN 'a' THEN 'e' ELSE 'f' END "
               f"|| substr(id, 21), id, 2, CASE status {cases} END, NULL, union_id, "
               f"'登记时的会籍状态(变动日期不详)', {STAMPS}, '9', CASE status WHEN '2' THEN '去向不详' END FROM members "
               f"WHERE status IN ({', '.join(repr(s) for s, _ in CARRIED)}) ORDER BY rowid")
    _counted()


def downgrade() -> None:
    for table in ("union_founding_steps",):
        op.execute(f'DROP TRIGGER IF EXISTS {table}_no_update')
        op.execute(f'DROP TRIGGER IF EXISTS {table}_no_delete')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('hukou_type')

    with op.batch_alter_table('union_founding_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_union_founding_steps_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_union_founding_steps_founding_id'))
        batch_op.drop_index(batch_op.f('ix_union_founding_steps_change_seq'))

    op.drop_table('union_founding_steps')
    with op.batch_alter_table('union_foundings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_union_foundings_parent_id'))
        batch_op.drop_index(batch_op.f('ix_union_foundings_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_union_foundings_change_seq'))

    op.drop_table('union_foundings')
    with op.batch_alter_table('trainees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainees_union_id'))
        batch_op.drop_index(batch_op.f('ix_trainees_session_id'))
        batch_op.drop_index(batch_op.f('ix_trainees_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_trainees_member_id'))
        batch_op.drop_index(batch_op.f('ix_trainees_held_on'))
        batch_op.drop_index(batch_op.f('ix_trainees_change_seq'))

    op.drop_table('trainees')
    with op.batch_alter_table('membership_events', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_events_stats')
        batch_op.drop_index(batch_op.f('ix_membership_events_owner_unit_id'))
        batch_op.drop_index('ix_membership_events_member_id_ordinal')
        batch_op.drop_index(batch_op.f('ix_membership_events_change_seq'))

    op.drop_table('membership_events')
    with op.batch_alter_table('home_award_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_home_award_scores_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_home_award_scores_change_seq'))
        batch_op.drop_index(batch_op.f('ix_home_award_scores_award_id'))

    op.drop_table('home_award_scores')
    with op.batch_alter_table('election_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_election_candidates_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_election_candidates_election_id'))
        batch_op.drop_index(batch_op.f('ix_election_candidates_change_seq'))

    op.drop_table('election_candidates')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_series_id_year_seq')
        batch_op.drop_index(batch_op.f('ix_documents_series_id'))
        batch_op.drop_index(batch_op.f('ix_documents_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_documents_doc_no'))
        batch_op.drop_index(batch_op.f('ix_documents_change_seq'))

    op.drop_table('documents')
    with op.batch_alter_table('book_loans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_book_loans_union_id'))
        batch_op.drop_index(batch_op.f('ix_book_loans_room_id'))
        batch_op.drop_index(batch_op.f('ix_book_loans_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_book_loans_lent_on'))
        batch_op.drop_index(batch_op.f('ix_book_loans_change_seq'))

    op.drop_table('book_loans')
    with op.batch_alter_table('book_donations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_book_donations_union_id'))
        batch_op.drop_index(batch_op.f('ix_book_donations_room_id'))
        batch_op.drop_index(batch_op.f('ix_book_donations_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_book_donations_donated_on'))
        batch_op.drop_index(batch_op.f('ix_book_donations_change_seq'))

    op.drop_table('book_donations')
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_sessions_union_id'))
        batch_op.drop_index(batch_op.f('ix_training_sessions_starts_on'))
        batch_op.drop_index(batch_op.f('ix_training_sessions_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_training_sessions_change_seq'))

    op.drop_table('training_sessions')
    with op.batch_alter_table('reading_rooms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reading_rooms_union_id'))
        batch_op.drop_index(batch_op.f('ix_reading_rooms_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_reading_rooms_change_seq'))

    op.drop_table('reading_rooms')
    with op.batch_alter_table('membership_transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_transfers_source_event_id'))
        batch_op.drop_index(batch_op.f('ix_membership_transfers_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_membership_transfers_change_seq'))

    op.drop_table('membership_transfers')
    with op.batch_alter_table('home_awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_home_awards_union_id'))
        batch_op.drop_index(batch_op.f('ix_home_awards_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_home_awards_named_on'))
        batch_op.drop_index(batch_op.f('ix_home_awards_change_seq'))
        batch_op.drop_index(batch_op.f('ix_home_awards_applied_on'))

    op.drop_table('home_awards')
    with op.batch_alter_table('elections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_elections_union_id'))
        batch_op.drop_index(batch_op.f('ix_elections_term_ends_on'))
        batch_op.drop_index(batch_op.f('ix_elections_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_elections_election_on'))
        batch_op.drop_index(batch_op.f('ix_elections_change_seq'))

    op.drop_table('elections')
    with op.batch_alter_table('doc_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_doc_series_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_doc_series_change_seq'))

    op.drop_table('doc_series')
