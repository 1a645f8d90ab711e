"""Merge the branches built side by side: trust schools, data rights, network benchmarking.

Revision ID: b7c8d9e0f1a2
Revises: b1c2d3e4f5a6, d3e4f5a6b7c8, f5a6b7c8d9e0
Create Date: 2026-11-22 21:00:00
"""

revision = "b7c8d9e0f1a2"
down_revision = ("b1c2d3e4f5a6", "d3e4f5a6b7c8", "f5a6b7c8d9e0")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
