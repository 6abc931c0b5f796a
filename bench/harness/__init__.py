"""The kili-native benchmark harness (run by bench/run.sh; not part of CI)."""
