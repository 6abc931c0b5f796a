package kili_test

// Test harness: starts kili-emulator processes (port 0, fixture written to a temp dir) and
// shares one read-only instance between the tests and the examples.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	testKey     = "go-test-key"
	outsiderKey = "go-outsider-key"
	projectID   = "proj-go"
	nAssets     = 30
)

// endpoint and apiKey point at the shared emulator (set by TestMain); the examples use them.
var (
	endpoint string
	apiKey   = testKey
)

// emulatorBinary is the emulator built by cargo (bindings/go/test.sh builds it).
func emulatorBinary() string {
	if p := os.Getenv("KILI_EMULATOR"); p != "" {
		return p
	}
	p, _ := filepath.Abs(filepath.Join(cargoTargetDir(), "debug", "kili-emulator"))
	return p
}

// cargoTargetDir is cargo's target directory: CARGO_TARGET_DIR (a relative value is relative
// to the repository root, like cargo) or <repo>/target.
func cargoTargetDir() string {
	if d := os.Getenv("CARGO_TARGET_DIR"); d != "" {
		if filepath.IsAbs(d) {
			return d
		}
		return filepath.Join("../../..", d)
	}
	return "../../../target"
}

// TestLinkedLibkili checks that the process runs the libkili.so that test.sh built and named
// in KILI_TEST_LIBKILI (under CARGO_TARGET_DIR when set), not another copy: one on the
// system, or the one internal/cbench's -L/rpath (<repo>/target/debug) would find.
func TestLinkedLibkili(t *testing.T) {
	want := os.Getenv("KILI_TEST_LIBKILI")
	if want == "" {
		t.Skip("KILI_TEST_LIBKILI is not set (bindings/go/test.sh sets it)")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/maps")
	}
	want, err := filepath.EvalSymlinks(want)
	if err != nil {
		t.Fatal(err)
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	var loaded []string
	for line := range strings.Lines(string(maps)) {
		i := strings.Index(line, "/")
		if i < 0 {
			continue
		}
		// The path is the last field; a file replaced since it was mapped gets " (deleted)".
		path := strings.TrimSuffix(strings.TrimSuffix(line[i:], "\n"), " (deleted)")
		if filepath.Base(path) == "libkili.so" && !slices.Contains(loaded, path) {
			loaded = append(loaded, path)
		}
	}
	if len(loaded) != 1 || loaded[0] != want {
		t.Fatalf("libkili.so mapped from %q, want only %q", loaded, want)
	}
}

// fixture is the emulator data of the tests: one TEXT project with nAssets assets, every
// third one labeled with a CLASSIF category, and a second user who sees no project.
func fixture() map[string]any {
	assets := []map[string]any{}
	labels := []map[string]any{}
	for i := range nAssets {
		id := fmt.Sprintf("asset-%02d", i)
		status := "TODO"
		if i%3 == 0 {
			status = "LABELED"
			cat := "A"
			if i%2 == 1 {
				cat = "B"
			}
			labels = append(labels, map[string]any{
				"id": "label-" + id, "asset_id": id, "author_id": "user-admin", "label_type": "DEFAULT",
				"created_at":    fmt.Sprintf("2024-02-%02dT12:00:00.000Z", i%28+1),
				"json_response": map[string]any{"CLASSIF": map[string]any{"categories": []any{map[string]any{"name": cat}}}},
			})
		}
		split := "train"
		if i%2 == 1 {
			split = "test"
		}
		assets = append(assets, map[string]any{
			"id": id, "project_id": projectID, "external_id": fmt.Sprintf("ext-%02d", i),
			"content":       fmt.Sprintf("text of asset %d", i),
			"json_metadata": map[string]any{"split": split, "rank": i},
			"created_at":    fmt.Sprintf("2024-01-01T10:%02d:00.000Z", i),
			"status":        status,
		})
	}
	return map[string]any{
		"organizations": []any{map[string]any{"id": "org-go", "name": "Go org", "upload_local_data": true}},
		"users": []any{
			map[string]any{"id": "user-admin", "email": "admin@example.com", "firstname": "Ada", "lastname": "Admin",
				"organization_id": "org-go", "api_keys": []any{map[string]any{"key": testKey, "expiry_date": "2099-12-31T23:59:59.000Z"}}},
			map[string]any{"id": "user-out", "email": "out@example.com", "firstname": "Otto", "lastname": "Out",
				"organization_id": "org-go", "api_keys": []any{map[string]any{"key": outsiderKey, "expiry_date": "2099-12-31T23:59:59.000Z"}}},
		},
		"projects": []any{map[string]any{
			"id": projectID, "title": "Go wrapper tests", "input_type": "TEXT", "workflow_version": "V1",
			"json_interface": map[string]any{"jobs": map[string]any{"CLASSIF": map[string]any{
				"mlTask": "CLASSIFICATION", "required": 1, "isChild": false,
				"content": map[string]any{"input": "radio", "categories": map[string]any{
					"A": map[string]any{"name": "A"}, "B": map[string]any{"name": "B"}}}}}},
			"members": []any{map[string]any{"user_id": "user-admin", "role": "ADMIN"}},
		}},
		"assets": assets,
		"labels": labels,
	}
}

// startEmulator runs an emulator with the test fixture and extra flags, and returns its
// GraphQL endpoint. The process is killed when tb ends (or via the returned stop func
// when tb is nil).
func startEmulator(tb testing.TB, extra ...string) string {
	url, stop, err := launchEmulator(extra...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(stop)
	return url
}

func launchEmulator(extra ...string) (string, func(), error) {
	dir, err := os.MkdirTemp("", "kili-go-test-")
	if err != nil {
		return "", nil, err
	}
	fx, _ := json.Marshal(fixture())
	path := filepath.Join(dir, "fixture.json")
	if err := os.WriteFile(path, fx, 0o600); err != nil {
		return "", nil, err
	}
	args := append([]string{"--port", "0", "--fixture", path}, extra...)
	cmd := exec.Command(emulatorBinary(), args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("starting %s (build it with `cargo build -p kili-emulator`): %w", emulatorBinary(), err)
	}
	stop := func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = os.RemoveAll(dir)
	}
	// The first stdout line is the base URL; read it with a bound so a broken emulator
	// fails the run instead of hanging it.
	lines := make(chan string, 1)
	r := bufio.NewReader(out)
	go func() {
		line, _ := r.ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, r) // keep draining so the emulator never blocks
	}()
	select {
	case line := <-lines:
		base := strings.TrimSpace(line)
		if !strings.HasPrefix(base, "http://") {
			stop()
			return "", nil, fmt.Errorf("emulator printed %q instead of its URL", line)
		}
		return base + "/api/label/v2/graphql", stop, nil
	case <-time.After(30 * time.Second):
		stop()
		return "", nil, fmt.Errorf("emulator did not print its URL within 30s")
	}
}

func TestMain(m *testing.M) {
	url, stop, err := launchEmulator()
	if err != nil {
		fmt.Fprintln(os.Stderr, "kili go tests:", err)
		os.Exit(1)
	}
	endpoint = url
	code := m.Run()
	stop()
	os.Exit(code)
}
