package workflow

// The stable machine codes of the API contract.
const (
	CodeBadRequest         = "bad_request"
	CodeUnauthenticated    = "unauthenticated"
	CodeInvalidCredentials = "invalid_credentials"
	CodeForbidden          = "forbidden"
	CodeReauthFailed       = "reauth_failed"
	CodeNotFound           = "not_found"
	CodeStaleVersion       = "stale_version"
	CodeInvalidTransition  = "invalid_transition"
	CodeDuplicate          = "duplicate"
	CodeTooLarge           = "too_large"
	CodeUnsupportedMedia   = "unsupported_media_type"
	CodeValidation         = "validation_failed"
	CodeRateLimited        = "rate_limited"
	CodeUnavailable        = "unavailable"
	CodeInternal           = "internal"
)

// ErrBadRequest is a malformed request (400 bad_request).
func ErrBadRequest(format string, args ...any) *Error {
	return Errorf(KindBadRequest, CodeBadRequest, format, args...)
}

// ErrUnauthenticated is a missing or expired session (401 unauthenticated).
func ErrUnauthenticated() *Error {
	return Errorf(KindUnauthenticated, CodeUnauthenticated, "请先登录")
}

// ErrInvalidCredentials is a wrong username or password (401 invalid_credentials).
func ErrInvalidCredentials() *Error {
	return Errorf(KindUnauthenticated, CodeInvalidCredentials, "用户名或密码错误")
}

// ErrForbidden is an action the caller's roles or the separation of duties
// forbid (403 forbidden); msg says which rule, in Chinese.
func ErrForbidden(msg string) *Error {
	return &Error{Kind: KindForbidden, Code: CodeForbidden, Message: msg}
}

// ErrReauthFailed is a missing or wrong password on the last approval step
// (403 reauth_failed).
func ErrReauthFailed() *Error {
	return Errorf(KindForbidden, CodeReauthFailed, "签发需要重新验证身份：密码错误或未提供")
}

// ErrNotFound is a missing object, or one of another agency the caller may
// not see (404 not_found); what names it, e.g. "报告".
func ErrNotFound(what string) *Error {
	return Errorf(KindNotFound, CodeNotFound, "%s不存在", what)
}

// ErrStaleVersion is a write against an outdated version (409 stale_version).
func ErrStaleVersion() *Error {
	return Errorf(KindConflict, CodeStaleVersion, "报告已被他人修改，请刷新后重试")
}

// ErrInvalidTransition is an action not allowed in the report's state
// (409 invalid_transition).
func ErrInvalidTransition(state State, action Action) *Error {
	return Errorf(KindConflict, CodeInvalidTransition,
		"报告处于「%s」状态，不能执行「%s」操作", state.Label(), action.Label())
}

// ErrDuplicate is an object that already exists (409 duplicate).
func ErrDuplicate(msg string) *Error {
	return &Error{Kind: KindConflict, Code: CodeDuplicate, Message: msg}
}

// ErrTooLarge is a body over the configured limit (413 too_large).
func ErrTooLarge() *Error {
	return Errorf(KindTooLarge, CodeTooLarge, "请求内容过大")
}

// ErrUnsupportedMedia is a write without a JSON body (415 unsupported_media_type).
func ErrUnsupportedMedia() *Error {
	return Errorf(KindUnsupportedMedia, CodeUnsupportedMedia, "请求须使用 Content-Type: application/json")
}

// ErrValidation is content that breaks a rule or the schema (422
// validation_failed); details lists the findings or field problems.
func ErrValidation(msg string, details []any) *Error {
	return &Error{Kind: KindValidation, Code: CodeValidation, Message: msg, Details: details}
}

// ErrRateLimited is too many attempts (429 rate_limited).
func ErrRateLimited() *Error {
	return Errorf(KindRateLimited, CodeRateLimited, "尝试次数过多，请稍后再试")
}

// ErrUnavailable is a dependency that cannot be reached (503 unavailable).
func ErrUnavailable(cause error) *Error {
	return Errorf(KindUnavailable, CodeUnavailable, "服务暂时不可用，请稍后再试").WithCause(cause)
}

// ErrInternal is an unexpected failure (500 internal); cause is kept for
// logs and never shown to people.
func ErrInternal(cause error) *Error {
	return Errorf(KindInternal, CodeInternal, "服务器内部错误").WithCause(cause)
}
