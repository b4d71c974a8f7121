#!/usr/bin/env bash
# derive-connectors.sh DIST_JARS CLOSURE_DIR CLOSURE_LIST OUT_DIR
#
# The connector set = the connectors' transitive runtime closure (resolved by jars/connectors/pom.xml)
# minus every artifact the Spark distribution in DIST_JARS already ships. Nothing is listed by hand, so
# a dependency the connectors gain (or one a hand-written list forgot, like com.typesafe:config) is in
# the set by construction. Where both have an artifact, the distribution's copy is kept: two versions
# of one artifact on a classpath make the winner depend on jar order.
#
# Writes OUT_DIR/*.jar and OUT_DIR/CONNECTORS.txt (group:artifact:version of each jar added).
# Exit status 0 = done; 1 = an input is missing or inconsistent; 2 = usage.
set -euo pipefail

if [ "$#" -ne 4 ]; then
  echo "usage: derive-connectors.sh DIST_JARS CLOSURE_DIR CLOSURE_LIST OUT_DIR" >&2
  exit 2
fi
dist="$1" closure="$2" list="$3" out="$4"
for d in "$dist" "$closure"; do
  [ -d "$d" ] || { echo "derive-connectors: $d is not a directory" >&2; exit 1; }
done
[ -f "$list" ] || { echo "derive-connectors: $list does not exist (run the Maven build of jars/connectors)" >&2; exit 1; }

shopt -s nullglob
dist_jars=("$dist"/*.jar)
[ "${#dist_jars[@]}" -gt 0 ] || { echo "derive-connectors: no jars in the Spark distribution at $dist" >&2; exit 1; }

# True when the distribution has a jar of this artifactId (any version): "<artifactId>-<digit>…".
in_distribution() {
  local artifact="$1" f name
  for f in "${dist_jars[@]}"; do
    name="${f##*/}"
    case "$name" in
      "$artifact"-[0-9]*) return 0 ;;
    esac
  done
  return 1
}

rm -rf "$out"
mkdir -p "$out"
added=0 kept=0
manifest="$out/CONNECTORS.txt"
echo "# Added to the Spark distribution's jars: group:artifact:version (derived by jars/bin/derive-connectors.sh)" > "$manifest"

# dependency:list lines look like "   group:artifact:jar[:classifier]:version:scope[ -- module …]".
while read -r coords _; do
  IFS=: read -r -a part <<< "$coords"
  [ "${#part[@]}" -ge 5 ] || continue
  group="${part[0]}" artifact="${part[1]}"
  if [ "${#part[@]}" -ge 6 ]; then classifier="${part[3]}" version="${part[4]}"; else classifier="" version="${part[3]}"; fi
  file="$artifact-$version${classifier:+-$classifier}.jar"
  if in_distribution "$artifact"; then
    kept=$((kept + 1))
    continue
  fi
  if [ ! -f "$closure/$file" ]; then
    echo "derive-connectors: $group:$artifact:$version is in $list but $closure/$file is missing" >&2
    exit 1
  fi
  cp "$closure/$file" "$out/"
  echo "$group:$artifact:$version" >> "$manifest"
  added=$((added + 1))
done < <(grep -E '^ +[^ :]+:[^ :]+:jar:' "$list")

[ "$added" -gt 0 ] || { echo "derive-connectors: nothing to add: is $list the connectors' closure?" >&2; exit 1; }
echo "derive-connectors: $added jars added to the distribution's ${#dist_jars[@]}; $kept of the closure already shipped by it"
