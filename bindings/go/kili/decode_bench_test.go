package kili

import (
	"encoding/json"
	"fmt"
	"testing"
)

// BenchmarkDecodeBatch isolates the Go-side work per asset of Rows (splitting a batch and
// decoding each asset into Asset), without the library or the network.
func BenchmarkDecodeBatch(b *testing.B) {
	items := make([]map[string]any, 256)
	for i := range items {
		items[i] = map[string]any{"id": fmt.Sprintf("asset-%05d", i), "externalId": fmt.Sprintf("ext-%05d", i),
			"content": "https://storage.example.com/a.jpg", "status": "TODO", "createdAt": "2024-01-01T10:00:00.000Z",
			"jsonMetadata": map[string]any{"split": "train", "rank": i}}
	}
	page, _ := json.Marshal(items)
	b.ResetTimer()
	for b.Loop() {
		var raws []json.RawMessage
		if err := json.Unmarshal(page, &raws); err != nil {
			b.Fatal(err)
		}
		for _, r := range raws {
			if _, err := decodeAsset(r); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(items)), "ns/asset")
}
