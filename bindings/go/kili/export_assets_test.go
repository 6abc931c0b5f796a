package kili_test

// Streaming export (kili_assets_export) through ExportAssets / ExportAssetsTo. The file name
// is not export_test.go: that one holds the package's test-only exports.

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kili-technology/kili-native/bindings/go/kili"
)

// listRaw returns the raw JSON objects Rows yields for q.
func listRaw(t *testing.T, c *kili.Client, q kili.AssetsQuery) []json.RawMessage {
	t.Helper()
	rows, err := c.Assets(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []json.RawMessage
	for rows.Next() {
		out = append(out, slices.Clone(rows.Asset().Raw))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// decodeLines decodes each line of an NDJSON text.
func decodeLines(t *testing.T, text string) []any {
	t.Helper()
	var out []any
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		var v any
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("line %d is not JSON: %v: %q", len(out)+1, err, sc.Text())
		}
		out = append(out, v)
	}
	return out
}

// dirEntries lists the names in dir, to prove that nothing else (no ".part") is left.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestExportNDJSONEqualsRows(t *testing.T) {
	c := newClient(t, "", kili.WithPageSize(7))
	q := kili.AssetsQuery{AssetFilters: project(),
		Fields: []string{"id", "externalId", "status", "jsonMetadata", "labels.jsonResponse", "labels.author.email"}}
	dir := t.TempDir()
	path := filepath.Join(dir, "assets.ndjson")
	n, err := c.ExportAssets(t.Context(), q, kili.ExportNDJSON, path)
	if err != nil {
		t.Fatal(err)
	}
	want := listRaw(t, c, q)
	if n != nAssets || len(want) != nAssets {
		t.Fatalf("exported %d, listed %d, want %d", n, len(want), nAssets)
	}
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := decodeLines(t, string(text))
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d", len(got), len(want))
	}
	for i := range want {
		var w any
		if err := json.Unmarshal(want[i], &w); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[i], w) {
			t.Fatalf("line %d = %v, want the cursor's %v", i+1, got[i], w)
		}
	}
	if names := dirEntries(t, dir); !slices.Equal(names, []string{"assets.ndjson"}) {
		t.Fatalf("directory holds %v, want only the renamed file", names)
	}
}

func TestExportCSVHeaderAndRows(t *testing.T) {
	c := newClient(t, "")
	f := kili.AssetFilters{ProjectID: projectID, StatusIn: []string{"LABELED"}}
	fields := []string{"id", "externalId", "status", "jsonMetadata"}
	path := filepath.Join(t.TempDir(), "labeled.csv")
	n, err := c.ExportAssets(t.Context(), kili.AssetsQuery{AssetFilters: f, Fields: fields}, kili.ExportCSV, path)
	if err != nil {
		t.Fatal(err)
	}
	count, err := c.CountAssets(t.Context(), f)
	if err != nil {
		t.Fatal(err)
	}
	if n != count || n != 10 {
		t.Fatalf("exported %d assets, CountAssets says %d (fixture: 10)", n, count)
	}
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	records, err := csv.NewReader(file).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != n+1 {
		t.Fatalf("%d records, want a header and %d rows", len(records), n)
	}
	if !slices.Equal(records[0], fields) {
		t.Fatalf("header = %v, want the requested fields %v", records[0], fields)
	}
	want := listRaw(t, c, kili.AssetsQuery{AssetFilters: f, Fields: fields})
	for i, r := range records[1:] {
		var w map[string]any
		if err := json.Unmarshal(want[i], &w); err != nil {
			t.Fatal(err)
		}
		if r[0] != w["id"] || r[1] != w["externalId"] || r[2] != w["status"] || r[2] != "LABELED" {
			t.Fatalf("row %d = %v, want the cursor's %s (same order)", i+1, r, want[i])
		}
		// An object cell is its JSON text.
		var meta any
		if err := json.Unmarshal([]byte(r[3]), &meta); err != nil || meta == nil || !reflect.DeepEqual(meta, w["jsonMetadata"]) {
			t.Fatalf("row %d: jsonMetadata cell %q, want the JSON of %v", i+1, r[3], w["jsonMetadata"])
		}
	}
}

func TestExportAssetsToAnOpenFile(t *testing.T) {
	c := newClient(t, "")
	q := kili.AssetsQuery{AssetFilters: project(), Fields: []string{"id", "externalId"}, First: 5}
	path := filepath.Join(t.TempDir(), "out.ndjson")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("before\n"); err != nil {
		t.Fatal(err)
	}
	n, err := c.ExportAssetsTo(t.Context(), q, kili.ExportNDJSON, f)
	if err != nil || n != 5 {
		t.Fatalf("ExportAssetsTo = %d, %v; want 5", n, err)
	}
	// The library flushed and left the file open, positioned after the export.
	if _, err := f.WriteString("after\n"); err != nil {
		t.Fatalf("the file was closed by the export: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSuffix(string(text), "\n"), "\n")
	if len(lines) != 7 || lines[0] != "before" || lines[6] != "after" {
		t.Fatalf("file = %q, want before, 5 assets, after", text)
	}
	want := listRaw(t, c, q)
	for i, w := range want {
		if lines[i+1] != string(w) {
			t.Fatalf("line %d = %s, want the cursor's %s", i+2, lines[i+1], w)
		}
	}
}

func TestExportInvalidArguments(t *testing.T) {
	c := newClient(t, "")
	dir := t.TempDir()
	path := filepath.Join(dir, "x.out")
	cases := []struct {
		name string
		call func() (int, error)
		path string
	}{
		{"format", func() (int, error) { return c.ExportAssets(t.Context(), byProject(project()), "xml", path) }, "format"},
		{"empty format", func() (int, error) { return c.ExportAssets(t.Context(), byProject(project()), "", path) }, "format"},
		{"empty path", func() (int, error) { return c.ExportAssets(t.Context(), byProject(project()), kili.ExportCSV, "") }, "path"},
		{"nil file", func() (int, error) { return c.ExportAssetsTo(t.Context(), byProject(project()), kili.ExportCSV, nil) }, "file"},
		{"bad filter", func() (int, error) {
			return c.ExportAssets(t.Context(), byProject(kili.AssetFilters{ProjectID: projectID, StatusIn: []string{"DONE"}}), kili.ExportCSV, path)
		}, "status_in[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n, err := tc.call()
			var e *kili.Error
			if !errors.As(err, &e) || !errors.Is(err, kili.ErrInvalidArgument) || n != 0 {
				t.Fatalf("got %d, %v; want ErrInvalidArgument", n, err)
			}
			if e.Path() != tc.path {
				t.Fatalf("path = %q (%v), want %q", e.Path(), err, tc.path)
			}
		})
	}
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Fatalf("rejected exports created %v", names)
	}
}

func TestExportUnknownProjectIsNotFound(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.ndjson")
	for _, c := range []*kili.Client{newClient(t, ""), outsider(t)} {
		n, err := c.ExportAssets(t.Context(), byProject(kili.AssetFilters{ProjectID: "no-such-project"}), kili.ExportNDJSON, path)
		if !errors.Is(err, kili.ErrNotFound) || n != 0 {
			t.Fatalf("unknown project: %d, %v; want ErrNotFound", n, err)
		}
	}
	// A project the key cannot see is not found either.
	n, err := outsider(t).ExportAssets(t.Context(), byProject(project()), kili.ExportNDJSON, path)
	if !errors.Is(err, kili.ErrNotFound) || n != 0 {
		t.Fatalf("invisible project: %d, %v; want ErrNotFound", n, err)
	}
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Fatalf("failed exports left %v", names)
	}
}

// outsider is a client whose key sees no project.
func outsider(t *testing.T) *kili.Client {
	t.Helper()
	c, err := kili.NewClient(kili.WithAPIKey(outsiderKey), kili.WithEndpoint(endpoint))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestExportContextCancelled(t *testing.T) {
	// Every page request takes slowLatency: the context is cancelled by the event handler
	// as soon as the first page was written, long before the next page can arrive.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var mu sync.Mutex
	var exported []uint64 // progress seen by the handler (which may run on a library thread)
	c := newClient(t, slowEmulator(t), kili.WithPageSize(10), kili.WithPrefetchPages(1),
		kili.WithEventHandler(func(e kili.Event) {
			if e.Type == "progress" && e.Operation == "export" {
				mu.Lock()
				exported = append(exported, e.Done)
				mu.Unlock()
				cancel()
			}
		}))
	dir := t.TempDir()
	n, err := c.ExportAssets(ctx, byProject(project()), kili.ExportNDJSON, filepath.Join(dir, "cancelled.ndjson"))
	if !errors.Is(err, kili.ErrCancelled) || !errors.Is(err, context.Canceled) || n != 0 {
		t.Fatalf("got %d, %v; want ErrCancelled matching context.Canceled", n, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(exported) == 0 || exported[len(exported)-1] >= nAssets {
		t.Fatalf("export progress %v: want the cancellation after the first page and before the end", exported)
	}
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Fatalf("a cancelled export left %v", names)
	}
	// An already cancelled context fails before any call.
	if _, err := c.ExportAssets(ctx, byProject(project()), kili.ExportNDJSON, filepath.Join(dir, "y")); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
}

func TestDownloadMediaErrorsArgument(t *testing.T) {
	for _, tc := range []struct {
		policy kili.MediaErrorPolicy
		want   string
	}{{kili.MediaErrorsRaise, `"download_media_errors":"raise"`}, {kili.MediaErrorsReport, `"download_media_errors":"report"`}} {
		b, err := json.Marshal(kili.AssetsQuery{AssetFilters: project(), DownloadMediaErrors: tc.policy})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), tc.want) {
			t.Fatalf("args %s lack %s", b, tc.want)
		}
	}
	b, _ := json.Marshal(byProject(project()))
	if strings.Contains(string(b), "download_media_errors") {
		t.Fatalf("unset policy sent: %s", b)
	}
}
