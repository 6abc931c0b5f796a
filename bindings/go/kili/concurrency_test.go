package kili_test

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"

	"github.com/kili-technology/kili-native/bindings/go/kili"
)

func TestSixteenGoroutinesShareOneClient(t *testing.T) {
	var events sync.Map
	c := newClient(t, "", kili.WithPageSize(10), kili.WithCursorBatchSize(3), kili.WithRateLimitPerMinute(1_000_000),
		kili.WithEventHandler(func(e kili.Event) { events.Store(e.Type, true) }))
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ext := fmt.Sprintf("ext-%02d", g)
			for range 5 {
				n, err := c.CountAssets(t.Context(), kili.AssetFilters{ProjectID: projectID, StatusIn: []string{"LABELED"}})
				if err != nil || n != 10 {
					errs <- fmt.Errorf("goroutine %d: count %d, %v", g, n, err)
					return
				}
				rows, err := c.Assets(t.Context(), byProject(project()))
				if err != nil {
					errs <- err
					return
				}
				seen := 0
				for a, err := range rows.All() {
					if err != nil {
						errs <- err
						return
					}
					seen++
					_ = a
				}
				if seen != nAssets {
					errs <- fmt.Errorf("goroutine %d listed %d", g, seen)
					return
				}
				one, err := c.Assets(t.Context(), byProject(kili.AssetFilters{ProjectID: projectID, ExternalIDIn: []string{ext}}))
				if err != nil {
					errs <- err
					return
				}
				if !one.Next() || one.Asset().ExternalID != ext {
					errs <- fmt.Errorf("goroutine %d: wrong asset for %s (%v)", g, ext, one.Err())
				}
				one.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestGCWithLiveCursors interleaves cursors with forced collections, and abandons clients
// and cursors without closing them: the cleanups must free them (observed through the
// event handlers the library releases) without disturbing live ones.
func TestGCWithLiveCursors(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(1))
	base := kili.LiveEventHandles()

	c := newClient(t, "", kili.WithPageSize(10), kili.WithCursorBatchSize(3))
	live := make([]*kili.Rows, 6)
	counts := make([]int, len(live))
	for i := range live {
		r, err := c.Assets(t.Context(), byProject(project()))
		if err != nil {
			t.Fatal(err)
		}
		live[i] = r
	}
	abandon := func() {
		ac, err := kili.NewClient(kili.WithAPIKey(testKey), kili.WithEndpoint(endpoint), kili.WithEventHandler(func(kili.Event) {}))
		if err != nil {
			t.Error(err)
			return
		}
		r, err := ac.Assets(t.Context(), byProject(project()))
		if err != nil {
			t.Error(err)
			return
		}
		r.Next() // leave it mid-listing, never Close it, nor the client
		if kili.LiveEventHandles() <= base {
			t.Error("a live abandoned client must hold its event handler")
		}
	}
	for step := 0; ; step++ {
		active := false
		for i, r := range live {
			if r.Next() {
				counts[i]++
				active = true
			}
		}
		if step%5 == 0 {
			abandon()
		}
		runtime.GC()
		if !active {
			break
		}
	}
	for i, r := range live {
		if r.Err() != nil || counts[i] != nAssets {
			t.Fatalf("cursor %d: %d assets, err %v", i, counts[i], r.Err())
		}
	}
	// Cleanups run asynchronously after a collection; give them a bounded number of cycles.
	for range 50 {
		runtime.GC()
		if kili.LiveEventHandles() == base {
			return
		}
		runtime.Gosched()
	}
	t.Fatalf("cleanups did not release the abandoned clients: %d handlers still live (baseline %d)", kili.LiveEventHandles(), base)
}
