package kili_test

import (
	"context"
	"testing"

	"github.com/kili-technology/kili-native/bindings/go/kili"
)

// newClient connects to url (the shared emulator when empty) with the test key; the client
// is closed when t ends.
func newClient(t testing.TB, url string, opts ...kili.Option) *kili.Client {
	t.Helper()
	if url == "" {
		url = endpoint
	}
	all := append([]kili.Option{kili.WithAPIKey(testKey), kili.WithEndpoint(url)}, opts...)
	c, err := kili.NewClient(all...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// listIDs lists the ids of the assets matching q, failing t on error.
func listIDs(t testing.TB, c *kili.Client, q kili.AssetsQuery) []string {
	t.Helper()
	rows, err := c.Assets(context.Background(), q)
	if err != nil {
		t.Fatalf("Assets: %v", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		ids = append(ids, rows.Asset().ID)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("Rows.Err: %v", err)
	}
	return ids
}

func project() kili.AssetFilters { return kili.AssetFilters{ProjectID: projectID} }

func byProject(f kili.AssetFilters) kili.AssetsQuery { return kili.AssetsQuery{AssetFilters: f} }
