#!/bin/sh
# Runs once, when the postgres container initialises an empty data volume,
# after roles.sql (mounted as 10-roles.sql): gives the two roles their
# passwords and creates the database, owned by rochdale_owner.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v owner_password="$ROCHDALE_OWNER_PASSWORD" \
    -v app_password="$ROCHDALE_APP_PASSWORD" <<'SQL'
ALTER ROLE rochdale_owner PASSWORD :'owner_password';
ALTER ROLE rochdale_app PASSWORD :'app_password';
CREATE DATABASE rochdale OWNER rochdale_owner;
SQL
