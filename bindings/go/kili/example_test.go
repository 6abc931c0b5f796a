package kili_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/kili-technology/kili-native/bindings/go/kili"
)

// In these examples `endpoint` is the emulator's GraphQL URL and `apiKey` its test key;
// against Kili's cloud, omit WithEndpoint and pass your key (or set KILI_API_KEY).

func ExampleNewClient() {
	client, err := kili.NewClient(kili.WithAPIKey(apiKey), kili.WithEndpoint(endpoint))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	n, err := client.CountAssets(context.Background(), kili.AssetFilters{ProjectID: "proj-go"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("assets:", n)
	// Output: assets: 30
}

func ExampleClient_Assets() {
	client, err := kili.NewClient(kili.WithAPIKey(apiKey), kili.WithEndpoint(endpoint))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	rows, err := client.Assets(context.Background(), kili.AssetsQuery{
		AssetFilters: kili.AssetFilters{
			ProjectID:           "proj-go",
			StatusIn:            []string{"LABELED"},
			LabelCategorySearch: "CLASSIF.A.count > 0",
		},
		Fields: []string{"id", "externalId", "status"},
		First:  3,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		a := rows.Asset()
		fmt.Println(a.ExternalID, a.Status)
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// ext-00 LABELED
	// ext-06 LABELED
	// ext-12 LABELED
}

func ExampleRows_All() {
	client, err := kili.NewClient(kili.WithAPIKey(apiKey), kili.WithEndpoint(endpoint))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	rows, err := client.Assets(context.Background(), kili.AssetsQuery{
		AssetFilters: kili.AssetFilters{ProjectID: "proj-go", ExternalIDIn: []string{"ext-01", "ext-02"}},
		Fields:       []string{"id", "externalId"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for a, err := range rows.All() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(a.ID, a.ExternalID)
	}
	// Output:
	// asset-01 ext-01
	// asset-02 ext-02
}

func ExampleError() {
	client, err := kili.NewClient(kili.WithAPIKey(apiKey), kili.WithEndpoint(endpoint))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	_, err = client.CountAssets(context.Background(), kili.AssetFilters{
		ProjectID: "proj-go",
		StatusIn:  []string{"DONE"},
	})
	var ke *kili.Error
	if errors.Is(err, kili.ErrInvalidArgument) && errors.As(err, &ke) {
		fmt.Println("bad argument:", ke.Path())
	}
	// Output: bad argument: status_in[0]
}

func ExampleWithEventHandler() {
	client, err := kili.NewClient(kili.WithAPIKey(apiKey), kili.WithEndpoint(endpoint),
		kili.WithEventHandler(func(e kili.Event) {
			if e.Type == "warning" {
				fmt.Println(e.Kind, "warning from", e.Method)
			}
		}))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	// consensus_mark_gt is a deprecated alias of consensus_mark_gte.
	if _, err := client.CountAssets(context.Background(), kili.AssetFilters{ProjectID: "proj-go", ConsensusMarkGT: kili.Float(0.5)}); err != nil {
		log.Fatal(err)
	}
	// Output: deprecation warning from count_assets
}
