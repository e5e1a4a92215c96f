// Package openapi holds Qianfa's hand-written OpenAPI 3.0.3 document and the
// means to check real HTTP exchanges against it, so that the document and the
// handlers cannot drift apart unnoticed.
package openapi

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed openapi.json
var spec []byte

// Spec returns the OpenAPI document as served at GET /api/openapi.json.
// It is a copy: callers may keep or modify it.
func Spec() []byte {
	return bytes.Clone(spec)
}

// Load parses the document and validates it against the OpenAPI 3.0 rules.
// Every call returns a fresh document.
func Load() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("解析 OpenAPI 文档: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("OpenAPI 文档不合规范: %w", err)
	}
	return doc, nil
}
