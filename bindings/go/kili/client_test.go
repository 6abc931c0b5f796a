package kili_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/kili-technology/kili-native/bindings/go/kili"
)

func TestVersionMatchesHeader(t *testing.T) {
	if got := kili.Version(); got != kili.HeaderVersion {
		t.Fatalf("library version %q, header %q", got, kili.HeaderVersion)
	}
}

func TestNewClientRefusesUnknownOption(t *testing.T) {
	_, err := kili.NewClient(kili.WithAPIKey(testKey), kili.WithEndpoint(endpoint), kili.WithRawOption("page_sise", 3))
	if !errors.Is(err, kili.ErrInvalidArgument) {
		t.Fatalf("want ErrInvalidArgument, got %v", err)
	}
	if !strings.Contains(err.Error(), "page_size") {
		t.Fatalf("the error should suggest page_size: %v", err)
	}
	var ke *kili.Error
	if !errors.As(err, &ke) || ke.Path() != "page_sise" {
		t.Fatalf("want Path() == page_sise, got %#v", ke)
	}
}

func TestNewClientRefusesBadMutationConcurrency(t *testing.T) {
	_, err := kili.NewClient(kili.WithAPIKey(testKey), kili.WithEndpoint(endpoint), kili.WithMutationConcurrency(0))
	var ke *kili.Error
	if !errors.As(err, &ke) || !errors.Is(err, kili.ErrInvalidArgument) || ke.Path() != "mutation_concurrency" {
		t.Fatalf("want ErrInvalidArgument naming mutation_concurrency, got %v", err)
	}
}

func TestNewClientRefusesBadBatchSize(t *testing.T) {
	_, err := kili.NewClient(kili.WithAPIKey(testKey), kili.WithEndpoint(endpoint), kili.WithCursorBatchSize(0))
	if !errors.Is(err, kili.ErrInvalidArgument) {
		t.Fatalf("want ErrInvalidArgument, got %v", err)
	}
}

func TestAPIKeyNeverInErrors(t *testing.T) {
	const secret = "sk-very-secret-go-key"
	c := newClient(t, "", kili.WithAPIKey(secret))
	_, err := c.CountAssets(t.Context(), project())
	if err == nil {
		t.Fatal("an unknown key must fail")
	}
	var ke *kili.Error
	errors.As(err, &ke)
	if strings.Contains(err.Error(), secret) || strings.Contains(string(ke.Details), secret) {
		t.Fatalf("the API key leaked into the error: %v %s", err, ke.Details)
	}
}

func TestCloseIsIdempotentAndLaterCallsFail(t *testing.T) {
	c := newClient(t, "")
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := c.CountAssets(t.Context(), project())
	if !errors.Is(err, kili.ErrClosed) || !errors.Is(err, kili.ErrInvalidState) {
		t.Fatalf("want ErrClosed (an ErrInvalidState), got %v", err)
	}
	if _, err := c.Assets(t.Context(), byProject(project())); !errors.Is(err, kili.ErrClosed) {
		t.Fatalf("want ErrClosed, got %v", err)
	}
	if _, err := c.AddToReview(t.Context(), kili.AssetSelector{AssetIDs: []string{"asset-00"}}); !errors.Is(err, kili.ErrClosed) {
		t.Fatalf("want ErrClosed, got %v", err)
	}
}

func TestEventsReachTheHandler(t *testing.T) {
	var mu sync.Mutex
	var events []kili.Event
	c := newClient(t, "", kili.WithEventHandler(func(e kili.Event) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}))
	// A deprecated alias is accepted and reported as a deprecation warning.
	if _, err := c.CountAssets(t.Context(), kili.AssetFilters{ProjectID: projectID, ConsensusMarkGT: kili.Float(0.5)}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, e := range events {
		if e.Type == "warning" && e.Kind == "deprecation" && strings.Contains(e.Message, "consensus_mark_gt") {
			if e.Method != "count_assets" || len(e.Raw) == 0 {
				t.Fatalf("incomplete event: %+v", e)
			}
			return
		}
	}
	t.Fatalf("no deprecation warning among %+v", events)
}

func TestEventHandlerPanicIsContained(t *testing.T) {
	c := newClient(t, "", kili.WithEventHandler(func(kili.Event) { panic("handler bug") }))
	n, err := c.CountAssets(t.Context(), kili.AssetFilters{ProjectID: projectID, ConsensusMarkGT: kili.Float(0.5)})
	if err != nil || n != 0 {
		t.Fatalf("the call must complete normally despite the handler's panic: %d %v", n, err)
	}
}
