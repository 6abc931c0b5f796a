package kili

// #include "kili.h"
import "C"

import (
	"context"
	"encoding/json"
	"runtime"
)

// AssetFilters are the filters shared by Assets and CountAssets. Each field is the Python
// SDK's argument of the same snake_case name (see the json tags); nil/empty means "no
// filter". Use the Float, Bool and String helpers for the optional scalars.
type AssetFilters struct {
	// ProjectID is required.
	ProjectID string `json:"project_id"`

	AssetID              string   `json:"asset_id,omitempty"`
	AssetIDIn            []string `json:"asset_id_in,omitempty"`
	AssetIDNotIn         []string `json:"asset_id_not_in,omitempty"`
	ExternalIDStrictlyIn []string `json:"external_id_strictly_in,omitempty"`
	ExternalIDIn         []string `json:"external_id_in,omitempty"`
	ExternalIDContains   []string `json:"external_id_contains,omitempty"`
	// StatusIn holds asset statuses: TODO, ONGOING, LABELED, TO_REVIEW, REVIEWED.
	StatusIn []string `json:"status_in,omitempty"`
	Skipped  *bool    `json:"skipped,omitempty"`

	ConsensusMarkGTE  *float64       `json:"consensus_mark_gte,omitempty"`
	ConsensusMarkLTE  *float64       `json:"consensus_mark_lte,omitempty"`
	HoneypotMarkGTE   *float64       `json:"honeypot_mark_gte,omitempty"`
	HoneypotMarkLTE   *float64       `json:"honeypot_mark_lte,omitempty"`
	InferenceMarkGTE  *float64       `json:"inference_mark_gte,omitempty"`
	InferenceMarkLTE  *float64       `json:"inference_mark_lte,omitempty"`
	CreatedAtGTE      string         `json:"created_at_gte,omitempty"`
	CreatedAtLTE      string         `json:"created_at_lte,omitempty"`
	UpdatedAtGTE      string         `json:"updated_at_gte,omitempty"`
	UpdatedAtLTE      string         `json:"updated_at_lte,omitempty"`
	MetadataWhere     map[string]any `json:"metadata_where,omitempty"`
	AssigneeIn        []string       `json:"assignee_in,omitempty"`
	AssigneeNotIn     []string       `json:"assignee_not_in,omitempty"`
	LabelTypeIn       []string       `json:"label_type_in,omitempty"`
	LabelAuthorIn     []string       `json:"label_author_in,omitempty"`
	LabelCreatedAt    string         `json:"label_created_at,omitempty"`
	LabelCreatedAtGTE string         `json:"label_created_at_gte,omitempty"`
	LabelCreatedAtLTE string         `json:"label_created_at_lte,omitempty"`

	LabelConsensusMarkGTE *float64 `json:"label_consensus_mark_gte,omitempty"`
	LabelConsensusMarkLTE *float64 `json:"label_consensus_mark_lte,omitempty"`
	LabelHoneypotMarkGTE  *float64 `json:"label_honeypot_mark_gte,omitempty"`
	LabelHoneypotMarkLTE  *float64 `json:"label_honeypot_mark_lte,omitempty"`
	// LabelCategorySearch is a category query such as "JOB.CAT_A.count > 0 OR JOB.CAT_B.count > 1".
	LabelCategorySearch string   `json:"label_category_search,omitempty"`
	LabelLabelerIn      []string `json:"label_labeler_in,omitempty"`
	LabelLabelerNotIn   []string `json:"label_labeler_not_in,omitempty"`
	LabelReviewerIn     []string `json:"label_reviewer_in,omitempty"`
	LabelReviewerNotIn  []string `json:"label_reviewer_not_in,omitempty"`
	// IssueType is QUESTION or ISSUE; IssueStatus is OPEN or SOLVED.
	IssueType   string `json:"issue_type,omitempty"`
	IssueStatus string `json:"issue_status,omitempty"`

	StepIDIn               []string         `json:"step_id_in,omitempty"`
	StepIDNotIn            []string         `json:"step_id_not_in,omitempty"`
	StepNameIn             []string         `json:"step_name_in,omitempty"`
	StepNameNotIn          []string         `json:"step_name_not_in,omitempty"`
	StepStatusIn           []string         `json:"step_status_in,omitempty"`
	StepStatusNotIn        []string         `json:"step_status_not_in,omitempty"`
	StepIDAndStatusIn      []StepIDStatus   `json:"step_id_and_status_in,omitempty"`
	StepIDAndStatusNotIn   []StepIDStatus   `json:"step_id_and_status_not_in,omitempty"`
	StepNameAndStatusIn    []StepNameStatus `json:"step_name_and_status_in,omitempty"`
	StepNameAndStatusNotIn []StepNameStatus `json:"step_name_and_status_not_in,omitempty"`
	GroupNameIn            []string         `json:"group_name_in,omitempty"`
	GroupNameNotIn         []string         `json:"group_name_not_in,omitempty"`

	// Deprecated aliases, accepted and reported as deprecation warning events.
	ConsensusMarkGT      *float64 `json:"consensus_mark_gt,omitempty"`
	ConsensusMarkLT      *float64 `json:"consensus_mark_lt,omitempty"`
	HoneypotMarkGT       *float64 `json:"honeypot_mark_gt,omitempty"`
	HoneypotMarkLT       *float64 `json:"honeypot_mark_lt,omitempty"`
	LabelCreatedAtGT     string   `json:"label_created_at_gt,omitempty"`
	LabelCreatedAtLT     string   `json:"label_created_at_lt,omitempty"`
	LabelConsensusMarkGT *float64 `json:"label_consensus_mark_gt,omitempty"`
	LabelConsensusMarkLT *float64 `json:"label_consensus_mark_lt,omitempty"`
	LabelHoneypotMarkGT  *float64 `json:"label_honeypot_mark_gt,omitempty"`
	LabelHoneypotMarkLT  *float64 `json:"label_honeypot_mark_lt,omitempty"`
}

// StepIDStatus selects assets by workflow step id and step status.
type StepIDStatus struct {
	StepID string `json:"stepId"`
	Status string `json:"status"`
}

// StepNameStatus selects assets by workflow step name and step status.
type StepNameStatus struct {
	StepName string `json:"stepName"`
	Status   string `json:"status"`
}

// AssetsQuery is the argument of Client.Assets: the filters plus the listing controls.
type AssetsQuery struct {
	AssetFilters
	// Fields are the dotted fields to return ("id", "externalId", "labels.jsonResponse", ...);
	// empty means the SDK's default set.
	Fields []string `json:"fields,omitempty"`
	// First caps the number of assets (0 = all); Skip skips the first ones (creation order).
	First int `json:"first,omitempty"`
	Skip  int `json:"skip,omitempty"`
	// DownloadMediaErrors ("download_media_errors") is what a listing that downloads media
	// does when a download fails: MediaErrorsRaise or MediaErrorsReport; empty leaves the
	// library's default. Listing only (CountAssets takes AssetFilters, without it).
	DownloadMediaErrors MediaErrorPolicy `json:"download_media_errors,omitempty"`
}

// MediaErrorPolicy is the value of AssetsQuery.DownloadMediaErrors. The library accepts
// exactly MediaErrorsRaise and MediaErrorsReport.
type MediaErrorPolicy string

const (
	// MediaErrorsRaise fails the call on the first media download error.
	MediaErrorsRaise MediaErrorPolicy = "raise"
	// MediaErrorsReport reports the download errors and goes on.
	MediaErrorsReport MediaErrorPolicy = "report"
)

// Float returns a pointer to v, for the optional numeric filters.
func Float(v float64) *float64 { return &v }

// Bool returns a pointer to v, for the optional boolean arguments.
func Bool(v bool) *bool { return &v }

// marshalArgs encodes an argument struct as the JSON object the C ABI expects.
func marshalArgs(name string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, &Error{Status: StatusInvalidArgument, Message: name + ": " + err.Error(), Details: json.RawMessage(`{}`)}
	}
	return b, nil
}

// CountAssets returns the number of assets matching the filters.
//
// Errors: ErrInvalidArgument (before any request), ErrAuth, ErrNotFound, ErrRateLimited,
// ErrNetwork, ErrTimeout/ErrCancelled (also matching ctx.Err()), ErrGraphQL, ErrServer,
// ErrClosed.
func (c *Client) CountAssets(ctx context.Context, f AssetFilters) (int, error) {
	if ctx.Err() != nil {
		return 0, contextError(ctx)
	}
	args, err := marshalArgs("CountAssets", f)
	if err != nil {
		return 0, err
	}
	var count C.uint64_t
	err = c.use(func(p *C.kili_client_t) error {
		scope := newCallScope(ctx, false)
		defer scope.release()
		opts := scope.options()
		ap, an := cBytes(args)
		var cerr *C.kili_error_t
		st := C.kili_assets_count(p, ap, an, &opts, &count, &cerr)
		runtime.KeepAlive(args)
		if st != C.KILI_OK {
			return takeError(st, cerr, ctx)
		}
		return nil
	})
	return int(count), err
}
