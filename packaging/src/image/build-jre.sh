#!/usr/bin/env bash
# Builds the container image's Java runtime with jlink from the JDK running the build: the modules
# jdeps finds in the application jar plus the ones it cannot see (loaded by name at run time).
#
#   build-jre.sh OUT_DIR KEY_FILE JAR EXTRA_MODULES
#
# EXTRA_MODULES is a comma list. The result is reused while the JDK, the module list and this
# script stay the same.
set -euo pipefail

[ $# -eq 4 ] || { echo "usage: $0 OUT_DIR KEY_FILE JAR EXTRA_MODULES" >&2; exit 2; }
out=$1
key_file=$2
jar=$3
extra=$4

die() {
  echo "build-jre: $*" >&2
  exit 1
}

java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
jdeps="$java_home/bin/jdeps"
jlink="$java_home/bin/jlink"
[ -x "$jlink" ] && [ -x "$jdeps" ] ||
  die "jlink and jdeps not found in $java_home: a full JDK is needed (Debian: openjdk-17-jdk-headless)"
[ -d "$java_home/jmods" ] || die "$java_home/jmods is missing: jlink needs the JDK's jmods"
[ -f "$jar" ] || die "application jar $jar not found"

feature="$("$java_home/bin/java" -XshowSettings:properties -version 2>&1 |
  sed -n 's/^ *java.specification.version = //p')"
found="$("$jdeps" --ignore-missing-deps --print-module-deps --multi-release "$feature" "$jar")" ||
  die "jdeps failed on $jar"
modules="$(echo "$found,$extra" | tr ',' '\n' | grep -v '^$' | sort -u | paste -sd, -)"

key="$( { sha256sum "$0" | cut -d' ' -f1; "$java_home/bin/java" -version 2>&1; echo "$modules"; } |
  sha256sum | cut -d' ' -f1)"
if [ -d "$out" ] && [ -f "$key_file" ] && [ "$(cat "$key_file")" = "$key" ]; then
  echo "build-jre: Java runtime up to date in $out ($modules)"
  exit 0
fi

rm -rf "$out" "$key_file"
mkdir -p "$(dirname "$out")"
"$jlink" --add-modules "$modules" --output "$out" \
  --strip-debug --no-header-files --no-man-pages --compress=2 ||
  die "jlink failed"
# The image tool copies files, not links: resolve any the JDK's packaging left in the runtime.
find "$out" -type l -print0 | while IFS= read -r -d '' link; do
  target="$(readlink -f "$link")"
  rm "$link"
  if [ -e "$target" ]; then
    cp -r "$target" "$link"
  fi
done
echo "$key" >"$key_file"
echo "build-jre: $(du -sh "$out" | cut -f1) Java runtime with $modules in $out"
