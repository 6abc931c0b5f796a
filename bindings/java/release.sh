#!/usr/bin/env bash
# The Java release artifacts, built from a release install tree (no cargo):
#
#   bindings/java/release.sh DIST STAGE
#
# STAGE: STAGE/include/kili.h and STAGE/lib/libkili.a of a RELEASE build (scripts/release.sh).
#  1. mvn -Pkili-release -Dkili.stage=STAGE clean install, under bindings/java/target/release/:
#     build-native.sh release links the JNI shim with libkili.a into one self-contained
#     libkilijni.so, then
#       kili-native-VERSION.jar               classes (com.kili.nativesdk:kili-native:VERSION)
#       kili-native-VERSION-linux-x86_64.jar  /native/linux-x86_64/libkilijni.so (classifier linux-x86_64)
#       kili-native-VERSION-sources.jar, kili-native-VERSION-javadoc.jar
#     all installed with the pom into the local Maven repository (~/.m2 unless settings say
#     otherwise), where a project on this machine depends on them by coordinates.
#  2. copies the jars and the pom (kili-native-VERSION.pom) to DIST/java/.
# The JUnit suite needs an emulator, so it is skipped unless KILI_EMULATOR names a
# kili-emulator binary: then it runs against the release natives, with -Xcheck:jni.
# The JDK is the default one (the javac on PATH; KILI_JAVA_HOME overrides), whatever JAVA_HOME a
# shell exports; classes target Java 17 either way.
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 DIST STAGE" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
dist=$(cd "$1" && pwd)
stage=$(cd "$2" && pwd)
for f in include/kili.h lib/libkili.a; do
  [[ -f "$stage/$f" ]] || { echo "release.sh: $stage/$f not found" >&2; exit 1; }
done
# The version of the pom's own <artifactId>kili-native</artifactId> block (the first <version>
# after it), so that no Maven plugin has to be downloaded to ask.
version=$(sed -n '/<artifactId>kili-native<\/artifactId>/,/<version>/{s/.*<version>\(.*\)<\/version>.*/\1/p}' "$here/pom.xml" | head -1)
[[ -n "$version" ]] || { echo "release.sh: no version in $here/pom.xml" >&2; exit 1; }

JAVA_HOME=${KILI_JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"

mvn_args=(-B -q -Dstyle.color=never -Pkili-release -Dkili.stage="$stage")
if [[ -n "${KILI_EMULATOR:-}" ]]; then
  mvn_args+=(-Dkili.emulator="$KILI_EMULATOR")
else
  mvn_args+=(-DskipTests)
fi
echo "== java: mvn -Pkili-release install ($(java -version 2>&1 | head -1))"
(cd "$here" && mvn "${mvn_args[@]}" clean install)

out="$here/target/release"
if [[ -n "${KILI_EMULATOR:-}" ]]; then
  # Same rule as test.sh: -Xcheck:jni warnings fail the build (the tests themselves passed).
  if grep -rEl 'WARNING in native method|FATAL ERROR in native method' "$out/surefire-reports" >/dev/null 2>&1; then
    echo "release.sh: -Xcheck:jni reported problems with the release natives (see $out/surefire-reports)" >&2
    exit 1
  fi
fi

# DIST/java is ours: no artifact of an earlier run stays beside these.
rm -rf "$dist/java"
mkdir -p "$dist/java"
for c in "" -linux-x86_64 -sources -javadoc; do
  cp "$out/kili-native-$version$c.jar" "$dist/java/"
done
cp "$here/pom.xml" "$dist/java/kili-native-$version.pom"
echo "java: com.kili.nativesdk:kili-native:$version (+ :linux-x86_64, sources, javadoc) installed" \
  "in the local Maven repository and copied to $dist/java/"
