-- Database roles for Rochdale. Run once per PostgreSQL cluster as a superuser:
--   psql "$SUPERUSER_URL" -f deploy/roles.sql
-- then create the database owned by rochdale_owner:
--   CREATE DATABASE rochdale OWNER rochdale_owner;
--
-- rochdale_owner owns the schema and runs migrations (`rochdale db upgrade`).
-- rochdale_app is what the web app and the workers connect as: it owns no
-- table, is not a superuser and cannot bypass row-level security, so the
-- council policies apply to every query it makes. Its table privileges are
-- granted by the migrations (ALTER DEFAULT PRIVILEGES), not here.
-- Set passwords separately (ALTER ROLE ... PASSWORD) where the server is not
-- on trust or peer authentication.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rochdale_owner') THEN
        CREATE ROLE rochdale_owner LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rochdale_app') THEN
        CREATE ROLE rochdale_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
END
$$;

-- Re-assert the attributes in case the roles existed with others.
ALTER ROLE rochdale_owner NOSUPERUSER NOCREATEROLE NOBYPASSRLS;
ALTER ROLE rochdale_app NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
