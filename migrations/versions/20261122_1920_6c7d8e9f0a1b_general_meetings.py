"""General meetings: meetings, agenda items, resolutions (each with its ballot), attendance, channel voters and counts, notice emails.

Every table is council-scoped with forced RLS.

Revision ID: 6c7d8e9f0a1b
Revises: 4a5b6c7d8e9f
Create Date: 2026-11-22 19:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

from tenants.rls import disable_rls, enable_rls

TABLES = (
    "gov_meetings",
    "gov_agenda_items",
    "gov_resolutions",
    "gov_meeting_attendance",
    "gov_channel_voters",
    "gov_channel_counts",
    "gov_notice_emails",
)
ENUMS = ("gov_meeting_kind", "gov_resolution_kind", "gov_attendance_mode", "gov_vote_channel")

revision = "6c7d8e9f0a1b"
down_revision = "4a5b6c7d8e9f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "gov_meetings",
        sa.Column("society_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Enum("annual", "special", name="gov_meeting_kind"), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.Text(), server_default="", nullable=False),
        sa.Column("online_link", sa.String(length=500), server_default="", nullable=False),
        sa.Column("voting_opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("voting_closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notice_given_on", sa.Date(), nullable=True),
        sa.Column("minutes", sa.Text(), server_default="", nullable=False),
        sa.Column("created_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("voting_closes_at > voting_opens_at", name=op.f("ck_gov_meetings_voting_window_order")),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_gov_meetings_council_id_society_id_gov_societies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_gov_meetings_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_gov_meetings_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_meetings")),
    )
    op.create_index(op.f("ix_gov_meetings_created_by_user_id"), "gov_meetings", ["created_by_user_id"], unique=False)
    op.create_table(
        "gov_agenda_items",
        sa.Column("meeting_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "meeting_id"],
            ["gov_meetings.council_id", "gov_meetings.id"],
            name=op.f("fk_gov_agenda_items_council_id_meeting_id_gov_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_gov_agenda_items_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_agenda_items")),
    )
    op.create_table(
        "gov_resolutions",
        sa.Column("meeting_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("kind", sa.Enum("ordinary", "special", name="gov_resolution_kind"), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("proposer", sa.String(length=200), server_default="", nullable=False),
        sa.Column("ballot_id", sa.BigInteger(), nullable=False),
        sa.Column("noticed_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("result_document", sa.Text(), nullable=True),
        sa.Column("result_sha256", sa.String(length=64), nullable=True),
        sa.Column("signed_off_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signed_off_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(signed_off_at IS NULL) = (result_sha256 IS NULL)", name=op.f("ck_gov_resolutions_signed_with_hash")
        ),
        sa.CheckConstraint(
            "published_at IS NULL OR signed_off_at IS NOT NULL",
            name=op.f("ck_gov_resolutions_published_after_sign_off"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "ballot_id"],
            ["voting_ballots.council_id", "voting_ballots.id"],
            name=op.f("fk_gov_resolutions_council_id_ballot_id_voting_ballots"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "meeting_id"],
            ["gov_meetings.council_id", "gov_meetings.id"],
            name=op.f("fk_gov_resolutions_council_id_meeting_id_gov_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_gov_resolutions_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["signed_off_by_user_id"],
            ["users.id"],
            name=op.f("fk_gov_resolutions_signed_off_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_resolutions")),
        sa.UniqueConstraint("council_id", "ballot_id", name=op.f("uq_gov_resolutions_council_id_ballot_id")),
    )
    op.create_index(
        op.f("ix_gov_resolutions_signed_off_by_user_id"), "gov_resolutions", ["signed_off_by_user_id"], unique=False
    )
    op.create_table(
        "gov_channel_counts",
        sa.Column("resolution_id", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.Enum("postal", "room", name="gov_vote_channel"), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=False),
        sa.Column("votes_against", sa.Integer(), nullable=False),
        sa.Column("abstentions", sa.Integer(), nullable=False),
        sa.Column("entered_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "votes_for >= 0 AND votes_against >= 0 AND abstentions >= 0",
            name=op.f("ck_gov_channel_counts_counts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "resolution_id"],
            ["gov_resolutions.council_id", "gov_resolutions.id"],
            name=op.f("fk_gov_channel_counts_council_id_resolution_id_gov_resolutions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_gov_channel_counts_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_user_id"],
            ["users.id"],
            name=op.f("fk_gov_channel_counts_entered_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_channel_counts")),
        sa.UniqueConstraint(
            "council_id",
            "resolution_id",
            "channel",
            name=op.f("uq_gov_channel_counts_council_id_resolution_id_channel"),
        ),
    )
    op.create_index(
        op.f("ix_gov_channel_counts_entered_by_user_id"), "gov_channel_counts", ["entered_by_user_id"], unique=False
    )
    op.create_table(
        "gov_channel_voters",
        sa.Column("resolution_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.Enum("postal", "room", name="gov_vote_channel"), nullable=False),
        sa.Column("recorded_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "member_id"],
            ["gov_members.council_id", "gov_members.id"],
            name=op.f("fk_gov_channel_voters_council_id_member_id_gov_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "resolution_id"],
            ["gov_resolutions.council_id", "gov_resolutions.id"],
            name=op.f("fk_gov_channel_voters_council_id_resolution_id_gov_resolutions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_gov_channel_voters_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["users.id"],
            name=op.f("fk_gov_channel_voters_recorded_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_channel_voters")),
        sa.UniqueConstraint(
            "council_id",
            "resolution_id",
            "member_id",
            name=op.f("uq_gov_channel_voters_council_id_resolution_id_member_id"),
        ),
    )
    op.create_index(
        op.f("ix_gov_channel_voters_recorded_by_user_id"), "gov_channel_voters", ["recorded_by_user_id"], unique=False
    )
    op.create_table(
        "gov_meeting_attendance",
        sa.Column("meeting_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("mode", sa.Enum("room", "online", name="gov_attendance_mode"), nullable=False),
        sa.Column("recorded_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "meeting_id"],
            ["gov_meetings.council_id", "gov_meetings.id"],
            name=op.f("fk_gov_meeting_attendance_council_id_meeting_id_gov_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "member_id"],
            ["gov_members.council_id", "gov_members.id"],
            name=op.f("fk_gov_meeting_attendance_council_id_member_id_gov_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_gov_meeting_attendance_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["users.id"],
            name=op.f("fk_gov_meeting_attendance_recorded_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_meeting_attendance")),
        sa.UniqueConstraint(
            "council_id",
            "meeting_id",
            "member_id",
            name=op.f("uq_gov_meeting_attendance_council_id_meeting_id_member_id"),
        ),
    )
    op.create_index(
        op.f("ix_gov_meeting_attendance_recorded_by_user_id"),
        "gov_meeting_attendance",
        ["recorded_by_user_id"],
        unique=False,
    )
    op.create_table(
        "gov_notice_emails",
        sa.Column("meeting_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "meeting_id"],
            ["gov_meetings.council_id", "gov_meetings.id"],
            name=op.f("fk_gov_notice_emails_council_id_meeting_id_gov_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "member_id"],
            ["gov_members.council_id", "gov_members.id"],
            name=op.f("fk_gov_notice_emails_council_id_member_id_gov_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_gov_notice_emails_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_notice_emails")),
        sa.UniqueConstraint(
            "council_id", "meeting_id", "member_id", name=op.f("uq_gov_notice_emails_council_id_meeting_id_member_id")
        ),
    )
    for table in TABLES:
        enable_rls(op, table)


def downgrade():
    for table in reversed(TABLES):
        disable_rls(op, table)
    op.drop_table("gov_notice_emails")
    op.drop_index(op.f("ix_gov_meeting_attendance_recorded_by_user_id"), table_name="gov_meeting_attendance")
    op.drop_table("gov_meeting_attendance")
    op.drop_index(op.f("ix_gov_channel_voters_recorded_by_user_id"), table_name="gov_channel_voters")
    op.drop_table("gov_channel_voters")
    op.drop_index(op.f("ix_gov_channel_counts_entered_by_user_id"), table_name="gov_channel_counts")
    op.drop_table("gov_channel_counts")
    op.drop_index(op.f("ix_gov_resolutions_signed_off_by_user_id"), table_name="gov_resolutions")
    op.drop_table("gov_resolutions")
    op.drop_table("gov_agenda_items")
    op.drop_index(op.f("ix_gov_meetings_created_by_user_id"), table_name="gov_meetings")
    op.drop_table("gov_meetings")
    for name in ENUMS:
        sa.Enum(name=name).drop(op.get_bind(), checkfirst=True)
