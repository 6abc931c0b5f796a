package kili_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/kili-technology/kili-native/bindings/go/kili"
)

// TestMoreAssetMethods runs the typed methods of set_assets_priority,
// assign_assets_to_labelers, update_asset_consensus, add_metadata, set_metadata and
// skip_or_unskip against a fresh emulator and checks the server's state after each one.
func TestMoreAssetMethods(t *testing.T) {
	c := newClient(t, startEmulator(t))
	ctx := t.Context()
	sel := kili.AssetSelector{AssetIDs: []string{"asset-01", "asset-02"}}

	pr, err := c.SetAssetsPriority(ctx, kili.PriorityArgs{Priority: 5, AssetSelector: sel})
	if err != nil {
		t.Fatal(err)
	}
	var outcome struct{ Succeeded []struct{ AssetID string } }
	if err := json.Unmarshal(pr.Result, &outcome); err != nil || len(outcome.Succeeded) != 2 {
		t.Fatalf("priority result %s (%v)", pr.Result, err)
	}
	if a := assetByID(t, c, "asset-01", "id", "priority"); a.Priority != 5 {
		t.Fatalf("priority not set: %+v", a)
	}

	as, err := c.AssignAssetsToLabelers(ctx, kili.AssignArgs{ToBeLabeledByArray: [][]string{{"user-admin"}, nil}, AssetSelector: sel})
	if err != nil {
		t.Fatal(err)
	}
	if got := succeededIDs(as.Outcomes); !slices.Equal(got, []string{"asset-01", "asset-02"}) {
		t.Fatalf("assign outcomes: %+v", as.Outcomes)
	}
	a1 := assetByID(t, c, "asset-01", "id", "assignedTo.id")
	var who struct{ AssignedTo []struct{ ID string } }
	if err := json.Unmarshal(a1.Raw, &who); err != nil || len(who.AssignedTo) != 1 || who.AssignedTo[0].ID != "user-admin" {
		t.Fatalf("assignees of asset-01: %s (%v)", a1.Raw, err)
	}

	if _, err := c.AddMetadata(ctx, kili.MetadataArgs{ProjectID: projectID, AssetIDs: []string{"asset-01"},
		JSONMetadata: []map[string]any{{"a": 1}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddMetadata(ctx, kili.MetadataArgs{ProjectID: projectID, ExternalIDs: []string{"ext-01"},
		JSONMetadata: []map[string]any{{"b": "x"}}}); err != nil {
		t.Fatal(err)
	}
	var meta map[string]any
	_ = json.Unmarshal(assetByID(t, c, "asset-01", "id", "jsonMetadata").JSONMetadata, &meta)
	if meta["a"] != 1.0 || meta["b"] != "x" {
		t.Fatalf("after add_metadata: %v", meta)
	}
	set, err := c.SetMetadata(ctx, kili.MetadataArgs{ProjectID: projectID, AssetIDs: []string{"asset-01"},
		JSONMetadata: []map[string]any{{"only": true}}})
	if err != nil {
		t.Fatal(err)
	}
	if string(set.Result) != `[{"id":"asset-01"}]` {
		t.Fatalf("set_metadata result %s", set.Result)
	}
	if m := assetByID(t, c, "asset-01", "id", "jsonMetadata").JSONMetadata; string(m) != `{"only":true}` {
		t.Fatalf("after set_metadata: %s", m)
	}

	sk, err := c.SkipOrUnskip(ctx, kili.SkipArgs{Action: "skip", AssetID: "asset-02", ProjectID: projectID, Reason: "blurry"})
	if err != nil || string(sk.Result) != `"asset-02"` {
		t.Fatalf("skip: %v %v", sk, err)
	}
	if a := assetByID(t, c, "asset-02", "id", "skipped"); !a.Skipped {
		t.Fatalf("not skipped: %+v", a)
	}
	if _, err := c.SkipOrUnskip(ctx, kili.SkipArgs{Action: "unskip", AssetID: "asset-02", ProjectID: projectID}); err != nil {
		t.Fatal(err)
	}
	if a := assetByID(t, c, "asset-02", "id", "skipped"); a.Skipped {
		t.Fatalf("still skipped: %+v", a)
	}

	// The test project uses the legacy workflow, where the server refuses consensus changes:
	// the refusal comes back as the failed item.
	_, err = c.UpdateAssetConsensus(ctx, kili.ConsensusArgs{ProjectID: projectID, IsConsensus: true, AssetID: "asset-01"})
	var ke *kili.Error
	if !errors.As(err, &ke) || ke.Status != kili.StatusPartialFailure {
		t.Fatalf("consensus on a legacy project: want ErrPartialFailure, got %v", err)
	}
	if o, ok := ke.Outcomes(); !ok || len(o.Failed) != 1 || o.Failed[0].AssetID != "asset-01" {
		t.Fatalf("failed items: %+v", o)
	}

	// Checked before any request.
	_, err = c.SkipOrUnskip(ctx, kili.SkipArgs{Action: "skip", AssetID: "asset-02", ProjectID: projectID})
	if !errors.As(err, &ke) || ke.Status != kili.StatusInvalidArgument || ke.Path() != "reason" {
		t.Fatalf("skip without reason: want invalid reason, got %v", err)
	}
}
