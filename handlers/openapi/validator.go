package openapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Validator checks real HTTP exchanges against the document.
type Validator struct {
	doc       *openapi3.T
	templates []template
}

// NewValidator loads the document and prepares its routes.
func NewValidator() (*Validator, error) {
	doc, err := Load()
	if err != nil {
		return nil, err
	}
	return &Validator{doc: doc, templates: templates(doc)}, nil
}

// Check validates one exchange: the request (path, method, parameters and,
// for JSON, its body) and the response (status declared, media type declared,
// and for JSON the body against its schema). Security is not checked: tests
// send real tokens. The request body is read from req.GetBody when set
// (http.NewRequest sets it), otherwise from req.Body, which must be unread.
func (v *Validator) Check(req *http.Request, status int, header http.Header, body []byte) error {
	input, err := v.requestInput(req)
	if err != nil {
		return err
	}
	if err := openapi3filter.ValidateRequest(req.Context(), input); err != nil {
		return fmt.Errorf("请求 %s %s 不符合 OpenAPI 文档: %w", req.Method, req.URL.Path, err)
	}
	return v.checkResponse(req.Context(), input, status, header, body)
}

// CheckResponse validates only the response, for exchanges whose request is
// deliberately wrong (a test of 400 or 415 answers).
func (v *Validator) CheckResponse(req *http.Request, status int, header http.Header, body []byte) error {
	route, params, err := v.route(req)
	if err != nil {
		return err
	}
	input := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route, Options: requestOptions(false),
	}
	return v.checkResponse(req.Context(), input, status, header, body)
}

func (v *Validator) route(req *http.Request) (*routers.Route, map[string]string, error) {
	t, params, ok := findRoute(v.templates, req.URL.Path)
	if !ok {
		return nil, nil, fmt.Errorf("路径 %s 未在 OpenAPI 文档中声明", req.URL.Path)
	}
	op := t.item.GetOperation(req.Method)
	if op == nil {
		return nil, nil, fmt.Errorf("%s %s 未在 OpenAPI 文档中声明", req.Method, t.path)
	}
	route := &routers.Route{
		Spec: v.doc, Path: t.path, PathItem: t.item, Method: req.Method, Operation: op,
	}
	return route, params, nil
}

// requestInput prepares request validation on a copy of req whose body can
// be read again.
func (v *Validator) requestInput(req *http.Request) (*openapi3filter.RequestValidationInput, error) {
	route, params, err := v.route(req)
	if err != nil {
		return nil, err
	}
	body, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	clone := req.Clone(req.Context())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	jsonBody := isJSON(mediaType(req.Header))
	return &openapi3filter.RequestValidationInput{
		Request: clone, PathParams: params, Route: route, Options: requestOptions(!jsonBody),
	}, nil
}

func requestBody(req *http.Request) ([]byte, error) {
	rc := req.Body
	if req.GetBody != nil {
		fresh, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("读取请求体: %w", err)
		}
		rc = fresh
	}
	if rc == nil || rc == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("读取请求体: %w", err)
	}
	return b, nil
}

func requestOptions(excludeBody bool) *openapi3filter.Options {
	return &openapi3filter.Options{
		ExcludeRequestBody:    excludeBody,
		IncludeResponseStatus: true,
		SkipSettingDefaults:   true,
		MultiError:            true,
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	}
}

// checkResponse requires the status and the media type to be documented and
// validates JSON bodies; other bodies (HTML, CSV, xlsx, docx) are checked by
// media type only.
func (v *Validator) checkResponse(ctx context.Context, input *openapi3filter.RequestValidationInput, status int, header http.Header, body []byte) error {
	where := fmt.Sprintf("%s %s → %d", input.Route.Method, input.Route.Path, status)
	ref := input.Route.Operation.Responses.Status(status)
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("%s: 状态码未在 OpenAPI 文档中声明", where)
	}
	content := ref.Value.Content
	if len(content) == 0 {
		if len(body) > 0 {
			return fmt.Errorf("%s: 文档声明无响应体，实际有 %d 字节", where, len(body))
		}
		return nil
	}
	mt := mediaType(header)
	if content.Get(mt) == nil {
		return fmt.Errorf("%s: 媒体类型 %q 未在 OpenAPI 文档中声明", where, mt)
	}
	if !isJSON(mt) {
		return nil
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input, Status: status, Header: header, Options: input.Options,
	}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("%s: 响应不符合 OpenAPI 文档: %w", where, err)
	}
	return nil
}

// mediaType is the Content-Type without parameters, or "" when absent or
// malformed.
func mediaType(h http.Header) string {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return strings.ToLower(mt)
}

// isJSON reports whether a media type carries JSON.
func isJSON(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}
