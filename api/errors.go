package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"cascade/org"
	"cascade/store"
)

// Error is the one JSON shape of every error the API answers:
//
//	{"error":{"code":"…","message":"… (Vietnamese)","message_en":"…","fields":{"…":"…"}}}
type Error struct {
	Status    int               `json:"-"`
	Code      string            `json:"code"`
	Message   string            `json:"message"`
	MessageEn string            `json:"message_en"`
	Fields    map[string]string `json:"fields,omitempty"`
	// FieldsEn holds the English message of each field; the Vietnamese one
	// is in Fields.
	FieldsEn map[string]string `json:"fields_en,omitempty"`
}

func (e *Error) Error() string { return e.Code + ": " + e.MessageEn }

func newError(status int, code, vi, en string) *Error {
	return &Error{Status: status, Code: code, Message: vi, MessageEn: en}
}

// withField adds a field's problem in both languages.
func (e *Error) withField(field, vi, en string) *Error {
	if e.Fields == nil {
		e.Fields, e.FieldsEn = map[string]string{}, map[string]string{}
	}
	e.Fields[field], e.FieldsEn[field] = vi, en
	return e
}

var (
	errNotFound = func() *Error {
		return newError(http.StatusNotFound, "not_found", "Không tìm thấy", "not found")
	}
	errInvalid = func() *Error {
		return newError(http.StatusBadRequest, "invalid_request", "Dữ liệu gửi lên không hợp lệ", "the request is not valid")
	}
	errUnprocessable = func() *Error {
		return newError(http.StatusUnprocessableEntity, "validation_failed", "Dữ liệu chưa đúng, xem các trường bị đánh dấu", "validation failed, see fields")
	}
	errUnavailable = func(what string) *Error {
		return newError(http.StatusServiceUnavailable, "unavailable", "Hệ thống tạm thời chưa sẵn sàng ("+what+"), vui lòng thử lại", what+" is unavailable, try again")
	}
)

// respondError writes err as the API's error shape. Errors that are not
// *Error or a known store error are logged and answered 500 without detail.
func respondError(c *gin.Context, err error) {
	var e *Error
	switch {
	case errors.As(err, &e):
	case errors.Is(err, store.ErrNotFound):
		e = errNotFound()
	case errors.Is(err, store.ErrConflict):
		e = newError(http.StatusConflict, "conflict", "Dữ liệu đã tồn tại hoặc vừa bị thay đổi", "already exists or changed meanwhile")
	case errors.Is(err, store.ErrReferenced):
		e = newError(http.StatusConflict, "referenced", "Dữ liệu đang được sử dụng ở nơi khác", "still referenced elsewhere")
	default:
		logger(c).Error("request failed", slog.Any("error", err))
		e = newError(http.StatusInternalServerError, "internal", "Lỗi hệ thống, vui lòng thử lại sau", "internal error, try again later")
	}
	c.AbortWithStatusJSON(e.Status, gin.H{"error": e})
}

// fieldErrors turns a domain package's field errors into a 422 naming each
// field; any other error passes through.
func fieldErrors(err error) error {
	var ves org.ValidationErrors
	if errors.As(err, &ves) {
		e := errUnprocessable()
		for _, fe := range ves {
			e.withField(fe.Field, fe.Message, fe.MessageEn)
		}
		return e
	}
	var fe *org.FieldError
	if errors.As(err, &fe) {
		return errUnprocessable().withField(fe.Field, fe.Message, fe.MessageEn)
	}
	return err
}
