"""Network benchmarking: a council's own figures, sharing choices and peer group (council-scoped,
forced RLS), and the published figures every council may read (global).

``benchmark_published`` has no ``council_id``: every council reads it. Its own
policies let anyone read it and a council insert, change or delete only the
rows it published itself (``publisher_id`` = the current council).

Revision ID: f5a6b7c8d9e0
Revises: a0b1c2d3e4f5
Create Date: 2026-11-22 20:40:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants.rls import SETTING, disable_rls, enable_rls

revision = "f5a6b7c8d9e0"
down_revision = "a0b1c2d3e4f5"
branch_labels = None
depends_on = None

COUNCIL_TABLES = ("benchmark_figures", "benchmark_sharing", "benchmark_peers")
PUBLISHER = f"publisher_id = NULLIF(current_setting('{SETTING}', true), '')::bigint"

visibility = postgresql.ENUM("private", "network", "public", name="benchmark_visibility", create_type=False)
source = postgresql.ENUM("computed", "uploaded", name="benchmark_figure_source", create_type=False)


def _council_columns(table: str) -> list:
    return [
        sa.Column("council_id", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f(f"fk_{table}_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name=op.f(f"pk_{table}")),
    ]


def _timestamps() -> list:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def upgrade():
    visibility.create(op.get_bind(), checkfirst=False)
    source.create(op.get_bind(), checkfirst=False)
    op.create_table(
        "benchmark_figures",
        sa.Column("metric_code", sa.String(length=60), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("source", source, nullable=False),
        *_council_columns("benchmark_figures"),
        *_timestamps(),
        sa.UniqueConstraint(
            "council_id",
            "metric_code",
            "period_start",
            name=op.f("uq_benchmark_figures_council_id_metric_code_period_start"),
        ),
    )
    op.create_table(
        "benchmark_sharing",
        sa.Column("metric_code", sa.String(length=60), nullable=False),
        sa.Column("visibility", visibility, nullable=False),
        sa.Column("embargo_until", sa.Date(), nullable=True),
        *_council_columns("benchmark_sharing"),
        *_timestamps(),
        sa.UniqueConstraint("council_id", "metric_code", name=op.f("uq_benchmark_sharing_council_id_metric_code")),
    )
    op.create_table(
        "benchmark_peers",
        sa.Column("peer_council_id", sa.BigInteger(), nullable=False),
        *_council_columns("benchmark_peers"),
        sa.ForeignKeyConstraint(
            ["peer_council_id"],
            ["councils.id"],
            name=op.f("fk_benchmark_peers_peer_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "council_id", "peer_council_id", name=op.f("uq_benchmark_peers_council_id_peer_council_id")
        ),
    )
    op.create_table(
        "benchmark_published",
        sa.Column("publisher_id", sa.BigInteger(), nullable=False),
        sa.Column("metric_code", sa.String(length=60), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("visibility", visibility, nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("suppressed", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("visibility <> 'private'", name=op.f("ck_benchmark_published_never_private")),
        sa.CheckConstraint("suppressed = (value IS NULL)", name=op.f("ck_benchmark_published_suppressed_has_no_value")),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["councils.id"],
            name=op.f("fk_benchmark_published_publisher_id_councils"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("publisher_id", "metric_code", "period_start", name=op.f("pk_benchmark_published")),
    )
    op.create_index(
        "ix_benchmark_published_metric_period",
        "benchmark_published",
        ["metric_code", "period_start"],
        unique=False,
        postgresql_include=["publisher_id", "visibility", "value"],
    )
    for table in COUNCIL_TABLES:
        enable_rls(op, table)
    op.execute('ALTER TABLE "benchmark_published" ENABLE ROW LEVEL SECURITY')
    op.execute('ALTER TABLE "benchmark_published" FORCE ROW LEVEL SECURITY')
    op.execute('CREATE POLICY anyone_reads ON "benchmark_published" FOR SELECT USING (true)')
    op.execute(f'CREATE POLICY publisher_inserts ON "benchmark_published" FOR INSERT WITH CHECK ({PUBLISHER})')
    op.execute(
        f'CREATE POLICY publisher_updates ON "benchmark_published" FOR UPDATE USING ({PUBLISHER}) WITH CHECK ({PUBLISHER})'
    )
    op.execute(f'CREATE POLICY publisher_deletes ON "benchmark_published" FOR DELETE USING ({PUBLISHER})')


def downgrade():
    op.drop_index("ix_benchmark_published_metric_period", table_name="benchmark_published")
    op.drop_table("benchmark_published")
    for table in COUNCIL_TABLES:
        disable_rls(op, table)
    op.drop_table("benchmark_peers")
    op.drop_table("benchmark_sharing")
    op.drop_table("benchmark_figures")
    source.drop(op.get_bind(), checkfirst=False)
    visibility.drop(op.get_bind(), checkfirst=False)
