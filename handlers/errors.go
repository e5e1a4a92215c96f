package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"qianfa/workflow"
)

// statusOf is the one place where an error kind becomes an HTTP status.
var statusOf = map[workflow.Kind]int{
	workflow.KindBadRequest:       http.StatusBadRequest,
	workflow.KindUnauthenticated:  http.StatusUnauthorized,
	workflow.KindForbidden:        http.StatusForbidden,
	workflow.KindNotFound:         http.StatusNotFound,
	workflow.KindConflict:         http.StatusConflict,
	workflow.KindTooLarge:         http.StatusRequestEntityTooLarge,
	workflow.KindUnsupportedMedia: http.StatusUnsupportedMediaType,
	workflow.KindValidation:       http.StatusUnprocessableEntity,
	workflow.KindRateLimited:      http.StatusTooManyRequests,
	workflow.KindUnavailable:      http.StatusServiceUnavailable,
	workflow.KindInternal:         http.StatusInternalServerError,
}

// fromEcho turns Echo's own errors (no route, body limit, bind) into domain errors.
func fromEcho(he *echo.HTTPError) *workflow.Error {
	switch he.Code {
	case http.StatusNotFound:
		return workflow.ErrNotFound("页面")
	case http.StatusMethodNotAllowed:
		return workflow.Errorf(workflow.KindBadRequest, workflow.CodeBadRequest, "不支持该请求方法")
	case http.StatusRequestEntityTooLarge:
		return workflow.Errorf(workflow.KindTooLarge, workflow.CodeTooLarge, "请求内容过大")
	case http.StatusUnsupportedMediaType:
		return workflow.Errorf(workflow.KindUnsupportedMedia, workflow.CodeUnsupportedMedia, "请求须为 JSON（Content-Type: application/json）")
	case http.StatusUnauthorized:
		return workflow.ErrUnauthenticated()
	case http.StatusForbidden:
		return workflow.ErrForbidden("无权执行该操作")
	case http.StatusServiceUnavailable:
		return workflow.Errorf(workflow.KindUnavailable, workflow.CodeUnavailable, "服务暂时不可用，请稍后重试")
	}
	if he.Code >= 400 && he.Code < 500 {
		return workflow.ErrBadRequest("请求格式有误")
	}
	return workflow.Errorf(workflow.KindInternal, workflow.CodeInternal, "服务器内部错误").WithCause(he)
}

// domainError classifies any error returned by a handler.
func domainError(err error) *workflow.Error {
	var we *workflow.Error
	if errors.As(err, &we) {
		return we
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return fromEcho(he)
	}
	return workflow.Errorf(workflow.KindInternal, workflow.CodeInternal, "服务器内部错误").WithCause(err)
}

type errorBody struct {
	Error errorPayload `json:"error"`
}

type errorPayload struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details []any  `json:"details"`
}

// handleError is Echo's only HTTPErrorHandler: the API answers the contract's JSON body,
// pages answer a Chinese error page. Internal error text never reaches the client.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	we := domainError(err)
	status := statusOf[we.Kind]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		s.log.Error("request failed", "request_id", requestID(c), "path", c.Path(), "err", err)
	}
	details := we.Details
	if details == nil {
		details = []any{}
	}
	if s.pageError != nil && pageRequest(c.Request()) {
		if perr := s.pageError(c, status, we); perr == nil {
			return
		}
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	_ = c.JSON(status, errorBody{Error: errorPayload{Code: we.Code, Message: we.Message, Details: details}})
}
