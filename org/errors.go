package org

import (
	"strconv"
	"strings"
)

// FieldError is a validation failure of one named field, with a message for
// the user in Vietnamese and one in English. The API answers it as a 422 with
// both messages; Field is the JSON or CSV column name (e.g. "code").
type FieldError struct {
	Field     string `json:"field"`
	Message   string `json:"message"`
	MessageEn string `json:"message_en"`
}

// Error returns the English message prefixed with the field name, for logs.
func (e FieldError) Error() string {
	if e.Field == "" {
		return e.MessageEn
	}
	return e.Field + ": " + e.MessageEn
}

// ValidationErrors lists every failure found in one object, so the user can
// fix them all at once instead of one per round trip.
type ValidationErrors []FieldError

// Error joins the English messages of all failures, for logs.
func (es ValidationErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// LineError is a FieldError found on one line of an imported file. Line is
// the 1-based line number in the file (the header is line 1); 0 means the file
// as a whole.
type LineError struct {
	Line int `json:"line"`
	FieldError
}

// Error returns the line number and the English message, for logs.
func (e LineError) Error() string {
	if e.Line == 0 {
		return e.FieldError.Error()
	}
	return "line " + strconv.Itoa(e.Line) + ": " + e.FieldError.Error()
}

// LineErrors lists every failure found in an imported file, in line order.
type LineErrors []LineError

// Error joins the English messages of all failures with their line numbers,
// for logs.
func (es LineErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}
