package kili

// #include "kili.h"
import "C"

import (
	"context"
	"encoding/json"
	"runtime"
)

// AssetSelector names the assets an action applies to: AssetIDs, or ExternalIDs together
// with ProjectID.
type AssetSelector struct {
	AssetIDs    []string `json:"asset_ids,omitempty"`
	ExternalIDs []string `json:"external_ids,omitempty"`
	ProjectID   string   `json:"project_id,omitempty"`
}

// AppendArgs are the arguments of AppendManyToDataset (Python's append_many_to_dataset).
type AppendArgs struct {
	ProjectID string `json:"project_id"`
	// ContentArray holds URLs, local file paths or raw text, depending on the input type.
	ContentArray           []string           `json:"content_array,omitempty"`
	MultiLayerContentArray [][]map[string]any `json:"multi_layer_content_array,omitempty"`
	ExternalIDArray        []string           `json:"external_id_array,omitempty"`
	IsHoneypotArray        []bool             `json:"is_honeypot_array,omitempty"`
	// JSONContentArray holds per-asset JSON contents (video frames, rich text, ...).
	JSONContentArray      []any            `json:"json_content_array,omitempty"`
	JSONMetadataArray     []map[string]any `json:"json_metadata_array,omitempty"`
	DisableTqdm           *bool            `json:"disable_tqdm,omitempty"`
	WaitUntilAvailability *bool            `json:"wait_until_availability,omitempty"`
	FromCSV               string           `json:"from_csv,omitempty"`
	CSVSeparator          string           `json:"csv_separator,omitempty"`
	// Deprecated: StatusArray has no effect (accepted with a deprecation warning).
	StatusArray []string `json:"status_array,omitempty"`
}

// UpdateArgs are the arguments of UpdatePropertiesInAssets (update_properties_in_assets).
// Every list is parallel to the selected assets.
type UpdateArgs struct {
	AssetSelector
	Priorities              []int              `json:"priorities,omitempty"`
	JSONMetadatas           []any              `json:"json_metadatas,omitempty"`
	ConsensusMarks          []float64          `json:"consensus_marks,omitempty"`
	HoneypotMarks           []float64          `json:"honeypot_marks,omitempty"`
	ToBeLabeledByArray      [][]string         `json:"to_be_labeled_by_array,omitempty"`
	Contents                []string           `json:"contents,omitempty"`
	JSONContents            []string           `json:"json_contents,omitempty"`
	IsUsedForConsensusArray []bool             `json:"is_used_for_consensus_array,omitempty"`
	IsHoneypotArray         []bool             `json:"is_honeypot_array,omitempty"`
	ResolutionArray         []Resolution       `json:"resolution_array,omitempty"`
	PageResolutionsArray    [][]PageResolution `json:"page_resolutions_array,omitempty"`
	// Deprecated: StatusArray has no effect (accepted with a deprecation warning).
	StatusArray []string `json:"status_array,omitempty"`
}

// Resolution is the size of an image or video asset.
type Resolution struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// PageResolution is the size of one page of a PDF asset.
type PageResolution struct {
	Width      int  `json:"width"`
	Height     int  `json:"height"`
	PageNumber int  `json:"pageNumber"`
	Rotation   *int `json:"rotation,omitempty"`
}

// ChangeExternalIDsArgs are the arguments of ChangeAssetExternalIDs.
type ChangeExternalIDsArgs struct {
	NewExternalIDs []string `json:"new_external_ids"`
	AssetSelector
}

// ItemOutcome is what happened to one item of a bulk call.
type ItemOutcome struct {
	AssetID    string `json:"asset_id"`
	ExternalID string `json:"external_id"`
	// Reason says why the item was declined or failed.
	Reason string `json:"reason,omitempty"`
}

// Outcomes lists every item of a bulk call under exactly one key.
type Outcomes struct {
	Succeeded []ItemOutcome `json:"succeeded"`
	// Declined items were refused as not applicable (e.g. an asset without label sent to
	// review).
	Declined []ItemOutcome `json:"declined"`
	// Failed items could not be written or confirmed (the call then returns
	// ErrPartialFailure, whose Outcomes method gives this list).
	Failed []ItemOutcome `json:"failed"`
	// Pending items are asynchronous imports not waited for.
	Pending []ItemOutcome `json:"pending,omitempty"`
}

// MutationResult is the result of every action: the Python SDK's return value as JSON, and
// the per-item outcomes.
type MutationResult struct {
	// Result is exactly what the Python SDK returns ({"id", "asset_ids"} for an import,
	// [{"id"}] for updates, {"id"} or null for the actions).
	Result   json.RawMessage `json:"result"`
	Outcomes Outcomes        `json:"outcomes"`
}

// AppendResult is the result of AppendManyToDataset.
type AppendResult struct {
	MutationResult
	// ProjectID and AssetIDs are Result decoded.
	ProjectID string
	AssetIDs  []string
}

// mutate runs one action through kili_assets_mutate and decodes its result.
func (c *Client) mutate(ctx context.Context, action string, args any) (*MutationResult, error) {
	if ctx.Err() != nil {
		return nil, contextError(ctx)
	}
	body, err := marshalArgs(action, args)
	if err != nil {
		return nil, err
	}
	var out []byte
	err = c.use(func(p *C.kili_client_t) error {
		scope := newCallScope(ctx, false)
		defer scope.release()
		opts := scope.options()
		name := []byte(action)
		np, nn := cBytes(name)
		ap, an := cBytes(body)
		var res C.kili_bytes_t
		var cerr *C.kili_error_t
		st := C.kili_assets_mutate(p, np, nn, ap, an, &opts, &res, &cerr)
		runtime.KeepAlive(name)
		runtime.KeepAlive(body)
		if st != C.KILI_OK {
			return takeError(st, cerr, ctx)
		}
		out = takeBytes(&res)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var r MutationResult
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, &Error{Status: StatusInternal, Message: action + ": undecodable result from the library: " + err.Error(), Details: json.RawMessage(`{}`)}
	}
	return &r, nil
}

// AppendManyToDataset imports assets into a project (Python's append_many_to_dataset).
// Progress is reported as events.
//
// Errors: ErrInvalidArgument (before any request), ErrPartialFailure (see Error.Outcomes),
// and the network/server errors of CountAssets.
func (c *Client) AppendManyToDataset(ctx context.Context, args AppendArgs) (*AppendResult, error) {
	r, err := c.mutate(ctx, "append_many_to_dataset", args)
	if err != nil {
		return nil, err
	}
	out := &AppendResult{MutationResult: *r}
	var ids struct {
		ID       string   `json:"id"`
		AssetIDs []string `json:"asset_ids"`
	}
	if json.Unmarshal(r.Result, &ids) == nil {
		out.ProjectID, out.AssetIDs = ids.ID, ids.AssetIDs
	}
	return out, nil
}

// UpdatePropertiesInAssets updates properties of assets (update_properties_in_assets).
// Errors: as AppendManyToDataset.
func (c *Client) UpdatePropertiesInAssets(ctx context.Context, args UpdateArgs) (*MutationResult, error) {
	return c.mutate(ctx, "update_properties_in_assets", args)
}

// ChangeAssetExternalIDs renames assets (change_asset_external_ids).
// Errors: as AppendManyToDataset.
func (c *Client) ChangeAssetExternalIDs(ctx context.Context, args ChangeExternalIDsArgs) (*MutationResult, error) {
	return c.mutate(ctx, "change_asset_external_ids", args)
}

// DeleteManyFromDataset deletes assets (delete_many_from_dataset).
// Errors: as AppendManyToDataset.
func (c *Client) DeleteManyFromDataset(ctx context.Context, sel AssetSelector) (*MutationResult, error) {
	return c.mutate(ctx, "delete_many_from_dataset", sel)
}

// AddToReview sends assets to review (add_to_review); assets without a label are declined.
// Errors: as AppendManyToDataset.
func (c *Client) AddToReview(ctx context.Context, sel AssetSelector) (*MutationResult, error) {
	return c.mutate(ctx, "add_to_review", sel)
}

// SendBackToQueue sends assets back to the labeling queue (send_back_to_queue).
// Errors: as AppendManyToDataset.
func (c *Client) SendBackToQueue(ctx context.Context, sel AssetSelector) (*MutationResult, error) {
	return c.mutate(ctx, "send_back_to_queue", sel)
}
