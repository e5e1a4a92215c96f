package workflow

import (
	"errors"
	"fmt"
)

// Kind classifies an Error; handlers map each kind to one HTTP status.
// The zero Kind means "no error".
type Kind int

// The kinds of error, with the HTTP status handlers give them.
const (
	KindBadRequest       Kind = iota + 1 // 400
	KindUnauthenticated                  // 401
	KindForbidden                        // 403
	KindNotFound                         // 404
	KindConflict                         // 409
	KindTooLarge                         // 413
	KindUnsupportedMedia                 // 415
	KindValidation                       // 422
	KindRateLimited                      // 429
	KindUnavailable                      // 503
	KindInternal                         // 500
)

var kindNames = [...]string{
	KindBadRequest:       "bad_request",
	KindUnauthenticated:  "unauthenticated",
	KindForbidden:        "forbidden",
	KindNotFound:         "not_found",
	KindConflict:         "conflict",
	KindTooLarge:         "too_large",
	KindUnsupportedMedia: "unsupported_media",
	KindValidation:       "validation",
	KindRateLimited:      "rate_limited",
	KindUnavailable:      "unavailable",
	KindInternal:         "internal",
}

// String names the kind for logs.
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Error is the one error type that crosses package boundaries. Code is the
// stable machine code of the API contract; Message is Chinese, for people;
// Details carries findings or field problems.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Details []any
	cause   error
}

// Error returns the code and the message, and the cause when there is one
// (for logs; people see only Message).
func (e *Error) Error() string {
	if e.cause != nil {
		return e.Code + ": " + e.Message + ": " + e.cause.Error()
	}
	return e.Code + ": " + e.Message
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.cause }

// Is makes errors.Is match any *Error of the same kind and code, so that
// errors.Is(err, ErrStaleVersion()) works whatever the message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Code == e.Code
}

// WithCause returns a copy of e that wraps cause (kept for logs and errors.Is).
func (e *Error) WithCause(cause error) *Error {
	c := *e
	c.cause = cause
	return &c
}

// Errorf builds an Error whose message is formatted from format and args.
func Errorf(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the Kind of the *Error in err's chain: 0 for nil and
// KindInternal for any other error.
func KindOf(err error) Kind {
	if err == nil {
		return 0
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// CodeOf returns the Code of the *Error in err's chain: "" for nil and
// "internal" for any other error.
func CodeOf(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}
