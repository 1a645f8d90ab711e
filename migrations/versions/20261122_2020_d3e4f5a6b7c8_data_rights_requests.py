"""Residents' data rights: access and erasure requests with their due-date clock.

The table is council-scoped with forced RLS.

Revision ID: d3e4f5a6b7c8
Revises: a0b1c2d3e4f5
Create Date: 2026-11-22 20:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

from tenants.rls import disable_rls, enable_rls

revision = "d3e4f5a6b7c8"
down_revision = "a0b1c2d3e4f5"
branch_labels = None
depends_on = None

TABLE = "privacy_requests"
ENUMS = ("privacy_request_kind", "privacy_request_status")


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.Enum("access", "erasure", name="privacy_request_kind"), nullable=False),
        sa.Column("status", sa.Enum("received", "completed", name="privacy_request_status"), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("extension_months", sa.Integer(), server_default="0", nullable=False),
        sa.Column("extension_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(completed_at IS NOT NULL) = (status = 'completed')",
            name=op.f("ck_privacy_requests_completed_when_completed"),
        ),
        sa.CheckConstraint("due_on > received_on", name=op.f("ck_privacy_requests_due_after_receipt")),
        sa.CheckConstraint(
            "extension_months = 0 OR extension_reason <> ''", name=op.f("ck_privacy_requests_extension_has_reason")
        ),
        sa.CheckConstraint(
            "extension_months >= 0 AND extension_months <= 2", name=op.f("ck_privacy_requests_extension_range")
        ),
        sa.ForeignKeyConstraint(
            ["completed_by_user_id"],
            ["users.id"],
            name=op.f("fk_privacy_requests_completed_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_privacy_requests_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_privacy_requests_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_privacy_requests")),
    )
    op.create_index("ix_privacy_requests_status_due", TABLE, ["council_id", "status", "due_on"], unique=False)
    op.create_index("ix_privacy_requests_user", TABLE, ["council_id", "user_id"], unique=False)
    op.create_index(
        "uq_privacy_requests_one_open_erasure",
        TABLE,
        ["council_id", "user_id"],
        unique=True,
        postgresql_where=sa.text("kind = 'erasure' AND status = 'received'"),
    )
    enable_rls(op, TABLE)


def downgrade():
    disable_rls(op, TABLE)
    op.drop_index("uq_privacy_requests_one_open_erasure", table_name=TABLE)
    op.drop_index("ix_privacy_requests_user", table_name=TABLE)
    op.drop_index("ix_privacy_requests_status_due", table_name=TABLE)
    op.drop_table(TABLE)
    for name in ENUMS:
        sa.Enum(name=name).drop(op.get_bind(), checkfirst=True)
