// Package org holds the rules of the organisation tree: unit kinds, the
// materialised paths that make a subtree one prefix, unit validation and the
// CSV import and export of units. It is plain Go: the store persists units and
// the API exposes them.
package org

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits on unit fields, in characters (runes).
const (
	MaxCodeLen      = 32
	MaxNameLen      = 200
	MaxShortNameLen = 50
	MaxEmailLen     = 254
)

// Unit is one node of the organisation tree: the provincial union, a board, a
// district union, a commune union, a branch, …
type Unit struct {
	ID int64
	// ParentID is 0 for a root.
	ParentID int64
	// Path is the materialised path from the root to this unit, see ChildPath.
	Path string
	// Code is the unit's stable identifier in files and forms, unique in the
	// tree and compared exactly (case matters).
	Code      string
	Name      string
	ShortName string
	Kind      Kind
	// Email receives the unit's reminders and escalations; optional.
	Email string
}

// Normalize puts the text fields in their stored form: NFC, surrounding
// spaces trimmed, and in names runs of spaces collapsed to one.
func (u *Unit) Normalize() {
	u.Code = cleanText(u.Code)
	u.Name = collapseSpaces(cleanText(u.Name))
	u.ShortName = collapseSpaces(cleanText(u.ShortName))
	u.Kind = Kind(cleanText(string(u.Kind)))
	u.Email = cleanText(u.Email)
}

// Validate checks the fields a user enters and returns every failure as
// ValidationErrors, or nil. It expects a normalised unit (see Normalize) and
// does not look at ID, ParentID or Path, which the store owns, nor at the
// uniqueness of Code, which needs the whole tree.
func (u Unit) Validate() error {
	var errs ValidationErrors
	if e, bad := validateCode(u.Code); bad {
		errs = append(errs, e)
	}
	switch {
	case u.Name == "":
		errs = append(errs, FieldError{"name", "Tên đơn vị là bắt buộc.", "Unit name is required."})
	case utf8.RuneCountInString(u.Name) > MaxNameLen:
		errs = append(errs, FieldError{"name",
			fmt.Sprintf("Tên đơn vị không được dài quá %d ký tự.", MaxNameLen),
			fmt.Sprintf("Unit name must be at most %d characters long.", MaxNameLen)})
	case !safeText(u.Name):
		errs = append(errs, unsafeTextError("name", "Tên đơn vị", "Unit name"))
	}
	switch {
	case utf8.RuneCountInString(u.ShortName) > MaxShortNameLen:
		errs = append(errs, FieldError{"short_name",
			fmt.Sprintf("Tên viết tắt không được dài quá %d ký tự.", MaxShortNameLen),
			fmt.Sprintf("Short name must be at most %d characters long.", MaxShortNameLen)})
	case !safeText(u.ShortName):
		errs = append(errs, unsafeTextError("short_name", "Tên viết tắt", "Short name"))
	}
	switch {
	case u.Kind == "":
		errs = append(errs, FieldError{"kind", "Loại đơn vị là bắt buộc.", "Unit kind is required."})
	case !u.Kind.Valid():
		errs = append(errs, unknownKindError(string(u.Kind)))
	}
	if u.Email != "" && !validEmail(u.Email) {
		errs = append(errs, FieldError{"email",
			fmt.Sprintf("Email %q không hợp lệ.", u.Email),
			fmt.Sprintf("Email address %q is not valid.", u.Email)})
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func validateCode(code string) (FieldError, bool) {
	switch {
	case code == "":
		return FieldError{"code", "Mã đơn vị là bắt buộc.", "Unit code is required."}, true
	case utf8.RuneCountInString(code) > MaxCodeLen:
		return FieldError{"code",
			fmt.Sprintf("Mã đơn vị không được dài quá %d ký tự.", MaxCodeLen),
			fmt.Sprintf("Unit code must be at most %d characters long.", MaxCodeLen)}, true
	case !validCode(code):
		return FieldError{"code",
			fmt.Sprintf("Mã đơn vị %q chỉ được gồm chữ cái không dấu, chữ số, dấu gạch ngang (-) và gạch dưới (_), và phải bắt đầu bằng chữ cái hoặc chữ số.", code),
			fmt.Sprintf("Unit code %q may contain only unaccented letters, digits, '-' and '_', and must start with a letter or digit.", code)}, true
	}
	return FieldError{}, false
}

// validCode accepts ASCII letters, digits, '-' and '_', starting with a letter
// or digit: codes go into URLs and file names, and a leading '-' would read as
// a formula in a spreadsheet.
func validCode(code string) bool {
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case (c == '-' || c == '_') && i > 0:
		default:
			return false
		}
	}
	return code != ""
}

// safeText rejects control characters (a name is one line) and a leading
// '=', '+', '-' or '@', which a spreadsheet opening an exported file would run
// as a formula.
func safeText(s string) bool {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return false
	}
	return strings.IndexFunc(s, unicode.IsControl) < 0
}

func unsafeTextError(field, vi, en string) FieldError {
	return FieldError{field,
		vi + " không được bắt đầu bằng =, +, - hoặc @ và không được chứa ký tự điều khiển.",
		en + " must not start with =, +, - or @ nor contain control characters."}
}

func unknownKindError(kind string) FieldError {
	var vi, en []string
	for _, k := range Kinds() {
		vi = append(vi, fmt.Sprintf("%q (%s)", k.Label(), k))
		en = append(en, string(k))
	}
	return FieldError{"kind",
		fmt.Sprintf("Loại đơn vị %q không hợp lệ; dùng một trong: %s.", kind, strings.Join(vi, ", ")),
		fmt.Sprintf("Unit kind %q is unknown; use one of: %s.", kind, strings.Join(en, ", "))}
}

// validEmail accepts a bare address (no display name) with a dotted domain.
func validEmail(s string) bool {
	if len(s) > MaxEmailLen || !safeText(s) {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	return strings.Contains(domain, ".") && !strings.HasSuffix(domain, ".")
}

func cleanText(s string) string {
	return strings.TrimSpace(norm.NFC.String(s))
}

func collapseSpaces(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
