package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"cascade/api"
	"cascade/api/spectest"
	"cascade/metrics"
	"cascade/store/storetest"
)

// hostileVariant is one way to spoil a route's valid request.
type hostileVariant struct {
	name string
	// path and body turn the valid path and body into the hostile ones;
	// contentType, when set, replaces the route's own.
	path        func(string) string
	body        func(string) string
	contentType string
	// headers are sent besides the route's own (on every route).
	headers map[string]string
	// multipart spoils the field names and file name of an upload.
	multipart bool
	// figure: the variant spoils only the figures of the body (values,
	// baselines, allocations): every route taking figures must refuse it
	// naming the figure.
	figure bool
}

// mapJSON rewrites every string or every number of a JSON body; a body
// that is not JSON is left as it is.
func mapJSON(body string, str func(string) any, num func(float64) any) string {
	var v any
	if json.Unmarshal([]byte(body), &v) != nil {
		return body
	}
	var walk func(any) any
	walk = func(x any) any {
		switch x := x.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
			return x
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
			return x
		case string:
			if str != nil {
				return str(x)
			}
		case float64:
			if num != nil {
				return num(x)
			}
		}
		return x
	}
	out, _ := json.Marshal(walk(v))
	return string(out)
}

var numberInJSON = regexp.MustCompile(`(:|\[|,)\s*-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?`)
var idInPath = regexp.MustCompile(`/[0-9]+(/|$|\?)`)

var hostileVariants = []hostileVariant{
	{name: "NUL in every string", body: func(b string) string {
		return mapJSON(b, func(s string) any { return s + "\x00" }, nil)
	}},
	{name: "invalid UTF-8 in a string", body: func(b string) string {
		if strings.HasPrefix(b, "{") {
			return strings.Replace(b, `":"`, "\":\"\xff\xfe", 1)
		}
		return "\xff\xfe" + b
	}},
	{name: "NUL and invalid UTF-8 in a raw body", body: func(b string) string {
		if strings.HasPrefix(b, "{") || b == "" {
			return b
		}
		return strings.Replace(b, ",", ",\x00\xff", 2)
	}},
	{name: "overlong strings", body: func(b string) string {
		return mapJSON(b, func(string) any { return strings.Repeat("ạ", 100_000) }, nil)
	}},
	{name: "1e308 figures", body: func(b string) string {
		return mapJSON(b, nil, func(float64) any { return 1.7976931348623157e308 })
	}},
	{name: "negative numbers", body: func(b string) string { return mapJSON(b, nil, func(float64) any { return -1 }) }},
	{name: "numbers beyond float64", body: func(b string) string {
		return numberInJSON.ReplaceAllString(b, "${1}1e400")
	}},
	{name: "huge integers", body: func(b string) string {
		return numberInJSON.ReplaceAllString(b, "${1}99999999999999999999999")
	}},
	{name: "wrong types", body: func(b string) string {
		return mapJSON(b, func(string) any { return map[string]any{"x": []any{1}} }, func(float64) any { return "một" })
	}},
	{name: "truncated body", body: func(b string) string { return b[:len(b)/2] }},
	{name: "oversized body", body: func(b string) string {
		if b == "" {
			return b
		}
		return `{"x":"` + strings.Repeat("a", 40<<20) + `"}`
	}},
	{name: "wrong content type", contentType: "text/plain", body: func(b string) string { return b }},
	{name: "hostile query", path: func(p string) string {
		sep := "?"
		if strings.Contains(p, "?") {
			sep = "&"
		}
		return p + sep + "q=%00&entity=%ff&status=%00&kind=%ff&limit=-1&offset=99999999999999999999&year=1e308&unit_id=-5&cycle_id=99999999999999999999&under=%00"
	}},
	{name: "huge id in the path", path: func(p string) string {
		return idInPath.ReplaceAllString(p, "/99999999999999999999$1")
	}},
	{name: "negative id in the path", path: func(p string) string { return idInPath.ReplaceAllString(p, "/-1$1") }},
	{name: "NUL in the path", path: func(p string) string { return idInPath.ReplaceAllString(p, "/1%00$1") }},
	{name: "invalid UTF-8 in headers", headers: map[string]string{"X-Request-ID": "\xff\xfe", "X-CSRF-Token": "\xff",
		"Accept-Language": "\xff\xfe", "Origin": "http://\xff", "If-None-Match": "\xff", "X-Forwarded-For": "\xff, 1.2.3.4"}},
	{name: "invalid UTF-8 in the session cookie", headers: map[string]string{"Cookie": "cascade_session=\xff\xfe; cascade_csrf=\xff"}},
	{name: "NUL and invalid UTF-8 in multipart field names", multipart: true},
	{name: "figures of 1.7976931348623157e308", figure: true, body: figuresAre("1.7976931348623157e308")},
	{name: "figures of -1.7976931348623157e308", figure: true, body: figuresAre("-1.7976931348623157e308")},
	{name: "figures of 1e13", figure: true, body: figuresAre("1e13")},
	{name: "figures beyond float64", figure: true, body: figuresAre("1e400")},
	{name: "figures of 23 digits", figure: true, body: figuresAre("99999999999999999999999")},
}

// figureKeys are the JSON keys of figures in requests.
var figureKeys = map[string]bool{"value": true, "baseline": true, "numerator": true, "denominator": true}

// figuresAre writes lit (a JSON number) as every figure of a body, leaving
// ids and years alone so that the figures are what the route checks.
func figuresAre(lit string) func(string) string {
	return func(b string) string {
		var v any
		if json.Unmarshal([]byte(b), &v) != nil {
			return b
		}
		var walk func(any)
		walk = func(x any) {
			switch x := x.(type) {
			case map[string]any:
				for k, e := range x {
					if _, num := e.(float64); num && figureKeys[k] {
						x[k] = "\x00figure\x00"
						continue
					}
					walk(e)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(v)
		out, _ := json.Marshal(v)
		return strings.ReplaceAll(string(out), `"\u0000figure\u0000"`, lit)
	}
}

// figureBodies are the valid requests of the routes taking a plan, with
// every kind of figure (a target's value and baseline, an allocation), so
// that the walk's figure variants reach them.
var figureBodies = map[string]func(*world) string{
	"POST /api/v1/plans": func(w *world) string {
		return fmt.Sprintf(`{"issuer_unit_id":%d,"title":"Kế hoạch mới","term_start_year":2026,"term_end_year":2027,"unit_ids":[%d],%s}`, w.a.ID, w.a1.ID, figureTargets(w, false))
	},
	"PUT /api/v1/plans/:id": func(w *world) string {
		return fmt.Sprintf(`{"title":"Kế hoạch của huyện A (sửa)","term_start_year":2026,"term_end_year":2027,"unit_ids":[%d],%s}`, w.a1.ID, figureTargets(w, true))
	},
	"POST /api/v1/plans/:id/amend": func(w *world) string {
		return fmt.Sprintf(`{"reason":"điều chỉnh","plan":{"title":"K","term_start_year":2026,"term_end_year":2027,%s}}`, figureTargets(w, true))
	},
}

func figureTargets(w *world, allocations bool) string {
	a := ""
	if allocations {
		a = fmt.Sprintf(`,"allocations":[{"unit_id":%d,"value":60}]`, w.a1.ID)
	}
	return `"targets":[{"text":"Hộ thoát nghèo","value":120,"baseline":40,"unit":"hộ","direction":"at_least","measure":"count"` + a + `}]`
}

// figuresIn reports whether a JSON body carries a figure.
func figuresIn(body string) bool {
	return figuresAre("0")(body) != figuresAre("1")(body)
}

// TestHostileInput_EveryRouteAnswersA4xxNamingTheProblem walks every route
// of the router, as the authorization walk does, with an admin of the
// province (so that requests get past the scope checks) and sends each one
// spoiled requests: no answer is a 5xx (but 503 for Temporal, which this
// test server cannot reach), every refusal is the API's JSON error, and a
// refused request changes nothing.
func TestHostileInput_EveryRouteAnswersA4xxNamingTheProblem(t *testing.T) {
	db := storetest.Open(t)
	tc, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:1"})
	require.NoError(t, err)
	defer tc.Close()
	authzDataDir = t.TempDir()
	s := &api.Server{DB: db, Temporal: tc, TaskQueue: "test", Metrics: metrics.New(), Log: slog.New(slog.NewJSONHandler(io.Discard, nil)), DataDir: authzDataDir}
	handler := s.Handler()
	srv := httptest.NewServer(spectest.Handler(t, handler))
	defer srv.Close()
	w := newWorld(t, db)
	_, admin := storetest.SignedIn(t, db, w.p.ID, "admin")

	send := func(method, path, body, contentType string, v hostileVariant) (int, http.Header, []byte) {
		ct := "application/json"
		switch {
		case strings.HasSuffix(strings.Split(path, "?")[0], "/plans/import"), strings.HasSuffix(strings.Split(path, "?")[0], "/attachments"):
			if owner, content, ok := strings.Cut(body, "|"); ok && method == "POST" {
				var buf bytes.Buffer
				mw := multipart.NewWriter(&buf)
				file, kind, id := "file", "owner_kind", "owner_id"
				if v.multipart {
					_ = mw.WriteField("\x00\xff", "\xff")
					file, kind, id = "fi\x00le", "owner_kind\xff", "owner_id\x00"
				}
				if strings.HasSuffix(path, "/attachments") {
					_ = mw.WriteField(kind, "report\x00")
					_ = mw.WriteField(id, owner)
				}
				fw, _ := mw.CreateFormFile(file, "t\xffệp\x00.txt")
				_, _ = fw.Write([]byte(content))
				_ = mw.Close()
				body, ct = buf.String(), mw.FormDataContentType()
				if strings.Contains(path, "/plans/import") && !strings.Contains(path, "issuer_unit_id") {
					path += "?issuer_unit_id=" + owner
				}
			}
		case strings.HasSuffix(path, "/import"):
			ct = "text/csv"
		}
		if contentType != "" {
			ct = contentType
		}
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+admin)
		for k, hv := range v.headers {
			req.Header.Set(k, hv)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return resp.StatusCode, resp.Header, raw
	}

	routes := handler.(*gin.Engine).Routes()
	require.NotEmpty(t, routes)
	for _, rt := range routes {
		key := rt.Method + " " + rt.Path
		t.Run(key, func(t *testing.T) {
			cs, ok := authzCases[key]
			if !ok {
				if !api.PublicRoutes[key] {
					t.Fatalf("route %s has no case in authzCases", key)
				}
				cs = publicCases[key]
				if cs.build == nil {
					return
				}
			}
			for _, v := range hostileVariants {
				path, body := cs.build(t, w)
				if fb, ok := figureBodies[key]; ok {
					body = fb(w)
				}
				hasFigures := figuresIn(body)
				if v.multipart && !strings.Contains(body, "|") || v.figure && !hasFigures {
					continue
				}
				if v.path != nil {
					path = v.path(path)
				} else if (rt.Method == "GET" || rt.Method == "DELETE") && v.headers == nil {
					if v.name != "wrong content type" {
						continue
					}
				}
				if v.body != nil {
					body = v.body(body)
				}
				write := rt.Method != "GET"
				var before string
				if write {
					before = fingerprint(t, db)
				}
				status, h, raw := send(rt.Method, path, body, v.contentType, v)
				shown := string(raw)
				if len(shown) > 300 {
					shown = shown[:300]
				}
				if v.figure {
					require.Contains(t, []int{http.StatusBadRequest, http.StatusUnprocessableEntity}, status,
						"%s %s (%s) took a figure beyond the bound: %s", rt.Method, path, v.name, shown)
					var e apiError
					require.NoError(t, json.Unmarshal(raw, &e), "%s: %s", v.name, shown)
					named := false
					for f := range e.Error.Fields {
						named = named || figureKeys[f[strings.LastIndexAny(f, ".]")+1:]]
					}
					require.True(t, named, "%s %s (%s): the error names the figure: %s", rt.Method, path, v.name, shown)
				}
				if status == http.StatusServiceUnavailable {
					require.Contains(t, shown, `"code":"unavailable"`, "%s: %s", v.name, shown)
				} else {
					require.Less(t, status, 500, "%s %s (%s): %s", rt.Method, path, v.name, shown)
				}
				takesJSON := body != "" && !strings.Contains(path, "/import") && !strings.Contains(path, "/attachments")
				if v.contentType != "" && write && takesJSON {
					// 415, unless refused before the body is looked at (a
					// route for browser sessions only, say).
					require.Contains(t, []int{http.StatusUnsupportedMediaType, http.StatusForbidden}, status,
						"%s %s: a JSON body sent as %s must be refused: %s", rt.Method, path, v.contentType, shown)
				}
				if status >= 400 {
					require.Contains(t, h.Get("Content-Type"), "application/json", "%s: %s", v.name, shown)
					var e apiError
					require.NoError(t, json.Unmarshal(raw, &e), "%s: %s", v.name, shown)
					require.NotEmpty(t, e.Error.Code, "%s: %s", v.name, shown)
					require.NotEmpty(t, e.Error.MessageEn, "%s: %s", v.name, shown)
					if write && status != http.StatusServiceUnavailable {
						require.Equal(t, before, fingerprint(t, db), "%s %s (%s) was refused (%d) but changed the database", rt.Method, path, v.name, status)
					}
				}
			}
		})
	}
}

// publicCases are the public routes' valid requests, for the hostile walk.
var publicCases = map[string]authzCase{
	"POST /api/v1/auth/login": {build: func(*testing.T, *world) (string, string) {
		return "/api/v1/auth/login", `{"email":"khong-co@example.org","password":"sai-mat-khau"}`
	}},
	"POST /api/v1/auth/password-reset": {build: func(*testing.T, *world) (string, string) {
		return "/api/v1/auth/password-reset", `{"email":"khong-co@example.org"}`
	}},
	"POST /api/v1/auth/password-reset/confirm": {build: func(*testing.T, *world) (string, string) {
		return "/api/v1/auth/password-reset/confirm", `{"token":"khong-hop-le","password":"mật-khẩu-đủ-dài"}`
	}},
}
