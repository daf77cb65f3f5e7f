"""The example's migration, as ``alembic revision --autogenerate`` writes it (a real area puts
the file in ``app/db/migrations/versions/`` with the current head as ``down_revision``; the
contract tests apply this one to a database without the table and compare it with the model)."""

import sqlalchemy as sa
from alembic import op

revision = "kit_example"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "kit_examples",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("union_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("people", sa.Integer(), nullable=True),
        sa.Column("amount_fen", sa.Integer(), nullable=True),
        sa.Column("contact_id_number", sa.String(length=18), nullable=True),
        sa.Column("contact_phone", sa.String(length=20), nullable=True),
        sa.Column("member_id", sa.String(length=36), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.Column("vv", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("owner_unit_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_kit_examples_member_id_members")),
        sa.ForeignKeyConstraint(["owner_unit_id"], ["units.id"],
                                name=op.f("fk_kit_examples_owner_unit_id_units")),
        sa.ForeignKeyConstraint(["union_id"], ["units.id"], name=op.f("fk_kit_examples_union_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kit_examples")),
    )
    with op.batch_alter_table("kit_examples", schema=None) as batch_op:
        for column in ("change_seq", "held_on", "owner_unit_id", "union_id"):
            batch_op.create_index(batch_op.f(f"ix_kit_examples_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("kit_examples")
