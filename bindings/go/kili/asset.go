//go:build cgo

// (Without cgo nocgo.go is the only file built, so that its message is the only error.)

package kili

import "encoding/json"

// Asset is one asset returned by a query: the common fields decoded, and the whole object
// (including any other requested field) in Raw. Fields that were not requested (see
// AssetsQuery.Fields) are zero. Plain data, safe to share once returned.
type Asset struct {
	ID         string `json:"id"`
	ExternalID string `json:"externalId"`
	Content    string `json:"content"`
	// Status is ONGOING, LABELED, REVIEWED, TO_REVIEW or TODO.
	Status     string `json:"status"`
	CreatedAt  string `json:"createdAt"`
	IsHoneypot bool   `json:"isHoneypot"`
	Skipped    bool   `json:"skipped"`
	Priority   int    `json:"priority"`
	// JSONMetadata is the asset's metadata object as JSON (null when absent).
	JSONMetadata json.RawMessage `json:"jsonMetadata"`
	Labels       []Label         `json:"labels"`
	// Raw is the asset's JSON object as the library returned it.
	Raw json.RawMessage `json:"-"`
}

// Label is a label of an asset (the "labels.*" fields of a query).
type Label struct {
	ID           string          `json:"id"`
	CreatedAt    string          `json:"createdAt"`
	LabelType    string          `json:"labelType"`
	Author       LabelAuthor     `json:"author"`
	JSONResponse json.RawMessage `json:"jsonResponse"`
}

// LabelAuthor is the author of a label.
type LabelAuthor struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// decodeAsset decodes one asset object; raw becomes Asset.Raw (not copied).
func decodeAsset(raw json.RawMessage) (Asset, error) {
	var a Asset
	if err := json.Unmarshal(raw, &a); err != nil {
		return Asset{}, &Error{Status: StatusInternal, Message: "undecodable asset from the library: " + err.Error(), Details: json.RawMessage(`{}`)}
	}
	a.Raw = raw
	return a, nil
}
