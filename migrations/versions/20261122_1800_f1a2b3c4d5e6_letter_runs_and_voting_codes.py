"""Voting-code letters: print runs (with their PDF and CSV) and hashed one-time codes.

Both tables are council-scoped with forced RLS.

Revision ID: f1a2b3c4d5e6
Revises: e9a3c5d70f43
Create Date: 2026-11-22 18:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants.rls import disable_rls, enable_rls

revision = "f1a2b3c4d5e6"
down_revision = "e9a3c5d70f43"
branch_labels = None
depends_on = None

TABLES = ("letter_runs", "voting_codes")
ENUMS = ("letter_run_scope", "letter_run_status")


def _key():
    return [
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
    ]


def _stamps():
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def _council(table):
    return sa.ForeignKeyConstraint(
        ["council_id"], ["councils.id"], name=f"fk_{table}_council_id_councils", ondelete="CASCADE"
    )


def _user(table, column):
    return sa.ForeignKeyConstraint([column], ["users.id"], name=f"fk_{table}_{column}_users", ondelete="SET NULL")


def upgrade():
    op.create_table(
        "letter_runs",
        *_key(),
        sa.Column("scope", postgresql.ENUM("all", "missing", name="letter_run_scope"), nullable=False),
        sa.Column(
            "status",
            postgresql.ENUM("queued", "finished", "empty", "failed", name="letter_run_status"),
            nullable=False,
        ),
        sa.Column("job_id", sa.String(200), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("valid_days", sa.Integer(), nullable=False),
        sa.Column("requested_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("letters", sa.Integer(), nullable=True),
        sa.Column("superseded", sa.Integer(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("csv", sa.LargeBinary(), nullable=True),
        sa.Column("files_deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        *_stamps(),
        _council("letter_runs"),
        _user("letter_runs", "requested_by_user_id"),
        sa.PrimaryKeyConstraint("council_id", "id", name="pk_letter_runs"),
    )
    op.create_table(
        "voting_codes",
        *_key(),
        sa.Column("register_entry_id", sa.BigInteger(), nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        *_stamps(),
        _council("voting_codes"),
        _user("voting_codes", "used_by_user_id"),
        sa.ForeignKeyConstraint(
            ["council_id", "register_entry_id"],
            ["resident_register.council_id", "resident_register.id"],
            name="fk_voting_codes_register_entry",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "run_id"],
            ["letter_runs.council_id", "letter_runs.id"],
            name="fk_voting_codes_run",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name="pk_voting_codes"),
        sa.UniqueConstraint("council_id", "code_hash", name="uq_voting_codes_council_id_code_hash"),
    )
    op.create_index("ix_voting_codes_council_id_register_entry_id", "voting_codes", ["council_id", "register_entry_id"])
    for table in TABLES:
        enable_rls(op, table)


def downgrade():
    for table in reversed(TABLES):
        disable_rls(op, table)
        op.drop_table(table)
    for name in ENUMS:
        postgresql.ENUM(name=name).drop(op.get_bind(), checkfirst=True)
