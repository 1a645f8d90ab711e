"""Merge the governance core branches built side by side: general meetings, elections, housing co-operatives.

Revision ID: a0b1c2d3e4f5
Revises: 6c7d8e9f0a1b, 7d8e9f0a1b2c, 8e9f0a1b2c3d
Create Date: 2026-11-22 19:55:00
"""

revision = "a0b1c2d3e4f5"
down_revision = ("6c7d8e9f0a1b", "7d8e9f0a1b2c", "8e9f0a1b2c3d")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
