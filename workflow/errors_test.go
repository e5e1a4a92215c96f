package workflow

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestKindOfAndCodeOf(t *testing.T) {
	wrapped := fmt.Errorf("saving report 7: %w", ErrStaleVersion())
	tests := []struct {
		name string
		err  error
		kind Kind
		code string
	}{
		{"nil", nil, 0, ""},
		{"plain", io.EOF, KindInternal, "internal"},
		{"direct", ErrNotFound("报告"), KindNotFound, "not_found"},
		{"wrapped", wrapped, KindConflict, "stale_version"},
		{"errorf", Errorf(KindTooLarge, "too_large", "超过 %d MiB", 1), KindTooLarge, "too_large"},
	}
	for _, tc := range tests {
		if k, c := KindOf(tc.err), CodeOf(tc.err); k != tc.kind || c != tc.code {
			t.Errorf("%s: got %v %q, want %v %q", tc.name, k, c, tc.kind, tc.code)
		}
	}
}

func TestConstructors(t *testing.T) {
	details := []any{"finding"}
	tests := []struct {
		err  *Error
		kind Kind
		code string
		msg  string
	}{
		{ErrStaleVersion(), KindConflict, "stale_version", "报告已被他人修改，请刷新后重试"},
		{ErrInvalidTransition(Published, Return), KindConflict, "invalid_transition", "报告处于「已公开」状态，不能执行「退回」操作"},
		{ErrForbidden("不行"), KindForbidden, "forbidden", "不行"},
		{ErrReauthFailed(), KindForbidden, "reauth_failed", "签发需要重新验证身份：密码错误或未提供"},
		{ErrNotFound("报告"), KindNotFound, "not_found", "报告不存在"},
		{ErrDuplicate("该单位已有2020年度报告"), KindConflict, "duplicate", "该单位已有2020年度报告"},
		{ErrValidation("内容有误", details), KindValidation, "validation_failed", "内容有误"},
		{ErrUnauthenticated(), KindUnauthenticated, "unauthenticated", "请先登录"},
		{ErrInvalidCredentials(), KindUnauthenticated, "invalid_credentials", "用户名或密码错误"},
		{ErrTooLarge(), KindTooLarge, "too_large", "请求内容过大"},
		{ErrUnsupportedMedia(), KindUnsupportedMedia, "unsupported_media_type", "请求须使用 Content-Type: application/json"},
		{ErrRateLimited(), KindRateLimited, "rate_limited", "尝试次数过多，请稍后再试"},
		{ErrUnavailable(io.EOF), KindUnavailable, "unavailable", "服务暂时不可用，请稍后再试"},
		{ErrInternal(io.EOF), KindInternal, "internal", "服务器内部错误"},
	}
	for _, tc := range tests {
		if tc.err.Kind != tc.kind || tc.err.Code != tc.code || tc.err.Message != tc.msg {
			t.Errorf("got %v %q %q, want %v %q %q", tc.err.Kind, tc.err.Code, tc.err.Message, tc.kind, tc.code, tc.msg)
		}
	}
	if e := ErrValidation("x", details); len(e.Details) != 1 || e.Details[0] != "finding" {
		t.Errorf("details %v", e.Details)
	}
}

func TestErrorIsAndCause(t *testing.T) {
	err := fmt.Errorf("op: %w", ErrInternal(io.EOF))
	if !errors.Is(err, io.EOF) {
		t.Error("cause not reachable through errors.Is")
	}
	if !errors.Is(err, ErrInternal(nil)) || errors.Is(err, ErrStaleVersion()) {
		t.Error("Is must match on kind and code only")
	}
	if got, want := err.Error(), "op: internal: 服务器内部错误: EOF"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if KindForbidden.String() != "forbidden" || Kind(0).String() != "Kind(0)" {
		t.Errorf("Kind.String: %q %q", KindForbidden.String(), Kind(0).String())
	}
}
