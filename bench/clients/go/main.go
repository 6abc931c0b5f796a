// Command go_list is a benchmark client of bench/run.sh: it lists a project through the Go
// wrapper (Rows, decoded into kili.Asset) and prints {"secs", "items", "peak_rss_kb"}.
//
//	go_list PROJECT FIELDS      FIELDS: "default" or a comma list
//
// Endpoint and key come from KILI_API_ENDPOINT / KILI_API_KEY (read by the library).
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	kili "github.com/kili-technology/kili-native/bindings/go"
)

func peakRSSKB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			n, _ := strconv.ParseInt(strings.Fields(l)[1], 10, 64)
			return n
		}
	}
	return 0
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go_list PROJECT FIELDS")
		os.Exit(2)
	}
	c, err := kili.NewClient(kili.WithRateLimitPerMinute(0), kili.WithPrefetchPages(2))
	if err != nil {
		fmt.Fprintln(os.Stderr, "go_list:", err)
		os.Exit(1)
	}
	defer c.Close()
	q := kili.AssetsQuery{AssetFilters: kili.AssetFilters{ProjectID: os.Args[1]}}
	if os.Args[2] != "default" {
		q.Fields = strings.Split(os.Args[2], ",")
	}
	t := time.Now()
	rows, err := c.Assets(context.Background(), q)
	if err != nil {
		fmt.Fprintln(os.Stderr, "go_list:", err)
		os.Exit(1)
	}
	var n int64
	for rows.Next() {
		if rows.Asset().ID != "" {
			n++
		}
	}
	if err := rows.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "go_list:", err)
		os.Exit(1)
	}
	secs := time.Since(t).Seconds()
	fmt.Printf("{\"secs\": %f, \"items\": %d, \"peak_rss_kb\": %d}\n", secs, n, peakRSSKB())
}
