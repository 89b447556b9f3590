package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"
	"github.com/go-playground/validator/v10"

	"cascade/calendar"
	"cascade/store"
)

// maxBody is the largest JSON body a route accepts.
const maxBody = 1 << 20

func init() {
	if v, ok := binding.Validator.Engine().(*validator.Validate); ok {
		// Name fields in errors as the client wrote them: by their JSON name.
		v.RegisterTagNameFunc(func(f reflect.StructField) string {
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if name == "-" {
				return ""
			}
			return name
		})
	}
}

// JSONBodyTimeout bounds reading a JSON body (at most 1 MB: 35 KB/s).
var JSONBodyTimeout = 30 * time.Second

// bind decodes the JSON body into dst strictly (a Content-Type other than
// application/json refused with 415, unknown fields and trailing data
// refused, at most maxBody bytes) and validates its binding tags. On
// failure it answers the error and returns false.
func bind(c *gin.Context, dst any) bool {
	if !requireJSON(c) {
		return false
	}
	// A JSON body is small: a client sending it a byte at a time holds its
	// connection for JSONBodyTimeout, not the HTTP_READ_TIMEOUT uploads need.
	_ = http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(JSONBodyTimeout))
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		respondError(c, newError(http.StatusRequestEntityTooLarge, "too_large",
			fmt.Sprintf("Dữ liệu gửi lên quá lớn (tối đa %d KB)", maxBody/1024),
			fmt.Sprintf("request body too large (at most %d KB)", maxBody/1024)))
		return false
	}
	if err != nil {
		respondError(c, errInvalid())
		return false
	}
	if !utf8.Valid(body) {
		respondError(c, errInvalid().withField("body", "Không phải văn bản UTF-8 hợp lệ", "is not valid UTF-8 text"))
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		respondError(c, decodeError(err))
		return false
	}
	if dec.More() {
		respondError(c, errInvalid().withField("body", "Chỉ gửi một đối tượng JSON", "send exactly one JSON object"))
		return false
	}
	// A \u0000 escape decodes to a NUL, which PostgreSQL refuses.
	if field, vi, en := checkText(reflect.ValueOf(dst), ""); field != "" {
		respondError(c, errInvalid().withField(field, vi, en))
		return false
	}
	if e := checkFigures(dst); e != nil {
		respondError(c, e)
		return false
	}
	if err := binding.Validator.ValidateStruct(dst); err != nil {
		respondError(c, validationError(err))
		return false
	}
	return true
}

func decodeError(err error) *Error {
	e := errInvalid()
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		f := typeErr.Field
		if f == "" {
			f = "body"
		}
		if typeErr.Type == reflect.TypeOf(store.Date{}) || typeErr.Type == reflect.TypeOf(calendar.Date{}) {
			return e.withField(f, "Ngày phải có dạng YYYY-MM-DD, ví dụ 2026-11-15", "want a date as YYYY-MM-DD, e.g. 2026-11-15")
		}
		want := typeErr.Type.Kind().String()
		return e.withField(f, "Sai kiểu dữ liệu (cần "+want+")", "wrong type, want "+want)
	case errors.As(err, &syntaxErr), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return e.withField("body", "JSON không hợp lệ", "malformed JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return e.withField(f, "Trường không được hỗ trợ", "unknown field")
	}
	return e.withField("body", "Dữ liệu không hợp lệ: "+err.Error(), "invalid: "+err.Error())
}

// validationError turns binding-tag failures into field messages.
func validationError(err error) *Error {
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return errInvalid().withField("body", err.Error(), err.Error())
	}
	e := errUnprocessable()
	for _, fe := range ves {
		field := fieldPath(fe.Namespace())
		vi, en := tagMessage(fe)
		e.withField(field, vi, en)
	}
	return e
}

// fieldPath drops the struct name from a validator namespace:
// "createPlanRequest.targets[0].text" → "targets[0].text".
func fieldPath(ns string) string {
	if i := strings.Index(ns, "."); i >= 0 {
		return ns[i+1:]
	}
	return ns
}

func tagMessage(fe validator.FieldError) (vi, en string) {
	p := fe.Param()
	switch fe.Tag() {
	case "required":
		return "Bắt buộc nhập", "is required"
	case "min":
		if fe.Kind() == reflect.Slice || fe.Kind() == reflect.String {
			return "Cần ít nhất " + p, "needs at least " + p
		}
		return "Phải lớn hơn hoặc bằng " + p, "must be at least " + p
	case "max":
		if fe.Kind() == reflect.Slice || fe.Kind() == reflect.String {
			return "Tối đa " + p, "at most " + p
		}
		return "Phải nhỏ hơn hoặc bằng " + p, "must be at most " + p
	case "gt":
		return "Phải lớn hơn " + p, "must be greater than " + p
	case "gte":
		return "Phải lớn hơn hoặc bằng " + p, "must be at least " + p
	case "gtefield":
		return "Không được nhỏ hơn " + p, "must not be less than " + p
	case "oneof":
		return "Chỉ nhận một trong: " + p, "must be one of: " + p
	case "email":
		return "Email không hợp lệ", "is not a valid email"
	}
	return "Không hợp lệ", "is not valid (" + fe.Tag() + ")"
}
