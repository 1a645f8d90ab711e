"""Merge the residents register and youth rounds branches (built side by side).

Revision ID: e9a3c5d70f43
Revises: c5e1a7f30b21, d7f2b8e41c32
Create Date: 2026-11-22 17:00:00
"""

revision = "e9a3c5d70f43"
down_revision = ("c5e1a7f30b21", "d7f2b8e41c32")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
