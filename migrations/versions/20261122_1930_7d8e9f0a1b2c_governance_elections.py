"""Governance elections: elections to a society's body, seats per constituency, nominations, the body's members.

Every table is council-scoped with forced RLS. A contested constituency's ballot
lives in voting_ballots (gov_election_seats.ballot_id).

Revision ID: 7d8e9f0a1b2c
Revises: 4a5b6c7d8e9f
Create Date: 2026-11-22 19:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

from tenants.rls import disable_rls, enable_rls

TABLES = ("gov_elections", "gov_election_seats", "gov_election_nominations", "gov_body_members")
ENUMS = ("gov_election_status", "gov_seat_outcome", "gov_nomination_status", "gov_candidate_result")

revision = "7d8e9f0a1b2c"
down_revision = "4a5b6c7d8e9f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "gov_elections",
        sa.Column("society_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body_name", sa.String(length=120), nullable=False),
        sa.Column("body_size", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("method", sa.String(length=10), server_default="stv", nullable=False),
        sa.Column("statement_max_words", sa.Integer(), server_default="250", nullable=False),
        sa.Column("term_years", sa.Integer(), server_default="3", nullable=False),
        sa.Column("nominations_open_on", sa.Date(), nullable=False),
        sa.Column("nominations_close_on", sa.Date(), nullable=False),
        sa.Column("voting_closes_on", sa.Date(), nullable=False),
        sa.Column(
            "status", sa.Enum("draft", "nominations", "voting", "declared", name="gov_election_status"), nullable=False
        ),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(declared_at IS NOT NULL) = (status = 'declared')", name=op.f("ck_gov_elections_declared_when_declared")
        ),
        sa.CheckConstraint("method IN ('stv', 'meek')", name=op.f("ck_gov_elections_method_known")),
        sa.CheckConstraint("body_size >= 1 AND body_size <= 100", name=op.f("ck_gov_elections_body_size_range")),
        sa.CheckConstraint(
            "nominations_close_on >= nominations_open_on", name=op.f("ck_gov_elections_nominations_in_order")
        ),
        sa.CheckConstraint(
            "statement_max_words >= 10 AND statement_max_words <= 2000",
            name=op.f("ck_gov_elections_statement_limit_range"),
        ),
        sa.CheckConstraint("term_years >= 1 AND term_years <= 10", name=op.f("ck_gov_elections_term_range")),
        sa.CheckConstraint(
            "voting_closes_on > nominations_close_on", name=op.f("ck_gov_elections_voting_after_nominations")
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_gov_elections_council_id_society_id_gov_societies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_gov_elections_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_elections")),
    )
    op.create_index("ix_gov_elections_society", "gov_elections", ["council_id", "society_id"], unique=False)
    op.create_table(
        "gov_election_seats",
        sa.Column("election_id", sa.BigInteger(), nullable=False),
        sa.Column("member_class_id", sa.BigInteger(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.Enum("contested", "unopposed", "unfilled", name="gov_seat_outcome"), nullable=True),
        sa.Column("ballot_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("seats >= 1", name=op.f("ck_gov_election_seats_seats_positive")),
        sa.ForeignKeyConstraint(
            ["council_id", "ballot_id"],
            ["voting_ballots.council_id", "voting_ballots.id"],
            name=op.f("fk_gov_election_seats_council_id_ballot_id_voting_ballots"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "election_id"],
            ["gov_elections.council_id", "gov_elections.id"],
            name=op.f("fk_gov_election_seats_council_id_election_id_gov_elections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "member_class_id"],
            ["gov_member_classes.council_id", "gov_member_classes.id"],
            name=op.f("fk_gov_election_seats_council_id_member_class_id_gov_member_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_gov_election_seats_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_election_seats")),
        sa.UniqueConstraint(
            "council_id",
            "election_id",
            "member_class_id",
            name=op.f("uq_gov_election_seats_council_id_election_id_member_class_id"),
        ),
    )
    op.create_table(
        "gov_election_nominations",
        sa.Column("election_id", sa.BigInteger(), nullable=False),
        sa.Column("seat_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("nominator_member_id", sa.BigInteger(), nullable=True),
        sa.Column("statement", sa.Text(), server_default="", nullable=False),
        sa.Column(
            "status",
            sa.Enum("awaiting_consent", "submitted", "valid", "withdrawn", name="gov_nomination_status"),
            nullable=False,
        ),
        sa.Column("checked_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), server_default="", nullable=False),
        sa.Column(
            "result", sa.Enum("elected", "elected_unopposed", "not_elected", name="gov_candidate_result"), nullable=True
        ),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "result IS NULL OR status = 'valid'", name=op.f("ck_gov_election_nominations_result_only_when_valid")
        ),
        sa.CheckConstraint(
            "nominator_member_id IS NULL OR nominator_member_id <> member_id",
            name=op.f("ck_gov_election_nominations_nominator_not_candidate"),
        ),
        sa.ForeignKeyConstraint(
            ["checked_by_user_id"],
            ["users.id"],
            name=op.f("fk_gov_election_nominations_checked_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "election_id"],
            ["gov_elections.council_id", "gov_elections.id"],
            name=op.f("fk_gov_election_nominations_council_id_election_id_gov_elections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "member_id"],
            ["gov_members.council_id", "gov_members.id"],
            name=op.f("fk_gov_election_nominations_council_id_member_id_gov_members"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "nominator_member_id"],
            ["gov_members.council_id", "gov_members.id"],
            name=op.f("fk_gov_election_nominations_council_id_nominator_member_id_gov_members"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "seat_id"],
            ["gov_election_seats.council_id", "gov_election_seats.id"],
            name=op.f("fk_gov_election_nominations_council_id_seat_id_gov_election_seats"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_gov_election_nominations_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_election_nominations")),
    )
    op.create_index(
        op.f("ix_gov_election_nominations_checked_by_user_id"),
        "gov_election_nominations",
        ["checked_by_user_id"],
        unique=False,
    )
    op.create_index(
        "uq_gov_election_nominations_one_live",
        "gov_election_nominations",
        ["council_id", "election_id", "member_id"],
        unique=True,
        postgresql_where=sa.text("status != 'withdrawn'"),
    )
    op.create_table(
        "gov_body_members",
        sa.Column("society_id", sa.BigInteger(), nullable=False),
        sa.Column("election_id", sa.BigInteger(), nullable=False),
        sa.Column("nomination_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("member_class_id", sa.BigInteger(), nullable=False),
        sa.Column("body_name", sa.String(length=120), nullable=False),
        sa.Column("term_starts_on", sa.Date(), nullable=False),
        sa.Column("term_ends_on", sa.Date(), nullable=False),
        sa.Column("unopposed", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("term_ends_on > term_starts_on", name=op.f("ck_gov_body_members_term_in_order")),
        sa.ForeignKeyConstraint(
            ["council_id", "election_id"],
            ["gov_elections.council_id", "gov_elections.id"],
            name=op.f("fk_gov_body_members_council_id_election_id_gov_elections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "member_class_id"],
            ["gov_member_classes.council_id", "gov_member_classes.id"],
            name=op.f("fk_gov_body_members_council_id_member_class_id_gov_member_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "member_id"],
            ["gov_members.council_id", "gov_members.id"],
            name=op.f("fk_gov_body_members_council_id_member_id_gov_members"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "nomination_id"],
            ["gov_election_nominations.council_id", "gov_election_nominations.id"],
            name=op.f("fk_gov_body_members_council_id_nomination_id_gov_election_nominations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_gov_body_members_council_id_society_id_gov_societies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_gov_body_members_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_body_members")),
        sa.UniqueConstraint(
            "council_id", "election_id", "member_id", name=op.f("uq_gov_body_members_council_id_election_id_member_id")
        ),
    )
    op.create_index("ix_gov_body_members_society", "gov_body_members", ["council_id", "society_id"], unique=False)
    for table in TABLES:
        enable_rls(op, table)


def downgrade():
    for table in reversed(TABLES):
        disable_rls(op, table)
    op.drop_index("ix_gov_body_members_society", table_name="gov_body_members")
    op.drop_table("gov_body_members")
    op.drop_index(
        "uq_gov_election_nominations_one_live",
        table_name="gov_election_nominations",
        postgresql_where=sa.text("status != 'withdrawn'"),
    )
    op.drop_index(op.f("ix_gov_election_nominations_checked_by_user_id"), table_name="gov_election_nominations")
    op.drop_table("gov_election_nominations")
    op.drop_table("gov_election_seats")
    op.drop_index("ix_gov_elections_society", table_name="gov_elections")
    op.drop_table("gov_elections")
    for name in ENUMS:
        sa.Enum(name=name).drop(op.get_bind(), checkfirst=True)
