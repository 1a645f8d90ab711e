"""Points ballots: a ``points`` value for the ballot kind.

Revision ID: b3c4d5e6f7a8
Revises: e9a3c5d70f43
Create Date: 2026-11-22 18:00:00
"""

from alembic import op

revision = "b3c4d5e6f7a8"
down_revision = "e9a3c5d70f43"
branch_labels = None
depends_on = None


def upgrade():
    # ADD VALUE cannot run inside a transaction block on older PostgreSQL; autocommit keeps it portable.
    with op.get_context().autocommit_block():
        op.execute("ALTER TYPE ballot_kind ADD VALUE IF NOT EXISTS 'points'")


def downgrade():
    # PostgreSQL cannot drop an enum value; ballots of kind points must be removed first, then the type rebuilt.
    op.execute("DELETE FROM voting_ballots WHERE kind = 'points'")
    op.execute("ALTER TYPE ballot_kind RENAME TO ballot_kind_old")
    op.execute("CREATE TYPE ballot_kind AS ENUM ('approval', 'ranked', 'pb', 'division', 'resolution')")
    op.execute("ALTER TABLE voting_ballots ALTER COLUMN kind TYPE ballot_kind USING kind::text::ballot_kind")
    op.execute("DROP TYPE ballot_kind_old")
