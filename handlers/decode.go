package handlers

import (
	"encoding/json"
	"errors"
	"io"

	"github.com/labstack/echo/v4"

	"qianfa/workflow"
)

// bind decodes a JSON request body strictly into v: unknown fields, wrong types and
// trailing data are 400 bad_request, with the offending field named in Chinese.
func bind(c echo.Context, v any) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bindError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return workflow.ErrBadRequest("请求体只能包含一个 JSON 对象")
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
