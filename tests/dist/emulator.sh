# Sourced by the consumer tests of tests/dist/: the kili-emulator that KILI_EMULATOR names,
# with the demo project (demo-project, 20 assets, API key demo-api-key).
#   start_emulator DIR  starts it; sets EMU_URL (http://127.0.0.1:PORT) and EMU_PID; its
#                       stderr and the rest of its stdout go to DIR/emulator.err / .log
#   stop_emulator       stops it and waits for its log drain (safe to call twice)

start_emulator() {
  local dir=$1
  [[ -x "${KILI_EMULATOR:-}" ]] \
    || { echo "FAIL: KILI_EMULATOR must name the kili-emulator binary (got '${KILI_EMULATOR:-}')" >&2; exit 1; }
  mkfifo "$dir/emulator.out"
  "$KILI_EMULATOR" --port 0 --seed-demo >"$dir/emulator.out" 2>"$dir/emulator.err" &
  EMU_PID=$!
  exec 3<"$dir/emulator.out"
  # Its first line is its base URL, printed once it listens: a blocking read, not a poll.
  if ! IFS= read -r -t 60 EMU_URL <&3; then
    cat "$dir/emulator.err" >&2
    echo "FAIL: the emulator printed no URL within 60 s" >&2
    exit 1
  fi
  cat <&3 >"$dir/emulator.log" & # the rest, so that it never blocks on a full pipe
  EMU_DRAIN=$!
  exec 3<&-
  [[ $EMU_URL =~ ^http://127\.0\.0\.1:[0-9]+$ ]] \
    || { echo "FAIL: unexpected first line from the emulator: $EMU_URL" >&2; exit 1; }
}

stop_emulator() {
  if [[ -n "${EMU_PID:-}" ]]; then
    kill "$EMU_PID" 2>/dev/null || true
    wait "$EMU_PID" 2>/dev/null || true
    EMU_PID=
  fi
  if [[ -n "${EMU_DRAIN:-}" ]]; then
    wait "$EMU_DRAIN" 2>/dev/null || true
    EMU_DRAIN=
  fi
}
