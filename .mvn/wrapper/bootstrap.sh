#!/bin/sh
# Writes maven-wrapper.properties into the folder given as $1.
# The file names the repository Maven is downloaded from. That host must not appear in a committed
# file, so we ask the machine's own Maven (its built-in default repository) to write it, or build
# it from MVNW_REPOURL when that is set.
set -eu
target="$1"
version=3.9.16
if [ -n "${MVNW_REPOURL-}" ]; then
  printf 'wrapperVersion=3.3.4\ndistributionType=only-script\ndistributionUrl=%s/org/apache/maven/apache-maven/%s/apache-maven-%s-bin.zip\n' \
    "${MVNW_REPOURL%/}" "$version" "$version" >"$target/maven-wrapper.properties"
  exit 0
fi
command -v mvn >/dev/null 2>&1 || { echo "bootstrap: no 'mvn' on the PATH to write the wrapper properties" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && mvn -q -B org.apache.maven.plugins:maven-wrapper-plugin:3.3.4:wrapper \
  -Dmaven="$version" -Dtype=only-script >/dev/null)
cp "$work/.mvn/wrapper/maven-wrapper.properties" "$target/maven-wrapper.properties"
