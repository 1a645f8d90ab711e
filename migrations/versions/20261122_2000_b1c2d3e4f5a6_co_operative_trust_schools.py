"""Co-operative trust schools: trust details and partners, schools and Ofsted judgements, the pipeline and its
checklists, the council's target, school-to-school pairings and reviews, values self-reviews, trustees; and which
body a governance meeting is of (general meeting, forum, board).

Every new table is council-scoped with forced RLS.

Revision ID: b1c2d3e4f5a6
Revises: a0b1c2d3e4f5
Create Date: 2026-11-22 21:02:50.046835
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants.rls import disable_rls, enable_rls

TABLES = (
    "schools_targets",
    "schools_schools",
    "schools_trust_partners",
    "schools_trusts",
    "schools_ofsted_judgements",
    "schools_pairings",
    "schools_pipeline_entries",
    "schools_values_reviews",
    "schools_checklist_items",
    "schools_pairing_reviews",
    "schools_trustees",
)
ENUMS = (
    "schools_phase",
    "schools_partner_kind",
    "schools_legal_model",
    "schools_judgement",
    "schools_pairing_kind",
    "schools_stage",
    "schools_term",
    "schools_progress",
)
MEETING_BODY = ("general_meeting", "forum", "board")

revision = "b1c2d3e4f5a6"
down_revision = "a0b1c2d3e4f5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "schools_targets",
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("target >= 0", name=op.f("ck_schools_targets_target_not_negative")),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_schools_targets_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_schools_targets")),
        sa.UniqueConstraint("council_id", name=op.f("uq_schools_targets_council_id")),
    )
    op.create_table(
        "schools_schools",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("urn", sa.String(length=6), nullable=False),
        sa.Column(
            "phase", sa.Enum("primary", "secondary", "special", "all_through", name="schools_phase"), nullable=False
        ),
        sa.Column("pupils", sa.Integer(), server_default="0", nullable=False),
        sa.Column("society_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("urn ~ '^[0-9]{6}$'", name=op.f("ck_schools_schools_urn_six_digits")),
        sa.CheckConstraint("pupils >= 0", name=op.f("ck_schools_schools_pupils_not_negative")),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_schools_schools_council_id_society_id_gov_societies"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_schools_schools_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_schools_schools")),
        sa.UniqueConstraint("council_id", "urn", name=op.f("uq_schools_schools_council_id_urn")),
    )
    op.create_table(
        "schools_trust_partners",
        sa.Column("society_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "college",
                "university",
                "business",
                "charity",
                "nhs_trust",
                "community_trust",
                "cooperative",
                name="schools_partner_kind",
            ),
            nullable=False,
        ),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_schools_trust_partners_council_id_society_id_gov_societies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_schools_trust_partners_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_schools_trust_partners")),
        sa.UniqueConstraint(
            "council_id", "society_id", "name", name=op.f("uq_schools_trust_partners_council_id_society_id_name")
        ),
    )
    op.create_table(
        "schools_trusts",
        sa.Column("society_id", sa.BigInteger(), nullable=False),
        sa.Column("legal_model", sa.Enum("foundation_trust", "academy", name="schools_legal_model"), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_schools_trusts_council_id_society_id_gov_societies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_schools_trusts_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_schools_trusts")),
        sa.UniqueConstraint("council_id", "society_id", name=op.f("uq_schools_trusts_council_id_society_id")),
    )
    op.create_table(
        "schools_ofsted_judgements",
        sa.Column("school_id", sa.BigInteger(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column(
            "judgement",
            sa.Enum("outstanding", "good", "requires_improvement", "inadequate", name="schools_judgement"),
            nullable=False,
        ),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "school_id"],
            ["schools_schools.council_id", "schools_schools.id"],
            name=op.f("fk_schools_ofsted_judgements_council_id_school_id_schools_schools"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_schools_ofsted_judgements_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_schools_ofsted_judgements")),
        sa.UniqueConstraint(
            "council_id",
            "school_id",
            "inspected_on",
            name=op.f("uq_schools_ofsted_judgements_council_id_school_id_inspected_on"),
        ),
    )
    op.create_table(
        "schools_pairings",
        sa.Column("supporting_id", sa.BigInteger(), nullable=False),
        sa.Column("supported_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Enum("federation", "partnership", name="schools_pairing_kind"), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "supported_id"],
            ["schools_schools.council_id", "schools_schools.id"],
            name=op.f("fk_schools_pairings_council_id_supported_id_schools_schools"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "supporting_id"],
            ["schools_schools.council_id", "schools_schools.id"],
            name=op.f("fk_schools_pairings_council_id_supporting_id_schools_schools"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_schools_pairings_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_schools_pairings")),
        sa.UniqueConstraint(
            "council_id",
            "supporting_id",
            "supported_id",
            name=op.f("uq_schools_pairings_council_id_supporting_id_supported_id"),
        ),
    )
    op.create_table(
        "schools_pipeline_entries",
        sa.Column("school_id", sa.BigInteger(), nullable=False),
        sa.Column("stage", sa.Enum("consultation", "trust_established", "live", name="schools_stage"), nullable=False),
        sa.Column("consultation_on", sa.Date(), nullable=False),
        sa.Column("established_on", sa.Date(), nullable=True),
        sa.Column("live_on", sa.Date(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(stage <> 'live') OR live_on IS NOT NULL", name=op.f("ck_schools_pipeline_entries_live_dated")
        ),
        sa.CheckConstraint(
            "(stage = 'consultation') OR established_on IS NOT NULL",
            name=op.f("ck_schools_pipeline_entries_established_dated"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "school_id"],
            ["schools_schools.council_id", "schools_schools.id"],
            name=op.f("fk_schools_pipeline_entries_council_id_school_id_schools_schools"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_schools_pipeline_entries_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_schools_pipeline_entries")),
        sa.UniqueConstraint("council_id", "school_id", name=op.f("uq_schools_pipeline_entries_council_id_school_id")),
    )
    op.create_table(
        "schools_values_reviews",
        sa.Column("school_id", sa.BigInteger(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("self_help", sa.SmallInteger(), nullable=False),
        sa.Column("self_responsibility", sa.SmallInteger(), nullable=False),
        sa.Column("democracy", sa.SmallInteger(), nullable=False),
        sa.Column("equality", sa.SmallInteger(), nullable=False),
        sa.Column("equity", sa.SmallInteger(), nullable=False),
        sa.Column("solidarity", sa.SmallInteger(), nullable=False),
        sa.Column("evidence", sa.Text(), server_default="", nullable=False),
        sa.Column("entered_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("democracy BETWEEN 1 AND 5", name=op.f("ck_schools_values_reviews_democracy_range")),
        sa.CheckConstraint("equality BETWEEN 1 AND 5", name=op.f("ck_schools_values_reviews_equality_range")),
        sa.CheckConstraint("equity BETWEEN 1 AND 5", name=op.f("ck_schools_values_reviews_equity_range")),
        sa.CheckConstraint("self_help BETWEEN 1 AND 5", name=op.f("ck_schools_values_reviews_self_help_range")),
        sa.CheckConstraint(
            "self_responsibility BETWEEN 1 AND 5", name=op.f("ck_schools_values_reviews_self_responsibility_range")
        ),
        sa.CheckConstraint("solidarity BETWEEN 1 AND 5", name=op.f("ck_schools_values_reviews_solidarity_range")),
        sa.CheckConstraint("year >= 2000 AND year <= 2200", name=op.f("ck_schools_values_reviews_year_range")),
        sa.ForeignKeyConstraint(
            ["council_id", "school_id"],
            ["schools_schools.council_id", "schools_schools.id"],
            name=op.f("fk_schools_values_reviews_council_id_school_id_schools_schools"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_schools_values_reviews_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_user_id"],
            ["users.id"],
            name=op.f("fk_schools_values_reviews_entered_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_schools_values_reviews")),
        sa.UniqueConstraint(
            "council_id", "school_id", "year", name=op.f("uq_schools_values_reviews_council_id_school_id_year")
        ),
    )
    op.create_index(
        op.f("ix_schools_values_reviews_entered_by_user_id"),
        "schools_values_reviews",
        ["entered_by_user_id"],
        unique=False,
    )
    op.create_table(
        "schools_checklist_items",
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.Column("stage", sa.Enum("consultation", "trust_established", "live", name="schools_stage"), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "entry_id"],
            ["schools_pipeline_entries.council_id", "schools_pipeline_entries.id"],
            name=op.f("fk_schools_checklist_items_council_id_entry_id_schools_pipeline_entries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_schools_checklist_items_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["done_by_user_id"],
            ["users.id"],
            name=op.f("fk_schools_checklist_items_done_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_schools_checklist_items")),
        sa.UniqueConstraint(
            "council_id",
            "entry_id",
            "stage",
            "title",
            name=op.f("uq_schools_checklist_items_council_id_entry_id_stage_title"),
        ),
    )
    op.create_index(
        op.f("ix_schools_checklist_items_done_by_user_id"), "schools_checklist_items", ["done_by_user_id"], unique=False
    )
    op.create_table(
        "schools_pairing_reviews",
        sa.Column("pairing_id", sa.BigInteger(), nullable=False),
        sa.Column("term", sa.Enum("autumn", "spring", "summer", name="schools_term"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Enum("strong", "good", "some", "none", name="schools_progress"), nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("year >= 2000 AND year <= 2200", name=op.f("ck_schools_pairing_reviews_year_range")),
        sa.ForeignKeyConstraint(
            ["council_id", "pairing_id"],
            ["schools_pairings.council_id", "schools_pairings.id"],
            name=op.f("fk_schools_pairing_reviews_council_id_pairing_id_schools_pairings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_schools_pairing_reviews_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_schools_pairing_reviews")),
        sa.UniqueConstraint(
            "council_id",
            "pairing_id",
            "year",
            "term",
            name=op.f("uq_schools_pairing_reviews_council_id_pairing_id_year_term"),
        ),
    )
    op.create_table(
        "schools_trustees",
        sa.Column("society_id", sa.BigInteger(), nullable=False),
        sa.Column("resolution_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("from_on", sa.Date(), nullable=False),
        sa.Column("to_on", sa.Date(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("to_on IS NULL OR to_on >= from_on", name=op.f("ck_schools_trustees_term_order")),
        sa.ForeignKeyConstraint(
            ["council_id", "member_id"],
            ["gov_members.council_id", "gov_members.id"],
            name=op.f("fk_schools_trustees_council_id_member_id_gov_members"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "resolution_id"],
            ["gov_resolutions.council_id", "gov_resolutions.id"],
            name=op.f("fk_schools_trustees_council_id_resolution_id_gov_resolutions"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_schools_trustees_council_id_society_id_gov_societies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_schools_trustees_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_schools_trustees")),
    )
    op.create_index("ix_schools_trustees_society", "schools_trustees", ["council_id", "society_id"], unique=False)
    # add_column does not create an enum type as create_table does.
    postgresql.ENUM(*MEETING_BODY, name="gov_meeting_body").create(op.get_bind())
    op.add_column(
        "gov_meetings",
        sa.Column(
            "body",
            postgresql.ENUM(*MEETING_BODY, name="gov_meeting_body", create_type=False),
            server_default="general_meeting",
            nullable=False,
        ),
    )
    for table in TABLES:
        enable_rls(op, table)


def downgrade():
    for table in reversed(TABLES):
        disable_rls(op, table)
    op.drop_column("gov_meetings", "body")
    sa.Enum(name="gov_meeting_body").drop(op.get_bind(), checkfirst=True)
    op.drop_index("ix_schools_trustees_society", table_name="schools_trustees")
    op.drop_table("schools_trustees")
    op.drop_table("schools_pairing_reviews")
    op.drop_index(op.f("ix_schools_checklist_items_done_by_user_id"), table_name="schools_checklist_items")
    op.drop_table("schools_checklist_items")
    op.drop_index(op.f("ix_schools_values_reviews_entered_by_user_id"), table_name="schools_values_reviews")
    op.drop_table("schools_values_reviews")
    op.drop_table("schools_pipeline_entries")
    op.drop_table("schools_pairings")
    op.drop_table("schools_ofsted_judgements")
    op.drop_table("schools_trusts")
    op.drop_table("schools_trust_partners")
    op.drop_table("schools_schools")
    op.drop_table("schools_targets")
    for name in ENUMS:
        sa.Enum(name=name).drop(op.get_bind(), checkfirst=True)
