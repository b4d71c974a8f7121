#!/usr/bin/env bash
# Entrypoint of the compose `cassandra` service: enable authentication, then hand over to the official
# image's own entrypoint (which drops to the cassandra user and applies its CASSANDRA_* settings).
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/enable-auth.sh"
exec docker-entrypoint.sh "$@"
