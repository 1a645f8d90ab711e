"""Care social enterprises: the enterprise's care details and named people, services, staff teams and their
members, people supported, support plan versions, reviews, comments and the read log, feedback stories and
satisfaction survey responses.

Every table is council-scoped with forced RLS.

Revision ID: c2d3e4f5a6b7
Revises: a0b1c2d3e4f5
Create Date: 2026-11-22 20:10:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants.rls import disable_rls, enable_rls

TABLES = (
    "care_enterprises",
    "care_named_people",
    "care_services",
    "care_teams",
    "care_team_members",
    "care_people",
    "care_plan_versions",
    "care_plan_reviews",
    "care_plan_comments",
    "care_plan_reads",
    "care_stories",
    "care_survey_responses",
)
ENUMS = ("care_enterprise_model", "care_named_role", "care_service_kind", "care_story_status")

revision = "c2d3e4f5a6b7"
down_revision = "a0b1c2d3e4f5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "care_enterprises",
        sa.Column("society_id", sa.BigInteger(), nullable=False),
        sa.Column("model", sa.Enum("staff_mutual", "multi_stakeholder", name="care_enterprise_model"), nullable=False),
        sa.Column("staff_class_id", sa.BigInteger(), nullable=False),
        sa.Column("people_class_id", sa.BigInteger(), nullable=False),
        sa.Column("carers_class_id", sa.BigInteger(), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "carers_class_id"],
            ["gov_member_classes.council_id", "gov_member_classes.id"],
            name=op.f("fk_care_enterprises_council_id_carers_class_id_gov_member_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "people_class_id"],
            ["gov_member_classes.council_id", "gov_member_classes.id"],
            name=op.f("fk_care_enterprises_council_id_people_class_id_gov_member_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "society_id"],
            ["gov_societies.council_id", "gov_societies.id"],
            name=op.f("fk_care_enterprises_council_id_society_id_gov_societies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "staff_class_id"],
            ["gov_member_classes.council_id", "gov_member_classes.id"],
            name=op.f("fk_care_enterprises_council_id_staff_class_id_gov_member_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_care_enterprises_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_care_enterprises")),
        sa.UniqueConstraint("council_id", "society_id", name=op.f("uq_care_enterprises_council_id_society_id")),
    )
    op.create_table(
        "care_named_people",
        sa.Column("enterprise_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.Enum("plan_officer", "moderator", name="care_named_role"), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "enterprise_id"],
            ["care_enterprises.council_id", "care_enterprises.id"],
            name=op.f("fk_care_named_people_council_id_enterprise_id_care_enterprises"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_care_named_people_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_care_named_people_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_care_named_people")),
        sa.UniqueConstraint(
            "council_id",
            "enterprise_id",
            "user_id",
            "role",
            name=op.f("uq_care_named_people_council_id_enterprise_id_user_id_role"),
        ),
    )
    op.create_index(op.f("ix_care_named_people_user_id"), "care_named_people", ["user_id"], unique=False)
    op.create_table(
        "care_services",
        sa.Column("enterprise_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("home_care", "day_services", "supported_living", "short_breaks", name="care_service_kind"),
            nullable=False,
        ),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "enterprise_id"],
            ["care_enterprises.council_id", "care_enterprises.id"],
            name=op.f("fk_care_services_council_id_enterprise_id_care_enterprises"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_care_services_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_care_services")),
        sa.UniqueConstraint(
            "council_id", "enterprise_id", "name", name=op.f("uq_care_services_council_id_enterprise_id_name")
        ),
    )
    op.create_table(
        "care_stories",
        sa.Column("enterprise_id", sa.BigInteger(), nullable=False),
        sa.Column("service_id", sa.BigInteger(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "status", sa.Enum("pending", "held", "published", "rejected", name="care_story_status"), nullable=False
        ),
        sa.Column("screen_flags", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("flagged_by_moderator", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("moderator_note", sa.Text(), server_default="", nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reply", sa.Text(), server_default="", nullable=False),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(published_at IS NOT NULL) = (status = 'published')", name=op.f("ck_care_stories_published_when_published")
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "enterprise_id"],
            ["care_enterprises.council_id", "care_enterprises.id"],
            name=op.f("fk_care_stories_council_id_enterprise_id_care_enterprises"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "service_id"],
            ["care_services.council_id", "care_services.id"],
            name=op.f("fk_care_stories_council_id_service_id_care_services"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_care_stories_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_care_stories_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_care_stories")),
    )
    op.create_index(
        "ix_care_stories_enterprise_status", "care_stories", ["council_id", "enterprise_id", "status"], unique=False
    )
    op.create_index(op.f("ix_care_stories_user_id"), "care_stories", ["user_id"], unique=False)
    op.create_table(
        "care_survey_responses",
        sa.Column("service_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("overall", sa.Integer(), nullable=False),
        sa.Column("control", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("control >= 1 AND control <= 4", name=op.f("ck_care_survey_responses_control_range")),
        sa.CheckConstraint("overall >= 1 AND overall <= 7", name=op.f("ck_care_survey_responses_overall_range")),
        sa.ForeignKeyConstraint(
            ["council_id", "service_id"],
            ["care_services.council_id", "care_services.id"],
            name=op.f("fk_care_survey_responses_council_id_service_id_care_services"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_care_survey_responses_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_care_survey_responses_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_care_survey_responses")),
    )
    op.create_index(
        "ix_care_survey_responses_service",
        "care_survey_responses",
        ["council_id", "service_id", "answered_on"],
        unique=False,
    )
    op.create_index(op.f("ix_care_survey_responses_user_id"), "care_survey_responses", ["user_id"], unique=False)
    op.create_table(
        "care_teams",
        sa.Column("service_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "service_id"],
            ["care_services.council_id", "care_services.id"],
            name=op.f("fk_care_teams_council_id_service_id_care_services"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_care_teams_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_care_teams")),
        sa.UniqueConstraint("council_id", "service_id", "name", name=op.f("uq_care_teams_council_id_service_id_name")),
    )
    op.create_table(
        "care_people",
        sa.Column("team_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("carer_user_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["carer_user_id"], ["users.id"], name=op.f("fk_care_people_carer_user_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["council_id", "team_id"],
            ["care_teams.council_id", "care_teams.id"],
            name=op.f("fk_care_people_council_id_team_id_care_teams"),
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_care_people_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_care_people_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_care_people")),
    )
    op.create_index(op.f("ix_care_people_carer_user_id"), "care_people", ["carer_user_id"], unique=False)
    op.create_index("ix_care_people_team", "care_people", ["council_id", "team_id"], unique=False)
    op.create_index(op.f("ix_care_people_user_id"), "care_people", ["user_id"], unique=False)
    op.create_table(
        "care_team_members",
        sa.Column("team_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "team_id"],
            ["care_teams.council_id", "care_teams.id"],
            name=op.f("fk_care_team_members_council_id_team_id_care_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_care_team_members_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_care_team_members_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_care_team_members")),
        sa.UniqueConstraint(
            "council_id", "team_id", "user_id", name=op.f("uq_care_team_members_council_id_team_id_user_id")
        ),
    )
    op.create_index(op.f("ix_care_team_members_user_id"), "care_team_members", ["user_id"], unique=False)
    op.create_table(
        "care_plan_comments",
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "person_id"],
            ["care_people.council_id", "care_people.id"],
            name=op.f("fk_care_plan_comments_council_id_person_id_care_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_care_plan_comments_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_care_plan_comments_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_care_plan_comments")),
    )
    op.create_index(op.f("ix_care_plan_comments_person_id"), "care_plan_comments", ["person_id"], unique=False)
    op.create_index(op.f("ix_care_plan_comments_user_id"), "care_plan_comments", ["user_id"], unique=False)
    op.create_table(
        "care_plan_reads",
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "person_id"],
            ["care_people.council_id", "care_people.id"],
            name=op.f("fk_care_plan_reads_council_id_person_id_care_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_care_plan_reads_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_care_plan_reads_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_care_plan_reads")),
    )
    op.create_index(
        "ix_care_plan_reads_person", "care_plan_reads", ["council_id", "person_id", "read_at"], unique=False
    )
    op.create_index(op.f("ix_care_plan_reads_user_id"), "care_plan_reads", ["user_id"], unique=False)
    op.create_table(
        "care_plan_reviews",
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id", "person_id"],
            ["care_people.council_id", "care_people.id"],
            name=op.f("fk_care_plan_reviews_council_id_person_id_care_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_care_plan_reviews_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["users.id"],
            name=op.f("fk_care_plan_reviews_recorded_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_care_plan_reviews")),
    )
    op.create_index(op.f("ix_care_plan_reviews_person_id"), "care_plan_reviews", ["person_id"], unique=False)
    op.create_index(
        op.f("ix_care_plan_reviews_recorded_by_user_id"), "care_plan_reviews", ["recorded_by_user_id"], unique=False
    )
    op.create_table(
        "care_plan_versions",
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("outcomes", sa.Text(), nullable=False),
        sa.Column("who_helps", sa.Text(), server_default="", nullable=False),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("written_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_care_plan_versions_version_positive")),
        sa.ForeignKeyConstraint(
            ["council_id", "person_id"],
            ["care_people.council_id", "care_people.id"],
            name=op.f("fk_care_plan_versions_council_id_person_id_care_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_care_plan_versions_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["written_by_user_id"],
            ["users.id"],
            name=op.f("fk_care_plan_versions_written_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f("pk_care_plan_versions")),
        sa.UniqueConstraint(
            "council_id", "person_id", "version", name=op.f("uq_care_plan_versions_council_id_person_id_version")
        ),
    )
    op.create_index(
        op.f("ix_care_plan_versions_written_by_user_id"), "care_plan_versions", ["written_by_user_id"], unique=False
    )
    for table in TABLES:
        enable_rls(op, table)


def downgrade():
    for table in reversed(TABLES):
        disable_rls(op, table)
    op.drop_index(op.f("ix_care_plan_versions_written_by_user_id"), table_name="care_plan_versions")
    op.drop_table("care_plan_versions")
    op.drop_index(op.f("ix_care_plan_reviews_recorded_by_user_id"), table_name="care_plan_reviews")
    op.drop_index(op.f("ix_care_plan_reviews_person_id"), table_name="care_plan_reviews")
    op.drop_table("care_plan_reviews")
    op.drop_index(op.f("ix_care_plan_reads_user_id"), table_name="care_plan_reads")
    op.drop_index("ix_care_plan_reads_person", table_name="care_plan_reads")
    op.drop_table("care_plan_reads")
    op.drop_index(op.f("ix_care_plan_comments_user_id"), table_name="care_plan_comments")
    op.drop_index(op.f("ix_care_plan_comments_person_id"), table_name="care_plan_comments")
    op.drop_table("care_plan_comments")
    op.drop_index(op.f("ix_care_team_members_user_id"), table_name="care_team_members")
    op.drop_table("care_team_members")
    op.drop_index(op.f("ix_care_people_user_id"), table_name="care_people")
    op.drop_index("ix_care_people_team", table_name="care_people")
    op.drop_index(op.f("ix_care_people_carer_user_id"), table_name="care_people")
    op.drop_table("care_people")
    op.drop_table("care_teams")
    op.drop_index(op.f("ix_care_survey_responses_user_id"), table_name="care_survey_responses")
    op.drop_index("ix_care_survey_responses_service", table_name="care_survey_responses")
    op.drop_table("care_survey_responses")
    op.drop_index(op.f("ix_care_stories_user_id"), table_name="care_stories")
    op.drop_index("ix_care_stories_enterprise_status", table_name="care_stories")
    op.drop_table("care_stories")
    op.drop_table("care_services")
    op.drop_index(op.f("ix_care_named_people_user_id"), table_name="care_named_people")
    op.drop_table("care_named_people")
    op.drop_table("care_enterprises")
    for name in ENUMS:
        sa.Enum(name=name).drop(op.get_bind(), checkfirst=True)
