"""T-1.3: the database catalog proves row-level security guards every council table.

Read from ``pg_catalog`` of the migrated test database, so it checks what the
migrations really built, not what the models say. A new table with a
``council_id`` must have forced RLS and the council policy; a new table without
one must be added to ``GLOBAL_TABLES`` below with the reason it belongs to no
council.
"""

from __future__ import annotations

import pytest

from app import provision
from tests.fixtures.tenancy import council_scoped_models

SETTING = "app.council_id"

# Tables with no council_id, and why each is global.
GLOBAL_TABLES: dict[str, str] = {
    "alembic_version": "the schema version, written by migrations only",
    "councils": "the tenants themselves; a council's name, type and region are public",
    "users": "sign-in identities: one person can belong to several councils",
    "password_reset_tokens": "belong to a person, not a council (hashes only)",
    "job_outbox": "the dispatcher re-sends every council's jobs; ids and primitives only",
    "outbound_emails": "password resets belong to no council; bodies cleared once sent",
    "benchmark_published": "benchmarking figures councils chose to share, after disclosure control; every council "
    "reads them, and its own RLS policies let a council write only its own rows (publisher_id)",
    "billing_plans": "the platform's price list, the same for every council",
    "stripe_events": "Stripe's webhook names no council: event ids, types and customer ids only, no payload",
}

# SECURITY DEFINER functions run as their owner, past RLS: each must be narrow, and listed here.
SECURITY_DEFINER_FUNCTIONS: dict[str, str] = {
    "user_council_roles": "a person's own memberships (council id and role) for the council picker",
    "billing_council_of_customer": "the Stripe webhook's only global question: one council id for a customer id",
}


@pytest.fixture
def catalog(app, owner_conn):
    """The schema owner's connection to the migrated test database (``app`` runs the migrations)."""
    return owner_conn


def _council_tables(conn) -> set[str]:
    rows = conn.execute(
        """
        SELECT c.relname FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'council_id' AND NOT a.attisdropped
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        """
    )
    return {r[0] for r in rows}


def _all_tables(conn) -> set[str]:
    rows = conn.execute(
        """
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        """
    )
    return {r[0] for r in rows}


def test_every_council_table_forces_row_level_security(catalog):
    tables = _council_tables(catalog)
    assert tables, "no council tables found: is the database migrated?"
    rows = catalog.execute(
        """
        SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname = ANY(%s)
        """,
        (sorted(tables),),
    ).fetchall()
    weak = [name for name, enabled, forced in rows if not (enabled and forced)]
    assert not weak, f"council tables without ENABLE and FORCE ROW LEVEL SECURITY: {sorted(weak)}"


def test_every_council_table_has_the_council_policy(catalog):
    problems = []
    for table in sorted(_council_tables(catalog)):
        policies = catalog.execute(
            "SELECT policyname, permissive, roles, cmd, qual, with_check FROM pg_policies "
            "WHERE schemaname = 'public' AND tablename = %s",
            (table,),
        ).fetchall()
        if not policies:
            problems.append(f"{table}: no policy")
            continue
        complete = [
            p
            for p in policies
            if p[1] == "PERMISSIVE"
            and p[3] == "ALL"
            and p[4]
            and p[5]
            and SETTING in p[4]
            and SETTING in p[5]
            and "council_id" in p[4]
            and "council_id" in p[5]
        ]
        if not complete:
            problems.append(f"{table}: no policy for ALL commands with USING and WITH CHECK on {SETTING}: {policies}")
        # A second permissive policy would widen access (permissive policies are OR-ed).
        if len([p for p in policies if p[1] == "PERMISSIVE"]) > 1:
            problems.append(f"{table}: more than one permissive policy: {[p[0] for p in policies]}")
    assert not problems, "\n".join(problems)


def test_every_council_model_is_a_guarded_council_table(catalog):
    tables = _council_tables(catalog)
    unguarded = sorted(m.__table__.name for m in council_scoped_models() if m.__table__.name not in tables)
    assert not unguarded, f"CouncilScoped models whose table is missing or has no council_id: {unguarded}"


def test_council_id_leads_the_primary_key_of_every_council_table(catalog):
    problems = []
    for table in sorted(_council_tables(catalog)):
        row = catalog.execute(
            """
            SELECT array_agg(a.attname ORDER BY k.ord) FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
            WHERE c.relname = %s AND i.indisprimary
            """,
            (table,),
        ).fetchone()
        if not row or not row[0] or row[0][0] != "council_id":
            problems.append(f"{table}: primary key {row[0] if row else None}")
    assert not problems, f"council tables whose primary key does not start with council_id: {problems}"


def test_foreign_keys_between_council_tables_carry_council_id(catalog):
    tables = _council_tables(catalog)
    rows = catalog.execute(
        """
        SELECT src.relname, dst.relname, con.conname,
               (SELECT array_agg(a.attname) FROM pg_attribute a
                 WHERE a.attrelid = con.conrelid AND a.attnum = ANY(con.conkey))
        FROM pg_constraint con
        JOIN pg_class src ON src.oid = con.conrelid
        JOIN pg_class dst ON dst.oid = con.confrelid
        JOIN pg_namespace n ON n.oid = src.relnamespace
        WHERE con.contype = 'f' AND n.nspname = 'public'
        """
    ).fetchall()
    bad = [
        f"{src} -> {dst} ({name}: {cols})"
        for src, dst, name, cols in rows
        if src in tables and dst in tables and "council_id" not in cols
    ]
    assert not bad, f"foreign keys between council tables without council_id (could cross councils): {bad}"


def test_global_tables_are_each_justified(catalog):
    global_tables = _all_tables(catalog) - _council_tables(catalog)
    unjustified = sorted(global_tables - set(GLOBAL_TABLES))
    assert not unjustified, (
        f"tables without council_id must be listed in GLOBAL_TABLES with the reason they are global: {unjustified}"
    )
    stale = sorted(set(GLOBAL_TABLES) - global_tables)
    assert not stale, f"GLOBAL_TABLES lists tables that are gone or now have council_id: {stale}"


def test_app_role_cannot_bypass_row_level_security(catalog):
    row = catalog.execute(
        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = %s",
        (provision.APP_ROLE,),
    ).fetchone()
    assert row is not None, f"role {provision.APP_ROLE} does not exist"
    superuser, bypass, createrole, createdb = row
    assert not superuser and not bypass and not createrole and not createdb


def test_app_role_owns_nothing(catalog):
    owned = catalog.execute(
        """
        SELECT 'relation ' || c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
          WHERE r.rolname = %(role)s
        UNION ALL
        SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner
          WHERE r.rolname = %(role)s
        UNION ALL
        SELECT 'schema ' || s.nspname FROM pg_namespace s JOIN pg_roles r ON r.oid = s.nspowner
          WHERE r.rolname = %(role)s
        """,
        {"role": provision.APP_ROLE},
    ).fetchall()
    assert not owned, f"{provision.APP_ROLE} owns objects (owners bypass RLS unless forced): {owned}"


def test_app_role_is_not_a_member_of_privileged_roles(catalog):
    rows = catalog.execute(
        """
        SELECT g.rolname FROM pg_auth_members m
        JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
        WHERE u.rolname = %s
        """,
        (provision.APP_ROLE,),
    ).fetchall()
    assert not rows, f"{provision.APP_ROLE} inherits from {rows}: it could gain the owner's rights"


def test_no_views_that_could_bypass_row_level_security(catalog):
    """Views run as their owner unless security_invoker; none may expose council rows."""
    rows = catalog.execute(
        """
        SELECT c.relname, coalesce(c.reloptions, '{}') FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')
        """
    ).fetchall()
    bad = [name for name, options in rows if "security_invoker=true" not in options]
    assert not bad, f"views without security_invoker=true (they would read as the owner): {bad}"


def test_security_definer_functions_are_listed(catalog):
    rows = catalog.execute(
        """
        SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.prosecdef
        """
    ).fetchall()
    found = {r[0] for r in rows}
    unlisted = sorted(found - set(SECURITY_DEFINER_FUNCTIONS))
    assert not unlisted, (
        f"SECURITY DEFINER functions run past RLS; justify them in SECURITY_DEFINER_FUNCTIONS: {unlisted}"
    )
    stale = sorted(set(SECURITY_DEFINER_FUNCTIONS) - found)
    assert not stale, f"SECURITY_DEFINER_FUNCTIONS lists functions that are gone: {stale}"


def test_app_connects_as_the_app_role(app):
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("SELECT current_user")).scalar() == provision.APP_ROLE
