"""金秋助学 sorted by pinyin: hardship_study_aid.student_name_pinyin (kept by the service, like the
members' and archives' name_pinyin) with an index for the list's default order; the rows already
there get their pinyin here

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from app.pinyin import name_keys

    # plain ALTER TABLE ADD COLUMN (NOT NULL needs the server default): no table rebuild
    op.add_column('hardship_study_aid', sa.Column('student_name_pinyin', sa.String(length=120),
                                                  nullable=False, server_default=''))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, student_name FROM hardship_study_aid")).all()
    # a derived column computed alike on every PC: not a change to send (change_seq untouched)
    if rows:
        conn.execute(sa.text("UPDATE hardship_study_aid SET student_name_pinyin = :p WHERE id = :id"),
                     [{"id": r[0], "p": name_keys(r[1] or "")[0]} for r in rows])
    op.create_index('ix_hardship_study_aid_student_name_pinyin', 'hardship_study_aid',
                    ['student_name_pinyin'])


def downgrade() -> None:
    op.drop_index('ix_hardship_study_aid_student_name_pinyin', table_name='hardship_study_aid')
    with op.batch_alter_table('hardship_study_aid') as batch_op:
        batch_op.drop_column('student_name_pinyin')
