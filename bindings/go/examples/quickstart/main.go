// Command quickstart runs the whole lifecycle of the asset module against a Kili endpoint:
// count and list with filters, import, update, rename, review, back to queue, delete.
//
// It reads KILI_API_KEY and KILI_API_ENDPOINT from the environment (the library does it
// when no option sets them); by default run it against a local emulator. From bindings/go in
// the kili-native repository (no bundled library there: link cargo's debug build, see the
// README):
//
//	../../target/debug/kili-emulator --port 0 --seed-demo      # prints http://127.0.0.1:PORT
//	export KILI_API_ENDPOINT=http://127.0.0.1:PORT/api/label/v2/graphql KILI_API_KEY=demo-api-key
//	CGO_CFLAGS=-I$PWD/../../include CGO_LDFLAGS="-L$PWD/../../target/debug -Wl,-rpath,$PWD/../../target/debug" \
//	  go run -tags kili_system ./examples/quickstart [project_id]
//
// In a module of your own that requires the released module, this file builds as is with
// plain `go build` (tests/dist/go.sh does exactly that).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"

	"github.com/kili-technology/kili-native/bindings/go/kili"
)

func main() {
	project := "demo-project"
	if len(os.Args) > 1 {
		project = os.Args[1]
	}
	// Ctrl-C cancels whatever call is running.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, project); err != nil {
		var ke *kili.Error
		if errors.As(err, &ke) {
			fmt.Fprintf(os.Stderr, "kili error %s: %s\ndetails: %s\n", ke.Status, ke.Message, ke.Details)
		} else {
			fmt.Fprintln(os.Stderr, err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, project string) error {
	fmt.Println("kili-native", kili.Version())

	// 1. A client; api_key / api_endpoint come from the environment here. 2. Events:
	//    progress of bulk calls, deprecation and empty-list warnings (any goroutine).
	client, err := kili.NewClient(kili.WithPageSize(50), kili.WithEventHandler(func(e kili.Event) {
		fmt.Fprintf(os.Stderr, "  event: %s\n", e.Raw)
	}))
	if err != nil {
		return err
	}
	defer client.Close()
	in := kili.AssetFilters{ProjectID: project}

	// 3. Count, then list a few assets (pages are prefetched in the background).
	n, err := client.CountAssets(ctx, in)
	if err != nil {
		return err
	}
	fmt.Printf("assets in %s: %d\n", project, n)
	todo, err := client.CountAssets(ctx, kili.AssetFilters{ProjectID: project, StatusIn: []string{"TODO"}})
	if err != nil {
		return err
	}
	fmt.Println("TODO assets:", todo)
	rows, err := client.Assets(ctx, kili.AssetsQuery{AssetFilters: in, Fields: []string{"id", "externalId", "status"}, First: 5})
	if err != nil {
		return err
	}
	for a, err := range rows.All() {
		if err != nil {
			return err
		}
		fmt.Printf("  %s %s %s\n", a.ID, a.ExternalID, a.Status)
	}

	// 4. Import two assets.
	app, err := client.AppendManyToDataset(ctx, kili.AppendArgs{
		ProjectID:         project,
		ContentArray:      []string{"https://storage.example.com/quickstart/a.jpg", "https://storage.example.com/quickstart/b.jpg"},
		ExternalIDArray:   []string{"quickstart-a", "quickstart-b"},
		JSONMetadataArray: []map[string]any{{"source": "go"}, {"source": "go"}},
	})
	if err != nil {
		return err
	}
	fmt.Println("append_many_to_dataset:", app.AssetIDs)

	// 5. Update them: priorities, then a new external id.
	upd, err := client.UpdatePropertiesInAssets(ctx, kili.UpdateArgs{
		AssetSelector: kili.AssetSelector{ProjectID: project, ExternalIDs: []string{"quickstart-a", "quickstart-b"}},
		Priorities:    []int{3, 1},
	})
	if err != nil {
		return err
	}
	fmt.Println("update_properties_in_assets:", string(upd.Result))
	ren, err := client.ChangeAssetExternalIDs(ctx, kili.ChangeExternalIDsArgs{
		NewExternalIDs: []string{"quickstart-b2"},
		AssetSelector:  kili.AssetSelector{ProjectID: project, ExternalIDs: []string{"quickstart-b"}},
	})
	if err != nil {
		return err
	}
	fmt.Println("change_asset_external_ids:", string(ren.Result))

	// 6. Review workflow: only labeled assets can go to review (others are "declined").
	rev, err := client.AddToReview(ctx, kili.AssetSelector{ProjectID: project, ExternalIDs: []string{"image-03", "quickstart-a"}})
	if err != nil {
		return err
	}
	fmt.Printf("add_to_review: %s (%d succeeded, %d declined)\n", rev.Result, len(rev.Outcomes.Succeeded), len(rev.Outcomes.Declined))
	back, err := client.SendBackToQueue(ctx, kili.AssetSelector{ProjectID: project, ExternalIDs: []string{"image-03"}})
	if err != nil {
		return err
	}
	fmt.Println("send_back_to_queue:", string(back.Result))

	// 7. Delete what we imported; the count is back where it was.
	del, err := client.DeleteManyFromDataset(ctx, kili.AssetSelector{ProjectID: project, ExternalIDs: []string{"quickstart-a", "quickstart-b2"}})
	if err != nil {
		return err
	}
	fmt.Println("delete_many_from_dataset:", string(del.Result))
	if n, err = client.CountAssets(ctx, in); err != nil {
		return err
	}
	fmt.Printf("assets in %s: %d\n", project, n)

	// 8. Errors match categories with errors.Is; here a project the key cannot see.
	if _, err := client.Assets(ctx, kili.AssetsQuery{AssetFilters: kili.AssetFilters{ProjectID: "no-such-project"}}); errors.Is(err, kili.ErrNotFound) {
		fmt.Println("expected error:", err)
	} else {
		return fmt.Errorf("expected a not-found error, got %v", err)
	}
	return nil
}
