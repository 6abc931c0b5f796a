package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTree creates files (slash-separated path -> content) under a new temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const gomod = "module example.com/Mod/sub\n\ngo 1.24\n"

// TestPublish checks the proxy layout (escaped module path), the files, and that the zip
// holds every file, and only them, under module@version/, deterministically.
func TestPublish(t *testing.T) {
	src := writeTree(t, map[string]string{
		"go.mod":              gomod,
		"a.go":                "package a\n",
		"lib/x_amd64/lib.a":   "!<arch>\n",
		".gitignore":          "/x\n",
		".git/HEAD":           "ref: refs/heads/main\n", // version control metadata: left out
		"inc/header file.h":   "/* spaces are allowed */\n",
		"kili/include/kili.h": "#define X 1\n",
	})
	out := t.TempDir()
	if err := publish(src, "v0.1.0", "2024-05-06T07:08:09+02:00", out); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(out, "example.com", "!mod", "sub", "@v")
	for name, want := range map[string]string{
		"list":        "v0.1.0\n",
		"v0.1.0.mod":  gomod,
		"v0.1.0.info": `{"Version":"v0.1.0","Time":"2024-05-06T05:08:09Z"}` + "\n",
	} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	first, err := os.ReadFile(filepath.Join(dir, "v0.1.0.zip"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(first), int64(len(first)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Method != zip.Deflate {
			t.Errorf("%s is not deflated", f.Name)
		}
	}
	want := []string{".gitignore", "a.go", "go.mod", "inc/header file.h", "kili/include/kili.h", "lib/x_amd64/lib.a"}
	for i, w := range want {
		want[i] = "example.com/Mod/sub@v0.1.0/" + w
	}
	if !slices.Equal(names, want) {
		t.Errorf("zip entries %q, want %q", names, want)
	}

	// Same input, same bytes; a second version keeps the first in the list.
	if err := publish(src, "v0.1.0", "2024-05-06T07:08:09Z", out); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(filepath.Join(dir, "v0.1.0.zip"))
	if !bytes.Equal(first, again) {
		t.Error("publishing the same tree twice gave different zips")
	}
	if err := publish(src, "v0.2.0-rc.1", "2024-05-06T07:08:09Z", out); err != nil {
		t.Fatal(err)
	}
	if list, _ := os.ReadFile(filepath.Join(dir, "list")); string(list) != "v0.1.0\nv0.2.0-rc.1\n" {
		t.Errorf("list = %q", list)
	}
}

// TestPublishRefuses checks that what a module zip cannot hold, or would silently leave
// out, is an error naming the problem.
func TestPublishRefuses(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   map[string]string
		version string
		want    string
	}{
		{"not semver", map[string]string{"go.mod": gomod}, "0.1.0", "not a canonical semantic version"},
		{"build metadata", map[string]string{"go.mod": gomod}, "v0.1.0+meta", "not a canonical semantic version"},
		{"major without suffix", map[string]string{"go.mod": gomod}, "v2.0.0", "end in /v2"},
		{"no go.mod", map[string]string{"a.go": "package a\n"}, "v0.1.0", "go.mod"},
		{"vendor", map[string]string{"go.mod": gomod, "vendor/x/x.go": "package x\n"}, "v0.1.0", "vendor directories"},
		{"nested module", map[string]string{"go.mod": gomod, "sub/go.mod": "module x\n"}, "v0.1.0", "nested module"},
		{"case collision", map[string]string{"go.mod": gomod, "A.go": "", "a.go": ""}, "v0.1.0", "differ only in case"},
		{"bad character", map[string]string{"go.mod": gomod, "a*b.go": ""}, "v0.1.0", "invalid character"},
		{"trailing dot", map[string]string{"go.mod": gomod, "dir./a.go": ""}, "v0.1.0", "invalid path element"},
		{"windows name", map[string]string{"go.mod": gomod, "aux.h": ""}, "v0.1.0", "reserved file name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := writeTree(t, tc.files)
			err := publish(src, tc.version, "2024-01-01T00:00:00Z", t.TempDir())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("publish: %v, want an error containing %q", err, tc.want)
			}
		})
	}
	t.Run("symlink", func(t *testing.T) {
		src := writeTree(t, map[string]string{"go.mod": gomod})
		if err := os.Symlink("go.mod", filepath.Join(src, "link")); err != nil {
			t.Skip(err)
		}
		err := publish(src, "v0.1.0", "2024-01-01T00:00:00Z", t.TempDir())
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("publish: %v, want a not-a-regular-file error", err)
		}
	})
}
