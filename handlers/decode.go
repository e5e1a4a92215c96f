package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"qianfa/workflow"
)

// bind decodes a JSON request body strictly into v: unknown fields, wrong types and
// trailing data are 400 bad_request, with the offending field named in Chinese.
func bind(c echo.Context, v any) error {
	data, err := io.ReadAll(c.Request().Body)
	if err != nil {
		if isTooLarge(err) {
			return workflow.ErrTooLarge()
		}
		return workflow.ErrBadRequest("无法读取请求体")
	}
	if err := checkJSONText(data); err != nil {
		return err
	}
	var raw []byte
	rr, hasRaw := v.(rawMemberRequest)
	if hasRaw {
		data, raw = cutMember(data, rr.rawMember())
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bindError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return workflow.ErrBadRequest("请求体只能包含一个 JSON 对象")
	}
	if hasRaw && raw != nil {
		return rr.setRawMember(raw)
	}
	return nil
}

func bindError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return workflow.ErrBadRequest("请求体为空")
	case errors.As(err, &syntax):
		return workflow.ErrBadRequest("JSON 格式错误（第 %d 字节附近）", syntax.Offset)
	case errors.As(err, &typ) && typ.Field == "" && typ.Type.Kind() == reflect.Float64:
		// Only the key check decodes into any: a number beyond float64.
		return workflow.ErrBadRequest("数值超出范围（第 %d 字节附近）", typ.Offset)
	case errors.As(err, &typ):
		return workflow.ErrBadRequest("字段 %s 的类型应为 %s", typ.Field, typ.Type.String())
	case isTooLarge(err):
		return workflow.Errorf(workflow.KindTooLarge, workflow.CodeTooLarge, "请求内容过大")
	}
	if msg := err.Error(); len(msg) > 20 && msg[:20] == "json: unknown field " {
		return workflow.ErrBadRequest("未知字段 %s", msg[20:])
	}
	return workflow.ErrBadRequest("请求体无法解析：%v", err)
}

// isTooLarge recognises the body limit tripping while the decoder reads.
func isTooLarge(err error) bool {
	var he *echo.HTTPError
	return errors.As(err, &he) && he.Code == 413
}

// maxRequestDepth bounds the nesting of a request body; no request needs more.
const maxRequestDepth = 64

// checkJSONText refuses what encoding/json would accept silently: invalid UTF-8 (turned
// into U+FFFD) and duplicate keys (the last one wins), either of which lets a proxy, an
// audit reader and the server read different requests. It also bounds the nesting.
// Valid JSON is walked once without tokens (checkKeys); only a refused text goes
// through the Decoder, for the exact refusal.
func checkJSONText(data []byte) error {
	if !utf8.Valid(data) {
		return workflow.ErrBadRequest("请求体不是有效的 UTF-8 文本")
	}
	if json.Valid(data) {
		if err := checkKeys(data); !errors.Is(err, errNeedsDecoder) {
			return err
		}
	}
	// Not one valid JSON value, or a number beyond float64: the Decoder names
	// the problem; trailing data after one value is left to bind.
	return scanValue(json.NewDecoder(bytes.NewReader(data)), 0)
}

// scanValue reads one JSON value, checking each object's keys for duplicates.
func scanValue(dec *json.Decoder, depth int) error {
	if depth > maxRequestDepth {
		return workflow.ErrBadRequest("请求体嵌套层数超过 %d", maxRequestDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return bindError(err)
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	seen := map[string]bool{}
	for dec.More() {
		if delim == '{' {
			key, err := dec.Token()
			if err != nil {
				return bindError(err)
			}
			name, _ := key.(string)
			if seen[name] {
				return workflow.ErrBadRequest("字段 %s 重复出现", name)
			}
			seen[name] = true
		}
		if err := scanValue(dec, depth+1); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing } or ]
		return bindError(err)
	}
	return nil
}
