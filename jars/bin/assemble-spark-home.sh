#!/usr/bin/env bash
# assemble-spark-home.sh DIST_JARS CONNECTORS_DIR SPARK_HOME [EXTRA_JAR...]
#
# The local stack's SPARK_HOME: the Spark distribution's jars (the `pyspark` wheel of the same version
# ships them: the very jars of the official image) plus the connector set, so that every local test
# runs on exactly the classpath docker/spark/Dockerfile builds. EXTRA_JARs are local-only additions
# (connect-guard). Distribution jars are linked, not copied: 250 jars, ~400 MB.
set -euo pipefail

if [ "$#" -lt 3 ]; then
  echo "usage: assemble-spark-home.sh DIST_JARS CONNECTORS_DIR SPARK_HOME [EXTRA_JAR...]" >&2
  exit 2
fi
dist="$1" connectors="$2" home="$3"
shift 3
for d in "$dist" "$connectors"; do
  [ -d "$d" ] || { echo "assemble-spark-home: $d is not a directory" >&2; exit 1; }
done

rm -rf "$home"
mkdir -p "$home/jars"
dist_abs="$(cd "$dist" && pwd)"
for f in "$dist_abs"/*.jar; do ln -s "$f" "$home/jars/"; done
cp "$connectors"/*.jar "$home/jars/"
for extra in "$@"; do cp "$extra" "$home/jars/"; done
echo "assemble-spark-home: $home/jars = $(find "$dist_abs" -maxdepth 1 -name '*.jar' | wc -l) distribution jars + $(find "$connectors" -maxdepth 1 -name '*.jar' | wc -l) connectors + $# local"
