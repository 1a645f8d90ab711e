"""Housing co-operatives: estates, blocks, homes, tenancies and tenants, contractors, repair targets,
repairs and their photos, transfer ballots, tenant satisfaction surveys and responses.

Every table is council-scoped with forced RLS.

Revision ID: 8e9f0a1b2c3d
Revises: 4a5b6c7d8e9f
Create Date: 2026-11-22 18:11:09.924165
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants.rls import disable_rls, enable_rls

TABLES = (
    "housing_estates",
    "housing_blocks",
    "housing_homes",
    "housing_tenancies",
    "housing_tenants",
    "housing_contractors",
    "housing_repair_targets",
    "housing_repairs",
    "housing_repair_photos",
    "housing_transfer_ballots",
    "housing_surveys",
    "housing_survey_responses",
)
ENUMS = (
    "housing_home_type",
    "housing_offer_status",
    "housing_repair_category",
    "housing_urgency",
    "housing_target_unit",
    "housing_repair_location",
    "housing_repair_status",
    "housing_survey_status",
)

revision = "8e9f0a1b2c3d"
down_revision = "4a5b6c7d8e9f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "housing_contractors",
        sa.Column("society_id", sa.BigInteger(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("trades", sa.String(length=300), server_default="", nullable=False),
        sa.Column("email", sa.String(length=254), server_default="", nullable=False),
        sa.Column("phone", sa.String(length=40), server_default="", nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_housing_contractors_council_id_society_id_gov_societies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_housing_contractors_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_housing_contractors")),
        sa.UniqueConstraint(
            "council_id",
            "society_id",
            "name",
            name=op.f("uq_housing_contractors_council_id_society_id_name"),
            postgresql_nulls_not_distinct=True,
        ),
    )
    op.create_table(
        "housing_estates",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("society_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_housing_estates_council_id_society_id_gov_societies"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_housing_estates_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_housing_estates")),
        sa.UniqueConstraint("council_id", "name", name=op.f("uq_housing_estates_council_id_name")),
    )
    op.create_index(op.f("ix_housing_estates_society_id"), "housing_estates", ["society_id"], unique=False)
    op.create_table(
        "housing_repair_targets",
        sa.Column("society_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "category",
            sa.Enum(
                "damp_mould",
                "heating_hot_water",
                "plumbing",
                "electrical",
                "doors_windows",
                "roof_gutters",
                "kitchen_bathroom",
                "communal",
                "other",
                name="housing_repair_category",
            ),
            nullable=False,
        ),
        sa.Column("urgency", sa.Enum("emergency", "urgent", "routine", name="housing_urgency"), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column(
            "unit", sa.Enum("hours", "calendar_days", "working_days", name="housing_target_unit"), nullable=False
        ),
        sa.Column("make_safe_days", sa.Integer(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("amount >= 1 AND amount <= 2000", name=op.f("ck_housing_repair_targets_amount_range")),
        sa.CheckConstraint(
            "make_safe_days IS NULL OR (make_safe_days >= 1 AND make_safe_days <= 90)",
            name=op.f("ck_housing_repair_targets_safe_range"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_housing_repair_targets_council_id_society_id_gov_societies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_housing_repair_targets_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_housing_repair_targets")),
        sa.UniqueConstraint(
            "council_id",
            "society_id",
            "category",
            "urgency",
            name=op.f("uq_housing_repair_targets_council_id_society_id_category_urgency"),
            postgresql_nulls_not_distinct=True,
        ),
    )
    op.create_table(
        "housing_surveys",
        sa.Column("society_id", sa.BigInteger(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.Enum("draft", "open", "closed", name="housing_survey_status"), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_housing_surveys_council_id_society_id_gov_societies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_housing_surveys_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_housing_surveys")),
    )
    op.create_table(
        "housing_blocks",
        sa.Column("estate_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "estate_id"],
            ["housing_estates.council_id", "housing_estates.id"],
            name=op.f("fk_housing_blocks_council_id_estate_id_housing_estates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_housing_blocks_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_housing_blocks")),
        sa.UniqueConstraint(
            "council_id", "estate_id", "name", name=op.f("uq_housing_blocks_council_id_estate_id_name")
        ),
    )
    op.create_index(op.f("ix_housing_blocks_estate_id"), "housing_blocks", ["estate_id"], unique=False)
    op.create_table(
        "housing_survey_responses",
        sa.Column("survey_id", sa.BigInteger(), nullable=False),
        sa.Column("estate_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("answers", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "estate_id"],
            ["housing_estates.council_id", "housing_estates.id"],
            name=op.f("fk_housing_survey_responses_council_id_estate_id_housing_estates"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "survey_id"],
            ["housing_surveys.council_id", "housing_surveys.id"],
            name=op.f("fk_housing_survey_responses_council_id_survey_id_housing_surveys"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_housing_survey_responses_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_housing_survey_responses_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_housing_survey_responses")),
        sa.UniqueConstraint(
            "council_id", "survey_id", "user_id", name=op.f("uq_housing_survey_responses_council_id_survey_id_user_id")
        ),
    )
    op.create_index(op.f("ix_housing_survey_responses_user_id"), "housing_survey_responses", ["user_id"], unique=False)
    op.create_table(
        "housing_transfer_ballots",
        sa.Column("ballot_id", sa.BigInteger(), nullable=False),
        sa.Column("society_id", sa.BigInteger(), nullable=True),
        sa.Column("estate_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("threshold", sa.String(length=20), server_default="simple_majority", nullable=False),
        sa.Column("created_by_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "ballot_id"],
            ["voting_ballots.council_id", "voting_ballots.id"],
            name=op.f("fk_housing_transfer_ballots_council_id_ballot_id_voting_ballots"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_housing_transfer_ballots_council_id_society_id_gov_societies"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_housing_transfer_ballots_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_housing_transfer_ballots_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_housing_transfer_ballots")),
        sa.UniqueConstraint("council_id", "ballot_id", name=op.f("uq_housing_transfer_ballots_council_id_ballot_id")),
    )
    op.create_table(
        "housing_homes",
        sa.Column("estate_id", sa.BigInteger(), nullable=False),
        sa.Column("block_id", sa.BigInteger(), nullable=True),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("postcode", sa.String(length=8), nullable=False),
        sa.Column("bedrooms", sa.Integer(), nullable=False),
        sa.Column(
            "home_type",
            sa.Enum("flat", "maisonette", "house", "bungalow", "bedsit", name="housing_home_type"),
            nullable=False,
        ),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("bedrooms >= 0 AND bedrooms <= 20", name=op.f("ck_housing_homes_bedrooms_range")),
        sa.ForeignKeyConstraint(
            ["council_id", "block_id"],
            ["housing_blocks.council_id", "housing_blocks.id"],
            name=op.f("fk_housing_homes_council_id_block_id_housing_blocks"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "estate_id"],
            ["housing_estates.council_id", "housing_estates.id"],
            name=op.f("fk_housing_homes_council_id_estate_id_housing_estates"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_housing_homes_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_housing_homes")),
        sa.UniqueConstraint("council_id", "reference", name=op.f("uq_housing_homes_council_id_reference")),
    )
    op.create_index("ix_housing_homes_estate", "housing_homes", ["council_id", "estate_id"], unique=False)
    op.create_table(
        "housing_repairs",
        sa.Column("home_id", sa.BigInteger(), nullable=False),
        sa.Column("reported_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "category",
            sa.Enum(
                "damp_mould",
                "heating_hot_water",
                "plumbing",
                "electrical",
                "doors_windows",
                "roof_gutters",
                "kitchen_bathroom",
                "communal",
                "other",
                name="housing_repair_category",
            ),
            nullable=False,
        ),
        sa.Column("urgency", sa.Enum("emergency", "urgent", "routine", name="housing_urgency"), nullable=False),
        sa.Column(
            "location",
            sa.Enum(
                "kitchen",
                "bathroom",
                "bedroom",
                "living_room",
                "hall_stairs",
                "outside",
                "communal_area",
                "whole_home",
                name="housing_repair_location",
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("reported", "assigned", "in_progress", "completed", "cancelled", name="housing_repair_status"),
            nullable=False,
        ),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("target_amount", sa.Integer(), nullable=False),
        sa.Column(
            "target_unit", sa.Enum("hours", "calendar_days", "working_days", name="housing_target_unit"), nullable=False
        ),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("make_safe_days", sa.Integer(), nullable=True),
        sa.Column("investigated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("make_safe_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contractor_id", sa.BigInteger(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("satisfaction_comment", sa.Text(), server_default="", nullable=False),
        sa.Column("satisfaction_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(cancelled_at IS NOT NULL) = (status = 'cancelled')",
            name=op.f("ck_housing_repairs_cancelled_when_cancelled"),
        ),
        sa.CheckConstraint(
            "(completed_at IS NOT NULL) = (status = 'completed')",
            name=op.f("ck_housing_repairs_completed_when_completed"),
        ),
        sa.CheckConstraint(
            "status = 'reported' OR status = 'cancelled' OR contractor_id IS NOT NULL",
            name=op.f("ck_housing_repairs_assigned"),
        ),
        sa.CheckConstraint(
            "satisfaction IS NULL OR (satisfaction >= 1 AND satisfaction <= 5)",
            name=op.f("ck_housing_repairs_satisfaction_range"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "contractor_id"],
            ["housing_contractors.council_id", "housing_contractors.id"],
            name=op.f("fk_housing_repairs_council_id_contractor_id_housing_contractors"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "home_id"],
            ["housing_homes.council_id", "housing_homes.id"],
            name=op.f("fk_housing_repairs_council_id_home_id_housing_homes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_housing_repairs_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_user_id"],
            ["users.id"],
            name=op.f("fk_housing_repairs_reported_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_housing_repairs")),
    )
    op.create_index("ix_housing_repairs_home", "housing_repairs", ["council_id", "home_id"], unique=False)
    op.create_index(
        op.f("ix_housing_repairs_reported_by_user_id"), "housing_repairs", ["reported_by_user_id"], unique=False
    )
    op.create_index(
        "ix_housing_repairs_status_due", "housing_repairs", ["council_id", "status", "due_at"], unique=False
    )
    op.create_table(
        "housing_tenancies",
        sa.Column("home_id", sa.BigInteger(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on > starts_on", name=op.f("ck_housing_tenancies_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "home_id"],
            ["housing_homes.council_id", "housing_homes.id"],
            name=op.f("fk_housing_tenancies_council_id_home_id_housing_homes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_housing_tenancies_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_housing_tenancies")),
    )
    op.create_index("ix_housing_tenancies_home", "housing_tenancies", ["council_id", "home_id"], unique=False)
    op.create_table(
        "housing_repair_photos",
        sa.Column("repair_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "content_type IN ('image/jpeg', 'image/png', 'image/webp')",
            name=op.f("ck_housing_repair_photos_content_type_known"),
        ),
        sa.CheckConstraint("octet_length(data) <= 5242880", name=op.f("ck_housing_repair_photos_at_most_5_mb")),
        sa.CheckConstraint("position >= 1 AND position <= 3", name=op.f("ck_housing_repair_photos_position_range")),
        sa.ForeignKeyConstraint(
            ["council_id", "repair_id"],
            ["housing_repairs.council_id", "housing_repairs.id"],
            name=op.f("fk_housing_repair_photos_council_id_repair_id_housing_repairs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_housing_repair_photos_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_housing_repair_photos")),
        sa.UniqueConstraint(
            "council_id", "repair_id", "position", name=op.f("uq_housing_repair_photos_council_id_repair_id_position")
        ),
    )
    op.create_table(
        "housing_tenants",
        sa.Column("tenancy_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), server_default="", nullable=False),
        sa.Column(
            "offer_status",
            sa.Enum("none", "offered", "accepted", "declined", name="housing_offer_status"),
            nullable=False,
        ),
        sa.Column("offer_answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("member_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "offer_status <> 'accepted' OR member_id IS NOT NULL", name=op.f("ck_housing_tenants_accepted_has_member")
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "member_id"],
            ["gov_members.council_id", "gov_members.id"],
            name=op.f("fk_housing_tenants_council_id_member_id_gov_members"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "tenancy_id"],
            ["housing_tenancies.council_id", "housing_tenancies.id"],
            name=op.f("fk_housing_tenants_council_id_tenancy_id_housing_tenancies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_housing_tenants_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_housing_tenants_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_housing_tenants")),
        sa.UniqueConstraint(
            "council_id", "tenancy_id", "user_id", name=op.f("uq_housing_tenants_council_id_tenancy_id_user_id")
        ),
    )
    op.create_index("ix_housing_tenants_tenancy", "housing_tenants", ["council_id", "tenancy_id"], unique=False)
    op.create_index(op.f("ix_housing_tenants_user_id"), "housing_tenants", ["user_id"], unique=False)
    for table in TABLES:
        enable_rls(op, table)


def downgrade():
    for table in reversed(TABLES):
        disable_rls(op, table)
    op.drop_index(op.f("ix_housing_tenants_user_id"), table_name="housing_tenants")
    op.drop_index("ix_housing_tenants_tenancy", table_name="housing_tenants")
    op.drop_table("housing_tenants")
    op.drop_table("housing_repair_photos")
    op.drop_index("ix_housing_tenancies_home", table_name="housing_tenancies")
    op.drop_table("housing_tenancies")
    op.drop_index("ix_housing_repairs_status_due", table_name="housing_repairs")
    op.drop_index(op.f("ix_housing_repairs_reported_by_user_id"), table_name="housing_repairs")
    op.drop_index("ix_housing_repairs_home", table_name="housing_repairs")
    op.drop_table("housing_repairs")
    op.drop_index("ix_housing_homes_estate", table_name="housing_homes")
    op.drop_table("housing_homes")
    op.drop_table("housing_transfer_ballots")
    op.drop_index(op.f("ix_housing_survey_responses_user_id"), table_name="housing_survey_responses")
    op.drop_table("housing_survey_responses")
    op.drop_index(op.f("ix_housing_blocks_estate_id"), table_name="housing_blocks")
    op.drop_table("housing_blocks")
    op.drop_table("housing_surveys")
    op.drop_table("housing_repair_targets")
    op.drop_index(op.f("ix_housing_estates_society_id"), table_name="housing_estates")
    op.drop_table("housing_estates")
    op.drop_table("housing_contractors")
    for name in ENUMS:
        sa.Enum(name=name).drop(op.get_bind(), checkfirst=True)
