#!/usr/bin/env bash
# preflight-jars.sh JARS_DIR [ADDED_DIR]
#
# Refuses a Spark jars directory that would fail at run time with errors far from their cause:
#   1. jars of more than one Scala binary version (_2.12 next to _2.13): the #1 failure of the Python
#      tutorials, `NoClassDefFoundError: scala/$less$colon$less` at the first query;
#   2. scala-library of another binary version than the _2.xx jars;
#   3. Apache Spark modules of more than one version (a base image's spark-core 3.5.6 under a
#      spark-connect 3.5.7 built from jars/pom.xml);
#   4. two versions of the same artifact where one of them was added from ADDED_DIR (the connectors):
#      which class wins would depend on classpath order.
# Third-party jars whose names start with spark- are not Apache Spark modules: STREAMLINE_THIRD_PARTY
# (an extended regex, default: the Cassandra connector) names them.
# Exit status 0 = clean; 1 = refused, with every offending jar named; 2 = usage.
set -euo pipefail

jars_dir="${1:-}"
added_dir="${2:-}"
third_party="${STREAMLINE_THIRD_PARTY:-^spark-cassandra-connector}"

if [ -z "${jars_dir}" ] || [ ! -d "${jars_dir}" ]; then
  echo "usage: preflight-jars.sh JARS_DIR [ADDED_DIR]   (JARS_DIR='${jars_dir}' is not a directory)" >&2
  exit 2
fi

shopt -s nullglob
declare -A scala_jars=() spark_jars=() versions_of=() added=()
scala_library=""
errors=0

fail() {
  echo "preflight-jars: REFUSED: $*" >&2
  errors=$((errors + 1))
}

if [ -n "${added_dir}" ]; then
  for f in "${added_dir}"/*.jar; do added["$(basename "$f")"]=1; done
fi

count=0
for path in "${jars_dir}"/*.jar; do
  jar="$(basename "$path")"
  count=$((count + 1))
  # name-version.jar: split at the LAST "-<digits>.<digits>" (spark-sql-kafka-0-10_2.12 | 3.5.7,
  # log4j-1.2-api | 2.20.0); the version may carry a classifier (netty-...-4.1.96.Final-linux-x86_64).
  if [[ "$jar" =~ ^(.+)-([0-9]+\.[0-9]+[^/]*)\.jar$ ]]; then
    name="${BASH_REMATCH[1]}"
    version="${BASH_REMATCH[2]}"
  else
    name="${jar%.jar}"
    version=""
  fi
  if [[ "$name" =~ _(2\.1[0-9]|3)$ ]]; then
    suffix="${BASH_REMATCH[1]}"
    scala_jars["$suffix"]+=" $jar"
    if [[ "$name" =~ ^spark- ]] && [[ ! "$name" =~ ${third_party} ]]; then
      spark_jars["$version"]+=" $jar"
    fi
  fi
  if [ "$name" = "scala-library" ]; then
    scala_library="${scala_library} $jar"
  fi
  # Base version: drop a classifier after the first "-" (4.1.96.Final-linux-x86_64 -> 4.1.96.Final).
  base="${version%%-*}"
  if [ -n "$version" ]; then
    case " ${versions_of["$name"]:-} " in
      *" ${base}:"*) ;;
      *) versions_of["$name"]+=" ${base}:${jar}" ;;
    esac
  fi
done

if [ "$count" -eq 0 ]; then
  fail "no jars in ${jars_dir}"
fi

# 1. one Scala binary version
if [ "${#scala_jars[@]}" -gt 1 ]; then
  msg="jars of ${#scala_jars[@]} Scala binary versions in ${jars_dir}; Spark needs exactly one:"
  for s in "${!scala_jars[@]}"; do msg+=$'\n'"    _${s}:${scala_jars[$s]}"; done
  fail "$msg"$'\n'"    Keep the suffix of the Spark distribution (scala.binary.version in jars/pom.xml) and remove the others."
fi

# 2. scala-library matches the suffix
if [ "${#scala_jars[@]}" -eq 1 ] && [ -n "$scala_library" ]; then
  only="${!scala_jars[*]}"
  for lib in $scala_library; do
    case "$lib" in
      scala-library-"${only}".*) ;;
      *) fail "${lib} is not Scala ${only}, the binary version of the _${only} jars in ${jars_dir}" ;;
    esac
  done
fi

# 3. one Apache Spark version
if [ "${#spark_jars[@]}" -gt 1 ]; then
  msg="Apache Spark modules of ${#spark_jars[@]} versions in ${jars_dir}; they must all be one release:"
  for v in "${!spark_jars[@]}"; do msg+=$'\n'"    ${v}:${spark_jars[$v]}"; done
  fail "$msg"$'\n'"    The base image's Spark must be spark.version of jars/pom.xml (set SPARK_BASE_IMAGE to match)."
fi

# 4. an added jar next to another version of itself
for name in "${!versions_of[@]}"; do
  read -r -a entries <<< "${versions_of[$name]}"
  [ "${#entries[@]}" -gt 1 ] || continue
  involved=""
  clash=0
  for e in "${entries[@]}"; do
    j="${e#*:}"
    involved+=" $j"
    [ -n "${added[$j]:-}" ] && clash=1
  done
  if [ "$clash" -eq 1 ]; then
    fail "${name} in more than one version in ${jars_dir}:${involved} (one was added from ${added_dir}); keep one."
  else
    echo "preflight-jars: warning: ${name} in more than one version in the base image:${involved}" >&2
  fi
done

if [ "$errors" -gt 0 ]; then
  echo "preflight-jars: ${errors} problem(s) in ${jars_dir}; the image is not built." >&2
  exit 1
fi
spark_versions="${!spark_jars[*]}"
echo "preflight-jars: OK: ${count} jars, Scala ${!scala_jars[*]}, Spark ${spark_versions:-none found}"
