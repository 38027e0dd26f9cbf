#!/usr/bin/env bash
# docker-compose.yml: the Postgres container runs this once, when it initialises its data volume
# (/docker-entrypoint-initdb.d). Per service: the schema's owner `tally_<service>_owner` (migrations),
# the NOLOGIN `tally_<service>_app` its migrations grant to, and the login role `tally_<service>`
# (the service) in it. Passwords come from the environment (TALLY_DB_<SERVICE>_PASSWORD,
# TALLY_DB_<SERVICE>_OWNER_PASSWORD); docs/security.md, "Postgres roles". The same as
# provisionServiceRoles in libs/database, which the local stack and the tests use.
set -euo pipefail
for service in gateway identity ledger fraud analytics notification; do
  upper="${service^^}"
  login_var="TALLY_DB_${upper}_PASSWORD"
  owner_var="TALLY_DB_${upper}_OWNER_PASSWORD"
  : "${!login_var:?set $login_var}" "${!owner_var:?set $owner_var}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v service="$service" -v login_password="${!login_var}" -v owner_password="${!owner_var}" <<'SQL'
SELECT format('tally_%s', :'service') AS login, format('tally_%s_owner', :'service') AS owner, format('tally_%s_app', :'service') AS app \gset
CREATE ROLE :"app" NOLOGIN;
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE :"login" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE IN ROLE :"app" PASSWORD :'login_password';
CREATE SCHEMA :"service" AUTHORIZATION :"owner";
SQL
done
