"""Index ballot papers by ballot, so a count reads only its own ballot's papers.

Revision ID: b41c7e2d9a05
Revises: 2ad79007819c
Create Date: 2026-11-22 15:00:00
"""

from alembic import op

revision = "b41c7e2d9a05"
down_revision = "2ad79007819c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_voting_papers_council_id_ballot_id", "voting_papers", ["council_id", "ballot_id"])


def downgrade():
    op.drop_index("ix_voting_papers_council_id_ballot_id", table_name="voting_papers")
