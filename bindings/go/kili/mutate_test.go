package kili_test

import (
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/kili-technology/kili-native/bindings/go/kili"
)

// assetByID reads one asset with the given fields from c.
func assetByID(t *testing.T, c *kili.Client, id string, fields ...string) kili.Asset {
	t.Helper()
	rows, err := c.Assets(t.Context(), kili.AssetsQuery{
		AssetFilters: kili.AssetFilters{ProjectID: projectID, AssetIDIn: []string{id}}, Fields: fields,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatalf("asset %s not found (%v)", id, rows.Err())
	}
	return rows.Asset()
}

func succeededIDs(o kili.Outcomes) []string {
	var ids []string
	for _, it := range o.Succeeded {
		ids = append(ids, it.AssetID)
	}
	slices.Sort(ids)
	return ids
}

// TestMutationsLifecycle runs every action against a fresh emulator and checks the
// server's state after each one.
func TestMutationsLifecycle(t *testing.T) {
	var mu sync.Mutex
	progress := map[string]bool{}
	c := newClient(t, startEmulator(t), kili.WithEventHandler(func(e kili.Event) {
		if e.Type == "progress" && e.Total > 0 && e.Done == e.Total {
			mu.Lock()
			progress[e.Operation] = true
			mu.Unlock()
		}
	}))
	ctx := t.Context()

	// Import (raw text is uploaded, so content becomes the stored file's URL).
	app, err := c.AppendManyToDataset(ctx, kili.AppendArgs{
		ProjectID:         projectID,
		ContentArray:      []string{"first new text", "second new text"},
		ExternalIDArray:   []string{"new-1", "new-2"},
		JSONMetadataArray: []map[string]any{{"source": "go"}, {"source": "go"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if app.ProjectID != projectID || len(app.AssetIDs) != 2 || len(app.Outcomes.Succeeded) != 2 {
		t.Fatalf("append result: %+v", app)
	}
	if n, err := c.CountAssets(ctx, kili.AssetFilters{ProjectID: projectID, ExternalIDIn: []string{"new-1", "new-2"}}); err != nil || n != 2 {
		t.Fatalf("imported assets: count %d, %v", n, err)
	}
	imported := assetByID(t, c, app.AssetIDs[0], "id", "externalId", "content", "jsonMetadata")
	if imported.ExternalID != "new-1" || imported.Content == "" || string(imported.JSONMetadata) != `{"source":"go"}` {
		t.Fatalf("imported asset: %+v", imported)
	}

	// Update properties.
	upd, err := c.UpdatePropertiesInAssets(ctx, kili.UpdateArgs{
		AssetSelector: kili.AssetSelector{AssetIDs: []string{"asset-01", "asset-02"}},
		Priorities:    []int{7, 8},
		JSONMetadatas: []any{map[string]any{"reviewed": true}, map[string]any{"reviewed": false}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []struct{ ID string }
	if err := json.Unmarshal(upd.Result, &ids); err != nil || len(ids) != 2 {
		t.Fatalf("update result %s (%v)", upd.Result, err)
	}
	a1 := assetByID(t, c, "asset-01", "id", "priority", "jsonMetadata")
	if a1.Priority != 7 || string(a1.JSONMetadata) != `{"reviewed":true}` {
		t.Fatalf("after update: %+v (%s)", a1, a1.JSONMetadata)
	}

	// Rename by external id.
	if _, err := c.ChangeAssetExternalIDs(ctx, kili.ChangeExternalIDsArgs{
		NewExternalIDs: []string{"renamed-2"},
		AssetSelector:  kili.AssetSelector{ExternalIDs: []string{"ext-02"}, ProjectID: projectID},
	}); err != nil {
		t.Fatal(err)
	}
	if a := assetByID(t, c, "asset-02", "id", "externalId"); a.ExternalID != "renamed-2" {
		t.Fatalf("after rename: %+v", a)
	}

	// Review: asset-03 is labeled, asset-04 has no label and is declined.
	rev, err := c.AddToReview(ctx, kili.AssetSelector{AssetIDs: []string{"asset-03", "asset-04"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := succeededIDs(rev.Outcomes); !slices.Equal(got, []string{"asset-03"}) || len(rev.Outcomes.Declined) != 1 || rev.Outcomes.Declined[0].AssetID != "asset-04" {
		t.Fatalf("review outcomes: %+v", rev.Outcomes)
	}
	if a := assetByID(t, c, "asset-03", "id", "status"); a.Status != "TO_REVIEW" {
		t.Fatalf("after review: status %s", a.Status)
	}

	// Back to queue.
	back, err := c.SendBackToQueue(ctx, kili.AssetSelector{AssetIDs: []string{"asset-03"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := succeededIDs(back.Outcomes); !slices.Equal(got, []string{"asset-03"}) {
		t.Fatalf("queue outcomes: %+v", back.Outcomes)
	}
	if a := assetByID(t, c, "asset-03", "id", "status"); a.Status != "ONGOING" {
		t.Fatalf("after send back: status %s", a.Status)
	}

	// Delete.
	del, err := c.DeleteManyFromDataset(ctx, kili.AssetSelector{AssetIDs: app.AssetIDs})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := succeededIDs(del.Outcomes), slices.Sorted(slices.Values(app.AssetIDs)); !slices.Equal(got, want) {
		t.Fatalf("delete outcomes: %+v", del.Outcomes)
	}
	if n, err := c.CountAssets(ctx, project()); err != nil || n != nAssets {
		t.Fatalf("after delete: count %d, %v; want %d", n, err, nAssets)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, op := range []string{"append_many_to_dataset", "update_properties_in_assets", "add_to_review", "delete_many_from_dataset"} {
		if !progress[op] {
			t.Errorf("no final progress event for %s (got %v)", op, progress)
		}
	}
}

func TestMutationArgumentsAreCheckedBeforeAnyRequest(t *testing.T) {
	c := newClient(t, "")
	_, err := c.ChangeAssetExternalIDs(t.Context(), kili.ChangeExternalIDsArgs{
		NewExternalIDs: []string{"a", "b"}, AssetSelector: kili.AssetSelector{AssetIDs: []string{"asset-00"}},
	})
	var ke *kili.Error
	if !errors.As(err, &ke) || ke.Status != kili.StatusInvalidArgument || ke.Path() != "new_external_ids" {
		t.Fatalf("want invalid new_external_ids, got %v", err)
	}
	_, err = c.AppendManyToDataset(t.Context(), kili.AppendArgs{ProjectID: projectID})
	if !errors.Is(err, kili.ErrInvalidArgument) {
		t.Fatalf("an import without content: want ErrInvalidArgument, got %v", err)
	}
}
