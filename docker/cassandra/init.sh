#!/usr/bin/env bash
# The one-shot `cassandra-init` service: runs once Cassandra is healthy, then exits 0.
#   1. proves that authentication is really on (an anonymous login must be refused);
#   2. creates the configured user CASSANDRA_USERNAME / CASSANDRA_PASSWORD if it is not the admin, or
#      sets the admin's password if CASSANDRA_PASSWORD differs from it;
#   3. applies cql/*.cql in lexical order (the same files you can run by hand in cqlsh), with the
#      keyspace name spark_streams replaced by CASSANDRA_KEYSPACE when that differs.
# Safe to re-run: the CQL files use IF NOT EXISTS, roles are created IF NOT EXISTS.
set -euo pipefail
export LC_ALL=C

host="${CASSANDRA_HOST:-cassandra}"
port="${CASSANDRA_NATIVE_PORT:-9042}"
admin_user="${CASSANDRA_ADMIN_USERNAME:-cassandra}"
admin_pw="${CASSANDRA_ADMIN_PASSWORD:-cassandra}"
user="${CASSANDRA_USERNAME:-cassandra}"
pw="${CASSANDRA_PASSWORD:-cassandra}"
keyspace="${CASSANDRA_KEYSPACE:-spark_streams}"
default_keyspace="spark_streams"
cql_dir="${CQL_DIR:-/cql}"

log() { echo "cassandra-init: $*"; }
die() { echo "cassandra-init: ERROR: $*" >&2; exit 1; }
literal() { local s="${1//\'/\'\'}"; printf "'%s'" "$s"; }   # a CQL string literal
cql_as() { local u="$1" p="$2"; shift 2; cqlsh -u "$u" -p "$p" --request-timeout=60 "$host" "$port" "$@"; }
can_login() { cql_as "$1" "$2" -e 'SELECT release_version FROM system.local' >/dev/null 2>&1; }

[[ "$keyspace" =~ ^[A-Za-z][A-Za-z0-9_]{0,47}$ ]] || die "CASSANDRA_KEYSPACE='${keyspace}' is not a valid keyspace name"
shopt -s nullglob
files=("${cql_dir}"/*.cql)
[ "${#files[@]}" -gt 0 ] || die "no *.cql files in ${cql_dir} (the repository's cql/ directory is mounted there)"

# Who can log in? The configured user (a re-run), else the admin. Cassandra creates the default
# superuser a few seconds after it starts listening, so allow some time.
login_user="" login_pw=""
for _ in $(seq 1 "${CASSANDRA_INIT_TRIES:-60}"); do
  if can_login "$user" "$pw"; then login_user="$user" login_pw="$pw"; break; fi
  if can_login "$admin_user" "$admin_pw"; then login_user="$admin_user" login_pw="$admin_pw"; break; fi
  sleep 2
done
[ -n "$login_user" ] || die "cannot log in to ${host}:${port} as '${user}' nor as the admin '${admin_user}' (check CASSANDRA_PASSWORD / CASSANDRA_ADMIN_PASSWORD)"
log "logged in as '${login_user}'"

# 1. authentication must be enforced
anonymous="$(cqlsh --request-timeout=30 "$host" "$port" -e 'SELECT release_version FROM system.local' 2>&1 || true)"
if ! grep -qiE 'auth|credentials|password' <<<"$anonymous"; then
  die "an anonymous login was not refused: authentication is NOT enabled on ${host} (cqlsh said: ${anonymous})"
fi
log "authentication is enforced (anonymous login refused)"

# 2. the configured user
if [ "$user" != "$admin_user" ]; then
  if [ "$login_user" != "$user" ]; then
    cql_as "$login_user" "$login_pw" -e "CREATE ROLE IF NOT EXISTS $(literal "$user") WITH PASSWORD = $(literal "$pw") AND LOGIN = true;"
    cql_as "$login_user" "$login_pw" -e "ALTER ROLE $(literal "$user") WITH PASSWORD = $(literal "$pw") AND LOGIN = true;"
    log "role '${user}' ready"
  fi
elif [ "$login_user" = "$admin_user" ] && [ "$login_pw" != "$pw" ]; then
  cql_as "$login_user" "$login_pw" -e "ALTER ROLE $(literal "$user") WITH PASSWORD = $(literal "$pw");"
  log "password of '${user}' changed to CASSANDRA_PASSWORD"
fi
can_login "$user" "$pw" || die "the configured user '${user}' cannot log in after setup"

# 3. schema, in lexical order, as the configured user
for f in "${files[@]}"; do
  if [ "$keyspace" != "$default_keyspace" ]; then
    staged="$(mktemp --suffix=.cql)"
    sed "s/\\b${default_keyspace}\\b/${keyspace}/g" "$f" > "$staged"
    log "applying $(basename "$f") (keyspace ${default_keyspace} -> ${keyspace})"
    cql_as "$user" "$pw" -f "$staged"
    rm -f "$staged"
  else
    log "applying $(basename "$f")"
    cql_as "$user" "$pw" -f "$f"
  fi
done
cql_as "$user" "$pw" -e "DESCRIBE KEYSPACE ${keyspace};" >/dev/null || die "keyspace ${keyspace} does not exist after applying ${cql_dir}/*.cql"
log "done: keyspace ${keyspace} ready for '${user}'"
