#!/usr/bin/env bash
# Healthcheck of the compose `cassandra` service: a CQL query with credentials succeeds. The configured
# user first (it exists once cassandra-init has run), else the admin (superuser) credentials. Note that
# with authentication on, a CQL login also proves the auth tables are ready.
set -uo pipefail
query='SELECT release_version FROM system.local'
ok() { cqlsh -u "$1" -p "$2" -e "$query" 127.0.0.1 "${CASSANDRA_NATIVE_PORT:-9042}" >/dev/null 2>&1; }
ok "${CASSANDRA_USERNAME:-cassandra}" "${CASSANDRA_PASSWORD:-cassandra}" \
  || ok "${CASSANDRA_ADMIN_USERNAME:-cassandra}" "${CASSANDRA_ADMIN_PASSWORD:-cassandra}"
