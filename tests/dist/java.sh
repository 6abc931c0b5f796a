#!/usr/bin/env bash
# The Java release artifacts as a user gets them:   tests/dist/java.sh DIST
#
# DIST/java/ holds what bindings/java/release.sh built (kili-native-VERSION.pom, the main jar and
# the classifier jar kili-native-VERSION-linux-x86_64.jar), which release.sh also installed in
# the local Maven repository. KILI_EMULATOR names the kili-emulator binary.
#  1. the main jar has classes and no natives; the natives jar holds exactly one release
#     libkilijni.so (no debug sections, no NEEDED libkili, only the JNI functions exported, one
#     per native method of the main jar, small) and its version stamp
#  2. tests/dist/java-consumer, copied to a fresh directory outside the repository, depends on
#     both by coordinates: `mvn -q package` resolves them from the local repository (byte-equal
#     to DIST's), then its main class lists demo-project (20 assets) against a --seed-demo
#     emulator with -Xcheck:jni
#  3. built without the natives dependency, it fails with the loader's error naming the platform
#     and the exact dependency to add
# Uses the default JDK (the javac on PATH; KILI_JAVA_HOME overrides), for Maven too.
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 DIST" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
dist="$(cd "$1" && pwd)/java"
# shellcheck source=tests/dist/emulator.sh
source "$root/tests/dist/emulator.sh"
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || fail "the only published natives are linux-x86_64"
platform=linux-x86_64
jni_warning='WARNING in native method|FATAL ERROR in native method|JNI local refs:|JNI critical'

# The default JDK, not whatever JAVA_HOME a shell happens to export.
JAVA_HOME=${KILI_JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[[ "$java_major" -ge 17 ]] || fail "JDK 17+ needed, $JAVA_HOME is $java_major"
echo "== java dist: JDK $java_major ($JAVA_HOME)"

poms=("$dist"/kili-native-*.pom)
[[ ${#poms[@]} -eq 1 && -f "${poms[0]}" ]] || fail "expected exactly one kili-native-*.pom in $dist"
version=${poms[0]##*/kili-native-}
version=${version%.pom}
main_jar="$dist/kili-native-$version.jar"
natives_jar="$dist/kili-native-$version-$platform.jar"
[[ -f "$main_jar" && -f "$natives_jar" ]] || fail "missing $main_jar or $natives_jar"

work=$(mktemp -d)
case "$work" in "$root"/*) fail "the temporary directory $work is inside the repository" ;; esac
cleanup() {
  stop_emulator
  rm -rf "$work"
}
trap cleanup EXIT

echo "== 1. artifacts of com.kili.nativesdk:kili-native:$version"
jar tf "$main_jar" >"$work/main.list"
grep -qx 'com/kili/nativesdk/NativeLoader.class' "$work/main.list" || fail "the main jar has no NativeLoader"
grep -qx 'com/kili/nativesdk/kili-native.properties' "$work/main.list" || fail "the main jar has no coordinates resource"
if grep '^native/' "$work/main.list"; then fail "the main jar carries natives"; fi
# Files only (directories and Maven's META-INF left aside): the library and its version stamp.
files=$(jar tf "$natives_jar" | grep -v '/$' | grep -v '^META-INF/' | sort | tr '\n' ' ')
[[ "$files" == "native/$platform/kili-native.properties native/$platform/libkilijni.so " ]] \
  || fail "unexpected natives jar content: $files"
mkdir "$work/natives"
(cd "$work/natives" && jar xf "$natives_jar")
so="$work/natives/native/$platform/libkilijni.so"
grep -qx "version=$version" "$work/natives/native/$platform/kili-native.properties" || fail "natives not stamped $version"
readelf -h "$so" | grep -q 'Machine:.*X86-64' || fail "libkilijni.so is not an x86-64 ELF"
if readelf -S --wide "$so" | grep -E '\.debug_|\.zdebug_'; then fail "libkilijni.so has debug sections"; fi
needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
case "$needed" in *libkili*) fail "libkilijni.so needs libkili: $needed" ;; esac
[[ "$needed" == *libc.so* ]] || fail "unexpected NEEDED list: $needed"
# A debug (unoptimised) Rust build keeps overflow checks in the library's own code.
if grep -qa 'attempt to add with overflow' "$so"; then fail "libkilijni.so has overflow checks: a debug build"; fi
# Exactly one export per native method of the classes (no overloads: no signature suffix), plus JNI_OnLoad.
javap -p -cp "$main_jar" com.kili.nativesdk.NativeBridge | sed -n 's/.* native .* \([a-zA-Z0-9_]*\)(.*/Java_com_kili_nativesdk_NativeBridge_\1/p' \
  | { cat; echo JNI_OnLoad; } | sort >"$work/expected.syms"
nm -D --defined-only "$so" | awk '{print $NF}' | sort >"$work/exported.syms"
[[ $(wc -l <"$work/expected.syms") -gt 10 ]] || fail "javap found too few native methods"
diff "$work/expected.syms" "$work/exported.syms" >&2 || fail "libkilijni.so exports differ from the native methods (< expected, > exported)"
size=$(stat -c %s "$so")
# The stripped debug libkili.so alone is ~30 MB and the unstripped one ~100 MB or more.
((size < 16 * 1024 * 1024)) || fail "libkilijni.so is $size bytes: not a release build"
echo "natives: libkilijni.so $((size / 1024)) KiB, NEEDED: $needed, $(wc -l <"$work/exported.syms") exports"

echo "== 2. a Maven project depending on it by coordinates"
cp -r "$root/tests/dist/java-consumer" "$work/consumer"
cd "$work/consumer"
mvn -q -B -Dstyle.color=never -Dkili.version="$version" package
mvn -q -B -Dstyle.color=never -Dkili.version="$version" dependency:build-classpath -Dmdep.outputFile=cp.txt
IFS=: read -r -a deps <cp.txt || true # no trailing newline: read returns 1
[[ ${#deps[@]} -eq 2 ]] || fail "expected 2 dependency jars, got: ${deps[*]}"
for want in "$main_jar" "$natives_jar"; do
  name=${want##*/}
  got=$(printf '%s\n' "${deps[@]}" | grep "/com/kili/nativesdk/kili-native/$version/$name\$") \
    || fail "$name not resolved from the local repository: ${deps[*]}"
  case "$got" in "$root"/*) fail "$got resolved inside the repository" ;; esac
  cmp -s "$got" "$want" || fail "$got differs from $want"
done
cp_run="target/classes:$(cat cp.txt)"

start_emulator "$work"
endpoint="$EMU_URL/api/label/v2/graphql"

java -Xcheck:jni -cp "$cp_run" com.example.kiliconsumer.ListDemo "$endpoint" demo-api-key demo-project \
  >"$work/out" 2>"$work/err" || { cat "$work/out" "$work/err" >&2; fail "the consumer failed"; }
if grep -Eq "$jni_warning" "$work/out" "$work/err"; then cat "$work/out" "$work/err" >&2; fail "JNI warnings"; fi
grep -Eq '^kili-native [0-9]+\.[0-9]+\.[0-9]+' "$work/out" || { cat "$work/out" >&2; fail "no library version"; }
for i in $(seq -w 0 19); do
  grep -qx "asset demo-asset-$i image-$i" "$work/out" || { cat "$work/out" >&2; fail "demo-asset-$i missing"; }
done
[[ $(grep -c '^asset ' "$work/out") -eq 20 ]] || { cat "$work/out" >&2; fail "not 20 asset lines"; }
grep -qx 'listed: 20' "$work/out" && grep -qx 'counted: 20' "$work/out" || { cat "$work/out" >&2; fail "totals"; }
echo "consumer: listed demo-project, 20 assets (release natives from the classifier jar)"

echo "== 3. the same project without the natives dependency"
mvn -q -B -Dstyle.color=never -Dkili.version="$version" -P '!natives' dependency:build-classpath -Dmdep.outputFile=cp-bare.txt
grep -q -- "-$platform.jar" cp-bare.txt && fail "the natives jar is still on the classpath: $(cat cp-bare.txt)"
if java -cp "target/classes:$(cat cp-bare.txt)" com.example.kiliconsumer.ListDemo "$endpoint" demo-api-key demo-project \
  >"$work/out" 2>"$work/err"; then
  fail "the consumer ran without natives (is a libkilijni on java.library.path?)"
fi
expected="java.lang.UnsatisfiedLinkError: kili-native: no native library for $platform (os.name=Linux, os.arch=amd64)"
expected2="Add the dependency com.kili.nativesdk:kili-native:$version:$platform beside com.kili.nativesdk:kili-native:$version"
grep -qF "$expected" "$work/err" && grep -qF "$expected2" "$work/err" || { cat "$work/err" >&2; fail "unexpected error"; }
if grep -q '^asset ' "$work/out"; then fail "assets listed without natives"; fi
echo "without natives: $(grep -F "$expected" "$work/err" | head -1 | cut -c1-200)..."
echo "java dist: ok"
