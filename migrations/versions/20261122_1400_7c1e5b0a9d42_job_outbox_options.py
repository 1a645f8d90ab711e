"""Job outbox: per-job RQ options.

Stores each job's timeout and retry policy next to it, so the outbox dispatcher
re-sends a job exactly as it was first sent.

Revision ID: 7c1e5b0a9d42
Revises: 2fd5a07bdc4d
Create Date: 2026-11-22 14:00:00.000000
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "7c1e5b0a9d42"
down_revision = "2fd5a07bdc4d"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "job_outbox",
        sa.Column("options", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
    )


def downgrade():
    op.drop_column("job_outbox", "options")
