"""Residents: the register of eligible residents, the postcode lookup, imports, profiles and consents.

Every table is council-scoped with forced RLS.

Revision ID: c5e1a7f30b21
Revises: b41c7e2d9a05
Create Date: 2026-11-22 16:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants.rls import disable_rls, enable_rls

revision = "c5e1a7f30b21"
down_revision = "b41c7e2d9a05"
branch_labels = None
depends_on = None

TABLES = ("resident_register", "postcode_neighbourhoods", "register_imports", "resident_profiles", "resident_consents")
ENUMS = (
    "register_import_kind",
    "register_import_mode",
    "register_import_status",
    "resident_verification_method",
    "resident_consent_kind",
)


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


def _neighbourhood(table, ondelete):
    return sa.ForeignKeyConstraint(
        ["council_id", "neighbourhood_id"],
        ["neighbourhoods.council_id", "neighbourhoods.id"],
        name=f"fk_{table}_neighbourhood",
        ondelete=ondelete,
    )


def upgrade():
    op.create_table(
        "resident_register",
        *_key(),
        sa.Column("reference", sa.String(60), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.String(500), nullable=False),
        sa.Column("postcode", sa.String(8), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("neighbourhood_id", sa.BigInteger(), nullable=False),
        *_stamps(),
        _council("resident_register"),
        _neighbourhood("resident_register", "RESTRICT"),
        sa.PrimaryKeyConstraint("council_id", "id", name="pk_resident_register"),
        sa.UniqueConstraint("council_id", "reference", name="uq_resident_register_council_id_reference"),
    )
    op.create_index("ix_resident_register_council_id_postcode", "resident_register", ["council_id", "postcode"])
    op.create_index(
        "ix_resident_register_council_id_neighbourhood_id", "resident_register", ["council_id", "neighbourhood_id"]
    )

    op.create_table(
        "postcode_neighbourhoods",
        *_key(),
        sa.Column("postcode", sa.String(8), nullable=False),
        sa.Column("neighbourhood_id", sa.BigInteger(), nullable=False),
        *_stamps(),
        _council("postcode_neighbourhoods"),
        _neighbourhood("postcode_neighbourhoods", "CASCADE"),
        sa.PrimaryKeyConstraint("council_id", "id", name="pk_postcode_neighbourhoods"),
        sa.UniqueConstraint("council_id", "postcode", name="uq_postcode_neighbourhoods_council_id_postcode"),
    )

    op.create_table(
        "register_imports",
        *_key(),
        sa.Column("kind", postgresql.ENUM("register", "postcodes", name="register_import_kind"), nullable=False),
        sa.Column("mode", postgresql.ENUM("replace", "upsert", name="register_import_mode"), nullable=False),
        sa.Column(
            "status",
            postgresql.ENUM("queued", "running", "rejected", "finished", "failed", name="register_import_status"),
            nullable=False,
        ),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("job_id", sa.String(200), nullable=False),
        sa.Column("uploaded_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.Column("added", sa.Integer(), nullable=True),
        sa.Column("updated", sa.Integer(), nullable=True),
        sa.Column("unchanged", sa.Integer(), nullable=True),
        sa.Column("removed", sa.Integer(), nullable=True),
        sa.Column("problem_count", sa.Integer(), nullable=True),
        sa.Column("problems", postgresql.JSONB(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        *_stamps(),
        _council("register_imports"),
        sa.ForeignKeyConstraint(
            ["uploaded_by_user_id"],
            ["users.id"],
            name="fk_register_imports_uploaded_by_user_id_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name="pk_register_imports"),
    )

    op.create_table(
        "resident_profiles",
        *_key(),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("neighbourhood_id", sa.BigInteger(), nullable=True),
        sa.Column("register_entry_id", sa.BigInteger(), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "verified_how",
            postgresql.ENUM("letter_code", "in_person", name="resident_verification_method"),
            nullable=True,
        ),
        sa.Column("verified_by_user_id", sa.BigInteger(), nullable=True),
        *_stamps(),
        _council("resident_profiles"),
        _neighbourhood("resident_profiles", "RESTRICT"),
        sa.ForeignKeyConstraint(
            ["council_id", "register_entry_id"],
            ["resident_register.council_id", "resident_register.id"],
            name="fk_resident_profiles_register_entry",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_resident_profiles_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_user_id"],
            ["users.id"],
            name="fk_resident_profiles_verified_by_user_id_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name="pk_resident_profiles"),
        sa.UniqueConstraint("council_id", "user_id", name="uq_resident_profiles_council_id_user_id"),
    )

    op.create_table(
        "resident_consents",
        *_key(),
        sa.Column("profile_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "kind", postgresql.ENUM("terms", "contact", "parental", name="resident_consent_kind"), nullable=False
        ),
        sa.Column("wording_version", sa.String(40), nullable=False),
        sa.Column("given_by_name", sa.String(200), nullable=True),
        sa.Column("recorded_by_user_id", sa.BigInteger(), nullable=True),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        _council("resident_consents"),
        sa.ForeignKeyConstraint(
            ["council_id", "profile_id"],
            ["resident_profiles.council_id", "resident_profiles.id"],
            name="fk_resident_consents_profile",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["users.id"],
            name="fk_resident_consents_recorded_by_user_id_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("council_id", "id", name="pk_resident_consents"),
    )
    op.create_index("ix_resident_consents_council_id_profile_id", "resident_consents", ["council_id", "profile_id"])

    for table in TABLES:
        enable_rls(op, table)


def downgrade():
    for table in reversed(TABLES):
        disable_rls(op, table)
        op.drop_table(table)
    for name in ENUMS:
        op.execute(f"DROP TYPE IF EXISTS {name}")
