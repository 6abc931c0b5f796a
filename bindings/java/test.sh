#!/usr/bin/env bash
# The Java binding's whole test suite, from a fresh clone; exits non-zero on any failure.
#
#  1. cargo build -p kili -p kili-emulator (debug)
#  2. mvn verify: javac (+ JNI header), the C shim (build-native.sh debug, into
#     target/natives/native/linux-x86_64/), JUnit 5 against the emulator with -Xcheck:jni, the
#     main jar (classes only: natives ship in the classifier jar that release.sh builds)
#  3. fails if -Xcheck:jni printed any warning during the tests
#  4. runs examples/Quickstart.java against a --seed-demo emulator with -Xcheck:jni, with the
#     debug natives packed in a jar on the classpath (the loader extracts them) and from
#     java.library.path (System.loadLibrary)
#  5. the JUnit suite again on the Temurin 25 JDK, when installed
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# Cargo's target directory (honours CARGO_TARGET_DIR like cargo: relative to the repository).
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
temurin=/usr/lib/jvm/temurin-25-jdk-amd64
jni_warning='WARNING in native method|FATAL ERROR in native method|JNI local refs:|JNI critical'

if [[ "${KILI_SKIP_CARGO:-0}" != 1 ]]; then # set it to reuse existing $target/debug builds
  echo "== cargo build -p kili-capi -p kili-emulator"
  (cd "$root" && cargo build -q -p kili-capi -p kili-emulator)
fi

cd "$here"
mvn_log=$(mktemp)
natives_jar=$(mktemp --suffix=.jar)
trap 'rm -f "$mvn_log" "$natives_jar"' EXIT
# -Xcheck:jni writes to the forked JVM's stdout/stderr: surefire puts that in its reports
# (stdout: *.dumpstream) or on Maven's console, so both are searched.
check_reports() {
  if grep -rEl "$jni_warning" target/surefire-reports "$mvn_log" >/dev/null 2>&1; then
    echo "FAIL: -Xcheck:jni reported problems:" >&2
    grep -rEh "$jni_warning" target/surefire-reports "$mvn_log" | sort | uniq -c >&2
    exit 1
  fi
}

echo "== mvn verify (JDK $(java -version 2>&1 | head -1))"
KILI_SKIP_CARGO=1 mvn -q -B -Dstyle.color=never -Dkili.target="$target" verify 2>&1 | tee "$mvn_log"
check_reports
echo "-Xcheck:jni: no warnings"
if jar tf target/kili-native-0.1.0.jar | grep '^native/'; then
  echo "FAIL: the main jar carries natives (they belong in the classifier jar)" >&2; exit 1
fi
# The development natives as a jar, like the classifier artifact (which holds release natives).
rm -f "$natives_jar" && jar --create --file "$natives_jar" -C target/natives native

echo "== example: examples/Quickstart.java against a --seed-demo emulator"
out=$(mktemp)
exec 3< <(exec "$target/debug/kili-emulator" --port 0 --seed-demo 2>/dev/null)
emu=$!
trap 'kill $emu 2>/dev/null || true; rm -f "$out" "$mvn_log" "$natives_jar"' EXIT
read -r -t 30 url <&3 || { echo "FAIL: the emulator printed no URL" >&2; exit 1; }
cat <&3 >/dev/null & # keep draining its stdout
KILI_API_KEY=demo-api-key KILI_API_ENDPOINT="$url/api/label/v2/graphql" \
  java -Xcheck:jni --enable-native-access=ALL-UNNAMED -Dkili.native.skipSystem=true -cp "target/kili-native-0.1.0.jar:$natives_jar" examples/Quickstart.java >"$out" 2>&1 \
  || { cat "$out" >&2; echo "FAIL: the example failed" >&2; exit 1; }
if grep -Eq "$jni_warning" "$out"; then cat "$out" >&2; echo "FAIL: JNI warnings in the example" >&2; exit 1; fi
grep -q "^expected error: " "$out" || { cat "$out" >&2; echo "FAIL: the example's output is incomplete" >&2; exit 1; }
grep -q "^assets in demo-project: 20" "$out" || { cat "$out" >&2; echo "FAIL: unexpected asset count" >&2; exit 1; }
echo "example (libraries extracted from a natives jar): ok"
# the other loader path: System.loadLibrary from java.library.path
KILI_API_KEY=demo-api-key KILI_API_ENDPOINT="$url/api/label/v2/graphql" \
  java -Xcheck:jni --enable-native-access=ALL-UNNAMED -Djava.library.path=target/natives/native/linux-x86_64 \
  -cp target/classes examples/Quickstart.java >"$out" 2>&1 \
  || { cat "$out" >&2; echo "FAIL: the example failed with java.library.path" >&2; exit 1; }
if grep -Eq "$jni_warning" "$out"; then cat "$out" >&2; echo "FAIL: JNI warnings in the example" >&2; exit 1; fi
grep -q "^expected error: " "$out" || { cat "$out" >&2; echo "FAIL: the example's output is incomplete" >&2; exit 1; }
echo "example (System.loadLibrary): ok"

if [[ -x "$temurin/bin/java" ]]; then
  echo "== JUnit suite on $("$temurin/bin/java" -version 2>&1 | head -1)"
  KILI_SKIP_CARGO=1 mvn -q -B -Dstyle.color=never -Dkili.target="$target" surefire:test -Djvm="$temurin/bin/java" 2>&1 | tee "$mvn_log"
  check_reports
  echo "Temurin 25: ok"
fi

total=0; failed=0
for f in target/surefire-reports/TEST-*.xml; do
  t=$(grep -o 'tests="[0-9]*"' "$f" | head -1 | tr -dc 0-9)
  e=$(grep -o 'errors="[0-9]*"' "$f" | head -1 | tr -dc 0-9)
  x=$(grep -o 'failures="[0-9]*"' "$f" | head -1 | tr -dc 0-9)
  total=$((total + t)); failed=$((failed + e + x))
done
echo "java: $((total - failed)) passed, $failed failed"
[[ $failed -eq 0 ]]
