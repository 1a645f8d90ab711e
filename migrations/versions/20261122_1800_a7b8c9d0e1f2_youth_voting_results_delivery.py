"""Youth voting, results and delivery: neighbourhood ballots, commissions and delivery records.

Adds the round's vote settings and results announcement, floors and ceilings on
service types, and three council-scoped tables with forced RLS.

Revision ID: a7b8c9d0e1f2
Revises: e9a3c5d70f43
Create Date: 2026-11-22 18:00:00
"""

import sqlalchemy as sa
from alembic import op

from tenants.rls import disable_rls, enable_rls

TABLES = ("youth_ballots", "youth_commissions", "youth_delivery_records")

revision = "a7b8c9d0e1f2"
down_revision = "e9a3c5d70f43"
branch_labels = None
depends_on = None

VOTE_KIND = sa.Enum("pb", "approval", "division", name="youth_vote_kind")
COMMISSION_STATUS = sa.Enum("commissioned", "in_delivery", "delivered", "cancelled", name="youth_commission_status")


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
    bind = op.get_bind()
    VOTE_KIND.create(bind, checkfirst=True)
    op.add_column("youth_rounds", sa.Column("vote_kind", VOTE_KIND, nullable=True))
    op.add_column("youth_rounds", sa.Column("max_picks", sa.Integer(), nullable=True))
    op.add_column("youth_rounds", sa.Column("results_announced_at", sa.DateTime(timezone=True), nullable=True))
    # Extra headers of an outbound email (List-Unsubscribe on notifications).
    op.add_column("outbound_emails", sa.Column("headers", sa.JSON(), nullable=True))
    op.add_column("youth_service_types", sa.Column("floor_pence", sa.BigInteger(), nullable=True))
    op.add_column("youth_service_types", sa.Column("ceiling_pence", sa.BigInteger(), nullable=True))
    op.create_table(
        "youth_ballots",
        sa.Column("round_id", sa.BigInteger(), nullable=False),
        sa.Column("neighbourhood_id", sa.BigInteger(), nullable=False),
        sa.Column("ballot_id", sa.BigInteger(), nullable=False),
        *_keys("youth_ballots"),
        _council_fk("youth_ballots", "round_id", "youth_rounds", "CASCADE"),
        _council_fk("youth_ballots", "neighbourhood_id", "neighbourhoods", "CASCADE"),
        _council_fk("youth_ballots", "ballot_id", "voting_ballots", "CASCADE"),
        sa.UniqueConstraint(
            "council_id",
            "round_id",
            "neighbourhood_id",
            name=op.f("uq_youth_ballots_council_id_round_id_neighbourhood_id"),
        ),
    )
    op.create_table(
        "youth_commissions",
        sa.Column("round_id", sa.BigInteger(), nullable=False),
        sa.Column("proposal_id", sa.BigInteger(), nullable=False),
        sa.Column("provider_id", sa.BigInteger(), nullable=False),
        sa.Column("status", COMMISSION_STATUS, nullable=False),
        sa.Column("cancel_reason", sa.Text(), server_default="", nullable=False),
        *_keys("youth_commissions"),
        _council_fk("youth_commissions", "round_id", "youth_rounds", "CASCADE"),
        _council_fk("youth_commissions", "proposal_id", "youth_proposals", "CASCADE"),
        _council_fk("youth_commissions", "provider_id", "youth_providers", "RESTRICT"),
        sa.UniqueConstraint("council_id", "proposal_id", name=op.f("uq_youth_commissions_council_id_proposal_id")),
        sa.CheckConstraint(
            "status <> 'cancelled' OR cancel_reason <> ''", name=op.f("ck_youth_commissions_cancellation_has_reason")
        ),
    )
    op.create_index(op.f("ix_youth_commissions_round_id"), "youth_commissions", ["round_id"])
    op.create_table(
        "youth_delivery_records",
        sa.Column("commission_id", sa.BigInteger(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("attendance", sa.Integer(), nullable=False),
        *_keys("youth_delivery_records"),
        _council_fk("youth_delivery_records", "commission_id", "youth_commissions", "CASCADE"),
        sa.CheckConstraint("sessions > 0", name=op.f("ck_youth_delivery_records_sessions_positive")),
        sa.CheckConstraint("attendance >= 0", name=op.f("ck_youth_delivery_records_attendance_not_negative")),
    )
    op.create_index(op.f("ix_youth_delivery_records_commission_id"), "youth_delivery_records", ["commission_id"])
    for table in TABLES:
        enable_rls(op, table)


def downgrade():
    for table in reversed(TABLES):
        disable_rls(op, table)
    op.drop_index(op.f("ix_youth_delivery_records_commission_id"), table_name="youth_delivery_records")
    op.drop_index(op.f("ix_youth_commissions_round_id"), table_name="youth_commissions")
    for table in reversed(TABLES):
        op.drop_table(table)
    op.drop_column("outbound_emails", "headers")
    op.drop_column("youth_service_types", "ceiling_pence")
    op.drop_column("youth_service_types", "floor_pence")
    op.drop_column("youth_rounds", "results_announced_at")
    op.drop_column("youth_rounds", "max_picks")
    op.drop_column("youth_rounds", "vote_kind")
    bind = op.get_bind()
    COMMISSION_STATUS.drop(bind, checkfirst=True)
    VOTE_KIND.drop(bind, checkfirst=True)
