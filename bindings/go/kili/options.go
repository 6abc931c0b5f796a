//go:build cgo

// (Without cgo nocgo.go is the only file built, so that its message is the only error.)

package kili

import "time"

// Option configures NewClient. Options are applied in order; a later one wins.
type Option func(*clientConfig)

type clientConfig struct {
	// json holds the options object given to kili_client_new (the C ABI's names).
	json      map[string]any
	onEvent   func(Event)
	batchSize int
}

// WithAPIKey sets the API key (default: the KILI_API_KEY environment variable).
// The key is handed to the library and never appears in errors or logs.
func WithAPIKey(key string) Option { return WithRawOption("api_key", key) }

// WithEndpoint sets the GraphQL endpoint, e.g. "http://127.0.0.1:8080/api/label/v2/graphql"
// (default: KILI_API_ENDPOINT, else Kili's cloud).
func WithEndpoint(url string) Option { return WithRawOption("api_endpoint", url) }

// WithRateLimitPerMinute caps the requests the client sends per minute.
func WithRateLimitPerMinute(n int) Option { return WithRawOption("rate_limit_per_minute", n) }

// WithPageSize sets how many assets one GraphQL request fetches (1..100).
func WithPageSize(n int) Option { return WithRawOption("page_size", n) }

// WithPrefetchPages sets how many page requests a cursor keeps in flight in the background;
// 0 runs the listing on the goroutine's thread inside Next, with no background work.
func WithPrefetchPages(n int) Option { return WithRawOption("prefetch_pages", n) }

// WithMutationConcurrency sets how many batches of one mutation call (update, review, back
// to queue, delete) are in flight at once (1..64, default 8; 1 sends them one after the
// other). A call that names an asset twice always runs its batches one after the other.
func WithMutationConcurrency(n int) Option { return WithRawOption("mutation_concurrency", n) }

// WithRequestTimeout bounds each HTTP request.
func WithRequestTimeout(d time.Duration) Option {
	return WithRawOption("request_timeout_ms", d.Milliseconds())
}

// WithRetryDeadline bounds the retries of one request (rate limiting, transient errors).
func WithRetryDeadline(d time.Duration) Option {
	return WithRawOption("retry_deadline_ms", d.Milliseconds())
}

// WithRawOption sets any key of the C ABI's client options object (see kili_client_new in
// kili.h: "verify_tls", "ca_bundle", "connect_timeout_ms", ...). Unknown keys make
// NewClient fail with ErrInvalidArgument naming the closest valid key.
func WithRawOption(key string, value any) Option {
	return func(c *clientConfig) { c.json[key] = value }
}

// WithEventHandler installs a handler for the client's events (progress of long calls,
// warnings such as deprecated arguments, logs). It may run on any goroutine, concurrently
// with itself; it must be quick, safe for concurrent use, and must not call the Client
// (such calls fail with ErrInvalidState). A panic in it is recovered and printed to stderr,
// never propagated into the library.
func WithEventHandler(h func(Event)) Option {
	return func(c *clientConfig) { c.onEvent = h }
}

// WithCursorBatchSize sets how many assets a Rows takes from the library per crossing of
// the cgo boundary (default 256).
func WithCursorBatchSize(n int) Option {
	return func(c *clientConfig) { c.batchSize = n }
}
