#!/usr/bin/env bash
# healthcheck.sh ROLE — compose healthcheck of the Spark image; bash built-ins only (/dev/tcp), since
# neither curl nor wget is guaranteed in the base images.
#   master   the master UI answers /json/ with status ALIVE
#   worker   the worker UI answers 200
#   connect  the Spark Connect gRPC port accepts connections (it opens only after the driver's
#            SparkContext has registered with the master)
set -uo pipefail

http_ok() { # port path [must-contain]
  local port="$1" path="$2" want="${3:-}" response
  exec 3<>"/dev/tcp/127.0.0.1/${port}" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
  response="$(cat <&3)"
  exec 3<&-
  [[ "${response%%$'\r'*}" =~ ^HTTP/1\.[01]\ 200 ]] || return 1
  [ -z "$want" ] || [[ "$response" == *"$want"* ]]
}

tcp_open() { # port
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  exec 3<&-
}

case "${1:-}" in
  master)  http_ok "${SPARK_MASTER_WEBUI_PORT:-8080}" /json/ '"ALIVE"' ;;
  worker)  http_ok "${SPARK_WORKER_WEBUI_PORT:-8082}" / ;;
  connect) tcp_open "${SPARK_CONNECT_PORT:-15002}" ;;
  *) echo "usage: healthcheck.sh master|worker|connect" >&2; exit 2 ;;
esac
