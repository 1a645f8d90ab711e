"""Merge the care social enterprises branch, built beside the others.

Revision ID: c8d9e0f1a2b3
Revises: b7c8d9e0f1a2, c2d3e4f5a6b7
Create Date: 2026-11-22 21:10:00
"""

revision = "c8d9e0f1a2b3"
down_revision = ("b7c8d9e0f1a2", "c2d3e4f5a6b7")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
