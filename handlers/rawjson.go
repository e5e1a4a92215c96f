package handlers

import "encoding/json"

// jsonRawRequired keeps a JSON member's bytes for strict decoding later; "null" counts
// as missing.
type jsonRawRequired []byte

// UnmarshalJSON keeps a copy of the member's bytes.
func (j *jsonRawRequired) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*j = nil
		return nil
	}
	*j = append((*j)[:0], b...)
	return nil
}

var _ json.Unmarshaler = (*jsonRawRequired)(nil)

func (r *contentRequest) rawMember() string { return "content" }

func (r *contentRequest) setRawMember(raw []byte) error { return r.Content.UnmarshalJSON(raw) }

var _ rawMemberRequest = (*contentRequest)(nil)
