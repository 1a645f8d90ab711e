"""Merge the letters/verification, youth voting and priorities branches (built side by side).

Revision ID: c0d1e2f3a4b5
Revises: b3c4d5e6f7a8, f1a2b3c4d5e6, a7b8c9d0e1f2
Create Date: 2026-11-22 18:30:00
"""

revision = "c0d1e2f3a4b5"
down_revision = ("b3c4d5e6f7a8", "f1a2b3c4d5e6", "a7b8c9d0e1f2")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
