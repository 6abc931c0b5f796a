package kili_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/kili-technology/kili-native/bindings/go/kili"
)

func TestCountAssets(t *testing.T) {
	c := newClient(t, "")
	cases := []struct {
		name string
		f    kili.AssetFilters
		want int
	}{
		{"all", project(), nAssets},
		{"status_in", kili.AssetFilters{ProjectID: projectID, StatusIn: []string{"LABELED"}}, 10},
		{"external_id_in", kili.AssetFilters{ProjectID: projectID, ExternalIDIn: []string{"ext-01", "ext-02", "missing"}}, 2},
		{"asset_id_in", kili.AssetFilters{ProjectID: projectID, AssetIDIn: []string{"asset-07"}}, 1},
		{"label_category_search", kili.AssetFilters{ProjectID: projectID, LabelCategorySearch: "CLASSIF.A.count > 0"}, 5},
		{"metadata_where", kili.AssetFilters{ProjectID: projectID, MetadataWhere: map[string]any{"split": "test"}}, 15},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n, err := c.CountAssets(t.Context(), tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.want {
				t.Fatalf("count = %d, want %d", n, tc.want)
			}
		})
	}
}

func TestAssetsListsEverythingAcrossBatches(t *testing.T) {
	// A batch of 7 over pages of 10: batches straddle pages and the last one is short.
	c := newClient(t, "", kili.WithCursorBatchSize(7), kili.WithPageSize(10))
	ids := listIDs(t, c, byProject(project()))
	if len(ids) != nAssets {
		t.Fatalf("listed %d assets, want %d", len(ids), nAssets)
	}
	for i, id := range ids {
		if want := fmt.Sprintf("asset-%02d", i); id != want {
			t.Fatalf("ids[%d] = %s, want %s (creation order)", i, id, want)
		}
	}
}

func TestAssetsDecodesCommonFields(t *testing.T) {
	c := newClient(t, "")
	rows, err := c.Assets(t.Context(), kili.AssetsQuery{
		AssetFilters: kili.AssetFilters{ProjectID: projectID, AssetIDIn: []string{"asset-03"}},
		Fields:       []string{"id", "externalId", "content", "status", "jsonMetadata", "labels.jsonResponse"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatalf("no asset: %v", rows.Err())
	}
	a := rows.Asset()
	if a.ID != "asset-03" || a.ExternalID != "ext-03" || a.Content != "text of asset 3" || a.Status != "LABELED" {
		t.Fatalf("wrong fields: %+v", a)
	}
	var md struct {
		Split string `json:"split"`
		Rank  int    `json:"rank"`
	}
	if err := json.Unmarshal(a.JSONMetadata, &md); err != nil || md.Split != "test" || md.Rank != 3 {
		t.Fatalf("jsonMetadata = %s (%v)", a.JSONMetadata, err)
	}
	if len(a.Labels) != 1 || !json.Valid(a.Labels[0].JSONResponse) || string(a.Labels[0].JSONResponse) == "null" {
		t.Fatalf("labels = %+v", a.Labels)
	}
	var raw map[string]any
	if err := json.Unmarshal(a.Raw, &raw); err != nil || raw["id"] != "asset-03" {
		t.Fatalf("Raw = %s", a.Raw)
	}
	if rows.Next() {
		t.Fatal("only one asset matches")
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
}

func TestAssetsFiltersAndPaging(t *testing.T) {
	c := newClient(t, "")
	got := listIDs(t, c, byProject(kili.AssetFilters{ProjectID: projectID, StatusIn: []string{"LABELED"}, LabelCategorySearch: "CLASSIF.B.count > 0"}))
	if want := []string{"asset-03", "asset-09", "asset-15", "asset-21", "asset-27"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	got = listIDs(t, c, kili.AssetsQuery{AssetFilters: project(), First: 3, Skip: 4})
	if want := []string{"asset-04", "asset-05", "asset-06"}; !slices.Equal(got, want) {
		t.Fatalf("first/skip: got %v, want %v", got, want)
	}
}

func TestAssetsAllIterator(t *testing.T) {
	c := newClient(t, "")
	rows, err := c.Assets(t.Context(), byProject(project()))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for a, err := range rows.All() {
		if err != nil {
			t.Fatal(err)
		}
		if a.ID == "" {
			t.Fatal("empty asset")
		}
		n++
	}
	if n != nAssets {
		t.Fatalf("iterated %d, want %d", n, nAssets)
	}

	// Breaking out of the loop closes the Rows.
	rows, err = c.Assets(t.Context(), byProject(project()))
	if err != nil {
		t.Fatal(err)
	}
	for range rows.All() {
		break
	}
	if rows.Next() {
		t.Fatal("Rows must be closed after leaving the range loop")
	}
	if rows.Err() != nil {
		t.Fatalf("an early exit is not an error: %v", rows.Err())
	}
}

func TestRowsExpectedTotal(t *testing.T) {
	c := newClient(t, "")
	rows, err := c.Assets(t.Context(), byProject(kili.AssetFilters{ProjectID: projectID, StatusIn: []string{"LABELED"}}))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatal(rows.Err())
	}
	if total, ok := rows.ExpectedTotal(); !ok || total != 10 {
		t.Fatalf("ExpectedTotal = %d, %v; want 10, true", total, ok)
	}
}
