package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// FuzzBind feeds the JSON binder arbitrary bytes for the requests with the
// most shapes (a plan with targets and cycles, a report's values): it never
// panics, and a refusal is always a 4xx.
func FuzzBind(f *testing.F) {
	for _, seed := range []string{
		`{"issuer_unit_id":1,"title":"K","term_start_year":2026,"term_end_year":2030,"unit_ids":[1],"targets":[{"text":"hộ","value":5}],"cycles":[{"kind":"annual","year":2026,"due_on":"2026-11-15"}]}`,
		`{"values":[{"target_id":1,"value":1e308}]}`,
		`{"values":[{"target_id":1,"numerator":1,"denominator":0}]}`,
		"{\"title\":\"a\\u0000b\"}",
		"{\"title\":\"\xff\"}",
		`{"title":`, `[]`, `null`, `{"unit_ids":[99999999999999999999]}`, `{"targets":[{"value":1e400}]}`,
	} {
		f.Add([]byte(seed))
	}
	gin.SetMode(gin.ReleaseMode)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, dst := range []func() any{
			func() any { return &createPlanRequest{} },
			func() any { return &createTaskRequest{} },
			func() any { return &map[string]any{} },
		} {
			rec := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(rec)
			c.Request = httptest.NewRequest("POST", "/", strings.NewReader(string(body)))
			if !bind(c, dst()) && (rec.Code < 400 || rec.Code >= 500) {
				t.Fatalf("bind refused %q with %d", body, rec.Code)
			}
		}
	})
}

// FuzzQuery sends arbitrary query strings through the query check: a 400
// naming the parameter or on to the handler, never a panic.
func FuzzQuery(f *testing.F) {
	for _, seed := range []string{"q=%00", "entity=%ff", "a=b&c=d", "%zz", "q=%C3%A1", "=&=&", "limit=-1"} {
		f.Add(seed)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(cleanQuery())
	r.GET("/", func(c *gin.Context) {
		for name, vs := range c.Request.URL.Query() {
			for _, v := range append(vs, name) {
				if vi, _ := badText(v); vi != "" {
					panic("a bad query value reached the handler: " + v)
				}
			}
		}
		c.Status(http.StatusNoContent)
	})
	f.Fuzz(func(t *testing.T, raw string) {
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.RawQuery = raw
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		if rec.Code != http.StatusNoContent && rec.Code != http.StatusBadRequest {
			t.Fatalf("query %q answered %d", raw, rec.Code)
		}
	})
}

// FuzzSniffType feeds an attachment's type check arbitrary bytes, zips
// included (it opens them): it never panics, and it names only the types
// an attachment may have.
func FuzzSniffType(f *testing.F) {
	f.Add([]byte("%PDF-1.4\n%âãÏÓ\n"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("Báo cáo sơ kết 6 tháng\n"))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00"))
	allowed := map[string]bool{"": true, "application/pdf": true, "image/png": true, "image/jpeg": true, docxType: true, xlsxType: true,
		"application/vnd.oasis.opendocument.text": true, "text/plain; charset=utf-8": true}
	f.Fuzz(func(t *testing.T, data []byte) {
		if ct := sniffType(data); !allowed[ct] {
			t.Fatalf("sniffType gave %q", ct)
		}
	})
}
