"""Merge the billing branch, built beside the others.

Revision ID: d9e0f1a2b3c4
Revises: c8d9e0f1a2b3, e4f5a6b7c8d9
Create Date: 2026-11-22 21:20:00
"""

revision = "d9e0f1a2b3c4"
down_revision = ("c8d9e0f1a2b3", "e4f5a6b7c8d9")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
