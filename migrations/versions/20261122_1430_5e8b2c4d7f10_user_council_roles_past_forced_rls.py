"""Make ``user_council_roles`` see through forced row-level security.

``council_roles`` has FORCE ROW LEVEL SECURITY, which binds its owner too, and
the owner role has no BYPASSRLS: the first version of this SECURITY DEFINER
function therefore saw no rows at all. This version visits each council in
turn, setting ``app.council_id`` for it, and returns only the given person's
council ids and roles. It puts the caller's setting back before returning (on
an error the transaction aborts, which undoes the setting anyway).

Revision ID: 5e8b2c4d7f10
Revises: a3d9f0c2b718
Create Date: 2026-11-22 14:30:00
"""

import os

from alembic import op

revision = "5e8b2c4d7f10"
down_revision = "a3d9f0c2b718"
branch_labels = None
depends_on = None

APP_ROLE = os.environ.get("ROCHDALE_APP_ROLE", "rochdale_app")


def upgrade():
    op.execute(
        """
        CREATE OR REPLACE FUNCTION user_council_roles(p_user_id bigint)
        RETURNS TABLE (council_id bigint, role council_role)
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = public, pg_temp
        AS $$
        DECLARE
            previous text := coalesce(current_setting('app.council_id', true), '');
            c_id bigint;
        BEGIN
            FOR c_id IN SELECT id FROM councils ORDER BY id LOOP
                PERFORM set_config('app.council_id', c_id::text, true);
                RETURN QUERY SELECT r.council_id, r.role FROM council_roles r WHERE r.user_id = p_user_id;
            END LOOP;
            PERFORM set_config('app.council_id', previous, true);
        END
        $$
        """
    )


def downgrade():
    op.execute("DROP FUNCTION IF EXISTS user_council_roles(bigint)")
    op.execute(
        """
        CREATE FUNCTION user_council_roles(p_user_id bigint)
        RETURNS TABLE (council_id bigint, role council_role)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
        AS $$ SELECT council_id, role FROM council_roles WHERE user_id = p_user_id $$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION user_council_roles(bigint) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION user_council_roles(bigint) TO {APP_ROLE}")
