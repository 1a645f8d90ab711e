"""Youth service choices: rounds, neighbourhood budgets, providers, the service catalogue and proposals.

Every table is council-scoped with forced RLS.

Revision ID: d7f2b8e41c32
Revises: b41c7e2d9a05
Create Date: 2026-11-22 16:00:00
"""

import sqlalchemy as sa
from alembic import op

from tenants.rls import disable_rls, enable_rls

TABLES = ("youth_rounds", "youth_budgets", "youth_providers", "youth_service_types", "youth_proposals")

revision = "d7f2b8e41c32"
down_revision = "b41c7e2d9a05"
branch_labels = None
depends_on = None

PHASE = sa.Enum("upcoming", "proposals", "review", "voting", "results", "delivery", name="youth_phase")
STATUS = sa.Enum("submitted", "accepted", "rejected", name="youth_proposal_status")


def _keys(table: str) -> list:
    return [
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f(f"fk_{table}_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f(f"pk_{table}")),
    ]


def _council_fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["council_id", column],
        [f"{target}.council_id", f"{target}.id"],
        name=op.f(f"fk_{table}_council_id_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade():
    op.create_table(
        "youth_rounds",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("proposals_open_on", sa.Date(), nullable=False),
        sa.Column("review_opens_on", sa.Date(), nullable=False),
        sa.Column("voting_opens_on", sa.Date(), nullable=False),
        sa.Column("results_on", sa.Date(), nullable=False),
        sa.Column("delivery_on", sa.Date(), nullable=False),
        sa.Column("phase_override", PHASE, nullable=True),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("max_age", sa.Integer(), nullable=True),
        *_keys("youth_rounds"),
        sa.CheckConstraint(
            "proposals_open_on <= review_opens_on AND review_opens_on <= voting_opens_on"
            " AND voting_opens_on <= results_on AND results_on <= delivery_on",
            name=op.f("ck_youth_rounds_phase_order"),
        ),
        sa.CheckConstraint(
            "min_age IS NULL OR (min_age >= 0 AND min_age <= 120)", name=op.f("ck_youth_rounds_min_age_range")
        ),
        sa.CheckConstraint(
            "max_age IS NULL OR (max_age >= 0 AND max_age <= 120)", name=op.f("ck_youth_rounds_max_age_range")
        ),
        sa.CheckConstraint(
            "min_age IS NULL OR max_age IS NULL OR min_age <= max_age", name=op.f("ck_youth_rounds_age_order")
        ),
    )
    op.create_table(
        "youth_budgets",
        sa.Column("round_id", sa.BigInteger(), nullable=False),
        sa.Column("neighbourhood_id", sa.BigInteger(), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        *_keys("youth_budgets"),
        _council_fk("youth_budgets", "round_id", "youth_rounds", "CASCADE"),
        _council_fk("youth_budgets", "neighbourhood_id", "neighbourhoods", "CASCADE"),
        sa.UniqueConstraint(
            "council_id",
            "round_id",
            "neighbourhood_id",
            name=op.f("uq_youth_budgets_council_id_round_id_neighbourhood_id"),
        ),
        sa.CheckConstraint("amount_pence >= 0", name=op.f("ck_youth_budgets_amount_not_negative")),
    )
    op.create_table(
        "youth_providers",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=254), server_default="", nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        *_keys("youth_providers"),
        sa.UniqueConstraint("council_id", "name", name=op.f("uq_youth_providers_council_id_name")),
    )
    op.create_table(
        "youth_service_types",
        sa.Column("round_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("provider_id", sa.BigInteger(), nullable=True),
        sa.Column("unit_cost_pence", sa.BigInteger(), nullable=False),
        *_keys("youth_service_types"),
        _council_fk("youth_service_types", "round_id", "youth_rounds", "CASCADE"),
        _council_fk("youth_service_types", "provider_id", "youth_providers", "SET NULL"),
        sa.UniqueConstraint(
            "council_id", "round_id", "name", name=op.f("uq_youth_service_types_council_id_round_id_name")
        ),
        sa.CheckConstraint("unit_cost_pence >= 0", name=op.f("ck_youth_service_types_unit_cost_not_negative")),
    )
    op.create_table(
        "youth_proposals",
        sa.Column("round_id", sa.BigInteger(), nullable=False),
        sa.Column("neighbourhood_id", sa.BigInteger(), nullable=False),
        sa.Column("service_type_id", sa.BigInteger(), nullable=False),
        sa.Column("proposer_id", sa.BigInteger(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=500), nullable=False),
        sa.Column("sessions_wanted", sa.Integer(), nullable=False),
        sa.Column("status", STATUS, nullable=False),
        sa.Column("decision_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("feasibility", sa.Text(), server_default="", nullable=False),
        sa.Column("estimated_sessions", sa.Integer(), nullable=True),
        sa.Column("unit_cost_pence", sa.BigInteger(), nullable=True),
        sa.Column("decided_by_id", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        *_keys("youth_proposals"),
        _council_fk("youth_proposals", "round_id", "youth_rounds", "CASCADE"),
        _council_fk("youth_proposals", "neighbourhood_id", "neighbourhoods", "RESTRICT"),
        _council_fk("youth_proposals", "service_type_id", "youth_service_types", "RESTRICT"),
        sa.ForeignKeyConstraint(
            ["proposer_id"], ["users.id"], name=op.f("fk_youth_proposals_proposer_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_youth_proposals_decided_by_id_users"), ondelete="SET NULL"
        ),
        sa.CheckConstraint("sessions_wanted > 0", name=op.f("ck_youth_proposals_sessions_wanted_positive")),
        sa.CheckConstraint(
            "estimated_sessions IS NULL OR estimated_sessions > 0",
            name=op.f("ck_youth_proposals_estimated_sessions_positive"),
        ),
        sa.CheckConstraint(
            "unit_cost_pence IS NULL OR unit_cost_pence >= 0", name=op.f("ck_youth_proposals_unit_cost_not_negative")
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR decision_reason <> ''", name=op.f("ck_youth_proposals_rejection_has_reason")
        ),
    )
    op.create_index(op.f("ix_youth_proposals_round_id"), "youth_proposals", ["round_id"])
    op.create_index(op.f("ix_youth_proposals_proposer_id"), "youth_proposals", ["proposer_id"])
    for table in TABLES:
        enable_rls(op, table)


def downgrade():
    for table in reversed(TABLES):
        disable_rls(op, table)
    op.drop_index(op.f("ix_youth_proposals_proposer_id"), table_name="youth_proposals")
    op.drop_index(op.f("ix_youth_proposals_round_id"), table_name="youth_proposals")
    for table in ("youth_proposals", "youth_service_types", "youth_providers", "youth_budgets", "youth_rounds"):
        op.drop_table(table)
    STATUS.drop(op.get_bind(), checkfirst=True)
    PHASE.drop(op.get_bind(), checkfirst=True)
