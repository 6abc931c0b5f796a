package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestQuickstartAgainstDemoEmulator runs the quickstart's lifecycle against the emulator's
// demo data set: every step must succeed (run returns the first error).
func TestQuickstartAgainstDemoEmulator(t *testing.T) {
	bin := os.Getenv("KILI_EMULATOR")
	if bin == "" {
		// cargo's target directory: CARGO_TARGET_DIR (relative to the repository root, like
		// cargo) or <repo>/target
		target := os.Getenv("CARGO_TARGET_DIR")
		if target == "" {
			target = "target"
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join("../../../..", target)
		}
		bin, _ = filepath.Abs(filepath.Join(target, "debug", "kili-emulator"))
	}
	cmd := exec.Command(bin, "--port", "0", "--seed-demo")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	r := bufio.NewReader(out)
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, r) }() // keep the emulator's stdout drained
	t.Setenv("KILI_API_ENDPOINT", strings.TrimSpace(line)+"/api/label/v2/graphql")
	t.Setenv("KILI_API_KEY", "demo-api-key")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, "demo-project"); err != nil {
		t.Fatal(err)
	}
}
