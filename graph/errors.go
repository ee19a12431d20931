package graph

import (
	"errors"
	"fmt"
)

// Error codes are the one vocabulary of failures in lot-trace. The API turns each into
// exactly one HTTP status; everything below the API only picks a code.
const (
	EMALFORMED    = "malformed"    // the input cannot be read at all (bad JSON, wrong types)
	EINVALID      = "invalid"      // well-formed but breaks a rule (bad quantity, unknown input lot)
	ENOTFOUND     = "not_found"    // the lot, batch or record asked for does not exist
	ECONFLICT     = "conflict"     // the input contradicts what is already stored
	ETOOLARGE     = "too_large"    // the body is larger than the configured limit
	EUNAUTHORIZED = "unauthorized" // no key, or a key we do not know
	EFORBIDDEN    = "forbidden"    // a known key whose role may not do this
	EUNAVAILABLE  = "unavailable"  // the database cannot be reached right now
	EINTERNAL     = "internal"     // a bug or an unexpected failure; details go to the log only
)

// FieldError names one problem with one input field, using the field's path on the wire
// ("lot.code", "inputs[2].quantity") so that a caller can point at it.
type FieldError struct {
	Field   string
	Message string
}

// Error is a lot-trace failure: a code from the vocabulary above, a message that is safe to
// show the caller, optional field problems, and the cause for the log. The operation that
// failed is added by wrapping: fmt.Errorf("graph.Recall %s: %w", code, err).
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	Err     error // the underlying cause, logged but never shown to callers
}

func (e *Error) Error() string {
	switch {
	case e.Err == nil:
		return e.Message
	case e.Message == "":
		return e.Err.Error()
	default:
		return e.Message + ": " + e.Err.Error()
	}
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted, caller-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error carrying field problems.
func Invalid(message string, fields ...FieldError) *Error {
	return &Error{Code: EINVALID, Message: message, Fields: fields}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the caller-safe message of err: the message of its *Error, or
// "internal error" for anything else, so that internal details never reach a caller.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL && e.Message != "" {
		return e.Message
	}
	return "internal error"
}

// ErrorFields returns the field problems carried by err, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
