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
	// [{"id"}] for updates and metadata, {"id"} or null for delete/review/queue, the outcome
	// dict for priority and assignment, a boolean for consensus, the asset id for skip).
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

// PriorityArgs are the arguments of SetAssetsPriority (set_assets_priority): one priority
// (>= 0; higher is served first) for every selected asset.
type PriorityArgs struct {
	Priority int `json:"priority"`
	AssetSelector
}

// AssignArgs are the arguments of AssignAssetsToLabelers (assign_assets_to_labelers): for
// each selected asset, the ids of the users who become its assignees. An empty (or nil)
// list unassigns the asset.
type AssignArgs struct {
	ToBeLabeledByArray [][]string `json:"to_be_labeled_by_array"`
	AssetSelector
}

// ConsensusArgs are the arguments of UpdateAssetConsensus (update_asset_consensus): one
// asset by AssetID and/or ExternalID.
type ConsensusArgs struct {
	ProjectID   string `json:"project_id"`
	IsConsensus bool   `json:"is_consensus"`
	AssetID     string `json:"asset_id,omitempty"`
	ExternalID  string `json:"external_id,omitempty"`
}

// MetadataArgs are the arguments of AddMetadata and SetMetadata: one metadata object per
// asset (values are strings, numbers or booleans), assets by AssetIDs or ExternalIDs.
type MetadataArgs struct {
	JSONMetadata []map[string]any `json:"json_metadata"`
	ProjectID    string           `json:"project_id"`
	AssetIDs     []string         `json:"asset_ids,omitempty"`
	ExternalIDs  []string         `json:"external_ids,omitempty"`
}

// SkipArgs are the arguments of SkipOrUnskip (skip_or_unskip). Action is "skip" (Reason
// required) or "unskip".
type SkipArgs struct {
	Action    string `json:"action"`
	AssetID   string `json:"asset_id"`
	ProjectID string `json:"project_id"`
	Reason    string `json:"reason,omitempty"`
}

// SetAssetsPriority sets the priority of assets (set_assets_priority). Assets not waiting
// for work (in progress, done, skipped) are declined. Result is the Python SDK's outcome
// dict ({"declined", "failed", "succeeded"} lists of {"assetId", "externalId"}).
// Errors: as AppendManyToDataset.
func (c *Client) SetAssetsPriority(ctx context.Context, args PriorityArgs) (*MutationResult, error) {
	return c.mutate(ctx, "set_assets_priority", args)
}

// AssignAssetsToLabelers makes the given users the assignees of each asset
// (assign_assets_to_labelers); an asset whose labeler with work in progress would lose it is
// declined. Result is the Python SDK's outcome dict, as SetAssetsPriority.
// Errors: as AppendManyToDataset.
func (c *Client) AssignAssetsToLabelers(ctx context.Context, args AssignArgs) (*MutationResult, error) {
	// A nil list would be sent as null, which the library refuses; nil means "nobody" here.
	lists := make([][]string, len(args.ToBeLabeledByArray))
	for i, l := range args.ToBeLabeledByArray {
		if l == nil {
			l = []string{}
		}
		lists[i] = l
	}
	args.ToBeLabeledByArray = lists
	return c.mutate(ctx, "assign_assets_to_labelers", args)
}

// UpdateAssetConsensus turns consensus on or off for one asset (update_asset_consensus);
// Result is the boolean set. The server's refusal (legacy workflow, asset not to do in a
// labeling step, caller neither admin nor team manager) is ErrPartialFailure with the reason
// in the failed item.
// Errors: as AppendManyToDataset.
func (c *Client) UpdateAssetConsensus(ctx context.Context, args ConsensusArgs) (*MutationResult, error) {
	return c.mutate(ctx, "update_asset_consensus", args)
}

// AddMetadata adds keys to the metadata of assets, keeping the others (add_metadata).
// Result is [{"id"}] per updated asset; an asset not in the project fails alone.
// Errors: as AppendManyToDataset.
func (c *Client) AddMetadata(ctx context.Context, args MetadataArgs) (*MutationResult, error) {
	return c.mutate(ctx, "add_metadata", args)
}

// SetMetadata replaces the metadata of assets, keeping only the keys Kili relies on (text,
// imageUrl, url, processingParameters) unless given (set_metadata). Result as AddMetadata.
// Errors: as AppendManyToDataset.
func (c *Client) SetMetadata(ctx context.Context, args MetadataArgs) (*MutationResult, error) {
	return c.mutate(ctx, "set_metadata", args)
}

// SkipOrUnskip skips or unskips one asset (skip_or_unskip); Result is the asset id.
// Errors: as AppendManyToDataset.
func (c *Client) SkipOrUnskip(ctx context.Context, args SkipArgs) (*MutationResult, error) {
	return c.mutate(ctx, "skip_or_unskip", args)
}
