package kili_test

// Reliability suite (issue 10) through the Go wrapper: an emulator injecting faults into 20%
// of the GraphQL requests (500/502/503/504, 429 with Retry-After 0, connection resets,
// truncated bodies, 50 ms latency spikes); a listing of 20,000 assets yields every id once
// and an import of 2,000 assets ends with exactly those assets and an accurate report.
// Queries retry every uncertain 5xx up to max_attempts_uncertain; should one still stop a call
// (a 5xx that stayed for every attempt) the caller resumes the listing with Skip or re-runs
// the import, and nothing else may stop them. Run under -race by
// test.sh. Prints FIGURES lines with -v.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kili-technology/kili-native/bindings/go/kili"
)

const relGenerated = 20_000

func faultyEmulator(t *testing.T) string {
	return startEmulator(t,
		"--generate-assets", fmt.Sprint(relGenerated), "--generate-project", projectID,
		"--fault-rate", "0.2", "--fault-kinds", "500,502,503,504,429,reset,truncated,latency",
		"--fault-retry-after", "0", "--fault-latency-ms", "50", "--fault-seed", "10")
}

// listAll lists the ids of the project, resuming after the documented give-ups.
func listAll(t *testing.T, c *kili.Client, fields []string) (ids []string, exts []string, resumes int) {
	ctx := context.Background()
	for {
		rows, err := c.Assets(ctx, kili.AssetsQuery{AssetFilters: kili.AssetFilters{ProjectID: projectID}, Fields: fields, Skip: len(ids)})
		if err == nil {
			for rows.Next() {
				a := rows.Asset()
				ids, exts = append(ids, a.ID), append(exts, a.ExternalID)
			}
			err = rows.Err()
			rows.Close()
		}
		if err == nil {
			return ids, exts, resumes
		}
		var ke *kili.Error
		if !errors.As(err, &ke) || ke.Status != kili.StatusServer {
			t.Fatalf("only an exhausted 5xx may stop a query, got %v", err)
		}
		var d struct {
			HTTPStatus int `json:"http_status"`
		}
		_ = json.Unmarshal(ke.Details, &d)
		if d.HTTPStatus < 500 || d.HTTPStatus > 504 {
			t.Fatalf("only an exhausted 5xx may stop a query, got %v (%s)", err, ke.Details)
		}
		resumes++
		if resumes > 100 {
			t.Fatalf("the listing keeps failing: %v", err)
		}
	}
}

func TestReliabilityUnderFaults(t *testing.T) {
	ep := faultyEmulator(t)
	var logs atomic.Int64
	c, err := kili.NewClient(kili.WithAPIKey(testKey), kili.WithEndpoint(ep), kili.WithRateLimitPerMinute(0),
		kili.WithRawOption("backoff_base_ms", 2), kili.WithRawOption("max_backoff_ms", 20), kili.WithRawOption("max_attempts_uncertain", 10),
		kili.WithEventHandler(func(e kili.Event) {
			if e.Type == "log" {
				logs.Add(1)
			}
		}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	// Listing.
	ids, _, resumes := listAll(t, c, []string{"id"})
	seen := map[string]bool{}
	dups := 0
	for _, id := range ids {
		if seen[id] {
			dups++
		}
		seen[id] = true
	}
	want := relGenerated + nAssets
	t.Logf("FIGURES list[go]: assets=%d duplicates=%d missing=%d resumes=%d", len(ids), dups, want-len(seen), resumes)
	if len(ids) != want || dups != 0 || len(seen) != want {
		t.Fatalf("listing: got %d ids (%d unique), want %d once each", len(ids), len(seen), want)
	}

	// Import.
	const n = 2_000
	args := kili.AppendArgs{ProjectID: projectID}
	for i := range n {
		args.ContentArray = append(args.ContentArray, fmt.Sprintf("reliability text %d", i))
		args.ExternalIDArray = append(args.ExternalIDArray, fmt.Sprintf("go-rel-%d", i))
	}
	// After a give-up of the import pipeline's own queries (a partial failure whose failed
	// items all name an exhausted 5xx) the same call is re-run; it creates only what is missing.
	var res *kili.AppendResult
	reruns, created := 0, map[string]int{}
	for {
		res, err = c.AppendManyToDataset(context.Background(), args)
		var ke *kili.Error
		if err == nil {
			break
		}
		if !errors.As(err, &ke) {
			t.Fatalf("import: %v", err)
		}
		if out, ok := ke.Outcomes(); ok && ke.Status == kili.StatusPartialFailure {
			for _, f := range out.Failed {
				if !exhausted5xx(f.Reason) {
					t.Fatalf("only the documented give-ups may fail an item: %+v", f)
				}
			}
			for _, o := range out.Succeeded {
				created[o.AssetID]++
			}
		} else {
			var d struct {
				HTTPStatus int `json:"http_status"`
			}
			_ = json.Unmarshal(ke.Details, &d)
			if ke.Status != kili.StatusServer || d.HTTPStatus < 500 || d.HTTPStatus > 504 {
				t.Fatalf("only the documented give-ups may fail the import: %v (%s)", err, ke.Details)
			}
		}
		reruns++
		if reruns > 20 {
			t.Fatalf("the import keeps failing: %v", err)
		}
	}
	for _, o := range res.Outcomes.Succeeded {
		created[o.AssetID]++
	}
	if len(res.Outcomes.Failed) != 0 || len(res.Outcomes.Succeeded)+len(res.Outcomes.Declined) != n || len(created) != n {
		t.Fatalf("import report: %d succeeded, %d declined, %d failed, %d created over %d runs", len(res.Outcomes.Succeeded), len(res.Outcomes.Declined), len(res.Outcomes.Failed), len(created), reruns+1)
	}
	for id, k := range created {
		if k != 1 {
			t.Fatalf("asset %s reported created %d times", id, k)
		}
	}
	ids, exts, resumes2 := listAll(t, c, []string{"id", "externalId"})
	byID := map[string]string{}
	count := map[string]int{}
	for i := range ids {
		byID[ids[i]] = exts[i]
		count[exts[i]]++
	}
	dups, missing := 0, 0
	for i := range n {
		switch count[fmt.Sprintf("go-rel-%d", i)] {
		case 0:
			missing++
		case 1:
		default:
			dups++
		}
	}
	for id := range created {
		if _, ok := byID[id]; !ok {
			t.Fatalf("reported asset %s is not in the project", id)
		}
	}
	t.Logf("FIGURES import[go]: assets=%d duplicates=%d missing=%d reruns=%d listing_resumes=%d log_events=%d", n-missing, dups, missing, reruns, resumes2, logs.Load())
	if dups != 0 || missing != 0 || len(ids) != want+n {
		t.Fatalf("import: %d duplicates, %d missing, %d assets in the project (want %d)", dups, missing, len(ids), want+n)
	}
}

// exhausted5xx reports whether a failed item's reason names an HTTP 500-504 answer.
func exhausted5xx(reason string) bool {
	for c := 500; c <= 504; c++ {
		if strings.Contains(reason, fmt.Sprintf("HTTP %d", c)) {
			return true
		}
	}
	return false
}
