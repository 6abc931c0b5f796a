package kili_test

import (
	"encoding/json"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/kili-technology/kili-native/bindings/go/kili"
)

func TestInvalidArgumentNamesThePath(t *testing.T) {
	c := newClient(t, "")
	_, err := c.CountAssets(t.Context(), kili.AssetFilters{ProjectID: projectID, StatusIn: []string{"TODO", "DONE"}})
	var ke *kili.Error
	if !errors.As(err, &ke) || ke.Status != kili.StatusInvalidArgument {
		t.Fatalf("want an invalid-argument *kili.Error, got %v", err)
	}
	if ke.Path() != "status_in[1]" {
		t.Fatalf("Path() = %q, want status_in[1] (details %s)", ke.Path(), ke.Details)
	}
	var d map[string]any
	if err := json.Unmarshal(ke.Details, &d); err != nil || d["status"] != "INVALID_ARGUMENT" {
		t.Fatalf("details = %s", ke.Details)
	}
	if errors.Is(err, kili.ErrNotFound) || errors.Is(err, kili.ErrClosed) {
		t.Fatal("an invalid argument must match only its own sentinel")
	}
	// Listing refuses the same argument before any request.
	if _, err := c.Assets(t.Context(), byProject(kili.AssetFilters{ProjectID: projectID, StatusIn: []string{"DONE"}})); !errors.Is(err, kili.ErrInvalidArgument) {
		t.Fatalf("Assets: want ErrInvalidArgument, got %v", err)
	}
	// And so do mutations (lists of different lengths).
	_, err = c.UpdatePropertiesInAssets(t.Context(), kili.UpdateArgs{
		AssetSelector: kili.AssetSelector{AssetIDs: []string{"asset-01", "asset-02"}}, Priorities: []int{1},
	})
	if !errors.As(err, &ke) || ke.Status != kili.StatusInvalidArgument || ke.Path() != "priorities" {
		t.Fatalf("want invalid priorities, got %v", err)
	}
}

func TestNotFound(t *testing.T) {
	c := newClient(t, "")
	if _, err := c.Assets(t.Context(), byProject(kili.AssetFilters{ProjectID: "no-such-project"})); !errors.Is(err, kili.ErrNotFound) {
		t.Fatalf("Assets on an unknown project: want ErrNotFound, got %v", err)
	}
	_, err := c.DeleteManyFromDataset(t.Context(), kili.AssetSelector{ExternalIDs: []string{"no-such-ext"}, ProjectID: projectID})
	if !errors.Is(err, kili.ErrNotFound) {
		t.Fatalf("unknown external id: want ErrNotFound, got %v", err)
	}
}

func TestNetworkError(t *testing.T) {
	// A port that was free a moment ago: nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := newClient(t, "http://"+addr+"/api/label/v2/graphql", kili.WithRetryDeadline(300*time.Millisecond))
	if _, err := c.CountAssets(t.Context(), project()); !errors.Is(err, kili.ErrNetwork) {
		t.Fatalf("want ErrNetwork, got %v", err)
	}
}

func TestUnknownKeyIsAnAuthError(t *testing.T) {
	c := newClient(t, "", kili.WithAPIKey("not-a-key"))
	_, err := c.CountAssets(t.Context(), project())
	if err == nil {
		t.Fatal("an unknown key must fail")
	}
	if !errors.Is(err, kili.ErrAuth) {
		t.Fatalf("want ErrAuth, got %v", err)
	}
}

func TestSentinelsMatchByStatus(t *testing.T) {
	e := &kili.Error{Status: kili.StatusRateLimited, Message: "slow down", Details: json.RawMessage(`{}`)}
	if !errors.Is(e, kili.ErrRateLimited) || errors.Is(e, kili.ErrTimeout) || errors.Is(e, kili.ErrClosed) {
		t.Fatal("sentinel matching is by status")
	}
	if kili.StatusNotFound.String() != "KILI_NOT_FOUND" || kili.Status(999).String() != "KILI_UNKNOWN_STATUS" {
		t.Fatal("Status.String must use kili_status_str")
	}
}

func TestRateLimitedAndServerErrors(t *testing.T) {
	cases := []struct {
		kind string
		want error
	}{
		{"429", kili.ErrRateLimited},
		{"500", kili.ErrServer},
	}
	for _, tc := range cases {
		t.Run(tc.kind, func(t *testing.T) {
			url := startEmulator(t, "--fault-rate", "1", "--fault-kinds", tc.kind, "--fault-operations", "countAssets", "--fault-retry-after", "0")
			c := newClient(t, url, kili.WithRetryDeadline(300*time.Millisecond))
			_, err := c.CountAssets(t.Context(), project())
			if !errors.Is(err, tc.want) {
				t.Fatalf("want %v, got %v", tc.want, err)
			}
		})
	}
}
