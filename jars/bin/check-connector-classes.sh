#!/usr/bin/env bash
# check-connector-classes.sh CONNECTORS_DIR CLASSPATH_DIR...
#
# Names every class the connector jars reference that no jar on the classpath provides — the
# classpath being the jars of each CLASSPATH_DIR (the Spark distribution, the connector set) and the
# JDK. Without this, a missing jar (com.typesafe:config once) shows up only at the first write, deep in
# an executor, as NoClassDefFoundError. jdeps reads the bytecode, so the check is exact and needs no
# cluster; packages the pipeline never loads are listed, with reasons, in jars/optional-packages.txt.
#
# Exit status 0 = complete; 1 = classes missing (one line per package: a class, the jar needing it);
# 2 = usage or no jdeps (a JDK, not a JRE, is needed).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
optional="${STREAMLINE_OPTIONAL_PACKAGES:-$here/../optional-packages.txt}"

if [ "$#" -lt 2 ]; then
  echo "usage: check-connector-classes.sh CONNECTORS_DIR CLASSPATH_DIR..." >&2
  exit 2
fi
connectors="$1"
shift
jdeps_bin="${JAVA_HOME:+$JAVA_HOME/bin/}jdeps"
command -v "$jdeps_bin" >/dev/null || { echo "check-connector-classes: jdeps not found (needs a JDK 17)" >&2; exit 2; }

shopt -s nullglob
jars=("$connectors"/*.jar)
[ "${#jars[@]}" -gt 0 ] || { echo "check-connector-classes: no jars in $connectors" >&2; exit 2; }
classpath=""
for d in "$@"; do
  [ -d "$d" ] || { echo "check-connector-classes: $d is not a directory" >&2; exit 2; }
  classpath="${classpath:+$classpath:}$d/*"
done

prefixes=()
while read -r prefix _; do
  case "$prefix" in ''|'#'*) continue ;; esac
  prefixes+=("$prefix")
done < "$optional"

optional_class() {
  local cls="$1" p
  for p in "${prefixes[@]}"; do
    case "$cls" in "$p".*) return 0 ;; esac
  done
  return 1
}

report="$("$jdeps_bin" --multi-release 17 --missing-deps -cp "$classpath" "${jars[@]}" 2>/dev/null)" || {
  echo "check-connector-classes: jdeps failed on ${connectors}" >&2
  exit 2
}

# jdeps prints "<jar> -> not found" then "   <from class> -> <missing class>   not found" lines.
declare -A seen=()
missing=0
current_jar=""
while IFS= read -r line; do
  if [[ "$line" =~ ^([^[:space:]]+\.jar)\ -\>\ not\ found ]]; then
    current_jar="${BASH_REMATCH[1]}"
    continue
  fi
  [[ "$line" =~ ^[[:space:]]+([^[:space:]]+)[[:space:]]+-\>[[:space:]]+([^[:space:]]+)[[:space:]]+not\ found ]] || continue
  from="${BASH_REMATCH[1]}" cls="${BASH_REMATCH[2]}"
  optional_class "$cls" && continue
  package="${cls%.*}"
  [ -n "${seen[$package]:-}" ] && continue
  seen[$package]=1
  missing=$((missing + 1))
  echo "check-connector-classes: MISSING class $cls (package $package), needed by $from in ${current_jar##*/}: no jar on the classpath provides it" >&2
done <<< "$report"

if [ "$missing" -gt 0 ]; then
  echo "check-connector-classes: $missing package(s) missing from the classpath of ${#jars[@]} connector jars; add the artifact providing them (jars/connectors/pom.xml) or, if the code path can never run, list the package in jars/optional-packages.txt with the reason" >&2
  exit 1
fi
echo "check-connector-classes: every class the ${#jars[@]} connector jars reference is on the classpath (optional packages: ${#prefixes[@]})"
