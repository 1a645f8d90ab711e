"""Points ballots and neighbourhood priorities exercises.

Adds ``points`` to the ballot kinds, and the priorities tables (an exercise and
its one ballot per neighbourhood), council-scoped with forced RLS.

Revision ID: b3c4d5e6f7a8
Revises: e9a3c5d70f43
Create Date: 2026-11-22 18:00:00
"""

import sqlalchemy as sa
from alembic import op

from tenants.rls import disable_rls, enable_rls

revision = "b3c4d5e6f7a8"
down_revision = "e9a3c5d70f43"
branch_labels = None
depends_on = None

TABLES = ("priorities_exercises", "priorities_ballots")


def _council_fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["council_id", column],
        [f"{target}.council_id", f"{target}.id"],
        name=op.f(f"fk_{table}_council_id_{column}_{target}"),
        ondelete=ondelete,
    )


def _keys(table: str) -> list:
    return [
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f(f"fk_{table}_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f(f"pk_{table}")),
    ]


def upgrade():
    # A new enum value cannot be used in the transaction that adds it; autocommit keeps it separate.
    with op.get_context().autocommit_block():
        op.execute("ALTER TYPE ballot_kind ADD VALUE IF NOT EXISTS 'points'")
    op.create_table(
        "priorities_exercises",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("template", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        *_keys("priorities_exercises"),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_priorities_exercises_created_by_id_users"),
            ondelete="SET NULL",
        ),
    )
    op.create_table(
        "priorities_ballots",
        sa.Column("exercise_id", sa.BigInteger(), nullable=False),
        sa.Column("ballot_id", sa.BigInteger(), nullable=False),
        sa.Column("neighbourhood_id", sa.BigInteger(), nullable=False),
        *_keys("priorities_ballots"),
        _council_fk("priorities_ballots", "exercise_id", "priorities_exercises", "CASCADE"),
        _council_fk("priorities_ballots", "ballot_id", "voting_ballots", "CASCADE"),
        _council_fk("priorities_ballots", "neighbourhood_id", "neighbourhoods", "RESTRICT"),
        sa.UniqueConstraint(
            "council_id",
            "exercise_id",
            "neighbourhood_id",
            name=op.f("uq_priorities_ballots_council_id_exercise_id_neighbourhood_id"),
        ),
        sa.UniqueConstraint("council_id", "ballot_id", name=op.f("uq_priorities_ballots_council_id_ballot_id")),
    )
    op.create_index(op.f("ix_priorities_ballots_exercise_id"), "priorities_ballots", ["exercise_id"])
    for table in TABLES:
        enable_rls(op, table)


def downgrade():
    for table in reversed(TABLES):
        disable_rls(op, table)
    op.drop_index(op.f("ix_priorities_ballots_exercise_id"), table_name="priorities_ballots")
    op.drop_table("priorities_ballots")
    op.drop_table("priorities_exercises")
    # PostgreSQL cannot drop one enum value: remove points ballots, then rebuild the type without it.
    op.execute("DELETE FROM voting_ballots WHERE kind = 'points'")
    op.execute("ALTER TYPE ballot_kind RENAME TO ballot_kind_old")
    op.execute("CREATE TYPE ballot_kind AS ENUM ('approval', 'ranked', 'pb', 'division', 'resolution')")
    op.execute("ALTER TABLE voting_ballots ALTER COLUMN kind TYPE ballot_kind USING kind::text::ballot_kind")
    op.execute("DROP TYPE ballot_kind_old")
