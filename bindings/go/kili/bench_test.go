package kili_test

import (
	"encoding/json"
	"testing"

	"github.com/kili-technology/kili-native/bindings/go/internal/cbench"
	"github.com/kili-technology/kili-native/bindings/go/kili"
)

// benchAssets is the size of the benchmark project (the fixture's 30 plus generated ones).
const benchAssets = 5000 + nAssets

var benchFields = []string{"id", "externalId", "content", "status", "jsonMetadata", "createdAt"}

func benchEmulator(b *testing.B) string {
	return startEmulator(b, "--generate-assets", "5000", "--generate-project", projectID)
}

// reportPerAsset adds the ns/asset metric: total time over every asset listed.
func reportPerAsset(b *testing.B, total int64) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(total), "ns/asset")
}

// BenchmarkCursorC lists the project with the C loop over kili_cursor_next (baseline).
func BenchmarkCursorC(b *testing.B) {
	url := benchEmulator(b)
	opts, _ := json.Marshal(map[string]any{"api_key": testKey, "api_endpoint": url, "page_size": 100, "rate_limit_per_minute": 1000000})
	c, err := cbench.Open(string(opts))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	args, _ := json.Marshal(kili.AssetsQuery{AssetFilters: project(), Fields: benchFields})
	var total int64
	b.ResetTimer()
	for b.Loop() {
		n, err := c.List(string(args))
		if err != nil || n != benchAssets {
			b.Fatalf("listed %d (%v), want %d", n, err, benchAssets)
		}
		total += n
	}
	reportPerAsset(b, total)
}

// BenchmarkCursorGo lists the project with Rows (batched crossings + decoding into Asset).
func BenchmarkCursorGo(b *testing.B) {
	url := benchEmulator(b)
	c := newClient(b, url, kili.WithPageSize(100), kili.WithRateLimitPerMinute(1000000))
	q := kili.AssetsQuery{AssetFilters: project(), Fields: benchFields}
	var total int64
	b.ResetTimer()
	for b.Loop() {
		rows, err := c.Assets(b.Context(), q)
		if err != nil {
			b.Fatal(err)
		}
		var n int64
		for rows.Next() {
			if rows.Asset().ID == "" {
				b.Fatal("empty asset")
			}
			n++
		}
		if rows.Err() != nil || n != benchAssets {
			b.Fatalf("listed %d (%v), want %d", n, rows.Err(), benchAssets)
		}
		total += n
	}
	reportPerAsset(b, total)
}
