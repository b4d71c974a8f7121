#!/usr/bin/env bash
# enable-auth.sh [CASSANDRA_YAML] — turns on password authentication in cassandra.yaml.
#
# The official cassandra image ignores CASSANDRA_USERNAME / CASSANDRA_PASSWORD and ships
# AllowAllAuthenticator: anyone can connect. This replaces the top-level `authenticator` setting
# (the 4.x scalar form and the 5.0 `class_name:` block alike) with PasswordAuthenticator. Cassandra then
# creates the default superuser cassandra/cassandra on first start; docker/cassandra/init.sh creates the
# configured user. Idempotent: a restarted container edits the file again to the same result.
set -euo pipefail

yaml="${1:-${CASSANDRA_CONF:-/etc/cassandra}/cassandra.yaml}"
authenticator="${CASSANDRA_AUTHENTICATOR:-org.apache.cassandra.auth.PasswordAuthenticator}"

if [ ! -f "$yaml" ]; then
  echo "enable-auth: ${yaml} not found (is this the official cassandra image?)" >&2
  exit 1
fi

tmp="$(mktemp)"
# Drop `authenticator:` at column 0 with the indented lines of its block (and our own marker line of an
# earlier run); keep everything else.
marker='# set by streamline docker/cassandra/enable-auth.sh'
awk -v marker="$marker" '
  $0 == marker { next }
  /^authenticator[[:space:]]*:/ { skip = 1; next }
  skip && /^[[:space:]]+[^[:space:]#]/ { next }
  { skip = 0; print }
' "$yaml" > "$tmp"
printf '%s\nauthenticator:\n  class_name: %s\n' "$marker" "$authenticator" >> "$tmp"
cat "$tmp" > "$yaml"   # keep the file's owner and mode
rm -f "$tmp"

count="$(grep -c '^authenticator[[:space:]]*:' "$yaml" || true)"
if [ "$count" != "1" ] || ! grep -A1 '^authenticator[[:space:]]*:' "$yaml" | grep -q "class_name: ${authenticator}\$"; then
  echo "enable-auth: could not set the authenticator in ${yaml}" >&2
  exit 1
fi
echo "enable-auth: ${yaml}: authenticator = ${authenticator}"
