#!/usr/bin/env bash
# Image build step (runs as root in docker/spark/Dockerfile): puts the Connect server and connector jars
# into the base image's $SPARK_HOME/jars — the classpath of the driver AND of every executor, since
# master, workers and Connect server run this same image — then refuses the image if the result mixes
# Scala binary versions or Spark versions (preflight-jars.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
connectors="${STREAMLINE_CONNECTORS:-/opt/streamline/connectors}"

if [ -z "${SPARK_HOME:-}" ] || [ ! -d "${SPARK_HOME}/jars" ]; then
  echo "install-connectors: the base image must set SPARK_HOME to a Spark distribution (SPARK_HOME='${SPARK_HOME:-}')." >&2
  echo "install-connectors: use an image such as apache/spark:<version>-scala2.12-java17-ubuntu (see docker/spark/Dockerfile)." >&2
  exit 1
fi
shopt -s nullglob
added=("${connectors}"/*.jar)
if [ "${#added[@]}" -eq 0 ]; then
  echo "install-connectors: no jars in ${connectors}: the Maven stage did not produce jars/target/connectors." >&2
  exit 1
fi

echo "install-connectors: adding ${#added[@]} jars to ${SPARK_HOME}/jars"
cp -f "${added[@]}" "${SPARK_HOME}/jars/"
bash "${here}/preflight-jars.sh" "${SPARK_HOME}/jars" "${connectors}"
