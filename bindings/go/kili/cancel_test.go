package kili_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kili-technology/kili-native/bindings/go/kili"
)

// slowLatency is the delay the slow emulator adds to every GraphQL request; the tests
// check that cancellation returns well before it.
const slowLatency = 1500 * time.Millisecond

func slowEmulator(t *testing.T) string {
	return startEmulator(t, "--fault-rate", "1", "--fault-kinds", "latency",
		"--fault-latency-ms", "1500", "--fault-seed", "1", "--fault-operations", "assets")
}

func TestContextCancelMidListing(t *testing.T) {
	c := newClient(t, slowEmulator(t), kili.WithPageSize(10), kili.WithCursorBatchSize(10), kili.WithPrefetchPages(1))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rows, err := c.Assets(ctx, byProject(project()))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for range 10 { // the first batch is already here
		if !rows.Next() {
			t.Fatalf("first batch: %v", rows.Err())
		}
		n++
	}
	cancel()
	start := time.Now()
	for rows.Next() {
		n++
	}
	if d := time.Since(start); d > slowLatency*2/3 {
		t.Fatalf("Next took %v after cancel: the cancellation did not reach the library", d)
	}
	err = rows.Err()
	if !errors.Is(err, kili.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("want ErrCancelled matching context.Canceled, got %v", err)
	}
	if n >= nAssets {
		t.Fatalf("listed all %d assets despite the cancel", n)
	}
}

func TestDeadlineBecomesTimeout(t *testing.T) {
	c := newClient(t, slowEmulator(t))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	rows, err := c.Assets(ctx, byProject(project()))
	if err == nil {
		for rows.Next() {
		}
		err = rows.Err()
	}
	if d := time.Since(start); d > slowLatency*2/3 {
		t.Fatalf("the listing took %v with a 300ms deadline", d)
	}
	if !errors.Is(err, kili.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want ErrTimeout matching context.DeadlineExceeded, got %v", err)
	}
}

func TestCancelledContextFailsBeforeAnyCall(t *testing.T) {
	c := newClient(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.CountAssets(ctx, project()); !errors.Is(err, kili.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("CountAssets: %v", err)
	}
	if _, err := c.Assets(ctx, byProject(project())); !errors.Is(err, context.Canceled) {
		t.Fatalf("Assets: %v", err)
	}
	if _, err := c.SendBackToQueue(ctx, kili.AssetSelector{AssetIDs: []string{"asset-00"}}); !errors.Is(err, context.Canceled) {
		t.Fatalf("SendBackToQueue: %v", err)
	}
}

func TestEarlyClose(t *testing.T) {
	c := newClient(t, "", kili.WithPageSize(10), kili.WithCursorBatchSize(2))
	rows, err := c.Assets(t.Context(), byProject(project()))
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatal(rows.Err())
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if err := rows.Close(); err != nil {
		t.Fatal("Close must be idempotent")
	}
	if rows.Next() {
		t.Fatal("Next after Close must return false")
	}
	if rows.Err() != nil {
		t.Fatalf("closing early is not an error: %v", rows.Err())
	}
	if _, ok := rows.ExpectedTotal(); ok {
		t.Fatal("ExpectedTotal after Close must report unknown")
	}
}

func TestCloseInterruptsABlockedNext(t *testing.T) {
	c := newClient(t, slowEmulator(t), kili.WithPageSize(10), kili.WithCursorBatchSize(10), kili.WithPrefetchPages(1))
	rows, err := c.Assets(t.Context(), byProject(project()))
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		if !rows.Next() {
			t.Fatal(rows.Err())
		}
	}
	done := make(chan time.Duration)
	started := make(chan struct{})
	go func() {
		close(started)
		start := time.Now()
		for rows.Next() {
		}
		done <- time.Since(start)
	}()
	<-started
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if d := <-done; d > slowLatency*2/3 {
		t.Fatalf("Next stayed blocked %v after Close", d)
	}
	if rows.Err() != nil {
		t.Fatalf("Close is not an error: %v", rows.Err())
	}
}

func TestClientCloseKeepsRowsWorking(t *testing.T) {
	c := newClient(t, "", kili.WithPageSize(10), kili.WithCursorBatchSize(10), kili.WithPrefetchPages(1))
	rows, err := c.Assets(t.Context(), byProject(project()))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	c.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if rows.Err() != nil || n != nAssets {
		t.Fatalf("listed %d after client Close (err %v), want %d", n, rows.Err(), nAssets)
	}
}
