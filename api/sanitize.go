package api

import (
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// badText says what is wrong with s as text the database can keep: invalid
// UTF-8 or a NUL byte (PostgreSQL refuses both); "" when it is fine.
func badText(s string) (vi, en string) {
	switch {
	case !utf8.ValidString(s):
		return "Không phải văn bản UTF-8 hợp lệ", "is not valid UTF-8 text"
	case strings.IndexByte(s, 0) >= 0:
		return "Không được chứa ký tự NUL", "must not contain a NUL character"
	}
	return "", ""
}

// cleanQuery refuses a query string whose names or values are not valid
// UTF-8 or hold a NUL byte, with a 400 naming the parameter, before any
// handler hands them to the database.
func cleanQuery() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.URL.RawQuery == "" {
			c.Next()
			return
		}
		for name, values := range c.Request.URL.Query() {
			field := name
			if vi, _ := badText(name); vi != "" {
				field = strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", ""), "?")
			}
			for _, v := range append([]string{name}, values...) {
				if vi, en := badText(v); vi != "" {
					respondError(c, newError(http.StatusBadRequest, "invalid_request", "Tham số không hợp lệ", "invalid query parameter").
						withField(field, vi, en))
					return
				}
			}
		}
		c.Next()
	}
}

// MaxFigure bounds every figure a request carries (a target, a baseline, a
// reported value, an allocation): far above any count or amount a unit
// reports, and low enough that a million units' figures sum without
// overflow or loss, so dashboards, exports and reviews always add up.
const MaxFigure = 1e12

// checkFigures walks a decoded request and refuses, with 422 naming the
// field, a figure that is not finite or beyond ±MaxFigure.
func checkFigures(dst any) *Error {
	field := ""
	walk(reflect.ValueOf(dst), "", func(v reflect.Value, path string) bool {
		if v.Kind() == reflect.Float64 || v.Kind() == reflect.Float32 {
			f := v.Float()
			if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > MaxFigure {
				field = path
				return false
			}
		}
		return true
	})
	if field == "" {
		return nil
	}
	return errUnprocessable().withField(field, "Số liệu vượt giới hạn (tối đa 1.000.000.000.000)", "figure out of range (at most 1,000,000,000,000)")
}

// checkText walks a decoded request and returns the JSON path of the first
// string holding a NUL byte or invalid UTF-8, with what is wrong.
func checkText(v reflect.Value, path string) (field, vi, en string) {
	walk(v, path, func(v reflect.Value, p string) bool {
		if v.Kind() == reflect.String {
			if vi, en = badText(v.String()); vi != "" {
				field = p
				return false
			}
		}
		return true
	})
	return field, vi, en
}

// walk calls visit on every value inside v with its JSON path (map keys as
// path.key) until visit returns false; it reports whether it went through.
func walk(v reflect.Value, path string, visit func(v reflect.Value, path string) bool) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return true
		}
		return walk(v.Elem(), path, visit)
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if name == "-" {
				continue
			}
			p := path
			if !f.Anonymous || name != "" {
				if name == "" {
					name = f.Name
				}
				p = joinPath(path, name)
			}
			if !walk(v.Field(i), p, visit) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			// []byte and json.RawMessage: checked as the raw body was.
			return true
		}
		for i := range v.Len() {
			if !walk(v.Index(i), path+"["+strconv.Itoa(i)+"]", visit) {
				return false
			}
		}
		return true
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			k := it.Key()
			p := joinPath(path, "key")
			if k.Kind() == reflect.String {
				if !visit(k, p) {
					return false
				}
				p = joinPath(path, k.String())
			}
			if !walk(it.Value(), p, visit) {
				return false
			}
		}
		return true
	}
	return visit(v, path)
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
