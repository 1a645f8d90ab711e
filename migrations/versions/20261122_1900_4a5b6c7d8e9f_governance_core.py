"""Governance core: societies, member classes, the register of members, decisions, the share ledger, society roles.

Every table is council-scoped with forced RLS. Share ledger lines cannot be updated
(a trigger refuses it): a correction is a new line.

Revision ID: 4a5b6c7d8e9f
Revises: c0d1e2f3a4b5
Create Date: 2026-11-22 18:02:08.236083
"""

import sqlalchemy as sa
from alembic import op

from tenants.rls import disable_rls, enable_rls

TABLES = (
    "gov_societies",
    "gov_member_classes",
    "gov_society_officers",
    "gov_members",
    "gov_member_decisions",
    "gov_share_entries",
)
ENUMS = (
    "gov_society_kind",
    "gov_member_status",
    "gov_cessation",
    "gov_decision_kind",
    "gov_share_entry_kind",
    "gov_society_role",
)

revision = "4a5b6c7d8e9f"
down_revision = "c0d1e2f3a4b5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "gov_societies",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind", sa.Enum("housing_coop", "school_trust", "care_enterprise", name="gov_society_kind"), nullable=False
        ),
        sa.Column("registration_number", sa.String(length=20), server_default="", nullable=False),
        sa.Column("registered_office", sa.Text(), server_default="", nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("notice_clear_days", sa.Integer(), server_default="14", nullable=False),
        sa.Column("quorum_members", sa.Integer(), server_default="0", nullable=False),
        sa.Column("quorum_percent", sa.Integer(), server_default="0", nullable=False),
        sa.Column("ordinary_threshold", sa.String(length=20), server_default="simple_majority", nullable=False),
        sa.Column("special_threshold", sa.String(length=20), server_default="three_quarters", nullable=False),
        sa.Column("proxy_cap", sa.Integer(), server_default="2", nullable=True),
        sa.Column("proxies_count_in_quorum", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("share_value_pence", sa.Integer(), server_default="100", nullable=False),
        sa.Column("shares_on_admission", sa.Integer(), server_default="1", nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "ordinary_threshold IN ('simple_majority', 'two_thirds', 'three_quarters')",
            name=op.f("ck_gov_societies_ordinary_threshold_known"),
        ),
        sa.CheckConstraint(
            "special_threshold IN ('simple_majority', 'two_thirds', 'three_quarters')",
            name=op.f("ck_gov_societies_special_threshold_known"),
        ),
        sa.CheckConstraint(
            "notice_clear_days >= 0 AND notice_clear_days <= 365", name=op.f("ck_gov_societies_notice_range")
        ),
        sa.CheckConstraint("proxy_cap IS NULL OR proxy_cap >= 0", name=op.f("ck_gov_societies_proxy_cap_not_negative")),
        sa.CheckConstraint("quorum_members >= 0", name=op.f("ck_gov_societies_quorum_members_not_negative")),
        sa.CheckConstraint(
            "quorum_percent >= 0 AND quorum_percent <= 100", name=op.f("ck_gov_societies_quorum_percent_range")
        ),
        sa.CheckConstraint("share_value_pence > 0", name=op.f("ck_gov_societies_share_value_positive")),
        sa.CheckConstraint("shares_on_admission >= 1", name=op.f("ck_gov_societies_shares_on_admission_positive")),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_gov_societies_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_societies")),
        sa.UniqueConstraint("council_id", "name", name=op.f("uq_gov_societies_council_id_name")),
    )
    op.create_table(
        "gov_member_classes",
        sa.Column("society_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("vote_cap_percent", sa.Integer(), nullable=True),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "min_age IS NULL OR (min_age >= 0 AND min_age <= 120)", name=op.f("ck_gov_member_classes_min_age_range")
        ),
        sa.CheckConstraint(
            "vote_cap_percent IS NULL OR (vote_cap_percent > 0 AND vote_cap_percent <= 100)",
            name=op.f("ck_gov_member_classes_vote_cap_range"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_gov_member_classes_council_id_society_id_gov_societies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_gov_member_classes_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_member_classes")),
        sa.UniqueConstraint(
            "council_id", "society_id", "name", name=op.f("uq_gov_member_classes_council_id_society_id_name")
        ),
    )
    op.create_table(
        "gov_society_officers",
        sa.Column("society_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.Enum("secretary", "committee", "scrutineer", name="gov_society_role"), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_gov_society_officers_council_id_society_id_gov_societies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_gov_society_officers_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_gov_society_officers_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_society_officers")),
        sa.UniqueConstraint(
            "council_id",
            "society_id",
            "user_id",
            "role",
            name=op.f("uq_gov_society_officers_council_id_society_id_user_id_role"),
        ),
    )
    op.create_index(op.f("ix_gov_society_officers_user_id"), "gov_society_officers", ["user_id"], unique=False)
    op.create_table(
        "gov_members",
        sa.Column("society_id", sa.BigInteger(), nullable=False),
        sa.Column("member_class_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("membership_number", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), server_default="", nullable=False),
        sa.Column("postcode", sa.String(length=10), server_default="", nullable=False),
        sa.Column("email", sa.String(length=254), server_default="", nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column(
            "status", sa.Enum("applicant", "member", "refused", "ceased", name="gov_member_status"), nullable=False
        ),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("admitted_on", sa.Date(), nullable=True),
        sa.Column("ceased_on", sa.Date(), nullable=True),
        sa.Column(
            "cessation", sa.Enum("left", "expelled", "died", "no_longer_eligible", name="gov_cessation"), nullable=True
        ),
        sa.Column("guardian_consent_by", sa.String(length=200), server_default="", nullable=False),
        sa.Column("guardian_consent_on", sa.Date(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(admitted_on IS NOT NULL) = (status IN ('member', 'ceased'))",
            name=op.f("ck_gov_members_admitted_when_member"),
        ),
        sa.CheckConstraint(
            "(ceased_on IS NOT NULL) = (status = 'ceased')", name=op.f("ck_gov_members_ceased_on_when_ceased")
        ),
        sa.CheckConstraint(
            "(status = 'ceased') = (cessation IS NOT NULL)", name=op.f("ck_gov_members_cessation_when_ceased")
        ),
        sa.CheckConstraint(
            "(membership_number IS NULL) = (admitted_on IS NULL)", name=op.f("ck_gov_members_number_on_admission")
        ),
        sa.CheckConstraint(
            "admitted_on IS NULL OR admitted_on >= applied_on", name=op.f("ck_gov_members_admitted_after_applying")
        ),
        sa.CheckConstraint(
            "ceased_on IS NULL OR ceased_on >= admitted_on", name=op.f("ck_gov_members_ceased_after_admission")
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "member_class_id"],
            ["gov_member_classes.council_id", "gov_member_classes.id"],
            name=op.f("fk_gov_members_council_id_member_class_id_gov_member_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_gov_members_council_id_society_id_gov_societies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_gov_members_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_gov_members_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_members")),
        sa.UniqueConstraint(
            "council_id",
            "society_id",
            "membership_number",
            name=op.f("uq_gov_members_council_id_society_id_membership_number"),
        ),
    )
    op.create_index(
        "ix_gov_members_society_status", "gov_members", ["council_id", "society_id", "status"], unique=False
    )
    op.create_index(op.f("ix_gov_members_user_id"), "gov_members", ["user_id"], unique=False)
    op.create_index(
        "uq_gov_members_one_live_per_user",
        "gov_members",
        ["council_id", "society_id", "user_id"],
        unique=True,
        postgresql_where=sa.text("user_id IS NOT NULL AND status IN ('applicant', 'member')"),
    )
    op.create_table(
        "gov_member_decisions",
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("admitted", "refused", "left", "expelled", "died", "no_longer_eligible", name="gov_decision_kind"),
            nullable=False,
        ),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.String(length=300), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("recorded_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "member_id"],
            ["gov_members.council_id", "gov_members.id"],
            name=op.f("fk_gov_member_decisions_council_id_member_id_gov_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_gov_member_decisions_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["users.id"],
            name=op.f("fk_gov_member_decisions_recorded_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_member_decisions")),
    )
    op.create_index("ix_gov_member_decisions_member", "gov_member_decisions", ["council_id", "member_id"], unique=False)
    op.create_index(
        op.f("ix_gov_member_decisions_recorded_by_user_id"),
        "gov_member_decisions",
        ["recorded_by_user_id"],
        unique=False,
    )
    op.create_table(
        "gov_share_entries",
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Enum("issue", "withdrawal", name="gov_share_entry_kind"), nullable=False),
        sa.Column("shares", sa.Integer(), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("recorded_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("amount_pence >= 0", name=op.f("ck_gov_share_entries_amount_not_negative")),
        sa.CheckConstraint("shares > 0", name=op.f("ck_gov_share_entries_shares_positive")),
        sa.ForeignKeyConstraint(
            ["council_id", "member_id"],
            ["gov_members.council_id", "gov_members.id"],
            name=op.f("fk_gov_share_entries_council_id_member_id_gov_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_gov_share_entries_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["users.id"],
            name=op.f("fk_gov_share_entries_recorded_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_gov_share_entries")),
    )
    op.create_index("ix_gov_share_entries_member", "gov_share_entries", ["council_id", "member_id"], unique=False)
    op.create_index(
        op.f("ix_gov_share_entries_recorded_by_user_id"), "gov_share_entries", ["recorded_by_user_id"], unique=False
    )
    for table in TABLES:
        enable_rls(op, table)
    # The share ledger is append-only: a line is never edited in place.
    op.execute(
        """
        CREATE FUNCTION gov_share_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'gov_share_entries is append-only: a share ledger line cannot be changed; record a new line'
                USING ERRCODE = 'check_violation';
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER gov_share_entries_no_update BEFORE UPDATE ON gov_share_entries"
        " FOR EACH ROW EXECUTE FUNCTION gov_share_entries_append_only()"
    )


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS gov_share_entries_no_update ON gov_share_entries")
    op.execute("DROP FUNCTION IF EXISTS gov_share_entries_append_only()")
    for table in reversed(TABLES):
        disable_rls(op, table)
    op.drop_index(op.f("ix_gov_share_entries_recorded_by_user_id"), table_name="gov_share_entries")
    op.drop_index("ix_gov_share_entries_member", table_name="gov_share_entries")
    op.drop_table("gov_share_entries")
    op.drop_index(op.f("ix_gov_member_decisions_recorded_by_user_id"), table_name="gov_member_decisions")
    op.drop_index("ix_gov_member_decisions_member", table_name="gov_member_decisions")
    op.drop_table("gov_member_decisions")
    op.drop_index(
        "uq_gov_members_one_live_per_user",
        table_name="gov_members",
        postgresql_where=sa.text("user_id IS NOT NULL AND status IN ('applicant', 'member')"),
    )
    op.drop_index(op.f("ix_gov_members_user_id"), table_name="gov_members")
    op.drop_index("ix_gov_members_society_status", table_name="gov_members")
    op.drop_table("gov_members")
    op.drop_index(op.f("ix_gov_society_officers_user_id"), table_name="gov_society_officers")
    op.drop_table("gov_society_officers")
    op.drop_table("gov_member_classes")
    op.drop_table("gov_societies")
    for name in ENUMS:
        sa.Enum(name=name).drop(op.get_bind(), checkfirst=True)
